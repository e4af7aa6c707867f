"""Sheets: tabs that each show some named parts of a panel's figure.

A figure built from many tables (the n-gram panel's counts, probabilities,
reconstituted counts, smoothings compared and mass chart) is several thousand
pixels wide even on the textbook's toy corpus, and no zoom makes it readable on
a projector. Each sheet lays out a few of the figure's parts (see
``Panel.add_part``) in rows, starting where the whole figure's parts start, so
it reads as a figure of its own under the same title. The title, legend and
other items outside every part are on every sheet. The last sheet,
:data:`WHOLE`, is the whole figure as built.

The user's choice survives a recomputation that still has that sheet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QGraphicsItem, QTabBar

if TYPE_CHECKING:
    from visualizer.panels.base import Panel

#: The sheet with every part at its place in the whole figure.
WHOLE = "Whole figure"
#: Space between parts on a sheet (scene pixels).
GAP = 40.0

#: A sheet's layout: rows of part names, each row's parts side by side, the rows stacked.
Layout = tuple[tuple[str, ...], ...]


class Sheets:
    """The tab bar above a panel's view and the parts each of its tabs shows."""

    def __init__(self, panel: Panel, bar: QTabBar) -> None:
        self._panel = panel
        self.bar = bar
        self._sheets: dict[str, Layout] = {WHOLE: ((),)}  # a panel that defines none has only the whole
        self._homes: dict[int, QPointF] = {}  # id(item) -> where the whole figure places it
        self._chosen: str | None = None  # the sheet the user picked, if they did
        self.current = WHOLE
        bar.setDocumentMode(True)
        bar.setExpanding(False)
        bar.tabBarClicked.connect(self._clicked)
        bar.hide()

    def define(self, sheets: dict[str, Layout]) -> None:
        """Offer ``sheets`` (name -> rows of part names), then :data:`WHOLE`; call once the scene is built.

        A sheet none of whose parts is drawn now is left out; the first left is shown
        unless the user picked another that is still offered.
        """
        parts = self._panel.part_items()
        self._sheets = {
            name: rows for name, rows in sheets.items() if any(p in parts for row in rows for p in row)
        }
        self._sheets[WHOLE] = ((),)
        self._homes = {id(item): item.pos() for items in parts.values() for item in items}
        self.bar.blockSignals(True)
        while self.bar.count():
            self.bar.removeTab(0)
        for name in self._sheets:
            self.bar.addTab(name)
        self.bar.blockSignals(False)
        self.bar.setVisible(len(self._sheets) > 2)  # one sheet besides the whole: nothing to choose
        self._show(self._chosen if self._chosen in self._sheets else next(iter(self._sheets)))

    @property
    def names(self) -> tuple[str, ...]:
        """The sheets offered now, :data:`WHOLE` first."""
        return tuple(self._sheets)

    def show(self, name: str) -> None:
        """Show sheet ``name`` as if the user had picked it (refits the view, keeps the step)."""
        if name not in self._sheets:
            raise ValueError(f"There is no sheet {name!r}; the sheets are: {', '.join(self._sheets)}.")
        self._chosen = name
        if len(self._sheets) == 1:
            return  # no sheets: the whole figure is what is shown already
        self._show(name)
        self._panel.fit_view()
        self._panel.display_step(self._panel.model.current_step)

    def _clicked(self, index: int) -> None:
        if 0 <= index < self.bar.count():
            self.show(self.bar.tabText(index))

    def _show(self, name: str) -> None:
        self.current = name
        parts = self._panel.part_items()
        places = self._places(name, parts)
        for items in parts.values():
            for item in items:
                home = self._homes.get(id(item), item.pos())
                place = places.get(id(item))
                item.setVisible(name == WHOLE or place is not None)
                item.setPos(home if place is None else place)
        self.bar.blockSignals(True)
        self.bar.setCurrentIndex(list(self._sheets).index(name))
        self.bar.blockSignals(False)
        self._panel.sheet_shown()

    def _places(self, name: str, parts: dict[str, tuple[QGraphicsItem, ...]]) -> dict[int, QPointF]:
        """Where sheet ``name`` puts each of its parts' items (id -> position); empty for the whole."""
        if name == WHOLE:
            return {}
        origin = self._home_rect(tuple(parts)).topLeft()  # where the whole figure's parts start
        places: dict[int, QPointF] = {}
        y = origin.y()
        for row in self._sheets[name]:
            x, height = origin.x(), 0.0
            for part in row:
                if part not in parts:
                    continue
                home = self._home_rect((part,))
                offset = QPointF(x, y) - home.topLeft()
                for item in parts[part]:
                    places[id(item)] = self._homes.get(id(item), item.pos()) + offset
                x += home.width() + GAP
                height = max(height, home.height())
            if height:
                y += height + GAP
        return places

    def _home_rect(self, names: tuple[str, ...]) -> QRectF:
        """The scene rectangle of these parts where the whole figure places them."""
        rect = QRectF()
        parts = self._panel.part_items()
        for part in names:
            for item in parts.get(part, ()):
                home = self._homes.get(id(item), item.pos())
                rect = rect.united(item.boundingRect().translated(home))
        return rect
