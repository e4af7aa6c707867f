"""N-gram language models with the smoothings of SLP3 ch. 3.

``NGramModel(sentences, order, smoothing)`` counts every m-gram (m ≤ order) of
the padded sentences — ``<s>`` × (order−1), the words, ``</s>`` — at the
positions that are *predicted* (the words and ``</s>``; never ``<s>``), so
each context's counts sum to that context's count and every order is
consistent with the others. Counts are sparse (a dict of Counters per order).

Conditional probabilities ``prob(word, context)``:

- ``mle``            C(h w) / C(h)
- ``laplace``        (C(h w) + 1) / (C(h) + V)
- ``add-k``          (C(h w) + k) / (C(h) + kV)
- ``interpolation``  Σ λ_m P_MLE(w | last m−1 words), λ highest order first
- ``stupid-backoff`` C(h w)/C(h) if seen, else α · S(w | shorter h) (a score, not a probability)
- ``kneser-ney``     interpolated Kneser–Ney with absolute discount d and continuation
  counts at the lower orders, recursively down to a uniform 1/V

V is the size of the predicted vocabulary (word types, ``</s>``, ``<UNK>``
when used). Every model but stupid backoff sums to 1 over it for any context;
a test checks this on random corpora. Scoring returns natural logs; a zero
probability makes the perplexity infinite and :meth:`NGramModel.evaluate`
says which n-gram was unseen.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from typing import Any

import numpy as np

from algorithms.checks import real_number, sentence_iterable, token_list, whole_number
from algorithms.quiz import Question, number_question
from algorithms.trace import (
    Phase,
    State,
    StepEvent,
    StepwiseResult,
    Trace,
    format_number,
    format_value,
    line_with,
)

__all__ = [
    "NGramModel",
    "Evaluation",
    "ScoreStep",
    "PerplexityStep",
    "SampleStep",
    "GeneratedSentence",
    "SentenceScore",
    "ScoreState",
    "SampleState",
    "SMOOTHINGS",
    "BOS",
    "EOS",
    "UNK",
]

BOS, EOS, UNK = "<s>", "</s>", "<UNK>"
SMOOTHINGS = ("mle", "laplace", "add-k", "interpolation", "stupid-backoff", "kneser-ney")
_SUM_TOLERANCE = 1e-6
#: Highest n-gram order and largest add-k k accepted (k is a pseudo-count: past this it drowns any corpus).
MAX_ORDER = 10
MAX_K = 1e6


def _p(value: float) -> str:
    """A probability as SLP3 prints it (.667, 2.1e-5): the project's one printer."""
    return format_value(value)


def _gram(words: Sequence[str]) -> str:
    return " ".join(words)


# -- events ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreStep(StepEvent):
    """One factor P(w_i | context) of a sentence's probability, with its formula."""

    position: int  # 1-based index of the predicted token
    word: str
    context: tuple[str, ...]
    probability: float
    formula: str  # the smoothing's formula instantiated with counts, "= value" last
    running_log_probability: float
    note: str = ""  # e.g. "unseen bigram 'i sam'" or "'foo' → <UNK>"

    def describe(self, style: str = "plain") -> str:
        given = f" | {_gram(self.context)}" if self.context else ""
        head = f"P({self.word}{given}) = {self.formula}"
        running = format_number(self.running_log_probability, 4)
        tail = (
            f"; log P so far = {running}" if math.isfinite(self.running_log_probability) else "; log P = -∞"
        )
        return head + tail + (f"  ({self.note})" if self.note else "")


@dataclass(frozen=True)
class PerplexityStep(StepEvent):
    """The end of scoring: PP = exp(−log P / N)."""

    log_probability: float
    count: int  # N: the words and </s>
    perplexity: float

    def describe(self, style: str = "plain") -> str:
        if not math.isfinite(self.log_probability):
            return f"log P = -∞ (a factor is 0), so PP = exp(∞) = ∞ over N = {self.count} tokens"
        lp = format_number(self.log_probability, 4)
        return f"PP = exp(−log P / N) = exp(−({lp}) / {self.count}) = {format_number(self.perplexity, 4)}"


@dataclass(frozen=True)
class SampleStep(StepEvent):
    """One Shannon draw: the next word, from the distribution over the vocabulary for this context."""

    position: int
    context: tuple[str, ...]
    word: str
    probability: float
    top: tuple[tuple[str, float], ...]  # the most probable next words (at most 12), for a bar chart
    draw: float  # the uniform number that picked the word (inverse-CDF sampling)

    def describe(self, style: str = "plain") -> str:
        given = f" | {_gram(self.context)}" if self.context else ""
        return (
            f"Draw {self.position}: u = {self.draw:.3f} falls on '{self.word}', "
            f"P({self.word}{given}) = {_p(self.probability)}"
        )


#: Scoring (SLP3 §3.1-3.3), in this project's words: one step per factor, then the perplexity.
SCORE_PSEUDOCODE = (
    "function SCORE(w_1 … w_N, n-gram model) returns P(<s> w_1 … w_N </s>), perplexity",
    "    log P ← 0",
    "    for i from 1 to N+1 do                          ; w_N+1 is </s>",
    "        P(w_i | context) ← the smoothing's estimate from the counts",
    "        log P ← log P + ln P(w_i | context)",
    "    PP ← exp(−log P / (N+1))",
    "    return exp(log P), PP",
)

#: Shannon's sampling method (SLP3 §3.4), in this project's words.
GENERATE_PSEUDOCODE = (
    "function GENERATE(n-gram model) returns a sentence",
    "    context ← <s>",
    "    repeat for i = 1, 2, …",
    "        draw u uniformly from [0, 1)",
    "        w_i ← the word where the cumulative P(· | context) first passes u",
    "    until w_i = </s>",
    "    return w_1 … w_i-1",
)


@dataclass(frozen=True, eq=False)
class ScoreState(State):
    """A sentence's scoring after some steps: the factors so far, their log product, and PP once done."""

    factors: tuple[tuple[str, float], ...]  # (word, P(word | context)) in sentence order
    log_probability: float  # of the factors so far (−inf once one is 0)
    perplexity: float | None  # set by the last step

    def then(self, event: StepEvent) -> ScoreState:
        """The state one event later."""
        if isinstance(event, ScoreStep):
            factors = (*self.factors, (event.word, event.probability))
            return ScoreState(factors, event.running_log_probability, None)
        if isinstance(event, PerplexityStep):
            return ScoreState(self.factors, event.log_probability, event.perplexity)
        raise TypeError(f"scoring does not change with {type(event).__name__}")


@dataclass(frozen=True, eq=False)
class SentenceScore(StepwiseResult[StepEvent, ScoreState]):
    """``NGramModel.score(tokens)``: every factor P(w_i | context) as a step, then the perplexity."""

    tokens: tuple[str, ...]
    log_probability: float  # natural log of P(<s> … </s>)
    perplexity: float
    trace: Trace[StepEvent]

    @property
    def pseudocode(self) -> tuple[str, ...]:
        """Scoring a sentence factor by factor, then its perplexity (SLP3 §3.1-3.3)."""
        return SCORE_PSEUDOCODE

    def line_at(self, step: int) -> int:
        event = self.event_at(step)
        if isinstance(event, ScoreStep):
            return line_with(SCORE_PSEUDOCODE, "P(w_i | context) ←")
        if isinstance(event, PerplexityStep):
            return line_with(SCORE_PSEUDOCODE, "PP ←")
        raise ValueError(f"step {step} is not in this trace (1 … {len(self.trace)})")

    def watch_at(self, step: int) -> dict[str, str]:
        """i, w_i, its context, the factor and log P so far; then N and the perplexity."""
        event = self.event_at(step)
        if isinstance(event, ScoreStep):
            return {
                "i": str(event.position), "w_i": event.word, "context": _gram(event.context) or "—",
                "P(w_i | context)": _p(event.probability),
                "log P": format_number(event.running_log_probability),
            }  # fmt: skip
        if isinstance(event, PerplexityStep):
            return {"N": str(event.count), "log P": format_number(event.log_probability),
                    "PP": format_number(event.perplexity, 4)}  # fmt: skip
        return {}

    def question_at(self, step: int) -> Question | None:
        """The factor P(w | context) the step scores (ln counts too), then the perplexity."""
        event = self.event_at(step)
        if isinstance(event, ScoreStep):
            given = f" | {_gram(event.context)}" if event.context else ""
            return number_question(
                f"P({event.word}{given}) = ?", event.probability, event.describe(), _p(event.probability),
                log_ok=True,
            )  # fmt: skip
        if isinstance(event, PerplexityStep):
            return number_question(
                "The perplexity PP = exp(−log P / N) = ?", event.perplexity, event.describe(),
                format_number(event.perplexity, 4),
            )  # fmt: skip
        return None

    def state_at(self, step: int) -> ScoreState:
        """The factors of the first ``step`` events (the perplexity appears at the last)."""
        step = self.clamp(step)
        steps = self.trace[:step]
        factors = tuple((e.word, e.probability) for e in steps if isinstance(e, ScoreStep))
        if not factors:
            return ScoreState((), 0.0, None)
        last = steps[-1]
        if isinstance(last, PerplexityStep):
            return ScoreState(factors, last.log_probability, last.perplexity)
        assert isinstance(last, ScoreStep)
        return ScoreState(factors, last.running_log_probability, None)


@dataclass(frozen=True, eq=False)
class SampleState(State):
    """Shannon sampling after some draws: the words drawn so far, and whether </s> ended it."""

    words: tuple[str, ...]
    finished: bool

    def then(self, event: StepEvent) -> SampleState:
        """The state one draw later."""
        if not isinstance(event, SampleStep):
            raise TypeError(f"sampling does not change with {type(event).__name__}")
        if event.word == EOS:
            return SampleState(self.words, True)
        return SampleState((*self.words, event.word), False)


class GeneratedSentence(list[str], StepwiseResult[SampleStep, SampleState]):
    """A sampled sentence: a list of tokens (without <s> and </s>) that also carries ``.trace``."""

    trace: Trace[SampleStep]

    @property
    def pseudocode(self) -> tuple[str, ...]:
        """Shannon's method: draw each next word from P(· | context) until </s> (SLP3 §3.4)."""
        return GENERATE_PSEUDOCODE

    def line_at(self, step: int) -> int:
        if self.event_at(step) is None:
            raise ValueError(f"step {step} is not in this trace (1 … {len(self.trace)})")
        return line_with(GENERATE_PSEUDOCODE, "w_i ← the word")

    def watch_at(self, step: int) -> dict[str, str]:
        event = self.event_at(step)
        if event is None:
            return {}
        return {"i": str(event.position), "context": _gram(event.context) or "—", "u": f"{event.draw:.3f}",
                "w_i": event.word, "P(w_i | context)": _p(event.probability)}  # fmt: skip

    def state_at(self, step: int) -> SampleState:
        """The words drawn in the first ``step`` draws."""
        step = self.clamp(step)
        finished = step > 0 and self.trace[step - 1].word == EOS
        return SampleState(tuple(self[: step - 1 if finished else step]), finished)


@dataclass(frozen=True)
class Evaluation:
    """Perplexity of a test set, with what went into it and what made it infinite (if anything)."""

    perplexity: float
    log_probability: float
    token_count: int  # N: words and </s>
    sentence_count: int
    oov_rate: float  # words not in the training vocabulary / words (</s> not counted)
    zero_ngram: tuple[str, ...] | None  # the first n-gram with probability 0, if any
    message: str  # "" or one sentence saying why the perplexity is infinite


# -- the model --------------------------------------------------------------------------------
class NGramModel:
    """An n-gram language model trained on tokenised sentences (see the module docstring)."""

    def __init__(
        self,
        sentences: Iterable[Sequence[str] | str],
        order: int = 2,
        smoothing: str = "mle",
        *,
        k: float = 0.5,
        lambdas: Sequence[float] | None = None,
        alpha: float = 0.4,
        discount: float = 0.75,
        unk_threshold: int = 0,
    ) -> None:
        order = whole_number("The order", order, 1, MAX_ORDER)
        if not isinstance(smoothing, str) or smoothing not in SMOOTHINGS:
            raise ValueError(f"Unknown smoothing {smoothing!r}; choose one of {', '.join(SMOOTHINGS)}.")
        # Checked whichever smoothing is chosen: the model keeps them, and the panel compares them all.
        k = real_number("add-k's k", k, 0.0, MAX_K, low_open=True)
        alpha = real_number("Stupid backoff's α", alpha, 0.0, 1.0, low_open=True)
        discount = real_number("Kneser–Ney's discount d", discount, 0.0, 1.0, low_open=True, high_open=True)
        unk_threshold = whole_number("unk_threshold", unk_threshold, 0, 10**9)
        sentences = sentence_iterable("sentences", sentences)
        self.order = order
        self.smoothing = smoothing
        self.k, self.alpha, self.discount = float(k), float(alpha), float(discount)
        self.unk_threshold = unk_threshold
        self.lambdas = _check_lambdas(lambdas, order) if smoothing == "interpolation" else None
        training = [_clean(s, n) for n, s in enumerate(sentences, start=1)]
        if not training:
            raise ValueError("There are no sentences to train on; give at least one (one per line).")
        raw_counts = Counter(w for s in training for w in s)
        rare = {w for w, c in raw_counts.items() if c < unk_threshold}
        # A corpus may already say <UNK> itself: then it is a predicted type like any other, or the
        # unigram distribution would leave its mass out (it summed to .875 on such a corpus).
        self.uses_unk = unk_threshold > 0 or UNK in raw_counts
        if self.uses_unk:
            training = [[UNK if w in rare else w for w in s] for s in training]
        self.sentences = training
        words = sorted({w for s in training for w in s} - {UNK})
        #: The predicted types: every word, then "</s>", then "<UNK>" when used. Never "<s>".
        self.vocabulary: tuple[str, ...] = (*words, EOS, *((UNK,) if self.uses_unk else ()))
        self._vocabulary_set = frozenset(self.vocabulary)
        self._count(training)

    # -- counting ----------------------------------------------------------------------------------
    def _count(self, training: list[list[str]]) -> None:
        n = self.order
        padded = [[BOS] * (n - 1) + sentence + [EOS] for sentence in training]
        # ngrams[m]: Counter of (context of length m) + (word,), at predicted positions only. Counting
        # zipped tuples in one Counter call keeps the loop in C: 250k tokens take well under a second.
        self._ngrams: list[Counter[tuple[str, ...]]] = []
        for m in range(n):
            # The shifted slices differ in length on purpose: zip stops at the shortest (the last token).
            shifted = (zip(*(p[n - 1 - m + j :] for j in range(m + 1)), strict=False) for p in padded)
            grams = chain.from_iterable(shifted)
            self._ngrams.append(Counter(grams))
        self.token_count = sum(self._ngrams[0].values())  # predicted tokens: words and </s>

    # The context sums and Kneser–Ney's continuation counts are built on first use: training is
    # counting only (as in nltk.lm), and a model that is never asked for KN never pays for it.
    @cached_property
    def _totals(self) -> list[dict[tuple[str, ...], int]]:
        """Per order: C(h), each context's count as the history of a predicted token."""
        return _context_totals(self._ngrams)

    @cached_property
    def _kn(self) -> list[Counter[tuple[str, ...]]]:
        """Kneser–Ney counts per order: N1+(• h w) below the highest order, real counts at it."""
        n = self.order
        levels = [Counter(gram[1:] for gram in self._ngrams[m + 1]) for m in range(n - 1)]
        return [*levels, self._ngrams[n - 1]]

    @cached_property
    def _kn_totals(self) -> list[dict[tuple[str, ...], int]]:
        return _context_totals(self._kn)

    @cached_property
    def _kn_types(self) -> list[Counter[tuple[str, ...]]]:
        """Per order: how many distinct words follow each context (the numerator of λ(h))."""
        return [Counter(gram[:-1] for gram in grams) for grams in self._kn]

    def count(self, words: Sequence[str]) -> int:
        """C(w1 … wm) counted at predicted positions (so C(<s>) is the number of sentences as a context)."""
        words = tuple(words)
        if not words or len(words) > self.order:
            raise ValueError(f"Counts exist for 1- to {self.order}-grams; got {len(words)} words.")
        return self._ngrams[len(words) - 1].get(words, 0)

    def context_count(self, context: Sequence[str]) -> int:
        """C(h): how often ``context`` is followed by a predicted token."""
        context = tuple(context)
        if len(context) >= self.order:
            raise ValueError(f"A context has at most {self.order - 1} words; got {len(context)}.")
        return self._totals[len(context)].get(context, 0)

    def continuation_count(self, word: str) -> int:
        """N1+(• w): the number of distinct words seen before ``word`` (Kneser–Ney's unigram count)."""
        if self.order < 2:
            return 0
        return sum(1 for gram in self._ngrams[1] if gram[1] == word)

    # -- probabilities -------------------------------------------------------------------------------
    def map_word(self, word: str) -> str:
        """``word`` as the model sees it: itself, or <UNK> when it is unknown and <UNK> is used."""
        if word in self._vocabulary_set or word == BOS:
            return word
        return UNK if self.uses_unk else word

    def padded_context(self, context: Sequence[str]) -> tuple[str, ...]:
        """The last n−1 tokens of ``context`` as the model uses them (unknown words mapped, <s>-padded)."""
        return self._context(context)

    def _context(self, context: Sequence[str]) -> tuple[str, ...]:
        context = tuple(self.map_word(w) for w in context)
        if len(context) < self.order - 1:  # a short context at a sentence start: pad with <s>
            context = (BOS,) * (self.order - 1 - len(context)) + context
        return context[len(context) - (self.order - 1) :] if self.order > 1 else ()

    def prob(self, word: str, context: Sequence[str] = ()) -> float:
        """P(word | context): the context is the previous n−1 tokens ("<s>" included where relevant)."""
        if not isinstance(word, str):
            raise ValueError(f"The word must be a string; got {word!r}.")
        return self._prob(self.map_word(word), self._context(token_list("The context", context)))

    def _prob(self, word: str, context: tuple[str, ...]) -> float:
        if word not in self._vocabulary_set:
            return 0.0  # closed vocabulary: an unknown word has probability 0
        smoothing = self.smoothing
        if smoothing == "mle":
            return self._mle(word, context)
        if smoothing in ("laplace", "add-k"):
            k = 1.0 if smoothing == "laplace" else self.k
            total = self._totals[len(context)].get(context, 0)
            seen = self._ngrams[len(context)].get((*context, word), 0)
            return (seen + k) / (total + k * len(self.vocabulary))
        if smoothing == "interpolation":
            return self._interpolated(word, context)
        if smoothing == "stupid-backoff":
            return self._stupid(word, context)
        return self._kneser_ney(word, context)

    def _mle(self, word: str, context: tuple[str, ...]) -> float:
        total = self._totals[len(context)].get(context, 0)
        if total == 0:
            return 0.0
        return self._ngrams[len(context)].get((*context, word), 0) / total

    def _interpolated(self, word: str, context: tuple[str, ...]) -> float:
        """Σ λ_m P_MLE(w | last m−1 words); a level whose context was never seen drops out and the
        other λs are renormalised, so the distribution still sums to 1."""
        assert self.lambdas is not None
        live = [
            (weight, context[index:])
            for index, weight in enumerate(self.lambdas)
            if self._totals[len(context) - index].get(context[index:], 0) > 0
        ]
        total = math.fsum(weight for weight, _ in live)
        if total == 0:
            return self._mle(word, ())
        return math.fsum(weight * self._mle(word, shorter) for weight, shorter in live) / total

    def _stupid(self, word: str, context: tuple[str, ...]) -> float:
        factor = 1.0
        for start in range(len(context) + 1):
            shorter = context[start:]
            seen = self._ngrams[len(shorter)].get((*shorter, word), 0)
            if seen:
                return factor * seen / self._totals[len(shorter)][shorter]
            factor *= self.alpha
        return 0.0

    def _kneser_ney(self, word: str, context: tuple[str, ...]) -> float:
        """Interpolated KN, recursively: discounted (continuation) count + λ(h) · lower order."""
        if not context and len(self.vocabulary) == 0:
            return 0.0
        m = len(context)
        total = self._kn_totals[m].get(context, 0)
        lower = self._kneser_ney(word, context[1:]) if m else 1.0 / len(self.vocabulary)
        if total == 0:
            return lower  # never seen as a context: all the weight goes to the lower order
        d = self.discount
        types = self._kn_types[m][context]
        return max(self._kn[m].get((*context, word), 0) - d, 0.0) / total + d * types / total * lower

    @cached_property
    def _followers(self) -> list[dict[tuple[str, ...], list[str]]]:
        """Per context length: the vocabulary words seen right after each context."""
        followers: list[dict[tuple[str, ...], list[str]]] = []
        for grams in self._ngrams:
            by_context: dict[tuple[str, ...], list[str]] = {}
            for gram in grams:
                if gram[-1] in self._vocabulary_set:
                    by_context.setdefault(gram[:-1], []).append(gram[-1])
            followers.append(by_context)
        return followers

    def mass_split(self, context: Sequence[str] = ()) -> tuple[float, float]:
        """(seen, unseen): how much of P(· | context) goes to words seen after it, and to all others.

        Only the seen words are summed (a handful, not the vocabulary), so this is
        cheap enough for every step of a big corpus; the unseen share is the rest of
        the distribution's total, which is 1, or 0 for MLE after a context never seen.
        Stupid backoff is a score, not a distribution: ValueError.
        """
        if self.smoothing == "stupid-backoff":
            raise ValueError("Stupid backoff gives scores, not a distribution, so it has no mass to split.")
        mapped = self._context(context)
        seen = math.fsum(self._prob(w, mapped) for w in self._followers[len(mapped)].get(mapped, ()))
        total = 1.0
        if self.smoothing == "mle" and self._totals[len(mapped)].get(mapped, 0) == 0:
            total = 0.0
        return seen, max(total - seen, 0.0)

    def distribution(self, context: Sequence[str] = ()) -> dict[str, float]:
        """P(w | context) for every w in the vocabulary (scores, for stupid backoff)."""
        mapped = self._context(context)
        return {w: self._prob(w, mapped) for w in self.vocabulary}

    # -- scoring ----------------------------------------------------------------------------------------
    def _factors(self, sentence: Sequence[str] | str) -> list[tuple[str, tuple[str, ...], str]]:
        """(model word, context, original word) for every predicted token of a padded sentence."""
        words = _clean(sentence, 0)
        n = self.order
        padded = [BOS] * (n - 1) + [self.map_word(w) for w in words] + [EOS]
        originals = [BOS] * (n - 1) + list(words) + [EOS]
        return [(padded[i], tuple(padded[i - n + 1 : i]), originals[i]) for i in range(n - 1, len(padded))]

    def logprob(self, sentence: Sequence[str] | str) -> float:
        """Natural-log probability of the padded sentence (−inf if any factor is 0)."""
        total = 0.0
        for word, context, _ in self._factors(sentence):
            p = self._prob(word, context)
            if p <= 0:
                return -math.inf
            total += math.log(p)
        return total

    def perplexity(self, sentences: Iterable[Sequence[str] | str]) -> float:
        """exp(−Σ log P / N), N counting the words and </s> of every sentence (inf if any P is 0)."""
        return self.evaluate(sentences).perplexity

    def evaluate(self, sentences: Iterable[Sequence[str] | str]) -> Evaluation:
        """Perplexity plus the token count, OOV rate and, when infinite, the n-gram that was unseen."""
        log_total, tokens, words, unknown, count = 0.0, 0, 0, 0, 0
        zero: tuple[str, ...] | None = None
        sentences = sentence_iterable("sentences", sentences)
        for sentence in sentences:
            count += 1
            for word, context, original in self._factors(sentence):
                tokens += 1
                if original != EOS:
                    words += 1
                    unknown += original not in self._vocabulary_set
                if zero is not None:
                    continue
                p = self._prob(word, context)
                if p <= 0:
                    zero = (*context, original)
                    log_total = -math.inf
                else:
                    log_total += math.log(p)
        if count == 0:
            raise ValueError("There are no test sentences to score.")
        oov = unknown / words if words else 0.0
        if zero is not None:
            kind = {1: "unigram", 2: "bigram", 3: "trigram"}.get(len(zero), f"{len(zero)}-gram")
            if zero[-1] not in self._vocabulary_set and self.map_word(zero[-1]) not in self._vocabulary_set:
                why = f"the word '{zero[-1]}' is not in the training vocabulary (no <UNK>)"
            else:
                why = f"the {kind} '{_gram(zero)}' never occurs in training and {self.smoothing} gives it 0"
            message = f"The perplexity is infinite: {why}; use smoothing or an <UNK> threshold."
            return Evaluation(math.inf, -math.inf, tokens, count, oov, zero, message)
        perplexity = math.exp(-log_total / tokens) if tokens else math.inf
        return Evaluation(perplexity, log_total, tokens, count, oov, None, "")

    def oov_rate(self, sentences: Iterable[Sequence[str] | str]) -> float:
        """The share of test words (not </s>) missing from the training vocabulary."""
        return self.evaluate(sentences).oov_rate

    def score_trace(self, sentence: Sequence[str] | str) -> Trace[StepEvent]:
        """The trace of :meth:`score` (kept for the README's examples and older notebooks)."""
        return self.score(sentence).trace

    def score(self, sentence: Sequence[str] | str) -> SentenceScore:
        """Score a sentence step by step: one event per factor P(w_i | context), then the perplexity."""
        events: list[StepEvent] = []
        running = 0.0
        factors = self._factors(sentence)
        for position, (word, context, original) in enumerate(factors, start=1):
            p = self._prob(word, context)
            running = running + math.log(p) if p > 0 and math.isfinite(running) else -math.inf
            note = ""
            if original != word:
                note = f"'{original}' is unknown: scored as {UNK}"
            elif p == 0:
                gram = _gram((*context, word))
                note = (
                    f"'{gram}' was never seen: probability 0"
                    if word in self._vocabulary_set
                    else (f"'{word}' is not in the vocabulary")
                )
            shown = tuple(w for w in context if w != BOS or self.order > 1)
            events.append(ScoreStep(position, word, shown, p, self.formula(word, context), running, note))
        perplexity = math.exp(-running / len(factors)) if math.isfinite(running) else math.inf
        events.append(PerplexityStep(running, len(factors), perplexity))
        trace = Trace.from_events(
            events, phases=[Phase("factors", 0, len(factors)), Phase("perplexity", len(factors), len(events))]
        )
        return SentenceScore(tuple(_clean(sentence, 0)), running, perplexity, trace)

    def formula(self, word: str, context: Sequence[str]) -> str:
        """P(word | context) written out with this model's counts: ``C(i am) / C(i) = 2 / 3 = .667``."""
        context = tuple(context)
        p = self._prob(word, context)
        gram, hist = _gram((*context, word)), _gram(context)
        seen = self._ngrams[len(context)].get((*context, word), 0)
        total = self._totals[len(context)].get(context, 0)
        V = len(self.vocabulary)  # noqa: N806 (the textbook's V)
        smoothing = self.smoothing
        if smoothing == "mle":
            if not context:
                return f"C({word}) / N = {seen} / {total} = {_p(p)}"
            if total == 0:
                return f"C({gram}) / C({hist}) = 0 / 0: the context was never seen, so 0"
            return f"C({gram}) / C({hist}) = {seen} / {total} = {_p(p)}"
        if smoothing in ("laplace", "add-k"):
            k = "1" if smoothing == "laplace" else format_number(self.k)
            c_h = f"C({hist})" if context else "N"
            return f"(C({gram}) + {k}) / ({c_h} + {k}·V) = ({seen} + {k}) / ({total} + {k}·{V}) = {_p(p)}"
        if smoothing == "interpolation":
            assert self.lambdas is not None
            parts = []
            for index, weight in enumerate(self.lambdas):
                shorter = context[index:]
                given = f" | {_gram(shorter)}" if shorter else ""
                parts.append((format_number(weight, 3), f"P({word}{given})", _p(self._mle(word, shorter))))
            symbolic = " + ".join(f"{w}·{name}" for w, name, _ in parts)
            numbers = " + ".join(f"{w}·{v}" for w, _, v in parts)
            return f"{symbolic} = {numbers} = {_p(p)}"
        if smoothing == "stupid-backoff":
            factor = 1.0
            for start in range(len(context) + 1):  # backing off ``start`` times costs α^start
                shorter = context[start:]
                c = self._ngrams[len(shorter)].get((*shorter, word), 0)
                if c:
                    t = self._totals[len(shorter)][shorter]
                    g, h = _gram((*shorter, word)), _gram(shorter) if shorter else "N"
                    prefix = (
                        f"{format_number(self.alpha)}^{start} · "
                        if start > 1
                        else (f"{format_number(self.alpha)} · " if start == 1 else "")
                    )
                    return f"{prefix}C({g}) / C({h}) = {prefix}{c} / {t} = {_p(factor * c / t)}"
                factor *= self.alpha
            return "never seen at any order: score 0"
        # Kneser–Ney
        m = len(context)
        total = self._kn_totals[m].get(context, 0)
        d = format_number(self.discount)
        lower_name = f"P_KN({word} | {_gram(context[1:])})" if m > 1 else f"P_KN({word})" if m == 1 else "1/V"
        lower = self._kneser_ney(word, context[1:]) if m else 1 / V
        if total == 0:
            return f"the context '{hist}' was never seen, so {lower_name} = {_p(p)}"
        c = self._kn[m].get((*context, word), 0)
        types = self._kn_types[m][context]
        count_name = f"C({gram})" if m == self.order - 1 else f"N1+(• {gram})"
        return (
            f"max({count_name} − d, 0) / {total} + d·{types}/{total} · {lower_name} "
            f"= max({c} − {d}, 0) / {total} + {d}·{types}/{total} · {_p(lower)} = {_p(p)}"
        )

    # -- sampling ----------------------------------------------------------------------------------------
    def generate(self, seed: int | None = 0, max_length: int = 30) -> GeneratedSentence:
        """Shannon sampling: draw each next word from P(· | context) until </s> or ``max_length`` words."""
        max_length = whole_number("max_length", max_length, 1, 10**5)
        if seed is not None:
            seed = whole_number("The seed", seed, 0, 2**32 - 1)
        rng = np.random.default_rng(seed)
        history = [BOS] * (self.order - 1)
        events: list[SampleStep] = []
        words: list[str] = []
        vocabulary = list(self.vocabulary)
        while len(words) < max_length:
            context = tuple(history[len(history) - (self.order - 1) :]) if self.order > 1 else ()
            scores = np.array([self._prob(w, context) for w in vocabulary])
            total = scores.sum()
            if total <= 0:
                break
            probabilities = scores / total  # stupid backoff's scores are normalised only here
            draw = float(rng.random())
            index = int(np.searchsorted(np.cumsum(probabilities), draw * probabilities.sum(), side="right"))
            index = min(index, len(vocabulary) - 1)
            word = vocabulary[index]
            order = np.argsort(-probabilities, kind="stable")[:12]
            top = tuple((vocabulary[i], float(probabilities[i])) for i in order)
            events.append(SampleStep(len(events) + 1, context, word, float(probabilities[index]), top, draw))
            if word == EOS:
                break
            words.append(word)
            history.append(word)
        sentence = GeneratedSentence(words)
        sentence.trace = Trace.from_events(events, phases=[Phase("sampling", 0, len(events))])
        return sentence

    def __repr__(self) -> str:
        return (
            f"<NGramModel order={self.order} smoothing={self.smoothing} "
            f"V={len(self.vocabulary)} tokens={self.token_count}>"
        )

    def settings(self) -> dict[str, Any]:
        """The options that define this model (for lessons and captions)."""
        return {
            "order": self.order,
            "smoothing": self.smoothing,
            "k": self.k,
            "lambdas": list(self.lambdas) if self.lambdas else None,
            "alpha": self.alpha,
            "discount": self.discount,
            "unk_threshold": self.unk_threshold,
        }


def _context_totals(levels: list[Counter[tuple[str, ...]]]) -> list[dict[tuple[str, ...], int]]:
    """Per order: each context's total count (the sum over the words that follow it)."""
    totals = []
    for grams in levels:
        total: dict[tuple[str, ...], int] = {}
        get = total.get  # a plain dict and a bound get: Counter's __missing__ made this 3× slower
        for gram, count in grams.items():
            context = gram[:-1]
            total[context] = get(context, 0) + count
        totals.append(total)
    return totals


def _check_lambdas(lambdas: Sequence[float] | None, order: int) -> tuple[float, ...]:
    if lambdas is None:
        # Default: each order twice the weight of the one below (bigram 2/3, 1/3; trigram 4/7, 2/7, 1/7).
        weights = [2.0 ** (order - 1 - m) for m in range(order)]
        return tuple(w / sum(weights) for w in weights)
    if isinstance(lambdas, str) or not isinstance(lambdas, Sequence):
        raise ValueError(f"The λs must be a list of numbers, one per order; got {lambdas!r}.")
    values = tuple(real_number("Each λ", x) for x in lambdas)
    if len(values) != order:
        raise ValueError(f"Interpolation needs {order} λs (one per order, highest first); got {len(values)}.")
    if any(v < 0 or math.isnan(v) for v in values):
        raise ValueError(f"The λs must not be negative; got {', '.join(format_number(v) for v in values)}.")
    total = math.fsum(values)
    if abs(total - 1) > _SUM_TOLERANCE:
        raise ValueError(
            f"The λs ({', '.join(format_number(v) for v in values)}) sum to {format_number(total)}, not 1."
        )
    return values


def _clean(sentence: Sequence[str] | str, number: int) -> list[str]:
    """Tokens of one sentence without SLP3-style <s> … </s> markers; ValueError for a marker inside."""
    tokens = token_list(f"Sentence {number}" if number else "The sentence", sentence)
    while tokens and tokens[0] == BOS:
        tokens.pop(0)
    while tokens and tokens[-1] == EOS:
        tokens.pop()
    if BOS in tokens or EOS in tokens:
        where = f"Sentence {number}" if number else "The sentence"
        raise ValueError(f"{where} has {BOS} or {EOS} in the middle; they may only start and end a sentence.")
    return tokens
