"""The perceptron (SLP3 §7.2): a linear classifier trained one example a step.

ŷ = 1 if w·x + b > 0 else 0, and after each example w ← w + lr·(y − ŷ)·x, b ← b + lr·(y − ŷ),
starting from zero weights and visiting the examples in order. Training stops after
the first epoch with no error (``converged``) or after ``epochs``. On data that no
line separates (XOR) the weights at the start of an epoch come back to an earlier
epoch's: ``cycle`` names the two epochs, the proof that it never converges.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from algorithms.quiz import Question, choice_question
from algorithms.trace import Phase, State, StepEvent, StepwiseResult, Trace, format_number, line_for_event

__all__ = [
    "perceptron_train",
    "PerceptronResult",
    "PerceptronStep",
    "PerceptronState",
    "PERCEPTRON_PSEUDOCODE",
]


def _vector(values: NDArray[np.float64]) -> str:
    return "(" + ", ".join(format_number(float(v)) for v in values) + ")"


@dataclass(frozen=True)
class PerceptronStep(StepEvent):
    """One example: the score, the prediction, the error and the weights after the update."""

    epoch: int
    index: int
    x: tuple[float, ...]
    y: int
    score: float
    prediction: int
    weights: tuple[float, ...]  # after the update
    bias: float
    lr: float

    @property
    def error(self) -> int:
        return self.y - self.prediction

    def describe(self, style: str = "plain") -> str:
        x = _vector(np.array(self.x))
        head = (
            f"Epoch {self.epoch}, example {self.index + 1}: x = {x}, w·x + b = {format_number(self.score)}"
            f" → ŷ = {self.prediction}, y = {self.y}"
        )
        if not self.error:
            return head + ": right, no update."
        sign = "+" if self.error > 0 else "−"
        return (
            f"{head}: wrong, so w ← w {sign} {format_number(self.lr)}·x = {_vector(np.array(self.weights))},"
            f" b ← b {sign} {format_number(self.lr)} = {format_number(self.bias)}."
        )


@dataclass(frozen=True, eq=False)
class PerceptronState(State):
    """The weights and bias, the example just seen, and the errors so far in its epoch."""

    weights: NDArray[np.float64]
    bias: float
    epoch: int
    index: int  # -1 before the first example
    errors: int  # in the current epoch, up to and including the example

    def then(self, event: StepEvent) -> PerceptronState:
        if not isinstance(event, PerceptronStep):
            raise TypeError(f"the perceptron does not change with {type(event).__name__}")
        errors = (0 if event.epoch != self.epoch else self.errors) + (event.error != 0)
        return PerceptronState(np.array(event.weights), event.bias, event.epoch, event.index, errors)


PERCEPTRON_PSEUDOCODE = (
    "function PERCEPTRON(examples, epochs, lr) returns w, b",
    "  w ← 0; b ← 0",
    "  for each epoch, for each example (x, y) in order:",
    "    ŷ ← 1 if w·x + b > 0 else 0",
    "    if ŷ ≠ y:  w ← w + lr·(y − ŷ)·x;  b ← b + lr·(y − ŷ)   ▷ move the line towards x",
    "  stop after an epoch with no error (converged), or after the last epoch",
    "  return w, b",
)


@dataclass(frozen=True, eq=False)
class PerceptronResult(StepwiseResult[StepEvent, PerceptronState]):
    """The trained weights, whether an epoch went without error, and the trace of every example."""

    X: NDArray[np.float64]
    y: NDArray[np.int64]
    weights: NDArray[np.float64]
    bias: float
    converged: bool
    epochs_run: int
    cycle: tuple[int, int] | None  # (earlier epoch, epoch) that started from the same weights
    trace: Trace[StepEvent]

    def state_at(self, step: int) -> PerceptronState:
        step = self.clamp(step)
        if step == 0:
            return PerceptronState(np.zeros(self.X.shape[1]), 0.0, 1, -1, 0)
        event = self.trace[step - 1]
        assert isinstance(event, PerceptronStep)
        first = step - 1 - event.index  # the epoch's first step
        errors = sum(self.trace[k].error != 0 for k in range(first, step))  # type: ignore[attr-defined]
        return PerceptronState(np.array(event.weights), event.bias, event.epoch, event.index, errors)

    def predict(self, X: ArrayLike) -> NDArray[np.int64]:
        """0/1 by the trained line."""
        scores = np.asarray(X, dtype=float) @ self.weights + self.bias
        return (scores > 0).astype(np.int64)

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return PERCEPTRON_PSEUDOCODE

    def line_at(self, step: int) -> int:
        event = self.event_at(step)
        marker = "if ŷ ≠ y" if isinstance(event, PerceptronStep) and event.error else "ŷ ← 1 if"
        return line_for_event(
            PERCEPTRON_PSEUDOCODE, event, ((PerceptronStep, marker),), step, len(self.trace)
        )

    def watch_at(self, step: int) -> dict[str, str]:
        event = self.event_at(step)
        if not isinstance(event, PerceptronStep):
            return {}
        return {
            "x": _vector(np.array(event.x)),
            "y": str(event.y),
            "w·x + b": format_number(event.score),
            "ŷ": str(event.prediction),
            "w": _vector(np.array(event.weights)),
            "b": format_number(event.bias),
        }

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if not isinstance(event, PerceptronStep):
            return None
        answer = {1: "w moves towards x (+)", -1: "w moves away from x (−)", 0: "no update"}[event.error]
        return choice_question(
            f"Example {event.index + 1}, x = {_vector(np.array(event.x))}, y = {event.y}:"
            " what does the update do?",
            ["w moves towards x (+)", "w moves away from x (−)", "no update"],
            answer,
            event.describe(),
        )


def perceptron_train(X: ArrayLike, y: ArrayLike, epochs: int = 50, lr: float = 1.0) -> PerceptronResult:
    """Train a perceptron on rows ``X`` with 0/1 labels ``y``, one example a step."""
    data = np.asarray(X, dtype=float)
    labels = np.asarray(y)
    if data.ndim != 2 or data.shape[0] == 0 or data.shape[1] == 0:
        raise ValueError("X must be a table of examples: one row each, one column per feature.")
    if labels.shape != (data.shape[0],):
        raise ValueError(
            f"y must have one label per example: X has {data.shape[0]} rows, y has {labels.size}."
        )
    if not np.isin(labels, (0, 1)).all():
        raise ValueError("The perceptron's labels are 0 and 1.")
    if not np.isfinite(data).all():
        raise ValueError("X holds a value that is not a finite number.")
    if not isinstance(epochs, int) or epochs < 1:
        raise ValueError("epochs must be a whole number of at least 1.")
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError("The learning rate must be a positive number.")
    labels = labels.astype(np.int64)
    w, b = np.zeros(data.shape[1]), 0.0
    events: list[StepEvent] = []
    starts: dict[tuple[tuple[float, ...], float], int] = {}
    converged, cycle, epoch = False, None, 0
    for epoch in range(1, epochs + 1):
        key = (tuple(w), b)
        if cycle is None and key in starts:
            cycle = (starts[key], epoch)
        starts.setdefault(key, epoch)
        errors = 0
        for index, (x, target) in enumerate(zip(data, labels, strict=True)):
            score = float(x @ w + b)
            prediction = int(score > 0)
            error = int(target) - prediction
            if error:
                errors += 1
                w = w + lr * error * x
                b = b + lr * error
            after = PerceptronStep(
                epoch, index, tuple(map(float, x)), int(target), score, prediction,
                tuple(map(float, w)), float(b), float(lr),
            )  # fmt: skip
            events.append(after)
        if errors == 0:
            converged = True
            break
    n = data.shape[0]
    phases = [Phase(f"epoch {e}", (e - 1) * n, e * n) for e in range(1, epoch + 1)]
    trace = Trace.from_events(events, phases)
    return PerceptronResult(data, labels, w, float(b), converged, epoch, cycle, trace)
