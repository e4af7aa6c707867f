"""Earley's algorithm (SLP3 2nd ed. §13.4.2): a chart of dotted states per position, filled
left to right by predict, scan and complete, one state a step; top-down prediction without
the backtracking of a top-down search.

As in the book, a predicted part of speech is not expanded into every word it has: the
scanner adds ``Det → that • [1, 2]`` only when the next word is one (rules with words inside
longer right sides are scanned the same way). Every way a state is reached is kept, so
``trees`` lists every parse, built lazily from those back-pointers.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

from algorithms.cfg import Grammar
from algorithms.grammar_checks import check_tokens, refuse_unit_cycles
from algorithms.quiz import Question, choice_question
from algorithms.trace import Phase, State, StepEvent, StepwiseResult, Trace, line_for_event
from algorithms.trees import Tree

__all__ = ["earley_parse", "EarleyResult", "EarleyItem", "EarleyStep", "EarleyState", "DUMMY", "MAX_TREES"]

#: The start state's left side (SLP3's γ → • S).
DUMMY = "γ"
#: ``trees`` lists at most this many parses (``iter_trees`` goes on).
MAX_TREES = 10_000


@dataclass(frozen=True)
class EarleyItem:
    """A dotted state ``lhs → rhs[:dot] • rhs[dot:]`` spanning words ``start`` to ``end``."""

    lhs: str
    rhs: tuple[str, ...]
    terminal: tuple[bool, ...]
    dot: int
    start: int
    end: int

    @property
    def complete(self) -> bool:
        return self.dot == len(self.rhs)

    @property
    def next_symbol(self) -> str | None:
        return None if self.complete else self.rhs[self.dot]

    def advanced(self, end: int) -> EarleyItem:
        return EarleyItem(self.lhs, self.rhs, self.terminal, self.dot + 1, self.start, end)

    def rule(self) -> str:
        left = " ".join(self.rhs[: self.dot])
        right = " ".join(self.rhs[self.dot :])
        return f"{self.lhs} → {left + ' ' if left else ''}•{' ' + right if right else ''}"

    def __str__(self) -> str:
        return f"{self.rule()} [{self.start}, {self.end}]"


@dataclass(frozen=True)
class EarleyStep(StepEvent):
    """One state added to chart[column] by ``kind`` (start, predict, scan or complete)."""

    kind: str
    item: EarleyItem
    column: int
    number: int  # S0, S1 … in the order states are added, as SLP3 numbers them
    source: EarleyItem | None  # the state that predicted it or that it advances
    completed: EarleyItem | None  # complete: the finished state that advanced ``source``
    word: str = ""

    def describe(self, style: str = "plain") -> str:
        head = f"S{self.number}  chart[{self.column}] ← {self.item}"
        if self.kind == "start":
            return f"{head}: start with the dummy state γ → • S."
        if self.kind == "predict":
            return f"{head}, predicted from {self.source}."
        if self.kind == "scan":
            return f"{head}: scanned '{self.word}' for {self.source}."
        finished = self.completed.lhs if self.completed is not None else ""
        return f"{head}: {self.completed} completes {finished}, advancing {self.source}."


@dataclass(frozen=True, eq=False)
class EarleyState(State):
    """The chart so far (states per column, in the order added) and the state just added."""

    chart: tuple[tuple[EarleyItem, ...], ...]
    current: EarleyItem | None
    column: int

    def then(self, event: StepEvent) -> EarleyState:
        if not isinstance(event, EarleyStep):
            raise TypeError(f"an Earley chart does not change with {type(event).__name__}")
        columns = list(self.chart)
        columns[event.column] = (*columns[event.column], event.item)
        return EarleyState(tuple(columns), event.item, event.column)


EARLEY_PSEUDOCODE = (
    "function EARLEY-PARSE(words, grammar) returns chart",
    "  ENQUEUE((γ → • S, [0, 0]), chart[0])",
    "  for i ← 0 to LENGTH(words), for each state in chart[i], in the order added:",
    "    if the state is (A → α • B β, [j, i]) and B has rules of its own:   ▷ PREDICTOR",
    "      for each rule (B → γ): ENQUEUE((B → • γ, [i, i]), chart[i])",
    "    elseif B is a part of speech (or a word) that words[i] is:   ▷ SCANNER",
    "      ENQUEUE((B → words[i] •, [i, i+1]), chart[i+1])",
    "    elseif the state is complete, (B → γ •, [j, i]):   ▷ COMPLETER",
    "      for each (A → α • B β, [k, j]) in chart[j]: ENQUEUE((A → α B • β, [k, i]), chart[i])",
    "  return chart   ▷ the sentence is recognized if (γ → S •, [0, n]) is in chart[n]",
)


@dataclass(frozen=True, eq=False)
class EarleyResult(StepwiseResult[EarleyStep, EarleyState]):
    """The chart, whether the sentence is recognized, its parses (lazily) and the trace."""

    grammar: Grammar
    tokens: tuple[str, ...]
    chart: tuple[tuple[EarleyItem, ...], ...]
    trace: Trace[EarleyStep]
    back: dict[EarleyItem, list[tuple[EarleyItem, EarleyItem | str]]] = field(repr=False)

    @property
    def final(self) -> EarleyItem:
        start = self.grammar.start
        return EarleyItem(DUMMY, (start,), (False,), 1, 0, len(self.tokens))

    @property
    def recognized(self) -> bool:
        return self.final in self.back

    @property
    def states(self) -> int:
        return sum(len(column) for column in self.chart)

    def counts(self) -> dict[str, int]:
        """States added by each operation."""
        found = {"predict": 0, "scan": 0, "complete": 0}
        for event in self.trace:
            if event.kind in found:
                found[event.kind] += 1
        return found

    def iter_trees(self) -> Iterator[Tree]:
        """Every parse, one at a time (the count can be exponential in the sentence length)."""
        if not self.recognized:
            return
        for _, child in self.back[self.final]:
            assert isinstance(child, EarleyItem)
            yield from self._trees(child)

    @cached_property
    def trees(self) -> tuple[Tree, ...]:
        """Every parse (at most :data:`MAX_TREES`)."""
        return tuple(islice(self.iter_trees(), MAX_TREES))

    @cached_property
    def _memo(self) -> dict[EarleyItem, list[Tree]]:
        return {}

    def _trees(self, item: EarleyItem) -> Iterator[Tree]:
        """Every tree of a complete state; each state's list is built once (trees share subtrees)."""
        if item not in self._memo:
            self._memo[item] = [Tree(item.lhs, tuple(children)) for children in self._children(item)]
        yield from self._memo[item]

    def _children(self, item: EarleyItem) -> Iterator[list[Tree | str]]:
        if item.dot == 0:
            yield []
            return
        for previous, child in self.back.get(item, []):
            for left in self._children(previous):
                if isinstance(child, str):
                    yield [*left, child]
                else:
                    for tree in self._trees(child):
                        yield [*left, tree]

    def state_at(self, step: int) -> EarleyState:
        step = self.clamp(step)
        columns: list[tuple[EarleyItem, ...]] = [() for _ in self.chart]
        if step == 0:
            return EarleyState(tuple(columns), None, 0)
        for event in self.trace[:step]:
            columns[event.column] = (*columns[event.column], event.item)
        last = self.trace[step - 1]
        return EarleyState(tuple(columns), last.item, last.column)

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return EARLEY_PSEUDOCODE

    def line_at(self, step: int) -> int:
        event = self.event_at(step)
        marker = {
            "start": "ENQUEUE((γ",
            "predict": "ENQUEUE((B → • γ",
            "scan": "ENQUEUE((B → words[i] •",
            "complete": "ENQUEUE((A → α B • β",
        }.get(event.kind if event is not None else "", "")
        return line_for_event(EARLEY_PSEUDOCODE, event, ((EarleyStep, marker),), step, len(self.trace))

    def watch_at(self, step: int) -> dict[str, str]:
        event = self.event_at(step)
        if event is None:
            return {}
        watch = {"i": str(event.column), "state": str(event.item)}
        if event.source is not None:
            watch["from"] = str(event.source)
        return watch

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if event is None or event.kind != "complete" or event.completed is None:
            return None
        # Which state does completing this one add? The choices: every state waiting for its category.
        waiting = [
            item.advanced(event.column)
            for item in self.chart[event.completed.start]
            if item.next_symbol == event.completed.lhs
        ]
        options = list(dict.fromkeys(str(item) for item in waiting))
        if len(options) < 2:
            return None
        return choice_question(
            f"{event.completed} is complete. Which state does the completer add next?",
            options,
            str(event.item),
            event.describe(),
        )


def earley_parse(grammar: Grammar, tokens: Sequence[str]) -> EarleyResult:
    """Fill the Earley chart of ``tokens`` under ``grammar`` (any CFG without cycles of unit rules)."""
    words = check_tokens(grammar, tokens)
    refuse_unit_cycles(grammar, "listing Earley's trees")
    n = len(words)
    chart: list[list[EarleyItem]] = [[] for _ in range(n + 1)]
    seen: list[set[EarleyItem]] = [set() for _ in range(n + 1)]
    back: dict[EarleyItem, list[tuple[EarleyItem, EarleyItem | str]]] = {}
    events: list[EarleyStep] = []

    def enqueue(
        item: EarleyItem,
        kind: str,
        source: EarleyItem | None,
        child: EarleyItem | str | None,
        back_from: EarleyItem | None = None,
    ) -> None:
        """Add ``item`` to its column unless there; either way keep the way it was reached."""
        column = item.end
        previous = back_from or source
        if previous is not None and child is not None:
            ways = back.setdefault(item, [])
            if (previous, child) not in ways:
                ways.append((previous, child))
        if item in seen[column]:
            return
        seen[column].add(item)
        chart[column].append(item)
        word = child if isinstance(child, str) else ""
        completed = child if isinstance(child, EarleyItem) else None
        events.append(EarleyStep(kind, item, column, len(events), source, completed, word))

    start = grammar.start
    enqueue(EarleyItem(DUMMY, (start,), (False,), 0, 0, 0), "start", None, None)
    begun: list[int] = []  # where the processing of each column began in the trace
    for i in range(n + 1):
        begun.append(0 if i == 0 else len(events))
        k = 0
        while k < len(chart[i]):
            item = chart[i][k]
            k += 1
            symbol = item.next_symbol
            if symbol is None:  # COMPLETER
                for waiting in list(chart[item.start]):
                    if waiting.next_symbol == item.lhs and not waiting.terminal[waiting.dot]:
                        enqueue(waiting.advanced(i), "complete", waiting, item)
            elif item.terminal[item.dot]:  # a word inside a longer right side
                if i < n and words[i] == symbol:
                    enqueue(item.advanced(i + 1), "scan", item, symbol)
            else:
                for rule in grammar.alternatives(symbol):
                    if rule.is_lexical:  # SCANNER: the part of speech only if the word is one
                        if i < n and words[i] == rule.rhs[0]:
                            base = EarleyItem(symbol, rule.rhs, rule.terminal, 0, i, i)
                            enqueue(base.advanced(i + 1), "scan", item, words[i], back_from=base)
                    else:  # PREDICTOR
                        enqueue(EarleyItem(symbol, rule.rhs, rule.terminal, 0, i, i), "predict", item, None)
    columns = tuple(tuple(column) for column in chart)
    # A phase is the processing of one column (its scans fill the next column already).
    bounds = [*begun, len(events)]
    phases = [Phase(f"processing chart[{i}]", bounds[i], bounds[i + 1]) for i in range(n + 1)]
    return EarleyResult(grammar, words, columns, Trace.from_events(events, phases), back)
