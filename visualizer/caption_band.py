"""The caption band under an exported figure: the step and its narration, formula and numbers.

A slide of a step is only half a slide without the sentence that explains it
("D[4,9] = min(…) = 8", "LEFTARC(compound)"), so every export carries the
narration the window shows under its figure, in a band below the picture. The
text wraps to the figure's width (at word boundaries, and inside a long formula
only where it must) and the band grows to fit it, so nothing is clipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen, QTextLayout, QTextOption

from visualizer.theme import Palette
from visualizer.views.blocks import font

__all__ = ["CaptionBand", "caption_for"]

_PADDING = 14.0
_GAP = 6.0
#: The band is never narrower than this (a narrow figure would wrap the formula word by word).
MIN_WIDTH = 520.0


@dataclass(frozen=True)
class CaptionBand:
    """A heading line and a wrapped sentence, in scene units (they scale with the export)."""

    heading: str
    text: str
    palette: Palette
    #: The band is at least this tall: an animation keeps one canvas for every frame.
    min_height: float = 0.0
    #: The algorithm's pseudocode with the step's line marked ▶ (``--pseudocode``); "" for none.
    pseudocode: str = ""

    def _layouts(self, width: float) -> list[tuple[QTextLayout, QColor]]:
        inner = max(width, MIN_WIDTH) - 2 * _PADDING
        layouts = []
        for text, text_font, colour in (
            (self.heading, font(16, bold=True), QColor(self.palette.text)),
            (self.text, font(15, mono=True), QColor(self.palette.text)),
            (self.pseudocode, font(13, mono=True), QColor(self.palette.text)),
        ):
            if not text:
                continue
            layout = QTextLayout(text, text_font)
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            layout.setTextOption(option)
            layout.beginLayout()
            y = 0.0
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(inner)
                line.setPosition(QPointF(0, y))
                y += line.height()
            layout.endLayout()
            layouts.append((layout, colour))
        return layouts

    def height(self, width: float) -> float:
        """How tall the band is under a figure ``width`` wide."""
        blocks = [layout.boundingRect().height() for layout, _ in self._layouts(width)]
        natural = 2 * _PADDING + sum(blocks) + _GAP * max(len(blocks) - 1, 0)
        return max(natural, self.min_height)

    def width(self, figure_width: float) -> float:
        """The band's width under a figure ``figure_width`` wide (a narrow figure gets a wider band)."""
        return max(figure_width, MIN_WIDTH)

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        """Draw the band into ``rect`` (its top edge is a rule separating it from the figure)."""
        painter.save()
        painter.fillRect(rect, QColor(self.palette.surface))
        painter.setPen(QPen(QColor(self.palette.grid), 1))
        painter.drawLine(rect.topLeft(), rect.topRight())
        y = rect.top() + _PADDING
        for layout, colour in self._layouts(rect.width()):
            painter.setPen(colour)
            layout.draw(painter, QPointF(rect.left() + _PADDING, y))
            y += layout.boundingRect().height() + _GAP
        painter.restore()


def caption_for(panel: Any, step: int, min_height: float = 0.0) -> CaptionBand:
    """The band of ``panel`` at ``step``: "Step k of n · heading" over the step's narration.

    With ``panel.export_pseudocode`` set (``trellis export --pseudocode``, or the pane shown
    in the window), the algorithm's pseudocode follows, the step's line marked ▶.
    """
    heading, text = panel.narration(step)
    where = f"Step {step:,} of {panel.model.nsteps:,}"
    code = pseudocode_text(panel, step) if getattr(panel, "export_pseudocode", False) else ""
    return CaptionBand(
        f"{where} · {heading}" if heading else where, text, panel.palette_roles, min_height, code
    )


def pseudocode_text(panel: Any, step: int) -> str:
    """The panel's pseudocode, one line per line (Unicode line separators), the step's marked ▶."""
    result = panel.stepwise()
    code = tuple(getattr(result, "pseudocode", ()) or ()) if result is not None else ()
    if not code:
        return ""
    try:
        current = result.line_at(step) if step > 0 else None
    except ValueError:
        current = None
    return "\u2028".join(("▶ " if n == current else "  ") + line for n, line in enumerate(code))
