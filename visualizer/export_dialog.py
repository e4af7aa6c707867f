"""The GUI's export dialog: format, scale, region or part, the caption, and a step range for GIFs."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

__all__ = ["ExportDialog", "EXPORT_CHOICES"]

#: label -> (format, scale)
EXPORT_CHOICES: dict[str, tuple[str, float]] = {
    "PNG image (1×)": ("png", 1.0),
    "PNG image (2×, for slides)": ("png", 2.0),
    "PNG image (4×, for print)": ("png", 4.0),
    "SVG vector drawing": ("svg", 1.0),
    "PDF document": ("pdf", 1.0),
    "Animated GIF of a step range": ("gif", 1.0),
}


class ExportDialog(QDialog):
    """Choose what to export; the window then asks for a file name."""

    def __init__(
        self, current_step: int, nsteps: int, parent: QWidget | None = None, parts: tuple[str, ...] = ()
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export view")
        self.choice = QComboBox()
        self.choice.addItems(list(EXPORT_CHOICES))
        self.choice.setCurrentIndex(1)
        self.region = QComboBox()
        self.region.addItem("The whole figure", "whole")
        self.region.addItem("Only what is visible now", "visible")
        for part in parts:  # one part alone: the trellis without its tables, one matrix…
            self.region.addItem(f"Only the {part}", f"part:{part}")
        self.caption = QCheckBox("Narrate the step in a band under the figure")
        self.caption.setChecked(True)
        self.caption.setToolTip("The step's formula with its numbers, as the window shows it below the view")
        self.steps = QLineEdit(
            f"0:{nsteps}" if nsteps <= 600 else f"{current_step}:{min(nsteps, current_step + 100)}"
        )
        self.steps.setToolTip("First and last step of the animation, for example 0:40 (at most 600 frames)")
        self.frame_ms = QComboBox()
        for label, ms in (("fast (100 ms a frame)", 100), ("normal (250 ms)", 250), ("slow (600 ms)", 600)):
            self.frame_ms.addItem(label, ms)
        self.frame_ms.setCurrentIndex(1)
        form = QFormLayout(self)
        form.addRow("Format", self.choice)
        form.addRow("Region", self.region)
        form.addRow("Caption", self.caption)
        form.addRow("GIF steps", self.steps)
        form.addRow("GIF speed", self.frame_ms)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.choice.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        is_gif = self.format == "gif"
        self.steps.setEnabled(is_gif)
        self.frame_ms.setEnabled(is_gif)

    @property
    def format(self) -> str:
        return EXPORT_CHOICES[self.choice.currentText()][0]

    @property
    def region_and_part(self) -> tuple[str, str | None]:
        """("whole" or "visible", None), or ("whole", the part's name)."""
        data = str(self.region.currentData())
        if data.startswith("part:"):
            return "whole", data.removeprefix("part:")
        return data, None

    @property
    def scale(self) -> float:
        return EXPORT_CHOICES[self.choice.currentText()][1]
