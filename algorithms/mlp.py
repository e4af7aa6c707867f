"""A feed-forward network in SLP3's notation (§7.3–7.5): h = g(W x + b), one layer after another.

Weights are stored as SLP3 writes them: ``W`` of layer l has one row per unit of
layer l and one column per unit of the layer below, so ``z = W @ a + b``. Hidden
layers use the chosen activation; the output is a sigmoid for one output unit
and a softmax for several (cross-entropy), or sigmoids for every output unit
with squared error. Losses and gradients are means over the examples given.

Everything here is the whole-batch arithmetic; :mod:`algorithms.mlp_training`
steps through the same numbers one unit at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["MLP", "ACTIVATIONS", "LOSSES", "Pass"]

ACTIVATIONS = ("sigmoid", "tanh", "relu")
LOSSES = ("cross-entropy", "squared")

FloatArray = NDArray[np.float64]


def sigmoid(z: FloatArray) -> FloatArray:
    """1 / (1 + e^-z), computed without overflow for large |z|."""
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def activate(name: str, z: FloatArray) -> FloatArray:
    """g(z) for a hidden activation or an output (``softmax`` normalises each row)."""
    if name == "sigmoid":
        return sigmoid(z)
    if name == "tanh":
        return np.asarray(np.tanh(z), dtype=float)
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "softmax":
        shifted = np.exp(z - z.max(axis=-1, keepdims=True))
        return np.asarray(shifted / shifted.sum(axis=-1, keepdims=True), dtype=float)
    raise ValueError(f"Unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}.")


def derivative(name: str, z: FloatArray, a: FloatArray) -> FloatArray:
    """g'(z), written with the value a = g(z) where the textbook does: σ' = a(1 − a), tanh' = 1 − a²."""
    if name == "sigmoid":
        return a * (1.0 - a)
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return (z > 0).astype(float)
    raise ValueError(f"No element-wise derivative for {name!r}.")


@dataclass(frozen=True, eq=False)
class Pass:
    """One forward and backward pass over rows of examples: every layer's z, a and δ = ∂L/∂z.

    ``a[0]`` is the input; ``z[l]``, ``a[l]`` and ``delta[l]`` for l ≥ 1 belong to layer l
    (``z[0]`` and ``delta[0]`` are empty placeholders so indices match the layer numbers).
    ``losses`` is one loss per example; ``upstream[l]`` is ∂L/∂a of layer l, the factor
    the chain rule multiplies by g'(z) (for a softmax output it is not defined alone, and
    holds NaN).
    """

    z: tuple[FloatArray, ...]
    a: tuple[FloatArray, ...]
    delta: tuple[FloatArray, ...]
    upstream: tuple[FloatArray, ...]
    local: tuple[FloatArray, ...]
    losses: FloatArray
    targets: FloatArray


class MLP:
    """A feed-forward network ``layer_sizes = [inputs, hidden…, outputs]`` with Glorot-uniform weights.

    ``params`` maps ``W1, b1, W2, b2, …`` to arrays; edit them through :meth:`with_param`
    (which returns a new network) so a trace made earlier never changes under you.
    """

    def __init__(
        self,
        layer_sizes: list[int] | tuple[int, ...],
        activation: str = "sigmoid",
        seed: int | None = 0,
        loss: str = "cross-entropy",
    ) -> None:
        sizes = tuple(layer_sizes)
        if len(sizes) < 2:
            raise ValueError("A network needs at least an input layer and an output layer.")
        if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n >= 1 for n in sizes):
            raise ValueError("Every layer size must be a whole number of at least 1.")
        if activation not in ACTIVATIONS:
            raise ValueError(f"Unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}.")
        if loss not in LOSSES:
            raise ValueError(f"Unknown loss {loss!r}; choose one of {', '.join(LOSSES)}.")
        self.layer_sizes: tuple[int, ...] = tuple(int(n) for n in sizes)
        self.activation = activation
        self.loss_name = loss
        self.seed = seed
        rng = np.random.default_rng(seed)
        self.params: dict[str, FloatArray] = {}
        for layer, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:], strict=False), start=1):
            limit = np.sqrt(6.0 / (fan_in + fan_out))  # Glorot & Bengio (2010), uniform
            self.params[f"W{layer}"] = rng.uniform(-limit, limit, size=(fan_out, fan_in))
            self.params[f"b{layer}"] = np.zeros(fan_out)

    # -- shape ---------------------------------------------------------------------------------------
    @property
    def layers(self) -> int:
        """The number of weight layers (hidden layers + 1)."""
        return len(self.layer_sizes) - 1

    @property
    def output_activation(self) -> str:
        """sigmoid for one output or squared error; softmax for several outputs with cross-entropy."""
        if self.layer_sizes[-1] == 1 or self.loss_name == "squared":
            return "sigmoid"
        return "softmax"

    def activation_of(self, layer: int) -> str:
        """The activation of layer ``layer`` (1-based)."""
        return self.output_activation if layer == self.layers else self.activation

    def copy(self) -> MLP:
        """The same network with its own copies of the arrays."""
        twin = MLP.__new__(MLP)
        twin.layer_sizes, twin.activation, twin.loss_name, twin.seed = (
            self.layer_sizes, self.activation, self.loss_name, self.seed,
        )  # fmt: skip
        twin.params = {name: value.copy() for name, value in self.params.items()}
        return twin

    def with_param(self, name: str, index: tuple[int, ...] | int, value: float) -> MLP:
        """A copy with one weight or bias set: ``net.with_param("W1", (0, 1), 2.5)``."""
        if name not in self.params:
            raise ValueError(f"This network has no parameter {name!r}; it has {', '.join(self.params)}.")
        if not np.isfinite(value):
            raise ValueError(f"{name} must be a finite number.")
        twin = self.copy()
        try:
            twin.params[name][index] = float(value)
        except IndexError:
            raise ValueError(f"{name} has shape {self.params[name].shape}; {index} is outside it.") from None
        return twin

    def with_params(self, params: Mapping[str, ArrayLike]) -> MLP:
        """A copy whose parameters are ``params`` (same names and shapes)."""
        twin = self.copy()
        for name, value in params.items():
            array = np.array(value, dtype=float)
            if name not in twin.params or array.shape != twin.params[name].shape:
                raise ValueError(f"{name} does not fit this network.")
            twin.params[name] = array
        return twin

    # -- data ----------------------------------------------------------------------------------------
    def inputs(self, X: ArrayLike) -> FloatArray:
        """``X`` as rows of examples (one example may be given as a flat vector)."""
        data = np.asarray(X, dtype=float)
        if data.ndim == 1:
            data = data[None, :]
        if data.ndim != 2 or data.shape[1] != self.layer_sizes[0]:
            raise ValueError(
                f"Each example needs {self.layer_sizes[0]} input value(s); got shape {np.shape(X)}."
            )
        if not np.isfinite(data).all():
            raise ValueError("An input is not a finite number.")
        return data

    def targets(self, y: ArrayLike, rows: int) -> FloatArray:
        """Labels as one row of target outputs per example (0/1 for one output, one-hot for several)."""
        labels = np.atleast_1d(np.asarray(y))
        outputs = self.layer_sizes[-1]
        if labels.ndim == 2 and labels.shape == (rows, outputs):  # already one row per example
            return labels.astype(float)
        if labels.shape != (rows,):
            raise ValueError(f"y must have one label per example: {rows} example(s), {labels.size} label(s).")
        if not np.all(np.equal(np.mod(labels, 1), 0)):
            raise ValueError("Labels are whole numbers: 0/1, or a class number for several outputs.")
        labels = labels.astype(int)
        classes = 2 if outputs == 1 else outputs
        if labels.min() < 0 or labels.max() >= classes:
            raise ValueError(f"Labels must be between 0 and {classes - 1} for {outputs} output unit(s).")
        if outputs == 1:
            return labels[:, None].astype(float)
        return np.asarray(np.eye(outputs)[labels], dtype=float)

    # -- arithmetic ----------------------------------------------------------------------------------
    def run(self, X: ArrayLike, y: ArrayLike) -> Pass:
        """Forward and backward through every layer: the numbers the trace shows, for all rows at once."""
        a_in = self.inputs(X)
        target = self.targets(y, a_in.shape[0])
        zs: list[FloatArray] = [np.empty((a_in.shape[0], 0))]
        acts: list[FloatArray] = [a_in]
        for layer in range(1, self.layers + 1):
            z = acts[-1] @ self.params[f"W{layer}"].T + self.params[f"b{layer}"]
            zs.append(z)
            acts.append(activate(self.activation_of(layer), z))
        out = acts[-1]
        losses = self._losses(zs[-1], out, target)
        upstream: list[FloatArray] = [np.empty(0)] * (self.layers + 1)
        local: list[FloatArray] = [np.empty(0)] * (self.layers + 1)
        deltas: list[FloatArray] = [np.empty(0)] * (self.layers + 1)
        top = self.layers
        if self.loss_name == "squared":
            upstream[top] = out - target
            local[top] = derivative("sigmoid", zs[top], out)
            deltas[top] = upstream[top] * local[top]
        elif self.output_activation == "sigmoid":
            # ∂L/∂ŷ × σ'(z) = (ŷ − y)/(ŷ(1 − ŷ)) × ŷ(1 − ŷ) = ŷ − y; the product is exact, the factors shown.
            with np.errstate(divide="ignore", invalid="ignore"):
                upstream[top] = (out - target) / (out * (1.0 - out))
            local[top] = derivative("sigmoid", zs[top], out)
            deltas[top] = out - target
        else:  # softmax with cross-entropy: ∂L/∂z = ŷ − y, not a product of per-unit factors
            upstream[top] = np.full_like(out, np.nan)
            local[top] = np.full_like(out, np.nan)
            deltas[top] = out - target
        for layer in range(top - 1, 0, -1):
            upstream[layer] = deltas[layer + 1] @ self.params[f"W{layer + 1}"]
            local[layer] = derivative(self.activation, zs[layer], acts[layer])
            deltas[layer] = upstream[layer] * local[layer]
        deltas[0] = np.empty((a_in.shape[0], 0))
        return Pass(tuple(zs), tuple(acts), tuple(deltas), tuple(upstream), tuple(local), losses, target)

    def _losses(self, z: FloatArray, out: FloatArray, target: FloatArray) -> FloatArray:
        if self.loss_name == "squared":
            return np.asarray(0.5 * ((out - target) ** 2).sum(axis=1), dtype=float)
        if self.output_activation == "sigmoid":
            # −[y log σ(z) + (1 − y) log(1 − σ(z))], with log σ(z) = −log(1 + e^−z) kept finite.
            log_p = -np.logaddexp(0.0, -z)
            log_not_p = -np.logaddexp(0.0, z)
            return np.asarray(-(target * log_p + (1 - target) * log_not_p).sum(axis=1), dtype=float)
        shifted = z - z.max(axis=1, keepdims=True)
        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return np.asarray(-(target * log_softmax).sum(axis=1), dtype=float)

    def forward(self, X: ArrayLike) -> FloatArray:
        """The output layer's values ŷ, one row per example."""
        a = self.inputs(X)
        for layer in range(1, self.layers + 1):
            a = activate(self.activation_of(layer), a @ self.params[f"W{layer}"].T + self.params[f"b{layer}"])
        return a

    def loss(self, X: ArrayLike, y: ArrayLike) -> float:
        """The mean loss over the examples (cross-entropy, or ½ squared error)."""
        return float(self.run(X, y).losses.mean())

    def gradients(self, X: ArrayLike, y: ArrayLike) -> dict[str, FloatArray]:
        """Backpropagation: ∂(mean loss)/∂ every parameter, under the names of :attr:`params`."""
        return self.gradients_of(self.run(X, y))

    def gradients_of(self, run: Pass) -> dict[str, FloatArray]:
        """The parameter gradients from a pass already made: ∂L/∂W = δ aᵀ, ∂L/∂b = δ, averaged."""
        rows = run.a[0].shape[0]
        grads: dict[str, FloatArray] = {}
        for layer in range(1, self.layers + 1):
            grads[f"W{layer}"] = run.delta[layer].T @ run.a[layer - 1] / rows
            grads[f"b{layer}"] = np.asarray(run.delta[layer].mean(axis=0), dtype=float)
        return grads

    def predict_proba(self, X: ArrayLike) -> FloatArray:
        """P(class 1) per example for one output unit; the softmax row for several."""
        out = self.forward(X)
        return out[:, 0] if self.layer_sizes[-1] == 1 else out

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """0/1 (threshold ½) for one output unit, the arg-max class for several."""
        out = self.forward(X)
        if self.layer_sizes[-1] == 1:
            return (out[:, 0] > 0.5).astype(np.int64)
        return np.asarray(out.argmax(axis=1), dtype=np.int64)

    def __repr__(self) -> str:
        return f"MLP({list(self.layer_sizes)}, activation={self.activation!r}, seed={self.seed!r})"
