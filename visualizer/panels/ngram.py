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

import argparse
import math
from typing import Any

import numpy as np
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from algorithms.ngram import BOS, EOS, SMOOTHINGS, NGramModel, PerplexityStep, SampleStep, ScoreStep
from algorithms.trace import Trace, format_number, format_value
from visualizer.inputs import Fields
from visualizer.panels.base import Panel
from visualizer.panels.corpus import BUILTIN_CORPORA, CorpusFileMixin, builtin_corpus, read_corpus_file
from visualizer.theme import LIGHT, Palette
from visualizer.views.bars import BarRow, BarsItem
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem, font
from visualizer.views.grid import GridItem, GridMarks

__all__ = ["NGramPanel", "BUILTIN_CORPORA", "MAX_MATRIX_WORDS"]

#: Words shown in the count and probability matrices (the sentence's own words come first).
MAX_MATRIX_WORDS = 10
#: Longest sentence the panel scores or samples.
MAX_SENTENCE_WORDS = 60

_LABELS = {
    "mle": "MLE",
    "laplace": "Add-one (Laplace)",
    "add-k": "Add-k",
    "interpolation": "Interpolation",
    "stupid-backoff": "Stupid backoff",
    "kneser-ney": "Kneser–Ney",
}
_SHORT_LABELS = {
    "mle": "MLE",
    "laplace": "Add-one",
    "add-k": "Add-k",
    "interpolation": "Interpolation",
    "stupid-backoff": "Stupid backoff",
    "kneser-ney": "Kneser–Ney",
}
#: The one number each smoothing takes: (prefix, lowest, highest, default). Outside the range is refused.
_PARAMETERS = {
    "add-k": ("k = ", 0.001, 10.0, 0.5),
    "stupid-backoff": ("α = ", 0.01, 1.0, 0.4),
    "kneser-ney": ("d = ", 0.01, 0.99, 0.75),
}
_VIEWS = {"score": "Score a sentence", "sample": "Sample (Shannon)"}


def _p(value: float) -> str:
    return format_value(value)


class NGramPanel(CorpusFileMixin, Panel):
    """N-gram counts, smoothing and perplexity, step by step."""

    name = "ngram"
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

    def __init__(
        self,
        palette: Palette | None = None,
        parent: QWidget | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        self.lm: NGramModel | None = None
        self.trace: Trace | None = None
        self.shown_view = "score"
        self.sample: list[str] = []
        self._comparison_models: dict[str, NGramModel] = {}
        self._tokens: list[str] = []
        self._bigram: NGramModel | None = None
        self._seen = np.zeros((0, 0), dtype=bool)
        self._probability_cells: dict[tuple[int, int], str] = {}
        self._reconstituted_cells: dict[tuple[int, int], str] = {}
        self._mass_rows: dict[tuple[str, ...], list[BarRow]] = {}
        self._rows: list[str] = []
        self._columns: list[str] = []
        self._counts: GridItem | None = None
        self._probabilities: GridItem | None = None
        self._reconstituted: GridItem | None = None
        self._comparison: GridItem | None = None
        self._continuation: GridItem | None = None
        self._mass: BarsItem | None = None
        self._draws: BarsItem | None = None
        self._caption: CaptionItem | None = None
        self._sentence_line: TextBlockItem | None = None
        self._title = ""
        self._corpus_name = "slp3-toy"
        super().__init__(palette or LIGHT, parent)
        self.set_inputs(inputs if inputs is not None else dict(self.examples[0][1]))

    # -- the form ------------------------------------------------------------------------
    def build_form(self) -> QWidget:
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(8, 6, 8, 2)
        self.example_box = self.build_example_box()
        self.corpus_edit = QPlainTextEdit()
        self.corpus_edit.setFont(font(13, mono=True))
        self.corpus_edit.setPlaceholderText("one sentence per line; <s> and </s> are optional")
        self.corpus_edit.setMaximumHeight(130)
        self.open_button = QPushButton("Open corpus…")
        self.open_button.setToolTip("A text file (one sentence per line) or a CoNLL-U treebank")
        self.open_button.clicked.connect(self.open_corpus)
        self.sentence_edit = QLineEdit()
        self.sentence_edit.setPlaceholderText("a sentence to score, e.g. I am Sam")
        self.view_box = QComboBox()
        for key, label in _VIEWS.items():
            self.view_box.addItem(label, key)
        self.order_box = QSpinBox()
        self.order_box.setRange(1, 5)
        self.order_box.setPrefix("n = ")
        self.order_box.setToolTip("1 = unigram, 2 = bigram, 3 = trigram …")
        self.smoothing_box = QComboBox()
        for key in SMOOTHINGS:
            self.smoothing_box.addItem(_LABELS[key], key)
        self.parameter_box = QDoubleSpinBox()
        self.parameter_box.setDecimals(3)
        self.parameter_box.setSingleStep(0.05)
        self.lambdas_edit = QLineEdit()
        self.lambdas_edit.setPlaceholderText("λs, highest order first, e.g. 0.7 0.3")
        self.unk_box = QSpinBox()
        self.unk_box.setRange(0, 100)
        self.unk_box.setPrefix("<UNK> below ")
        self.unk_box.setToolTip(
            "Training words seen fewer times than this become <UNK> (0: closed vocabulary)"
        )
        self.seed_box = QSpinBox()
        self.seed_box.setRange(0, 1_000_000)
        self.seed_box.setPrefix("seed ")
        self.corpus_info = QLabel()
        self.corpus_info.setWordWrap(True)

        grid.addWidget(self.example_box, 0, 0, 1, 2)
        grid.addWidget(QLabel("Sentence"), 0, 2)
        grid.addWidget(self.sentence_edit, 0, 3, 1, 3)
        grid.addWidget(self.view_box, 0, 6)
        grid.addWidget(self.corpus_edit, 1, 0, 3, 3)
        grid.addWidget(self.order_box, 1, 3)
        grid.addWidget(self.smoothing_box, 1, 4)
        grid.addWidget(self.parameter_box, 1, 5)
        grid.addWidget(self.lambdas_edit, 1, 6)
        grid.addWidget(self.unk_box, 2, 3)
        grid.addWidget(self.seed_box, 2, 4)
        grid.addWidget(self.open_button, 2, 5)
        grid.addWidget(self.corpus_info, 3, 3, 1, 4)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 1)

        self.corpus_edit.textChanged.connect(self._corpus_typed)
        self.sentence_edit.textEdited.connect(self.schedule_run)
        self.sentence_edit.returnPressed.connect(self.run)
        self.lambdas_edit.textEdited.connect(self.schedule_run)
        for box in (self.view_box, self.smoothing_box):
            box.activated.connect(lambda _: self._smoothing_changed())
        for spin in (self.order_box, self.unk_box, self.seed_box, self.parameter_box):
            spin.valueChanged.connect(lambda _: self.schedule_run())
        return form

    _setting_inputs = False

    def _corpus_typed(self) -> None:
        if not self._setting_inputs:
            self._corpus_name = ""
            self.schedule_run()

    def _smoothing_changed(self) -> None:
        self._show_parameter(self.smoothing, None)
        self.run()

    def _show_parameter(self, smoothing: str, value: float | None) -> None:
        """The one number each smoothing takes: k, α or d (none for the others)."""
        spec = _PARAMETERS.get(smoothing)
        self.parameter_box.blockSignals(True)
        self.parameter_box.setVisible(spec is not None)
        if spec is not None:
            prefix, low, high, default = spec
            self.parameter_box.setPrefix(prefix)
            self.parameter_box.setRange(low, high)
            self.parameter_box.setValue(default if value is None else value)
        self.parameter_box.blockSignals(False)
        self.lambdas_edit.setVisible(smoothing == "interpolation")

    # -- inputs -------------------------------------------------------------------------------
    @property
    def smoothing(self) -> str:
        return str(self.smoothing_box.currentData())

    @property
    def view_kind(self) -> str:
        return str(self.view_box.currentData())

    def inputs(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "corpus": self._corpus_name or self.corpus_edit.toPlainText(),
            "sentence": self.sentence_edit.text(),
            "order": self.order_box.value(),
            "smoothing": self.smoothing,
            "unk_threshold": self.unk_box.value(),
            "view": self.view_kind,
            "seed": self.seed_box.value(),
        }
        key = {"add-k": "k", "stupid-backoff": "alpha", "kneser-ney": "discount"}.get(self.smoothing)
        if key:
            values[key] = self.parameter_box.value()
        if self.smoothing == "interpolation" and self.lambdas_edit.text().strip():
            values["lambdas"] = self.lambdas_edit.text()
        return values

    def fill_form(self, values: dict[str, Any]) -> None:
        """Fill the form (example, lesson, settings, CLI) and compute; ValueError if refused."""
        fields = Fields(values, "language-model")
        corpus, sentence = fields.text("corpus", "slp3-toy"), fields.text("sentence", "")
        smoothing = fields.choice("smoothing", "mle", tuple(SMOOTHINGS))
        view = fields.choice("view", "score", tuple(_VIEWS))
        order = fields.whole("order", 2, 1, 5)
        unk_threshold = fields.whole("unk_threshold", 0, 0, self.unk_box.maximum())
        seed = fields.whole("seed", 0, 0, self.seed_box.maximum())
        parameter = {"add-k": "k", "stupid-backoff": "alpha", "kneser-ney": "discount"}.get(smoothing)
        value = None
        if parameter is not None:
            _, low, high, default = _PARAMETERS[smoothing]
            value = fields.number(parameter, default, low, high) if parameter in values else None
        lambdas = values.get("lambdas", "")
        if isinstance(lambdas, list) and all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in lambdas
        ):
            lambdas = " ".join(map(str, lambdas))
        elif not isinstance(lambdas, str):
            raise ValueError(f'The language-model input "lambdas" must be numbers; got {lambdas!r}.')
        self._corpus_name = corpus if corpus in BUILTIN_CORPORA else ""
        self._setting_inputs = True
        try:
            self.corpus_edit.setPlainText(builtin_corpus(corpus) if corpus in BUILTIN_CORPORA else corpus)
            for widget in (self.order_box, self.unk_box, self.seed_box):
                widget.blockSignals(True)
            self.order_box.setValue(order)
            self.unk_box.setValue(unk_threshold)
            self.seed_box.setValue(seed)
        finally:
            for widget in (self.order_box, self.unk_box, self.seed_box):
                widget.blockSignals(False)
            self._setting_inputs = False
        self.sentence_edit.setText(sentence)
        self.smoothing_box.setCurrentIndex(self.smoothing_box.findData(smoothing))
        self.view_box.setCurrentIndex(self.view_box.findData(view))
        self._show_parameter(smoothing, value)
        self.lambdas_edit.setText(lambdas)

    @classmethod
    def add_export_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--corpus",
            default="slp3-toy",
            help=f"a built-in corpus ({', '.join(BUILTIN_CORPORA)}), a text file or a .conllu file",
        )
        parser.add_argument("--sentence", default="I am Sam", help="the sentence to score")
        parser.add_argument("--order", type=int, default=2, help="n (default 2)")
        parser.add_argument("--smoothing", choices=SMOOTHINGS, default="mle")
        parser.add_argument("--k", type=float, help="add-k's k")
        parser.add_argument("--lambdas", help="interpolation λs, highest order first, e.g. '0.7 0.3'")
        parser.add_argument("--alpha", type=float, help="stupid backoff's α")
        parser.add_argument("--discount", type=float, help="Kneser–Ney's d")
        parser.add_argument(
            "--unk-threshold", type=int, default=0, help="words seen fewer times become <UNK>"
        )
        parser.add_argument("--view", choices=tuple(_VIEWS), default="score", help="score or sample")
        parser.add_argument("--seed", type=int, default=0, help="the sampling seed")

    @classmethod
    def inputs_from_arguments(cls, arguments: argparse.Namespace) -> dict[str, Any]:
        corpus = arguments.corpus
        if corpus not in BUILTIN_CORPORA:
            corpus = read_corpus_file(corpus)
        values: dict[str, Any] = {
            "corpus": corpus,
            "sentence": arguments.sentence,
            "order": arguments.order,
            "smoothing": arguments.smoothing,
            "unk_threshold": arguments.unk_threshold,
            "view": arguments.view,
            "seed": arguments.seed,
        }
        for key in ("k", "alpha", "discount", "lambdas"):
            if getattr(arguments, key) is not None:
                values[key] = getattr(arguments, key)
        return values

    # -- computing ------------------------------------------------------------------------------
    def _options(self) -> dict[str, Any]:
        options: dict[str, Any] = {"unk_threshold": self.unk_box.value()}
        smoothing = self.smoothing
        if smoothing == "add-k":
            options["k"] = self.parameter_box.value()
        elif smoothing == "stupid-backoff":
            options["alpha"] = self.parameter_box.value()
        elif smoothing == "kneser-ney":
            options["discount"] = self.parameter_box.value()
        elif smoothing == "interpolation" and self.lambdas_edit.text().strip():
            try:
                options["lambdas"] = [float(x) for x in self.lambdas_edit.text().replace(",", " ").split()]
            except ValueError:
                raise ValueError(
                    f"The λs must be numbers separated by spaces; got {self.lambdas_edit.text()!r}."
                ) from None
        return options

    def compute(self) -> None:
        lines = [line for line in self.corpus_edit.toPlainText().splitlines() if line.strip()]
        if not lines:
            raise ValueError("The corpus is empty: type or open some text, one sentence per line.")
        order, smoothing = self.order_box.value(), self.smoothing
        lm = NGramModel(lines, order=order, smoothing=smoothing, **self._options())
        words = self.sentence_edit.text().split()
        while words and words[0] == BOS:
            words.pop(0)
        while words and words[-1] == EOS:
            words.pop()
        if len(words) > MAX_SENTENCE_WORDS:
            raise ValueError(
                f"The sentence has {len(words)} words; this panel scores at most {MAX_SENTENCE_WORDS}."
            )
        if self.view_kind == "score":
            if not words:
                raise ValueError("Type a sentence to score (for example: I am Sam).")
            trace = lm.score_trace(words)
            self.sample = []
        else:
            generated = lm.generate(seed=self.seed_box.value(), max_length=MAX_SENTENCE_WORDS)
            trace = generated.trace
            self.sample = list(generated)
            words = self.sample
        self.lm, self.trace = lm, trace
        # What is drawn: rendering reads this, never the view box, which may hold a refused choice.
        self.shown_view = self.view_kind
        self._tokens = [lm.map_word(w) for w in words]
        self._comparison_models = self._build_comparison(lines, order)
        # The matrices are bigram tables; other orders show them from a bigram twin of the model.
        options = {k: v for k, v in lm.settings().items() if k not in ("order", "lambdas")}
        self._bigram = (
            lm if order == 2 else None if order == 1 else NGramModel(lm.sentences, order=2, **options)
        )
        self.corpus_info.setText(
            f"{len(lm.sentences):,} sentences, {lm.token_count - len(lm.sentences):,} words, "
            f"V = {len(lm.vocabulary):,} (word types, </s>{', <UNK>' if lm.uses_unk else ''})"
        )
        self._build_scene()
        self.model.set_trace(trace)

    def _build_comparison(self, lines: list[str], order: int) -> dict[str, NGramModel]:
        """The same corpus under every smoothing (the current one with its own settings)."""
        assert self.lm is not None
        models: dict[str, NGramModel] = {}
        unk = self.unk_box.value()
        for smoothing in SMOOTHINGS:
            if smoothing == self.smoothing:
                models[smoothing] = self.lm
            else:
                models[smoothing] = NGramModel(lines, order=order, smoothing=smoothing, unk_threshold=unk)
        return models

    def corpus_loaded(self) -> None:
        self._corpus_name = ""

    # -- the scene -------------------------------------------------------------------------------
    def _matrix_words(self) -> tuple[list[str], list[str]]:
        """Rows (previous words) and columns (next words): the sentence's words, then frequent ones."""
        assert self.lm is not None
        lm = self.lm
        chosen = list(dict.fromkeys(w for w in self._tokens if w in lm.vocabulary))
        frequent = sorted((w for w in lm.vocabulary if w not in (EOS,)), key=lambda w: (-lm.count([w]), w))
        for word in frequent:
            if len(chosen) >= MAX_MATRIX_WORDS - 1:
                break
            if word not in chosen:
                chosen.append(word)
        chosen = chosen[: MAX_MATRIX_WORDS - 1]
        return [BOS, *chosen], [*chosen, EOS]

    def _build_scene(self) -> None:
        lm = self.lm
        assert lm is not None
        palette = self.palette_roles
        self.scene.clear()
        self._caption = CaptionItem(palette)
        legend = LegendItem(
            palette,
            [
                (
                    "current",
                    "the factor being scored" if self.view_kind == "score" else "the draw being made",
                ),
                ("candidate", "seen events"),
                ("chosen", "sampled word / smoothing in use"),
            ],
        )
        self.scene.addItem(self._caption)
        self.scene.addItem(legend)
        legend.setPos(0, 62)
        self._rows, self._columns = self._matrix_words()
        # Everything the matrices show is fixed for this model: compute it once, not at every step.
        counts = self._count_values()
        self._seen = counts > 0
        self._probability_cells = self._probability_texts()
        self._reconstituted_cells = (
            self._reconstituted_texts() if lm.smoothing in ("laplace", "add-k") else {}
        )
        self._mass_rows.clear()
        y = 100.0
        self._sentence_line = TextBlockItem(palette, [""], pixels=18, bold=True)
        self.scene.addItem(self._sentence_line)
        self._sentence_line.setPos(0, y)
        y += 76  # room for the sentence line and the matrices' titles
        x = 0.0
        order_note = "" if lm.order == 2 else " (bigram level)"
        self._counts = self._matrix(counts, f"Bigram counts C(wᵢ₋₁ wᵢ){order_note}", x, y)
        x += self._counts.boundingRect().width() + 40
        self._probabilities = self._matrix(
            np.zeros((len(self._rows), len(self._columns))),
            f"P(wᵢ | wᵢ₋₁), {_LABELS[lm.smoothing].lower()}{order_note}",
            x,
            y,
            texts=True,
        )
        bottom = y + self._counts.boundingRect().height() + 36
        self._reconstituted = None
        if lm.smoothing in ("laplace", "add-k"):
            x += self._probabilities.boundingRect().width() + 40
            self._reconstituted = self._matrix(
                np.zeros((len(self._rows), len(self._columns))),
                "Reconstituted counts C* = (C + k)·C(wᵢ₋₁) / (C(wᵢ₋₁) + kV)",
                x,
                y,
                texts=True,
            )
        self._comparison = None
        self._mass = None
        self._draws = None
        if self.view_kind == "score":
            self._comparison = self._build_comparison_grid(bottom)
            comparison_top = bottom
            bottom += self._comparison.boundingRect().height() + 40
            self._continuation = self._build_continuation_grid(
                self._comparison.boundingRect().width() + 48, comparison_top
            )
            self._mass = BarsItem(palette)
            self.scene.addItem(self._mass)
            self._mass.setPos(0, bottom)
        else:
            self._draws = BarsItem(palette, bar_width=360)
            self.scene.addItem(self._draws)
            self._draws.setPos(0, bottom)
            self._continuation = None
        self.scene.setSceneRect(self.export_rect().adjusted(0, 0, 0, 400))
        settings = f"n = {lm.order}, {_LABELS[lm.smoothing]}"
        self._title = f"{'Scoring' if self.view_kind == 'score' else 'Sampling'} · {settings}"

    def _matrix(self, values: np.ndarray, title: str, x: float, y: float, texts: bool = False) -> GridItem:
        heading = TextBlockItem(self.palette_roles, [title], pixels=15, bold=True)
        self.scene.addItem(heading)
        heading.setPos(x, y - 26)
        from PySide6.QtGui import QFontMetricsF

        widest = max(QFontMetricsF(font(20, bold=True)).horizontalAdvance(w) for w in self._columns) + 18
        grid = GridItem(
            self._rows,
            self._columns,
            values,
            self.palette_roles,
            corner_label="wᵢ₋₁ ╲ wᵢ",
            cell_size=(min(max(84.0, widest), 170.0), 40.0) if texts else None,
        )
        self.scene.addItem(grid)
        grid.setPos(x, y)
        return grid

    def _count_values(self) -> np.ndarray:
        assert self.lm is not None
        lm = self.lm
        values = np.zeros((len(self._rows), len(self._columns)))
        if lm.order < 2:
            return values
        for i, previous in enumerate(self._rows):
            for j, word in enumerate(self._columns):
                values[i, j] = self._bigram.count([previous, word]) if self._bigram else 0
        return values

    def _build_comparison_grid(self, top: float) -> GridItem:
        tokens = [*self._tokens, EOS]
        values = np.zeros((len(SMOOTHINGS), len(tokens) + 2))
        for r, smoothing in enumerate(SMOOTHINGS):
            model = self._comparison_models[smoothing]
            steps = [e for e in model.score_trace(self._tokens) if isinstance(e, ScoreStep)]
            for c, step in enumerate(steps):
                values[r, c] = step.probability
            final = steps[-1].running_log_probability if steps else 0.0
            values[r, len(tokens)] = final
            values[r, len(tokens) + 1] = math.exp(-final / len(steps)) if math.isfinite(final) else math.inf
        title = "The same sentence under every smoothing: P of each factor, log P, perplexity"
        heading = TextBlockItem(self.palette_roles, [title], pixels=15, bold=True)
        self.scene.addItem(heading)
        heading.setPos(0, top - 26)
        self._comparison_values = values
        grid = GridItem(
            [_SHORT_LABELS[s] for s in SMOOTHINGS],
            [*tokens, "log P", "PP"],
            values,
            self.palette_roles,
            corner_label="P(wᵢ | …)",
            cell_size=(84.0, 40.0),
        )
        texts = {
            (r, c): _p(v)
            if c < len(tokens)
            else format_number(v, 4)
            if math.isfinite(v)
            else ("-∞" if v < 0 else "∞")
            for (r, c), v in np.ndenumerate(values)
        }
        self._comparison_texts = texts
        self.scene.addItem(grid)
        grid.setPos(0, top)
        return grid

    def _build_continuation_grid(self, x: float, top: float) -> GridItem | None:
        lm = self._comparison_models.get("kneser-ney")
        if lm is None or lm.order < 2:
            return None
        words = list(dict.fromkeys([*self._tokens, EOS]))[:MAX_MATRIX_WORDS]
        values = np.array([[lm.count([w]), lm.continuation_count(w)] for w in words], dtype=float)
        heading = TextBlockItem(
            self.palette_roles, ["Kneser–Ney: raw count vs continuation count N1+(• w)"], pixels=15, bold=True
        )
        self.scene.addItem(heading)
        heading.setPos(x, top - 26)
        grid = GridItem(words, ["C(w)", "N1+(• w)"], values, self.palette_roles, corner_label="w")
        self.scene.addItem(grid)
        grid.setPos(x, top)
        return grid

    # -- rendering --------------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        lm, trace = self.lm, self.trace
        if lm is None or trace is None or self._caption is None or self._counts is None:
            return
        event = trace[step - 1] if step > 0 else None
        cell: tuple[int, int] | None = None
        context: tuple[str, ...] | None = None
        if isinstance(event, ScoreStep | SampleStep):
            previous = event.context[-1] if event.context else BOS
            context = event.context
            if previous in self._rows and event.word in self._columns:
                cell = (self._rows.index(previous), self._columns.index(event.word))
        count_marks = GridMarks()
        prob_marks = GridMarks()
        if cell is not None:
            for marks in (count_marks, prob_marks):
                marks.fills[cell] = "current"
                marks.outlines[cell] = "current"
                marks.row_header_role[cell[0]] = "current"
                marks.column_header_role[cell[1]] = "current"
        for i, j in zip(*np.nonzero(self._seen), strict=True):
            if (int(i), int(j)) != cell:
                count_marks.fills.setdefault((int(i), int(j)), "candidate")
        self._counts.set_marks(count_marks)
        probabilities = self._probability_cells
        prob_marks.texts = lambda c: [(probabilities[c], "text")]
        self._probabilities.set_marks(prob_marks)
        if self._reconstituted is not None:
            reconstituted = self._reconstituted_cells
            marks = GridMarks(fills=dict(prob_marks.fills), outlines=dict(prob_marks.outlines))
            marks.texts = lambda c: [(reconstituted[c], "text")]
            self._reconstituted.set_marks(marks)
        if self._comparison is not None:
            self._mark_comparison(event)
        if self._mass is not None:
            self._show_mass(context)
        if self._draws is not None:
            self._show_draw(event)
        self._sentence_line.set_lines([self._sentence_text(step)])
        phase = trace.phase_at(step)
        caption = self._result_line(step)
        self._caption.set_text(
            self._title,
            f"{caption}   ·   step {step} / {len(trace)}   ·   {phase.name if phase else 'start'}",
        )

    def _probability_texts(self) -> dict[tuple[int, int], str]:
        lm = self.lm
        assert lm is not None
        bigram = self._bigram
        return {
            (i, j): _p(bigram.prob(word, (previous,)) if bigram is not None else lm.prob(word))
            for i, previous in enumerate(self._rows)
            for j, word in enumerate(self._columns)
        }

    def _reconstituted_texts(self) -> dict[tuple[int, int], str]:
        lm = self.lm
        assert lm is not None
        bigram = self._bigram
        k = 1.0 if lm.smoothing == "laplace" else lm.k
        size = len(lm.vocabulary)
        texts = {}
        for i, previous in enumerate(self._rows):
            total = bigram.context_count((previous,)) if bigram is not None else lm.token_count
            for j, word in enumerate(self._columns):
                count = bigram.count([previous, word]) if bigram is not None else lm.count([word])
                texts[(i, j)] = format_number((count + k) * total / (total + k * size), 3)
        return texts

    def _mark_comparison(self, event: Any) -> None:
        assert self._comparison is not None
        marks = GridMarks()
        row = SMOOTHINGS.index(self.lm.smoothing)
        marks.row_header_role[row] = "chosen"
        if isinstance(event, ScoreStep):
            column = event.position - 1
            marks.column_header_role[column] = "current"
            for r in range(len(SMOOTHINGS)):
                marks.fills[(r, column)] = "current"
            marks.outlines[(row, column)] = "current"
        elif isinstance(event, PerplexityStep):
            columns = len(self._tokens) + 1
            for r in range(len(SMOOTHINGS)):
                marks.fills[(r, columns + 1)] = "final_path"
            marks.outlines[(row, columns + 1)] = "final_path"
        values = self._comparison_values
        zero = values[:, : len(self._tokens) + 1] == 0
        for r, c in zip(*np.nonzero(zero), strict=True):
            marks.outlines.setdefault((int(r), int(c)), "error")  # a zero factor: the sentence gets P = 0
        texts = self._comparison_texts
        marks.texts = lambda cell: [(texts[cell], "text")]
        self._comparison.set_marks(marks)

    def _show_mass(self, context: tuple[str, ...] | None) -> None:
        """How much of P(· | context) each smoothing gives to words seen after that context."""
        assert self._mass is not None
        if context is None:
            self._mass.set_rows("Step through the sentence to see where each smoothing puts the mass", [])
            return
        rows = self._mass_rows.get(context)
        if rows is None:
            # Each row sums a distribution over the whole vocabulary; scrubbing revisits contexts.
            rows = self._mass_rows[context] = self._mass_bars(context)
        given = " ".join(context) if context else "no context"
        title = f"P(· | {given}): mass kept by seen words (blue) and given to unseen ones (orange)"
        self._mass.set_rows(title, rows)

    def _mass_bars(self, context: tuple[str, ...]) -> list[BarRow]:
        rows = []
        for smoothing in SMOOTHINGS:
            if smoothing == "stupid-backoff":
                continue  # a score, not a distribution: no mass to split
            model = self._comparison_models[smoothing]
            padded = model.padded_context(context)
            distribution = model.distribution(padded)
            seen = math.fsum(p for w, p in distribution.items() if model.count([*padded, w]) > 0)
            total = math.fsum(distribution.values())
            unseen = max(total - seen, 0.0)
            rows.append(
                BarRow(
                    _LABELS[smoothing],
                    ((seen, "candidate"), (unseen, "current")),
                    f"seen {_p(seen)} · unseen {_p(unseen)}",
                    smoothing == self.lm.smoothing,
                )
            )
        return rows

    def _show_draw(self, event: Any) -> None:
        assert self._draws is not None
        if not isinstance(event, SampleStep):
            self._draws.set_rows("Each draw shows its next-word distribution here", [])
            return
        given = " ".join(event.context) if event.context else "(no context)"
        rows = [
            BarRow(word, ((p, "chosen" if word == event.word else "candidate"),), _p(p), word == event.word)
            for word, p in event.top
            if p > 0
        ]
        if all(word != event.word for word, _ in event.top):
            rows.append(BarRow(event.word, ((event.probability, "chosen"),), _p(event.probability), True))
        scale = max(p for _, p in event.top)
        self._draws.set_rows(f"P(next | {given}): u = {event.draw:.3f} picks '{event.word}'", rows, scale)

    def _sentence_text(self, step: int) -> str:
        trace = self.trace
        assert trace is not None
        if self.shown_view == "sample":
            drawn = [e.word for e in trace[:step] if isinstance(e, SampleStep)]
            return "Sampled so far:  <s> " + " ".join(drawn) + ("" if drawn and drawn[-1] == EOS else " …")
        words = [*self._tokens, EOS]
        shown = []
        for index, word in enumerate(words):
            if index < step:
                event = trace[index]
                shown.append(f"{word} ({_p(event.probability)})")
            else:
                shown.append(word)
        return "<s> " + "  ".join(shown)

    def _result_line(self, step: int) -> str:
        trace, lm = self.trace, self.lm
        assert trace is not None and lm is not None
        if self.shown_view == "sample":
            return f"sampled: {' '.join(self.sample)}" if step == len(trace) else f"{len(self.sample)} words"
        if step == len(trace):
            final = trace[-1]
            assert isinstance(final, PerplexityStep)
            lp = format_number(final.log_probability, 4) if math.isfinite(final.log_probability) else "-∞"
            pp = format_number(final.perplexity, 4) if math.isfinite(final.perplexity) else "∞"
            return f"log P = {lp}, perplexity = {pp}"
        return f"{len(self._tokens)} words + </s>"

    def narration(self, step: int) -> tuple[str, str]:
        trace = self.trace
        if trace is None:
            return ("", "")
        if step == 0:
            return ("Start", trace.narrate(0))
        event = trace[step - 1]
        if isinstance(event, ScoreStep):
            heading = f"Factor {event.position} of {len(trace) - 1}"
        elif isinstance(event, PerplexityStep):
            heading = "Perplexity"
        else:
            heading = f"Draw {event.position}"
        text = event.describe()
        if step == len(trace):
            text += "  Press Home to replay."
        return (heading, text)

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
