"""The language-model panel: matrices, scoring step by step, smoothing comparison, sampling, failures."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from algorithms.ngram import SMOOTHINGS, SampleStep
from visualizer.panels.ngram import NGramPanel

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"


@pytest.fixture
def lm_panel(window):
    panel = window.show_panel("ngram")
    assert isinstance(panel, NGramPanel)
    panel.set_inputs({"corpus": "slp3-toy", "sentence": "I am Sam", "order": 2, "smoothing": "mle"})
    return panel


def test_scoring_lights_the_bigram_in_use_and_narrates_the_formula(window, lm_panel):
    lm_panel.model.set_step(2)  # P(am | I)
    counts = lm_panel.matrices["counts"]
    row, column = lm_panel.tables.rows.index("I"), lm_panel.tables.columns.index("am")
    assert counts.marks.outlines == {(row, column): "current"}
    assert counts._values[row, column] == 2  # C(I am)
    assert lm_panel.matrices["probabilities"].marks.texts((row, column)) == [(".667", "text")]
    heading, text = lm_panel.narration(2)
    assert heading == "Factor 2 of 4"
    assert text == "P(am | I) = C(I am) / C(I) = 2 / 3 = .667; log P so far = -0.8109"
    assert window.narration.text.text() == text
    # The comparison lights the same factor for every smoothing, the current smoothing's row marked.
    comparison = lm_panel.matrices["comparison"]
    assert {cell for cell, role in comparison.marks.fills.items() if role == "current"} == {
        (r, 1) for r in range(len(SMOOTHINGS))
    }
    assert comparison.marks.row_header_role == {0: "chosen"}


def test_the_last_step_gives_the_perplexity(lm_panel):
    lm_panel.model.set_step(lm_panel.model.nsteps)
    heading, text = lm_panel.narration(lm_panel.model.nsteps)
    assert heading == "Perplexity"
    assert text.startswith("PP = exp(−log P / N) = exp(−(-2.197) / 4) = 1.732")
    assert "log P = -2.197, perplexity = 1.732" in lm_panel._caption._detail


def test_an_unseen_bigram_is_zero_under_mle_and_smoothing_shares_the_mass(lm_panel):
    lm_panel.set_inputs({"corpus": "slp3-toy", "sentence": "I am Sam am", "order": 2, "smoothing": "laplace"})
    lm_panel.model.set_step(4)  # P(am | Sam): never seen
    comparison = lm_panel.matrices["comparison"]
    assert comparison.marks.outlines[(0, 3)] == "error"  # MLE gives it 0
    assert comparison.marks.texts((0, 3)) == [("0", "text")] and comparison.marks.texts((0, 6)) == [
        ("∞", "text")
    ]
    rows = {row.label: row for row in lm_panel.mass_chart.rows}
    assert rows["MLE"].value_text == "seen 1 · unseen 0"
    assert (
        rows["Add-one (Laplace)"].emphasised
        and rows["Add-one (Laplace)"].value_text == "seen .308 · unseen .692"
    )
    # Reconstituted counts: C* = (C + 1) · C(Sam) / (C(Sam) + V) = (0 + 1) · 2 / 13.
    reconstituted = lm_panel.matrices["reconstituted"]
    cell = (lm_panel.tables.rows.index("Sam"), lm_panel.tables.columns.index("am"))
    assert reconstituted.marks.texts(cell) == [("0.154", "text")]
    assert "(C(Sam am) + 1) / (C(Sam) + 1·V) = (0 + 1) / (2 + 1·11) = .0769" in lm_panel.narration(4)[1]


def test_kneser_ney_table_shows_continuation_beside_raw_counts(lm_panel):
    grid = lm_panel.matrices["continuation"]
    values = {grid._rows[i]: tuple(grid._values[i]) for i in range(len(grid._rows))}
    assert values["I"] == (3, 2) and values["am"] == (2, 1)  # I follows <s> and Sam; am only follows I


def test_sampling_draws_until_the_end_marker(lm_panel):
    lm_panel.set_inputs({"corpus": "restaurant", "order": 2, "smoothing": "mle", "view": "sample", "seed": 4})
    events = list(lm_panel.trace)
    assert all(isinstance(e, SampleStep) for e in events) and events[-1].word == "</s>"
    lm_panel.model.set_step(2)
    chart = lm_panel.draw_chart
    emphasised = [row for row in chart.rows if row.emphasised]
    assert [row.label for row in emphasised] == [events[1].word]
    assert all(row.segments[0][0] > 0 for row in chart.rows)
    assert lm_panel.narration(2)[1].startswith(
        f"Draw 2: u = {events[1].draw:.3f} falls on '{events[1].word}'"
    )
    again = NGramPanel(inputs={"corpus": "restaurant", "order": 2, "view": "sample", "seed": 4})
    assert again.sample == lm_panel.sample  # the seed makes it repeatable


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"corpus": "   "}, "The corpus is empty"),
        ({"sentence": ""}, "Type a sentence to score"),
        ({"smoothing": "interpolation", "lambdas": "0.5 0.4"}, "The λs (0.5, 0.4) sum to 0.9, not 1."),
        ({"smoothing": "interpolation", "lambdas": "a b"}, "The λs must be numbers"),
        ({"order": 9}, 'The language-model input "order" must be a whole number from 1 to 5; got 9.'),
        ({"corpus": "a <s> b"}, "Sentence 1 has <s> or </s> in the middle"),
    ],
)
def test_refused_inputs_keep_the_text_and_say_why(lm_panel, inputs, message):
    before, shown = lm_panel.trace, lm_panel.inputs()
    with pytest.raises(ValueError) as refused:
        lm_panel.set_inputs({"corpus": "slp3-toy", "sentence": "I am Sam", **inputs})
    assert message in str(refused.value)
    assert lm_panel.trace is before and lm_panel.inputs() == shown  # refused whole: the form is put back
    if "order" not in inputs:  # typed into the form, the text stays with the reason beside it
        lm_panel.fill_form({"corpus": "slp3-toy", "sentence": "I am Sam", **inputs})
        assert not lm_panel.run()
        assert message in lm_panel.message.text() and lm_panel.trace is before


def test_other_orders_show_bigram_matrices_and_score_with_their_own_order(lm_panel):
    lm_panel.set_inputs({"corpus": "slp3-toy", "sentence": "I am Sam", "order": 3, "smoothing": "kneser-ney"})
    assert lm_panel.lm.order == 3 and lm_panel.tables.bigram.order == 2
    assert "max(C(<s> I am) − d, 0)" in lm_panel.narration(2)[1]
    lm_panel.set_inputs({"corpus": "slp3-toy", "sentence": "I am Sam", "order": 1, "smoothing": "mle"})
    assert lm_panel.narration(1)[1].startswith("P(I) = C(I) / N = 3 / 17")


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data/ud-english-ewt")
def test_a_conllu_corpus_loads_into_the_editor(lm_panel):
    assert lm_panel.load_corpus(str(DATA / "en_ewt-ud-dev.conllu"))
    assert lm_panel.lm.token_count > 25_000
    assert lm_panel.corpus_edit.toPlainText().count("\n") > 1_000


def test_cli_exports_the_scoring_view(tmp_path):
    output = tmp_path / "score.svg"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "visualizer", "export", "ngram", "--sentence", "I am Sam", "--step", "2",
         "--smoothing", "kneser-ney", "--sheet", "Smoothings compared", "-o", str(output)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    svg = output.read_text()
    assert "Kneser" in svg and "N1+" in svg and "am" in svg
    # The sheet shows the comparison and continuation tables, not the count matrix of the first sheet.
    assert "Bigram counts" not in svg
    bad = subprocess.run(
        [sys.executable, "-m", "visualizer", "export", "ngram", "--smoothing", "interpolation",
         "--lambdas", "0.9 0.3",
         "-o", str(tmp_path / "x.png")],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr.strip() == "trellis: The λs (0.9, 0.3) sum to 1.2, not 1."


def test_opening_a_missing_or_binary_corpus_says_so_and_keeps_the_text(lm_panel, tmp_path):
    before = lm_panel.corpus_edit.toPlainText()
    assert not lm_panel.load_corpus(str(tmp_path / "nope.txt"))
    assert lm_panel.message.text() == f"There is no corpus file {tmp_path / 'nope.txt'}."
    binary = tmp_path / "data.txt"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    assert not lm_panel.load_corpus(str(binary))
    assert lm_panel.corpus_edit.toPlainText() == before
    text = tmp_path / "tiny.txt"
    text.write_text("the cat sat\nthe dog sat\n")
    lm_panel.sentence_edit.setText("the cat sat")
    assert lm_panel.load_corpus(str(text)) and lm_panel.lm.count(["the", "cat"]) == 1
    assert lm_panel.inputs()["corpus"].startswith("the cat sat")  # the file's text, not a built-in name


def test_the_narration_shows_sentence_markers_as_typed(window, lm_panel):
    """'<s>' is text, not an HTML strike-out tag that swallowed half the formula."""
    lm_panel.model.set_step(1)  # P(I | <s>)
    label = window.narration.text
    assert label.text().startswith("P(I | <s>) = C(<s> I) / C(<s>) = 2 / 3")
    assert label.textFormat() == Qt.TextFormat.PlainText


def test_each_sheet_shows_its_tables_and_follows_the_factor(window, lm_panel):
    """No sheet is wider than a screen's worth of tables; the factor's cell is in view on each."""
    from visualizer.panels.sheets import WHOLE

    names = lm_panel.sheets.names
    assert names == ("Counts and probabilities", "Smoothings compared", "Unseen mass", WHOLE)
    assert lm_panel.sheets.current == names[0]  # a new panel opens on the first sheet
    whole_width = 0.0
    for name in names:
        lm_panel.sheets.show(name)
        lm_panel.model.set_step(2)  # P(am | I)
        lm_panel.view.finish_glide()
        shown = {part for part, items in lm_panel.part_items().items() if all(i.isVisible() for i in items)}
        expected = {
            "Counts and probabilities": {"counts", "probabilities"},
            "Smoothings compared": {"comparison", "continuation"} & set(lm_panel.parts()),
            "Unseen mass": {"mass"},
            WHOLE: set(lm_panel.parts()),
        }[name]
        assert shown == expected, name
        figure = lm_panel.export_rect()
        if name == WHOLE:
            whole_width = figure.width()
        else:  # a sheet starts under the title, its tables stacked, never side by side with the rest
            assert figure.width() < 1500, (name, figure.width())
        focus = lm_panel.focus_rect(2)
        assert lm_panel.visible_rect().contains(focus.center()), name
        assert any(item.isVisible() and item.sceneBoundingRect().intersects(focus)
                   for items in lm_panel.part_items().values() for item in items), name  # fmt: skip
    assert whole_width > 1800  # what the sheets split: the whole figure is far wider than any
    # The choice is kept when the input changes (and the new figure still has the sheet).
    lm_panel.sheets.show("Smoothings compared")
    lm_panel.set_inputs({"sentence": "Sam I am"})
    assert lm_panel.sheets.current == "Smoothings compared"
    assert (
        window.panel("ngram").sheets.bar.tabText(lm_panel.sheets.bar.currentIndex()) == "Smoothings compared"
    )


def test_a_sheet_that_does_not_exist_is_one_sentence(lm_panel):
    with pytest.raises(
        ValueError, match=r"There is no sheet 'Nope'; the sheets are: Counts and probabilities, "
    ):
        lm_panel.sheets.show("Nope")


def test_ctrl_page_down_and_up_walk_the_sheets(window, lm_panel):
    from PySide6.QtGui import QKeySequence

    names = lm_panel.sheets.names
    lm_panel.sheets.show(names[0])
    by_keys = {a.shortcut().toString(): a for a in window.actions() if not a.shortcut().isEmpty()}
    by_keys[QKeySequence("Ctrl+PgDown").toString()].trigger()
    assert lm_panel.sheets.current == names[1]
    by_keys[QKeySequence("Ctrl+PgUp").toString()].trigger()
    by_keys[QKeySequence("Ctrl+PgUp").toString()].trigger()
    assert lm_panel.sheets.current == names[-1]  # wraps around
