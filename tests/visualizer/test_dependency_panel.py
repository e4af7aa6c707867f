"""The dependency panel: oracle steps on SLP3's sentence, manual moves, a trained model compared to gold."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from algorithms.dependency import DependencyTree
from algorithms.neural_parser import train_parser
from visualizer.panels.dependency import SLP3_BOOK, DependencyPanel

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"


@pytest.fixture
def dep_panel(window):
    panel = window.show_panel("dependency")
    assert isinstance(panel, DependencyPanel)
    panel.set_inputs({"sentence": "slp3", "mode": "oracle"})
    return panel


def test_oracle_mid_parse_shows_stack_buffer_and_the_new_arc(window, dep_panel):
    dep_panel.model.set_step(7)  # LEFTARC: flight → morning
    heading, text = dep_panel.narration(7)
    assert heading == "Transition LEFTARC"
    assert text == "LEFTARC(compound): flight → morning  (the gold tree has flight → morning)"
    assert window.narration.text.text() == text
    stack = dep_panel.stack_view
    assert stack._stack == ["ROOT", "Book", "the", "flight"] and stack._buffer == []
    arcs = {(a.head, a.dependent): a.role for a in dep_panel.arcs_view.arcs}
    assert arcs == {(1, 2): "text", (5, 4): "current"}
    dep_panel.model.set_step(10)
    assert {(a.head, a.dependent) for a in dep_panel.arcs_view.arcs} == {
        (0, 1),
        (1, 2),
        (5, 3),
        (5, 4),
        (1, 5),
    }
    assert "UAS 1.000, LAS 1.000" in dep_panel.info.text()


def test_manual_mode_disables_illegal_moves_with_the_reason(dep_panel):
    dep_panel.set_inputs({"sentence": "slp3", "mode": "manual"})
    buttons = dep_panel.move_buttons
    assert buttons["SHIFT"].isEnabled() and not buttons["LEFTARC"].isEnabled()
    assert buttons["LEFTARC"].toolTip() == "the stack needs two items"
    assert not buttons["REDUCE"].isVisibleTo(dep_panel)  # arc-standard has no REDUCE
    buttons["SHIFT"].click()
    buttons["SHIFT"].click()
    dep_panel.label_edit.setText("iobj")
    assert buttons["RIGHTARC"].isEnabled()
    buttons["RIGHTARC"].click()
    assert dep_panel.result.arcs_at(3) == {2: (1, "iobj")}
    assert dep_panel.model.current_step == 3
    assert buttons["LEFTARC"].toolTip() == "ROOT cannot be a dependent"  # the stack is ROOT, Book
    dep_panel.undo_button.click()
    assert len(dep_panel.result.trace) == 2


def test_a_trained_model_shows_probabilities_features_and_wrong_heads(dep_panel):
    trees = [SLP3_BOOK] * 30 + [
        DependencyTree(["Book", "the", "flight"], [0, 3, 1], ["root", "det", "obj"], ["VERB", "DET", "NOUN"])
    ] * 30
    dep_panel.parser_model = train_parser(trees, seed=0, epochs=10, hidden=32, word_dim=8, batch_size=32)
    dep_panel.set_inputs({"sentence": "slp3", "mode": "model"})
    dep_panel.model.set_step(3)
    heading, text = dep_panel.narration(3)
    assert (
        text.startswith("RIGHTARC(iobj): Book → me") and "the model's most probable legal transition" in text
    )
    details = dep_panel._details.lines  # SLP3's trace table, then what the model saw
    assert details[0].split() == ["step", "stack", "word", "list", "action", "relation", "added"]
    assert "Model: P(transition | configuration) over the legal transitions" in details
    assert any(line.startswith("Features used: s1 = me/PRON") for line in details)
    # Compare with gold: a wrong head is drawn in the error role with the gold arc dashed.
    dep_panel.gold = DependencyTree(SLP3_BOOK.words, [0, 5, 5, 5, 1], SLP3_BOOK.labels, SLP3_BOOK.tags)
    dep_panel.run()
    dep_panel.model.set_step(dep_panel.model.nsteps)
    roles = {(a.head, a.dependent, a.dashed): a.role for a in dep_panel.arcs_view.arcs}
    assert roles[(1, 2, False)] == "error" and roles[(5, 2, True)] == "muted"


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"sentence": "", "mode": "manual"}, "Type a sentence"),
        ({"sentence": "they/PRON fish/VERB", "mode": "oracle"}, "The oracle needs a gold tree"),
        ({"mode": "model"}, "There is no trained parser yet"),
        (
            {"system": "arc-hybrid"},
            'The dependency input "system" must be one of arc-standard, arc-eager; got',
        ),
    ],
)
def test_refusals_say_why(dep_panel, inputs, message):
    with pytest.raises(ValueError) as refused:
        dep_panel.set_inputs({"sentence": "slp3", "mode": "oracle", **inputs})
    assert message in str(refused.value)


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data/ud-english-ewt")
def test_a_long_ud_sentence_and_a_non_projective_one(dep_panel):
    path = str(DATA / "en_ewt-ud-test.conllu")
    assert dep_panel.load_treebank(path, 12)
    assert len(dep_panel.result.words) == 22 and "UAS 1.000" in dep_panel.info.text()
    from algorithms.dependency import read_conllu

    trees = read_conllu(path)
    crossing = next(i for i, t in enumerate(trees) if not t.is_projective()) + 1
    with pytest.raises(ValueError, match="not projective"):
        dep_panel.set_inputs({"conllu": path, "index": crossing, "mode": "oracle"})


def test_cli_exports_the_arcs_as_svg(tmp_path):
    output = tmp_path / "arcs.svg"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "visualizer", "export", "dependency", "--step", "7", "-o", str(output)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    svg = output.read_text()
    assert "compound" in svg and "morning" in svg and "Stack" in svg


def test_the_trace_table_is_slp3_figure_19_6(dep_panel):
    """Book me the morning flight, arc-standard: SLP3 Fig. 19.6, row by row (our words keep their case)."""
    from visualizer.marks.dependency import transition_table

    dep_panel.set_inputs({**dep_panel.inputs(), "mode": "oracle", "system": "arc-standard"})
    rows = transition_table(dep_panel.result, 10, rows=11)[1:]
    cells = [
        [part.strip() for part in (row[2:8], row[8:39], row[39:70], row[70:87], row[87:])] for row in rows
    ]
    assert cells[0] == ["0", "[root]", "[Book, me, the, …]", "SHIFT", ""]
    assert cells[2] == ["2", "[root, Book, me]", "[the, morning, flight]", "RIGHTARC", "(Book → me) iobj"]
    assert cells[6] == ["6", "[…, the, morning, flight]", "[]", "LEFTARC", "(flight → morning) compound"]
    assert cells[7] == ["7", "[root, Book, the, flight]", "[]", "LEFTARC", "(flight → the) det"]
    actions = [
        "SHIFT",
        "SHIFT",
        "RIGHTARC",
        "SHIFT",
        "SHIFT",
        "SHIFT",
        "LEFTARC",
        "LEFTARC",
        "RIGHTARC",
        "RIGHTARC",
    ]
    assert [c[3] for c in cells] == [*actions, ""]
    assert rows[-1].startswith("▶") and cells[-1][1] == "[root]"
    # The current row has no action: the next move is the student's to say.
    assert transition_table(dep_panel.result, 3)[-1].rstrip().endswith("[the, morning, flight]")


def test_arcs_meeting_at_a_word_have_their_own_stems(dep_panel):
    dep_panel.set_inputs({**dep_panel.inputs(), "mode": "oracle", "system": "arc-standard"})
    dep_panel.model.to_end()
    view = dep_panel.arcs_view
    at_word: dict[int, list[float]] = {}
    for index, arc in enumerate(view.arcs):
        at_word.setdefault(arc.head, []).append(view._stems[(index, 0)])
        at_word.setdefault(arc.dependent, []).append(view._stems[(index, 1)])
    assert len(at_word[5]) == 3  # flight: head of morning and the, dependent of Book
    for word, stems in at_word.items():
        assert len(set(stems)) == len(stems), word  # no two arcs share a line into one word
        centre, width = view._layout.centres[word], view._layout.widths[word]
        assert all(abs(x - centre) <= width / 2 for x in stems)
