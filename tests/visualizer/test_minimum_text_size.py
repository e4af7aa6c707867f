"""Secondary text (index digits, POS tags, badges, arc labels, notes) is at least 11 px at scale 1.

Every font a panel's items set while the figure is painted is recorded; none may
be smaller than :data:`MIN_TEXT_PIXELS`. (A font below it was unreadable on a
projector: index digits and backpointer glyphs were once 9 px.)
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPainter

from visualizer.export import render_image

MIN_TEXT_PIXELS = 11


@pytest.mark.parametrize("name", ["edit-distance", "hmm", "cky", "ngram", "embeddings", "dependency"])
def test_no_text_in_a_figure_is_below_eleven_pixels(window, monkeypatch, name):
    sizes: list[tuple[int, str]] = []
    original = QPainter.setFont

    def recording(painter, font):  # noqa: ANN001
        sizes.append(
            (font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 96 / 72), font.family())
        )
        return original(painter, font)

    monkeypatch.setattr(QPainter, "setFont", recording)
    panel = window.panel(name)
    for _, inputs in panel.examples[:3]:
        try:
            panel.set_inputs(dict(inputs))
        except ValueError:
            continue
        for step in (0, panel.model.nsteps // 3, panel.model.nsteps):
            panel.model.set_step(step)
            render_image(panel.scene, panel.export_rect(), 1.0)
    assert len(sizes) > 20  # the recording saw the figure being drawn
    smallest = min(sizes)
    assert smallest[0] >= MIN_TEXT_PIXELS, f"{name} draws {smallest[1]} text at {smallest[0]} px"
