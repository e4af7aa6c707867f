"""Noisy-channel spelling correction, step by step (SLP3 Appendix B).

A typo ``x`` is corrected to the word ``w`` that maximises ``P(x|w) · P(w)^λ``: the
channel (how likely this slip is, from confusion matrices learned from real
misspellings, :mod:`algorithms.spelling_channel`) times the prior (how common the word
is, alone or between its neighbours, :mod:`algorithms.spelling_prior`).

>>> sc = NoisyChannel.textbook()                  # SLP3's own numbers for "acress"
>>> sc.correct("acress").best
'across'
>>> sc.correct("acress", context=("versatile", "whose")).best
'actress'

:meth:`NoisyChannel.correct` is a Stepwise result: candidates are found one edit at a
time (deletions, insertions, substitutions, transpositions), then each is scored with its
formula and numbers, then ranked. :meth:`NoisyChannel.correct_sentence` corrects real-word
errors (Mays et al.): every word may be meant as itself (P = α) or as a word one edit
away, and the candidate sentence with one change at most that the language model likes
best wins. :meth:`NoisyChannel.em` estimates the matrices from typos alone, as Kernighan
et al. did (:mod:`algorithms.spelling_em`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from algorithms.quiz import Question, choice_question, number_question
from algorithms.spelling_channel import ALPHABET, EDIT_KINDS, ConfusionCounts, Edit, count_edits, single_edits
from algorithms.spelling_distance2 import DeletesIndex
from algorithms.spelling_em import EMResult, run_em
from algorithms.spelling_prior import TablePrior, WordPrior, packaged_prior
from algorithms.trace import (
    START_NARRATION,
    Phase,
    State,
    StepEvent,
    StepwiseResult,
    Trace,
    format_number,
    format_probability,
    line_for_event,
)

__all__ = [
    "NoisyChannel",
    "Candidate",
    "Edit",
    "CountChannel",
    "TableChannel",
    "CorrectionResult",
    "CorrectionState",
    "SentenceResult",
    "SentenceState",
    "Generated",
    "Scored",
    "ContextScored",
    "Ranked",
    "WordConsidered",
    "SentenceScored",
    "SentenceChosen",
    "MAX_WORD_LENGTH",
    "check_word",
]

#: Longer than any English word the channel was trained on; longer input is refused.
MAX_WORD_LENGTH = 40


def check_word(word: object, role: str = "The word") -> str:
    """``word`` lower-cased, or ValueError with one sentence saying what is wrong with it."""
    if not isinstance(word, str) or not word.strip():
        raise ValueError(f"{role} is empty: type a misspelled word, such as acress.")
    text = word.strip().lower()
    if len(text) > MAX_WORD_LENGTH:
        raise ValueError(
            f"{role} has {len(text)} letters; words longer than {MAX_WORD_LENGTH} are not corrected."
        )
    outside = sorted({c for c in text if c not in ALPHABET})
    if outside:
        shown = " ".join(outside[:5])
        raise ValueError(f"{role} '{text[:30]}' has characters other than the letters a–z ({shown}).")
    return text


class Channel(Protocol):
    def probability(self, edit: Edit) -> float: ...

    def formula(self, edit: Edit) -> str: ...


class CountChannel:
    """P(x|w) = (count + k) / (letters + k·27) from confusion counts (add-k, k = ``smoothing``)."""

    def __init__(self, counts: ConfusionCounts, smoothing: float = 1.0) -> None:
        if not isinstance(smoothing, int | float) or smoothing < 0 or math.isnan(smoothing):
            raise ValueError(f"smoothing must be a number ≥ 0; got {smoothing!r}.")
        self.counts = counts
        self.smoothing = float(smoothing)

    def probability(self, edit: Edit) -> float:
        numerator = self.counts.count(edit) + self.smoothing
        denominator = self.counts.letters_count(edit.denominator) + self.smoothing * (len(ALPHABET) + 1)
        return numerator / denominator if denominator > 0 else 0.0

    def formula(self, edit: Edit) -> str:
        count, letters = self.counts.count(edit), self.counts.letters_count(edit.denominator)
        k = self.smoothing
        if k:
            return (
                f"({edit.kind}[{edit.x},{edit.y}] + {k:g}) / (count[{edit.denominator}] + {k:g}·27)"
                f" = ({count:,.0f} + {k:g}) / ({letters:,.0f} + {27 * k:g})"
            )
        return f"{edit.kind}[{edit.x},{edit.y}] / count[{edit.denominator}] = {count:,.0f} / {letters:,.0f}"


class TableChannel:
    """P(x|w) as a textbook table prints it, by (kind, x, y)."""

    def __init__(self, table: Mapping[tuple[str, str, str], float], source: str) -> None:
        self.table, self.source = table, source

    def probability(self, edit: Edit) -> float:
        return self.table.get((edit.kind, edit.x, edit.y), 0.0)

    def formula(self, edit: Edit) -> str:
        return f"{edit.kind}[{edit.x},{edit.y}] / count[{edit.denominator}] ({self.source})"


@dataclass(frozen=True)
class Candidate:
    """A word one edit from the typo: its ``edit`` kind and ``letters`` (x|w), P(x|w) and P(w).

    Where two edits make the same typo from the word ("acres": ``es|e`` and ``ss|s``),
    ``channel`` sums them and ``edit``/``letters`` name the likelier; ``edits`` has all.
    """

    word: str
    edit: str
    letters: str
    channel: float
    prior: float
    edits: tuple[Edit, ...] = ()
    prior_weight: float = 1.0

    @property
    def score(self) -> float:
        """P(x|w) · P(w)^λ."""
        return float(self.channel * self.prior**self.prior_weight)


# --------------------------------------------------------------------------
# The steps of one correction
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Generated(StepEvent):
    """A word one edit from the typo was found in the vocabulary."""

    typo: str
    word: str
    edit: Edit
    second: Edit | None = None  # a word two edits away (the optional distance-2 search)

    def describe(self, style: str = "plain") -> str:
        if self.second is not None:
            return (
                f"two edits: '{self.word}' → '{self.typo}' by {self.edit.describe()} and "
                f"{self.second.describe()}; no word is one edit away, so two-edit words are candidates."
            )
        return (
            f"{self.edit.kind}: '{self.word}' → '{self.typo}' by {self.edit.describe()} "
            f"(x|w = {self.edit.letters}); '{self.word}' is a word, so it is a candidate."
        )


@dataclass(frozen=True)
class Scored(StepEvent):
    """A candidate's channel, prior and their product."""

    typo: str
    candidate: Candidate
    channel_formulas: tuple[str, ...]
    prior_formula: str

    def describe(self, style: str = "plain") -> str:
        c = self.candidate
        channel = " + ".join(self.channel_formulas)
        weight = f"^{c.prior_weight:g}" if c.prior_weight != 1 else ""
        return (
            f"P({self.typo}|{c.word}) = {channel} = {format_probability(_log(c.channel), style)}; "
            f"{self.prior_formula} = {format_probability(_log(c.prior), style)}; "
            f"P(x|w)·P(w){weight} = {format_probability(_log(c.score), style)}"
        )


@dataclass(frozen=True)
class ContextScored(StepEvent):
    """A candidate between its neighbours: P(w | left) · P(right | w), times the channel."""

    typo: str
    word: str
    left: str | None
    right: str | None
    left_probability: float
    right_probability: float
    formulas: tuple[str, ...]
    channel: float

    @property
    def context(self) -> float:
        return self.left_probability * self.right_probability

    @property
    def score(self) -> float:
        return self.channel * self.context

    def describe(self, style: str = "plain") -> str:
        if math.isnan(self.context):
            listed = " · ".join(self.formulas)
            return f"'{self.word}': {listed} is not in the table; it is left out of this ranking."

        def p(value: float) -> str:
            return format_probability(_log(value), style)

        parts = []
        if self.left is not None:
            parts.append(f"P({self.word}|{self.left}) = {p(self.left_probability)}")
        if self.right is not None:
            parts.append(f"P({self.right}|{self.word}) = {p(self.right_probability)}")
        return (
            f"{'; '.join(parts)} ({'; '.join(self.formulas)}); context = {p(self.context)}; "
            f"× P({self.typo}|{self.word}) {p(self.channel)} = {p(self.score)}"
        )


@dataclass(frozen=True)
class Ranked(StepEvent):
    """The candidates in order; the first is the correction."""

    typo: str
    ranking: tuple[tuple[str, float], ...]
    by: str  # "unigram" or "bigram"

    def describe(self, style: str = "plain") -> str:
        if not self.ranking:
            return f"No word is one edit from '{self.typo}': nothing to correct it to."
        shown = ", ".join(f"{w} {format_probability(_log(s), style)}" for w, s in self.ranking[:6])
        prior = "P(w)" if self.by == "unigram" else "P(w|left)·P(right|w)"
        return f"argmax P(x|w)·{prior}: '{self.ranking[0][0]}' wins ({shown})."


@dataclass(frozen=True, eq=False)
class CorrectionState(State):
    """How far a correction has got: candidates found, scored, scored in context, ranked."""

    found: int
    scored: int
    context_scored: int
    ranked: bool
    current: str | None  # the candidate word the last step was about

    def then(self, event: StepEvent) -> CorrectionState:
        """The state one event later (what ``state_at`` computes by random access)."""
        if isinstance(event, Generated):
            return CorrectionState(self.found + 1, self.scored, self.context_scored, False, event.word)
        if isinstance(event, Scored):
            return CorrectionState(
                self.found, self.scored + 1, self.context_scored, False, event.candidate.word
            )
        if isinstance(event, ContextScored):
            return CorrectionState(self.found, self.scored, self.context_scored + 1, False, event.word)
        if isinstance(event, Ranked):
            return CorrectionState(self.found, self.scored, self.context_scored, True, None)
        raise TypeError(f"a correction does not change with {type(event).__name__}")


@dataclass(frozen=True, eq=False)
class CorrectionResult(StepwiseResult[StepEvent, CorrectionState]):
    """One typo corrected: ``best``, ``ranking`` (by the context when given) and the trace."""

    typo: str
    context: tuple[str | None, str | None] | None
    candidates: tuple[Candidate, ...]
    generated: tuple[tuple[str, tuple[Edit, ...]], ...]  # each found word with its edit (two at distance 2)
    unigram_ranking: tuple[tuple[str, float], ...]
    bigram_ranking: tuple[tuple[str, float], ...] | None
    known_word: bool
    trace: Trace[StepEvent]

    @property
    def ranking(self) -> tuple[tuple[str, float], ...]:
        """(word, score) best first: by the bigram prior when there is a context, else the unigram."""
        return self.bigram_ranking if self.bigram_ranking is not None else self.unigram_ranking

    @property
    def best(self) -> str:
        """The correction; the typo itself when no word is one edit away (or it is a word)."""
        if self.known_word or not self.ranking:
            return self.typo
        return self.ranking[0][0]

    def state_at(self, step: int) -> CorrectionState:
        step = self.clamp(step)
        found = min(step, len(self.generated))
        scored = min(max(step - len(self.generated), 0), len(self.candidates))
        in_context = max(step - len(self.generated) - len(self.candidates), 0)
        context_steps = len(self.candidates) if self.bigram_ranking is not None else 0
        event = self.event_at(step)
        current = None
        if isinstance(event, Generated | ContextScored):
            current = event.word
        elif isinstance(event, Scored):
            current = event.candidate.word
        return CorrectionState(
            found, scored, min(in_context, context_steps), step == len(self.trace) and step > 0, current
        )

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return CORRECTION_PSEUDOCODE

    def line_at(self, step: int) -> int:
        markers = (
            (Generated, "candidates ←"),
            (Scored, "channel ←"),
            (ContextScored, "prior ← P(c | left)"),
            (Ranked, "return argmax"),
        )
        return line_for_event(CORRECTION_PSEUDOCODE, self.event_at(step), markers, step, len(self.trace))

    def watch_at(self, step: int) -> dict[str, str]:
        event = self.event_at(step)
        if isinstance(event, Generated):
            return {"x": self.typo, "c": event.word, "edit": event.edit.letters}
        if isinstance(event, Scored):
            c = event.candidate
            return {"c": c.word, "channel": format_number(c.channel), "prior": format_number(c.prior)}
        if isinstance(event, ContextScored):
            return {"c": event.word, "left": event.left or "", "right": event.right or ""}
        if isinstance(event, Ranked) and event.ranking:
            return {"best": event.ranking[0][0]}
        return {}

    def question_at(self, step: int) -> Question | None:
        """Which edit makes the typo from a candidate; a candidate's score; which candidate wins."""
        event = self.event_at(step)
        if isinstance(event, Generated) and event.second is None:
            return choice_question(
                f"Which edit turns '{event.word}' into '{self.typo}'?",
                EDIT_KINDS,
                event.edit.kind,
                event.describe(),
                hint="Compare the letters: which are missing, extra, changed or swapped in the typo?",
            )
        if isinstance(event, Scored):
            c = event.candidate
            return number_question(
                f"P({self.typo}|{c.word})·P({c.word}) = ?", c.score, event.describe(), format_number(c.score)
            )
        if isinstance(event, Ranked) and event.ranking:
            best = event.ranking[0][1]
            tied = [w for w, s in event.ranking if math.isclose(s, best, rel_tol=1e-12)]
            return choice_question(
                "Which candidate wins?",
                [w for w, _ in event.ranking],
                event.ranking[0][0],
                event.describe(),
                accepted=tied,
            )
        return None

    def narrate(self, step: int, style: str = "plain") -> str:
        if self.clamp(step) == 0:
            return START_NARRATION
        return super().narrate(step, style)


CORRECTION_PSEUDOCODE = (
    "function NOISY-CHANNEL-SPELLING(word x, dict D, lm, editprob) returns correction",
    "  if x ∉ D",
    "    candidates ← every word c ∈ D one edit from x, with its edit e",
    "    for each c, e in candidates",
    "      channel ← editprob(e)          # del[x,y]/count[xy], ins[x,y]/count[x], …",
    "      prior ← P(c)                   # or, with context:",
    "      prior ← P(c | left) · P(right | c)",
    "      score[c] ← channel · prior^λ",
    "    return argmax_c score[c]",
)


def _log(value: float) -> float:
    return math.log(value) if value > 0 else -math.inf


# --------------------------------------------------------------------------
# Real-word errors: a sentence
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class WordConsidered(StepEvent):
    """Position i: the word itself (P = α) and the words one edit away ((1 − α)/|C|)."""

    index: int
    word: str
    candidates: tuple[str, ...]
    alpha: float

    def describe(self, style: str = "plain") -> str:
        others = len(self.candidates)
        spread = (1 - self.alpha) / others if others else 0.0
        shown = ", ".join(self.candidates[:8]) + (" …" if others > 8 else "")
        return (
            f"Word {self.index + 1}, '{self.word}': P({self.word}|{self.word}) = α = {self.alpha:g}; "
            f"{others} words one edit away ({shown or 'none'}) get (1 − α)/{others} = "
            f"{format_number(spread)} each."
        )


@dataclass(frozen=True)
class SentenceScored(StepEvent):
    """One candidate sentence (one word changed at most) and its score."""

    index: int | None  # the changed position; None for the sentence as typed
    words: tuple[str, ...]
    log_channel: float
    log_lm: float

    @property
    def log_score(self) -> float:
        return self.log_channel + self.log_lm

    def describe(self, style: str = "plain") -> str:
        sentence = " ".join(self.words)
        change = "as typed" if self.index is None else f"word {self.index + 1} → '{self.words[self.index]}'"
        return (
            f"'{sentence}' ({change}): ln P(x|W) = {self.log_channel:.4g}, ln P(W) = {self.log_lm:.4g}, "
            f"ln score = {self.log_score:.4g}"
        )


@dataclass(frozen=True)
class SentenceChosen(StepEvent):
    words: tuple[str, ...]
    typed: tuple[str, ...]
    log_score: float

    def describe(self, style: str = "plain") -> str:
        changed = [(t, w) for t, w in zip(self.typed, self.words, strict=True) if t != w]
        what = ", ".join(f"'{t}' → '{w}'" for t, w in changed) or "no change"
        return f"The best sentence: '{' '.join(self.words)}' ({what}; ln score {self.log_score:.4g})."


@dataclass(frozen=True, eq=False)
class SentenceState(State):
    considered: int  # positions whose candidates are listed
    scored: int  # candidate sentences scored
    chosen: bool

    def then(self, event: StepEvent) -> SentenceState:
        """The state one event later."""
        if isinstance(event, WordConsidered):
            return SentenceState(self.considered + 1, self.scored, False)
        if isinstance(event, SentenceScored):
            return SentenceState(self.considered, self.scored + 1, False)
        if isinstance(event, SentenceChosen):
            return SentenceState(self.considered, self.scored, True)
        raise TypeError(f"a sentence correction does not change with {type(event).__name__}")


@dataclass(frozen=True, eq=False)
class SentenceResult(StepwiseResult[StepEvent, SentenceState]):
    """Real-word correction of a sentence: iterate it for the corrected tokens."""

    typed: tuple[str, ...]
    alpha: float
    sentences: tuple[SentenceScored, ...]
    best_words: tuple[str, ...]
    trace: Trace[StepEvent]

    def __iter__(self) -> Iterator[str]:
        return iter(self.best_words)

    def __len__(self) -> int:
        return len(self.best_words)

    def state_at(self, step: int) -> SentenceState:
        step = self.clamp(step)
        n = len(self.typed)
        return SentenceState(
            min(step, n), min(max(step - n, 0), len(self.sentences)), step == len(self.trace)
        )

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return SENTENCE_PSEUDOCODE

    def line_at(self, step: int) -> int:
        markers = (
            (WordConsidered, "C(x_i) ←"),
            (SentenceScored, "score(W) ←"),
            (SentenceChosen, "return argmax"),
        )
        return line_for_event(SENTENCE_PSEUDOCODE, self.event_at(step), markers, step, len(self.trace))

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if isinstance(event, SentenceChosen):
            options = sorted({" ".join(s.words) for s in self.sentences})
            return choice_question("Which sentence wins?", options, " ".join(event.words), event.describe())
        return None

    def narrate(self, step: int, style: str = "plain") -> str:
        if self.clamp(step) == 0:
            return START_NARRATION
        return super().narrate(step, style)


SENTENCE_PSEUDOCODE = (
    "function REAL-WORD-SPELLING(sentence X, dict D, lm, α) returns W",
    "  for each word x_i in X",
    "    C(x_i) ← {x_i} ∪ words of D one edit from x_i",
    "  for each sentence W with at most one w_i ≠ x_i, w_i ∈ C(x_i)",
    "    P(x_i|w_i) ← α if w_i = x_i else (1 − α)/|C(x_i) − {x_i}|",
    "    score(W) ← Π P(x_i|w_i) · lm(W)",
    "  return argmax_W score(W)",
)


# --------------------------------------------------------------------------
# The corrector
# --------------------------------------------------------------------------
class Prior(Protocol):
    def __contains__(self, word: object) -> bool: ...

    def unigram(self, word: str) -> float: ...

    def unigram_formula(self, word: str) -> str: ...

    def bigram(self, word: str, given: str) -> float: ...

    def bigram_formula(self, word: str, given: str) -> str: ...


class NoisyChannel:
    """A spelling corrector: a channel (confusion matrices) and a prior (word frequencies)."""

    def __init__(
        self, channel: Channel, prior: Prior, *, prior_weight: float = 1.0, alpha: float = 0.95
    ) -> None:
        if not 0 < alpha < 1:
            raise ValueError(f"α must be between 0 and 1 (SLP3 uses .95); got {alpha!r}.")
        self.channel = channel
        self.prior = prior
        self.prior_weight = float(prior_weight)
        self.alpha = float(alpha)
        self._index: DeletesIndex | None = None  # built on the first distance-2 search

    @classmethod
    def default(cls) -> NoisyChannel:
        """The channel learned from the bundled misspelling counts, the prior from symspellpy's word list."""
        return _default()

    @classmethod
    def textbook(cls) -> NoisyChannel:
        """SLP3's "acress" example with the book's own numbers (Kernighan et al.'s channel, COCA)."""
        return cls(
            TableChannel(TEXTBOOK_CHANNEL, SLP3), TablePrior(TEXTBOOK_UNIGRAMS, TEXTBOOK_BIGRAMS, SLP3)
        )

    @classmethod
    def train(
        cls, pairs: Iterable[tuple[str, str]], word_counts: Mapping[str, int], smoothing: float = 1.0
    ) -> NoisyChannel:
        """A corrector from (typo, correct) pairs and word counts (the prior's vocabulary)."""
        return cls(CountChannel(count_edits(pairs), smoothing), WordPrior(dict(word_counts)))

    # -- one word ---------------------------------------------------------------
    def candidates(self, typo: str, max_distance: int = 1) -> list[Candidate]:
        """The words one edit from ``typo``, each with its edit, P(x|w) and P(w), in SLP3's order.

        With ``max_distance=2``, a typo with no word one edit away gets the words two edits
        away instead (their channel is the product of the two edits' probabilities).
        """
        typo = check_word(typo)
        return list(self._candidates(self._generate(typo, max_distance)))

    def _generate(self, typo: str, max_distance: int) -> list[tuple[str, tuple[Edit, ...]]]:
        if max_distance not in (1, 2):
            raise ValueError(f"max_distance must be 1 or 2; got {max_distance!r}.")
        found: list[tuple[str, tuple[Edit, ...]]] = [(w, (e,)) for w, e in single_edits(typo, self.prior)]
        if not found and max_distance == 2:
            found = self._deletes_index().two_edit_words(typo)
        return found

    def _deletes_index(self) -> DeletesIndex:
        if self._index is None:
            if not isinstance(self.prior, WordPrior):
                raise ValueError("The distance-2 search needs a word-count prior, not a textbook table.")
            self._index = DeletesIndex(self.prior.counts)
        return self._index

    def _candidates(self, generated: Sequence[tuple[str, tuple[Edit, ...]]]) -> Iterator[Candidate]:
        by_word: dict[str, list[tuple[Edit, ...]]] = {}
        for word, edits in generated:
            by_word.setdefault(word, []).append(edits)
        for word, ways in by_word.items():
            probabilities = [math.prod(self.channel.probability(e) for e in way) for way in ways]
            likeliest = ways[max(range(len(ways)), key=probabilities.__getitem__)]
            yield Candidate(
                word,
                "+".join(e.kind for e in likeliest),
                ", ".join(e.letters for e in likeliest),
                sum(probabilities),
                self.prior.unigram(word),
                tuple(e for way in ways for e in way),
                self.prior_weight,
            )

    def rank(
        self, typo: str, context: tuple[str | None, str | None] | None = None, max_distance: int = 1
    ) -> list[tuple[str, float]]:
        """(word, score) best first, as :meth:`correct` ranks them but without a trace (many words)."""
        typo = check_word(typo)
        candidates = self._candidates(self._generate(typo, max_distance))
        if context is None or not any(context):
            scored = [(c.word, c.score) for c in candidates]
        else:
            left, right = context
            scored = [(c.word, self._in_context(typo, c, left, right).score) for c in candidates]
            scored = [pair for pair in scored if not math.isnan(pair[1])]
        return sorted(scored, key=lambda pair: -pair[1])

    def correct(
        self, typo: str, context: tuple[str | None, str | None] | None = None, max_distance: int = 1
    ) -> CorrectionResult:
        """Correct ``typo`` (a non-word error), with the words either side as ``context`` if given.

        ``max_distance=2`` looks two edits away when no word is one edit away (stated in the steps).
        """
        typo = check_word(typo)
        if context is not None:
            left, right = (check_word(w, "The context word") if w else None for w in context)
            context = (left, right)
        generated = tuple(self._generate(typo, max_distance))
        candidates = tuple(self._candidates(generated))
        events: list[StepEvent] = [Generated(typo, word, *edits[:2]) for word, edits in generated]
        phases, start = [], 0
        if generated and len(generated[0][1]) == 2:
            phases.append(Phase("two edits", 0, len(generated)))
            start = len(generated)
        for kind in EDIT_KINDS if start == 0 else ():
            stop = start + sum(1 for _, edits in generated if edits[0].kind == kind)
            phases.append(Phase(kind, start, stop))
            start = stop
        for c in candidates:
            formulas = tuple(self.channel.formula(e) for e in c.edits)
            events.append(Scored(typo, c, formulas, self.prior.unigram_formula(c.word)))
        phases.append(Phase("score", start, start + len(candidates)))
        unigram = tuple(sorted(((c.word, c.score) for c in candidates), key=lambda p: -p[1]))
        bigram = None
        if context is not None and any(context):
            start = len(events)
            left, right = context
            scored = [self._in_context(typo, c, left, right) for c in candidates]
            events.extend(scored)
            phases.append(Phase("context", start, len(events)))
            bigram = tuple(
                sorted(((s.word, s.score) for s in scored if not math.isnan(s.score)), key=lambda p: -p[1])
            )
        events.append(
            Ranked(typo, bigram if bigram is not None else unigram, "bigram" if bigram else "unigram")
        )
        phases.append(Phase("rank", len(events) - 1, len(events)))
        return CorrectionResult(
            trace=Trace.from_events(events, phases),
            typo=typo,
            context=context,
            candidates=candidates,
            generated=generated,
            unigram_ranking=unigram,
            bigram_ranking=bigram,
            known_word=typo in self.prior and isinstance(self.prior, WordPrior),
        )

    def _in_context(self, typo: str, c: Candidate, left: str | None, right: str | None) -> ContextScored:
        left_p = self.prior.bigram(c.word, left) if left else 1.0
        right_p = self.prior.bigram(right, c.word) if right else 1.0
        formulas = tuple(
            f for f in (
                self.prior.bigram_formula(c.word, left) if left else "",
                self.prior.bigram_formula(right, c.word) if right else "",
            ) if f
        )  # fmt: skip
        return ContextScored(typo, c.word, left, right, left_p, right_p, formulas, c.channel)

    # -- a sentence -------------------------------------------------------------
    def correct_sentence(self, tokens: Sequence[str], alpha: float | None = None) -> SentenceResult:
        """Real-word correction (Mays et al.): the best sentence with at most one word changed."""
        alpha = self.alpha if alpha is None else float(alpha)
        if not 0 < alpha < 1:
            raise ValueError(f"α must be between 0 and 1 (SLP3 uses .95); got {alpha!r}.")
        if isinstance(tokens, str) or not tokens:
            raise ValueError("Type a sentence of words, such as: this used to belong to thew queen.")
        typed = tuple(check_word(t, f"Word {i + 1}") for i, t in enumerate(tokens))
        if not isinstance(self.prior, WordPrior):
            raise ValueError("Real-word correction needs a word-count prior, not a textbook table.")
        options = [tuple(dict.fromkeys(w for w, _ in single_edits(x, self.prior.counts))) for x in typed]
        events: list[StepEvent] = [WordConsidered(i, x, options[i], alpha) for i, x in enumerate(typed)]
        log_same = len(typed) * math.log(alpha)
        sentences = [SentenceScored(None, typed, log_same, self.prior.sentence_log_probability(list(typed)))]
        for i, others in enumerate(options):
            if not others:
                continue
            log_channel = log_same - math.log(alpha) + math.log((1 - alpha) / len(others))
            for w in others:
                words = (*typed[:i], w, *typed[i + 1 :])
                sentences.append(
                    SentenceScored(i, words, log_channel, self.prior.sentence_log_probability(list(words)))
                )
        events.extend(sentences)
        best = max(sentences, key=lambda s: s.log_score)
        events.append(SentenceChosen(best.words, typed, best.log_score))
        n = len(typed)
        phases = [
            Phase("candidates", 0, n),
            Phase("sentences", n, n + len(sentences)),
            Phase("choose", len(events) - 1, len(events)),
        ]
        return SentenceResult(
            trace=Trace.from_events(events, phases),
            typed=typed,
            alpha=alpha,
            sentences=tuple(sentences),
            best_words=best.words,
        )

    # -- learning the channel from typos alone ---------------------------------------
    def em(self, typos: Iterable[str], iterations: int = 5) -> EMResult:
        """Kernighan et al.'s estimation of the edit probabilities from typos alone, one step an iteration."""
        if not isinstance(self.prior, WordPrior):
            raise ValueError("EM needs a word-count prior, not a textbook table.")
        checked = [check_word(t, "A typo") for t in typos]
        return run_em(checked, self.prior, iterations)


@cache
def _default() -> NoisyChannel:
    return NoisyChannel(CountChannel(ConfusionCounts.bundled(), 1.0), packaged_prior())


SLP3 = "SLP3 Appendix B"
#: SLP3's P(x|w) for the acress candidates (Kernighan et al. 1990's confusion matrices).
TEXTBOOK_CHANNEL: dict[tuple[str, str, str], float] = {
    ("del", "c", "t"): 0.000117,  # actress  c|ct
    ("ins", "#", "a"): 0.00000144,  # cress  a|#
    ("trans", "c", "a"): 0.00000164,  # caress  ac|ca
    ("sub", "r", "c"): 0.000000209,  # access  r|c
    ("sub", "e", "o"): 0.0000093,  # across  e|o
    ("ins", "e", "s"): 0.0000321,  # acres  es|e
    ("ins", "s", "s"): 0.0000342,  # acres  ss|s
}
#: SLP3's P(w) from the Corpus of Contemporary American English (404,253,213 words).
TEXTBOOK_UNIGRAMS = {
    "actress": 0.0000231,
    "cress": 0.000000544,
    "caress": 0.00000170,
    "access": 0.0000916,
    "across": 0.000299,
    "acres": 0.0000318,
}
#: SLP3's bigram probabilities for "versatile acress whose" (COCA).
TEXTBOOK_BIGRAMS = {
    ("versatile", "actress"): 0.000021,
    ("versatile", "across"): 0.000021,
    ("actress", "whose"): 0.0010,
    ("across", "whose"): 0.000006,
}
