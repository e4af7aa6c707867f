"""The parse-search pictures at a step (no Qt): the growing tree of recursive descent with its
frontier, the stack and input of shift-reduce, the columns of Earley's chart, and the work
each strategy does on the same sentence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from algorithms.earley import EarleyResult
from algorithms.manual_search import ManualSearch
from algorithms.parse_search import DescentResult, SearchState, ShiftReduceResult
from algorithms.trees import Tree
from visualizer.marks.neural import EdgeMark, NodeLinkFigure, NodeMark

__all__ = ["descent_figure", "stack_figure", "earley_columns", "Work", "work_lines"]

COLUMN = 112.0
LEVEL = 92.0


def _walk(tree: Tree | str, path: tuple[int, ...] = ()) -> Iterator[tuple[tuple[int, ...], Tree | str]]:
    stack: list[tuple[tuple[int, ...], Tree | str]] = [(path, tree)]
    while stack:
        here, node = stack.pop()
        yield here, node
        if isinstance(node, Tree):
            stack.extend(reversed([((*here, k), child) for k, child in enumerate(node.children)]))


def _place(
    tree: Tree | str, left: float, top: float
) -> tuple[dict[tuple[int, ...], tuple[float, float]], float]:
    """x, y of every node (leaves one column apart, parents over their children's middle), and the width."""
    places: dict[tuple[int, ...], tuple[float, float]] = {}
    leaves = [path for path, node in _walk(tree) if isinstance(node, str) or not node.children]
    for index, path in enumerate(leaves):
        places[path] = (left + index * COLUMN, top + len(path) * LEVEL)
    for path, _ in sorted(_walk(tree), key=lambda item: -len(item[0])):
        if path not in places:
            xs = [places[p][0] for p in places if len(p) == len(path) + 1 and p[: len(path)] == path]
            places[path] = (sum(xs) / len(xs), top + len(path) * LEVEL)
    return places, len(leaves) * COLUMN


def descent_figure(result: DescentResult | ManualSearch, step: int) -> NodeLinkFigure:
    """The partial tree: the first frontier symbol current, the rest of the frontier candidates,
    matched words done, words not reached yet faint; the edges of an expansion current."""
    state: SearchState = result.state_at(step)
    event = result.event_at(step)
    tree = state.tree or Tree(result.grammar.start, ())
    places, _ = _place(tree, 0.0, 0.0)
    frontier = set(state.frontier)
    head = state.frontier[0] if state.frontier else None
    figure = NodeLinkFigure(vertical=True)
    # After an expansion the frontier starts with the first new child: its parent was expanded.
    expanded = event is not None and event.kind == "expand" and head is not None
    new_parent = head[:-1] if expanded and head is not None else None
    for path, node in _walk(tree):
        x, y = places[path]
        if isinstance(node, str):
            matched = path not in frontier  # every word leaf off the frontier has been matched
            role = (
                "current" if path == head else "done" if matched else "candidate" if path in frontier else ""
            )
            figure.nodes.append(NodeMark(path, x, y, node, (), role, word=True))
        else:
            role = "current" if path == head else "candidate" if path in frontier else "done"
            figure.nodes.append(NodeMark(path, x, y, node.label, (), role))
        if path:
            parent = path[:-1]
            lit = parent == new_parent
            figure.edges.append(EdgeMark((parent, path), parent, path, None, "current" if lit else "muted"))
    return figure


def stack_figure(result: ShiftReduceResult | ManualSearch, step: int) -> NodeLinkFigure:
    """The stack's items as trees side by side (the top at the right, current), then the input."""
    state = result.state_at(step)
    figure = NodeLinkFigure(vertical=True)
    left = 0.0
    for index, item in enumerate(state.stack):
        places, width = _place(item, left, 0.0)
        top = index == len(state.stack) - 1
        for path, node in _walk(item):
            x, y = places[path]
            key = (index, path)
            title = node if isinstance(node, str) else node.label
            role = "current" if top and not path and state.kind in ("shift", "reduce") else "done"
            figure.nodes.append(NodeMark(key, x, y, title, (), role, word=isinstance(node, str)))
            if path:
                figure.edges.append(EdgeMark((key, "up"), (index, path[:-1]), key, None, "muted"))
        left += width + COLUMN * 0.25
    left += COLUMN * 0.75
    for offset, word in enumerate(result.tokens[state.position :]):
        role = "candidate" if offset == 0 else ""
        figure.nodes.append(
            NodeMark(("input", offset), left + offset * COLUMN, 0.0, word, (), role, word=True)
        )
    return figure


def earley_columns(result: EarleyResult, step: int) -> list[list[str]]:
    """Each column's states so far, numbered as added; ▶ marks the state this step adds."""
    state = result.state_at(step)
    event = result.event_at(step)
    numbers = {(e.column, e.item): e.number for e in result.trace[:step]}
    columns = []
    for i, items in enumerate(state.chart):
        word = f"  · {result.tokens[i - 1]}" if i else ""
        lines = [f"chart[{i}]{word}"]
        for item in items:
            mark = "▶" if event is not None and item == event.item and i == event.column else " "
            lines.append(f"{mark} S{numbers[(i, item)]:<3} {item}")
        columns.append(lines)
    return columns


@dataclass(frozen=True)
class Work:
    """Steps each strategy takes on one sentence (None: past the search's step limit)."""

    descent: tuple[int, int, int] | None  # steps, expansions, backtracks
    shift_reduce: tuple[int, int, int] | None  # steps, reductions, backtracks
    earley_states: int
    cky_steps: int
    parses: int


def work_lines(work: Work, words: int) -> list[str]:
    """The wasted-work table: the searches back up; the charts never do."""
    lines = [f"The same {words} words, {work.parses} parse{'s' * (work.parses != 1)}:"]
    if work.descent is None:
        lines.append("  recursive descent  over the step limit")
    else:
        steps, expansions, backtracks = work.descent
        lines.append(
            f"  recursive descent  {steps:>7,} steps {expansions:>6,} expansions {backtracks:>6,} backtracks"
        )
    if work.shift_reduce is None:
        lines.append("  shift-reduce       over the step limit")
    else:
        steps, reductions, backtracks = work.shift_reduce
        lines.append(
            f"  shift-reduce       {steps:>7,} steps {reductions:>6,} reductions {backtracks:>6,} backtracks"
        )
    lines.append(f"  Earley             {work.earley_states:>7,} states, no backtracking")
    lines.append(f"  CKY (on CNF)       {work.cky_steps:>7,} steps, no backtracking")
    return lines
