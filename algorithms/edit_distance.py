"""Minimum edit distance (SLP3 ch. 2) with a step-by-step trace.

``edit_distance`` fills the dynamic-programming table ``D`` where ``D[i, j]``
is the cheapest way to turn the first ``i`` source items into the first ``j``
target items, then backtraces one optimal alignment. Rows follow the source,
columns the target, as in the textbook figure.

The table is computed a row at a time with numpy. Deletion, substitution and
transposition only look at earlier rows; insertion chains along the row, and
``D[i, j] = min_k (X[k] + (j - k) * ins)`` turns that chain into one prefix
minimum (``np.minimum.accumulate``). The trace is lazy: it keeps the
candidate arrays and builds the event for a step only when asked, so a
500 x 500 grid (250,000 steps) is traced in milliseconds.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from algorithms.checks import real_number
from algorithms.quiz import Question, choice_question, number_question
from algorithms.trace import Phase, State, StepEvent, StepwiseResult, Trace, format_number, line_with

__all__ = [
    "edit_distance",
    "fast_edit_distance",
    "EditDistanceResult",
    "GridState",
    "InitCell",
    "FillCell",
    "BacktraceStep",
    "Candidate",
    "MAX_TRACED_ITEMS",
    "MAX_FAST_ITEMS",
    "OPERATIONS",
]

Items = str | Sequence[Hashable]

#: Largest source or target the traced engine (and the panel) accepts.
MAX_TRACED_ITEMS = 1000
#: Largest source or target the untraced fast path accepts.
MAX_FAST_ITEMS = 20000

#: Order of the candidate arrays; also the tie-break order of the backtrace
#: (diagonal first, so intention -> execution gives the textbook alignment).
OPERATIONS = ("sub", "del", "ins", "trans")
_SUB, _DEL, _INS, _TRANS = range(4)
_TIE_TOLERANCE = 1e-9
#: Largest cost accepted for one operation.
MAX_COST = 1e9


# --------------------------------------------------------------------------
# Step events
# --------------------------------------------------------------------------
def _quote(item: Hashable) -> str:
    return f"'{item}'"


@dataclass(frozen=True)
class Candidate:
    """One way to reach a cell: from ``origin`` with operation ``op``."""

    op: str  # "match", "sub", "del", "ins" or "trans"
    origin: tuple[int, int]
    previous: float
    cost: float

    @property
    def total(self) -> float:
        return self.previous + self.cost

    def term(self) -> str:
        i, j = self.origin
        return f"D[{i},{j}]+{format_number(self.cost)}"


@dataclass(frozen=True)
class InitCell(StepEvent):
    """A cell of the first row or column: only deletions or only insertions."""

    cell: tuple[int, int]
    value: float
    op: str | None  # "del" down the first column, "ins" along the first row
    item: Hashable | None
    cost: float

    def describe(self, style: str = "plain") -> str:
        i, j = self.cell
        if self.op is None:
            return "D[0,0] = 0  (empty prefix to empty prefix)"
        pi, pj = (i - 1, j) if self.op == "del" else (i, j - 1)
        verb = "delete" if self.op == "del" else "insert"
        return (
            f"D[{i},{j}] = D[{pi},{pj}] + {self.op}({_quote(self.item)}) = "
            f"{format_number(self.value - self.cost)} + {format_number(self.cost)} = "
            f"{format_number(self.value)}  ({verb} {_quote(self.item)})"
        )


@dataclass(frozen=True)
class FillCell(StepEvent):
    """An inner cell: the minimum over its candidates."""

    cell: tuple[int, int]
    source_item: Hashable
    target_item: Hashable
    candidates: tuple[Candidate, ...]
    value: float
    chosen: tuple[str, ...]  # the ops whose candidate equals the minimum

    def describe(self, style: str = "plain") -> str:
        i, j = self.cell
        terms = ", ".join(c.term() for c in self.candidates)
        totals = ", ".join(format_number(c.total) for c in self.candidates)
        reason = "; ".join(self._explain_choice(op) for op in self.chosen)
        return f"D[{i},{j}] = min({terms}) = min({totals}) = {format_number(self.value)}  ({reason})"

    def _explain_choice(self, op: str) -> str:
        if op == "trans":
            # A transposition at (i, j) means source[i-2:i] == reversed(target[j-2:j]).
            pair = (self.target_item, self.source_item)
            return _explain(op, pair, pair[::-1])
        return _explain(op, (self.source_item,), (self.target_item,))


@dataclass(frozen=True)
class BacktraceStep(StepEvent):
    """One move of the backtrace, from ``cell`` back to ``origin``."""

    cell: tuple[int, int]
    origin: tuple[int, int]
    op: str
    source_items: tuple[Hashable, ...]
    target_items: tuple[Hashable, ...]
    cost: float
    value: float
    total: float  # the distance, so the last step can say the alignment is complete

    def describe(self, style: str = "plain") -> str:
        i, j = self.cell
        oi, oj = self.origin
        what = _explain(self.op, self.source_items, self.target_items)
        text = (
            f"Backtrace: D[{i},{j}] = {format_number(self.value)} came from "
            f"D[{oi},{oj}] = {format_number(self.value - self.cost)}: {what} "
            f"(cost {format_number(self.cost)})"
        )
        if self.origin == (0, 0):
            text += f". Alignment complete: total cost {format_number(self.total)}."
        return text


def _explain(op: str, source_items: Sequence[Hashable], target_items: Sequence[Hashable]) -> str:
    """Plain words for one operation on the items it consumes."""
    if op == "match":
        return f"match {_quote(source_items[-1])}"
    if op == "sub":
        return f"substitute {_quote(source_items[-1])} → {_quote(target_items[-1])}"
    if op == "del":
        return f"delete {_quote(source_items[-1])}"
    if op == "ins":
        return f"insert {_quote(target_items[-1])}"
    return f"transpose {' '.join(map(_quote, source_items))} → {' '.join(map(_quote, target_items))}"


# --------------------------------------------------------------------------
# Result and random-access state
# --------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class GridState(State):
    """What the grid shows at one position of the trace."""

    filled: np.ndarray  # bool (n+1, m+1): cells computed so far
    current: tuple[int, int] | None  # the cell the last event touched
    path: tuple[tuple[int, int], ...]  # backtrace cells found so far, from (n, m)
    alignment_shown: int  # how many alignment columns (from the right) are revealed
    phase: str  # "start", "init", "fill", "backtrace" or "done"

    def then(self, event: StepEvent) -> GridState:
        """The state one event later: the fold that :meth:`EditDistanceResult.state_at` shortcuts."""
        if isinstance(event, InitCell | FillCell):
            filled = self.filled.copy()
            filled[event.cell] = True
            return GridState(filled, event.cell, (), 0, "init" if 0 in event.cell else "fill")
        if isinstance(event, BacktraceStep):
            path = (*(self.path or (event.cell,)), event.origin)
            phase = "done" if event.origin == (0, 0) else "backtrace"
            return GridState(self.filled, event.origin, path, _alignment_columns(path), phase)
        raise TypeError(f"an edit-distance grid does not change with {type(event).__name__}")


@dataclass(frozen=True, eq=False)
class EditDistanceResult(StepwiseResult[StepEvent, GridState]):
    """The answer, the full table and the trace of minimum edit distance.

    ``alignment`` is a list of ``(op, source_item, target_item)`` with ``op``
    in ``"match", "sub", "ins", "del", "trans"`` (``None`` for the missing
    side of an insertion or deletion). A transposition takes two consecutive
    ``"trans"`` entries, one per swapped item, and costs
    ``transposition_cost`` once for the pair.
    """

    source: tuple[Hashable, ...]
    target: tuple[Hashable, ...]
    distance: float
    table: np.ndarray
    alignment: list[tuple[str, Hashable | None, Hashable | None]]
    trace: Trace[StepEvent]
    candidates: np.ndarray  # (n+1, m+1, 4) totals per OPERATIONS, inf where impossible
    backpointers: np.ndarray  # (n+1, m+1, 4) bool: co-optimal moves per OPERATIONS
    filled_at: np.ndarray  # (n+1, m+1) int: index of the event that fills each cell
    path: tuple[tuple[int, int], ...]  # backtrace cells from (n, m) down to (0, 0)
    costs: dict[str, float]

    def locate(self, position: int) -> tuple[str, tuple[int, int] | None]:
        """The phase and the cell the last event touched at ``position``, in O(1)."""
        position = max(0, min(int(position), len(self.trace)))
        table_steps = self.filled_at.size
        if position == 0:
            return "start", None
        if position <= table_steps:
            current = _cell_of_event(position - 1, *self.table.shape)
            return ("init" if 0 in current else "fill"), current
        current = self.path[position - table_steps]
        return ("done" if position == len(self.trace) else "backtrace"), current

    def state_at(self, position: int) -> GridState:
        """The grid at ``position`` (0..len(trace)), in O(cells) numpy, no replay."""
        position = max(0, min(int(position), len(self.trace)))
        phase, current = self.locate(position)
        backtrace_done = max(0, position - self.filled_at.size)
        path = self.path[: backtrace_done + 1] if backtrace_done else ()
        return GridState(self.filled_at < position, current, path, _alignment_columns(path), phase)

    @property
    def pseudocode(self) -> tuple[str, ...]:
        """SLP3 Fig. 2.17's MIN-EDIT-DISTANCE (with the transposition term when it is on)."""
        if not self._transpositions:
            return ED_PSEUDOCODE
        substitute = ED_PSEUDOCODE[10].removesuffix(")") + ","
        transpose = "                   D[i-2,j-2] + trans-cost  (if source[i-1..i] = target[j..j-1]))"
        return (*ED_PSEUDOCODE[:10], substitute, transpose, *ED_PSEUDOCODE[11:])

    @property
    def _transpositions(self) -> bool:
        return bool(np.isfinite(self.candidates[..., OPERATIONS.index("trans")]).any())

    def line_at(self, step: int) -> int:
        """The line step ``step`` runs: a first-column or first-row cell, an inner cell, the backtrace."""
        event, code = self.event_at(step), self.pseudocode
        if isinstance(event, InitCell):
            marker = "D[0,0] ←" if event.op is None else "D[i,0] ←" if event.op == "del" else "D[0,j] ←"
        elif isinstance(event, FillCell):
            marker = "D[i,j] ← MIN"
        elif isinstance(event, BacktraceStep):
            marker = "return D[n,m]" if event.origin == (0, 0) else "backtrace"
        else:
            raise ValueError(f"step {step} is not in this trace (1 … {len(self.trace)})")
        return line_with(code, marker)

    def watch_at(self, step: int) -> dict[str, str]:
        """i, j, the two items and D[i,j]; during the backtrace, the cell and where it came from."""
        event = self.event_at(step)
        if isinstance(event, InitCell | FillCell):
            i, j = event.cell
            watch = {"i": str(i), "j": str(j)}
            if i:
                watch["source[i]"] = _quote(self.source[i - 1])
            if j:
                watch["target[j]"] = _quote(self.target[j - 1])
            return watch | {f"D[{i},{j}]": format_number(event.value)}
        if isinstance(event, BacktraceStep):
            (i, j), (oi, oj) = event.cell, event.origin
            return {"cell": f"D[{i},{j}]", "came from": f"D[{oi},{oj}]", "operation": event.op}
        return {}

    def question_at(self, step: int) -> Question | None:
        """A cell's value while filling; which neighbour a cell came from during the backtrace."""
        event = self.event_at(step)
        if isinstance(event, InitCell | FillCell) and event.cell != (0, 0):
            i, j = event.cell
            whole = all(float(cost).is_integer() for cost in self.costs.values())
            return number_question(
                f"D[{i},{j}] = ?", event.value, event.describe(), format_number(event.value), whole=whole
            )
        if isinstance(event, BacktraceStep):
            i, j = event.cell
            moves = [
                (op, origin)
                for op, origin in _moves_into(event.cell, len(self.source), len(self.target))
                if math.isfinite(self.candidates[i, j, OPERATIONS.index(op)])
            ]
            if len(moves) < 2:
                return None  # along the first row or column there is nothing to choose
            label = {op: f"D[{oi},{oj}]: {_OP_WORDS[op]}" for op, (oi, oj) in moves}
            best = [label[op] for op, _ in moves if self.backpointers[i, j, OPERATIONS.index(op)]]
            return choice_question(
                f"D[{i},{j}] = {format_number(event.value)}: which cell did it come from?",
                list(label.values()),
                label["sub" if event.op == "match" else event.op],
                event.describe(),
                accepted=best,
                hint=f"Which neighbour's value plus its move's cost is {format_number(event.value)}?",
            )
        return None

    def operation_counts(self) -> dict[str, int]:
        """How many of each operation the alignment uses (a transposition counts once)."""
        counts = {op: 0 for op in ("match", "sub", "ins", "del", "trans")}
        for op, _, _ in self.alignment:
            counts[op] += 1
        counts["trans"] //= 2
        return counts


#: SLP3 Fig. 2.17, in this project's words (a transposition line is added when it is on).
ED_PSEUDOCODE = (
    "function MIN-EDIT-DISTANCE(source, target) returns min-distance",
    "    n ← LENGTH(source); m ← LENGTH(target)",
    "    D[0,0] ← 0",
    "    for each row i from 1 to n do",
    "        D[i,0] ← D[i-1,0] + del-cost(source[i])",
    "    for each column j from 1 to m do",
    "        D[0,j] ← D[0,j-1] + ins-cost(target[j])",
    "    for each row i from 1 to n do",
    "        for each column j from 1 to m do",
    "            D[i,j] ← MIN(D[i-1,j] + del-cost(source[i]), D[i,j-1] + ins-cost(target[j]),",
    "                   D[i-1,j-1] + sub-cost(source[i], target[j]))",
    "    backtrace from D[n,m]: step to the cell whose value plus its move's cost gave the minimum",
    "    return D[n,m]",
)

#: The four neighbours a cell can come from, in OPERATIONS order, as a quiz names them.
_OP_WORDS = {
    "sub": "diagonal (match or substitute)",
    "del": "above (delete)",
    "ins": "left (insert)",
    "trans": "two back diagonally (transpose)",
}


def _moves_into(cell: tuple[int, int], n: int, m: int) -> list[tuple[str, tuple[int, int]]]:
    """The (operation, origin) pairs that can reach ``cell`` inside an (n+1) × (m+1) table."""
    i, j = cell
    moves = [("sub", (i - 1, j - 1)), ("del", (i - 1, j)), ("ins", (i, j - 1)), ("trans", (i - 2, j - 2))]
    return [(op, (a, b)) for op, (a, b) in moves if 0 <= a <= n and 0 <= b <= m]


def _cell_of_event(index: int, rows: int, columns: int) -> tuple[int, int]:
    """Inverse of :func:`_fill_order` for one event index."""
    n, m = rows - 1, columns - 1
    if index <= n:
        return (index, 0)
    if index <= n + m:
        return (0, index - n)
    i, j = divmod(index - (n + m + 1), m)
    return (i + 1, j + 1)


def _alignment_columns(path: Sequence[tuple[int, int]]) -> int:
    """Alignment entries covered by a backtrace prefix (a transposition covers two)."""
    columns = 0
    for (i, j), (oi, oj) in zip(path, path[1:], strict=False):
        columns += 2 if (i - oi, j - oj) == (2, 2) else 1
    return columns


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------
def _as_items(value: Items, role: str) -> tuple[Hashable, ...]:
    if isinstance(value, str):
        return tuple(value)
    try:
        items = tuple(value)
    except TypeError:
        raise ValueError(
            f"The {role} must be a string or a list of tokens, not {type(value).__name__}."
        ) from None
    for item in items:
        if not isinstance(item, Hashable):
            raise ValueError(f"The {role} contains {item!r}, which cannot be compared as a token.")
    return items


def _check_cost(name: str, value: object) -> float:
    # Bounded so that a whole path of costs (up to 40,000 steps) stays exact in a float: 1e308
    # overflowed to inf and left the backtrace with no way back (StopIteration).
    return real_number(f"The {name} cost", value, 0.0, MAX_COST)


def _check_size(items: tuple[Hashable, ...], role: str, limit: int) -> None:
    if len(items) > limit:
        raise ValueError(f"The {role} has {len(items):,} items; the limit is {limit:,} items per side.")


# --------------------------------------------------------------------------
# The dynamic program
# --------------------------------------------------------------------------
def _codes(source: tuple[Hashable, ...], target: tuple[Hashable, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Map items to integers so equality tests become numpy comparisons."""
    vocabulary: dict[Hashable, int] = {}
    s = np.array([vocabulary.setdefault(x, len(vocabulary)) for x in source], dtype=np.int64)
    t = np.array([vocabulary.setdefault(x, len(vocabulary)) for x in target], dtype=np.int64)
    return s, t


def _row_minimum(best_from_above: np.ndarray, insertion_cost: float) -> np.ndarray:
    """Resolve the insertion chain: ``D[j] = min(X[j], D[j-1] + ins)`` for all j at once."""
    offsets = np.arange(best_from_above.size, dtype=np.float64) * insertion_cost
    return np.minimum.accumulate(best_from_above - offsets) + offsets


def _fill_table(
    s: np.ndarray,
    t: np.ndarray,
    ins: float,
    dele: float,
    sub: float,
    trans: float | None,
    keep_candidates: bool,
) -> tuple[np.ndarray, np.ndarray | None]:
    n, m = s.size, t.size
    table = np.empty((n + 1, m + 1), dtype=np.float64)
    table[0] = np.arange(m + 1) * ins
    table[:, 0] = np.arange(n + 1) * dele
    candidates = np.full((n + 1, m + 1, 4), np.inf) if keep_candidates else None
    if trans is not None and m >= 2:
        # swappable[i, j]: s[i-1] == t[j-2] and s[i-2] == t[j-1]
        cross = s[:, None] == t[None, :]
        swappable = np.zeros((n + 1, m + 1), dtype=bool)
        swappable[2:, 2:] = cross[1:, :-1] & cross[:-1, 1:]
    for i in range(1, n + 1):
        above = table[i - 1]
        substitution = above[:-1] + np.where(t == s[i - 1], 0.0, sub)
        deletion = above[1:] + dele
        best = np.minimum(substitution, deletion)
        if trans is not None and i >= 2 and m >= 2:
            # transposition[j-1] concerns column j, which looks back at j-2
            transposition = np.concatenate(([np.inf], table[i - 2, :-2] + trans))
            transposition = np.where(swappable[i, 1:], transposition, np.inf)
            best = np.minimum(best, transposition)
        else:
            transposition = None
        row = _row_minimum(np.concatenate(([table[i, 0]], best)), ins)
        table[i, 1:] = row[1:]
        if candidates is not None:
            candidates[i, 1:, _SUB] = substitution
            candidates[i, 1:, _DEL] = deletion
            candidates[i, 1:, _INS] = row[:-1] + ins
            if transposition is not None:
                candidates[i, 1:, _TRANS] = transposition
    return table, candidates


def fast_edit_distance(
    source: Items,
    target: Items,
    insertion_cost: float = 1,
    deletion_cost: float = 1,
    substitution_cost: float = 1,
    transpositions: bool = False,
    transposition_cost: float = 1,
) -> float:
    """The distance alone, without a trace (for big inputs and benchmarks).

    Same arguments and answer as :func:`edit_distance`; accepts up to
    ``MAX_FAST_ITEMS`` items per side.
    """
    s_items, t_items = _as_items(source, "source"), _as_items(target, "target")
    _check_size(s_items, "source", MAX_FAST_ITEMS)
    _check_size(t_items, "target", MAX_FAST_ITEMS)
    costs = _checked_costs(
        insertion_cost, deletion_cost, substitution_cost, transposition_cost, transpositions
    )
    s, t = _codes(s_items, t_items)
    table, _ = _fill_table(
        s, t, costs["ins"], costs["del"], costs["sub"], costs["trans"] if transpositions else None, False
    )
    return float(table[-1, -1])


def _checked_costs(
    ins: object, dele: object, sub: object, trans: object, transpositions: object = False
) -> dict[str, float]:
    if not isinstance(transpositions, bool | np.bool_):
        raise ValueError(f"transpositions must be True or False; got {transpositions!r}.")
    return {
        "ins": _check_cost("insertion", ins),
        "del": _check_cost("deletion", dele),
        "sub": _check_cost("substitution", sub),
        "trans": _check_cost("transposition", trans),
    }


def edit_distance(
    source: Items,
    target: Items,
    insertion_cost: float = 1,
    deletion_cost: float = 1,
    substitution_cost: float = 1,
    transpositions: bool = False,
    transposition_cost: float = 1,
) -> EditDistanceResult:
    """Minimum edit distance from ``source`` to ``target`` with its trace.

    Strings are compared character by character; lists or tuples of tokens
    item by item. Costs are non-negative numbers (defaults: Levenshtein
    1/1/1; SLP3 uses substitution 2). With ``transpositions=True`` two
    adjacent items may swap for ``transposition_cost`` (restricted
    Damerau-Levenshtein, also called optimal string alignment).

    >>> edit_distance("intention", "execution", substitution_cost=2).distance
    8.0

    Raises ``ValueError`` (one sentence) for negative or non-numeric costs and
    for inputs longer than ``MAX_TRACED_ITEMS``.
    """
    s_items, t_items = _as_items(source, "source"), _as_items(target, "target")
    _check_size(s_items, "source", MAX_TRACED_ITEMS)
    _check_size(t_items, "target", MAX_TRACED_ITEMS)
    costs = _checked_costs(
        insertion_cost, deletion_cost, substitution_cost, transposition_cost, transpositions
    )
    s, t = _codes(s_items, t_items)
    trans = costs["trans"] if transpositions else None
    table, candidates = _fill_table(s, t, costs["ins"], costs["del"], costs["sub"], trans, True)
    assert candidates is not None
    n, m = len(s_items), len(t_items)
    # Ties within a hair of the minimum count as co-optimal: the row minimum
    # adds and subtracts offsets, so non-integer costs may differ by an ulp.
    tolerance = _TIE_TOLERANCE * np.maximum(1.0, np.abs(table))[..., None]
    backpointers = candidates <= table[..., None] + tolerance
    backpointers[0, 1:, _INS] = True
    backpointers[1:, 0, _DEL] = True
    path, alignment = _backtrace(s_items, t_items, s, t, backpointers)
    filled_at = _fill_order(n, m)
    trace = _build_trace(s_items, t_items, s, t, table, candidates, backpointers, filled_at, path, costs)
    return EditDistanceResult(
        source=s_items,
        target=t_items,
        distance=float(table[n, m]),
        table=table,
        alignment=alignment,
        trace=trace,
        candidates=candidates,
        backpointers=backpointers,
        filled_at=filled_at,
        path=path,
        costs=costs,
    )


def _fill_order(n: int, m: int) -> np.ndarray:
    """Event index that fills each cell: first column, first row, then row by row."""
    order = np.empty((n + 1, m + 1), dtype=np.int64)
    order[:, 0] = np.arange(n + 1)
    order[0, 1:] = n + np.arange(1, m + 1)
    order[1:, 1:] = (n + m + 1) + np.arange(n * m).reshape(n, m)
    return order


def _move(op_index: int) -> tuple[int, int]:
    return {_SUB: (1, 1), _DEL: (1, 0), _INS: (0, 1), _TRANS: (2, 2)}[op_index]


def _backtrace(
    s_items: tuple[Hashable, ...],
    t_items: tuple[Hashable, ...],
    s: np.ndarray,
    t: np.ndarray,
    backpointers: np.ndarray,
) -> tuple[tuple[tuple[int, int], ...], list[tuple[str, Hashable | None, Hashable | None]]]:
    i, j = len(s_items), len(t_items)
    path = [(i, j)]
    reversed_alignment: list[tuple[str, Hashable | None, Hashable | None]] = []
    while (i, j) != (0, 0):
        op_index = next(k for k in range(4) if backpointers[i, j, k])
        di, dj = _move(op_index)
        if op_index == _SUB:
            op = "match" if s[i - 1] == t[j - 1] else "sub"
            reversed_alignment.append((op, s_items[i - 1], t_items[j - 1]))
        elif op_index == _DEL:
            reversed_alignment.append(("del", s_items[i - 1], None))
        elif op_index == _INS:
            reversed_alignment.append(("ins", None, t_items[j - 1]))
        else:
            reversed_alignment.append(("trans", s_items[i - 1], t_items[j - 1]))
            reversed_alignment.append(("trans", s_items[i - 2], t_items[j - 2]))
        i, j = i - di, j - dj
        path.append((i, j))
    return tuple(path), list(reversed(reversed_alignment))


def _build_trace(
    s_items: tuple[Hashable, ...],
    t_items: tuple[Hashable, ...],
    s: np.ndarray,
    t: np.ndarray,
    table: np.ndarray,
    candidates: np.ndarray,
    backpointers: np.ndarray,
    filled_at: np.ndarray,
    path: tuple[tuple[int, int], ...],
    costs: dict[str, float],
) -> Trace[StepEvent]:
    n, m = len(s_items), len(t_items)
    init_steps = n + m + 1
    fill_steps = n * m
    table_steps = init_steps + fill_steps

    def init_event(index: int) -> InitCell:
        if index == 0:
            return InitCell((0, 0), 0.0, None, None, 0.0)
        if index <= n:
            return InitCell((index, 0), float(table[index, 0]), "del", s_items[index - 1], costs["del"])
        j = index - n
        return InitCell((0, j), float(table[0, j]), "ins", t_items[j - 1], costs["ins"])

    def fill_event(index: int) -> FillCell:
        i, j = divmod(index, m)
        i, j = i + 1, j + 1
        same = bool(s[i - 1] == t[j - 1])
        listed = [
            Candidate("del", (i - 1, j), float(table[i - 1, j]), costs["del"]),
            Candidate("ins", (i, j - 1), float(table[i, j - 1]), costs["ins"]),
            Candidate(
                "match" if same else "sub",
                (i - 1, j - 1),
                float(table[i - 1, j - 1]),
                0.0 if same else costs["sub"],
            ),
        ]
        if np.isfinite(candidates[i, j, _TRANS]):
            listed.append(Candidate("trans", (i - 2, j - 2), float(table[i - 2, j - 2]), costs["trans"]))
        chosen_ops = []
        for candidate in listed:
            op_index = {"del": _DEL, "ins": _INS, "trans": _TRANS}.get(candidate.op, _SUB)
            if backpointers[i, j, op_index]:
                chosen_ops.append(candidate.op)
        return FillCell(
            (i, j), s_items[i - 1], t_items[j - 1], tuple(listed), float(table[i, j]), tuple(chosen_ops)
        )

    def backtrace_event(index: int) -> BacktraceStep:
        (i, j), (oi, oj) = path[index], path[index + 1]
        move = (i - oi, j - oj)
        if move == (1, 1):
            op = "match" if s[i - 1] == t[j - 1] else "sub"
            cost = 0.0 if op == "match" else costs["sub"]
        elif move == (1, 0):
            op, cost = "del", costs["del"]
        elif move == (0, 1):
            op, cost = "ins", costs["ins"]
        else:
            op, cost = "trans", costs["trans"]
        return BacktraceStep(
            (i, j),
            (oi, oj),
            op,
            tuple(s_items[oi:i]),
            tuple(t_items[oj:j]),
            cost,
            float(table[i, j]),
            float(table[n, m]),
        )

    def event_at(index: int) -> StepEvent:
        if index < init_steps:
            return init_event(index)
        if index < table_steps:
            return fill_event(index - init_steps)
        return backtrace_event(index - table_steps)

    backtrace_steps = len(path) - 1
    phases = [
        Phase("init", 0, init_steps),
        Phase("fill", init_steps, table_steps),
        Phase("backtrace", table_steps, table_steps + backtrace_steps),
    ]
    rows = [init_steps + r * m for r in range(n + 1)] if m else []
    return Trace.lazy(table_steps + backtrace_steps, event_at, phases, {"row": rows})
