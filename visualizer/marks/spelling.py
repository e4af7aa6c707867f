"""The spelling picture at a step: the candidates table, the confusion-matrix cell in use,
the candidate sentences of a real-word correction, and EM's likelihood per iteration.

Pure functions of a result and a step (no Qt), so they are tested on their own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from algorithms.spelling import CorrectionResult, Generated, Scored, SentenceResult
from algorithms.spelling_channel import EDIT_KINDS, EDIT_MEANINGS, ConfusionCounts, Edit
from algorithms.spelling_em import MATRIX_LETTERS, EMResult
from algorithms.trace import format_number, format_probability
from visualizer.views.marks import BarRow

__all__ = [
    "WORD_COLUMNS",
    "CONTEXT_COLUMNS",
    "COLUMN_NOTE",
    "TableMarks",
    "candidate_rows",
    "table_marks",
    "edit_at",
    "matrix_values",
    "matrix_cell",
    "matrix_title",
    "sentence_lines",
    "likelihood_rows",
    "legend_entries",
]

#: The table's columns, SLP3's Fig. B.3 and B.4 side by side; then, with a context, the bigram's.
WORD_COLUMNS = ("edit", "x|w", "P(x|w)", "P(w)", "P(x|w)P(w)", "rank")
CONTEXT_COLUMNS = ("context", "× P(x|w)", "rank")
#: What the columns' short names mean, written under the table.
COLUMN_NOTE = (
    "x|w: typed | intended letters  ·  P(x|w)P(w): channel × unigram prior  ·  "
    "context: P(w|left)·P(right|w)  ·  × P(x|w): the bigram score"
)


@dataclass
class TableMarks:
    """Cells of the candidates table: (row, column) → (text, role); rows shown; the row lit."""

    cells: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    shown: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), bool))
    current_row: int | None = None
    winner_row: int | None = None


def candidate_rows(result: CorrectionResult) -> list[str]:
    """The candidate words in the order they were found (SLP3's: del, ins, sub, trans)."""
    return list(dict.fromkeys(word for word, _ in result.generated))


def _p(value: float, style: str) -> str:
    return format_probability(math.log(value), style) if value > 0 else "0"


def table_marks(result: CorrectionResult, step: int, style: str = "plain") -> TableMarks:
    """What the candidates table shows at ``step``: found rows, scores so far, ranks at the end."""
    state = result.state_at(step)
    rows = candidate_rows(result)
    with_context = result.bigram_ranking is not None
    columns = len(WORD_COLUMNS) + (len(CONTEXT_COLUMNS) if with_context else 0)
    marks = TableMarks(shown=np.zeros((len(rows), columns), bool))
    index = {word: i for i, word in enumerate(rows)}
    found: dict[str, list[tuple[str, str]]] = {}  # word -> (kind, letters) of each way found so far
    for word, edits in result.generated[: state.found]:
        found.setdefault(word, []).append(
            ("+".join(e.kind for e in edits), ", ".join(e.letters for e in edits))
        )
    for word, ways in found.items():
        i = index[word]
        marks.cells[(i, 0)] = (" / ".join(dict.fromkeys(kind for kind, _ in ways)), "text")
        marks.cells[(i, 1)] = (" / ".join(letters for _, letters in ways), "text")
        marks.shown[i, :2] = True
    for candidate in result.candidates[: state.scored]:
        i = index[candidate.word]
        marks.cells[(i, 2)] = (_p(candidate.channel, style), "text")
        marks.cells[(i, 3)] = (_p(candidate.prior, style), "text")
        marks.cells[(i, 4)] = (_p(candidate.score, style), "text")
        marks.shown[i, 2:5] = True
    context_events = [e for e in result.trace if hasattr(e, "left_probability")]
    for event in context_events[: state.context_scored]:
        i = index[event.word]  # type: ignore[attr-defined]
        context = event.context  # type: ignore[attr-defined]
        marks.cells[(i, 6)] = (
            ("not in table", "muted_text") if math.isnan(context) else (_p(context, style), "text")
        )
        marks.cells[(i, 7)] = ("—", "muted_text") if math.isnan(context) else (_p(event.score, style), "text")  # type: ignore[attr-defined]
        marks.shown[i, 6:8] = True
    if state.ranked:
        for rank, (word, _) in enumerate(result.unigram_ranking, start=1):
            marks.cells[(index[word], 5)] = (str(rank), "text")
            marks.shown[index[word], 5] = True
        for rank, (word, _) in enumerate(result.bigram_ranking or (), start=1):
            marks.cells[(index[word], 8)] = (str(rank), "text")
            marks.shown[index[word], 8] = True
        if result.ranking and not result.known_word:
            marks.winner_row = index[result.ranking[0][0]]
    if state.current is not None and state.current in index:
        marks.current_row = index[state.current]
    return marks


def edit_at(result: CorrectionResult, step: int) -> Edit | None:
    """The edit the step is about (found, or the likelier edit of the candidate scored)."""
    event = result.event_at(step)
    if isinstance(event, Generated):
        return event.edit
    if isinstance(event, Scored) and event.candidate.edits:
        return max(event.candidate.edits, key=lambda e: e.kind == event.candidate.edit.split("+")[0])
    return None


def matrix_values(counts: ConfusionCounts, kind: str) -> np.ndarray:
    """The ``kind`` matrix as 27 × 27 counts, rows x and columns y over '#' and a–z."""
    values = np.zeros((len(MATRIX_LETTERS), len(MATRIX_LETTERS)))
    for (x, y), count in counts.matrices[kind].items():
        if x in MATRIX_LETTERS and y in MATRIX_LETTERS:
            values[MATRIX_LETTERS.index(x), MATRIX_LETTERS.index(y)] = count
    return values


def matrix_cell(edit: Edit) -> tuple[int, int]:
    return (MATRIX_LETTERS.index(edit.x), MATRIX_LETTERS.index(edit.y))


def matrix_title(kind: str) -> str:
    return f"{kind}[x,y]: {EDIT_MEANINGS[kind]}  (rows x, columns y; darker = more often)"


def sentence_lines(result: SentenceResult, step: int, shown: int = 12) -> list[str]:
    """A fixed-width table of the candidate sentences scored so far (the last ``shown``), or,
    once chosen, the best ``shown`` by score with the winner starred."""
    state = result.state_at(step)
    header = f"{'':2}{'ln P(x|W)':>10} {'ln P(W)':>9} {'ln score':>9}  sentence"
    if state.chosen:
        ordered = sorted(result.sentences, key=lambda s: -s.log_score)[:shown]
        marks = ["★"] + [" "] * (len(ordered) - 1)
    else:
        ordered = list(result.sentences[max(0, state.scored - shown) : state.scored])
        marks = [" "] * (len(ordered) - 1) + ["▶"] if ordered else []
    lines = [header]
    for mark, s in zip(marks, ordered, strict=True):
        words = " ".join(w.upper() if s.index == i else w for i, w in enumerate(s.words))
        lines.append(f"{mark:2}{s.log_channel:>10.2f} {s.log_lm:>9.2f} {s.log_score:>9.2f}  {words}")
    return lines


def likelihood_rows(result: EMResult, step: int) -> list[BarRow]:
    """ln L after each recount, as bars (relative to the uniform start), the current one emphasised."""
    values = result.log_likelihoods
    low = values[0]
    rows = []
    for k, value in enumerate(values[: result.clamp(step) + 1]):
        rows.append(
            BarRow(
                "uniform" if k == 0 else f"iteration {k}",
                [(value - low, "chosen" if k == result.clamp(step) else "candidate")],
                f"ln L = {value:,.1f}",
                emphasised=k == result.clamp(step),
            )
        )
    return rows


def legend_entries(mode: str) -> list[tuple[str, str]]:
    if mode == "sentence":
        return []
    if mode == "em":
        return [("candidate", "expected count of the edit (darker = more)")]
    return [
        ("current", "candidate being found or scored / matrix cell in use"),
        ("final_path", "the correction"),
        ("candidate", "confusion count (darker = more)"),
    ]


def kinds() -> tuple[str, ...]:
    return EDIT_KINDS


def count_note(counts: ConfusionCounts, edit: Edit) -> str:
    """The lit cell's count and its denominator, as the channel formula uses them."""
    count = counts.count(edit)
    letters = counts.letters_count(edit.denominator)
    return (
        f"{edit.kind}[{edit.x},{edit.y}] = {format_number(count)} of count[{edit.denominator}] = "
        f"{format_number(letters)}  ({edit.letters})"
    )
