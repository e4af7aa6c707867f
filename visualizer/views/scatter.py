"""A labelled 2-D scatter plot and a line chart, drawn natively in the scene.

Drawn with QPainter rather than a matplotlib canvas: the plot lives in the
panel's QGraphicsScene, so it exports to PNG/SVG/PDF with everything else,
switches theme with the rest, and repaints 2,000 points in a few
milliseconds (points are batched into one ``drawPoints`` per role).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from visualizer.theme import Palette
from visualizer.views.blocks import font
from visualizer.views.grid import arrow_head
from visualizer.views.marks import ScatterArrow, ScatterMarks

__all__ = ["ScatterItem", "ScatterMarks", "ScatterArrow", "LineChartItem"]


class ScatterItem(QGraphicsObject):
    """Points in a square plot; hover names the point, a click emits its index."""

    hovered = Signal(object)  # index or None
    clicked = Signal(int)

    def __init__(
        self, palette: Palette, labels: Sequence[str], size: float = 620.0, fit_each_frame: bool = False
    ) -> None:
        """``fit_each_frame``: the axes fit each frame's points (1st to 99th percentile, a few
        outliers pinned to the frame's edge) instead of staying at :meth:`set_limits`."""
        super().__init__()
        self._fit_each_frame = fit_each_frame
        self.setAcceptHoverEvents(True)
        self._palette = palette
        self._labels = list(labels)
        self._size = size
        self._points = np.zeros((len(labels), 2))
        self._screen = np.zeros((len(labels), 2))
        self._marks = ScatterMarks()
        self._hover: int | None = None
        self._title = ""
        self._label_font = font(14)
        self._bold = font(15, bold=True)
        self._title_font = font(16, bold=True)
        self._limits = (-1.0, 1.0, -1.0, 1.0)
        self._key: object = None
        # Building 2,000 QPointF objects costs ~4 ms; scrubbing revisits frames, so keep them.
        self._point_cache: dict[object, list[QPointF]] = {}
        self._label_metrics, self._bold_metrics = QFontMetricsF(self._label_font), QFontMetricsF(self._bold)
        self._layout_key: object = None
        self._layout: list[tuple[int, QPointF, bool]] = []

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_limits(self, points: np.ndarray) -> None:
        """Fix the axes to ``points``' extent (with a margin), so an animation does not rescale."""
        low, high = points.min(axis=0), points.max(axis=0)
        span = np.maximum(high - low, 1e-9)
        low, high = low - 0.08 * span, high + 0.08 * span
        self._limits = (float(low[0]), float(high[0]), float(low[1]), float(high[1]))
        self._point_cache.clear()

    def set_points(
        self, points: np.ndarray, marks: ScatterMarks, title: str = "", key: object = None
    ) -> None:
        """Place the points; ``key`` (e.g. the snapshot number) lets repeated frames reuse their layout."""
        self._key = key
        self._points = np.asarray(points, dtype=float)
        if self._fit_each_frame and len(self._points):
            # Mid-training the cloud is a fraction of its final size, and a few frequent words
            # ("the", ",") lie far out: fitted to the bulk, the plot fills its frame at every step.
            low, high = np.percentile(self._points, [1, 99], axis=0)
            if marks.roles:  # the update's own words are never pinned to the edge
                marked = self._points[list(marks.roles)]
                low, high = np.minimum(low, marked.min(axis=0)), np.maximum(high, marked.max(axis=0))
            span = np.maximum(high - low, 1e-9)
            low, high = low - 0.12 * span, high + 0.12 * span
            self._limits = (float(low[0]), float(high[0]), float(low[1]), float(high[1]))
        x0, x1, y0, y1 = self._limits
        inner = self._size - 40
        sx = np.clip(20 + (self._points[:, 0] - x0) / (x1 - x0) * inner, 12, self._size - 12)
        sy = np.clip(40 + (1 - (self._points[:, 1] - y0) / (y1 - y0)) * inner, 32, self._size + 12)
        self._screen = np.column_stack((sx, sy))
        self._marks = marks
        self._title = title
        self.update()

    @property
    def marks(self) -> ScatterMarks:
        return self._marks

    def point_position(self, index: int) -> QPointF:
        """Item coordinates of a point (for tests and callouts)."""
        return QPointF(*self._screen[index])

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(-2, -2, self._size + 120, self._size + 24)

    def _index_at(self, point: QPointF) -> int | None:
        if not len(self._screen):
            return None
        distances = np.hypot(self._screen[:, 0] - point.x(), self._screen[:, 1] - point.y())
        best = int(np.argmin(distances))
        return best if distances[best] <= 8 else None

    def hoverMoveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802
        index = self._index_at(event.pos())
        if index != self._hover:
            self._hover = index
            self.setToolTip(self._labels[index] if index is not None else "")
            self.hovered.emit(index)
            self.update()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        index = self._index_at(event.pos())
        if index is None:
            event.ignore()
            return
        self.clicked.emit(index)
        event.accept()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        frame = QRectF(0, 20, self._size, self._size)
        painter.fillRect(frame, QColor(p.background))
        painter.setPen(QPen(QColor(p.grid), 1))
        painter.drawRect(frame)
        painter.setFont(self._title_font)
        painter.setPen(QColor(p.text))
        painter.drawText(QPointF(0, 12), self._title)
        roles = self._marks.roles
        every = self._point_cache.get(self._key) if self._key is not None else None
        if every is None:
            every = [QPointF(x, y) for x, y in self._screen]
            if self._key is not None:
                if len(self._point_cache) > 400:
                    self._point_cache.clear()
                self._point_cache[self._key] = every
        # The muted points are drawn without antialiasing: 5-px squares, four times cheaper than discs.
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(QColor(p.muted), 5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.SquareCap))
        painter.drawPoints(every)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for arrow in self._marks.arrows:
            start, end = QPointF(*self._screen[arrow.start]), QPointF(*self._screen[arrow.end])
            if QLineF(start, end).length() < 12:
                continue
            colour = p.color(arrow.role)
            pen = QPen(colour, 2.2, Qt.PenStyle.DashLine if arrow.dashed else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            line = QLineF(start, end)
            line.setLength(line.length() - 8)
            painter.drawLine(line)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPolygon(QPolygonF(arrow_head(line.p1(), line.p2(), 10)))
        by_role: dict[str, list[QPointF]] = {}
        for index, role in roles.items():
            by_role.setdefault(role, []).append(QPointF(*self._screen[index]))
        for role, points in by_role.items():
            painter.setPen(QPen(p.color(role), 11, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawPoints(points)
        for index, corner, emphasised in self._label_layout(frame):
            painter.setFont(self._bold if emphasised else self._label_font)
            painter.setPen(QColor(p.text if emphasised else p.muted_text))
            painter.drawText(corner, self._labels[index])

    #: Where a label may go around its point (offsets of its baseline start), in order of preference.
    _LABEL_SPOTS = ((8, -6), (8, 16), (-8, -6), (-8, 16), (0, -12), (0, 24))
    #: Further out, for a marked point's label when every near spot is taken (a crowd of negatives):
    #: rings of 12 directions, 24 to 96 px away.
    _FAR_SPOTS = tuple(
        (round(r * math.cos(a * math.pi / 6)), round(r * math.sin(a * math.pi / 6)))
        for r in (24, 40, 60, 96)
        for a in range(12)
    )

    def _label_layout(self, frame: QRectF) -> list[tuple[int, QPointF, bool]]:
        """Labels placed so none overlaps another: the marked points' first, then the rest.

        Each label tries spots around its point in turn; a marked point's label is always
        drawn (at its first spot if none is free), another that finds no free spot is left
        out rather than printed over a neighbour.
        """
        roles = self._marks.roles
        key = (self._key, tuple(sorted(roles.items())), self._hover, id(self._screen))
        if self._layout_key == key:
            return self._layout
        emphasised = set(roles) | ({self._hover} if self._hover is not None else set())
        order = sorted(emphasised) + sorted(set(self._marks.labelled) - emphasised)
        placed: list[QRectF] = [
            QRectF(x - 6, y - 6, 12, 12) for x, y in (self._screen[i] for i in emphasised)
        ]
        layout: list[tuple[int, QPointF, bool]] = []
        for index in order:
            strong = index in emphasised
            metrics = self._bold_metrics if strong else self._label_metrics
            width, height = metrics.horizontalAdvance(self._labels[index]), metrics.ascent()
            x, y = self._screen[index]
            chosen = None
            for dx, dy in self._LABEL_SPOTS + (self._FAR_SPOTS if strong else ()):
                left = x + dx if dx >= 0 else x + dx - width
                if dx == 0:
                    left = x - width / 2
                rect = QRectF(left, y + dy - height, width, height + 2)
                if frame.contains(rect) and not any(rect.intersects(other) for other in placed):
                    chosen = rect
                    break
            if chosen is None and strong:
                chosen = QRectF(x + 8, y - 6 - height, width, height + 2)
            if chosen is not None:
                placed.append(chosen)
                layout.append((index, QPointF(chosen.left(), chosen.bottom() - 2), strong))
        self._layout_key, self._layout = key, layout
        return layout


class LineChartItem(QGraphicsItem):
    """A titled polyline of values (a loss curve) drawn up to a marker at the current position.

    Only the values up to the marker are drawn and scaled to (no marker: none), so a
    scrubbed-back view never shows where training is going.
    """

    def __init__(self, palette: Palette, width: float = 420.0, height: float = 220.0) -> None:
        super().__init__()
        self._palette = palette
        self._width, self._height = width, height
        self._values = np.zeros(0)
        self._marker: int | None = None
        self._title = ""
        self._font = font(13)
        self._title_font = font(16, bold=True)
        self._axes = ("update", "loss")
        self._second = np.zeros(0)  # a second series on the same axes (a held-out loss), drawn dashed
        self._second_label = ""
        self._best: int | None = None

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_second(self, values: Sequence[float], label: str, best: int | None = None) -> None:
        """A second series (same length, same chunking) drawn dashed, and a position to mark on it."""
        values = np.asarray(values, dtype=float)
        if len(values) > 200:
            values = np.array([c.mean() for c in np.array_split(values, 200)])
        self._second, self._second_label = values, label
        self._best = None if best is None else int(best / self._chunk)
        self.update()

    def set_axes(self, x_label: str, y_label: str) -> None:
        """Name the axes (what a point is, what is measured)."""
        self._axes = (x_label, y_label)
        self.update()

    def set_values(self, values: Sequence[float], title: str) -> None:
        values = np.asarray(values, dtype=float)
        # Thousands of updates: show at most 200 points (means of equal chunks), enough for the shape.
        if len(values) > 200:
            chunks = np.array_split(values, 200)
            self._chunk = len(values) / 200
            values = np.array([c.mean() for c in chunks])
        else:
            self._chunk = 1.0
        self._values = values
        self._title = title
        self.update()

    def set_marker(self, position: int | None) -> None:
        """Mark the value at ``position`` in the original (unchunked) series."""
        self._marker = None if position is None else int(position / self._chunk)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(-4, -4, self._width + 70, self._height + 66)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._title_font)
        painter.setPen(QColor(p.text))
        painter.drawText(QPointF(0, 14), self._title)
        frame = QRectF(50, 28, self._width, self._height - 10)
        painter.setPen(QPen(QColor(p.grid), 1))
        painter.drawRect(frame)
        # Axis names, drawn even before the first value: the frame says what it will show.
        painter.setFont(self._font)
        painter.setPen(QColor(p.muted_text))
        total = (
            f"{self._axes[0]} (1 to {round(len(self._values) * self._chunk):,})" if len(self._values) else ""
        )
        painter.drawText(
            QRectF(frame.left(), frame.bottom() + 4, frame.width(), 20), Qt.AlignmentFlag.AlignCenter, total
        )
        painter.save()
        painter.translate(frame.left() - 38, frame.center().y())
        painter.rotate(-90)
        painter.drawText(QRectF(-60, -10, 120, 20), Qt.AlignmentFlag.AlignCenter, self._axes[1])
        painter.restore()
        shown = self._values[: self._marker + 1] if self._marker is not None else self._values[:0]
        second = self._second[: len(shown)]
        finite = np.concatenate([shown[np.isfinite(shown)], second[np.isfinite(second)]])
        if finite.size < 2:
            return
        low, high = float(finite.min()), float(finite.max())
        span = high - low or 1.0
        painter.setFont(self._font)
        painter.setPen(QColor(p.muted_text))
        metrics = QFontMetricsF(self._font)
        # Enough decimals that the two ends differ (early in training they are close: 4.163 / 4.158).
        decimals = next((d for d in range(2, 7) if f"{high:.{d}f}" != f"{low:.{d}f}"), 2)
        for value, y in ((high, frame.top()), (low, frame.bottom())):
            text = f"{value:.{decimals}f}"
            painter.drawText(QPointF(frame.left() - metrics.horizontalAdvance(text) - 6, y + 4), text)
        n = len(self._values)  # the x axis spans the whole run; the curve stops at the marker
        xs = frame.left() + np.arange(len(shown)) / max(n - 1, 1) * frame.width()
        ys = frame.bottom() - (shown - low) / span * frame.height()
        points = [QPointF(x, y) for x, y in zip(xs, ys, strict=True) if np.isfinite(y)]
        painter.setPen(QPen(p.color("chosen"), 2))
        painter.drawPolyline(QPolygonF(points))
        if len(second):
            self._paint_second(painter, frame, second, low, span, n)
        if self._marker is not None and 0 <= self._marker < len(shown) and np.isfinite(ys[self._marker]):
            painter.setPen(QPen(p.color("current"), 12, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            painter.drawPoint(QPointF(xs[self._marker], ys[self._marker]))

    def _paint_second(
        self, painter: QPainter, frame: QRectF, second: np.ndarray, low: float, span: float, n: int
    ) -> None:
        """The second series dashed, its name at the top right, and its minimum so far marked."""
        p = self._palette
        xs = frame.left() + np.arange(len(second)) / max(n - 1, 1) * frame.width()
        ys = frame.bottom() - (second - low) / span * frame.height()
        points = [QPointF(x, y) for x, y in zip(xs, ys, strict=True) if np.isfinite(y)]
        painter.setPen(QPen(p.color("backpointer"), 2, Qt.PenStyle.DashLine))
        painter.drawPolyline(QPolygonF(points))
        painter.setFont(self._font)
        painter.setPen(p.ink("backpointer"))
        metrics = QFontMetricsF(self._font)
        label = f"- - {self._second_label}" + ("   ┆ its lowest" if self._best is not None else "")
        painter.drawText(
            QPointF(frame.right() - metrics.horizontalAdvance(label) - 6, frame.top() + 16), label
        )
        if self._best is not None and self._best < len(second):  # where early stopping would stop
            x = xs[self._best]
            painter.setPen(QPen(p.color("final_path"), 1.5, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, frame.top()), QPointF(x, frame.bottom()))
