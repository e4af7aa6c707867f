"""Neural networks against scikit-learn, in the same run: XOR solved rates and time per epoch.

* XOR solved rate: 100 seeds (0–99) of a 2-H-1 sigmoid network, H = 2, 3, 4, trained by ours
  with the lesson's settings (cross-entropy, lr 1, full batch, 5,000 epochs, Glorot-uniform
  weights, zero biases). Solved = all four examples right at the end. The same rate is
  measured for scikit-learn's ``MLPClassifier`` with the same settings (plain SGD, no
  momentum, no L2, batch 4, no shuffling, no early stop) and its own initialisation.
* Time per epoch on XOR (4 examples, batch 4) and on 200 two-moons points (batch 20),
  ours (which keeps every update's parameters so any step can be scrubbed) against
  ``MLPClassifier.fit`` divided by its epochs; the median of 5 runs.

Run: ``python -m benchmarks.bench_neural`` (writes benchmarks/results/neural.json).
"""

from __future__ import annotations

import statistics
import time
import warnings
from typing import Any

import numpy as np

from algorithms.neural import MLP, train_mlp
from benchmarks.common import ROOT, report

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0])
EPOCHS = 5000
SEEDS = range(100)


def _peer(hidden: int, seed: int, epochs: int, batch: int) -> Any:
    from sklearn.neural_network import MLPClassifier

    return MLPClassifier(
        hidden_layer_sizes=(hidden,), activation="logistic", solver="sgd", learning_rate_init=1.0,
        momentum=0.0, nesterovs_momentum=False, alpha=0.0, batch_size=batch, max_iter=epochs, tol=0.0,
        n_iter_no_change=10**9, shuffle=False, random_state=seed,
    )  # fmt: skip


def _fit_quietly(model: Any, X: np.ndarray, y: np.ndarray) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "maximum iterations reached": that is the point
        return model.fit(X, y)


def _moons(n: int = 200, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=n, noise=0.15, random_state=seed)
    return X, y


def _per_epoch(function: Any, epochs: int, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) / epochs)
    return statistics.median(times)


def main() -> None:
    results: dict[str, Any] = {"epochs": EPOCHS, "seeds": len(SEEDS)}
    for hidden in (2, 3, 4):
        solved = 0
        for seed in SEEDS:
            trained = train_mlp(MLP([2, hidden, 1], seed=seed), XOR_X, XOR_Y, epochs=EPOCHS, lr=1.0)
            solved += bool((trained.predict(XOR_X) == XOR_Y).all())
        results[f"xor_solved_h{hidden}"] = solved / len(SEEDS)
        peer_solved = sum(
            bool((_fit_quietly(_peer(hidden, seed, EPOCHS, 4), XOR_X, XOR_Y).predict(XOR_X) == XOR_Y).all())
            for seed in SEEDS
        )
        results[f"xor_solved_h{hidden}_sklearn"] = peer_solved / len(SEEDS)

    epochs = 2000
    ours = _per_epoch(lambda: train_mlp(MLP([2, 2, 1], seed=1), XOR_X, XOR_Y, epochs=epochs), epochs)
    theirs = _per_epoch(lambda: _fit_quietly(_peer(2, 1, epochs, 4), XOR_X, XOR_Y), epochs)
    results |= {
        "xor_epoch_ours_us": round(ours * 1e6, 1),
        "xor_epoch_sklearn_us": round(theirs * 1e6, 1),
        "xor_epoch_ratio": round(ours / theirs, 2),
    }
    X, y = _moons()
    epochs = 200
    ours = _per_epoch(
        lambda: train_mlp(MLP([2, 8, 1], seed=0), X, y, epochs=epochs, lr=0.5, batch=20), epochs
    )
    theirs = _per_epoch(lambda: _fit_quietly(_peer(8, 0, epochs, 20), X, y), epochs)
    results |= {
        "moons_epoch_ours_us": round(ours * 1e6, 1),
        "moons_epoch_sklearn_us": round(theirs * 1e6, 1),
        "moons_epoch_ratio": round(ours / theirs, 2),
    }
    report(
        results,
        {"xor_solved_h2": (">=", 0.5), "xor_epoch_ratio": ("<=", 3.0), "moons_epoch_ratio": ("<=", 3.0)},
        ROOT / "benchmarks" / "results" / "neural.json",
    )


if __name__ == "__main__":
    main()
