"""The channel of noisy-channel spelling: single edits, their confusion counts, P(x|w).

SLP3 (Appendix B, after Kernighan, Church and Gale 1990) models a typo ``x`` of an
intended word ``w`` as one edit, counted in four confusion matrices:

* ``del[x,y]``: how often the letters ``xy`` were typed as ``x`` (the typo lacks ``y``);
* ``ins[x,y]``: how often ``x`` was typed as ``xy`` (the typo has an extra ``y``);
* ``sub[x,y]``: how often ``y`` was typed as ``x`` (typed letter first, as in SLP3's
  ``sub[x_i, w_i]``);
* ``trans[x,y]``: how often ``xy`` was typed as ``yx``.

``P(x|w)`` divides the edit's count by how often its intended letters occur:
``del[w_{i-1}, w_i] / count[w_{i-1} w_i]``, ``ins[w_{i-1}, x_i] / count[w_{i-1}]``,
``sub[x_i, w_i] / count[w_i]``, ``trans[w_i, w_{i+1}] / count[w_i w_{i+1}]``. A word's
start is the letter ``#``, so "cress" typed "acress" is ``ins[#, a] / count[#]``.

Counts are learned from pairs of (typo, correct word): each pair is aligned by the
edit-distance engine with transpositions (restricted Damerau–Levenshtein) and every edit
of the alignment is counted. The letter counts of the denominators come from the same
pairs' correct words, so an estimate reads "of the times these letters were meant, how
often were they typed this way". Add-``k`` smoothing (one by default) is a stated choice:
``(count + k) / (letters + k·27)``, 27 being the letters and ``#``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources

from algorithms.edit_distance import edit_distance

__all__ = [
    "ALPHABET",
    "BOUNDARY",
    "EDIT_KINDS",
    "EDIT_MEANINGS",
    "Edit",
    "ConfusionCounts",
    "single_edits",
    "alignment_edits",
    "count_edits",
]

ALPHABET = "abcdefghijklmnopqrstuvwxyz"
#: The letter before a word's first letter, in the matrices and the letter counts.
BOUNDARY = "#"
EDIT_KINDS = ("del", "ins", "sub", "trans")
#: What each matrix counts, for titles and narration.
EDIT_MEANINGS = {
    "del": "xy typed as x",
    "ins": "x typed as xy",
    "sub": "y typed as x",
    "trans": "xy typed as yx",
}


@dataclass(frozen=True)
class Edit:
    """One edit that turns the intended word into the typo.

    ``kind`` is del, ins, sub or trans; ``x`` and ``y`` index its matrix as SLP3 writes
    them; ``position`` is where in the typo it happens (0-based); ``typed`` and
    ``intended`` are the letters on each side (SLP3's x|w column: ``c|ct`` for acress
    from actress).
    """

    kind: str
    x: str
    y: str
    position: int
    typed: str
    intended: str

    @property
    def letters(self) -> str:
        """The typed and intended letters as SLP3's table prints them: ``c|ct``."""
        return f"{self.typed}|{self.intended}"

    @property
    def denominator(self) -> str:
        """The intended letters whose count divides this edit's count."""
        return {"del": self.x + self.y, "ins": self.x, "sub": self.y, "trans": self.x + self.y}[self.kind]

    def describe(self) -> str:
        what = {
            "del": f"'{self.y}' left out after '{self.x}'",
            "ins": f"'{self.y}' typed after '{self.x}'",
            "sub": f"'{self.x}' typed for '{self.y}'",
            "trans": f"'{self.x}{self.y}' typed as '{self.y}{self.x}'",
        }[self.kind]
        return f"{self.kind}[{self.x},{self.y}]: {what}"


def single_edits(typo: str, vocabulary: Container[str] | None = None) -> Iterator[tuple[str, Edit]]:
    """Every (word, edit) with the word one edit from ``typo``, by kind then position.

    The order is SLP3's: deletions (the word has a letter the typo lacks), insertions,
    substitutions, transpositions. ``vocabulary`` (anything with ``in``: a set, a dict of
    counts, a prior) keeps the real words only.
    """
    known = vocabulary
    n = len(typo)

    def keep(word: str) -> bool:
        return word != typo and (known is None or word in known)

    for i in range(n + 1):  # del: the intended word has a letter after typo[:i]
        before = typo[i - 1] if i else BOUNDARY
        for letter in ALPHABET:
            word = typo[:i] + letter + typo[i:]
            if keep(word):
                yield word, Edit("del", before, letter, i, before, before + letter)
    for i in range(n):  # ins: typo[i] is extra
        before = typo[i - 1] if i else BOUNDARY
        word = typo[:i] + typo[i + 1 :]
        if keep(word):
            typed = (typo[i - 1] if i else "") + typo[i]
            yield word, Edit("ins", before, typo[i], i, typed, typo[i - 1] if i else "#")
    for i in range(n):  # sub
        for letter in ALPHABET:
            if letter != typo[i]:
                word = typo[:i] + letter + typo[i + 1 :]
                if keep(word):
                    yield word, Edit("sub", typo[i], letter, i, typo[i], letter)
    for i in range(n - 1):  # trans: the typo swapped word[i], word[i+1]
        if typo[i] != typo[i + 1]:
            word = typo[:i] + typo[i + 1] + typo[i] + typo[i + 2 :]
            if keep(word):
                intended = typo[i + 1] + typo[i]
                yield word, Edit("trans", intended[0], intended[1], i, typo[i : i + 2], intended)


def alignment_edits(typo: str, word: str) -> list[Edit]:
    """The edits of the edit-distance engine's alignment of ``word`` (intended) with ``typo``.

    Restricted Damerau–Levenshtein (a swap of neighbours is one edit); where several
    alignments are optimal, the engine's backtrace chooses one.
    """
    result = edit_distance(word, typo, transpositions=True)
    edits: list[Edit] = []
    typed_at = 0  # position in the typo
    previous = BOUNDARY  # the intended word's letter before this point
    alignment = result.alignment
    k = 0
    while k < len(alignment):
        op, intended, typed = alignment[k]
        if op == "match":
            previous = str(intended)
            typed_at += 1
        elif op == "del":  # the typo lacks the intended letter
            edits.append(Edit("del", previous, str(intended), typed_at, previous, previous + str(intended)))
            previous = str(intended)
        elif op == "ins":  # the typo has an extra letter; SLP3 indexes ins by the typo's letter before it
            before = typo[typed_at - 1] if typed_at else BOUNDARY
            edits.append(
                Edit("ins", before, str(typed), typed_at, before.replace(BOUNDARY, "") + str(typed), before)
            )
            typed_at += 1
        elif op == "sub":
            edits.append(Edit("sub", str(typed), str(intended), typed_at, str(typed), str(intended)))
            previous = str(intended)
            typed_at += 1
        else:  # "trans": two entries, the intended pair in order
            first, second = str(intended), str(alignment[k + 1][1])
            edits.append(Edit("trans", first, second, typed_at, second + first, first + second))
            previous = second
            typed_at += 2
            k += 1
        k += 1
    return edits


@dataclass
class ConfusionCounts:
    """The four confusion matrices and the letter counts that divide them."""

    matrices: dict[str, Counter[tuple[str, str]]] = field(
        default_factory=lambda: {kind: Counter() for kind in EDIT_KINDS}
    )
    letters: Counter[str] = field(default_factory=Counter)  # single letters, '#' for word starts
    pairs: Counter[str] = field(default_factory=Counter)  # two-letter sequences, '#a' at a start
    #: Pairs read, and how many of them were used (aligned to at least one edit).
    trained_on: int = 0

    def count(self, edit: Edit) -> float:
        return float(self.matrices[edit.kind][(edit.x, edit.y)])

    def letters_count(self, letters: str) -> float:
        return float(self.pairs[letters] if len(letters) == 2 else self.letters[letters])

    def add_word(self, word: str) -> None:
        padded = BOUNDARY + word
        self.letters.update(padded)
        self.pairs.update(padded[i : i + 2] for i in range(len(padded) - 1))

    def to_json(self) -> str:
        return json.dumps(
            {
                "matrices": {
                    k: {f"{x}{y}": c for (x, y), c in sorted(m.items())} for k, m in self.matrices.items()
                },
                "letters": dict(sorted(self.letters.items())),
                "pairs": dict(sorted(self.pairs.items())),
                "trained_on": self.trained_on,
            },
            indent=0,
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> ConfusionCounts:
        data = json.loads(text)
        counts = cls()
        for kind in EDIT_KINDS:
            counts.matrices[kind] = Counter(
                {(key[0], key[1]): int(c) for key, c in data["matrices"][kind].items()}
            )
        counts.letters = Counter({k: int(v) for k, v in data["letters"].items()})
        counts.pairs = Counter({k: int(v) for k, v in data["pairs"].items()})
        counts.trained_on = int(data["trained_on"])
        return counts

    @classmethod
    def bundled(cls) -> ConfusionCounts:
        """The counts learned from the training split of codespell's misspelling list (see the
        resource's builder, ``benchmarks/build_spelling_channel.py``)."""
        text = resources.files("algorithms.resources").joinpath("spelling_channel.json").read_text("utf-8")
        return cls.from_json(text)


def count_edits(pairs: Iterable[tuple[str, str]], max_edits: int = 2) -> ConfusionCounts:
    """Confusion counts from (typo, correct) pairs: each pair's alignment, every edit counted.

    Pairs more than ``max_edits`` edits apart are skipped (a rewrite, not a slip), as are
    pairs with letters outside a–z. Letter counts come from the correct words of the
    pairs used.
    """
    counts = ConfusionCounts()
    letters = set(ALPHABET)
    for typo, word in pairs:
        typo, word = typo.lower(), word.lower()
        if typo == word or not typo or not word or not set(typo) <= letters or not set(word) <= letters:
            continue
        edits = alignment_edits(typo, word)
        if not edits or len(edits) > max_edits:
            continue
        for edit in edits:
            counts.matrices[edit.kind][(edit.x, edit.y)] += 1
        counts.add_word(word)
        counts.trained_on += 1
    return counts
