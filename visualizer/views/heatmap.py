"""A confusion matrix drawn as a heatmap: one small square a cell, darker for larger counts.

A 27 × 27 matrix of counts written as numbers would be 1,500 px wide and unreadable at a
glance; as shades it fits beside the candidates table, and the one cell the step uses is
outlined, with its count written beside the title. Shades follow ln(1 + count), so the
common slips (``ie`` for ``ei``) do not wash out every other cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from visualizer.theme import Palette
from visualizer.views.blocks import font
from visualizer.views.static_text import draw_static
from visualizer.views.tile_cache import TileCache

__all__ = ["HeatmapItem"]

_CELL = 22.0
_HEADER = 26.0
_TITLE = 52.0


class HeatmapItem(QGraphicsItem):
    """Rows and columns of letters, shaded by count; ``set_lit`` outlines the cell in use."""

    def __init__(self, rows: Sequence[str], columns: Sequence[str], palette: Palette) -> None:
        super().__init__()
        self._rows, self._columns = list(rows), list(columns)
        self._palette = palette
        self._values = np.zeros((len(rows), len(columns)))
        self._title = ""
        self._note = ""
        self._lit: tuple[int, int] | None = None
        self._axis_font = font(13, bold=True)
        self._title_font = font(16, bold=True)
        self._note_font = font(14)
        self._tiles = TileCache(budget_pixels=4_000_000)

    def set_values(self, values: np.ndarray, title: str) -> None:
        """Show ``values`` (rows × columns) under ``title``."""
        if values.shape != self._values.shape or not np.array_equal(values, self._values):
            self._values = np.array(values, dtype=float)
            self._tiles.clear()
        self._title = title
        self.update()

    def set_lit(self, cell: tuple[int, int] | None, note: str) -> None:
        """Outline ``cell`` (or none) and write ``note`` (its count, say) under the title."""
        self._lit, self._note = cell, note
        self.update()

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self._tiles.clear()
        self.update()

    def cell_rect(self, cell: tuple[int, int]) -> QRectF:
        i, j = cell
        return QRectF(_HEADER + j * _CELL, _TITLE + _HEADER + i * _CELL, _CELL, _CELL)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt name)
        return QRectF(
            0, 0, _HEADER + len(self._columns) * _CELL + 4, _TITLE + _HEADER + len(self._rows) * _CELL + 4
        )

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self._palette
        painter.setPen(QColor(p.text))
        draw_static(painter, self._title, self._title_font, QRectF(0, 0, 2000, 24))
        painter.setPen(QColor(p.muted_text))
        draw_static(painter, self._note, self._note_font, QRectF(0, 24, 2000, 22))
        body = QRectF(0, _TITLE, self.boundingRect().width(), self.boundingRect().height() - _TITLE)
        self._tiles.draw(painter, "body", body, self._paint_body)
        if self._lit is not None:
            painter.setPen(QPen(p.color("current"), 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.cell_rect(self._lit).adjusted(-1, -1, 1, 1))

    def _paint_body(self, painter: QPainter) -> None:
        p = self._palette
        painter.setPen(QColor(p.text))
        for j, label in enumerate(self._columns):
            draw_static(
                painter, label, self._axis_font, QRectF(_HEADER + j * _CELL, _TITLE, _CELL, _HEADER), "centre"
            )
        for i, label in enumerate(self._rows):
            draw_static(
                painter,
                label,
                self._axis_font,
                QRectF(0, _TITLE + _HEADER + i * _CELL, _HEADER, _CELL),
                "centre",
            )
        largest = math.log1p(float(self._values.max())) if self._values.size else 0.0
        hue = p.color("candidate")
        for (i, j), value in np.ndenumerate(self._values):
            rect = self.cell_rect((i, j))
            painter.fillRect(rect, QColor(p.background))
            if value > 0 and largest > 0:
                shade = QColor(hue)
                shade.setAlphaF(0.12 + 0.88 * math.log1p(value) / largest)
                painter.fillRect(rect, shade)
        painter.setPen(QPen(QColor(p.grid), 1))
        top_left = QPointF(_HEADER, _TITLE + _HEADER)
        painter.drawRect(
            QRectF(top_left, self.cell_rect((len(self._rows) - 1, len(self._columns) - 1)).bottomRight())
        )
