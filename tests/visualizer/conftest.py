"""Fixtures for GUI tests: a main window with its own settings file."""

import pytest

from visualizer.app import MainWindow
from visualizer.settings import SettingsStore


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "config" / "settings.json"


@pytest.fixture
def window(qtbot, settings_path):
    win = MainWindow(SettingsStore(settings_path))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow(), timeout=3000)
    yield win
    for panel in win.panels.values():
        panel.model.pause()


@pytest.fixture
def panel(window):
    panel = window.current_panel
    assert panel is not None and panel.name == "edit-distance"
    return panel
