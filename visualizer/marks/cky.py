"""The CKY picture at a step: the chart's cells and entries by role, the rules lit, the newest constituent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from algorithms.cfg import CNFStep
from algorithms.cky import CKYResult, LexicalStep, ProbabilisticCKYResult, SplitStep
from algorithms.trace import StepEvent, Trace, format_probability
from visualizer.views.marks import GridMarks

__all__ = [
    "chart_marks",
    "cell_lines",
    "rule_marks",
    "newest_entry",
    "result_line",
    "count_parses",
    "legend_entries",
]

Result = CKYResult | ProbabilisticCKYResult


def count_parses(result: CKYResult) -> tuple[int, str | None]:
    """(number of parses, None) or (0, the sentence saying there are infinitely many)."""
    try:
        return result.tree_count(), None
    except ValueError as infinite:
        return 0, str(infinite)


def cell_lines(result: Result, entries: dict[str, float], style: str) -> list[str]:
    """A cell's entries as lines: names for CKY, ``NP  .0039`` for probabilistic CKY."""
    if not isinstance(result, ProbabilisticCKYResult):
        return list(entries)
    return [f"{name}  {format_probability(value, style)}" for name, value in entries.items()]


def chart_marks(
    result: Result,
    position: int,
    event: StepEvent | None,
    start: str,
    style: str,
    done_lines: dict[Any, list[str]],
) -> tuple[GridMarks, tuple[int, int] | None]:
    """The chart's marks at chart ``position`` (after the CNF steps), and the cell being filled.

    The chart is drawn as an n × n grid whose column j−1 holds span end j. ``done_lines``
    caches the text of finished cells (it depends only on the result and the style).
    """
    n = result.n
    marks = GridMarks(filled=(result.cell_done_at()[:n, 1:] <= position).copy())
    chart_event = event if isinstance(event, LexicalStep | SplitStep) else None
    if position >= len(result.trace) and n > 1:
        # The last step is the answer: the top cell alone is lit, not the last (often empty) split.
        chart_event = None
    added: set[str] = set()
    operands: dict[tuple[int, int], set[str]] = {}
    if isinstance(chart_event, SplitStep):
        i, j, k = chart_event.i, chart_event.j, chart_event.k
        assert marks.filled is not None
        marks.filled[i, j - 1] = True
        marks.fills[(i, j - 1)] = "current"
        marks.outlines[(i, j - 1)] = "current"
        # No arrows: in a chart they would cross the entries of the cells in between.
        for cell in ((i, k), (k, j)):
            marks.fills[(cell[0], cell[1] - 1)] = "candidate"
        added = {c.lhs for c in chart_event.combinations if c.outcome in ("add", "better")}
        operands = {
            (i, k): {c.left for c in chart_event.combinations},
            (k, j): {c.right for c in chart_event.combinations},
        }
    elif isinstance(chart_event, LexicalStep):
        i, j = chart_event.cell
        marks.fills[(i, j - 1)] = "current"
        marks.outlines[(i, j - 1)] = "current"
        marks.column_header_role[j - 1] = "current"
        added = {lhs for lhs, _ in chart_event.entries}
    current = chart_event.cell if chart_event is not None else None
    finished = position >= result.cell_done_at()[0, n]

    def texts(cell: tuple[int, int]) -> list[tuple[str, str]]:
        i, j = cell[0], cell[1] + 1
        if (i, j) == current:
            entries = result.cell_at(i, j, position)
            names, lines = list(entries), cell_lines(result, entries, style)
        else:
            lines = done_lines.get((i, j))
            if lines is None:
                lines = done_lines[(i, j)] = cell_lines(result, result.log_cell(i, j), style)
            names = list(result.log_cell(i, j))
        roles = []
        used = operands.get((i, j), set())
        for name, line in zip(names, lines, strict=True):
            if (i, j) == current and name in added:
                role = "chosen"
            elif name in used:
                role = "candidate"
            elif (i, j) == (0, n) and name == start and finished:
                role = "final_path"
            else:
                role = "text"
            roles.append((line, role))
        return roles

    marks.texts = texts
    if finished and result.recognized:
        marks.fills[(0, n - 1)] = "final_path"
    return marks, current


def rule_marks(
    conversion: Sequence[CNFStep], step: int, event: StepEvent | None
) -> tuple[dict[Any, str], dict[Any, str], set[Any], set[Any]]:
    """(fills, outlines, struck, hidden) of rules by key: what the conversion did so far, the rules used now.

    Rules that a later conversion step adds are hidden: no spoiling the CNF before it is made.
    """
    fills: dict[Any, str] = {}
    outlines: dict[Any, str] = {}
    struck: set[Any] = set()
    hidden = {p.key for cnf_step in conversion[max(step, 0) :] for p in cnf_step.added}
    for n, cnf_step in enumerate(conversion[: min(step, len(conversion))], start=1):
        is_current = n == step
        for p in cnf_step.removed:
            struck.add(p.key)
            if is_current:
                outlines[p.key] = "current"
        for p in cnf_step.added:
            fills[p.key] = "current" if is_current else "added"
    if isinstance(event, SplitStep):
        for c in event.combinations:
            outlines[(c.lhs, (c.left, c.right), (False, False))] = (
                "chosen" if c.outcome in ("add", "better") else "candidate"
            )
    elif isinstance(event, LexicalStep):
        for lhs, _ in event.entries:
            outlines[(lhs, (event.word,), (True,))] = "chosen"
    return fills, outlines, struck, hidden - set(fills)


def newest_entry(trace: Trace[Any], step: int, offset: int) -> tuple[int, int, str] | None:
    """(i, j, A) of the newest constituent at ``step``: this step's, or the last one built before it."""
    # A few splits back at most, since every column starts with its word's entries.
    for back in range(step, offset, -1):
        event = trace[back - 1]
        if isinstance(event, SplitStep):
            winners = [c for c in event.combinations if c.outcome in ("add", "better")]
            if winners:
                return event.i, event.j, winners[-1].lhs
        elif isinstance(event, LexicalStep):
            return event.j - 1, event.j, event.entries[-1][0]
    return None


def legend_entries(start: str, converted: bool) -> list[tuple[str, str]]:
    """The chart's roles, and the CNF tint when the grammar had to be converted."""
    entries = [
        ("current", "cell being filled"),
        ("candidate", "the two cells combined"),
        ("chosen", "entry just added"),
        ("final_path", f"{start} over the whole sentence"),
    ]
    if converted:
        entries.append(("added", "rule added by the CNF conversion"))
    return entries


def result_line(result: Result, start: str, style: str) -> str:
    """The answer under the title once the chart is full: recognised or not, the parses or best P."""
    if not result.recognized:
        return f"not a sentence of the grammar: no {start} in [0,{result.n}]"
    if isinstance(result, ProbabilisticCKYResult):
        return f"best parse P = {format_probability(result.log_probability, style)}"
    count, infinite = count_parses(result)
    if infinite is not None:
        return f"{start} ∈ [0,{result.n}]: infinitely many parses (a cycle of unit rules)"
    return f"{start} ∈ [0,{result.n}]: {count:,} parse{'s' if count != 1 else ''}"
