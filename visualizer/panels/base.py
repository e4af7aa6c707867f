"""What every panel is: inputs, a scene that renders any step, a player model.

A panel owns its :class:`PlaybackModel`, its ``QGraphicsScene`` and the view
showing it, and an input form with an inline message line. The main window
(or `trellis export`, which builds the same panel offscreen) only talks to
this interface, so the GUI and the CLI export draw exactly the same picture.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any, ClassVar

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsItem,
    QGraphicsScene,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QTabBar,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from visualizer.declared import Inputs
from visualizer.form import DeclaredForm
from visualizer.panels.sheets import Sheets
from visualizer.player import PlaybackModel
from visualizer.theme import LIGHT, Palette
from visualizer.views.scene_items import top_level_items
from visualizer.views.zoom_view import ZoomableView

__all__ = ["Panel", "NUMBER_STYLE_LABELS"]

_log = logging.getLogger("trellis")
_MARGIN = 24.0
#: The number styles as the style boxes show them.
NUMBER_STYLE_LABELS = {"plain": "Plain .0384", "scientific": "Scientific 3.84e-2", "log": "Log (ln) −3.26"}


class Panel(QWidget):
    """Base class of algorithm panels. Subclasses fill in the hooks below.

    A subclass is constructed as ``Panel(palette, parent=None, inputs=None)``:
    with ``inputs`` it computes those (raising ValueError if refused), otherwise
    its first example, so building a panel computes exactly once.

    A panel that declares :attr:`inputs_class` gets its form's values, the
    checking of lesson and settings JSON and its `trellis export` options from
    that one declaration, and the base class computes its first inputs itself:
    the subclass sets nothing before ``super().__init__`` (its attributes start
    as class-level defaults).
    """

    #: Must match the panel's :class:`~visualizer.panels.PanelSpec` name.
    name: ClassVar[str] = ""
    #: Built-in examples: (label, inputs).
    examples: ClassVar[tuple[tuple[str, dict[str, Any]], ...]] = ()
    #: Widgets (attribute names) that show results before the steps reach them; Predict hides them.
    answer_widget_names: ClassVar[tuple[str, ...]] = ()
    #: The panel's declared inputs (see :mod:`visualizer.declared`); None for a panel not yet moved to it.
    inputs_class: ClassVar[type[Inputs] | None] = None
    #: The form built from :attr:`inputs_class` (panels with declared inputs set it in ``build_form``).
    declared_form: DeclaredForm

    #: Emitted after a successful computation (new trace bound to the model).
    computed = Signal()
    #: Emitted with the message when the inputs are refused ("" when fine again).
    input_error = Signal(str)

    def __init__(
        self,
        palette: Palette | None = None,
        parent: QWidget | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        palette = palette or LIGHT
        super().__init__(parent)
        self.palette_roles = palette
        self.model = PlaybackModel(self)
        self.scene = QGraphicsScene(self)
        self.view = ZoomableView(self.scene)
        self.view.pinned_title = self._pinned_title
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        self.form = self.build_form()
        # Combo boxes would otherwise ask for the width of their longest item ("Shakespeare:
        # term-document counts → tf-idf (SLP3 Fig. 6.2)"), and opening such a panel widened the
        # window for good. They shrink to a readable minimum; the popup still shows every label whole.
        for box in self.form.findChildren(QComboBox):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(14)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        #: Tabs that split a figure too wide for any screen into sheets (hidden unless a panel defines some).
        self.sheets = Sheets(self, QTabBar())
        layout.addWidget(self.sheets.bar)
        layout.addWidget(self.view, 1)
        # Typing recomputes after a short pause, not on every key.
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.run)
        self.shown_inputs: dict[str, Any] | None = None
        self._parts: dict[str, tuple[QGraphicsItem, ...]] = {}
        #: Predict mode is on (see visualizer.quiz_mode): a panel that shows answers ahead hides them.
        self.predicting = False
        #: Exports add the pseudocode to their caption band (``--pseudocode``; the pane shown).
        self.export_pseudocode = False
        self.busy = False
        self.model.step_changed.connect(self.display_step)
        self.apply_palette(palette)
        if self.inputs_class is not None:
            # Compute once: the given inputs (ValueError if refused), else the first example.
            self.set_inputs(inputs if inputs is not None else dict(self.examples[0][1]))

    # -- hooks for subclasses ----------------------------------------------------
    def build_form(self) -> QWidget:
        """The input form (source, options, examples...)."""
        raise NotImplementedError

    def inputs(self) -> dict[str, Any]:
        """The form's current inputs as plain JSON values (for lessons and settings)."""
        return self.declared_form.values()

    def fill_form(self, values: dict[str, Any]) -> None:
        """Check ``values`` and put them in the form (no computing); ValueError in one sentence if refused."""
        assert self.inputs_class is not None, "a panel without inputs_class overrides fill_form"
        parsed = self.inputs_class.from_json(values)
        self.declared_form.set_values(parsed)
        self.form_filled(parsed)

    def form_filled(self, inputs: Any) -> None:
        """After the form shows ``inputs``: bring derived widgets in line (a preset box, a disabled field)."""

    def form_inputs(self) -> Any:
        """The form's inputs, checked, as the panel's inputs dataclass (ValueError if refused)."""
        assert self.inputs_class is not None
        return self.inputs_class.from_json(self.inputs())

    def compute(self) -> None:
        """Compute from the form; raise ValueError with one sentence when refused."""
        raise NotImplementedError

    def show_step(self, step: int) -> None:
        """Render the state at ``step`` into the scene."""
        raise NotImplementedError

    def narration(self, step: int) -> tuple[str, str]:
        """(heading, sentence) describing ``step``."""
        raise NotImplementedError

    def focus_rect(self, step: int) -> QRectF:
        """What ``step`` changes, in scene coordinates: the cell, node, entry, arc, point or factor.

        The view follows it on every step. Cheap by contract (it is asked on every step):
        panels read it from the step's event, not from a rebuilt state. A null rect
        means "nothing in particular" (the view stays where it is).
        """
        raise NotImplementedError

    @classmethod
    def add_export_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """Add this panel's inputs to `trellis export NAME` (from its declared inputs)."""
        if cls.inputs_class is not None:
            cls.inputs_class.add_arguments(parser)

    @classmethod
    def inputs_from_arguments(cls, arguments: argparse.Namespace) -> dict[str, Any]:
        """Turn parsed `trellis export` arguments into :meth:`set_inputs` values."""
        if cls.inputs_class is None:
            raise NotImplementedError
        return cls.inputs_class.from_arguments(arguments)

    # -- shared behaviour -----------------------------------------------------------
    def display_step(self, step: int) -> None:
        """Draw ``step`` and bring what it changes into view (the model's step_changed lands here)."""
        self.show_step(step)
        self.view.follow(self.focus_rect(step), self.title_rect())

    def add_part(self, name: str, *items: QGraphicsItem) -> None:
        """Name a part of the figure (an export can show it alone): the items it is drawn with."""
        # A new dict, not an update: a refused computation restores the panel's attributes.
        self._parts = {**self._parts, name: items}

    def part_items(self) -> dict[str, tuple[QGraphicsItem, ...]]:
        """The figure's named parts now drawn, each with the items it is drawn with."""
        return {
            name: items
            for name, items in self._parts.items()
            # A part whose items were replaced by a new computation is gone.
            if all(isValid(item) and item.scene() is self.scene for item in items)
        }

    def parts(self) -> dict[str, QRectF]:
        """The figure's named parts now drawn, each as a scene rectangle with a margin."""
        found: dict[str, QRectF] = {}
        for name, items in self.part_items().items():
            rect = QRectF()
            for item in items:
                rect = rect.united(item.sceneBoundingRect())
            found[name] = rect.adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)
        return found

    def _title_item(self) -> Any:
        """The figure's title block (a CaptionItem) if it is drawn now, else None."""
        caption = getattr(self, "_caption", None)
        if caption is None or not isValid(caption) or caption.scene() is not self.scene:
            return None
        return caption

    def _pinned_title(self) -> tuple[QRectF, str, QColor, QColor]:
        caption = self._title_item()
        roles = self.palette_roles
        text = caption.title if caption is not None else ""
        return self.title_rect(), text, QColor(roles.surface), QColor(roles.text)

    def title_rect(self) -> QRectF:
        """The figure's title block in scene coordinates (null if the panel has none)."""
        caption = self._title_item()
        return caption.sceneBoundingRect() if caption is not None else QRectF()

    def build_example_box(self) -> QComboBox:
        """The "Examples…" menu every form starts with: picking one loads it and computes."""
        box = QComboBox()
        box.addItem("Examples…")
        for label, _ in self.examples:
            box.addItem(label)
        box.activated.connect(self._load_example)
        return box

    def build_number_style_box(self, tooltip: str) -> QComboBox:
        """The plain / scientific / log switch of panels that show probabilities; restyles on pick."""
        box = QComboBox()
        for style, label in NUMBER_STYLE_LABELS.items():
            box.addItem(label, style)
        box.setToolTip(tooltip)
        return box

    @staticmethod
    def number_style_from(values: dict[str, Any]) -> str:
        """``values["numbers"]`` checked against the styles (plain by default); ValueError otherwise."""
        numbers = values.get("numbers", "plain")
        if numbers not in NUMBER_STYLE_LABELS:
            raise ValueError(
                f"The number style must be one of {', '.join(NUMBER_STYLE_LABELS)}; got {numbers!r}."
            )
        return numbers

    def _load_example(self, index: int) -> None:
        if index > 0:
            try:
                self.set_inputs(dict(self.examples[index - 1][1]))
            except ValueError as problem:  # busy, or a file the example needs is missing
                self.show_message(str(problem))
        self.example_box.setCurrentIndex(0)

    def schedule_run(self) -> None:
        """Recompute a moment after the user stops typing."""
        self._debounce.start()

    def set_inputs(self, values: dict[str, Any]) -> None:
        """Put ``values`` in the form and compute; ValueError (one sentence) if refused.

        All or nothing: when the values are refused, the form is put back to the inputs
        of what is drawn, so the form, the picture and the slider keep agreeing.
        """
        if not isinstance(values, dict):
            raise ValueError("The inputs must be a JSON object of names and values.")
        if self.busy:
            raise ValueError("This panel is still computing; wait for it to finish or press Cancel.")
        previous = self.shown_inputs
        try:
            try:
                self.fill_form(values)
                if not self.run():
                    raise ValueError(self.message.text())
            except (
                TypeError,
                OverflowError,
                KeyError,
                IndexError,
                AttributeError,
                RecursionError,
            ) as problem:
                # A value no field check foresaw: one sentence for the user, the details in the log.
                _log.warning("%s inputs refused: %r", self.name, problem, exc_info=True)
                raise ValueError(
                    f"These {self.name} inputs could not be used: one of them has a value of the wrong kind."
                ) from None
        except ValueError:
            if previous is not None:
                try:
                    self.fill_form(previous)  # known good: it is what was computed last
                finally:
                    self._debounce.stop()
                self.show_message("")
            raise

    def run(self) -> bool:
        """Compute from the form; show the problem inline instead of raising.

        A refused computation leaves the panel exactly as it was: every attribute
        ``compute`` may have replaced is put back and the step shown again, so the
        figure never disagrees with the slider (outside testing found the vectors
        panel raising on every step after one refused corpus). The form keeps what
        the user typed, with the reason beside it.
        """
        self._debounce.stop()
        if self.busy:
            # One job per panel: a computation already running (in a worker, with its progress
            # dialog) finishes first; this input is computed right after it.
            self._debounce.start()
            return False
        attributes = dict(self.__dict__)
        step = self.model.current_step
        self.busy = True
        try:
            self.compute()
        except ValueError as problem:
            self.__dict__.clear()
            self.__dict__.update(attributes)
            self.model.set_trace(self.current_trace(), step)
            self.show_message(str(problem))
            return False
        finally:
            self.busy = False
        self.show_message("")
        #: The inputs of what is drawn: what lessons and settings save, and what a refusal returns to.
        self.shown_inputs = self.inputs()
        self.fit_view()
        self.computed.emit()
        return True

    def stepwise(self) -> Any:
        """The Stepwise result the model plays (``question_at``, ``trace`` in the model's steps), or None."""
        result, trace = getattr(self, "result", None), self.current_trace()
        if result is None:
            return trace if hasattr(trace, "question_at") else None  # a MatrixFill is its own result
        if not hasattr(result, "question_at"):
            return None
        extra = len(trace) - len(result.trace) if trace is not None else 0
        # CKY plays the CNF conversion's steps first: the chart's steps come after them.
        return _After(result, trace, extra) if extra > 0 else result

    def current_trace(self) -> Any:
        """The trace the model plays: the panel's ``trace``, or its result's."""
        trace = getattr(self, "trace", None)
        if trace is None:
            trace = getattr(getattr(self, "result", None), "trace", None)
        return trace

    def fit_view(self) -> None:
        """Zoom so the whole figure shows, as long as it stays readable."""
        self.view.fit_readable(self.export_rect())

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setStyleSheet(f"color: {self.palette_roles.error}; font-weight: bold; padding: 4px 8px;")
        self.input_error.emit(text)

    def apply_palette(self, palette: Palette) -> None:
        """Switch light/dark: every scene item re-reads its roles."""
        self.palette_roles = palette
        # Every view item of every panel takes its roles through set_palette, so one loop serves them all.
        for item in self.scene.items():
            if hasattr(item, "set_palette"):
                item.set_palette(palette)
        self.scene.setBackgroundBrush(palette.color("background"))
        self.message.setStyleSheet(f"color: {palette.error}; font-weight: bold; padding: 4px 8px;")
        if self.model.nsteps or self.scene.items():
            self.show_step(self.model.current_step)

    def export_rect(self) -> QRectF:
        """The part of the scene a figure shows: every item drawn (on the sheet shown) plus a margin."""
        rect = QRectF()
        for item in top_level_items(self.scene):
            if item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        return rect.adjusted(-_MARGIN, -_MARGIN, _MARGIN, _MARGIN)

    def sheet_shown(self) -> None:
        """A sheet was shown (see :mod:`visualizer.panels.sheets`): the scene ends where the figure does."""
        self.scene.setSceneRect(self.export_rect())

    def visible_rect(self) -> QRectF:
        """The part of the scene the view shows right now."""
        return (
            self.view.mapToScene(self.view.viewport().rect()).boundingRect().intersected(self.export_rect())
        )

    def fold_editors(self, folded: bool) -> None:
        """Hide the form's multi-line editors and lists (grammar, corpus, parse list), or show them again.

        The one-line fields stay, so the sentence can still be edited; only what this
        call hid is shown again (a panel may hide an editor itself for other reasons).
        """
        if folded:
            big = [*self.form.findChildren(QPlainTextEdit), *self.form.findChildren(QListWidget)]
            self._folded = [widget for widget in big if widget.isVisibleTo(self.form)]
            for widget in self._folded:
                widget.hide()
        else:
            for widget in getattr(self, "_folded", []):
                widget.show()
            self._folded = []

    def set_presentation(self, on: bool) -> None:
        """Presentation mode hides the editors and fits the figure for a projector."""
        self.form.setVisible(not on)
        self.view.set_presentation(on)


class _After:
    """A result whose steps come after ``offset`` others in the trace the model plays."""

    def __init__(self, result: Any, trace: Any, offset: int) -> None:
        self.result, self.trace, self.offset = result, trace, offset

    def question_at(self, step: int) -> Any:
        return self.result.question_at(step - self.offset) if step > self.offset else None

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return tuple(self.result.pseudocode)

    def line_at(self, step: int) -> int:
        if step <= self.offset:
            raise ValueError(f"step {step} comes before the algorithm runs")
        return int(self.result.line_at(step - self.offset))

    def watch_at(self, step: int) -> dict[str, str]:
        return dict(self.result.watch_at(step - self.offset)) if step > self.offset else {}
