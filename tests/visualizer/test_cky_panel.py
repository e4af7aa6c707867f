"""The CKY panel: conversion steps, the chart mid-fill, trees, PCFG numbers, bad grammars, export."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt, QThread
from PySide6.QtGui import QColor

from algorithms.cky import LexicalStep, SplitStep
from visualizer.export import render_image
from visualizer.panels.cky import CKYPanel, builtin_grammar

ROOT = Path(__file__).resolve().parents[2]
BOOK = "book the flight through Houston"


@pytest.fixture
def cky_panel(window):
    panel = window.show_panel("cky")
    assert isinstance(panel, CKYPanel)
    panel.set_inputs({"grammar": "l1", "sentence": BOOK, "mode": "cky"})
    return panel


def step_of(panel: CKYPanel, text: str) -> int:
    """The position right after the event whose narration starts with ``text``."""
    for index, event in enumerate(panel.trace):
        if event.describe().startswith(text):
            return index + 1
    raise AssertionError(f"no event starts with {text!r}")


def test_conversion_steps_come_first_and_mark_the_grammar(window, cky_panel):
    cky_panel.model.set_step(2)  # step 2 of the conversion: unit productions
    heading, text = cky_panel.narration(2)
    assert heading == "Chomsky normal form, step 2, unit productions"
    assert text.startswith("5 unit rules A -> B removed")
    struck = cky_panel._original_rules._struck
    assert ("S", ("VP",), (False,)) in struck and ("NP", ("Pronoun",), (False,)) in struck
    assert cky_panel._cnf_rules._fills[("S", ("book",), (True,))] == "current"
    assert not cky_panel.chart.marks.filled.any()  # the chart waits for the grammar
    assert window.narration.text.text() == text


def test_l1_chart_mid_fill_highlights_cell_split_and_entries(window, cky_panel):
    step = step_of(cky_panel, "[0,3] split k=1")
    cky_panel.model.set_step(step)
    marks = cky_panel.chart.marks
    assert marks.fills[(0, 2)] == "current" and marks.outlines[(0, 2)] == "current"  # [0,3]
    assert marks.fills[(0, 0)] == "candidate" and marks.fills[(1, 2)] == "candidate"  # [0,1], [1,3]
    assert cky_panel.cell_lines(0, 3) == [("S", "chosen"), ("X2", "chosen"), ("VP", "chosen")]
    assert ("Verb", "candidate") in cky_panel.cell_lines(0, 1)
    assert cky_panel.cell_lines(1, 3) == [("NP", "candidate")]
    assert cky_panel.cell_lines(0, 5) == []  # not reached yet
    heading, text = cky_panel.narration(step)
    assert heading == "Column j = 3: 'flight', cell [0,3]"
    assert text == (
        "[0,3] split k=1: Verb ∈ [0,1], NP ∈ [1,3], S → Verb NP ⇒ add S, X2 → Verb NP ⇒ add X2, "
        "VP → Verb NP ⇒ add VP"
    )
    assert window.narration.text.text() == text
    assert cky_panel.tree_heading == "Newest constituent: VP over [0,3]"
    # The rule applied is outlined in the CNF listing.
    assert cky_panel._cnf_rules._outlines[("VP", ("Verb", "NP"), (False, False))] == "chosen"


def test_current_cell_pixel_is_tinted(cky_panel):
    cky_panel.model.set_step(step_of(cky_panel, "[0,3] split k=1"))
    chart = cky_panel.chart
    rect = chart.mapRectToScene(chart.cell_rect((0, 2)))
    image = render_image(cky_panel.scene, cky_panel.export_rect(), 1.0, 4000).image
    offset = cky_panel.export_rect().topLeft()
    probe = rect.bottomRight() - offset - QPointF(rect.width() * 0.1, rect.height() * 0.1)  # below the text
    colour = QColor(image.pixel(int(probe.x()), int(probe.y())))
    assert colour.name() == cky_panel.palette_roles.current_fill


def test_final_step_shows_the_parses_and_the_start_symbol(window, qtbot, cky_panel):
    cky_panel.model.set_step(cky_panel.model.nsteps)
    assert ("S", "final_path") in cky_panel.cell_lines(0, 5)
    assert cky_panel.chart.marks.fills == {(0, 4): "final_path"}  # the answer alone is lit
    assert cky_panel.parse_count.text() == "3 parses"
    assert cky_panel.parse_list.count() == 3
    assert cky_panel.tree_heading == "Parse 1 of 3"
    assert "S ∈ [0,5]: 3 parses" in cky_panel._caption._detail
    first = cky_panel.tree_item.node_position("Verb")
    cky_panel.parse_list.setCurrentRow(1)
    assert cky_panel.tree_heading == "Parse 2"
    assert cky_panel.tree_item.node_position("X2") is not None
    assert first is not None
    # Keys step back through the chart cell by cell.
    cky_panel.view.setFocus()
    qtbot.keyClick(cky_panel.view, Qt.Key.Key_Left)
    assert cky_panel.model.current_step == cky_panel.model.nsteps - 1


def test_clicking_an_entry_draws_its_subtree(window, qtbot, cky_panel):
    cky_panel.model.set_step(cky_panel.model.nsteps)
    chart = cky_panel.chart
    cell = chart.cell_rect((2, 4))  # [2,5]: Nominal
    scene_point = chart.mapToScene(cell.topLeft() + QPointF(20, 12))  # the first line of the cell
    cky_panel.view.centerOn(scene_point)
    viewport_point = cky_panel.view.mapFromScene(scene_point)
    qtbot.mouseClick(cky_panel.view.viewport(), Qt.MouseButton.LeftButton, pos=viewport_point)
    assert cky_panel.tree_heading == "Clicked: Nominal over [2,5]"
    assert cky_panel.tree_item.node_position("PP") is not None


def test_pcfg_chart_shows_probabilities_and_number_styles(window, cky_panel):
    cky_panel.set_inputs(
        {"grammar": "pp-attachment", "sentence": "I saw the man with the telescope", "mode": "pcky"}
    )
    assert cky_panel._conversion == ()  # already CNF: no conversion steps
    cky_panel.model.set_step(cky_panel.model.nsteps)
    assert cky_panel.cell_lines(0, 7) == [("S  .000972", "final_path")]
    assert cky_panel.tree_heading == "Best parse, P = .000972"
    assert "P(sentence) = 1.46e-3" in cky_panel.parse_count.text()
    step = step_of(cky_panel, "[1,7] split k=4")
    cky_panel.model.set_step(step)
    assert ("VP  .00324", "chosen") in cky_panel.cell_lines(1, 7)
    assert "⇒ VP = .00324 (beats .00162)" in cky_panel.narration(step)[1]
    cky_panel.numbers_box.setCurrentIndex(cky_panel.numbers_box.findData("log"))
    cky_panel.numbers_box.activated.emit(cky_panel.numbers_box.currentIndex())
    assert ("VP  -5.732", "chosen") in cky_panel.cell_lines(1, 7)
    assert "VP = -5.732" in window.narration.text.text()


def test_bad_grammar_names_the_line_underlines_it_and_keeps_the_text(window, qtbot, cky_panel):
    before = cky_panel.trace
    broken = builtin_grammar("l1").replace("PP -> Preposition NP", "PP -> Preposition NP [0.5")
    cky_panel.grammar_edit.setPlainText(broken)
    assert not cky_panel.run()
    assert cky_panel.message.text() == "Line 6: unexpected '[' in the rule for PP."
    assert cky_panel.underlined_lines == [6]
    assert cky_panel.grammar_edit.toPlainText() == broken
    assert cky_panel.trace is before  # the last good chart stays
    cky_panel.grammar_edit.setPlainText(builtin_grammar("l1"))
    assert cky_panel.run() and cky_panel.message.isHidden() and cky_panel.underlined_lines == []


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"sentence": "book the cat"}, "This word is not in the grammar: 'cat'."),
        ({"mode": "pcky"}, "Probabilistic CKY needs a PCFG"),
        ({"sentence": " "}, "Type a sentence to parse"),
        ({"sentence": " ".join(["book"] * 81)}, "this panel traces at most 80"),
    ],
)
def test_refused_inputs_say_why_in_one_sentence(cky_panel, inputs, message):
    shown, trace = cky_panel.inputs(), cky_panel.trace
    with pytest.raises(ValueError, match=message.replace(".", r"\.").replace("(", r"\(")):
        cky_panel.set_inputs({"grammar": "l1", "sentence": BOOK, "mode": "cky", **inputs})
    # Refused as a whole: the form is back to what is drawn, and the chart is the same one.
    assert cky_panel.inputs() == shown and cky_panel.trace is trace
    # Typed into the form instead, the text stays with the reason beside it.
    typed = {"grammar": "l1", "sentence": BOOK, "mode": "cky", **inputs}
    cky_panel.fill_form(typed)
    assert not cky_panel.run()
    assert message in cky_panel.message.text() and cky_panel.trace is trace
    assert cky_panel.inputs()["sentence"] == typed["sentence"]


def test_no_parse_is_explained(cky_panel):
    cky_panel.set_inputs({"grammar": "l1", "sentence": "the flight", "mode": "cky"})
    cky_panel.model.set_step(cky_panel.model.nsteps)
    assert cky_panel.parse_count.text() == "No parse: S is not in the top cell."
    assert "not a sentence of the grammar: no S in [0,2]" in cky_panel._caption._detail
    assert cky_panel.cell_lines(0, 2) == [("NP", "text")]  # an NP, but no S
    assert cky_panel.chart.marks.fills == {}


def test_estimating_a_pcfg_from_a_treebank(cky_panel, tmp_path):
    bank = tmp_path / "bank.mrg"
    bank.write_text(
        "(S (NP (Det the) (N dog)) (VP (V saw) (NP (Det a) (N cat))))\n"
        "(S (NP (Det a) (N cat)) (VP (V slept)))\n"
    )
    cky_panel.sentence_edit.setText("the dog saw a cat")
    assert cky_panel.load_treebank(str(bank))
    assert cky_panel.mode == "pcky"
    assert "NP -> Det N [1.0]" in cky_panel.grammar_edit.toPlainText()
    assert cky_panel.result.recognized
    (tmp_path / "bad.mrg").write_text("(S (NP the dog)")
    assert not cky_panel.load_treebank(str(tmp_path / "bad.mrg"))
    assert "never closed" in cky_panel.message.text()


def test_trace_is_random_access_and_events_match_the_chart(cky_panel):
    events = list(cky_panel.trace)
    assert sum(isinstance(e, LexicalStep) for e in events) == 5
    assert sum(isinstance(e, SplitStep) for e in events) == 20
    for step in (27, 5, 15, 0, 28):
        cky_panel.model.set_step(step)
        assert cky_panel.model.current_step == step


def test_cli_exports_the_chart_as_svg(tmp_path):
    output = tmp_path / "chart.svg"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "visualizer", "export", "cky", "--step", "last", "-o", str(output)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    svg = output.read_text()
    assert "Nominal" in svg and "Houston" in svg and "Parse 1 of 3" in svg
    bad = subprocess.run(
        [sys.executable, "-m", "visualizer", "export", "cky", "--sentence", "book a ticket", "-o", "x.png"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("trellis: This word is not in the grammar: 'ticket'.")


def test_big_charts_are_filled_off_the_gui_thread(cky_panel, monkeypatch):
    import threading

    import visualizer.panels.cky as module

    threads = []
    real_cky = module.cky

    def recording_cky(*arguments, **keywords):
        threads.append(threading.get_ident())
        return real_cky(*arguments, **keywords)

    monkeypatch.setattr(module, "BACKGROUND_WORK", 0)
    monkeypatch.setattr(module, "cky", recording_cky)
    cky_panel.set_inputs({"grammar": "l1", "sentence": BOOK, "mode": "cky"})
    assert threads and threads[0] != threading.get_ident()
    assert cky_panel.result.tree_count() == 3


def test_a_background_job_stops_when_cancelled(qtbot):
    from visualizer.background import BackgroundJob

    def work(progress, cancelled):
        while not cancelled():
            progress(0.5)
            QThread.msleep(5)
        raise InterruptedError("cancelled")

    job = BackgroundJob(work)
    with qtbot.waitSignal(job.progress, timeout=3000):
        job.start()
    job.cancel()
    assert job.wait(3000)
    assert isinstance(job.error, InterruptedError) and job.result is None


def test_parse_list_is_of_the_grammar_as_written_and_a_unit_cycle_is_said_in_one_sentence(window, cky_panel):
    # The outside testers' grammar: nltk finds 4 parses of "a a"; the CNF grammar alone has 2.
    grammar = "S -> A C | 'b' | A B\nA -> A C | C | 'a'\nB -> 'b' | 'a' S | 'a'\nC -> 'a' | B C"
    cky_panel.set_inputs({"grammar": grammar, "sentence": "a a", "mode": "cky"})
    assert cky_panel.parse_list.count() == 4
    assert cky_panel.parse_count.text() == "4 parses"
    cky_panel.set_inputs({"grammar": "S -> A\nA -> B | 'x'\nB -> A | 'y'", "sentence": "x", "mode": "cky"})
    assert cky_panel.parse_list.count() == 0
    assert cky_panel.parse_count.text().startswith("The unit rules A -> B -> A form a cycle")
    cky_panel.model.to_end()  # the last step says why there is no one tree, and does not raise
    assert "infinitely many parses" in cky_panel.narration(cky_panel.model.nsteps)[1]
