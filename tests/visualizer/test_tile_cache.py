"""Blocks copied from the tile cache look like the blocks drawn directly, at every step.

A view paints most of its figure from cached pixmaps (visualizer/views/tile_cache.py),
keyed by what each block shows. A key that missed something (a fill, a node on the path)
would show a stale block: the picture would disagree with the slider. These tests paint
the same step with a warm cache (after other steps) and with the cache turned off (every
block drawn directly, as on a vector device) and compare.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from visualizer.theme import LIGHT
from visualizer.views.grid import GridItem
from visualizer.views.marks import GridMarks, TrellisMarks
from visualizer.views.tile_cache import TileCache
from visualizer.views.trellis import TrellisItem


def _image(item, *, cached: bool, scale: float = 0.8) -> QImage:
    """The item painted on a raster image: from its tile cache, or with the cache turned off."""
    rect = item.boundingRect()
    image = QImage(int(rect.width() * scale) + 2, int(rect.height() * scale) + 2, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    option = QStyleOptionGraphicsItem()
    option.exposedRect = QRectF(rect)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.scale(scale, scale)
    usable = TileCache.__dict__["usable"]  # the staticmethod itself, to put back
    if not cached:  # every block drawn directly, as on a vector device
        TileCache.usable = staticmethod(lambda _painter: False)  # type: ignore[method-assign]
    try:
        item.paint(painter, option)
    finally:
        TileCache.usable = usable  # type: ignore[method-assign]
        painter.end()
    return image


def _differing_fraction(a: QImage, b: QImage) -> float:
    def pixels(image: QImage) -> np.ndarray:
        image = image.convertToFormat(QImage.Format.Format_RGB32)
        # Copied: the array must not outlive the converted image's memory.
        return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine()).copy()

    x, y = pixels(a).astype(int), pixels(b).astype(int)
    return float((np.abs(x - y) > 60).mean())


def _grid_marks(rows: int, columns: int, filled_cells: int, current: tuple[int, int]) -> GridMarks:
    filled = np.zeros((rows, columns), bool)
    filled.ravel()[:filled_cells] = True
    marks = GridMarks(filled=filled)
    marks.fills[current] = "current"
    marks.outlines[current] = "current"
    return marks


def test_a_grid_from_a_warm_cache_matches_a_direct_paint_at_every_step(qapp) -> None:
    rows, columns = 9, 13
    values = np.arange(rows * columns, dtype=float).reshape(rows, columns) / 7
    grid = GridItem([f"r{i}" for i in range(rows)], [f"c{j}" for j in range(columns)], values, LIGHT)
    steps = [5, 60, 17, 100, 60, 5, 116]  # back and forth: blocks seen before come from the cache
    for k in steps:
        current = divmod(k, columns)
        grid.set_marks(_grid_marks(rows, columns, k + 1, current))
        warm = _image(grid, cached=True)
        direct = _image(grid, cached=False)
        assert _differing_fraction(warm, direct) < 0.002, f"step {k}"
    assert len(grid._tiles) > 0  # the cache was used, not bypassed


def test_a_grid_block_changes_when_only_its_fill_changes(qapp) -> None:
    values = np.ones((4, 8))
    grid = GridItem([str(i) for i in range(4)], [str(j) for j in range(8)], values, LIGHT)
    filled = np.ones((4, 8), bool)
    grid.set_marks(GridMarks(filled=filled))
    plain = _image(grid, cached=True)
    marks = GridMarks(filled=filled)
    marks.fills[(2, 3)] = "current"
    grid.set_marks(marks)
    lit = _image(grid, cached=True)
    assert _differing_fraction(plain, lit) > 0.005  # the lit cell shows, not a stale block


def test_a_trellis_from_a_warm_cache_matches_a_direct_paint(qapp) -> None:
    states, words = [f"S{i}" for i in range(20)], [f"w{t}" for t in range(6)]
    trellis = TrellisItem(states, words, LIGHT)
    texts = np.array([[f".{s}{t}" for t in range(6)] for s in range(20)], dtype=object)
    faded = np.zeros((20, 6), bool)
    faded[::3] = True
    # The last two: every node filled, then the best path found (only the path tells them apart).
    for node_index, with_path in ((3, False), (70, False), (41, False), (119, False), (119, True)):
        t, s = divmod(node_index, 20)
        filled = np.zeros((20, 6), bool)
        filled[:, :t] = True
        filled[: s + 1, t] = True
        marks = TrellisMarks(texts=texts, filled=filled, faded=faded, current=(s, t))
        if with_path:
            marks.path = {0: 4, 1: 17, 2: 0}
        trellis.set_marks(marks)
        warm = _image(trellis, cached=True)
        direct = _image(trellis, cached=False)
        assert _differing_fraction(warm, direct) < 0.002, f"node {node_index}, path {with_path}"


def test_new_values_empty_the_trellis_cache(qapp) -> None:
    trellis = TrellisItem(["A", "B"], ["x", "y"], LIGHT)
    filled = np.ones((2, 2), bool)
    trellis.set_marks(TrellisMarks(texts=np.full((2, 2), ".5", dtype=object), filled=filled))
    _image(trellis, cached=True)
    assert len(trellis._tiles) > 0
    trellis.set_marks(TrellisMarks(texts=np.full((2, 2), ".7", dtype=object), filled=filled))
    assert len(trellis._tiles) == 0  # the old numbers cannot be copied back


@pytest.mark.parametrize("budget", [1, 50_000])
def test_the_cache_keeps_within_its_budget(qapp, budget: int) -> None:
    cache = TileCache(budget_pixels=budget)
    image = QImage(400, 400, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    for n in range(20):
        cache.draw(
            painter,
            n,
            QRectF(0, 0, 100, 100),
            lambda p: p.fillRect(QRectF(0, 0, 100, 100), Qt.GlobalColor.red),
        )
    painter.end()
    assert 1 <= len(cache) <= max(1, budget // (101 * 101))
