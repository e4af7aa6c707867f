"""The HMM panel's model sources: built-in models and trained taggers (cached).

A panel input names its model as plain JSON so lessons can store it:
``"ice-cream"`` or ``"pos-small"`` (built in), ``{"hmm": {...}}`` (a hand-made
model, as :meth:`HMM.to_dict` writes it) or ``{"conllu": path, "column":
"upos", "heldout": path | None}`` (a tagger trained on a treebank).
:class:`HMMInputs` declares the panel's inputs, the model among them.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from algorithms.corpora import TAG_COLUMNS, read_tagged_conllu
from algorithms.hmm import HMM, evaluate, most_frequent_tag_baseline
from visualizer.declared import Inputs, choice, custom, flag, text, whole
from visualizer.panels.base import NUMBER_STYLE_LABELS

__all__ = [
    "BUILTIN_MODELS",
    "ALGORITHM_LABELS",
    "HMMInputs",
    "TrainedTagger",
    "build_model",
    "train_tagger",
    "model_label",
]

ALGORITHM_LABELS = {"viterbi": "Viterbi", "forward": "Forward", "backward": "Backward"}

#: SLP3 Appendix A, Fig. A.2: Jason Eisner's ice-cream task.
ICE_CREAM = {
    "states": ["HOT", "COLD"],
    "symbols": ["1", "2", "3"],
    "start": [0.8, 0.2],
    "transition": [[0.6, 0.4], [0.5, 0.5]],
    "emission": [[0.2, 0.4, 0.4], [0.5, 0.4, 0.1]],
}

#: A small hand-made tagger: "back", "can", "will", "fish", "book" and "bill" are ambiguous.
POS_SMALL = {
    "states": ["PRON", "AUX", "VERB", "DET", "NOUN", "ADV"],
    "symbols": ["I", "you", "they", "will", "can", "back", "fish", "book", "bill", "the", "a", "now"],
    "start": [0.45, 0.05, 0.05, 0.30, 0.10, 0.05],
    "transition": [
        [0.02, 0.45, 0.40, 0.03, 0.05, 0.05],
        [0.05, 0.02, 0.75, 0.05, 0.03, 0.10],
        [0.15, 0.02, 0.03, 0.40, 0.20, 0.20],
        [0.01, 0.01, 0.03, 0.01, 0.90, 0.04],
        [0.05, 0.20, 0.35, 0.10, 0.15, 0.15],
        [0.10, 0.10, 0.40, 0.20, 0.10, 0.10],
    ],
    "emission": [
        [0.40, 0.30, 0.30, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0.55, 0.45, 0, 0, 0, 0, 0, 0, 0],
        [0, 0, 0, 0.05, 0.10, 0.20, 0.25, 0.25, 0.15, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0.65, 0.35, 0],
        [0, 0, 0, 0.10, 0.10, 0.15, 0.20, 0.25, 0.20, 0, 0, 0],
        [0, 0, 0, 0, 0, 0.40, 0, 0, 0, 0, 0, 0.60],
    ],
}

BUILTIN_MODELS: dict[str, tuple[str, dict[str, Any]]] = {
    "ice-cream": ("Ice cream (SLP3 App. A)", ICE_CREAM),
    "pos-small": ("Small hand-made tagger", POS_SMALL),
}


@dataclass
class TrainedTagger:
    """A tagger trained on a CoNLL-U file, with its held-out scores if a held-out file was given."""

    hmm: HMM
    source: str
    column: str
    tokens: int
    heldout: str | None = None
    accuracy: float | None = None
    baseline: float | None = None
    heldout_tokens: int = 0

    def summary(self) -> str:
        text = (
            f"Trained on {os.path.basename(self.source)} ({self.tokens:,} tokens, "
            f"{len(self.hmm.states)} {self.column.upper()} tags, {len(self.hmm.symbols) - 1:,} words)."
        )
        if self.accuracy is not None and self.baseline is not None:
            text += (
                f" Held-out accuracy on {os.path.basename(self.heldout or '')} "
                f"({self.heldout_tokens:,} tokens): {self.accuracy:.3f}; "
                f"most-frequent-tag baseline {self.baseline:.3f}."
            )
        return text


_CACHE: dict[tuple[str, float, str, str | None], TrainedTagger] = {}


def _cache_key(source: str, column: str, heldout: str | None) -> tuple[str, float, str, str | None]:
    try:
        return (os.path.abspath(source), os.path.getmtime(source), column, heldout)
    except OSError as problem:
        raise ValueError(f"Cannot read {source}: {problem.strerror or problem}.") from None


def _cached(source: str, column: str, heldout: str | None) -> TrainedTagger | None:
    return _CACHE.get(_cache_key(source, column, heldout))


def train_tagger(
    source: str,
    column: str = "upos",
    heldout: str | None = None,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> TrainedTagger:
    """Read, train and (optionally) score a tagger; cached by file, modification time and options.

    ``progress`` gets a fraction of the whole job. Runs in a worker thread in
    the GUI; ValueError names a bad file, InterruptedError means cancelled.
    """
    key = _cache_key(source, column, heldout)
    if key in _CACHE:
        return _CACHE[key]
    report = progress or (lambda fraction: None)
    share = 0.6 if heldout else 0.9
    train = read_tagged_conllu(source, column, lambda f: report(f * share), cancelled)
    hmm = HMM.train(train, cancelled=cancelled)
    tagger = TrainedTagger(hmm, source, column, sum(map(len, train)))
    if heldout:
        test = read_tagged_conllu(heldout, column, lambda f: report(share + f * 0.2), cancelled)
        if cancelled is not None and cancelled():
            raise InterruptedError("training was cancelled")
        tagger.heldout = heldout
        tagger.accuracy, tagger.heldout_tokens = evaluate(hmm, test)
        tagger.baseline = most_frequent_tag_baseline(train, test)
    report(1.0)
    _CACHE[key] = tagger
    return tagger


def build_model(
    source: Any, train: Callable[[str, str, str | None], TrainedTagger] | None = None
) -> tuple[HMM, TrainedTagger | None]:
    """The HMM a panel input names (see the module docstring); ValueError if it cannot be built.

    ``train(conllu, column, heldout)`` trains a tagger that is not cached yet (the GUI passes
    one that runs :func:`train_tagger` in a worker); by default it runs here.
    """
    if isinstance(source, str):
        if source not in BUILTIN_MODELS:
            known = ", ".join(BUILTIN_MODELS)
            raise ValueError(f"There is no built-in model called {source!r}; the built-in ones are {known}.")
        return HMM.from_dict(BUILTIN_MODELS[source][1]), None
    if isinstance(source, dict) and "hmm" in source:
        renormalise = source.get("renormalise", False)
        if not isinstance(renormalise, bool):
            raise ValueError(f'The model\'s "renormalise" must be true or false; got {renormalise!r}.')
        return HMM.from_dict(source["hmm"], renormalise=renormalise), None
    if isinstance(source, dict) and "conllu" in source:
        conllu, column, heldout = source["conllu"], source.get("column", "upos"), source.get("heldout")
        if not isinstance(conllu, str) or not conllu:
            raise ValueError(f'The tagger\'s "conllu" must be the path of a CoNLL-U file; got {conllu!r}.')
        if column not in TAG_COLUMNS:
            raise ValueError(
                f'The tagger\'s "column" must be one of {", ".join(TAG_COLUMNS)}; got {column!r}.'
            )
        if heldout is not None and not isinstance(heldout, str):
            raise ValueError(
                f'The tagger\'s "heldout" must be the path of a CoNLL-U file or null; got {heldout!r}.'
            )
        cached = _cached(conllu, column, heldout or None)
        tagger = cached or (train or train_tagger)(conllu, column, heldout or None)
        return tagger.hmm, tagger
    raise ValueError("The model must be a built-in name, {'hmm': {...}} or {'conllu': path}.")


def model_label(source: Any) -> str:
    """A short name of the model for titles and the model box."""
    if isinstance(source, str) and source in BUILTIN_MODELS:
        return BUILTIN_MODELS[source][0]
    if isinstance(source, dict) and "conllu" in source:
        return f"Tagger from {os.path.basename(str(source['conllu']))}"
    return "Hand-made model"


def _model_source(value: Any) -> Any:
    if not isinstance(value, str | dict):
        raise ValueError(
            f'The HMM input "model" must be a model name, a file or a model object; got {value!r}.'[:200]
        )
    return value


@dataclass(frozen=True)
class HMMInputs(Inputs):
    """A model (built in, hand-made or trained), the observations, the algorithm and how numbers read."""

    WHAT = "HMM"
    model: Any = custom(
        "Model", "ice-cream", "The HMM: a built-in name, a model object or a treebank", _model_source
    )
    observations: str = text(
        "Observations", "", "the observations", placeholder="observations separated by spaces, e.g. 3 1 3"
    )
    algorithm: str = choice(
        "Algorithm", "viterbi", ALGORITHM_LABELS,
        "Viterbi: the best path (max). Forward: P(O) (sum). Backward: β, right to left.", "--algorithm",
    )  # fmt: skip
    numbers: str = choice(
        "Numbers", "plain", NUMBER_STYLE_LABELS, "How probabilities are written in the trellis and narration",
        "--numbers", redraw_only=True,
    )  # fmt: skip
    top_k: int = whole(
        "edges", 4, "How many incoming terms of the current node to draw (the strongest)", "--top-k", 1, 50,
        redraw_only=True,
    )  # fmt: skip
    all_backpointers: bool = flag(
        "all backpointers", False,
        "Viterbi: draw every node's backpointer, not only the current column's and the best path",
        "--all-backpointers", redraw_only=True,
    )  # fmt: skip

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        """The declared options, plus where the model comes from: --model, or --conllu with --column."""
        super().add_arguments(parser)
        names = ", ".join(BUILTIN_MODELS)
        parser.add_argument(
            "--model",
            default="ice-cream",
            help=f"a built-in model ({names}) or a model JSON file (default: ice-cream)",
        )
        parser.add_argument("--conllu", metavar="FILE", help="train a tagger on this CoNLL-U file instead")
        parser.add_argument(
            "--column", choices=("upos", "xpos"), default="upos", help="tag column (with --conllu)"
        )
        parser.add_argument(
            "--observations",
            help="the observations (default: 3 1 3 for ice-cream, 'I will back the bill' for the taggers)",
        )

    @classmethod
    def from_arguments(cls, arguments: argparse.Namespace) -> dict[str, Any]:
        values = super().from_arguments(arguments)
        if arguments.conllu:
            model: Any = {"conllu": arguments.conllu, "column": arguments.column}
        elif arguments.model in BUILTIN_MODELS:
            model = arguments.model
        else:
            model = {"hmm": HMM.load(arguments.model).to_dict()}
        observations = arguments.observations
        if observations is None:  # something every model can read (pos-small has no "3")
            if model == "ice-cream":
                observations = "3 1 3"
            elif isinstance(model, dict) and "hmm" in model:
                observations = " ".join(model["hmm"]["symbols"][:3])
            else:
                observations = "I will back the bill"
        return {**values, "model": model, "observations": observations}
