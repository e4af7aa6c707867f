"""The neural shift-reduce parser of the course (Chen & Manning 2014), in numpy.

Features of a configuration: the words and POS tags of the top three stack
items and the first three buffer items, of the two leftmost and two rightmost
dependents of the top two stack items, and of the leftmost-of-leftmost and
rightmost-of-rightmost dependents (18 words, 18 tags), plus the arc labels of
the 12 dependents. They are embedded, concatenated, passed through one ReLU
hidden layer and a softmax over the transitions (SHIFT, LEFTARC(label),
RIGHTARC(label), and REDUCE for arc-eager). Training uses the static oracle's
sequences with Adam; at parse time illegal transitions are masked out.

Models are saved as ``.npz`` (arrays) plus ``.json`` (vocabularies and
settings) — plain data, never pickle.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from algorithms.checks import real_number, whole_number
from algorithms.dependency import (
    SYSTEMS,
    TRANSITIONS,
    Configuration,
    DependencyTree,
    Transition,
    apply,
    illegal_reason,
    oracle_transitions,
)
from algorithms.files import atomic_path, atomic_write_text, read_text_file
from algorithms.progress import Cancelled, Progress, stop_if_cancelled

__all__ = ["ParserModel", "train", "train_parser", "FEATURE_NAMES"]

NULL, UNKNOWN, ROOT = "<NULL>", "<UNK>", "<ROOT>"
_POSITIONS = ["s1", "s2", "s3", "b1", "b2", "b3"]
_CHILDREN = [
    "lc1(s1)", "rc1(s1)", "lc2(s1)", "rc2(s1)", "lc1(s2)", "rc1(s2)", "lc2(s2)", "rc2(s2)",
    "lc1(lc1(s1))", "rc1(rc1(s1))", "lc1(lc1(s2))", "rc1(rc1(s2))",
]  # fmt: skip
#: The 18 token positions whose word and tag are features (the last 12 also give a label).
FEATURE_NAMES = (*_POSITIONS, *_CHILDREN)


def _positions(config: Configuration) -> list[int]:
    """Token indices of the 18 feature positions (-1 = nothing there, 0 = ROOT)."""
    stack, n = config.stack, config.n
    s = [stack[-k] if len(stack) >= k else -1 for k in (1, 2, 3)]
    b = [config.next + k if config.next + k <= n else -1 for k in (0, 1, 2)]
    left: dict[int, list[int]] = {}
    right: dict[int, list[int]] = {}
    for dependent in range(1, n + 1):
        head = config.heads[dependent]
        if head >= 0:
            (left if dependent < head else right).setdefault(head, []).append(dependent)

    def lc(token: int, k: int) -> int:
        children = left.get(token, []) if token >= 0 else []
        return children[k - 1] if len(children) >= k else -1  # ascending: leftmost first

    def rc(token: int, k: int) -> int:
        children = right.get(token, []) if token >= 0 else []
        return children[-k] if len(children) >= k else -1

    children = []
    for top in s[:2]:
        children += [lc(top, 1), rc(top, 1), lc(top, 2), rc(top, 2)]
    children += [lc(lc(s[0], 1), 1), rc(rc(s[0], 1), 1), lc(lc(s[1], 1), 1), rc(rc(s[1], 1), 1)]
    return [*s, *b, *children]


@dataclass
class ParserModel:
    """A trained parser: vocabularies, the transition classes, the network's arrays, training history."""

    system: str
    words: list[str]
    tags: list[str]
    labels: list[str]
    transitions: list[Transition]
    params: dict[str, np.ndarray]
    history: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._word_index = {w: i for i, w in enumerate(self.words)}
        self._tag_index = {t: i for i, t in enumerate(self.tags)}
        self._label_index = {label: i for i, label in enumerate(self.labels)}
        self._transition_index = {t: i for i, t in enumerate(self.transitions)}

    # -- features ------------------------------------------------------------------------------------
    def feature_ids(
        self, config: Configuration, words: Sequence[str], tags: Sequence[str] | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Word, tag and label ids of the configuration's 18 / 18 / 12 feature positions."""
        positions = _positions(config)
        word_ids, tag_ids = [], []
        for token in positions:
            if token < 0:
                word_ids.append(0)
                tag_ids.append(0)
            elif token == 0:
                word_ids.append(2)
                tag_ids.append(2)
            else:
                word_ids.append(self._word_index.get(words[token - 1].lower(), 1))
                tag_ids.append(self._tag_index.get(tags[token - 1], 1) if tags else 1)
        label_ids = [
            self._label_index.get(label, 1) if t > 0 and (label := config.labels[t]) else 0
            for t in positions[6:]
        ]
        return np.array(word_ids), np.array(tag_ids), np.array(label_ids)

    def describe_features(
        self, config: Configuration, words: Sequence[str], tags: Sequence[str] | None
    ) -> list[tuple[str, str]]:
        """(position, "word/TAG") of every feature position that holds a token (for narration)."""
        shown = []
        for name, token in zip(FEATURE_NAMES, _positions(config), strict=True):
            if token == 0:
                shown.append((name, "ROOT"))
            elif token > 0:
                tag = tags[token - 1] if tags else "?"
                label = (
                    f" ({config.labels[token]})"
                    if name.startswith(("lc", "rc")) and config.labels[token]
                    else ""
                )
                shown.append((name, f"{words[token - 1]}/{tag}{label}"))
        return shown

    # -- the network -----------------------------------------------------------------------------------
    def _forward(
        self, word_ids: np.ndarray, tag_ids: np.ndarray, label_ids: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        p = self.params
        x = np.concatenate(
            (
                p["word_embeddings"][word_ids].reshape(len(word_ids), -1),
                p["tag_embeddings"][tag_ids].reshape(len(tag_ids), -1),
                p["label_embeddings"][label_ids].reshape(len(label_ids), -1),
            ),
            axis=1,
        )
        hidden = np.maximum(x @ p["W1"] + p["b1"], 0.0)
        return x, hidden, hidden @ p["W2"] + p["b2"]

    def choose(
        self, config: Configuration, words: Sequence[str], tags: Sequence[str] | None, system: str
    ) -> tuple[Transition, tuple[tuple[str, float], ...]]:
        """The most probable legal transition and the (top) probabilities over the legal ones."""
        ids = self.feature_ids(config, words, tags)
        _, _, scores = self._forward(*(a[None, :] for a in ids))
        scores = scores[0]
        legal = np.array([not illegal_reason(config, name, system) for name, _ in self.transitions])
        if not legal.any():
            raise ValueError("No transition is legal in this configuration.")
        masked = np.where(legal, scores, -np.inf)
        probabilities = np.exp(masked - masked.max())
        probabilities /= probabilities.sum()
        best = int(np.argmax(probabilities))
        order = np.argsort(-probabilities)[:8]
        shown = tuple((_name(self.transitions[i]), float(probabilities[i])) for i in order if legal[i])
        return self.transitions[best], shown

    # -- saving ---------------------------------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write ``path`` (.npz arrays) and ``path`` with .json (vocabularies, settings, history).

        Both are written to temporary files and checked complete before either replaces
        an old model, so a full disk never leaves a truncated .npz beside a good .json.
        """
        path = Path(path)
        meta = {
            "format": "trellis-parser",
            "version": 1,
            "system": self.system,
            "words": self.words,
            "tags": self.tags,
            "labels": self.labels,
            "transitions": [list(t) for t in self.transitions],
            "history": self.history,
        }
        with atomic_path(path.with_suffix(".npz"), "npz") as arrays:
            with open(arrays, "wb") as stream:
                np.savez(stream, **self.params)  # type: ignore[arg-type]  # numpy's stub types **kwds badly
                stream.flush()
                os.fsync(stream.fileno())
            atomic_write_text(path.with_suffix(".json"), json.dumps(meta))

    @classmethod
    def load(cls, path: str | Path) -> ParserModel:
        """Read a model written by :meth:`save` (never unpickles anything); ValueError in one sentence."""
        path = Path(path)
        name = path.with_suffix(".json").name
        try:
            meta = json.loads(read_text_file(path.with_suffix(".json"), "parser model"))
        except json.JSONDecodeError as problem:
            raise ValueError(f"{name} is not valid JSON (line {problem.lineno}: {problem.msg}).") from None
        except RecursionError:
            raise ValueError(f"{name} nests its JSON too deeply to be a parser model.") from None
        if not isinstance(meta, dict) or meta.get("format") != "trellis-parser":
            raise ValueError(f"{name} is not a Trellis parser model.")
        fields = (("system", str), ("words", list), ("tags", list), ("labels", list), ("transitions", list))
        for key, kind in fields:
            if not isinstance(meta.get(key), kind):
                raise ValueError(f'{name} has no "{key}" ({kind.__name__}); it is not a whole parser model.')
        if meta["system"] not in SYSTEMS:
            raise ValueError(f"{name} has system {meta['system']!r}; it must be one of {', '.join(SYSTEMS)}.")
        transitions = []
        for item in meta["transitions"]:
            if not (isinstance(item, list) and len(item) == 2 and item[0] in TRANSITIONS):
                raise ValueError(f"{name} lists the transition {item!r}; each is [name, label].")
            transitions.append((item[0], item[1]))
        arrays = path.with_suffix(".npz")
        try:
            with np.load(arrays, allow_pickle=False) as data:
                params = {key: data[key] for key in data.files}
        except FileNotFoundError:
            raise ValueError(f"The parser model needs {arrays.name} beside {name}; it is missing.") from None
        except (OSError, ValueError):
            raise ValueError(f"{arrays.name} is not a readable parser model (.npz) file.") from None
        if not params.keys() >= _PARAMETERS:
            missing = ", ".join(sorted(_PARAMETERS - params.keys()))
            raise ValueError(f"{arrays.name} lacks the arrays {missing}; it is not a whole parser model.")
        if not _shapes_fit(params, meta, len(transitions)):
            raise ValueError(f"The arrays of {arrays.name} do not fit the vocabularies of {name}.")
        history = meta.get("history", {})
        try:
            return cls(meta["system"], meta["words"], meta["tags"], meta["labels"], transitions, params,
                       history if isinstance(history, dict) else {})  # fmt: skip
        except (KeyError, ValueError, IndexError, TypeError):
            raise ValueError(f"{arrays.name} and {name} do not fit together as one parser model.") from None


#: The arrays every saved model holds.
_PARAMETERS = frozenset({"word_embeddings", "tag_embeddings", "label_embeddings", "W1", "b1", "W2", "b2"})


def _shapes_fit(params: dict[str, np.ndarray], meta: dict[str, Any], transitions: int) -> bool:
    """The arrays agree with each other and with the vocabularies (a mismatched pair of files is refused)."""
    try:
        width = sum(
            params[key].shape[1] * count
            for key, count in (("word_embeddings", 18), ("tag_embeddings", 18), ("label_embeddings", 12))
        )
        return bool(
            params["word_embeddings"].shape[0] >= len(meta["words"])
            and params["tag_embeddings"].shape[0] >= len(meta["tags"])
            and params["label_embeddings"].shape[0] >= len(meta["labels"])
            and params["W1"].shape[0] == width
            and params["W1"].shape[1] == params["b1"].shape[-1] == params["W2"].shape[0]
            and params["W2"].shape[1] == params["b2"].shape[-1] == transitions
        )
    except (IndexError, AttributeError):
        return False


def _name(transition: Transition) -> str:
    name, label = transition
    return f"{name}({label})" if label else name


# -- training -----------------------------------------------------------------------------------------------
def _examples(
    model: ParserModel, trees: Sequence[DependencyTree], system: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    words, tags, labels, gold = [], [], [], []
    skipped = 0
    for tree in trees:
        try:
            sequence = oracle_transitions(tree, system)
        except ValueError:
            skipped += 1  # non-projective: no oracle sequence exists
            continue
        config = Configuration(len(tree))
        for transition in sequence:
            w, t, lab = model.feature_ids(config, tree.words, tree.tags)
            words.append(w)
            tags.append(t)
            labels.append(lab)
            gold.append(model._transition_index[transition])
            apply(config, transition, system)
    return np.array(words), np.array(tags), np.array(labels), np.array(gold), skipped


def train(
    trees: Sequence[DependencyTree],
    system: str = "arc-standard",
    seed: int = 0,
    *,
    epochs: int = 8,
    hidden: int = 200,
    word_dim: int = 50,
    tag_dim: int = 20,
    label_dim: int = 20,
    batch_size: int = 256,
    learning_rate: float = 0.002,
    min_word_count: int = 2,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ParserModel:
    """Train on gold trees (non-projective ones are skipped and counted in ``model.history``).

    ``progress(fraction)`` is called after every batch and ``cancelled()`` polled
    (see :mod:`algorithms.progress`), so a GUI can run this in a worker thread;
    the losses are in ``model.history``.
    """
    if isinstance(trees, str) or not isinstance(trees, Sequence) or not trees:
        raise ValueError(
            "There are no trees to train on: give a list of DependencyTree (read_conllu reads them)."
        )
    if not all(isinstance(t, DependencyTree) for t in trees):
        raise ValueError("trees must be DependencyTree objects, as read_conllu returns them.")
    if system not in SYSTEMS:
        raise ValueError(f"The system must be one of {', '.join(SYSTEMS)}; got {system!r}.")
    seed = whole_number("seed", seed, 0, 2**32 - 1)
    epochs = whole_number("epochs", epochs, 1, 200)
    hidden, batch_size = (
        whole_number("hidden", hidden, 1, 5000),
        whole_number("batch_size", batch_size, 1, 10**5),
    )
    for name, value in (("word_dim", word_dim), ("tag_dim", tag_dim), ("label_dim", label_dim)):
        whole_number(name, value, 1, 1000)
    whole_number("min_word_count", min_word_count, 1, 10**6)
    learning_rate = real_number("learning_rate", learning_rate, 0.0, 10.0, low_open=True)
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    word_counts = Counter(w.lower() for t in trees for w in t.words)
    vocabulary = [NULL, UNKNOWN, ROOT] + sorted(w for w, c in word_counts.items() if c >= min_word_count)
    tag_set = [NULL, UNKNOWN, ROOT] + sorted({tag for t in trees for tag in (t.tags or ())})
    label_set = sorted({label for t in trees for label in t.labels})
    transitions: list[Transition] = [("SHIFT", None)]
    transitions += [("LEFTARC", label) for label in label_set] + [("RIGHTARC", label) for label in label_set]
    if system == "arc-eager":
        transitions.append(("REDUCE", None))
    labels = [NULL, UNKNOWN, *label_set]
    features_in = 18 * word_dim + 18 * tag_dim + 12 * label_dim
    params = {
        "word_embeddings": rng.normal(0, 0.1, (len(vocabulary), word_dim)).astype(np.float32),
        "tag_embeddings": rng.normal(0, 0.1, (len(tag_set), tag_dim)).astype(np.float32),
        "label_embeddings": rng.normal(0, 0.1, (len(labels), label_dim)).astype(np.float32),
        "W1": (rng.normal(0, 1, (features_in, hidden)) * math.sqrt(2 / features_in)).astype(np.float32),
        "b1": np.zeros(hidden, dtype=np.float32),
        "W2": (rng.normal(0, 1, (hidden, len(transitions))) * math.sqrt(1 / hidden)).astype(np.float32),
        "b2": np.zeros(len(transitions), dtype=np.float32),
    }
    model = ParserModel(system, vocabulary, tag_set, labels, transitions, params)
    word_ids, tag_ids, label_ids, gold, skipped = _examples(model, trees, system)
    if len(gold) == 0:
        raise ValueError("None of the trees is projective, so there is nothing to train on.")
    adam = {key: (np.zeros_like(v), np.zeros_like(v)) for key, v in params.items()}
    step, losses = 0, []
    batches = math.ceil(len(gold) / batch_size)
    for epoch in range(epochs):
        order = rng.permutation(len(gold))
        total = 0.0
        for b in range(batches):
            stop_if_cancelled(cancelled, "training")
            batch = order[b * batch_size : (b + 1) * batch_size]
            loss, grads = _loss_and_gradients(
                model, word_ids[batch], tag_ids[batch], label_ids[batch], gold[batch]
            )
            step += 1
            _adam(params, grads, adam, learning_rate, step)
            total += loss * len(batch)
            if progress is not None:
                progress((epoch * batches + b + 1) / (epochs * batches))
        losses.append(total / len(gold))
    model.history = {
        "epoch_losses": losses,
        "examples": int(len(gold)),
        "trees": len(trees),
        "non_projective_skipped": skipped,
        "seconds": time.perf_counter() - start,
        "settings": {"epochs": epochs, "hidden": hidden, "word_dim": word_dim, "seed": seed},
    }
    return model


def train_parser(
    trees: Sequence[DependencyTree], system: str = "arc-standard", seed: int = 0, **options: Any
) -> ParserModel:
    """Train the neural shift-reduce parser on gold trees (the README's name for :func:`train`)."""
    return train(trees, system=system, seed=seed, **options)


def _loss_and_gradients(
    model: ParserModel, word_ids: np.ndarray, tag_ids: np.ndarray, label_ids: np.ndarray, gold: np.ndarray
) -> tuple[float, dict[str, np.ndarray]]:
    p = model.params
    x, hidden, scores = model._forward(word_ids, tag_ids, label_ids)
    scores = scores - scores.max(axis=1, keepdims=True)
    probabilities = np.exp(scores)
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    n = len(gold)
    loss = float(-np.log(np.maximum(probabilities[np.arange(n), gold], 1e-12)).mean())
    d_scores = probabilities
    d_scores[np.arange(n), gold] -= 1.0
    d_scores /= n
    grads = {"W2": hidden.T @ d_scores, "b2": d_scores.sum(axis=0)}
    d_hidden = (d_scores @ p["W2"].T) * (hidden > 0)
    grads["W1"] = x.T @ d_hidden
    grads["b1"] = d_hidden.sum(axis=0)
    d_x = d_hidden @ p["W1"].T
    word_dim = p["word_embeddings"].shape[1]
    tag_dim = p["tag_embeddings"].shape[1]
    d_words = d_x[:, : 18 * word_dim].reshape(-1, word_dim)
    d_tags = d_x[:, 18 * word_dim : 18 * (word_dim + tag_dim)].reshape(-1, tag_dim)
    d_labels = d_x[:, 18 * (word_dim + tag_dim) :].reshape(-1, p["label_embeddings"].shape[1])
    for key, ids, delta in (
        ("word_embeddings", word_ids, d_words),
        ("tag_embeddings", tag_ids, d_tags),
        ("label_embeddings", label_ids, d_labels),
    ):
        grad = np.zeros_like(p[key])
        np.add.at(grad, ids.ravel(), delta)
        grads[key] = grad
    return loss, grads


def _adam(
    params: dict[str, np.ndarray],
    grads: dict[str, np.ndarray],
    state: dict[str, tuple[np.ndarray, np.ndarray]],
    rate: float,
    step: int,
    beta1: float = 0.9,
    beta2: float = 0.999,
) -> None:
    for key, grad in grads.items():
        m, v = state[key]
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        corrected = rate * math.sqrt(1 - beta2**step) / (1 - beta1**step)
        params[key] -= (corrected * m / (np.sqrt(v) + 1e-8)).astype(params[key].dtype)
