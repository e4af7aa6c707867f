"""Words two edits from a typo, for the optional distance-2 search (stated wherever it is used).

SLP3's corrector looks one edit away; about one real misspelling in six (codespell's
list) is two edits from its word. Generating every string two edits away (Norvig's way)
is a quarter of a million strings for an eight-letter typo. Instead, as SymSpell does,
every word of the vocabulary is indexed under the strings it becomes with up to two
letters deleted; a typo's own deletions look up the words that might be two edits away,
and a restricted Damerau–Levenshtein distance keeps those that are. The index is built
the first time it is needed (about 7 s and half a gigabyte for 82,765 words), so the
one-edit corrector, which the panels use, never pays for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from algorithms.spelling_channel import Edit, alignment_edits

__all__ = ["DeletesIndex", "osa_distance"]


def _deletes(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def osa_distance(a: str, b: str, limit: int = 2) -> int:
    """Restricted Damerau–Levenshtein distance of two short words, ``limit + 1`` if it is more."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            best = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, previous2[j - 2] + 1)
            row[j] = best
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return min(previous[-1], limit + 1)


class DeletesIndex:
    """Every word under each string it becomes with up to two letters deleted."""

    def __init__(self, words: Iterable[str]) -> None:
        self._index: dict[str, list[str]] = {}
        for word in words:
            for key in _deletes(word, 2):
                self._index.setdefault(key, []).append(word)

    def two_edit_words(self, typo: str) -> list[tuple[str, tuple[Edit, ...]]]:
        """Words exactly two edits from ``typo``, each with the two edits of its alignment."""
        seen: set[str] = set()
        found: list[tuple[str, tuple[Edit, ...]]] = []
        for key in _deletes(typo, 2):
            for word in self._index.get(key, ()):
                if word in seen:
                    continue
                seen.add(word)
                if osa_distance(word, typo) == 2:
                    found.append((word, tuple(alignment_edits(typo, word))))
        found.sort(key=lambda pair: pair[0])
        return found
