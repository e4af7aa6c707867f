"""Training a tagger from the GUI: pick files, train in the shared worker, show progress, cancel.

Reading a treebank and training is pure Python and takes about a second for
UD English EWT's dev file (25k tokens), longer for bigger ones; it runs in
:func:`visualizer.background.run_in_background` so the window keeps repainting and Cancel works.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from visualizer.panels.hmm_models import TrainedTagger, train_tagger

__all__ = ["TrainingDialog", "ask_and_train", "run_training"]


class TrainingDialog(QDialog):
    """Choose the training treebank, the tag column and an optional held-out file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train a part-of-speech tagger")
        self.train_edit = QLineEdit()
        self.heldout_edit = QLineEdit()
        self.heldout_edit.setPlaceholderText("optional: reports accuracy and the most-frequent-tag baseline")
        self.column_box = QComboBox()
        self.column_box.addItem("UPOS (17 universal tags)", "upos")
        self.column_box.addItem("XPOS (language-specific, e.g. Penn Treebank)", "xpos")
        self.message = QLabel()
        self.message.setStyleSheet("color: #d55e00; font-weight: bold;")
        form = QFormLayout(self)
        form.addRow("Training CoNLL-U file", self._with_browse(self.train_edit))
        form.addRow("Held-out CoNLL-U file", self._with_browse(self.heldout_edit))
        form.addRow("Tag column", self.column_box)
        form.addRow(
            QLabel("Unknown words are tagged by their suffix and shape (TnT-style), learned from rare words.")
        )
        form.addRow(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _with_browse(self, edit: QLineEdit) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(edit)
        button = QPushButton("Browse…")
        button.clicked.connect(lambda: self._browse(edit))
        layout.addWidget(button)
        return row

    def _browse(self, edit: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CoNLL-U file", edit.text(), "CoNLL-U (*.conllu);;All files (*)"
        )
        if path:
            edit.setText(path)

    def accept(self) -> None:
        for edit, required in ((self.train_edit, True), (self.heldout_edit, False)):
            path = edit.text().strip()
            if (required or path) and not os.path.isfile(path):
                self.message.setText(f"There is no file {path!r}." if path else "Choose a training file.")
                return
        super().accept()

    def choice(self) -> dict[str, Any]:
        heldout = self.heldout_edit.text().strip() or None
        return {
            "conllu": self.train_edit.text().strip(),
            "column": self.column_box.currentData(),
            "heldout": heldout,
        }


def run_training(parent: QWidget, choice: dict[str, Any]) -> TrainedTagger | None:
    """Train in the shared worker (progress dialog, Cancel); None if cancelled or refused.

    A refusal's sentence goes to the panel's message line.
    """
    from visualizer.background import run_in_background

    try:
        tagger: TrainedTagger = run_in_background(
            parent,
            "Reading the treebank and training…",
            lambda progress, cancelled: train_tagger(
                choice["conllu"], choice["column"], choice["heldout"], progress=progress, cancelled=cancelled
            ),
        )
    except InterruptedError:
        return None
    except ValueError as problem:
        if hasattr(parent, "show_message"):
            parent.show_message(str(problem))
        return None
    return tagger


def ask_and_train(parent: QWidget) -> dict[str, Any] | None:
    """The whole flow behind "Train on CoNLL-U…": the model source to use, or None."""
    dialog = TrainingDialog(parent)
    if not dialog.exec():
        return None
    choice = dialog.choice()
    return choice if run_training(parent, choice) is not None else None
