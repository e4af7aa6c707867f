"""A chart's triangle is outlined as a clean staircase (issue 13, item 9: "the ragged chart outline")."""

import numpy as np
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from visualizer.theme import DARK, LIGHT
from visualizer.views.grid import GridItem


def _render(item: GridItem, scale: float) -> QImage:
    rect = item.boundingRect()
    image = QImage(int(rect.width() * scale) + 2, int(rect.height() * scale) + 2, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.scale(scale, scale)
    option = QStyleOptionGraphicsItem()
    option.exposedRect = rect
    item.paint(painter, option)
    painter.end()
    return image


def test_every_diagonal_cell_has_its_left_border(qapp):
    n = 6
    present = np.triu(np.ones((n, n), dtype=bool))  # row i: cells i..n-1, as a CKY chart
    for palette in (LIGHT, DARK):
        grid = GridItem(
            [str(i) for i in range(n)],
            [f"w{j}" for j in range(n)],
            np.zeros((n, n)),
            palette,
            present=present,
        )
        for scale in (1.0, 0.63, 0.85):  # the window zooms to fit: borders must survive rounding
            image = _render(grid, scale)
            background = QColor(palette.background).rgb()
            for i in range(1, n):
                cell = grid.cell_rect((i, i))
                x, y = cell.left() * scale, round(cell.center().y() * scale)
                near = {image.pixel(round(x) + dx, y) for dx in (-1, 0, 1)}
                assert near != {background}, (palette.name, scale, i)  # the staircase's riser is drawn
                assert image.pixel(round(x) - 4, y) == background, (palette.name, scale, i)  # outside: blank
