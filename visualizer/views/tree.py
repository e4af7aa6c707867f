"""A parse tree drawn as one graphics item: labels in boxes, words along the bottom.

Layout: every word gets its own slot (as wide as its word or its pre-terminal
label), words sit on one baseline like in the textbook figures, and a phrase
is centred over its first and last child. So a tree never overlaps itself and
reads left to right like the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from algorithms.trees import Tree
from visualizer.theme import Palette
from visualizer.views.blocks import font

__all__ = ["TreeItem"]

_LEVEL = 62.0
_GAP = 18.0
_BOX_HEIGHT = 28.0


@dataclass
class _Node:
    label: str
    x: float
    y: float
    width: float
    role: str
    children: list[_Node]
    word: str | None = None  # set on pre-terminals: the word drawn below
    slot: float = 0.0  # horizontal room the node needs (a pre-terminal's word may be wider than its box)


class TreeItem(QGraphicsItem):
    """Draws one :class:`~algorithms.trees.Tree`; ``roles`` colours labels (e.g. helper symbols muted)."""

    def __init__(self, palette: Palette) -> None:
        super().__init__()
        self._palette = palette
        self._label_font = font(17, bold=True)
        self._word_font = font(17)
        self._root: _Node | None = None
        self._rect = QRectF(0, 0, 10, 10)
        self._message = ""

    def set_palette(self, palette: Palette) -> None:
        self._palette = palette
        self.update()

    def set_tree(
        self, tree: Tree | None, roles: dict[str, str] | None = None, root_role: str = "text"
    ) -> None:
        """Show ``tree`` (None clears); labels found in ``roles`` are drawn in that role."""
        self.prepareGeometryChange()
        self._root = None if tree is None else self._layout(tree, roles or {}, root_role)
        self._rect = self._bounds() if self._root else QRectF(0, 0, 10, 10)
        self.update()

    def _layout(self, tree: Tree, roles: dict[str, str], root_role: str) -> _Node:
        labels = QFontMetricsF(self._label_font)
        words = QFontMetricsF(self._word_font)
        depth = tree.height()
        cursor = [0.0]

        def place(node: Tree, level: int, role: str) -> _Node:
            label_width = labels.horizontalAdvance(node.label) + 16
            is_preterminal = len(node.children) == 1 and not isinstance(node.children[0], Tree)
            if is_preterminal:
                word = str(node.children[0])
                width = max(label_width, words.horizontalAdvance(word) + 8)
                x = cursor[0] + width / 2
                cursor[0] += width + _GAP
                # Pre-terminals all sit on the level just above the words.
                return _Node(node.label, x, (depth - 1) * _LEVEL, label_width, role, [], word, width)
            children = [
                place(child, level + 1, roles.get(child.label, "text"))
                for child in node.children
                if isinstance(child, Tree)
            ]
            x = (children[0].x + children[-1].x) / 2 if children else cursor[0]
            return _Node(node.label, x, level * _LEVEL, label_width, role, children)

        return place(tree, 0, roles.get(tree.label, root_role) if root_role == "text" else root_role)

    def _bounds(self) -> QRectF:
        assert self._root is not None
        xs: list[float] = []
        bottom = 0.0

        def walk(node: _Node) -> None:
            nonlocal bottom
            half = max(node.width, node.slot) / 2
            xs.extend((node.x - half, node.x + half))
            bottom = max(bottom, node.y + _BOX_HEIGHT + (_LEVEL if node.word is not None else 0))
            for child in node.children:
                walk(child)

        walk(self._root)
        return QRectF(min(xs) - 4, -4, max(xs) - min(xs) + 8, bottom + 8)

    def boundingRect(self) -> QRectF:  # noqa: N802
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self._root is None:
            return
        p = self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        edges: list[QLineF] = []
        nodes: list[_Node] = []

        def collect(node: _Node) -> None:
            nodes.append(node)
            for child in node.children:
                edges.append(QLineF(node.x, node.y + _BOX_HEIGHT, child.x, child.y))
                collect(child)
            if node.word is not None:
                edges.append(QLineF(node.x, node.y + _BOX_HEIGHT, node.x, node.y + _LEVEL))

        collect(self._root)
        painter.setPen(QPen(QColor(p.muted_text), 2))  # the grid's grey was too faint on a projector
        painter.drawLines(edges)
        painter.setFont(self._label_font)
        for node in nodes:
            box = QRectF(node.x - node.width / 2, node.y, node.width, _BOX_HEIGHT)
            color = p.color(node.role)
            painter.setPen(QPen(color, 1.6))
            painter.setBrush(QColor(getattr(p, f"{node.role}_fill", p.surface)))
            painter.drawRoundedRect(box, 6, 6)
            painter.setPen(QColor(p.text) if node.role == "text" else p.ink(node.role))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, node.label)
        painter.setFont(self._word_font)
        painter.setPen(QColor(p.text))
        for node in nodes:
            if node.word is not None:
                rect = QRectF(node.x - 200, node.y + _LEVEL + 2, 400, _BOX_HEIGHT)
                painter.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, node.word)

    def node_position(self, label: str) -> QPointF | None:
        """Centre of the first node labelled ``label`` (pre-order), for tests and callouts."""
        found: list[_Node] = []

        def walk(node: _Node) -> None:
            if node.label == label:
                found.append(node)
            for child in node.children:
                walk(child)

        if self._root is not None:
            walk(self._root)
        return QPointF(found[0].x, found[0].y + _BOX_HEIGHT / 2) if found else None
