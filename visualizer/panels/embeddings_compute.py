"""The vectors panel's inputs and computations: built-in counts, the declared inputs, PPMI, tf-idf, SGNS.

:class:`VectorsComputeMixin` is mixed into :class:`visualizer.panels.embeddings.EmbeddingsPanel`:
it counts and weighs (in a worker when the corpus is big) and trains skip-gram, setting
``matrix``, ``trace`` and ``sgns`` for the panel to draw.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from algorithms.embeddings import (
    CountMatrix,
    ppmi,
    ppmi_trace,
    term_context_matrix,
    term_document_matrix,
    tf_idf,
    train_sgns,
    unit_rows,
)
from algorithms.trace import Trace
from visualizer.declared import Inputs, choice, custom, number, text, whole
from visualizer.marks.embeddings import project, tf_idf_block
from visualizer.panels.corpus import read_corpus_file

__all__ = ["EmbeddingsInputs", "VectorsComputeMixin", "SLP3_COUNTS", "SHAKESPEARE_COUNTS", "SOURCES", "MODES"]

#: SLP3 Fig. 6.10: co-occurrence counts of four words with five contexts.
SLP3_COUNTS = CountMatrix(
    ["cherry", "strawberry", "digital", "information"],
    ["computer", "data", "result", "pie", "sugar"],
    np.array(
        [[2, 8, 9, 442, 25], [0, 0, 1, 60, 19], [1670, 1683, 85, 5, 4], [3325, 3982, 378, 5, 13]], float
    ),
)
SOURCES = {
    "slp3-counts": "SLP3 counts (Fig. 6.10)",
    "restaurant": "Restaurant corpus",
    "slp3-toy": "SLP3 toy corpus",
    "shakespeare": "Shakespeare term-document counts (Fig. 6.2)",
}
MODES = {"ppmi": "Counts → PPMI", "tfidf": "Term-document → tf-idf", "sgns": "Train skip-gram (SGNS)"}
#: SLP3 Fig. 6.2: four words in four Shakespeare plays.
SHAKESPEARE_COUNTS = CountMatrix(
    ["battle", "good", "fool", "wit"],
    ["As You Like It", "Twelfth Night", "Julius Caesar", "Henry V"],
    np.array([[1, 0, 7, 13], [114, 80, 62, 89], [36, 58, 1, 4], [20, 15, 2, 3]], dtype=float),
)
#: Rows and columns of a corpus's PPMI view.
SHOWN_WORDS = 8
#: Above this many (pairs × epochs), training runs in a worker thread with a progress dialog.
BACKGROUND_PAIRS = 400_000
_T = TypeVar("_T")
#: Corpora of more tokens (or matrices of more stored counts) are counted and weighted in a worker.
BACKGROUND_TOKENS = 20_000
#: The automatic minimum count (min count 0) on a corpus of AUTO_MIN_COUNT_TOKENS words or more.
#: On UD EWT dev (25,000 words) with every word kept, 47% of frequent content words' 5 nearest
#: neighbours were words seen once or twice (noise: "facts" -> "3-3264", a URL) and 37% shared the
#: word's part of speech; with 5 and 10 epochs, none and 42% (gensim on the same settings: 45%).
#: Subsampling (t = 1e-3) lowered it to 29% on a corpus this small, so it is offered, off by default.
#: benchmarks/bench_embeddings.py measures all of this.
AUTO_MIN_COUNT, AUTO_MIN_COUNT_TOKENS = 5, 10_000
#: Words drawn in the SGNS plot (the most frequent; their vectors are kept at every snapshot).
PLOTTED_WORDS = 2000


def _source(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f'The vector-semantics input "source" must be text; got {value!r}.'[:200])
    return value


@dataclass(frozen=True)
class EmbeddingsInputs(Inputs):
    """The counts or corpus (a built-in name or the text itself), the weighting or training, its numbers."""

    WHAT = "vector-semantics"
    source: str = custom(
        "Source", "slp3-counts", "the counts or corpus (a text or .conllu corpus file)", _source, "--source",
        tuple(SOURCES), read_corpus_file,
    )  # fmt: skip
    mode: str = choice("Mode", "ppmi", MODES, "What to compute from the source", "--mode")
    words: str = text(
        "Rows",
        "",
        "rows to show, separated by spaces",
        "--words",
        "rows to show (default: the most frequent words)",
    )
    window: int = whole("window ±", 2, "the co-occurrence window", "--window", 1, 10)
    alpha: float = number(
        "α =",
        1.0,
        "Context smoothing: P_α(c) ∝ count(c)^α (0.75 is usual; 1 is plain PPMI)",
        "--alpha",
        0.05,
        1.0,
    )
    epochs: int = whole("epochs", 10, "passes over the corpus", "--epochs", 1, 500)
    min_count: int = whole(
        "min count",
        0,
        f"skip-gram leaves out words seen fewer times (auto: {AUTO_MIN_COUNT} on a corpus of "
        f"{AUTO_MIN_COUNT_TOKENS:,} words or more, else 1)",
        "--min-count",
        0,
        1000,
    )
    subsample: float = number(
        "subsample t =",
        0.0,
        "word2vec's subsampling: a word of frequency f is kept with probability (√(f/t) + 1)·t/f "
        "in each epoch (1e-3 is word2vec's default; 0 keeps every word)",
        "--subsample",
        0.0,
        0.1,
    )
    dim: int = whole("dim", 20, "the vectors' dimension", "--dim", 2, 300)
    seed: int = whole("seed", 0, "the training seed", "--seed", 0, 1_000_000)


def min_count_for(asked: int, tokens: int) -> int:
    """The minimum count skip-gram uses: ``asked``, or when it is 0 (auto) one that suits the corpus size."""
    if asked > 0:
        return asked
    return AUTO_MIN_COUNT if tokens >= AUTO_MIN_COUNT_TOKENS else 1


class VectorsComputeMixin:
    """Counting, weighting and training for the vectors panel (which owns the form and the scene)."""

    corpus_edit: Any
    words_edit: Any
    _source: str
    matrix: CountMatrix | None
    sgns: Any
    trace: Trace | None
    computing: EmbeddingsInputs  # the inputs being computed, read once from the form

    def _sentences(self) -> list[list[str]]:
        lines = [line.lower().split() for line in self.corpus_edit.toPlainText().splitlines() if line.strip()]
        return [[w for w in line if w not in ("<s>", "</s>")] for line in lines]

    def _compute_ppmi(self) -> None:
        sentences: list[list[str]] = []
        if self._source == "slp3-counts":
            matrix = SLP3_COUNTS
        else:
            sentences = self._sentences()
            if not sentences:
                raise ValueError("The corpus is empty: type or open some text, one sentence per line.")
            window = self.computing.window
            matrix = self._in_worker_if_big(
                "Counting the corpus…", sentences, lambda: term_context_matrix(sentences, window=window)
            )
        requested = self.words_edit.text().lower().split()
        missing = [w for w in requested if w not in matrix.words]
        if missing:
            raise ValueError(f"Not in the vocabulary: {', '.join(repr(w) for w in missing)}.")
        if requested:
            rows = [matrix.words.index(w) for w in requested]
        else:
            rows = list(range(min(SHOWN_WORDS, len(matrix.words))))
        if self._source == "slp3-counts":
            columns = list(range(len(matrix.contexts)))
        else:
            columns = list(range(min(SHOWN_WORDS, len(matrix.contexts))))
        alpha = self.computing.alpha
        weighted, trace = self._in_worker_if_big(
            "Weighting with PPMI…",
            sentences,
            lambda: (
                ppmi(matrix.counts, alpha=alpha),
                ppmi_trace(matrix, alpha=alpha, rows=rows, columns=columns),
            ),
        )
        self.matrix, self._rows, self._columns = matrix, rows, columns
        self._ppmi_values = weighted  # sparse for a big vocabulary: only the shown rows are made dense
        self._unit_values = None
        self.trace = trace
        self.sgns = None

    def _compute_tf_idf(self) -> None:
        """Term × document counts (Shakespeare's, or each line of the corpus as a document) → tf-idf."""
        sentences: list[list[str]] = []
        if self._source == "shakespeare":
            full = SHAKESPEARE_COUNTS
        elif self._source == "slp3-counts":
            raise ValueError("tf-idf weighs terms by documents: pick the Shakespeare counts or a corpus.")
        else:
            sentences = self._sentences()
            if not sentences:
                raise ValueError("The corpus is empty: type or open some text, one document per line.")
            lines = [" ".join(s) for s in sentences]
            full = self._in_worker_if_big(
                "Counting the documents…", sentences, lambda: term_document_matrix([[line] for line in lines])
            )
        requested = self.words_edit.text().lower().split()
        missing = [w for w in requested if w not in full.words]
        if missing:
            raise ValueError(f"Not in the vocabulary: {', '.join(repr(w) for w in missing)}.")
        rows = [full.words.index(w) for w in requested] or list(range(min(SHOWN_WORDS, len(full.words))))
        columns = list(range(min(SHOWN_WORDS, len(full.contexts))))

        # idf counts over every document, so the shown block is cut from the whole weighted matrix.
        def weigh() -> tuple[np.ndarray, np.ndarray, Trace]:
            weighted = tf_idf(full.counts)
            return weighted, unit_rows(weighted), tf_idf_block(full, rows, columns, weighted)

        weighted, unit, trace = self._in_worker_if_big("Weighting with tf-idf…", sentences, weigh)
        self.matrix, self._rows, self._columns = full, rows, columns
        self._ppmi_values, self._unit_values = weighted, unit
        self.trace = trace
        self.sgns = None

    def _in_worker_if_big(self, label: str, sentences: list[list[str]], work: Callable[[], _T]) -> _T:
        """``work()`` here for a small corpus; in a worker (progress dialog, Cancel) for a big one.

        Counting and weighting EWT's dev set (25,000 tokens) held the window for a second.
        """
        if sum(map(len, sentences)) < BACKGROUND_TOKENS:
            return work()
        from visualizer.background import run_in_background

        try:
            result: _T = run_in_background(self, label, lambda progress, cancelled: work())
        except InterruptedError:
            raise ValueError("Cancelled; the previous matrix is kept.") from None
        return result

    def _compute_sgns(self) -> None:
        if self._source == "slp3-counts":
            raise ValueError("Skip-gram trains on running text: pick a corpus (the SLP3 counts have none).")
        sentences = self._sentences()
        if not sentences:
            raise ValueError("The corpus is empty: type or open some text, one sentence per line.")
        inputs = self.computing
        options = {
            "dim": inputs.dim,
            "window": inputs.window,
            "epochs": inputs.epochs,
            "seed": inputs.seed,
            "min_count": min_count_for(inputs.min_count, sum(len(s) for s in sentences)),
            "subsample": inputs.subsample,
            "negatives": 5,
            "track": PLOTTED_WORDS,
            "learning_rate": 0.05,
            "batch_size": 64,
        }
        pairs = sum(max(len(s) - 1, 0) for s in sentences) * 2 * options["window"]
        if pairs * options["epochs"] < BACKGROUND_PAIRS:
            result = train_sgns(sentences, **options)
        else:
            from visualizer.background import run_in_background

            options["batch_size"] = 512
            try:
                result = run_in_background(
                    self,
                    "Training skip-gram…",
                    lambda progress, cancelled: train_sgns(
                        sentences, **options, progress=progress, cancelled=cancelled
                    ),
                )
            except InterruptedError:
                raise ValueError("Training was cancelled; the previous vectors are kept.") from None
        self.sgns, self.trace, self.matrix = result, result.trace, None
        self._projections = project(result)
