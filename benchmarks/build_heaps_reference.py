"""Build ``algorithms/resources/models/heaps_ewt.json``: the vocabulary growth of UD EWT.

The Tokens view draws the user's own text on top of this curve, so a class sees that a
paragraph sits at the bottom-left of the same power law |V| = k·N^β that a treebank
follows. The text of every sentence of EWT dev and test (the ``# text`` lines, in file
order) is tokenised with :func:`algorithms.tokenization.tokenize`; the curve is sampled
at sizes spaced evenly on a log scale (so a log-log plot has its points evenly spread),
and k and β are :func:`algorithms.tokenization.heaps_law`'s least-squares fit.

Run: ``python -m benchmarks.build_heaps_reference`` (writes the file and prints k, β).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from algorithms.tokenization import heaps_law, tokenize
from benchmarks.common import ROOT

DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"
TARGET = ROOT / "algorithms" / "resources" / "models" / "heaps_ewt.json"
PARTS = ("dev", "test")


def ewt_tokens() -> list[str]:
    """Every token of EWT dev then test, as this project's tokeniser splits the raw text."""
    import conllu

    tokens: list[str] = []
    for part in PARTS:
        with (DATA / f"en_ewt-ud-{part}.conllu").open(encoding="utf-8") as file:
            for sentence in conllu.parse_incr(file):
                tokens += tokenize(sentence.metadata["text"]).tokens
    return tokens


def reference(tokens: list[str], points: int = 30) -> dict[str, Any]:
    """The shipped record: the fit and (N, |V|) at ``points`` log-spaced sizes from 10 to N."""
    k, beta, _ = heaps_law(tokens)
    seen: set[str] = set()
    growth = []
    for token in tokens:
        seen.add(token)
        growth.append(len(seen))
    sizes = sorted({int(round(n)) for n in np.geomspace(10, len(tokens), points)})
    return {
        "source": "UD English EWT dev + test, tokenised by algorithms.tokenization.tokenize",
        "k": round(k, 6),
        "beta": round(beta, 6),
        "curve": [[n, growth[n - 1]] for n in sizes],
    }


def main() -> None:
    record = reference(ewt_tokens())
    TARGET.write_text(json.dumps(record) + "\n", encoding="utf-8")
    last = record["curve"][-1]
    print(f"N = {last[0]:,} tokens, |V| = {last[1]:,} types; k = {record['k']:.3f}, β = {record['beta']:.3f}")
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
