"""HMM benchmarks: tagging accuracy on UD English EWT, traced Viterbi vs hmmlearn, step display.

Run:  python benchmarks/bench_hmm.py [--quick]
Prints a table and writes benchmarks/results/hmm.json.

Accuracy: every tagger is trained on en_ewt-ud-dev and scored on en_ewt-ud-test
(UPOS) in this run: ours (HMM.train defaults), the most-frequent-tag baseline,
and nltk's HiddenMarkovModelTagger (Lidstone 0.1 estimates, since its default
MLE gives every unknown word probability 0). Timings are medians.
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

from benchmarks.common import ROOT, percentile, report, timed  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"
TARGETS = {
    "accuracy_ours": (">=", 0.88),
    "viterbi_traced_ratio_to_hmmlearn": ("<=", 5.0),
    "step_display_median_ms": ("<=", 8.0),
}


def bench_accuracy() -> dict:
    from algorithms.corpora import read_tagged_conllu
    from algorithms.hmm import HMM, evaluate, most_frequent_tag_baseline

    train = read_tagged_conllu(DATA / "en_ewt-ud-dev.conllu")
    test = read_tagged_conllu(DATA / "en_ewt-ud-test.conllu")
    start = time.perf_counter()
    tagger = HMM.train(train)
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    accuracy, tokens = evaluate(tagger, test)
    tag_s = time.perf_counter() - start
    known = {word for sentence in train for word, _ in sentence}
    unknown_tokens = sum(word not in known for sentence in test for word, _ in sentence)
    return {
        "train_tokens": sum(map(len, train)),
        "test_tokens": tokens,
        "test_unknown_word_rate": unknown_tokens / tokens,
        "accuracy_ours": accuracy,
        "accuracy_most_frequent_tag": most_frequent_tag_baseline(train, test),
        **bench_nltk(train, test),
        "train_ours_s": train_s,
        "tag_test_ours_s": tag_s,
    }


def bench_nltk(train, test) -> dict:
    from nltk.probability import LidstoneProbDist
    from nltk.tag.hmm import HiddenMarkovModelTrainer

    start = time.perf_counter()
    tagger = HiddenMarkovModelTrainer().train_supervised(
        train, estimator=lambda distribution, bins: LidstoneProbDist(distribution, 0.1, bins)
    )
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    correct = total = 0
    for sentence in test:
        predicted = tagger.tag([word for word, _ in sentence])
        correct += sum(p == gold for (_, p), (_, gold) in zip(predicted, sentence, strict=True))
        total += len(sentence)
    return {
        "accuracy_nltk_hmm": correct / total,
        "train_nltk_s": train_s,
        "tag_test_nltk_s": time.perf_counter() - start,
    }


def bench_viterbi(repeats: int) -> dict:
    import numpy as np
    from hmmlearn.hmm import CategoricalHMM

    from algorithms.hmm import HMM, viterbi

    rng = np.random.default_rng(0)
    n, v, t = 45, 500, 50
    hmm = HMM(
        [f"T{i}" for i in range(n)],
        [f"w{k}" for k in range(v)],
        rng.dirichlet(np.ones(n)),
        rng.dirichlet(np.ones(n), size=n),
        rng.dirichlet(np.ones(v), size=n),
    )
    indices = rng.integers(0, v, t)
    words = [f"w{k}" for k in indices]
    peer = CategoricalHMM(n_components=n, n_features=v, init_params="")
    peer.startprob_, peer.transmat_, peer.emissionprob_ = hmm.start, hmm.transition, hmm.emission
    column = indices.reshape(-1, 1)
    assert viterbi(hmm, words).path == [hmm.states[i] for i in peer.decode(column)[1]]

    def traced_and_walked() -> None:
        # The trace is lazy: also materialise and narrate every event, as stepping through all of it would.
        result = viterbi(hmm, words)
        for event in result.trace:
            event.describe()

    ours = timed(lambda: viterbi(hmm, words), repeats)
    walked = timed(traced_and_walked, max(3, repeats // 4))
    theirs = timed(lambda: peer.decode(column), repeats)
    return {
        "viterbi_size": f"{n} states x {t} observations",
        "viterbi_traced_ms": statistics.median(ours) * 1000,
        "viterbi_traced_every_event_narrated_ms": statistics.median(walked) * 1000,
        "hmmlearn_decode_ms": statistics.median(theirs) * 1000,
        "viterbi_traced_ratio_to_hmmlearn": statistics.median(ours) / statistics.median(theirs),
    }


def bench_step_display(samples: int) -> dict:
    """Random steps on a 17 × 40 trellis (a UPOS tagger, 40 words) in the main window, with painting."""
    from PySide6.QtWidgets import QApplication

    from visualizer.app import MainWindow
    from visualizer.settings import SettingsStore

    app = QApplication.instance() or QApplication([])
    rng = random.Random(11)
    if not DATA.exists():
        raise SystemExit("bench_step_display needs ../shared/data/ud-english-ewt")
    from algorithms.corpora import read_tagged_conllu
    from visualizer.panels.hmm import tokenize

    # A real sentence: the first test sentence of at least 40 words, cut at 40.
    test = read_tagged_conllu(DATA / "en_ewt-ud-test.conllu")
    long_sentence = next(s for s in test if len(s) >= 40)
    sentence = " ".join(tokenize(" ".join(word for word, _ in long_sentence))[:40])
    model = {"conllu": str(DATA / "en_ewt-ud-dev.conllu"), "column": "upos"}
    with tempfile.TemporaryDirectory() as config:
        window = MainWindow(SettingsStore(Path(config) / "settings.json"))
        window.resize(1400, 900)
        window.show()
        window.show_panel("hmm")
        panel = window.current_panel
        panel.set_inputs({"model": model, "observations": sentence, "algorithm": "viterbi"})
        app.processEvents()
        nsteps = panel.model.nsteps
        shape = panel.result.log_table.shape
        times = []
        for _ in range(samples):
            step = rng.randrange(nsteps + 1)
            start = time.perf_counter()
            panel.model.set_step(step)  # scene marks, caption, narration, player bar
            panel.view.viewport().repaint()  # and the paint itself
            times.append(time.perf_counter() - start)
        window.close()
    return {
        "trellis_size": f"{shape[0]} states x {shape[1]} observations",
        "trellis_steps": nsteps,
        "step_display_median_ms": statistics.median(times) * 1000,
        "step_display_p95_ms": percentile(times, 0.95) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "hmm.json"))
    arguments = parser.parse_args()
    repeats = 5 if arguments.quick else 41
    results: dict = {}
    if DATA.exists():
        results.update(bench_accuracy())
    else:
        print(f"skipping accuracy: {DATA} is absent")
    results.update(bench_viterbi(repeats))
    if DATA.exists():
        results.update(bench_step_display(40 if arguments.quick else 300))
    report(results, TARGETS, arguments.output)


if __name__ == "__main__":
    main()
