"""A QGraphicsView with zoom (Ctrl+wheel, buttons, keys) and drag-to-pan."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QWheelEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

__all__ = ["ZoomableView"]

_MIN_ZOOM, _MAX_ZOOM, _STEP = 0.05, 8.0, 1.25


class ZoomableView(QGraphicsView):
    """Shows a scene; Ctrl+wheel zooms under the mouse, dragging pans."""

    zoom_changed = Signal(float)

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        # Minimal updates are measurably faster per step than full ones; scrolling,
        # which would smear the frozen headers, repaints fully (scrollContentsBy).
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._zoom = 1.0
        self._fit_pending: QRectF | None = None
        #: An item with ``paint_frozen_headers(painter, visible_rect)`` (e.g. a grid).
        self.frozen_headers: QGraphicsItem | None = None

    @property
    def zoom(self) -> float:
        return self._zoom

    def set_zoom(self, zoom: float) -> None:
        zoom = min(max(zoom, _MIN_ZOOM), _MAX_ZOOM)
        factor = zoom / self._zoom
        if abs(factor - 1) < 1e-9:
            return
        self.scale(factor, factor)
        self._zoom = zoom
        self.zoom_changed.emit(zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self._zoom * _STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self._zoom / _STEP)

    def reset_zoom(self) -> None:
        self.set_zoom(1.0)

    def fit_readable(self, rect: QRectF, min_zoom: float = 0.6, max_zoom: float = 1.5) -> None:
        """Fit ``rect`` if its text stays readable; otherwise show its top-left at 100 %.

        Called before the view has a size (at start-up), the fit waits for the first resize.
        """
        viewport = self.viewport().size()
        if viewport.width() < 50 or viewport.height() < 50 or not self.isVisible():
            self._fit_pending = QRectF(rect)
            return
        self._fit_pending = None
        zoom = min(viewport.width() / rect.width(), viewport.height() / rect.height()) * 0.98
        if zoom >= min_zoom:
            self.set_zoom(min(zoom, max_zoom))
            self.centerOn(rect.center())
            return
        # Too big to fit readably (a 500 x 500 grid): textbook size, start at the top-left.
        self.set_zoom(1.0)
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
        self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        if self._fit_pending is not None:
            self.fit_readable(self._fit_pending)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)
        if self._fit_pending is not None:
            self.fit_readable(self._fit_pending)

    def follow(self, rect: QRectF) -> None:
        """Scroll just enough to keep ``rect`` (scene coordinates) in view."""
        self.ensureVisible(rect, 40, 40)

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt name)
        super().scrollContentsBy(dx, dy)
        if self.frozen_headers is not None:
            # Where the platform scrolls by blitting the old pixels, the frozen headers
            # would move with the content; draw them anew. (The offscreen platform used
            # by the tests repaints fully on scroll, so no test here can observe this.)
            self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 (Qt name)
        item = self.frozen_headers
        if item is None or item.scene() is not self.scene():
            return
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        painter.save()
        painter.translate(item.pos())
        item.paint_frozen_headers(painter, item.mapRectFromScene(visible))  # type: ignore[attr-defined]
        painter.restore()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt name)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.set_zoom(self._zoom * (_STEP ** (delta / 120)))
            event.accept()
            return
        super().wheelEvent(event)
