"""A QGraphicsView with zoom (Ctrl+wheel, buttons, keys), drag-to-pan, fit and follow.

*Fit*: the figure is shown as large as it stays readable, on open, on resize and
on entering or leaving presentation mode, until the user zooms by hand (Fit to
window, Ctrl+9, turns it back on). *Follow*: on every step the view scrolls, in a
short glide rather than a jump, just far enough that the element the step changes
is in view, together with the figure's title where both fit. Panning and zooming
by hand stay free; the next step follows again.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEasingCurve, QPointF, QRectF, QSize, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QStyle, QWidget

from visualizer.views.blocks import font

__all__ = ["ZoomableView"]

_MIN_ZOOM, _MAX_ZOOM, _STEP = 0.05, 8.0, 1.25
#: Readable zoom ranges for fitting: (smallest, largest, used when even the smallest cannot fit).
#: A projector wants larger text than a desk screen, so presentation mode reads from further away.
_READABLE = {False: (0.6, 1.5, 1.0), True: (0.85, 2.4, 1.25)}
#: Room kept around a followed element, in screen pixels (frozen headers cover about this much).
_FOLLOW_MARGIN = 56
#: How long the glide to a new step's element takes.
_GLIDE_MS = 140


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
        #: While on, the figure is re-fitted on every resize; zooming by hand turns it off.
        self.auto_fit = True
        #: Presentation mode: fitting aims at the larger text a projector needs.
        self.presentation = False
        self._fit_rect: QRectF | None = None
        self._fitted_for = QSize()  # the view size the figure was last fitted to
        self._followed: tuple[QRectF, QRectF | None] | None = None
        self._glide = QVariantAnimation(self)
        self._glide.setDuration(_GLIDE_MS)
        self._glide.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._glide.valueChanged.connect(self._glide_to)
        #: An item with ``paint_frozen_headers(painter, visible_rect)`` (e.g. a grid).
        self.frozen_headers: QGraphicsItem | None = None
        #: The element a Predict question asks about (scene coordinates), marked with a '?'.
        self.question_rect: QRectF | None = None
        self._question_colour = QColor("#e69f00")
        #: The figure's title: (its scene rect, its text, band colour, text colour). While the title is
        #: scrolled out of view it is pinned in a band at the viewport's bottom-left corner.
        self.pinned_title: Callable[[], tuple[QRectF, str, QColor, QColor]] | None = None
        self._title_font = font(15, bold=True)  # made once: the band is drawn on every paint
        self._title_metrics = QFontMetricsF(self._title_font)

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
        self.auto_fit = False
        self.set_zoom(self._zoom * _STEP)

    def zoom_out(self) -> None:
        self.auto_fit = False
        self.set_zoom(self._zoom / _STEP)

    def reset_zoom(self) -> None:
        self.auto_fit = False
        self.set_zoom(1.0)

    def set_presentation(self, on: bool) -> None:
        """Presentation mode changes what is readable; a fitted figure is fitted again."""
        self.presentation = on
        if self.auto_fit and self._fit_rect is not None:
            self.fit_readable(self._fit_rect)

    def fit_readable(self, rect: QRectF) -> None:
        """Fit ``rect`` if its text stays readable; otherwise show it at a readable size.

        A figure too big to fit readably (a 40 x 40 grid) is shown at textbook size
        from its top-left, and following the steps scrolls it. Fitting turns
        :attr:`auto_fit` on: the figure is fitted again whenever the view is resized.
        Called before the view has a size (at start-up), the fit waits for the first resize.
        """
        self.auto_fit = True
        self._fit_rect = QRectF(rect)
        viewport = self._room()
        if viewport.width() < 50 or viewport.height() < 50 or not self.isVisible():
            self._fit_pending = QRectF(rect)
            return
        self._fit_pending = None
        self._fitted_for = self.maximumViewportSize()
        self._glide.stop()
        smallest, largest, fallback = _READABLE[self.presentation]
        zoom = min(viewport.width() / rect.width(), viewport.height() / rect.height()) * 0.98
        if zoom >= smallest:
            self.set_zoom(min(zoom, largest))
            self.centerOn(rect.center())
        else:
            # Readable, and no larger than needed to fill the width (one scroll direction where possible).
            across = viewport.width() / rect.width() * 0.98
            self.set_zoom(max(smallest, min(fallback, across)))
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
            self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())
        if self._followed is not None:
            self.follow(*self._followed, glide=False)

    def _room(self) -> QSize:
        """The viewport's size with room kept for both scroll bars, whether they show or not.

        Fitting to the viewport as it is now made a loop: a zoom that needs a scroll bar shrinks
        the viewport, the refit drops the bar, the viewport grows, and so on for ever (the monkey
        found it at 700 × 500). The room without the bars depends only on the view's own size.
        """
        full = self.maximumViewportSize()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        return QSize(max(0, full.width() - bar), max(0, full.height() - bar))

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        if self._fit_pending is not None:
            self.fit_readable(self._fit_pending)
        elif self.auto_fit and self._fit_rect is not None and self.maximumViewportSize() != self._fitted_for:
            self.fit_readable(self._fit_rect)  # a scroll bar coming or going is not a new size

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)
        if self._fit_pending is not None:
            self.fit_readable(self._fit_pending)

    def visible_scene_rect(self) -> QRectF:
        """The part of the scene the viewport shows now."""
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def follow(self, focus: QRectF, keep: QRectF | None = None, glide: bool = True) -> None:
        """Scroll just enough that ``focus`` (scene coordinates) is in view, and ``keep`` too if both fit.

        The scroll glides (a short animation) rather than jumping, so the eye can
        follow it; :meth:`finish_glide` ends it at once. A ``focus`` larger than the
        viewport shows its top-left part.
        """
        self._followed = (QRectF(focus), QRectF(keep) if keep is not None else None)
        if focus.isNull() or not self.isVisible():
            return
        shown = self.visible_scene_rect()
        margin = _FOLLOW_MARGIN / self._zoom
        left = top = margin
        frozen = self.frozen_headers
        if frozen is not None and frozen.scene() is self.scene():
            # Headers kept at the viewport's edges cover what scrolls under them.
            left += getattr(frozen, "header_width", 0.0)
            top += getattr(frozen, "header_height", 0.0)
        room = shown.adjusted(left, top, -margin, -margin)
        target = focus
        if keep is not None and not keep.isNull():
            both = focus.united(keep)
            if both.width() <= room.width() and both.height() <= room.height():
                target = both
        # A target too big for the room inside the margins may still fit the whole viewport.
        across = room if target.width() <= room.width() else shown
        down = room if target.height() <= room.height() else shown
        dx = _shift(target.left(), target.right(), across.left(), across.right())
        dy = _shift(target.top(), target.bottom(), down.top(), down.bottom())
        horizontal, vertical = self.horizontalScrollBar(), self.verticalScrollBar()
        start = QPointF(horizontal.value(), vertical.value())
        # A target bigger than the room is aligned at its top-left edge: round that scroll down, so a
        # fraction of a pixel never cuts the edge it is aligned on (outside the room rounding is fine).
        snap_x = math.floor if across is shown else round
        snap_y = math.floor if down is shown else round
        end = QPointF(
            min(max(snap_x(start.x() + dx * self._zoom), horizontal.minimum()), horizontal.maximum()),
            min(max(snap_y(start.y() + dy * self._zoom), vertical.minimum()), vertical.maximum()),
        )
        self._glide.stop()
        if end == start:
            return
        if not glide:
            self._glide_to(end)
            return
        self._glide.setStartValue(start)
        self._glide.setEndValue(end)
        self._glide.start()

    @property
    def glide(self) -> QVariantAnimation:
        """The follow scroll's animation (benchmarks step through its frames)."""
        return self._glide

    @property
    def gliding(self) -> bool:
        """Whether a follow scroll is under way."""
        return self._glide.state() == QVariantAnimation.State.Running

    def finish_glide(self) -> None:
        """End a running glide at its destination (tests and exports want the final picture)."""
        if self.gliding:
            end = self._glide.endValue()
            self._glide.stop()
            self._glide_to(end)

    def _glide_to(self, position: QPointF) -> None:
        self.horizontalScrollBar().setValue(round(position.x()))
        self.verticalScrollBar().setValue(round(position.y()))

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 (Qt name)
        super().scrollContentsBy(dx, dy)
        if self.frozen_headers is not None or self.pinned_title is not None:
            # Where the platform scrolls by blitting the old pixels, the frozen headers
            # would move with the content; draw them anew. (The offscreen platform used
            # by the tests repaints fully on scroll, so no test here can observe this.)
            self.viewport().update()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 (Qt name)
        visible = self.mapToScene(self.viewport().rect()).boundingRect()
        item = self.frozen_headers
        if item is not None and item.scene() is self.scene():
            painter.save()
            painter.translate(item.pos())
            item.paint_frozen_headers(painter, item.mapRectFromScene(visible))  # type: ignore[attr-defined]
            painter.restore()
        if self.question_rect is not None:
            self._paint_question_mark(painter, self.question_rect)
        if self.pinned_title is not None:
            title_rect, text, band, ink = self.pinned_title()
            # Pinned once its start is out of view: a title wider than a compare half, but readable
            # from its first words, must not be repeated in a band under itself.
            start = QRectF(title_rect.topLeft(), title_rect.size().boundedTo(visible.size() * 0.5))
            if text and not title_rect.isNull() and not visible.contains(start):
                self._paint_pinned_title(painter, text, band, ink)

    def set_question(self, rect: QRectF | None, colour: QColor | None = None) -> None:
        """Mark the element a Predict question is about (scene rectangle), or None to clear it."""
        self.question_rect = rect
        if colour is not None:
            self._question_colour = colour
        self.viewport().update()

    def _paint_question_mark(self, painter: QPainter, rect: QRectF) -> None:
        """A dashed outline and a '?' on the element whose value the learner predicts."""
        painter.save()
        pen = QPen(self._question_colour, 3, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(-3, -3, 3, 3))
        painter.setFont(self._title_font)
        painter.setPen(self._question_colour)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, "?")
        painter.restore()

    def _paint_pinned_title(self, painter: QPainter, text: str, band: QColor, ink: QColor) -> None:
        """The title in a band at the viewport's bottom-left (screen pixels: it does not zoom)."""
        painter.save()
        painter.resetTransform()
        painter.setFont(self._title_font)
        metrics = self._title_metrics
        viewport = self.viewport().rect()
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(viewport.width() - 40, 40))
        width, height = metrics.horizontalAdvance(shown) + 20, metrics.height() + 10
        box = QRectF(8, viewport.height() - height - 8, width, height)
        fill = QColor(band)
        fill.setAlpha(235)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(box, 6, 6)
        painter.setPen(ink)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, shown)
        painter.restore()

    def mousePressEvent(self, event) -> None:  # noqa: N802, ANN001 (Qt name)
        self._glide.stop()  # the user takes the view: a glide must not drag it on
        super().mousePressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt name)
        self._glide.stop()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.auto_fit = False
                self.set_zoom(self._zoom * (_STEP ** (delta / 120)))
            event.accept()
            return
        super().wheelEvent(event)


def _shift(low: float, high: float, shown_low: float, shown_high: float) -> float:
    """How far to scroll along one axis so [low, high] is within [shown_low, shown_high].

    Zero when it already is; when it is wider than what is shown, its start is shown.
    """
    if low < shown_low:
        return low - shown_low
    if high > shown_high:
        return min(high - shown_high, low - shown_low)
    return 0.0
