"""Chains of unit rules ``A -> B -> … -> C``: what CNF collapses and a parser must restore.

Removing unit productions (SLP3 §17.4.1, step 2) gives ``A`` every non-unit
expansion of each ``C`` it reaches. One CNF rule ``A -> γ`` can then stand for
several derivations of the grammar as written: ``A -> γ`` itself, ``A -> B ->
γ``, ``A -> B -> C -> γ`` … This module answers, for a pair (A, C):

* :meth:`UnitChains.paths` — every chain, lazily (for listing trees);
* :meth:`UnitChains.count` — how many chains (exact; ``math.inf`` through a cycle);
* :meth:`UnitChains.best` — the most probable chain (for Viterbi/probabilistic CKY,
  which must maximise over derivations, never sum).

The summed closure ``(I − U)⁻¹`` that the inside algorithm needs stays in the
CNF rules' own probabilities; see :meth:`algorithms.cfg.Grammar.to_cnf`.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator

import numpy as np

__all__ = ["UnitChains"]


class UnitChains:
    """The unit rules of a grammar as a graph: ``edges[A]`` lists (B, P(A -> B))."""

    def __init__(self, units: Iterable[tuple[str, str, float]]) -> None:
        self.edges: dict[str, list[tuple[str, float]]] = {}
        names: dict[str, None] = {}
        for lhs, rhs, probability in units:
            self.edges.setdefault(lhs, []).append((rhs, probability))
            names.update(dict.fromkeys((lhs, rhs)))
        self.names: tuple[str, ...] = tuple(names)
        self._index = {name: i for i, name in enumerate(self.names)}
        size = len(self.names)
        adjacency = np.zeros((size, size), dtype=bool)
        for lhs, targets in self.edges.items():
            for rhs, _ in targets:
                adjacency[self._index[lhs], self._index[rhs]] = True
        #: reach[a, b]: b can be reached from a by zero or more unit rules.
        self.reach = _transitive_closure(adjacency)
        # A name is on a cycle when it reaches itself in one or more steps.
        strict = (adjacency.astype(np.int64) @ self.reach.astype(np.int64)) > 0
        self.cyclic: np.ndarray = np.diag(strict).copy()
        self._counts: dict[str, dict[str, int]] = {}
        self._best: dict[str, tuple[dict[str, float], dict[str, str]]] = {}

    # -- questions about a pair ------------------------------------------------------------
    def reaches(self, a: str, b: str) -> bool:
        """True when ``a`` derives ``b`` by zero or more unit rules."""
        if a == b:
            return True
        ia, ib = self._index.get(a), self._index.get(b)
        return ia is not None and ib is not None and bool(self.reach[ia, ib])

    def reachable_from(self, a: str) -> frozenset[str]:
        """Every name ``a`` derives by zero or more unit rules (``a`` included)."""
        ia = self._index.get(a)
        if ia is None:
            return frozenset((a,))
        return frozenset(self.names[i] for i in np.flatnonzero(self.reach[ia]).tolist())

    def infinite(self, a: str, b: str) -> bool:
        """True when some chain from ``a`` to ``b`` passes through a cycle (so there are infinitely many)."""
        ia, ib = self._index.get(a), self._index.get(b)
        if ia is None or ib is None:
            return False
        return bool(np.any(self.reach[ia] & self.cyclic & self.reach[:, ib]))

    def cycle_through(self, a: str, b: str) -> tuple[str, ...]:
        """Names of a unit cycle met between ``a`` and ``b`` (empty when there is none), for messages."""
        ia, ib = self._index.get(a), self._index.get(b)
        if ia is None or ib is None:
            return ()
        on_way = self.reach[ia] & self.cyclic & self.reach[:, ib]
        if not on_way.any():
            return ()
        start = int(np.flatnonzero(on_way)[0])
        # The members of start's cycle: names it reaches that reach it back.
        members = np.flatnonzero(self.reach[start] & self.reach[:, start] & self.cyclic)
        return tuple(self.names[m] for m in members)

    def count(self, a: str, b: str) -> float:
        """How many chains lead from ``a`` to ``b`` (1 for a == b on no cycle); ``math.inf`` via a cycle."""
        if not self.reaches(a, b):
            return 0
        if self.infinite(a, b):
            return math.inf
        return self._counts_to(b)[a]

    def paths(self, a: str, b: str) -> Iterator[tuple[str, ...]]:
        """Every chain ``(a, …, b)``, depth first in rule order; ValueError when there are infinitely many."""
        if not self.reaches(a, b):
            return
        if self.infinite(a, b):
            raise ValueError(self.cycle_message(a, b))
        ib = self._index.get(b)
        stack: list[tuple[tuple[str, ...], int]] = [((a,), 0)]
        while stack:
            path, next_edge = stack.pop()
            here = path[-1]
            if next_edge == 0 and here == b:
                yield path
            targets = self.edges.get(here, ())
            if next_edge < len(targets):
                stack.append((path, next_edge + 1))
                target = targets[next_edge][0]
                if ib is not None and self.reach[self._index[target], ib]:
                    stack.append(((*path, target), 0))

    def best(self, a: str, b: str) -> tuple[float, tuple[str, ...]]:
        """(probability, chain) of the most probable chain from ``a`` to ``b``; (0, ()) when none.

        Every unit probability is at most 1, so a cycle never helps and the best
        chain is simple: Dijkstra on −log P from ``a``, computed once per ``a``.
        """
        if a == b:
            return 1.0, (a,)
        if not self.reaches(a, b):
            return 0.0, ()
        cost, parent = self._best_from(a)
        if b not in cost:
            return 0.0, ()
        chain = [b]
        while chain[-1] != a:
            chain.append(parent[chain[-1]])
        return math.exp(-cost[b]), tuple(reversed(chain))

    def cycle_message(self, a: str, b: str) -> str:
        """One sentence saying why (a, b) has infinitely many chains."""
        members = self.cycle_through(a, b) or (a,)
        loop = " -> ".join((*members, members[0]))
        return (
            f"The unit rules {loop} form a cycle, so this sentence has infinitely many parse trees; "
            "remove one of those rules to count and list them."
        )

    # -- the work, done once per target or source --------------------------------------------
    def _counts_to(self, b: str) -> dict[str, int]:
        """{a: number of chains a ⇒* b} for every a reaching b on no cycle (iterative, any depth)."""
        cached = self._counts.get(b)
        if cached is not None:
            return cached
        counts: dict[str, int] = {b: 1}
        ib = self._index.get(b)
        if ib is not None:
            # Names that reach b without a cycle form a DAG; count them in reverse topological order.
            members = [
                self.names[i]
                for i in np.flatnonzero(self.reach[:, ib] & ~self._reaches_cycle_before(ib)).tolist()
            ]
            for name in _topological_from_leaves(members, self.edges):
                if name == b:
                    continue
                counts[name] = sum(counts.get(target, 0) for target, _ in self.edges.get(name, ()))
        self._counts[b] = counts
        return counts

    def _reaches_cycle_before(self, ib: int) -> np.ndarray:
        """For every name: it reaches a cyclic name that reaches b (so its count is infinite)."""
        through = self.cyclic & self.reach[:, ib]
        reaches: np.ndarray = (self.reach.astype(np.int64) @ through.astype(np.int64)) > 0
        return reaches

    def _best_from(self, a: str) -> tuple[dict[str, float], dict[str, str]]:
        cached = self._best.get(a)
        if cached is not None:
            return cached
        cost: dict[str, float] = {a: 0.0}
        parent: dict[str, str] = {}
        done: set[str] = set()
        queue: list[tuple[float, int, str]] = [(0.0, 0, a)]
        order = 0
        while queue:
            here_cost, _, here = heapq.heappop(queue)
            if here in done:
                continue
            done.add(here)
            for target, probability in self.edges.get(here, ()):
                if probability <= 0.0:
                    continue
                new_cost = here_cost - math.log(probability)
                if new_cost < cost.get(target, math.inf):
                    cost[target] = new_cost
                    parent[target] = here
                    order += 1
                    heapq.heappush(queue, (new_cost, order, target))
        self._best[a] = (cost, parent)
        return cost, parent


def _transitive_closure(adjacency: np.ndarray) -> np.ndarray:
    """Reflexive-transitive closure by repeated squaring: O(n³ log n) in BLAS, not in Python."""
    size = adjacency.shape[0]
    reach: np.ndarray = np.eye(size, dtype=bool) | adjacency
    while True:
        as_int = reach.astype(np.float32)  # BLAS matmul; entries only need to be > 0
        grown = reach | ((as_int @ as_int) > 0)
        if np.array_equal(grown, reach):
            return reach
        reach = grown


def _topological_from_leaves(members: list[str], edges: dict[str, list[tuple[str, float]]]) -> list[str]:
    """``members`` ordered so every name comes after the members it points to (iterative DFS)."""
    inside = set(members)
    ordered: list[str] = []
    state: dict[str, int] = {}
    for root in members:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            name, position = stack.pop()
            targets = [t for t, _ in edges.get(name, ()) if t in inside]
            if position < len(targets):
                stack.append((name, position + 1))
                target = targets[position]
                if target not in state:
                    state[target] = 1
                    stack.append((target, 0))
            else:
                state[name] = 2
                ordered.append(name)
    return ordered
