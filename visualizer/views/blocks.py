"""Small scene items shared by panels: a caption, a colour legend, an alignment."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from visualizer.theme import Palette
from visualizer.views.static_text import draw_static
from visualizer.views.tile_cache import TileCache

__all__ = ["CaptionItem", "LegendItem", "AlignmentItem", "TextBlockItem", "font"]


def font(pixels: int, bold: bool = False, mono: bool = False) -> QFont:
    """A font by pixel size, so scene text has the same size on every screen and in every export."""
    result = QFont("DejaVu Sans Mono" if mono else "DejaVu Sans", 1)
    result.setPixelSize(pixels)
    result.setBold(bold)
    return result


class CaptionItem(QGraphicsItem):
    """A title line and a muted detail line (what is shown, which step)."""

    def __init__(self, palette: Palette) -> None:
        super().__init__()
        self._palette = palette
        self._title = ""
        self._detail = ""
        self._title_font = font(22, bold=True)
        self._detail_font = font(15)
        self._width = 4.0  # measured once per text change: boundingRect is called often

    def set_text(self, title: str, detail: str) -> None:
        if (title, detail) != (self._title, self._detail):
            self.prepareGeometryChange()
            self._title, self._detail = title, detail
            self._width = 4 + max(
                QFontMetricsF(self._title_font).horizontalAdvance(title),
                QFontMetricsF(self._detail_font).horizontalAdvance(detail),
            )
            self.update()

    @property
    def title(self) -> str:
        return self._title

    @property
    def detail(self) -> str:
        return self._detail

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, 0, self._width, 56)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setPen(QPen(QColor(self._palette.text)))
        draw_static(painter, self._title, self._title_font, QRectF(0, 0, 4000, 30))
        painter.setPen(QPen(QColor(self._palette.muted_text)))
        draw_static(painter, self._detail, self._detail_font, QRectF(0, 32, 4000, 22))


class TextBlockItem(QGraphicsItem):
    """A few lines of text in one role's colour: a table's title, notes under a figure."""

    def __init__(
        self,
        palette: Palette,
        lines: Sequence[str] = (),
        pixels: int = 15,
        bold: bool = False,
        role: str = "text",
        mono: bool = False,
    ) -> None:
        super().__init__()
        self._palette = palette
        self._font = font(pixels, bold=bold, mono=mono)
        self._role = role
        self._lines: list[str] = []
        self._size = (0.0, 0.0)
        self.set_lines(lines)

    def set_lines(self, lines: Sequence[str]) -> None:
        lines = list(lines)
        if lines == self._lines:
            return
        self.prepareGeometryChange()
        self._lines = lines
        metrics = QFontMetricsF(self._font)
        width = max((metrics.horizontalAdvance(line) for line in lines), default=0.0)
        self._size = (width + 4, len(lines) * metrics.lineSpacing())
        self.update()

    @property
    def lines(self) -> list[str]:
        return list(self._lines)

    def line_rect(self, index: int) -> QRectF:
        """Line ``index`` in item coordinates (what a step that changes one line follows)."""
        spacing = QFontMetricsF(self._font).lineSpacing()
        return QRectF(0, index * spacing, self._size[0], spacing)

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, 0, *self._size)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setPen(QPen(self._palette.ink(self._role)))
        spacing = QFontMetricsF(self._font).lineSpacing()
        for index, line in enumerate(self._lines):
            draw_static(painter, line, self._font, QRectF(0, index * spacing, self._size[0] + 10, spacing))


class LegendItem(QGraphicsItem):
    """A row of samples naming the roles a view uses, each drawn the way the view draws it.

    ``samples`` maps a role to how it is drawn: ``"box"`` (a filled cell, the default),
    ``"line"``, ``"dashed"`` (a dashed line, like a backpointer) or ``"glyph:←↑↖"``
    (those characters in the role's ink).
    """

    def __init__(
        self, palette: Palette, entries: Sequence[tuple[str, str]], samples: dict[str, str] | None = None
    ) -> None:
        super().__init__()
        self._palette = palette
        self._font = font(14)
        self._entries: list[tuple[str, str]] = []
        self._samples: dict[str, str] = {}
        self._sample_widths: list[float] = []
        self._entry_widths: list[float] = []
        self._tile = TileCache(budget_pixels=2_000_000)  # the legend changes with the mode, not the step
        self.set_entries(entries, samples)

    def set_entries(self, entries: Sequence[tuple[str, str]], samples: dict[str, str] | None = None) -> None:
        """Show these (role, label) entries: a view's legend follows what its mode draws."""
        if list(entries) == self._entries and (samples or {}) == self._samples:
            return
        self.prepareGeometryChange()
        self._tile.clear()
        self._entries = list(entries)
        self._samples = dict(samples or {})
        metrics = QFontMetricsF(self._font)
        self._sample_widths = [self._sample_width(role, metrics) for role, _ in self._entries]
        self._entry_widths = [
            sample + 10 + metrics.horizontalAdvance(label) + 18
            for sample, (_, label) in zip(self._sample_widths, self._entries, strict=True)
        ]
        self.update()

    @property
    def entries(self) -> list[tuple[str, str]]:
        """The (role, label) pairs shown."""
        return list(self._entries)

    def sample(self, role: str) -> str:
        """How ``role``'s sample is drawn: box, line, dashed or glyph:…."""
        return self._samples.get(role, "box")

    def _sample_width(self, role: str, metrics: QFontMetricsF) -> float:
        sample = self.sample(role)
        if sample.startswith("glyph:"):
            return max(18.0, metrics.horizontalAdvance(sample[6:]) + 4)
        return 18.0

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self._tile.clear()
        self.update()

    def _widths(self) -> list[float]:
        return self._entry_widths

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, 0, sum(self._widths()), 24)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        self._tile.draw(painter, "legend", self.boundingRect(), self._paint_entries)

    def _paint_entries(self, painter: QPainter) -> None:
        painter.setFont(self._font)
        x = 0.0
        for (role, label), width, sample in zip(
            self._entries, self._widths(), self._sample_widths, strict=True
        ):
            self._paint_sample(painter, role, QRectF(x, 4, sample, 16))
            painter.setPen(QPen(QColor(self._palette.text)))
            draw_static(painter, label, self._font, QRectF(x + sample + 8, 0, width, 24))
            x += width

    def _paint_sample(self, painter: QPainter, role: str, swatch: QRectF) -> None:
        sample = self.sample(role)
        painter.save()
        if sample in ("line", "dashed"):
            pen = QPen(self._palette.color(role), 3 if sample == "line" else 2)
            if sample == "dashed":
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(swatch.left() - 2, swatch.center().y(), swatch.right() + 2, swatch.center().y())
        elif sample.startswith("glyph:"):
            painter.setPen(QPen(self._palette.ink(role)))
            painter.drawText(swatch.adjusted(0, -2, 0, 2), Qt.AlignmentFlag.AlignCenter, sample[6:])
        else:
            fill = getattr(self._palette, f"{role}_fill", None)
            painter.setBrush(QColor(fill) if fill else Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(self._palette.color(role), 3))
            painter.drawRect(swatch)
        painter.restore()


class AlignmentItem(QGraphicsItem):
    """Source row, target row and operation row of an alignment, revealed right to left.

    ``entries`` are ``(op, source_item, target_item)``; gaps print as ``*`` as
    in SLP3, and the operation row shows d/s/i/t (blank for a match).
    """

    _OP_LETTER = {"match": "", "sub": "s", "ins": "i", "del": "d", "trans": "t"}
    _LABELS = ("source", "target", "operation")

    def __init__(self, palette: Palette) -> None:
        super().__init__()
        self._palette = palette
        self._entries: list[tuple[str, object, object]] = []
        self._revealed = 0
        self._cost_line = ""
        self._item_font = font(18, bold=True)
        self._op_font = font(17, bold=True, mono=True)
        self._label_font = font(13)
        self._cost_font = font(16)
        self._widths: list[float] = []
        self._label_width = QFontMetricsF(self._label_font).horizontalAdvance("operation") + 16
        self._text_width = QFontMetricsF(self._label_font).horizontalAdvance(_PLACEHOLDER) + 8

    def set_alignment(self, entries: Sequence[tuple[str, object, object]], cost_line: str) -> None:
        self.prepareGeometryChange()
        self._entries = list(entries)
        self._cost_line = cost_line
        metrics = QFontMetricsF(self._item_font)
        self._widths = [
            max(30.0, max(metrics.horizontalAdvance(_show(s)), metrics.horizontalAdvance(_show(t))) + 14)
            for _, s, t in self._entries
        ]
        # Everything painted lies inside boundingRect, or a line that is no longer drawn (the cost
        # line after Home) stays on screen as a stale fragment: Qt repaints only the bounds.
        self._text_width = (
            max(
                QFontMetricsF(self._cost_font).horizontalAdvance(cost_line),
                QFontMetricsF(self._label_font).horizontalAdvance(_PLACEHOLDER),
            )
            + 8
        )
        self.update()

    def set_revealed(self, count: int) -> None:
        if count != self._revealed:
            if (count == 0) != (self._revealed == 0):
                self.prepareGeometryChange()  # the one-line note and the three rows differ in height
            self._revealed = count
            self.update()

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def full_rect(self) -> QRectF:
        """The item's extent once the alignment is revealed (a scene must have room for it)."""
        width = self._label_width + max(sum(self._widths) + 4, self._text_width)
        return QRectF(0, 0, width, 3 * 32 + 34)

    def boundingRect(self) -> QRectF:  # noqa: N802
        full = self.full_rect()
        # Before the backtrace only a one-line note: no empty three-row band under the grid.
        return full if self._revealed else QRectF(0, 0, full.width(), 32)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self._palette
        row_height = 32.0
        painter.setFont(self._label_font)
        painter.setPen(QPen(QColor(p.muted_text)))
        if self._revealed == 0:
            painter.drawText(
                QRectF(0, 0, self._label_width + self._text_width, row_height),
                Qt.AlignmentFlag.AlignVCenter,
                _PLACEHOLDER,
            )
            return
        for row, label in enumerate(self._LABELS):
            painter.drawText(
                QRectF(0, row * row_height, self._label_width, row_height),
                Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        first_shown = len(self._entries) - self._revealed
        x = self._label_width
        grid_pen = QPen(QColor(p.grid), 1)
        for index, ((op, source, target), width) in enumerate(zip(self._entries, self._widths, strict=True)):
            if index >= first_shown:
                column = QRectF(x, 0, width, 3 * row_height)
                if op != "match":
                    painter.fillRect(column, QColor(p.final_path_fill))
                painter.setPen(grid_pen)
                painter.drawRect(column)
                painter.setFont(self._item_font)
                painter.setPen(QPen(QColor(p.text)))
                painter.drawText(QRectF(x, 0, width, row_height), Qt.AlignmentFlag.AlignCenter, _show(source))
                painter.drawText(
                    QRectF(x, row_height, width, row_height), Qt.AlignmentFlag.AlignCenter, _show(target)
                )
                painter.setFont(self._op_font)
                painter.setPen(QPen(QColor(p.final_path)))
                painter.drawText(
                    QRectF(x, 2 * row_height, width, row_height),
                    Qt.AlignmentFlag.AlignCenter,
                    self._OP_LETTER[op],
                )
            x += width
        if self._revealed == len(self._entries) and self._cost_line:
            painter.setFont(self._cost_font)
            painter.setPen(QPen(QColor(p.text)))
            painter.drawText(
                QRectF(self._label_width, 3 * row_height + 4, self._text_width, 28),
                Qt.AlignmentFlag.AlignVCenter,
                self._cost_line,
            )


_PLACEHOLDER = "The alignment appears during the backtrace."


def _show(item: object) -> str:
    return "*" if item is None else str(item)
