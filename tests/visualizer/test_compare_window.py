"""View → Compare (issue 15, item 2): variants side by side with one shared player, stepping in lock-step."""

import pytest
from PySide6.QtCore import Qt

from algorithms.compare import align, first_difference


@pytest.mark.parametrize(
    ("name", "comparison", "inputs"),
    [
        ("hmm", "algorithm=viterbi,forward", {"model": "ice-cream", "observations": "3 1 3"}),
        ("dependency", "system=arc-standard,arc-eager", None),
        ("ngram", "smoothing=mle,laplace,kneser-ney", {"corpus": "slp3-toy", "sentence": "I am Sam am"}),
    ],
)
def test_the_halves_follow_one_player_in_lock_step(qtbot, window, name, comparison, inputs):
    panel = window.show_panel(name)
    if inputs:
        panel.set_inputs({**panel.inputs(), **inputs})
    assert window.open_compare(comparison) == ""
    compare = window.compare_windows[-1]
    qtbot.waitExposed(compare)
    compare.activateWindow()
    qtbot.waitUntil(compare.isActiveWindow, timeout=3000)
    results = [p.stepwise() for p in compare.panels]
    assert compare.timeline == align(results)
    assert compare.difference.text() == first_difference(results, compare.labels)
    for _ in range(5):
        qtbot.keyClick(compare.panels[0].view, Qt.Key.Key_Right)
    step = compare.model.current_step
    assert step == 5
    halves = zip(compare.panels, compare.timeline[step], compare.narrations, strict=True)
    for variant, at, narration in halves:
        assert variant.model.current_step == at
        assert variant.narration(at)[1] in narration.text()
    compare.player.slider.setValue(len(compare.timeline) - 1)  # the shared slider drives them all
    assert [v.model.current_step for v in compare.panels] == [v.model.nsteps for v in compare.panels]
    compare.close()


def test_a_comparison_that_cannot_be_made_is_one_sentence(window):
    window.show_panel("hmm")
    assert window.open_compare("colour=red,blue").startswith("There is no input 'colour' to compare")
    assert window.open_compare("algorithm=viterbi").startswith("--compare takes OPTION=V1,V2")


def test_the_shared_player_moves_by_the_first_halfs_groups(window):
    panel = window.show_panel("neural")
    panel.set_inputs({**panel.inputs(), "view": "network", "data": "xor", "hidden": "2", "epochs": 20})
    assert window.open_compare("seed=0,1") == ""
    compare = window.compare_windows[-1]
    first = compare.panels[0].stepwise()
    assert compare.model.levels == first.trace.levels == ("pass", "example", "phase")
    compare.model.set_level("phase")  # one epoch at a time in both halves
    compare.model.to_start()
    compare.model.group_forward()
    compare.model.group_forward()
    at = compare.timeline[compare.model.current_step]
    assert at[0] == first.epoch_start(3) and at[0] in first.trace.boundaries("phase")
    assert compare.panels[1].model.current_step == at[1]
    compare.close()
