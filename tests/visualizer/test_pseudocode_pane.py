"""The pseudocode pane (issue 15, item 1): the current line lit and the watch list, following the player."""

import pytest
from PySide6.QtCore import Qt

PANELS = ["edit-distance", "hmm", "cky", "ngram", "embeddings", "dependency"]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.mark.parametrize("name", PANELS)
def test_the_pane_lights_the_line_each_step_runs(qtbot, window, name):
    panel = window.show_panel(name)
    width_before = window.width()
    qtbot.keyClick(panel.view, Qt.Key.Key_P, CTRL_SHIFT)
    pane = window.pseudocode
    assert pane.isVisible() and window.pseudocode_action.isChecked()
    assert window.width() == width_before  # the window kept its size
    result = panel.stepwise()
    assert [pane.lines.item(i).text() for i in range(pane.lines.count())] == list(result.pseudocode)
    panel.model.to_start()
    seen = set()
    for _ in range(min(panel.model.nsteps, 40)):
        qtbot.keyClick(panel.view, Qt.Key.Key_Right)
        step = panel.model.current_step
        try:
            line = result.line_at(step)
        except ValueError:  # CKY's grammar conversion comes before the algorithm runs
            assert pane.current_line is None and not pane.lines.selectedItems()
            continue
        assert pane.current_line == line == pane.lines.currentRow()
        watch = result.watch_at(step)
        assert pane.watch_values == "\n".join(f"{k} = {v}" for k, v in watch.items())
        seen.add(line)
    assert seen  # the steps ran lines


def test_presentation_mode_hides_the_pane_unless_asked_there(qtbot, window):
    panel = window.show_panel("edit-distance")
    window.pseudocode_action.setChecked(True)
    window._toggle_pseudocode()
    window.set_presentation(True)
    assert not window.pseudocode.isVisible() and not window.pseudocode_action.isChecked()
    qtbot.keyClick(panel.view, Qt.Key.Key_P, CTRL_SHIFT)
    assert window.pseudocode.isVisible()  # asked for in presentation mode
    window.set_presentation(False)
    assert window.pseudocode.isVisible()  # as it was before
