"""CKY benchmarks: probabilistic CKY vs nltk's ViterbiParser, inside, and chart step display.

Run:  python benchmarks/bench_cky.py [--quick]
Prints a table and writes benchmarks/results/cky.json.

The grammar is a random PCFG in CNF with about 300 rules (24 non-terminals,
240 binary rules, 60 lexical rules over 30 words; seed fixed), and the
sentence 25 words drawn from it top-down, so it has a parse. Both parsers get
the same grammar and words in this run; timings are medians. nltk is slow
here, so it is timed over fewer runs.
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

TARGETS = {
    "pcky_speedup_vs_nltk_viterbi": (">=", 10.0),
    "step_display_median_ms": ("<=", 8.0),
}
NONTERMINALS = 24
BINARY_RULES = 240
WORDS = 30
LEXICAL_RULES = 60
SENTENCE_LENGTH = 25


def build_grammar(seed: int = 7) -> str:
    """A random CNF PCFG as NLTK-syntax text (every non-terminal has binary and lexical rules)."""
    rng = random.Random(seed)
    names = [f"N{i}" for i in range(NONTERMINALS)]
    words = [f"w{i}" for i in range(WORDS)]
    alternatives: dict[str, set[str]] = {name: set() for name in names}
    while sum(len(a) for a in alternatives.values()) < BINARY_RULES:
        alternatives[rng.choice(names)].add(f"{rng.choice(names)} {rng.choice(names)}")
    lexical = 0
    for i, name in enumerate(names):  # every word somewhere, and every name some word
        alternatives[name].add(f"'{words[i % WORDS]}'")
    lexical = sum(1 for a in alternatives.values() for x in a if x.startswith("'"))
    while lexical < LEXICAL_RULES:
        before = len(alternatives[name := rng.choice(names)])
        alternatives[name].add(f"'{rng.choice(words)}'")
        lexical += len(alternatives[name]) - before
    for word in words[NONTERMINALS:]:
        alternatives[rng.choice(names)].add(f"'{word}'")
    lines = []
    for name in names:
        options = sorted(alternatives[name])
        weights = [rng.uniform(0.2, 1.0) for _ in options]
        total = sum(weights)
        probabilities = [w / total for w in weights]
        probabilities[-1] = 1.0 - sum(probabilities[:-1])
        lines.append(
            f"{name} -> " + " | ".join(f"{o} [{p!r}]" for o, p in zip(options, probabilities, strict=True))
        )
    return "\n".join(lines)


def sample_sentence(text: str, length: int, seed: int = 3) -> list[str]:
    """Expand N0 top-down, splitting the wanted length at random, until the words are out."""
    from algorithms.cfg import Grammar

    grammar = Grammar.from_string(text)
    rng = random.Random(seed)
    binary: dict[str, list] = {}
    lexical: dict[str, list] = {}
    for p in grammar.productions:
        (lexical if p.is_lexical else binary).setdefault(p.lhs, []).append(p)

    def expand(symbol: str, size: int) -> list[str]:
        if size == 1:
            return [rng.choice(lexical[symbol]).rhs[0]]
        rule = rng.choice(binary[symbol])
        split = rng.randint(1, size - 1)
        return expand(rule.rhs[0], split) + expand(rule.rhs[1], size - split)

    return expand(grammar.start, length)


def bench_parsing(repeats: int, nltk_repeats: int) -> dict:
    import nltk

    from algorithms.cfg import Grammar
    from algorithms.cky import cky, inside, probabilistic_cky

    text = build_grammar()
    grammar = Grammar.from_string(text)
    tokens = sample_sentence(text, SENTENCE_LENGTH)
    ours = probabilistic_cky(grammar, tokens)
    theirs_parser = nltk.ViterbiParser(nltk.PCFG.fromstring(text), max_time=None)  # no 5 s cap
    theirs = next(iter(theirs_parser.parse(tokens)))
    agree = abs(ours.probability - theirs.prob()) <= 1e-9 * theirs.prob()
    pcky = timed(lambda: probabilistic_cky(grammar, tokens), repeats)
    pcky_fast = timed(lambda: probabilistic_cky(grammar, tokens, traced=False), repeats)
    plain = timed(lambda: cky(grammar, tokens), repeats)
    inside_times = timed(lambda: inside(grammar, tokens), repeats)
    nltk_times = timed(lambda: next(iter(theirs_parser.parse(tokens))), nltk_repeats)
    ours_median = statistics.median(pcky)
    nltk_median = statistics.median(nltk_times)
    return {
        "grammar": f"{len(grammar.productions)} rules, {len(grammar.nonterminals)} non-terminals",
        "sentence_words": len(tokens),
        "best_probability_agrees_with_nltk": agree,
        "pcky_traced_median_ms": ours_median * 1000,
        "pcky_untraced_median_ms": statistics.median(pcky_fast) * 1000,
        "cky_median_ms": statistics.median(plain) * 1000,
        "inside_median_ms": statistics.median(inside_times) * 1000,
        "nltk_viterbi_median_ms": nltk_median * 1000,
        "pcky_speedup_vs_nltk_viterbi": nltk_median / ours_median,
        "trace_events": len(ours.trace),
    }


def bench_step_display(samples: int) -> dict:
    """Random steps of the 25-word PCFG chart in the main window (1400 × 900), with painting."""
    from PySide6.QtWidgets import QApplication

    from visualizer.app import MainWindow
    from visualizer.settings import SettingsStore

    app = QApplication.instance() or QApplication([])
    rng = random.Random(11)
    text = build_grammar()
    sentence = " ".join(sample_sentence(text, SENTENCE_LENGTH))
    with tempfile.TemporaryDirectory() as config:
        window = MainWindow(SettingsStore(Path(config) / "settings.json"))
        window.resize(1400, 900)
        window.show()
        window.show_panel("cky")
        panel = window.current_panel
        panel.set_inputs({"grammar": text, "sentence": sentence, "mode": "pcky"})
        app.processEvents()
        nsteps = panel.model.nsteps
        times = []
        for _ in range(samples):
            step = rng.randrange(nsteps + 1)
            start = time.perf_counter()
            panel.model.set_step(step)  # chart marks, grammar marks, tree, caption, narration
            panel.view.viewport().repaint()
            times.append(time.perf_counter() - start)
        window.close()
    return {
        "chart_steps": nsteps,
        "step_display_median_ms": statistics.median(times) * 1000,
        "step_display_p95_ms": percentile(times, 0.95) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "cky.json"))
    arguments = parser.parse_args()
    results: dict = {}
    results.update(bench_parsing(5 if arguments.quick else 21, 1 if arguments.quick else 3))
    results.update(bench_step_display(40 if arguments.quick else 300))
    report(results, TARGETS, arguments.output)


if __name__ == "__main__":
    main()
