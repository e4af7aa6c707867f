"""The vector-semantics panel: PPMI cell by cell on SLP3's counts, cosines, SGNS snapshots in a plot."""

import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from algorithms.embeddings import SGNSSnapshot, cosine, ppmi
from visualizer.panels.embeddings import SLP3_COUNTS, EmbeddingsPanel

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def vectors_panel(window):
    panel = window.show_panel("embeddings")
    assert isinstance(panel, EmbeddingsPanel)
    panel.set_inputs({"source": "slp3-counts", "mode": "ppmi"})
    return panel


def test_ppmi_cell_by_cell_with_the_textbook_formula(window, vectors_panel):
    vectors_panel.model.set_step(17)  # information × data
    heading, text = vectors_panel.narration(17)
    assert heading == "Row 'information', context 'data' (count 3982)"
    assert text == "PPMI(information, data) = max(log2(.3399 / (.6575 · .4842)), 0) = .0944"
    assert window.narration.text.text() == text
    grids = vectors_panel.grids
    assert grids["counts"].marks.outlines == {(3, 1): "current"}
    assert grids["ppmi"].marks.filled.sum() == 17 and not grids["ppmi"].marks.filled[3, 2]
    assert not grids["cosine"].marks.filled.any()  # cosines appear when the matrix is done
    vectors_panel.model.set_step(20)
    assert grids["cosine"].marks.filled.all()
    assert grids["ppmi"]._values[0, 3] == 4.38  # cherry × pie, as in SLP3 Fig. 6.12
    digital, information = ppmi(SLP3_COUNTS.counts)[2], ppmi(SLP3_COUNTS.counts)[3]
    assert grids["cosine"]._values[2, 3] == round(cosine(digital, information), 3)
    assert grids["cosine"]._values[0, 2] == 0  # cherry and digital share no positive context


def test_context_smoothing_lowers_rare_contexts_pmi(vectors_panel):
    plain = vectors_panel.grids["ppmi"]._values.copy()
    vectors_panel.set_inputs({"source": "slp3-counts", "mode": "ppmi", "alpha": 0.75})
    smoothed = vectors_panel.grids["ppmi"]._values
    assert smoothed[1, 4] < plain[1, 4]  # strawberry × sugar: a rare context loses PMI under α = .75


def test_sgns_snapshots_move_points_and_light_the_update(vectors_panel, qtbot):
    vectors_panel.set_inputs({"source": "restaurant", "mode": "sgns", "epochs": 30, "seed": 2})
    trace = vectors_panel.trace
    assert isinstance(trace[-1], SGNSSnapshot) and trace[0].updates == 0
    scatter = vectors_panel.scatter
    vectors_panel.model.set_step(1)
    start = np.array([[scatter.point_position(i).x(), scatter.point_position(i).y()] for i in range(10)])
    vectors_panel.model.set_step(len(trace))
    end = np.array([[scatter.point_position(i).x(), scatter.point_position(i).y()] for i in range(10)])
    assert np.abs(end - start).max() > 20  # the words moved during training
    event = trace[-1]
    roles = scatter.marks.roles
    index = {w: i for i, w in enumerate(vectors_panel.sgns.tracked)}
    assert roles[index[event.target]] == "current"
    assert "push '" in vectors_panel.narration(len(trace))[1]
    assert vectors_panel.sgns.epoch_losses[-1] < vectors_panel.sgns.epoch_losses[0]
    # Search highlights; a click picks a word and lists its neighbours.
    vectors_panel.search_edit.setText("chinese")
    vectors_panel.search_edit.textEdited.emit("chinese")
    assert scatter.marks.roles.get(index["chinese"]) in ("final_path", "current", "chosen", "candidate")
    scatter.clicked.emit(index["food"])
    assert vectors_panel._neighbours.lines[0] == "Nearest to 'food' after training (cosine, centred):"


def test_plot_step_display_for_two_thousand_points_is_quick(qtbot):
    from PySide6.QtGui import QImage, QPainter

    from visualizer.theme import LIGHT
    from visualizer.views.scatter import ScatterItem, ScatterMarks

    rng = np.random.default_rng(0)
    labels = [f"w{i}" for i in range(2000)]
    item = ScatterItem(LIGHT, labels)
    points = rng.normal(size=(2000, 2))
    item.set_limits(points)
    image = QImage(800, 800, QImage.Format.Format_ARGB32)
    times = []
    for step in range(20):
        item.set_points(points + step * 0.01, ScatterMarks(roles={1: "current"}, labelled=set(range(40))))
        painter = QPainter(image)
        start = time.perf_counter()
        item.paint(painter, None)
        times.append(time.perf_counter() - start)
        painter.end()
    assert np.median(times) < 0.05  # a loose bound here; the benchmark measures the real number


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"mode": "sgns"}, "Skip-gram trains on running text"),
        ({"source": "restaurant", "words": "pizza"}, "Not in the vocabulary: 'pizza'."),
        ({"source": "  "}, "The corpus is empty"),
        ({"window": 0}, 'The vector-semantics input "window" must be a whole number from 1 to 10; got 0.'),
    ],
)
def test_refused_inputs_say_why(vectors_panel, inputs, message):
    with pytest.raises(ValueError) as refused:
        vectors_panel.set_inputs({"source": "slp3-counts", "mode": "ppmi", **inputs})
    assert message in str(refused.value)


def test_cli_exports_the_ppmi_view(tmp_path):
    output = tmp_path / "ppmi.svg"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "visualizer", "export", "embeddings", "--step", "17", "-o", str(output)],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    svg = output.read_text()
    assert "information" in svg and "4.38" in svg


def test_shakespeare_tf_idf_cell_by_cell(vectors_panel):
    vectors_panel.set_inputs({"source": "shakespeare", "mode": "tfidf"})
    assert len(vectors_panel.trace) == 16
    heading, text = vectors_panel.narration(1)
    assert heading == "Term 'battle' in 'As You Like It' (count 1)"
    assert text == "tf-idf(battle, As You Like It) = log10(1 + 1) · log10(4 / 3) = 0.301 · 0.125 = 0.038"
    # "good" is in every play: idf = log10(4/4) = 0, so it carries no weight anywhere.
    assert vectors_panel.grids["ppmi"]._values[1].tolist() == [0, 0, 0, 0]
    assert "tf-idf · Shakespeare" in vectors_panel._title


def test_sgns_labels_never_overlap_and_the_update_is_always_labelled(vectors_panel):
    from PySide6.QtGui import QFontMetricsF

    vectors_panel.set_inputs({"source": "restaurant", "mode": "sgns", "epochs": 20, "seed": 0})
    scatter = vectors_panel.scatter
    frame = scatter.boundingRect()
    for step in range(1, vectors_panel.model.nsteps + 1, 9):
        vectors_panel.model.set_step(step)
        layout = scatter._label_layout(frame.adjusted(2, 22, -120, -24))
        rects = []
        for index, corner, strong in layout:
            metrics = QFontMetricsF(scatter._bold if strong else scatter._label_font)
            text = scatter._labels[index]
            rects.append((text, corner.x(), corner.y(), metrics.horizontalAdvance(text), metrics.ascent()))
        for (a, ax, ay, aw, ah), (b, bx, by, bw, bh) in itertools.combinations(rects, 2):
            apart = ax + aw <= bx or bx + bw <= ax or ay <= by - bh or by <= ay - ah
            assert apart, f"step {step}: '{a}' overlaps '{b}'"
        shown = {index for index, _, _ in layout}
        assert set(scatter.marks.roles) <= shown  # the target, context and negatives keep their names


def test_skip_gram_leaves_rare_words_out_of_a_real_sized_corpus(window):
    """min count 'auto': 5 on a corpus of 10,000 words or more (rare words' neighbours were noise), else 1."""
    from visualizer.panels.embeddings_compute import AUTO_MIN_COUNT_TOKENS, min_count_for

    assert min_count_for(0, AUTO_MIN_COUNT_TOKENS) == 5
    assert min_count_for(0, AUTO_MIN_COUNT_TOKENS - 1) == 1
    assert min_count_for(3, 50) == 3  # a count the user typed is used as it is
    panel = window.show_panel("embeddings")
    assert panel.declared_form.widgets["min_count"].text() == "min count auto"
    rng = np.random.default_rng(0)
    common = [f"w{i}" for i in range(40)]
    lines = [" ".join(rng.choice(common, 12)) for _ in range(1000)]  # 12,000 words
    lines[:3] = ["rare1 w1 w2", "rare2 w3 w4 rare2", "rare3 rare3 rare3 rare3 w5"]
    panel.set_inputs({"source": "\n".join(lines), "mode": "sgns", "epochs": 1, "dim": 5})
    assert panel.sgns is not None, panel.message.text()
    assert not any(w.startswith("rare") for w in panel.sgns.words)
    panel.set_inputs({**panel.inputs(), "min_count": 2})
    assert {"rare2", "rare3"} <= set(panel.sgns.words) and "rare1" not in panel.sgns.words


def test_the_sgns_plot_fills_its_frame_and_keeps_the_update_inside(window):
    """Mid-training the cloud is small and a few words lie far out: each step is fitted to its points."""
    panel = window.show_panel("embeddings")
    panel.set_inputs({"source": "restaurant", "mode": "sgns", "epochs": 60})
    scatter = panel._scatter
    size = 620.0
    for step in (5, 40, panel.model.nsteps):
        panel.model.set_step(step)
        screen = np.array(
            [[p.x(), p.y()] for p in map(scatter.point_position, range(len(panel.sgns.tracked)))]
        )
        low, high = np.percentile(screen, [1, 99], axis=0)
        assert (high - low >= 0.6 * (size - 40)).all(), (step, high - low)  # the bulk spans the frame
        for index in scatter.marks.roles:  # the update's words are inside, never pinned to the edge
            x, y = screen[index]
            assert 20 <= x <= size - 20 and 40 <= y <= size, (step, index)
