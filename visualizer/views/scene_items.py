"""The top-level items of a scene, found without ``parentItem()``.

In PySide6, calling ``parentItem()`` on a top-level item written in Python hands
the item back to Python: once its last Python reference goes, the item is
deleted and vanishes from the scene (a panel's legend disappeared this way the
first time the figure's bounds were measured with it). ``topLevelItem()`` has no
such effect, so the few places that need the top-level items use this instead.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene


def top_level_items(scene: QGraphicsScene) -> list[QGraphicsItem]:
    """The scene's items that have no parent item, in the scene's order."""
    return [item for item in scene.items() if item.topLevelItem() is item]
