"""Minimum edit distance panel (SLP3 §2.5): the grid fills, then the backtrace.

At each fill step the current cell is outlined, its three (four with
transposition) candidate cells are tinted with the total each offers on the
arrow between them, and the winners' arrows are drawn solid. The backtrace
paints the optimal path and reveals the alignment under the grid, right to
left, until its cost line equals the distance.

The inputs are declared once in :class:`EditDistanceInputs`; what the grid
shows at a step is decided by :func:`visualizer.marks.edit_distance.marks_for`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QComboBox, QWidget

from algorithms.edit_distance import MAX_TRACED_ITEMS, EditDistanceResult, edit_distance
from algorithms.trace import format_number
from visualizer.declared import Inputs, choice, flag, number, text
from visualizer.form import DeclaredForm
from visualizer.marks.edit_distance import LEGEND_SAMPLES, cost_line, legend_entries, marks_for
from visualizer.panels.base import Panel
from visualizer.views.blocks import AlignmentItem, CaptionItem, LegendItem
from visualizer.views.grid import GridItem

__all__ = ["EditDistancePanel", "EditDistanceInputs", "PRESETS"]

#: Cost presets: label -> (insertion, deletion, substitution).
PRESETS: dict[str, tuple[float, float, float]] = {
    "Levenshtein 1/1/1": (1, 1, 1),
    "SLP3 1/1/2": (1, 1, 2),
}
_CUSTOM = "Custom"
_COSTS = ("insertion_cost", "deletion_cost", "substitution_cost")
_PHASE_TITLES = {
    "start": "Start",
    "init": "Initialisation: the first column and row",
    "fill": "Filling the table",
    "backtrace": "Backtrace",
    "done": "Done",
}


@dataclass(frozen=True)
class EditDistanceInputs(Inputs):
    """What the edit-distance panel computes from: two strings (or word lists) and the costs."""

    WHAT = "edit-distance"
    SCHEMA = 2  # 2: the three costs are fields of their own (schema 1 had "costs": [ins, del, sub])

    source: str = text("Source", "intention", "The source string", "--source", "source (may be empty)")
    target: str = text("Target", "execution", "The target string", "--target", "target (may be empty)")
    mode: str = choice(
        "Compare",
        "characters",
        {"characters": "Characters", "words": "Words"},
        "Compare character by character, or word by word (split on spaces)",
        switch="words",
        option="--words",
    )
    insertion_cost: float | str = number(
        "ins", 1.0, "Cost of inserting one item", "--insertion-cost", typed_text=True
    )
    deletion_cost: float | str = number(
        "del", 1.0, "Cost of deleting one item", "--deletion-cost", typed_text=True
    )
    substitution_cost: float | str = number(
        # SLP3's Levenshtein (substitution 2), as the window's first example: the CLI draws the same figure.
        "sub",
        2.0,
        "Cost of substituting one item (a match costs 0)",
        "--substitution-cost",
        typed_text=True,
    )
    transpositions: bool = flag(
        "Transpositions",
        False,
        "Allow swapping two adjacent items (restricted Damerau–Levenshtein)",
        "--transpositions",
    )
    transposition_cost: float | str = number(
        "trans", 1.0, "Cost of one transposition", "--transposition-cost", typed_text=True
    )
    show_backpointers: bool = flag(
        "All backpointers",
        False,
        "Mark every co-optimal backpointer in every filled cell (↖ ↑ ← ⇖)",
        "--backpointers",
        redraw_only=True,
    )

    @classmethod
    def migrate(cls, values: dict[str, Any], schema: int) -> dict[str, Any]:
        """Schema 1 (lessons before December 2026) kept the costs as one list."""
        costs = values.pop("costs", None)
        if isinstance(costs, list | tuple):
            if len(costs) != 3:
                raise ValueError(
                    f'The edit-distance input "costs" must be a list of 3 items; got {costs!r}.'[:200]
                )
            values.update(zip(_COSTS, costs, strict=True))
        elif costs is not None:
            raise ValueError(
                f'The edit-distance input "costs" must be a list of 3 items; got {costs!r}.'[:200]
            )
        return values


class EditDistancePanel(Panel):
    """Minimum edit distance with the SLP3 grid, backtrace and alignment."""

    name = "edit-distance"
    inputs_class = EditDistanceInputs
    examples = (
        (
            "intention → execution (SLP3)",
            {
                "source": "intention",
                "target": "execution",
                "mode": "characters",
                "insertion_cost": 1,
                "deletion_cost": 1,
                "substitution_cost": 2,
            },
        ),
        (
            "intention → execution (Levenshtein)",
            {
                "source": "intention",
                "target": "execution",
                "mode": "characters",
                "insertion_cost": 1,
                "deletion_cost": 1,
                "substitution_cost": 1,
            },
        ),
        (
            "graffe → giraffe",
            {
                "source": "graffe",
                "target": "giraffe",
                "mode": "characters",
                "insertion_cost": 1,
                "deletion_cost": 1,
                "substitution_cost": 1,
            },
        ),
        (
            "Words: two sentences",
            {
                "source": "the quick brown fox jumps over the dog",
                "target": "a quick fox jumped over the lazy dog",
                "mode": "words",
                "insertion_cost": 1,
                "deletion_cost": 1,
                "substitution_cost": 2,
            },
        ),
        (
            "Transposition: caht → chat",
            {
                "source": "caht",
                "target": "chat",
                "mode": "characters",
                "insertion_cost": 1,
                "deletion_cost": 1,
                "substitution_cost": 1,
                "transpositions": True,
            },
        ),
    )

    result: EditDistanceResult | None = None
    _hover: tuple[int, int] | None = None
    _grid: GridItem | None = None
    _caption: CaptionItem | None = None
    _legend: LegendItem | None = None
    _alignment: AlignmentItem | None = None
    _title = ""
    _cost_text = ""

    # -- the form --------------------------------------------------------------------
    def build_form(self) -> QWidget:
        self.example_box = self.build_example_box()
        self.preset_box = QComboBox()
        self.preset_box.addItems([*PRESETS, _CUSTOM])
        self.preset_box.setToolTip("Cost presets; typing a cost switches to Custom")
        rows = [
            [self.example_box, "source", "target", "mode"],
            [self.preset_box, *_COSTS, "transpositions", "transposition_cost", "show_backpointers"],
        ]
        form = self.declared_form = DeclaredForm(EditDistanceInputs, rows)
        widgets = form.widgets
        # The names tests, tools and the monkey driver use for the boxes.
        self.source_edit, self.target_edit = widgets["source"], widgets["target"]
        self.mode_box = widgets["mode"]
        self.insertion_edit, self.deletion_edit = widgets["insertion_cost"], widgets["deletion_cost"]
        self.substitution_edit = widgets["substitution_cost"]
        self.transpositions_box = widgets["transpositions"]
        self.transposition_edit = widgets["transposition_cost"]
        self.backpointers_box = widgets["show_backpointers"]
        form.edited.connect(self._edited)
        form.restyled.connect(lambda: self.show_step(self.model.current_step))
        self.preset_box.activated.connect(self._apply_preset)
        return form

    def _edited(self, now: bool) -> None:
        self.form_filled(None)
        self.run() if now else self.schedule_run()

    def _apply_preset(self, index: int) -> None:
        label = self.preset_box.itemText(index)
        if label in PRESETS:
            for edit, cost in zip(self._cost_edits(), PRESETS[label], strict=True):
                edit.setText(format_number(cost))
            self.run()

    def _cost_edits(self) -> tuple[Any, Any, Any]:
        return (self.insertion_edit, self.deletion_edit, self.substitution_edit)

    def form_filled(self, inputs: Any) -> None:
        """The preset box names the costs shown; the transposition cost is editable only when used."""
        self.transposition_edit.setEnabled(self.transpositions_box.isChecked())
        texts = tuple(edit.text().strip() for edit in self._cost_edits())
        for label, costs in PRESETS.items():
            if texts == tuple(format_number(c) for c in costs):
                self.preset_box.setCurrentText(label)
                return
        self.preset_box.setCurrentText(_CUSTOM)

    # -- computing -----------------------------------------------------------------------
    def compute(self) -> None:
        inputs = self.form_inputs()
        words = inputs.mode == "words"
        source = inputs.source.split() if words else inputs.source
        target = inputs.target.split() if words else inputs.target
        for role, items in (("source", source), ("target", target)):
            if len(items) > MAX_TRACED_ITEMS:
                unit = "words" if words else "characters"
                raise ValueError(
                    f"The {role} has {len(items):,} {unit}; this panel shows at most "
                    f"{MAX_TRACED_ITEMS:,} per side."
                )
        result = edit_distance(
            source,
            target,
            insertion_cost=_parse_cost(inputs.insertion_cost, "insertion"),
            deletion_cost=_parse_cost(inputs.deletion_cost, "deletion"),
            substitution_cost=_parse_cost(inputs.substitution_cost, "substitution"),
            transpositions=inputs.transpositions,
            transposition_cost=_parse_cost(inputs.transposition_cost, "transposition"),
        )
        self.result = result
        self._hover = None
        self._build_scene(inputs.source, inputs.target, words)
        self.model.set_trace(result.trace)

    def _build_scene(self, source_text: str, target_text: str, words: bool) -> None:
        result = self.result
        assert result is not None
        self.scene.clear()
        palette = self.palette_roles
        rows = ["#", *map(_header, result.source)]
        columns = ["#", *map(_header, result.target)]
        self._caption = CaptionItem(palette)
        self._legend = LegendItem(palette, legend_entries(self.backpointers_box.isChecked()), LEGEND_SAMPLES)
        self._grid = GridItem(rows, columns, result.table, palette, corner_label="src \\ tgt")
        self._grid.hovered.connect(self._hovered)
        self.view.frozen_headers = self._grid
        self._alignment = AlignmentItem(palette)
        self._alignment.set_alignment(result.alignment, cost_line(result))
        for item in (self._caption, self._legend, self._grid, self._alignment):
            self.scene.addItem(item)
        self._legend.setPos(0, 62)
        self._grid.setPos(0, 100)
        self._alignment.setPos(0, 100 + self._grid.boundingRect().height() + 24)
        self.add_part("table", self._legend, self._grid)
        self.add_part("alignment", self._alignment)
        # Room for the alignment the backtrace reveals, so the view can scroll to it then.
        alignment = self._alignment.mapRectToScene(self._alignment.full_rect())
        self.scene.setSceneRect(self.export_rect().united(alignment.adjusted(0, 0, 24, 24)))
        costs = result.costs
        cost_text = (
            f"ins {format_number(costs['ins'])} · del {format_number(costs['del'])} · "
            f"sub {format_number(costs['sub'])}"
        )
        if self.transpositions_box.isChecked():
            cost_text += f" · trans {format_number(costs['trans'])}"
        self._title = f"{_shown(source_text, words)} → {_shown(target_text, words)}"
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
        grid.set_marks(marks_for(result, state, self._hover, self.backpointers_box.isChecked()))
        if self._legend is not None:
            self._legend.set_entries(legend_entries(self.backpointers_box.isChecked()), LEGEND_SAMPLES)
        self._alignment.set_revealed(state.alignment_shown)
        # No spoilers: the distance joins the title once D[n,m] has been computed.
        title = self._title + (
            f"   distance {format_number(result.distance)}" if state.filled[-1, -1] else ""
        )
        self._caption.set_text(
            title, f"{self._cost_text}   ·   step {step:,} / {len(result.trace):,}   ·   {state.phase}"
        )

    def focus_rect(self, step: int) -> QRectF:
        """The cell the step fills or walks through; D[0,0] at the start."""
        if self.result is None or self._grid is None:
            return QRectF()
        current = self.result.locate(step)[1] or (0, 0)
        return self._grid.mapRectToScene(self._grid.cell_rect(current))

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


def _parse_cost(value: float | str, name: str) -> float:
    """A cost from the form: a number, or the text typed in its box (refused in one sentence)."""
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            shown = value.strip() or "nothing"
            raise ValueError(f"The {name} cost must be a number; got {shown!r}.") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"The {name} cost must be a non-negative number; got {format_number(value)}.")
    return value


def _header(item: object) -> str:
    """A character as its header shows it: a space as ␣, so a blank header is never a mystery."""
    text = str(item)
    return "␣" if text == " " else text


def _shown(text: str, words: bool) -> str:
    shown = text if text else "ε"
    if len(shown) > 40:
        shown = shown[:37] + "…"
    return f"“{shown}”" if words else shown


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(EditDistancePanel)
