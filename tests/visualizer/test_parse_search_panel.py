"""The parse-search panel: the frontier is lit as the tree grows, the stack holds the trees built
so far, Earley's columns fill with the current state marked, and the work table compares all four."""

from __future__ import annotations

import pytest

from algorithms.parse_search import DescentResult, ShiftReduceResult
from visualizer.panels.parse_search import ParseSearchPanel


@pytest.fixture
def search(window) -> ParseSearchPanel:
    panel = window.show_panel("parse-search")
    assert isinstance(panel, ParseSearchPanel)
    panel.set_inputs(
        {**panel.inputs(), "strategy": "descent", "grammar": "l1", "sentence": "book that flight"}
    )
    return panel


def test_top_down_lights_the_frontier_and_counts_the_work(search) -> None:
    result = search.result
    assert isinstance(result, DescentResult)
    search.model.set_step(1)  # S expanded by its first rule, S -> NP VP
    figure = search._tree.figure
    assert figure.node(()).title == "S" and figure.node((0,)).role == "current"
    assert figure.node((1,)).role == "candidate"
    assert {e.key for e in figure.edges if e.role == "current"} == {((), (0,)), ((), (1,))}
    search.model.set_step(len(result.trace))
    assert search._caption.title.endswith("→ 1 parse")
    assert f"{result.backtracks} backtracks" in search._caption.detail
    lines = search._work.lines
    assert (
        lines[1].split()[2] == f"{len(result.trace):,}" and "Earley" in lines[3] and "40 states" in lines[3]
    )


def test_bottom_up_shows_the_stack_and_the_next_word(search) -> None:
    search.set_inputs(
        {**search.inputs(), "strategy": "shift-reduce", "sentence": "book the flight through Houston"}
    )
    result = search.result
    assert isinstance(result, ShiftReduceResult) and len(result.trees) == 3
    search.model.set_step(1)  # shift 'book'
    figure = search._tree.figure
    assert figure.node((0, ())).title == "book" and figure.node((0, ())).role == "current"
    assert figure.node(("input", 0)).title == "the" and figure.node(("input", 0)).role == "candidate"


def test_earley_columns_fill_with_the_current_state_marked(search) -> None:
    search.set_inputs({**search.inputs(), "strategy": "earley", "sentence": "book that flight"})
    search.model.set_step(26)
    columns = [block.lines for block in search._columns]
    assert columns[2][-1].startswith("▶ S25") and "NP → Det • Nominal [1, 2]" in columns[2][-1]
    assert len(columns[3]) == 1  # chart[3] has only its heading so far


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"sentence": "book the cat"}, "no rule for 'cat'"),
        ({"grammar": "S -> S 'a' | 'a'", "sentence": "a a", "bounded": "refuse"}, "left-recursive"),
        ({"sentence": "book " * 11}, "at most 10"),
    ],
)
def test_bad_input_is_one_sentence_and_keeps_the_figure(search, change, words) -> None:
    search.model.set_step(5)
    shown = search.result
    with pytest.raises(ValueError) as error:
        search.set_inputs({**search.inputs(), **change})
    assert words in str(error.value)
    assert search.result is shown and search.model.current_step == 5


def test_manual_mode_offers_legal_moves_greys_the_rest_and_undoes(search) -> None:
    search.set_inputs({**search.inputs(), "strategy": "descent", "mode": "manual", "moves": []})
    layout = search.move_bar.layout()
    buttons = {layout.itemAt(i).widget().text(): layout.itemAt(i).widget() for i in range(layout.count())}
    assert (
        set(buttons) == {"S -> NP VP", "S -> Aux NP VP", "S -> VP", "Undo"}
        and not buttons["Undo"].isEnabled()
    )
    for move in ("S -> NP VP", "NP -> Det Nominal", "Det -> 'that'"):
        search.apply_move(move)
    button = search.move_bar.layout().itemAt(0).widget()
    assert button.text() == "match 'book'" and not button.isEnabled()
    assert button.toolTip() == "'that' cannot be matched: the next word is 'book'."
    search.undo_move()
    assert search.inputs()["moves"] == ["S -> NP VP", "NP -> Det Nominal"]
    assert search.model.current_step == len(search.result.trace) == 2
