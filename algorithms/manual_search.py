"""Choose the next operation yourself, as in NLTK's rdparser and srparser apps: the moves legal
in a configuration (every move with the reason an illegal one is not), and the search so far
replayed from the moves chosen, as a trace like the automatic searches'.

Top-down the moves are "expand by each rule of the first frontier symbol" and "match"; bottom-up
they are "reduce by each rule" and "shift". Undo is taking the last move off the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from algorithms.cfg import Grammar, Production
from algorithms.grammar_checks import check_tokens
from algorithms.parse_search import (
    DESCENT_PSEUDOCODE,
    REDUCE_PSEUDOCODE,
    SearchState,
    SearchStep,
    fits_top,
    node_at,
    replace_node,
    show_stack,
)
from algorithms.trace import Phase, StepwiseResult, Trace, line_for_event
from algorithms.trees import Tree

__all__ = ["Move", "ManualSearch", "manual_search", "MATCH", "SHIFT"]

MATCH, SHIFT = "match", "shift"


@dataclass(frozen=True)
class Move:
    """One move offered now: its name (``match``, ``shift`` or a rule), whether it is legal, and why not."""

    name: str
    legal: bool
    reason: str = ""


@dataclass(frozen=True, eq=False)
class ManualSearch(StepwiseResult[SearchStep, SearchState]):
    """The moves chosen so far, replayed; ``moves`` lists what may come next."""

    grammar: Grammar
    tokens: tuple[str, ...]
    strategy: str  # "descent" or "shift-reduce"
    trace: Trace[SearchStep]
    moves: tuple[Move, ...]
    done: bool  # a parse is complete

    def state_at(self, step: int) -> SearchState:
        step = self.clamp(step)
        if step == 0:
            return SearchState.start(self.grammar.start if self.strategy == "descent" else None)
        return SearchState.after(self.trace[step - 1])

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return DESCENT_PSEUDOCODE if self.strategy == "descent" else REDUCE_PSEUDOCODE

    def line_at(self, step: int) -> int:
        event = self.event_at(step)
        marker = {
            "expand": "else: expand it",
            "match": "match it",
            "shift": "else: take the first choice",
            "reduce": "else: take the first choice",
        }.get(event.kind if event else "", "loop:")
        return line_for_event(self.pseudocode, event, ((SearchStep, marker),), step, len(self.trace))


def _descent_moves(grammar: Grammar, words: tuple[str, ...], state: SearchState) -> list[Move]:
    if state.tree is None or not state.frontier:
        return []
    node = node_at(state.tree, state.frontier[0])
    n, position = len(words), state.position
    if isinstance(node, str):
        if position < n and words[position] == node:
            return [Move(MATCH, True)]
        next_word = f"the next word is '{words[position]}'" if position < n else "no words are left"
        return [Move(MATCH, False, f"'{node}' cannot be matched: {next_word}.")]
    moves = []
    for rule in grammar.alternatives(node.label):
        need = len(state.frontier) - 1 + len(rule.rhs)
        if need > n - position:
            moves.append(
                Move(str(rule), False, f"The frontier would need {need} words; {n - position} are left.")
            )
        else:
            moves.append(Move(str(rule), True))
    return moves


def _reduce_moves(grammar: Grammar, words: tuple[str, ...], state: SearchState) -> list[Move]:
    moves = []
    for rule in grammar.productions:
        if fits_top(rule, state.stack):
            moves.append(Move(str(rule), True))
        elif state.stack and not rule.is_lexical and rule.rhs[-1] == _top(state.stack):  # near misses only
            right = " ".join(rule.rhs)
            moves.append(
                Move(
                    str(rule),
                    False,
                    f"The top of the stack {show_stack(state.stack)} does not end with {right}.",
                )
            )
    if state.position < len(words):
        moves.append(Move(SHIFT, True))
    else:
        moves.append(Move(SHIFT, False, "No words are left to shift."))
    return moves


def _top(stack: tuple[Tree | str, ...]) -> str:
    item = stack[-1]
    return item.label if isinstance(item, Tree) else item


def manual_search(
    grammar: Grammar, tokens: Sequence[str], strategy: str, chosen: Sequence[str]
) -> ManualSearch:
    """Replay ``chosen`` moves (``match``, ``shift`` or a rule as ``str(rule)`` prints it).

    An illegal move is refused with ValueError saying why.
    """
    if strategy not in ("descent", "shift-reduce"):
        raise ValueError("Choosing moves yourself works for recursive descent and shift-reduce.")
    words = check_tokens(grammar, tokens)
    rules = {str(rule): rule for rule in grammar.productions}
    events: list[SearchStep] = []
    state = SearchState.start(grammar.start if strategy == "descent" else None)
    for number, name in enumerate(chosen, start=1):
        offered = (
            _descent_moves(grammar, words, state)
            if strategy == "descent"
            else _reduce_moves(grammar, words, state)
        )
        move = next((m for m in offered if m.name == name), None)
        if move is None or not move.legal:
            reason = move.reason if move is not None else _why_not(strategy, rules.get(name), name, state)
            raise ValueError(f"Move {number} ({name}) is not legal: {reason}")
        event = _apply(strategy, rules.get(name), words, state)
        events.append(event)
        state = SearchState.after(event)
    done = _complete(strategy, grammar, words, state)
    offered = (
        []
        if done
        else (
            _descent_moves(grammar, words, state)
            if strategy == "descent"
            else _reduce_moves(grammar, words, state)
        )
    )
    trace = Trace.from_events(events, [Phase("your moves", 0, len(events))])
    return ManualSearch(grammar, words, strategy, trace, tuple(offered), done)


def _why_not(strategy: str, rule: Production | None, name: str, state: SearchState) -> str:
    """Why a move that is not even offered cannot be made (a rule of another category, say)."""
    if rule is None:
        return f"'{name}' is not a move here."
    if strategy == "shift-reduce":
        return f"The top of the stack {show_stack(state.stack)} does not end with {' '.join(rule.rhs)}."
    head = node_at(state.tree, state.frontier[0]) if state.tree is not None and state.frontier else None
    shown = head.label if isinstance(head, Tree) else repr(head) if head is not None else "nothing"
    return f"The first symbol of the frontier is {shown}, not {rule.lhs}."


def _complete(strategy: str, grammar: Grammar, words: tuple[str, ...], state: SearchState) -> bool:
    if strategy == "descent":
        return not state.frontier and state.position == len(words)
    top = state.stack[0] if len(state.stack) == 1 else None
    return state.position == len(words) and isinstance(top, Tree) and top.label == grammar.start


def _apply(strategy: str, rule: Production | None, words: tuple[str, ...], state: SearchState) -> SearchStep:
    if strategy == "descent":
        assert state.tree is not None
        path = state.frontier[0]
        if rule is None:  # match
            text = f"You match '{words[state.position]}'."
            return SearchStep(
                "match",
                text,
                None,
                state.tree,
                state.frontier[1:],
                (),
                state.position + 1,
                0,
                state.expansions,
                0,
                0,
            )
        children = tuple(s if t else Tree(s, ()) for s, t in zip(rule.rhs, rule.terminal, strict=True))
        tree = replace_node(state.tree, path, Tree(rule.lhs, children))
        frontier = tuple((*path, k) for k in range(len(children))) + state.frontier[1:]
        return SearchStep(
            "expand",
            f"You expand {rule.lhs} by {rule}.",
            rule,
            tree,
            frontier,
            (),
            state.position,
            0,
            state.expansions + 1,
            0,
            0,
        )
    if rule is None:  # shift
        stack = (*state.stack, words[state.position])
        return SearchStep(
            "shift",
            f"You shift '{words[state.position]}': stack {show_stack(stack)}.",
            None,
            None,
            (),
            stack,
            state.position + 1,
            0,
            state.expansions,
            0,
            0,
        )
    size = len(rule.rhs)
    stack = (*state.stack[:-size], Tree(rule.lhs, tuple(state.stack[-size:])))
    return SearchStep(
        "reduce",
        f"You reduce by {rule}: stack {show_stack(stack)}.",
        rule,
        None,
        (),
        stack,
        state.position,
        0,
        state.expansions + 1,
        0,
        0,
    )
