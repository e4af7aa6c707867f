"""Parsing as search (SLP3 §17.1 in the 2nd edition's words, ch. 17–18 of the 3rd): top-down
recursive descent and bottom-up shift-reduce, each searching depth-first with backtracking
until every parse is found, and Earley's chart (in :mod:`algorithms.earley`).

Both searchers run on a :class:`~algorithms.cfg.Grammar` as written (not CNF), try the
alternatives in the order the grammar lists them, and count their work: expansions and
backtracks for the top-down search, shifts, reductions and backtracks for the bottom-up one.

* **Recursive descent** expands the leftmost unexpanded symbol of the growing tree (its
  *frontier*), matches words left to right and backs up to the last choice when a word does
  not match. A left-recursive rule (Nominal → Nominal Noun) sends it down forever, so such a
  grammar is refused with the rule named, unless ``bounded=True``: then an expansion is not
  tried when the frontier would need more words than are left (every symbol covers at least
  one word, as the grammar has no empty rules), which ends every left-recursive descent.
* **Shift-reduce** moves words onto a stack and replaces a rule's right side on top of the
  stack by its left side; at every configuration it may reduce by any rule that fits or
  shift, and it backs up through all of those choices, so it finds every parse rather than
  NLTK's first-choice dead ends. Unit rules in a cycle (A → B, B → A) would reduce forever and
  are refused, by both searchers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from algorithms.cfg import Grammar, Production
from algorithms.earley import EarleyResult, earley_parse
from algorithms.grammar_checks import check_tokens, left_recursion, refuse_unit_cycles
from algorithms.quiz import Question, choice_question
from algorithms.trace import Phase, State, StepEvent, StepwiseResult, Trace, line_for_event
from algorithms.trees import Tree

__all__ = [
    "recursive_descent",
    "shift_reduce",
    "earley",
    "DescentResult",
    "ShiftReduceResult",
    "SearchStep",
    "SearchState",
    "EarleyResult",
    "MAX_SEARCH_STEPS",
]

#: The longest search either parser will trace; past it the sentence is refused (and named).
MAX_SEARCH_STEPS = 300_000

Path = tuple[int, ...]


# -- events and states -----------------------------------------------------------------------------
@dataclass(frozen=True)
class SearchStep(StepEvent):
    """One move of either search, with the configuration after it and the work counted so far.

    ``kind`` is ``expand``, ``match``, ``fail``, ``backtrack`` or ``found`` (top-down) and
    ``shift``, ``reduce``, ``dead-end``, ``backtrack`` or ``found`` (bottom-up). ``tree`` is the
    partial tree (top-down; unexpanded non-terminals have no children) and ``stack`` the stack
    (bottom-up; words as text, constituents as trees); ``frontier`` lists the paths of the
    tree's leaves still to expand or match; ``position`` counts the words consumed.
    """

    kind: str
    text: str
    rule: Production | None
    tree: Tree | None
    frontier: tuple[Path, ...]
    stack: tuple[Tree | str, ...]
    position: int
    choices: int  # other choices left at this point (the backtracking still to come)
    expansions: int
    backtracks: int
    found: int

    def describe(self, style: str = "plain") -> str:
        return self.text


@dataclass(frozen=True, eq=False)
class SearchState(State):
    """The configuration at a step: the tree and frontier or the stack, words consumed, counts."""

    tree: Tree | None
    frontier: tuple[Path, ...]
    stack: tuple[Tree | str, ...]
    position: int
    kind: str
    expansions: int
    backtracks: int
    found: int

    def then(self, event: StepEvent) -> SearchState:
        if not isinstance(event, SearchStep):
            raise TypeError(f"a search does not change with {type(event).__name__}")
        return SearchState.after(event)

    @staticmethod
    def after(event: SearchStep) -> SearchState:
        """The configuration a move leaves (every event carries it whole)."""
        return SearchState(
            event.tree, event.frontier, event.stack, event.position, event.kind,
            event.expansions, event.backtracks, event.found,
        )  # fmt: skip

    @staticmethod
    def start(grammar_start: str | None) -> SearchState:
        """Before the first move: S alone (top-down, given the start symbol) or an empty stack (None)."""
        tree = Tree(grammar_start, ()) if grammar_start is not None else None
        return SearchState(tree, ((),) if tree is not None else (), (), 0, "start", 0, 0, 0)


class _Search(StepwiseResult[SearchStep, SearchState]):
    """What both searches' results share: the parses, the back-ups, the state after a step."""

    trees: tuple[Tree, ...]
    trace: Trace[SearchStep]

    @property
    def backtracks(self) -> int:
        return self.trace[-1].backtracks if len(self.trace) else 0

    @property
    def recognized(self) -> bool:
        return bool(self.trees)

    def _start_symbol(self) -> str | None:
        return None

    def state_at(self, step: int) -> SearchState:
        step = self.clamp(step)
        return (
            SearchState.start(self._start_symbol()) if step == 0 else SearchState.after(self.trace[step - 1])
        )


def _finished(parses: int) -> str:
    if not parses:
        return "No choice point is left: the search is over, and the sentence has no parse."
    return (
        f"No choice point is left: the search is over with {parses} parse{'s' * (parses != 1)}"
        " (the first is shown)."
    )


def node_at(tree: Tree, path: Path) -> Tree | str:
    """The node at ``path`` (child indices from the root)."""
    node: Tree | str = tree
    for index in path:
        assert isinstance(node, Tree)
        node = node.children[index]
    return node


def replace_node(tree: Tree, path: Path, new: Tree) -> Tree:
    """A copy of ``tree`` with the node at ``path`` replaced by ``new``."""
    if not path:
        return new
    children = list(tree.children)
    child = children[path[0]]
    assert isinstance(child, Tree)
    children[path[0]] = replace_node(child, path[1:], new)
    return Tree(tree.label, tuple(children))


class _Counter:
    """Counts and steps of one search, and the step limit."""

    def __init__(self, words: int) -> None:
        self.events: list[SearchStep] = []
        self.expansions = self.backtracks = self.found = 0
        self.words = words

    def step(
        self,
        kind: str,
        text: str,
        *,
        position: int,
        rule: Production | None = None,
        tree: Tree | None = None,
        frontier: tuple[Path, ...] = (),
        stack: tuple[Tree | str, ...] = (),
        choices: int = 0,
    ) -> None:
        """Log one move with the configuration after it (and the counts so far)."""
        if len(self.events) >= MAX_SEARCH_STEPS:
            raise ValueError(
                f"The search takes more than {MAX_SEARCH_STEPS:,} steps on these {self.words} words;"
                " try a shorter sentence (or the Earley chart, which never searches)."
            )
        self.events.append(
            SearchStep(
                kind,
                text,
                rule,
                tree,
                frontier,
                stack,
                position,
                choices,
                self.expansions,
                self.backtracks,
                self.found,
            )  # fmt: skip
        )


# -- recursive descent ---------------------------------------------------------------------------
DESCENT_PSEUDOCODE = (
    "function RECURSIVE-DESCENT(words, grammar) returns every parse tree",
    "  tree ← S alone; frontier ← [S]; choice points ← empty",
    "  loop:",
    "    if the frontier is empty and every word is matched: record tree   ▷ a parse",
    "    else if the first frontier symbol is a word:",
    "      if it is the next word: match it, drop it from the frontier",
    "      else: fail   ▷ back up",
    "    else: expand it by its first rule not yet tried; remember the others as a choice point",
    "    on failure (or after a parse): back up to the latest choice point with rules left",
    "  until no choice point is left",
    "  return the parses recorded",
)


@dataclass(frozen=True, eq=False)
class DescentResult(_Search):
    """Every parse found top-down, the trace of the search, and its work."""

    grammar: Grammar
    tokens: tuple[str, ...]
    trees: tuple[Tree, ...]
    trace: Trace[SearchStep]
    bounded: bool

    @property
    def expansions(self) -> int:
        return self.trace[-1].expansions if len(self.trace) else 0

    def _start_symbol(self) -> str | None:
        return self.grammar.start

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return DESCENT_PSEUDOCODE

    def line_at(self, step: int) -> int:
        event = self.event_at(step)
        marker = {
            "expand": "else: expand it",
            "match": "match it",
            "fail": "else: fail",
            "backtrack": "on failure",
            "found": "record tree",
            "done": "return the parses",
        }.get(event.kind if event is not None else "", "")
        return line_for_event(
            DESCENT_PSEUDOCODE, event, ((SearchStep, marker or "loop:"),), step, len(self.trace)
        )

    def watch_at(self, step: int) -> dict[str, str]:
        state = self.state_at(step)
        watch = {"next word": self.tokens[state.position] if state.position < len(self.tokens) else "(none)"}
        if state.tree is not None and state.frontier:
            node = node_at(state.tree, state.frontier[0])
            watch["first of frontier"] = node.label if isinstance(node, Tree) else repr(node)
        watch["expansions"], watch["backtracks"] = str(state.expansions), str(state.backtracks)
        return watch

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if event is None or event.kind != "expand" or event.rule is None:
            return None
        before = self.state_at(step - 1)
        if before.tree is None or not before.frontier or event.text.startswith("Back"):
            return None
        node = node_at(before.tree, before.frontier[0])
        if not isinstance(node, Tree):
            return None
        options = [str(p) for p in self.grammar.alternatives(node.label)]
        if len(options) < 2:
            return None
        return choice_question(
            f"The frontier starts with {node.label}. Which rule does the search expand it by next?",
            options,
            str(event.rule),
            event.text,
        )


def recursive_descent(grammar: Grammar, tokens: Sequence[str], bounded: bool = False) -> DescentResult:
    """Top-down, depth-first, left to right, every parse (SLP3's top-down search, NLTK's rdparser)."""
    words = check_tokens(grammar, tokens)
    refuse_unit_cycles(grammar, "recursive descent")
    if not bounded:
        rule = left_recursion(grammar)
        if rule is not None:
            where = f" (line {rule.line})" if rule.line else ""
            raise ValueError(
                f"{rule}{where} is left-recursive: recursive descent would expand {rule.lhs} forever;"
                " bound the search by the words left, or rewrite the rule."
            )
    n = len(words)
    log = _Counter(n)
    trees: list[Tree] = []
    tree: Tree = Tree(grammar.start, ())
    frontier: tuple[Path, ...] = ((),)
    position = 0
    choice_points: list[tuple[Tree, tuple[Path, ...], int, list[Production]]] = []

    def fits(rule: Production, frontier: tuple[Path, ...], position: int) -> bool:
        return not bounded or len(frontier) - 1 + len(rule.rhs) <= n - position

    def expand(
        rule: Production, tree: Tree, frontier: tuple[Path, ...], position: int, again: bool
    ) -> tuple[Tree, tuple[Path, ...]]:
        path = frontier[0]
        children = tuple(
            symbol if terminal else Tree(symbol, ())
            for symbol, terminal in zip(rule.rhs, rule.terminal, strict=True)
        )
        tree = replace_node(tree, path, Tree(rule.lhs, children))
        frontier = tuple((*path, k) for k in range(len(children))) + frontier[1:]
        log.expansions += 1
        left = sum(fits(r, frontier, position) for r in choice_points[-1][3]) if choice_points else 0
        how = "Back up and try" if again else "Expand"
        log.step(
            "expand",
            f"{how} {rule.lhs} by {rule} ({left} other rule(s) left to try here).",
            rule=rule,
            tree=tree,
            frontier=frontier,
            position=position,
            choices=left,
        )
        return tree, frontier

    def backtrack() -> tuple[Tree, tuple[Path, ...], int] | None:
        while choice_points:
            saved_tree, saved_frontier, saved_position, rules = choice_points[-1]
            rules[:] = [r for r in rules if fits(r, saved_frontier, saved_position)]
            if not rules:
                choice_points.pop()
                continue
            rule = rules.pop(0)
            log.backtracks += 1
            log.step(
                "backtrack",
                f"Back up to {rule.lhs} with {len(words) - saved_position} word(s) left.",
                tree=saved_tree,
                frontier=saved_frontier,
                position=saved_position,
                choices=len(rules) + 1,
            )
            new_tree, new_frontier = expand(rule, saved_tree, saved_frontier, saved_position, again=True)
            return new_tree, new_frontier, saved_position
        return None

    while True:
        failed = False
        if not frontier:
            if position == n:
                trees.append(tree)
                log.found += 1
                log.step(
                    "found",
                    f"Every word matched and nothing left to expand: parse {log.found} found.",
                    tree=tree,
                    position=position,
                )
            else:
                log.step(
                    "fail",
                    f"The tree is complete but {n - position} word(s) are left: back up.",
                    tree=tree,
                    position=position,
                )
            failed = True
        else:
            node = node_at(tree, frontier[0])
            if isinstance(node, str):
                if position < n and words[position] == node:
                    position += 1
                    frontier = frontier[1:]
                    log.step(
                        "match",
                        f"Match '{node}' with word {position} of the sentence.",
                        tree=tree,
                        frontier=frontier,
                        position=position,
                    )
                else:
                    next_word = f"'{words[position]}'" if position < n else "the end of the sentence"
                    log.step(
                        "fail",
                        f"'{node}' does not match {next_word}: back up.",
                        tree=tree,
                        frontier=frontier,
                        position=position,
                    )
                    failed = True
            else:
                rules = [r for r in grammar.alternatives(node.label) if fits(r, frontier, position)]
                if rules:
                    choice_points.append((tree, frontier, position, rules[1:]))
                    tree, frontier = expand(rules[0], tree, frontier, position, again=False)
                else:
                    log.step(
                        "fail",
                        f"No rule for {node.label} fits the {n - position} word(s) left: back up.",
                        tree=tree,
                        frontier=frontier,
                        position=position,
                    )
                    failed = True
        if failed:
            restored = backtrack()
            if restored is None:
                break
            tree, frontier, position = restored
    # The end shows the answer: the first parse (or where the search gave up), not the last dead end.
    log.step(
        "done",
        _finished(len(trees)),
        tree=trees[0] if trees else tree,
        frontier=() if trees else frontier,
        position=n if trees else position,
    )
    phases = [Phase("search", 0, len(log.events))]
    found = [k + 1 for k, e in enumerate(log.events) if e.kind == "found"]
    trace = Trace.from_events(log.events, phases, {"parse": found})
    return DescentResult(grammar, words, tuple(trees), trace, bounded)


# -- shift-reduce --------------------------------------------------------------------------------
REDUCE_PSEUDOCODE = (
    "function SHIFT-REDUCE(words, grammar) returns every parse tree",
    "  stack ← empty; input ← words; choice points ← empty",
    "  loop:",
    "    if input is empty and stack = [S]: record the tree   ▷ a parse",
    "    choices ← every rule whose right side is the top of the stack (reduce), then shift if input is left",
    "    if there is no choice: dead end   ▷ back up",
    "    else: take the first choice; remember the others as a choice point",
    "    on a dead end (or after a parse): back up to the latest choice point with choices left",
    "  until no choice point is left",
    "  return the parses recorded",
)


def _label(item: Tree | str) -> str:
    return item.label if isinstance(item, Tree) else item


def fits_top(rule: Production, stack: tuple[Tree | str, ...]) -> bool:
    """Whether the rule's right side is the top of the stack (words as words, categories as trees)."""
    size = len(rule.rhs)
    if size > len(stack):
        return False
    for item, symbol, terminal in zip(stack[-size:], rule.rhs, rule.terminal, strict=True):
        if terminal != isinstance(item, str) or _label(item) != symbol:
            return False
    return True


def show_stack(stack: tuple[Tree | str, ...]) -> str:
    """The stack as ``[VP NP PP]``."""
    return "[" + " ".join(_label(item) for item in stack) + "]"


@dataclass(frozen=True, eq=False)
class ShiftReduceResult(_Search):
    """Every parse found bottom-up, the trace of the search, and its work."""

    grammar: Grammar
    tokens: tuple[str, ...]
    trees: tuple[Tree, ...]
    trace: Trace[SearchStep]

    @property
    def shifts(self) -> int:
        return sum(e.kind == "shift" for e in self.trace)

    @property
    def reductions(self) -> int:
        return sum(e.kind == "reduce" for e in self.trace)

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return REDUCE_PSEUDOCODE

    def line_at(self, step: int) -> int:
        event = self.event_at(step)
        marker = {
            "shift": "else: take the first choice",
            "reduce": "else: take the first choice",
            "dead-end": "dead end",
            "backtrack": "on a dead end",
            "found": "record the tree",
            "done": "return the parses",
        }.get(event.kind if event is not None else "", "loop:")
        return line_for_event(REDUCE_PSEUDOCODE, event, ((SearchStep, marker),), step, len(self.trace))

    def watch_at(self, step: int) -> dict[str, str]:
        state = self.state_at(step)
        rest = " ".join(self.tokens[state.position :]) or "(empty)"
        return {"stack": show_stack(state.stack), "input": rest, "backtracks": str(state.backtracks)}

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if event is None or event.kind not in ("shift", "reduce"):
            return None
        before = self.state_at(step - 1)
        if before.kind in ("found", "dead-end"):
            return None  # the move after a back-up is not the first choice at that point
        options = [f"reduce by {p}" for p in self.grammar.productions if fits_top(p, before.stack)]
        if before.position < len(self.tokens):
            options.append(f"shift '{self.tokens[before.position]}'")
        if len(options) < 2:
            return None
        answer = (
            f"reduce by {event.rule}" if event.kind == "reduce" else f"shift '{self.tokens[before.position]}'"
        )
        return choice_question(
            f"Stack {show_stack(before.stack)}: what does the search try first?", options, answer, event.text
        )


def shift_reduce(grammar: Grammar, tokens: Sequence[str]) -> ShiftReduceResult:
    """Bottom-up, depth-first over every reduce and shift choice (reductions first, in rule order)."""
    words = check_tokens(grammar, tokens)
    refuse_unit_cycles(grammar, "shift-reduce")
    n = len(words)
    log = _Counter(n)
    trees: dict[Tree, None] = {}
    stack: tuple[Tree | str, ...] = ()
    position = 0
    choice_points: list[tuple[tuple[Tree | str, ...], int, list[Production | None]]] = []

    def choices(stack: tuple[Tree | str, ...], position: int) -> list[Production | None]:
        found: list[Production | None] = [p for p in grammar.productions if fits_top(p, stack)]
        return found + ([None] if position < n else [])  # None: shift

    def move(
        choice: Production | None, stack: tuple[Tree | str, ...], position: int, left: int
    ) -> tuple[tuple[Tree | str, ...], int]:
        if choice is None:
            word = words[position]
            stack, position = (*stack, word), position + 1
            log.step(
                "shift",
                f"Shift '{word}': stack {show_stack(stack)} ({left} other choice(s) here).",
                stack=stack,
                position=position,
                choices=left,
            )
        else:
            size = len(choice.rhs)
            built = Tree(choice.lhs, tuple(stack[-size:]))
            stack = (*stack[:-size], built)
            log.expansions += 1
            log.step(
                "reduce",
                f"Reduce by {choice}: stack {show_stack(stack)} ({left} other choice(s) here).",
                rule=choice,
                stack=stack,
                position=position,
                choices=left,
            )
        return stack, position

    while True:
        options = choices(stack, position)
        done = (
            position == n
            and len(stack) == 1
            and _label(stack[0]) == grammar.start
            and isinstance(stack[0], Tree)
        )
        if done:
            log.found += 1
            trees.setdefault(stack[0])  # type: ignore[arg-type]
            log.step(
                "found",
                f"No words left and the stack is [{grammar.start}]: parse {log.found} found.",
                stack=stack,
                position=position,
                choices=len(options),
            )
        if options and not done:
            choice_points.append((stack, position, options[1:]))
            stack, position = move(options[0], stack, position, len(options) - 1)
            continue
        if not options and not done:
            log.step(
                "dead-end",
                f"Dead end: no rule's right side tops {show_stack(stack)} and no word is left to shift.",
                stack=stack,
                position=position,
            )
        if done and options:  # a parse, and still reductions on top of S (S → S …): keep searching from here
            choice_points.append((stack, position, options))
        while choice_points and not choice_points[-1][2]:
            choice_points.pop()
        if not choice_points:
            break
        saved_stack, saved_position, rest = choice_points[-1]
        choice = rest.pop(0)
        log.backtracks += 1
        log.step(
            "backtrack",
            f"Back up to stack {show_stack(saved_stack)} with {n - saved_position} word(s) left.",
            stack=saved_stack,
            position=saved_position,
            choices=len(rest) + 1,
        )
        stack, position = move(choice, saved_stack, saved_position, len(rest))
    log.step(
        "done",
        _finished(len(trees)),
        stack=(next(iter(trees)),) if trees else stack,
        position=n if trees else position,
    )
    phases = [Phase("search", 0, len(log.events))]
    found = [k + 1 for k, e in enumerate(log.events) if e.kind == "found"]
    trace = Trace.from_events(log.events, phases, {"parse": found})
    return ShiftReduceResult(grammar, words, tuple(trees), trace)


def earley(grammar: Grammar, tokens: Sequence[str]) -> EarleyResult:
    """Earley's chart parser: predict, scan and complete, one state a step (see :mod:`algorithms.earley`)."""
    return earley_parse(grammar, tokens)
