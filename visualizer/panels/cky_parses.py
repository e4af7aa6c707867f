"""The CKY panel's parses: the list of parses (or the best one) and the tree drawn beside the chart.

:class:`ParseListMixin` is mixed into :class:`visualizer.panels.cky.CKYPanel`; the
tree shown is a pinned parse or clicked entry, else the newest constituent at the step.
"""

from __future__ import annotations

import math
from typing import Any

from algorithms.cky import CKYResult, ProbabilisticCKYResult
from algorithms.trace import format_probability
from algorithms.trees import Tree
from visualizer.marks.cky import count_parses, newest_entry

__all__ = ["ParseListMixin", "MAX_LISTED_PARSES"]

#: How many parse trees the parse list shows (the count is always exact).
MAX_LISTED_PARSES = 100


class ParseListMixin:
    """Fills the parse list, pins a picked parse or clicked entry, and draws the tree of the step."""

    result: Any
    cnf: Any
    trace: Any
    model: Any
    _conversion: Any
    _listed_trees: Any
    _pinned: Any
    _inside_log: Any
    _tree: Any
    _tree_title: Any
    parse_list: Any
    parse_count: Any
    original_shape_box: Any
    number_style: Any

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
            count, infinite = count_parses(result)
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
        newest = newest_entry(self.trace, step, offset)
        if newest is None:
            return ("Trees appear here as constituents are built.", None)
        return self._entry_tree(*newest, "Newest constituent")

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
