"""The form widgets of a panel, built from its declared inputs (:mod:`visualizer.declared`).

``DeclaredForm(Inputs, rows)`` makes one widget per field (a line edit for text
and numbers, a combo box for a choice, a check box for a flag), with the
field's help as its tooltip, and lays them out in ``rows``: each row lists
field names and any extra widgets the panel adds (its Examples menu, a preset
box). ``values()`` reads the form as JSON inputs and ``set_values`` fills it
without emitting ``edited``, so filling the form never recomputes by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from visualizer.declared import Inputs, InputSpec

__all__ = ["DeclaredForm"]

#: Width of a number box: a cost or a k, not a sentence.
_NUMBER_WIDTH = 70


class DeclaredForm(QWidget):
    """One widget per declared input, laid out in rows; ``edited(now)`` when the user changes one.

    ``now`` is True for a pick (a choice, a flag, Enter in a box): recompute at once;
    False while typing: recompute after a pause. A ``redraw_only`` field emits ``restyled``.
    """

    edited = Signal(bool)
    #: A view option changed (``redraw_only``): redraw the step, nothing to recompute.
    restyled = Signal()

    def __init__(self, inputs_class: type[Inputs], rows: Sequence[Sequence[str | QWidget]]) -> None:
        super().__init__()
        self.inputs_class = inputs_class
        self.specs = inputs_class.specs()
        self.widgets: dict[str, QWidget] = {
            name: self._widget(name, spec) for name, spec in self.specs.items() if spec.in_form
        }
        self._labels: dict[str, QLabel] = {}
        self._stretched: dict[str, int] = {}  # a text field's column, which takes the row's spare width
        grid = self._grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 2)
        for row, entries in enumerate(rows):
            column = 0
            for entry in entries:
                if isinstance(entry, str):
                    spec = self.specs[entry]
                    if spec.kind in ("text", "number"):
                        self._labels[entry] = QLabel(spec.label)
                        grid.addWidget(self._labels[entry], row, column)
                        column += 1
                    widget = self.widgets[entry]
                    span = 3 if spec.kind == "text" else 1
                    grid.addWidget(widget, row, column, 1, span)
                    if span > 1:
                        grid.setColumnStretch(column, 2)
                        self._stretched[entry] = column
                    column += span
                else:
                    grid.addWidget(entry, row, column)
                    column += 1

    def _widget(self, name: str, spec: InputSpec) -> QWidget:
        widget: QWidget
        changed = self.restyled.emit if spec.redraw_only else (lambda: self.edited.emit(True))
        if spec.kind == "choice":
            box = QComboBox()
            for value, label in spec.choices.items():
                box.addItem(label, value)
            box.activated.connect(lambda _: changed())
            widget = box
        elif spec.kind == "whole":
            spin = QSpinBox()
            spin.setRange(int(spec.low), int(min(spec.high, 2**31 - 1)))
            spin.setPrefix(f"{spec.label} ")
            spin.valueChanged.connect(lambda _: changed())
            widget = spin
        elif spec.kind == "flag":
            check = QCheckBox(spec.label)
            check.toggled.connect(lambda _: changed())
            widget = check
        elif spec.multiline:
            editor = QPlainTextEdit()
            editor.setPlaceholderText(spec.placeholder)
            editor.textChanged.connect(lambda: self.edited.emit(False))
            widget = editor
        else:
            edit = QLineEdit()
            edit.setPlaceholderText(spec.placeholder)
            if spec.kind == "number":
                edit.setMaximumWidth(_NUMBER_WIDTH)
            edit.textEdited.connect(lambda _: self.edited.emit(False))
            edit.returnPressed.connect(lambda: self.edited.emit(True))
            widget = edit
        widget.setToolTip(spec.help)
        widget.setObjectName(name)
        return widget

    def show_field(self, name: str, shown: bool) -> None:
        """Show or hide a field's widget and its label (a smoothing's own number, say)."""
        self.widgets[name].setVisible(shown)
        label = self._labels.get(name)
        if label is not None:
            label.setVisible(shown)
        if name in self._stretched:  # a hidden text field leaves no gap
            self._grid.setColumnStretch(self._stretched[name], 2 if shown else 0)

    def values(self) -> dict[str, Any]:
        """The form as JSON inputs; a number box keeps unfinished text as typed (refused on compute).

        Fields not in the form (``in_form=False``) are the panel's to add.
        """
        values: dict[str, Any] = {"schema": self.inputs_class.SCHEMA}
        for name, spec in self.specs.items():
            widget = self.widgets.get(name)
            if isinstance(widget, QComboBox):
                values[name] = widget.currentData()
            elif isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
            elif isinstance(widget, QSpinBox):
                values[name] = widget.value()
            elif isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText()
            elif isinstance(widget, QLineEdit):
                values[name] = _number_or_text(widget.text()) if spec.kind == "number" else widget.text()
        return values

    def set_values(self, inputs: Inputs) -> None:
        """Show ``inputs`` in the widgets, emitting nothing."""
        for name, widget in self.widgets.items():
            value = getattr(inputs, name)
            widget.blockSignals(True)
            try:
                if isinstance(widget, QComboBox):
                    widget.setCurrentIndex(widget.findData(value))
                elif isinstance(widget, QCheckBox):
                    widget.setChecked(bool(value))
                elif isinstance(widget, QSpinBox):
                    widget.setValue(int(value))
                elif isinstance(widget, QPlainTextEdit):
                    widget.setPlainText(str(value))
                elif isinstance(widget, QLineEdit):
                    widget.setText(_shown(value))
            finally:
                widget.blockSignals(False)


def _number_or_text(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
