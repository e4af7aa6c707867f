"""Vector-semantics benchmarks: SGNS vs gensim Word2Vec, and PPMI for a 10,000-word vocabulary.

Run:  pip install -e ".[bench]"; python benchmarks/bench_embeddings.py [--quick]
Prints a table and writes benchmarks/results/embeddings.json.

SGNS: UD English EWT dev + test word forms, lower-cased (about 50k tokens);
dim 50, window 2, 5 negatives, min_count 5, 3 epochs, one thread each. gensim
also subsamples frequent words (its default sample=1e-3) and shrinks windows
at random, so it sees fewer pairs per epoch; both numbers are reported.

PPMI: a term-context matrix (window 2) over a synthetic 10,000-word Zipfian
corpus of 400k tokens (the EWT text has fewer than 10,000 types), weighted
with α = 0.75, sparse throughout; peak memory by tracemalloc.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, report  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"
TARGETS = {"sgns_ratio_to_gensim": ("<=", 10.0), "plot_step_display_median_ms": ("<=", 16.0)}


def ud_sentences() -> list[list[str]]:
    from algorithms.corpora import read_tagged_conllu

    sentences = []
    for name in ("en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"):
        sentences += [[w.lower() for w, _ in s] for s in read_tagged_conllu(DATA / name)]
    return sentences


def bench_sgns(sentences: list[list[str]], epochs: int, repeats: int) -> dict:
    from gensim.models import Word2Vec

    from algorithms.embeddings import train_sgns

    ours, theirs = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        result = train_sgns(sentences, dim=50, window=2, negatives=5, epochs=epochs, seed=0, min_count=5)
        ours.append((time.perf_counter() - start) / epochs)
        start = time.perf_counter()
        Word2Vec(
            sentences,
            vector_size=50,
            window=2,
            negative=5,
            sg=1,
            workers=1,
            epochs=epochs,
            min_count=5,
            seed=0,
        )
        theirs.append((time.perf_counter() - start) / epochs)
    pairs_per_epoch = len(result.losses) * 512 // epochs
    return {
        "sgns_tokens": sum(len(s) for s in sentences),
        "sgns_vocabulary": len(result.words),
        "sgns_pairs_per_epoch_ours": pairs_per_epoch,
        "sgns_seconds_per_epoch_ours": statistics.median(ours),
        "sgns_seconds_per_epoch_gensim": statistics.median(theirs),
        "sgns_ratio_to_gensim": statistics.median(ours) / statistics.median(theirs),
        "sgns_loss_first_epoch": result.epoch_losses[0],
        "sgns_loss_last_epoch": result.epoch_losses[-1],
    }


def bench_ppmi(tokens: int) -> dict:
    from algorithms.embeddings import ppmi, term_context_matrix

    rng = np.random.default_rng(0)
    vocabulary = np.array([f"w{i}" for i in range(10_000)])
    ranks = np.arange(1, 10_001)
    zipf = 1 / ranks
    draws = rng.choice(10_000, size=tokens, p=zipf / zipf.sum())
    # Every word at least once, so the vocabulary really has 10,000 types.
    draws[:10_000] = rng.permutation(10_000)
    words = vocabulary[draws]
    sentences = [list(words[i : i + 20]) for i in range(0, tokens, 20)]
    tracemalloc.start()
    start = time.perf_counter()
    matrix = term_context_matrix(sentences, window=2)
    counted = time.perf_counter()
    weighted = ppmi(matrix.counts, alpha=0.75)
    done = time.perf_counter()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "ppmi_vocabulary": len(matrix.words),
        "ppmi_tokens": tokens,
        "ppmi_nonzero_cells": int(weighted.nnz),
        "ppmi_count_seconds": counted - start,
        "ppmi_weight_seconds": done - counted,
        "ppmi_peak_memory_mb": peak / 2**20,
        "ppmi_dense_would_need_mb": len(matrix.words) ** 2 * 8 / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "embeddings.json"))
    arguments = parser.parse_args()
    results: dict = {}
    if DATA.exists():
        sentences = ud_sentences()
        results.update(bench_sgns(sentences, epochs=3, repeats=1 if arguments.quick else 3))
        results.update(bench_plot_display(sentences[: len(sentences) // 2], 40 if arguments.quick else 200))
    else:
        print(f"skipping SGNS: {DATA} is absent")
    results.update(bench_ppmi(100_000 if arguments.quick else 400_000))
    report(results, TARGETS, arguments.output)


def bench_plot_display(sentences: list[list[str]], samples: int) -> dict:
    """Random steps of an SGNS animation with 2,000 plotted words in the main window (1400 × 900)."""
    import os
    import random
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from visualizer.app import MainWindow
    from visualizer.settings import SettingsStore

    app = QApplication.instance() or QApplication([])
    text = "\n".join(" ".join(s) for s in sentences)
    with tempfile.TemporaryDirectory() as config:
        window = MainWindow(SettingsStore(Path(config) / "settings.json"))
        window.resize(1400, 900)
        window.show()
        window.show_panel("embeddings")
        panel = window.current_panel
        panel.set_inputs({"source": text, "mode": "sgns", "epochs": 1, "dim": 20})
        app.processEvents()
        rng = random.Random(5)
        times = []
        for _ in range(samples):
            step = rng.randrange(panel.model.nsteps + 1)
            start = time.perf_counter()
            panel.model.set_step(step)
            panel.view.viewport().repaint()
            times.append(time.perf_counter() - start)
        points = len(panel.sgns.tracked)
        window.close()
    return {
        "plot_points": points,
        "plot_step_display_median_ms": statistics.median(times) * 1000,
        "plot_step_display_p95_ms": sorted(times)[int(0.95 * (len(times) - 1))] * 1000,
    }


if __name__ == "__main__":
    main()
