"""The CKY panel's grammar editor: the line a message names is wave-underlined; PCFGs from treebanks.

:class:`GrammarEditorMixin` is mixed into :class:`visualizer.panels.cky.CKYPanel`
and uses its ``grammar_edit``, ``palette_roles``, ``set_inputs`` and message line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

from algorithms.cfg import Grammar
from algorithms.files import read_text_file
from algorithms.trace import format_value
from visualizer.views.rules import RuleLine

__all__ = ["GrammarEditorMixin", "rule_lines"]

_LINE_NUMBER = re.compile(r"\b[Ll]ines? (\d+)")


class GrammarEditorMixin:
    """Underlining refused grammar lines and estimating a grammar from a treebank."""

    grammar_edit: Any
    palette_roles: Any

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


def rule_lines(grammar: Grammar) -> list[RuleLine]:
    """The grammar as one line per left-hand side (in order of first appearance), probabilities short."""
    lines: dict[str, list[tuple[str, Any]]] = {}
    for p in grammar.productions:
        text = p.right_side().replace("'", "") if p.is_lexical else p.right_side()
        if p.probability is not None:
            text += f" [{format_value(p.probability)}]"
        lines.setdefault(p.lhs, []).append((text, p.key))
    return [RuleLine(lhs, alternatives) for lhs, alternatives in lines.items()]
