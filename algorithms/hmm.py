"""Hidden Markov models (SLP3 Appendix A; tagging in SLP3 §8.4).

An :class:`HMM` holds states, an observation vocabulary, the initial
distribution π, transitions A (``A[i, j] = P(state j | state i)``) and
emissions B (``B[j, v] = P(symbol v | state j)``). It is validated on
construction: a row that does not sum to 1 is refused, naming the row.

:func:`viterbi`, :func:`forward` and :func:`backward` compute in log space,
so a 50-word sentence over 45 tags never underflows, and return the table
together with a lazy :class:`~algorithms.trace.Trace` whose events narrate
each trellis node with the recurrence instantiated with its numbers.
:func:`baum_welch` re-estimates a model from unlabeled sequences, one trace
step per EM iteration. :meth:`HMM.train` builds a part-of-speech tagger from
tagged sentences with add-k smoothing and a suffix model for unknown words.
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from algorithms.checks import real_number, whole_number
from algorithms.files import read_text_file
from algorithms.numeric import log_of, logsumexp
from algorithms.progress import Cancelled, stop_if_cancelled
from algorithms.quiz import Question, choice_question, number_question
from algorithms.trace import (
    NUMBER_STYLES,
    Phase,
    State,
    StepEvent,
    StepwiseResult,
    Trace,
    format_number,
    format_probability,
    line_with,
)

__all__ = [
    "HMM",
    "UnknownWordModel",
    "viterbi",
    "forward",
    "backward",
    "posteriors",
    "baum_welch",
    "evaluate",
    "most_frequent_tag_baseline",
    "format_probability",
    "ViterbiResult",
    "ForwardResult",
    "BackwardResult",
    "BaumWelchResult",
    "TrellisResult",
    "TrellisNode",
    "Termination",
    "BacktraceStep",
    "Term",
    "TrellisState",
    "EMIteration",
    "EMState",
    "NUMBER_STYLES",
    "ROW_TOLERANCE",
    "UNKNOWN_SYMBOL",
]

#: How far a probability row may be from summing to 1 and still be accepted.
ROW_TOLERANCE = 1e-6
#: How a trained tagger's emission table names "a word never seen in training".
UNKNOWN_SYMBOL = "<UNK>"

_NEG_INF = float("-inf")


# -- the model --------------------------------------------------------------------------------
class HMM:
    """A discrete hidden Markov model.

    ``start[i] = π_i``, ``transition[i][j] = P(j | i)``, ``emission[j][v] = P(symbols[v] | j)``.
    Rows must sum to 1 (within :data:`ROW_TOLERANCE`) unless ``renormalise=True``,
    which rescales every row instead. ``unknown`` (optional) decides the
    emission of words outside ``symbols``; without it such a word is refused.
    """

    def __init__(
        self,
        states: Sequence[str],
        symbols: Sequence[str],
        start: Sequence[float] | np.ndarray,
        transition: Sequence[Sequence[float]] | np.ndarray,
        emission: Sequence[Sequence[float]] | np.ndarray,
        renormalise: bool = False,
        unknown: UnknownWordModel | None = None,
    ) -> None:
        self.states: tuple[str, ...] = _names(states, "state")
        self.symbols: tuple[str, ...] = _names(symbols, "symbol")
        n, v = len(self.states), len(self.symbols)
        self.start = _matrix(start, (n,), "initial distribution π", self.states, self.symbols)
        self.transition = _matrix(transition, (n, n), "transition matrix A", self.states, self.states)
        self.emission = _matrix(emission, (n, v), "emission matrix B", self.states, self.symbols)
        if renormalise:
            self.start = _renormalised(self.start[None, :], "initial distribution π", ("π",))[0]
            self.transition = _renormalised(self.transition, "transition matrix A", self.states)
            self.emission = _renormalised(self.emission, "emission matrix B", self.states)
        _check_rows(self.start[None, :], "The initial distribution π", None)
        _check_rows(self.transition, "transition matrix A", self.states)
        _check_rows(self.emission, "emission matrix B", self.states)
        for array in (self.start, self.transition, self.emission):
            array.setflags(write=False)
        self.log_start = log_of(self.start)
        self.log_transition = log_of(self.transition)
        self.log_emission = log_of(self.emission)
        self.unknown = unknown
        self._symbol_index = {symbol: index for index, symbol in enumerate(self.symbols)}

    # -- vocabulary ------------------------------------------------------------------------
    def symbol_index(self, symbol: str) -> int | None:
        """The column of ``symbol`` in B, or None if the model has never seen it."""
        return self._symbol_index.get(symbol)

    def lookup(self, word: str) -> tuple[np.ndarray, str]:
        """(log b_j(word) for every state j, how the word was handled).

        Known words use their column of B; a capitalised word the model only
        knows in lower case uses that column; anything else goes to the
        unknown-word model, or is refused with a ValueError naming the word.
        """
        index = self._symbol_index.get(word)
        if index is not None:
            return self.log_emission[:, index], "known"
        if word.lower() != word and word.lower() in self._symbol_index:
            return self.log_emission[:, self._symbol_index[word.lower()]], f"known as '{word.lower()}'"
        if self.unknown is not None:
            return self.unknown.log_emission(word), self.unknown.explain(word)
        shown = ", ".join(self.symbols[:8]) + (", …" if len(self.symbols) > 8 else "")
        raise ValueError(f"The observation '{word}' is not in this model's vocabulary ({shown}).")

    def emission_log_matrix(self, observations: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """T × N array of log b_j(o_t), and for each position how its word was handled."""
        if len(observations) == 0:
            raise ValueError("There are no observations: type at least one symbol.")
        columns, notes = [], []
        for word in observations:
            column, note = self.lookup(str(word))
            columns.append(column)
            notes.append(note)
        return np.array(columns, dtype=float), notes

    # -- files -----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The model as plain JSON values (the unknown-word model is not included)."""
        return {
            "states": list(self.states),
            "symbols": list(self.symbols),
            "start": self.start.tolist(),
            "transition": self.transition.tolist(),
            "emission": self.emission.tolist(),
        }

    @classmethod
    def from_dict(cls, data: Any, renormalise: bool = False) -> HMM:
        """A model from the JSON object written by :meth:`to_dict`; ValueError if malformed."""
        if not isinstance(data, dict):
            raise ValueError(
                "An HMM file must hold a JSON object with states, symbols, start, transition, emission."
            )
        missing = [key for key in ("states", "symbols", "start", "transition", "emission") if key not in data]
        if missing:
            raise ValueError(f"The HMM is missing {', '.join(missing)}.")
        return cls(
            data["states"],
            data["symbols"],
            data["start"],
            data["transition"],
            data["emission"],
            renormalise=renormalise or bool(data.get("renormalise", False)),
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str], renormalise: bool = False) -> HMM:
        """Read a model from a JSON file (see :meth:`to_dict`)."""
        name = os.fspath(path)
        try:
            data = json.loads(read_text_file(path, "model file"))
        except json.JSONDecodeError as problem:
            raise ValueError(f"{name} is not valid JSON (line {problem.lineno}: {problem.msg}).") from None
        except RecursionError:
            raise ValueError(f"{name} nests its JSON too deeply to be an HMM.") from None
        try:
            return cls.from_dict(data, renormalise)
        except ValueError as problem:
            raise ValueError(f"{os.path.basename(name)}: {problem}") from None

    # -- training ----------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        tagged_sentences: Iterable[Sequence[tuple[str, str]]],
        transition_k: float = 0.1,
        emission_k: float = 0.01,
        rare_threshold: int = 5,
        max_suffix: int = 5,
        cancelled: Cancelled | None = None,
    ) -> HMM:
        """A bigram tagger estimated from ``[(word, tag), ...]`` sentences.

        π and A are add-``transition_k`` estimates; B is add-``emission_k``
        over the training vocabulary plus :data:`UNKNOWN_SYMBOL`, whose mass
        ``P(<UNK> | t)`` is the share of tag t's tokens that were words seen
        only once (Good–Turing's estimate of how often t meets a new word).
        Which tag an unknown word gets is decided by an
        :class:`UnknownWordModel`: the suffix and shape of words seen at most
        ``rare_threshold`` times (Brants' TnT).
        """
        # k = 0 leaves unseen events at probability 0 (log -inf everywhere Viterbi looks): refused.
        transition_k = real_number("transition_k", transition_k, 0.0, 1e3, low_open=True)
        emission_k = real_number("emission_k", emission_k, 0.0, 1e3, low_open=True)
        rare_threshold = whole_number("rare_threshold", rare_threshold, 0, 10**6)
        max_suffix = whole_number("max_suffix", max_suffix, 0, 20)
        if isinstance(tagged_sentences, str | bytes) or not isinstance(tagged_sentences, Iterable):
            raise ValueError("tagged_sentences must be a list of sentences of (word, tag) pairs.")
        sentences = []
        for number, sentence in enumerate(tagged_sentences, start=1):
            if isinstance(sentence, str | bytes) or not isinstance(sentence, Iterable):
                raise ValueError(f"Sentence {number} must be a list of (word, tag) pairs; got {sentence!r}.")
            sentences.append(list(sentence))
        sentences = [s for s in sentences if s]
        if not sentences:
            raise ValueError("There are no tagged sentences to train on.")
        for number, sentence in enumerate(sentences, start=1):
            for pair in sentence:
                if not (
                    isinstance(pair, (tuple, list))
                    and len(pair) == 2
                    and all(isinstance(x, str) and x for x in pair)
                ):
                    raise ValueError(f"Sentence {number} has {pair!r}, not a (word, tag) pair of strings.")
        tags = sorted({tag for sentence in sentences for _, tag in sentence})
        tag_index = {tag: i for i, tag in enumerate(tags)}
        word_counts = Counter(word for sentence in sentences for word, _ in sentence)
        words = sorted(word_counts)
        word_index = {word: i for i, word in enumerate(words)}
        n, v = len(tags), len(words)
        starts = np.zeros(n)
        bigrams = np.zeros((n, n))
        emissions = np.zeros((n, v))
        for sentence in sentences:
            stop_if_cancelled(cancelled, "training")
            previous = None
            for word, tag in sentence:
                t = tag_index[tag]
                emissions[t, word_index[word]] += 1
                if previous is None:
                    starts[t] += 1
                else:
                    bigrams[previous, t] += 1
                previous = t
        start = (starts + transition_k) / (starts.sum() + transition_k * n)
        transition = (bigrams + transition_k) / (bigrams.sum(axis=1, keepdims=True) + transition_k * n)
        tag_totals = emissions.sum(axis=1)
        singletons = np.array([word_counts[w] == 1 for w in words])
        # Good-Turing: the share of a tag's tokens that are hapaxes estimates its unseen-word rate.
        unknown_share = (emissions[:, singletons].sum(axis=1) + 1) / (tag_totals + n)
        known = (emissions + emission_k) / (tag_totals[:, None] + emission_k * v)
        emission = np.hstack((known * (1 - unknown_share)[:, None], unknown_share[:, None]))
        unknown = UnknownWordModel.learn(
            sentences, tags, word_counts, unknown_share, rare_threshold=rare_threshold, max_suffix=max_suffix
        )
        return cls(tags, [*words, UNKNOWN_SYMBOL], start, transition, emission, unknown=unknown)

    def tag(self, words: Sequence[str]) -> list[str]:
        """The Viterbi tag sequence for ``words``."""
        return viterbi(self, list(words), traced=False).path

    def __repr__(self) -> str:
        return f"HMM({len(self.states)} states, {len(self.symbols)} symbols)"


class UnknownWordModel:
    """Which tag a word never seen in training gets, from its suffix and shape.

    Following Brants (2000, TnT): for words seen at most a few times, count
    tags by their last 1..m letters, separately for three shapes (contains a
    digit, capitalised, other). ``P(t | suffix)`` is smoothed by successive
    abstraction towards shorter suffixes with weight θ, the standard
    deviation of the tag probabilities. An unknown word's emission is
    ``b_t(w) = P(<UNK> | t) · P(t | suffix, shape) / P(t | rare words)``
    times ``P(suffix | rare)``: a tag scores well when the suffix is more
    typical of it than of rare words in general.
    """

    SHAPES = ("number-like", "capitalised", "lower-case")

    def __init__(
        self,
        tags: Sequence[str],
        tables: dict[tuple[str, str], np.ndarray],
        counts: dict[tuple[str, str], int],
        rare_prior: np.ndarray,
        unknown_share: np.ndarray,
        max_suffix: int,
        rare_words: int,
    ) -> None:
        self.tags = tuple(tags)
        self.tables = tables  # (shape, suffix) -> smoothed P(t | suffix, shape); suffix "" = shape prior
        self.counts = counts  # (shape, suffix) -> number of rare tokens it was learned from
        self.rare_prior = rare_prior
        self.log_unknown_share = np.log(unknown_share)
        self.max_suffix = max_suffix
        self.rare_words = rare_words

    @staticmethod
    def shape(word: str) -> str:
        if any(ch.isdigit() for ch in word):
            return "number-like"
        if word[:1].isupper():
            return "capitalised"
        return "lower-case"

    @classmethod
    def learn(
        cls,
        sentences: Sequence[Sequence[tuple[str, str]]],
        tags: Sequence[str],
        word_counts: Counter[str],
        unknown_share: np.ndarray,
        rare_threshold: int = 5,
        max_suffix: int = 5,
    ) -> UnknownWordModel:
        tag_index = {tag: i for i, tag in enumerate(tags)}
        n = len(tags)
        raw: dict[tuple[str, str], np.ndarray] = {}
        rare_tokens = 0
        for sentence in sentences:
            for word, tag in sentence:
                if word_counts[word] > rare_threshold:
                    continue
                rare_tokens += 1
                shape = cls.shape(word)
                lowered = word.lower()
                for length in range(0, min(max_suffix, len(lowered)) + 1):
                    key = (shape, lowered[len(lowered) - length :] if length else "")
                    raw.setdefault(key, np.zeros(n))[tag_index[tag]] += 1
        overall = sum((counts for (_, suffix), counts in raw.items() if suffix == ""), np.zeros(n))
        rare_prior = (overall + 1) / (overall.sum() + n)
        theta = float(np.std(rare_prior, ddof=1)) if n > 1 else 1.0
        tables: dict[tuple[str, str], np.ndarray] = {}
        for shape in cls.SHAPES:
            base = raw.get((shape, ""))
            tables[(shape, "")] = (base + rare_prior) / (base.sum() + 1) if base is not None else rare_prior
        # Shorter suffixes first, so each longer one can back off to its parent.
        for (shape, suffix), counts in sorted(raw.items(), key=lambda item: len(item[0][1])):
            if suffix == "":
                continue
            parent = tables[(shape, suffix[1:])]
            tables[(shape, suffix)] = (counts / counts.sum() + theta * parent) / (1 + theta)
        return cls(
            tags,
            tables,
            {key: int(counts.sum()) for key, counts in raw.items()},
            rare_prior,
            unknown_share,
            max_suffix,
            rare_tokens,
        )

    def _longest_suffix(self, word: str) -> tuple[str, str]:
        shape, lowered = self.shape(word), word.lower()
        for length in range(min(self.max_suffix, len(lowered)), 0, -1):
            key = (shape, lowered[len(lowered) - length :])
            if key in self.tables:
                return key
        return (shape, "")

    def tag_distribution(self, word: str) -> np.ndarray:
        """P(t | suffix, shape) for an unknown ``word``."""
        return self.tables[self._longest_suffix(word)]

    def log_emission(self, word: str) -> np.ndarray:
        """log b_t(word) for an unknown word, for every tag t.

        ``P(<UNK> | t) · P(t | suffix) · P(suffix | rare) / P(t | rare)`` — by Bayes
        about ``P(<UNK> | t) · P(suffix | t, rare)``, so it stays a probability.
        """
        key = self._longest_suffix(word)
        suffix_share = (self.counts.get(key, 0) + 1) / (self.rare_words + len(self.counts))
        logs: np.ndarray = (
            self.log_unknown_share
            + np.log(self.tables[key])
            + math.log(suffix_share)
            - np.log(self.rare_prior)
        )
        return logs

    def explain(self, word: str) -> str:
        """One phrase saying how ``word`` was handled (shown in the panel)."""
        shape, suffix = self._longest_suffix(word)
        learned = self.counts.get((shape, suffix), 0)
        distribution = self.tag_distribution(word)
        best = self.tags[int(np.argmax(distribution))]
        ending = f"ending in '-{suffix}'" if suffix else "with no known ending"
        return (
            f"unknown: {shape}, {ending} ({learned:,} rare training words), "
            f"most likely {best} ({format_number(float(distribution.max()), 2)})"
        )


def _names(values: Sequence[str], kind: str) -> tuple[str, ...]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ValueError(f"The {kind}s must be a list of names.")
    names = tuple(str(value) for value in values)
    if not names:
        raise ValueError(f"The model needs at least one {kind}.")
    seen: set[str] = set()
    for name in names:
        if not name.strip():
            raise ValueError(f"A {kind} name is empty.")
        if name in seen:
            raise ValueError(f"The {kind} '{name}' is listed twice.")
        seen.add(name)
    return names


def _matrix(
    values: Any, shape: tuple[int, ...], what: str, rows: Sequence[str], columns: Sequence[str]
) -> np.ndarray:
    try:
        array = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"The {what} must contain only numbers.") from None
    if array.shape != shape:
        expected = " × ".join(str(s) for s in shape)
        got = " × ".join(str(s) for s in array.shape) or "a single number"
        names = f"({len(rows)} states" + (f", {len(columns)} symbols)" if columns is not rows else ")")
        raise ValueError(f"The {what} must be {expected} {names}; it is {got}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"The {what} contains a value that is not a finite number.")
    if np.any(array < 0):
        where = np.argwhere(array < 0)[0]
        label = f"row {rows[where[0]]}" if array.ndim == 2 else f"entry {rows[where[0]]}"
        raise ValueError(f"The {what} has a negative probability in {label}.")
    return array


def _row_name(what: str, names: Sequence[str] | None, index: int) -> str:
    return what if names is None else f"Row {names[index]} of the {what}"


def _check_rows(array: np.ndarray, what: str, names: Sequence[str] | None) -> None:
    sums = array.sum(axis=1)
    for index, total in enumerate(sums):
        if abs(total - 1) > ROW_TOLERANCE:
            raise ValueError(
                f"{_row_name(what, names, index)} sums to {format_number(float(total), 6)}, not 1; "
                "fix it or ask to renormalise."
            )


def _renormalised(array: np.ndarray, what: str, names: Sequence[str]) -> np.ndarray:
    sums = array.sum(axis=1, keepdims=True)
    if np.any(sums == 0):
        index = int(np.flatnonzero(sums[:, 0] == 0)[0])
        raise ValueError(f"Row {names[index]} of the {what} is all zeros, so it cannot be renormalised.")
    rows: np.ndarray = array / sums
    return rows


# -- trellis events ------------------------------------------------------------------------
_LETTER = {"viterbi": "v", "forward": "α", "backward": "β"}


@dataclass(frozen=True)
class Term:
    """One incoming term of a trellis node: ``previous · transition`` (· emission for β)."""

    other_state: str  # i for v/α (the predecessor), j for β (the successor)
    log_previous: float
    log_transition: float
    log_emission: float  # only for β (b_j(o_{t+1})); 0 otherwise
    log_product: float


@dataclass(frozen=True)
class TrellisNode(StepEvent):
    """The value of one trellis node, with every term that produced it.

    ``time`` is 1-based as in SLP3; ``terms`` is empty at initialisation.
    For Viterbi ``best`` is the index in ``terms`` of the winning predecessor.
    """

    kind: str  # viterbi | forward | backward
    time: int
    state: str
    symbol: str
    log_start: float  # π (initialisation of v/α) — 0 otherwise
    log_emission: float  # b_state(o_time) for v/α — 0 for β
    terms: tuple[Term, ...]
    log_value: float
    best: int | None = None

    def describe(self, style: str = "plain", max_terms: int = 4) -> str:
        log = style == "log"
        times = " + " if log else "·"

        def p(value: float) -> str:  # a number inside the formula: negative logs get brackets
            text = format_probability(value, style)
            return f"({text})" if log and text.startswith("-") else text

        def ln(symbol: str) -> str:
            return f"ln {symbol}" if log else symbol

        letter = _LETTER[self.kind]
        name = ln(f"{letter}{self.time}({self.state})")
        value = format_probability(self.log_value, style)
        if self.kind == "backward" and not self.terms:
            return f"{name} = {value}: every path may end in {self.state} after the last word."
        if not self.terms:
            return (
                f"{name} = {ln(f'π({self.state})')}{times}{ln(f'P({self.symbol}|{self.state})')} = "
                f"{p(self.log_start)}{times}{p(self.log_emission)} = {value}"
            )
        shown = self._shown_terms(max_terms)
        more = self._more(shown)
        if self.kind == "backward":
            symbolic = [
                times.join(
                    (
                        ln(f"P({t.other_state}|{self.state})"),
                        ln(f"P({self.symbol}|{t.other_state})"),
                        ln(f"β{self.time + 1}({t.other_state})"),
                    )
                )
                for t in shown
            ]
            numeric = [times.join((p(t.log_transition), p(t.log_emission), p(t.log_previous))) for t in shown]
            combine, joiner = ("logsumexp", ", ") if log else ("", " + ")
            return (
                f"{name} = {combine}({joiner.join(symbolic)}{more}) = "
                f"{combine}({joiner.join(numeric)}{more}) = {value}"
            )
        previous = f"{letter}{self.time - 1}"
        symbolic = [
            f"{ln(f'{previous}({t.other_state})')}{times}{ln(f'P({self.state}|{t.other_state})')}"
            for t in shown
        ]
        numeric = [f"{p(t.log_previous)}{times}{p(t.log_transition)}" for t in shown]
        if self.kind == "viterbi":
            combine, joiner = "max", ", "
        else:
            combine, joiner = ("logsumexp", ", ") if log else ("", " + ")
        emission = ln(f"P({self.symbol}|{self.state})")
        outer = " + " if log else " · "  # spaced: the emission multiplies the whole bracket
        text = (
            f"{name} = {combine}({joiner.join(symbolic)}{more}){outer}{emission} = "
            f"{combine}({joiner.join(numeric)}{more}){outer}{p(self.log_emission)} = {value}"
        )
        if self.kind == "viterbi" and self.best is not None:
            text += f"; best predecessor {self.terms[self.best].other_state}"
        return text

    def _shown_terms(self, max_terms: int) -> list[Term]:
        if len(self.terms) <= max_terms:
            return list(self.terms)
        # Big tagsets: the strongest terms tell the story; the rest are counted.
        order = sorted(range(len(self.terms)), key=lambda i: -self.terms[i].log_product)[:max_terms]
        return [self.terms[i] for i in sorted(order)]

    def _more(self, shown: Sequence[Term]) -> str:
        hidden = len(self.terms) - len(shown)
        if not hidden:
            return ""
        return f", … {hidden} smaller" if self.kind == "viterbi" else f" + … {hidden} smaller"


@dataclass(frozen=True)
class Termination(StepEvent):
    """The end of the recursion: P(O) (forward/backward) or the best path's probability."""

    kind: str
    log_terms: tuple[float, ...]
    states: tuple[str, ...]
    log_value: float
    best_state: str | None = None

    def describe(self, style: str = "plain") -> str:
        def p(value: float) -> str:
            return format_probability(value, style)

        shown = " + ".join(p(v) for v in self.log_terms[:6]) + (" + …" if len(self.log_terms) > 6 else "")
        if self.kind == "viterbi":
            shown = ", ".join(p(v) for v in self.log_terms[:6]) + (", …" if len(self.log_terms) > 6 else "")
            return (
                f"Best path probability = max over the last column = max({shown}) = {p(self.log_value)}, "
                f"ending in {self.best_state}. Now follow the backpointers."
            )
        if self.kind == "backward":
            return (
                f"P(O) = Σ π(i)·P(o1|i)·β1(i) = {shown} = {p(self.log_value)} "
                f"(ln P(O) = {format_number(self.log_value)}), the same as the forward algorithm gives."
            )
        return (
            f"P(O) = sum of the last column = {shown} = {p(self.log_value)} "
            f"(ln P(O) = {format_number(self.log_value)})"
        )


@dataclass(frozen=True)
class BacktraceStep(StepEvent):
    """Following one backpointer of the Viterbi trellis."""

    time: int  # 1-based time of the state chosen
    state: str
    symbol: str
    came_from: str | None  # the state at time + 1 whose backpointer was followed

    def describe(self, style: str = "plain") -> str:
        if self.came_from is None:
            return f"The best path ends in {self.state}: tag '{self.symbol}' as {self.state}."
        return (
            f"The backpointer of v{self.time + 1}({self.came_from}) points to {self.state}: "
            f"tag '{self.symbol}' as {self.state}."
        )


#: SLP3 Appendix A (Figs. A.7 and A.9) and the backward algorithm, in this project's words. Each
#: loop's first line carries the phase name ("initialisation", "recursion") that line_at looks for.
HMM_PSEUDOCODE = {
    "viterbi": (
        "function VITERBI(observations of len T, state-graph of len N) returns best-path, path-prob",
        "    for each state s from 1 to N do                       ; initialisation",
        "        viterbi[s,1] ← π_s · b_s(o_1); backpointer[s,1] ← 0",
        "    for each time t from 2 to T, each state s from 1 to N do  ; recursion",
        "        viterbi[s,t] ← max_s' viterbi[s',t-1] · a_s',s · b_s(o_t); backpointer[s,t] ← argmax_s'",
        "    bestpathprob ← max_s viterbi[s,T]; bestpathpointer ← argmax_s  ; termination",
        "    bestpath ← the path from bestpathpointer, following backpointers back in time",
        "    return bestpath, bestpathprob",
    ),
    "forward": (
        "function FORWARD(observations of len T, state-graph of len N) returns forward-prob",
        "    for each state s from 1 to N do                       ; initialisation",
        "        forward[s,1] ← π_s · b_s(o_1)",
        "    for each time t from 2 to T, each state s from 1 to N do  ; recursion",
        "        forward[s,t] ← Σ_s' forward[s',t-1] · a_s',s · b_s(o_t)",
        "    forwardprob ← Σ_s forward[s,T]                          ; termination",
        "    return forwardprob",
    ),
    "backward": (
        "function BACKWARD(observations of len T, state-graph of len N) returns P(O)",
        "    for each state i from 1 to N do                       ; initialisation",
        "        β_T(i) ← 1",
        "    for each time t from T-1 down to 1, each state i do   ; recursion",
        "        β_t(i) ← Σ_j a_ij · b_j(o_t+1) · β_t+1(j)",
        "    P(O) ← Σ_j π_j · b_j(o_1) · β_1(j)                       ; termination",
        "    return P(O)",
    ),
}

#: Baum-Welch (SLP3 Fig. A.12, the forward-backward algorithm), one trace event per iteration.
EM_PSEUDOCODE = (
    "function FORWARD-BACKWARD(observations, states, vocabulary) returns HMM = (π, A, B)",
    "    initialise π, A and B",
    "    iterate until convergence",
    "        E-step: γ_t(j) and ξ_t(i,j) for every t, i, j, from α and β",
    "        M-step: π̂, â_ij = Σ_t ξ_t(i,j) / Σ_t Σ_k ξ_t(i,k),  b̂_j(v) = Σ_t:o_t=v γ_t(j) / Σ_t γ_t(j)",
    "    return π, A, B",
)


# -- results ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class TrellisState(State):
    """What the trellis shows at one step: the nodes computed, the current one and the path found."""

    states: tuple[str, ...]  # the HMM's state names, rows of ``filled``
    filled: np.ndarray  # N × T booleans: nodes computed so far
    current: tuple[int, int] | None  # (state, time), 0-based, of the node just computed
    path: tuple[tuple[int, int], ...]  # (time, state) of the best path revealed so far, by time
    phase: str  # "start", "initialisation", "recursion", "termination" or "backtrace"

    def then(self, event: StepEvent) -> TrellisState:
        """The state one event later (what ``state_at`` computes by random access)."""
        if isinstance(event, TrellisNode):
            j = self.states.index(event.state)
            t = event.time - 1
            filled = self.filled.copy()
            filled[j, t] = True
            phase = "recursion" if event.terms else "initialisation"
            return TrellisState(self.states, filled, (j, t), self.path, phase)
        if isinstance(event, Termination):
            return TrellisState(self.states, self.filled, None, self.path, "termination")
        if isinstance(event, BacktraceStep):
            path = tuple(sorted({*self.path, (event.time - 1, self.states.index(event.state))}))
            return TrellisState(self.states, self.filled, None, path, "backtrace")
        raise TypeError(f"a trellis does not change with {type(event).__name__}")


@dataclass
class TrellisResult(StepwiseResult[StepEvent, TrellisState]):
    """What the three trellis algorithms share: the table in log space and its trace."""

    hmm: HMM
    observations: tuple[str, ...]
    kind: str
    log_table: np.ndarray  # N × T, natural log
    log_emissions: np.ndarray  # T × N log b_j(o_t)
    notes: list[str]  # per position: how the word was looked up
    log_probability: float
    trace: Trace[StepEvent] = field(repr=False)

    @property
    def table(self) -> np.ndarray:
        """N × T probabilities (may underflow to 0 for very long inputs; :attr:`log_table` does not)."""
        table: np.ndarray = np.exp(self.log_table)
        return table

    @property
    def probability(self) -> float:
        return math.exp(self.log_probability)

    @property
    def node_count(self) -> int:
        return self.log_table.size

    @property
    def pseudocode(self) -> tuple[str, ...]:
        """SLP3 Appendix A's VITERBI, FORWARD or BACKWARD, in this project's words."""
        return HMM_PSEUDOCODE[self.kind]

    def line_at(self, step: int) -> int:
        """Initialisation, recursion, termination or the backtrace, as the step's event is."""
        event = self.event_at(step)
        if isinstance(event, TrellisNode):
            marker = "recursion" if event.terms else "initialisation"
            return line_with(self.pseudocode, marker) + 1  # the assignment under the loop's comment
        if isinstance(event, Termination):
            return line_with(self.pseudocode, "termination")
        if isinstance(event, BacktraceStep):
            return line_with(self.pseudocode, "bestpath ←")
        raise ValueError(f"step {step} is not in this trace (1 … {len(self.trace)})")

    def watch_at(self, step: int) -> dict[str, str]:
        """t, the state, the observation and the value; for Viterbi the best predecessor."""
        event = self.event_at(step)
        if isinstance(event, TrellisNode):
            watch = {"t": str(event.time), "s": event.state, "o_t": event.symbol}
            watch[f"{_LETTER[event.kind]}{event.time}({event.state})"] = format_probability(event.log_value)
            if event.best is not None:
                watch["best s'"] = event.terms[event.best].other_state
            return watch
        if isinstance(event, Termination):
            return {"value": format_probability(event.log_value)} | (
                {"best last state": event.best_state} if event.best_state else {}
            )
        if isinstance(event, BacktraceStep):
            return {"t": str(event.time), "state": event.state, "word": event.symbol}
        return {}

    def question_at(self, step: int) -> Question | None:
        """A node's value (a log answer counts too), the final probability, or a backpointer's state."""
        event = self.event_at(step)
        if isinstance(event, TrellisNode):
            name = f"{_LETTER[event.kind]}{event.time}({event.state})"
            shown = format_probability(event.log_value, "plain")
            return number_question(
                f"{name} = ?", math.exp(event.log_value), event.describe(), shown, log_ok=True,
                log_value=event.log_value,
            )  # fmt: skip
        if isinstance(event, Termination):
            what = "the best path's probability" if event.kind == "viterbi" else "P(O)"
            shown = format_probability(event.log_value, "plain")
            return number_question(
                f"{what} = ?", math.exp(event.log_value), event.describe(), shown, log_ok=True,
                log_value=event.log_value,
            )  # fmt: skip
        if isinstance(event, BacktraceStep) and event.came_from is not None:
            return choice_question(
                f"The backpointer of v{event.time + 1}({event.came_from}) points to which state?",
                self.hmm.states,
                event.state,
                event.describe(),
                hint=f"Which v{event.time}(i)·P({event.came_from}|i) is the largest?",
            )
        return None

    def node_order(self) -> list[tuple[int, int]]:
        """(state, time) of each node event, in trace order (0-based)."""
        n, t = self.log_table.shape
        times = range(t - 1, -1, -1) if self.kind == "backward" else range(t)
        return [(i, j) for j in times for i in range(n)]

    def filled_mask(self, step: int) -> np.ndarray:
        """N × T booleans: the nodes computed within the first ``step`` events."""
        n, t = self.log_table.shape
        count = min(step, n * t)
        mask = np.zeros(n * t, dtype=bool)
        mask[:count] = True
        by_column: np.ndarray = mask.reshape(t, n).T  # event order is column by column, state by state
        return by_column[:, ::-1] if self.kind == "backward" else by_column

    def current_node(self, step: int) -> tuple[int, int] | None:
        """(state, time) of the node computed by the event that led to ``step``."""
        n, t = self.log_table.shape
        if not 1 <= step <= n * t:
            return None
        index = step - 1
        column, state = divmod(index, n)
        return (state, t - 1 - column if self.kind == "backward" else column)

    def _node_event(self, index: int) -> TrellisNode:
        n, t_count = self.log_table.shape
        column, j = divmod(index, n)
        hmm, log_table = self.hmm, self.log_table
        if self.kind == "backward":
            t = t_count - 1 - column
            if t == t_count - 1:
                return TrellisNode("backward", t + 1, hmm.states[j], self.observations[t], 0.0, 0.0, (), 0.0)
            emit_next = self.log_emissions[t + 1]
            terms = tuple(
                Term(
                    hmm.states[k],
                    float(log_table[k, t + 1]),
                    float(hmm.log_transition[j, k]),
                    float(emit_next[k]),
                    float(hmm.log_transition[j, k] + emit_next[k] + log_table[k, t + 1]),
                )
                for k in range(n)
            )
            return TrellisNode(
                "backward",
                t + 1,
                hmm.states[j],
                self.observations[t + 1],
                0.0,
                0.0,
                terms,
                float(log_table[j, t]),
            )
        t = column
        symbol = self.observations[t]
        emit = float(self.log_emissions[t, j])
        if t == 0:
            return TrellisNode(
                self.kind, 1, hmm.states[j], symbol, float(hmm.log_start[j]), emit, (), float(log_table[j, 0])
            )
        terms = tuple(
            Term(
                hmm.states[i],
                float(log_table[i, t - 1]),
                float(hmm.log_transition[i, j]),
                0.0,
                float(log_table[i, t - 1] + hmm.log_transition[i, j]),
            )
            for i in range(n)
        )
        best = None
        if self.kind == "viterbi":
            best = int(self.backpointers[j, t])  # type: ignore[attr-defined]
        return TrellisNode(
            self.kind, t + 1, hmm.states[j], symbol, 0.0, emit, terms, float(log_table[j, t]), best
        )

    def _termination(self) -> Termination:
        if self.kind == "backward":
            first = self.hmm.log_start + self.log_emissions[0] + self.log_table[:, 0]
            return Termination("backward", tuple(map(float, first)), self.hmm.states, self.log_probability)
        last = tuple(float(v) for v in self.log_table[:, -1])
        best = self.hmm.states[int(np.argmax(self.log_table[:, -1]))] if self.kind == "viterbi" else None
        return Termination(self.kind, last, self.hmm.states, self.log_probability, best)

    def phase_at(self, step: int) -> str:
        phase = self.trace.phase_at(step)
        return "start" if step == 0 or phase is None else phase.name

    def path_shown(self, step: int) -> dict[int, int]:
        """{time: state} of the best path revealed by the backtrace at ``step`` (Viterbi only)."""
        return {}

    def state_at(self, step: int) -> TrellisState:
        """The trellis after the first ``step`` events, by random access (no replay)."""
        step = self.clamp(step)
        path = tuple(sorted(self.path_shown(step).items()))
        return TrellisState(
            self.hmm.states, self.filled_mask(step), self.current_node(step), path, self.phase_at(step)
        )


@dataclass
class ViterbiResult(TrellisResult):
    """Viterbi: the best path, its probability, the v table and the backpointers."""

    path: list[str] = field(default_factory=list)
    path_indices: list[int] = field(default_factory=list)
    backpointers: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=int))

    def path_shown(self, step: int) -> dict[int, int]:
        """{time: state} of the best path revealed by the backtrace at ``step``."""
        step = self.clamp(step)
        start = self.node_count + 1
        revealed = max(0, step - start)
        t_count = len(self.observations)
        return {t: self.path_indices[t] for t in range(t_count - revealed, t_count)}


@dataclass
class ForwardResult(TrellisResult):
    """Forward: α table and P(O)."""


@dataclass
class BackwardResult(TrellisResult):
    """Backward: β table and P(O)."""


def _build_trace(result: TrellisResult) -> Trace[StepEvent]:
    nodes = result.node_count
    n = result.log_table.shape[0]
    extra: list[Callable[[], StepEvent]] = [result._termination]
    if isinstance(result, ViterbiResult):
        t_count = len(result.observations)

        def backtrace_event(k: int) -> BacktraceStep:
            t = t_count - 1 - k
            came_from = None if k == 0 else result.hmm.states[result.path_indices[t + 1]]
            return BacktraceStep(t + 1, result.path[t], result.observations[t], came_from)

        extra += [functools.partial(backtrace_event, k) for k in range(t_count)]

    def event_at(index: int) -> StepEvent:
        return result._node_event(index) if index < nodes else extra[index - nodes]()

    initial = "initialisation"
    phases = [Phase(initial, 0, n), Phase("recursion", n, nodes), Phase("termination", nodes, nodes + 1)]
    if isinstance(result, ViterbiResult):
        phases.append(Phase("backtrace", nodes + 1, nodes + 1 + len(result.observations)))
    phases = [phase for phase in phases if len(phase)]
    total = nodes + len(extra)
    # One "column" is a time step of the recursion, or one backpointer followed.
    columns = [*range(0, nodes + 1, n), *range(nodes + 1, total + 1)]
    return Trace.lazy(total, event_at, phases, {"column": columns})


# -- the algorithms ------------------------------------------------------------------------------
def _prepare(hmm: HMM, observations: Sequence[str]) -> tuple[tuple[str, ...], np.ndarray, list[str]]:
    if not isinstance(hmm, HMM):
        raise ValueError("The model must be an HMM.")
    if isinstance(observations, str):
        observations = observations.split()
    if isinstance(observations, bytes) or not isinstance(observations, Sequence | np.ndarray):
        raise ValueError(f"The observations must be a string or a list of symbols; got {observations!r}.")
    symbols = tuple(str(o) for o in observations)
    emissions, notes = hmm.emission_log_matrix(symbols)
    return symbols, emissions, notes


def viterbi(hmm: HMM, observations: Sequence[str], traced: bool = True) -> ViterbiResult:
    """The most probable state sequence for ``observations`` (SLP3 Fig. A.9).

    ``observations`` is a list of symbols (a string is split on whitespace).
    The result has ``path``, ``probability``, ``log_probability``, ``table``
    (N × T, v_t(j)), ``backpointers`` and ``trace``. Ties go to the lower state index.
    """
    symbols, emissions, notes = _prepare(hmm, observations)
    n, t_count = len(hmm.states), len(symbols)
    log_v = np.empty((n, t_count))
    backpointers = np.zeros((n, t_count), dtype=int)
    log_v[:, 0] = hmm.log_start + emissions[0]
    for t in range(1, t_count):
        scores = log_v[:, t - 1][:, None] + hmm.log_transition  # scores[i, j]: from i to j
        backpointers[:, t] = np.argmax(scores, axis=0)
        log_v[:, t] = scores[backpointers[:, t], np.arange(n)] + emissions[t]
    last = int(np.argmax(log_v[:, -1]))
    path_indices = [last]
    for t in range(t_count - 1, 0, -1):
        path_indices.append(int(backpointers[path_indices[-1], t]))
    path_indices.reverse()
    result = ViterbiResult(
        hmm,
        symbols,
        "viterbi",
        log_v,
        emissions,
        notes,
        float(log_v[last, -1]),
        Trace.from_events([]),
        [hmm.states[i] for i in path_indices],
        path_indices,
        backpointers,
    )
    if traced:
        result.trace = _build_trace(result)
    return result


def _forward_table(hmm: HMM, emissions: np.ndarray) -> np.ndarray:
    n, t_count = len(hmm.states), emissions.shape[0]
    log_alpha = np.empty((n, t_count))
    log_alpha[:, 0] = hmm.log_start + emissions[0]
    for t in range(1, t_count):
        log_alpha[:, t] = logsumexp(log_alpha[:, t - 1][:, None] + hmm.log_transition, axis=0) + emissions[t]
    return log_alpha


def _backward_table(hmm: HMM, emissions: np.ndarray) -> np.ndarray:
    n, t_count = len(hmm.states), emissions.shape[0]
    log_beta = np.zeros((n, t_count))
    for t in range(t_count - 2, -1, -1):
        log_beta[:, t] = logsumexp(
            hmm.log_transition + (emissions[t + 1] + log_beta[:, t + 1])[None, :], axis=1
        )
    return log_beta


def forward(hmm: HMM, observations: Sequence[str], traced: bool = True) -> ForwardResult:
    """P(observations) by the forward algorithm (SLP3 Fig. A.7): ``table`` holds α."""
    symbols, emissions, notes = _prepare(hmm, observations)
    log_alpha = _forward_table(hmm, emissions)
    log_p = float(logsumexp(log_alpha[:, -1], axis=0))
    result = ForwardResult(hmm, symbols, "forward", log_alpha, emissions, notes, log_p, Trace.from_events([]))
    if traced:
        result.trace = _build_trace(result)
    return result


def backward(hmm: HMM, observations: Sequence[str], traced: bool = True) -> BackwardResult:
    """The backward probabilities β (SLP3 §A.5.1), filled right to left, and P(O)."""
    symbols, emissions, notes = _prepare(hmm, observations)
    log_beta = _backward_table(hmm, emissions)
    log_p = float(logsumexp(hmm.log_start + emissions[0] + log_beta[:, 0], axis=0))
    result = BackwardResult(
        hmm, symbols, "backward", log_beta, emissions, notes, log_p, Trace.from_events([])
    )
    if traced:
        result.trace = _build_trace(result)
    return result


def posteriors(hmm: HMM, observations: Sequence[str]) -> np.ndarray:
    """N × T array of P(q_t = j | O) (γ), from forward and backward."""
    _, emissions, _ = _prepare(hmm, observations)
    log_alpha, log_beta = _forward_table(hmm, emissions), _backward_table(hmm, emissions)
    log_p = logsumexp(log_alpha[:, -1], axis=0)
    if not np.isfinite(log_p):
        raise ValueError(
            "The observations have probability 0 under this model, so P(state | observations) is undefined."
        )
    gamma: np.ndarray = np.exp(log_alpha + log_beta - log_p)
    return gamma


# -- Baum-Welch -------------------------------------------------------------------------------
@dataclass(frozen=True)
class EMIteration(StepEvent):
    """One EM iteration: expected counts from the old model give the new one."""

    iteration: int
    log_likelihood_before: float
    log_likelihood_after: float
    largest_change: float
    changed_most: str

    def describe(self, style: str = "plain") -> str:
        gain = self.log_likelihood_after - self.log_likelihood_before
        return (
            f"Iteration {self.iteration}: E-step (expected transition and emission counts from forward–"
            f"backward), M-step (π, A, B re-estimated from them). Log-likelihood "
            f"{format_number(self.log_likelihood_before)} → {format_number(self.log_likelihood_after)} "
            f"(+{format_number(gain, 3)}); the largest change was {self.changed_most} "
            f"(by {format_number(self.largest_change, 3)})."
        )


@dataclass(frozen=True, eq=False)
class EMState(State):
    """Baum–Welch after ``iteration`` iterations: the data's log-likelihood under that model."""

    iteration: int
    log_likelihood: float

    def then(self, event: StepEvent) -> EMState:
        """The state one iteration later."""
        if not isinstance(event, EMIteration):
            raise TypeError(f"Baum–Welch does not change with {type(event).__name__}")
        return EMState(event.iteration, event.log_likelihood_after)


@dataclass
class BaumWelchResult(StepwiseResult[EMIteration, EMState]):
    """The re-estimated model, the model after every iteration, and the log-likelihoods."""

    model: HMM
    models: list[HMM]  # models[0] is the initial model
    log_likelihoods: list[float]  # log-likelihood of models[k] on the data
    converged: bool
    trace: Trace[EMIteration] = field(repr=False)

    def state_at(self, step: int) -> EMState:
        """The iteration count and log-likelihood after ``step`` iterations."""
        step = self.clamp(step)
        return EMState(step, self.log_likelihoods[step])

    def model_at(self, step: int) -> HMM:
        """The model after ``step`` iterations (``models[0]`` is the initial one)."""
        return self.models[self.clamp(step)]

    @property
    def pseudocode(self) -> tuple[str, ...]:
        """The forward-backward algorithm, one iteration a step."""
        return EM_PSEUDOCODE

    def line_at(self, step: int) -> int:
        """Every step is one iteration, which ends with its M-step."""
        if self.event_at(step) is None:
            raise ValueError(f"step {step} is not in this trace (1 … {len(self.trace)})")
        return line_with(EM_PSEUDOCODE, "M-step")

    def watch_at(self, step: int) -> dict[str, str]:
        event = self.event_at(step)
        if event is None:
            return {}
        return {
            "iteration": str(event.iteration),
            "log-likelihood": f"{format_number(event.log_likelihood_before)} → "
            f"{format_number(event.log_likelihood_after)}",
        }


def _expected_counts(
    hmm: HMM, sequences: Sequence[np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    n, v = hmm.emission.shape
    start, transitions, emissions = np.zeros(n), np.zeros((n, n)), np.zeros((n, v))
    total = 0.0
    for sequence in sequences:
        log_emit = hmm.log_emission[:, sequence].T  # T × N
        log_alpha, log_beta = _forward_table(hmm, log_emit), _backward_table(hmm, log_emit)
        log_p = float(logsumexp(log_alpha[:, -1], axis=0))
        total += log_p
        gamma = np.exp(log_alpha + log_beta - log_p)
        start += gamma[:, 0]
        np.add.at(emissions.T, sequence, gamma.T)
        for t in range(len(sequence) - 1):
            transitions += np.exp(
                log_alpha[:, t][:, None]
                + hmm.log_transition
                + (log_emit[t + 1] + log_beta[:, t + 1])[None, :]
                - log_p
            )
    return start, transitions, emissions, total


def _normalise_rows(counts: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    sums = counts.sum(axis=1, keepdims=True)
    # A state the data never visits keeps its old row rather than dividing by zero.
    return np.where(sums > 0, counts / np.where(sums > 0, sums, 1), fallback)


def baum_welch(
    hmm: HMM,
    sequences: Sequence[Sequence[str]],
    iterations: int = 20,
    tolerance: float | None = 1e-6,
) -> BaumWelchResult:
    """Re-estimate π, A and B from unlabeled ``sequences`` by EM (SLP3 §A.5).

    Runs until ``iterations`` re-estimations or until the log-likelihood
    gains less than ``tolerance`` (``None``: never stop early). Each iteration
    is one trace step; ``log_likelihoods[k]`` is that of ``models[k]``, and it
    never decreases (EM's guarantee, checked by the tests with early stopping off).
    """
    if isinstance(iterations, bool) or not isinstance(iterations, int | np.integer):
        raise ValueError(f"iterations must be a whole number, not {iterations!r}.")
    if iterations < 1:
        raise ValueError("Baum–Welch needs at least one iteration.")
    if tolerance is not None and not (isinstance(tolerance, int | float) and math.isfinite(tolerance)):
        raise ValueError(f"tolerance must be a finite number or None, not {tolerance!r}.")
    if isinstance(sequences, str) or not isinstance(sequences, Iterable):
        raise ValueError("sequences must be a list of observation sequences, like ['3 1 3', '1 1 2'].")
    encoded = []
    for number, sequence in enumerate(sequences, start=1):
        if not isinstance(sequence, str | Sequence | np.ndarray):
            raise ValueError(f"Sequence {number} must be a string or a list of symbols; got {sequence!r}.")
        words = sequence.split() if isinstance(sequence, str) else list(sequence)
        if not words:
            continue
        indices = []
        for word in words:
            index = hmm.symbol_index(str(word))
            if index is None:
                raise ValueError(f"Sequence {number} has '{word}', which is not one of the model's symbols.")
            indices.append(index)
        encoded.append(np.array(indices, dtype=int))
    if not encoded:
        raise ValueError("There are no sequences to learn from.")
    models, log_likelihoods, events = [hmm], [], []
    converged = False
    current = hmm
    for iteration in range(1, iterations + 1):
        start, transitions, emissions, log_likelihood = _expected_counts(current, encoded)
        log_likelihoods.append(log_likelihood)  # of models[iteration - 1], the current model
        if iteration > 1 and tolerance is not None and log_likelihood - log_likelihoods[-2] < tolerance:
            converged = True  # the current model is kept, with its likelihood: one per model
            break
        new = HMM(
            current.states,
            current.symbols,
            start / start.sum(),
            _normalise_rows(transitions, current.transition),
            _normalise_rows(emissions, current.emission),
            renormalise=True,  # only rounding: every row is a normalised count vector
        )
        models.append(new)
        current = new
    else:
        log_likelihoods.append(_expected_counts(current, encoded)[3])
    for k in range(1, len(models)):
        events.append(_em_event(k, models[k - 1], models[k], log_likelihoods[k - 1], log_likelihoods[k]))
    return BaumWelchResult(
        current, models, log_likelihoods, converged, Trace.from_events(events, [Phase("EM", 0, len(events))])
    )


def _em_event(iteration: int, old: HMM, new: HMM, before: float, after: float) -> EMIteration:
    candidates = [
        ("π", np.abs(new.start - old.start)[None, :], ("π",), old.states),
        ("A", np.abs(new.transition - old.transition), old.states, old.states),
        ("B", np.abs(new.emission - old.emission), old.states, old.symbols),
    ]
    best = max(candidates, key=lambda c: float(c[1].max()))
    name, diff, rows, columns = best
    i, j = np.unravel_index(int(np.argmax(diff)), diff.shape)
    where = f"π({columns[j]})" if name == "π" else (f"P({columns[j]}|{rows[i]})")
    return EMIteration(iteration, before, after, float(diff.max()), where)


# -- tagging accuracy ---------------------------------------------------------------------------
def evaluate(hmm: HMM, tagged_sentences: Iterable[Sequence[tuple[str, str]]]) -> tuple[float, int]:
    """(accuracy, number of tokens) of ``hmm``'s Viterbi tags on held-out tagged sentences."""
    correct = total = 0
    for sentence in tagged_sentences:
        if not sentence:
            continue
        words = [word for word, _ in sentence]
        predicted = hmm.tag(words)
        correct += sum(p == gold for p, (_, gold) in zip(predicted, sentence, strict=True))
        total += len(sentence)
    if total == 0:
        raise ValueError("There are no held-out tokens to evaluate on.")
    return correct / total, total


def most_frequent_tag_baseline(
    train: Iterable[Sequence[tuple[str, str]]], test: Iterable[Sequence[tuple[str, str]]]
) -> float:
    """Accuracy of tagging each word with its most frequent training tag (unknown: the commonest tag)."""
    by_word: dict[str, Counter[str]] = {}
    overall: Counter[str] = Counter()
    for sentence in train:
        for word, tag in sentence:
            by_word.setdefault(word, Counter())[tag] += 1
            overall[tag] += 1
    if not overall:
        raise ValueError("There are no tagged training tokens.")
    default = overall.most_common(1)[0][0]
    correct = total = 0
    for sentence in test:
        for word, tag in sentence:
            counts = by_word.get(word)
            correct += (counts.most_common(1)[0][0] if counts else default) == tag
            total += 1
    if total == 0:
        raise ValueError("There are no held-out tokens to evaluate on.")
    return correct / total
