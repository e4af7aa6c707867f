"""A dialog to edit a hand-made HMM: names, π, A and B as tables.

Accepting builds the :class:`HMM`; a row that does not sum to 1 (or any
other problem) is shown in one sentence inside the dialog, which stays open
with everything the user typed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from algorithms.hmm import HMM
from algorithms.trace import format_number

__all__ = ["ModelEditor"]


class ModelEditor(QDialog):
    """Edit states, symbols, π, A and B; :meth:`model` returns the validated HMM."""

    def __init__(self, hmm: HMM, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit the HMM")
        self._model: HMM | None = None
        self.states_edit = QLineEdit(", ".join(hmm.states))
        self.symbols_edit = QLineEdit(", ".join(hmm.symbols))
        resize = QPushButton("Apply names")
        resize.setToolTip("Resize the tables to these states and symbols (existing numbers are kept)")
        resize.clicked.connect(self.apply_names)
        self.start_table = QTableWidget()
        self.transition_table = QTableWidget()
        self.emission_table = QTableWidget()
        self.renormalise_box = QCheckBox("Renormalise rows that do not sum to 1")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #d55e00; font-weight: bold;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        names = QFormLayout()
        names.addRow("States (comma-separated)", self.states_edit)
        names.addRow("Symbols (comma-separated)", self.symbols_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(names)
        layout.addWidget(resize)
        for title, table in (
            ("π: P(first state)", self.start_table),
            ("A: P(column state | row state); each row sums to 1", self.transition_table),
            ("B: P(symbol | state); each row sums to 1", self.emission_table),
        ):
            layout.addWidget(QLabel(title))
            layout.addWidget(table)
        layout.addWidget(self.renormalise_box)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._fill(
            hmm.states, hmm.symbols, [hmm.start.tolist()], hmm.transition.tolist(), hmm.emission.tolist()
        )
        self.resize(720, 640)

    def _names(self, edit: QLineEdit) -> list[str]:
        return [name.strip() for name in edit.text().split(",") if name.strip()]

    def _fill(self, states, symbols, start, transition, emission) -> None:
        for table, rows, columns, values in (
            (self.start_table, ["π"], states, start),
            (self.transition_table, states, states, transition),
            (self.emission_table, states, symbols, emission),
        ):
            table.clear()
            table.setRowCount(len(rows))
            table.setColumnCount(len(columns))
            table.setVerticalHeaderLabels(list(rows))
            table.setHorizontalHeaderLabels(list(columns))
            for i in range(len(rows)):
                for j in range(len(columns)):
                    value = values[i][j] if i < len(values) and j < len(values[i]) else 0
                    shown = format_number(value, 6) if isinstance(value, (int, float)) else str(value)
                    table.setItem(i, j, QTableWidgetItem(shown))

    def _texts(self, table: QTableWidget) -> list[list[str]]:
        return [
            [(table.item(i, j).text() if table.item(i, j) else "0") for j in range(table.columnCount())]
            for i in range(table.rowCount())
        ]

    def apply_names(self) -> None:
        """Resize the tables to the typed names, keeping the numbers already typed."""
        states, symbols = self._names(self.states_edit), self._names(self.symbols_edit)
        self._fill(
            states,
            symbols,
            self._texts(self.start_table),
            self._texts(self.transition_table),
            self._texts(self.emission_table),
        )

    def _numbers(self, table: QTableWidget, what: str) -> list[list[float]]:
        rows = []
        for i, row in enumerate(self._texts(table)):
            values = []
            for j, text in enumerate(row):
                try:
                    values.append(float(text.strip() or "0"))
                except ValueError:
                    row_name = table.verticalHeaderItem(i).text() if table.verticalHeaderItem(i) else str(i)
                    raise ValueError(
                        f"In {what}, row {row_name}, column {j + 1}: '{text}' is not a number."
                    ) from None
            rows.append(values)
        return rows

    def model(self) -> HMM:
        """The HMM the dialog holds (valid once the dialog was accepted)."""
        if self._model is None:
            raise RuntimeError("the dialog was not accepted")
        return self._model

    def accept(self) -> None:
        try:
            states, symbols = self._names(self.states_edit), self._names(self.symbols_edit)
            if (len(states), len(symbols)) != (
                self.transition_table.rowCount(),
                self.emission_table.columnCount(),
            ):
                raise ValueError("The names changed: press 'Apply names' to resize the tables first.")
            self._model = HMM(
                states,
                symbols,
                self._numbers(self.start_table, "π")[0],
                self._numbers(self.transition_table, "A"),
                self._numbers(self.emission_table, "B"),
                renormalise=self.renormalise_box.isChecked(),
            )
        except ValueError as problem:
            self.message.setText(str(problem))
            return
        super().accept()
