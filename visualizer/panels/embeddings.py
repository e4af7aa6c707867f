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

from typing import Any

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QComboBox, QGridLayout, QLineEdit, QPlainTextEdit, QPushButton, QWidget

from algorithms.embeddings import (
    CountMatrix,
    PPMICell,
    SGNSResult,
    SGNSSnapshot,
    TfIdfCell,
    cosine,
    nearest,
)
from algorithms.trace import Trace, format_number
from visualizer.form import DeclaredForm
from visualizer.marks.embeddings import matrix_marks, sgns_marks
from visualizer.panels.base import Panel
from visualizer.panels.corpus import CorpusFileMixin, builtin_corpus
from visualizer.panels.embeddings_compute import (
    SLP3_COUNTS,
    SOURCES,
    EmbeddingsInputs,
    VectorsComputeMixin,
)
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem, font
from visualizer.views.grid import GridItem
from visualizer.views.scatter import LineChartItem, ScatterItem

__all__ = ["EmbeddingsPanel", "EmbeddingsInputs", "SLP3_COUNTS"]


class EmbeddingsPanel(VectorsComputeMixin, CorpusFileMixin, Panel):
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

    inputs_class = EmbeddingsInputs

    matrix: CountMatrix | None = None
    sgns: SGNSResult | None = None
    trace: Trace | None = None
    shown_mode = "ppmi"
    _rows: tuple[int, ...] | list[int] = ()
    _columns: tuple[int, ...] | list[int] = ()
    _ppmi_values: Any = None  # numpy array, or scipy.sparse for a corpus's PPMI
    _unit_values: np.ndarray | None = None  # tf-idf rows of length 1, for nearest()
    _counts_grid: GridItem | None = None
    _ppmi_grid: GridItem | None = None
    _cosine_grid: GridItem | None = None
    _neighbours: TextBlockItem | None = None
    _scatter: ScatterItem | None = None
    _loss: LineChartItem | None = None
    _projections: tuple[np.ndarray, ...] | list[np.ndarray] = ()
    _caption: CaptionItem | None = None
    _source = "slp3-counts"
    _picked: str | None = None
    _neighbour_cache: dict[tuple[int, str], list[tuple[str, float]]]  # (build_form)
    _title = ""
    computing: EmbeddingsInputs = EmbeddingsInputs()  # the inputs of what is drawn

    # -- the form -------------------------------------------------------------------------------
    def build_form(self) -> QWidget:
        self._neighbour_cache = {}
        self.example_box = self.build_example_box()
        self.source_box = QComboBox()
        for key, label in SOURCES.items():
            self.source_box.addItem(label, key)
        self.source_box.addItem("Your text (below)", "text")
        self.corpus_edit = QPlainTextEdit()
        self.corpus_edit.setFont(font(13, mono=True))
        self.corpus_edit.setPlaceholderText("one sentence per line")
        self.corpus_edit.setMaximumHeight(100)
        self.open_button = QPushButton("Open corpus…")
        self.open_button.clicked.connect(self.open_corpus)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("find a word in the plot")
        rows = [
            ["mode", "words"],
            ["window", "alpha", "epochs", "min_count"],
            ["dim", "seed", "subsample", self.search_edit],
        ]
        self.declared_form = DeclaredForm(EmbeddingsInputs, rows)
        widgets = self.declared_form.widgets
        self.mode_box, self.words_edit, self.window_box = widgets["mode"], widgets["words"], widgets["window"]
        self.alpha_edit, self.epochs_box = widgets["alpha"], widgets["epochs"]
        self.dim_box, self.seed_box = widgets["dim"], widgets["seed"]
        widgets["min_count"].setSpecialValueText("min count auto")  # 0: chosen from the corpus size
        # The source and its text on the left, the options beside them (as tall as the text).
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(8, 6, 0, 2)
        for column, widget in enumerate((self.example_box, self.source_box, self.open_button)):
            grid.addWidget(widget, 0, column)
        grid.addWidget(self.corpus_edit, 1, 0, 1, 3)
        grid.addWidget(self.declared_form, 0, 3, 2, 1)
        grid.setColumnStretch(3, 2)
        self.corpus_edit.textChanged.connect(self._corpus_typed)
        self.source_box.activated.connect(lambda _: self._source_picked())
        self.declared_form.edited.connect(lambda now: self.run() if now else self.schedule_run())
        self.search_edit.textEdited.connect(lambda _: self.show_step(self.model.current_step))
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
        values = self.declared_form.values()
        values["source"] = self._source if self._source != "text" else self.corpus_edit.toPlainText()
        return values

    def form_filled(self, inputs: Any) -> None:
        """The source box names a built-in source, or "your text" with the text in the editor."""
        self._source = inputs.source if inputs.source in SOURCES else "text"
        self.source_box.setCurrentIndex(self.source_box.findData(self._source))
        if self._source == "text":
            self._setting_inputs = True
            try:
                self.corpus_edit.setPlainText(inputs.source)
            finally:
                self._setting_inputs = False
        else:
            self._fill_corpus(self._source)

    def corpus_loaded(self) -> None:
        self._source = "text"
        self.source_box.setCurrentIndex(self.source_box.findData("text"))

    # -- computing --------------------------------------------------------------------------------------
    def compute(self) -> None:
        # The form is read once, before anything is replaced: a refusal leaves the old scene whole.
        self.computing = self.form_inputs()
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

    def _heading(self, text: str, x: float, y: float) -> TextBlockItem:
        item = TextBlockItem(self.palette_roles, [text], pixels=15, bold=True)
        self.scene.addItem(item)
        item.setPos(x, y)
        return item

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
        counts_heading = self._heading("Counts", 0, 100)
        corner = "term ╲ document" if self.mode == "tfidf" else "word ╲ context"
        self._counts_grid = GridItem(words, contexts, counts, palette, corner_label=corner)
        self.scene.addItem(self._counts_grid)
        self._counts_grid.setPos(0, 126)
        x = self._counts_grid.boundingRect().width() + 40
        alpha = self.computing.alpha
        if self.mode == "tfidf":
            weights_heading = self._heading("tf-idf = log10(count + 1) · log10(N / df)", x, 100)
        else:
            weights_heading = self._heading(
                f"PPMI (log2{', α = ' + format_number(alpha) if alpha != 1 else ''})", x, 100
            )
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
        cosine_heading = self._heading(
            f"Cosine of the {weighting} rows (filled when the matrix is done)", 0, y
        )
        self._cosine_grid = GridItem(words, words, np.round(cosines, 3), palette, corner_label="cos")
        self.scene.addItem(self._cosine_grid)
        self._cosine_grid.setPos(0, y + 26)
        self._neighbours = TextBlockItem(palette, [""], pixels=15)
        self.scene.addItem(self._neighbours)
        self._neighbours.setPos(self._cosine_grid.boundingRect().width() + 40, y + 26)
        self.add_part("counts", counts_heading, self._counts_grid)
        self.add_part("weights", weights_heading, self._ppmi_grid)
        self.add_part("cosines", cosine_heading, self._cosine_grid, self._neighbours)
        source = SOURCES.get(self._source, "your corpus")
        if self.mode == "tfidf":
            self._title = f"tf-idf · {source}"
        else:
            window = "" if self._source == "slp3-counts" else f" · window ±{self.computing.window}"
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
        self._scatter = ScatterItem(palette, result.tracked, fit_each_frame=True)
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
        self.add_part("projection", legend, self._scatter)
        self.add_part("loss", self._loss, self._neighbours)
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
        count_marks, weight_marks, cosine_marks = matrix_marks(rows, columns, step, len(self.trace), event)
        self._counts_grid.set_marks(count_marks)
        self._ppmi_grid.set_marks(weight_marks)
        self._cosine_grid.set_marks(cosine_marks)
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
        if step < len(self.trace):  # no spoilers: the answer comes with the last cell
            lines.append(f"  appear when every cell is weighted ({len(self.trace) - step} to go)")
        else:
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
        marks = sgns_marks(result, snapshot, self.search_edit.text(), self._picked)
        title = "2-D projection (principal axes of the final vectors, fitted to this step's points)"
        scatter.set_points(self._projections[position], marks, title, key=position)
        loss.set_marker(snapshot.updates - 1 if snapshot.updates else None)
        picked = self._picked or (snapshot.target if snapshot.updates else result.tracked[0])
        assert self._neighbours is not None
        lines = [f"Nearest to '{picked}' after training (cosine, centred):"]
        finished = step == len(self.trace)
        if finished:
            lines += [f"  {other}  {similarity:.3f}" for other, similarity in self._neighbours_of(picked)]
        else:  # no spoilers: what training ends with is shown when it ends
            lines.append("  appear when training ends")
        self._neighbours.set_lines(lines)
        done = result.epoch_losses if finished else result.epoch_losses[: max(snapshot.epoch - 1, 0)]
        epoch_loss = ", ".join(f"{v:.3f}" for v in done[:6]) or "none finished yet"
        self._caption.set_text(
            self._title,
            f"epoch {snapshot.epoch}, update {snapshot.updates:,} · step {step} / {len(self.trace)} · "
            f"epoch losses {epoch_loss}{' …' if len(done) > 6 else ''}",
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

    def focus_rect(self, step: int) -> QRectF:
        """The cell being weighted, or the target and context points of the update."""
        if self.trace is None:
            return QRectF()
        event = self.trace[step - 1] if step > 0 else None
        grid = self._ppmi_grid
        if grid is not None:
            cell = (event.row, event.column) if isinstance(event, PPMICell | TfIdfCell) else (0, 0)
            return grid.mapRectToScene(grid.cell_rect(cell))
        scatter, result = self._scatter, self.sgns
        if scatter is None or result is None:
            return QRectF()
        if not isinstance(event, SGNSSnapshot) or not event.updates or event.target not in result.tracked:
            return scatter.sceneBoundingRect()
        words = (event.target, event.context)
        indices = [result.tracked.index(w) for w in words if w in result.tracked]
        focus = QRectF()
        for index in indices:  # each point with room for its label
            point = scatter.mapToScene(scatter.point_position(index))
            focus = focus.united(QRectF(point.x() - 24, point.y() - 24, 96, 48))
        return focus

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


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(EmbeddingsPanel)
