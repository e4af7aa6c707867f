"""Lessons reopen at their step; malformed lessons and settings never crash the app."""

import json
from pathlib import Path

import pytest

from visualizer.app import MainWindow
from visualizer.lesson import LessonError, load_lesson
from visualizer.settings import SettingsStore


def test_lesson_round_trip(window, panel, qtbot, tmp_path, settings_path):
    panel.set_inputs({"source": "graffe", "target": "giraffe", "mode": "characters", "costs": [1, 1, 2]})
    panel.model.set_step(23)
    path = tmp_path / "demo.trellis.json"
    assert window.save_lesson_to(str(path)) == ""
    saved = json.loads(path.read_text())
    assert saved["format"] == "trellis-lesson" and saved["step"] == 23
    assert saved["inputs"]["source"] == "graffe"

    other = MainWindow(SettingsStore(tmp_path / "other-settings.json"))
    qtbot.addWidget(other)
    assert other.current_panel.source_edit.text() == "intention"
    assert other.open_lesson_from(str(path)) == ""
    reopened = other.current_panel
    assert reopened.source_edit.text() == "graffe"
    assert reopened.substitution_edit.text() == "2"
    assert reopened.model.current_step == 23
    assert reopened.result.distance == panel.result.distance


@pytest.mark.parametrize(
    "content,message",
    [
        ("{not json", "is not valid JSON (line 1, column 2"),
        ('{"format": "something-else"}', "is not a Trellis lesson"),
        (
            '{"format": "trellis-lesson", "version": 1, "panel": "nope", "inputs": {}}',
            "no panel called 'nope'",
        ),
        (
            '{"format": "trellis-lesson", "version": 1, "panel": "edit-distance", "inputs": {}, "step": -4}',
            "step -4",
        ),
        (
            '{"format": "trellis-lesson", "version": 1, "panel": "edit-distance", '
            '"inputs": {"source": "a", "costs": [1, -1, 1]}}',
            "deletion cost must be a non-negative number",
        ),
        ('{"format": "trellis-lesson", "version": 9, "panel": "edit-distance", "inputs": {}}', "version 9"),
    ],
)
def test_malformed_lessons_are_refused_in_one_sentence(window, panel, tmp_path, content, message):
    panel.model.set_step(40)
    path = tmp_path / "bad.json"
    path.write_text(content)
    problem = window.open_lesson_from(str(path))
    assert message in problem
    assert "\n" not in problem and "Traceback" not in problem
    # Nothing the user had is lost.
    assert panel.source_edit.text() == "intention"
    assert panel.deletion_edit.text() == "1"
    assert panel.model.current_step == 40
    assert panel.message.isHidden()


def test_binary_lesson_file(tmp_path):
    path = tmp_path / "image.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")
    with pytest.raises(LessonError, match="not a text file|not valid JSON"):
        load_lesson(path)


def test_lesson_step_past_the_end_is_clamped(window, panel, tmp_path):
    path = tmp_path / "long.json"
    path.write_text(
        json.dumps(
            {"format": "trellis-lesson", "version": 1, "panel": "edit-distance", "inputs": {}, "step": 10_000}
        )
    )
    assert window.open_lesson_from(str(path)) == ""
    assert panel.model.current_step == panel.model.nsteps
    assert "past the end" in window.statusBar().currentMessage()


def test_settings_restore_inputs_and_theme(qtbot, tmp_path):
    store_path = tmp_path / "settings.json"
    first = MainWindow(SettingsStore(store_path))
    qtbot.addWidget(first)
    first.current_panel.set_inputs({"source": "kitten", "target": "sitting", "costs": [1, 1, 1]})
    first.set_theme("dark")
    first.close()
    saved = json.loads(store_path.read_text())
    assert saved["inputs"]["edit-distance"]["source"] == "kitten"

    second = MainWindow(SettingsStore(store_path))
    qtbot.addWidget(second)
    assert second.current_panel.source_edit.text() == "kitten"
    assert second.current_panel.result.distance == 3.0
    assert second.palette_roles.name == "dark"


@pytest.mark.parametrize("content", ["{corrupt", "[1, 2, 3]", ""])
def test_corrupt_settings_fall_back_to_defaults_with_a_message(qtbot, tmp_path, content):
    store_path = tmp_path / "settings.json"
    store_path.write_text(content)
    window = MainWindow(SettingsStore(store_path))
    qtbot.addWidget(window)
    assert window.current_panel.source_edit.text() == "intention"
    message = window.statusBar().currentMessage()
    assert message.startswith("The settings file") and "default settings" in message
    assert (tmp_path / "settings.json.corrupt").read_text() == content


def test_saved_inputs_that_are_now_invalid_fall_back_to_the_example(qtbot, tmp_path):
    store_path = tmp_path / "settings.json"
    store_path.write_text(json.dumps({"inputs": {"edit-distance": {"source": 5}}, "panel": "edit-distance"}))
    window = MainWindow(SettingsStore(store_path))
    qtbot.addWidget(window)
    assert window.current_panel.result.distance == 8.0


def test_presentation_mode_and_shortcut_overlay(window, panel, qtbot):
    from PySide6.QtCore import Qt

    zoom = panel.view.zoom
    qtbot.keyClick(panel.view, Qt.Key.Key_F11)
    assert window.presentation
    assert panel.form.isHidden() and window.sidebar.isHidden()
    assert panel.view.zoom > zoom
    assert window.narration.text.font().pointSizeF() >= 20
    qtbot.keyClick(panel.view, Qt.Key.Key_Escape)
    assert not window.presentation and panel.form.isVisible()
    assert panel.view.zoom == pytest.approx(zoom)
    overlay = window.show_shortcuts()
    assert overlay.isVisible()
    overlay.close()


def test_zoom_keys(window, panel, qtbot):
    from PySide6.QtCore import Qt

    panel.view.reset_zoom()
    qtbot.keyClick(panel.view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert panel.view.zoom > 1
    qtbot.keyClick(panel.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert panel.view.zoom < 1
    qtbot.keyClick(panel.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert panel.view.zoom == 1


def test_bundled_lessons_open_at_their_step(window):
    root = Path(__file__).resolve().parents[2]
    lessons = sorted((root / "visualizer" / "resources" / "lessons").glob("*.trellis.json"))
    assert len(lessons) >= 3
    for path in lessons:
        assert window.open_lesson_from(str(path)) == "", path.name
        expected = json.loads(path.read_text())["step"]
        assert window.current_panel.model.current_step == expected
