"""The big real inputs each panel is held to (issue 13): one builder for the tests and the benchmarks.

A 40-character pair for edit distance; a 25-word UD sentence for the HMM tagger
(trained on UD dev); a 15-word sentence for CKY on L1; the UD dev corpus for the
n-gram and skip-gram panels; a 30-token projective UD sentence for the
dependency parser; 25 words of a UD sentence checked for real-word errors (hundreds of
candidate sentences) for spelling; a 2-8-8-1 network trained 500 epochs on 200 two-moons
points in batches of 20 (3.5 million steps) for the neural panel; shift-reduce searching
all of a 9-word L1 sentence's parses (22,642 steps) for parse search. The UD inputs need
``../shared/data/ud-english-ewt``; without it only the edit-distance, CKY and neural inputs
are returned (and parse search's).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"
#: Panel order of the tests and tables.
PANELS = (
    "edit-distance",
    "spelling",
    "hmm",
    "cky",
    "parse-search",
    "ngram",
    "embeddings",
    "dependency",
    "neural",
)


def _letters_only(sentences: list[list[tuple[str, str]]]) -> list[str]:
    """The words of the first long sentence that are all letters, lower-cased (what the corrector reads)."""
    for sentence in sentences:
        words = [word.lower() for word, _ in sentence if word.isalpha() and word.isascii()]
        if len(words) >= 25:
            return words
    return []


def _two_moons(n: int) -> str:
    """Two interleaving half circles with noise (scikit-learn's make_moons, written out: no sklearn here)."""
    import numpy as np

    rng = np.random.default_rng(0)
    angle, label = rng.uniform(0, np.pi, n), rng.integers(0, 2, n)
    x = np.where(label == 1, np.cos(angle), 1 - np.cos(angle)) + rng.normal(0, 0.15, n)
    y = np.where(label == 1, np.sin(angle), 0.5 - np.sin(angle)) + rng.normal(0, 0.15, n)
    return "; ".join(f"{a:.3f} {b:.3f} {c}" for a, b, c in zip(x, y, label, strict=True))


def big_inputs() -> dict[str, dict[str, Any]]:
    """Panel name → the inputs to give ``panel.set_inputs`` (over the panel's own)."""
    rng = random.Random(40)
    inputs: dict[str, dict[str, Any]] = {
        "edit-distance": {
            "source": "".join(rng.choice("abcdefghij ") for _ in range(40)),
            "target": "".join(rng.choice("abcdefghij ") for _ in range(40)),
        },
        "neural": {
            "view": "network",
            "data": "custom",
            "points": _two_moons(200),
            "hidden": "8 8",
            "epochs": 500,
            "lr": 0.5,
            "batch": 20,
            "seed": 0,
            "weights": "",
        },  # fmt: skip
        "parse-search": {
            "strategy": "shift-reduce",
            "grammar": "l1",
            "mode": "auto",
            "moves": [],
            "sentence": "does she prefer the flight from Houston to NWA",
        },  # fmt: skip
        "cky": {
            "grammar": "l1",
            "sentence": "book the flight through Houston" + " through Houston" * 5,
            "mode": "cky",
        },
    }
    if not DATA.exists():
        return inputs
    from algorithms.corpora import read_tagged_conllu
    from algorithms.dependency import read_conllu

    dev = read_tagged_conllu(DATA / "en_ewt-ud-dev.conllu")
    test = read_tagged_conllu(DATA / "en_ewt-ud-test.conllu")
    corpus = "\n".join(" ".join(word for word, _ in sentence) for sentence in dev)
    long_sentence = next(s for s in test if len(s) >= 25)
    trees = read_conllu(str(DATA / "en_ewt-ud-test.conllu"))
    index = next(i for i, t in enumerate(trees) if len(t) == 30 and t.is_projective()) + 1
    inputs |= {
        "hmm": {
            "model": {"conllu": str(DATA / "en_ewt-ud-dev.conllu"), "column": "upos"},
            "observations": " ".join(word for word, _ in long_sentence[:25]),
            "algorithm": "viterbi",
        },
        "ngram": {"corpus": corpus, "sentence": " ".join(word for word, _ in test[3])},
        "embeddings": {"source": corpus, "mode": "sgns", "epochs": 1, "dim": 20},
        "dependency": {"conllu": str(DATA / "en_ewt-ud-test.conllu"), "index": index, "mode": "oracle"},
        "spelling": {"mode": "sentence", "sentence": " ".join(_letters_only(test)[:25])},
    }
    return inputs
