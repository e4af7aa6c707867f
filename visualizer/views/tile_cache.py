"""Blocks of a figure drawn once into pixmaps at the current zoom, then copied on every paint.

A step of a big table or trellis changes a handful of cells, yet a repaint issued hundreds
of Python draw calls for cells that look as they did a step ago; View → Compare paints two
or three such figures a step. A view cuts its figure into small blocks (a column of trellis
nodes, a row of eight numbers) and names each block by what it shows (which cells are
filled, which node is on the path). A block seen before is one pixmap copy.

Only on screen: an export to SVG or PDF, or a rotated painter, draws the block itself
(:meth:`TileCache.draw` falls back), so vector output stays vector.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPaintEngine, QPainter, QPixmap, QTransform

__all__ = ["TileCache"]

#: Pixels (device) the cache may hold; the least recently drawn blocks go first.
_BUDGET_PIXELS = 12_000_000


class TileCache:
    """Pixmaps of figure blocks, keyed by the block's content and the zoom they were drawn at."""

    def __init__(self, budget_pixels: int = _BUDGET_PIXELS) -> None:
        self._tiles: OrderedDict[Hashable, QPixmap] = OrderedDict()
        self._pixels = 0
        self._budget = budget_pixels

    def clear(self) -> None:
        """Forget every block (the palette or the figure's values changed)."""
        self._tiles.clear()
        self._pixels = 0

    def __len__(self) -> int:
        return len(self._tiles)

    @staticmethod
    def usable(painter: QPainter) -> bool:
        """True on a raster device under a scale-and-shift transform (a screen, a PNG)."""
        engine = painter.paintEngine()
        return (
            engine is not None
            and engine.type() == QPaintEngine.Type.Raster
            and painter.worldTransform().type().value <= QTransform.TransformationType.TxScale.value
        )

    def draw(
        self, painter: QPainter, key: Hashable, rect: QRectF, render: Callable[[QPainter], None]
    ) -> None:
        """Show the block ``rect`` (item coordinates) that ``render`` draws, from the cache if seen.

        ``key`` must name everything the block shows; ``render`` paints in the same item
        coordinates the view uses. Where the cache cannot be used, ``render`` paints directly.
        """
        if not self.usable(painter):
            render(painter)
            return
        transform = painter.worldTransform()
        scale = transform.m11()
        corner = transform.map(rect.topLeft())
        # The block's position within a device pixel is fixed for a zoom (scrolling moves whole
        # pixels), and the pixmap is drawn at that same offset: the copy matches a direct paint.
        left, top = math.floor(corner.x()), math.floor(corner.y())
        offset = (round(corner.x() - left, 3), round(corner.y() - top, 3))
        ratio = painter.device().devicePixelRatioF()
        full_key = (key, round(scale, 5), offset, ratio, round(rect.width(), 3), round(rect.height(), 3))
        tile = self._tiles.get(full_key)
        if tile is None:
            tile = self._render(rect, scale, offset, ratio, painter.renderHints(), render)
            self._store(full_key, tile)
        else:
            self._tiles.move_to_end(full_key)
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(QPointF(left, top), tile)
        painter.restore()

    @staticmethod
    def _render(
        rect: QRectF,
        scale: float,
        offset: tuple[float, float],
        ratio: float,
        hints: QPainter.RenderHint,
        render: Callable[[QPainter], None],
    ) -> QPixmap:
        width = math.ceil((rect.width() * scale + offset[0]) * ratio) + 1
        height = math.ceil((rect.height() * scale + offset[1]) * ratio) + 1
        tile = QPixmap(max(1, width), max(1, height))
        tile.setDevicePixelRatio(ratio)
        tile.fill(Qt.GlobalColor.transparent)
        tile_painter = QPainter(tile)
        try:  # ended whatever happens: a painter left open on a pixmap aborts Qt
            tile_painter.setRenderHints(hints)
            tile_painter.translate(offset[0], offset[1])
            tile_painter.scale(scale, scale)
            tile_painter.translate(-rect.left(), -rect.top())
            render(tile_painter)
        finally:
            tile_painter.end()
        return tile

    def _store(self, key: Hashable, tile: QPixmap) -> None:
        self._tiles[key] = tile
        self._pixels += tile.width() * tile.height()
        while self._pixels > self._budget and len(self._tiles) > 1:
            _, dropped = self._tiles.popitem(last=False)
            self._pixels -= dropped.width() * dropped.height()
