"""MaxMatch: greedy longest-match word segmentation (SLP3 §2.4.3), one word a step.

From the start of the text, take the longest dictionary word that begins there; if none
does, take one character; go on after it. It never looks back, which works well for
Chinese, whose words are short, and fails in English, whose words hide inside others:

>>> words = english_dictionary()
>>> " ".join(max_match("wecanonlyseeashortdistanceahead", words).tokens)
'we canon l y see ash ort distance ahead'

:func:`word_error_rate` scores a segmentation against a gold one: the edit distance
between the two token sequences (by the edit-distance engine) over the gold length.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

from algorithms.edit_distance import fast_edit_distance
from algorithms.quiz import Question, choice_question
from algorithms.resources import resource_text
from algorithms.trace import State, StepEvent, StepwiseResult, Trace, line_for_event

__all__ = [
    "max_match",
    "MaxMatchResult",
    "MatchStep",
    "MatchState",
    "word_error_rate",
    "english_dictionary",
    "chinese_dictionary",
    "MAX_MATCH_PSEUDOCODE",
    "ENGLISH_WORDS",
]

#: How many of symspellpy's most frequent English words make the English dictionary.
ENGLISH_WORDS = 50_000
#: Longest text segmented step by step.
MAX_TEXT = 2_000


@dataclass(frozen=True)
class MatchStep(StepEvent):
    """At ``start``, the prefixes tried from the longest down, and the word taken."""

    start: int
    tried: tuple[str, ...]  # longest first; the last is the word taken
    found: bool  # a dictionary word (False: no word starts here, one character is taken)

    @property
    def word(self) -> str:
        return self.tried[-1]

    def describe(self, style: str = "plain") -> str:
        longer = len(self.tried) - 1
        skipped = f"{longer} longer prefix{'es' * (longer != 1)} not in the dictionary; " if longer else ""
        if self.found:
            return f"At position {self.start}: {skipped}'{self.word}' is the longest word here: take it."
        return (
            f"At position {self.start}: {skipped}no word starts here: take the one character '{self.word}'."
        )


@dataclass(frozen=True, eq=False)
class MatchState(State):
    """The words taken so far and where the next search starts."""

    tokens: tuple[str, ...]
    position: int

    def then(self, event: StepEvent) -> MatchState:
        if not isinstance(event, MatchStep):
            raise TypeError(f"MaxMatch does not change with {type(event).__name__}")
        return MatchState((*self.tokens, event.word), event.start + len(event.word))


MAX_MATCH_PSEUDOCODE = (
    "function MAXMATCH(sentence, dictionary) returns word sequence W",
    "  if sentence is empty: return the empty list",
    "  for i ← length(sentence) downto 1",
    "    firstword ← first i chars of sentence; remainder ← the rest",
    "    if InDictionary(firstword, dictionary): return list(firstword, MAXMATCH(remainder))",
    "  # no word was found, so make a one-character word",
    "  firstword ← first char of sentence; remainder ← the rest",
    "  return list(firstword, MAXMATCH(remainder, dictionary))",
)


@dataclass(frozen=True, eq=False)
class MaxMatchResult(StepwiseResult[StepEvent, MatchState]):
    """The segmentation (``tokens``) and its trace, one word a step."""

    text: str
    tokens: tuple[str, ...]
    trace: Trace[StepEvent]

    def state_at(self, step: int) -> MatchState:
        step = self.clamp(step)
        position = 0 if step == 0 else self.trace[step - 1].start + len(self.tokens[step - 1])  # type: ignore[attr-defined]
        return MatchState(self.tokens[:step], position)

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return MAX_MATCH_PSEUDOCODE

    def line_at(self, step: int) -> int:
        event = self.event_at(step)
        marker = "InDictionary" if isinstance(event, MatchStep) and event.found else "one-character word"
        return line_for_event(MAX_MATCH_PSEUDOCODE, event, ((MatchStep, marker),), step, len(self.trace))

    def watch_at(self, step: int) -> dict[str, str]:
        event = self.event_at(step)
        if isinstance(event, MatchStep):
            return {"i": str(len(event.word)), "firstword": event.word, "position": str(event.start)}
        return {}

    def question_at(self, step: int) -> Question | None:
        """Which word is taken next (the prefixes it tried, plus a shorter wrong one, are the choices)."""
        event = self.event_at(step)
        if not isinstance(event, MatchStep):
            return None
        choices = list(dict.fromkeys([*event.tried[-3:], self.text[event.start]]))
        return choice_question(
            f"At position {event.start}, which word does MaxMatch take?",
            choices,
            event.word,
            event.describe(),
            hint="The longest prefix that is in the dictionary; one character if none is.",
        )


def max_match(text: str, dictionary: Collection[str]) -> MaxMatchResult:
    """Segment ``text`` (spaces are removed first) greedily with ``dictionary``."""
    if not isinstance(text, str):
        raise ValueError("Type a text to segment.")
    joined = "".join(text.split())
    if not joined:
        raise ValueError("The text is empty: type words run together, such as thetabledownthere.")
    if len(joined) > MAX_TEXT:
        raise ValueError(
            f"The text has {len(joined):,} characters; MaxMatch steps through at most {MAX_TEXT:,}."
        )
    longest = max((len(w) for w in dictionary), default=1)
    events: list[StepEvent] = []
    i = 0
    while i < len(joined):
        tried = []
        taken = None
        for j in range(min(len(joined), i + longest), i, -1):
            tried.append(joined[i:j])
            if joined[i:j] in dictionary:
                taken = joined[i:j]
                break
        # Nothing found: the last prefix tried was the single character, which is taken.
        events.append(MatchStep(i, tuple(tried), taken is not None))
        i += len(tried[-1])
    tokens = tuple(e.word for e in events)  # type: ignore[attr-defined]
    return MaxMatchResult(trace=Trace.from_events(events), text=joined, tokens=tokens)


def word_error_rate(tokens: Sequence[str], gold: Sequence[str]) -> float:
    """Edit distance between the token sequences (insertions, deletions, substitutions) / the gold length."""
    if not gold:
        raise ValueError("The gold segmentation is empty.")
    return fast_edit_distance(list(tokens), list(gold)) / len(gold)


@cache
def english_dictionary() -> frozenset[str]:
    """The 50,000 most frequent words of symspellpy's English list (rarer ones, like *lyse*, hide
    the textbook failure behind a rarer one)."""
    from algorithms.spelling_prior import packaged_prior

    counts = packaged_prior().counts
    return frozenset(sorted(counts, key=lambda w: -counts[w])[:ENGLISH_WORDS])


@cache
def chinese_dictionary() -> frozenset[str]:
    """The small Chinese word list shipped for the lessons (``resources/dictionaries/zh-small.txt``)."""
    lines = resource_text("dictionaries/zh-small.txt").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))
