"""Dependency arcs above a sentence (as displaCy draws them) and a stack/buffer strip.

Arcs are curves from head to dependent with the arrowhead at the dependent and
the label at the top; an arc's level is one more than the highest arc nested
inside it, so short arcs stay low and labels never sit on each other. Where
several arcs meet a word, their stems are spread across it (the outer arcs
outside), so a busy head or a wrong arc beside its gold one never share a
line. ROOT is token 0 at the left, so the root arc is drawn like any other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from visualizer.theme import Palette
from visualizer.views.blocks import font
from visualizer.views.marks import ArcMark
from visualizer.views.static_text import draw_static

__all__ = ["ArcsItem", "ArcMark", "StackBufferItem"]

_LEVEL = 30.0
_TOKEN_TOP = 0.0  # tokens are drawn below the arcs; set in layout


@dataclass
class _Layout:
    centres: list[float] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)


class ArcsItem(QGraphicsItem):
    """The sentence (word over tag, ROOT first) with dependency arcs above it."""

    def __init__(self, palette: Palette, words: Sequence[str], tags: Sequence[str] | None) -> None:
        super().__init__()
        # The exposed rect, not the whole item: a 60-word sentence is 5,000 px wide.
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._palette = palette
        self._word_font = font(17)
        self._tag_font = font(12)
        self._label_font = font(12, bold=True)
        self._label_widths: dict[str, float] = {}  # dependency labels are a few dozen strings
        self._tokens = ["ROOT", *words]
        self._tags = ["", *(tags or [""] * len(words))]
        self._arcs: list[ArcMark] = []
        self._token_roles: dict[int, str] = {}
        self._layout = _Layout()
        metrics = QFontMetricsF(self._word_font)
        x = 0.0
        for token in self._tokens:
            width = max(64.0, metrics.horizontalAdvance(token) + 22)
            self._layout.centres.append(x + width / 2)
            self._layout.widths.append(width)
            x += width
        self._width = x
        self._levels: dict[tuple[int, int], int] = {}
        self._height = 60.0
        self._stems: dict[tuple[int, int], float] = {}  # (arc index, 0 head / 1 dependent) -> x
        self._placed_labels: list[QRectF] = []  # the labels drawn so far in this paint

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_layout(self, spans: Sequence[tuple[int, int]]) -> None:
        """Fix every arc's level from all the arcs it will ever show (head, dependent pairs).

        Levels computed once from the final tree keep an arc at the same height
        while the parse is scrubbed, and keep set_arcs cheap.
        """
        ordered = sorted({(min(h, d), max(h, d)) for h, d in spans}, key=lambda s: s[1] - s[0])
        levels: dict[tuple[int, int], int] = {}
        for start, end in ordered:
            inside = [
                lvl for (s, e), lvl in levels.items() if start <= s and e <= end and (s, e) != (start, end)
            ]
            levels[(start, end)] = 1 + max(inside, default=0)
        self.prepareGeometryChange()
        self._levels = levels
        self._height = (max(levels.values(), default=1) + 1) * _LEVEL

    def set_arcs(self, arcs: Sequence[ArcMark], token_roles: dict[int, str] | None = None) -> None:
        """Show ``arcs``; a span not laid out by :meth:`set_layout` is added to the layout first."""
        self._arcs = list(arcs)
        self._token_roles = token_roles or {}
        missing = [
            (a.head, a.dependent)
            for a in self._arcs
            if (min(a.head, a.dependent), max(a.head, a.dependent)) not in self._levels
        ]
        if missing:
            self.set_layout([*self._levels, *missing])
        self._stems = self._spread_stems()
        self.update()

    def _spread_stems(self) -> dict[tuple[int, int], float]:
        """Where each arc meets its two words: ends at one word spread across it, outer arcs outside."""
        ends: dict[int, list[tuple[float, int, int]]] = {}
        for index, arc in enumerate(self._arcs):
            for end, (here, there) in enumerate(((arc.head, arc.dependent), (arc.dependent, arc.head))):
                # Arcs going left sit left (longest leftmost); going right, right (longest rightmost).
                order = there - here if there < here else 1000 + (there - here)
                ends.setdefault(here, []).append((order, index, end))
        stems: dict[tuple[int, int], float] = {}
        for token, meeting in ends.items():
            meeting.sort()
            centre, width = self._layout.centres[token], self._layout.widths[token]
            step = min(10.0, width * 0.6 / max(len(meeting) - 1, 1))
            first = centre - step * (len(meeting) - 1) / 2
            for k, (_, index, end) in enumerate(meeting):
                stems[(index, end)] = first + k * step
        return stems

    @property
    def arcs(self) -> list[ArcMark]:
        return list(self._arcs)

    def token_centre(self, index: int) -> QPointF:
        return QPointF(self._layout.centres[index], self._height + 20)

    def arc_rect(self, head: int, dependent: int) -> QRectF:
        """Item coordinates of an arc with its label and both words (what a step that adds it changes)."""
        start, end = sorted((head, dependent))
        level = self._levels.get((start, end), 1)
        left = self._layout.centres[start] - self._layout.widths[start] / 2
        right = self._layout.centres[end] + self._layout.widths[end] / 2
        return QRectF(left, self._height - level * _LEVEL - 20, right - left, level * _LEVEL + 74)

    @property
    def label_rects(self) -> list[QRectF]:
        """Where the last paint put each arc's label (item coordinates), in the order of the arcs."""
        return list(self._placed_labels)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(-4, -4, self._width + 8, self._height + 64)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        base = self._height
        exposed = option.exposedRect if not option.exposedRect.isEmpty() else self.boundingRect()
        for index, token in enumerate(self._tokens):
            centre, width = self._layout.centres[index], self._layout.widths[index]
            rect = QRectF(centre - width / 2 + 3, base + 4, width - 6, 50)
            if not rect.intersects(exposed):
                continue
            role = self._token_roles.get(index)
            if role:
                painter.fillRect(rect, QColor(getattr(p, f"{role}_fill", p.surface)))
            painter.setPen(QColor(p.muted_text if index == 0 else p.text))
            draw_static(painter, token, self._word_font, rect.adjusted(0, 2, 0, -22), "centre")
            painter.setPen(QColor(p.muted_text))
            draw_static(painter, self._tags[index], self._tag_font, rect.adjusted(0, 28, 0, 0), "centre")
        # Every line first, then every label: a later arc must not run through an earlier label.
        self._placed_labels: list[QRectF] = []
        for with_label in (False, True):
            for index, arc in enumerate(self._arcs):
                self._paint_arc(painter, index, arc, base, with_label)

    def _paint_arc(self, painter: QPainter, index: int, arc: ArcMark, base: float, label: bool) -> None:
        p = self._palette
        start, end = sorted((arc.head, arc.dependent))
        level = self._levels.get((start, end), 1)
        x_head = self._stems.get((index, 0), self._layout.centres[arc.head])
        x_dep = self._stems.get((index, 1), self._layout.centres[arc.dependent])
        top = base - level * _LEVEL
        left, right = min(x_head, x_dep), max(x_head, x_dep)
        # A displaCy arch: a cubic whose control points lie a third above the top, so it peaks at ``top``.
        lift = base - (base - top) * 4 / 3
        colour = QColor(p.text) if arc.role == "text" else p.color(arc.role)
        if label:
            self._paint_label(painter, arc, (left + right) / 2, top, colour)
            return
        path = QPainterPath(QPointF(x_head, base))
        path.cubicTo(QPointF(x_head, lift), QPointF(x_dep, lift), QPointF(x_dep, base))
        pen = QPen(colour, 2.6 if arc.role != "text" else 1.6)
        if arc.dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(
            QPolygonF([QPointF(x_dep, base + 2), QPointF(x_dep - 5, base - 8), QPointF(x_dep + 5, base - 8)])
        )

    def _label_width(self, label: str) -> float:
        width = self._label_widths.get(label)
        if width is None:
            width = self._label_widths[label] = QFontMetricsF(self._label_font).horizontalAdvance(label) + 8
        return width

    def _paint_label(
        self, painter: QPainter, arc: ArcMark, middle: float, top: float, colour: QColor
    ) -> None:
        p = self._palette
        width = self._label_width(arc.label)
        # The label sits just above the arc's top line, so even a short arc keeps its line visible.
        # A wrong arc and its gold one over the same words share that spot: the later label moves
        # beside the first, else above it, so neither hides the other ("com flat d").
        label_rect = QRectF(middle - width / 2, top - 17, width, 15)
        aside = width / 2 + 3
        # (One level up at most: the row above the highest arc is kept free for it.)
        for dx, dy in ((0, 0), (aside, 0), (-aside, 0), (0, -16), (aside, -16), (-aside, -16)):
            moved = label_rect.translated(dx, dy)
            if not any(moved.intersects(other) for other in self._placed_labels):
                label_rect = moved
                break
        self._placed_labels.append(label_rect)
        painter.fillRect(label_rect, QColor(p.background))
        painter.setPen(colour if arc.role == "text" else p.ink(arc.role))
        draw_static(painter, arc.label, self._label_font, label_rect, "centre")


class StackBufferItem(QGraphicsItem):
    """Two rows of boxes: the stack (bottom at the left, the top outlined) and the buffer (front first)."""

    def __init__(self, palette: Palette, max_items: int = 14) -> None:
        super().__init__()
        self._palette = palette
        self._stack: list[str] = []
        self._buffer: list[str] = []
        self._roles: dict[tuple[str, int], str] = {}
        self._max = max_items
        self._font = font(16)
        self._caption_font = font(13, bold=True)
        self._elided_words: dict[str, str] = {}

    def _elided(self, text: str, metrics: QFontMetricsF) -> str:
        """``text`` cut to a box's width (cached: the same words sit in the boxes step after step)."""
        shown = self._elided_words.get(text)
        if shown is None:
            if len(self._elided_words) > 4096:
                self._elided_words.clear()
            shown = self._elided_words[text] = metrics.elidedText(text, Qt.TextElideMode.ElideRight, 96)
        return shown

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_contents(
        self, stack: Sequence[str], buffer: Sequence[str], roles: dict[tuple[str, int], str]
    ) -> None:
        """``roles`` maps ("stack", i) or ("buffer", i) to a role (i from the stack top or buffer front)."""
        self.prepareGeometryChange()  # the strip is as wide as its longer row
        self._stack, self._buffer, self._roles = list(stack), list(buffer), roles
        self.update()

    def _slots(self, key: str) -> tuple[list[tuple[float, str, int]], int]:
        """(x, text, index from the stack top or buffer front) of each box drawn, and how many are not.

        The stack runs bottom to top, left to right, so its top stands next to the buffer's
        front as in SLP3's configurations; a tall stack keeps its top boxes and a long
        buffer its front ones.
        """
        items = self._stack if key == "stack" else self._buffer
        hidden = max(len(items) - self._max, 0)
        if key == "stack":
            start = 96 + (56 if hidden else 0)  # room for "+k" before the boxes
            shown = items[hidden:]
            return [(start + i * 112, text, len(shown) - 1 - i) for i, text in enumerate(shown)], hidden
        return [(96 + i * 112, text, i) for i, text in enumerate(items[: self._max])], hidden

    def top_rect(self) -> QRectF:
        """Item coordinates of the stack's top box with its caption, and the buffer's front box."""
        slots = self._slots("stack")[0]
        right = slots[-1][0] + 104 if slots else 96 + 104
        return QRectF(0, 0, right + 8, 130)

    def boundingRect(self) -> QRectF:  # noqa: N802
        items = min(max(len(self._stack), len(self._buffer), 1), self._max)
        return QRectF(-4, -4, 100 + items * 112 + 60, 130)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        p = self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        metrics = QFontMetricsF(self._font)
        for row, (caption, key) in enumerate((("Stack", "stack"), ("Buffer", "buffer"))):
            y = row * 62
            painter.setFont(self._caption_font)
            painter.setPen(QColor(p.muted_text))
            painter.drawText(
                QRectF(0, y, 90, 48), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, caption
            )
            slots, hidden = self._slots(key)
            for x, text, index in slots:
                rect = QRectF(x, y + 4, 104, 42)
                role = self._roles.get((key, index))
                painter.setBrush(QColor(getattr(p, f"{role}_fill", p.surface)) if role else QColor(p.surface))
                painter.setPen(QPen(p.color(role) if role else QColor(p.grid), 3 if role else 1))
                painter.drawRoundedRect(rect, 6, 6)
                painter.setPen(QColor(p.text))
                draw_static(painter, self._elided(text, metrics), self._font, rect, "centre")
            painter.setFont(self._font)
            painter.setPen(QColor(p.muted_text))
            if key == "stack" and slots:
                painter.setFont(self._caption_font)
                painter.drawText(QPointF(slots[-1][0] + 38, y + 60), "↑ top")
                if hidden:
                    painter.setFont(self._font)
                    painter.drawText(QPointF(100, y + 30), f"+{hidden}")
            elif hidden:
                painter.drawText(QPointF(96 + self._max * 112 + 4, y + 30), f"+{hidden}")
            if not slots:
                painter.drawText(QPointF(100, y + 30), "(empty)")
