"""The neural-network pictures at a step (no Qt): networks and computation graphs as nodes and
edges, the input plane with its points, boundary and decision surface, and the parsing of the
panel's typed inputs (points, input values, edited weights)."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from algorithms.computation_graph import BackwardEdge, ForwardNode, Graph
from algorithms.mlp import MLP
from algorithms.mlp_training import (
    LayerUpdate,
    MLPState,
    TrainingResult,
    UnitBackward,
    UnitForward,
    unit_name,
)
from algorithms.perceptron import PerceptronResult, PerceptronStep
from algorithms.trace import format_number

__all__ = [
    "NodeMark",
    "EdgeMark",
    "NodeLinkFigure",
    "PlaneFigure",
    "DATASETS",
    "split_held_out",
    "parse_points",
    "parse_values",
    "parse_weights",
    "parse_hidden",
    "network_figure",
    "graph_figure",
    "perceptron_plane",
    "network_plane",
    "perceptron_lines",
    "completed_epochs",
]

#: The truth tables SLP3 uses (x1, x2 → y), in the book's row order.
DATASETS = {
    "and": "0 0 0; 0 1 0; 1 0 0; 1 1 1",
    "or": "0 0 0; 0 1 1; 1 0 1; 1 1 1",
    "xor": "0 0 0; 0 1 1; 1 0 1; 1 1 0",
}


def _noisy_circle() -> str:
    """60 points, class 1 inside the circle x₁² + x₂² < 2, one in seven labels flipped: a net big
    enough to learn the flips fits the training points ever better while the held-out loss turns up
    (with 2-8-8-1, seed 0, lr 1: lowest after 671 epochs, then rising; fixed seed, no data file)."""
    rng = np.random.default_rng(0)
    points = rng.uniform(-2, 2, size=(60, 2)).round(2)
    labels = (points[:, 0] ** 2 + points[:, 1] ** 2 < 2.0).astype(int)
    flipped = rng.random(60) < 0.15
    labels[flipped] = 1 - labels[flipped]
    return "; ".join(f"{x:g} {y:g} {c}" for (x, y), c in zip(points, labels, strict=True))


DATASETS["noisy"] = _noisy_circle()

#: Show weights as numbers on the edges up to this many edges (past it, width and colour only).
LABELLED_EDGES = 40


@dataclass(frozen=True)
class NodeMark:
    """A node to draw: centre, name, lines of numbers under the name, and its role."""

    key: object
    x: float
    y: float
    title: str
    lines: tuple[str, ...]
    role: str = ""  # "" (not reached), "done", "current" or "candidate" (read by the current step)
    word: bool = False  # a word of a sentence (drawn as text, not a box, unless it is lit)


@dataclass(frozen=True)
class EdgeMark:
    """An edge from ``source`` to ``target``; ``weight`` sets its width and dash (negative is dashed)."""

    key: object
    source: object
    target: object
    weight: float | None
    role: str  # "chosen" (positive), "backpointer" (negative), "current", "muted"
    label: str = ""


@dataclass
class NodeLinkFigure:
    """Nodes and edges; ``vertical`` draws edges from a node's bottom to its child's top (a tree)."""

    nodes: list[NodeMark] = field(default_factory=list)
    edges: list[EdgeMark] = field(default_factory=list)
    vertical: bool = False

    def node(self, key: object) -> NodeMark:
        return next(n for n in self.nodes if n.key == key)


@dataclass
class PlaneFigure:
    """The input plane: points (x, y, class, role), an optional line and arrow, an optional surface."""

    bounds: tuple[float, float, float, float]  # x0, x1, y0, y1
    points: list[tuple[float, float, int, str]] = field(default_factory=list)
    line: tuple[float, float, float] | None = None  # w1, w2, b: w·x + b = 0
    surface: np.ndarray | None = None  # P(class 1) on a grid, rows from y0 up to y1
    title: str = ""


# -- typed inputs ---------------------------------------------------------------------------------
def parse_points(text: str) -> tuple[np.ndarray, np.ndarray]:
    """``"0 0 0; 0 1 1"`` (x1 x2 label per example) → X, y."""
    rows = [part.split() for part in re.split(r"[;\n]", text) if part.strip()]
    if not rows:
        raise ValueError("There are no points: type x1 x2 label for each, separated by ;.")
    for number, row in enumerate(rows, start=1):
        if len(row) != 3:
            raise ValueError(f"Point {number} ('{' '.join(row)}') needs three numbers: x1 x2 label.")
        try:
            values = [float(v) for v in row]
        except ValueError:
            raise ValueError(
                f"Point {number} ('{' '.join(row)}') holds something that is not a number."
            ) from None
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"Point {number} holds a value that is not a finite number.")
        if values[2] not in (0.0, 1.0):
            raise ValueError(f"Point {number}'s label is {row[2]}; labels are 0 or 1.")
    if len(rows) > 400:
        raise ValueError(f"There are {len(rows)} points; this panel trains on at most 400.")
    array = np.array([[float(v) for v in row] for row in rows])
    return array[:, :2], array[:, 2].astype(int)


def split_held_out(
    X: np.ndarray, y: np.ndarray, percent: int
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
    """Every k-th example (k = 100 / percent, rounded) kept out of training; None at 0 %."""
    if not percent:
        return X, y, None
    k = max(2, round(100 / percent))
    dev = np.arange(len(y)) % k == k - 1
    if dev.all() or not dev.any() or len(set(y[~dev].tolist())) < 2:
        raise ValueError(
            f"Holding out {percent}% of {len(y)} points leaves too few to train on or to test; add points."
        )
    return X[~dev], y[~dev], (X[dev], y[dev])


def parse_values(text: str) -> dict[str, float]:
    """``"a=3 b=1 c=-2"`` → {"a": 3.0, …}."""
    values: dict[str, float] = {}
    for item in text.replace(",", " ").split():
        name, equals, number = item.partition("=")
        if not equals or not name.isidentifier():
            raise ValueError(f"'{item}' is not an input value: write name=number, like a=3.")
        try:
            values[name] = float(number)
        except ValueError:
            raise ValueError(f"The value of {name} ('{number}') is not a number.") from None
    return values


_WEIGHT = re.compile(r"^([Wb])(\d+)\[(\d+)(?:,(\d+))?\]=(.+)$")


def parse_weights(text: str) -> list[tuple[str, tuple[int, ...], float]]:
    """``"W1[1,2]=0.5 b2[1]=-1"`` (1-based, as the figure numbers units) → [(name, index, value)]."""
    edits = []
    for item in text.replace(";", " ").split():
        found = _WEIGHT.match(item)
        if found is None:
            raise ValueError(f"'{item}' is not a weight edit: write W1[2,1]=0.5 or b1[2]=-1.")
        kind, layer, row, column, number = found.groups()
        if (kind == "W") != (column is not None):
            raise ValueError(f"'{item}': a weight W has a row and a column, a bias b one index.")
        try:
            value = float(number)
        except ValueError:
            raise ValueError(f"'{item}': {number} is not a number.") from None
        index = (int(row) - 1,) + ((int(column) - 1,) if column is not None else ())
        if min(index) < 0:
            raise ValueError(f"'{item}': units are numbered from 1.")
        edits.append((f"{kind}{layer}", index, value))
    return edits


def parse_hidden(text: str) -> list[int]:
    """``"4 3"`` → hidden layer sizes [4, 3] (up to three layers of up to 8 units)."""
    try:
        sizes = [int(part) for part in text.replace(",", " ").split()]
    except ValueError:
        raise ValueError(f"Hidden layers '{text}' should be whole numbers, like 2 or 4 3.") from None
    if not sizes or len(sizes) > 3 or not all(1 <= n <= 8 for n in sizes):
        raise ValueError("Give one to three hidden layers of 1 to 8 units each, like 2 or 4 3.")
    return sizes


# -- networks -------------------------------------------------------------------------------------
COLUMN = 250.0
ROW = 110.0


def _layout(sizes: Sequence[int]) -> dict[tuple[int, int], tuple[float, float]]:
    tallest = max(sizes)
    return {
        (layer, unit): (layer * COLUMN, (unit + (tallest - size) / 2) * ROW)
        for layer, size in enumerate(sizes)
        for unit in range(size)
    }


def _weight_role(weight: float) -> str:
    return "chosen" if weight >= 0 else "backpointer"


def network_figure(result: TrainingResult, step: int) -> NodeLinkFigure:
    """Nodes with their values (and ∂L/∂z once the backward pass reaches them), edges by weight."""
    state: MLPState = result.state_at(step)
    event = result.event_at(step)
    sizes = state.layer_sizes
    places = _layout(sizes)
    focus = state.focus
    read: set[tuple[int, int]] = set()
    lit: set[tuple[int, int, int]] = set()  # (layer, unit, input) edges the step uses
    if isinstance(event, UnitForward):
        read = {(event.layer - 1, k) for k in range(sizes[event.layer - 1])}
        lit = {(event.layer, event.unit, k) for k in range(sizes[event.layer - 1])}
    elif isinstance(event, UnitBackward) and event.rule == "hidden":
        read = {(event.layer + 1, k) for k in range(sizes[event.layer + 1])}
        lit = {(event.layer + 1, k, event.unit) for k in range(sizes[event.layer + 1])}
    elif isinstance(event, LayerUpdate):
        lit = {(event.layer, j, k) for j in range(sizes[event.layer]) for k in range(sizes[event.layer - 1])}
    figure = NodeLinkFigure()
    for (layer, unit), (x, y) in places.items():
        value = float(state.value(layer)[unit])
        lines = [f"a = {format_number(value, 3)}" if not math.isnan(value) else "a = ?"]
        if layer:
            lines.append(f"b = {format_number(float(state.bias(layer)[unit]), 3)}")
            delta = float(state.delta(layer)[unit])
            if not math.isnan(delta):
                lines.append(f"δ = {format_number(delta, 3)}")
        here = focus is not None and focus[0] in ("forward", "backward") and focus[1:] == (layer, unit)
        role = (
            "current"
            if here
            else "candidate"
            if (layer, unit) in read
            else ("done" if not math.isnan(value) else "")
        )
        figure.nodes.append(NodeMark((layer, unit), x, y, unit_name(sizes, layer, unit), tuple(lines), role))
    labelled = sum(a * b for a, b in zip(sizes, sizes[1:], strict=False)) <= LABELLED_EDGES
    for layer in range(1, len(sizes)):
        weights = state.weights(layer)
        for j in range(sizes[layer]):
            for k in range(sizes[layer - 1]):
                w = float(weights[j, k])
                role = "current" if (layer, j, k) in lit else _weight_role(w)
                label = format_number(w, 3) if labelled else ""
                figure.edges.append(EdgeMark((layer, j, k), (layer - 1, k), (layer, j), w, role, label))
    return figure


def completed_epochs(result: TrainingResult, step: int) -> int:
    """Epochs finished by ``step``: the loss curve's marker."""
    return min(step // result.steps_per_epoch, result.epochs)


def _bounds(X: np.ndarray) -> tuple[float, float, float, float]:
    low, high = X.min(axis=0), X.max(axis=0)
    pad = np.maximum((high - low) * 0.25, 0.5)
    return float(low[0] - pad[0]), float(high[0] + pad[0]), float(low[1] - pad[1]), float(high[1] + pad[1])


def network_plane(
    result: TrainingResult,
    step: int,
    resolution: int = 48,
    held_out: tuple[np.ndarray, np.ndarray] | None = None,
) -> PlaneFigure:
    """The decision surface of the network at ``step`` (P(class 1) over the plane), with the points
    (and the held-out ones, ringed as not trained on)."""
    net: MLP = result.net_at(step)
    bounds = _bounds(result.X if held_out is None else np.vstack([result.X, held_out[0]]))
    xs = np.linspace(bounds[0], bounds[1], resolution)
    ys = np.linspace(bounds[2], bounds[3], resolution)
    grid = np.array([(x, y) for y in ys for x in xs])
    surface = net.predict_proba(grid)
    if surface.ndim == 2:  # several outputs: the probability of the last class
        surface = surface[:, -1]
    predictions = net.predict(result.X)
    labels = result.targets[:, 0] if result.targets.shape[1] == 1 else result.targets.argmax(axis=1)
    state = result.state_at(step)
    points = []
    for index, ((x, y), label, guess) in enumerate(zip(result.X, labels, predictions, strict=True)):
        now = state.focus is not None and state.focus[0] != "update" and index == state.example
        role = "current" if now else ("error" if guess != label else "")
        points.append((float(x), float(y), int(label), role))
    wrong = int((predictions != labels).sum())
    title = f"Decision surface: P(y = 1) after {completed_epochs(result, step):,} epochs — {wrong} wrong"
    if held_out is not None:
        dev_wrong = int((net.predict(held_out[0]) != held_out[1]).sum())
        points += [
            (float(x), float(y), int(label), "unseen") for (x, y), label in zip(*held_out, strict=True)
        ]
        title += f", {dev_wrong} of {len(held_out[1])} held out"
    return PlaneFigure(bounds, points, None, surface.reshape(resolution, resolution), title)


def perceptron_plane(result: PerceptronResult, step: int) -> PlaneFigure:
    """The points, the boundary w·x + b = 0 at ``step`` and the example just seen."""
    state = result.state_at(step)
    w, b = state.weights, state.bias
    scores = result.X @ w + b
    points = []
    for index, ((x, y), label, score) in enumerate(zip(result.X, result.y, scores, strict=True)):
        wrong = int(score > 0) != label
        role = "current" if index == state.index and step else ("error" if wrong else "")
        points.append((float(x), float(y), int(label), role))
    line = (float(w[0]), float(w[1]), float(b)) if result.X.shape[1] == 2 and np.any(w != 0) else None
    title = (
        f"w = ({format_number(float(w[0]), 3)}, {format_number(float(w[1]), 3)}), b = {format_number(b, 3)}"
    )
    return PlaneFigure(_bounds(result.X), points, line, None, title)


def perceptron_lines(result: PerceptronResult, step: int) -> list[str]:
    """Each epoch so far: the weights it started from and its mistakes (the cycle, on XOR)."""
    lines = ["epoch   starts from w, b        mistakes"]
    n = result.X.shape[0]
    shown = math.ceil(step / n) if step else 0
    for epoch in range(max(1, shown - 11), shown + 1):  # the last twelve epochs: the cycle shows in them
        steps = [
            e for e in result.trace[(epoch - 1) * n : min(epoch * n, step)] if isinstance(e, PerceptronStep)
        ]
        before = result.trace[(epoch - 1) * n - 1] if epoch > 1 else None
        start_w = (
            np.array(before.weights) if isinstance(before, PerceptronStep) else np.zeros(result.X.shape[1])
        )
        start_b = before.bias if isinstance(before, PerceptronStep) else 0.0
        w = ", ".join(format_number(float(v), 3) for v in start_w)
        mistakes = sum(s.error != 0 for s in steps)
        lines.append(f"{epoch:>5}   ({w}), {format_number(start_b, 3):<8} {mistakes:>4}")
    if result.cycle is not None and shown >= result.cycle[1]:
        a, c = result.cycle
        lines.append(f"Epoch {c} starts where epoch {a} did: the same epochs repeat forever.")
    elif result.converged and step == len(result.trace):
        lines.append(f"Epoch {result.epochs_run} made no mistake: converged.")
    return lines


# -- computation graphs ---------------------------------------------------------------------------
def graph_figure(graph: Graph, step: int) -> NodeLinkFigure:
    """Inputs on the left, each operation one column right of its deepest input; values and gradients."""
    state = graph.state_at(step)
    event = graph.event_at(step)
    places = _graph_layout(graph)
    read: set[int] = set()
    lit: set[tuple[int, int]] = set()
    if isinstance(event, ForwardNode):
        read = set(graph.nodes[event.node].inputs)
        lit = {(i, event.node) for i in read}
    elif isinstance(event, BackwardEdge):
        read, lit = {event.node}, {(event.input, event.node)}
    figure = NodeLinkFigure()
    for index, (x, y) in places.items():
        node = graph.nodes[index]
        value, grad = state.values[index], state.grads[index]
        title = node.name if node.is_leaf else f"{node.name} = {graph.formula(index)}"
        lines = [f"{format_number(value, 4) if not math.isnan(value) else '?'}"]
        if not math.isnan(grad):
            lines.append(f"∂{graph.output_name}/∂{node.name} = {format_number(grad, 4)}")
        current = state.current == index and event is not None
        role = (
            "current"
            if current
            else "candidate"
            if index in read
            else ("done" if not math.isnan(value) else "")
        )
        figure.nodes.append(NodeMark(index, x, y, title, tuple(lines), role))
        for child in node.inputs:
            role_edge = "current" if (child, index) in lit else "muted"
            figure.edges.append(EdgeMark((child, index), child, index, None, role_edge))
    return figure


def _graph_layout(graph: Graph) -> dict[int, tuple[float, float]]:
    """SLP3's drawing: operations one column right of their deepest input, each input or number
    in the column just before the first node that uses it (so no edge passes through a box),
    and each column ordered by where its nodes' users sit (fewer crossings)."""
    depth: list[int] = []
    users: dict[int, list[int]] = {}
    for index, node in enumerate(graph.nodes):
        depth.append(1 + max((depth[i] for i in node.inputs), default=-1))
        for i in node.inputs:
            users.setdefault(i, []).append(index)
    for index, node in enumerate(graph.nodes):
        if node.is_leaf and index in users:
            depth[index] = min(depth[u] for u in users[index]) - 1
    columns: dict[int, list[int]] = {}
    for index, d in enumerate(depth):
        columns.setdefault(d, []).append(index)
    tallest = max(len(members) for members in columns.values())
    rows: dict[int, float] = {}
    for d in sorted(columns, reverse=True):  # the output first; each column follows its users
        members = sorted(
            columns[d],
            key=lambda i: sum(rows.get(u, 0.0) for u in users.get(i, [])) / max(len(users.get(i, [])), 1),
        )
        offset = (tallest - len(members)) / 2
        for row, index in enumerate(members):
            rows[index] = row + offset
    return {index: (depth[index] * COLUMN, rows[index] * ROW) for index in range(len(graph.nodes))}


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
