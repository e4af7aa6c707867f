"""Fit and follow: on big real inputs, every step's element is on screen, in the window and in F11.

Each panel's ``focus_rect(step)`` names what the step changes; after any step (played,
scrubbed or jumped to) the view must show it, at 1400 × 900, at 1920 × 1080 and in
presentation mode. (The offscreen platform's screen is 800 × 800, so its F11 is the
smallest projector a lecture hall could have: the hardest of the three.)
"""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QRectF

import benchmarks.big_inputs
from benchmarks.big_inputs import PANELS

SIZES = ("1400x900", "1920x1080", "F11")
STEPS_PER_SIZE = 12


@pytest.fixture(scope="module")
def big_inputs() -> dict[str, dict]:
    """The issue's big inputs (read once: the UD corpus takes a second or two)."""
    return benchmarks.big_inputs.big_inputs()


def _size(window, qtbot, size: str) -> None:
    if size == "F11":
        window.resize(1400, 900)
        window.set_presentation(True)
    else:
        window.set_presentation(False)
        width, height = (int(n) for n in size.split("x"))
        window.resize(width, height)
    qtbot.wait(10)  # the resize reaches the view, which fits the figure again


def _shows(visible: QRectF, focus: QRectF) -> bool:
    """Whether ``focus`` is in view; a focus larger than the view must show its top-left part."""
    if focus.width() <= visible.width() and focus.height() <= visible.height():
        return visible.contains(focus)
    corner = QRectF(focus.topLeft(), focus.size().boundedTo(visible.size() * 0.5))
    return visible.contains(corner)


@pytest.mark.parametrize("name", PANELS)
def test_the_current_element_is_visible_after_random_steps(window, qtbot, big_inputs, name):
    if name not in big_inputs:
        pytest.skip("needs ../shared/data/ud-english-ewt")
    panel = window.panel(name)
    window.show_panel(name)
    panel.set_inputs({**panel.inputs(), **big_inputs[name]})
    rng = random.Random(name)
    view = panel.view
    for size in SIZES:
        _size(window, qtbot, size)
        assert view.auto_fit
        steps = [rng.randrange(panel.model.nsteps + 1) for _ in range(STEPS_PER_SIZE)]
        for step in [*steps, 0, panel.model.nsteps]:
            panel.model.set_step(step)
            view.finish_glide()
            focus = panel.focus_rect(step)
            visible = view.visible_scene_rect()
            assert not focus.isNull(), f"{name} step {step}: no focus"
            assert _shows(visible, focus), f"{name} at {size}, step {step}: {focus} not within {visible}"
            # The title stays in view too wherever both fit on screen.
            title = panel.title_rect()
            both = focus.united(title)
            if both.width() * 1.3 < visible.width() and both.height() * 1.3 < visible.height():
                assert visible.contains(title), f"{name} at {size}, step {step}: title scrolled away"
    window.set_presentation(False)


def test_following_glides_and_hand_zoom_stops_fitting_until_fit_again(window, qtbot, big_inputs):
    panel = window.current_panel
    panel.set_inputs({**panel.inputs(), **big_inputs["edit-distance"]})
    view = panel.view
    window.resize(1400, 900)
    qtbot.wait(10)
    panel.model.set_step(panel.model.nsteps // 2)  # far from the top-left: the view must scroll
    start = (view.horizontalScrollBar().value(), view.verticalScrollBar().value())
    assert view.gliding, "a step far away glides, never jumps"
    view.finish_glide()
    assert (view.horizontalScrollBar().value(), view.verticalScrollBar().value()) != start
    # Zooming by hand is kept through resizes; the next step still follows.
    view.zoom_in()
    zoom = view.zoom
    window.resize(1300, 850)
    qtbot.wait(10)
    assert not view.auto_fit and view.zoom == pytest.approx(zoom)
    panel.model.set_step(panel.model.nsteps // 3)
    view.finish_glide()
    assert _shows(view.visible_scene_rect(), panel.focus_rect(panel.model.current_step))
    # Fit to window (Ctrl+9) turns fitting back on, and entering F11 fits for the projector.
    window._fit_view()
    assert view.auto_fit
    window.set_presentation(True)
    qtbot.wait(10)
    assert view.presentation and view.auto_fit
    window.set_presentation(False)
    assert not view.presentation


def test_a_small_figure_is_fitted_whole_and_refitted_on_resize(window, qtbot):
    panel = window.current_panel  # intention → execution fits at any of these sizes
    window.resize(1400, 900)
    qtbot.wait(10)
    assert view_shows_all(panel)
    zoom = panel.view.zoom
    window.resize(1200, 820)
    qtbot.wait(10)
    assert view_shows_all(panel) and panel.view.zoom < zoom


def view_shows_all(panel) -> bool:
    visible = panel.view.visible_scene_rect().adjusted(-2, -2, 2, 2)
    return visible.contains(panel.export_rect())


def test_folding_the_big_editors_gives_the_chart_the_window_and_unfolds_exactly(window, qtbot):
    panel = window.panel("cky")
    window.show_panel("cky")
    window.resize(1400, 900)
    qtbot.wait(10)
    before = panel.view.viewport().height()
    hidden_by_panel = panel.parse_list.isHidden()
    window.fold_editors_action.trigger()
    qtbot.wait(10)
    assert panel.grammar_edit.isHidden() and panel.sentence_edit.isVisible()
    assert panel.view.viewport().height() > before + 100  # the grammar box's rows go to the chart
    window.fold_editors_action.trigger()
    qtbot.wait(10)
    assert panel.grammar_edit.isVisible() and panel.parse_list.isHidden() == hidden_by_panel
    assert panel.view.viewport().height() == before


def test_a_title_scrolled_out_of_view_is_pinned_to_the_corner(window, qtbot, big_inputs):
    panel = window.panel("hmm" if "hmm" in big_inputs else "edit-distance")
    window.show_panel(panel.name)
    panel.set_inputs({**panel.inputs(), **big_inputs[panel.name]})
    window.resize(1400, 900)
    qtbot.wait(10)
    title_rect, text, _, _ = panel.view.pinned_title()
    assert text and text == panel._caption.title and title_rect == panel.title_rect()
    panel.model.set_step(panel.model.nsteps * 2 // 3)  # far to the right: the title scrolls away
    panel.view.finish_glide()
    assert not panel.view.visible_scene_rect().contains(title_rect)
    pinned = panel.view.viewport().grab().toImage()
    panel.view.pinned_title, pin = None, panel.view.pinned_title
    try:
        plain = panel.view.viewport().grab().toImage()
    finally:
        panel.view.pinned_title = pin
    corner = (8, pinned.height() - 40, 300, 32)
    assert pinned.copy(*corner) != plain.copy(*corner)  # the band is drawn in the corner
    top = (0, 0, pinned.width(), 100)
    assert pinned.copy(*top) == plain.copy(*top)  # and nowhere else
