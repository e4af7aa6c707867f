"""Predict mode: the learner answers a step's question before the step is revealed.

With Predict on (Playback → Predict, key P), a forward move stops just before a
step that asks (see ``PlaybackModel.gate``): the view still shows the step before,
so the result is hidden, and a question box opens beside the element the step
changes. The learner types an answer and presses Enter:

* right: the step is revealed;
* wrong once: the feedback and a hint (the step's formula with the result blanked);
* wrong twice: the answer with its explanation; Enter reveals the step.

Which steps ask is a setting (:data:`ASK_MODES`): every step that computes
something, one per row or column, the last of each phase, or one in three at
random (the same ones every time for a given input). A score line counts the
questions asked, the right answers and the hints. Everything works from the
keyboard and in presentation mode.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget

from algorithms.quiz import Feedback, Question

if TYPE_CHECKING:
    from visualizer.panels.base import Panel

__all__ = ["ASK_MODES", "QuizBox", "QuizController"]

#: Which steps ask (setting value -> menu label).
ASK_MODES = {
    "every": "Every step that computes something",
    "group": "The first of each row, column or cell",
    "phase": "The last of each phase",
    "random": "One in three, at random",
}


class QuizBox(QFrame):
    """The question, an answer field and the feedback, floating over a panel's view."""

    answered = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("quizBox")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setTextFormat(Qt.TextFormat.PlainText)
        self.field = QLineEdit()
        self.field.setPlaceholderText("your answer, then Enter")
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        self.feedback.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        for widget in (self.prompt, self.field, self.feedback):
            layout.addWidget(widget)
        self.field.returnPressed.connect(lambda: self.answered.emit(self.field.text()))
        self.hide()

    def ask(self, question: Question, large: bool) -> None:
        """Show ``question`` (choices numbered, so a digit picks one) and focus the answer field."""
        text = question.prompt
        if question.kind == "choice":
            text += "\n" + "\n".join(f"  {n}. {choice}" for n, choice in enumerate(question.choices, 1))
        self.prompt.setText(text)
        font = self.prompt.font()
        font.setPointSizeF(16 if large else 11)
        font.setBold(True)
        self.prompt.setFont(font)
        answer_font = self.field.font()
        answer_font.setPointSizeF(16 if large else 11)
        self.field.setFont(answer_font)
        self.feedback.setFont(answer_font)
        self.field.clear()
        self.field.setReadOnly(False)
        self.feedback.hide()
        self.setFixedWidth(min(560 if large else 420, max(240, self.parentWidget().width() - 20)))
        self.adjustSize()
        self.show()
        self.raise_()
        self.field.setFocus()

    def tell(self, text: str, done: bool) -> None:
        """Show feedback; ``done``: nothing more to type, Enter goes on."""
        self.feedback.setText(text + ("\n(Enter: go on)" if done else ""))
        self.feedback.show()
        self.field.setReadOnly(done)
        self.field.selectAll()
        self.adjustSize()


class QuizController(QObject):
    """Asks one panel's questions in Predict mode and keeps the score."""

    score_changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on = False
        self.ask_mode = "every"
        self.asked = self.right = self.hints = 0
        self.large = False
        self._panel: Panel | None = None
        self._box: QuizBox | None = None
        self._waiting: int | None = None
        self._question: Question | None = None
        self._tries = 0
        self._answered: set[tuple[int, int]] = set()  # (id of the trace, step): revealed already
        self._files: Any = None  # an exercise's files (a gold tree), kept while it is shown

    # -- settings --------------------------------------------------------------------------
    def set_on(self, on: bool) -> None:
        """Predict mode on or off for the panel shown (questions close when it goes off)."""
        self.on = on
        if not on:
            self._close()
        self._bind()
        if on and self._panel is not None and self._panel.model.current_step >= self._panel.model.nsteps:
            self._panel.model.set_step(0)  # a finished figure has nothing left to predict
        self.score_changed.emit(self.score_text())

    def set_ask_mode(self, mode: str) -> None:
        if mode not in ASK_MODES:
            raise ValueError(f"Predict asks at one of {', '.join(ASK_MODES)}; got {mode!r}.")
        self.ask_mode = mode

    def apply_settings(self, ask_mode: str, on: bool) -> None:
        """Ask mode and on/off as a lesson stores them, with the menu showing them."""
        self.set_ask_mode(ask_mode)
        actions = getattr(self, "ask_actions", None)
        if actions is not None:
            for action in actions.actions():
                action.setChecked(action.data() == ask_mode)
        toggle = getattr(self, "toggle_action", None)
        if toggle is not None:
            toggle.setChecked(on)  # its toggled signal turns Predict on
        else:
            self.set_on(on)

    def attach(self, panel: Panel | None) -> None:
        """Quiz ``panel`` (the one shown) from now on."""
        if panel is self._panel:
            return
        self._close()
        if self._panel is not None:
            self._panel.model.gate = None
            self._panel.predicting = False
            _show_answer_widgets(self._panel, True)
            self._panel.model.question_waiting.disconnect(self._ask)
            self._panel.computed.disconnect(self._close)
        self._panel = panel
        if panel is not None:
            panel.model.question_waiting.connect(self._ask)
            # New inputs make a new trace: an open question was about the old one.
            panel.computed.connect(self._close)
        self._bind()

    def _bind(self) -> None:
        panel = self._panel
        if panel is not None:
            panel.model.gate = self._gate if self.on else None
            if panel.predicting != self.on:
                panel.predicting = self.on
                _show_answer_widgets(panel, not self.on)
                panel.display_step(panel.model.current_step)  # hide (or show) what it shows ahead

    # -- asking ----------------------------------------------------------------------------
    def asks_at(self, step: int) -> bool:
        """Whether Predict stops before ``step`` (a question there, chosen by the ask mode, not answered)."""
        result = self._result()
        if result is None or (id(result.trace), step) in self._answered:
            return False
        if result.question_at(step) is None:
            return False
        if self.ask_mode == "random":
            return random.Random(f"{len(result.trace)}:{step}").random() < 1 / 3
        if self.ask_mode in ("group", "phase"):
            return self._chosen_in_group(result, step)
        return True

    def _chosen_in_group(self, result: Any, step: int) -> bool:
        trace = result.trace
        level = (
            "phase" if self.ask_mode == "phase" else next((lv for lv in trace.levels if lv != "phase"), "")
        )
        if not level:
            return True
        start, end = trace.previous_boundary(step, level), trace.next_boundary(step - 1, level)
        # ``step`` is in the group (start, end]: the first question in it, or for phases the last.
        asking = [k for k in range(start + 1, end + 1) if result.question_at(k) is not None]
        if not asking:
            return False
        return step == (asking[-1] if self.ask_mode == "phase" else asking[0])

    def _gate(self, current: int, target: int) -> int | None:
        return next((k for k in range(current + 1, target + 1) if self.asks_at(k)), None)

    def _result(self) -> Any:
        return self._panel.stepwise() if self._panel is not None else None

    def _ask(self, step: int) -> None:
        panel, result = self._panel, self._result()
        if panel is None or result is None:
            return
        question = result.question_at(step)
        if question is None:
            return
        if step == self._waiting and self._box is not None and self._box.isVisible():
            self._box.field.setFocus()  # asked already: another → keeps the same question open
            return
        self._waiting, self._question, self._tries = step, question, 0
        self.asked += 1
        if self._box is None or self._box.parentWidget() is not panel.view.viewport():
            self._box = QuizBox(panel.view.viewport())
            self._box.answered.connect(self._answer)
        panel.view.follow(panel.focus_rect(step), panel.title_rect())
        panel.view.finish_glide()
        panel.view.set_question(panel.focus_rect(step), panel.palette_roles.color("current"))
        self._box.ask(question, self.large)
        self._place(step)
        self.score_changed.emit(self.score_text())

    def _place(self, step: int) -> None:
        """Right of the element the step changes (what it reads is above and left), else left of it."""
        panel, box = self._panel, self._box
        if panel is None or box is None:
            return
        viewport = panel.view.viewport()
        element = panel.view.mapFromScene(panel.focus_rect(step)).boundingRect()
        x = element.right() + 16
        if x + box.width() > viewport.width() - 8:
            x = element.left() - box.width() - 16
        if x < 8:  # no room beside it: under it, else over the view's top-right corner
            x = min(max(8, element.left()), viewport.width() - box.width() - 8)
            y = element.bottom() + 12 if element.bottom() + 12 + box.height() < viewport.height() else 8
        else:
            y = min(max(8, element.top()), viewport.height() - box.height() - 8)
        box.move(QPoint(round(x), round(max(8, y))))

    def _answer(self, text: str) -> None:
        question, step, box = self._question, self._waiting, self._box
        if question is None or step is None or box is None:
            return
        if self._tries >= 2 or box.field.isReadOnly():
            self._reveal()  # the answer was shown: Enter goes on
            return
        feedback: Feedback = question.check(text)
        if feedback.correct:
            self.right += 1 if self._tries == 0 else 0
            self._reveal()
            return
        if "is not a number" in feedback.message or feedback.message.startswith(("Pick one", "Type an")):
            box.tell(feedback.message, done=False)  # not an attempt: say how to answer
            return
        self._tries += 1
        if self._tries == 1:
            self.hints += 1
            box.tell(f"Not quite. Hint: {question.hint}", done=False)
        else:
            box.tell(feedback.message, done=True)
        self.score_changed.emit(self.score_text())

    def _reveal(self) -> None:
        panel, step = self._panel, self._waiting
        result = self._result()
        self._close()
        if panel is not None and step is not None and result is not None:
            self._answered.add((id(result.trace), step))
            panel.model.set_step(step)
        self.score_changed.emit(self.score_text())

    def _close(self) -> None:
        if self._box is not None:
            self._box.hide()
        if self._panel is not None:
            self._panel.view.set_question(None)
        self._waiting = self._question = None

    # -- exercises ---------------------------------------------------------------------------
    def new_exercise(self, level: str, seed: int | None = None) -> str:
        """A random exercise in the panel shown, answered cell by cell in Predict mode from step 0.

        Returns a sentence for the status bar (with the seed, so ``trellis exercise`` can print
        the same one), or why the panel cannot have one.
        """
        from algorithms.exercises import DIFFICULTY, make_exercise

        panel = self._panel
        if panel is None or panel.name not in DIFFICULTY:
            return "This panel has no exercises yet."
        seed = random.randrange(100_000) if seed is None else seed
        exercise = make_exercise(panel.name, seed, level)
        inputs = dict(exercise.inputs)
        if exercise.files:  # a gold tree the panel reads from a file, kept while the panel shows it
            import tempfile

            self._files = tempfile.TemporaryDirectory(prefix="trellis-exercise-")
            for name, text in exercise.files.items():
                path = f"{self._files.name}/{name}"
                with open(path, "w", encoding="utf-8") as stream:
                    stream.write(text)
                inputs = {key: path if value == name else value for key, value in inputs.items()}
        panel.set_inputs(inputs)  # a generated input is always accepted (tests hold every panel to it)
        self.set_on(False)
        panel.model.set_step(0)
        self.reset_score()
        self.apply_settings("every", True)
        return f"{exercise.title}. {exercise.task} (seed {seed}: trellis exercise {panel.name} --seed {seed})"

    # -- for the window and tests ------------------------------------------------------------------
    @property
    def box(self) -> QuizBox | None:
        return self._box

    @property
    def waiting(self) -> int | None:
        """The step whose question is open, if one is."""
        return self._waiting

    def score_text(self) -> str:
        if not self.on:
            return ""
        return f"Predict: {self.asked} asked · {self.right} right first time · {self.hints} hints"

    def reset_score(self) -> None:
        self.asked = self.right = self.hints = 0
        self._answered.clear()
        self.score_changed.emit(self.score_text())


def _show_answer_widgets(panel: Any, shown: bool) -> None:
    """Hide (Predict on) or show again the widgets that give results away, a list of every parse, say."""
    folded = getattr(panel, "_folded", [])  # an editor folded away stays folded
    for name in panel.answer_widget_names:
        widget = getattr(panel, name)
        widget.setVisible(shown and widget not in folded)


def install_predict(window: Any, menu: Any) -> QuizController:
    """Add Predict to ``window``'s Playback ``menu`` (key P), its ask-at choices and a score line."""
    from PySide6.QtGui import QAction, QActionGroup, QKeySequence

    quiz = QuizController(window)
    toggle = QAction("&Predict: answer before each step is shown", window)
    toggle.setCheckable(True)
    toggle.setShortcut(QKeySequence("P"))
    toggle.toggled.connect(quiz.set_on)
    window.addAction(toggle)  # the key works in presentation mode, with the menus hidden
    menu.addSeparator()
    menu.addAction(toggle)
    ask_menu = menu.addMenu("Predict &asks at")
    group = QActionGroup(window)
    for mode, label in ASK_MODES.items():
        action = QAction(label, window)
        action.setCheckable(True)
        action.setChecked(mode == quiz.ask_mode)
        action.setData(mode)
        action.triggered.connect(lambda _=False, m=mode: quiz.set_ask_mode(m))
        group.addAction(action)
        ask_menu.addAction(action)
    exercise_menu = menu.addMenu("New e&xercise (Predict every step)")
    for level in ("easy", "medium", "hard"):
        action = QAction(level.capitalize(), window)
        if level == "medium":
            action.setShortcut(QKeySequence("Ctrl+Shift+N"))
            window.addAction(action)
        action.triggered.connect(
            lambda _=False, lv=level: window.statusBar().showMessage(quiz.new_exercise(lv), 15000)
        )
        exercise_menu.addAction(action)
    reset = QAction("Reset the Predict score", window)
    reset.triggered.connect(quiz.reset_score)
    menu.addAction(reset)
    score = QLabel()
    window.statusBar().addPermanentWidget(score)
    quiz.score_changed.connect(score.setText)
    quiz.toggle_action, quiz.ask_actions, quiz.score_label = toggle, group, score  # type: ignore[attr-defined]
    return quiz
