"""The edit-distance grid at a step: which cells are tinted, outlined, joined by arrows and badged."""

from __future__ import annotations

import math

from algorithms.edit_distance import EditDistanceResult, GridState
from algorithms.trace import format_number
from visualizer.views.marks import Arrow, Badge, Cell, GridMarks

__all__ = ["marks_for", "cost_line", "legend_entries", "LEGEND_SAMPLES", "MOVES"]

#: Backpointers are drawn as arrow glyphs in the cells: the legend shows the glyphs.
LEGEND_SAMPLES = {"backpointer": "glyph:←↑↖"}


def legend_entries(show_backpointers: bool) -> list[tuple[str, str]]:
    """The roles the grid draws; the backpointer glyphs only when they are shown."""
    entries = [
        ("current", "current cell"),
        ("candidate", "candidate"),
        ("chosen", "winner"),
        ("final_path", "backtrace path"),
    ]
    if show_backpointers:
        entries.append(("backpointer", "came from (every tie)"))
    return entries


#: The move back from a cell for each operation index of ``OPERATIONS`` (sub, del, ins, trans).
MOVES = {0: (1, 1), 1: (1, 0), 2: (0, 1), 3: (2, 2)}
_TRANS_INDEX = 3


def marks_for(
    result: EditDistanceResult,
    state: GridState,
    hover: Cell | None = None,
    show_backpointers: bool = False,
) -> GridMarks:
    """The grid's marks for ``state``: the fill's current cell and its candidates, or the backtrace path.

    ``hover`` is a filled cell under the mouse (its backpointers are drawn);
    ``show_backpointers`` marks every co-optimal backpointer in every filled cell.
    """
    marks = GridMarks(filled=state.filled)
    if state.phase in ("init", "fill") and state.current is not None:
        _mark_current_cell(marks, result, state.current)
    elif state.phase in ("backtrace", "done"):
        _mark_path(marks, state)
    if show_backpointers:
        marks.glyphs = result.backpointers
        marks.glyph_directions = [MOVES[k] for k in range(4)]
    if hover is not None and state.filled[hover] and hover != state.current:
        _mark_hover(marks, result, hover)
    return marks


def _mark_current_cell(marks: GridMarks, result: EditDistanceResult, cell: Cell) -> None:
    i, j = cell
    marks.fills[cell] = "current"
    marks.outlines[cell] = "current"
    marks.row_header_role[i] = "current"
    marks.column_header_role[j] = "current"
    for k in range(4):
        total = result.candidates[i, j, k]
        di, dj = MOVES[k]
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


def _mark_path(marks: GridMarks, state: GridState) -> None:
    for cell in state.path:
        marks.fills[cell] = "final_path"
    for start, end in zip(state.path, state.path[1:], strict=False):
        marks.arrows.append(Arrow(start, end, "final_path", 3.5))
    if state.phase == "backtrace" and state.current is not None:
        marks.outlines[state.current] = "current"
        # As in the fill, the headers say which items this cell compares.
        marks.row_header_role[state.current[0]] = "current"
        marks.column_header_role[state.current[1]] = "current"


def _mark_hover(marks: GridMarks, result: EditDistanceResult, cell: Cell) -> None:
    i, j = cell
    for k in range(4):
        if result.backpointers[i, j, k]:
            di, dj = MOVES[k]
            origin = (i - di, j - dj)
            marks.fills.setdefault(origin, "candidate")
            marks.arrows.append(Arrow(cell, origin, "backpointer", 2.5))
    marks.outlines.setdefault(cell, "backpointer")


def cost_line(result: EditDistanceResult) -> str:
    """The alignment's cost written out under it: ``cost = d + s + s … = 8``."""
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
