"""The pseudocode pane: the algorithm's lines with the current one lit, and a watch list.

It docks beside the figure (View → Pseudocode, Ctrl+Shift+P) and follows the
shown panel's step: ``r.pseudocode`` is listed once, ``r.line_at(k)`` is lit,
and ``r.watch_at(k)`` binds that line's variables to the step's values, like a
debugger's watch list. In presentation mode it hides unless it was asked for
there (the projector's width belongs to the figure).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QBoxLayout, QDockWidget, QLabel, QListWidget, QWidget

__all__ = ["PseudocodePane"]


class PseudocodePane(QDockWidget):
    """A dock with the pseudocode list and the watch list of the current step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Pseudocode", parent)
        self.setObjectName("pseudocodePane")
        self.lines = QListWidget()
        self.lines.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the player
        # Long lines wrap (with their indentation) rather than hide behind a scroll bar.
        self.lines.setWordWrap(True)
        self.lines.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.watch = QLabel()
        self.watch.setTextFormat(Qt.TextFormat.PlainText)
        self.watch.setWordWrap(True)
        self.watch.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body = QWidget()
        self._layout = layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, body)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.watch)
        self.setWidget(body)
        self._code: tuple[str, ...] = ()
        self.current_line: int | None = None
        self.set_large(False)

    def set_beside(self, beside: bool) -> None:
        """Watch list under the lines when the pane is beside the figure, right of them when below it."""
        self._layout.setDirection(
            QBoxLayout.Direction.TopToBottom if beside else QBoxLayout.Direction.LeftToRight
        )
        self.watch.setMinimumWidth(0 if beside else 260)
        self.watch.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def set_large(self, large: bool) -> None:
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(14 if large else 10)
        self.lines.setFont(font)
        self.watch.setFont(font)

    def show_step(self, result: Any, step: int) -> None:
        """List ``result``'s pseudocode (once) and light the line ``step`` runs, with its watch list."""
        code: tuple[str, ...] = tuple(getattr(result, "pseudocode", ()) or ()) if result is not None else ()
        if code != self._code:
            self._code = code
            self.lines.clear()
            self.lines.addItems(list(code) or ["This panel has no pseudocode."])
        line = None
        if code and step > 0:
            try:
                line = result.line_at(step)
            except ValueError:
                line = None  # a step the algorithm does not run (CKY's grammar conversion)
        if line is None:
            self.current_line = None
            self.lines.clearSelection()
            self.watch.setText("" if step else "Step 0: nothing has run yet.")
            return
        if line != self.current_line:  # most steps run the line the last one ran: nothing to redraw
            self.current_line = line
            self.lines.setCurrentRow(line)
            self.lines.scrollToItem(self.lines.item(line))
        watch = result.watch_at(step) if hasattr(result, "watch_at") else {}
        self.watch.setText("\n".join(f"{name} = {value}" for name, value in watch.items()))

    @property
    def watch_values(self) -> str:
        return self.watch.text()
