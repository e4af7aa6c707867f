"""Minimum edit distance panel (SLP3 §2.5): the grid fills, then the backtrace.

At each fill step the current cell is outlined, its three (four with
transposition) candidate cells are tinted with the total each offers on the
arrow between them, and the winners' arrows are drawn solid. The backtrace
paints the optimal path and reveals the alignment under the grid, right to
left, until its cost line equals the distance.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from algorithms.edit_distance import (
    MAX_TRACED_ITEMS,
    EditDistanceResult,
    GridState,
    edit_distance,
)
from algorithms.trace import format_number
from visualizer.inputs import Fields
from visualizer.panels.base import Panel
from visualizer.theme import LIGHT, Palette
from visualizer.views.blocks import AlignmentItem, CaptionItem, LegendItem
from visualizer.views.grid import Arrow, Badge, GridItem, GridMarks

__all__ = ["EditDistancePanel", "PRESETS"]

#: Cost presets: label -> (insertion, deletion, substitution).
PRESETS: dict[str, tuple[float, float, float]] = {
    "Levenshtein 1/1/1": (1, 1, 1),
    "SLP3 1/1/2": (1, 1, 2),
}
_CUSTOM = "Custom"
_OP_INDEX = {"sub": 0, "match": 0, "del": 1, "ins": 2, "trans": 3}
_MOVES = {0: (1, 1), 1: (1, 0), 2: (0, 1), 3: (2, 2)}
_TRANS_INDEX = 3
_PHASE_TITLES = {
    "start": "Start",
    "init": "Initialisation: the first column and row",
    "fill": "Filling the table",
    "backtrace": "Backtrace",
    "done": "Done",
}


class EditDistancePanel(Panel):
    """Minimum edit distance with the SLP3 grid, backtrace and alignment."""

    name = "edit-distance"
    examples = (
        (
            "intention → execution (SLP3)",
            {"source": "intention", "target": "execution", "mode": "characters", "costs": [1, 1, 2]},
        ),
        (
            "intention → execution (Levenshtein)",
            {"source": "intention", "target": "execution", "mode": "characters", "costs": [1, 1, 1]},
        ),
        (
            "graffe → giraffe",
            {"source": "graffe", "target": "giraffe", "mode": "characters", "costs": [1, 1, 1]},
        ),
        (
            "Words: two sentences",
            {
                "source": "the quick brown fox jumps over the dog",
                "target": "a quick fox jumped over the lazy dog",
                "mode": "words",
                "costs": [1, 1, 2],
            },
        ),
        (
            "Transposition: caht → chat",
            {
                "source": "caht",
                "target": "chat",
                "mode": "characters",
                "costs": [1, 1, 1],
                "transpositions": True,
            },
        ),
    )

    def __init__(
        self,
        palette: Palette | None = None,
        parent: QWidget | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        self.result: EditDistanceResult | None = None
        self._hover: tuple[int, int] | None = None
        self._grid: GridItem | None = None
        self._caption: CaptionItem | None = None
        self._legend: LegendItem | None = None
        self._alignment: AlignmentItem | None = None
        self._title = ""
        self._cost_text = ""
        super().__init__(palette or LIGHT, parent)
        # Compute once: the given inputs (ValueError if refused), else the first example.
        self.set_inputs(inputs if inputs is not None else dict(self.examples[0][1]))

    # -- the form --------------------------------------------------------------------
    def build_form(self) -> QWidget:
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(8, 6, 8, 2)
        self.example_box = self.build_example_box()
        self.source_edit = QLineEdit()
        self.source_edit.setPlaceholderText("source (may be empty)")
        self.target_edit = QLineEdit()
        self.target_edit.setPlaceholderText("target (may be empty)")
        self.mode_box = QComboBox()
        self.mode_box.addItem("Characters", "characters")
        self.mode_box.addItem("Words", "words")
        self.mode_box.setToolTip("Compare character by character, or word by word (split on spaces)")
        self.preset_box = QComboBox()
        self.preset_box.addItems([*PRESETS, _CUSTOM])
        self.preset_box.setToolTip("Cost presets; typing a cost switches to Custom")
        self.insertion_edit = self._cost_edit("Cost of inserting one item")
        self.deletion_edit = self._cost_edit("Cost of deleting one item")
        self.substitution_edit = self._cost_edit("Cost of substituting one item (a match costs 0)")
        self.transpositions_box = QCheckBox("Transpositions")
        self.transpositions_box.setToolTip(
            "Allow swapping two adjacent items (restricted Damerau–Levenshtein)"
        )
        self.transposition_edit = self._cost_edit("Cost of one transposition")
        self.transposition_edit.setText("1")
        self.backpointers_box = QCheckBox("All backpointers")
        self.backpointers_box.setToolTip("Mark every co-optimal backpointer in every filled cell (↖ ↑ ← ⇖)")

        grid.addWidget(self.example_box, 0, 0)
        grid.addWidget(QLabel("Source"), 0, 1)
        grid.addWidget(self.source_edit, 0, 2, 1, 3)
        grid.addWidget(QLabel("Target"), 0, 5)
        grid.addWidget(self.target_edit, 0, 6, 1, 3)
        grid.addWidget(self.mode_box, 0, 9)
        grid.addWidget(self.preset_box, 1, 0)
        grid.addWidget(QLabel("ins"), 1, 1)
        grid.addWidget(self.insertion_edit, 1, 2)
        grid.addWidget(QLabel("del"), 1, 3)
        grid.addWidget(self.deletion_edit, 1, 4)
        grid.addWidget(QLabel("sub"), 1, 5)
        grid.addWidget(self.substitution_edit, 1, 6)
        grid.addWidget(self.transpositions_box, 1, 7)
        grid.addWidget(self.transposition_edit, 1, 8)
        grid.addWidget(self.backpointers_box, 1, 9)
        grid.setColumnStretch(2, 2)
        grid.setColumnStretch(6, 2)

        self.source_edit.textEdited.connect(self.schedule_run)
        self.target_edit.textEdited.connect(self.schedule_run)
        self.source_edit.returnPressed.connect(self.run)
        self.target_edit.returnPressed.connect(self.run)
        self.mode_box.activated.connect(self.run)
        self.preset_box.activated.connect(self._apply_preset)
        for edit in (
            self.insertion_edit,
            self.deletion_edit,
            self.substitution_edit,
            self.transposition_edit,
        ):
            edit.textEdited.connect(self._costs_edited)
            edit.returnPressed.connect(self.run)
        self.transpositions_box.toggled.connect(self._transpositions_toggled)
        self.backpointers_box.toggled.connect(lambda _: self.show_step(self.model.current_step))
        return form

    def _cost_edit(self, tip: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setToolTip(tip)
        edit.setMaximumWidth(70)
        return edit

    def _apply_preset(self, index: int) -> None:
        label = self.preset_box.itemText(index)
        if label in PRESETS:
            for edit, cost in zip(self._cost_edits(), PRESETS[label], strict=True):
                edit.setText(format_number(cost))
            self.run()

    def _costs_edited(self) -> None:
        self._sync_preset()
        self.schedule_run()

    def _transpositions_toggled(self, on: bool) -> None:
        self.transposition_edit.setEnabled(on)
        self.run()

    def _cost_edits(self) -> tuple[QLineEdit, QLineEdit, QLineEdit]:
        return (self.insertion_edit, self.deletion_edit, self.substitution_edit)

    def _sync_preset(self) -> None:
        texts = tuple(edit.text().strip() for edit in self._cost_edits())
        for label, costs in PRESETS.items():
            if texts == tuple(format_number(c) for c in costs):
                self.preset_box.setCurrentText(label)
                return
        self.preset_box.setCurrentText(_CUSTOM)

    # -- inputs ------------------------------------------------------------------------
    def inputs(self) -> dict[str, Any]:
        def number_or_text(edit: QLineEdit) -> float | str:
            try:
                return float(edit.text())
            except ValueError:
                return edit.text()

        return {
            "source": self.source_edit.text(),
            "target": self.target_edit.text(),
            "mode": self.mode_box.currentData(),
            "costs": [number_or_text(edit) for edit in self._cost_edits()],
            "transpositions": self.transpositions_box.isChecked(),
            "transposition_cost": number_or_text(self.transposition_edit),
            "show_backpointers": self.backpointers_box.isChecked(),
        }

    def fill_form(self, values: dict[str, Any]) -> None:
        """Fill the form from ``values`` (lesson, settings, example, CLI) and compute."""
        fields = Fields(values, "edit-distance")
        source, target = fields.text("source", ""), fields.text("target", "")
        mode = fields.choice("mode", "characters", ("characters", "words"))
        costs = fields.items("costs", [1, 1, 1], length=3)
        transposition_cost = values.get("transposition_cost", 1)
        for cost in (*costs, transposition_cost):  # numbers, or the text typed in a cost box
            if isinstance(cost, bool) or not isinstance(cost, int | float | str):
                raise ValueError(f"Each edit-distance cost must be a number; got {cost!r}.")
        transpositions = fields.flag("transpositions", False)
        show_backpointers = fields.flag("show_backpointers", False)
        self.source_edit.setText(source)
        self.target_edit.setText(target)
        self.mode_box.setCurrentIndex(self.mode_box.findData(mode))
        for edit, cost in zip(self._cost_edits(), costs, strict=True):
            edit.setText(_text(cost))
        self.transposition_edit.setText(_text(transposition_cost))
        self.transpositions_box.blockSignals(True)
        self.transpositions_box.setChecked(transpositions)
        self.transposition_edit.setEnabled(transpositions)
        self.transpositions_box.blockSignals(False)
        self.backpointers_box.blockSignals(True)
        self.backpointers_box.setChecked(show_backpointers)
        self.backpointers_box.blockSignals(False)
        self._sync_preset()

    @classmethod
    def add_export_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--source", default="intention", help="source string (default: intention)")
        parser.add_argument("--target", default="execution", help="target string (default: execution)")
        parser.add_argument("--words", action="store_true", help="compare whitespace-separated words")
        parser.add_argument("--insertion-cost", default="1", metavar="COST", help="default 1")
        parser.add_argument("--deletion-cost", default="1", metavar="COST", help="default 1")
        parser.add_argument("--substitution-cost", default="1", metavar="COST", help="default 1")
        parser.add_argument("--transpositions", action="store_true", help="allow adjacent transpositions")
        parser.add_argument("--transposition-cost", default="1", metavar="COST", help="default 1")
        parser.add_argument("--backpointers", action="store_true", help="mark all co-optimal backpointers")

    @classmethod
    def inputs_from_arguments(cls, arguments: argparse.Namespace) -> dict[str, Any]:
        return {
            "source": arguments.source,
            "target": arguments.target,
            "mode": "words" if arguments.words else "characters",
            "costs": [arguments.insertion_cost, arguments.deletion_cost, arguments.substitution_cost],
            "transpositions": arguments.transpositions,
            "transposition_cost": arguments.transposition_cost,
            "show_backpointers": arguments.backpointers,
        }

    # -- computing -----------------------------------------------------------------------
    def compute(self) -> None:
        words = self.mode_box.currentData() == "words"
        source_text, target_text = self.source_edit.text(), self.target_edit.text()
        source = source_text.split() if words else source_text
        target = target_text.split() if words else target_text
        for role, items in (("source", source), ("target", target)):
            if len(items) > MAX_TRACED_ITEMS:
                unit = "words" if words else "characters"
                raise ValueError(
                    f"The {role} has {len(items):,} {unit}; this panel shows at most "
                    f"{MAX_TRACED_ITEMS:,} per side."
                )
        insertion, deletion, substitution = (
            _parse_cost(edit.text(), name)
            for edit, name in zip(self._cost_edits(), ("insertion", "deletion", "substitution"), strict=True)
        )
        transposition = _parse_cost(self.transposition_edit.text(), "transposition")
        result = edit_distance(
            source,
            target,
            insertion_cost=insertion,
            deletion_cost=deletion,
            substitution_cost=substitution,
            transpositions=self.transpositions_box.isChecked(),
            transposition_cost=transposition,
        )
        self.result = result
        self._hover = None
        self._build_scene(source_text, target_text, words)
        self.model.set_trace(result.trace)

    def _build_scene(self, source_text: str, target_text: str, words: bool) -> None:
        result = self.result
        assert result is not None
        self.scene.clear()
        palette = self.palette_roles
        rows = ["#", *map(str, result.source)]
        columns = ["#", *map(str, result.target)]
        self._caption = CaptionItem(palette)
        self._legend = LegendItem(
            palette,
            [
                ("current", "current cell"),
                ("candidate", "candidate"),
                ("chosen", "winner"),
                ("final_path", "backtrace path"),
            ],
        )
        self._grid = GridItem(rows, columns, result.table, palette, corner_label="src \\ tgt")
        self._grid.hovered.connect(self._hovered)
        self.view.frozen_headers = self._grid
        self._alignment = AlignmentItem(palette)
        self._alignment.set_alignment(result.alignment, _cost_line(result))
        for item in (self._caption, self._legend, self._grid, self._alignment):
            self.scene.addItem(item)
        self._legend.setPos(0, 62)
        self._grid.setPos(0, 100)
        self._alignment.setPos(0, 100 + self._grid.boundingRect().height() + 24)
        self.scene.setSceneRect(self.export_rect())
        costs = result.costs
        cost_text = (
            f"ins {format_number(costs['ins'])} · del {format_number(costs['del'])} · "
            f"sub {format_number(costs['sub'])}"
        )
        if self.transpositions_box.isChecked():
            cost_text += f" · trans {format_number(costs['trans'])}"
        self._title = (
            f"{_shown(source_text, words)} → {_shown(target_text, words)}"
            f"   distance {format_number(result.distance)}"
        )
        self._cost_text = f"{'words' if words else 'characters'} · {cost_text}"

    # -- rendering ------------------------------------------------------------------------
    def _hovered(self, cell: tuple[int, int] | None) -> None:
        self._hover = cell
        self.show_step(self.model.current_step)

    def show_step(self, step: int) -> None:
        result, grid = self.result, self._grid
        if result is None or grid is None or self._caption is None or self._alignment is None:
            return
        state = result.state_at(step)
        marks = GridMarks(filled=state.filled)
        if state.phase in ("init", "fill") and state.current is not None:
            self._mark_current_cell(marks, result, state.current)
        elif state.phase in ("backtrace", "done"):
            self._mark_path(marks, state)
        if self.backpointers_box.isChecked():
            marks.glyphs = result.backpointers
            marks.glyph_directions = [_MOVES[k] for k in range(4)]
        if self._hover is not None and state.filled[self._hover] and self._hover != state.current:
            self._mark_hover(marks, result, self._hover)
        grid.set_marks(marks)
        self._alignment.set_revealed(state.alignment_shown)
        self._caption.set_text(
            self._title, f"{self._cost_text}   ·   step {step:,} / {len(result.trace):,}   ·   {state.phase}"
        )
        if state.current is not None and self.model.playing:
            self.view.follow(grid.mapRectToScene(grid.cell_rect(state.current)))

    def _mark_current_cell(self, marks: GridMarks, result: EditDistanceResult, cell: tuple[int, int]) -> None:
        i, j = cell
        marks.fills[cell] = "current"
        marks.outlines[cell] = "current"
        marks.row_header_role[i] = "current"
        marks.column_header_role[j] = "current"
        for k in range(4):
            total = result.candidates[i, j, k]
            di, dj = _MOVES[k]
            origin = (i - di, j - dj)
            if origin[0] < 0 or origin[1] < 0 or not math.isfinite(total):
                continue
            winner = bool(result.backpointers[i, j, k])
            role = "chosen" if winner else "candidate"
            marks.fills.setdefault(origin, "candidate")
            if winner:
                marks.outlines[origin] = "chosen"
            if k == _TRANS_INDEX:
                # Two cells away: an arrow shows where it reaches, and the badge sits on
                # the far corner of the diagonal cell so it does not hide that cell's number.
                marks.arrows.append(Arrow(cell, origin, role, 3 if winner else 1.5, not winner))
                marks.badges.append(Badge(((i - 1, j - 1), origin), format_number(float(total)), role))
            else:
                # Neighbours: the badge on the shared border says what that route costs.
                marks.badges.append(Badge((cell, origin), format_number(float(total)), role))

    def _mark_path(self, marks: GridMarks, state: GridState) -> None:
        for cell in state.path:
            marks.fills[cell] = "final_path"
        for start, end in zip(state.path, state.path[1:], strict=False):
            marks.arrows.append(Arrow(start, end, "final_path", 3.5))
        if state.phase == "backtrace" and state.current is not None:
            marks.outlines[state.current] = "current"
            # As in the fill, the headers say which items this cell compares.
            marks.row_header_role[state.current[0]] = "current"
            marks.column_header_role[state.current[1]] = "current"

    def _mark_hover(self, marks: GridMarks, result: EditDistanceResult, cell: tuple[int, int]) -> None:
        i, j = cell
        for k in range(4):
            if result.backpointers[i, j, k]:
                di, dj = _MOVES[k]
                origin = (i - di, j - dj)
                marks.fills.setdefault(origin, "candidate")
                marks.arrows.append(Arrow(cell, origin, "backpointer", 2.5))
        marks.outlines.setdefault(cell, "backpointer")

    def narration(self, step: int) -> tuple[str, str]:
        if self.result is None:
            return ("", "")
        # Only the phase and cell are needed here; show_step builds the full grid state.
        phase, current = self.result.locate(step)
        heading = _PHASE_TITLES[phase]
        if phase == "fill" and current is not None:
            i = current[0]
            heading = (
                f"Filling row {i} of {len(self.result.source)} (source item '{self.result.source[i - 1]}')"
            )
        text = self.result.trace.narrate(step)
        if step == len(self.result.trace) and len(self.result.trace) > 1:
            text += "  Press Home to replay from the start."
        return (heading, text)

    def cell_scene_point(self, cell: tuple[int, int]) -> QPointF:
        """Scene position of a cell's centre (for tests and tools that point at cells)."""
        assert self._grid is not None
        return self._grid.mapToScene(self._grid.cell_rect(cell).center())

    @property
    def grid(self) -> GridItem | None:
        return self._grid


def _parse_cost(text: str, name: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        shown = text.strip() or "nothing"
        raise ValueError(f"The {name} cost must be a number; got {shown!r}.") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"The {name} cost must be a non-negative number; got {text.strip()}.")
    return value


def _text(value: Any) -> str:
    return (
        format_number(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else str(value)
    )


def _shown(text: str, words: bool) -> str:
    shown = text if text else "ε"
    if len(shown) > 40:
        shown = shown[:37] + "…"
    return f"“{shown}”" if words else shown


def _cost_line(result: EditDistanceResult) -> str:
    costs = {"sub": result.costs["sub"], "ins": result.costs["ins"], "del": result.costs["del"]}
    terms: list[tuple[str, float]] = []
    seen_trans = False
    for op, _, _ in result.alignment:
        if op == "trans":
            if not seen_trans:
                terms.append(("t", result.costs["trans"]))
            seen_trans = not seen_trans
        elif op != "match":
            terms.append((op[0], costs[op]))
    total = format_number(result.distance)
    if not terms:
        return f"cost = 0: every item matches (distance {total})"
    if len(terms) <= 16:
        letters = " + ".join(letter for letter, _ in terms)
        numbers = " + ".join(format_number(cost) for _, cost in terms)
        return f"cost = {letters} = {numbers} = {total}"
    counts = result.operation_counts()
    parts = [f"{counts[op]} {op}" for op in ("sub", "ins", "del", "trans") if counts[op]]
    return f"cost = {', '.join(parts)} = {total}"


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(EditDistancePanel)
