"""Training a feed-forward network by backpropagation, one unit at a time (SLP3 §7.5–7.6).

``train_mlp`` runs gradient descent for ``epochs`` over the examples in order, in
batches of ``batch`` (all of them by default). It keeps the parameters after every
update, so the trace can rebuild any step of any epoch on demand: a trace of
5,000 epochs is not 150,000 stored events but a formula from step to
(epoch, batch, example, unit). Each example is

- a forward step per unit: z = w·a + b with the weights plugged in, then a = g(z);
- the loss;
- a backward step per unit, output layer first: δ = ∂L/∂z = ∂L/∂a × g'(z), the upstream
  gradient times the local derivative, with both numbers;

and each batch ends with one update step per layer, W ← W − lr·∂L/∂W.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from algorithms.mlp import MLP, FloatArray, Pass
from algorithms.quiz import Question, choice_question, number_question
from algorithms.trace import Phase, State, StepEvent, StepwiseResult, Trace, format_number, line_for_event

__all__ = [
    "train_mlp",
    "TrainingResult",
    "MLPState",
    "UnitForward",
    "LossStep",
    "UnitBackward",
    "LayerUpdate",
    "TRAINING_PSEUDOCODE",
    "unit_name",
]

#: Keeping every update's parameters is what makes any epoch scrubbable; past this it is refused.
MAX_SNAPSHOT_BYTES = 256 * 2**20

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def unit_name(layer_sizes: tuple[int, ...], layer: int, unit: int) -> str:
    """SLP3's names: x₁ for inputs, h₁ for one hidden layer (h¹₁ for several), ŷ (ŷ₁…) for outputs."""
    index = str(unit + 1).translate(_SUB)
    last = len(layer_sizes) - 1
    if layer == 0:
        return "x" + index
    if layer == last:
        return "ŷ" if layer_sizes[-1] == 1 else "ŷ" + index
    if last == 2:
        return "h" + index
    return "h" + str(layer).translate(_SUP) + index


def _g(activation: str) -> str:
    return {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "softmax": "softmax"}[activation]


def _dot(pairs: list[tuple[float, float]], constant: float | None = None) -> str:
    """``w·a + … + b`` as a board would show it: ``1.2·(-0.5) - 0.87·1 + 0.3``, never ``+ -0.87``."""

    def factor(value: float) -> str:
        return f"({format_number(value)})" if value < 0 else format_number(value)

    parts = [(w, f"{format_number(abs(w))}·{factor(a)}") for w, a in pairs]
    if constant is not None:
        parts.append((constant, format_number(abs(constant))))
    text = ""
    for number, (sign, term) in enumerate(parts):
        if not number:
            text = f"-{term}" if sign < 0 else term
        else:
            text += f" - {term}" if sign < 0 else f" + {term}"
    return text


def _sum(weights: tuple[float, ...], inputs: tuple[float, ...], bias: float) -> str:
    return _dot(list(zip(weights, inputs, strict=True)), bias)


@dataclass(frozen=True)
class UnitForward(StepEvent):
    """One unit's forward step: z = w·a + b and a = g(z), with the numbers."""

    epoch: int
    example: int  # row of X
    layer: int
    unit: int
    name: str
    inputs: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    z: float
    value: float
    activation: str

    def describe(self, style: str = "plain") -> str:
        return (
            f"Epoch {self.epoch}, example {self.example + 1}, forward:"
            f" z = {_sum(self.weights, self.inputs, self.bias)} = {format_number(self.z)},"
            f" so {self.name} = {_g(self.activation)}(z) = {format_number(self.value)}."
        )


@dataclass(frozen=True)
class LossStep(StepEvent):
    """The loss of one example, from its outputs and its target."""

    epoch: int
    example: int
    outputs: tuple[float, ...]
    target: tuple[float, ...]
    loss: float
    loss_name: str

    def describe(self, style: str = "plain") -> str:
        if self.loss_name == "squared":
            formula = "½ Σ (ŷ − y)²"
        elif len(self.outputs) == 1:
            formula = "−[y log ŷ + (1 − y) log(1 − ŷ)]"
        else:
            formula = "−log ŷ of the right class"
        ys = ", ".join(format_number(v) for v in self.outputs)
        ts = ", ".join(format_number(v) for v in self.target)
        return (
            f"Epoch {self.epoch}, example {self.example + 1}: ŷ = {ys}, y = {ts}; loss L = {formula}"
            f" = {format_number(self.loss)}."
        )


@dataclass(frozen=True)
class UnitBackward(StepEvent):
    """One unit's backward step: δ = ∂L/∂z = upstream ∂L/∂a × local g'(z)."""

    epoch: int
    example: int
    layer: int
    unit: int
    name: str
    upstream: float  # ∂L/∂a (NaN for a softmax output, where only the product is defined)
    local: float  # g'(z)
    delta: float
    rule: str  # "cross-entropy", "softmax", "squared" or "hidden"
    terms: tuple[tuple[float, float], ...]  # hidden: (w_kj, δ_k) over the layer above

    def describe(self, style: str = "plain") -> str:
        head = f"Epoch {self.epoch}, example {self.example + 1}, backward: ∂L/∂z of {self.name}"
        product = (
            f"{format_number(self.upstream)} × {format_number(self.local)} = {format_number(self.delta)}"
        )
        if self.rule == "softmax":
            return f"{head} = ŷ − y = {format_number(self.delta)} (softmax with cross-entropy)."
        if self.rule == "cross-entropy":
            return f"{head} = ∂L/∂ŷ × σ'(z) = {product} (for a sigmoid with cross-entropy this is ŷ − y)."
        if self.rule == "squared":
            return f"{head} = (ŷ − y) × σ'(z) = {product}."
        chain = _dot(list(self.terms))
        return f"{head} = (Σ w·δ above = {chain}) × g'(z) = {product}."


def _grid(rows: tuple[tuple[float, ...], ...], most_rows: int = 3, most_columns: int = 6) -> str:
    """A matrix as ``[1 2; 3 4]``; past 3 rows or 6 columns the rest is ``…`` (narrations stay short)."""

    def row_text(row: tuple[float, ...]) -> str:
        shown = " ".join(format_number(v, 3) for v in row[:most_columns])
        return shown + (" …" if len(row) > most_columns else "")

    text = "; ".join(row_text(row) for row in rows[:most_rows])
    return "[" + text + ("; …" if len(rows) > most_rows else "") + "]"


@dataclass(frozen=True)
class LayerUpdate(StepEvent):
    """One layer's gradient-descent update after a batch, with the averaged gradient."""

    epoch: int
    batch: int
    layer: int
    lr: float
    examples: int
    grad_w: tuple[tuple[float, ...], ...]
    grad_b: tuple[float, ...]
    weights: tuple[tuple[float, ...], ...]  # after
    bias: tuple[float, ...]  # after

    def describe(self, style: str = "plain") -> str:
        mean = f"the mean over {self.examples} examples" if self.examples > 1 else "one example"
        return (
            f"Epoch {self.epoch}, update: W{self.layer} ← W{self.layer}"
            f" − {format_number(self.lr)}·∂L/∂W{self.layer}"
            f" ({mean} of δ·aᵀ = {_grid(self.grad_w)}) = {_grid(self.weights)};"
            f" b{self.layer} ← {_grid((self.bias,))}."
        )


TrainingEvent = UnitForward | LossStep | UnitBackward | LayerUpdate


@dataclass(frozen=True, eq=False)
class MLPState(State):
    """The parameters, the current example's values and gradients, and where the step is.

    ``params`` is flat (W1 row by row, b1, W2, …; see :meth:`weights`); ``values`` holds every
    unit's activation from the inputs up and ``deltas`` every non-input unit's ∂L/∂z, NaN
    until the step computes them.
    """

    layer_sizes: tuple[int, ...]
    params: FloatArray
    values: FloatArray
    deltas: FloatArray
    loss: float
    epoch: int
    example: int  # -1 before the first example
    focus: tuple[str, int, int] | None  # ("forward" | "loss" | "backward" | "update", layer, unit)

    def _param_slices(self, layer: int) -> tuple[slice, slice]:
        start = 0
        for here in range(1, layer + 1):
            rows, cols = self.layer_sizes[here], self.layer_sizes[here - 1]
            w = slice(start, start + rows * cols)
            b = slice(w.stop, w.stop + rows)
            start = b.stop
        return w, b

    def weights(self, layer: int) -> FloatArray:
        """W of layer ``layer`` (rows: its units; columns: the layer below)."""
        w, _ = self._param_slices(layer)
        return self.params[w].reshape(self.layer_sizes[layer], self.layer_sizes[layer - 1])

    def bias(self, layer: int) -> FloatArray:
        _, b = self._param_slices(layer)
        return self.params[b]

    def value(self, layer: int) -> FloatArray:
        """The activations of layer ``layer`` (0 is the input) for the current example."""
        start = sum(self.layer_sizes[:layer])
        return self.values[start : start + self.layer_sizes[layer]]

    def delta(self, layer: int) -> FloatArray:
        """∂L/∂z of layer ``layer`` ≥ 1 for the current example."""
        start = sum(self.layer_sizes[1:layer])
        return self.deltas[start : start + self.layer_sizes[layer]]

    def then(self, event: StepEvent) -> MLPState:
        sizes = self.layer_sizes
        values, deltas, loss, example = self.values.copy(), self.deltas.copy(), self.loss, self.example
        params = self.params.copy()
        if isinstance(event, UnitForward):
            if event.layer == 1 and event.unit == 0:  # a new example starts from its inputs
                values[:] = np.nan
                deltas[:] = np.nan
                values[: sizes[0]] = event.inputs
                loss, example = np.nan, event.example
            values[sum(sizes[: event.layer]) + event.unit] = event.value
            focus: tuple[str, int, int] = ("forward", event.layer, event.unit)
        elif isinstance(event, LossStep):
            loss, focus = event.loss, ("loss", len(sizes) - 1, 0)
        elif isinstance(event, UnitBackward):
            deltas[sum(sizes[1 : event.layer]) + event.unit] = event.delta
            focus = ("backward", event.layer, event.unit)
        elif isinstance(event, LayerUpdate):
            w, b = self._param_slices(event.layer)
            params[w] = np.ravel(event.weights)
            params[b] = event.bias
            focus = ("update", event.layer, 0)
        else:
            raise TypeError(f"training does not change with {type(event).__name__}")
        return MLPState(sizes, params, values, deltas, float(loss), event.epoch, example, focus)


TRAINING_PSEUDOCODE = (
    "function TRAIN(network, examples, epochs, lr) returns network",
    "  for epoch ← 1 … epochs, for each batch of examples:",
    "    for each example (x, y) in the batch:",
    "      for each layer l ← 1 … L, each unit j:  z ← W[l]ⱼ · a[l−1] + b[l]ⱼ;  a[l]ⱼ ← g(z)   ▷ forward",
    "      L ← loss(ŷ = a[L], y)",
    "      δ[L]ⱼ ← ∂L/∂ŷⱼ × g'(zⱼ)   ▷ the output's error",
    "      for each layer l ← L−1 … 1, each unit j:  δ[l]ⱼ ← (Σₖ W[l+1]ₖⱼ δ[l+1]ₖ) × g'(zⱼ)   ▷ backward",
    "    for each layer l:  W[l] ← W[l] − lr · mean(δ[l] a[l−1]ᵀ);  b[l] ← b[l] − lr · mean(δ[l])",
    "  return network",
)


def _flatten(net: MLP) -> FloatArray:
    return np.concatenate(
        [net.params[f"{kind}{layer}"].ravel() for layer in range(1, net.layers + 1) for kind in "Wb"]
    )


def _unflatten(net: MLP, flat: FloatArray) -> dict[str, FloatArray]:
    params: dict[str, FloatArray] = {}
    start = 0
    for layer in range(1, net.layers + 1):
        for kind in "Wb":
            shape = net.params[f"{kind}{layer}"].shape
            size = int(np.prod(shape))
            params[f"{kind}{layer}"] = flat[start : start + size].reshape(shape).copy()
            start += size
    return params


@dataclass(frozen=True, eq=False)
class TrainingResult(StepwiseResult[TrainingEvent, MLPState]):
    """The trained network, the loss after each epoch, and a trace that reaches any step of any epoch."""

    initial: MLP
    net: MLP
    X: FloatArray
    targets: FloatArray  # one row of target outputs per example
    epochs: int
    lr: float
    batch: int
    losses: FloatArray  # mean loss over all examples after each epoch
    initial_loss: float
    snapshots: FloatArray  # parameters (flat) before update u, for u = 0 … updates
    #: The mean loss on held-out examples after each epoch (empty without ``held_out``).
    held_out_losses: FloatArray = field(default_factory=lambda: np.zeros(0))

    @property
    def best_epoch(self) -> int | None:
        """The epoch after which the held-out loss was lowest: where early stopping would stop."""
        if not self.held_out_losses.size:
            return None
        return int(np.argmin(self.held_out_losses)) + 1

    # -- layout ------------------------------------------------------------------------------------
    @property
    def _units(self) -> int:
        return sum(self.net.layer_sizes[1:])

    @property
    def _per_example(self) -> int:
        return 2 * self._units + 1

    @cached_property
    def _batch_starts(self) -> tuple[int, ...]:
        """First row of each batch, and the row count at the end."""
        n = self.X.shape[0]
        return tuple(range(0, n, self.batch)) + (n,)

    @cached_property
    def _batch_offsets(self) -> tuple[int, ...]:
        """Step offsets of each batch within an epoch, and the epoch's length at the end."""
        offsets, position = [], 0
        for start, stop in zip(self._batch_starts, self._batch_starts[1:], strict=False):
            offsets.append(position)
            position += (stop - start) * self._per_example + self.net.layers
        return (*offsets, position)

    @property
    def steps_per_epoch(self) -> int:
        return self._batch_offsets[-1]

    def epoch_start(self, epoch: int) -> int:
        """The step just before epoch ``epoch`` (1-based) begins: scrub here to see that epoch."""
        if not 1 <= epoch <= self.epochs:
            raise ValueError(f"There are epochs 1 … {self.epochs}; {epoch} is not one of them.")
        return (epoch - 1) * self.steps_per_epoch

    def _locate(self, index: int) -> tuple[int, int, int, int]:
        """Trace index → (epoch, batch in epoch, example row or -1 for the update, offset inside)."""
        epoch, offset = divmod(index, self.steps_per_epoch)
        batch = bisect.bisect_right(self._batch_offsets, offset) - 1
        inside = offset - self._batch_offsets[batch]
        rows = self._batch_starts[batch + 1] - self._batch_starts[batch]
        if inside < rows * self._per_example:
            row, within = divmod(inside, self._per_example)
            return epoch + 1, batch, self._batch_starts[batch] + row, within
        return epoch + 1, batch, -1, inside - rows * self._per_example

    def _update_index(self, epoch: int, batch: int) -> int:
        return (epoch - 1) * (len(self._batch_starts) - 1) + batch

    @cached_property
    def _pass(self) -> object:
        @lru_cache(maxsize=64)
        def run(update: int) -> tuple[MLP, Pass]:
            batch = update % (len(self._batch_starts) - 1)
            start, stop = self._batch_starts[batch], self._batch_starts[batch + 1]
            net = self.initial.with_params(_unflatten(self.initial, self.snapshots[update]))
            return net, net.run(self.X[start:stop], self.targets[start:stop])

        return run

    def _run(self, update: int) -> tuple[MLP, Pass]:
        return self._pass(update)  # type: ignore[operator, no-any-return]

    # -- events ------------------------------------------------------------------------------------
    def _event(self, index: int) -> TrainingEvent:
        epoch, batch, row, within = self._locate(index)
        update = self._update_index(epoch, batch)
        net, run = self._run(update)
        sizes = net.layer_sizes
        if row < 0:
            layer = within + 1
            grads = net.gradients_of(run)
            after = _unflatten(net, self.snapshots[update + 1])
            return LayerUpdate(
                epoch, batch, layer, self.lr, run.a[0].shape[0],
                _rows(grads[f"W{layer}"]), tuple(map(float, grads[f"b{layer}"])),
                _rows(after[f"W{layer}"]), tuple(map(float, after[f"b{layer}"])),
            )  # fmt: skip
        i = row - self._batch_starts[batch]
        units = self._units
        if within < units:
            layer, unit = _unit_at(sizes, within)
            return UnitForward(
                epoch, row, layer, unit, unit_name(sizes, layer, unit),
                tuple(map(float, run.a[layer - 1][i])), tuple(map(float, net.params[f"W{layer}"][unit])),
                float(net.params[f"b{layer}"][unit]), float(run.z[layer][i, unit]),
                float(run.a[layer][i, unit]), net.activation_of(layer),
            )  # fmt: skip
        if within == units:
            return LossStep(
                epoch, row, tuple(map(float, run.a[-1][i])), tuple(map(float, run.targets[i])),
                float(run.losses[i]), net.loss_name,
            )  # fmt: skip
        backward = within - units - 1  # output layer first, then down
        layer, unit = _unit_at(sizes[:1] + sizes[:0:-1], backward)
        layer = net.layers + 1 - layer
        if layer == net.layers:
            rule = "squared" if net.loss_name == "squared" else (
                "cross-entropy" if net.output_activation == "sigmoid" else "softmax"
            )  # fmt: skip
            terms: tuple[tuple[float, float], ...] = ()
        else:
            rule = "hidden"
            above = net.params[f"W{layer + 1}"][:, unit]
            terms = tuple((float(w), float(d)) for w, d in zip(above, run.delta[layer + 1][i], strict=True))
        return UnitBackward(
            epoch, row, layer, unit, unit_name(sizes, layer, unit), float(run.upstream[layer][i, unit]),
            float(run.local[layer][i, unit]), float(run.delta[layer][i, unit]), rule, terms,
        )  # fmt: skip

    @cached_property
    def trace(self) -> Trace[TrainingEvent]:  # type: ignore[override]
        per_epoch = self.steps_per_epoch
        phases = [Phase(f"epoch {e}", (e - 1) * per_epoch, e * per_epoch) for e in range(1, self.epochs + 1)]
        passes: list[int] = []
        examples: list[int] = []
        units = self._units
        for epoch in range(self.epochs):
            base = epoch * per_epoch
            for batch, offset in enumerate(self._batch_offsets[:-1]):
                rows = self._batch_starts[batch + 1] - self._batch_starts[batch]
                for row in range(rows):
                    start = base + offset + row * self._per_example
                    examples.append(start)
                    passes += [start, start + units, start + units + 1]
                update = base + offset + rows * self._per_example
                examples.append(update)
                passes.append(update)
        end = self.epochs * per_epoch
        levels = {"pass": passes + [end], "example": examples + [end]}
        return Trace.lazy(end, self._event, phases, levels)

    # -- states ------------------------------------------------------------------------------------
    def state_at(self, step: int) -> MLPState:
        step = self.clamp(step)
        sizes = self.net.layer_sizes
        blank_values = np.full(sum(sizes), np.nan)
        blank_deltas = np.full(sum(sizes[1:]), np.nan)
        if step == 0:
            return MLPState(sizes, self.snapshots[0].copy(), blank_values, blank_deltas, np.nan, 1, -1, None)
        epoch, batch, row, within = self._locate(step - 1)
        update = self._update_index(epoch, batch)
        net, run = self._run(update)
        params = self.snapshots[update].copy()
        if row < 0:  # the update phase: layers 1 … within+1 already changed; values from the last example
            w_end = self._layer_end(within + 1)
            params[:w_end] = self.snapshots[update + 1][:w_end]
            last = self._batch_starts[batch + 1] - 1
            values, deltas, loss = self._example_numbers(run, last - self._batch_starts[batch], None)
            return MLPState(sizes, params, values, deltas, loss, epoch, last, ("update", within + 1, 0))
        i = row - self._batch_starts[batch]
        values, deltas, loss = self._example_numbers(run, i, within)
        state = MLPState(sizes, params, values, deltas, loss, epoch, row, None)
        event = self._event(step - 1)
        return MLPState(sizes, params, values, deltas, loss, epoch, row, state.then(event).focus)

    def _layer_end(self, layer: int) -> int:
        sizes = self.net.layer_sizes
        return sum(sizes[k] * sizes[k - 1] + sizes[k] for k in range(1, layer + 1))

    def _example_numbers(self, run: Pass, i: int, within: int | None) -> tuple[FloatArray, FloatArray, float]:
        """Values, deltas and loss of example ``i`` of the pass after ``within`` of its steps (None: all)."""
        sizes = self.net.layer_sizes
        units = self._units
        values = np.concatenate([run.a[layer][i] for layer in range(len(sizes))])
        deltas = np.concatenate([run.delta[layer][i] for layer in range(1, len(sizes))])
        loss = float(run.losses[i])
        if within is None:
            return values, deltas, loss
        values[sizes[0] + within + 1 :] = np.nan  # forward steps so far: within + 1 units
        if within < units:
            return values, np.full_like(deltas, np.nan), np.nan
        done = within - units  # backward steps so far, from the output layer down
        order = [
            sum(sizes[1:layer]) + unit
            for layer in range(len(sizes) - 1, 0, -1)
            for unit in range(sizes[layer])
        ]
        hidden = np.full_like(deltas, np.nan)
        hidden[order[:done]] = deltas[order[:done]]
        return values, hidden, loss

    # -- reading -----------------------------------------------------------------------------------
    def net_at(self, step: int) -> MLP:
        """The network with the parameters of step ``step`` (for the decision surface)."""
        flat = self.state_at(step).params
        return self.initial.with_params(_unflatten(self.initial, np.array(flat)))

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """The trained network's predictions."""
        return self.net.predict(X)

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return TRAINING_PSEUDOCODE

    def line_at(self, step: int) -> int:
        event = self.event_at(step)
        top = isinstance(event, UnitBackward) and event.layer == self.net.layers
        markers = (
            (UnitForward, "a[l]ⱼ ← g(z)"),
            (LossStep, "L ← loss"),
            (UnitBackward, "δ[L]ⱼ ←" if top else "δ[l]ⱼ ←"),
            (LayerUpdate, "W[l] ← W[l] −"),
        )
        return line_for_event(TRAINING_PSEUDOCODE, event, markers, step, len(self.trace))

    def watch_at(self, step: int) -> dict[str, str]:
        event = self.event_at(step)
        if isinstance(event, UnitForward):
            return {
                "l": str(event.layer),
                "j": event.name,
                "z": format_number(event.z),
                "a": format_number(event.value),
            }
        if isinstance(event, LossStep):
            return {"ŷ": ", ".join(format_number(v) for v in event.outputs), "L": format_number(event.loss)}
        if isinstance(event, UnitBackward):
            return {
                "l": str(event.layer),
                "j": event.name,
                "∂L/∂a": format_number(event.upstream),
                "g'(z)": format_number(event.local),
                "δ": format_number(event.delta),
            }
        if isinstance(event, LayerUpdate):
            return {
                "l": str(event.layer),
                "lr": format_number(event.lr),
                f"W{event.layer}": _grid(event.weights),
            }
        return {}

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if isinstance(event, UnitForward):
            return number_question(
                f"{event.name} = {_g(event.activation)}({_sum(event.weights, event.inputs, event.bias)}) = ?",
                event.value,
                event.describe(),
                decimals=3,
            )
        if isinstance(event, UnitBackward) and event.rule != "softmax":
            return number_question(
                f"∂L/∂z of {event.name} = {format_number(event.upstream)} × g'(z) = ?",
                event.delta,
                event.describe(),
                decimals=3,
            )
        if isinstance(event, LayerUpdate):
            grads = np.array(event.grad_w)
            row, col = np.unravel_index(int(np.abs(grads).argmax()), grads.shape)
            g = float(grads[row, col])
            answer = "it goes down" if g > 0 else "it goes up" if g < 0 else "it stays"
            return choice_question(
                f"∂L/∂W{event.layer}[{row + 1},{col + 1}] = {format_number(g)}."
                " What does gradient descent do to that weight?",
                ["it goes up", "it goes down", "it stays"],
                answer,
                event.describe(),
            )
        return None


def _rows(array: FloatArray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(map(float, row)) for row in array)


def _unit_at(sizes: tuple[int, ...], position: int) -> tuple[int, int]:
    """The (layer, unit) of the ``position``-th non-input unit, counting layer by layer."""
    for layer in range(1, len(sizes)):
        if position < sizes[layer]:
            return layer, position
        position -= sizes[layer]
    raise IndexError(position)


def train_mlp(
    net: MLP,
    X: ArrayLike,
    y: ArrayLike,
    epochs: int = 1000,
    lr: float = 1.0,
    batch: int | None = None,
    held_out: tuple[ArrayLike, ArrayLike] | None = None,
) -> TrainingResult:
    """Gradient descent on ``net`` (left unchanged; the result's ``net`` is the trained copy).

    Examples are visited in the order given, ``batch`` at a time (default: all of them,
    full-batch gradient descent); each batch's update uses the mean gradient of its examples.
    ``held_out = (X_dev, y_dev)``: examples never trained on, whose loss after each epoch shows
    when the network starts to overfit (``best_epoch`` is where early stopping would stop).
    """
    data = net.inputs(X)
    targets = net.targets(y, data.shape[0])
    if not isinstance(epochs, int) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError("epochs must be a whole number of at least 1.")
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError("The learning rate must be a positive number.")
    rows = data.shape[0]
    size = rows if batch is None else batch
    if not isinstance(size, int) or isinstance(size, bool) or not 1 <= size <= rows:
        raise ValueError(f"The batch size must be a whole number from 1 to the {rows} examples.")
    starts = list(range(0, rows, size)) + [rows]
    updates = epochs * (len(starts) - 1)
    current = net.copy()
    flat = _flatten(current)
    if (updates + 1) * flat.size * 8 > MAX_SNAPSHOT_BYTES:
        raise ValueError(
            f"{epochs} epochs of {updates // epochs} update(s) are too many to keep for scrubbing;"
            " use fewer epochs or larger batches."
        )
    snapshots = np.empty((updates + 1, flat.size))
    snapshots[0] = flat
    losses = np.empty(epochs)
    initial_loss = current.loss(data, targets)
    u = 0
    whole = len(starts) == 2  # full batch: each epoch's pass already measures the loss after the last
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is refused below, not warned about
        for epoch in range(epochs):
            for start, stop in zip(starts, starts[1:], strict=False):
                run = current.run(data[start:stop], targets[start:stop])
                if whole and epoch:
                    losses[epoch - 1] = run.losses.mean()
                for name, grad in current.gradients_of(run).items():
                    current.params[name] = current.params[name] - lr * grad
                u += 1
                snapshots[u] = _flatten(current)
            if not whole or epoch == epochs - 1:
                losses[epoch] = current.loss(data, targets)
            if not np.isfinite(snapshots[u]).all() or (epoch and not np.isfinite(losses[epoch - 1])):
                raise ValueError(
                    f"The weights stopped being finite numbers in epoch {epoch + 1}; lower the learning rate."
                )
        if not np.isfinite(losses[-1]):
            raise ValueError("The loss stopped being a finite number; lower the learning rate.")
    dev_losses = np.zeros(0)
    if held_out is not None:
        dev_x = net.inputs(held_out[0])
        dev_y = net.targets(held_out[1], dev_x.shape[0])
        # The loss after each epoch, from the parameters the epoch ends with.
        per_epoch = len(starts) - 1
        trained = net.copy()
        dev_losses = np.empty(epochs)
        for epoch in range(epochs):
            trained.params = _unflatten(net, snapshots[(epoch + 1) * per_epoch])
            dev_losses[epoch] = trained.loss(dev_x, dev_y)
    return TrainingResult(
        net.copy(), current, data, targets, epochs, float(lr), size, losses, initial_loss, snapshots,
        dev_losses,
    )  # fmt: skip
