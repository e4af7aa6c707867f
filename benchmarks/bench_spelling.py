"""Spelling correction: top-1 accuracy and corrections per second, ours against three peers.

Every corrector gets the same typos and, where it allows, the same vocabulary and word
counts (symspellpy's packaged 82,765-word English list, which is also our prior):

* **ours**: :class:`algorithms.spelling.NoisyChannel` (channel learned from codespell's
  training split, P(x|w)·P(w)), looking two edits away when no word is one edit away
  (``max_distance=2``); and the same at one edit only, as SLP3 describes it;
* **Norvig**: the corrector of Norvig's essay, written here as a baseline: the most
  frequent known word among the typo itself, then one edit, then two edits away;
* **pyspellchecker** (Norvig's method, packaged), loaded with the same word counts;
* **symspellpy** (symmetric-delete search), the same counts, its best suggestion within two edits.

Test sets: the held-out tenth of codespell's list (``../shared/data/misspellings``, pairs
whose correction is in the vocabulary and whose typo is not), and, if given with
``--norvig FILE ...``, test sets in Norvig's ``right: wrong1 wrong2`` format (his
spell-testset1/2 from the Birkbeck corpus, which are not in this repository). Accuracy
counts a typo as corrected when the first suggestion is the right word. Speed is
corrections per second over all the held-out typos (and the median time of one), index
building excluded (its time is reported).

Run: ``python -m benchmarks.bench_spelling [--quick] [--norvig spell-testset1.txt spell-testset2.txt]``
"""

from __future__ import annotations

import argparse
import json
import statistics
import string
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from algorithms.misspellings import parse_misspellings, split_pairs
from algorithms.spelling import NoisyChannel
from algorithms.spelling_prior import packaged_prior
from benchmarks.common import ROOT, report

CODESPELL = ROOT.parent / "shared" / "data" / "misspellings" / "codespell-dictionary.txt"
LETTERS = string.ascii_lowercase


class Norvig:
    """Norvig's corrector (norvig.com/spell-correct.html) over the shared word counts."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts

    def edits1(self, word: str) -> set[str]:
        splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
        deletes = [a + b[1:] for a, b in splits if b]
        transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
        replaces = [a + c + b[1:] for a, b in splits if b for c in LETTERS]
        inserts = [a + c + b for a, b in splits for c in LETTERS]
        return set(deletes + transposes + replaces + inserts)

    def known(self, words: set[str]) -> set[str]:
        return {w for w in words if w in self.counts}

    def correct(self, word: str) -> str:
        candidates = (
            self.known({word})
            or self.known(self.edits1(word))
            or self.known({e2 for e1 in self.edits1(word) for e2 in self.edits1(e1)})
            or {word}
        )
        return max(candidates, key=lambda w: self.counts.get(w, 0))


def _peers(counts: dict[str, int]) -> dict[str, tuple[Callable[[str], str], float]]:
    """Each corrector and the seconds it took to build."""
    from spellchecker import SpellChecker
    from symspellpy import SymSpell, Verbosity

    built: dict[str, tuple[Callable[[str], str], float]] = {}
    channel = NoisyChannel.default()
    start = time.perf_counter()
    channel.candidates("qxqxqxqxqx", max_distance=2)  # no word one edit away: builds the deletes index
    built["ours"] = (lambda w: _first(channel.rank(w, max_distance=2), w), time.perf_counter() - start)
    built["ours_one_edit"] = (lambda w: _first(channel.rank(w), w), 0.0)  # SLP3's corrector as written
    built["norvig"] = (Norvig(counts).correct, 0.0)
    start = time.perf_counter()
    spell = SpellChecker(language=None, distance=2)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "counts.json"
        path.write_text(json.dumps(counts))
        spell.word_frequency.load_dictionary(str(path))
    built["pyspellchecker"] = (lambda w: spell.correction(w) or w, time.perf_counter() - start)
    start = time.perf_counter()
    symspell = SymSpell(max_dictionary_edit_distance=2)
    for word, count in counts.items():
        symspell.create_dictionary_entry(word, count)

    def symspell_correct(word: str) -> str:
        found = symspell.lookup(word, Verbosity.TOP, max_edit_distance=2)
        return found[0].term if found else word

    built["symspellpy"] = (symspell_correct, time.perf_counter() - start)
    return built


def _first(ranking: list[tuple[str, float]], typo: str) -> str:
    return ranking[0][0] if ranking else typo


def codespell_held_out(counts: dict[str, int]) -> list[tuple[str, str]]:
    pairs = parse_misspellings(CODESPELL.read_text("utf-8").splitlines())
    _, held_out = split_pairs(pairs)
    return [(typo, right) for typo, right in held_out if right in counts and typo not in counts]


def norvig_set(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text("utf-8").splitlines():
        right, _, wrongs = line.partition(":")
        pairs.extend((wrong, right.strip()) for wrong in wrongs.split())
    return pairs


def measure(sets: dict[str, list[tuple[str, str]]]) -> dict[str, float]:
    counts = dict(packaged_prior().counts)
    results: dict[str, float] = {}
    for name, (correct, build_seconds) in _peers(counts).items():
        key = name
        results[f"{key}_build_s"] = round(build_seconds, 2)
        for set_name, pairs in sets.items():
            right, times = 0, []
            for typo, expected in pairs:
                start = time.perf_counter()
                answer = correct(typo)
                times.append(time.perf_counter() - start)
                right += answer == expected
            results[f"{key}_{set_name}_top1"] = round(right / len(pairs), 4)
            if set_name == "codespell":  # throughput over the whole set, and the typical typo
                results[f"{key}_corrections_per_s"] = round(len(times) / sum(times), 1)
                results[f"{key}_median_ms"] = round(statistics.median(times) * 1000, 3)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first 500 held-out pairs only")
    parser.add_argument(
        "--norvig", nargs="*", default=[], help="test sets in Norvig's 'right: wrong …' format"
    )
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "spelling.json"))
    arguments = parser.parse_args()
    if not CODESPELL.exists():
        raise SystemExit(f"needs {CODESPELL} (see ../shared/data/README.md)")
    sets = {"codespell": codespell_held_out(dict(packaged_prior().counts))}
    if arguments.quick:
        sets["codespell"] = sets["codespell"][:500]
    for path in arguments.norvig:
        sets[Path(path).stem.replace("-", "_")] = norvig_set(Path(path))
    print({name: len(pairs) for name, pairs in sets.items()})
    results = measure(sets)
    targets: dict[str, tuple[str, float]] = {"ours_corrections_per_s": (">=", 1000.0)}
    peers = ("norvig", "pyspellchecker", "symspellpy")
    for set_name in sets:
        best_peer = max(results[f"{p}_{set_name}_top1"] for p in peers)
        targets[f"ours_{set_name}_top1"] = (">=", best_peer)
    for name, published in (("spell_testset1", 0.75), ("spell_testset2", 0.68)):
        if name in sets:  # Norvig's published accuracies on his own test sets
            targets[f"ours_{name}_top1"] = (">=", max(published, targets[f"ours_{name}_top1"][1]))
    report(results, targets, arguments.output)


if __name__ == "__main__":
    main()
