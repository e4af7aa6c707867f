"""Vector-semantics panel (SLP3 ch. 6): PPMI cell by cell, cosine, and skip-gram training.

*PPMI*: the term-context counts beside their PPMI, filled cell by cell with
the formula and its numbers in the narration; the row's nearest neighbours
and, at the end, the cosine of every pair of rows. The SLP3 counts for
cherry/strawberry/digital/information are built in; a corpus gives a
term-context matrix with a ±L window.

*SGNS*: skip-gram with negative sampling trained on the corpus (in a worker
thread when big); the trace scrubs through training snapshots. The plot
projects the most frequent words onto the two principal axes of the final
vectors; the example update's target, context and negatives are lit with
arrows (toward the context, away from the negatives) and the loss curve
marks where training is.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from algorithms.embeddings import (
    CountMatrix,
    PPMICell,
    SGNSResult,
    SGNSSnapshot,
    TfIdfCell,
    cosine,
    nearest,
    ppmi,
    ppmi_trace,
    term_context_matrix,
    term_document_matrix,
    tf_idf,
    tf_idf_trace,
    train_sgns,
    unit_rows,
)
from algorithms.trace import Trace, format_number
from visualizer.inputs import Fields
from visualizer.panels.base import Panel
from visualizer.panels.corpus import CorpusFileMixin, builtin_corpus, read_corpus_file
from visualizer.theme import LIGHT, Palette
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem, font
from visualizer.views.grid import GridItem, GridMarks
from visualizer.views.scatter import LineChartItem, ScatterArrow, ScatterItem, ScatterMarks

__all__ = ["EmbeddingsPanel", "SLP3_COUNTS"]

#: SLP3 Fig. 6.10: co-occurrence counts of four words with five contexts.
SLP3_COUNTS = CountMatrix(
    ["cherry", "strawberry", "digital", "information"],
    ["computer", "data", "result", "pie", "sugar"],
    np.array(
        [[2, 8, 9, 442, 25], [0, 0, 1, 60, 19], [1670, 1683, 85, 5, 4], [3325, 3982, 378, 5, 13]], float
    ),
)
_SOURCES = {
    "slp3-counts": "SLP3 counts (Fig. 6.10)",
    "restaurant": "Restaurant corpus",
    "slp3-toy": "SLP3 toy corpus",
    "shakespeare": "Shakespeare term-document counts (Fig. 6.2)",
}
_MODES = {"ppmi": "Counts → PPMI", "tfidf": "Term-document → tf-idf", "sgns": "Train skip-gram (SGNS)"}
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
LABELLED_POINTS = 40
#: Words drawn in the SGNS plot (the most frequent; their vectors are kept at every snapshot).
PLOTTED_WORDS = 2000


class EmbeddingsPanel(CorpusFileMixin, Panel):
    """Sparse and dense word vectors, step by step."""

    name = "embeddings"
    examples = (
        ("SLP3: PPMI of cherry, strawberry, digital, information", {"source": "slp3-counts", "mode": "ppmi"}),
        ("PPMI with context smoothing α = 0.75", {"source": "slp3-counts", "mode": "ppmi", "alpha": 0.75}),
        ("Restaurant corpus: term-context PPMI (window ±2)", {"source": "restaurant", "mode": "ppmi"}),
        (
            "Shakespeare: term-document counts → tf-idf (SLP3 Fig. 6.2)",
            {"source": "shakespeare", "mode": "tfidf"},
        ),
        ("Restaurant corpus: train SGNS", {"source": "restaurant", "mode": "sgns", "epochs": 60}),
    )

    def __init__(
        self,
        palette: Palette | None = None,
        parent: QWidget | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        self.matrix: CountMatrix | None = None
        self.sgns: SGNSResult | None = None
        self.trace: Trace | None = None
        self.shown_mode = "ppmi"
        self._rows: list[int] = []
        self._columns: list[int] = []
        self._ppmi_values: Any = None  # numpy array, or scipy.sparse for a corpus's PPMI
        self._unit_values: np.ndarray | None = None  # tf-idf rows of length 1, for nearest()
        self._counts_grid: GridItem | None = None
        self._ppmi_grid: GridItem | None = None
        self._cosine_grid: GridItem | None = None
        self._neighbours: TextBlockItem | None = None
        self._scatter: ScatterItem | None = None
        self._loss: LineChartItem | None = None
        self._projections: list[np.ndarray] = []
        self._caption: CaptionItem | None = None
        self._source = "slp3-counts"
        self._picked: str | None = None
        self._neighbour_cache: dict[tuple[int, str], list[tuple[str, float]]] = {}
        self._title = ""
        super().__init__(palette or LIGHT, parent)
        self.set_inputs(inputs if inputs is not None else dict(self.examples[0][1]))

    # -- the form -------------------------------------------------------------------------------
    def build_form(self) -> QWidget:
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(8, 6, 8, 2)
        self.example_box = self.build_example_box()
        self.source_box = QComboBox()
        for key, label in _SOURCES.items():
            self.source_box.addItem(label, key)
        self.source_box.addItem("Your text (below)", "text")
        self.corpus_edit = QPlainTextEdit()
        self.corpus_edit.setFont(font(13, mono=True))
        self.corpus_edit.setPlaceholderText("one sentence per line")
        self.corpus_edit.setMaximumHeight(100)
        self.open_button = QPushButton("Open corpus…")
        self.open_button.clicked.connect(self.open_corpus)
        self.mode_box = QComboBox()
        for key, label in _MODES.items():
            self.mode_box.addItem(label, key)
        self.words_edit = QLineEdit()
        self.words_edit.setPlaceholderText("rows to show (default: the most frequent words)")
        self.window_box = QSpinBox()
        self.window_box.setRange(1, 10)
        self.window_box.setPrefix("window ±")
        self.alpha_box = QDoubleSpinBox()
        self.alpha_box.setRange(0.05, 1.0)
        self.alpha_box.setSingleStep(0.05)
        self.alpha_box.setPrefix("α = ")
        self.alpha_box.setToolTip("Context smoothing: P_α(c) ∝ count(c)^α (0.75 is usual; 1 is plain PPMI)")
        self.epochs_box = QSpinBox()
        self.epochs_box.setRange(1, 500)
        self.epochs_box.setPrefix("epochs ")
        self.dim_box = QSpinBox()
        self.dim_box.setRange(2, 300)
        self.dim_box.setPrefix("dim ")
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 1_000_000)
        self.seed_box.setPrefix("seed ")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("find a word in the plot")
        grid.addWidget(self.example_box, 0, 0, 1, 2)
        grid.addWidget(self.source_box, 0, 2)
        grid.addWidget(self.mode_box, 0, 3)
        grid.addWidget(self.open_button, 0, 4)
        grid.addWidget(self.corpus_edit, 1, 0, 2, 3)
        grid.addWidget(self.words_edit, 1, 3, 1, 2)
        grid.addWidget(self.window_box, 1, 5)
        grid.addWidget(self.alpha_box, 1, 6)
        grid.addWidget(self.epochs_box, 2, 3)
        grid.addWidget(self.dim_box, 2, 4)
        grid.addWidget(self.seed_box, 2, 5)
        grid.addWidget(self.search_edit, 2, 6)
        grid.setColumnStretch(1, 2)
        self.corpus_edit.textChanged.connect(self._corpus_typed)
        self.source_box.activated.connect(lambda _: self._source_picked())
        self.mode_box.activated.connect(lambda _: self.run())
        self.words_edit.returnPressed.connect(self.run)
        self.search_edit.textEdited.connect(lambda _: self.show_step(self.model.current_step))
        for spin in (self.window_box, self.alpha_box, self.epochs_box, self.dim_box, self.seed_box):
            spin.valueChanged.connect(lambda _: self.schedule_run())
        return form

    _setting_inputs = False

    def _corpus_typed(self) -> None:
        if not self._setting_inputs:
            self._source = "text"
            self.source_box.setCurrentIndex(self.source_box.findData("text"))
            self.schedule_run()

    def _source_picked(self) -> None:
        key = str(self.source_box.currentData())
        self._source = key
        self._fill_corpus(key)
        self.run()

    def _fill_corpus(self, key: str) -> None:
        self._setting_inputs = True
        try:
            if key in ("restaurant", "slp3-toy"):
                self.corpus_edit.setPlainText(builtin_corpus(key))
            elif key == "slp3-counts":
                self.corpus_edit.setPlainText("")
        finally:
            self._setting_inputs = False

    # -- inputs -------------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return str(self.mode_box.currentData())

    def inputs(self) -> dict[str, Any]:
        return {
            "source": self._source if self._source != "text" else self.corpus_edit.toPlainText(),
            "mode": self.mode,
            "words": self.words_edit.text(),
            "window": self.window_box.value(),
            "alpha": self.alpha_box.value(),
            "epochs": self.epochs_box.value(),
            "dim": self.dim_box.value(),
            "seed": self.seed_box.value(),
        }

    def fill_form(self, values: dict[str, Any]) -> None:
        fields = Fields(values, "vector-semantics")
        source = fields.text("source", "slp3-counts")
        mode = fields.choice("mode", "ppmi", tuple(_MODES))
        words = fields.text("words", "")
        checked = {
            "window": fields.whole("window", 2, 1, self.window_box.maximum()),
            "epochs": fields.whole("epochs", 20, 1, self.epochs_box.maximum()),
            "dim": fields.whole("dim", 20, self.dim_box.minimum(), self.dim_box.maximum()),
            "seed": fields.whole("seed", 0, 0, self.seed_box.maximum()),
        }
        alpha = fields.number("alpha", 1.0, self.alpha_box.minimum(), self.alpha_box.maximum())
        self._source = source if source in _SOURCES else "text"
        self.source_box.setCurrentIndex(self.source_box.findData(self._source))
        if self._source == "text":
            self._setting_inputs = True
            try:
                self.corpus_edit.setPlainText(source)
            finally:
                self._setting_inputs = False
        else:
            self._fill_corpus(self._source)
        self.mode_box.setCurrentIndex(self.mode_box.findData(mode))
        self.words_edit.setText(words)
        for key, box in (
            ("window", self.window_box),
            ("epochs", self.epochs_box),
            ("dim", self.dim_box),
            ("seed", self.seed_box),
        ):
            box.blockSignals(True)
            box.setValue(checked[key])
            box.blockSignals(False)
        self.alpha_box.blockSignals(True)
        self.alpha_box.setValue(float(alpha))
        self.alpha_box.blockSignals(False)

    @classmethod
    def add_export_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--source",
            default="slp3-counts",
            help=f"{', '.join(_SOURCES)}, or a text / .conllu corpus file (default: slp3-counts)",
        )
        parser.add_argument("--mode", choices=tuple(_MODES), default="ppmi")
        parser.add_argument("--words", default="", help="rows to show, separated by spaces")
        parser.add_argument("--window", type=int, default=2)
        parser.add_argument("--alpha", type=float, default=1.0, help="PPMI context smoothing α")
        parser.add_argument("--epochs", type=int, default=20)
        parser.add_argument("--dim", type=int, default=20)
        parser.add_argument("--seed", type=int, default=0)

    @classmethod
    def inputs_from_arguments(cls, arguments: argparse.Namespace) -> dict[str, Any]:
        source = arguments.source
        if source not in _SOURCES:
            source = read_corpus_file(source)
        return {
            "source": source,
            "mode": arguments.mode,
            "words": arguments.words,
            "window": arguments.window,
            "alpha": arguments.alpha,
            "epochs": arguments.epochs,
            "dim": arguments.dim,
            "seed": arguments.seed,
        }

    def corpus_loaded(self) -> None:
        self._source = "text"
        self.source_box.setCurrentIndex(self.source_box.findData("text"))

    # -- computing --------------------------------------------------------------------------------------
    def _sentences(self) -> list[list[str]]:
        lines = [line.lower().split() for line in self.corpus_edit.toPlainText().splitlines() if line.strip()]
        return [[w for w in line if w not in ("<s>", "</s>")] for line in lines]

    def compute(self) -> None:
        self._picked = None
        self._neighbour_cache.clear()  # keyed by the identity of arrays that are about to be replaced
        if self.mode == "ppmi":
            self._compute_ppmi()
        elif self.mode == "tfidf":
            self._compute_tf_idf()
        else:
            self._compute_sgns()
        # What is drawn: rendering reads this, never the mode box, which may hold a refused choice.
        self.shown_mode = self.mode
        self._build_scene()
        self.model.set_trace(self.trace)

    def _compute_ppmi(self) -> None:
        sentences: list[list[str]] = []
        if self._source == "slp3-counts":
            matrix = SLP3_COUNTS
        else:
            sentences = self._sentences()
            if not sentences:
                raise ValueError("The corpus is empty: type or open some text, one sentence per line.")
            window = self.window_box.value()
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
        alpha = self.alpha_box.value()
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
            return weighted, unit_rows(weighted), _tf_idf_block_trace(full, rows, columns, weighted)

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
        options = {
            "dim": self.dim_box.value(),
            "window": self.window_box.value(),
            "epochs": self.epochs_box.value(),
            "seed": self.seed_box.value(),
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
        self._projections = _project(result)

    # -- the scene ----------------------------------------------------------------------------------------
    def _build_scene(self) -> None:
        palette = self.palette_roles
        self.scene.clear()
        self._caption = CaptionItem(palette)
        self.scene.addItem(self._caption)
        self._counts_grid = self._ppmi_grid = self._cosine_grid = None
        self._scatter = None
        self._loss = None
        if self.mode in ("ppmi", "tfidf"):
            self._build_ppmi_scene()
        else:
            self._build_sgns_scene()
        self.scene.setSceneRect(self.export_rect())

    def _heading(self, text: str, x: float, y: float) -> None:
        item = TextBlockItem(self.palette_roles, [text], pixels=15, bold=True)
        self.scene.addItem(item)
        item.setPos(x, y)

    def _build_ppmi_scene(self) -> None:
        matrix = self.matrix
        assert matrix is not None
        palette = self.palette_roles
        legend = LegendItem(
            palette, [("current", "the cell being weighted"), ("candidate", "its row and column")]
        )
        self.scene.addItem(legend)
        legend.setPos(0, 62)
        words = [matrix.words[i] for i in self._rows]
        contexts = [matrix.contexts[j] for j in self._columns]
        counts = np.array([[float(matrix.counts[i, j]) for j in self._columns] for i in self._rows])
        self._heading("Counts", 0, 100)
        corner = "term ╲ document" if self.mode == "tfidf" else "word ╲ context"
        self._counts_grid = GridItem(words, contexts, counts, palette, corner_label=corner)
        self.scene.addItem(self._counts_grid)
        self._counts_grid.setPos(0, 126)
        x = self._counts_grid.boundingRect().width() + 40
        alpha = self.alpha_box.value()
        if self.mode == "tfidf":
            self._heading("tf-idf = log10(count + 1) · log10(N / df)", x, 100)
        else:
            self._heading(f"PPMI (log2{', α = ' + format_number(alpha) if alpha != 1 else ''})", x, 100)
        assert self._ppmi_values is not None
        shown = _dense(self._ppmi_values[self._rows][:, self._columns])
        digits = 3 if self.mode == "tfidf" else 2
        self._ppmi_grid = GridItem(words, contexts, np.round(shown, digits), palette, corner_label=corner)
        self.scene.addItem(self._ppmi_grid)
        self._ppmi_grid.setPos(x, 126)
        y = 126 + self._counts_grid.boundingRect().height() + 40
        vectors = _dense(self._ppmi_values[self._rows])
        cosines = np.array([[cosine(a, b) for b in vectors] for a in vectors])
        weighting = "tf-idf" if self.mode == "tfidf" else "PPMI"
        self._heading(f"Cosine of the {weighting} rows (filled when the matrix is done)", 0, y)
        self._cosine_grid = GridItem(words, words, np.round(cosines, 3), palette, corner_label="cos")
        self.scene.addItem(self._cosine_grid)
        self._cosine_grid.setPos(0, y + 26)
        self._neighbours = TextBlockItem(palette, [""], pixels=15)
        self.scene.addItem(self._neighbours)
        self._neighbours.setPos(self._cosine_grid.boundingRect().width() + 40, y + 26)
        source = _SOURCES.get(self._source, "your corpus")
        if self.mode == "tfidf":
            self._title = f"tf-idf · {source}"
        else:
            window = "" if self._source == "slp3-counts" else f" · window ±{self.window_box.value()}"
            self._title = f"PPMI · {source}{window}"

    def _build_sgns_scene(self) -> None:
        result = self.sgns
        assert result is not None
        palette = self.palette_roles
        legend = LegendItem(
            palette,
            [
                ("current", "target w"),
                ("chosen", "context c (pulled closer)"),
                ("candidate", "negatives (pushed away)"),
            ],
        )
        self.scene.addItem(legend)
        legend.setPos(0, 62)
        self._scatter = ScatterItem(palette, result.tracked)
        self._scatter.set_limits(np.vstack(self._projections))
        self._scatter.clicked.connect(self._point_clicked)
        self.scene.addItem(self._scatter)
        self._scatter.setPos(0, 100)
        self._loss = LineChartItem(palette)
        self._loss.set_values(result.losses, "Loss per update (mean over the batch)")
        self.scene.addItem(self._loss)
        self._loss.setPos(self._scatter.boundingRect().width() + 20, 100)
        self._neighbours = TextBlockItem(palette, [""], pixels=15)
        self.scene.addItem(self._neighbours)
        self._neighbours.setPos(self._scatter.boundingRect().width() + 20, 400)
        self._title = (
            f"Skip-gram with negative sampling · {len(result.words):,} words, dim {result.vectors.shape[1]}, "
            f"{len(result.epoch_losses)} epochs"
        )

    # -- rendering ---------------------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        if self.trace is None or self._caption is None:
            return
        event = self.trace[step - 1] if step > 0 else None
        if self.shown_mode in ("ppmi", "tfidf"):
            self._show_ppmi(step, event)
        else:
            self._show_sgns(step, event)

    def _show_ppmi(self, step: int, event: Any) -> None:
        assert self._counts_grid is not None and self._ppmi_grid is not None and self._cosine_grid is not None
        rows, columns = len(self._rows), len(self._columns)
        filled = (np.arange(rows * columns) < step).reshape(rows, columns)
        count_marks, ppmi_marks = GridMarks(), GridMarks(filled=filled)
        if isinstance(event, PPMICell | TfIdfCell):
            cell = (event.row, event.column)
            for marks in (count_marks, ppmi_marks):
                marks.fills[cell] = "current"
                marks.outlines[cell] = "current"
                marks.row_header_role[event.row] = "candidate"
                marks.column_header_role[event.column] = "candidate"
            for j in range(columns):
                count_marks.fills.setdefault((event.row, j), "candidate")
            for i in range(rows):
                count_marks.fills.setdefault((i, event.column), "candidate")
        self._counts_grid.set_marks(count_marks)
        self._ppmi_grid.set_marks(ppmi_marks)
        done = step >= len(self.trace)
        self._cosine_grid.set_marks(GridMarks(filled=np.full((rows, rows), done)))
        matrix = self.matrix
        assert matrix is not None and self._neighbours is not None and self._ppmi_values is not None
        word = event.word if isinstance(event, PPMICell) else matrix.words[self._rows[0]]
        if isinstance(event, TfIdfCell):
            word = event.term
        key = (id(self._ppmi_values), word)
        if key not in self._neighbour_cache:  # scrubbing asks for the same row again and again
            self._neighbour_cache[key] = nearest(
                matrix.words, self._ppmi_values, word, 5, unit=self._unit_values
            )
        neighbours = self._neighbour_cache[key]
        weighting = "tf-idf" if self.shown_mode == "tfidf" else "PPMI"
        lines = [f"Nearest to '{word}' (cosine of {weighting} rows):"]
        lines += [f"  {other}  {similarity:.3f}" for other, similarity in neighbours]
        self._neighbours.set_lines(lines)
        self._caption.set_text(
            self._title, f"{rows} × {columns} cells · step {step} / {len(self.trace)} · row by row"
        )

    def _show_sgns(self, step: int, event: Any) -> None:
        result, scatter, loss = self.sgns, self._scatter, self._loss
        assert result is not None and scatter is not None and loss is not None
        snapshot = event if isinstance(event, SGNSSnapshot) else self.trace[0]
        position = step - 1 if step > 0 else 0
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
                        marks.arrows.append(
                            ScatterArrow(target, n, "candidate", dashed=True)
                        )  # n pushed away from w
        search = self.search_edit.text().strip().lower()
        for word, i in index.items():
            if search and search in word:
                marks.roles.setdefault(i, "final_path")
        if self._picked in index:
            marks.roles.setdefault(index[self._picked], "final_path")
        title = "2-D projection (principal axes of the final vectors)"
        scatter.set_points(self._projections[position], marks, title, key=position)
        loss.set_marker(snapshot.updates - 1 if snapshot.updates else None)
        picked = self._picked or (snapshot.target if snapshot.updates else result.tracked[0])
        assert self._neighbours is not None
        neighbours = self._neighbours_of(picked)
        lines = [f"Nearest to '{picked}' after training (cosine, centred):"]
        lines += [f"  {other}  {similarity:.3f}" for other, similarity in neighbours]
        self._neighbours.set_lines(lines)
        epoch_loss = ", ".join(f"{v:.3f}" for v in result.epoch_losses[:6])
        self._caption.set_text(
            self._title,
            f"epoch {snapshot.epoch}, update {snapshot.updates:,} · step {step} / {len(self.trace)} · "
            f"epoch losses {epoch_loss}{' …' if len(result.epoch_losses) > 6 else ''}",
        )

    def _neighbours_of(self, word: str) -> list[tuple[str, float]]:
        """The trained vectors' nearest words (centred), cached: scrubbing asks again and again."""
        result = self.sgns
        assert result is not None
        key = (id(result), word)
        if key not in self._neighbour_cache:
            centred = result.vectors - result.vectors.mean(axis=0)
            self._neighbour_cache[key] = nearest(result.words, centred, word, 8)
        return self._neighbour_cache[key]

    def _point_clicked(self, index: int) -> None:
        if self.sgns is not None:
            self._picked = self.sgns.tracked[index]
            self.show_step(self.model.current_step)

    def narration(self, step: int) -> tuple[str, str]:
        if self.trace is None:
            return ("", "")
        if step == 0:
            return ("Start", self.trace.narrate(0))
        event = self.trace[step - 1]
        if isinstance(event, PPMICell):
            return (
                f"Row '{event.word}', context '{event.context}' (count {format_number(event.count)})",
                event.describe(),
            )
        if isinstance(event, TfIdfCell):
            heading = f"Term '{event.term}' in '{event.document}' (count {format_number(event.count)})"
            return (heading, event.describe())
        return (f"Training, epoch {event.epoch}", event.describe())

    @property
    def scatter(self) -> ScatterItem | None:
        return self._scatter

    @property
    def grids(self) -> dict[str, GridItem]:
        found = {"counts": self._counts_grid, "ppmi": self._ppmi_grid, "cosine": self._cosine_grid}
        return {k: v for k, v in found.items() if v is not None}


def _dense(block: Any) -> np.ndarray:
    """A small block of a (possibly sparse) matrix as a dense array."""
    return block.toarray() if hasattr(block, "toarray") else np.asarray(block, dtype=float)


def _project(result: SGNSResult) -> list[np.ndarray]:
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


def _tf_idf_block_trace(
    full: CountMatrix, rows: list[int], columns: list[int], weighted: np.ndarray | None = None
) -> Trace:
    """tf-idf events for the shown block, with df and N from the whole matrix."""
    whole = tf_idf_trace(full, weighted)
    width = len(full.contexts)

    def event_at(index: int) -> TfIdfCell:
        r, c = divmod(index, len(columns))
        event = whole[rows[r] * width + columns[c]]
        return TfIdfCell(
            r, c, event.term, event.document, event.count, event.df, event.documents, event.value
        )

    size = len(rows) * len(columns)
    return Trace.lazy(size, event_at, levels={"row": [len(columns) * (r + 1) for r in range(len(rows))]})


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(EmbeddingsPanel)
