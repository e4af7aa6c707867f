"""What the search parsers and Earley check in a grammar and a sentence before they start:
unknown words, left recursion (fatal to a top-down search) and cycles of unit rules (fatal to
bottom-up reductions and to listing trees)."""

from __future__ import annotations

from collections.abc import Sequence

from algorithms.cfg import Grammar, Production

__all__ = ["check_tokens", "left_recursion", "unit_cycle", "refuse_unit_cycles"]


def check_tokens(grammar: Grammar, tokens: Sequence[str]) -> tuple[str, ...]:
    """The tokens as a tuple; ValueError listing the words the grammar does not have."""
    words = tuple(tokens)
    if not words:
        raise ValueError("There are no words to parse.")
    unknown = sorted({w for w in words if w not in grammar.words})
    if unknown:
        raise ValueError(f"The grammar has no rule for {', '.join(repr(w) for w in unknown)}.")
    return words


def _path_back(start: str, edges: dict[str, list[str]]) -> tuple[str, ...] | None:
    """Names ``start, …, start`` along ``edges``, depth-first with each name's first edge first; or None."""
    stack: list[tuple[str, tuple[str, ...]]] = [(b, (start, b)) for b in reversed(edges.get(start, []))]
    seen: set[str] = set()
    while stack:
        name, path = stack.pop()
        if name == start:
            return path
        if name not in seen:
            seen.add(name)
            stack.extend((b, (*path, b)) for b in reversed(edges.get(name, [])))
    return None


def left_recursion(grammar: Grammar) -> Production | None:
    """A rule through which some non-terminal can begin with itself (A → A … or via others), or None."""
    leftmost: dict[str, list[str]] = {}
    for p in grammar.productions:
        if p.rhs and not p.terminal[0]:
            leftmost.setdefault(p.lhs, []).append(p.rhs[0])
    for start in grammar.nonterminals:
        path = _path_back(start, leftmost)
        if path is not None:  # the rule the cycle leaves ``start`` by (the first such in the grammar)
            return next(p for p in grammar.alternatives(start) if not p.terminal[0] and p.rhs[0] == path[1])
    return None


def unit_cycle(grammar: Grammar) -> tuple[str, ...] | None:
    """Names A, B, …, A joined by unit rules A → B → … → A, or None."""
    units: dict[str, list[str]] = {}
    for p in grammar.productions:
        if len(p.rhs) == 1 and not p.terminal[0]:
            units.setdefault(p.lhs, []).append(p.rhs[0])
    for start in units:
        path = _path_back(start, units)
        if path is not None:
            return path
    return None


def refuse_unit_cycles(grammar: Grammar, parser: str) -> None:
    """ValueError naming the cycle if unit rules A → B → … → A exist."""
    cycle = unit_cycle(grammar)
    if cycle is not None:
        raise ValueError(
            f"The unit rules {' → '.join(cycle)} form a cycle, so {parser} could rewrite them forever;"
            " remove one of them."
        )
