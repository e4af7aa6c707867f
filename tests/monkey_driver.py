"""A seeded GUI monkey: random panel switches, keys, typed inputs, combos, buttons and resizes.

Shared by ``tests/visualizer/test_monkey.py`` (a few hundred actions in CI) and
``benchmarks/monkey.py`` (thousands, the seed printed so a failure can be replayed).
After every action it checks what a user would notice: the step is within the trace,
the model plays the trace the panel holds, and the narration shown is the narration of
the step the slider is on. Exceptions inside Qt slots and Qt warnings are collected by the
caller (pytest-qt does it in tests; the benchmark installs hooks of its own).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
)

from visualizer.panels import PANELS

#: Buttons that open a file dialog or a modal editor: a monkey cannot answer those.
_DIALOG_BUTTONS = ("…",)

#: Text a user might type: good, odd, hostile.
TEXTS = (
    "",
    "   ",
    "3 1 3",
    "I will back the bill",
    "book the flight through Houston",
    "the dog saw a cat",
    "kitten",
    "intention",
    "a",
    "x" * 120,
    "1e308",
    "-1",
    "nan",
    "0",
    "2",
    "0.5 0.5",
    "a b",
    "<s> I am </s>",
    "Ω ∑ 漢字 🙂",
    "S -> NP VP\nNP -> 'I'\nVP -> 'run'",
    "S -> A\nA -> B | 'x'\nB -> A | 'y'",
    "S -> ",
    "'unclosed",
    "book/VERB me/PRON the/DET flight/NOUN",
    "i want chinese food\ni want to eat",
    "\ufeffS -> 'a'",
)

KEYS = (
    (Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_Home, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_End, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Plus, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Minus, Qt.KeyboardModifier.NoModifier),
)
SHORTCUTS = ("Ctrl+=", "Ctrl+-", "Ctrl+0", "Ctrl+9", "F11", "Esc", "Ctrl+C")


@dataclass
class Monkey:
    """Drives one :class:`~visualizer.app.MainWindow` with ``rng``-chosen actions."""

    window: object
    seed: int
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.actions: list[tuple[int, Callable[[], None]]] = [
            (2, self.switch_panel),
            (8, self.press_key),
            (1, self.shortcut),
            (6, self.set_step),
            (8, self.type_text),
            (5, self.pick_combo),
            (3, self.toggle_check),
            (3, self.set_spin),
            (3, self.click_button),
            (1, self.pick_example),
            (1, self.resize),
            (2, self.click_view),
        ]

    # -- the actions -------------------------------------------------------------------------------
    @property
    def panel(self):  # noqa: ANN201 - a Panel
        return self.window.current_panel

    def switch_panel(self) -> None:
        name = self.rng.choice(PANELS).name
        self.log.append(f"switch to {name}")
        self.window.show_panel(name)

    def press_key(self) -> None:
        key, modifier = self.rng.choice(KEYS)
        self.log.append(f"key {key.name}{' +shift' if modifier else ''}")
        self.panel.view.setFocus()
        QTest.keyClick(self.panel.view, key, modifier)
        self.panel.model.pause()  # a running timer would make later checks race the clock

    def shortcut(self) -> None:
        """A window shortcut that opens no dialog (zoom, fit, presentation, copy)."""
        sequence = self.rng.choice(SHORTCUTS)
        self.log.append(f"shortcut {sequence}")
        wanted = QKeySequence(sequence)
        for action in self.window.findChildren(QAction):
            if action.text().endswith("…"):
                continue  # opens a file dialog
            if any(shortcut == wanted for shortcut in action.shortcuts()):
                action.trigger()
                return

    def set_step(self) -> None:
        model = self.panel.model
        step = self.rng.randint(0, model.nsteps) if model.nsteps else 0
        self.log.append(f"step {step}")
        model.set_step(step)

    def _form_widgets(self, kind: type | tuple[type, ...]) -> list:
        kinds = kind if isinstance(kind, tuple) else (kind,)
        form = self.panel.form
        found = [w for k in kinds for w in form.findChildren(k)]
        return [w for w in found if w.isVisibleTo(form) and w.isEnabled()]

    def type_text(self) -> None:
        edits = self._form_widgets((QLineEdit, QPlainTextEdit))
        edits = [e for e in edits if not isinstance(e.parent(), QSpinBox | QDoubleSpinBox | QComboBox)]
        if not edits:
            return
        edit = self.rng.choice(edits)
        text = self.rng.choice(TEXTS)
        self.log.append(f"type {text[:30]!r} into {edit.objectName() or type(edit).__name__}")
        if isinstance(edit, QLineEdit):
            edit.setText(text)
            edit.textEdited.emit(text)
            edit.editingFinished.emit()
        else:
            edit.setPlainText(text)
        self.panel.run()  # what the debounce timer does a moment later

    def pick_combo(self) -> None:
        boxes = [b for b in self._form_widgets(QComboBox) if b.count()]
        if not boxes:
            return
        box = self.rng.choice(boxes)
        index = self.rng.randrange(box.count())
        self.log.append(f"combo {box.itemText(index)!r}")
        box.setCurrentIndex(index)
        box.activated.emit(index)

    def toggle_check(self) -> None:
        boxes = self._form_widgets(QCheckBox)
        if boxes:
            box = self.rng.choice(boxes)
            self.log.append(f"toggle {box.text()!r}")
            box.click()

    def set_spin(self) -> None:
        spins = self._form_widgets((QSpinBox, QDoubleSpinBox))
        if not spins:
            return
        spin = self.rng.choice(spins)
        value = self.rng.choice((spin.minimum(), spin.maximum(), (spin.minimum() + spin.maximum()) / 2))
        self.log.append(f"spin {spin.prefix()}{value}")
        spin.setValue(int(value) if isinstance(spin, QSpinBox) else value)
        spin.editingFinished.emit()
        self.panel.run()

    def click_button(self) -> None:
        buttons = [
            b
            for b in self._form_widgets(QAbstractButton)
            if isinstance(b, QPushButton) and not b.text().endswith(_DIALOG_BUTTONS)
        ]
        if buttons:
            button = self.rng.choice(buttons)
            self.log.append(f"button {button.text()!r}")
            button.click()

    def pick_example(self) -> None:
        box = self.panel.example_box
        index = self.rng.randrange(1, box.count())
        self.log.append(f"example {box.itemText(index)!r}")
        box.setCurrentIndex(index)
        box.activated.emit(index)

    def resize(self) -> None:
        width, height = self.rng.choice(((900, 600), (1400, 900), (1920, 1080), (700, 500)))
        self.log.append(f"resize {width}x{height}")
        self.window.resize(width, height)

    def click_view(self) -> None:
        viewport = self.panel.view.viewport()
        point = QPoint(
            self.rng.randrange(max(1, viewport.width())), self.rng.randrange(max(1, viewport.height()))
        )
        self.log.append(f"click {point.x()},{point.y()}")
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)

    # -- one step of the monkey, and what must hold after it -----------------------------------------
    def act(self) -> None:
        weights = [w for w, _ in self.actions]
        _, action = self.rng.choices(self.actions, weights=weights)[0]
        action()
        QApplication.processEvents()
        # Paint now, synchronously: outside testing found paint-time bugs (a grid painting rows it
        # no longer had after an input shrank it; unbalanced QPainter saves) that only a paint shows.
        self.panel.view.viewport().repaint()
        self.check()

    def check(self) -> None:
        """The slider, the trace and the narration agree (what item 9's bug broke)."""
        panel, model = self.panel, self.panel.model
        trace = panel.current_trace()
        assert trace is not None, self.where("the panel holds no trace")
        assert model.nsteps == len(trace), self.where(f"slider has {model.nsteps} steps, trace {len(trace)}")
        assert 0 <= model.current_step <= model.nsteps, self.where("the step is outside the trace")
        heading, text = panel.narration(model.current_step)
        shown = self.window.narration.text.text()
        assert shown == text, self.where(f"narration shows {shown[:60]!r}, step says {text[:60]!r}")

    def where(self, problem: str) -> str:
        recent = "; ".join(self.log[-8:])
        return f"seed {self.seed}, action {len(self.log)}: {problem} (last actions: {recent})"
