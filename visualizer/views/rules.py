"""A grammar listing: one line per left-hand side, each alternative a segment that can be marked.

``S → NP VP | X1 VP | book`` with ``X1 VP`` tinted as *added by step 3*, or
the rule the chart just applied outlined. Long lines wrap under the arrow.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from visualizer.theme import Palette
from visualizer.views.blocks import font

__all__ = ["RuleListItem", "RuleLine"]

_LINE = 24.0


@dataclass(frozen=True)
class RuleLine:
    """One left-hand side and its alternatives as (text, key) segments."""

    lhs: str
    alternatives: Sequence[tuple[str, Hashable]]


@dataclass
class _Placed:
    text: str
    key: Hashable
    x: float
    row: int
    width: float


class RuleListItem(QGraphicsItem):
    """A titled grammar; :meth:`set_marks` tints or outlines alternatives by key."""

    def __init__(
        self, palette: Palette, title: str, lines: Sequence[RuleLine], max_width: float = 620
    ) -> None:
        super().__init__()
        self._palette = palette
        self._title = title
        self._title_font = font(16, bold=True)
        self._lhs_font = font(15, bold=True)
        self._font = font(15)
        self._fills: dict[Hashable, str] = {}
        self._outlines: dict[Hashable, str] = {}
        self._struck: set[Hashable] = set()
        self._hidden: set[Hashable] = set()
        self._layout(lines, max_width)

    def _layout(self, lines: Sequence[RuleLine], max_width: float) -> None:
        metrics, lhs_metrics = QFontMetricsF(self._font), QFontMetricsF(self._lhs_font)
        self._lhs_rows: list[tuple[str, int, tuple[Hashable, ...]]] = []
        self._placed: list[_Placed] = []
        self._bars: list[tuple[float, int, Hashable]] = []  # a bar belongs to the alternative after it
        indent = max((lhs_metrics.horizontalAdvance(f"{line.lhs} → ") for line in lines), default=40) + 4
        bar = metrics.horizontalAdvance(" | ")
        row = 0
        widest = 0.0
        for line in lines:
            self._lhs_rows.append((line.lhs, row, tuple(key for _, key in line.alternatives)))
            x = indent
            for n, (text, key) in enumerate(line.alternatives):
                width = metrics.horizontalAdvance(text) + 8
                if n and x + bar + width > max_width:
                    row += 1
                    x = indent
                elif n:
                    self._bars.append((x, row, key))
                    x += bar
                self._placed.append(_Placed(text, key, x, row, width))
                x += width
                widest = max(widest, x)
            row += 1
        self._indent = indent
        self._rows = row
        self._width = max(widest, QFontMetricsF(self._title_font).horizontalAdvance(self._title)) + 8

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_marks(
        self,
        fills: dict[Hashable, str] | None = None,
        outlines: dict[Hashable, str] | None = None,
        struck: set[Hashable] | None = None,
        hidden: set[Hashable] | None = None,
    ) -> None:
        """Tint (``fills``), box (``outlines``), strike out (``struck``) or leave out (``hidden``) rules.

        Hidden alternatives keep their place, so the listing fills in without moving.
        """
        self._fills, self._outlines, self._struck = fills or {}, outlines or {}, struck or set()
        self._hidden = hidden or set()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(-4, -4, self._width + 8, 30 + self._rows * _LINE + 8)

    def segment_rect(self, key: Hashable) -> QRectF | None:
        for placed in self._placed:
            if placed.key == key:
                return self._rect(placed)
        return None

    def _rect(self, placed: _Placed) -> QRectF:
        return QRectF(placed.x, 30 + placed.row * _LINE, placed.width, _LINE - 2)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self._palette
        painter.setFont(self._title_font)
        painter.setPen(QColor(p.text))
        painter.drawText(QPointF(0, 18), self._title)
        for placed in self._placed:
            if placed.key in self._hidden:
                continue
            rect = self._rect(placed)
            role = self._fills.get(placed.key)
            if role:
                painter.fillRect(rect, QColor(getattr(p, f"{role}_fill", p.surface)))
            outline = self._outlines.get(placed.key)
            if outline:
                painter.setPen(QPen(p.color(outline), 2.5))
                painter.setBrush(QColor(0, 0, 0, 0))
                painter.drawRect(rect.adjusted(1, 1, -1, -1))
        painter.setFont(self._lhs_font)
        painter.setPen(QColor(p.text))
        for lhs, row, keys in self._lhs_rows:
            if not all(key in self._hidden for key in keys):
                painter.drawText(QPointF(0, 30 + row * _LINE + 17), f"{lhs} →")
        painter.setFont(self._font)
        for placed in self._placed:
            if placed.key in self._hidden:
                continue
            struck = placed.key in self._struck
            painter.setPen(QColor(p.muted_text if struck else p.text))
            baseline = 30 + placed.row * _LINE + 17
            painter.drawText(QPointF(placed.x + 4, baseline), placed.text)
            if struck:
                painter.drawLine(
                    QPointF(placed.x + 2, baseline - 5), QPointF(placed.x + placed.width - 2, baseline - 5)
                )
        painter.setPen(QColor(p.muted_text))
        for x, row, key in self._bars:
            if key not in self._hidden:
                painter.drawText(QPointF(x, 30 + row * _LINE + 17), " | ")
