"""CKY and probabilistic CKY answer for the grammar *as written*, not for its CNF conversion.

CNF collapses unit chains (A -> B -> γ becomes A -> γ). Summing over those chains is
right for the inside algorithm, but the best parse must be the max over derivations,
and the parse count and trees must be those of the user's grammar (nltk is the oracle).
"""

from __future__ import annotations

import math
import random

import nltk
import pytest

from algorithms.cfg import Grammar
from algorithms.cky import cky, inside, probabilistic_cky
from tests.algorithms.grammar_samples import random_general, random_sentence


def _normal(bracketed: str) -> str:
    return " ".join(bracketed.split())


def test_two_unit_chains_to_one_word_are_two_derivations_not_one_of_double_probability():
    text = "S -> A [.5] | B [.5]\nA -> 'x' [1]\nB -> 'x' [1]"
    result = probabilistic_cky(Grammar.from_string(text).to_cnf(), ["x"])
    assert result.probability == pytest.approx(0.5)  # nltk ViterbiParser: .5 (the bug gave 1.0)
    assert str(result.tree) in ("(S (A x))", "(S (B x))")
    assert inside(Grammar.from_string(text).to_cnf(), ["x"]) == pytest.approx(1.0)  # the sum stays a sum
    assert cky(Grammar.from_string(text).to_cnf(), ["x"]).tree_count() == 2


def test_the_best_derivation_wins_even_when_a_summed_closure_is_larger():
    text = """S -> A A [.5] | B B [.5]
A -> 'x' [.5] | C [.25] | D [.25]
C -> 'x' [1]
D -> 'x' [1]
B -> 'x' [.8] | 'y' [.2]"""
    result = probabilistic_cky(Grammar.from_string(text).to_cnf(), ["x", "x"])
    assert str(result.tree) == "(S (B x) (B x))"
    assert result.probability == pytest.approx(0.32)
    # Each cell shows the best single derivation: A over 'x' is .5 (A -> 'x'), not .5 + .25 + .25.
    assert result.cell(0, 1)["A"] == pytest.approx(0.5)
    theirs = max(nltk.ViterbiParser(nltk.PCFG.fromstring(text)).parse(["x", "x"]), key=lambda t: t.prob())
    assert theirs.prob() == pytest.approx(result.probability)


def test_parse_count_of_the_outside_testers_grammar_is_nltks():
    text = "S -> A C | 'b' | A B\nA -> A C | C | 'a'\nB -> 'b' | 'a' S | 'a'\nC -> 'a' | B C"
    ours = cky(Grammar.from_string(text).to_cnf(), ["a", "a"])
    theirs = {_normal(str(t)) for t in nltk.ChartParser(nltk.CFG.fromstring(text)).parse(["a", "a"])}
    assert ours.tree_count() == len(theirs) == 4
    assert {str(t) for t in ours.trees(limit=None)} == theirs


@pytest.mark.parametrize("seed", range(60))
def test_trees_of_grammars_with_unit_rules_long_rules_and_words_equal_nltks(seed):
    text, words = random_general(seed, probabilistic=False)
    cnf = Grammar.from_string(text).to_cnf()
    parser = nltk.ChartParser(nltk.CFG.fromstring(text))
    rng = random.Random(seed)
    for _ in range(5):
        sentence = random_sentence(rng, words, 1, 5)
        ours = cky(cnf, sentence)
        if ours.tree_count() > 300:  # nltk enumerates every tree: keep its side small
            continue
        theirs = {_normal(str(t)) for t in parser.parse(sentence)}
        listed = [str(t) for t in ours.trees(limit=None)]
        assert ours.tree_count() == len(listed) == len(set(listed)) == len(theirs)
        assert set(listed) == theirs


@pytest.mark.parametrize("seed", range(60))
def test_best_parse_every_cell_and_inside_agree_with_nltk_on_pcfgs_with_unit_rules(seed):
    text, words = random_general(seed, probabilistic=True)
    cnf = Grammar.from_string(text).to_cnf()
    theirs = nltk.PCFG.fromstring(text)
    rule_p = {(r.lhs(), r.rhs()): r.prob() for r in theirs.productions()}
    original_names = {str(r.lhs()) for r in theirs.productions()}
    rng = random.Random(500 + seed)
    for _ in range(4):
        sentence = random_sentence(rng, words, 1, 4)
        ours = probabilistic_cky(cnf, sentence)
        best = list(nltk.ViterbiParser(theirs).parse(sentence))
        assert ours.recognized == bool(best)
        if best:
            assert ours.probability == pytest.approx(best[0].prob(), rel=1e-9)
            # The tree we return is one of the grammar as written with exactly that probability.
            product = math.prod(
                rule_p[(r.lhs(), r.rhs())] for r in nltk.Tree.fromstring(str(ours.tree)).productions()
            )
            assert product == pytest.approx(ours.probability, rel=1e-9)
        # Every chart cell holds the best derivation of each name over its span.
        for i in range(len(sentence)):
            for j in range(i + 1, len(sentence) + 1):
                for name, value in ours.cell(i, j).items():
                    if name not in original_names:
                        continue
                    sub = nltk.PCFG(nltk.Nonterminal(name), theirs.productions())
                    sub_best = list(nltk.ViterbiParser(sub).parse(sentence[i:j]))
                    assert sub_best and value == pytest.approx(sub_best[0].prob(), rel=1e-9)
        if cky(cnf, sentence).tree_count() <= 200:
            total = math.fsum(
                math.prod(rule_p[(r.lhs(), r.rhs())] for r in t.productions())
                for t in nltk.ChartParser(theirs).parse(sentence)
            )
            assert inside(cnf, sentence) == pytest.approx(total, rel=1e-9, abs=1e-300)


def test_a_unit_cycle_means_infinitely_many_trees_said_in_one_sentence():
    text = "S -> A\nA -> B | 'x'\nB -> A | 'y'"
    chart = cky(Grammar.from_string(text).to_cnf(), ["x"])
    assert chart.recognized
    with pytest.raises(ValueError, match=r"^The unit rules A -> B -> A form a cycle, so this sentence has "
                                         r"infinitely many parse trees"):  # fmt: skip
        chart.tree_count()
    with pytest.raises(ValueError, match="infinitely many"):
        list(chart.trees())


def test_a_probabilistic_unit_cycle_still_has_one_best_parse_and_a_finite_inside():
    text = "S -> A [1]\nA -> B [.5] | 'x' [.5]\nB -> A [.5] | 'x' [.5]"
    cnf = Grammar.from_string(text).to_cnf()
    best = probabilistic_cky(cnf, ["x"])
    assert str(best.tree) == "(S (A x))" and best.probability == pytest.approx(0.5)
    # Inside sums the geometric series over every trip round the cycle: .5 + .25 + .125 + … = 1.
    assert inside(cnf, ["x"]) == pytest.approx(1.0)


def test_a_conversion_past_the_rule_limit_is_refused_before_it_is_built():
    # Each of 600 names in a chain has a word: collapsing gives 180,300 rules (item 20: 2.6 s, then 11 s
    # and 120 s for 1,000 and 3,000). The size is bounded first and the limit named.
    lines = [f"N{i} -> N{i + 1} | 'a{i}'" for i in range(599)] + ["N599 -> 'w'"]
    with pytest.raises(ValueError, match=r"about 180,300 rules, more than the 50,000 Trellis converts"):
        Grammar.from_string("\n".join(lines)).to_cnf()


def test_a_long_unit_chain_converts_and_parses_with_its_unit_nodes():
    # 600 names in one chain N0 -> N1 -> … -> N599 -> 'w'.
    lines = [f"N{i} -> N{i + 1}" for i in range(599)] + ["N599 -> 'w'"]
    cnf = Grammar.from_string("\n".join(lines)).to_cnf()
    chart = cky(cnf, ["w"])
    assert chart.tree_count() == 1
    assert next(iter(chart.trees())).height() == 600  # N0 over N1 … over N599 over w


def test_a_zero_probability_rule_is_never_narrated_as_added():
    text = "S -> A A [1.0]\nB -> A A [0.0] | 'y' [1.0]\nA -> 'x' [1.0]"
    result = probabilistic_cky(Grammar.from_string(text), ["x", "x"])
    assert result.cell(0, 2) == {"S": pytest.approx(1.0)}
    narrated = [event.describe() for event in result.trace]
    assert "[0,2] split k=1: A ∈ [0,1], A ∈ [1,2], S → A A: 1 · 1 · 1 = 1 ⇒ add S" in narrated
    assert not any("add B" in line or "B →" in line for line in narrated)
