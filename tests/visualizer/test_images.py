"""Image regression: every panel at three steps in both themes looks as its stored reference does.

The references are PNG exports (half scale, with the caption band) of each
panel's first example at its first, middle and last step, in
``tests/visualizer/reference/``. A picture may differ from its reference by
font smoothing, not by layout or colour: at most :data:`CHANGED_FRACTION` of
its pixels may differ by more than :data:`CHANGED_LEVEL` levels in a channel.
A failing comparison writes the new picture and a difference image beside the
test's temporary folder and names them.

After a deliberate change to a picture, look at the new images, then regenerate:

    TRELLIS_REGENERATE_IMAGES=1 QT_QPA_PLATFORM=offscreen python -m pytest tests/visualizer/test_images.py
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageChops

from visualizer.export import export_panel
from visualizer.panels import PANELS
from visualizer.theme import DARK, LIGHT

REFERENCE = Path(__file__).parent / "reference"
SCALE = 0.5
#: A channel differing by more than this counts the pixel as changed (smoothing moves a few levels).
CHANGED_LEVEL = 64
#: At most this fraction of the pixels may change (a moved label or a new colour changes far more).
CHANGED_FRACTION = 0.001
REGENERATE = os.environ.get("TRELLIS_REGENERATE_IMAGES") == "1"
PANEL_NAMES = [spec.name for spec in PANELS]


def _steps(nsteps: int) -> tuple[int, int, int]:
    return (0, nsteps // 2, nsteps)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("name", PANEL_NAMES)
def test_the_figure_matches_its_reference_at_three_steps(qapp, tmp_path, name, palette):
    spec = next(spec for spec in PANELS if spec.name == name)
    panel = spec.load()(palette)
    panel.resize(1400, 1000)
    problems = []
    for step in _steps(panel.model.nsteps):
        panel.model.set_step(step)
        reference = REFERENCE / f"{name}-{palette.name}-{step}.png"
        path = reference if REGENERATE else tmp_path / reference.name
        REFERENCE.mkdir(exist_ok=True)
        export_panel(panel, path, "png", SCALE)
        if REGENERATE:
            _store_small(path)
            continue
        if not reference.exists():
            problems.append(f"{reference.name} has no reference; regenerate (see this module's docstring)")
            continue
        problem = _compare(reference, path, tmp_path)
        if problem:
            problems.append(problem)
    assert not problems, "\n".join(problems)


def _store_small(path: Path) -> None:
    """Keep a reference as a 256-colour PNG: a third the size, rounding far below the tolerance."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def _compare(reference: Path, actual: Path, folder: Path) -> str:
    with Image.open(reference) as old, Image.open(actual) as new:
        old_rgb, new_rgb = old.convert("RGB"), new.convert("RGB")
        if old_rgb.size != new_rgb.size:
            sizes = f"the figure is {new_rgb.size}, its reference {old_rgb.size}"
            return f"{reference.name}: {sizes} (new: {actual})"
        difference = np.asarray(ImageChops.difference(old_rgb, new_rgb), dtype=np.int16)
        changed = (difference.max(axis=2) > CHANGED_LEVEL).mean()
        if changed <= CHANGED_FRACTION:
            return ""
        diff_path = folder / f"diff-{reference.name}"
        Image.fromarray((255 - np.minimum(difference.max(axis=2) * 4, 255)).astype(np.uint8)).save(diff_path)
        return f"{reference.name}: {changed:.2%} of pixels changed (new: {actual}, difference: {diff_path})"


def test_a_real_change_is_caught(qapp, tmp_path):
    """The tolerance passes smoothing but not a change a reader would see (a cell in another colour)."""
    reference = REFERENCE / "edit-distance-light-0.png"
    if not reference.exists():
        pytest.skip("no references yet")
    with Image.open(reference) as image:
        changed = image.convert("RGB")
    width, height = changed.size
    box = (width // 4, height // 3, width // 4 + width // 8, height // 3 + height // 8)
    changed.paste((230, 159, 0), box)  # an orange block, 1/64 of the picture
    changed.save(tmp_path / "changed.png")
    assert "changed" in _compare(reference, tmp_path / "changed.png", tmp_path)
    with Image.open(reference) as image:
        smoothed = np.asarray(image.convert("RGB"), dtype=np.int16)
    jitter = np.random.default_rng(0).integers(-24, 25, smoothed.shape)  # antialiasing-sized noise
    Image.fromarray(np.clip(smoothed + jitter, 0, 255).astype(np.uint8)).save(tmp_path / "smoothed.png")
    assert _compare(reference, tmp_path / "smoothed.png", tmp_path) == ""
