"""Dependency-parsing panel (SLP3 ch. 19): stack, buffer and arcs, step by step.

Modes: *oracle* (the transitions that build a gold tree, each justified by
the gold arc it realises), *model* (a trained neural parser; every step shows
its probabilities over the legal transitions and the features it looked at)
and *manual* (the user picks each transition; illegal ones are disabled with
the reason as a tooltip). With a gold tree at hand, *compare with gold*
colours wrong heads and shows the gold arc dashed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from algorithms.dependency import (
    SYSTEMS,
    TRANSITIONS,
    Configuration,
    DependencyTree,
    ParseResult,
    apply,
    legal_transitions,
    parse,
    read_conllu,
)
from algorithms.trace import Trace
from visualizer.declared import Inputs, choice, custom, text, whole
from visualizer.form import DeclaredForm
from visualizer.marks.dependency import (
    LEGEND_SAMPLES,
    detail_lines,
    info_line,
    legend_entries,
    marks_for,
    tagged_text,
    transition_table,
)
from visualizer.panels.base import Panel
from visualizer.views.arcs import ArcsItem, StackBufferItem
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem

__all__ = ["DependencyPanel", "DependencyInputs", "SLP3_BOOK", "MAX_TOKENS"]

#: SLP3 ch. 19: "Book me the morning flight" and its gold tree.
SLP3_BOOK = DependencyTree(
    ["Book", "me", "the", "morning", "flight"],
    [0, 1, 5, 5, 1],
    ["root", "iobj", "det", "compound", "obj"],
    ["VERB", "PRON", "DET", "NOUN", "NOUN"],
)
MAX_TOKENS = 150
_MODES = {"oracle": "Oracle (gold tree)", "model": "Trained model", "manual": "Manual"}


def _moves(value: Any) -> tuple[tuple[str, str | None], ...]:
    """The manual transitions from JSON: [[name, label or null], ...]."""
    if not isinstance(value, list | tuple):
        raise ValueError(f'The dependency input "manual" must be a list of moves; got {value!r}.'[:160])
    moves = []
    for move in value:
        if not (
            isinstance(move, list | tuple)
            and len(move) == 2
            and move[0] in TRANSITIONS
            and (move[1] is None or isinstance(move[1], str))
        ):
            raise ValueError(
                'Each move of the dependency input "manual" must be [transition, label or null], '
                f'like ["LEFTARC", "nsubj"]; got {move!r}.'
            )
        moves.append((move[0], move[1]))
    return tuple(moves)


@dataclass(frozen=True)
class DependencyInputs(Inputs):
    """A sentence (typed, SLP3's, or a treebank's), the transition system and who picks the transitions."""

    WHAT = "dependency"
    SCHEMA = 1

    sentence: str = text(
        "Sentence", "slp3", "'slp3' or words as word/TAG … (tags optional)", "--sentence",
        "word/TAG word/TAG … (tags optional), or pick a treebank sentence",
    )  # fmt: skip
    conllu: str = text("Treebank", "", "a CoNLL-U file; with --index, parse its sentence", "--conllu")
    index: int = whole("Sentence", 1, "1-based sentence number in --conllu", "--index", 1, 10**7, False)
    mode: str = choice("Mode", "oracle", _MODES, "Who picks each transition", "--mode")
    system: str = choice(
        "System", "arc-standard", {s: s for s in SYSTEMS}, "The transition system", "--system"
    )
    model: str = text("Parser", "", "a saved parser (.npz with its .json) for --mode model", "--model")
    manual: tuple[tuple[str, str | None], ...] = custom("Moves", (), "The transitions picked by hand", _moves)


class DependencyPanel(Panel):
    """Shift-reduce dependency parsing with stack, buffer and arcs."""

    name = "dependency"
    examples = (
        ("SLP3: Book me the morning flight (arc-standard oracle)", {"sentence": "slp3", "mode": "oracle"}),
        ("The same with arc-eager", {"sentence": "slp3", "mode": "oracle", "system": "arc-eager"}),
        ("Step it yourself (manual)", {"sentence": "slp3", "mode": "manual"}),
    )

    inputs_class = DependencyInputs

    gold: DependencyTree | None = None
    result: ParseResult | None = None
    trace: Trace | None = None
    shown_mode = "oracle"
    parser_model: Any = None
    _model_path = ""
    _treebank: tuple[DependencyTree, ...] | list[DependencyTree] = ()
    _treebank_path = ""
    _manual: list[tuple[str, str | None]]  # made per panel in build_form
    _arcs: ArcsItem | None = None
    _stack: StackBufferItem | None = None
    _caption: CaptionItem | None = None
    _details: TextBlockItem | None = None
    _title = ""

    # -- the form --------------------------------------------------------------------------------------------
    def build_form(self) -> QWidget:
        self._manual = []
        self.example_box = self.build_example_box()
        self.treebank_button = QPushButton("Open CoNLL-U…")
        self.treebank_button.clicked.connect(self.open_treebank)
        self.index_box = QSpinBox()
        self.index_box.setPrefix("sentence ")
        self.index_box.setRange(1, 1)
        self.index_box.setEnabled(False)
        self.train_button = QPushButton("Train parser…")
        self.train_button.setToolTip("Train the neural parser on the open treebank (in the background)")
        self.train_button.clicked.connect(self.train_on_treebank)
        self.compare_box = QCheckBox("Compare with gold")
        self.compare_box.setChecked(True)
        self.move_buttons: dict[str, QPushButton] = {}
        moves = QWidget()
        moves_layout = QGridLayout(moves)
        moves_layout.setContentsMargins(0, 0, 0, 0)
        for column, name in enumerate(("SHIFT", "LEFTARC", "RIGHTARC", "REDUCE")):
            button = QPushButton(name)
            button.clicked.connect(lambda _=False, n=name: self.apply_manual(n))
            moves_layout.addWidget(button, 0, column)
            self.move_buttons[name] = button
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("label")
        self.label_edit.setMaximumWidth(110)
        moves_layout.addWidget(self.label_edit, 0, 4)
        self.undo_button = QPushButton("Undo")
        self.undo_button.clicked.connect(self.undo_manual)
        moves_layout.addWidget(self.undo_button, 0, 5)
        self.info = QLabel()
        rows = [
            [self.example_box, "sentence", "mode", "system"],
            [self.treebank_button, self.index_box, self.train_button, self.compare_box, moves],
        ]
        form = self.declared_form = DeclaredForm(DependencyInputs, rows)
        form.layout().addWidget(self.info, 2, 0, 1, 6)
        self.sentence_edit = form.widgets["sentence"]
        self.mode_box, self.system_box = form.widgets["mode"], form.widgets["system"]
        self.sentence_edit.returnPressed.disconnect()
        self.sentence_edit.returnPressed.connect(self._typed)
        form.edited.connect(lambda now: self.run() if now else None)  # typing waits for Enter
        self.index_box.valueChanged.connect(lambda _: self._pick_sentence())
        self.compare_box.toggled.connect(lambda _: self.show_step(self.model.current_step))
        return form

    def _typed(self) -> None:
        self.gold = None
        self.run()

    def _pick_sentence(self) -> None:
        if self._treebank:
            self.gold = self._treebank[self.index_box.value() - 1]
            self.sentence_edit.setText(tagged_text(self.gold))
            self.run()

    # -- inputs ----------------------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return str(self.mode_box.currentData())

    @property
    def system(self) -> str:
        return str(self.system_box.currentData())

    def inputs(self) -> dict[str, Any]:
        values = self.declared_form.values()
        values["manual"] = [list(t) for t in self._manual]
        values["conllu"], values["index"] = self._treebank_path, self.index_box.value()
        if not self._treebank_path and self.gold is SLP3_BOOK:
            values["sentence"] = "slp3"
        values["model"] = self._model_path
        return values

    def form_filled(self, inputs: Any) -> None:
        """The sentence, treebank, parser and moves that the form's own widgets do not hold."""
        if inputs.model:
            self.load_model(inputs.model)
        self._manual = list(inputs.manual)
        if inputs.conllu:
            self.load_treebank(inputs.conllu, inputs.index, run=False)
            return
        self._treebank, self._treebank_path = [], ""
        self.index_box.setEnabled(False)
        self.gold = SLP3_BOOK if inputs.sentence == "slp3" else None
        self.sentence_edit.setText(tagged_text(SLP3_BOOK) if self.gold else inputs.sentence)

    # -- treebanks and models --------------------------------------------------------------------------------
    def open_treebank(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Treebank", "", "CoNLL-U (*.conllu);;All (*)")
        if path:
            self.load_treebank(path)

    def load_treebank(self, path: str, index: int = 1, run: bool = True) -> bool:
        """Read a CoNLL-U file and show its ``index``-th sentence (1-based)."""
        try:
            trees = read_conllu(path)
        except ValueError as problem:
            self.show_message(str(problem))
            if not run:
                raise
            return False
        if not trees:
            message = f"{Path(path).name} has no sentences: a CoNLL-U file has a line per word."
            self.show_message(message)
            if not run:
                raise ValueError(message)
            return False
        if not 1 <= index <= len(trees):
            raise ValueError(f"{Path(path).name} has {len(trees):,} sentences; there is no sentence {index}.")
        self._treebank, self._treebank_path = trees, path
        self.index_box.blockSignals(True)
        self.index_box.setRange(1, len(trees))
        self.index_box.setValue(index)
        self.index_box.setEnabled(True)
        self.index_box.blockSignals(False)
        self.gold = trees[index - 1]
        self.sentence_edit.setText(tagged_text(self.gold))
        return self.run() if run else True

    def load_model(self, path: str) -> None:
        from algorithms.neural_parser import ParserModel

        self.parser_model = ParserModel.load(path)
        self._model_path = path

    def train_on_treebank(self) -> None:
        """Train the neural parser on the open treebank in a worker thread, then parse with it."""
        if not self._treebank:
            self.show_message("Open a CoNLL-U treebank first: the parser trains on its gold trees.")
            return
        from algorithms.neural_parser import train_parser
        from visualizer.background import run_in_background

        trees, system = self._treebank, self.system
        try:
            model = run_in_background(
                self, f"Training the parser on {len(trees):,} sentences…",
                lambda progress, cancelled: train_parser(
                    trees, system=system, progress=progress, cancelled=cancelled
                ),
            )  # fmt: skip
        except InterruptedError:
            self.show_message("Training was cancelled.")
            return
        except ValueError as problem:
            self.show_message(str(problem))
            return
        self.parser_model, self._model_path = model, ""
        self.mode_box.setCurrentIndex(self.mode_box.findData("model"))
        self.run()

    # -- computing -------------------------------------------------------------------------------------------
    def _words_and_tags(self) -> tuple[list[str], list[str] | None]:
        if self.gold is not None:
            return list(self.gold.words), list(self.gold.tags) if self.gold.tags else None
        tokens = self.sentence_edit.text().split()
        if not tokens:
            raise ValueError("Type a sentence (word/TAG word/TAG …) or open a CoNLL-U treebank.")
        words, tags = [], []
        for token in tokens:
            word, _, tag = token.rpartition("/") if "/" in token[1:] else (token, "", "")
            words.append(word or token)
            tags.append(tag)
        return words, tags if all(tags) else None

    def compute(self) -> None:
        words, tags = self._words_and_tags()
        if len(words) > MAX_TOKENS:
            raise ValueError(f"The sentence has {len(words)} words; this panel shows at most {MAX_TOKENS}.")
        system, mode = self.system, self.mode
        if mode == "oracle":
            if self.gold is None:
                raise ValueError(
                    "The oracle needs a gold tree: pick a treebank sentence or the SLP3 example."
                )
            result = parse(words, tags, system, oracle=self.gold)
        elif mode == "model":
            if self.parser_model is None:
                raise ValueError("There is no trained parser yet: open a treebank and press Train parser….")
            if self.parser_model.system != system:
                raise ValueError(
                    f"This parser was trained for {self.parser_model.system}; switch the system."
                )
            result = parse(words, tags, system, model=self.parser_model)
        else:
            result = parse(words, tags, system, transitions=self._manual)
        self.result, self.trace = result, result.trace
        # What is drawn: rendering reads this, never the mode box, which may hold a refused choice.
        self.shown_mode = mode
        for button, name in ((b, n) for n, b in self.move_buttons.items()):
            button.setVisible(mode == "manual" and (name != "REDUCE" or system == "arc-eager"))
        self.label_edit.setVisible(mode == "manual")
        self.undo_button.setVisible(mode == "manual")
        self._build_scene(words, tags)
        self.model.set_trace(result.trace)
        if mode == "manual":
            self.model.set_step(len(result.trace))
        self._update_moves()
        self.info.setText(info_line(self.result, self.gold, self.shown_mode, self.parser_model))

    # -- manual mode -----------------------------------------------------------------------------------------
    def _manual_config(self) -> Configuration:
        config = Configuration(len(self.result.words) if self.result else 0)
        for transition in self._manual:
            apply(config, transition, self.result.system if self.result else self.system)
        return config

    def _update_moves(self) -> None:
        if self.shown_mode != "manual" or self.result is None:
            return
        legal = legal_transitions(self._manual_config(), self.result.system)
        for name, button in self.move_buttons.items():
            reason = legal.get(name, "not in this system")
            button.setEnabled(not reason)
            button.setToolTip(reason or f"apply {name}")
        self.undo_button.setEnabled(bool(self._manual))

    def apply_manual(self, name: str) -> None:
        label = self.label_edit.text().strip() or ("dep" if name in ("LEFTARC", "RIGHTARC") else None)
        self._manual.append((name, label if name in ("LEFTARC", "RIGHTARC") else None))
        if not self.run():
            self._manual.pop()
            self.run()

    def undo_manual(self) -> None:
        if self._manual:
            self._manual.pop()
            self.run()

    # -- the scene -------------------------------------------------------------------------------------------
    def _build_scene(self, words: list[str], tags: list[str] | None) -> None:
        palette = self.palette_roles
        self.scene.clear()
        self._caption = CaptionItem(palette)
        legend = self.legend = LegendItem(palette, legend_entries(self._comparing()), LEGEND_SAMPLES)
        self._stack = StackBufferItem(palette)
        self._arcs = ArcsItem(palette, words, tags)
        self._details = TextBlockItem(palette, [""], pixels=14, mono=True)  # SLP3's trace table
        for item in (self._caption, legend, self._stack, self._arcs, self._details):
            self.scene.addItem(item)
        legend.setPos(0, 62)
        self._stack.setPos(0, 100)
        self._arcs.setPos(0, 250)
        spans = [(h, d) for d, h in enumerate(self.result.heads, start=1)] if self.result else []
        if self.gold is not None:
            spans += [(h, d) for d, h in enumerate(self.gold.heads, start=1)]
        self._arcs.set_layout(spans)
        self._title = (
            f"{_MODES[self.mode]} · {self.system} · “{' '.join(words[:12])}{' …' if len(words) > 12 else ''}”"
        )
        self._place_details()
        self.add_part("stack", self._stack)
        self.add_part("arcs", legend, self._arcs)
        self.add_part("details", self._details)

    def _place_details(self) -> None:
        if self._arcs is not None and self._details is not None:
            self._details.setPos(0, 250 + self._arcs.boundingRect().height() + 16)

    # -- rendering -------------------------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        result, arcs_item, stack_item = self.result, self._arcs, self._stack
        if result is None or arcs_item is None or stack_item is None or self._caption is None:
            return
        event = result.event_at(step)
        comparing = self._comparing()
        self.legend.set_entries(legend_entries(comparing), LEGEND_SAMPLES)
        marks = marks_for(result, result.state_at(step), event, self.gold if comparing else None)
        arcs_item.set_arcs(marks.arcs, marks.token_roles)
        self._place_details()
        stack_item.set_contents(marks.stack, marks.buffer, marks.stack_roles)
        self._details.set_lines(
            [*transition_table(result, step), *detail_lines(result, step, self.parser_model)]
        )
        done = f"{marks.attached} of {len(result.words)} words attached"
        self._caption.set_text(self._title, f"{done}   ·   step {step} / {len(result.trace)}")

    def focus_rect(self, step: int) -> QRectF:
        """The arc the step adds (with its words), else the top of the stack and the buffer's front."""
        result, arcs_item, stack_item = self.result, self._arcs, self._stack
        if result is None or arcs_item is None or stack_item is None:
            return QRectF()
        event = result.event_at(step)
        if event is not None and event.arc is not None:
            return arcs_item.mapRectToScene(arcs_item.arc_rect(*event.arc))
        return stack_item.mapRectToScene(stack_item.top_rect())

    def _comparing(self) -> bool:
        """Heads are judged right or wrong only against a gold tree, and never in oracle mode."""
        return self.compare_box.isChecked() and self.gold is not None and self.shown_mode != "oracle"

    def narration(self, step: int) -> tuple[str, str]:
        if self.result is None:
            return ("", "")
        if step == 0:
            start = "Start: ROOT on the stack, every word in the buffer."
            if self.shown_mode == "manual":
                start += " Pick a transition with the buttons above."
            return ("Start", start)
        event = self.result.trace[step - 1]
        heading = f"Transition {event.transition[0]}"  # the step number is beside it already
        text = event.describe()
        if event.probabilities:
            text += "; " + ", ".join(f"{name} {p:.2f}" for name, p in event.probabilities[:3])
        return (heading, text)

    @property
    def arcs_view(self) -> ArcsItem | None:
        return self._arcs

    @property
    def stack_view(self) -> StackBufferItem | None:
        return self._stack


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(DependencyPanel)
