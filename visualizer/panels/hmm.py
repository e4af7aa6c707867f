"""HMM panel (SLP3 Appendix A, §8.4): Viterbi, forward and backward on a trellis.

States are rows and observations columns. At each step the node being
computed is outlined, its strongest incoming terms are drawn as edges
labelled with v_{t−1}(i)·a_ij (the winner solid for Viterbi, widths by share
of the sum for forward), and the π/A/B cells it reads are highlighted in the
tables under the trellis. Viterbi ends by following the backpointers and
writing the tags under the words. Models are built in, hand-made (edited in
a dialog) or trained on a CoNLL-U treebank in a worker thread.
"""

from __future__ import annotations

import argparse
import math
import re
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from algorithms.hmm import (
    HMM,
    NUMBER_STYLES,
    BacktraceStep,
    Termination,
    TrellisNode,
    TrellisResult,
    ViterbiResult,
    backward,
    format_probability,
    forward,
    viterbi,
)
from algorithms.trace import format_number
from visualizer.inputs import Fields
from visualizer.panels.base import Panel
from visualizer.panels.hmm_models import (
    BUILTIN_MODELS,
    TrainedTagger,
    build_model,
    model_label,
    train_tagger,
)
from visualizer.theme import LIGHT, Palette
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem
from visualizer.views.grid import GridItem, GridMarks
from visualizer.views.trellis import Edge, TrellisItem, TrellisMarks

__all__ = ["HMMPanel", "MAX_OBSERVATIONS", "tokenize"]

#: Longest observation sequence the panel traces (the engine itself has no limit).
MAX_OBSERVATIONS = 200
#: A node is drawn faded when it is this many times smaller than the best in its column.
FADE_RATIO = 1e-4
#: Emission tables with more symbols than this show only the words of the sentence.
MAX_SHOWN_SYMBOLS = 12

_ALGORITHMS = {
    "viterbi": ("Viterbi", viterbi),
    "forward": ("Forward", forward),
    "backward": ("Backward", backward),
}
_PHASE_TITLES = {
    "start": "Start",
    "initialisation": "Initialisation: the first column",
    "recursion": "Recursion",
    "termination": "Termination",
    "backtrace": "Backtrace: following the backpointers",
}
_TOKEN = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*|\S")


def tokenize(text: str) -> list[str]:
    """Words and punctuation marks ("back." -> "back", "."); numbers and hyphenated words stay whole."""
    return [token for chunk in text.split() for token in _TOKEN.findall(chunk)]


class HMMPanel(Panel):
    """Viterbi / forward / backward on a trellis, with the model's π, A and B beside it."""

    name = "hmm"
    examples = (
        (
            "Ice cream: Viterbi on 3 1 3 (SLP3 A.4)",
            {"model": "ice-cream", "observations": "3 1 3", "algorithm": "viterbi"},
        ),
        (
            "Ice cream: forward on 3 1 3 (SLP3 A.3)",
            {"model": "ice-cream", "observations": "3 1 3", "algorithm": "forward"},
        ),
        (
            "Ice cream: backward on 3 1 3",
            {"model": "ice-cream", "observations": "3 1 3", "algorithm": "backward"},
        ),
        (
            "Ice cream: a longer summer",
            {"model": "ice-cream", "observations": "3 3 1 1 2 2 3 1 3 3 2 1", "algorithm": "viterbi"},
        ),
        (
            "Tagger: I will back the bill",
            {"model": "pos-small", "observations": "I will back the bill", "algorithm": "viterbi"},
        ),
        (
            "Tagger: they can fish",
            {"model": "pos-small", "observations": "they can fish", "algorithm": "viterbi"},
        ),
    )

    def __init__(
        self,
        palette: Palette | None = None,
        parent: QWidget | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        self.result: TrellisResult | None = None
        self.hmm: HMM | None = None
        self.tagger: TrainedTagger | None = None
        self._model_source: Any = "ice-cream"
        self._other_sources: dict[str, Any] = {}  # "custom" / "trained" -> the model source it stands for
        self._backpointer_edges: list[tuple[tuple[int, int], Edge]] = []
        self._texts: dict[str, np.ndarray] = {}
        self._faded: np.ndarray | None = None
        self._shown_symbols: list[int] = []
        self._trellis: TrellisItem | None = None
        self._tables: dict[str, GridItem] = {}
        self._caption: CaptionItem | None = None
        self._title = ""
        super().__init__(palette or LIGHT, parent)
        self.set_inputs(inputs if inputs is not None else dict(self.examples[0][1]))

    # -- the form --------------------------------------------------------------------
    def build_form(self) -> QWidget:
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(8, 6, 8, 2)
        self.example_box = self.build_example_box()
        self.model_box = QComboBox()
        self.model_box.setToolTip("The HMM: built in, hand-made (Edit…) or trained on a treebank (Train…)")
        for key, (label, _) in BUILTIN_MODELS.items():
            self.model_box.addItem(label, key)
        self.model_box.activated.connect(self._model_chosen)
        self.edit_button = QPushButton("Edit model…")
        self.edit_button.setToolTip("Edit states, symbols, π, A and B of a hand-made model")
        self.edit_button.clicked.connect(self.edit_model)
        self.train_button = QPushButton("Train on CoNLL-U…")
        self.train_button.setToolTip("Train a part-of-speech tagger on a treebank (runs in the background)")
        self.train_button.clicked.connect(self.train_from_file)
        self.observations_edit = QLineEdit()
        self.observations_edit.setPlaceholderText("observations separated by spaces, e.g. 3 1 3")
        self.algorithm_box = QComboBox()
        for key, (label, _) in _ALGORITHMS.items():
            self.algorithm_box.addItem(label, key)
        self.algorithm_box.setToolTip(
            "Viterbi: the best path (max). Forward: P(O) (sum). Backward: β, right to left."
        )
        self.numbers_box = self.build_number_style_box(
            "How probabilities are written in the trellis and the narration"
        )
        self.top_k_box = QSpinBox()
        self.top_k_box.setRange(1, 50)
        self.top_k_box.setValue(4)
        self.top_k_box.setPrefix("edges ")
        self.top_k_box.setToolTip("How many incoming terms of the current node to draw (the strongest ones)")
        self.model_info = QLabel()
        self.model_info.setWordWrap(True)

        grid.addWidget(self.example_box, 0, 0)
        grid.addWidget(QLabel("Model"), 0, 1)
        grid.addWidget(self.model_box, 0, 2)
        grid.addWidget(self.edit_button, 0, 3)
        grid.addWidget(self.train_button, 0, 4)
        grid.addWidget(self.model_info, 0, 5, 1, 3)
        grid.addWidget(QLabel("Observations"), 1, 0)
        grid.addWidget(self.observations_edit, 1, 1, 1, 4)
        grid.addWidget(self.algorithm_box, 1, 5)
        grid.addWidget(self.numbers_box, 1, 6)
        grid.addWidget(self.top_k_box, 1, 7)
        grid.setColumnStretch(5, 1)

        self.observations_edit.textEdited.connect(self.schedule_run)
        self.observations_edit.returnPressed.connect(self.run)
        self.algorithm_box.activated.connect(lambda _: self.run())
        self.numbers_box.activated.connect(lambda _: self._restyle())
        self.top_k_box.valueChanged.connect(lambda _: self.show_step(self.model.current_step))
        return form

    def _model_chosen(self, index: int) -> None:
        key = self.model_box.itemData(index)
        # "custom" and "trained" entries stand for the last such model, kept in _other_sources.
        self._model_source = self._other_sources.get(key, key)
        self.run()

    def _restyle(self) -> None:
        self._texts.clear()
        # Re-announce the step: the scene and the window's narration redraw in the new style.
        self.model.step_changed.emit(self.model.current_step)

    def _select_model_in_box(self, source: Any) -> None:
        key = source if isinstance(source, str) else ("custom" if "hmm" in source else "trained")
        if key in ("custom", "trained"):
            self._other_sources[key] = source
        index = self.model_box.findData(key)
        if index < 0:
            label = model_label(source)
            self.model_box.addItem(label, key)
            index = self.model_box.count() - 1
        elif key in ("custom", "trained"):
            self.model_box.setItemText(index, model_label(source))
        self.model_box.setCurrentIndex(index)

    # -- inputs ------------------------------------------------------------------------------
    @property
    def number_style(self) -> str:
        return str(self.numbers_box.currentData())

    def inputs(self) -> dict[str, Any]:
        return {
            "model": self._model_source,
            "observations": self.observations_edit.text(),
            "algorithm": self.algorithm_box.currentData(),
            "numbers": self.number_style,
            "top_k": self.top_k_box.value(),
        }

    def fill_form(self, values: dict[str, Any]) -> None:
        """Fill the form from ``values`` (lesson, settings, example, CLI) and compute."""
        fields = Fields(values, "HMM")
        algorithm = fields.choice("algorithm", "viterbi", tuple(_ALGORITHMS))
        numbers = self.number_style_from(values)
        observations = fields.text("observations", "")
        top_k = fields.whole("top_k", 4, 1, self.top_k_box.maximum())
        source = values.get("model", "ice-cream")
        if not isinstance(source, str | dict):
            raise ValueError(
                f'The HMM input "model" must be a model name, a file or a model object; got {source!r}.'
            )
        self._model_source = source
        self.observations_edit.setText(observations)
        self.algorithm_box.setCurrentIndex(self.algorithm_box.findData(algorithm))
        self.numbers_box.setCurrentIndex(self.numbers_box.findData(numbers))
        self.top_k_box.blockSignals(True)
        self.top_k_box.setValue(top_k)
        self.top_k_box.blockSignals(False)

    @classmethod
    def add_export_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--model",
            default="ice-cream",
            help=f"a built-in model ({', '.join(BUILTIN_MODELS)}) or a model JSON file (default: ice-cream)",
        )
        parser.add_argument("--conllu", metavar="FILE", help="train a tagger on this CoNLL-U file instead")
        parser.add_argument(
            "--column", choices=("upos", "xpos"), default="upos", help="tag column (with --conllu)"
        )
        parser.add_argument(
            "--observations",
            help="the observations (default: 3 1 3 for ice-cream, 'I will back the bill' for the taggers)",
        )
        parser.add_argument("--algorithm", choices=tuple(_ALGORITHMS), default="viterbi")
        parser.add_argument(
            "--numbers", choices=NUMBER_STYLES, default="plain", help="how probabilities are written"
        )
        parser.add_argument("--top-k", type=int, default=4, help="incoming edges drawn at the current node")

    @classmethod
    def inputs_from_arguments(cls, arguments: argparse.Namespace) -> dict[str, Any]:
        if arguments.conllu:
            model: Any = {"conllu": arguments.conllu, "column": arguments.column}
        elif arguments.model in BUILTIN_MODELS:
            model = arguments.model
        else:
            model = {"hmm": HMM.load(arguments.model).to_dict()}
        observations = arguments.observations
        if observations is None:  # something every model can read (pos-small has no "3")
            if model == "ice-cream":
                observations = "3 1 3"
            elif isinstance(model, dict) and "hmm" in model:
                observations = " ".join(model["hmm"]["symbols"][:3])
            else:
                observations = "I will back the bill"
        return {
            "model": model,
            "observations": observations,
            "algorithm": arguments.algorithm,
            "numbers": arguments.numbers,
            "top_k": arguments.top_k,
        }

    # -- computing -------------------------------------------------------------------------
    def _train_in_background(self, conllu: str, column: str, heldout: str | None) -> TrainedTagger:
        """Train a tagger a lesson or the form names in a worker (with a held-out file, ~1 s)."""
        from visualizer.background import run_in_background

        try:
            tagger: TrainedTagger = run_in_background(
                self,
                "Reading the treebank and training…",
                lambda progress, cancelled: train_tagger(conllu, column, heldout, progress, cancelled),
            )
        except InterruptedError:
            raise ValueError("Training was cancelled; the previous model is kept.") from None
        return tagger

    def compute(self) -> None:
        hmm, tagger = build_model(self._model_source, train=self._train_in_background)
        words = tokenize(self.observations_edit.text())
        if not words:
            raise ValueError("Type some observations, separated by spaces (for example: 3 1 3).")
        if len(words) > MAX_OBSERVATIONS:
            raise ValueError(
                f"There are {len(words):,} observations; this panel traces at most {MAX_OBSERVATIONS}."
            )
        algorithm = _ALGORITHMS[self.algorithm_box.currentData()][1]
        result = algorithm(hmm, words)
        self.hmm, self.tagger, self.result = hmm, tagger, result
        self._select_model_in_box(self._model_source)
        self.edit_button.setEnabled(len(hmm.symbols) <= 60 and len(hmm.states) <= 30)
        self.model_info.setText(tagger.summary() if tagger else self._model_summary(hmm))
        self._texts.clear()
        column_best = result.log_table.max(axis=0, keepdims=True)
        with np.errstate(invalid="ignore"):
            self._faded = (result.log_table - column_best < math.log(FADE_RATIO)) | ~np.isfinite(
                result.log_table
            )
        # Backpointers of the nodes worth showing, built once: each step only filters them.
        self._backpointer_edges = []
        if isinstance(result, ViterbiResult):
            n, t_count = result.log_table.shape
            self._backpointer_edges = [
                (
                    (j, t),
                    Edge((j, t), (int(result.backpointers[j, t]), t - 1), "backpointer", 1.4, dashed=True),
                )
                for t in range(1, t_count)
                for j in range(n)
                if not self._faded[j, t]
            ]
        self._build_scene()
        self.model.set_trace(result.trace)

    @staticmethod
    def _model_summary(hmm: HMM) -> str:
        return f"{len(hmm.states)} states, {len(hmm.symbols)} symbols."

    def _node_texts(self) -> np.ndarray:
        style = self.number_style
        if style not in self._texts:
            assert self.result is not None
            log_table = self.result.log_table
            texts = np.empty(log_table.shape, dtype=object)
            for index, value in np.ndenumerate(log_table):
                texts[index] = format_probability(float(value), style)
            self._texts[style] = texts
        return self._texts[style]

    def _build_scene(self) -> None:
        result, hmm = self.result, self.hmm
        assert result is not None and hmm is not None
        palette = self.palette_roles
        self.scene.clear()
        self._tables = {}
        self._caption = CaptionItem(palette)
        legend = LegendItem(
            palette,
            [
                ("current", "current node"),
                ("candidate", "incoming term"),
                ("chosen", "max (Viterbi)"),
                ("backpointer", "backpointer"),
                ("final_path", "best path"),
            ],
        )
        self._trellis = TrellisItem(hmm.states, result.observations, palette)
        self.view.frozen_headers = self._trellis
        for item in (self._caption, legend, self._trellis):
            self.scene.addItem(item)
        legend.setPos(0, 62)
        self._trellis.setPos(0, 100)
        y = 100 + self._trellis.boundingRect().height() + 16
        notes = self._unknown_word_notes()
        if notes:
            block = TextBlockItem(palette, notes, pixels=14, role="muted_text")
            self.scene.addItem(block)
            block.setPos(0, y)
            y += block.boundingRect().height() + 16
        self._build_tables(y)
        self.scene.setSceneRect(self.export_rect())
        label = _ALGORITHMS[result.kind][0]
        shown = " ".join(result.observations)
        if len(shown) > 60:
            shown = shown[:57] + "…"
        self._title = f"{label} · {model_label(self._model_source)} · “{shown}”"

    def _unknown_word_notes(self) -> list[str]:
        assert self.result is not None
        notes = []
        for t, (word, note) in enumerate(zip(self.result.observations, self.result.notes, strict=True)):
            if note != "known":
                notes.append(f"t = {t + 1}  '{word}': {note}")
        if len(notes) > 12:
            notes = [*notes[:12], f"… and {len(notes) - 12} more words handled the same way"]
        return notes

    def _build_tables(self, top: float) -> None:
        result, hmm = self.result, self.hmm
        assert result is not None and hmm is not None
        palette = self.palette_roles
        if len(hmm.symbols) <= MAX_SHOWN_SYMBOLS:
            self._shown_symbols = list(range(len(hmm.symbols)))
            symbol_labels = list(hmm.symbols)
            emission = hmm.emission
            b_title = "B = P(symbol | state)"
        else:
            # A trained tagger has thousands of words: show the sentence's own columns of B.
            words = list(dict.fromkeys(result.observations))
            self._shown_symbols = []
            symbol_labels = words
            emission = np.exp(np.array([result.log_emissions[result.observations.index(w)] for w in words]).T)
            b_title = "B = P(word | tag), the sentence's words"
        tables = [
            ("pi", "π = P(first state)", GridItem(hmm.states, ["π"], hmm.start[:, None], palette, "state")),
            (
                "A",
                "A = P(column state | row state)",
                GridItem(hmm.states, hmm.states, hmm.transition, palette, "from \\ to"),
            ),
            ("B", b_title, GridItem(hmm.states, symbol_labels, emission, palette, "state \\ o")),
        ]
        x = 0.0
        for key, title, table in tables:
            heading = TextBlockItem(palette, [title], pixels=16, bold=True)
            self.scene.addItem(heading)
            heading.setPos(x, top)
            self.scene.addItem(table)
            table.setPos(x, top + 28)
            self._tables[key] = table
            x += max(table.boundingRect().width(), heading.boundingRect().width()) + 40

    # -- rendering ---------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        result, trellis = self.result, self._trellis
        if result is None or trellis is None or self._caption is None:
            return
        marks = TrellisMarks(
            texts=self._node_texts(),
            filled=result.filled_mask(step),
            faded=self._faded,
            unknown_columns={t for t, note in enumerate(result.notes) if note.startswith("unknown")},
        )
        event = result.trace[step - 1] if step > 0 else None
        table_marks: dict[str, GridMarks] = {key: GridMarks() for key in self._tables}
        if isinstance(event, TrellisNode):
            self._mark_node(marks, table_marks, event, result.current_node(step))
        if isinstance(result, ViterbiResult):
            self._mark_backpointers(marks, result, step)
        if isinstance(event, Termination):
            last = len(result.observations) - 1 if result.kind != "backward" else 0
            marks.sources = {(i, last) for i in range(len(result.hmm.states))}
            if event.best_state is not None:
                marks.winner = (result.hmm.states.index(event.best_state), last)
        for key, table in self._tables.items():
            table.set_marks(table_marks[key])
        trellis.set_marks(marks)
        phase = result.phase_at(step)
        # The answer appears once the recursion has produced it, not before: no spoilers in class.
        done = step > result.node_count
        summary = (
            self._result_line()
            if done
            else f"{len(result.observations)} observations, {len(result.hmm.states)} states"
        )
        self._caption.set_text(
            self._title, f"{summary}   ·   step {step:,} / {len(result.trace):,}   ·   {phase}"
        )
        if marks.current is not None and self.model.playing:
            self.view.follow(trellis.mapRectToScene(trellis.node_rect(marks.current)))

    def _result_line(self) -> str:
        result = self.result
        assert result is not None
        probability = format_probability(result.log_probability, "scientific")
        if isinstance(result, ViterbiResult):
            path = " ".join(result.path) if len(result.path) <= 12 else " ".join(result.path[:12]) + " …"
            return f"best path {path}, P = {probability} (ln {format_number(result.log_probability)})"
        return f"P(O) = {probability} (ln {format_number(result.log_probability)})"

    def _mark_node(
        self,
        marks: TrellisMarks,
        tables: dict[str, GridMarks],
        event: TrellisNode,
        node: tuple[int, int] | None,
    ) -> None:
        assert node is not None and self.result is not None
        j, t = node
        marks.current = node
        style = self.number_style
        symbol_column = self._symbol_column(t if event.kind != "backward" else min(t + 1, self._last_time()))
        if not event.terms:
            if event.kind != "backward":
                tables["pi"].fills[(j, 0)] = "current"
                tables["pi"].outlines[(j, 0)] = "current"
                tables["B"].fills[(j, symbol_column)] = "current"
                tables["B"].outlines[(j, symbol_column)] = "current"
            return
        order = sorted(range(len(event.terms)), key=lambda k: -event.terms[k].log_product)
        shown = order[: self.top_k_box.value()]
        if event.best is not None and event.best not in shown:
            shown.append(event.best)
        total = math.fsum(
            math.exp(term.log_product - event.terms[order[0]].log_product) for term in event.terms
        )
        source_time = t - 1 if event.kind != "backward" else t + 1
        for k in shown:
            term = event.terms[k]
            winner = k == event.best
            share = math.exp(term.log_product - event.terms[order[0]].log_product) / total if total else 0
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

    def _last_time(self) -> int:
        assert self.result is not None
        return len(self.result.observations) - 1

    def _symbol_column(self, t: int) -> int:
        """The column of B (as shown) holding the word at time ``t``."""
        assert self.result is not None and self.hmm is not None
        word = self.result.observations[t]
        if self._shown_symbols:
            index = self.hmm.symbol_index(word)
            if index is not None:
                return index
            lowered = self.hmm.symbol_index(word.lower())
            return lowered if lowered is not None else 0
        return list(dict.fromkeys(self.result.observations)).index(word)

    def _mark_backpointers(self, marks: TrellisMarks, result: ViterbiResult, step: int) -> None:
        filled = marks.filled
        assert filled is not None
        marks.edges.extend(
            edge for node, edge in self._backpointer_edges if filled[node] and node != marks.current
        )
        path = result.path_shown(step)
        marks.path = path
        marks.tags = {t: result.hmm.states[s] for t, s in path.items()}
        for t in sorted(path):
            if t + 1 in path:
                marks.edges.append(Edge((path[t + 1], t + 1), (path[t], t), "final_path", 4.0))

    def narration(self, step: int) -> tuple[str, str]:
        result = self.result
        if result is None:
            return ("", "")
        phase = result.phase_at(step)
        heading = _PHASE_TITLES.get(phase, phase)
        if step == 0:
            return (heading, result.trace.narrate(0))
        event = result.trace[step - 1]
        text = event.describe(self.number_style)
        if isinstance(event, TrellisNode):
            t = event.time - 1
            word = result.observations[t]
            heading = f"{heading}: t = {event.time}, observation '{word}'"
            note = result.notes[t if event.kind != "backward" else min(t + 1, self._last_time())]
            if note != "known":
                text += f"  ({note})"
        elif isinstance(event, BacktraceStep):
            heading = f"{heading}: t = {event.time}"
        if step == len(result.trace):
            text += "  Press Home to replay from the start."
        return (heading, text)

    # -- model editing and training (dialogs live in their own modules) -------------------------
    def edit_model(self) -> None:
        """Open the model editor on the current model; apply it if the user accepts."""
        from visualizer.panels.hmm_editor import ModelEditor

        if self.hmm is None:
            return
        editor = ModelEditor(self.hmm, self)
        if editor.exec():
            self._model_source = {"hmm": editor.model().to_dict()}
            self.run()

    def train_from_file(self) -> None:
        """Ask for a treebank, train in a worker thread with progress and cancel, then use the tagger."""
        from visualizer.panels.hmm_training import ask_and_train

        source = ask_and_train(self)
        if source is not None:
            self._model_source = source
            if not self.observations_edit.text().strip() or self.observations_edit.text() == "3 1 3":
                self.observations_edit.setText("I will back the bill tomorrow .")
            self.run()

    def node_scene_point(self, node: tuple[int, int]) -> QPointF:
        """Scene position of a node's centre (for tests and tools)."""
        assert self._trellis is not None
        return self._trellis.mapToScene(self._trellis.node_rect(node).center())

    @property
    def trellis(self) -> TrellisItem | None:
        return self._trellis

    @property
    def tables(self) -> dict[str, GridItem]:
        return self._tables


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(HMMPanel)
