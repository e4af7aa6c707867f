"""Dependency-parsing benchmarks: the neural parser on UD English EWT, and step display.

Run:  python benchmarks/bench_dependency.py [--quick]
Prints a table and writes benchmarks/results/dependency.json.

The parser (default settings, seed 0) trains on en_ewt-ud-dev (gold UPOS;
non-projective trees skipped) and parses en_ewt-ud-test with gold UPOS, once
with arc-standard and once with arc-eager, in the same run. UAS/LAS count every
token (and, separately, without punctuation); a sentence the parser could not
finish counts as wrong and is counted in ``parse_failures`` (the target is 0).
Step display: the oracle on a 60-token EWT sentence in the main window
(1400 × 900), set_step + repaint over random steps.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, percentile, report  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"
TARGETS = {
    "uas": (">=", 0.75),
    "parse_failures": ("<=", 0),
    "arc_eager_parse_failures": ("<=", 0),
    "arc_eager_multiple_roots": ("<=", 0),
    "train_seconds": ("<=", 180.0),
    "step_display_median_ms": ("<=", 8.0),
}


def bench_parser(epochs: int, system: str) -> dict:
    from algorithms.dependency import attachment_scores, parse, read_conllu, train_parser

    train = read_conllu(str(DATA / "en_ewt-ud-dev.conllu"))
    test = read_conllu(str(DATA / "en_ewt-ud-test.conllu"))
    start = time.perf_counter()
    model = train_parser(train, system=system, seed=0, epochs=epochs)
    trained = time.perf_counter() - start
    start = time.perf_counter()
    results, failures = [], 0
    for tree in test:
        try:
            results.append(parse(tree.words, tree.tags, system, model=model))
        except ValueError:  # a dead end: count the sentence as all wrong
            failures += 1
            results.append(parse(tree.words, tree.tags, system, oracle=None, transitions=()))
    parsed = time.perf_counter() - start
    uas, las = attachment_scores(results, test)
    uas_np, las_np = attachment_scores(results, test, punctuation=False)
    tokens = sum(len(t) for t in test)
    return {
        "train_sentences": len(train),
        "train_non_projective_skipped": model.history["non_projective_skipped"],
        "train_transitions": model.history["examples"],
        "train_seconds": trained,
        "epoch_losses": [round(x, 4) for x in model.history["epoch_losses"]],
        "test_tokens": tokens,
        "uas": uas,
        "las": las,
        "uas_without_punct": uas_np,
        "las_without_punct": las_np,
        "parse_failures": failures,
        "multiple_roots": sum(1 for r in results if list(r.heads).count(0) > 1),
        "parse_tokens_per_second": tokens / parsed,
    }


def bench_step_display(samples: int) -> dict:
    from PySide6.QtWidgets import QApplication

    from algorithms.dependency import read_conllu
    from visualizer.app import MainWindow
    from visualizer.settings import SettingsStore

    app = QApplication.instance() or QApplication([])
    test = read_conllu(str(DATA / "en_ewt-ud-test.conllu"))
    # The projective test sentence closest to 60 tokens from above.
    index = min((len(t), i) for i, t in enumerate(test) if len(t) >= 60 and t.is_projective())[1] + 1
    with tempfile.TemporaryDirectory() as config:
        window = MainWindow(SettingsStore(Path(config) / "settings.json"))
        window.resize(1400, 900)
        window.show()
        window.show_panel("dependency")
        panel = window.current_panel
        panel.set_inputs({"conllu": str(DATA / "en_ewt-ud-test.conllu"), "index": index, "mode": "oracle"})
        app.processEvents()
        rng = random.Random(3)
        times = []
        for _ in range(samples):
            step = rng.randrange(panel.model.nsteps + 1)
            start = time.perf_counter()
            panel.model.set_step(step)
            panel.view.viewport().repaint()
            times.append(time.perf_counter() - start)
        tokens = len(panel.result.words)
        window.close()
    return {
        "display_sentence_tokens": tokens,
        "display_sentence_index": index,
        "step_display_median_ms": statistics.median(times) * 1000,
        "step_display_p95_ms": percentile(times, 0.95) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs and samples (a smoke run)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "dependency.json"))
    arguments = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"bench_dependency needs {DATA}")
    epochs = 2 if arguments.quick else 8
    results = bench_parser(epochs, "arc-standard")
    results.update({f"arc_eager_{key}": value for key, value in bench_parser(epochs, "arc-eager").items()})
    results.update(bench_step_display(40 if arguments.quick else 300))
    report(results, TARGETS, arguments.output)


if __name__ == "__main__":
    main()
