"""Dependency-parsing panel (SLP3 ch. 19): stack, buffer and arcs, step by step.

Modes: *oracle* (the transitions that build a gold tree, each justified by
the gold arc it realises), *model* (a trained neural parser; every step shows
its probabilities over the legal transitions and the features it looked at)
and *manual* (the user picks each transition; illegal ones are disabled with
the reason as a tooltip). With a gold tree at hand, *compare with gold*
colours wrong heads and shows the gold arc dashed.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from algorithms.dependency import (
    SYSTEMS,
    TRANSITIONS,
    Configuration,
    DependencyTree,
    ParseResult,
    ParseStep,
    apply,
    legal_transitions,
    parse,
    read_conllu,
)
from algorithms.trace import Trace
from visualizer.inputs import Fields
from visualizer.panels.base import Panel
from visualizer.theme import LIGHT, Palette
from visualizer.views.arcs import ArcMark, ArcsItem, StackBufferItem
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem

__all__ = ["DependencyPanel", "SLP3_BOOK", "MAX_TOKENS"]

#: SLP3 ch. 19: "Book me the morning flight" and its gold tree.
SLP3_BOOK = DependencyTree(
    ["Book", "me", "the", "morning", "flight"],
    [0, 1, 5, 5, 1],
    ["root", "iobj", "det", "compound", "obj"],
    ["VERB", "PRON", "DET", "NOUN", "NOUN"],
)
MAX_TOKENS = 150
_MODES = {"oracle": "Oracle (gold tree)", "model": "Trained model", "manual": "Manual"}


class DependencyPanel(Panel):
    """Shift-reduce dependency parsing with stack, buffer and arcs."""

    name = "dependency"
    examples = (
        ("SLP3: Book me the morning flight (arc-standard oracle)", {"sentence": "slp3", "mode": "oracle"}),
        ("The same with arc-eager", {"sentence": "slp3", "mode": "oracle", "system": "arc-eager"}),
        ("Step it yourself (manual)", {"sentence": "slp3", "mode": "manual"}),
    )

    def __init__(
        self,
        palette: Palette | None = None,
        parent: QWidget | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        self.gold: DependencyTree | None = None
        self.result: ParseResult | None = None
        self.trace: Trace | None = None
        self.shown_mode = "oracle"
        self.parser_model: Any = None
        self._model_path = ""
        self._treebank: list[DependencyTree] = []
        self._treebank_path = ""
        self._manual: list[tuple[str, str | None]] = []
        self._arcs: ArcsItem | None = None
        self._stack: StackBufferItem | None = None
        self._caption: CaptionItem | None = None
        self._details: TextBlockItem | None = None
        self._title = ""
        super().__init__(palette or LIGHT, parent)
        self.set_inputs(inputs if inputs is not None else dict(self.examples[0][1]))

    # -- the form --------------------------------------------------------------------------------------------
    def build_form(self) -> QWidget:
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(8, 6, 8, 2)
        self.example_box = self.build_example_box()
        self.sentence_edit = QLineEdit()
        self.sentence_edit.setPlaceholderText(
            "word/TAG word/TAG … (tags optional), or pick a treebank sentence"
        )
        self.mode_box = QComboBox()
        for key, label in _MODES.items():
            self.mode_box.addItem(label, key)
        self.system_box = QComboBox()
        for system in SYSTEMS:
            self.system_box.addItem(system, system)
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
        grid.addWidget(self.example_box, 0, 0)
        grid.addWidget(self.sentence_edit, 0, 1, 1, 3)
        grid.addWidget(self.mode_box, 0, 4)
        grid.addWidget(self.system_box, 0, 5)
        grid.addWidget(self.treebank_button, 1, 0)
        grid.addWidget(self.index_box, 1, 1)
        grid.addWidget(self.train_button, 1, 2)
        grid.addWidget(self.compare_box, 1, 3)
        grid.addWidget(moves, 1, 4, 1, 2)
        grid.addWidget(self.info, 2, 0, 1, 6)
        grid.setColumnStretch(1, 2)
        self.sentence_edit.returnPressed.connect(self._typed)
        self.mode_box.activated.connect(lambda _: self.run())
        self.system_box.activated.connect(lambda _: self.run())
        self.index_box.valueChanged.connect(lambda _: self._pick_sentence())
        self.compare_box.toggled.connect(lambda _: self.show_step(self.model.current_step))
        return form

    def _typed(self) -> None:
        self.gold = None
        self.run()

    def _pick_sentence(self) -> None:
        if self._treebank:
            self.gold = self._treebank[self.index_box.value() - 1]
            self.sentence_edit.setText(_tagged_text(self.gold))
            self.run()

    # -- inputs ----------------------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return str(self.mode_box.currentData())

    @property
    def system(self) -> str:
        return str(self.system_box.currentData())

    def inputs(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "mode": self.mode,
            "system": self.system,
            "manual": [list(t) for t in self._manual],
        }
        if self._treebank_path:
            values["conllu"] = self._treebank_path
            values["index"] = self.index_box.value()
        elif self.gold is SLP3_BOOK:
            values["sentence"] = "slp3"
        else:
            values["sentence"] = self.sentence_edit.text()
        if self._model_path:
            values["model"] = self._model_path
        return values

    def fill_form(self, values: dict[str, Any]) -> None:
        fields = Fields(values, "dependency")
        mode = fields.choice("mode", "oracle", tuple(_MODES))
        system = fields.choice("system", "arc-standard", tuple(SYSTEMS))
        model, conllu = fields.text("model", ""), fields.text("conllu", "")
        index = fields.whole("index", 1, 1, 10**7)
        sentence = fields.text("sentence", "slp3")
        manual = []
        for move in fields.items("manual", []):
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
            manual.append((move[0], move[1]))
        if model:
            self.load_model(model)
        self._manual = manual
        self.mode_box.setCurrentIndex(self.mode_box.findData(mode))
        self.system_box.setCurrentIndex(self.system_box.findData(system))
        if conllu:
            self.load_treebank(conllu, index, run=False)
        else:
            self._treebank, self._treebank_path = [], ""
            self.index_box.setEnabled(False)
            if sentence == "slp3":
                self.gold = SLP3_BOOK
                self.sentence_edit.setText(_tagged_text(SLP3_BOOK))
            else:
                self.gold = None
                self.sentence_edit.setText(str(sentence))

    @classmethod
    def add_export_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--sentence", default="slp3", help="'slp3' or words as word/TAG … (default: slp3)"
        )
        parser.add_argument("--conllu", help="a CoNLL-U file; with --index, parse its sentence")
        parser.add_argument("--index", type=int, default=1, help="1-based sentence number in --conllu")
        parser.add_argument("--mode", choices=tuple(_MODES), default="oracle")
        parser.add_argument("--system", choices=SYSTEMS, default="arc-standard")
        parser.add_argument("--model", help="a saved parser (.npz with its .json) for --mode model")

    @classmethod
    def inputs_from_arguments(cls, arguments: argparse.Namespace) -> dict[str, Any]:
        values: dict[str, Any] = {"mode": arguments.mode, "system": arguments.system}
        if arguments.conllu:
            values["conllu"], values["index"] = arguments.conllu, arguments.index
        else:
            values["sentence"] = arguments.sentence
        if arguments.model:
            values["model"] = arguments.model
        return values

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
        self.sentence_edit.setText(_tagged_text(self.gold))
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
                    trees, system=system, progress=lambda f, _loss: progress(f), cancelled=cancelled
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
        self.info.setText(self._info_line())

    def _info_line(self) -> str:
        if self.result is None:
            return ""
        parts = [
            f"{len(self.result.words)} words, {len(self.result.trace)} transitions ({self.result.system})"
        ]
        if self.gold is not None and self.shown_mode != "manual":
            from algorithms.dependency import attachment_scores

            uas, las = attachment_scores([self.result], [self.gold])
            parts.append(f"UAS {uas:.3f}, LAS {las:.3f} against the gold tree")
        if self.parser_model is not None:
            history = self.parser_model.history
            parts.append(
                f"parser: {history.get('examples', '?'):,} training transitions"
                if history
                else "parser loaded"
            )
        return " · ".join(parts)

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
        legend = LegendItem(
            palette,
            [
                ("current", "arc just added / moved"),
                ("final_path", "right head"),
                ("error", "wrong head (gold dashed)"),
            ],
        )
        self._stack = StackBufferItem(palette)
        self._arcs = ArcsItem(palette, words, tags)
        self._details = TextBlockItem(palette, [""], pixels=15)
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

    def _place_details(self) -> None:
        if self._arcs is not None and self._details is not None:
            self._details.setPos(0, 250 + self._arcs.boundingRect().height() + 16)

    # -- rendering -------------------------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        result, arcs_item, stack_item = self.result, self._arcs, self._stack
        if result is None or arcs_item is None or stack_item is None or self._caption is None:
            return
        event = result.trace[step - 1] if step > 0 else None
        built = result.arcs_at(step)
        compare = self.compare_box.isChecked() and self.gold is not None and self.shown_mode != "oracle"
        marks = []
        for dependent, (head, label) in sorted(built.items()):
            role = "text"
            if event is not None and event.arc == (head, dependent):
                role = "current"
            elif compare:
                role = "final_path" if self.gold.heads[dependent - 1] == head else "error"
            marks.append(ArcMark(head, dependent, label or "", role))
            if compare and self.gold.heads[dependent - 1] != head:
                gold_head = self.gold.heads[dependent - 1]
                marks.append(
                    ArcMark(gold_head, dependent, self.gold.labels[dependent - 1], "muted", dashed=True)
                )
        stack, buffer = result.configuration_at(step)
        names = ("ROOT", *result.words)
        roles: dict[tuple[str, int], str] = {("stack", 0): "chosen"} if len(stack) else {}
        token_roles: dict[int, str] = {}
        if isinstance(event, ParseStep):
            if event.arc is not None:
                token_roles[event.arc[1]] = "current"
            elif event.transition[0] == "SHIFT":
                roles[("stack", 0)] = "current"
                token_roles[stack[-1]] = "current"
        arcs_item.set_arcs(marks, token_roles)
        self._place_details()
        stack_item.set_contents([names[i] for i in stack], [names[i] for i in buffer], roles)
        self._details.set_lines(self._detail_lines(step, event))
        done = f"{len(built)} of {len(result.words)} words attached"
        self._caption.set_text(self._title, f"{done}   ·   step {step} / {len(result.trace)}")

    def _detail_lines(self, step: int, event: Any) -> list[str]:
        if not isinstance(event, ParseStep) or not event.probabilities or self.parser_model is None:
            return []
        lines = ["Model: P(transition | configuration) over the legal transitions"]
        lines += [f"  {name:<22} {p:.3f}" for name, p in event.probabilities[:6]]
        # The features come from the configuration *before* this step.
        config = Configuration(len(self.result.words))
        for transition in self.result.transitions[: step - 1]:
            apply(config, transition, self.system)
        features = self.parser_model.describe_features(config, self.result.words, self.result.tags)
        lines.append("Features used: " + ",  ".join(f"{name} = {value}" for name, value in features[:9]))
        if len(features) > 9:
            lines.append("  " + ",  ".join(f"{name} = {value}" for name, value in features[9:]))
        return lines

    def narration(self, step: int) -> tuple[str, str]:
        if self.result is None:
            return ("", "")
        if step == 0:
            start = "Start: ROOT on the stack, every word in the buffer."
            if self.shown_mode == "manual":
                start += " Pick a transition with the buttons above."
            return ("Start", start)
        event = self.result.trace[step - 1]
        heading = f"Step {step}: {event.transition[0]}"
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


def _tagged_text(tree: DependencyTree) -> str:
    if tree.tags:
        return " ".join(f"{w}/{t}" for w, t in zip(tree.words, tree.tags, strict=True))
    return " ".join(tree.words)


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(DependencyPanel)
