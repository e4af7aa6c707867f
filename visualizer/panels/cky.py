"""Constituency parsing panel (SLP3 ch. 17, Appendix C): CNF conversion, the CKY chart, probabilistic CKY.

The trace starts with the three conversion steps (the rules each one removed
are struck out in the grammar as written, the rules it added are tinted in
the CNF listing), then fills the textbook's upper-triangular chart column by
column, bottom-up, one split at a time: the cell being filled is orange, the
two cells it combines are blue with an arrow each, and the entries added are
written in the chosen colour. In PCFG mode every entry shows its probability
and the narration shows the product and the max over splits. The tree beside
the chart is the newest constituent; click an entry (or pick a parse) to pin
its tree. Trees and chart export to PNG/SVG/PDF like every view.
"""

from __future__ import annotations

import argparse
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)

from algorithms.cfg import CNFStep, Grammar, Production
from algorithms.cky import (
    MAX_TRACED_WORDS,
    CKYResult,
    LexicalStep,
    ProbabilisticCKYResult,
    SplitStep,
    cky,
    inside_log_probability,
    probabilistic_cky,
)
from algorithms.files import read_text_file
from algorithms.resources import resource_text
from algorithms.trace import NUMBER_STYLES, Phase, Trace, format_probability, format_value
from algorithms.trees import Tree
from visualizer.inputs import Fields
from visualizer.panels.base import Panel
from visualizer.theme import LIGHT, Palette
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem, font
from visualizer.views.grid import GridItem, GridMarks
from visualizer.views.rules import RuleLine, RuleListItem
from visualizer.views.tree import TreeItem

__all__ = ["CKYPanel", "BUILTIN_GRAMMARS", "MAX_WORDS", "MAX_LISTED_PARSES"]

#: name -> file shipped in algorithms/resources/grammars
BUILTIN_GRAMMARS = {
    "l1": "l1.cfg",
    "l1-pcfg": "l1-probabilistic.pcfg",
    "pp-attachment": "pp-attachment.pcfg",
}
#: Longest sentence the panel traces (n³/6 split events).
MAX_WORDS = MAX_TRACED_WORDS
#: How many parse trees the parse list shows (the count is always exact).
MAX_LISTED_PARSES = 100
#: Lines shown in one chart cell before "+k more".
MAX_CELL_LINES = 12
#: Charts needing more than this many rule checks (n³/6 × binary rules) are filled in a worker
#: thread with a progress dialog; below it, parsing takes well under a tenth of a second.
BACKGROUND_WORK = 2_000_000

_MODES = {"cky": "CKY (all parses)", "pcky": "Probabilistic CKY (best parse)"}
_LINE_NUMBER = re.compile(r"\b[Ll]ines? (\d+)")


def builtin_grammar(name: str) -> str:
    """The text of a built-in grammar."""
    return resource_text(f"grammars/{BUILTIN_GRAMMARS[name]}")


def _word_key(production: Production) -> tuple:
    return production.key


class CKYPanel(Panel):
    """Grammar editor, CNF conversion and the CKY chart with trees."""

    name = "cky"
    examples = (
        (
            "L1: book the flight through Houston (SLP3 Fig. 17.12)",
            {"grammar": "l1", "sentence": "book the flight through Houston", "mode": "cky"},
        ),
        (
            "L1: does she prefer a flight",
            {"grammar": "l1", "sentence": "does she prefer a flight", "mode": "cky"},
        ),
        (
            "L1 PCFG: book the flight through Houston (SLP3 Fig. C.1)",
            {"grammar": "l1-pcfg", "sentence": "book the flight through Houston", "mode": "pcky"},
        ),
        (
            "PP attachment: I saw the man with the telescope",
            {"grammar": "pp-attachment", "sentence": "I saw the man with the telescope", "mode": "pcky"},
        ),
        (
            "PP attachment, all parses (CKY)",
            {"grammar": "pp-attachment", "sentence": "I saw the man with the telescope", "mode": "cky"},
        ),
    )

    def __init__(
        self,
        palette: Palette | None = None,
        parent: QWidget | None = None,
        inputs: dict[str, Any] | None = None,
    ) -> None:
        self.grammar: Grammar | None = None
        self.cnf: Grammar | None = None
        self.result: CKYResult | ProbabilisticCKYResult | None = None
        self.trace: Trace | None = None
        self._conversion: tuple[CNFStep, ...] = ()
        self._chart: GridItem | None = None
        self._tree: TreeItem | None = None
        self._tree_title: TextBlockItem | None = None
        self._original_rules: RuleListItem | None = None
        self._cnf_rules: RuleListItem | None = None
        self._caption: CaptionItem | None = None
        self._done_lines: dict[tuple[int, int], list[tuple[str, float]]] = {}
        self._listed_trees: list[Tree] = []
        self._pinned: tuple[str, Tree] | None = None
        self._title = ""
        self._inside_log: float | None = None
        super().__init__(palette or LIGHT, parent)
        self.set_inputs(inputs if inputs is not None else dict(self.examples[0][1]))

    # -- the form --------------------------------------------------------------------------
    def build_form(self) -> QWidget:
        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(8, 6, 8, 2)
        self.example_box = self.build_example_box()
        self.grammar_edit = QPlainTextEdit()
        self.grammar_edit.setFont(font(13, mono=True))
        self.grammar_edit.setPlaceholderText("S -> NP VP\nNP -> Det Noun\nDet -> 'the'\n…")
        self.grammar_edit.setToolTip(
            "NLTK syntax: S -> NP VP | VP, words quoted ('the'), optional probabilities [0.3]. "
            "The first rule's left side is the start symbol."
        )
        self.grammar_edit.setMinimumHeight(120)
        self.grammar_edit.setMaximumHeight(170)
        self.sentence_edit = QLineEdit()
        self.sentence_edit.setPlaceholderText("words separated by spaces")
        self.mode_box = QComboBox()
        for key, label in _MODES.items():
            self.mode_box.addItem(label, key)
        self.mode_box.setToolTip("CKY finds every parse; probabilistic CKY (a PCFG) keeps the best per cell")
        self.numbers_box = self.build_number_style_box(
            "How probabilities are written in the chart and the narration"
        )
        self.original_shape_box = QCheckBox("Trees without CNF helpers")
        self.original_shape_box.setToolTip("Draw trees with the X1… and word helpers CNF added spliced out")
        self.treebank_button = QPushButton("Estimate from treebank…")
        self.treebank_button.setToolTip("Count and divide the rules of a file of bracketed trees into a PCFG")
        self.treebank_button.clicked.connect(self.estimate_from_treebank)
        self.parse_count = QLabel()
        self.parse_list = QListWidget()
        self.parse_list.setMaximumHeight(170)
        self.parse_list.setToolTip("Pick a parse to draw its tree")

        grid.addWidget(self.example_box, 0, 0, 1, 2)
        grid.addWidget(QLabel("Sentence"), 0, 2)
        grid.addWidget(self.sentence_edit, 0, 3, 1, 2)
        grid.addWidget(self.mode_box, 0, 5)
        grid.addWidget(self.numbers_box, 0, 6)
        grid.addWidget(self.grammar_edit, 1, 0, 2, 4)
        grid.addWidget(self.parse_count, 1, 4, 1, 3)
        grid.addWidget(self.parse_list, 2, 4, 1, 3)
        grid.addWidget(self.original_shape_box, 3, 0, 1, 2)
        grid.addWidget(self.treebank_button, 3, 2, 1, 2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 2)
        grid.setColumnStretch(4, 3)

        self.grammar_edit.textChanged.connect(self._grammar_typed)
        self.sentence_edit.textEdited.connect(self.schedule_run)
        self.sentence_edit.returnPressed.connect(self.run)
        self.mode_box.activated.connect(lambda _: self.run())
        self.numbers_box.activated.connect(lambda _: self._restyle())
        self.original_shape_box.toggled.connect(lambda _: self._restyle())
        self.parse_list.currentRowChanged.connect(self._parse_picked)
        return form

    def _grammar_typed(self) -> None:
        if not self._setting_inputs:
            self.schedule_run()

    _setting_inputs = False

    def _restyle(self) -> None:
        self._done_lines.clear()
        self.model.step_changed.emit(self.model.current_step)

    # -- inputs ------------------------------------------------------------------------------
    @property
    def number_style(self) -> str:
        return str(self.numbers_box.currentData())

    @property
    def mode(self) -> str:
        return str(self.mode_box.currentData())

    def inputs(self) -> dict[str, Any]:
        return {
            "grammar": self.grammar_edit.toPlainText(),
            "sentence": self.sentence_edit.text(),
            "mode": self.mode,
            "numbers": self.number_style,
        }

    def fill_form(self, values: dict[str, Any]) -> None:
        """Fill the form (lesson, settings, example, CLI) and compute; ValueError if refused."""
        fields = Fields(values, "CKY")
        mode = fields.choice("mode", "cky", tuple(_MODES))
        numbers = self.number_style_from(values)
        grammar = fields.text("grammar", "l1")
        sentence = fields.text("sentence", "")
        if grammar in BUILTIN_GRAMMARS:
            grammar = builtin_grammar(grammar)
        self._setting_inputs = True
        try:
            self.grammar_edit.setPlainText(grammar)
        finally:
            self._setting_inputs = False
        self.sentence_edit.setText(sentence)
        self.mode_box.setCurrentIndex(self.mode_box.findData(mode))
        self.numbers_box.setCurrentIndex(self.numbers_box.findData(numbers))

    @classmethod
    def add_export_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--grammar",
            default="l1",
            help=f"a built-in grammar ({', '.join(BUILTIN_GRAMMARS)}) or a grammar file (default: l1)",
        )
        parser.add_argument(
            "--sentence", default="book the flight through Houston", help="the words, separated by spaces"
        )
        parser.add_argument(
            "--mode", choices=tuple(_MODES), default="cky", help="cky or pcky (probabilistic)"
        )
        parser.add_argument(
            "--numbers", choices=NUMBER_STYLES, default="plain", help="how probabilities are written"
        )

    @classmethod
    def inputs_from_arguments(cls, arguments: argparse.Namespace) -> dict[str, Any]:
        grammar = arguments.grammar
        if grammar not in BUILTIN_GRAMMARS:
            grammar = read_text_file(grammar, "grammar file")
        return {
            "grammar": grammar,
            "sentence": arguments.sentence,
            "mode": arguments.mode,
            "numbers": arguments.numbers,
        }

    # -- computing -------------------------------------------------------------------------
    def compute(self) -> None:
        self._underline_line(None)
        try:
            grammar = Grammar.from_string(self.grammar_edit.toPlainText())
            words = self.sentence_edit.text().split()
            if not words:
                raise ValueError("Type a sentence to parse, words separated by spaces.")
            if len(words) > MAX_WORDS:
                raise ValueError(
                    f"The sentence has {len(words)} words; this panel traces at most {MAX_WORDS}."
                )
            if self.mode == "pcky" and not grammar.is_probabilistic:
                raise ValueError(
                    "Probabilistic CKY needs a PCFG: write a probability like [0.3] after every alternative, "
                    "or choose plain CKY."
                )
            cnf = grammar if grammar.is_cnf() else grammar.to_cnf()
            result, inside_log = self._parse_maybe_in_background(cnf, words)
        except ValueError as problem:
            self._underline_line(str(problem))
            raise
        self.grammar, self.cnf, self.result = grammar, cnf, result
        self._conversion = cnf.steps if cnf is not grammar else ()
        self._inside_log = inside_log
        self._done_lines.clear()
        self._pinned = None
        self.trace = self._combined_trace(result.trace)
        self._fill_parse_list()
        self._build_scene()
        self.model.set_trace(self.trace)

    def _parse_maybe_in_background(
        self, cnf: Grammar, words: list[str]
    ) -> tuple[CKYResult | ProbabilisticCKYResult, float | None]:
        """Fill the chart here when it is quick, in a worker thread with Cancel when it is big."""
        binary = sum(1 for p in cnf.productions if p.is_binary)
        work = len(words) ** 3 / 6 * max(binary, 1)
        mode = self.mode

        def parse(progress, cancelled):
            if mode == "pcky":
                result = probabilistic_cky(cnf, words, progress=progress, cancelled=cancelled)
                return result, inside_log_probability(cnf, words)
            result = cky(cnf, words, progress=progress, cancelled=cancelled)
            _count_parses(result)  # counting walks the chart too (and is cached): here, not on the GUI thread
            return result, None

        if work < BACKGROUND_WORK:
            return parse(None, None)
        from visualizer.background import run_in_background

        try:
            return run_in_background(self, f"Filling the CKY chart for {len(words)} words…", parse)
        except InterruptedError:
            raise ValueError("Parsing was cancelled; the previous chart is kept.") from None

    def _underline_line(self, message: str | None) -> None:
        """Wave-underline the grammar line a message names (and nothing when it names none)."""
        selections = []
        match = _LINE_NUMBER.search(message or "")
        if match:
            # By paragraph (a line of the file), not by visual line: a long rule may wrap on screen.
            block = self.grammar_edit.document().findBlockByNumber(int(match.group(1)) - 1)
            if block.isValid():
                selection = QTextEdit.ExtraSelection()
                char_format = QTextCharFormat()
                char_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                char_format.setUnderlineColor(QColor(self.palette_roles.error))
                char_format.setToolTip(message)
                selection.format = char_format
                cursor = QTextCursor(block)
                cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selections.append(selection)
        self.grammar_edit.setExtraSelections(selections)

    @property
    def underlined_lines(self) -> list[int]:
        """1-based grammar lines currently underlined as wrong (for tests)."""
        return [s.cursor.blockNumber() + 1 for s in self.grammar_edit.extraSelections()]

    def _combined_trace(self, chart_trace: Trace) -> Trace:
        """The conversion steps first, then the chart's events, as one trace."""
        offset = len(self._conversion)
        steps = self._conversion

        def event_at(index: int):
            return steps[index] if index < offset else chart_trace[index - offset]

        phases = [Phase("Chomsky normal form", 0, offset)] if offset else []
        phases += [Phase(p.name, p.start + offset, p.stop + offset) for p in chart_trace.phases]
        cells = [b + offset for b in chart_trace.boundaries("cell")]
        return Trace.lazy(offset + len(chart_trace), event_at, phases, {"cell": cells})

    def _fill_parse_list(self) -> None:
        result = self.result
        self.parse_list.blockSignals(True)
        self.parse_list.clear()
        self._listed_trees = []
        if isinstance(result, ProbabilisticCKYResult):
            best = result.best_tree(0, result.n, result.grammar.start, helpers=True)
            if best is not None:
                self._listed_trees = [best]
                p = format_probability(result.log_probability, "scientific")
                self.parse_list.addItem(f"best  P = {p}   {result.tree}")
                inside_p = format_probability(self._inside_log or -math.inf, "scientific")
                self.parse_count.setText(
                    f"Best parse P = {p};  P(sentence) = {inside_p} (inside, all parses)"
                )
            else:
                self.parse_count.setText(
                    f"No parse: {self.cnf.start if self.cnf else 'S'} is not in the top cell."
                )
        elif isinstance(result, CKYResult):
            count, infinite = _count_parses(result)
            if infinite is not None:
                self.parse_count.setText(infinite)
                self.parse_list.blockSignals(False)
                return
            # Kept with CNF's helpers for the tree view (which can splice them); listed as written.
            self._listed_trees = list(result.trees(limit=MAX_LISTED_PARSES, helpers=True))
            for n, tree in enumerate(self._listed_trees, start=1):
                self.parse_list.addItem(f"{n}.  {tree.collapse(result.grammar.introduced)}")
            if count == 0:
                self.parse_count.setText(
                    f"No parse: {self.cnf.start if self.cnf else 'S'} is not in the top cell."
                )
            elif count > len(self._listed_trees):
                self.parse_count.setText(f"{count:,} parses (the first {len(self._listed_trees)} listed)")
            else:
                self.parse_count.setText(f"{count} parse{'s' if count != 1 else ''}")
        self.parse_list.blockSignals(False)

    def _parse_picked(self, row: int) -> None:
        if 0 <= row < len(self._listed_trees):
            self._pinned = (f"Parse {row + 1}", self._listed_trees[row])
            self._show_tree(self.model.current_step)

    # -- the scene ---------------------------------------------------------------------------
    def _build_scene(self) -> None:
        result, cnf, grammar = self.result, self.cnf, self.grammar
        assert result is not None and cnf is not None and grammar is not None
        palette = self.palette_roles
        self.scene.clear()
        n = result.n
        self._caption = CaptionItem(palette)
        legend = LegendItem(
            palette,
            [
                ("current", "cell being filled"),
                ("candidate", "the two cells combined"),
                ("chosen", "entry just added"),
                ("final_path", f"{cnf.start} over the whole sentence"),
            ],
        )
        present = np.zeros((n, n), dtype=bool)
        for i in range(n):
            present[i, i:] = True
        self._chart = GridItem(
            [str(i) for i in range(n)],
            list(result.tokens),
            np.zeros((n, n)),
            palette,
            corner_label="i ╲ j",
            row_indices=[""] * n,
            column_indices=[f"j={j}" for j in range(1, n + 1)],
            present=present,
            cell_size=self._cell_size(),
        )
        self._chart.clicked.connect(self._chart_clicked)
        self.view.frozen_headers = self._chart
        self._tree = TreeItem(palette)
        self._tree_title = TextBlockItem(palette, [""], pixels=16, bold=True)
        for item in (self._caption, legend, self._chart, self._tree_title, self._tree):
            self.scene.addItem(item)
        legend.setPos(0, 62)
        self._chart.setPos(0, 100)
        chart_rect = self._chart.boundingRect()
        self._tree_title.setPos(chart_rect.width() + 48, 100)
        self._tree.setPos(chart_rect.width() + 48, 136)
        y = 100 + chart_rect.height() + 36
        x = 0.0
        self._original_rules = None
        if self._conversion:
            self._original_rules = RuleListItem(palette, "Grammar as written", _rule_lines(grammar))
            self.scene.addItem(self._original_rules)
            self._original_rules.setPos(0, y)
            x = self._original_rules.boundingRect().width() + 40
        cnf_title = (
            "Chomsky normal form (tinted: added by the conversion)"
            if self._conversion
            else "Grammar (already in Chomsky normal form)"
        )
        self._cnf_rules = RuleListItem(palette, cnf_title, _rule_lines(cnf))
        self.scene.addItem(self._cnf_rules)
        self._cnf_rules.setPos(x, y)
        undefined = grammar.undefined_nonterminals()
        if undefined:
            note = TextBlockItem(
                palette,
                [
                    "Used but never defined (no rule has them on the left): "
                    + ", ".join(f"{name} (line {line})" for name, line in undefined.items())
                ],
                pixels=15,
                role="error",
            )
            self.scene.addItem(note)
            note.setPos(0, y - 28)
        self.scene.setSceneRect(self.export_rect())
        shown = " ".join(result.tokens)
        if len(shown) > 60:
            shown = shown[:57] + "…"
        self._title = f"{_MODES[self.mode]} · “{shown}”"

    def _cell_size(self) -> tuple[float, float]:
        """Wide enough for the longest entry of any finished cell, tall enough for the fullest."""
        from PySide6.QtGui import QFontMetricsF

        assert self.result is not None
        metrics = QFontMetricsF(font(16))
        widest, tallest = 0.0, 1
        n = self.result.n
        for i in range(n):
            for j in range(i + 1, n + 1):
                lines = self._lines_of(i, j)
                tallest = max(tallest, min(len(lines), MAX_CELL_LINES))
                for text in lines:
                    widest = max(widest, metrics.horizontalAdvance(text))
        words = QFontMetricsF(font(20, bold=True))
        widest_word = max(words.horizontalAdvance(w) for w in self.result.tokens) + 16
        return (math.ceil(min(max(96.0, widest + 20, widest_word), 320.0)), max(52.0, 12 + 21.0 * tallest))

    def _lines_of(self, i: int, j: int, entries: dict[str, float] | None = None) -> list[str]:
        assert self.result is not None
        values = self.result.log_cell(i, j) if entries is None else entries
        if not isinstance(self.result, ProbabilisticCKYResult):  # the result drawn, not the mode box
            return list(values)
        style = self.number_style
        return [f"{name}  {format_probability(value, style)}" for name, value in values.items()]

    # -- rendering -------------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        result, chart, caption = self.result, self._chart, self._caption
        if result is None or chart is None or caption is None or self.trace is None:
            return
        offset = len(self._conversion)
        position = max(0, step - offset)  # where the chart stands
        event = self.trace[step - 1] if step > 0 else None
        n = result.n
        done = result.cell_done_at()[:n, 1:] <= position
        marks = GridMarks(filled=done.copy())
        chart_event = event if isinstance(event, LexicalStep | SplitStep) else None
        if position >= len(result.trace) and n > 1:
            # The last step is the answer: the top cell alone is lit, not the last (often empty) split.
            chart_event = None
        added: set[str] = set()
        operands: dict[tuple[int, int], set[str]] = {}
        if isinstance(chart_event, SplitStep):
            i, j, k = chart_event.i, chart_event.j, chart_event.k
            marks.filled[i, j - 1] = True
            marks.fills[(i, j - 1)] = "current"
            marks.outlines[(i, j - 1)] = "current"
            # No arrows: in a chart they would cross the entries of the cells in between.
            for cell in ((i, k), (k, j)):
                marks.fills[(cell[0], cell[1] - 1)] = "candidate"
            added = {c.lhs for c in chart_event.combinations if c.outcome in ("add", "better")}
            operands = {
                (i, k): {c.left for c in chart_event.combinations},
                (k, j): {c.right for c in chart_event.combinations},
            }
        elif isinstance(chart_event, LexicalStep):
            i, j = chart_event.cell
            marks.fills[(i, j - 1)] = "current"
            marks.outlines[(i, j - 1)] = "current"
            marks.column_header_role[j - 1] = "current"
            added = {lhs for lhs, _ in chart_event.entries}
        current_cell = chart_event.cell if chart_event is not None else None
        finished = position >= result.cell_done_at()[0, n]
        start = self.cnf.start if self.cnf else "S"

        def texts(cell: tuple[int, int]) -> list[tuple[str, str]]:
            i, j = cell[0], cell[1] + 1
            if (i, j) == current_cell:
                entries = result.cell_at(i, j, position)
                names, lines = list(entries), self._lines_of(i, j, entries)
            else:
                lines = self._done_lines.get((i, j))
                if lines is None:
                    lines = self._done_lines[(i, j)] = self._lines_of(i, j)
                names = list(result.log_cell(i, j))
            roles = []
            used = operands.get((i, j), set())
            for name, line in zip(names, lines, strict=True):
                if (i, j) == current_cell and name in added:
                    role = "chosen"
                elif name in used:
                    role = "candidate"
                elif (i, j) == (0, n) and name == start and finished:
                    role = "final_path"
                else:
                    role = "text"
                roles.append((line, role))
            return roles

        marks.texts = texts
        if finished and result.recognized:
            marks.fills[(0, n - 1)] = "final_path"
        chart.set_marks(marks)
        self._mark_rules(step, event)
        self._show_tree(step)
        phase = self.trace.phase_at(step)
        summary = self._result_line() if finished else f"{n} words, {len(self.cnf.productions)} CNF rules"
        caption.set_text(
            self._title,
            f"{summary}   ·   step {step:,} / {len(self.trace):,}   ·   {phase.name if phase else 'start'}",
        )
        if current_cell is not None and self.model.playing:
            i, j = current_cell
            self.view.follow(chart.mapRectToScene(chart.cell_rect((i, j - 1))))

    def _result_line(self) -> str:
        result = self.result
        assert result is not None
        start = self.cnf.start if self.cnf else "S"
        if not result.recognized:
            return f"not a sentence of the grammar: no {start} in [0,{result.n}]"
        if isinstance(result, ProbabilisticCKYResult):
            return f"best parse P = {format_probability(result.log_probability, self.number_style)}"
        count, infinite = _count_parses(result)
        if infinite is not None:
            return f"{start} ∈ [0,{result.n}]: infinitely many parses (a cycle of unit rules)"
        return f"{start} ∈ [0,{result.n}]: {count:,} parse{'s' if count != 1 else ''}"

    def _mark_rules(self, step: int, event: Any) -> None:
        if self._cnf_rules is None:
            return
        fills: dict[Any, str] = {}
        outlines: dict[Any, str] = {}
        struck: set[Any] = set()
        conversion_steps = self._conversion[: min(step, len(self._conversion))]
        for n, cnf_step in enumerate(conversion_steps, start=1):
            is_current = n == step
            for p in cnf_step.removed:
                struck.add(p.key)
                if is_current:
                    outlines[p.key] = "current"
            for p in cnf_step.added:
                fills[p.key] = "current" if is_current else "final_path"
        if isinstance(event, SplitStep):
            for c in event.combinations:
                key = (c.lhs, (c.left, c.right), (False, False))
                outlines[key] = "chosen" if c.outcome in ("add", "better") else "candidate"
        elif isinstance(event, LexicalStep):
            for lhs, _ in event.entries:
                outlines[(lhs, (event.word,), (True,))] = "chosen"
        if self._original_rules is not None:
            self._original_rules.set_marks({}, {k: v for k, v in outlines.items() if k in struck}, struck)
        # In the CNF listing only what exists there is marked; the fill says "added by conversion".
        self._cnf_rules.set_marks(fills, outlines, set())

    def _show_tree(self, step: int) -> None:
        result, tree_item, title = self.result, self._tree, self._tree_title
        if result is None or tree_item is None or title is None:
            return
        heading, tree = self._tree_for(step)
        if tree is not None and self.original_shape_box.isChecked() and self.cnf is not None:
            tree = tree.collapse(self.cnf.introduced)
        helpers = {name: "muted_text" for name in (self.cnf.introduced if self.cnf else ())}
        root_role = "final_path" if heading.startswith(("Parse", "Best")) else "chosen"
        tree_item.set_tree(tree, helpers, root_role)
        title.set_lines([heading])

    def _tree_for(self, step: int) -> tuple[str, Tree | None]:
        result = self.result
        assert result is not None
        if self._pinned is not None:
            return self._pinned
        offset = len(self._conversion)
        position = step - offset
        if position >= len(result.trace):
            if isinstance(result, ProbabilisticCKYResult) and self._listed_trees:
                p = format_probability(result.log_probability, self.number_style)
                return (f"Best parse, P = {p}", self._listed_trees[0])
            if self._listed_trees:
                return (f"Parse 1 of {self.parse_list.count()}", self._listed_trees[0])
            return ("No parse: the chart shows which spans the grammar covers.", None)
        # The newest constituent: this step's, or the last one built before it (a few
        # splits back at most, since every column starts with its word's entries).
        for back in range(step, offset, -1):
            event = self.trace[back - 1]
            if isinstance(event, SplitStep):
                winners = [c for c in event.combinations if c.outcome in ("add", "better")]
                if winners:
                    return self._entry_tree(event.i, event.j, winners[-1].lhs, "Newest constituent")
            elif isinstance(event, LexicalStep):
                return self._entry_tree(event.j - 1, event.j, event.entries[-1][0], "Newest constituent")
        return ("Trees appear here as constituents are built.", None)

    def _entry_tree(self, i: int, j: int, name: str, why: str) -> tuple[str, Tree | None]:
        result = self.result
        if isinstance(result, ProbabilisticCKYResult):
            tree = result.best_tree(i, j, name, helpers=True)
        else:
            assert isinstance(result, CKYResult)
            try:
                tree = next(iter(result.trees(limit=1, i=i, j=j, name=name, helpers=True)), None)
            except ValueError:  # a unit cycle: infinitely many trees, none of them "the" tree
                return (f"{why}: {name} over [{i},{j}] has infinitely many trees (a unit cycle)", None)
        return (f"{why}: {name} over [{i},{j}]", tree)

    def _chart_clicked(self, cell: tuple[int, int], line: int) -> None:
        """Pin the tree of the entry clicked (when the cell is filled at this step)."""
        result = self.result
        if result is None:
            return
        i, j = cell[0], cell[1] + 1
        names = list(result.log_cell(i, j))
        position = self.model.current_step - len(self._conversion)
        if not names or position < result.cell_done_at()[i, j] or not 0 <= line < len(names):
            return
        self._pinned = self._entry_tree(i, j, names[line], "Clicked")
        self._show_tree(self.model.current_step)

    def narration(self, step: int) -> tuple[str, str]:
        if self.result is None or self.trace is None:
            return ("", "")
        if step == 0:
            return ("Start", self.trace.narrate(0))
        event = self.trace[step - 1]
        if isinstance(event, CNFStep):
            heading = f"Chomsky normal form, {event.name.lower()}"
            text = event.summary[0].upper() + event.summary[1:]
        else:
            j = event.j
            heading = f"Column j = {j}: '{self.result.tokens[j - 1]}'"
            if isinstance(event, SplitStep):
                heading += f", cell [{event.i},{event.j}]"
            text = event.describe(self.number_style)
        if step == len(self.trace):
            text += f"  ⇒ {self._result_line()}.  Press Home to replay."
        return (heading, text)

    # -- treebank estimation -------------------------------------------------------------------
    def estimate_from_treebank(self) -> None:
        """Read a file of bracketed trees, estimate a PCFG, and put it in the editor."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Bracketed trees", "", "Trees (*.mrg *.txt *.tree);;All (*)"
        )
        if path:
            self.load_treebank(path)

    def load_treebank(self, path: str, parent_annotation: bool = False) -> bool:
        """Estimate a PCFG from ``path`` and parse with it; the message line says what went wrong."""
        from algorithms.trees import read_bracketed_trees

        try:
            text = read_text_file(path, "treebank")
            grammar = Grammar.estimate(read_bracketed_trees(text), parent_annotation=parent_annotation)
        except ValueError as problem:
            self.show_message(f"Cannot estimate a grammar from {Path(path).name}: {problem}")
            return False
        # All or nothing: if the estimated grammar is refused (say, the sentence has words it
        # lacks), the user's own grammar stays in the editor.
        try:
            self.set_inputs({**self.inputs(), "grammar": str(grammar), "mode": "pcky"})
        except ValueError as problem:
            self.show_message(f"The grammar estimated from {Path(path).name} was not used: {problem}")
            return False
        return True

    # -- for tests and tools ---------------------------------------------------------------------------
    @property
    def chart(self) -> GridItem | None:
        return self._chart

    @property
    def tree_item(self) -> TreeItem | None:
        return self._tree

    @property
    def tree_heading(self) -> str:
        return self._tree_title.lines[0] if self._tree_title is not None else ""

    def cell_lines(self, i: int, j: int) -> list[tuple[str, str]]:
        """What chart cell [i, j] shows at the current step: (text, role) lines."""
        assert self._chart is not None and self._chart.marks.texts is not None
        if not self._chart.marks.filled[i, j - 1]:
            return []
        return list(self._chart.marks.texts((i, j - 1)))


def _rule_lines(grammar: Grammar) -> list[RuleLine]:
    """The grammar as one line per left-hand side (in order of first appearance)."""
    lines: dict[str, list[tuple[str, Any]]] = {}
    for p in grammar.productions:
        text = p.right_side().replace("'", "") if p.is_lexical else p.right_side()
        if p.probability is not None:
            text += f" [{_short(p.probability)}]"
        lines.setdefault(p.lhs, []).append((text, p.key))
    return [RuleLine(lhs, alternatives) for lhs, alternatives in lines.items()]


def _short(probability: float) -> str:
    return format_value(probability)


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(CKYPanel)


def _count_parses(result: CKYResult) -> tuple[int, str | None]:
    """(number of parses, None) or (0, the sentence saying there are infinitely many)."""
    try:
        return result.tree_count(), None
    except ValueError as infinite:
        return 0, str(infinite)
