"""Inputs declared once (visualizer.declared): JSON with a schema and migration, the command line,
the form, and the pure marks_for of the edit-distance panel, which is tested without Qt."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from algorithms.edit_distance import edit_distance
from visualizer.panels.edit_distance import EditDistanceInputs, EditDistancePanel

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ROOT / "visualizer" / "resources" / "lessons"


def test_schema_1_lessons_migrate_to_the_same_inputs():
    old = {
        "source": "caht",
        "target": "chat",
        "mode": "characters",
        "costs": [1, 1, 2],
        "transpositions": True,
    }
    new = EditDistanceInputs.from_json(old)
    assert (new.insertion_cost, new.deletion_cost, new.substitution_cost) == (1.0, 1.0, 2.0)
    assert new.transpositions and new.source == "caht"
    assert EditDistanceInputs.from_json(new.to_json()) == new  # round trip at schema 2
    assert new.to_json()["schema"] == EditDistanceInputs.SCHEMA == 2


def test_every_shipped_edit_distance_lesson_still_opens_as_it_did(qapp):
    from visualizer.lesson import load_lesson

    opened = 0
    for path in sorted(LESSONS.glob("*.json")):
        lesson = load_lesson(path)
        if lesson.panel != "edit-distance":
            continue
        panel = EditDistancePanel(inputs=lesson.inputs)
        costs = lesson.inputs["costs"]  # written at schema 1
        assert [panel.result.costs[op] for op in ("ins", "del", "sub")] == [float(c) for c in costs]
        opened += 1
    assert opened >= 3


@pytest.mark.parametrize(
    ("values", "said"),
    [
        ({"schema": 3}, "follow schema 3; this Trellis reads schemas 1 to 2"),
        ({"schema": 2, "mode": "letters"}, 'input "mode" must be one of characters, words'),
        ({"schema": 2, "transpositions": "false"}, 'input "transpositions" must be true or false'),
        ({"costs": [1, 2]}, 'input "costs" must be a list of 3 items'),
        ({"schema": 2, "source": 7}, 'input "source" must be text'),
    ],
)
def test_bad_json_is_one_sentence_naming_the_field(values, said):
    with pytest.raises(ValueError, match="^The edit-distance|^These edit-distance") as refused:
        EditDistanceInputs.from_json(values)
    assert said in str(refused.value)


def test_the_command_line_comes_from_the_declaration():
    parser = argparse.ArgumentParser()
    EditDistanceInputs.add_arguments(parser)
    options = {o for action in parser._actions for o in action.option_strings}
    assert options >= {
        "--source", "--target", "--words", "--insertion-cost", "--deletion-cost",
        "--substitution-cost", "--transpositions", "--transposition-cost", "--backpointers",
    }  # fmt: skip
    arguments = parser.parse_args(["--source", "kitten", "--words", "--substitution-cost", "2"])
    inputs = EditDistanceInputs.from_json(EditDistanceInputs.from_arguments(arguments))
    assert (inputs.source, inputs.mode, inputs.substitution_cost, inputs.target) == (
        "kitten", "words", 2.0, "execution",
    )  # fmt: skip
    assert "Cost of substituting one item" in parser.format_help()


def test_the_form_reads_back_what_it_was_given(qapp):
    panel = EditDistancePanel(inputs={"source": "graffe", "target": "giraffe", "costs": [1, 1, 1]})
    values = panel.inputs()
    assert values["schema"] == 2 and values["source"] == "graffe" and values["substitution_cost"] == 1.0
    assert panel.preset_box.currentText() == "Levenshtein 1/1/1"
    assert EditDistanceInputs.from_json(values) == EditDistanceInputs.from_json(panel.shown_inputs)
    assert json.loads(json.dumps(values)) == values  # plain JSON


def test_marks_for_is_pure_and_needs_no_qt():
    code = (
        "import sys; from visualizer.marks.edit_distance import marks_for; "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_marks_for_the_textbook_cell_and_the_backtrace():
    from visualizer.marks.edit_distance import marks_for

    result = edit_distance("intention", "execution", substitution_cost=2)
    step = int(result.filled_at[5, 2]) + 1  # D[5,2]: 'n' vs 'x'
    marks = marks_for(result, result.state_at(step))
    assert marks.outlines[(5, 2)] == "current"
    assert {cell for cell, role in marks.fills.items() if role == "candidate"} == {(4, 1), (4, 2), (5, 1)}
    assert sorted(b.text for b in marks.badges) == ["5", "5", "5"]  # min(5, 5, 5) = 5: all three win
    assert all(b.role == "chosen" for b in marks.badges)
    done = marks_for(result, result.state_at(len(result.trace)))
    assert [cell for cell, role in done.fills.items() if role == "final_path"] == list(result.path)
    assert not done.badges and len(done.arrows) == len(result.path) - 1
    hover = marks_for(result, result.state_at(step), hover=(1, 1), show_backpointers=True)
    assert hover.glyphs is result.backpointers and hover.outlines[(1, 1)] == "backpointer"
    assert np.array_equal(hover.filled, result.state_at(step).filled)


def test_dependency_marks_for_textbook_steps_and_a_wrong_head():
    from algorithms.dependency import DependencyTree, parse
    from visualizer.marks.dependency import marks_for
    from visualizer.panels.dependency import SLP3_BOOK

    result = parse(SLP3_BOOK.words, None, system="arc-standard", oracle=SLP3_BOOK)
    first_arc = next(k for k in range(1, len(result.trace) + 1) if result.event_at(k).arc is not None)
    marks = marks_for(result, result.state_at(first_arc), result.event_at(first_arc))
    head, dependent = result.event_at(first_arc).arc
    assert [(a.head, a.dependent, a.role) for a in marks.arcs] == [(head, dependent, "current")]
    assert marks.token_roles == {dependent: "current"} and marks.attached == 1
    shifted = marks_for(result, result.state_at(1), result.event_at(1))
    assert shifted.stack == ["ROOT", "Book"] and shifted.stack_roles[("stack", 0)] == "current"
    assert shifted.buffer == ["me", "the", "morning", "flight"]
    # A parse that attaches every word to "Book": "the" and "morning" get wrong heads, gold dashed beside.
    flat = DependencyTree(list(SLP3_BOOK.words), [0, 1, 1, 1, 1], ["root", "iobj", "det", "amod", "obj"])
    wrong = parse(flat.words, None, system="arc-standard", oracle=flat)
    end = len(wrong.trace)
    compared = marks_for(wrong, wrong.state_at(end), None, SLP3_BOOK)
    roles = sorted(a.role for a in compared.arcs)
    assert roles.count("error") == 2 and roles.count("final_path") == 3 and roles.count("muted") == 2
    assert {a.dependent for a in compared.arcs if a.role == "error"} == {3, 4}
    assert all(a.dashed for a in compared.arcs if a.role == "muted")


def test_dependency_inputs_keep_their_json_and_check_moves():
    from visualizer.panels.dependency import DependencyInputs

    inputs = DependencyInputs.from_json({"sentence": "slp3", "mode": "manual", "manual": [["SHIFT", None]]})
    assert inputs.manual == (("SHIFT", None),) and inputs.to_json()["manual"] == [["SHIFT", None]]
    with pytest.raises(ValueError, match='Each move of the dependency input "manual"'):
        DependencyInputs.from_json({"manual": [["JUMP", None]]})
    with pytest.raises(ValueError, match='input "index" must be a whole number from 1'):
        DependencyInputs.from_json({"index": 0})


def test_hmm_marks_for_viterbi_v2_hot_and_the_backtrace():
    """SLP3 A.4 on 3 1 3: v2(HOT) = max(.32·.6, .02·.5)·.2 reads from v1(HOT), which wins."""
    from algorithms.hmm import HMM, viterbi
    from algorithms.trace import format_probability
    from visualizer.marks.hmm import backpointer_edges, faded_nodes, marks_for, symbol_columns
    from visualizer.panels.hmm_models import ICE_CREAM

    hmm = HMM.from_dict(ICE_CREAM)  # SLP3 Fig. A.2
    result = viterbi(hmm, ["3", "1", "3"])
    faded = faded_nodes(result)
    texts = np.vectorize(lambda v: format_probability(float(v)), otypes=[object])(result.log_table)
    common = dict(
        texts=texts, faded=faded, edges=backpointer_edges(result, faded),
        columns=symbol_columns(hmm, result.observations, True), top_k=4, style="plain",
    )  # fmt: skip
    step = 3  # the first node of t = 2: v2(HOT)
    marks, tables = marks_for(result, result.state_at(step), result.event_at(step), **common)
    assert marks.current == (0, 1) and marks.winner == (0, 0) and marks.sources == {(0, 0), (1, 0)}
    assert {e.label for e in marks.edges if e.role in ("chosen", "candidate")} == {".192", ".01"}
    assert tables["A"].outlines == {(0, 0): "chosen"} and tables["B"].outlines == {(0, 0): "current"}
    end = len(result.trace)
    done, _ = marks_for(result, result.state_at(end), result.event_at(end), **common)
    assert done.tags == {0: "HOT", 1: "COLD", 2: "HOT"}  # v3(HOT) = max(.0384·.6, .064·.5)·.4 came from COLD
    assert sum(e.role == "final_path" for e in done.edges) == 2


def test_cky_marks_for_the_split_that_makes_s_over_book_the_flight():
    """SLP3 Fig. 17.12: [0,3] at k=1 combines Verb ∈ [0,1] and NP ∈ [1,3] into S, X2 and VP."""
    from algorithms.cfg import Grammar
    from algorithms.cky import SplitStep, cky
    from algorithms.resources import resource_text
    from visualizer.marks.cky import chart_marks, newest_entry, rule_marks

    cnf = Grammar.from_string(resource_text("grammars/l1.cfg")).to_cnf()
    result = cky(cnf, ["book", "the", "flight", "through", "Houston"])
    position = next(
        k for k in range(1, len(result.trace) + 1)
        if isinstance(e := result.event_at(k), SplitStep) and (e.i, e.j, e.k) == (0, 3, 1)
    )  # fmt: skip
    marks, current = chart_marks(result, position, result.event_at(position), "S", "plain", {})
    assert current == (0, 3) and marks.outlines == {(0, 2): "current"}
    assert marks.fills[(0, 0)] == marks.fills[(1, 2)] == "candidate"
    assert {line for line, role in marks.texts((0, 2)) if role == "chosen"} == {"S", "X2", "VP"}
    assert ("Verb", "candidate") in marks.texts((0, 0)) and ("NP", "candidate") in marks.texts((1, 2))
    _, outlines, _, hidden = rule_marks((), position, result.event_at(position))
    assert hidden == set()
    assert outlines[("S", ("Verb", "NP"), (False, False))] == "chosen"
    assert newest_entry(result.trace, position, 0)[:2] == (0, 3)
    end, _ = chart_marks(result, len(result.trace), result.event_at(len(result.trace)), "S", "plain", {})
    assert end.fills == {(0, 4): "final_path"} and ("S", "final_path") in end.texts((0, 4))


def test_cky_inputs_name_a_builtin_grammar_or_read_a_file(tmp_path):
    from visualizer.panels.cky import CKYInputs

    parser = argparse.ArgumentParser()
    CKYInputs.add_arguments(parser)
    own = tmp_path / "g.cfg"
    own.write_text("S -> 'hi'\n", encoding="utf-8")
    values = CKYInputs.from_arguments(
        parser.parse_args(["--grammar", str(own), "--sentence", "hi", "--mode", "cky"])
    )
    assert CKYInputs.from_json(values).grammar == "S -> 'hi'\n"
    assert CKYInputs.from_arguments(parser.parse_args([]))["grammar"] == "l1"


def test_ngram_marks_light_p_am_given_i_and_outline_the_zero_factor():
    from algorithms.ngram import SMOOTHINGS, NGramModel
    from visualizer.marks.ngram import NGramTables, comparison_marks, mass_rows, matrix_marks

    toy = ["I am Sam", "Sam I am", "I do not like green eggs and ham"]
    models = {s: NGramModel(toy, order=2, smoothing=s) for s in SMOOTHINGS}
    lm = models["mle"]
    tables = NGramTables(lm, lm, ["I", "am", "Sam", "am"], models)
    score = lm.score(tables.tokens)
    counts, probabilities, context = matrix_marks(tables, score.event_at(2))  # P(am | I)
    cell = (tables.rows.index("I"), tables.columns.index("am"))
    assert counts.outlines == {cell: "current"} and context == ("I",)
    assert probabilities.texts(cell) == [(".667", "text")]  # C(I am) / C(I) = 2 / 3
    tables.score_comparison()
    marks = comparison_marks(tables, score.event_at(4))  # P(am | Sam) = 0 under MLE
    mle = SMOOTHINGS.index("mle")
    assert marks.outlines[(mle, 3)] == "current" and marks.texts((mle, 3)) == [("0", "text")]
    assert (SMOOTHINGS.index("laplace"), 3) not in marks.outlines  # add-one gives it mass
    rows = {row.label: row for row in mass_rows(tables, ("Sam",))}
    assert rows["MLE"].segments[1][0] == pytest.approx(0.0) and rows["Add-one (Laplace)"].segments[1][0] > 0


def test_ngram_schema_1_lambdas_list_migrates():
    from visualizer.panels.ngram_inputs import NGramInputs

    inputs = NGramInputs.from_json({"smoothing": "interpolation", "lambdas": [0.7, 0.3]})
    assert inputs.lambdas == "0.7 0.3" and inputs.to_json()["schema"] == 2
    with pytest.raises(ValueError, match='"k" must be a number from 0.001 to 10'):
        NGramInputs.from_json({"schema": 2, "k": 50})


def test_vectors_marks_light_the_cell_its_row_and_column_then_the_cosines():
    from algorithms.embeddings import ppmi_trace
    from visualizer.marks.embeddings import matrix_marks, tf_idf_block
    from visualizer.panels.embeddings_compute import SHAKESPEARE_COUNTS, SLP3_COUNTS

    trace = ppmi_trace(SLP3_COUNTS)
    counts, weights, cosines = matrix_marks(4, 5, 7, len(trace), trace.event_at(7))  # row 1, column 1
    assert counts.outlines == {(1, 1): "current"} and weights.outlines == {(1, 1): "current"}
    assert {cell for cell, role in counts.fills.items() if role == "candidate"} == {
        *((1, j) for j in range(5) if j != 1),
        *((i, 1) for i in range(4) if i != 1),
    }
    assert weights.filled.sum() == 7 and not cosines.filled.any()
    assert matrix_marks(4, 5, len(trace), len(trace), trace.event_at(len(trace)))[2].filled.all()
    block = tf_idf_block(SHAKESPEARE_COUNTS, [1, 0], [2, 3])  # good, battle × Julius Caesar, Henry V
    assert len(block) == 4 and block.event_at(1).term == "good" and block.event_at(4).document == "Henry V"
    assert block.state_at(3).current == (1, 0)


@pytest.mark.parametrize("kind", ["viterbi", "forward", "backward"])
def test_the_hmm_legend_names_every_role_drawn_and_no_other(kind):
    """Issue 13: forward and backward show no "max (Viterbi)", "backpointer" or "best path"."""
    from algorithms import hmm as engines
    from algorithms.hmm import HMM
    from visualizer.marks.hmm import backpointer_edges, faded_nodes, legend_entries, marks_for, symbol_columns
    from visualizer.panels.hmm_models import ICE_CREAM

    model = HMM.from_dict(ICE_CREAM)
    result = getattr(engines, kind)(model, ["3", "1", "3", "2"])
    faded = faded_nodes(result)
    texts = np.full(result.log_table.shape, "", dtype=object)
    drawn: set[str] = set()
    for step in range(len(result.trace) + 1):
        marks, tables = marks_for(
            result, result.state_at(step), result.event_at(step), texts=texts, faded=faded,
            edges=backpointer_edges(result, faded), columns=symbol_columns(model, result.observations, True),
            top_k=4, style="plain",
        )  # fmt: skip
        drawn |= {edge.role for edge in marks.edges}
        drawn |= {"current"} if marks.current else set()
        drawn |= {"chosen"} if marks.winner else set()
        drawn |= {"final_path"} if marks.path else set()
    legend = {role for role, _ in legend_entries(kind)}
    assert drawn == legend
    assert ("chosen" in legend) == (kind == "viterbi")


def test_the_dependency_legend_shows_right_and_wrong_heads_only_when_comparing():
    from algorithms.dependency import parse
    from visualizer.marks.dependency import legend_entries, marks_for
    from visualizer.panels.dependency import SLP3_BOOK

    oracle = parse(SLP3_BOOK.words, None, system="arc-standard", oracle=SLP3_BOOK)
    roles = {
        a.role
        for k in range(len(oracle.trace) + 1)
        for a in marks_for(oracle, oracle.state_at(k), oracle.event_at(k)).arcs
    }
    assert roles <= {"current", "text"}  # oracle mode: nothing is judged
    assert {role for role, _ in legend_entries(False)} == {"current", "chosen"}
    assert {"final_path", "error"} <= {role for role, _ in legend_entries(True)}
