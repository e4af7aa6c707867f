"""Horizontal bar charts drawn as one graphics item (stacked segments, a label and a value per row).

Used for "how much probability mass each smoothing keeps for seen words" and
for the next-word distribution of Shannon sampling. Drawn with QPainter, not
matplotlib: it sits in the panel's scene, so it exports with everything else
and switches theme with the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from visualizer.theme import Palette
from visualizer.views.blocks import font
from visualizer.views.marks import BarRow
from visualizer.views.static_text import draw_static

__all__ = ["BarsItem", "BarRow"]

_ROW = 30.0
_TITLE = 30.0


class BarsItem(QGraphicsItem):
    """A titled chart of :class:`BarRow` rows; ``scale`` is the value that fills ``bar_width``."""

    def __init__(self, palette: Palette, title: str = "", bar_width: float = 320.0) -> None:
        super().__init__()
        self._palette = palette
        self._title = title
        self._rows: list[BarRow] = []
        self._scale = 1.0
        self._bar_width = bar_width
        self._font = font(15)
        self._bold = font(15, bold=True)
        self._title_font = font(16, bold=True)
        self._label_width = 60.0
        self._value_width = 60.0
        self._measured_title: str | None = None
        self._title_width = 0.0

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_rows(self, title: str, rows: Sequence[BarRow], scale: float = 1.0) -> None:
        self.prepareGeometryChange()
        self._title = title
        self._rows = list(rows)
        self._scale = scale if scale > 0 else 1.0
        metrics = QFontMetricsF(self._bold)
        self._label_width = max((metrics.horizontalAdvance(r.label) for r in self._rows), default=20) + 14
        self._value_width = max((metrics.horizontalAdvance(r.value_text) for r in self._rows), default=0) + 14
        self.update()

    @property
    def rows(self) -> list[BarRow]:
        return list(self._rows)

    def boundingRect(self) -> QRectF:  # noqa: N802
        if self._measured_title != self._title:  # measured once a title: Qt asks for the rect often
            self._title_width = QFontMetricsF(self._title_font).horizontalAdvance(self._title)
            self._measured_title = self._title
        width = max(self._title_width, self._label_width + self._bar_width + self._value_width) + 8
        return QRectF(-2, -2, width + 4, _TITLE + len(self._rows) * _ROW + 6)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self._palette
        painter.setFont(self._title_font)
        painter.setPen(QColor(p.text))
        painter.drawText(QPointF(0, 18), self._title)
        for index, row in enumerate(self._rows):
            top = _TITLE + index * _ROW
            painter.setPen(QColor(p.text))
            label_rect = QRectF(0, top, self._label_width - 10, _ROW - 4)
            draw_static(painter, row.label, self._bold if row.emphasised else self._font, label_rect, "right")
            x = self._label_width
            bar_top, bar_height = top + 4, _ROW - 12
            painter.fillRect(QRectF(x, bar_top, self._bar_width, bar_height), QColor(p.surface))
            for value, role in row.segments:
                width = max(0.0, min(value / self._scale, 1.0)) * self._bar_width
                if width > 0:
                    painter.fillRect(QRectF(x, bar_top, width, bar_height), p.color(role))
                x += width
            if row.emphasised:
                painter.setPen(QPen(p.color("chosen"), 3))  # the row in use, as its legend says
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(
                    QRectF(self._label_width - 3, bar_top - 3, self._bar_width + 6, bar_height + 6)
                )
            painter.setPen(QColor(p.text))
            value_rect = QRectF(self._label_width + self._bar_width + 8, top, self._value_width, _ROW - 4)
            draw_static(painter, row.value_text, self._bold if row.emphasised else self._font, value_rect)
