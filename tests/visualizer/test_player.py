"""The step model and the player bar, driven by keys, buttons, slider and timer."""

from PySide6.QtCore import Qt

from algorithms.edit_distance import edit_distance
from visualizer.player import SPEEDS, PlaybackModel


def test_model_clamps_and_emits_once_per_change(qtbot):
    model = PlaybackModel()
    model.set_trace(edit_distance("abc", "abd").trace, step=0)
    seen = []
    model.step_changed.connect(seen.append)
    model.set_step(5)
    model.set_step(5)
    model.set_step(10_000)
    model.set_step(-3)
    assert seen == [5, model.nsteps, 0]


def test_group_moves_follow_trace_boundaries(qtbot):
    trace = edit_distance("kitten", "sitting").trace
    model = PlaybackModel()
    model.set_trace(trace, step=0)
    assert model.levels == ("row", "phase")
    model.group_forward()
    assert model.current_step == trace.boundaries("row")[1]
    model.set_level("phase")
    model.group_forward()
    assert model.current_step == trace.boundaries("phase")[2]
    model.group_back()
    assert model.current_step == trace.boundaries("phase")[1]


def test_speed_ladder(qtbot):
    model = PlaybackModel()
    model.set_speed(8)
    model.faster()
    assert model.speed == 16
    model.slower()
    model.slower()
    assert model.speed == 4
    model.set_speed(10**9)
    assert model.speed == SPEEDS[-1]


def test_play_runs_to_the_end_and_stops(qtbot):
    model = PlaybackModel()
    model.set_trace(edit_distance("kitten", "sitting").trace, step=0)
    model.set_speed(1024)
    model.play()
    assert model.playing
    qtbot.waitUntil(lambda: model.current_step == model.nsteps, timeout=5000)
    qtbot.waitUntil(lambda: not model.playing, timeout=1000)


def test_keys_drive_the_player(window, panel, qtbot):
    model = panel.model
    trace = panel.result.trace
    view = panel.view
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert model.current_step == 0
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert model.current_step == 2
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert model.current_step == 1
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert model.current_step == trace.boundaries("row")[1]
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert model.current_step == trace.boundaries("row")[2]
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert model.current_step == trace.boundaries("row")[1]
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert model.current_step == model.nsteps
    speed = model.speed
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert model.speed == speed * 2
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert model.speed == speed
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert model.playing
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert not model.playing


def test_keys_do_not_fire_while_typing(window, panel, qtbot):
    model = panel.model
    model.set_step(10)
    for edit in (panel.source_edit, panel.substitution_edit):
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus, timeout=1000)
        for key in (Qt.Key.Key_Right, Qt.Key.Key_Left, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Space):
            qtbot.keyClick(edit, key)
        qtbot.keyClick(edit, Qt.Key.Key_Plus)
        assert model.current_step == 10
        assert not model.playing
    # The keys went into the boxes as text instead.
    assert panel.source_edit.text() == "intention +"
    assert panel.substitution_edit.text() == "2 +"


def test_slider_scrubs_and_narration_and_counter_follow(window, panel, qtbot):
    trace = panel.result.trace
    for step in (0, 37, 73, len(trace)):
        window.player.slider.setValue(step)
        assert panel.model.current_step == step
        assert window.player.counter.text() == f"{step} / {len(trace)}"
        assert window.narration.text.text().startswith(trace.narrate(step)[:40])


def test_buttons_drive_the_player(window, panel, qtbot):
    bar = window.player
    qtbot.mouseClick(bar.start_button, Qt.MouseButton.LeftButton)
    assert panel.model.current_step == 0
    qtbot.mouseClick(bar.forward_button, Qt.MouseButton.LeftButton)
    assert panel.model.current_step == 1
    qtbot.mouseClick(bar.end_button, Qt.MouseButton.LeftButton)
    assert panel.model.current_step == panel.model.nsteps
    qtbot.mouseClick(bar.back_button, Qt.MouseButton.LeftButton)
    assert panel.model.current_step == panel.model.nsteps - 1


def test_opening_every_panel_keeps_the_window_and_sidebar_width(window, qtbot):
    """Item 14: opening the vectors panel widened the window for good (1320 → 1381 px)."""
    window.resize(1320, 860)
    qtbot.wait(10)
    width, sidebar = window.width(), window.splitter.sizes()[0]
    from visualizer.panels import PANELS

    for spec in PANELS:
        window.show_panel(spec.name)
        qtbot.wait(10)
        assert window.width() == width, spec.name
        assert window.splitter.sizes()[0] == sidebar, spec.name
