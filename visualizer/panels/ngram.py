"""Language-model panel (SLP3 ch. 3): counts, smoothing side by side, scoring, perplexity, sampling.

*Score a sentence*: one step per factor P(wᵢ | context), with the smoothing's
formula and numbers in the narration. The bigram count matrix (rows = the
previous word, as in SLP3's Berkeley Restaurant tables) and the probability
matrix light the cell in use; add-one and add-k also show the reconstituted
counts C*. Beside them, the same sentence under every smoothing (one row
each, the current factor's column lit, perplexity last), how much of the
current context's probability mass each smoothing leaves to seen and to
unseen words, and Kneser–Ney's continuation counts beside raw counts.

*Sample (Shannon)*: one step per draw; the next-word distribution as bars
with the sampled word outlined, until </s>.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from algorithms.ngram import BOS, EOS, SMOOTHINGS, NGramModel, PerplexityStep, SampleStep, ScoreStep
from algorithms.trace import Trace
from visualizer.form import DeclaredForm
from visualizer.marks.ngram import (
    LABELS,
    MAX_MATRIX_WORDS,
    SHORT_LABELS,
    NGramTables,
    comparison_marks,
    draw_rows,
    hidden_answers,
    legend_entries,
    mass_rows,
    matrix_marks,
    narration,
    result_line,
    sentence_text,
)
from visualizer.panels.base import Panel
from visualizer.panels.corpus import BUILTIN_CORPORA, CorpusFileMixin, builtin_corpus
from visualizer.panels.ngram_inputs import PARAMETER, NGramInputs
from visualizer.views.bars import BarRow, BarsItem
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem, font
from visualizer.views.grid import GridItem, GridMarks

__all__ = ["NGramPanel", "NGramInputs", "BUILTIN_CORPORA", "MAX_MATRIX_WORDS"]

#: Longest sentence the panel scores or samples.
MAX_SENTENCE_WORDS = 60


class NGramPanel(CorpusFileMixin, Panel):
    """N-gram counts, smoothing and perplexity, step by step."""

    name = "ngram"
    inputs_class = NGramInputs
    examples = (
        (
            "SLP3 toy corpus: P(<s> I am Sam </s>), bigram MLE",
            {"corpus": "slp3-toy", "sentence": "I am Sam", "order": 2, "smoothing": "mle"},
        ),
        (
            "An unseen bigram makes P = 0: 'Sam am'",
            {"corpus": "slp3-toy", "sentence": "I am Sam am", "order": 2, "smoothing": "mle"},
        ),
        (
            "Add-one fixes it (and reconstituted counts)",
            {"corpus": "slp3-toy", "sentence": "I am Sam am", "order": 2, "smoothing": "laplace"},
        ),
        (
            "Restaurant corpus, Kneser–Ney bigram",
            {
                "corpus": "restaurant",
                "sentence": "i want to eat chinese food",
                "order": 2,
                "smoothing": "kneser-ney",
            },
        ),
        (
            "Shannon sampling from the restaurant bigrams",
            {"corpus": "restaurant", "order": 2, "smoothing": "mle", "view": "sample", "seed": 4},
        ),
    )

    lm: NGramModel | None = None
    trace: Trace | None = None
    shown_view = "score"
    sample: tuple[str, ...] | list[str] = ()
    tables: NGramTables | None = None
    _mass_rows: dict[tuple[str, ...], list[BarRow]]  # by context, for scrubbing back (build_form)
    _counts: GridItem | None = None
    _probabilities: GridItem | None = None
    _reconstituted: GridItem | None = None
    _comparison: GridItem | None = None
    _continuation: GridItem | None = None
    _mass: BarsItem | None = None
    _draws: BarsItem | None = None
    _caption: CaptionItem | None = None
    _sentence_line: TextBlockItem | None = None
    _title = ""
    _corpus_name = "slp3-toy"

    # -- the form ------------------------------------------------------------------------
    def build_form(self) -> QWidget:
        self._mass_rows = {}
        self.example_box = self.build_example_box()
        self.open_button = QPushButton("Open corpus…")
        self.open_button.setToolTip("A text file (one sentence per line) or a CoNLL-U treebank")
        self.open_button.clicked.connect(self.open_corpus)
        self.corpus_info = QLabel()
        self.corpus_info.setWordWrap(True)
        fields = ["sentence", "view", "order", "smoothing", "k", "alpha", "discount", "lambdas"]
        self.declared_form = DeclaredForm(NGramInputs, [[self.example_box, *fields, "unk_threshold", "seed"]])
        widgets = self.declared_form.widgets
        self.corpus_edit, self.sentence_edit = widgets["corpus"], widgets["sentence"]
        self.view_box, self.order_box, self.smoothing_box = (
            widgets["view"],
            widgets["order"],
            widgets["smoothing"],
        )
        self.lambdas_edit, self.unk_box, self.seed_box = (
            widgets["lambdas"],
            widgets["unk_threshold"],
            widgets["seed"],
        )
        self.corpus_edit.setFont(font(13, mono=True))
        self.corpus_edit.setMaximumHeight(130)
        # One row of options over the corpus editor, with the corpus's size and Open beside it.
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(0, 0, 8, 2)
        grid.addWidget(self.declared_form, 0, 0, 1, 2)
        grid.addWidget(self.corpus_edit, 1, 0, 2, 1)
        grid.addWidget(self.open_button, 1, 1)
        grid.addWidget(self.corpus_info, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        self.corpus_edit.textChanged.connect(self._corpus_typed)
        self.declared_form.edited.connect(self._edited)
        return form

    def _corpus_typed(self) -> None:
        if not self._setting_inputs:
            self._corpus_name = ""

    def _edited(self, now: bool) -> None:
        self.form_filled(None)
        self.run() if now else self.schedule_run()

    def form_filled(self, inputs: Any) -> None:
        """A built-in corpus shows its text; only the smoothing's own number is shown."""
        if inputs is not None:
            self._corpus_name = inputs.corpus if inputs.corpus in BUILTIN_CORPORA else ""
            if self._corpus_name:
                self._setting_inputs = True
                try:
                    self.corpus_edit.setPlainText(builtin_corpus(inputs.corpus))
                finally:
                    self._setting_inputs = False
        smoothing = self.smoothing
        for name in ("k", "alpha", "discount"):
            self.declared_form.show_field(name, PARAMETER.get(smoothing) == name)
        self.declared_form.show_field("lambdas", smoothing == "interpolation")

    def corpus_loaded(self) -> None:
        self._corpus_name = ""

    # -- inputs -------------------------------------------------------------------------------
    @property
    def smoothing(self) -> str:
        return str(self.smoothing_box.currentData())

    @property
    def view_kind(self) -> str:
        return str(self.view_box.currentData())

    def inputs(self) -> dict[str, Any]:
        values = self.declared_form.values()
        if self._corpus_name:
            values["corpus"] = self._corpus_name
        return values

    # -- computing ------------------------------------------------------------------------------
    def compute(self) -> None:
        inputs = self.form_inputs()
        lines = [line for line in self.corpus_edit.toPlainText().splitlines() if line.strip()]
        if not lines:
            raise ValueError("The corpus is empty: type or open some text, one sentence per line.")
        options: dict[str, Any] = {"unk_threshold": inputs.unk_threshold}
        if inputs.smoothing in PARAMETER:
            options[PARAMETER[inputs.smoothing]] = getattr(inputs, PARAMETER[inputs.smoothing])
        elif inputs.smoothing == "interpolation" and inputs.lambdas.strip():
            try:
                options["lambdas"] = [float(x) for x in inputs.lambdas.replace(",", " ").split()]
            except ValueError:
                raise ValueError(
                    f"The λs must be numbers separated by spaces; got {inputs.lambdas!r}."
                ) from None
        lm = NGramModel(lines, order=inputs.order, smoothing=inputs.smoothing, **options)
        words = inputs.sentence.split()
        while words and words[0] == BOS:
            words.pop(0)
        while words and words[-1] == EOS:
            words.pop()
        if len(words) > MAX_SENTENCE_WORDS:
            raise ValueError(
                f"The sentence has {len(words)} words; this panel scores at most {MAX_SENTENCE_WORDS}."
            )
        if inputs.view == "score":
            if not words:
                raise ValueError("Type a sentence to score (for example: I am Sam).")
            self.result = lm.score(words)  # the Stepwise result: Predict asks its questions
            trace, self.sample = self.result.trace, []
        else:
            generated = self.result = lm.generate(seed=inputs.seed, max_length=MAX_SENTENCE_WORDS)
            trace = generated.trace
            self.sample = words = list(generated)
        self.lm, self.trace = lm, trace
        # What is drawn: rendering reads this, never the view box, which may hold a refused choice.
        self.shown_view = inputs.view
        models = {
            s: lm
            if s == lm.smoothing
            else NGramModel(lines, order=lm.order, smoothing=s, unk_threshold=inputs.unk_threshold)
            for s in SMOOTHINGS
        }  # the same corpus under every smoothing (the current one with its own settings)
        # The matrices are bigram tables; other orders show them from a bigram twin of the model.
        twin = {k: v for k, v in lm.settings().items() if k not in ("order", "lambdas")}
        bigram = lm if lm.order == 2 else None if lm.order == 1 else NGramModel(lm.sentences, order=2, **twin)
        self.tables = NGramTables(lm, bigram, [lm.map_word(w) for w in words], models)
        self.corpus_info.setText(
            f"{len(lm.sentences):,} sentences, {lm.token_count - len(lm.sentences):,} words, "
            f"V = {len(lm.vocabulary):,} (word types, </s>{', <UNK>' if lm.uses_unk else ''})"
        )
        self._build_scene()
        self.model.set_trace(trace)

    # -- the scene -------------------------------------------------------------------------------
    def _build_scene(self) -> None:
        lm, tables = self.lm, self.tables
        assert lm is not None and tables is not None
        palette = self.palette_roles
        self.scene.clear()
        self._caption = CaptionItem(palette)
        legend = LegendItem(palette, legend_entries(self.shown_view))
        self.scene.addItem(self._caption)
        self.scene.addItem(legend)
        legend.setPos(0, 62)
        self._mass_rows.clear()
        self._sentence_line = TextBlockItem(palette, [""], pixels=18, bold=True)
        self.scene.addItem(self._sentence_line)
        self._sentence_line.setPos(0, 100.0)
        y = 176.0  # room for the sentence line and the matrices' titles
        order_note = "" if lm.order == 2 else " (bigram level)"
        empty = np.zeros((len(tables.rows), len(tables.columns)))
        self._counts = self._matrix(tables.counts, f"Bigram counts C(wᵢ₋₁ wᵢ){order_note}", 0.0, y, "counts")
        x = self._counts.boundingRect().width() + 40
        title = f"P(wᵢ | wᵢ₋₁), {LABELS[lm.smoothing].lower()}{order_note}"
        self._probabilities = self._matrix(empty, title, x, y, "probabilities", texts=True)
        bottom = y + self._counts.boundingRect().height() + 36
        self._reconstituted = None
        if lm.smoothing in ("laplace", "add-k"):
            x += self._probabilities.boundingRect().width() + 40
            title = "Reconstituted counts C* = (C + k)·C(wᵢ₋₁) / (C(wᵢ₋₁) + kV)"
            self._reconstituted = self._matrix(empty, title, x, y, "reconstituted", texts=True)
        self._comparison = self._continuation = self._mass = self._draws = None
        if self.shown_view == "score":
            tables.score_comparison()
            tokens = [*tables.tokens, EOS, "log P", "PP"]
            title = "The same sentence under every smoothing: P of each factor, log P, perplexity"
            names = [SHORT_LABELS[s] for s in SMOOTHINGS]
            size = (self._column_width(tokens, 84.0), 40.0)  # whole words: "nostalgic", not "nos…"
            self._comparison = self._grid(
                title, names, tokens, tables.comparison, "P(wᵢ | …)", 0, bottom, "comparison", size
            )
            continuation = tables.continuation()
            if continuation is not None:
                title = "Kneser–Ney: raw count vs continuation count N1+(• w)"
                x = self._comparison.boundingRect().width() + 48
                self._continuation = self._grid(
                    title,
                    continuation[0],
                    ["C(w)", "N1+(• w)"],
                    continuation[1],
                    "w",
                    x,
                    bottom,
                    "continuation",
                )
            bottom += self._comparison.boundingRect().height() + 40
            self._mass = BarsItem(palette)
            self.scene.addItem(self._mass)
            self._mass.setPos(0, bottom)
            self.add_part("mass", self._mass)
        else:
            self._draws = BarsItem(palette, bar_width=360)
            self.scene.addItem(self._draws)
            self._draws.setPos(0, bottom)
            self.add_part("draws", self._draws)
        settings = f"n = {lm.order}, {LABELS[lm.smoothing]}"
        self._title = f"{'Scoring' if self.shown_view == 'score' else 'Sampling'} · {settings}"
        # Side by side the tables are 2,000-6,000 px wide, even on the toy corpus: each sheet shows a few.
        sheets = {
            "Counts and probabilities": (("counts",), ("probabilities",), ("reconstituted",)),
            "Smoothings compared": (("comparison", "continuation"),),
            "Unseen mass": (("mass",),),
            "Draws": (("draws",),),
        }
        self.sheets.define(sheets)

    def sheet_shown(self) -> None:
        # Room below for the bar chart, whose rows come and go with the steps.
        self.scene.setSceneRect(self.export_rect().adjusted(0, 0, 0, 400))
        # The sheet's main table keeps its headers in view when scrolled (only one table can).
        compared = self.sheets.current == "Smoothings compared"
        self.view.frozen_headers = self._comparison if compared else self._probabilities

    @staticmethod
    def _column_width(words: list[str], narrowest: float) -> float:
        """A column wide enough for its header word in the grid's 20 px bold (at most 170)."""
        from PySide6.QtGui import QFontMetricsF

        widest = max(QFontMetricsF(font(20, bold=True)).horizontalAdvance(w) for w in words) + 18
        return min(max(narrowest, widest), 170.0)

    def _matrix(
        self, values: np.ndarray, title: str, x: float, y: float, part: str, texts: bool = False
    ) -> GridItem:
        assert self.tables is not None
        columns = self.tables.columns
        size = (self._column_width(columns, 84.0), 40.0) if texts else None
        return self._grid(title, self.tables.rows, columns, values, "wᵢ₋₁ ╲ wᵢ", x, y, part, size)

    def _grid(
        self, title: str, rows: list[str], columns: list[str], values: np.ndarray, corner: str,
        x: float, y: float, part: str, size: tuple[float, float] | None = None,
    ) -> GridItem:  # fmt: skip
        """A titled table placed at (x, y), which an export can show alone as ``part``."""
        heading = TextBlockItem(self.palette_roles, [title], pixels=17, bold=True)
        self.scene.addItem(heading)
        heading.setPos(x, y - 26)
        grid = GridItem(
            rows, columns, values, self.palette_roles, corner_label=corner, cell_size=size, centre_text=True
        )
        self.scene.addItem(grid)
        grid.setPos(x, y)
        self.add_part(part, heading, grid)
        return grid

    # -- rendering --------------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        tables, trace = self.tables, self.trace
        if tables is None or trace is None or self._caption is None or self._counts is None:
            return
        event = trace[step - 1] if step > 0 else None
        hidden = hidden_answers(tables, trace, step) if self.predicting else None  # Predict: no answers
        count_marks, prob_marks, context = matrix_marks(tables, event, hidden)
        self._counts.set_marks(count_marks)
        self._probabilities.set_marks(prob_marks)
        if self._reconstituted is not None:
            reconstituted = tables.reconstituted
            marks = GridMarks(fills=dict(prob_marks.fills), outlines=dict(prob_marks.outlines))
            marks.texts = lambda c: [(reconstituted[c], "text")] if prob_marks.texts(c) else []
            self._reconstituted.set_marks(marks)
        if self._comparison is not None:
            self._comparison.set_marks(comparison_marks(tables, event, hidden))
        if self._mass is not None:
            if context is None:
                self._mass.set_rows("Step through the sentence to see where each smoothing puts the mass", [])
            else:
                # Each row sums a distribution over the whole vocabulary; scrubbing revisits contexts.
                if context not in self._mass_rows:
                    self._mass_rows[context] = mass_rows(tables, context)
                rows = self._mass_rows[context]
                given = " ".join(context) if context else "no context"
                title = f"P(· | {given}): mass kept by seen words (sky blue) and given to unseen ones (grey)"
                self._mass.set_rows(title, rows)
        if self._draws is not None:
            if isinstance(event, SampleStep):
                self._draws.set_rows(*draw_rows(event))
            else:
                self._draws.set_rows("Each draw shows its next-word distribution here", [])
        self._sentence_line.set_lines([sentence_text(self.shown_view, trace, step, tables.tokens)])
        phase = trace.phase_at(step)
        caption = result_line(self.shown_view, trace, step, tables.tokens, self.sample)
        self._caption.set_text(
            self._title,
            f"{caption}   ·   step {step} / {len(trace)}   ·   {phase.name if phase else 'start'}",
        )

    def focus_rect(self, step: int) -> QRectF:
        """The step's factor or draw on the sheet shown: its bigram cell, comparison cell or chart."""
        tables, trace = self.tables, self.trace
        if tables is None or trace is None or self._probabilities is None:
            return QRectF()
        event = trace[step - 1] if step > 0 else None
        found: list[QRectF] = []  # candidates, best first; the first on the sheet shown wins
        shown = [m for m in (self._probabilities, self._counts, self._reconstituted) if m and m.isVisible()]
        if isinstance(event, ScoreStep | SampleStep):
            previous = event.context[-1] if event.context else BOS
            if previous in tables.rows and event.word in tables.columns:
                cell = (tables.rows.index(previous), tables.columns.index(event.word))
                found += [m.mapRectToScene(m.cell_rect(cell)) for m in shown]
        comparison = self._comparison
        if (
            comparison is not None
            and comparison.isVisible()
            and isinstance(event, ScoreStep | PerplexityStep)
        ):
            row = SMOOTHINGS.index(tables.lm.smoothing)
            column = event.position - 1 if isinstance(event, ScoreStep) else len(tables.tokens) + 2
            found.append(comparison.mapRectToScene(comparison.cell_rect((row, column))))
        found += [c.sceneBoundingRect() for c in (self._draws, self._mass) if c is not None and c.isVisible()]
        found += [m.mapRectToScene(m.cell_rect((0, 0))) for m in shown]
        found.append(comparison.mapRectToScene(comparison.cell_rect((0, 0))) if comparison else QRectF())
        return found[0]

    def narration(self, step: int) -> tuple[str, str]:
        return ("", "") if self.trace is None else narration(self.trace, step)

    # -- for tests -----------------------------------------------------------------------------------
    @property
    def matrices(self) -> dict[str, GridItem]:
        found = {
            "counts": self._counts,
            "probabilities": self._probabilities,
            "reconstituted": self._reconstituted,
            "comparison": self._comparison,
            "continuation": self._continuation,
        }
        return {k: v for k, v in found.items() if v is not None}

    @property
    def mass_chart(self) -> BarsItem | None:
        return self._mass

    @property
    def draw_chart(self) -> BarsItem | None:
        return self._draws


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(NGramPanel)
