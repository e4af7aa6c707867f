"""The neural-network panel: units light forward then backward, the plane follows the weights,
clicks add points and edit weights, any epoch can be scrubbed to, bad input is one sentence."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.mlp_training import LayerUpdate, TrainingResult, UnitBackward, UnitForward
from algorithms.perceptron import PerceptronResult
from visualizer.marks.neural import network_figure, parse_points, parse_weights
from visualizer.panels.neural import NeuralPanel

XOR = {"view": "network", "data": "xor", "hidden": "2", "seed": 1, "epochs": 300, "lr": 1.0, "weights": ""}


@pytest.fixture
def neural(window) -> NeuralPanel:
    panel = window.show_panel("neural")
    assert isinstance(panel, NeuralPanel)
    panel.set_inputs({**panel.inputs(), **XOR})
    return panel


def test_forward_lights_each_unit_then_backward_writes_its_delta(neural) -> None:
    result = neural.result
    assert isinstance(result, TrainingResult)
    neural.model.set_step(1)
    figure = neural._graph.figure
    assert figure.node((1, 0)).role == "current" and figure.node((0, 0)).role == "candidate"
    event = result.event_at(1)
    assert isinstance(event, UnitForward)
    assert figure.node((1, 0)).lines[0] == f"a = {event.value:.3g}"
    assert figure.node((2, 0)).lines[0] == "a = ?"  # not computed yet: nothing is shown ahead
    lit = [e for e in figure.edges if e.role == "current"]
    assert {e.key for e in lit} == {(1, 0, 0), (1, 0, 1)}  # the weights into h1
    neural.model.set_step(5)  # 3 forward units, the loss, then the output's backward step
    out = result.event_at(5)
    assert isinstance(out, UnitBackward) and out.layer == 2
    assert neural._graph.figure.node((2, 0)).lines[-1] == f"δ = {out.delta:.3g}"
    assert "δ" not in " ".join(neural._graph.figure.node((1, 0)).lines)


def test_updates_change_the_edges_and_the_surface_follows(neural) -> None:
    result = neural.result
    per_epoch = result.steps_per_epoch
    update = next(k for k in range(1, per_epoch + 1) if isinstance(result.event_at(k), LayerUpdate))
    before = network_figure(result, update - 1)
    after = network_figure(result, update)
    changed = [a.key for a, b in zip(before.edges, after.edges, strict=True) if a.weight != b.weight]
    assert changed and all(key[0] == 1 for key in changed)  # the first update is layer 1's
    neural.model.set_step(len(result.trace))
    surface = neural._plane.figure.surface
    assert surface is not None and surface.shape == (48, 48)
    # The points ringed as wrong are exactly those the trained network gets wrong.
    wrong = [p for p in neural._plane.figure.points if p[3] == "error"]
    assert len(wrong) == int((result.predict(result.X) != XOR_Y).sum())


XOR_Y = np.array([0, 1, 1, 0])


def test_any_epoch_is_reachable_and_the_loss_marker_follows(neural) -> None:
    result = neural.result
    neural.model.set_step(result.epoch_start(200))
    # The step just before epoch 200 ends epoch 199: the loss curve is drawn through 199 epochs.
    assert neural._caption.detail.endswith("epoch 199 of 300")
    assert neural._chart._marker == int(198 / neural._chart._chunk)  # 300 epochs are drawn as 200 points
    np.testing.assert_array_equal(
        neural.result.net_at(result.epoch_start(200)).params["W1"],
        result.snapshots[199][:4].reshape(2, 2),
    )


def test_clicking_an_edge_sets_a_starting_weight_and_retrains(neural) -> None:
    neural.edit_weight(1, 0, 1, 2.5)
    assert neural.inputs()["weights"] == "W1[1,2]=2.5"
    assert neural.result.initial.params["W1"][0, 1] == 2.5
    neural.edit_weight(1, 0, 1, -1)  # the same weight again replaces the edit
    assert neural.inputs()["weights"] == "W1[1,2]=-1"
    assert parse_weights("W1[1,2]=-1 b2[1]=0.5") == [("W1", (0, 1), -1.0), ("b2", (0,), 0.5)]


def test_clicking_an_edge_puts_its_weight_in_the_box_to_type_over(neural) -> None:
    shown = neural.result.initial.params["W1"][0, 1]
    neural._edge_clicked((1, 0, 1))
    box = neural.declared_form.widgets["weights"]
    assert box.text() == f"W1[1,2]={shown:.3g}" and box.selectedText() == f"{shown:.3g}"
    box.insert("0.25")  # the student types over the selected value
    neural.run()
    assert neural.result.initial.params["W1"][0, 1] == 0.25


def test_clicking_the_plane_adds_a_point(neural) -> None:
    neural.set_inputs({**neural.inputs(), "view": "perceptron", "data": "and", "epochs": 50})
    assert isinstance(neural.result, PerceptronResult) and neural.result.converged
    neural.add_point(0.5, 0.5, class_zero=False)
    X, y = parse_points(neural.inputs()["points"])
    assert neural.inputs()["data"] == "custom" and len(X) == 5 and y[-1] == 1
    assert neural.result.X.shape == (5, 2)


def test_perceptron_on_xor_shows_the_cycle(neural) -> None:
    neural.set_inputs({**neural.inputs(), "view": "perceptron", "data": "xor", "epochs": 12})
    result = neural.result
    assert isinstance(result, PerceptronResult) and not result.converged and result.cycle is not None
    neural.model.set_step(len(result.trace))
    assert any("repeat forever" in line for line in neural._details.lines)
    assert neural._plane.figure.line is not None


def test_graph_view_is_slp3s_example(neural) -> None:
    neural.set_inputs(
        {**neural.inputs(), "view": "graph", "expression": "L = c * (a + 2 * b)", "values": "a=3 b=1 c=-2"}
    )
    graph = neural.result
    neural.model.set_step(len(graph.trace))
    titles = {node.title: node.lines for node in neural._graph.figure.nodes}
    assert titles["a"] == ("3", "∂L/∂a = -2") and titles["c"] == ("-2", "∂L/∂c = 5")
    assert titles["L = c × e"] == ("-10", "∂L/∂L = 1")
    assert neural._caption.title.endswith("→ L = -10")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"view": "graph", "expression": "L = print(a)"}, "not allowed"),
        ({"view": "graph", "values": "a=three"}, "not a number"),
        ({"data": "custom", "points": "0 0 0; 1 1"}, "three numbers"),
        ({"data": "custom", "points": "0 0 2"}, "labels are 0 or 1"),
        ({"hidden": "2 x"}, "whole numbers"),
        ({"hidden": "20"}, "1 to 8 units"),
        ({"weights": "W9[1,1]=1"}, "no parameter 'W9'"),
        ({"weights": "W1[5,1]=1"}, "outside it"),
        ({"batch": 9}, "larger than the 4 examples"),
    ],
)
def test_bad_input_is_one_sentence_and_keeps_the_figure(neural, change, words) -> None:
    neural.model.set_step(7)
    shown = neural.result
    with pytest.raises(ValueError, match=None) as error:
        neural.set_inputs({**neural.inputs(), **change})
    assert words in str(error.value)
    assert neural.result is shown and neural.model.current_step == 7


def test_held_out_points_are_not_trained_on_and_their_loss_is_drawn(neural) -> None:
    neural.set_inputs(
        {**neural.inputs(), "data": "noisy", "hidden": "8 8", "seed": 0, "epochs": 200, "held_out": 33}
    )
    result = neural.result
    assert result.X.shape == (40, 2) and result.held_out_losses.shape == (200,)
    neural.model.set_step(len(result.trace))
    roles = [p[3] for p in neural._plane.figure.points]
    assert roles.count("unseen") == 20 and "held out" in neural._plane.figure.title
    assert neural._chart._second.size == 200 and neural._chart._best == result.best_epoch - 1
    with pytest.raises(ValueError, match="too few to train on"):
        neural.set_inputs({**neural.inputs(), "data": "and", "held_out": 50})  # one class left to train on
