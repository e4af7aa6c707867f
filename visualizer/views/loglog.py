"""A log-log plot of vocabulary growth (Heaps' law), drawn natively in the scene.

A reference corpus's growth (|V| at sizes N, as dots), its fitted power law |V| = k·N^β
(a straight dashed line on log-log axes) and the bound |V| = N (every token new) are
fixed; the user's text is a second curve drawn only up to the current step, ending in
the current point. On log axes a paragraph and a treebank fit in one frame, which is
the point: the paragraph sits at the start of the same law.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from visualizer.theme import Palette
from visualizer.views.blocks import font

__all__ = ["HeapsPlotItem"]

_MARGIN_LEFT, _MARGIN_TOP, _MARGIN_BOTTOM = 64.0, 34.0, 46.0


def _tick_label(value: float) -> str:
    return f"{value:,.0f}" if value < 1000 else f"{value / 1000:,.0f}k"


class HeapsPlotItem(QGraphicsItem):
    """|V| against N on log-log axes: a reference corpus, its fit, and the text being read."""

    def __init__(self, palette: Palette, width: float = 440.0, height: float = 330.0) -> None:
        super().__init__()
        self._palette = palette
        self._width, self._height = width, height
        self._reference: tuple[tuple[int, int], ...] = ()
        self._fit = (1.0, 1.0)
        self._reference_name = ""
        self._series: list[tuple[int, int]] = []
        self._shown = 0
        self._font = font(13)
        self._title_font = font(16, bold=True)
        self._top = 10.0

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_reference(self, curve: Sequence[tuple[int, int]], k: float, beta: float, name: str) -> None:
        """The fixed corpus curve, its fit |V| = k·N^β, and what to call it in the legend."""
        self._reference, self._fit, self._reference_name = tuple(curve), (k, beta), name
        self._rescale()

    def set_series(self, points: Sequence[tuple[int, int]]) -> None:
        """The user's text: (N, |V|) after each token, of which :meth:`show_first` draws a prefix."""
        self._series = list(points)
        self._rescale()

    def show_first(self, count: int) -> None:
        """Draw the first ``count`` points of the series (none before the first token)."""
        self._shown = max(0, min(count, len(self._series)))
        self.update()

    def _rescale(self) -> None:
        # The axes span the whole series and reference from the start, so they never jump as
        # the player moves.
        largest = max([n for n, _ in self._reference] + [n for n, _ in self._series] + [10])
        self._top = 10.0 ** math.ceil(math.log10(largest))
        self.update()

    def _frame(self) -> QRectF:
        return QRectF(_MARGIN_LEFT, _MARGIN_TOP, self._width, self._height - _MARGIN_TOP - _MARGIN_BOTTOM)

    def _to_scene(self, frame: QRectF, n: float, v: float) -> QPointF:
        span = math.log10(self._top)
        x = frame.left() + math.log10(max(n, 1.0)) / span * frame.width()
        y = frame.bottom() - math.log10(max(v, 1.0)) / span * frame.height()
        return QPointF(x, y)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(-4, -4, self._width + _MARGIN_LEFT + 12, self._height + 8)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._title_font)
        painter.setPen(QColor(p.text))
        painter.drawText(QPointF(0, 16), "Heaps' law: types |V| against tokens N")
        frame = self._frame()
        self._draw_axes(painter, frame)
        k, beta = self._fit
        # |V| = N: no text can have more types than tokens.
        painter.setPen(QPen(QColor(p.grid), 1.5, Qt.PenStyle.DotLine))
        painter.drawLine(self._to_scene(frame, 1, 1), self._to_scene(frame, self._top, self._top))
        if self._reference:
            painter.setPen(QPen(QColor(p.muted_text), 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(
                self._to_scene(frame, 1, k), self._to_scene(frame, self._top, k * self._top**beta)
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(p.muted_text))
            for n, v in self._reference:
                painter.drawEllipse(self._to_scene(frame, n, v), 3.0, 3.0)
        shown = self._series[: self._shown]
        if shown:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(p.color("chosen"), 2.5))
            painter.drawPolyline(QPolygonF([self._to_scene(frame, n, v) for n, v in shown]))
            painter.setPen(QPen(p.color("current"), 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawPoint(self._to_scene(frame, *shown[-1]))
        self._draw_legend(painter, frame, shown[-1] if shown else None)

    def _draw_axes(self, painter: QPainter, frame: QRectF) -> None:
        p = self._palette
        painter.setPen(QPen(QColor(p.grid), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(frame)
        painter.setFont(self._font)
        metrics = QFontMetricsF(self._font)
        decade = 1.0
        while decade <= self._top:
            x_point = self._to_scene(frame, decade, 1)
            y_point = self._to_scene(frame, 1, decade)
            painter.setPen(QPen(QColor(p.grid), 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x_point.x(), frame.top()), QPointF(x_point.x(), frame.bottom()))
            painter.drawLine(QPointF(frame.left(), y_point.y()), QPointF(frame.right(), y_point.y()))
            painter.setPen(QColor(p.muted_text))
            label = _tick_label(decade)
            width = metrics.horizontalAdvance(label)
            painter.drawText(QPointF(x_point.x() - width / 2, frame.bottom() + 16), label)
            painter.drawText(QPointF(frame.left() - width - 6, y_point.y() + 5), label)
            decade *= 10
        painter.drawText(
            QRectF(frame.left(), frame.bottom() + 22, frame.width(), 20),
            Qt.AlignmentFlag.AlignCenter,
            "tokens N (log scale)",
        )
        painter.save()
        painter.translate(frame.left() - 50, frame.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-90, -10, 180, 20), Qt.AlignmentFlag.AlignCenter, "types |V| (log scale)")
        painter.restore()

    def _draw_legend(self, painter: QPainter, frame: QRectF, current: tuple[int, int] | None) -> None:
        p = self._palette
        k, beta = self._fit
        rows: list[tuple[QColor, Qt.PenStyle, str, bool]] = []
        if current is not None:
            rows.append(
                (
                    p.color("chosen"),
                    Qt.PenStyle.SolidLine,
                    f"this text: N = {current[0]}, |V| = {current[1]}",
                    False,
                )
            )
        else:
            rows.append((p.color("chosen"), Qt.PenStyle.SolidLine, "this text (from its first token)", False))
        if self._reference:
            rows.append((QColor(p.muted_text), Qt.PenStyle.NoPen, self._reference_name, True))
            rows.append(
                (QColor(p.muted_text), Qt.PenStyle.DashLine, f"fit |V| = {k:.2f}·N^{beta:.2f}", False)
            )
        rows.append((QColor(p.grid), Qt.PenStyle.DotLine, "|V| = N (every token new)", False))
        painter.setFont(self._font)
        metrics = QFontMetricsF(self._font)
        width = max(metrics.horizontalAdvance(text) for *_, text, _ in rows) + 44
        box = QRectF(frame.left() + 8, frame.top() + 8, width, 20 * len(rows) + 8)
        background = QColor(p.background)
        background.setAlpha(230)
        painter.setPen(QPen(QColor(p.grid), 1))
        painter.setBrush(background)
        painter.drawRect(box)
        for index, (colour, style, text, dot) in enumerate(rows):
            y = box.top() + 14 + 20 * index
            if dot:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawEllipse(QPointF(box.left() + 18, y), 3.0, 3.0)
            else:
                painter.setPen(QPen(colour, 2.5 if style == Qt.PenStyle.SolidLine else 1.5, style))
                painter.drawLine(QPointF(box.left() + 6, y), QPointF(box.left() + 30, y))
            painter.setPen(QColor(p.text))
            painter.drawText(QPointF(box.left() + 38, y + 5), text)
