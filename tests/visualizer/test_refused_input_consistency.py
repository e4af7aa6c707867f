"""A refused input leaves every panel consistent: the picture, the narration and the slider agree (item 9).

Outside testing gave the vectors panel an unusable corpus after training skip-gram: the
corpus was refused, but from then on every step raised (AssertionError in ``_show_sgns``)
and the figure showed another step than the slider. Each panel here is driven to a good
state, then given refused input both ways a user can (a whole set of inputs, as a lesson or
an example does, and typed into the form), and must then show every step it had before.
"""

from __future__ import annotations

import pytest

from visualizer.panels import PANELS, find_panel
from visualizer.theme import LIGHT

# For each panel: a good starting point that differs from its default, then refused changes to it.
CASES = {
    "edit-distance": (
        {"source": "kitten", "target": "sitting", "transpositions": True},
        [
            {"deletion_cost": "x"},
            {"insertion_cost": 1e308, "deletion_cost": 0},
            {"source": "a" * 1001},
            {"transposition_cost": -1},
        ],
    ),
    "hmm": (
        {"observations": "3 3 1 1 2", "algorithm": "forward"},
        [{"observations": "3 7"}, {"algorithm": "viterbi", "observations": ""}, {"model": "no-such-model"}],
    ),
    "cky": (
        {"grammar": "l1-pcfg", "mode": "pcky", "sentence": "book the flight through Houston"},
        [
            {"sentence": "book the cat"},
            {"mode": "cky", "grammar": "S -> "},
            {"grammar": "l1", "mode": "pcky"},
        ],
    ),
    "dependency": (
        {"system": "arc-eager", "mode": "oracle"},
        [
            {"mode": "model"},
            {"mode": "oracle", "sentence": "a/DET b/NOUN"},
            {"mode": "manual", "manual": [["LEFTARC", "x"]]},
        ],
    ),
    "ngram": (
        {"corpus": "restaurant", "sentence": "i want chinese food", "smoothing": "kneser-ney"},
        [
            {"corpus": "   "},
            {"sentence": ""},
            {"smoothing": "interpolation", "lambdas": "a b"},
            {"view": "sample", "corpus": ""},
        ],
    ),
    "text": (
        {"view": "regex", "pattern": "\\b[tT]he\\b", "text": "The other the", "wanted": "0-3 10-13"},
        [
            {"pattern": "(?=a)"},
            {"wanted": "5-99"},
            {"view": "bpe", "text": " ", "merges": 3},
            {"view": "segment", "word": "two words"},
            {"view": "maxmatch", "text": "   "},
            {"view": "porter", "word": ""},
        ],
    ),
    "parse-search": (
        {"strategy": "shift-reduce", "grammar": "l1", "sentence": "book the flight through Houston"},
        [
            {"sentence": "book the cat"},
            {"strategy": "descent", "bounded": "refuse"},
            {"grammar": "S -> "},
            {"sentence": "book " * 11},
            {"grammar": "S -> A | 'a'\nA -> S"},
        ],
    ),
    "neural": (
        {"view": "network", "data": "or", "hidden": "3", "seed": 2, "epochs": 40},
        [
            {"hidden": "0"},
            {"view": "graph", "expression": "L = a.real"},
            {"data": "custom", "points": ""},
            {"view": "perceptron", "lr": 0},
            {"weights": "W1[1,1]=x"},
        ],
    ),
    "spelling": (
        {"mode": "word", "typo": "recieve", "left": "to"},
        [
            {"typo": ""},
            {"typo": "acr3ss"},
            {"left": "слово"},
            {"mode": "sentence", "sentence": "two of 3"},
            {"mode": "word", "model": "textbook", "typo": "acr ess"},
        ],
    ),
    "embeddings": (
        {"source": "restaurant", "mode": "sgns", "epochs": 2},
        [
            {"source": "slp3-counts"},
            {"source": "a"},
            {"mode": "tfidf", "source": "slp3-counts"},
            {"window": 0},
            {"mode": "ppmi", "words": "zzz"},
        ],
    ),
}


def test_every_registered_panel_has_a_case():
    assert {spec.name for spec in PANELS} == set(CASES)


def _scrub_everything(panel) -> None:
    trace = panel.current_trace()
    assert panel.model.nsteps == len(trace)
    n = panel.model.nsteps
    for step in sorted({0, 1, n // 3, n // 2, max(n - 1, 0), n}):
        panel.model.set_step(step)  # renders: any exception fails the test
        assert panel.model.current_step == step
        heading, text = panel.narration(step)
        assert isinstance(heading, str) and isinstance(text, str)
        if (
            step > 0
            and hasattr(trace[step - 1], "describe")
            and panel.name in ("edit-distance", "dependency")
        ):
            assert trace[step - 1].describe() in text


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_input_leaves_the_panel_showing_what_it_showed(qtbot, name):
    good, refusals = CASES[name]
    panel = find_panel(name).load()(LIGHT)
    qtbot.addWidget(panel)
    panel.set_inputs({**panel.inputs(), **good})
    shown, trace = panel.inputs(), panel.current_trace()
    for bad in refusals:
        with pytest.raises(ValueError):
            panel.set_inputs({**shown, **bad})
        assert panel.inputs() == shown and panel.current_trace() is trace
        assert panel.message.isHidden()
        _scrub_everything(panel)
        # The same input typed into the form: the text stays, the reason shows, the picture stays.
        try:
            panel.fill_form({**shown, **bad})
        except ValueError:
            continue  # refused before it reached the form (a wrong type, an unknown name)
        assert not panel.run()
        assert panel.message.text() and panel.current_trace() is trace
        _scrub_everything(panel)
        panel.set_inputs(shown)  # and the good input works again from there
        assert panel.current_trace() is not None
        shown, trace = panel.inputs(), panel.current_trace()


def test_one_job_per_panel_new_input_waits_for_the_running_one(qtbot, monkeypatch):
    """Item 19: input arriving while a computation runs (its progress dialog's event loop lets
    events through) neither starts a second computation nor leaves the form over another chart."""
    from visualizer.panels.cky import CKYPanel

    panel = CKYPanel(LIGHT)
    qtbot.addWidget(panel)
    real_compute = panel.compute
    seen: dict[str, object] = {}

    def compute_with_interruptions() -> None:
        seen["nested run"] = panel.run()  # e.g. a debounce firing inside the worker's event loop
        try:
            panel.set_inputs({**panel.inputs(), "sentence": "does she prefer a flight"})
        except ValueError as problem:  # e.g. an example picked mid-fill
            seen["nested set_inputs"] = str(problem)
        real_compute()

    monkeypatch.setattr(panel, "compute", compute_with_interruptions)
    panel.sentence_edit.setText("book the flight")
    assert panel.run()
    assert seen == {
        "nested run": False,
        "nested set_inputs": "This panel is still computing; wait for it to finish or press Cancel.",
    }
    assert panel.shown_inputs["sentence"] == "book the flight" == panel.inputs()["sentence"]
    assert panel.result.tokens == ("book", "the", "flight")
    assert panel._debounce.isActive()  # the input that waited is computed right after
    monkeypatch.setattr(panel, "compute", real_compute)
    qtbot.waitUntil(lambda: not panel._debounce.isActive(), timeout=2000)
    assert panel.shown_inputs == panel.inputs()


def test_the_progress_dialog_of_a_background_job_is_modal(qtbot, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog, QWidget

    from visualizer.background import run_in_background

    made: list[QProgressDialog] = []
    original = QProgressDialog.__init__

    def remember(self, *arguments, **keywords):  # noqa: ANN001
        original(self, *arguments, **keywords)
        made.append(self)

    monkeypatch.setattr(QProgressDialog, "__init__", remember)
    host = QWidget()
    qtbot.addWidget(host)
    assert run_in_background(host, "Working…", lambda progress, cancelled: 42) == 42
    assert made and made[0].windowModality() == Qt.WindowModality.ApplicationModal
