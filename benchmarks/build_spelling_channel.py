"""Build ``algorithms/resources/spelling_channel.json``: the default channel's confusion counts.

The counts are learned (:func:`algorithms.spelling_channel.count_edits`) from the training
split (nine pairs in ten, :func:`algorithms.misspellings.split_pairs`) of codespell's list
of real misspellings in ``../shared/data/misspellings``; the held-out tenth is what tests
and ``benchmarks/bench_spelling.py`` score. Only the counts ship with the app (four
27 × 27 matrices and letter counts), not the list.

Run: ``python -m benchmarks.build_spelling_channel`` (about 15 s).
"""

from __future__ import annotations

import time

from algorithms.misspellings import parse_misspellings, split_pairs
from algorithms.spelling_channel import count_edits
from benchmarks.common import ROOT

SOURCE = ROOT.parent / "shared" / "data" / "misspellings" / "codespell-dictionary.txt"
TARGET = ROOT / "algorithms" / "resources" / "spelling_channel.json"


def main() -> None:
    start = time.perf_counter()
    training, held_out = split_pairs(parse_misspellings(SOURCE.read_text("utf-8").splitlines()))
    counts = count_edits(training)
    TARGET.write_text(counts.to_json() + "\n", "utf-8")
    edits = {kind: sum(m.values()) for kind, m in counts.matrices.items()}
    print(
        f"{len(training):,} training pairs ({counts.trained_on:,} within two edits), "
        f"{len(held_out):,} held out; "
        f"edits counted {edits}; wrote {TARGET.relative_to(ROOT)} in {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
