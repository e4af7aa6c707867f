"""The search parsers against nltk's, in the same run: steps, parses found and time, and how the
work grows with sentence length.

* L1 (SLP3 Fig. 17.1) on six sentences of 3–9 words. nltk's ``RecursiveDescentParser`` loops
  forever on L1's left-recursive rules, so both top-down parsers run on L1 without them
  (Nominal → Nominal Noun, Nominal → Nominal PP, VP → VP PP), which ours also runs bounded
  on full L1; nltk's ``ShiftReduceParser`` commits to its first choices (how many parses it
  misses is counted); ``EarleyChartParser`` against our Earley.
* A random grammar (4 non-terminals, 3 words, no empty or unit rules, fixed seed) with
  sentences of 5–15 words derived from it: steps and seconds per length for each of ours,
  and nltk's Earley parser's time.

Run: ``python -m benchmarks.bench_parse_search`` (writes benchmarks/results/parse_search.json).
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from algorithms.cfg import Grammar
from algorithms.cky import cky
from algorithms.parse_search import earley, recursive_descent, shift_reduce
from algorithms.resources import resource_text
from benchmarks.common import ROOT, report

L1_SENTENCES = (
    "book that flight",
    "does the flight include a meal",
    "book the flight through Houston",
    "I prefer a flight through Houston",
    "book the meal on the flight through Houston",
    "does she prefer the flight from Houston to NWA",
)
LEFT_RECURSIVE = ("Nominal -> Nominal Noun", "Nominal -> Nominal PP", "VP -> VP PP")


def _seconds(function: Any, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _without_left_recursion(text: str) -> str:
    """L1 with its three left-recursive alternatives removed (what nltk's rdparser can run)."""
    lines = []
    for line in text.splitlines():
        if "->" in line and not line.startswith("#"):
            lhs, rhs = (part.strip() for part in line.split("->"))
            kept = [alt.strip() for alt in rhs.split("|") if f"{lhs} -> {alt.strip()}" not in LEFT_RECURSIVE]
            line = f"{lhs} -> {' | '.join(kept)}"
        lines.append(line)
    return "\n".join(lines)


def _random_grammar(seed: int) -> tuple[str, dict[str, list[list[str]]]]:
    rng = random.Random(seed)
    rules: dict[str, list[list[str]]] = {}
    for name in ("S", "A", "B", "C"):
        alternatives = [[f"'{rng.choice('abc')}'"]]
        for _ in range(2):
            alternatives.append([rng.choice(("S", "A", "B", "C")) for _ in range(2)])
        rules[name] = alternatives
    text = "\n".join(f"{n} -> {' | '.join(' '.join(a) for a in alts)}" for n, alts in rules.items())
    return text, rules


def _derive(rules: dict[str, list[list[str]]], length: int, rng: random.Random) -> list[str] | None:
    """A sentence of exactly ``length`` words the grammar derives, by random expansion."""
    for _ in range(2000):
        frontier, words = ["S"], []
        while frontier and len(words) + len(frontier) <= length:
            symbol = frontier.pop(0)
            if symbol.startswith("'"):
                words.append(symbol.strip("'"))
                continue
            options = rules[symbol] if len(words) + len(frontier) + 1 < length else rules[symbol][:1]
            frontier = rng.choice(options) + frontier
        if not frontier and len(words) == length:
            return words
    return None


def main() -> None:
    import nltk

    results: dict[str, Any] = {}
    text = resource_text("grammars/l1.cfg")
    l1 = Grammar.from_string(text)
    plain_text = _without_left_recursion(text)
    plain = Grammar.from_string(plain_text)
    nltk_plain = nltk.CFG.fromstring(plain_text)
    nltk_l1 = nltk.CFG.fromstring(text)
    missed = 0
    for number, sentence in enumerate(L1_SENTENCES, start=1):
        tokens = sentence.split()
        key = f"l1_s{number}_{len(tokens)}w"  # two sentences have 6 words: the number keeps both
        rd = recursive_descent(plain, tokens)
        rd_bounded = recursive_descent(l1, tokens, bounded=True)
        sr = shift_reduce(l1, tokens)
        e = earley(l1, tokens)
        theirs_rd = list(nltk.RecursiveDescentParser(nltk_plain).parse(tokens))
        theirs_sr = list(nltk.ShiftReduceParser(nltk_l1).parse(tokens))
        theirs_e = list(nltk.EarleyChartParser(nltk_l1).parse(tokens))
        assert len(rd.trees) == len(theirs_rd) and len(e.trees) == len(theirs_e) == len(sr.trees)
        missed += len(sr.trees) - len(theirs_sr)
        results |= {
            f"{key}_parses": len(e.trees),
            f"{key}_rd_steps": len(rd.trace),
            f"{key}_rd_backtracks": rd.backtracks,
            f"{key}_rd_bounded_full_l1_steps": len(rd_bounded.trace),
            f"{key}_sr_steps": len(sr.trace),
            f"{key}_sr_backtracks": sr.backtracks,
            f"{key}_nltk_sr_parses": len(theirs_sr),
            f"{key}_earley_states": e.states,
            f"{key}_cky_cells": len(tokens) * (len(tokens) + 1) // 2,
            f"{key}_rd_ms": round(_seconds(lambda t=tokens: recursive_descent(plain, t)) * 1000, 2),
            f"{key}_nltk_rd_ms": round(
                _seconds(lambda t=tokens: list(nltk.RecursiveDescentParser(nltk_plain).parse(t))) * 1000, 2
            ),
            f"{key}_earley_ms": round(_seconds(lambda t=tokens: earley(l1, t)) * 1000, 2),
            f"{key}_nltk_earley_ms": round(
                _seconds(lambda t=tokens: list(nltk.EarleyChartParser(nltk_l1).parse(t))) * 1000, 2
            ),
        }
    results["l1_parses_nltk_shift_reduce_missed"] = missed

    text, rules = _random_grammar(7)
    grammar = Grammar.from_string(text)
    nltk_grammar = nltk.CFG.fromstring(text)
    rng = random.Random(3)
    for length in (5, 7, 9, 11, 13, 15):
        tokens = _derive(rules, length, rng)
        if tokens is None:
            continue
        key = f"random_{length}w"
        e = earley(grammar, tokens)
        assert e.recognized and cky(grammar.to_cnf(), tokens).recognized
        results[f"{key}_parses"] = len(e.trees)
        results[f"{key}_earley_states"] = e.states
        results[f"{key}_earley_ms"] = round(_seconds(lambda t=tokens: earley(grammar, t).trees) * 1000, 2)
        results[f"{key}_nltk_earley_ms"] = round(
            _seconds(lambda t=tokens: list(nltk.EarleyChartParser(nltk_grammar).parse(t))) * 1000, 2
        )
        for name, parse in (
            ("sr", lambda t: shift_reduce(grammar, t)),
            ("rd_bounded", lambda t: recursive_descent(grammar, t, bounded=True)),
        ):
            try:
                found = parse(tokens)
            except ValueError:  # past the traced step limit: the exponential search, named
                results[f"{key}_{name}_steps"] = "over limit"
                continue
            assert len(found.trees) == len(e.trees)
            results[f"{key}_{name}_steps"] = len(found.trace)
    report(
        results,
        {"l1_parses_nltk_shift_reduce_missed": (">=", 1)},
        ROOT / "benchmarks" / "results" / "parse_search.json",
    )


if __name__ == "__main__":
    main()
