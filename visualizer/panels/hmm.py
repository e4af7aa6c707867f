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

import re
from typing import Any

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QComboBox, QGraphicsItem, QLabel, QPushButton, QWidget

from algorithms.hmm import (
    HMM,
    BacktraceStep,
    Termination,
    TrellisNode,
    TrellisResult,
    backward,
    format_probability,
    forward,
    viterbi,
)
from algorithms.trace import format_value
from visualizer.form import DeclaredForm
from visualizer.marks.hmm import (
    LEGEND_SAMPLES,
    backpointer_edges,
    faded_nodes,
    legend_entries,
    marks_for,
    result_line,
    symbol_columns,
)
from visualizer.panels.base import Panel
from visualizer.panels.hmm_models import (
    ALGORITHM_LABELS,
    BUILTIN_MODELS,
    HMMInputs,
    TrainedTagger,
    build_model,
    model_label,
    train_tagger,
)
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem
from visualizer.views.grid import GridItem
from visualizer.views.marks import Edge
from visualizer.views.trellis import TrellisItem

__all__ = ["HMMPanel", "HMMInputs", "MAX_OBSERVATIONS", "tokenize"]  # HMMInputs lives in hmm_models

#: Longest observation sequence the panel traces (the engine itself has no limit).
MAX_OBSERVATIONS = 200
#: Emission tables with more symbols than this show only the words of the sentence.
MAX_SHOWN_SYMBOLS = 12

_ALGORITHMS = {
    key: (label, run)
    for (key, label), run in zip(ALGORITHM_LABELS.items(), (viterbi, forward, backward), strict=True)
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

    inputs_class = HMMInputs

    result: TrellisResult | None = None
    hmm: HMM | None = None
    tagger: TrainedTagger | None = None
    _model_source: Any = "ice-cream"
    _other_sources: dict[str, Any]  # "custom" / "trained" -> the model source it stands for (build_form)
    _backpointer_edges: tuple[tuple[tuple[int, int], Edge], ...] | list[tuple[tuple[int, int], Edge]] = ()
    _texts: dict[str, np.ndarray]  # node texts by number style (build_form)
    _faded: np.ndarray | None = None
    _columns: tuple[int, ...] | list[int] = ()
    _trellis: TrellisItem | None = None
    _tables: dict[str, GridItem]  # (build_form)
    _caption: CaptionItem | None = None
    _title = ""

    # -- the form --------------------------------------------------------------------
    def build_form(self) -> QWidget:
        self._other_sources, self._texts, self._tables = {}, {}, {}
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
        self.model_info = QLabel()
        self.model_info.setWordWrap(True)
        rows = [
            # The model box sits over the observations box, which stretches: long model names fit.
            [
                self.example_box,
                self.model_box,
                self.edit_button,
                self.train_button,
                "all_backpointers",
                self.model_info,
            ],
            ["observations", "algorithm", "numbers", "top_k"],
        ]
        form = self.declared_form = DeclaredForm(HMMInputs, rows)
        self.observations_edit = form.widgets["observations"]
        self.algorithm_box, self.numbers_box = form.widgets["algorithm"], form.widgets["numbers"]
        self.top_k_box = form.widgets["top_k"]
        self.all_backpointers_box = form.widgets["all_backpointers"]
        form.edited.connect(lambda now: self.run() if now else self.schedule_run())
        form.restyled.connect(self._restyle)
        return form

    def _model_chosen(self, index: int) -> None:
        key = self.model_box.itemData(index)
        # "custom" and "trained" entries stand for the last such model, kept in _other_sources.
        self._model_source = self._other_sources.get(key, key)
        self.run()

    def _table_number(self, value: float) -> str:
        return format_value(value, self.number_style)

    def _restyle(self) -> None:
        self._texts.clear()
        for table in self._tables.values():
            table.set_formatter(self._table_number)
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
        return {**self.declared_form.values(), "model": self._model_source}

    def form_filled(self, inputs: Any) -> None:
        self._model_source = inputs.model

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
        self._faded = faded_nodes(result)
        self._backpointer_edges = backpointer_edges(result, self._faded)
        self._columns = symbol_columns(hmm, result.observations, len(hmm.symbols) <= MAX_SHOWN_SYMBOLS)
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
        legend = self.legend = LegendItem(palette, legend_entries(result.kind), LEGEND_SAMPLES)
        self._trellis = TrellisItem(hmm.states, result.observations, palette)
        self.view.frozen_headers = self._trellis
        for item in (self._caption, legend, self._trellis):
            self.scene.addItem(item)
        legend.setPos(0, 62)
        self._trellis.setPos(0, 100)
        self.add_part("trellis", legend, self._trellis)
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
            symbol_labels = list(hmm.symbols)
            emission = hmm.emission
            b_title = "B = P(symbol | state)"
        else:
            # A trained tagger has thousands of words: show the sentence's own columns of B.
            words = list(dict.fromkeys(result.observations))
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
        drawn: list[QGraphicsItem] = []
        for key, title, table in tables:
            heading = TextBlockItem(palette, [title], pixels=16, bold=True)
            self.scene.addItem(heading)
            heading.setPos(x, top)
            self.scene.addItem(table)
            table.setPos(x, top + 28)
            self._tables[key] = table
            table.set_formatter(self._table_number)  # the trellis's style: .32 beside .8, not 0.8
            self.add_part(key, heading, table)
            drawn += [heading, table]
            x += max(table.boundingRect().width(), heading.boundingRect().width()) + 40
        self.add_part("tables", *drawn)

    # -- rendering ---------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        result, trellis = self.result, self._trellis
        if result is None or trellis is None or self._caption is None or self._faded is None:
            return
        marks, table_marks = marks_for(
            result, result.state_at(step), result.event_at(step), texts=self._node_texts(), faded=self._faded,
            edges=self._backpointer_edges, columns=self._columns, top_k=self.top_k_box.value(),
            style=self.number_style, all_backpointers=self.all_backpointers_box.isChecked(),
        )  # fmt: skip
        for key, table in self._tables.items():
            table.set_marks(table_marks[key])
        trellis.set_marks(marks)
        # The answer appears once the recursion has produced it, not before: no spoilers in class.
        done = step > result.node_count
        summary = (
            result_line(result)
            if done
            else f"{len(result.observations)} observations, {len(result.hmm.states)} states"
        )
        self._caption.set_text(
            self._title,
            f"{summary}   ·   step {step:,} / {len(result.trace):,}   ·   {result.phase_at(step)}"
            + ("   ·   numbers are ln P" if self.number_style == "log" else ""),
        )

    def focus_rect(self, step: int) -> QRectF:
        """The node the step computes or the backtrace chooses; the last column at termination."""
        result, trellis = self.result, self._trellis
        if result is None or trellis is None:
            return QRectF()
        event = result.event_at(step)
        if isinstance(event, TrellisNode | BacktraceStep):
            node = (result.hmm.states.index(event.state), event.time - 1)
            # With the state names beside the column (the node's row named right next to it).
            names = trellis.state_names_rect(node[1]) & trellis.node_rect(node).adjusted(-200, 0, 200, 0)
            return trellis.mapRectToScene(trellis.node_rect(node) | names)
        # Forward and Viterbi run left to right, backward right to left: start and end columns swap.
        first, last = 0, len(result.observations) - 1
        if result.kind == "backward":
            first, last = last, first
        column = last if isinstance(event, Termination) else first
        return trellis.mapRectToScene(trellis.column_rect(column))

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
            note = result.notes[t if event.kind != "backward" else min(t + 1, len(result.observations) - 1)]
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
