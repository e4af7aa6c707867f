"""The n-gram picture: the bigram tables of a model (fixed), and what each step lights in them.

:class:`NGramTables` computes, once per model, everything the matrices show; the
``*_marks`` and text functions decide, per step, the cell being scored, the
smoothing comparison, the probability mass bars, the draw and the caption.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from algorithms.ngram import BOS, EOS, SMOOTHINGS, NGramModel, PerplexityStep, SampleStep, ScoreStep
from algorithms.trace import StepEvent, Trace, format_number, format_value
from visualizer.views.marks import BarRow, GridMarks

__all__ = [
    "NGramTables", "LABELS", "SHORT_LABELS", "MAX_MATRIX_WORDS", "matrix_marks", "comparison_marks",
    "mass_rows", "draw_rows", "sentence_text", "result_line",
]  # fmt: skip

#: Words shown in the count and probability matrices (the sentence's own words come first).
MAX_MATRIX_WORDS = 10
LABELS = {
    "mle": "MLE",
    "laplace": "Add-one (Laplace)",
    "add-k": "Add-k",
    "interpolation": "Interpolation",
    "stupid-backoff": "Stupid backoff",
    "kneser-ney": "Kneser–Ney",
}
SHORT_LABELS = {**LABELS, "laplace": "Add-one"}


@dataclass
class NGramTables:
    """What the matrices show for one model and sentence, computed once (not at every step)."""

    lm: NGramModel
    bigram: NGramModel | None  # the model itself at n = 2, a bigram twin at n > 2, None at n = 1
    tokens: list[str]  # the sentence as the model reads it (unknown words mapped)
    models: dict[str, NGramModel]  # every smoothing on the same corpus (the current one is lm)
    rows: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    counts: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    probabilities: dict[tuple[int, int], str] = field(default_factory=dict)
    reconstituted: dict[tuple[int, int], str] = field(default_factory=dict)
    comparison: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    comparison_texts: dict[tuple[int, int], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        lm, bigram = self.lm, self.bigram
        self.rows, self.columns = self._matrix_words()
        self.counts = np.zeros((len(self.rows), len(self.columns)))
        if lm.order >= 2 and bigram is not None:
            for (i, j), _ in np.ndenumerate(self.counts):
                self.counts[i, j] = bigram.count([self.rows[i], self.columns[j]])
        self.probabilities = {
            (i, j): format_value(bigram.prob(word, (previous,)) if bigram is not None else lm.prob(word))
            for i, previous in enumerate(self.rows)
            for j, word in enumerate(self.columns)
        }
        if lm.smoothing in ("laplace", "add-k"):
            k = 1.0 if lm.smoothing == "laplace" else lm.k
            size = len(lm.vocabulary)
            for i, previous in enumerate(self.rows):
                total = bigram.context_count((previous,)) if bigram is not None else lm.token_count
                for j, word in enumerate(self.columns):
                    count = bigram.count([previous, word]) if bigram is not None else lm.count([word])
                    self.reconstituted[(i, j)] = format_number((count + k) * total / (total + k * size), 3)

    def _matrix_words(self) -> tuple[list[str], list[str]]:
        """Rows (previous words) and columns (next words): the sentence's words, then frequent ones."""
        lm = self.lm
        chosen = list(dict.fromkeys(w for w in self.tokens if w in lm.vocabulary))
        frequent = sorted((w for w in lm.vocabulary if w not in (EOS,)), key=lambda w: (-lm.count([w]), w))
        for word in frequent:
            if len(chosen) >= MAX_MATRIX_WORDS - 1:
                break
            if word not in chosen:
                chosen.append(word)
        chosen = chosen[: MAX_MATRIX_WORDS - 1]
        return [BOS, *chosen], [*chosen, EOS]

    def score_comparison(self) -> None:
        """Every smoothing's factors, log P and perplexity for the sentence (the scoring view's table)."""
        tokens = [*self.tokens, EOS]
        values = np.zeros((len(SMOOTHINGS), len(tokens) + 2))
        for r, smoothing in enumerate(SMOOTHINGS):
            steps = [e for e in self.models[smoothing].score(self.tokens).trace if isinstance(e, ScoreStep)]
            for c, step in enumerate(steps):
                values[r, c] = step.probability
            final = steps[-1].running_log_probability if steps else 0.0
            values[r, len(tokens)] = final
            values[r, len(tokens) + 1] = math.exp(-final / len(steps)) if math.isfinite(final) else math.inf
        self.comparison = values
        self.comparison_texts = {
            (r, c): format_value(v)
            if c < len(tokens)
            else format_number(v, 4)
            if math.isfinite(v)
            else ("-∞" if v < 0 else "∞")
            for (r, c), v in np.ndenumerate(values)
        }

    def continuation(self) -> tuple[list[str], np.ndarray] | None:
        """Kneser–Ney's raw count beside the continuation count of the sentence's words (n ≥ 2)."""
        lm = self.models.get("kneser-ney")
        if lm is None or lm.order < 2:
            return None
        words = list(dict.fromkeys([*self.tokens, EOS]))[:MAX_MATRIX_WORDS]
        return words, np.array([[lm.count([w]), lm.continuation_count(w)] for w in words], dtype=float)


@dataclass(frozen=True)
class Hidden:
    """What Predict keeps hidden: probabilities of factors not scored yet (the learner predicts them)."""

    cells: frozenset[tuple[int, int]]  # probability-matrix cells of the factors scored so far
    columns: int  # comparison columns revealed (one per factor scored, then log P and PP at the end)


def hidden_answers(tables: NGramTables, trace: Trace[StepEvent], step: int) -> Hidden:
    """The :class:`Hidden` of ``step``: only the factors of the first ``step`` events are shown."""
    scored = [e for e in trace[:step] if isinstance(e, ScoreStep)]
    cells = frozenset(
        (tables.rows.index(prev), tables.columns.index(e.word))
        for e in scored
        if (prev := e.context[-1] if e.context else BOS) in tables.rows and e.word in tables.columns
    )
    return Hidden(cells, len(scored) + (2 if step == len(trace) else 0))


def matrix_marks(
    tables: NGramTables, event: StepEvent | None, hidden: Hidden | None = None
) -> tuple[GridMarks, GridMarks, tuple[str, ...] | None]:
    """The count and probability matrices' marks at a step, and the context of its factor or draw.

    With ``hidden`` (Predict mode), probabilities of factors not scored yet are blank.
    """
    cell: tuple[int, int] | None = None
    context: tuple[str, ...] | None = None
    if isinstance(event, ScoreStep | SampleStep):
        previous = event.context[-1] if event.context else BOS
        context = event.context
        if previous in tables.rows and event.word in tables.columns:
            cell = (tables.rows.index(previous), tables.columns.index(event.word))
    counts, probabilities = GridMarks(), GridMarks()
    if cell is not None:
        for marks in (counts, probabilities):
            marks.fills[cell] = "current"
            marks.outlines[cell] = "current"
            marks.row_header_role[cell[0]] = "current"
            marks.column_header_role[cell[1]] = "current"
    for i, j in zip(*np.nonzero(tables.counts > 0), strict=True):
        if (int(i), int(j)) != cell:
            counts.fills.setdefault((int(i), int(j)), "candidate")
    texts = tables.probabilities
    if hidden is None:
        probabilities.texts = lambda c: [(texts[c], "text")]
    else:
        probabilities.texts = lambda c: [(texts[c], "text")] if c in hidden.cells else []
    return counts, probabilities, context


def comparison_marks(tables: NGramTables, event: StepEvent | None, hidden: Hidden | None = None) -> GridMarks:
    """The smoothing comparison: the factor being scored in every row, zero factors outlined.

    With ``hidden`` (Predict mode), factors not scored yet are blank and not outlined.
    """
    marks = GridMarks()
    row = SMOOTHINGS.index(tables.lm.smoothing)
    marks.row_header_role[row] = "chosen"
    if isinstance(event, ScoreStep):
        column = event.position - 1
        marks.column_header_role[column] = "current"
        for r in range(len(SMOOTHINGS)):
            marks.fills[(r, column)] = "current"
        marks.outlines[(row, column)] = "current"
    elif isinstance(event, PerplexityStep):
        last = len(tables.tokens) + 2
        for r in range(len(SMOOTHINGS)):
            marks.fills[(r, last)] = "final_path"
        marks.outlines[(row, last)] = "final_path"
    shown = len(tables.tokens) + 3 if hidden is None else hidden.columns
    zero = tables.comparison[:, : min(len(tables.tokens) + 1, shown)] == 0
    for r, c in zip(*np.nonzero(zero), strict=True):
        marks.outlines.setdefault((int(r), int(c)), "error")  # a zero factor: the sentence gets P = 0
    texts = tables.comparison_texts
    marks.texts = lambda cell: [(texts[cell], "text")] if cell[1] < shown else []
    return marks


def mass_rows(tables: NGramTables, context: tuple[str, ...]) -> list[BarRow]:
    """How much of P(· | context) each smoothing keeps for seen words and gives to unseen ones."""
    rows = []
    for smoothing in SMOOTHINGS:
        if smoothing == "stupid-backoff":
            continue  # a score, not a distribution: no mass to split
        seen, unseen = tables.models[smoothing].mass_split(context)
        rows.append(
            BarRow(
                LABELS[smoothing],
                ((seen, "candidate"), (unseen, "unseen")),
                f"seen {format_value(seen)} · unseen {format_value(unseen)}",
                smoothing == tables.lm.smoothing,
            )
        )
    return rows


def draw_rows(event: SampleStep) -> tuple[str, list[BarRow], float]:
    """A Shannon draw: its title, the most probable next words as bars, and the bar scale."""
    given = " ".join(event.context) if event.context else "(no context)"
    rows = [
        BarRow(
            word, ((p, "chosen" if word == event.word else "candidate"),), format_value(p), word == event.word
        )
        for word, p in event.top
        if p > 0
    ]
    if all(word != event.word for word, _ in event.top):
        rows.append(
            BarRow(event.word, ((event.probability, "chosen"),), format_value(event.probability), True)
        )
    title = f"P(next | {given}): u = {event.draw:.3f} picks '{event.word}'"
    return title, rows, max(p for _, p in event.top)


def sentence_text(view: str, trace: Trace[StepEvent], step: int, tokens: Sequence[str]) -> str:
    """The line above the matrices: the sentence with each factor scored so far, or the words drawn."""
    if view == "sample":
        drawn = [e.word for e in trace[:step] if isinstance(e, SampleStep)]
        return "Sampled so far:  <s> " + " ".join(drawn) + ("" if drawn and drawn[-1] == EOS else " …")
    shown = []
    for index, word in enumerate([*tokens, EOS]):
        event = trace[index] if index < step else None
        shown.append(f"{word} ({format_value(event.probability)})" if isinstance(event, ScoreStep) else word)
    return "<s> " + "  ".join(shown)


def result_line(
    view: str, trace: Trace[StepEvent], step: int, tokens: Sequence[str], sample: Sequence[str]
) -> str:
    """The caption's answer: log P and perplexity once scored, or the sentence sampled."""
    if view == "sample":
        return f"sampled: {' '.join(sample)}" if step == len(trace) else f"{len(sample)} words"
    final = trace[-1]
    if step == len(trace) and isinstance(final, PerplexityStep):
        lp = format_number(final.log_probability, 4) if math.isfinite(final.log_probability) else "-∞"
        pp = format_number(final.perplexity, 4) if math.isfinite(final.perplexity) else "∞"
        return f"log P = {lp}, perplexity = {pp}"
    return f"{len(tokens)} words + </s>"


def narration(trace: Trace[StepEvent], step: int) -> tuple[str, str]:
    """The heading and text the window narrates ``step`` with ("Factor 3 of 9", the formula)."""
    if step == 0:
        return ("Start", trace.narrate(0))
    event = trace[step - 1]
    if isinstance(event, ScoreStep):
        heading = f"Factor {event.position} of {len(trace) - 1}"
    elif isinstance(event, PerplexityStep):
        heading = "Perplexity"
    else:
        heading = f"Draw {event.position}"
    text = event.describe()
    if step == len(trace):
        text += "  Press Home to replay."
    return (heading, text)


def legend_entries(view: str) -> list[tuple[str, str]]:
    """The legend's (role, meaning) entries: only the roles the view draws."""
    current = "the factor being scored" if view == "score" else "the draw being made"
    entries = [
        ("current", current),
        ("candidate", "seen events"),
        ("chosen", "sampled word / smoothing in use"),
    ]
    if view == "score":
        entries += [("error", "a zero factor (P = 0)"), ("unseen", "mass for unseen words")]
    return entries
