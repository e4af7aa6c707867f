"""The HMM picture at a step: the node being computed, its incoming terms, and π, A, B lit to match."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from algorithms.hmm import HMM, Termination, TrellisNode, TrellisResult, TrellisState, ViterbiResult
from algorithms.trace import StepEvent, format_number, format_probability
from visualizer.views.marks import Edge, GridMarks, Node, TrellisMarks

__all__ = [
    "marks_for",
    "backpointer_edges",
    "faded_nodes",
    "symbol_columns",
    "result_line",
    "legend_entries",
    "LEGEND_SAMPLES",
    "FADE_RATIO",
]

#: Nodes this much smaller than their column's best are drawn quietly.
FADE_RATIO = 1e-4


def faded_nodes(result: TrellisResult) -> np.ndarray:
    """N × T: the nodes too small beside their column's best to be worth a reader's eye."""
    column_best = result.log_table.max(axis=0, keepdims=True)
    with np.errstate(invalid="ignore"):
        faded: np.ndarray = (result.log_table - column_best < math.log(FADE_RATIO)) | ~np.isfinite(
            result.log_table
        )
    return faded


def backpointer_edges(result: TrellisResult, faded: np.ndarray) -> list[tuple[Node, Edge]]:
    """Viterbi's backpointer of every node worth showing, built once; each step only filters them."""
    if not isinstance(result, ViterbiResult):
        return []
    n, t_count = result.log_table.shape
    return [
        ((j, t), Edge((j, t), (int(result.backpointers[j, t]), t - 1), "backpointer", 1.4, dashed=True))
        for t in range(1, t_count)
        for j in range(n)
        if not faded[j, t]
    ]


def symbol_columns(hmm: HMM, observations: Sequence[str], all_symbols_shown: bool) -> list[int]:
    """For each time, the column of B (as the table shows it) that holds that time's word."""
    if not all_symbols_shown:  # a tagger's B shows the sentence's own words, in first-seen order
        distinct = list(dict.fromkeys(observations))
        return [distinct.index(word) for word in observations]
    columns = []
    for word in observations:
        index = hmm.symbol_index(word)
        if index is None:
            index = hmm.symbol_index(word.lower())
        columns.append(index if index is not None else 0)
    return columns


def marks_for(
    result: TrellisResult,
    state: TrellisState,
    event: StepEvent | None,
    *,
    texts: np.ndarray,
    faded: np.ndarray,
    edges: Sequence[tuple[Node, Edge]],
    columns: Sequence[int],
    top_k: int,
    style: str,
    all_backpointers: bool = False,
) -> tuple[TrellisMarks, dict[str, GridMarks]]:
    """The trellis marks and the π, A and B table marks of ``state``, reached by ``event``.

    ``texts`` are the node values in ``style``; ``edges`` the backpointers from
    :func:`backpointer_edges`; ``columns`` from :func:`symbol_columns`; ``top_k`` how many
    incoming terms of the current node to draw (the strongest, and always the winner).
    Backpointers are drawn for the column being computed only (a 17-tag trellis drew
    hundreds of dashed lines), and the best path once found, unless ``all_backpointers``.
    """
    marks = TrellisMarks(
        texts=texts,
        filled=state.filled,
        faded=faded,
        unknown_columns={t for t, note in enumerate(result.notes) if note.startswith("unknown")},
    )
    tables = {key: GridMarks() for key in ("pi", "A", "B")}
    if isinstance(event, TrellisNode) and state.current is not None:
        _mark_node(marks, tables, event, state.current, columns, top_k, style)
    if isinstance(result, ViterbiResult):
        column = state.current[1] if state.current is not None else None
        if isinstance(event, Termination):  # "now follow the backpointers": the last column's
            column = len(result.observations) - 1
        marks.edges.extend(
            edge
            for node, edge in edges
            if state.filled[node] and node != marks.current and (all_backpointers or node[1] == column)
        )
        marks.path = dict(state.path)
        marks.tags = {t: result.hmm.states[s] for t, s in state.path}
        for t, s in state.path:
            if t + 1 in marks.path:
                marks.edges.append(Edge((marks.path[t + 1], t + 1), (s, t), "final_path", 4.0))
    if isinstance(event, Termination):
        last = len(result.observations) - 1 if result.kind != "backward" else 0
        marks.sources = {(i, last) for i in range(len(result.hmm.states))}
        if event.best_state is not None:
            marks.winner = (result.hmm.states.index(event.best_state), last)
    return marks, tables


def _mark_node(
    marks: TrellisMarks,
    tables: dict[str, GridMarks],
    event: TrellisNode,
    node: Node,
    columns: Sequence[int],
    top_k: int,
    style: str,
) -> None:
    j, t = node
    marks.current = node
    if event.kind != "backward":  # v and α multiply by the emission; β's is inside each term
        marks.factor = f"× P({event.symbol}|{event.state}) = {format_probability(event.log_emission, style)}"
    symbol_column = columns[t if event.kind != "backward" else min(t + 1, len(columns) - 1)]
    if not event.terms:
        if event.kind != "backward":
            for key, cell in (("pi", (j, 0)), ("B", (j, symbol_column))):
                tables[key].fills[cell] = "current"
                tables[key].outlines[cell] = "current"
        return
    order = sorted(range(len(event.terms)), key=lambda k: -event.terms[k].log_product)
    shown = order[:top_k]
    if event.best is not None and event.best not in shown:
        shown.append(event.best)
    top = event.terms[order[0]].log_product
    total = math.fsum(math.exp(term.log_product - top) for term in event.terms)
    source_time = t - 1 if event.kind != "backward" else t + 1
    for k in shown:
        term = event.terms[k]
        winner = k == event.best
        share = math.exp(term.log_product - top) / total if total else 0
        source = (k, source_time)
        marks.sources.add(source)
        if winner:
            marks.winner = source
        role = "chosen" if winner else "candidate"
        width = 3.5 if winner else (1.5 + 4 * share if event.kind != "viterbi" else 1.8)
        label = format_probability(term.log_product, style)
        marks.edges.append(Edge(source, node, role, width, dashed=False, label=label))
        a_cell = (k, j) if event.kind != "backward" else (j, k)
        tables["A"].fills[a_cell] = "candidate"
        if winner:
            tables["A"].outlines[a_cell] = "chosen"
        if event.kind == "backward":
            tables["B"].fills[(k, symbol_column)] = "candidate"
    if event.kind != "backward":
        tables["B"].fills[(j, symbol_column)] = "current"
        tables["B"].outlines[(j, symbol_column)] = "current"
    tables["A"].row_header_role = {j: "current"} if event.kind == "backward" else {}
    tables["A"].column_header_role = {} if event.kind == "backward" else {j: "current"}


#: How the legend draws the roles that are lines here.
LEGEND_SAMPLES = {"backpointer": "dashed", "final_path": "line"}


def legend_entries(kind: str) -> list[tuple[str, str]]:
    """The roles this algorithm draws: forward and backward have no max, backpointers or best path."""
    if kind == "viterbi":
        return [
            ("current", "current node"),
            ("candidate", "incoming term"),
            ("chosen", "max (Viterbi)"),
            ("backpointer", "backpointer"),
            ("final_path", "best path"),
        ]
    term = "term from t + 1" if kind == "backward" else "incoming term (width: its share of the sum)"
    return [("current", "current node"), ("candidate", term)]


def result_line(result: TrellisResult) -> str:
    """The answer, once the recursion has produced it: the best path and its P, or P(O)."""
    probability = format_probability(result.log_probability, "scientific")
    if isinstance(result, ViterbiResult):
        path = " ".join(result.path) if len(result.path) <= 12 else " ".join(result.path[:12]) + " …"
        return f"best path {path}, P = {probability} (ln {format_number(result.log_probability)})"
    return f"P(O) = {probability} (ln {format_number(result.log_probability)})"
