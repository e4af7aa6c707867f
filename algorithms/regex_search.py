"""A backtracking regular-expression matcher for a teaching subset, every attempt a step (SLP3 §2.1).

The subset: literals; ``.``; classes with ranges and negation (``[a-z]``, ``[^a-zA-Z]``) and
``\\d \\w \\s \\D \\W \\S``; the greedy quantifiers ``? * +`` and ``{m}``, ``{m,}``, ``{m,n}``;
anchors ``^ $ \\b \\B``; groups ``( )`` and alternation ``|``; and escaped metacharacters
(``\\.``). Anything else (lazy quantifiers, look-arounds, back-references, named groups,
flags) is refused in one sentence naming it.

:func:`search` finds every match left to right as Python's ``re.finditer`` does (a test
holds it to that on random patterns and texts), and its trace shows how: each start
position tried, each pattern element consumed or failed at a position, and each
backtrack to try fewer repetitions or the next alternative.

>>> [m.text for m in search("[tT]he", "The other one there").matches]
['The', 'the', 'the']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from algorithms.quiz import Question, choice_question
from algorithms.trace import State, StepEvent, StepwiseResult, Trace, line_for_event

__all__ = [
    "search",
    "Match",
    "SearchResult",
    "SearchState",
    "TryStart",
    "Consume",
    "Backtrack",
    "Found",
    "gold_counts",
    "MAX_STEPS",
    "SEARCH_PSEUDOCODE",
]

#: A pattern that needs more steps than this on the text is refused (it would backtrack for ever).
MAX_STEPS = 50_000
_META = set(".^$*+?{}[]\\|()")


# --------------------------------------------------------------------------
# Parsing the subset
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class _Node:
    text: str  # the pattern's own text for this element, as narration shows it


@dataclass(frozen=True)
class _Chars(_Node):
    test: Callable[[str], bool]


@dataclass(frozen=True)
class _Anchor(_Node):
    kind: str  # ^ $ \b \B


@dataclass(frozen=True)
class _Repeat(_Node):
    item: _Node
    low: int
    high: int | None


@dataclass(frozen=True)
class _Seq(_Node):
    items: tuple[_Node, ...]


@dataclass(frozen=True)
class _Alt(_Node):
    branches: tuple[_Node, ...]


def _word(c: str) -> bool:
    return c.isalnum() or c == "_"


_ESCAPE_CLASSES: dict[str, Callable[[str], bool]] = {
    "d": str.isdecimal,
    "D": lambda c: not c.isdecimal(),
    "w": _word,
    "W": lambda c: not _word(c),
    "s": str.isspace,
    "S": lambda c: not c.isspace(),
}


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.i = 0

    def refuse(self, what: str) -> ValueError:
        return ValueError(
            f"{what} (at character {self.i + 1} of the pattern) is outside the subset this search teaches."
        )

    def parse(self) -> _Node:
        node = self.alternation()
        if self.i < len(self.pattern):
            raise ValueError(f"The pattern has an unmatched ')' at character {self.i + 1}.")
        return node

    def alternation(self) -> _Node:
        start = self.i
        branches = [self.sequence()]
        while self.i < len(self.pattern) and self.pattern[self.i] == "|":
            self.i += 1
            branches.append(self.sequence())
        text = self.pattern[start : self.i]
        return branches[0] if len(branches) == 1 else _Alt(text, tuple(branches))

    def sequence(self) -> _Node:
        start = self.i
        items: list[_Node] = []
        while self.i < len(self.pattern) and self.pattern[self.i] not in "|)":
            items.append(self.quantified())
        return _Seq(self.pattern[start : self.i], tuple(items))

    def quantified(self) -> _Node:
        start = self.i
        atom = self.atom()
        if self.i >= len(self.pattern):
            return atom
        c = self.pattern[self.i]
        low: int
        high: int | None
        if c in "?*+":
            low, high = {"?": (0, 1), "*": (0, None), "+": (1, None)}[c]
            self.i += 1
        elif c == "{":
            low, high = self.braces()
        else:
            return atom
        if isinstance(atom, _Anchor):
            raise self.refuse("A quantifier on an anchor")
        if self.i < len(self.pattern) and self.pattern[self.i] in "?+":
            raise self.refuse(f"The lazy or possessive quantifier '{self.pattern[self.i - 1 : self.i + 1]}'")
        if self.i < len(self.pattern) and self.pattern[self.i] in "*{":
            raise self.refuse("A quantifier on a quantifier")
        return _Repeat(self.pattern[start : self.i], atom, low, high)

    def braces(self) -> tuple[int, int | None]:
        end = self.pattern.find("}", self.i)
        body = self.pattern[self.i + 1 : end] if end > 0 else ""
        low_text, comma, high_text = body.partition(",")
        if end < 0 or not low_text.isdigit() or (high_text and not high_text.isdigit()):
            raise self.refuse(
                f"'{self.pattern[self.i : end + 1 if end > 0 else None]}' (write {{m}}, {{m,}} or {{m,n}})"
            )
        low = int(low_text)
        high = low if not comma else (int(high_text) if high_text else None)
        if high is not None and high < low:
            raise ValueError(f"The repetition {{{body}}} has its maximum below its minimum.")
        if low > 1000 or (high or 0) > 1000:
            raise self.refuse(f"A repetition of more than 1,000 ('{{{body}}}')")
        self.i = end + 1
        return low, high

    def atom(self) -> _Node:
        p, c = self.pattern, self.pattern[self.i]
        start = self.i
        if c == "(":
            if p.startswith("(?", self.i):
                raise self.refuse(
                    f"The group '{p[self.i : self.i + 3]}…' (look-around, named or non-capturing)"
                )
            self.i += 1
            inner = self.alternation()
            if self.i >= len(p) or p[self.i] != ")":
                raise ValueError("The pattern has a '(' that is never closed.")
            self.i += 1
            return _Seq(p[start : self.i], (inner,))
        if c == "[":
            return self.char_class()
        if c in "^$":
            self.i += 1
            return _Anchor(c, c)
        if c == ".":
            self.i += 1
            return _Chars(".", lambda ch: ch != "\n")
        if c == "\\":
            return self.escape()
        if c in "*+?{":
            raise self.refuse(f"A '{c}' with nothing before it to repeat")
        if c == "]" or c == "}":
            self.i += 1
            return _Chars(c, lambda ch, c=c: ch == c)  # type: ignore[misc]
        self.i += 1
        return _Chars(c, lambda ch, c=c: ch == c)  # type: ignore[misc]

    def escape(self) -> _Node:
        if self.i + 1 >= len(self.pattern):
            raise ValueError("The pattern ends with a lone backslash.")
        c = self.pattern[self.i + 1]
        self.i += 2
        if c in "bB":
            return _Anchor("\\" + c, "\\" + c)
        if c in _ESCAPE_CLASSES:
            return _Chars("\\" + c, _ESCAPE_CLASSES[c])
        if c in _META or c in "-/ ":
            return _Chars("\\" + c, lambda ch, c=c: ch == c)  # type: ignore[misc]
        if c.isdigit():
            raise self.refuse(f"The back-reference '\\{c}'")
        raise self.refuse(f"The escape '\\{c}'")

    def char_class(self) -> _Node:
        p = self.pattern
        start = self.i
        self.i += 1
        negated = self.i < len(p) and p[self.i] == "^"
        if negated:
            self.i += 1
        tests: list[Callable[[str], bool]] = []
        first = True
        while self.i < len(p) and (p[self.i] != "]" or first):
            first = False
            c = p[self.i]
            if c == "\\":
                if self.i + 1 >= len(p):
                    break
                e = p[self.i + 1]
                self.i += 2
                if e in _ESCAPE_CLASSES:
                    tests.append(_ESCAPE_CLASSES[e])
                    continue
                if e.isalnum():
                    raise self.refuse(f"The escape '\\{e}' inside a class")
                c = e
            else:
                if c == "[" and p.startswith("[:", self.i):
                    raise self.refuse("A POSIX class like [:alpha:]")
                self.i += 1
            if self.i + 1 < len(p) and p[self.i] == "-" and p[self.i + 1] != "]":
                high = p[self.i + 1]
                if high == "\\":
                    raise self.refuse("An escape as the end of a range")
                self.i += 2
                if high < c:
                    raise ValueError(f"The range {c}-{high} in the pattern runs backwards.")
                tests.append(lambda ch, lo=c, hi=high: lo <= ch <= hi)  # type: ignore[misc]
            else:
                tests.append(lambda ch, c=c: ch == c)  # type: ignore[misc]
        if self.i >= len(p):
            raise ValueError("The pattern has a '[' that is never closed.")
        self.i += 1
        text = p[start : self.i]
        if negated:
            return _Chars(text, lambda ch: not any(t(ch) for t in tests))
        return _Chars(text, lambda ch: any(t(ch) for t in tests))


# --------------------------------------------------------------------------
# The steps
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Match:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class TryStart(StepEvent):
    position: int

    def describe(self, style: str = "plain") -> str:
        return f"Try a match starting at position {self.position}."


@dataclass(frozen=True)
class Consume(StepEvent):
    """A pattern element tried at a position: it consumed a character (or held, for an anchor) or failed."""

    element: str
    position: int
    character: str  # "" at the end of the text or for an anchor
    ok: bool

    def describe(self, style: str = "plain") -> str:
        what = f"'{self.character}'" if self.character else "the end of the text"
        if self.element in ("^", "$", "\\b", "\\B"):
            return f"Anchor {self.element} at position {self.position}: {'holds' if self.ok else 'fails'}."
        verb = "matches" if self.ok else "does not match"
        return f"'{self.element}' at position {self.position} {verb} {what}."


@dataclass(frozen=True)
class Backtrack(StepEvent):
    element: str
    position: int
    why: str

    def describe(self, style: str = "plain") -> str:
        return f"Backtrack in '{self.element}' to position {self.position}: {self.why}."


@dataclass(frozen=True)
class Found(StepEvent):
    match: Match

    def describe(self, style: str = "plain") -> str:
        m = self.match
        return f"Match '{m.text}' at {m.start}–{m.end}; the search goes on from {m.end}."


@dataclass(frozen=True, eq=False)
class SearchState(State):
    position: int  # the start being tried
    at: int  # where the pattern has got to in the text
    matches: tuple[Match, ...]

    def then(self, event: StepEvent) -> SearchState:
        if isinstance(event, TryStart):
            return SearchState(event.position, event.position, self.matches)
        if isinstance(event, Consume):
            return SearchState(
                self.position, event.position + (len(event.character) if event.ok else 0), self.matches
            )
        if isinstance(event, Backtrack):
            return SearchState(self.position, event.position, self.matches)
        if isinstance(event, Found):
            return SearchState(self.position, event.match.end, (*self.matches, event.match))
        raise TypeError(f"a search does not change with {type(event).__name__}")


SEARCH_PSEUDOCODE = (
    "function SEARCH(pattern, text) returns matches",
    "  for each start position s in text, left to right",
    "    try to match the pattern's elements from s:",
    "      an element consumes the next character (or an anchor holds) — or fails",
    "      on failure, backtrack: fewer repetitions, or the next alternative",
    "    if the whole pattern matched: record text[s:e], go on from e",
    "  return the matches",
)


@dataclass(frozen=True, eq=False)
class SearchResult(StepwiseResult[StepEvent, SearchState]):
    pattern: str
    text: str
    matches: list[Match]
    trace: Trace[StepEvent]

    #: (start tried, position reached, matches found) after each step, folded once in :func:`search`:
    #: the panel asks for the state at every step shown, and a search may have 50,000 steps.
    folded: tuple[tuple[int, int, int], ...] = ()

    def state_at(self, step: int) -> SearchState:
        position, at, found = self.folded[self.clamp(step)]
        return SearchState(position, at, tuple(self.matches[:found]))

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return SEARCH_PSEUDOCODE

    def line_at(self, step: int) -> int:
        markers = (
            (TryStart, "for each start"),
            (Consume, "an element consumes"),
            (Backtrack, "backtrack:"),
            (Found, "record text"),
        )
        return line_for_event(SEARCH_PSEUDOCODE, self.event_at(step), markers, step, len(self.trace))

    def question_at(self, step: int) -> Question | None:
        """Does this element match here?"""
        event = self.event_at(step)
        if not isinstance(event, Consume):
            return None
        return choice_question(
            f"Does '{event.element}' match at position {event.position}?",
            ("yes", "no"),
            "yes" if event.ok else "no",
            event.describe(),
        )


class _TooLong(Exception):
    pass


def search(pattern: str, text: str) -> SearchResult:
    """Every match of ``pattern`` in ``text``, left to right, as ``re.finditer`` finds them, and the trace."""
    if not isinstance(pattern, str) or not pattern:
        raise ValueError("The pattern is empty: type one, such as [tT]he.")
    if not isinstance(text, str):
        raise ValueError("Type a text to search.")
    tree = _Parser(pattern).parse()
    events: list[StepEvent] = []

    def note(event: StepEvent) -> None:
        events.append(event)
        if len(events) > MAX_STEPS:
            raise _TooLong

    def step_chars(node: _Chars, i: int) -> Iterator[int]:
        ch = text[i] if i < len(text) else ""
        ok = bool(ch) and node.test(ch)
        note(Consume(node.text, i, ch, ok))
        if ok:
            yield i + 1

    def anchor(node: _Anchor, i: int) -> Iterator[int]:
        if node.kind == "^":
            ok = i == 0
        elif node.kind == "$":
            ok = i == len(text) or (i == len(text) - 1 and text[i] == "\n")
        else:
            before = i > 0 and _word(text[i - 1])
            after = i < len(text) and _word(text[i])
            ok = (before != after) == (node.kind == "\\b")
            if node.kind == "\\B" and not text:
                ok = False  # as Python's re: \B never matches in an empty text
        note(Consume(node.kind, i, "", ok))
        if ok:
            yield i

    def match(node: _Node, i: int) -> Iterator[int]:
        if isinstance(node, _Chars):
            yield from step_chars(node, i)
        elif isinstance(node, _Anchor):
            yield from anchor(node, i)
        elif isinstance(node, _Seq):
            yield from sequence(node.items, 0, i)
        elif isinstance(node, _Alt):
            for k, branch in enumerate(node.branches):
                if k:
                    note(Backtrack(node.text, i, f"try alternative {k + 1}"))
                yield from match(branch, i)
        elif isinstance(node, _Repeat):
            yield from repeat(node, i, 0)

    def sequence(items: tuple[_Node, ...], k: int, i: int) -> Iterator[int]:
        if k == len(items):
            yield i
            return
        for j in match(items[k], i):
            yield from sequence(items, k + 1, j)

    def repeat(node: _Repeat, i: int, done: int) -> Iterator[int]:
        # Greedy: one more repetition first (an empty one stops the loop), then stop here.
        if node.high is None or done < node.high:
            for j in match(node.item, i):
                if j != i:
                    yield from repeat(node, j, done + 1)
                else:  # an empty repetition: as many more as the minimum needs are empty too
                    yield j
        if done >= node.low:
            if done:
                note(Backtrack(node.text, i, f"stop after {done} repetition{'s' * (done != 1)}"))
            yield i

    matches: list[Match] = []
    position, no_empty_at = 0, -1
    try:
        while position <= len(text):
            found = None
            for start in range(position, len(text) + 1):
                note(TryStart(start))
                for end in match(tree, start):
                    if end == start and start == no_empty_at:
                        continue  # Python's rule: no empty match where the last one ended empty
                    found = Match(start, end, text[start:end])
                    break
                if found is not None:
                    break
            if found is None:
                break
            matches.append(found)
            note(Found(found))
            if found.end == found.start:
                position, no_empty_at = found.end, found.end
            else:
                position, no_empty_at = found.end, -1
    except _TooLong:
        raise ValueError(
            f"This pattern takes more than {MAX_STEPS:,} steps on this text (it backtracks too much); "
            "shorten the text or the pattern."
        ) from None
    folded = [(0, 0, 0)]
    state = SearchState(0, 0, ())
    for event in events:
        state = state.then(event)
        folded.append((state.position, state.at, len(state.matches)))
    return SearchResult(
        trace=Trace.from_events(events), pattern=pattern, text=text, matches=matches, folded=tuple(folded)
    )


def gold_counts(found: list[Match], wanted: list[tuple[int, int]]) -> tuple[int, int, int]:
    """(true positives, false positives, false negatives) of the matches against the spans a user marked."""
    spans = {(m.start, m.end) for m in found}
    gold = set(wanted)
    return len(spans & gold), len(spans - gold), len(gold - spans)
