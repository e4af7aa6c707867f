"""A dynamic-programming grid drawn as one graphics item.

One item paints the whole table, but only the part of it that is exposed, so
a 500 x 500 grid costs what the visible cells cost. Headers carry the items
(and their small index, so ``D[3,2]`` in the narration can be found at a
glance); the panel decides what each cell shows by setting a
:class:`GridMarks` with role names from the theme.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF, QStaticText
from PySide6.QtWidgets import QGraphicsObject, QGraphicsSceneHoverEvent, QStyleOptionGraphicsItem, QWidget

from algorithms.trace import format_number
from visualizer.theme import Palette
from visualizer.views.marks import Arrow, Badge, Cell, GridMarks
from visualizer.views.tile_cache import TileCache

__all__ = ["GridItem", "GridMarks", "Arrow", "Badge", "BACKPOINTER_GLYPHS", "arrow_head"]

#: Text-cell roles drawn as a box around dark text rather than as coloured text.
_BOXED_ROLES = frozenset({"candidate", "final_path", "current"})

#: Small in-cell glyphs for co-optimal backpointers, by direction (di, dj).
BACKPOINTER_GLYPHS = {(1, 1): "↖", (1, 0): "↑", (0, 1): "←", (2, 2): "⇖"}


class GridItem(QGraphicsObject):
    """Table of numbers with item headers; emits the cell under the mouse."""

    hovered = Signal(object)  # (i, j) or None
    #: A press on a cell: (i, j) and the index of the text line under the mouse (-1 if none).
    clicked = Signal(object, int)

    def __init__(
        self,
        row_labels: Sequence[str],
        column_labels: Sequence[str],
        values: np.ndarray,
        palette: Palette,
        corner_label: str = "",
        *,
        row_indices: Sequence[str] | None = None,
        column_indices: Sequence[str] | None = None,
        present: np.ndarray | None = None,
        cell_size: tuple[float, float] | None = None,
        centre_text: bool = False,
    ) -> None:
        """``row_indices``/``column_indices`` replace the small header numbers (a CKY chart's
        columns are fenceposts 1…n); ``present`` masks the cells that exist at all (the chart's
        upper triangle); ``cell_size`` fixes the cells' size for text cells; ``centre_text``
        centres a text cell's only line, as numbers are (a list of entries stays top-left)."""
        super().__init__()
        self._centre_text = centre_text
        self.setFlag(self.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setAcceptHoverEvents(True)
        self._rows = list(row_labels)
        self._columns = list(column_labels)
        self._values = values
        self._palette = palette
        self._corner = corner_label
        self._row_indices = (
            list(row_indices) if row_indices is not None else [str(i) for i in range(len(row_labels))]
        )
        self._column_indices = (
            list(column_indices)
            if column_indices is not None
            else [str(j) for j in range(len(column_labels))]
        )
        self._present = present
        self._cell_size = cell_size
        self._marks = GridMarks()
        self._hover: Cell | None = None
        self._text_cache: dict[tuple[str, int, bool], QStaticText] = {}
        self._elide_cache: dict[tuple[str, int], str] = {}
        self._number_cache: dict[float, tuple[QStaticText, float, float]] = {}
        self._formatter: Callable[[float], str] = format_number
        self._value_font = QFont("DejaVu Sans", 1)
        self._value_font.setPixelSize(19)
        self._label_font = QFont("DejaVu Sans", 1)
        self._label_font.setPixelSize(20)
        self._label_font.setBold(True)
        self._index_font = QFont("DejaVu Sans", 1)
        self._index_font.setPixelSize(11)
        self._badge_font = QFont("DejaVu Sans", 1)
        self._badge_font.setPixelSize(13)
        self._badge_font.setBold(True)
        self._glyph_font = QFont("DejaVu Sans", 1)
        self._glyph_font.setPixelSize(15)
        self._glyph_font.setBold(True)
        self.text_font = QFont("DejaVu Sans", 1)
        self.text_font.setPixelSize(16)
        self.text_line_height = 21.0
        #: The numbers and header labels of blocks of cells, drawn once a zoom (values never change).
        self._tiles = TileCache()
        self._layout()

    # -- geometry ------------------------------------------------------------
    def _layout(self) -> None:
        values = QFontMetricsF(self._value_font)
        labels = QFontMetricsF(self._label_font)
        widest_value = max((values.horizontalAdvance(t) for t in self._sample_value_texts()), default=10)
        widest_column = max((labels.horizontalAdvance(t) for t in self._columns), default=10)
        # Long tokens (word mode) widen the columns, up to a point; past it they are elided.
        self.cell_width = math.ceil(min(max(66.0, widest_value + 22, widest_column + 16), 170.0))
        self.cell_height = 52.0
        if self._cell_size is not None:
            self.cell_width, self.cell_height = self._cell_size
        widest_row = max((labels.horizontalAdvance(t) for t in self._rows), default=10)
        self.header_width = math.ceil(min(max(60.0, widest_row + 34), 200.0))
        self.header_height = 56.0
        self.prepareGeometryChange()

    def _sample_value_texts(self) -> list[str]:
        finite = self._values[np.isfinite(self._values)]
        if finite.size == 0:
            return ["0"]
        # The widest numbers are the biggest and the most fractional; sample rather than format all.
        sample = np.concatenate((finite.ravel()[:: max(1, finite.size // 400)], [finite.max(), finite.min()]))
        return [format_number(float(v)) for v in sample]

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt name)
        return QRectF(
            0,
            0,
            self.header_width + len(self._columns) * self.cell_width + 2,
            self.header_height + len(self._rows) * self.cell_height + 2,
        )

    @property
    def row_labels(self) -> list[str]:
        return list(self._rows)

    @property
    def column_labels(self) -> list[str]:
        return list(self._columns)

    def cell_rect(self, cell: Cell) -> QRectF:
        """Scene-independent rectangle (item coordinates) of a table cell."""
        i, j = cell
        return QRectF(
            self.header_width + j * self.cell_width,
            self.header_height + i * self.cell_height,
            self.cell_width,
            self.cell_height,
        )

    def cell_at(self, point: QPointF) -> Cell | None:
        j = math.floor((point.x() - self.header_width) / self.cell_width)
        i = math.floor((point.y() - self.header_height) / self.cell_height)
        if 0 <= i < len(self._rows) and 0 <= j < len(self._columns):
            return (i, j)
        return None

    # -- state ---------------------------------------------------------------
    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self._tiles.clear()
        self.update()

    def set_marks(self, marks: GridMarks) -> None:
        """Show ``marks``; the filled mask must have this grid's shape (another grid's is refused)."""
        shape = (len(self._rows), len(self._columns))
        if marks.filled is not None and marks.filled.shape != shape:
            # A paint of rows this grid no longer has was an IndexError in outside testing.
            raise ValueError(f"The filled mask is {marks.filled.shape}, but the grid is {shape}.")
        self._marks = marks
        self.update()

    @property
    def marks(self) -> GridMarks:
        return self._marks

    @property
    def hovered_cell(self) -> Cell | None:
        return self._hover

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        cell = self.cell_at(event.pos())
        if cell != self._hover:
            self._hover = cell
            self.hovered.emit(cell)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        if self._hover is not None:
            self._hover = None
            self.hovered.emit(None)

    # -- painting ------------------------------------------------------------
    def _ranges(self, area: QRectF) -> tuple[range, range]:
        """The rows and columns of cells that ``area`` (item coordinates) touches."""
        rows, columns = len(self._rows), len(self._columns)
        first_row = max(0, math.floor((area.top() - self.header_height) / self.cell_height))
        last_row = min(rows - 1, math.floor((area.bottom() - self.header_height) / self.cell_height))
        first_col = max(0, math.floor((area.left() - self.header_width) / self.cell_width))
        last_col = min(columns - 1, math.floor((area.right() - self.header_width) / self.cell_width))
        return range(first_row, last_row + 1), range(first_col, last_col + 1)

    def paint_frozen_headers(self, painter: QPainter, visible: QRectF) -> None:
        """Draw the headers at the visible edges when the real ones are scrolled away.

        ``visible`` is the viewport in item coordinates. Deep in a 500 x 500 grid
        the student still sees which items the current row and column compare.
        """
        if visible.top() <= 0 and visible.left() <= 0:
            return
        rows, columns = self._ranges(visible)
        roles = self._marks
        top, left = max(0.0, visible.top()), max(0.0, visible.left())
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if top > 0 and columns:
            painter.save()
            painter.translate(0, top)
            x = self.header_width + columns.start * self.cell_width
            strip = QRectF(x, 0, len(columns) * self.cell_width, self.header_height)
            self._paint_header_strip(painter, strip, columns, self._columns, roles.column_header_role, True)
            painter.restore()
        if left > 0 and rows:
            painter.save()
            painter.translate(left, 0)
            y = self.header_height + rows.start * self.cell_height
            strip = QRectF(0, y, self.header_width, len(rows) * self.cell_height)
            self._paint_header_strip(painter, strip, rows, self._rows, roles.row_header_role, False)
            painter.restore()
        corner = QRectF(left, top, self.header_width, self.header_height)
        painter.fillRect(corner, QColor(self._palette.surface))
        painter.setPen(QPen(QColor(self._palette.grid), 1))
        painter.drawRect(corner)
        painter.restore()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        exposed = option.exposedRect if not option.exposedRect.isEmpty() else self.boundingRect()
        rows, columns = self._ranges(exposed)
        self._paint_cells(painter, rows, columns)
        self._paint_glyphs(painter, rows, columns)
        self._paint_outlines(painter, exposed)
        self._paint_headers(painter, rows, columns, exposed)
        self._paint_arrows(painter)
        self._paint_badges(painter)

    def _paint_cells(self, painter: QPainter, rows: range, columns: range) -> None:
        if not rows or not columns:
            return
        painter.save()
        try:  # restored whatever happens: an exception must not leave the painter's state saved
            self._paint_cell_layer(painter, rows, columns)
        finally:
            painter.restore()

    def _paint_cell_layer(self, painter: QPainter, rows: range, columns: range) -> None:
        # Cells are axis-aligned: antialiasing only costs time here (it made every
        # drawRect ~25 µs). Lines and fills are batched: one call per row run, not per cell.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if TileCache.usable(painter):
            self._paint_cell_tiles(painter, rows, columns)
        else:
            self._draw_cells(painter, rows, columns)
        if self._marks.texts is not None and self._values_readable(painter):
            self._paint_texts(painter, rows, columns)

    def _values_readable(self, painter: QPainter) -> bool:
        """Level of detail: zoomed out until numbers would be under 7 px they cannot be read
        anyway, and skipping them keeps a whole 500 x 500 grid cheap to draw."""
        scale = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        return scale * self._value_font.pixelSize() >= 7

    def _paint_cell_tiles(self, painter: QPainter, rows: range, columns: range) -> None:
        """Blocks of cells that look as they did (same cells filled, same fills) are copied."""
        tall, wide = self.TILE_CELLS
        fills: dict[tuple[int, int], list[tuple[Cell, str]]] = {}
        for (i, j), role in self._marks.fills.items():
            fills.setdefault((i - i % tall, j - j % wide), []).append(((i, j), role))
        filled = self._marks.filled
        for first_row in range(rows.start - rows.start % tall, rows.stop, tall):
            block_rows = range(first_row, min(first_row + tall, len(self._rows)))
            for first_column in range(columns.start - columns.start % wide, columns.stop, wide):
                block_columns = range(first_column, min(first_column + wide, len(self._columns)))
                shown = None
                if filled is not None:
                    shown = filled[block_rows.start : block_rows.stop, first_column : block_columns.stop]
                key = (
                    "cells",
                    first_row,
                    first_column,
                    None if shown is None else shown.tobytes(),
                    tuple(sorted(fills.get((first_row, first_column), ()))),
                    self._marks.texts is None,
                )
                rect = self.cell_rect((first_row, first_column)).united(
                    self.cell_rect((block_rows[-1], block_columns[-1]))
                )
                self._tiles.draw(
                    painter,
                    key,
                    rect.adjusted(0, 0, 1, 1),  # the right and bottom grid lines
                    lambda tile, r=block_rows, c=block_columns: self._draw_cells(tile, r, c),
                )

    def _draw_cells(self, painter: QPainter, rows: range, columns: range) -> None:
        """A block of cells: background, fills, grid lines, and the numbers if the grid has them."""
        p = self._palette
        block = self.cell_rect((rows.start, columns.start)).united(self.cell_rect((rows[-1], columns[-1])))
        painter.fillRect(block, QColor(p.background))
        filled = self._marks.filled
        if filled is not None:
            surface = QColor(p.surface)
            for i in rows:
                for first, last in _false_runs(filled[i, columns.start : columns.stop]):
                    left = self.cell_rect((i, columns.start + first))
                    right = self.cell_rect((i, columns.start + last))
                    painter.fillRect(left.united(right), surface)
        for (i, j), role in self._marks.fills.items():
            if i in rows and j in columns:
                painter.fillRect(self.cell_rect((i, j)), QColor(getattr(p, f"{role}_fill", getattr(p, role))))
        painter.setPen(QPen(QColor(p.grid), 1))
        painter.drawLines(_grid_lines(block, self.cell_width, self.cell_height))
        self._blank_absent(painter, rows, columns)
        if self._marks.texts is None and self._values_readable(painter):
            self._draw_values(painter, rows, columns)

    #: Rows and columns of cells in one cached block.
    TILE_CELLS = (4, 8)

    def _draw_values(self, painter: QPainter, rows: range, columns: range) -> None:
        """The numbers of the filled cells of a block."""
        filled = self._marks.filled
        painter.setPen(QPen(QColor(self._palette.text)))
        painter.setFont(self._value_font)
        # Python lists of the exposed block: indexing numpy cell by cell was a third of a repaint.
        block_values = self._values[rows.start : rows.stop, columns.start : columns.stop].tolist()
        block_filled = (
            None if filled is None else filled[rows.start : rows.stop, columns.start : columns.stop].tolist()
        )
        half_height = self.cell_height / 2
        for r, i in enumerate(rows):
            top = self.header_height + i * self.cell_height + half_height
            row_values = block_values[r]
            row_filled = None if block_filled is None else block_filled[r]
            for c, j in enumerate(columns):
                if row_filled is not None and not row_filled[c]:
                    continue
                text, half_width, half_text_height = self._value_text(row_values[c])
                centre_x = self.header_width + (j + 0.5) * self.cell_width
                painter.drawStaticText(QPointF(centre_x - half_width, top - half_text_height), text)

    def _blank_absent(self, painter: QPainter, rows: range, columns: range) -> None:
        """Cells that are not part of the table (below a chart's diagonal) stay background."""
        if self._present is None:
            return
        background = QColor(self._palette.background)
        edges: list[QLineF] = []
        for i in rows:
            for first, last in _false_runs(self._present[i, columns.start : columns.stop]):
                rect = self.cell_rect((i, columns.start + first)).united(
                    self.cell_rect((i, columns.start + last))
                )
                # Keep the top line: it is the bottom border of the present cell above.
                painter.fillRect(rect.adjusted(0, 1, 0, 1), background)
                if columns.start + last + 1 < len(self._columns):
                    # The fill ate the left border of the present cell after the run: draw it again,
                    # so a chart's diagonal is a clean staircase, not open-sided cells.
                    edges.append(QLineF(rect.topRight(), rect.bottomRight()))
        painter.setPen(QPen(QColor(self._palette.grid), 1))
        painter.drawLines(edges)

    def is_present(self, cell: Cell) -> bool:
        return self._present is None or bool(self._present[cell])

    def _paint_texts(self, painter: QPainter, rows: range, columns: range) -> None:
        """Text cells, by blocks named by their lines: a block that reads as before is copied."""
        texts = self._marks.texts
        assert texts is not None
        if not TileCache.usable(painter):
            self._draw_texts(painter, rows, columns)
            return
        filled = self._marks.filled
        tall, wide = self.TILE_CELLS
        for first_row in range(rows.start - rows.start % tall, rows.stop, tall):
            block_rows = range(first_row, min(first_row + tall, len(self._rows)))
            for first_column in range(columns.start - columns.start % wide, columns.stop, wide):
                block_columns = range(first_column, min(first_column + wide, len(self._columns)))
                shown = tuple(
                    tuple(texts((i, j)))
                    if self.is_present((i, j)) and (filled is None or filled[i, j])
                    else None
                    for i in block_rows
                    for j in block_columns
                )
                rect = self.cell_rect((first_row, first_column)).united(
                    self.cell_rect((block_rows[-1], block_columns[-1]))
                )
                self._tiles.draw(
                    painter,
                    ("texts", first_row, first_column, shown),
                    rect.adjusted(-2, -2, 2, 2),  # a boxed entry's outline may touch the cell edge
                    lambda tile, r=block_rows, c=block_columns: self._draw_texts(tile, r, c),
                )

    def _draw_texts(self, painter: QPainter, rows: range, columns: range) -> None:
        """Text cells: each line in its role's colour, top-aligned; '+k more' when they do not fit."""
        texts = self._marks.texts
        assert texts is not None
        filled = self._marks.filled
        painter.setFont(self.text_font)
        fitting = max(1, int((self.cell_height - 8) // self.text_line_height))
        inks: dict[str, QColor] = {}
        for i in rows:
            for j in columns:
                if not self.is_present((i, j)) or (filled is not None and not filled[i, j]):
                    continue
                lines = list(texts((i, j)))
                if len(lines) > fitting:
                    hidden = len(lines) - fitting + 1
                    lines = [*lines[: fitting - 1], (f"+{hidden} more", "muted_text")]
                rect = self.cell_rect((i, j))
                for n, (text, role) in enumerate(lines):
                    static = self._static_text(text, self.text_font)
                    if self._centre_text and len(lines) == 1:  # a number: centred like the value cells
                        size = static.size()
                        centre = rect.center()
                        point = QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2)
                    else:
                        point = QPointF(rect.left() + 8, rect.top() + 5 + n * self.text_line_height)
                    if role in _BOXED_ROLES:
                        # Pale hues (sky blue, green) are unreadable as text on their own tint:
                        # mark the entry with a box in the role's colour and keep the text dark.
                        box = QRectF(
                            point.x() - 4, point.y() - 1, static.size().width() + 8, self.text_line_height - 1
                        )
                        painter.setPen(QPen(self._palette.color(role), 2))
                        painter.setBrush(Qt.BrushStyle.NoBrush)
                        painter.drawRect(box)
                        painter.setPen(QColor(self._palette.text))
                    else:
                        ink = inks.get(role)
                        if ink is None:
                            ink = inks[role] = self._palette.ink(role)
                        painter.setPen(ink)  # the hue, dark enough to read
                    painter.drawStaticText(point, static)

    def line_at(self, cell: Cell, point: QPointF) -> int:
        """Index of the text line of ``cell`` under ``point`` (item coordinates), -1 if none."""
        rect = self.cell_rect(cell)
        index = math.floor((point.y() - rect.top() - 5) / self.text_line_height)
        return index if index >= 0 else -1

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        cell = self.cell_at(event.pos())
        if cell is None or not self.is_present(cell):
            event.ignore()
            return
        self.clicked.emit(cell, self.line_at(cell, event.pos()))
        event.accept()

    def set_formatter(self, formatter: Callable[[float], str]) -> None:
        """Write the values with ``formatter`` (a panel's number style) instead of :func:`format_number`."""
        self._formatter = formatter
        self._number_cache.clear()
        self._tiles.clear()
        self.update()

    def _value_text(self, value: float) -> tuple[QStaticText, float, float]:
        """A value's laid-out text with half its width and height (for centring)."""
        cached = self._number_cache.get(value)
        if cached is None:
            static = self._static_text(self._formatter(float(value)), self._value_font)
            size = static.size()
            cached = self._number_cache[value] = (static, size.width() / 2, size.height() / 2)
        return cached

    def _static_text(self, text: str, font: QFont) -> QStaticText:
        """Laid-out text, cached: the same few numbers are drawn thousands of times."""
        key = (text, font.pixelSize(), font.bold())
        cached = self._text_cache.get(key)
        if cached is None:
            cached = QStaticText(text)
            # Plain text always: a label like "<s>" must not be read as an HTML strike-out tag.
            cached.setTextFormat(Qt.TextFormat.PlainText)
            cached.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            cached.prepare(font=font)
            if len(self._text_cache) > 4096:
                self._text_cache.clear()
                self._number_cache.clear()
            self._text_cache[key] = cached
        return cached

    def _paint_glyphs(self, painter: QPainter, rows: range, columns: range) -> None:
        glyphs = self._marks.glyphs
        if glyphs is None:
            return
        painter.setFont(self._glyph_font)
        # Bold, 15 px and in the role's ink: pale 11 px arrows were lost behind the numbers.
        painter.setPen(QPen(self._palette.ink("backpointer")))
        filled = self._marks.filled
        for i in rows:
            for j in columns:
                if filled is not None and not filled[i, j]:
                    continue
                rect = self.cell_rect((i, j)).adjusted(3, 1, -3, -1)
                for k, direction in enumerate(self._marks.glyph_directions):
                    if glyphs[i, j, k]:
                        painter.drawText(rect, _glyph_alignment(direction), BACKPOINTER_GLYPHS[direction])

    def _paint_outlines(self, painter: QPainter, exposed: QRectF) -> None:
        for cell, role in self._marks.outlines.items():
            rect = self.cell_rect(cell)
            if not rect.intersects(exposed):
                continue
            painter.setPen(QPen(self._palette.color(role), 4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(2, 2, -2, -2))

    def _paint_headers(self, painter: QPainter, rows: range, columns: range, exposed: QRectF) -> None:
        p = self._palette
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        if exposed.top() < self.header_height and columns:
            strip = QRectF(
                self.header_width + columns.start * self.cell_width,
                0,
                len(columns) * self.cell_width,
                self.header_height,
            )
            self._paint_header_strip(
                painter, strip, columns, self._columns, self._marks.column_header_role, True
            )
        if exposed.left() < self.header_width and rows:
            strip = QRectF(
                0,
                self.header_height + rows.start * self.cell_height,
                self.header_width,
                len(rows) * self.cell_height,
            )
            self._paint_header_strip(painter, strip, rows, self._rows, self._marks.row_header_role, False)
        corner = QRectF(0, 0, self.header_width, self.header_height)
        if corner.intersects(exposed):
            painter.fillRect(corner, QColor(p.surface))
            painter.setPen(QPen(QColor(p.grid), 1))
            painter.drawRect(corner)
            painter.setFont(self._index_font)
            painter.setPen(QPen(QColor(p.muted_text)))
            painter.drawText(corner.adjusted(4, 2, -4, -2), Qt.AlignmentFlag.AlignCenter, self._corner)
        painter.restore()

    def _paint_header_strip(
        self,
        painter: QPainter,
        strip: QRectF,
        indices: range,
        labels: Sequence[str],
        roles: dict[int, str],
        horizontal: bool,
    ) -> None:
        p = self._palette
        painter.fillRect(strip, QColor(p.surface))
        for index, role in roles.items():
            if index in indices:
                painter.fillRect(
                    self.header_rect(index, horizontal), QColor(getattr(p, f"{role}_fill", p.surface))
                )
        painter.setPen(QPen(QColor(p.grid), 1))
        width = self.cell_width if horizontal else strip.width()
        height = strip.height() if horizontal else self.cell_height
        painter.drawLines(_grid_lines(strip, width, height))
        size = self.TILE_CELLS[1]
        for first in range(indices.start - indices.start % size, indices.stop, size):
            block = range(first, min(first + size, len(labels)))
            rect = self.header_rect(first, horizontal).united(self.header_rect(block[-1], horizontal))
            self._tiles.draw(
                painter,
                ("header", horizontal, first),
                rect,
                lambda tile, b=block: self._draw_header_labels(tile, b, labels, horizontal),
            )

    def _draw_header_labels(
        self, painter: QPainter, indices: range, labels: Sequence[str], horizontal: bool
    ) -> None:
        """The small indices and the labels of a run of headers."""
        p = self._palette
        # drawStaticText uses the painter's font, so draw every index, then every label.
        painter.setFont(self._index_font)
        painter.setPen(QColor(p.muted_text))
        small = self._column_indices if horizontal else self._row_indices
        for index in indices:
            corner = self.header_rect(index, horizontal).topLeft() + QPointF(4, 2)
            painter.drawStaticText(corner, self._static_text(small[index], self._index_font))
        painter.setFont(self._label_font)
        painter.setPen(QColor(p.text))
        for index in indices:
            rect = self.header_rect(index, horizontal)
            label = self._static_text(self._elided(labels[index], rect.width() - 16), self._label_font)
            size = label.size()
            centre = rect.adjusted(6, 6, -4, 0).center()
            painter.drawStaticText(
                QPointF(centre.x() - size.width() / 2, centre.y() - size.height() / 2), label
            )

    def header_rect(self, index: int, horizontal: bool) -> QRectF:
        if horizontal:
            return QRectF(self.header_width + index * self.cell_width, 0, self.cell_width, self.header_height)
        return QRectF(0, self.header_height + index * self.cell_height, self.header_width, self.cell_height)

    def _elided(self, label: str, width: float) -> str:
        key = (label, round(width))
        shown = self._elide_cache.get(key)
        if shown is None:
            shown = QFontMetricsF(self._label_font).elidedText(label, Qt.TextElideMode.ElideRight, width)
            self._elide_cache[key] = shown
        return shown

    def _centre(self, cell: Cell) -> QPointF:
        return self.cell_rect(cell).center()

    def arrow_path(self, arrow: Arrow) -> tuple[QPainterPath, QPointF, QPointF]:
        """The arrow's line in item coordinates, and the two points its head is aimed along."""
        start, end = self._centre(arrow.start), self._centre(arrow.end)
        line = QLineF(start, end)
        # Start at the edge of the first cell, stop short of the second's number.
        shrink_start = min(self.cell_width, self.cell_height) * 0.32
        shrink_end = min(self.cell_width, self.cell_height) * 0.34
        unit = line.unitVector()
        dx, dy = unit.dx(), unit.dy()
        a = QPointF(start.x() + dx * shrink_start, start.y() + dy * shrink_start)
        b = QPointF(end.x() - dx * shrink_end, end.y() - dy * shrink_end)
        path = QPainterPath(a)
        if abs(arrow.start[0] - arrow.end[0]) > 1 or abs(arrow.start[1] - arrow.end[1]) > 1:
            # A jump over a cell (a transposition) bends around that cell's number.
            bend = min(self.cell_width, self.cell_height) * 1.0
            middle = QPointF((a.x() + b.x()) / 2 - dy * bend, (a.y() + b.y()) / 2 + dx * bend)
            path.quadTo(middle, b)
            return path, middle, b
        path.lineTo(b)
        return path, a, b

    def _paint_arrows(self, painter: QPainter) -> None:
        for arrow in self._marks.arrows:
            if self._centre(arrow.start) == self._centre(arrow.end):
                continue
            path, tail, tip = self.arrow_path(arrow)
            color = self._palette.color(arrow.role)
            pen = QPen(color, arrow.width, Qt.PenStyle.DashLine if arrow.dashed else Qt.PenStyle.SolidLine)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            painter.drawPolygon(arrow_head(tail, tip, 7 + arrow.width * 1.5))

    def _paint_badges(self, painter: QPainter) -> None:
        metrics = QFontMetricsF(self._badge_font)
        painter.setFont(self._badge_font)
        for badge in self._marks.badges:
            a, b = (self._centre(c) for c in badge.between)
            centre = (a + b) / 2
            width = max(22.0, metrics.horizontalAdvance(badge.text) + 12)
            rect = QRectF(centre.x() - width / 2, centre.y() - 10, width, 20)
            color = self._palette.color(badge.role)
            path = QPainterPath()
            path.addRoundedRect(rect, 9, 9)
            # Winners are solid, the other candidates outlined: readable from the back row.
            solid = badge.role == "chosen"
            painter.setPen(QPen(color, 1.5))
            painter.setBrush(color if solid else QColor(self._palette.background))
            painter.drawPath(path)
            painter.setPen(QPen(QColor(self._palette.background) if solid else QColor(self._palette.text)))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, badge.text)


def _false_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Inclusive (first, last) index pairs of the runs of False in a 1-D mask."""
    if mask.all():
        return []
    padded = np.concatenate(([True], mask, [True])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _grid_lines(block: QRectF, cell_width: float, cell_height: float) -> list[QLineF]:
    """The horizontal and vertical lines of a block of equal cells."""
    lines = []
    y = block.top()
    while y <= block.bottom() + 0.5:
        lines.append(QLineF(block.left(), y, block.right(), y))
        y += cell_height
    x = block.left()
    while x <= block.right() + 0.5:
        lines.append(QLineF(x, block.top(), x, block.bottom()))
        x += cell_width
    return lines


def _glyph_alignment(direction: tuple[int, int]) -> Qt.AlignmentFlag:
    top, left = Qt.AlignmentFlag.AlignTop, Qt.AlignmentFlag.AlignLeft
    if direction == (1, 0):
        return top | Qt.AlignmentFlag.AlignHCenter
    if direction == (0, 1):
        return Qt.AlignmentFlag.AlignVCenter | left
    if direction == (2, 2):
        return Qt.AlignmentFlag.AlignBottom | left
    return top | left


def arrow_head(tail: QPointF, tip: QPointF, size: float) -> QPolygonF:
    """A filled triangle of ``size`` at ``tip``, pointing away from ``tail``."""
    angle = math.atan2(tip.y() - tail.y(), tip.x() - tail.x())
    left = QPointF(tip.x() - size * math.cos(angle - 0.45), tip.y() - size * math.sin(angle - 0.45))
    right = QPointF(tip.x() - size * math.cos(angle + 0.45), tip.y() - size * math.sin(angle + 0.45))
    return QPolygonF([tip, left, right])
