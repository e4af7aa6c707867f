"""Adding a panel touches the registry, its module and its test: nothing else.

tests/visualizer/sample/word_panel.py is a complete panel written as a new one
would be. Registered with one PanelSpec (here by monkeypatching the registry,
which a real panel does with one line in visualizer/panels/__init__.py), it gets
the sidebar entry, `trellis export NAME` with its options and --help, lessons
and settings that keep its inputs, and one-sentence refusals of bad JSON, with
no other file changed.
"""

from __future__ import annotations

import pytest

import visualizer.app
import visualizer.panels
from visualizer.panels import PanelSpec

SPEC = PanelSpec(
    name="word-grid",
    title="Word grid",
    group="Words and strings",
    module="tests.visualizer.sample.word_panel",
    class_name="WordGridPanel",
    shortcut="Ctrl+9",
    summary="Levenshtein distance of two words, cell by cell.",
)


@pytest.fixture
def registered(monkeypatch):
    panels = (*visualizer.panels.PANELS, SPEC)
    monkeypatch.setattr(visualizer.panels, "PANELS", panels)
    monkeypatch.setattr(visualizer.app, "PANELS", panels)


def test_the_command_line_exports_it_with_its_declared_options(registered, qapp, tmp_path, capsys):
    from visualizer.__main__ import main

    out = tmp_path / "grid.png"
    assert (
        main(["export", "word-grid", "--source", "flaw", "--target", "lawn", "--step", "5", "-o", str(out)])
        == 0
    )
    assert out.stat().st_size > 0
    with pytest.raises(SystemExit):
        main(["export", "word-grid", "--help"])
    assert "the second word (default sitting)" in " ".join(capsys.readouterr().out.split())


def test_the_window_lists_it_and_lessons_and_settings_keep_its_inputs(registered, qtbot, tmp_path):
    from visualizer.app import MainWindow
    from visualizer.settings import SettingsStore

    store = SettingsStore(tmp_path / "settings.json")
    window = MainWindow(store)
    qtbot.addWidget(window)
    groups = [window.sidebar.topLevelItem(i) for i in range(window.sidebar.topLevelItemCount())]
    titles = [group.child(j).text(0) for group in groups for j in range(group.childCount())]
    assert "Word grid" in titles
    panel = window.show_panel("word-grid")
    panel.set_inputs({"source": "flaw", "target": "lawn"})
    panel.model.set_step(7)
    assert window.save_lesson_to(str(tmp_path / "w.trellis.json")) == ""
    panel.set_inputs({"source": "a", "target": "b"})
    assert window.open_lesson_from(str(tmp_path / "w.trellis.json")) == ""
    assert panel.result.distance == 2 and panel.model.current_step == 7
    assert "refused" not in window.open_lesson_from(str(tmp_path / "w.trellis.json"))
    with pytest.raises(ValueError, match='The word-grid input "target" must be text; got 3.'):
        panel.set_inputs({"source": "a", "target": 3})
    window.close()  # saves the settings: the next window opens this panel with these inputs
    again = MainWindow(SettingsStore(tmp_path / "settings.json"))
    qtbot.addWidget(again)
    assert again.current_panel.name == "word-grid" and again.current_panel.inputs()["target"] == "lawn"
