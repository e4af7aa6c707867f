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

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QListWidget, QPushButton, QWidget

from algorithms.cfg import CNFStep, Grammar
from algorithms.cky import (
    MAX_TRACED_WORDS,
    CKYResult,
    ProbabilisticCKYResult,
    SplitStep,
    cky,
    inside_log_probability,
    probabilistic_cky,
)
from algorithms.files import read_text_file
from algorithms.resources import resource_text
from algorithms.trace import Phase, Trace
from algorithms.trees import Tree
from visualizer.declared import Inputs, choice, text
from visualizer.form import DeclaredForm
from visualizer.marks.cky import (
    cell_lines,
    chart_marks,
    count_parses,
    legend_entries,
    result_line,
    rule_marks,
)
from visualizer.panels.base import NUMBER_STYLE_LABELS, Panel
from visualizer.panels.cky_grammar import GrammarEditorMixin, rule_lines
from visualizer.panels.cky_parses import MAX_LISTED_PARSES, ParseListMixin
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem, font
from visualizer.views.grid import GridItem
from visualizer.views.rules import RuleListItem
from visualizer.views.tree import TreeItem

__all__ = ["CKYPanel", "CKYInputs", "BUILTIN_GRAMMARS", "MAX_WORDS", "MAX_LISTED_PARSES"]

#: name -> file shipped in algorithms/resources/grammars
BUILTIN_GRAMMARS = {
    "l1": "l1.cfg",
    "l1-pcfg": "l1-probabilistic.pcfg",
    "pp-attachment": "pp-attachment.pcfg",
}
#: Longest sentence the panel traces (n³/6 split events).
MAX_WORDS = MAX_TRACED_WORDS
#: Lines shown in one chart cell before "+k more".
MAX_CELL_LINES = 12
#: Charts needing more than this many rule checks (n³/6 × binary rules) are filled in a worker
#: thread with a progress dialog; below it, parsing takes well under a tenth of a second.
BACKGROUND_WORK = 2_000_000

_MODES = {"cky": "CKY (all parses)", "pcky": "Probabilistic CKY (best parse)"}


def builtin_grammar(name: str) -> str:
    """The text of a built-in grammar."""
    return resource_text(f"grammars/{BUILTIN_GRAMMARS[name]}")


@dataclass(frozen=True)
class CKYInputs(Inputs):
    """A grammar (a built-in name or its text), a sentence, plain or probabilistic CKY, a number style."""

    WHAT = "CKY"
    grammar: str = text(
        "Grammar", "l1", "the grammar", "--grammar", "S -> NP VP\nNP -> Det Noun\nDet -> 'the'\n…", True,
        tuple(BUILTIN_GRAMMARS), lambda path: read_text_file(path, "grammar file"),
    )  # fmt: skip
    sentence: str = text(
        "Sentence", "book the flight through Houston", "the words, separated by spaces", "--sentence",
        "words separated by spaces",
    )  # fmt: skip
    mode: str = choice(
        "Mode", "cky", _MODES, "CKY finds every parse; probabilistic CKY keeps the best per cell", "--mode",
    )  # fmt: skip
    numbers: str = choice(
        "Numbers", "plain", NUMBER_STYLE_LABELS, "How probabilities are written in the chart and narration",
        "--numbers", redraw_only=True,
    )  # fmt: skip


class CKYPanel(GrammarEditorMixin, ParseListMixin, Panel):
    """Grammar editor, CNF conversion and the CKY chart with trees."""

    name = "cky"
    answer_widget_names = ("parse_count", "parse_list")  # every parse, from step 0: hidden in Predict
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

    inputs_class = CKYInputs

    grammar: Grammar | None = None
    cnf: Grammar | None = None
    result: CKYResult | ProbabilisticCKYResult | None = None
    trace: Trace | None = None
    _conversion: tuple[CNFStep, ...] = ()
    _chart: GridItem | None = None
    _tree: TreeItem | None = None
    _tree_title: TextBlockItem | None = None
    _original_rules: RuleListItem | None = None
    _cnf_rules: RuleListItem | None = None
    _caption: CaptionItem | None = None
    _done_lines: dict[tuple[int, int], list[str]]  # finished cells' text in the shown style (build_form)
    _listed_trees: tuple[Tree, ...] | list[Tree] = ()
    _pinned: tuple[str, Tree] | None = None
    _title = ""
    _inside_log: float | None = None

    # -- the form --------------------------------------------------------------------------
    def build_form(self) -> QWidget:
        self._done_lines = {}
        self.example_box = self.build_example_box()
        self.declared_form = DeclaredForm(CKYInputs, [[self.example_box, "sentence", "mode", "numbers"]])
        widgets = self.declared_form.widgets
        self.grammar_edit, self.sentence_edit = widgets["grammar"], widgets["sentence"]
        self.mode_box, self.numbers_box = widgets["mode"], widgets["numbers"]
        self.grammar_edit.setFont(font(13, mono=True))
        self.grammar_edit.setToolTip(
            "NLTK syntax: S -> NP VP | VP, words quoted ('the'), optional probabilities [0.3]. "
            "The first rule's left side is the start symbol."
        )
        self.grammar_edit.setMinimumHeight(120)
        self.grammar_edit.setMaximumHeight(170)
        self.original_shape_box = QCheckBox("Trees without CNF helpers")
        self.original_shape_box.setToolTip("Draw trees with the X1… and word helpers CNF added spliced out")
        self.treebank_button = QPushButton("Estimate from treebank…")
        self.treebank_button.setToolTip("Count and divide the rules of a file of bracketed trees into a PCFG")
        self.treebank_button.clicked.connect(self.estimate_from_treebank)
        self.parse_count = QLabel()
        self.parse_list = QListWidget()
        self.parse_list.setMaximumHeight(170)
        self.parse_list.setToolTip("Pick a parse to draw its tree")

        form = QWidget()
        grid = QGridLayout(form)
        grid.setContentsMargins(0, 0, 8, 2)
        grid.addWidget(self.declared_form, 0, 0, 1, 7)
        grid.addWidget(self.grammar_edit, 1, 0, 2, 4)
        grid.addWidget(self.parse_count, 1, 4, 1, 3)
        grid.addWidget(self.parse_list, 2, 4, 1, 3)
        grid.addWidget(self.original_shape_box, 3, 0, 1, 2)
        grid.addWidget(self.treebank_button, 3, 2, 1, 2)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 2)
        grid.setColumnStretch(4, 3)
        self.declared_form.edited.connect(lambda now: self.run() if now else self.schedule_run())
        self.declared_form.restyled.connect(self._restyle)
        self.original_shape_box.toggled.connect(lambda _: self._restyle())
        self.parse_list.currentRowChanged.connect(self._parse_picked)
        return form

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

    def form_filled(self, inputs: Any) -> None:
        """A built-in grammar's name is shown as its text."""
        if inputs.grammar in BUILTIN_GRAMMARS:
            self.grammar_edit.blockSignals(True)
            self.grammar_edit.setPlainText(builtin_grammar(inputs.grammar))
            self.grammar_edit.blockSignals(False)

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
        steps = Trace.from_events(self._conversion, [Phase("Chomsky normal form", 0, len(self._conversion))])
        self.trace = Trace.concat(steps, result.trace)  # the conversion's steps, then the chart's
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
            count_parses(result)  # counting walks the chart too (and is cached): here, not on the GUI thread
            return result, None

        if work < BACKGROUND_WORK:
            return parse(None, None)
        from visualizer.background import run_in_background

        try:
            return run_in_background(self, f"Filling the CKY chart for {len(words)} words…", parse)
        except InterruptedError:
            raise ValueError("Parsing was cancelled; the previous chart is kept.") from None

    # -- the scene ---------------------------------------------------------------------------
    def _build_scene(self) -> None:
        result, cnf, grammar = self.result, self.cnf, self.grammar
        assert result is not None and cnf is not None and grammar is not None
        palette = self.palette_roles
        self.scene.clear()
        n = result.n
        self._caption = CaptionItem(palette)
        legend = LegendItem(palette, legend_entries(cnf.start, bool(self._conversion)))
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
            self._original_rules = RuleListItem(palette, "Grammar as written", rule_lines(grammar))
            self.scene.addItem(self._original_rules)
            self._original_rules.setPos(0, y)
            x = self._original_rules.boundingRect().width() + 40
        cnf_title = (
            "Chomsky normal form (tinted: added by the conversion)"
            if self._conversion
            else "Grammar (already in Chomsky normal form)"
        )
        self._cnf_rules = RuleListItem(palette, cnf_title, rule_lines(cnf))
        self.scene.addItem(self._cnf_rules)
        self._cnf_rules.setPos(x, y)
        self.add_part("chart", legend, self._chart)
        self.add_part("tree", self._tree_title, self._tree)
        self.add_part("grammar", *filter(None, (self._original_rules, self._cnf_rules)))
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
                lines = cell_lines(self.result, self.result.log_cell(i, j), self.number_style)
                tallest = max(tallest, min(len(lines), MAX_CELL_LINES))
                for line in lines:
                    widest = max(widest, metrics.horizontalAdvance(line))
        words = QFontMetricsF(font(20, bold=True))
        widest_word = max(words.horizontalAdvance(w) for w in self.result.tokens) + 16
        return (math.ceil(min(max(96.0, widest + 20, widest_word), 320.0)), max(52.0, 12 + 21.0 * tallest))

    # -- rendering -------------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        result, chart, caption = self.result, self._chart, self._caption
        if result is None or chart is None or caption is None or self.trace is None:
            return
        position = max(0, step - len(self._conversion))  # where the chart stands
        event = self.trace[step - 1] if step > 0 else None
        start = self.cnf.start if self.cnf else "S"
        marks, _ = chart_marks(result, position, event, start, self.number_style, self._done_lines)
        chart.set_marks(marks)
        if self._cnf_rules is not None:
            fills, outlines, struck, hidden = rule_marks(self._conversion, step, event)
            if self._original_rules is not None:
                self._original_rules.set_marks({}, {k: v for k, v in outlines.items() if k in struck}, struck)
            # In the CNF listing only what exists there is marked; the fill says "added by conversion".
            self._cnf_rules.set_marks(fills, outlines, set(), hidden)
        self._show_tree(step)
        phase = self.trace.phase_at(step)
        finished = position >= result.cell_done_at()[0, result.n]
        summary = (
            self._result_line() if finished else f"{result.n} words, {len(self.cnf.productions)} CNF rules"
        )
        caption.set_text(
            self._title,
            f"{summary}   ·   step {step:,} / {len(self.trace):,}   ·   {phase.name if phase else 'start'}"
            + ("   ·   numbers are ln P" if self.number_style == "log" and self.mode == "pcky" else ""),
        )

    def focus_rect(self, step: int) -> QRectF:
        """The chart cell the step fills (the top cell at the end), or the rule a CNF step adds."""
        result, chart, trace = self.result, self._chart, self.trace
        if result is None or chart is None or trace is None:
            return QRectF()
        event = trace[step - 1] if step > 0 else None
        if isinstance(event, CNFStep):
            rules, changed = self._cnf_rules, event.added
            if not changed:  # a step that only removes rules: point at the first one struck out
                rules, changed = self._original_rules, event.removed
            found = rules.segment_rect(changed[0].key) if rules is not None and changed else None
            return rules.mapRectToScene(found) if rules is not None and found is not None else QRectF()
        cell = (0, result.n) if step >= len(trace) else getattr(event, "cell", (0, 1))
        return chart.mapRectToScene(chart.cell_rect((cell[0], cell[1] - 1)))

    def _result_line(self) -> str:
        assert self.result is not None
        return result_line(self.result, self.cnf.start if self.cnf else "S", self.number_style)

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


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(CKYPanel)
