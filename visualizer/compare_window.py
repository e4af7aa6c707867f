"""View → Compare: the panel shown two or three times side by side, one shared player.

The variants differ in one input (``algorithm=viterbi,forward``). Their traces are
laid on one timeline (:func:`algorithms.compare.align`); a shared
:class:`~visualizer.player.PlaybackModel` drives it, and each half only listens:
its own model goes to its aligned step, its own narration under it. A difference
line on top says where the variants first part.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from algorithms.compare import align, first_difference
from visualizer.compare_figure import SharedSteps, parse_compare
from visualizer.player import PlaybackModel, PlayerBar

__all__ = ["CompareWindow", "SUGGESTED"]

#: What Compare offers first for each panel (any input of the panel can be typed instead).
SUGGESTED = {
    "edit-distance": "substitution_cost=1,2",
    "hmm": "algorithm=viterbi,forward",
    "cky": "mode=cky,pcky",
    "ngram": "smoothing=mle,laplace,kneser-ney",
    "embeddings": "alpha=1,0.75",
    "dependency": "system=arc-standard,arc-eager",
    "spelling": "model=trained,textbook",
    "neural": "seed=0,1",
}


class CompareWindow(QWidget):
    """Two or three variants of ``panel`` on its current inputs, stepping together."""

    def __init__(self, panel: Any, comparison: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        panel_class = type(panel)
        option, values = parse_compare(comparison, panel_class.inputs_class)
        inputs = panel.shown_inputs if panel.shown_inputs is not None else panel.inputs()
        self.labels = [f"{option.replace('_', ' ')} = {v}" for v in values]
        self.panels = [panel_class(panel.palette_roles, inputs={**inputs, option: v}) for v in values]
        results = [p.stepwise() for p in self.panels]
        if any(r is None for r in results):
            raise ValueError(f"The {panel.name} panel's steps cannot be compared yet.")
        self.timeline = align(results)
        self.setWindowTitle(f"Trellis — {panel.name}: {', '.join(self.labels)}")
        self.difference = QLabel(first_difference(results, self.labels, self.timeline))
        self.difference.setTextFormat(Qt.TextFormat.PlainText)
        self.difference.setWordWrap(True)
        font = self.difference.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.difference.setFont(font)
        self.narrations: list[QLabel] = []
        halves = QHBoxLayout()
        for variant, label in zip(self.panels, self.labels, strict=True):
            variant.form.hide()  # the inputs are the compared panel's; only the option differs
            column = QVBoxLayout()
            title = QLabel(label)
            title.setFont(font)
            narration = QLabel()
            narration.setWordWrap(True)
            narration.setTextFormat(Qt.TextFormat.PlainText)
            narration.setMinimumHeight(narration.fontMetrics().lineSpacing() * 3)
            self.narrations.append(narration)
            for widget, stretch in ((title, 0), (variant, 1), (narration, 0)):
                column.addWidget(widget, stretch)
            halves.addLayout(column, 1)
        # One shared model: the player drives it, every half follows it (none drives another).
        self.model = PlaybackModel(self)
        self.player = PlayerBar()
        self.player.set_model(self.model)
        self.model.step_changed.connect(self._follow)
        layout = QVBoxLayout(self)
        layout.addWidget(self.difference)
        layout.addLayout(halves, 1)
        layout.addWidget(self.player)
        for keys, move in (
            ("Right", self.model.step_forward), ("Left", self.model.step_back),
            ("Home", self.model.to_start), ("End", self.model.to_end), ("Space", self.model.toggle_play),
        ):  # fmt: skip
            QShortcut(QKeySequence(keys), self, move)
        self.model.set_trace(SharedSteps(len(self.timeline) - 1, self.timeline, results[0].trace), 0)
        self.resize(1600, 900)

    def _follow(self, step: int) -> None:
        for variant, at, narration in zip(self.panels, self.timeline[step], self.narrations, strict=True):
            variant.model.set_step(at)
            heading, text = variant.narration(at)
            narration.setText(f"{heading}: {text}" if heading else text)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        self.model.pause()
        super().closeEvent(event)
