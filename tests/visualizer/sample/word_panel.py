"""A whole panel in one module, for tests/visualizer/test_adding_a_panel.py: what a new panel writes.

It shows the edit-distance grid of two words with the current cell lit. Everything
else (form, command line, lessons, settings, checks of its JSON) comes from its
inputs declaration and the base class. Its marks are a pure function beside it
(a real panel keeps them in visualizer/marks/ so they are tested without Qt).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRectF

from algorithms.edit_distance import EditDistanceResult, GridState, edit_distance
from visualizer.declared import Inputs, text
from visualizer.form import DeclaredForm
from visualizer.panels.base import Panel
from visualizer.views.grid import GridItem
from visualizer.views.marks import GridMarks


@dataclass(frozen=True)
class WordInputs(Inputs):
    WHAT = "word-grid"
    source: str = text("Source", "kitten", "the first word", "--source")
    target: str = text("Target", "sitting", "the second word", "--target")


def marks_for(state: GridState) -> GridMarks:
    marks = GridMarks(filled=state.filled)
    if state.current is not None:
        marks.outlines[state.current] = "current"
    return marks


class WordGridPanel(Panel):
    """Levenshtein distance of two words, cell by cell."""

    name = "word-grid"
    inputs_class = WordInputs
    examples = (("kitten → sitting", {"source": "kitten", "target": "sitting"}),)
    result: EditDistanceResult | None = None
    _grid: GridItem | None = None

    def build_form(self) -> Any:
        self.declared_form = DeclaredForm(WordInputs, [["source", "target"]])
        self.declared_form.edited.connect(lambda now: self.run() if now else self.schedule_run())
        return self.declared_form

    def compute(self) -> None:
        inputs = self.form_inputs()
        self.result = edit_distance(inputs.source, inputs.target)
        self.scene.clear()
        self._grid = GridItem(
            ["#", *inputs.source], ["#", *inputs.target], self.result.table, self.palette_roles
        )
        self.scene.addItem(self._grid)
        self.model.set_trace(self.result.trace)

    def show_step(self, step: int) -> None:
        if self.result is not None and self._grid is not None:
            self._grid.set_marks(marks_for(self.result.state_at(step)))

    def focus_rect(self, step: int) -> QRectF:
        if self.result is None or self._grid is None:
            return QRectF()
        cell = self.result.locate(step)[1] or (0, 0)
        return self._grid.mapRectToScene(self._grid.cell_rect(cell))

    def narration(self, step: int) -> tuple[str, str]:
        return ("Word grid", self.result.narrate(step) if self.result else "")
