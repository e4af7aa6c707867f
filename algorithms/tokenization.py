"""Word tokenisation in the Penn Treebank / UD style (SLP3 §2.4.2), one token a step, and types vs tokens.

The rules, tried in this order at each point of the text:

1. a URL or e-mail address stays whole;
2. a number stays whole with its decimal point and thousands commas (``3.5``, ``1,000``);
3. an abbreviation keeps its period (``Mr.``, ``U.S.``, ``e.g.``);
4. a word's clitic is split off: ``n't``, ``'s``, ``'re``, ``'ve``, ``'ll``, ``'d``, ``'m``
   (``don't`` → ``do n't``);
5. a word stays whole with inner apostrophes (``o'clock``); a hyphen is a token of its own,
   as in UD English EWT (``al - Qaeda``);
6. any other character that is not a space is a token, a run of the same one a single token
   (``!!!``, ``...``, ``--``).

:func:`heaps_law` fits Heaps' law |V| = k·N^β to the growth of the vocabulary, and
:func:`ewt_heaps_reference` is that growth on UD EWT, shipped (built by
``benchmarks/build_heaps_reference.py``) so the app draws it without the treebank.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from algorithms.quiz import Question, choice_question
from algorithms.resources import resource_text
from algorithms.sentences import ABBREVIATIONS
from algorithms.trace import State, StepEvent, StepwiseResult, Trace, line_for_event

__all__ = [
    "tokenize",
    "TokenizeResult",
    "TokenStep",
    "TokenState",
    "heaps_law",
    "ewt_heaps_reference",
    "HeapsReference",
    "types_and_tokens",
    "TOKENIZE_PSEUDOCODE",
    "RULES",
]

_CLITICS = r"n't|'s|'re|'ve|'ll|'d|'m"
#: (rule name, pattern), tried in order at the current position.
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("URL or e-mail", re.compile(r"(?:https?://|www\.)\S+[^\s.,;:!?)\]\"']|[\w.+-]+@[\w-]+\.[\w.]+\w")),
    ("number", re.compile(r"\d+(?:[.,]\d+)*")),
    ("abbreviation", re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z]+\.(?=\s|$)")),
    ("clitic", re.compile(rf"(?i:{_CLITICS})(?![A-Za-z])")),
    ("word", re.compile(rf"\w+(?:['’]\w+)*?(?=(?i:{_CLITICS})(?![A-Za-z]))|\w+(?:['’]\w+)*")),
    ("punctuation", re.compile(r"([^\w\s])\1*")),
)


@dataclass(frozen=True)
class TokenStep(StepEvent):
    """One token: where it starts, its text, and the rule that made it."""

    start: int
    token: str
    rule: str

    def describe(self, style: str = "plain") -> str:
        return f"'{self.token}' at {self.start}: {self.rule}."


@dataclass(frozen=True, eq=False)
class TokenState(State):
    tokens: tuple[str, ...]
    types: int

    def then(self, event: StepEvent) -> TokenState:
        if not isinstance(event, TokenStep):
            raise TypeError(f"tokenising does not change with {type(event).__name__}")
        tokens = (*self.tokens, event.token)
        return TokenState(tokens, len(set(tokens)))


TOKENIZE_PSEUDOCODE = (
    "function TOKENIZE(text) returns tokens",
    "  at each position that is not a space, try in order:",
    "    URL or e-mail; number (3.5, 1,000); abbreviation (Mr., U.S.)",
    "    clitic split off its word (do n't, John 's)",
    "    word (with inner apostrophes); else a punctuation character, or a run of one",
    "  return the tokens",
)


@dataclass(frozen=True, eq=False)
class TokenizeResult(StepwiseResult[StepEvent, TokenState]):
    text: str
    tokens: list[str]
    trace: Trace[StepEvent]

    def state_at(self, step: int) -> TokenState:
        tokens = tuple(self.tokens[: self.clamp(step)])
        return TokenState(tokens, len(set(tokens)))

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return TOKENIZE_PSEUDOCODE

    def line_at(self, step: int) -> int:
        event = self.event_at(step)
        markers = {"URL or e-mail": "URL", "number": "URL", "abbreviation": "URL", "clitic": "clitic split"}
        marker = markers.get(event.rule, "word (with inner") if isinstance(event, TokenStep) else ""
        return line_for_event(TOKENIZE_PSEUDOCODE, event, ((TokenStep, marker),), step, len(self.trace))

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if not isinstance(event, TokenStep):
            return None
        return choice_question(
            f"Which rule makes the token at {event.start}?",
            [name for name, _ in RULES],
            event.rule,
            event.describe(),
        )


def tokenize(text: str) -> TokenizeResult:
    """The tokens of ``text`` by the rules above, one step each."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The text is empty: type a sentence to tokenise.")
    events: list[StepEvent] = []
    tokens: list[str] = []
    i = 0
    while i < len(text):
        if text[i].isspace():
            i += 1
            continue
        for name, pattern in RULES:
            match = pattern.match(text, i)
            if match and match.end() > i and _fits(name, match.group(), text, i):
                break
        else:  # pragma: no cover - the punctuation rule matches any non-space character
            raise AssertionError(text[i])
        token = match.group()
        events.append(TokenStep(i, token, name))
        tokens.append(token)
        i = match.end()
    return TokenizeResult(trace=Trace.from_events(events), text=text, tokens=tokens)


def _fits(rule: str, token: str, text: str, start: int) -> bool:
    """Context a pattern cannot see: a one-word abbreviation must be a known one, and a number or
    word must not run on into letters (``3rd`` is a word, not the number 3)."""
    if rule == "abbreviation" and token.count(".") == 1:
        return token[:-1].lower() in ABBREVIATIONS
    if rule == "number":
        end = start + len(token)
        return end >= len(text) or not text[end].isalpha()
    return True


def types_and_tokens(tokens: Sequence[str]) -> tuple[int, int]:
    """(|V|, N): distinct word types (case kept) and running tokens."""
    return len(set(tokens)), len(tokens)


def heaps_law(tokens: Sequence[str], points: int = 20) -> tuple[float, float, list[tuple[int, int]]]:
    """(k, β, curve): |V| = k·N^β fitted by least squares on log N and log |V| at ``points`` sizes."""
    if len(tokens) < 10:
        raise ValueError("Heaps' law needs at least 10 tokens.")
    curve: list[tuple[int, int]] = []
    seen: set[str] = set()
    marks = sorted({max(1, round(len(tokens) * (k + 1) / points)) for k in range(points)})
    next_mark = 0
    for n, token in enumerate(tokens, start=1):
        seen.add(token)
        if next_mark < len(marks) and n == marks[next_mark]:
            curve.append((n, len(seen)))
            next_mark += 1
    xs = [math.log(n) for n, _ in curve]
    ys = [math.log(v) for _, v in curve]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    beta = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mean_x) ** 2 for x in xs
    )
    k = math.exp(mean_y - beta * mean_x)
    return k, beta, curve


@dataclass(frozen=True)
class HeapsReference:
    """Vocabulary growth of a corpus: |V| at sizes N, and the fitted |V| = k·N^β."""

    source: str
    k: float
    beta: float
    curve: tuple[tuple[int, int], ...]


@cache
def ewt_heaps_reference() -> HeapsReference:
    """The growth of |V| over UD EWT dev + test, as shipped in ``resources/models/heaps_ewt.json``."""
    record = json.loads(resource_text("models/heaps_ewt.json"))
    curve = tuple((int(n), int(v)) for n, v in record["curve"])
    return HeapsReference(record["source"], float(record["k"]), float(record["beta"]), curve)
