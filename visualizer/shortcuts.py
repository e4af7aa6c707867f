"""The keyboard shortcuts, listed once: menus are built from this and `?` shows it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

__all__ = ["SHORTCUT_HELP", "ShortcutOverlay"]

#: (section, keys, what) in the order the overlay shows them.
SHORTCUT_HELP: tuple[tuple[str, str, str], ...] = (
    ("Playback", "Space", "Play / pause"),
    ("Playback", "→  /  ←", "Step forward / back"),
    ("Playback", "Shift+→  /  Shift+←", "Forward / back by a row or phase (choose in the player bar)"),
    ("Playback", "Home  /  End", "Jump to the start / end"),
    ("Playback", "+  /  −", "Faster / slower"),
    ("Playback", "P", "Predict: answer each step's question before it is shown (Enter checks)"),
    ("Playback", "Ctrl+Shift+N", "New exercise: a random input, every step answered (Playback menu)"),
    ("View", "Ctrl+=  /  Ctrl+−  /  Ctrl+0", "Zoom in / out / reset (also Ctrl+wheel; drag to pan)"),
    ("View", "Ctrl+9", "Fit the figure to the window"),
    ("View", "Ctrl+Shift+E", "Fold the big editors (grammar, corpus, parse list) away / back"),
    ("View", "Ctrl+PgDown  /  Ctrl+PgUp", "Next / previous sheet of a figure split into sheets (n-gram)"),
    ("View", "Ctrl+Shift+P", "Pseudocode beside the figure: the line each step runs, and its variables"),
    ("View", "Ctrl+Shift+C", "Compare variants: the panel two or three times, one input varied, one player"),
    ("View", "F11", "Presentation mode: full screen, editors hidden, large fonts (Esc leaves)"),
    ("File", "Ctrl+O  /  Ctrl+S", "Open / save a lesson (panel, inputs and the current step)"),
    ("File", "Ctrl+E", "Export the view: PNG 1×/2×/4×, SVG, PDF, animated GIF"),
    ("File", "Ctrl+C", "Copy the view as an image"),
    ("Help", "?  /  F1", "This list"),
)


class ShortcutOverlay(QDialog):
    """A large, readable list of every shortcut."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        layout = QVBoxLayout(self)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        row = 0
        section = ""
        for name, keys, what in SHORTCUT_HELP:
            if name != section:
                heading = QLabel(f"<b>{name}</b>")
                heading.setStyleSheet("font-size: 15pt; padding-top: 8px;")
                grid.addWidget(heading, row, 0, 1, 2)
                row += 1
                section = name
            key_label = QLabel(f"<code>{keys}</code>")
            key_label.setStyleSheet("font-size: 13pt;")
            what_label = QLabel(what)
            what_label.setStyleSheet("font-size: 13pt;")
            grid.addWidget(key_label, row, 0, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(what_label, row, 1)
            row += 1
        layout.addLayout(grid)
        note = QLabel("Keys do nothing while you type in an input box; press Tab or click the view first.")
        note.setStyleSheet("color: gray; padding-top: 8px;")
        layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
