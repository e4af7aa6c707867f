"""N-gram benchmarks: perplexity table on UD English EWT, and training/scoring time vs nltk.lm.

Run:  python benchmarks/bench_ngram.py [--quick]
Prints tables and writes benchmarks/results/ngram.json.

Perplexity: unigram, bigram and trigram models trained on en_ewt-ud-dev and
scored on en_ewt-ud-test (word forms, lower-cased) under add-one, add-k
(k = 0.05), interpolation (default λs) and Kneser–Ney (d = 0.75). One <UNK>
policy for all: training words seen once become <UNK>, so every model has
the same vocabulary and test words outside it are scored as <UNK>.

Speed: a trigram Kneser–Ney model, ours vs nltk.lm.KneserNeyInterpolated, on
the same dev sentences; scoring is the per-token log-probability of the test
text (nltk on a slice of it, since it is slow, normalised per token). Both
libraries count at training time and build Kneser–Ney's continuation tables
lazily, so the end-to-end time (fresh model + whole test) is reported too.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, report, timed  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"
TARGETS = {"train_speedup_vs_nltk": (">=", 10.0), "score_speedup_vs_nltk": (">=", 10.0)}
SMOOTHINGS = {
    "add-one": {"smoothing": "laplace"},
    "add-k (k=0.05)": {"smoothing": "add-k", "k": 0.05},
    "interpolation": {"smoothing": "interpolation"},
    "kneser-ney (d=0.75)": {"smoothing": "kneser-ney", "discount": 0.75},
}


def load(name: str) -> list[list[str]]:
    from algorithms.corpora import read_tagged_conllu

    return [[word.lower() for word, _ in sentence] for sentence in read_tagged_conllu(DATA / name)]


def perplexity_table(train: list[list[str]], test: list[list[str]]) -> dict:
    from algorithms.ngram import NGramModel

    results: dict = {}
    print(f"{'perplexity on en_ewt-ud-test':28}  {'unigram':>9}  {'bigram':>9}  {'trigram':>9}")
    for label, options in SMOOTHINGS.items():
        row = []
        for order in (1, 2, 3):
            model = NGramModel(train, order=order, unk_threshold=2, **options)
            evaluation = model.evaluate(test)
            results[f"pp_{order}gram_{options['smoothing']}"] = evaluation.perplexity
            results["oov_rate_test"] = evaluation.oov_rate
            row.append(evaluation.perplexity)
        print(f"{label:28}  " + "  ".join(f"{value:9.1f}" for value in row))
    return results


def speed(train: list[list[str]], test: list[list[str]], repeats: int, nltk_slice: int) -> dict:
    from nltk.lm import KneserNeyInterpolated
    from nltk.lm.preprocessing import pad_both_ends, padded_everygram_pipeline

    from algorithms.ngram import NGramModel

    ours_train = timed(lambda: NGramModel(train, order=3, smoothing="kneser-ney"), repeats)
    model = NGramModel(train, order=3, smoothing="kneser-ney")
    test_tokens = sum(len(s) + 1 for s in test)
    ours_score = timed(lambda: sum(model.logprob(s) for s in test), repeats)

    def nltk_fit():
        lm = KneserNeyInterpolated(3, discount=0.75)
        grams, vocabulary = padded_everygram_pipeline(3, train)
        lm.fit(grams, vocabulary)
        return lm

    nltk_train = timed(nltk_fit, max(1, repeats // 3))
    nltk_lm = nltk_fit()
    sample = test[:nltk_slice]
    sample_tokens = sum(len(s) + 1 for s in sample)

    def nltk_score():
        total = 0.0
        for sentence in sample:
            padded = list(pad_both_ends(sentence, 3))
            for i in range(2, len(padded) - 1):  # the words and the first </s>, as ours
                total += nltk_lm.logscore(padded[i], padded[i - 2 : i])
        return total

    nltk_score_times = timed(nltk_score, 1)

    # End to end: a fresh model scoring the whole test once, so the lazily built KN tables count too.
    def fresh_model_scores_test() -> float:
        fresh = NGramModel(train, order=3, smoothing="kneser-ney")
        return sum(fresh.logprob(s) for s in test)

    end_to_end = timed(fresh_model_scores_test, repeats)
    ours_per_token = statistics.median(ours_score) / test_tokens
    nltk_per_token = statistics.median(nltk_score_times) / sample_tokens
    return {
        "train_tokens": sum(len(s) + 1 for s in train),
        "test_tokens": test_tokens,
        "train_ours_s": statistics.median(ours_train),
        "train_nltk_s": statistics.median(nltk_train),
        "train_speedup_vs_nltk": statistics.median(nltk_train) / statistics.median(ours_train),
        "score_ours_us_per_token": ours_per_token * 1e6,
        "score_nltk_us_per_token": nltk_per_token * 1e6,
        "score_nltk_tokens_timed": sample_tokens,
        "score_speedup_vs_nltk": nltk_per_token / ours_per_token,
        "score_ours_whole_test_s": statistics.median(ours_score),
        "train_and_score_ours_s": statistics.median(end_to_end),
        "train_and_score_nltk_s_extrapolated": statistics.median(nltk_train) + nltk_per_token * test_tokens,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "ngram.json"))
    arguments = parser.parse_args()
    if not DATA.exists():
        raise SystemExit(f"bench_ngram needs {DATA}")
    train, test = load("en_ewt-ud-dev.conllu"), load("en_ewt-ud-test.conllu")
    start = time.perf_counter()
    results = perplexity_table(train, test)
    results["perplexity_table_s"] = time.perf_counter() - start
    results.update(speed(train, test, 3 if arguments.quick else 7, 100))
    report(results, TARGETS, arguments.output)
    assert all(math.isfinite(v) for k, v in results.items() if k.startswith("pp_"))


if __name__ == "__main__":
    main()
