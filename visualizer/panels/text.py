"""Words and tokens panel (SLP3 ch. 2): regex search, BPE learning and segmenting, MaxMatch, Porter.

One text box feeds every view: the regex searches it, BPE learns its merges from its words
(and segments the word box with them), MaxMatch segments it with spaces removed, and
Porter stems the word box. Each view is a Stepwise trace from its engine, so the player,
Predict (which pair merges? does this element match? which rule fires?), the pseudocode
pane and exports work as in every panel.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QWidget

from algorithms.bpe import BPEModel, SegmentResult, learn_bpe, segment
from algorithms.regex_search import SearchResult, search
from algorithms.segmentation import MaxMatchResult, chinese_dictionary, english_dictionary, max_match
from algorithms.sentences import SentenceSplit, split_sentences
from algorithms.stemming import StemResult, porter_stem
from algorithms.tokenization import TokenizeResult, ewt_heaps_reference, tokenize, types_and_tokens
from visualizer.declared import Inputs, choice, whole
from visualizer.declared import text as text_input  # the class below has a field called text
from visualizer.form import DeclaredForm
from visualizer.marks.text import (
    PORTER_COLUMNS,
    WIDTH,
    bpe_corpus_lines,
    bpe_pairs,
    character_rows,
    max_match_marks,
    parse_wanted,
    porter_rows,
    regex_marks,
    segment_lines,
    sentence_lines,
    token_lines,
    word_span,
)
from visualizer.panels.base import Panel
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem
from visualizer.views.grid import GridItem
from visualizer.views.loglog import HeapsPlotItem
from visualizer.views.marks import GridMarks

__all__ = ["TextPanel", "TextInputs"]

SENTENCES_EXAMPLE = (
    "Mr. Smith met Jennifer M. Anderson in the U.S. last week. Was it planned? no idea. "
    "They talked for 2.5 hours!\nThen they left."
)
THE_EXAMPLE = "The other one there, the blithe one. the"
THE_WANTED = "0-3 21-24 37-40"  # the three words "the", in any case
TOKENS_EXAMPLE = "I don't think Mr. Smith paid $1,000.50 for Apple's U.S. stores!!! Mail me: a.b@c.org"
SLP3_BPE = "low " * 5 + "lowest " * 2 + "newer " * 6 + "wider " * 3 + "new new"
_TITLES = {
    "regex": "Regular expression search",
    "bpe": "Byte-pair encoding: the token learner",
    "segment": "Byte-pair encoding: segmenting a word",
    "maxmatch": "MaxMatch word segmentation",
    "porter": "The Porter stemmer",
    "sentences": "Sentence segmentation",
    "tokens": "Word tokenisation",
}
_LEGENDS = {
    "regex": [
        ("final_path", "matched"),
        ("candidate", "start being tried"),
        ("current", "character being tested"),
        ("chosen", "wanted (click a word to mark it)"),
    ],
    "maxmatch": [
        ("candidate", "a word taken"),
        ("added", "the word after it (colours alternate)"),
        ("current", "the word just taken"),
    ],
    "bpe": [("current", "the pair that merges")],
}


#: The views each input is used by (the others are greyed out).
_VIEW_INPUTS = {
    "pattern": {"regex"},
    "wanted": {"regex"},
    "word": {"segment", "porter"},
    "merges": {"bpe", "segment"},
    "dictionary": {"maxmatch"},
    "method": {"sentences"},
    "text": {"regex", "bpe", "segment", "maxmatch", "sentences", "tokens"},
}


@dataclass(frozen=True)
class TextInputs(Inputs):
    """The text every view reads, and what each view needs besides."""

    WHAT = "text"
    view: str = choice(
        "View",
        "regex",
        {
            "regex": "Regex",
            "bpe": "BPE learn",
            "segment": "BPE segment",
            "maxmatch": "MaxMatch",
            "porter": "Porter",
            "sentences": "Sentences",
            "tokens": "Tokens",
        },
        "Which algorithm runs on the text",
        "--view",
    )
    text: str = text_input(
        "Text",
        "The other one there, the blithe one. the",
        "The text the views read",
        "--text",
        multiline=True,
    )
    pattern: str = text_input("Pattern", "the", "A regular expression (the teaching subset)", "--pattern")
    wanted: str = text_input(
        "Wanted",
        "",
        "The matches you want (a gold standard), as start-end spans: click a word in the figure to mark it",
        "--wanted",
        "click words to mark",
    )
    word: str = text_input("Word", "relational", "The word to segment (BPE) or stem (Porter)", "--word")
    merges: int = whole("Merges", 8, "How many merges BPE learns", "--merges", 0, 2000)
    method: str = choice(
        "Splitter",
        "rules",
        {"rules": "rules", "tree": "decision tree"},
        "How sentence ends are decided: the stated rules, or the tree trained on UD EWT",
        "--method",
    )
    dictionary: str = choice(
        "Dictionary",
        "english",
        {"english": "English (50,000 words)", "chinese": "Chinese (small)"},
        "MaxMatch's dictionary",
        "--dictionary",
    )


class TextPanel(Panel):
    """Text normalisation, step by step."""

    name = "text"
    inputs_class = TextInputs
    examples = (
        ("Regex: the", {"view": "regex", "pattern": "the", "text": THE_EXAMPLE, "wanted": ""}),
        (
            "the → [tT]he → \\b[tT]he\\b (gold marked)",
            {"view": "regex", "pattern": "the", "text": THE_EXAMPLE, "wanted": THE_WANTED},
        ),
        ("BPE on SLP3's corpus", {"view": "bpe", "text": SLP3_BPE, "merges": 8}),
        ("BPE segments 'lower'", {"view": "segment", "text": SLP3_BPE, "merges": 8, "word": "lower"}),
        ("MaxMatch fails in English", {"view": "maxmatch", "text": "wecanonlyseeashortdistanceahead"}),
        ("MaxMatch in Chinese", {"view": "maxmatch", "text": "研究生命起源", "dictionary": "chinese"}),
        ("Porter: relational", {"view": "porter", "word": "relational"}),
        ("Tokens: clitics, numbers, U.S.", {"view": "tokens", "text": TOKENS_EXAMPLE}),
        (
            "Sentences: Mr., initials, U.S.",
            {"view": "sentences", "text": SENTENCES_EXAMPLE, "method": "tree"},
        ),
    )

    result: (
        SearchResult
        | BPEModel
        | SegmentResult
        | MaxMatchResult
        | StemResult
        | SentenceSplit
        | TokenizeResult
        | None
    ) = None
    _view = "regex"
    _wanted: list[tuple[int, int]] = []
    _grid: GridItem | None = None
    _details: TextBlockItem | None = None
    _caption: CaptionItem | None = None
    _heaps: HeapsPlotItem | None = None

    def build_form(self) -> QWidget:
        self.example_box = self.build_example_box()
        rows = [
            [self.example_box, "view", "pattern", "wanted", "word", "merges", "dictionary", "method"],
            ["text"],
        ]
        form = self.declared_form = DeclaredForm(TextInputs, rows)
        form.widgets["text"].setMaximumHeight(72)  # a few lines: the figure needs the room
        form.edited.connect(lambda now: self.run() if now else self.schedule_run())
        return form

    def form_filled(self, inputs: Any) -> None:
        widgets = self.declared_form.widgets
        view = widgets["view"].currentData() if hasattr(widgets["view"], "currentData") else "regex"
        for name, views in _VIEW_INPUTS.items():
            widgets[name].setEnabled(view in views)

    # -- computing -----------------------------------------------------------------------
    def compute(self) -> None:
        inputs = self.form_inputs()
        self._view = inputs.view
        if inputs.view == "regex":
            self._wanted = parse_wanted(inputs.wanted, len(inputs.text))
            self.result = search(inputs.pattern, inputs.text)
        elif inputs.view in ("bpe", "segment"):
            model = learn_bpe(inputs.text, merges=inputs.merges)
            self.result = model if inputs.view == "bpe" else segment(model, inputs.word)
        elif inputs.view == "maxmatch":
            words = english_dictionary() if inputs.dictionary == "english" else chinese_dictionary()
            self.result = max_match(inputs.text, words)
        elif inputs.view == "tokens":
            self.result = tokenize(inputs.text)
        elif inputs.view == "sentences":
            self.result = split_sentences(inputs.text, inputs.method)
        else:
            self.result = porter_stem(inputs.word)
        self._build_scene()
        self.model.set_trace(self.result.trace)

    def _build_scene(self) -> None:
        self.view.frozen_headers = None
        self.scene.clear()
        palette = self.palette_roles
        self._caption = CaptionItem(palette)
        legend = LegendItem(palette, _LEGENDS.get(self._view, []))
        legend.setPos(0, 62)
        self.scene.addItem(self._caption)
        self.scene.addItem(legend)
        self._grid = None
        result = self.result
        if isinstance(result, SearchResult | MaxMatchResult):
            rows = character_rows(result.text)
            columns = [str(j) for j in range(min(WIDTH, max(len(r) for r in rows)))]
            labels = [str(i * WIDTH) for i in range(len(rows))]
            self._grid = GridItem(labels, columns, np.zeros((len(rows), len(columns))), palette,
                                  corner_label="pos", cell_size=(34, 40), centre_text=True)  # fmt: skip
        elif isinstance(result, BPEModel):
            # Rows are ranks: the pairs in them change with every merge.
            ranks = [str(k) for k in range(1, max(len(bpe_pairs(result, 1)[0]), 1) + 1)]
            values = np.zeros((len(ranks), 2))
            self._grid = GridItem(
                ranks,
                ["pair", "count"],
                values,
                palette,
                corner_label="rank",
                cell_size=(110, 40),
                centre_text=True,
            )
        if self._grid is not None and isinstance(result, SearchResult):
            self._grid.clicked.connect(self._mark_wanted)
        y = 100.0
        if self._grid is not None:
            self._grid.setPos(0, y)
            self.scene.addItem(self._grid)
            y += self._grid.boundingRect().height() + 16
        self._details = TextBlockItem(palette, [], pixels=16, mono=True)
        self._details.setPos(
            0 if not isinstance(result, BPEModel) else 300, 100 if isinstance(result, BPEModel) else y
        )
        self.scene.addItem(self._details)
        self._heaps = None
        if isinstance(result, TokenizeResult):
            self._heaps = self._heaps_plot(result)
            self._heaps.setPos(430, 100)  # beside the token list (its lines are at most 39 characters)
            self.scene.addItem(self._heaps)
        parts = (legend, self._grid, self._details, self._heaps)
        self.add_part("figure", *(item for item in parts if item is not None))

    def _heaps_plot(self, result: TokenizeResult) -> HeapsPlotItem:
        """The text's |V| after each token, drawn over EWT's growth and its fitted law."""
        plot = HeapsPlotItem(self.palette_roles, width=380, height=330)
        reference = ewt_heaps_reference()
        plot.set_reference(reference.curve, reference.k, reference.beta, "UD EWT dev + test")
        seen: set[str] = set()
        growth = []
        for n, token in enumerate(result.tokens, start=1):
            seen.add(token)
            growth.append((n, len(seen)))
        plot.set_series(growth)
        return plot

    # -- rendering ------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        result, grid, details = self.result, self._grid, self._details
        if result is None or details is None or self._caption is None:
            return
        if isinstance(result, SearchResult | MaxMatchResult) and grid is not None:
            if isinstance(result, SearchResult):
                marks = regex_marks(result, step, self._wanted)
            else:
                marks = max_match_marks(result, step)
            rows = character_rows(result.text)
            grid_marks = GridMarks(fills=dict(marks.fills), outlines=dict(marks.outlines))
            grid_marks.texts = lambda c: [(rows[c[0]][c[1]], "text")] if c[1] < len(rows[c[0]]) else []
            if marks.current is not None:
                grid_marks.outlines[marks.current] = "current"
            grid.set_marks(grid_marks)
            details.set_lines(marks.lines)
        elif isinstance(result, BPEModel) and grid is not None:
            pairs, winner = bpe_pairs(result, step)
            texts = {(i, j): cell for i, row in enumerate(pairs) for j, cell in enumerate(row)}
            grid_marks = GridMarks()
            grid_marks.texts = lambda c: [(texts[c], "text")] if c in texts else []
            if winner is not None:
                grid_marks.fills[(winner, 0)] = grid_marks.fills[(winner, 1)] = "current"
                grid_marks.row_header_role[winner] = "current"
            grid.set_marks(grid_marks)
            details.set_lines(bpe_corpus_lines(result, step))
        elif isinstance(result, SegmentResult):
            details.set_lines(segment_lines(result, step))
        elif isinstance(result, SentenceSplit):
            details.set_lines(sentence_lines(result, step))
        elif isinstance(result, TokenizeResult):
            details.set_lines(token_lines(result, step))
            if self._heaps is not None:
                self._heaps.show_first(step)
        elif isinstance(result, StemResult):
            labels, cells = porter_rows(result, step)
            header = f"  {'step':<5} {PORTER_COLUMNS[0]:<38} {'stem':<14} {'m':>2}  {'fires':<5} word"
            lines = [header]
            for k, label in enumerate(labels):
                mark = "▶" if k == step - 1 else " "
                rule, stem, m, fires, word = (cells[(k, j)] for j in range(5))
                lines.append(f"{mark} {label:<5} {rule:<38} {stem:<14} {m:>2}  {fires:<5} {word}")
            details.set_lines(lines)
        done = step == len(result.trace)
        self._caption.set_text(
            _TITLES[self._view] + self._outcome(done), f"step {step} / {len(result.trace)}"
        )

    def _outcome(self, done: bool) -> str:
        result = self.result
        if not done or result is None:
            return ""
        if isinstance(result, SearchResult):
            return f"   {len(result.matches)} match{'es' * (len(result.matches) != 1)}"
        if isinstance(result, BPEModel):
            return f"   {len(result.merges)} merges"
        if isinstance(result, SegmentResult):
            return f"   {' '.join(result.tokens)}"
        if isinstance(result, MaxMatchResult):
            return f"   {' '.join(result.tokens)}"
        if isinstance(result, SentenceSplit):
            return f"   {len(result.sentences)} sentences ({result.method})"
        if isinstance(result, TokenizeResult):
            types, tokens = types_and_tokens(result.tokens)
            return f"   {tokens} tokens, {types} types"
        return f"   {result.word} → {result.stem}"

    def _mark_wanted(self, cell: tuple[int, int], line: int) -> None:
        """A click on a character marks its word as a wanted match (a second click unmarks it)."""
        if not isinstance(self.result, SearchResult):
            return
        position = cell[0] * WIDTH + cell[1]
        if position >= len(self.result.text):
            return
        span = word_span(self.result.text, position)
        spans = (
            [s for s in self._wanted if s != span] if span in self._wanted else sorted([*self._wanted, span])
        )
        step = self.model.current_step
        self.set_inputs({**self.inputs(), "wanted": " ".join(f"{a}-{b}" for a, b in spans)})
        self.model.set_step(step)

    def focus_rect(self, step: int) -> QRectF:
        if self._grid is not None and isinstance(self.result, SearchResult | MaxMatchResult):
            marks = (
                regex_marks(self.result, step)
                if isinstance(self.result, SearchResult)
                else max_match_marks(self.result, step)
            )
            if marks.current is not None:
                return self._grid.mapRectToScene(self._grid.cell_rect(marks.current))
        if self._heaps is not None and self._details is not None:  # the token and its point on the plot
            both = self._details.boundingRect().translated(self._details.pos())
            return both.united(self._heaps.mapRectToScene(self._heaps.boundingRect()))
        item = self._grid or self._details
        return item.mapRectToScene(item.boundingRect()) if item is not None else QRectF()

    def narration(self, step: int) -> tuple[str, str]:
        if self.result is None:
            return ("", "")
        return (_TITLES[self._view], self.result.narrate(step))


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(TextPanel)
