"""One colour language: roles a view draws together stay apart, also for colour-blind eyes; text is legible.

Distances are CAM02-UCS ΔE (colorspacious), in normal vision and under
deuteranopia and protanopia simulated at full severity (Machado et al. 2009).
Contrast is the WCAG 2 ratio. ``python -m benchmarks.colours`` prints the figures.
"""

from __future__ import annotations

import itertools

import pytest

from visualizer.theme import (
    DARK,
    LIGHT,
    MIN_FILL_DISTANCE,
    MIN_ROLE_DISTANCE,
    MIN_TEXT_CONTRAST,
    VIEW_ROLES,
    Palette,
    contrast_ratio,
)

pytest.importorskip("colorspacious")

from benchmarks.colours import FILLS, TEXT_ROLES, distance  # noqa: E402 (after the skip)

VISIONS = (None, "deuteranomaly", "protanomaly")


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("vision", VISIONS, ids=["normal", "deuteranopia", "protanopia"])
def test_every_two_roles_a_view_draws_are_far_apart(palette: Palette, vision):
    for view, roles in VIEW_ROLES.items():
        for a, b in itertools.combinations(roles, 2):
            d = distance(getattr(palette, a), getattr(palette, b), vision)
            assert d >= MIN_ROLE_DISTANCE, f"{palette.name} {view}: {a} vs {b} is ΔE {d:.1f} ({vision})"


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("vision", VISIONS, ids=["normal", "deuteranopia", "protanopia"])
def test_fills_and_empty_cells_are_told_apart(palette: Palette, vision):
    # "background" is a filled cell, "surface" an empty one: the dark theme once had them 5.9 apart.
    grounds = ("background", "surface", *FILLS)
    for a, b in itertools.combinations(grounds, 2):
        d = distance(getattr(palette, a), getattr(palette, b), vision)
        assert d >= MIN_FILL_DISTANCE, f"{palette.name}: {a} vs {b} is ΔE {d:.1f} ({vision})"


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_text_is_legible_on_every_ground_it_is_drawn_on(palette: Palette):
    for ground in ("background", "surface", *FILLS):
        ratio = contrast_ratio(palette.text, getattr(palette, ground))
        assert ratio >= MIN_TEXT_CONTRAST, f"{palette.name}: text on {ground} is {ratio:.2f}:1"
    for ground in ("background", "surface"):
        ratio = contrast_ratio(palette.muted_text, getattr(palette, ground))
        assert ratio >= MIN_TEXT_CONTRAST, f"{palette.name}: muted text on {ground} is {ratio:.2f}:1"
        for role in TEXT_ROLES:
            ratio = contrast_ratio(palette.ink(role), getattr(palette, ground))
            assert ratio >= MIN_TEXT_CONTRAST, f"{palette.name}: {role} text on {ground} is {ratio:.2f}:1"
            # The ink keeps the role's hue: it is still that role's colour, only darker or lighter.
            hue = palette.color(role).hslHueF()
            if palette.color(role).hslSaturationF() > 0.2:
                assert abs(palette.ink(role).hslHueF() - hue) < 0.02, role


@pytest.mark.parametrize("name", list(VIEW_ROLES))
def test_every_legend_shows_only_roles_its_view_declares(window, name):
    """VIEW_ROLES is what the distance test compares, so it must hold every role a legend shows."""
    from visualizer.views.blocks import LegendItem

    panel = window.panel(name)
    shown: set[str] = set()
    for _, inputs in panel.examples:
        try:
            panel.set_inputs(dict(inputs))
        except ValueError:
            continue  # an example needing a file that is absent here
        for step in (0, panel.model.nsteps // 2, panel.model.nsteps):
            panel.model.set_step(step)
            for item in panel.scene.items():
                if isinstance(item, LegendItem):
                    shown |= {role for role, _ in item.entries}
    assert shown and shown <= set(VIEW_ROLES[name]), shown - set(VIEW_ROLES[name])


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_widget_text_is_legible_including_the_selected_sidebar_entry(qapp, palette: Palette):
    from PySide6.QtGui import QPalette

    from visualizer.theme import widget_palette

    widgets = widget_palette(palette)
    role = QPalette.ColorRole
    for text, ground in (
        (role.HighlightedText, role.Highlight),
        (role.WindowText, role.Window),
        (role.Text, role.Base),
        (role.ButtonText, role.Button),
    ):
        ratio = contrast_ratio(widgets.color(text), widgets.color(ground))
        assert ratio >= MIN_TEXT_CONTRAST, f"{palette.name}: {text.name} on {ground.name} is {ratio:.2f}:1"
