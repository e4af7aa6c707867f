"""Parse search panel (SLP3 ch. 17–18): top-down and bottom-up search, and Earley's chart.

* **Recursive descent** grows the tree from S: the first symbol of the frontier (the leaves
  still to expand or match) is lit, each expansion, match, failure and back-up is a step,
  and the counters show the work. A left-recursive grammar is refused naming the rule,
  unless *Bound by words left* prunes expansions that need more words than are left.
* **Shift-reduce** builds the stack's trees from the words up, with the input to its right,
  and backs up through every reduce and shift choice until every parse is found.
* **Earley** fills the chart's columns state by state: predicted, scanned, completed.

Beside each, the work of all four strategies on the same sentence (CKY's steps on the
grammar in CNF): the searches back up, the charts never do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from algorithms.cfg import Grammar
from algorithms.cky import cky
from algorithms.earley import EarleyResult
from algorithms.files import read_text_file
from algorithms.manual_search import MATCH, SHIFT, ManualSearch, manual_search
from algorithms.parse_search import DescentResult, ShiftReduceResult, earley, recursive_descent, shift_reduce
from algorithms.resources import resource_text
from visualizer.declared import Inputs, choice, custom, text
from visualizer.form import DeclaredForm
from visualizer.marks.parse_search import Work, descent_figure, earley_columns, stack_figure, work_lines
from visualizer.panels.base import Panel
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem
from visualizer.views.network import NodeLinkItem

__all__ = ["ParseSearchPanel", "ParseSearchInputs"]

GRAMMARS = {"l1": "l1.cfg", "pp-attachment": "pp-attachment.pcfg"}
LEFT_RECURSIVE = "S -> S 'and' S | NP VP\nNP -> NP PP | 'I' | 'flights'\nVP -> 'like' NP\nPP -> 'from' NP"
MAX_WORDS = 10  # the searches are exponential: past this the step limit is met at once
_TITLES = {
    "descent": "Top-down: recursive descent",
    "shift-reduce": "Bottom-up: shift-reduce",
    "earley": "Earley's chart",
}
_LEGENDS = {
    "descent": [
        ("current", "the first frontier symbol (expanded or matched now)"),
        ("candidate", "the rest of the frontier"),
    ],
    "shift-reduce": [
        ("current", "what the step put on top of the stack"),
        ("candidate", "the next word to shift"),
    ],
    "earley": [],
}


def grammar_text(value: str) -> str:
    """A built-in grammar's text, or the text typed."""
    return resource_text(f"grammars/{GRAMMARS[value]}") if value in GRAMMARS else value


def _moves(value: Any) -> tuple[str, ...]:
    """The moves chosen by hand, from JSON: a list of texts (``match``, ``shift`` or a rule)."""
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ValueError(
            f'The parse-search input "moves" must be a list of moves as text; got {value!r}.'[:160]
        )
    return tuple(value)


@dataclass(frozen=True)
class ParseSearchInputs(Inputs):
    """The grammar, the sentence and the strategy."""

    WHAT = "parse-search"
    strategy: str = choice(
        "Strategy",
        "descent",
        {"descent": "Recursive descent", "shift-reduce": "Shift-reduce", "earley": "Earley"},
        "Top-down search, bottom-up search, or Earley's chart",
        "--strategy",
    )
    grammar: str = text(
        "Grammar", "l1", "the grammar (NLTK syntax)", "--grammar", "S -> NP VP\nNP -> Det Noun\n…", True,
        tuple(GRAMMARS), lambda path: read_text_file(path, "grammar file"),
    )  # fmt: skip
    sentence: str = text("Sentence", "book that flight", "the words, separated by spaces", "--sentence")
    bounded: str = choice(
        "Left recursion",
        "bound",
        {"bound": "bound by words left", "refuse": "refuse it"},
        "On a left-recursive rule: prune expansions needing more words than are left, or refuse the grammar",
        "--left-recursion",
    )
    mode: str = choice(
        "Search",
        "auto",
        {"auto": "every parse, automatically", "manual": "choose each move yourself"},
        "Let the parser search, or pick each expansion, match, shift or reduction yourself (with Undo)",
        "--mode",
    )
    moves: tuple[str, ...] = custom("Moves", (), "The moves picked by hand", _moves)


class ParseSearchPanel(Panel):
    """Parsing as search, step by step, and why the charts win."""

    name = "parse-search"
    inputs_class = ParseSearchInputs
    examples = (
        (
            "L1: book that flight (top-down)",
            {"strategy": "descent", "grammar": "l1", "sentence": "book that flight"},
        ),
        (
            "L1: book that flight (bottom-up)",
            {"strategy": "shift-reduce", "grammar": "l1", "sentence": "book that flight"},
        ),
        (
            "L1: book that flight (Earley)",
            {"strategy": "earley", "grammar": "l1", "sentence": "book that flight"},
        ),
        (
            "PP attachment: two parses",
            {"strategy": "shift-reduce", "grammar": "l1", "sentence": "book the flight through Houston"},
        ),
        ("Choose each move yourself (top-down)", {"strategy": "descent", "mode": "manual", "moves": []}),
        (
            "A left-recursive grammar refused",
            {
                "strategy": "descent",
                "grammar": LEFT_RECURSIVE,
                "sentence": "I like flights",
                "bounded": "refuse",
            },
        ),
    )

    result: DescentResult | ShiftReduceResult | EarleyResult | ManualSearch | None = None
    work: Work | None = None
    _caption: CaptionItem | None = None
    _tree: NodeLinkItem | None = None
    _columns: list[TextBlockItem] = []
    _work: TextBlockItem | None = None

    def build_form(self) -> QWidget:
        self.example_box = self.build_example_box()
        rows = [[self.example_box, "strategy", "mode", "sentence", "bounded"], ["grammar"]]
        form = self.declared_form = DeclaredForm(ParseSearchInputs, rows)
        form.widgets["grammar"].setMaximumHeight(96)
        self._moves: list[str] = []
        # The moves offered now (manual mode): legal ones enabled, illegal ones greyed with the reason.
        self.move_bar = QWidget()
        self.move_bar.setLayout(QHBoxLayout())
        self.move_bar.layout().setContentsMargins(8, 2, 8, 2)
        # Many moves must not widen the window: the bar takes the width it is given.
        self.move_bar.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.move_bar.hide()  # placed under the form, full width, once the panel's layout exists
        form.edited.connect(lambda now: self.run() if now else self.schedule_run())
        return form

    def inputs(self) -> dict[str, Any]:
        values = self.declared_form.values()
        values["moves"] = list(self._moves)
        return values

    def form_filled(self, inputs: Any) -> None:
        self._moves = list(inputs.moves)
        widgets = self.declared_form.widgets
        strategy = (
            widgets["strategy"].currentData() if hasattr(widgets["strategy"], "currentData") else "descent"
        )
        widgets["bounded"].setEnabled(strategy == "descent")
        widgets["mode"].setEnabled(strategy != "earley")

    # -- computing -----------------------------------------------------------------------
    def compute(self) -> None:
        inputs = self.form_inputs()
        grammar = Grammar.from_string(grammar_text(inputs.grammar))
        tokens = inputs.sentence.split()
        if len(tokens) > MAX_WORDS:
            raise ValueError(
                f"The sentence has {len(tokens)} words; the searches here take at most {MAX_WORDS}."
            )
        bounded = inputs.bounded == "bound"
        if inputs.mode == "manual" and inputs.strategy != "earley":
            self.result = manual_search(grammar, tokens, inputs.strategy, self._moves)
        elif inputs.strategy == "descent":
            self.result = recursive_descent(grammar, tokens, bounded=bounded)
        elif inputs.strategy == "shift-reduce":
            self.result = shift_reduce(grammar, tokens)
        else:
            self.result = earley(grammar, tokens)
        self.work = self._work_of(grammar, tokens, bounded)
        self._build_scene()
        self.model.set_trace(self.result.trace, len(self.result.trace))
        self._offer_moves()

    # -- choosing moves by hand ---------------------------------------------------------------
    def _offer_moves(self) -> None:
        """One button per move offered now; an illegal one is greyed, its tooltip saying why."""
        layout = self.move_bar.layout()
        while layout.count():
            item = layout.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        result = self.result
        panel_layout = self.layout()
        if self.move_bar.parent() is not self and isinstance(panel_layout, QVBoxLayout):
            panel_layout.insertWidget(1, self.move_bar)
        self.move_bar.setVisible(isinstance(result, ManualSearch))
        if not isinstance(result, ManualSearch):
            return
        words = result.tokens
        position = result.state_at(len(result.trace)).position
        for move in result.moves:
            label = move.name
            if move.name in (MATCH, SHIFT) and position < len(words):
                label = f"{move.name} '{words[position]}'"
            button = QPushButton(label)
            button.setEnabled(move.legal)
            button.setToolTip(move.reason or "Make this move")
            button.clicked.connect(lambda _=False, name=move.name: self.apply_move(name))
            layout.addWidget(button)
        if result.done:
            layout.addWidget(QPushButton("Parsed: every word is in the tree."))
            layout.itemAt(layout.count() - 1).widget().setEnabled(False)
        undo = QPushButton("Undo")
        undo.setEnabled(bool(self._moves))
        undo.clicked.connect(self.undo_move)
        layout.addWidget(undo)

    def apply_move(self, name: str) -> None:
        """Make move ``name`` (``match``, ``shift`` or a rule) and show where it leads."""
        self._moves.append(name)
        try:
            self.set_inputs(self.inputs())
        except ValueError as problem:  # set_inputs has put the moves back as they were
            self.show_message(str(problem))

    def undo_move(self) -> None:
        """Take back the last move."""
        if self._moves:
            self._moves.pop()
            self.set_inputs(self.inputs())

    @staticmethod
    def _work_of(grammar: Grammar, tokens: list[str], bounded: bool) -> Work:
        """Every strategy on the same words (a search past its step limit is reported as such)."""
        try:
            rd = recursive_descent(grammar, tokens, bounded=True)
            descent: tuple[int, int, int] | None = (len(rd.trace), rd.expansions, rd.backtracks)
        except ValueError:
            descent = None
        try:
            sr = shift_reduce(grammar, tokens)
            reduce: tuple[int, int, int] | None = (len(sr.trace), sr.reductions, sr.backtracks)
        except ValueError:
            reduce = None
        chart = earley(grammar, tokens)
        steps = len(cky(grammar.to_cnf(), tokens).trace)
        return Work(descent, reduce, chart.states, steps, len(chart.trees))

    def _build_scene(self) -> None:
        self.scene.clear()
        palette = self.palette_roles
        self._tree, self._columns = None, []
        self._caption = CaptionItem(palette)
        strategy = self._strategy()
        legend = LegendItem(palette, _LEGENDS[strategy])
        legend.setPos(0, 62)
        self.scene.addItem(self._caption)
        self.scene.addItem(legend)
        self._work = TextBlockItem(palette, [], pixels=15, mono=True)
        self.scene.addItem(self._work)
        if isinstance(self.result, EarleyResult):
            x = 0.0
            for lines in earley_columns(self.result, len(self.result.trace)):
                block = TextBlockItem(palette, lines, pixels=14, mono=True)
                block.setPos(x, 110)
                self.scene.addItem(block)
                self._columns.append(block)
                x += block.boundingRect().width() + 24
            self._work.setPos(0, 110 + max(b.boundingRect().height() for b in self._columns) + 30)
            self.add_part("chart", *self._columns)
        else:
            self._tree = NodeLinkItem(palette)
            self.scene.addItem(self._tree)
            self._work.setPos(0, 100)
            self.add_part("search", self._tree)

    def _strategy(self) -> str:
        if isinstance(self.result, ManualSearch):
            return self.result.strategy
        if isinstance(self.result, DescentResult):
            return "descent"
        return "shift-reduce" if isinstance(self.result, ShiftReduceResult) else "earley"

    # -- rendering ------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        result = self.result
        if result is None or self._caption is None or self._work is None or self.work is None:
            return
        self._work.set_lines(work_lines(self.work, len(result.tokens)))
        if isinstance(result, EarleyResult):
            for block, lines in zip(self._columns, earley_columns(result, step), strict=True):
                block.set_lines(lines)
            detail = f"step {step} / {len(result.trace)}   ·   {result.states} states in all"
        elif self._tree is not None:
            top_down = self._strategy() == "descent"
            figure = descent_figure(result, step) if top_down else stack_figure(result, step)
            self._tree.set_figure(figure)
            self._tree.setPos(
                -self._tree.boundingRect().left() + 10, 100 + 5 * 22 + 40 - self._tree.boundingRect().top()
            )
            state = result.state_at(step)
            counts = (
                f"{state.expansions} expansions, {state.backtracks} backtracks"
                if top_down
                else f"{state.expansions} reductions, {state.backtracks} backtracks"
            )
            detail = f"step {step:,} / {len(result.trace):,}   ·   {counts}, {state.found} parse(s) found"
        else:
            return
        sentence = " ".join(result.tokens)
        done = step == len(result.trace)
        if isinstance(result, ManualSearch):
            outcome = "   → parsed" if result.done and done else "   (your moves)"
        else:
            outcome = f"   → {len(result.trees)} parse{'s' * (len(result.trees) != 1)}" if done else ""
        self._caption.set_text(f"{_TITLES[self._strategy()]}: {sentence}{outcome}", detail)
        # The stack's trees grow and shrink with the step: the scroll range follows before the view does.
        self.scene.setSceneRect(self.export_rect())

    def focus_rect(self, step: int) -> QRectF:
        if isinstance(self.result, EarleyResult) and self._columns:
            event = self.result.event_at(step)
            block = self._columns[event.column if event is not None else 0]
            marked = next((k for k, line in enumerate(block.lines) if line.startswith("▶")), 0)
            return block.mapRectToScene(block.line_rect(marked))  # the state this step adds
        if self._tree is not None:
            current = [n.key for n in self._tree.figure.nodes if n.role in ("current", "candidate")]
            rect = QRectF()
            for key in current[:3]:
                rect = rect.united(self._tree.node_rect(key))
            if rect.isNull() and self._tree.figure.nodes:
                rect = self._tree.node_rect(self._tree.figure.nodes[0].key)
            return self._tree.mapRectToScene(rect)
        return QRectF()

    def narration(self, step: int) -> tuple[str, str]:
        if self.result is None:
            return ("", "")
        return (_TITLES[self._strategy()], self.result.narrate(step))


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(ParseSearchPanel)
