"""Byte-pair encoding (SLP3 §2.5.2): the token learner and the token segmenter, step by step.

The learner starts from single characters, every word ending in SLP3's end-of-word
marker ``_``, and repeatedly merges the most frequent pair of adjacent symbols, counting
each word as often as it occurs. **Ties** go to the pair that occurs first in the corpus
(words in first-seen order, each read left to right), which is what reproduces SLP3's
merge order (``e r`` before ``r _``, ``n e`` before ``e w``).

>>> m = learn_bpe(["low"] * 5 + ["lowest"] * 2 + ["newer"] * 6 + ["wider"] * 3 + ["new"] * 2, merges=8)
>>> m.merges[:3]
[('e', 'r'), ('er', '_'), ('n', 'e')]
>>> segment(m, "lower").tokens
('low', 'er_')

The segmenter applies the learned merges to a new word in the order they were learned,
one merge a step. ``byte_level=True`` starts from the word's UTF-8 bytes instead of its
characters (a byte is written ``<e2>`` unless it is printable ASCII), so any text can be
segmented with no unknown symbol.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from algorithms.quiz import Question, choice_question
from algorithms.trace import State, StepEvent, StepwiseResult, Trace, line_for_event

__all__ = [
    "learn_bpe",
    "segment",
    "BPEModel",
    "BPEMerge",
    "BPEState",
    "SegmentResult",
    "SegmentStep",
    "SegmentState",
    "END_OF_WORD",
    "LEARNER_PSEUDOCODE",
    "SEGMENTER_PSEUDOCODE",
    "MAX_MERGES",
]

END_OF_WORD = "_"
#: More merges than a lesson needs; a corpus of EWT's size learns thousands in the benchmark.
MAX_MERGES = 50_000
_TOP_PAIRS = 8  # the pair-count table a step shows

Symbols = tuple[str, ...]


def _symbols(word: str, byte_level: bool, end_of_word: str | None) -> Symbols:
    if byte_level:
        units = [chr(b) if 33 <= b < 127 else f"<{b:02x}>" for b in word.encode("utf-8")]
    else:
        units = list(word)
    return (*units, end_of_word) if end_of_word else tuple(units)


@dataclass(frozen=True)
class BPEMerge(StepEvent):
    """One merge: the most frequent pair (ties: the first in the corpus), its table, the corpus after."""

    number: int
    pair: tuple[str, str]
    count: int
    top: tuple[tuple[tuple[str, str], int], ...]  # the most frequent pairs before the merge
    tied: tuple[tuple[str, str], ...]  # the other pairs with the same count, which lost the tie-break
    changed: tuple[tuple[int, Symbols], ...]  # (distinct word's index, its symbols after the merge)

    def describe(self, style: str = "plain") -> str:
        a, b = self.pair
        tie = ""
        if self.tied:
            others = ", ".join(f"'{x} {y}'" for x, y in self.tied)
            tie = f" (tied with {others}; the first pair in the corpus wins)"
        return (
            f"Merge {self.number}: '{a} {b}' occurs {self.count} times, the most{tie}; new symbol '{a}{b}'."
        )


@dataclass(frozen=True, eq=False)
class BPEState(State):
    """How many merges are done, and the vocabulary so far (initial symbols, then each merge)."""

    merges_done: int
    vocabulary: tuple[str, ...]

    def then(self, event: StepEvent) -> BPEState:
        if not isinstance(event, BPEMerge):
            raise TypeError(f"BPE learning does not change with {type(event).__name__}")
        return BPEState(self.merges_done + 1, (*self.vocabulary, "".join(event.pair)))


LEARNER_PSEUDOCODE = (
    "function BYTE-PAIR-ENCODING(strings C, number of merges k) returns vocab V",
    "  V ← all unique characters in C            # and the end-of-word marker _",
    "  for i = 1 to k do",
    "    tL, tR ← the most frequent pair of adjacent tokens in C   # ties: first in C",
    "    tNEW ← tL + tR                            # make a new token by concatenating",
    "    V ← V + tNEW                              # update the vocabulary",
    "    replace each occurrence of tL, tR in C with tNEW         # and update the corpus",
    "  return V",
)


@dataclass(frozen=True, eq=False)
class BPEModel(StepwiseResult[StepEvent, BPEState]):
    """The learned merges, in order, with the learner's trace (one step a merge)."""

    merges: list[tuple[str, str]]
    initial_vocabulary: tuple[str, ...]
    word_counts: tuple[tuple[str, int], ...]
    byte_level: bool
    end_of_word: str | None
    trace: Trace[StepEvent]

    @property
    def vocabulary(self) -> tuple[str, ...]:
        return (*self.initial_vocabulary, *("".join(pair) for pair in self.merges))

    def state_at(self, step: int) -> BPEState:
        step = self.clamp(step)
        return BPEState(step, (*self.initial_vocabulary, *("".join(p) for p in self.merges[:step])))

    def corpus_at(self, step: int) -> tuple[tuple[Symbols, int], ...]:
        """Every distinct word's symbols after ``step`` merges, with its count (replayed from the
        words each merge changed: a step keeps only those, so a big corpus stays small)."""
        corpus = [_symbols(w, self.byte_level, self.end_of_word) for w, _ in self.word_counts]
        for event in self.trace[: self.clamp(step)]:
            assert isinstance(event, BPEMerge)
            for index, symbols in event.changed:
                corpus[index] = symbols
        return tuple(zip(corpus, (c for _, c in self.word_counts), strict=True))

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return LEARNER_PSEUDOCODE

    def line_at(self, step: int) -> int:
        return line_for_event(
            LEARNER_PSEUDOCODE, self.event_at(step), ((BPEMerge, "tL, tR ←"),), step, len(self.trace)
        )

    def watch_at(self, step: int) -> dict[str, str]:
        event = self.event_at(step)
        if isinstance(event, BPEMerge):
            return {
                "i": str(event.number),
                "tL": event.pair[0],
                "tR": event.pair[1],
                "count": str(event.count),
            }
        return {}

    def question_at(self, step: int) -> Question | None:
        """Which pair merges next (the table before the merge is what the learner sees)."""
        event = self.event_at(step)
        if not isinstance(event, BPEMerge):
            return None
        shown = [f"{a} {b}" for (a, b), _ in event.top]
        return choice_question(
            f"Merge {event.number}: which pair merges?",
            shown,
            f"{event.pair[0]} {event.pair[1]}",
            event.describe(),
            hint="Count each adjacent pair once per occurrence of its word; ties: first in the corpus.",
        )


def learn_bpe(
    words_or_text: str | Iterable[str],
    merges: int = 10,
    *,
    byte_level: bool = False,
    end_of_word: str | None = END_OF_WORD,
) -> BPEModel:
    """Learn ``merges`` merges from a text (split on whitespace) or a list of words.

    Stops early, with fewer merges, when no pair occurs any more. ValueError in one sentence
    for an empty corpus or an impossible number of merges.
    """
    words = words_or_text.split() if isinstance(words_or_text, str) else [str(w) for w in words_or_text]
    words = [w for w in words if w]
    if not words:
        raise ValueError("The corpus has no words: type some text to learn merges from.")
    if not isinstance(merges, int) or isinstance(merges, bool) or not 0 <= merges <= MAX_MERGES:
        raise ValueError(
            f"The number of merges must be a whole number from 0 to {MAX_MERGES:,}; got {merges!r}."
        )
    counts = Counter(words)  # Counter keeps first-seen order: the tie-break's corpus order
    word_counts = tuple(counts.items())
    corpus = [_symbols(w, byte_level, end_of_word) for w, _ in word_counts]
    frequency = [c for _, c in word_counts]
    initial = tuple(dict.fromkeys(symbol for word in corpus for symbol in word))
    learned: list[tuple[str, str]] = []
    events: list[StepEvent] = []
    # Pair counts are kept up to date word by word: a merge touches only the words holding its pair.
    pair_counts: Counter[tuple[str, str]] = Counter()
    holders: dict[tuple[str, str], set[int]] = {}
    for index, (symbols, count) in enumerate(zip(corpus, frequency, strict=True)):
        for pair in zip(symbols, symbols[1:], strict=False):
            pair_counts[pair] += count
            holders.setdefault(pair, set()).add(index)
    # A max-heap of (-count, pair) with stale entries dropped when popped: the top pairs without a
    # scan of every pair each merge (that scan was 24x Hugging Face's time on EWT).
    heap = [(-count, pair) for pair, count in pair_counts.items()]
    heapq.heapify(heap)
    for number in range(1, merges + 1):
        if not pair_counts:
            break
        ranked = _top_pairs(heap, pair_counts, _TOP_PAIRS)
        best = ranked[0][1]
        contenders = {pair for pair, count in _top_pairs(heap, pair_counts, None, best)}
        top = tuple(ranked)
        order = _in_corpus_order(corpus, contenders, holders) if len(contenders) > 1 else list(contenders)
        winner, tied = order[0], tuple(order[1:])  # the tie-break: the pair met first in the corpus
        if winner not in dict(top):
            top = ((winner, best), *top[:-1])
        changed = []
        for index in sorted(holders.get(winner, ())):
            old_symbols = corpus[index]
            new_symbols = _merge(old_symbols, winner)
            if new_symbols == old_symbols:  # an earlier merge took this word's pair away
                continue
            count = frequency[index]
            touched = set()
            for pair in zip(old_symbols, old_symbols[1:], strict=False):
                pair_counts[pair] -= count
                touched.add(pair)
                if pair_counts[pair] <= 0:
                    del pair_counts[pair]
            for pair in zip(new_symbols, new_symbols[1:], strict=False):
                pair_counts[pair] += count
                touched.add(pair)
                holders.setdefault(pair, set()).add(index)
            for pair in touched:
                if pair in pair_counts:
                    heapq.heappush(heap, (-pair_counts[pair], pair))
            corpus[index] = new_symbols
            changed.append((index, new_symbols))
        holders.pop(winner, None)  # the pair is gone from every word
        learned.append(winner)
        events.append(BPEMerge(number, winner, best, top, tied, tuple(changed)))
    return BPEModel(
        trace=Trace.from_events(events),
        merges=learned,
        initial_vocabulary=initial,
        word_counts=word_counts,
        byte_level=byte_level,
        end_of_word=end_of_word,
    )


def _top_pairs(
    heap: list[tuple[int, tuple[str, str]]],
    counts: Counter[tuple[str, str]],
    limit: int | None,
    equal_to: int | None = None,
) -> list[tuple[tuple[str, str], int]]:
    """The most frequent pairs (at most ``limit``, or all with count ``equal_to``), left in the heap."""
    found: list[tuple[tuple[str, str], int]] = []
    seen: set[tuple[str, str]] = set()
    while heap and (limit is None or len(found) < limit):
        negative, pair = heap[0]
        if equal_to is not None and -negative != equal_to:
            break
        heapq.heappop(heap)
        if counts.get(pair) == -negative and pair not in seen:  # else stale: the count has changed
            found.append((pair, -negative))
            seen.add(pair)
    for pair, count in found:
        heapq.heappush(heap, (-count, pair))
    return found


def _in_corpus_order(
    corpus: Sequence[Symbols], pairs: set[tuple[str, str]], holders: dict[tuple[str, str], set[int]]
) -> list[tuple[str, str]]:
    """``pairs`` in the order they first occur in the corpus (words in order, each left to right)."""
    first: dict[tuple[str, str], tuple[int, int]] = {}
    for pair in pairs:
        for index in sorted(holders.get(pair, ())):
            symbols = corpus[index]
            positions = [i for i, p in enumerate(zip(symbols, symbols[1:], strict=False)) if p == pair]
            if positions:
                first[pair] = (index, positions[0])
                break
    return sorted(first, key=first.__getitem__)


def _merge(symbols: Symbols, pair: tuple[str, str]) -> Symbols:
    """``symbols`` with every occurrence of ``pair`` (left to right, not overlapping) joined."""
    merged: list[str] = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            merged.append(symbols[i] + symbols[i + 1])
            i += 2
        else:
            merged.append(symbols[i])
            i += 1
    return tuple(merged)


# --------------------------------------------------------------------------
# The segmenter
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class SegmentStep(StepEvent):
    """Merge ``number`` tried on the word: applied where its pair occurs, or not present."""

    number: int
    pair: tuple[str, str]
    applied: int  # how many times the pair was joined (0: not present)
    symbols: Symbols  # the word after this merge

    def describe(self, style: str = "plain") -> str:
        a, b = self.pair
        if not self.applied:
            return f"Merge {self.number} '{a} {b}': not in {' '.join(self.symbols)}; skipped."
        times = "" if self.applied == 1 else f" ({self.applied} times)"
        return f"Merge {self.number} '{a} {b}' applies{times}: {' '.join(self.symbols)}."


@dataclass(frozen=True, eq=False)
class SegmentState(State):
    merges_tried: int
    symbols: Symbols

    def then(self, event: StepEvent) -> SegmentState:
        if not isinstance(event, SegmentStep):
            raise TypeError(f"segmenting does not change with {type(event).__name__}")
        return SegmentState(self.merges_tried + 1, event.symbols)


SEGMENTER_PSEUDOCODE = (
    "function BPE-SEGMENT(word w, merges M) returns tokens",
    "  tokens ← the characters of w, then _",
    "  for each merge (tL, tR) in M, in the order learned",
    "    replace each tL tR in tokens with tL + tR",
    "  return tokens",
)


@dataclass(frozen=True, eq=False)
class SegmentResult(StepwiseResult[StepEvent, SegmentState]):
    """A word segmented by a model's merges: ``tokens``, and one step a merge."""

    word: str
    start: Symbols
    tokens: Symbols
    trace: Trace[StepEvent]

    def state_at(self, step: int) -> SegmentState:
        step = self.clamp(step)
        if step == 0:
            return SegmentState(0, self.start)
        event = self.trace[step - 1]
        assert isinstance(event, SegmentStep)
        return SegmentState(step, event.symbols)

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return SEGMENTER_PSEUDOCODE

    def line_at(self, step: int) -> int:
        return line_for_event(
            SEGMENTER_PSEUDOCODE, self.event_at(step), ((SegmentStep, "replace each"),), step, len(self.trace)
        )

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if not isinstance(event, SegmentStep):
            return None
        return choice_question(
            f"Does merge {event.number} '{event.pair[0]} {event.pair[1]}' apply?",
            ("yes", "no"),
            "yes" if event.applied else "no",
            event.describe(),
        )


def segment(model: BPEModel, word: str) -> SegmentResult:
    """Segment ``word`` with ``model``'s merges, applied in the order they were learned."""
    if not isinstance(word, str) or not word.strip() or any(c.isspace() for c in word.strip()):
        raise ValueError("Segment one word: type it without spaces.")
    word = word.strip()
    start = _symbols(word, model.byte_level, model.end_of_word)
    symbols = start
    events: list[StepEvent] = []
    for number, pair in enumerate(model.merges, start=1):
        merged = _merge(symbols, pair)
        events.append(SegmentStep(number, pair, len(symbols) - len(merged), merged))
        symbols = merged
    return SegmentResult(trace=Trace.from_events(events), word=word, start=start, tokens=symbols)


def corpus_tokens(model: BPEModel, words: Sequence[str]) -> list[Symbols]:
    """Each word segmented (no trace): for counting tokens over a text."""
    out = []
    for word in words:
        symbols = _symbols(word, model.byte_level, model.end_of_word)
        for pair in model.merges:
            symbols = _merge(symbols, pair)
        out.append(symbols)
    return out
