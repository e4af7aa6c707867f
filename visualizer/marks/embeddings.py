"""The vectors picture at a step: the cell being weighted and its row and column, or an SGNS update."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from algorithms.embeddings import (
    CountMatrix,
    MatrixFill,
    PPMICell,
    SGNSResult,
    SGNSSnapshot,
    TfIdfCell,
    tf_idf_trace,
)
from algorithms.trace import StepEvent
from visualizer.views.marks import GridMarks, ScatterArrow, ScatterMarks

__all__ = ["matrix_marks", "sgns_marks", "project", "tf_idf_block", "LABELLED_POINTS"]

#: Points of the SGNS plot that carry their word (the most frequent ones).
LABELLED_POINTS = 40


def matrix_marks(
    rows: int, columns: int, step: int, total: int, event: StepEvent | None
) -> tuple[GridMarks, GridMarks, GridMarks]:
    """Counts, weights and cosine marks: the cell being weighted, its row and column, cosines at the end."""
    filled = (np.arange(rows * columns) < step).reshape(rows, columns)
    counts, weights = GridMarks(), GridMarks(filled=filled)
    if isinstance(event, PPMICell | TfIdfCell):
        cell = (event.row, event.column)
        for marks in (counts, weights):
            marks.fills[cell] = "current"
            marks.outlines[cell] = "current"
            marks.row_header_role[event.row] = "candidate"
            marks.column_header_role[event.column] = "candidate"
        for j in range(columns):
            counts.fills.setdefault((event.row, j), "candidate")
        for i in range(rows):
            counts.fills.setdefault((i, event.column), "candidate")
    return counts, weights, GridMarks(filled=np.full((rows, rows), step >= total))


def sgns_marks(
    result: SGNSResult, snapshot: SGNSSnapshot, search: str = "", picked: str | None = None
) -> ScatterMarks:
    """The target of the update, its context (pulled closer) and negatives (pushed away); found words."""
    marks = ScatterMarks(labelled=set(range(min(LABELLED_POINTS, len(result.tracked)))))
    index = {w: i for i, w in enumerate(result.tracked)}
    if snapshot.updates > 0:
        target = index.get(snapshot.target)
        if target is not None:
            marks.roles[target] = "current"
            context = index.get(snapshot.context)
            if context is not None and context != target:
                marks.roles[context] = "chosen"
                marks.arrows.append(ScatterArrow(target, context, "chosen"))
            for negative in snapshot.negatives:
                n = index.get(negative)
                if n is not None and n not in (target, context):
                    marks.roles.setdefault(n, "candidate")
                    marks.arrows.append(ScatterArrow(target, n, "candidate", dashed=True))  # pushed away
    search = search.strip().lower()
    for word, i in index.items():
        if search and search in word:
            marks.roles.setdefault(i, "final_path")
    if picked in index:
        marks.roles.setdefault(index[picked], "final_path")
    return marks


def project(result: SGNSResult) -> list[np.ndarray]:
    """Each snapshot's tracked vectors, centred, on the two principal axes of the final ones."""
    final = result.trace[-1].vectors.astype(float)
    final = final - final.mean(axis=0)
    _, _, axes = np.linalg.svd(final, full_matrices=False)
    basis = axes[:2].T
    if basis.shape[1] < 2:  # one-dimensional vectors: pad a zero axis
        basis = np.hstack((basis, np.zeros((basis.shape[0], 1))))
    projections = []
    for snapshot in result.trace:
        vectors = snapshot.vectors.astype(float)
        projections.append((vectors - vectors.mean(axis=0)) @ basis)
    return projections


def tf_idf_block(
    full: CountMatrix, rows: Sequence[int], columns: Sequence[int], weighted: np.ndarray | None = None
) -> MatrixFill[TfIdfCell]:
    """tf-idf events for the shown block, with df and N from the whole matrix (Stepwise, like the whole)."""
    whole = tf_idf_trace(full, weighted)
    width = len(full.contexts)

    def event_at(index: int) -> TfIdfCell:
        r, c = divmod(index, len(columns))
        event = whole[rows[r] * width + columns[c]]
        return TfIdfCell(
            r, c, event.term, event.document, event.count, event.df, event.documents, event.value
        )

    return MatrixFill(len(rows), len(columns), event_at)
