"""Nodes and edges (a network or a computation graph) and the input plane, drawn natively.

:class:`NodeLinkItem` draws a :class:`~visualizer.marks.neural.NodeLinkFigure`: boxes with a
name and lines of numbers, edges whose width follows |weight| and whose dash says the sign
(solid blue positive, dashed purple negative, as printed slides need it without colour), the
edges the step uses in the current colour. A click on an edge emits its key (the panel edits
that weight). :class:`PlaneItem` draws a :class:`~visualizer.marks.neural.PlaneFigure`: the
decision surface as a tinted image, the points (class 1 filled discs, class 0 hollow squares),
the perceptron's line with its weight vector, and a click emits the plane coordinates.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QImage, QPainter, QPen
from PySide6.QtWidgets import QGraphicsObject, QGraphicsSceneMouseEvent, QStyleOptionGraphicsItem, QWidget

from visualizer.marks.neural import NodeLinkFigure, PlaneFigure
from visualizer.theme import Palette
from visualizer.views.blocks import font
from visualizer.views.grid import arrow_head

__all__ = ["NodeLinkItem", "PlaneItem"]

_PAD = 10.0


class NodeLinkItem(QGraphicsObject):
    """Boxes joined by weighted edges; ``edge_clicked`` carries the edge's key."""

    edge_clicked = Signal(object)

    def __init__(self, palette: Palette) -> None:
        super().__init__()
        self._palette = palette
        self._figure = NodeLinkFigure()
        self._title_font, self._font, self._label_font = font(17, bold=True), font(14), font(13)
        self._word_font = font(17)
        self._word_font.setItalic(True)
        self._boxes: dict[object, QRectF] = {}
        self._scale = 1.0

    @property
    def figure(self) -> NodeLinkFigure:
        return self._figure

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_figure(self, figure: NodeLinkFigure) -> None:
        old = self.boundingRect()
        self._figure = figure
        self._boxes = {node.key: self._box(node.x, node.y, node.title, node.lines) for node in figure.nodes}
        weights = [abs(e.weight) for e in figure.edges if e.weight is not None]
        self._scale = max(weights, default=1.0) or 1.0
        if self.boundingRect() != old:
            self.prepareGeometryChange()
        self.update()

    def node_rect(self, key: object) -> QRectF:
        """A node's box in item coordinates."""
        return QRectF(self._boxes[key])

    def _box(self, x: float, y: float, title: str, lines: tuple[str, ...]) -> QRectF:
        title_metrics, metrics = QFontMetricsF(self._title_font), QFontMetricsF(self._font)
        width = max([title_metrics.horizontalAdvance(title)] + [metrics.horizontalAdvance(t) for t in lines])
        width = max(width + 2 * _PAD, 96.0)
        height = title_metrics.height() + len(lines) * metrics.height() + 2 * _PAD
        return QRectF(x - width / 2, y - height / 2, width, height)

    def boundingRect(self) -> QRectF:  # noqa: N802
        rect = QRectF()
        for box in self._boxes.values():
            rect = rect.united(box)
        return rect.adjusted(-8, -8, 8, 8)

    def _edge_line(self, source: object, target: object) -> QLineF:
        a, b = self._boxes[source], self._boxes[target]
        if self._figure.vertical:  # a tree: from the parent's bottom to the child's top
            return QLineF(QPointF(a.center().x(), a.bottom()), QPointF(b.center().x(), b.top()))
        return QLineF(QPointF(a.right(), a.center().y()), QPointF(b.left(), b.center().y()))

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        point = event.pos()
        best, distance = None, 9.0
        for edge in self._figure.edges:
            line = self._edge_line(edge.source, edge.target)
            d = _distance(point, line)
            if d < distance:
                best, distance = edge.key, d
        if best is None:
            event.ignore()
            return
        self.edge_clicked.emit(best)
        event.accept()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        labels: list[tuple[QPointF, str, str]] = []
        # Edges are drawn in batches of one pen (role, width in half pixels, dash): a 2-8-8-1 net
        # has 100 edges, and one drawLines call per pen keeps a step's repaint cheap.
        # Current edges last, so they are drawn over the others.
        batches: dict[tuple[bool, str, float, bool], list[QLineF]] = {}
        for edge in self._figure.edges:
            line = self._edge_line(edge.source, edge.target)
            width = 2.0 if edge.weight is None else 1.0 + 6.0 * min(abs(edge.weight) / self._scale, 1.0)
            if edge.role == "current":
                width = max(width, 3.0)
            dashed = edge.weight is not None and edge.weight < 0
            key = (edge.role == "current", edge.role, round(width * 2) / 2, dashed)
            batches.setdefault(key, []).append(line)
            if edge.label:
                labels.append((line.pointAt(0.28), edge.label, edge.role))
        for (_, role, width, dashed), lines in sorted(batches.items()):
            colour = p.color("grid" if role == "muted" else role)
            pen = QPen(colour, width, Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawLines(lines)
        for edge in self._figure.edges:
            if edge.weight is None:  # a computation graph: arrows show the direction of the forward pass
                line = self._edge_line(edge.source, edge.target)
                painter.setBrush(p.color("grid" if edge.role == "muted" else edge.role))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.drawPolygon(arrow_head(line.p1(), line.p2(), 10.0))
        painter.setFont(self._label_font)
        metrics = QFontMetricsF(self._label_font)
        for point, text, role in labels:
            rect = QRectF(0, 0, metrics.horizontalAdvance(text) + 8, metrics.height() + 2)
            rect.moveCenter(point)
            painter.setPen(QPen(p.color("current" if role == "current" else "grid"), 1))
            painter.setBrush(QColor(p.surface))
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(p.ink("current") if role == "current" else QColor(p.text))
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        for node in self._figure.nodes:
            self._paint_node(painter, node.key, node.title, node.lines, node.role, node.word)

    def _paint_node(
        self, painter: QPainter, key: object, title: str, lines: tuple[str, ...], role: str, word: bool
    ) -> None:
        p = self._palette
        box = self._boxes[key]
        if word and role not in ("current", "candidate"):  # a word of the sentence: text, no box
            painter.setPen(QColor(p.text if role else p.muted_text))
            painter.setFont(self._word_font)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, title)
            return
        fill = {"current": p.current_fill, "candidate": p.candidate_fill, "done": p.surface}.get(
            role, p.background
        )
        border = {"current": p.current, "candidate": p.candidate}.get(role, p.grid)
        painter.setPen(QPen(QColor(border), 3.0 if role in ("current", "candidate") else 1.5))
        painter.setBrush(QBrush(QColor(fill)))
        painter.drawRoundedRect(box, 10, 10)
        ink = QColor(p.text if role else p.muted_text)
        painter.setPen(ink)
        painter.setFont(self._title_font)
        title_height = QFontMetricsF(self._title_font).height()
        top = box.top() + _PAD
        painter.drawText(
            QRectF(box.left(), top, box.width(), title_height), Qt.AlignmentFlag.AlignCenter, title
        )
        painter.setFont(self._font)
        height = QFontMetricsF(self._font).height()
        for index, line in enumerate(lines):
            row = QRectF(box.left(), top + title_height + index * height, box.width(), height)
            painter.drawText(row, Qt.AlignmentFlag.AlignCenter, line)


def _distance(point: QPointF, line: QLineF) -> float:
    dx, dy = line.dx(), line.dy()
    length = dx * dx + dy * dy
    if length == 0:
        return math.hypot(point.x() - line.x1(), point.y() - line.y1())
    t = max(0.0, min(1.0, ((point.x() - line.x1()) * dx + (point.y() - line.y1()) * dy) / length))
    return math.hypot(point.x() - (line.x1() + t * dx), point.y() - (line.y1() + t * dy))


class PlaneItem(QGraphicsObject):
    """The input plane; ``clicked`` carries (x1, x2, shift held) in the data's coordinates."""

    clicked = Signal(float, float, bool)

    def __init__(self, palette: Palette, size: float = 420.0) -> None:
        super().__init__()
        self._palette = palette
        self._size = size
        self._figure = PlaneFigure((0.0, 1.0, 0.0, 1.0))
        self._image: QImage | None = None
        self._font, self._title_font = font(13), font(16, bold=True)

    @property
    def figure(self) -> PlaneFigure:
        return self._figure

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.set_figure(self._figure)

    def set_figure(self, figure: PlaneFigure) -> None:
        self.prepareGeometryChange()  # the title's width can change the bounds
        self._figure = figure
        self._image = self._surface_image(figure.surface) if figure.surface is not None else None
        self.update()

    def _frame(self) -> QRectF:
        return QRectF(44, 30, self._size, self._size)

    def _surface_image(self, surface: np.ndarray) -> QImage:
        """P(class 1) blended from the class-0 tint to the class-1 tint, rows flipped (y grows up).

        Drawn scaled without smoothing (nearest cell), so an export drawn in bands, each clipped,
        paints every pixel from the same cell as one drawn whole.
        """
        zero = np.array(QColor(self._palette.backpointer).getRgb()[:3], dtype=float)
        one = np.array(QColor(self._palette.chosen).getRgb()[:3], dtype=float)
        back = np.array(QColor(self._palette.background).getRgb()[:3], dtype=float)
        p = np.clip(surface[::-1], 0, 1)[..., None]
        strength = np.abs(p - 0.5) * 2 * 0.45  # pale: the points must stay readable on top
        colour = np.where(p >= 0.5, one, zero)
        rgb = (back * (1 - strength) + colour * strength).astype(np.uint8)
        rgba = np.ascontiguousarray(np.dstack([rgb, np.full(rgb.shape[:2], 255, np.uint8)]))
        height, width = rgba.shape[:2]
        return QImage(rgba.tobytes(), width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()

    def to_screen(self, x: float, y: float) -> QPointF:
        x0, x1, y0, y1 = self._figure.bounds
        frame = self._frame()
        return QPointF(
            frame.left() + (x - x0) / (x1 - x0) * frame.width(),
            frame.bottom() - (y - y0) / (y1 - y0) * frame.height(),
        )

    def boundingRect(self) -> QRectF:  # noqa: N802
        title = QFontMetricsF(self._title_font).horizontalAdvance(self._figure.title) + 8
        return QRectF(-4, -4, max(self._size + 60, title), self._size + 90)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802
        frame = self._frame()
        if not frame.contains(event.pos()):
            event.ignore()
            return
        x0, x1, y0, y1 = self._figure.bounds
        x = x0 + (event.pos().x() - frame.left()) / frame.width() * (x1 - x0)
        y = y0 + (frame.bottom() - event.pos().y()) / frame.height() * (y1 - y0)
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self.clicked.emit(round(x, 2), round(y, 2), shift or event.button() == Qt.MouseButton.RightButton)
        event.accept()

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p, figure, frame = self._palette, self._figure, self._frame()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(self._title_font)
        painter.setPen(QColor(p.text))
        painter.drawText(QPointF(0, 16), figure.title)
        if self._image is not None:
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.drawImage(frame, self._image)
            painter.restore()
        painter.setPen(QPen(QColor(p.grid), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(frame)
        self._paint_axes(painter, frame)
        if figure.line is not None:
            self._paint_line(painter, frame, *figure.line)
        self._paint_points(painter)

    def _paint_points(self, painter: QPainter) -> None:
        """Every point in a few batched calls (hundreds of points repaint on every step).

        Wide round (class 1) or square (class 0) pen caps draw each point: first a halo in
        its role's colour (current, wrong), then the outline, then the fill.
        """
        p = self._palette
        count = len(self._figure.points)
        radius = 9.0 if count <= 40 else 6.0 if count <= 120 else 4.0  # a cloud must not become a blob
        batches: dict[tuple[str, int], list[QPointF]] = {}
        for x, y, label, role in self._figure.points:
            at = self.to_screen(x, y)
            batches.setdefault(("shape", label), []).append(at)
            if role:
                batches.setdefault((role, label), []).append(at)
        for (role, _label), points in batches.items():
            if role != "shape":
                self._points_with(
                    painter, points, p.color(role), 2 * radius + max(radius, 6) * 1.6, round_cap=True
                )
        for label, fill in ((1, QColor(p.chosen)), (0, QColor(p.background))):
            points = batches.get(("shape", label), [])
            if points:
                self._points_with(painter, points, QColor(p.text), 2 * radius + 4, round_cap=label == 1)
                self._points_with(painter, points, fill, 2 * radius, round_cap=label == 1)

    @staticmethod
    def _points_with(
        painter: QPainter, points: list[QPointF], colour: QColor, width: float, round_cap: bool
    ) -> None:
        pen = QPen(colour, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap if round_cap else Qt.PenCapStyle.SquareCap)
        painter.setPen(pen)
        painter.drawPoints(points)

    def _paint_axes(self, painter: QPainter, frame: QRectF) -> None:
        x0, x1, y0, y1 = self._figure.bounds
        painter.setFont(self._font)
        painter.setPen(QColor(self._palette.muted_text))
        for value in range(math.ceil(x0), math.floor(x1) + 1):
            point = self.to_screen(value, y0)
            painter.drawText(
                QRectF(point.x() - 20, frame.bottom() + 2, 40, 18), Qt.AlignmentFlag.AlignCenter, str(value)
            )
        for value in range(math.ceil(y0), math.floor(y1) + 1):
            point = self.to_screen(x0, value)
            painter.drawText(
                QRectF(frame.left() - 40, point.y() - 9, 34, 18), Qt.AlignmentFlag.AlignRight, str(value)
            )
        painter.drawText(
            QRectF(frame.left(), frame.bottom() + 20, frame.width(), 18), Qt.AlignmentFlag.AlignCenter, "x₁"
        )
        painter.drawText(QRectF(0, frame.top() - 2, 20, 18), Qt.AlignmentFlag.AlignLeft, "x₂")
        # The key to the point shapes, under the plane: the shapes carry the class without colour.
        key_y = frame.bottom() + 44
        self._paint_point(painter, QPointF(frame.left() + 10, key_y), 1, "")
        painter.setPen(QColor(self._palette.text))
        painter.drawText(QPointF(frame.left() + 26, key_y + 5), "class 1")
        self._paint_point(painter, QPointF(frame.left() + 110, key_y), 0, "")
        painter.setPen(QColor(self._palette.text))
        painter.drawText(QPointF(frame.left() + 126, key_y + 5), "class 0")

    def _paint_line(self, painter: QPainter, frame: QRectF, w1: float, w2: float, b: float) -> None:
        """w·x + b = 0 clipped to the frame, and w drawn from the line's point nearest the origin."""
        x0, x1, y0, y1 = self._figure.bounds
        ends: list[QPointF] = []
        if abs(w2) > 1e-12:
            for x in (x0, x1):
                ends.append(self.to_screen(x, -(w1 * x + b) / w2))
        else:
            for y in (y0, y1):
                ends.append(self.to_screen(-b / w1, y))
        painter.save()
        painter.setClipRect(frame)
        painter.setPen(QPen(self._palette.color("final_path"), 3))
        painter.drawLine(QLineF(ends[0], ends[1]))
        norm = w1 * w1 + w2 * w2
        # w starts on the line at the point nearest the plane's centre, so it is never off the frame.
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        off = (w1 * cx + w2 * cy + b) / norm
        foot = (cx - off * w1, cy - off * w2)
        length = 0.18 * (x1 - x0) / math.sqrt(norm)
        start = self.to_screen(*foot)
        tip = self.to_screen(foot[0] + w1 * length, foot[1] + w2 * length)
        colour = self._palette.color("current")
        painter.setPen(QPen(colour, 3))
        painter.drawLine(QLineF(start, tip))
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(arrow_head(start, tip, 12.0))
        painter.setPen(self._palette.ink("current"))
        painter.setFont(self._title_font)
        painter.drawText(tip + QPointF(6, -6), "w")
        painter.restore()

    def _paint_point(self, painter: QPainter, at: QPointF, label: int, role: str) -> None:
        """One point drawn as the batches draw them (for the key under the plane)."""
        p = self._palette
        if role:
            self._points_with(painter, [at], p.color(role), 32, round_cap=True)
        fill = QColor(p.chosen if label == 1 else p.background)
        self._points_with(painter, [at], QColor(p.text), 22, round_cap=label == 1)
        self._points_with(painter, [at], fill, 18, round_cap=label == 1)
