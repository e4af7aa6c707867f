"""A figure of two or three variants side by side at one shared step, for ``trellis export --compare``.

``trellis export hmm --observations "3 1 3" --compare algorithm=viterbi,forward --step 4``
computes the panel once per value, lays their traces on one timeline
(:func:`algorithms.compare.align`), shows each at its aligned step, and writes one
figure: a difference bar on top (where the variants first part), then each
variant's figure under its label, side by side. The caption band narrates every
half. It quacks like a panel for :func:`visualizer.export.export_panel`.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from algorithms.compare import align, first_difference
from visualizer.player import PlaybackModel
from visualizer.views.blocks import TextBlockItem

__all__ = ["CompareFigure", "SharedSteps", "parse_compare"]

_GAP = 48.0


def parse_compare(text: str, inputs_class: Any) -> tuple[str, list[Any]]:
    """``OPTION=V1,V2[,V3]`` as (option, values); ValueError, one sentence, if it is not one."""
    option, _, listed = text.partition("=")
    option = option.strip().replace("-", "_")
    values = [v.strip() for v in listed.split(",") if v.strip()]
    names = [f for f in getattr(inputs_class, "__dataclass_fields__", {})]
    if not option or not 2 <= len(values) <= 3:
        raise ValueError(f"--compare takes OPTION=V1,V2 or OPTION=V1,V2,V3; got {text!r}.")
    if names and option not in names:
        raise ValueError(f"There is no input {option!r} to compare; the inputs are: {', '.join(names)}.")
    return option, [_typed(v) for v in values]


def _typed(value: str) -> Any:
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


class _SceneItem(QGraphicsItem):
    """Another panel's figure, drawn (as vectors) from its scene."""

    def __init__(self, panel: Any) -> None:
        super().__init__()
        self._panel = panel
        self._source = panel.export_rect()

    def boundingRect(self) -> QRectF:  # noqa: N802
        return QRectF(0, 0, self._source.width(), self._source.height())

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        self._panel.scene.render(painter, self.boundingRect(), self._source)


class CompareFigure:
    """Variants of one panel at one shared step, side by side, with the difference bar."""

    def __init__(self, panels: list[Any], labels: list[str], step: int = 0) -> None:
        self.panels, self.labels = panels, labels
        self.name = f"{panels[0].name} compared"
        self.palette_roles = panels[0].palette_roles
        results = [p.stepwise() for p in panels]
        if any(r is None for r in results):
            raise ValueError(f"The {panels[0].name} panel's steps cannot be compared yet.")
        self.timeline = align(results)
        self.model = PlaybackModel()
        self.model.set_trace(SharedSteps(len(self.timeline) - 1, self.timeline, results[0].trace), 0)
        self.difference = first_difference(results, labels, self.timeline)
        self.export_pseudocode = False
        self.scene = QGraphicsScene()
        self.scene.setBackgroundBrush(self.palette_roles.color("background"))
        self.show_step(step)

    def show_step(self, step: int) -> None:
        """Every variant at its step aligned with shared ``step`` (clamped), drawn anew."""
        self.model.set_step(step)
        step = self.model.current_step
        self.scene.clear()
        for panel, at in zip(self.panels, self.timeline[step], strict=True):
            panel.model.set_step(at)
        palette = self.palette_roles
        bar = TextBlockItem(palette, [self.difference], pixels=18, bold=True)
        self.scene.addItem(bar)
        x, top = 0.0, bar.boundingRect().height() + 16
        for panel, label, at in zip(self.panels, self.labels, self.timeline[step], strict=True):
            heading = TextBlockItem(
                palette, [f"{label}  ·  its step {at} of {panel.model.nsteps}"], 20, bold=True
            )
            self.scene.addItem(heading)
            heading.setPos(x, top)
            figure = _SceneItem(panel)
            self.scene.addItem(figure)
            figure.setPos(x, top + heading.boundingRect().height() + 8)
            x += max(figure.boundingRect().width(), heading.boundingRect().width()) + _GAP
        self.scene.setSceneRect(self.export_rect())

    # -- what export_panel asks of a panel ---------------------------------------------------------
    def export_rect(self) -> QRectF:
        return self.scene.itemsBoundingRect().adjusted(-24, -24, 24, 24)

    def visible_rect(self) -> QRectF:
        return self.export_rect()

    def parts(self) -> dict[str, QRectF]:
        return {}

    def part_items(self) -> dict[str, tuple[QGraphicsItem, ...]]:
        return {}

    def stepwise(self) -> None:
        return None

    def narration(self, step: int) -> tuple[str, str]:
        """Each variant's narration at its aligned step, one per line."""
        row = self.timeline[max(0, min(step, len(self.timeline) - 1))]
        lines = [
            f"{label}: {panel.narration(at)[1]}"
            for panel, label, at in zip(self.panels, self.labels, row, strict=True)
        ]
        return (f"Compared: {', '.join(self.labels)}", "\u2028".join(lines))


class SharedSteps:
    """A shared timeline, as the playback model wants a trace: its length, and the first variant's
    groups (rows, phases, epochs) carried onto it, so Shift+← / → move by them in every half."""

    def __init__(self, length: int, timeline: Sequence[Sequence[int]] = (), trace: Any = None) -> None:
        self._length = length
        self._bounds: dict[str, list[int]] = {}
        for level in getattr(trace, "levels", ()):
            # A shared step is a boundary where the first variant reaches one of its own boundaries.
            own = set(trace.boundaries(level))
            marks = [t for t, row in enumerate(timeline) if row[0] in own]
            self._bounds[level] = sorted(set(marks) | {0, length})
        self.levels: tuple[str, ...] = tuple(self._bounds)

    def __len__(self) -> int:
        return self._length

    def next_boundary(self, position: int, level: str) -> int:
        bounds = self._bounds.get(level, [0, self._length])
        index = bisect.bisect_right(bounds, position)
        return bounds[index] if index < len(bounds) else self._length

    def previous_boundary(self, position: int, level: str) -> int:
        bounds = self._bounds.get(level, [0, self._length])
        index = bisect.bisect_left(bounds, position) - 1
        return bounds[index] if index >= 0 else 0
