"""Issue 13, item 7: at step 0 nothing shows the answer; it appears with the step that computes it."""

from __future__ import annotations

from visualizer.panels.edit_distance import EditDistancePanel
from visualizer.panels.embeddings import EmbeddingsPanel


def test_the_edit_distance_title_gets_the_distance_when_d_n_m_is_filled(qapp):
    panel = EditDistancePanel()  # intention → execution, SLP3 costs: distance 8
    filled = int(panel.result.filled_at[-1, -1]) + 1  # the step that computes D[9,9]
    for step, shown in ((0, False), (filled - 1, False), (filled, True), (panel.model.nsteps, True)):
        panel.model.set_step(step)
        assert ("distance 8" in panel._caption._title) is shown, step


def test_ppmi_neighbours_appear_with_the_last_cell(qapp):
    panel = EmbeddingsPanel()  # SLP3's counts
    panel.model.set_step(0)
    assert "appear when every cell is weighted" in panel._neighbours.lines[-1]
    assert not any(char.isdigit() for line in panel._neighbours.lines[1:] for char in line.split("(")[0])
    panel.model.set_step(panel.model.nsteps)
    assert panel._neighbours.lines[1].strip().split()[0] in panel.matrix.words  # a neighbour and its cosine


def test_sgns_shows_neither_the_loss_to_come_nor_the_trained_neighbours(qapp):
    panel = EmbeddingsPanel(inputs={"source": "slp3-toy", "mode": "sgns", "epochs": 3, "dim": 4})
    loss = panel._loss
    panel.model.set_step(0)
    assert loss._marker is None and "appear when training ends" in panel._neighbours.lines[-1]
    assert "none finished yet" in panel._caption._detail
    panel.model.set_step(2)
    assert loss._marker is not None and loss._marker < len(loss._values) - 1  # drawn up to here only
    panel.model.set_step(panel.model.nsteps)
    assert "appear when" not in panel._neighbours.lines[-1]


def test_cky_shows_no_cnf_rule_before_the_step_that_adds_it(qapp):
    from visualizer.panels.cky import CKYPanel

    panel = CKYPanel()  # L1 as written: three conversion steps come first
    conversion = panel._conversion
    assert len(conversion) == 3
    added_last = {p.key for p in conversion[-1].added}
    panel.model.set_step(0)
    assert added_last <= panel._cnf_rules._hidden and not panel._cnf_rules._fills
    panel.model.set_step(len(conversion))
    assert not panel._cnf_rules._hidden  # the conversion is done: the whole CNF is there
