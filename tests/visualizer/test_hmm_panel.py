"""The HMM panel: the trellis and tables at a step, number styles, bad input, editing, training, export."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from algorithms.hmm import HMM
from visualizer.panels.hmm import HMMPanel, tokenize
from visualizer.panels.hmm_editor import ModelEditor
from visualizer.panels.hmm_models import ICE_CREAM

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"


@pytest.fixture
def hmm_panel(window):
    panel = window.show_panel("hmm")
    assert isinstance(panel, HMMPanel)
    panel.set_inputs({"model": "ice-cream", "observations": "3 1 3", "algorithm": "viterbi"})
    return panel


def test_ice_cream_viterbi_mid_recursion(window, hmm_panel):
    hmm_panel.model.set_step(3)  # v2(HOT)
    marks = hmm_panel.trellis.marks
    assert marks.current == (0, 1)
    assert marks.winner == (0, 0)  # v1(HOT)·.6 = .192 beats v1(COLD)·.5 = .01
    assert {edge.label for edge in marks.edges if edge.end == (0, 1)} == {".192", ".01"}
    assert marks.texts[0, 1] == ".0384" and marks.filled[0, 1] and not marks.filled[1, 1]
    a_marks, b_marks = hmm_panel.tables["A"].marks, hmm_panel.tables["B"].marks
    assert a_marks.fills == {(0, 0): "candidate", (1, 0): "candidate"} and a_marks.outlines == {
        (0, 0): "chosen"
    }
    assert b_marks.outlines == {(0, 0): "current"}  # P(1 | HOT)
    heading, text = hmm_panel.narration(3)
    assert heading == "Recursion: t = 2, observation '1'"
    assert text.startswith("v2(HOT) = max(v1(HOT)·P(HOT|HOT), v1(COLD)·P(HOT|COLD)) · P(1|HOT)")
    assert "= max(.32·.6, .02·.5) · .2 = .0384" in text
    assert window.narration.text.text() == text


def test_backtrace_writes_tags_under_the_words(hmm_panel):
    hmm_panel.model.set_step(hmm_panel.model.nsteps)
    marks = hmm_panel.trellis.marks
    assert marks.path == {0: 0, 1: 1, 2: 0}
    assert [marks.tags[t] for t in range(3)] == ["HOT", "COLD", "HOT"]
    assert "best path HOT COLD HOT, P = 1.28e-2" in hmm_panel._caption._detail
    hmm_panel.model.set_step(7)  # termination: the answer appears only now
    assert "best path" in hmm_panel._caption._detail
    hmm_panel.model.set_step(6)
    assert "best path" not in hmm_panel._caption._detail


def test_keys_move_by_node_and_by_column(window, qtbot, hmm_panel):
    hmm_panel.model.set_step(0)
    hmm_panel.view.setFocus()
    qtbot.keyClick(hmm_panel.view, Qt.Key.Key_Right)
    assert hmm_panel.model.current_step == 1
    qtbot.keyClick(hmm_panel.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert hmm_panel.model.current_step == 2  # the end of the first column
    qtbot.keyClick(hmm_panel.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert hmm_panel.model.current_step == 4


def test_number_style_switches_trellis_and_narration(window, hmm_panel):
    hmm_panel.model.set_step(3)
    hmm_panel.numbers_box.setCurrentIndex(hmm_panel.numbers_box.findData("log"))
    hmm_panel.numbers_box.activated.emit(hmm_panel.numbers_box.currentIndex())
    assert hmm_panel.trellis.marks.texts[0, 1] == "-3.26"
    assert window.narration.text.text().startswith("ln v2(HOT) = max(ln v1(HOT) + ln P(HOT|HOT)")
    hmm_panel.numbers_box.setCurrentIndex(hmm_panel.numbers_box.findData("scientific"))
    hmm_panel.numbers_box.activated.emit(hmm_panel.numbers_box.currentIndex())
    assert hmm_panel.trellis.marks.texts[0, 1] == "3.84e-2"
    assert hmm_panel.inputs()["numbers"] == "scientific"


def test_forward_and_backward(hmm_panel):
    hmm_panel.set_inputs({"model": "ice-cream", "observations": "3 1 3", "algorithm": "forward"})
    _, text = hmm_panel.narration(hmm_panel.model.nsteps)
    assert text.startswith("P(O) = sum of the last column = .0235 + .00507 = .0286")  # 3 significant digits
    hmm_panel.model.set_step(3)
    assert {edge.role for edge in hmm_panel.trellis.marks.edges} == {"candidate"}  # a sum: no single winner
    hmm_panel.set_inputs({"model": "ice-cream", "observations": "3 1 3", "algorithm": "backward"})
    hmm_panel.model.set_step(5)  # β1(HOT), computed from the column to its right
    assert hmm_panel.trellis.marks.current == (0, 0)
    assert {edge.start for edge in hmm_panel.trellis.marks.edges} == {(0, 1), (1, 1)}
    assert hmm_panel.tables["A"].marks.fills == {(0, 0): "candidate", (0, 1): "candidate"}


def test_bad_observation_names_the_word_and_keeps_the_input(window, qtbot, hmm_panel):
    before = hmm_panel.result
    hmm_panel.observations_edit.setText("3 1 4")
    assert not hmm_panel.run()
    assert hmm_panel.message.text() == ("The observation '4' is not in this model's vocabulary (1, 2, 3).")
    assert hmm_panel.observations_edit.text() == "3 1 4"
    assert hmm_panel.result is before  # the last good trellis stays on screen
    hmm_panel.observations_edit.setText("   ")
    assert not hmm_panel.run()
    assert "Type some observations" in hmm_panel.message.text()
    with pytest.raises(
        ValueError, match='"algorithm" must be one of viterbi, forward, backward; got .posterior.\\.'
    ):
        hmm_panel.set_inputs({"algorithm": "posterior"})


def test_model_editor_refuses_a_bad_row_then_accepts_it_renormalised(qtbot):
    editor = ModelEditor(HMM.from_dict(ICE_CREAM))
    qtbot.addWidget(editor)
    editor.transition_table.item(1, 0).setText("0.4")  # COLD row: .4 + .5 = .9
    editor.accept()
    assert editor.result() == 0  # refused: the dialog stays open
    assert (
        editor.message.text()
        == "Row COLD of the transition matrix A sums to 0.9, not 1; fix it or ask to renormalise."
    )
    assert editor.transition_table.item(1, 0).text() == "0.4"  # what the user typed is kept
    editor.emission_table.item(0, 0).setText("x")
    editor.accept()
    assert editor.message.text() == "In B, row HOT, column 1: 'x' is not a number."
    editor.emission_table.item(0, 0).setText("0.2")
    editor.renormalise_box.setChecked(True)
    editor.accept()
    assert editor.result() == 1
    assert editor.model().transition[1].tolist() == pytest.approx([4 / 9, 5 / 9])


def test_model_editor_grows_tables_when_names_change(qtbot):
    editor = ModelEditor(HMM.from_dict(ICE_CREAM))
    qtbot.addWidget(editor)
    editor.states_edit.setText("HOT, COLD, MILD")
    editor.accept()
    assert "press 'Apply names'" in editor.message.text()
    editor.apply_names()
    assert (editor.transition_table.rowCount(), editor.transition_table.columnCount()) == (3, 3)
    assert (
        editor.transition_table.item(0, 0).text() == "0.6"
        and editor.transition_table.item(2, 2).text() == "0"
    )


def test_hand_made_model_round_trips_through_a_lesson(window, hmm_panel, tmp_path):
    custom = dict(ICE_CREAM, start=[0.5, 0.5])
    hmm_panel.set_inputs({"model": {"hmm": custom}, "observations": "1 1 3", "algorithm": "forward"})
    hmm_panel.model.set_step(4)
    path = tmp_path / "custom.trellis.json"
    window.save_lesson_to(str(path))
    json.loads(path.read_text())  # plain JSON
    hmm_panel.set_inputs({"model": "pos-small", "observations": "they can fish"})
    window.open_lesson_from(str(path))
    assert hmm_panel.hmm.start.tolist() == [0.5, 0.5]
    assert hmm_panel.model.current_step == 4 and hmm_panel.result.kind == "forward"
    assert hmm_panel.model_box.currentText() == "Hand-made model"


def test_small_tagger_example_tags_the_sentence(hmm_panel):
    hmm_panel.set_inputs(
        {"model": "pos-small", "observations": "I will back the bill", "algorithm": "viterbi"}
    )
    assert hmm_panel.result.path == ["PRON", "AUX", "VERB", "DET", "NOUN"]
    assert tokenize("I will back the bill.") == ["I", "will", "back", "the", "bill", "."]
    assert tokenize("3 1 3") == ["3", "1", "3"] and tokenize("U.S. well-known") == ["U.S", ".", "well-known"]


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data/ud-english-ewt")
def test_training_runs_in_the_shared_worker_and_reports_accuracy(qtbot, tmp_path, monkeypatch):
    import threading

    import visualizer.panels.hmm_models as models
    from visualizer.panels.hmm_training import run_training

    host = QWidget()
    messages: list[str] = []
    host.show_message = messages.append  # type: ignore[attr-defined]
    threads, seen, real = [], [], models.train_tagger

    def recording(*args, progress, cancelled, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args, progress=lambda f: (seen.append(f), progress(f)), cancelled=cancelled, **kwargs)

    monkeypatch.setattr("visualizer.panels.hmm_training.train_tagger", recording)
    choice = {"conllu": str(DATA / "en_ewt-ud-dev.conllu"), "column": "upos"}
    tagger = run_training(host, {**choice, "heldout": str(DATA / "en_ewt-ud-test.conllu")})
    assert threads == [False]  # trained off the GUI thread
    assert tagger.accuracy >= 0.88 and 0.80 < tagger.baseline < 0.83
    assert "most-frequent-tag baseline 0.81" in tagger.summary()
    assert seen and seen[-1] == pytest.approx(1.0)
    # A refused file: no tagger, and its sentence on the message line.
    bad = tmp_path / "bad.conllu"
    bad.write_text("1\tword\n", encoding="utf-8")
    assert run_training(host, {"conllu": str(bad), "column": "upos", "heldout": None}) is None
    assert len(messages) == 1 and "bad.conllu" in messages[0]


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data/ud-english-ewt")
def test_ud_tagger_in_the_panel_explains_unknown_words(hmm_panel):
    hmm_panel.set_inputs(
        {
            "model": {"conllu": str(DATA / "en_ewt-ud-dev.conllu"), "column": "upos"},
            "observations": "I will back the zorbing plan .",
        }
    )
    result = hmm_panel.result
    assert len(result.hmm.states) == 17
    # The longest ending seen on rare training words decides: here '-bing' (as in 'climbing').
    assert result.notes[4].startswith("unknown: lower-case, ending in '-bing'")
    assert "most likely VERB" in result.notes[4]
    assert 4 in hmm_panel.trellis.marks.unknown_columns
    step = result.node_count // len(result.observations) * 4 + 1  # the first node of 'zorbing'
    assert "(unknown: lower-case, ending in '-bing'" in hmm_panel.narration(step)[1]
    hmm_panel.model.set_step(hmm_panel.model.nsteps)
    assert hmm_panel.trellis.marks.tags[4] == result.path[4]
    assert hmm_panel.tables["B"].boundingRect().width() < 2000  # only the sentence's words, not 6,000


def trellis_export(*arguments):
    """Run `trellis export hmm ...` in a subprocess, offscreen."""
    return subprocess.run(
        [sys.executable, "-m", "visualizer", "export", "hmm", *arguments],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_cli_exports_the_hmm_panel_as_svg(tmp_path):
    output = tmp_path / "ice.svg"
    done = trellis_export("--observations", "3 1 3", "--step", "3", "-o", str(output))
    assert done.returncode == 0, done.stderr
    svg = output.read_text()
    assert ".0384" in svg and ".192" in svg and "HOT" in svg
    bad = trellis_export("--observations", "3 9", "-o", str(tmp_path / "x.png"))
    assert bad.returncode == 2
    assert bad.stderr.strip() == "trellis: The observation '9' is not in this model's vocabulary (1, 2, 3)."


def test_edge_count_is_kept_across_models_and_capped_by_the_states(hmm_panel):
    hmm_panel.set_inputs({"model": "ice-cream", "observations": "3 1 3", "top_k": 4})
    hmm_panel.model.set_step(3)
    assert len(hmm_panel.trellis.marks.edges) == 2  # only two states to come from
    hmm_panel.set_inputs({"model": "pos-small", "observations": "I will back the bill", "top_k": 4})
    assert hmm_panel.inputs()["top_k"] == 4
    hmm_panel.model.set_step(15)  # v3(VERB): six terms, the four strongest drawn
    incoming = [edge for edge in hmm_panel.trellis.marks.edges if edge.end == (2, 2)]
    assert len(incoming) == 4


def test_choosing_a_hand_made_model_again_from_the_model_box(hmm_panel):
    custom = dict(ICE_CREAM, start=[0.5, 0.5])
    hmm_panel.set_inputs({"model": {"hmm": custom}, "observations": "1 1 3"})
    hmm_panel.model_box.activated.emit(hmm_panel.model_box.findData("ice-cream"))
    assert hmm_panel.hmm.start.tolist() == [0.8, 0.2]
    index = hmm_panel.model_box.findData("custom")
    hmm_panel.model_box.setCurrentIndex(index)
    hmm_panel.model_box.activated.emit(index)
    assert hmm_panel.message.text() == ""
    assert hmm_panel.hmm.start.tolist() == [0.5, 0.5]


def test_backpointers_are_drawn_for_the_current_column_and_the_best_path_unless_all_are_asked(hmm_panel):
    panel = hmm_panel
    panel.set_inputs({**panel.inputs(), "model": "pos-small", "observations": "I will back the bill"})
    trellis = panel.trellis
    nodes = len(panel.result.hmm.states)
    # At the last node of t = 4: only column t = 4's nodes point back (to t = 3).
    nodes_at_4 = [k for k in range(1, panel.model.nsteps) if _is_node_at(panel.result.event_at(k), 4)]
    step = max(nodes_at_4)
    panel.model.set_step(step)
    backpointers = [e for e in trellis.marks.edges if e.role == "backpointer"]
    assert backpointers and {e.start[1] for e in backpointers} == {3}
    panel.all_backpointers_box.setChecked(True)
    every = [e for e in trellis.marks.edges if e.role == "backpointer"]
    assert {e.start[1] for e in every} == {1, 2, 3} and len(every) > len(backpointers)
    assert len(every) <= nodes * 3
    assert panel.inputs()["all_backpointers"] is True
    # At the end only the best path is drawn, one edge a time step.
    panel.all_backpointers_box.setChecked(False)
    panel.model.to_end()
    assert not [e for e in trellis.marks.edges if e.role == "backpointer"]
    assert len([e for e in trellis.marks.edges if e.role == "final_path"]) == 4


def _is_node_at(event, time: int) -> bool:
    from algorithms.hmm import TrellisNode

    return isinstance(event, TrellisNode) and event.time == time


def test_the_current_node_carries_the_emission_it_multiplies_by(hmm_panel):
    panel = hmm_panel
    panel.model.set_step(5)  # v3(HOT) = max(…) · P(3|HOT)
    assert panel.trellis.marks.factor == "× P(3|HOT) = .4"
    panel.set_inputs({**panel.inputs(), "algorithm": "backward"})
    panel.model.set_step(3)
    assert panel.trellis.marks.factor == ""  # β's emissions are inside its terms


def test_log_numbers_are_said_to_be_natural_logs(hmm_panel):
    panel = hmm_panel
    panel.model.set_step(5)
    assert "ln" not in panel._caption.detail
    panel.set_inputs({**panel.inputs(), "numbers": "log"})
    panel.model.set_step(5)
    assert panel.trellis.marks.texts[0, 0] == "-1.139"  # ln .32
    assert panel._caption.detail.endswith("numbers are ln P")


@pytest.mark.parametrize("algorithm", ["viterbi", "backward"])
def test_state_names_are_repeated_beside_a_far_current_column(hmm_panel, algorithm):
    """Far from the row header the current column carries the state names, on the side no edge uses."""
    from algorithms.hmm import TrellisNode

    hmm_panel.set_inputs({"observations": "3 1 3 3 1 2", "algorithm": algorithm})
    trellis = hmm_panel._trellis
    result = hmm_panel.result
    for step in range(hmm_panel.model.nsteps + 1):
        event = result.event_at(step)
        if not isinstance(event, TrellisNode):
            continue
        hmm_panel.model.set_step(step)
        time = event.time - 1
        names = trellis.state_names_rect(time)
        node = trellis.node_rect((result.hmm.states.index(event.state), time))
        if algorithm == "viterbi" and time < trellis.NAMES_FROM_COLUMN:
            assert names.isEmpty()  # the row header is right beside it
            continue
        assert not names.isEmpty()
        if algorithm == "backward" and time == len(result.observations) - 1:
            continue  # β's first column reads nothing: either side is free
        # Right of the nodes when values flow left to right, left of them in the backward pass.
        assert names.left() >= node.right() if algorithm == "viterbi" else names.right() <= node.left()
        # The follow keeps the current state's name in view with its node.
        focus = trellis.mapRectFromScene(hmm_panel.focus_rect(step))
        assert focus.contains(node) and focus.intersects(names)
