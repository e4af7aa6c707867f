"""The n-gram panel's inputs, declared once: corpus, sentence, n, the smoothing and its number, the view."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from visualizer.declared import Inputs, choice, number, text, whole
from visualizer.marks.ngram import LABELS
from visualizer.panels.corpus import BUILTIN_CORPORA, read_corpus_file

__all__ = ["NGramInputs", "PARAMETER", "VIEWS"]

VIEWS = {"score": "Score a sentence", "sample": "Sample (Shannon)"}
#: The one number each smoothing takes, by smoothing.
PARAMETER = {"add-k": "k", "stupid-backoff": "alpha", "kneser-ney": "discount"}


@dataclass(frozen=True)
class NGramInputs(Inputs):
    """A corpus (a built-in name or its text), the sentence, n, the smoothing and its number, the view."""

    WHAT = "language-model"
    SCHEMA = 2  # 2: "lambdas" is text; schema 1 also took a list of numbers

    corpus: str = text(
        "Corpus", "slp3-toy", "the training corpus, one sentence per line", "--corpus",
        "one sentence per line; <s> and </s> are optional", True, tuple(BUILTIN_CORPORA), read_corpus_file,
    )  # fmt: skip
    sentence: str = text(
        "Sentence", "I am Sam", "the sentence to score", "--sentence", "a sentence to score, e.g. I am Sam"
    )
    view: str = choice("View", "score", VIEWS, "score or sample", "--view")
    order: int = whole("n =", 2, "n (1 = unigram, 2 = bigram, 3 = trigram …)", "--order", 1, 5)
    smoothing: str = choice("Smoothing", "mle", LABELS, "How unseen n-grams get probability", "--smoothing")
    k: float = number("k =", 0.5, "add-k's k", "--k", 0.001, 10.0)
    alpha: float = number("α =", 0.4, "stupid backoff's α", "--alpha", 0.01, 1.0)
    discount: float = number("d =", 0.75, "Kneser–Ney's d", "--discount", 0.01, 0.99)
    lambdas: str = text(
        "λs", "", "interpolation λs, highest order first, e.g. '0.7 0.3'", "--lambdas", "λs, e.g. 0.7 0.3"
    )
    unk_threshold: int = whole(
        "<UNK> below", 0, "Training words seen fewer times than this become <UNK> (0: closed vocabulary)",
        "--unk-threshold", 0, 100,
    )  # fmt: skip
    seed: int = whole("seed", 0, "the sampling seed", "--seed", 0, 1_000_000)

    @classmethod
    def migrate(cls, values: dict[str, Any], schema: int) -> dict[str, Any]:
        """Schema 1 allowed the λs as a list of numbers."""
        lambdas = values.get("lambdas")
        if isinstance(lambdas, list):
            if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in lambdas):
                raise ValueError(
                    f'The language-model input "lambdas" must be numbers; got {lambdas!r}.'[:200]
                )
            values["lambdas"] = " ".join(map(str, lambdas))
        return values
