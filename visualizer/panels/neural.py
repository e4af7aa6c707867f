"""Neural networks panel (SLP3 ch. 7): the perceptron, a network learning XOR, computation graphs.

Three views share one panel:

* **Perceptron**: the points of AND, OR, XOR or your own (click the plane: a click adds a
  class-1 point, Shift+click or a right click a class-0 one), the line w·x + b = 0 and the
  weight vector moving with each update, and the epochs it went through; on XOR the same
  epochs come back, the proof it never converges.
* **Network**: a feed-forward network trained by backpropagation one unit at a time: the
  forward pass lights each unit with z = w·a + b and a = g(z) plugged in, the backward pass
  writes each unit's δ = upstream × local, and the updates change the edges (width = |w|,
  dashed = negative). Beside it the decision surface over the input plane and the loss curve
  with a marker; any epoch can be scrubbed to. Click an edge to type its starting weight.
* **Graph**: any expression as a computation graph (SLP3's L = c(a + 2b)), forward values
  and backward gradients node by node.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QWidget

from algorithms.computation_graph import Graph
from algorithms.mlp import MLP
from algorithms.mlp_training import TrainingResult, train_mlp
from algorithms.perceptron import PerceptronResult, perceptron_train
from visualizer.declared import Inputs, choice, number, text, whole
from visualizer.form import DeclaredForm
from visualizer.marks.neural import (
    DATASETS,
    completed_epochs,
    graph_figure,
    network_figure,
    network_plane,
    parse_hidden,
    parse_points,
    parse_values,
    parse_weights,
    perceptron_lines,
    perceptron_plane,
    split_held_out,
)
from visualizer.panels.base import Panel
from visualizer.views.blocks import CaptionItem, LegendItem, TextBlockItem
from visualizer.views.network import NodeLinkItem, PlaneItem
from visualizer.views.scatter import LineChartItem

__all__ = ["NeuralPanel", "NeuralInputs"]

SLP3_GRAPH = "L = c * (a + 2 * b)"
_TITLES = {"perceptron": "The perceptron", "network": "Backpropagation", "graph": "A computation graph"}
_POINTS = [
    ("chosen", "class 1 (filled disc); class 0 is a hollow square"),
    ("error", "on the wrong side now"),
]
_LEGENDS = {
    "perceptron": [("current", "the example of this step, and w"), *_POINTS, ("final_path", "w·x + b = 0")],
    "network": [
        ("current", "the unit or weights this step computes"),
        ("candidate", "the values it reads"),
        ("chosen", "a positive weight (width: |w|)"),
        ("backpointer", "a negative weight (dashed)"),
        ("error", "a point now on the wrong side"),
        ("unseen", "held out: never trained on"),
    ],
    "graph": [("current", "the node this step computes"), ("candidate", "the values it reads")],
}
#: The views each input is used by (the others are greyed out).
_VIEW_INPUTS = {
    "data": {"perceptron", "network"},
    "points": {"perceptron", "network"},
    "epochs": {"perceptron", "network"},
    "lr": {"perceptron", "network"},
    "hidden": {"network"},
    "activation": {"network"},
    "seed": {"network"},
    "batch": {"network"},
    "loss": {"network"},
    "weights": {"network"},
    "held_out": {"network"},
    "expression": {"graph"},
    "values": {"graph"},
}


@dataclass(frozen=True)
class NeuralInputs(Inputs):
    """What the neural-network panel trains or differentiates, and how."""

    WHAT = "neural"
    view: str = choice(
        "View",
        "network",
        {"perceptron": "Perceptron", "network": "Network", "graph": "Graph"},
        "The perceptron, a network trained by backpropagation, or a computation graph",
        "--view",
    )
    data: str = choice(
        "Data",
        "xor",
        {"and": "AND", "or": "OR", "xor": "XOR", "noisy": "noisy circle", "custom": "my points"},
        "The examples: a truth table, or the points typed or clicked below",
        "--data",
    )
    points: str = text(
        "Points", "", "Your examples, x1 x2 label each, separated by ; (click the plane to add)", "--points",
        "0 0 0; 1 1 1",
    )  # fmt: skip
    epochs: int = whole("Epochs", 5000, "Passes over the examples", "--epochs", 1, 20000)
    held_out: int = whole(
        "Held out %", 0, "Points kept out of training (every k-th) to watch overfitting", "--held-out", 0, 50
    )
    lr: float = number("lr", 1.0, "The learning rate", "--lr", 1e-6, 100.0)
    hidden: str = text("Hidden", "2", "Hidden layer sizes, like 2 or 4 3", "--hidden")
    activation: str = choice(
        "g", "sigmoid", {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"},
        "The hidden units' activation", "--activation",
    )  # fmt: skip
    seed: int = whole("Seed", 1, "The random starting weights (Glorot uniform)", "--seed", 0, 10**6)
    batch: int = whole("Batch", 0, "Examples per update (0: all of them)", "--batch", 0, 400)
    loss: str = choice(
        "Loss", "cross-entropy", {"cross-entropy": "cross-entropy", "squared": "squared error"},
        "What training minimises", "--loss",
    )  # fmt: skip
    weights: str = text(
        "Start weights", "", "Starting weights you set (click an edge), like W1[1,2]=0.5", "--weights",
        "click an edge",
    )  # fmt: skip
    expression: str = text("Expression", SLP3_GRAPH, "An expression to differentiate", "--expression")
    values: str = text("Values", "a=3 b=1 c=-2", "The inputs' values, name=number", "--values")


class NeuralPanel(Panel):
    """Perceptron, backpropagation and computation graphs, value by value."""

    name = "neural"
    inputs_class = NeuralInputs
    examples = (
        ("XOR learned (2 hidden, seed 1)", {"view": "network", "data": "xor", "hidden": "2", "seed": 1}),
        ("XOR stuck (2 hidden, seed 0)", {"view": "network", "data": "xor", "hidden": "2", "seed": 0}),
        (
            "Overfitting: the held-out loss turns up",
            {"view": "network", "data": "noisy", "hidden": "8 8", "seed": 0, "epochs": 3000, "held_out": 33},
        ),
        ("Perceptron on AND", {"view": "perceptron", "data": "and", "epochs": 50}),
        ("Perceptron on XOR (cycles)", {"view": "perceptron", "data": "xor", "epochs": 12}),
        ("SLP3's computation graph", {"view": "graph", "expression": SLP3_GRAPH, "values": "a=3 b=1 c=-2"}),
        (
            "A sigmoid unit's loss",
            {"view": "graph", "expression": "L = -log(sigmoid(w * x + b))", "values": "w=0.5 x=2 b=-1"},
        ),
    )

    result: PerceptronResult | TrainingResult | Graph | None = None
    _view = "network"
    _caption: CaptionItem | None = None
    _graph: NodeLinkItem | None = None
    _plane: PlaneItem | None = None
    _chart: LineChartItem | None = None
    _details: TextBlockItem | None = None
    _held_out: tuple[Any, Any] | None = None

    def build_form(self) -> QWidget:
        self.example_box = self.build_example_box()
        rows = [
            [self.example_box, "view", "data", "epochs", "lr", "hidden"],
            ["activation", "seed", "batch", "loss", "held_out", "weights"],
            ["points", "expression", "values"],
        ]
        form = self.declared_form = DeclaredForm(NeuralInputs, rows)
        form.edited.connect(lambda now: self.run() if now else self.schedule_run())
        return form

    def form_filled(self, inputs: Any) -> None:
        widgets = self.declared_form.widgets
        view = widgets["view"].currentData() if hasattr(widgets["view"], "currentData") else "network"
        for name, views in _VIEW_INPUTS.items():
            widgets[name].setEnabled(view in views)

    # -- computing -----------------------------------------------------------------------
    def compute(self) -> None:
        inputs = self.form_inputs()
        self._view = inputs.view
        if inputs.view == "graph":
            self.result = Graph.from_expression(inputs.expression, **parse_values(inputs.values)).backward()
        else:
            X, y = parse_points(inputs.points if inputs.data == "custom" else DATASETS[inputs.data])
            if inputs.view == "perceptron":
                self.result = perceptron_train(X, y, epochs=min(inputs.epochs, 1000), lr=inputs.lr)
            else:
                net = MLP([2, *parse_hidden(inputs.hidden), 1], inputs.activation, inputs.seed, inputs.loss)
                for name, index, value in parse_weights(inputs.weights):
                    net = net.with_param(name, index, value)
                X, y, self._held_out = split_held_out(X, y, inputs.held_out)
                batch = inputs.batch or None
                if batch is not None and batch > len(X):
                    raise ValueError(f"The batch ({batch}) is larger than the {len(X)} examples.")
                self.result = train_mlp(
                    net, X, y, epochs=inputs.epochs, lr=inputs.lr, batch=batch, held_out=self._held_out
                )
        self._build_scene()
        self.model.set_trace(self.result.trace)

    def _build_scene(self) -> None:
        self.scene.clear()
        palette = self.palette_roles
        self._graph = self._plane = self._chart = self._details = None
        self._caption = CaptionItem(palette)
        held_out = isinstance(self.result, TrainingResult) and self.result.best_epoch is not None
        entries = [(role, text) for role, text in _LEGENDS[self._view] if role != "unseen" or held_out]
        legend = LegendItem(palette, entries)  # the held-out ring only when points are held out
        legend.setPos(0, 62)
        self.scene.addItem(self._caption)
        self.scene.addItem(legend)
        top = 110.0
        if isinstance(self.result, PerceptronResult):
            self._plane = PlaneItem(palette)
            self._plane.setPos(0, top)
            self._plane.clicked.connect(self.add_point)
            self._details = TextBlockItem(palette, [], pixels=15, mono=True)
            self._details.setPos(540, top + 30)
            self.add_part("plane", self._plane)
        elif isinstance(self.result, TrainingResult):
            self._graph = NodeLinkItem(palette)
            self._graph.edge_clicked.connect(self._edge_clicked)
            self._plane = PlaneItem(palette, size=380)
            self._plane.clicked.connect(self.add_point)
            self._chart = LineChartItem(palette, width=380, height=200)
            self._chart.set_axes("epoch", "loss")
            self._chart.set_values(
                self.result.losses, f"Loss (mean {self.result.net.loss_name}) after each epoch"
            )
            if self.result.best_epoch is not None:  # held-out points: the loss that shows overfitting
                held_out = self.result.held_out_losses
                self._chart.set_second(held_out, "held-out loss", self.result.best_epoch - 1)
            self._graph.set_figure(network_figure(self.result, 0))
            left = -self._graph.boundingRect().left() + 10
            self._graph.setPos(left, top + 70)
            right = left + self._graph.boundingRect().right() + 60
            self._plane.setPos(right, top)
            self._chart.setPos(10, top + 80 + max(self._graph.boundingRect().height(), 300))
            self.add_part("network", self._graph)
            self.add_part("surface", self._plane)
            self.add_part("loss", self._chart)
        elif isinstance(self.result, Graph):
            self._graph = NodeLinkItem(palette)
            self._graph.set_figure(graph_figure(self.result, 0))
            self._graph.setPos(
                -self._graph.boundingRect().left() + 10, top - self._graph.boundingRect().top()
            )
            self.add_part("graph", self._graph)
        for item in (self._graph, self._plane, self._chart, self._details):
            if item is not None:
                self.scene.addItem(item)

    # -- rendering ------------------------------------------------------------------------
    def show_step(self, step: int) -> None:
        result = self.result
        if result is None or self._caption is None:
            return
        total = len(result.trace)
        if isinstance(result, PerceptronResult) and self._plane is not None and self._details is not None:
            self._plane.set_figure(perceptron_plane(result, step))
            self._details.set_lines(perceptron_lines(result, step))
            outcome = "converged" if result.converged else f"not converged after {result.epochs_run} epochs"
            title = f"The perceptron on {self._data_name()}" + (f"   → {outcome}" if step == total else "")
            detail = f"step {step:,} / {total:,}"
        elif isinstance(result, TrainingResult) and self._graph is not None:
            self._graph.set_figure(network_figure(result, step))
            if self._plane is not None:
                self._plane.set_figure(network_plane(result, step, held_out=self._held_out))
            if self._chart is not None:
                done = completed_epochs(result, step)
                self._chart.set_marker(done - 1 if done else None)
            sizes = "-".join(map(str, result.net.layer_sizes))
            net = result.net
            how = f"{net.activation}, lr {result.lr:g}, seed {net.seed}"
            title = f"A {sizes} network on {self._data_name()} ({how})"
            phase = result.trace.phase_at(step) if step else None
            detail = (
                f"step {step:,} / {total:,}   ·   {phase.name if phase else 'start'} of {result.epochs:,}"
            )
        elif isinstance(result, Graph) and self._graph is not None:
            self._graph.set_figure(graph_figure(result, step))
            phase = result.trace.phase_at(step) if step else None
            title = f"{result.source}" + (
                f"   → {result.output_name} = {result.value(result.output_name):g}" if step else ""
            )
            detail = f"step {step} / {total}   ·   {phase.name + ' pass' if phase else 'start'}"
        else:
            return
        self._caption.set_text(title, detail)

    def _data_name(self) -> str:
        # The form holds what is being drawn: a refused input puts the form back with the figure.
        data = self.declared_form.widgets["data"].currentData()
        return {"and": "AND", "or": "OR", "xor": "XOR", "noisy": "noisy circle"}.get(data, "your points")

    def focus_rect(self, step: int) -> QRectF:
        """The unit (or the layer pair an update changes, the output for the loss), the node, or the plane."""
        result = self.result
        if isinstance(result, PerceptronResult) and self._plane is not None:
            return self._plane.mapRectToScene(self._plane.boundingRect())
        if self._graph is None:
            return QRectF()
        keys: list[object] = []
        if isinstance(result, TrainingResult):
            focus = result.state_at(step).focus
            layers = result.net.layers
            if focus is None:  # the start: the inputs the first step reads
                keys = [(0, k) for k in range(result.net.layer_sizes[0])]
            elif focus[0] == "update":
                wanted = (focus[1] - 1, focus[1])
                keys = [n.key for n in self._graph.figure.nodes if n.key[0] in wanted]  # type: ignore[index]
            elif focus[0] == "loss":
                keys = [(layers, k) for k in range(result.net.layer_sizes[-1])]
            else:
                keys = [focus[1:]]
        elif isinstance(result, Graph):
            current = result.state_at(step).current
            keys = [current] if current is not None else [i for i, n in enumerate(result.nodes) if n.is_leaf]
        rect = QRectF()
        for key in keys:
            rect = rect.united(self._graph.node_rect(key))
        return self._graph.mapRectToScene(rect)

    def narration(self, step: int) -> tuple[str, str]:
        if self.result is None:
            return ("", "")
        return (_TITLES[self._view], self.result.narrate(step))

    # -- editing by clicking --------------------------------------------------------------
    def add_point(self, x: float, y: float, class_zero: bool = False) -> None:
        """Add an example at (x, y) (class 1, or class 0 with Shift or a right click) and retrain."""
        inputs = self.inputs()
        points = inputs["points"] if inputs["data"] == "custom" else DATASETS[inputs["data"]]
        label = 0 if class_zero else 1
        step = self.model.current_step
        self._try({**inputs, "data": "custom", "points": f"{points}; {x:g} {y:g} {label}".strip("; ")}, step)

    def edit_weight(self, layer: int, unit: int, source: int, value: float) -> None:
        """Set the starting weight W{layer}[unit, source] (0-based indices) and retrain."""
        inputs = self.inputs()
        edit = f"W{layer}[{unit + 1},{source + 1}]={value:g}"
        kept = [w for w in inputs["weights"].split() if not w.startswith(edit.split("=")[0] + "=")]
        self._try({**inputs, "weights": " ".join([*kept, edit])}, self.model.current_step)

    def _edge_clicked(self, key: object) -> None:
        """Put the clicked weight in the Start weights box, its value selected to type over.

        An inline edit, not a dialog: nothing modal can stop a lecture (or a test) on a click.
        """
        if not isinstance(self.result, TrainingResult):
            return
        layer, unit, source = key  # type: ignore[misc]
        name = f"W{layer}[{unit + 1},{source + 1}]"
        value = f"{float(self.result.initial.params[f'W{layer}'][unit, source]):.3g}"
        box = self.declared_form.widgets["weights"]
        kept = [w for w in box.text().split() if not w.startswith(name + "=")]
        box.setText(" ".join([*kept, f"{name}={value}"]))
        box.setFocus()
        box.setSelection(len(box.text()) - len(value), len(value))

    def _try(self, values: dict[str, Any], step: int) -> None:
        try:
            self.set_inputs(values)
        except ValueError as problem:
            self.show_message(str(problem))
            return
        self.model.set_step(step)


if __name__ == "__main__":  # preview this panel on its own
    from visualizer.app import preview_panel

    preview_panel(NeuralPanel)
