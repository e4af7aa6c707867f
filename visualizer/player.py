"""The one step-index model and the player bar that drives it.

Like napari's ``Dims``: the slider, the keys and the play timer only call
:meth:`PlaybackModel.set_step`; views only listen to ``step_changed``. No
widget updates another widget directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QWidget,
)

__all__ = ["PlaybackModel", "PlayerBar", "SPEEDS"]

#: Playback speeds in steps per second; + and - walk this ladder.
SPEEDS = (0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096)
_TICK_MS = 16  # the timer never fires faster than a frame


class Grouped(Protocol):
    """What the model needs of a trace to move by row or phase."""

    levels: tuple[str, ...]

    def __len__(self) -> int: ...
    def next_boundary(self, position: int, level: str) -> int: ...
    def previous_boundary(self, position: int, level: str) -> int: ...


class PlaybackModel(QObject):
    """Current step, number of steps, speed and play state of one panel.

    Positions run from 0 (nothing done) to ``nsteps`` (every event done).
    """

    step_changed = Signal(int)
    #: A forward move stopped before this step: it asks a question first (Predict mode, see ``gate``).
    question_waiting = Signal(int)
    nsteps_changed = Signal(int)
    playing_changed = Signal(bool)
    speed_changed = Signal(float)
    level_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._step = 0
        self._nsteps = 0
        self._speed = 8.0
        self._trace: Grouped | None = None
        self._level = "row"
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        #: Predict mode: called with (from, to) before a forward move; returns the first step in
        #: between that waits for an answer (the move stops just before it), or None to go on.
        self.gate: Callable[[int, int], int | None] | None = None

    # -- state ---------------------------------------------------------------
    @property
    def current_step(self) -> int:
        return self._step

    @property
    def nsteps(self) -> int:
        return self._nsteps

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def levels(self) -> tuple[str, ...]:
        return self._trace.levels if self._trace is not None else ()

    @property
    def level(self) -> str:
        """The group Shift+arrows move by (``"row"``, ``"phase"``, ...)."""
        return self._level if self._level in self.levels else (self.levels[0] if self.levels else "")

    def set_trace(self, trace: Grouped | None, step: int | None = None) -> None:
        """Bind a new trace; the step goes to ``step`` (default: the end)."""
        self.pause()
        self._trace = trace
        self._nsteps = len(trace) if trace is not None else 0
        self.nsteps_changed.emit(self._nsteps)
        self._step = -1  # force the emit below even if the number is unchanged
        self.set_step(self._nsteps if step is None else step)

    def set_step(self, step: int) -> None:
        """Go to ``step``, clamped to ``0 .. nsteps``; in Predict mode, stop before a question."""
        step = max(0, min(int(step), self._nsteps))
        waiting = self.gate(self._step, step) if self.gate is not None and step > self._step >= 0 else None
        if waiting is not None:
            self.pause()
            if waiting - 1 != self._step:
                self._step = waiting - 1
            # Emitted even when the step did not change: a slider dragged ahead must come back.
            self.step_changed.emit(self._step)
            self.question_waiting.emit(waiting)
            return
        if step != self._step:
            self._step = step
            self.step_changed.emit(step)
        if step >= self._nsteps and self.playing:
            self.pause()

    def set_level(self, level: str) -> None:
        if level != self._level:
            self._level = level
            self.level_changed.emit(level)

    # -- moves ---------------------------------------------------------------
    def step_forward(self) -> None:
        self.set_step(self._step + 1)

    def step_back(self) -> None:
        self.set_step(self._step - 1)

    def group_forward(self) -> None:
        if self._trace is not None and self.level:
            self.set_step(self._trace.next_boundary(self._step, self.level))

    def group_back(self) -> None:
        if self._trace is not None and self.level:
            self.set_step(self._trace.previous_boundary(self._step, self.level))

    def to_start(self) -> None:
        self.set_step(0)

    def to_end(self) -> None:
        self.set_step(self._nsteps)

    # -- playing ---------------------------------------------------------------
    def set_speed(self, steps_per_second: float) -> None:
        speed = float(min(max(steps_per_second, SPEEDS[0]), SPEEDS[-1]))
        if speed != self._speed:
            self._speed = speed
            self.speed_changed.emit(speed)
            if self.playing:
                self._timer.start(self._interval())

    def faster(self) -> None:
        self.set_speed(next((s for s in SPEEDS if s > self._speed), SPEEDS[-1]))

    def slower(self) -> None:
        self.set_speed(next((s for s in reversed(SPEEDS) if s < self._speed), SPEEDS[0]))

    def play(self) -> None:
        if self._nsteps == 0:
            return
        if self._step >= self._nsteps:
            self.set_step(0)  # play from the start again, as media players do
        self._timer.start(self._interval())
        self.playing_changed.emit(True)

    def pause(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self.playing_changed.emit(False)

    def toggle_play(self) -> None:
        self.pause() if self.playing else self.play()

    def _interval(self) -> int:
        return max(_TICK_MS, int(1000 / self._speed))

    def _tick(self) -> None:
        # Above ~60 steps/s the timer cannot fire often enough; take bigger strides.
        stride = max(1, math.ceil(self._speed * self._interval() / 1000))
        self.set_step(self._step + stride)


class PlayerBar(QWidget):
    """Buttons, scrubbing slider, ``k / n`` counter, speed and group selector."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model: PlaybackModel | None = None
        self._shows_playing = False
        self.start_button = self._button("Jump to start (Home)")
        self.group_back_button = self._button("Back one row or phase (Shift+←)")
        self.back_button = self._button("Step back (←)")
        self.play_button = self._button("Play / pause (Space)")
        self.forward_button = self._button("Step forward (→)")
        self.group_forward_button = self._button("Forward one row or phase (Shift+→)")
        self.end_button = self._button("Jump to end (End)")
        self._paint_icons()

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setToolTip("Scrub to any step")
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys belong to the window, not the slider
        self.counter = QLabel("0 / 0")
        self.counter.setToolTip("Current step / number of steps")
        # Fixed, so a longer number never relayouts the bar while scrubbing.
        self.counter.setFixedWidth(self.counter.fontMetrics().horizontalAdvance("0,000,000 / 0,000,000") + 8)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.speed_box = QComboBox()
        self.speed_box.setToolTip("Playback speed in steps per second (+ / −)")
        self.speed_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g} steps/s", speed)
        self.level_box = QComboBox()
        self.level_box.setToolTip("What Shift+← / Shift+→ move by")
        self.level_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        for button in (
            self.start_button,
            self.group_back_button,
            self.back_button,
            self.play_button,
            self.forward_button,
            self.group_forward_button,
            self.end_button,
        ):
            layout.addWidget(button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.counter)
        layout.addWidget(QLabel("by"))
        layout.addWidget(self.level_box)
        layout.addWidget(self.speed_box)
        self.setEnabled(False)

    def _button(self, tip: str) -> QToolButton:
        button = QToolButton()
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setIconSize(QSize(22, 22))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _paint_icons(self) -> None:
        """Draw the icons in the palette's text colour, so they read in light and dark."""
        color = self.palette().color(QPalette.ColorRole.ButtonText)
        for button, kind in (
            (self.start_button, "start"),
            (self.group_back_button, "group_back"),
            (self.back_button, "back"),
            (self.forward_button, "forward"),
            (self.group_forward_button, "group_forward"),
            (self.end_button, "end"),
        ):
            button.setIcon(player_icon(kind, color))
        self._play_icon = player_icon("play", color)
        self._pause_icon = player_icon("pause", color)
        self.play_button.setIcon(self._pause_icon if self._shows_playing else self._play_icon)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icons()
        super().changeEvent(event)

    @property
    def model(self) -> PlaybackModel | None:
        return self._model

    def set_model(self, model: PlaybackModel | None) -> None:
        """Drive ``model`` from this bar (the bar follows the active panel)."""
        if self._model is not None:
            for signal in (
                self._model.step_changed,
                self._model.nsteps_changed,
                self._model.playing_changed,
                self._model.speed_changed,
            ):
                signal.disconnect(self._sync)
            for widget_signal in (
                self.slider.valueChanged,
                self.speed_box.activated,
                self.level_box.activated,
                self.start_button.clicked,
                self.group_back_button.clicked,
                self.back_button.clicked,
                self.play_button.clicked,
                self.forward_button.clicked,
                self.group_forward_button.clicked,
                self.end_button.clicked,
            ):
                widget_signal.disconnect()
        self._model = model
        self.setEnabled(model is not None)
        if model is None:
            return
        for signal in (model.step_changed, model.nsteps_changed, model.playing_changed, model.speed_changed):
            signal.connect(self._sync)
        self.slider.valueChanged.connect(model.set_step)
        self.speed_box.activated.connect(lambda index: model.set_speed(self.speed_box.itemData(index)))
        self.level_box.activated.connect(lambda index: model.set_level(self.level_box.itemData(index)))
        self.start_button.clicked.connect(model.to_start)
        self.group_back_button.clicked.connect(model.group_back)
        self.back_button.clicked.connect(model.step_back)
        self.play_button.clicked.connect(model.toggle_play)
        self.forward_button.clicked.connect(model.step_forward)
        self.group_forward_button.clicked.connect(model.group_forward)
        self.end_button.clicked.connect(model.to_end)
        self._sync()

    def _sync(self, *_: object) -> None:
        model = self._model
        if model is None:
            return
        self.slider.blockSignals(True)
        self.slider.setRange(0, model.nsteps)
        self.slider.setValue(model.current_step)
        self.slider.setPageStep(max(1, model.nsteps // 20))
        self.slider.blockSignals(False)
        self.counter.setText(f"{model.current_step:,} / {model.nsteps:,}")
        if self._shows_playing != model.playing:
            self._shows_playing = model.playing
            self.play_button.setIcon(self._pause_icon if model.playing else self._play_icon)
        index = self.speed_box.findData(model.speed)
        if index >= 0:
            self.speed_box.setCurrentIndex(index)
        self.level_box.blockSignals(True)
        if [self.level_box.itemData(i) for i in range(self.level_box.count())] != list(model.levels):
            self.level_box.clear()
            for level in model.levels:
                self.level_box.addItem(level, level)
        self.level_box.setCurrentIndex(max(0, self.level_box.findData(model.level)))
        self.level_box.blockSignals(False)


def player_icon(kind: str, color: QColor, size: int = 44) -> QIcon:
    """Media-player icons drawn as shapes: start, group_back, back, play, pause, forward, ..."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    unit = size / 44

    def triangle(left: float, right: float) -> None:
        # Points right when right > left, left otherwise.
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(left * unit, 10 * unit),
                    QPointF(left * unit, 34 * unit),
                    QPointF(right * unit, 22 * unit),
                ]
            )
        )

    def bar(x: float, width: float = 5) -> None:
        painter.drawRect(QRectF(x * unit, 10 * unit, width * unit, 24 * unit))

    shapes = {
        "play": lambda: triangle(12, 34),
        "pause": lambda: (bar(12, 7), bar(25, 7)),
        "forward": lambda: triangle(15, 31),
        "back": lambda: triangle(29, 13),
        "group_forward": lambda: (triangle(6, 22), triangle(22, 38)),
        "group_back": lambda: (triangle(38, 22), triangle(22, 6)),
        "end": lambda: (triangle(8, 28), bar(30)),
        "start": lambda: (bar(9), triangle(36, 16)),
    }
    shapes[kind]()
    painter.end()
    return QIcon(pixmap)
