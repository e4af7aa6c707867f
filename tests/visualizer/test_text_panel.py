"""The words-and-tokens panel: each view steps its engine and draws what the step did."""

from __future__ import annotations

import pytest

from visualizer.panels.text import SLP3_BPE, TextPanel


@pytest.fixture
def text_panel(window) -> TextPanel:
    panel = window.show_panel("text")
    assert isinstance(panel, TextPanel)
    return panel


def test_regex_view_lights_matches_and_the_character_tested(text_panel) -> None:
    text_panel.set_inputs(
        {**text_panel.inputs(), "view": "regex", "pattern": "[tT]he", "text": "The other", "wanted": ""}
    )
    text_panel.model.set_step(text_panel.model.nsteps)
    marks = text_panel._grid.marks
    assert [marks.fills[(0, j)] for j in range(3)] == ["final_path"] * 3  # 'The'
    assert marks.fills[(0, 5)] == "final_path"  # 'the' inside other
    assert text_panel._caption.title.endswith("2 matches")


def test_bpe_view_shows_the_pair_table_the_merge_chose_from(text_panel) -> None:
    text_panel.set_inputs({**text_panel.inputs(), "view": "bpe", "text": SLP3_BPE, "merges": 8})
    text_panel.model.set_step(1)
    marks = text_panel._grid.marks
    assert marks.texts((0, 0)) == [("e r", "text")] and marks.texts((0, 1)) == [("9", "text")]
    assert marks.fills[(0, 0)] == "current"
    assert any("n e w er" in line for line in text_panel._details.lines)


def test_segment_view_ends_with_low_er(text_panel) -> None:
    text_panel.set_inputs(
        {**text_panel.inputs(), "view": "segment", "text": SLP3_BPE, "merges": 8, "word": "lower"}
    )
    text_panel.model.set_step(text_panel.model.nsteps)
    assert text_panel._caption.title.endswith("low er_")


def test_maxmatch_and_porter_views(text_panel) -> None:
    text_panel.set_inputs({**text_panel.inputs(), "view": "maxmatch", "text": "thetabledownthere"})
    text_panel.model.set_step(text_panel.model.nsteps)
    assert text_panel._caption.title.endswith("theta bled own there")
    text_panel.set_inputs({**text_panel.inputs(), "view": "porter", "word": "relational"})
    text_panel.model.set_step(text_panel.model.nsteps)
    assert text_panel._caption.title.endswith("relational → relat")
    assert any(
        line.startswith("  2 ") or " 2     (m>0) ational" in line for line in text_panel._details.lines
    )


REFUSED = [
    ({"view": "regex", "pattern": "a*?"}, "lazy"),
    ({"view": "bpe", "text": "  "}, "no words"),
    ({"view": "porter", "word": "two words"}, "one word"),
]


@pytest.mark.parametrize(("inputs", "phrase"), REFUSED)
def test_refused_input_is_one_sentence_and_the_picture_stays(text_panel, inputs, phrase) -> None:
    steps = text_panel.model.nsteps
    text_panel.fill_form({**text_panel.inputs(), **inputs})  # as if typed
    assert not text_panel.run()
    assert phrase in text_panel.message.text() and "\n" not in text_panel.message.text()
    assert text_panel.model.nsteps == steps  # the last good picture stays, with its slider


def test_sentences_view_lists_sentences_and_the_reasons(text_panel) -> None:
    text = "Mr. Smith left. He was late."
    text_panel.set_inputs({**text_panel.inputs(), "view": "sentences", "text": text, "method": "rules"})
    text_panel.model.set_step(1)
    lines = text_panel._details.lines
    assert any("abbreviation" in line for line in lines) and any("not an end" in line for line in lines)
    text_panel.model.set_step(text_panel.model.nsteps)
    assert " 1. Mr. Smith left." in text_panel._details.lines
    assert text_panel._caption.title.endswith("2 sentences (rules)")


def test_tokens_view_counts_types_and_tokens(text_panel) -> None:
    text_panel.set_inputs({**text_panel.inputs(), "view": "tokens", "text": "I don't know. I know."})
    text_panel.model.set_step(text_panel.model.nsteps)
    assert text_panel._caption.title.endswith("8 tokens, 5 types")  # I do n't know . I know .
    assert any("clitic" in line for line in text_panel._details.lines)


def test_heaps_plot_follows_the_step_over_ewts_curve(text_panel) -> None:
    from algorithms.tokenization import ewt_heaps_reference

    text_panel.set_inputs({**text_panel.inputs(), "view": "tokens", "text": "I don't know. I know."})
    plot = text_panel._heaps
    assert plot is not None and plot._reference == ewt_heaps_reference().curve
    # |V| after each token: I do n't know . I know .  -> the second "I" and "know" and "." repeat
    assert plot._series == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 5), (7, 5), (8, 5)]
    for step in (0, 3, 8, 5):
        text_panel.model.set_step(step)
        assert plot._shown == step  # never the points of steps still to come
    # The step's token and its point on the plot are both in what the view follows.
    focus = text_panel.focus_rect(5)
    assert focus.contains(plot.mapRectToScene(plot.boundingRect()))
    text_panel.set_inputs({**text_panel.inputs(), "view": "porter"})
    assert text_panel._heaps is None


def test_clicking_words_marks_the_gold_and_the_errors_are_counted(text_panel) -> None:
    text = "The other one there, the blithe one. the"
    text_panel.set_inputs(
        {**text_panel.inputs(), "view": "regex", "pattern": "the", "text": text, "wanted": ""}
    )
    for position in (0, 21, 37):  # click The, the, the
        text_panel._mark_wanted(divmod(position, 32), -1)
    assert text_panel.inputs()["wanted"] == "0-3 21-24 37-40"
    text_panel.model.set_step(text_panel.model.nsteps)
    assert "gold     2 right, 3 false positives, 1 false negatives" in text_panel._details.lines
    assert text_panel._grid.marks.outlines[(0, 0)] == "chosen"  # 'The' is wanted, though not matched
    text_panel.set_inputs({**text_panel.inputs(), "pattern": r"\b[tT]he\b"})
    text_panel.model.set_step(text_panel.model.nsteps)
    assert "gold     3 right, 0 false positives, 0 false negatives" in text_panel._details.lines
    text_panel._mark_wanted((0, 1), -1)  # a second click unmarks The
    assert text_panel.inputs()["wanted"] == "21-24 37-40"
