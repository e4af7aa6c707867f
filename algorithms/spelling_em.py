"""Kernighan et al.'s iterative estimation of the edit probabilities, from typos alone.

Kernighan, Church and Gale (1990) had typos but not their corrections. They started
from uniform confusion matrices, corrected every typo with them, counted the edits of
those corrections, and repeated. Here that is expectation–maximisation on a mixture:
a typo ``x`` comes from a word ``w`` one edit ``e`` away with probability
``P(w) · θ_e``, where ``θ`` is a distribution over the edit cells of the four matrices.

* E-step ("correct the typos"): each candidate (w, e) of a typo gets the weight
  ``P(w)·θ_e / Σ P(w')·θ_e'``; a typo's weights sum to one.
* M-step ("recount"): ``θ_e`` = the expected count of edit ``e`` / the number of typos.

The log-likelihood ``Σ_x ln Σ P(w)·θ_e`` never decreases from one iteration to the next
(the EM guarantee). Typos with no word one edit away are left out, and counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from algorithms.quiz import Question, choice_question
from algorithms.spelling_channel import ALPHABET, BOUNDARY, EDIT_KINDS, single_edits
from algorithms.spelling_prior import WordPrior
from algorithms.trace import State, StepEvent, StepwiseResult, Trace, line_for_event

__all__ = ["EMResult", "EMIteration", "EMState", "run_em", "MATRIX_LETTERS", "EM_PSEUDOCODE"]

#: Row and column letters of every matrix: the word boundary, then a–z.
MATRIX_LETTERS = BOUNDARY + ALPHABET
_SIDE = len(MATRIX_LETTERS)
_CELLS = len(EDIT_KINDS) * _SIDE * _SIDE


def cell_index(kind: str, x: str, y: str) -> int:
    return (EDIT_KINDS.index(kind) * _SIDE + MATRIX_LETTERS.index(x)) * _SIDE + MATRIX_LETTERS.index(y)


@dataclass(frozen=True)
class EMIteration(StepEvent):
    """One iteration: the typos corrected with the current matrices, then the edits recounted."""

    number: int
    log_likelihood_before: float
    log_likelihood_after: float
    typos: int
    top: tuple[tuple[str, float], ...]  # the likeliest edit cells after the recount

    def describe(self, style: str = "plain") -> str:
        shown = ", ".join(f"{cell} {count:.1f}" for cell, count in self.top[:4])
        return (
            f"Iteration {self.number}: E-step corrects the {self.typos:,} typos, each candidate weighted by "
            f"P(w)·θ_e / Σ P(w')·θ_e'; M-step recounts θ_e = expected count / {self.typos:,} "
            f"(most counted: {shown}). ln L rises from {self.log_likelihood_before:,.2f} "
            f"to {self.log_likelihood_after:,.2f}."
        )


@dataclass(frozen=True, eq=False)
class EMState(State):
    """How many recounts have been made, and ln L of the matrices they left
    (the matrices themselves: :meth:`EMResult.matrices_at`)."""

    iteration: int
    log_likelihood: float

    def then(self, event: StepEvent) -> EMState:
        """The state one iteration later."""
        if not isinstance(event, EMIteration):
            raise TypeError(f"EM does not change with {type(event).__name__}")
        return EMState(event.number, event.log_likelihood_after)


@dataclass(frozen=True, eq=False)
class EMResult(StepwiseResult[StepEvent, EMState]):
    """Every iteration's matrices; ``log_likelihoods[k]`` is ln L after k recounts (0: uniform)."""

    typos: tuple[str, ...]
    skipped: int  # typos with no word one edit away
    thetas: tuple[np.ndarray, ...]
    log_likelihoods: tuple[float, ...]
    trace: Trace[StepEvent]

    def state_at(self, step: int) -> EMState:
        step = self.clamp(step)
        return EMState(step, self.log_likelihoods[step])

    def matrices_at(self, step: int) -> dict[str, np.ndarray]:
        """The expected edit counts after ``step`` recounts: kind → 27 × 27 (rows and columns
        :data:`MATRIX_LETTERS`, indexed [x, y] as SLP3 writes del[x,y])."""
        counts = self.thetas[self.clamp(step)] * len(self.typos)
        shaped = counts.reshape(len(EDIT_KINDS), _SIDE, _SIDE)
        return {kind: shaped[i].copy() for i, kind in enumerate(EDIT_KINDS)}

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return EM_PSEUDOCODE

    def line_at(self, step: int) -> int:
        return line_for_event(
            EM_PSEUDOCODE, self.event_at(step), ((EMIteration, "M-step"),), step, len(self.trace)
        )

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if not isinstance(event, EMIteration):
            return None
        return choice_question(
            "Can ln L go down in this iteration?",
            ("yes", "no"),
            "no",
            event.describe(),
            hint="EM never lowers the likelihood of the data it is fitted to.",
        )


EM_PSEUDOCODE = (
    "function KERNIGHAN-EM(typos X, dict D) returns confusion matrices",
    "  θ ← uniform over the cells of del, ins, sub and trans",
    "  repeat",
    "    E-step: for each typo x, each candidate (w, e) one edit away",
    "      weight(w, e | x) ← P(w)·θ_e / Σ_(w',e') P(w')·θ_e'",
    "    M-step: θ_e ← Σ_x weight(·, e | x) / |X|      # recount the edits",
    "  until the matrices stop changing",
    "  return θ",
)


def run_em(typos: Sequence[str], prior: WordPrior, iterations: int) -> EMResult:
    """EM over ``typos`` (checked lower-case words) for ``iterations`` recounts."""
    if not isinstance(iterations, int) or not 1 <= iterations <= 50:
        raise ValueError(f"iterations must be a whole number from 1 to 50; got {iterations!r}.")
    owners: list[int] = []
    cells: list[int] = []
    priors: list[float] = []
    kept: list[str] = []
    for typo in typos:
        found = [(w, e) for w, e in single_edits(typo, prior.counts)]
        if not found:
            continue
        for word, edit in found:
            owners.append(len(kept))
            cells.append(cell_index(edit.kind, edit.x, edit.y))
            priors.append(prior.unigram(word))
        kept.append(typo)
    if not kept:
        raise ValueError("None of these typos is one edit from a known word; EM has nothing to learn from.")
    owner = np.array(owners)
    cell = np.array(cells)
    p_w = np.array(priors)
    theta = np.full(_CELLS, 1.0 / _CELLS)
    thetas, likelihoods = [theta], []
    for number in range(iterations + 1):
        weights = p_w * theta[cell]
        totals = np.bincount(owner, weights, minlength=len(kept))
        likelihoods.append(float(np.log(totals).sum()))  # ln L of the current matrices
        if number == iterations:
            break
        expected = np.bincount(cell, weights / totals[owner], minlength=_CELLS)
        theta = expected / len(kept)
        thetas.append(theta)
    events: list[StepEvent] = [
        _iteration(k, likelihoods, thetas, len(kept)) for k in range(1, iterations + 1)
    ]
    return EMResult(
        trace=Trace.from_events(events),
        typos=tuple(kept),
        skipped=len(typos) - len(kept),
        thetas=tuple(thetas),
        log_likelihoods=tuple(likelihoods),
    )


def _iteration(number: int, likelihoods: list[float], thetas: list[np.ndarray], typos: int) -> EMIteration:
    theta = thetas[number]
    order = np.argsort(-theta)[:6]
    top = tuple((_cell_name(int(i)), float(theta[i] * typos)) for i in order)
    return EMIteration(number, likelihoods[number - 1], likelihoods[number], typos, top)


def _cell_name(index: int) -> str:
    kind, rest = divmod(index, _SIDE * _SIDE)
    x, y = divmod(rest, _SIDE)
    return f"{EDIT_KINDS[kind]}[{MATRIX_LETTERS[x]},{MATRIX_LETTERS[y]}]"
