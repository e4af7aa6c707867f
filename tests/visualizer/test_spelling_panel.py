"""The spelling panel: the acress table fills as the steps go, the matrix cell in use is lit,
the textbook context story, real-word sentences, EM, bad input and the edit-distance hand-off."""

from __future__ import annotations

import pytest

from visualizer.marks.spelling import candidate_rows, table_marks
from visualizer.panels.spelling import SpellingPanel


@pytest.fixture
def spelling(window) -> SpellingPanel:
    panel = window.show_panel("spelling")
    assert isinstance(panel, SpellingPanel)
    panel.set_inputs(
        {**panel.inputs(), "mode": "word", "typo": "acress", "left": "", "right": "", "model": "trained"}
    )
    return panel


def test_the_table_fills_by_edit_kind_then_scores_then_ranks(spelling) -> None:
    result = spelling.result
    assert candidate_rows(result) == ["actress", "cress", "acres", "access", "across", "caress"]
    spelling.model.set_step(1)
    marks = table_marks(result, 1)
    assert marks.cells[(0, 0)] == ("del", "text") and marks.cells[(0, 1)] == ("c|ct", "text")
    assert (1, 0) not in marks.cells  # cress is not found yet
    found = len(result.generated)
    spelling.model.set_step(found + 1)  # actress scored
    assert (0, 4) in table_marks(result, found + 1).cells and (1, 4) not in table_marks(
        result, found + 1
    ).cells
    spelling.model.set_step(spelling.model.nsteps)
    end = table_marks(result, spelling.model.nsteps)
    assert end.cells[(candidate_rows(result).index(result.best), 5)] == ("1", "text")
    assert spelling._caption.title.endswith(f"→ {result.best}")


def test_the_heatmap_lights_the_cell_the_edit_uses(spelling) -> None:
    spelling.model.set_step(1)  # actress: del[c,t]
    heatmap = spelling._heatmap
    assert heatmap is not None and heatmap._lit == (3, 20)  # '#abc…': c is row 3, t column 20
    assert heatmap._note.startswith("del[c,t] = ")
    assert heatmap._title.startswith("del[x,y]")
    spelling.set_inputs({**spelling.inputs(), "matrix": "sub"})
    spelling.model.set_step(1)
    assert spelling._heatmap._title.startswith("sub[x,y]")  # the matrix chosen, not the step's
    assert spelling._heatmap._lit is None  # actress's edit is a deletion: no sub cell is in use


def test_the_textbook_model_tells_the_acress_story_side_by_side(spelling) -> None:
    spelling.set_inputs({**spelling.inputs(), "model": "textbook", "left": "versatile", "right": "whose"})
    result = spelling.result
    end = len(result.trace)
    marks = table_marks(result, end)
    rows = candidate_rows(result)
    assert marks.cells[(rows.index("across"), 5)] == ("1", "text")  # the unigram prior's winner
    assert marks.cells[(rows.index("actress"), 8)] == ("1", "text")  # the bigram's
    assert marks.winner_row == rows.index("actress")
    assert spelling._heatmap is None  # SLP3 prints P(x|w), not the counts


def test_real_word_mode_lists_sentences_and_stars_the_best(spelling) -> None:
    spelling.set_inputs({**spelling.inputs(), "mode": "sentence", "sentence": "two of thew"})
    spelling.model.set_step(spelling.model.nsteps)
    lines = spelling._lines.lines
    assert lines[1].startswith("★") and lines[1].endswith("two of THE")
    assert "→ two of the" in spelling._caption.title


def test_em_mode_scrubs_through_iterations(spelling) -> None:
    spelling.set_inputs({**spelling.inputs(), "mode": "em", "iterations": 3})
    assert spelling.model.nsteps == 3
    spelling.model.set_step(2)
    assert len(spelling._bars.rows) == 3 and spelling._bars.rows[-1].emphasised
    assert "iteration 2" in spelling._heatmap._title


@pytest.mark.parametrize("typo", ["", "acr3ss", "a" * 100, "слово"])
def test_bad_input_is_one_sentence_and_the_typing_stays(window, spelling, typo) -> None:
    steps = spelling.model.nsteps
    spelling.declared_form.widgets["typo"].setText(typo)
    spelling.run()
    assert spelling.declared_form.widgets["typo"].text() == typo
    message = spelling.message.text()
    assert message and "\n" not in message and "Traceback" not in message
    assert spelling.model.nsteps == steps  # the last good picture stays, agreeing with its slider


def test_open_in_edit_distance_shows_the_alignment(window, spelling) -> None:
    spelling.model.set_step(1)  # actress found
    spelling.open_in_edit_distance()
    assert window.current_panel.name == "edit-distance"
    shown = window.current_panel.result
    assert (shown.source, shown.target) == (tuple("actress"), tuple("acress"))
    assert shown.distance == 1


def test_every_step_has_a_question_or_none_and_pseudocode(spelling) -> None:
    stepwise = spelling.stepwise()
    asked = [stepwise.question_at(k) for k in range(1, spelling.model.nsteps + 1)]
    assert sum(q is not None for q in asked) >= len(stepwise.candidates) + 1
    assert all(
        0 < stepwise.line_at(k) < len(stepwise.pseudocode) for k in range(1, spelling.model.nsteps + 1)
    )
