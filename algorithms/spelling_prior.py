"""The prior of noisy-channel spelling: how likely a word is, alone or beside its neighbours.

The packaged prior reads the word-frequency lists that ``symspellpy`` ships inside its
wheel (MIT): 82,765 English words with counts, and 243,342 word pairs with counts. They
were chosen over ``wordfreq`` because they hold raw counts (SLP3's P(w) = C(w)/N can be
shown with its numbers) and pair counts for the bigram prior, in one small package with
no dependencies of its own; ``wordfreq`` gives rounded Zipf values and no pairs. The files
are read from the installed package without importing it, and nothing is downloaded.

The pair counts and the single-word counts come from different collections (the pair
``to the`` is counted more often than the word ``the``), so a bigram probability divides
by the pair counts' own row total, ``P(w|v) = C(v w) / Σ_u C(v u)``, and is interpolated
with the unigram prior (``λ = 0.5``, a stated choice) so an unseen pair is not impossible.
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = ["WordPrior", "packaged_prior", "TablePrior"]

UNIGRAM_FILE = "frequency_dictionary_en_82_765.txt"
BIGRAM_FILE = "frequency_bigramdictionary_en_243_342.txt"


@dataclass
class WordPrior:
    """Unigram P(w) = (C(w) + 1) / (N + V) and an interpolated bigram P(w | v)."""

    counts: Mapping[str, int]
    pair_counts: Mapping[tuple[str, str], int] = field(default_factory=dict)
    interpolation: float = 0.5
    source: str = "word counts"

    def __post_init__(self) -> None:
        self.total = sum(self.counts.values())
        self.size = len(self.counts)
        rows: dict[str, int] = {}
        for (v, _), c in self.pair_counts.items():
            rows[v] = rows.get(v, 0) + c
        self.rows = rows

    def __contains__(self, word: object) -> bool:
        return word in self.counts

    def count(self, word: str) -> int:
        return self.counts.get(word, 0)

    def unigram(self, word: str) -> float:
        """P(w), add-one: a word never counted is rare, not impossible (it matters only then)."""
        return (self.counts.get(word, 0) + 1) / (self.total + self.size)

    def unigram_formula(self, word: str) -> str:
        return f"P({word}) = C({word}) / N = {self.counts.get(word, 0):,} / {self.total:,}"

    def bigram(self, word: str, given: str) -> float:
        """P(word | given): the pair's relative frequency, interpolated with P(word)."""
        row = self.rows.get(given, 0)
        if row == 0:
            return self.unigram(word)
        pair = self.pair_counts.get((given, word), 0)
        return self.interpolation * pair / row + (1 - self.interpolation) * self.unigram(word)

    def bigram_formula(self, word: str, given: str) -> str:
        row = self.rows.get(given, 0)
        if row == 0:
            return f"P({word}|{given}) = P({word}) (no pairs start with '{given}')"
        pair = self.pair_counts.get((given, word), 0)
        lam = self.interpolation
        return f"P({word}|{given}) = {lam:g}·{pair:,}/{row:,} + {1 - lam:g}·P({word})"

    def sentence_log_probability(self, words: list[str]) -> float:
        """ln P(w1 … wn) under the bigram prior (the first word by its unigram)."""
        if not words:
            return 0.0
        total = math.log(self.unigram(words[0]))
        for previous, word in zip(words, words[1:], strict=False):
            total += math.log(self.bigram(word, previous))
        return total


def _package_file(name: str) -> Path:
    spec = importlib.util.find_spec("symspellpy")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("The word-frequency list needs the symspellpy package (pip install symspellpy).")
    return Path(next(iter(spec.submodule_search_locations))) / name


@cache
def packaged_prior() -> WordPrior:
    """The prior from symspellpy's packaged English word and word-pair counts (read once)."""
    counts: dict[str, int] = {}
    for line in _package_file(UNIGRAM_FILE).read_text("utf-8").splitlines():
        word, _, count = line.rpartition(" ")
        if word:
            counts[word] = int(count)
    pairs: dict[tuple[str, str], int] = {}
    for line in _package_file(BIGRAM_FILE).read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3:
            pairs[(parts[0], parts[1])] = int(parts[2])
    return WordPrior(counts, pairs, source="symspellpy's English frequency lists")


@dataclass
class TablePrior:
    """Probabilities printed in a textbook table: P(w) and P(w | v) for the words it lists."""

    unigrams: Mapping[str, float]
    bigrams: Mapping[tuple[str, str], float]
    source: str

    def __contains__(self, word: object) -> bool:
        return word in self.unigrams

    def count(self, word: str) -> int:
        return 0

    def unigram(self, word: str) -> float:
        return self.unigrams.get(word, 0.0)

    def unigram_formula(self, word: str) -> str:
        return f"P({word}) = {self.unigrams.get(word, 0.0):.3g} ({self.source})"

    def bigram(self, word: str, given: str) -> float:
        return self.bigrams.get((given, word), math.nan)

    def bigram_formula(self, word: str, given: str) -> str:
        return f"P({word}|{given}) ({self.source})"
