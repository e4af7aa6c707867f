"""CKY, probabilistic CKY and inside: the textbook chart, nltk as an oracle, the trace."""

import math
import random
import re

import nltk
import numpy as np
import pytest

from algorithms.cfg import Grammar
from algorithms.cky import LexicalStep, SplitStep, cky, inside, probabilistic_cky
from tests.algorithms.grammar_samples import random_cnf, random_sentence, read_grammar_file

L1_CNF = Grammar.from_string(read_grammar_file("l1.cfg")).to_cnf()
BOOK = ["book", "the", "flight", "through", "Houston"]

# SLP3 Fig. 17.12: the completed chart for "Book the flight through Houston".
TEXTBOOK_CHART = {
    (0, 1): {"S", "VP", "Verb", "Nominal", "Noun"},
    (0, 2): set(),
    (0, 3): {"S", "VP", "X2"},
    (0, 4): set(),
    (0, 5): {"S", "VP", "X2"},
    (1, 2): {"Det"},
    (1, 3): {"NP"},
    (1, 4): set(),
    (1, 5): {"NP"},
    (2, 3): {"Nominal", "Noun"},
    (2, 4): set(),
    (2, 5): {"Nominal"},
    (3, 4): {"Preposition"},
    (3, 5): {"PP"},
    (4, 5): {"NP", "Proper-Noun"},
}


def test_the_textbook_chart_for_book_the_flight_through_houston():
    chart = cky(L1_CNF, BOOK)
    assert {cell: chart.cell(*cell) for cell in TEXTBOOK_CHART} == TEXTBOOK_CHART
    assert chart.recognized
    assert chart.tree_count() == 3
    # The three S entries of the figure's [0,5]: S1, S2, S3.
    assert sorted(chart.backpointers(0, 5, "S")) == [(1, "Verb", "NP"), (3, "VP", "PP"), (3, "X2", "PP")]
    # Trees are those of L1 as written (as nltk.ChartParser finds them): unit nodes restored.
    trees = [str(t) for t in chart.trees()]
    assert (
        "(S (VP (Verb book) (NP (Det the) (Nominal (Noun flight))) "
        "(PP (Preposition through) (NP (Proper-Noun Houston)))))"
    ) in trees
    assert all(t.startswith("(S (VP ") for t in trees)
    # With CNF's helpers kept, the same derivation shows the X2 the chart holds.
    with_helpers = [str(t) for t in chart.trees(helpers=True)]
    assert any(t.startswith("(S (VP (X2 (Verb book)") for t in with_helpers)


def test_narration_of_a_split_and_a_word():
    trace = cky(L1_CNF, BOOK).trace
    texts = [e.describe() for e in trace]
    assert texts[0] == "[0,1] 'book': S → book, Nominal → book, VP → book, Noun → book, Verb → book ⇒ add " \
        "S, Nominal, VP, Noun, Verb"  # fmt: skip
    assert "[1,3] split k=2: Det ∈ [1,2], Nominal ∈ [2,3], NP → Det Nominal ⇒ add NP" in texts
    assert (
        "[0,3] split k=1: Verb ∈ [0,1], NP ∈ [1,3], S → Verb NP ⇒ add S, X2 → Verb NP ⇒ add X2, "
        "VP → Verb NP ⇒ add VP"
    ) in texts
    assert "[0,3] split k=2: [0,2] is empty, so there is nothing to combine" in texts
    assert any(t.startswith("[0,5] split k=3: X2 ∈ [0,3], PP ∈ [3,5], S → X2 PP ⇒ S again") for t in texts)


def test_fill_order_is_column_by_column_bottom_up():
    chart = cky(L1_CNF, BOOK)
    order = [(e.cell, getattr(e, "k", None)) for e in chart.trace]
    cells = list(dict.fromkeys(cell for cell, _ in order))
    assert cells == [(0, 1), (1, 2), (0, 2), (2, 3), (1, 3), (0, 3), (3, 4), (2, 4), (1, 4), (0, 4),
                     (4, 5), (3, 5), (2, 5), (1, 5), (0, 5)]  # fmt: skip
    assert [k for cell, k in order if cell == (0, 5)] == [1, 2, 3, 4]
    n = len(BOOK)
    assert len(chart.trace) == n + sum((j - i - 1) for j in range(1, n + 1) for i in range(j - 1))
    assert chart.trace.boundaries("phase")[:3] == (0, 1, 3)  # column 1 is one event, column 2 two


@pytest.mark.parametrize("probabilistic", [False, True])
def test_state_at_any_step_equals_folding_the_events(probabilistic):
    grammar = Grammar.from_string(read_grammar_file("l1-probabilistic.pcfg")).to_cnf()
    tokens = ["book", "the", "flight", "through", "Houston"]
    result = probabilistic_cky(grammar, tokens) if probabilistic else cky(grammar, tokens)
    folded: dict[tuple[int, int], dict[str, float]] = {}
    for position, event in enumerate(result.trace, start=1):
        cell = folded.setdefault(event.cell, {})
        if isinstance(event, LexicalStep):
            for lhs, log_p in event.entries:
                cell[lhs] = max(cell.get(lhs, -math.inf), log_p if probabilistic else 0.0)
        else:
            assert isinstance(event, SplitStep)
            for c in event.combinations:
                cell[c.lhs] = max(cell.get(c.lhs, -math.inf), c.log_probability)
        shown = result.cell_at(*event.cell, position)
        assert shown.keys() == cell.keys()
        for name, value in cell.items():
            assert shown[name] == pytest.approx(value, abs=1e-12)
        # Cells not yet reached are empty; finished cells are final.
        i, j = event.cell
        if j < len(tokens):
            assert result.cell_at(0, len(tokens), position) == {}
    assert result.cell_at(0, 5, 0) == {}


@pytest.mark.parametrize("seed", range(40))
def test_parse_counts_agree_with_nltk_on_random_cnf_grammars(seed):
    text, words = random_cnf(seed, probabilistic=False)
    ours_grammar = Grammar.from_string(text)
    parser = nltk.ChartParser(nltk.CFG.fromstring(text))
    rng = random.Random(seed)
    for _ in range(5):
        sentence = random_sentence(rng, words, 1, 6)
        ours = cky(ours_grammar, sentence)
        if ours.tree_count() > 300:  # nltk enumerates every tree: keep its side small
            continue
        their_trees = {str(t).replace("\n", "").replace("  ", " ") for t in parser.parse(sentence)}
        our_trees = [str(t) for t in ours.trees(limit=None)]
        assert ours.tree_count() == len(our_trees) == len(set(our_trees)) == len(their_trees)
        assert ours.recognized == bool(their_trees)
        assert {_normal(t) for t in our_trees} == {_normal(t) for t in their_trees}


def _normal(bracketed: str) -> str:
    return " ".join(bracketed.split())


@pytest.mark.parametrize("seed", range(40))
def test_best_parse_and_inside_probability_agree_with_nltk(seed):
    text, words = random_cnf(seed, probabilistic=True)
    grammar = Grammar.from_string(text)
    theirs = nltk.PCFG.fromstring(text)
    viterbi = nltk.ViterbiParser(theirs)
    rule_probability = {(r.lhs(), r.rhs()): r.prob() for r in theirs.productions()}
    rng = random.Random(1000 + seed)
    for _ in range(5):
        sentence = random_sentence(rng, words, 1, 6)
        ours = probabilistic_cky(grammar, sentence)
        best = list(viterbi.parse(sentence))
        assert ours.recognized == bool(best)
        if not best:
            assert ours.probability == 0.0 and ours.tree is None and inside(grammar, sentence) == 0.0
            continue
        assert ours.probability == pytest.approx(best[0].prob(), rel=1e-9)
        assert ours.log_probability == pytest.approx(math.log(best[0].prob()), rel=1e-9)
        # The tree we return really has the probability we claim.
        tree_p = math.prod(p.probability for p in _productions_of(grammar, ours.tree))
        assert tree_p == pytest.approx(ours.probability, rel=1e-9)
        if cky(grammar, sentence).tree_count() <= 300:
            all_trees = nltk.ChartParser(theirs).parse(sentence)
            total = math.fsum(
                math.prod(rule_probability[(r.lhs(), r.rhs())] for r in t.productions()) for t in all_trees
            )
            assert inside(grammar, sentence) == pytest.approx(total, rel=1e-9)


def _productions_of(grammar, tree):
    lookup = {(p.lhs, p.rhs): p for p in grammar.productions}
    for node in tree.subtrees():
        rhs = tuple(c.label if hasattr(c, "label") else c for c in node.children)
        yield lookup[(node.label, rhs)]


def test_pp_attachment_best_parse_flips_with_the_probabilities():
    text = read_grammar_file("pp-attachment.pcfg")
    tokens = ["I", "saw", "the", "man", "with", "the", "telescope"]
    verb_attach = probabilistic_cky(Grammar.from_string(text), tokens)
    assert str(verb_attach.tree).startswith("(S (NP I) (VP (VP (V saw)")
    # .4 · .6 · .5 (VP over VP PP) beats .6 · .2 · .5 (NP over NP PP) by 2: P = .000972.
    assert verb_attach.probability == pytest.approx(0.000972)
    assert verb_attach.cell(0, 7) == {"S": pytest.approx(0.000972)}
    assert inside(Grammar.from_string(text), tokens) == pytest.approx(0.000972 + 0.000486)
    flipped = text.replace("VP -> V NP [0.6] | VP PP [0.4]", "VP -> V NP [0.9] | VP PP [0.1]")
    noun_attach = probabilistic_cky(Grammar.from_string(flipped), tokens)
    assert "(NP (NP (Det the) (N man)) (PP" in str(noun_attach.tree)


def test_pcfg_narration_shows_the_product_and_the_max():
    tokens = ["I", "saw", "the", "man", "with", "the", "telescope"]
    trace = probabilistic_cky(Grammar.from_string(read_grammar_file("pp-attachment.pcfg")), tokens).trace
    texts = [e.describe() for e in trace]
    assert "[0,7] split k=1: NP ∈ [0,1], VP ∈ [1,7], S → NP VP: 1 · .3 · .00324 = .000972 ⇒ add S" in texts
    # In [1,7] the VP from "saw the man" + PP (k=4) wins; NP-attachment (k=2) was first.
    split_2 = next(t for t in texts if t.startswith("[1,7] split k=2"))
    split_4 = next(t for t in texts if t.startswith("[1,7] split k=4"))
    assert "VP → V NP: .6 · 1 · .0027 = .00162 ⇒ add VP" in split_2
    assert "VP → VP PP: .4 · .09 · .09 = .00324 ⇒ VP = .00324 (beats .00162)" in split_4
    assert trace[texts.index(split_4)].describe("log").count("-") >= 3


def test_catalan_many_parses_are_counted_exactly_and_enumerated_lazily():
    grammar = Grammar.from_string("S -> S S | 'a'")
    chart = cky(grammar, ["a"] * 20)
    assert chart.tree_count() == math.comb(38, 19) // 20  # Catalan(19) = 1,767,263,190
    five = list(chart.trees(limit=5))
    assert len(five) == 5 and len({str(t) for t in five}) == 5


def test_unknown_words_are_listed():
    with pytest.raises(ValueError, match=r"These words are not in the grammar: 'cat', 'in', 'hat'\."):
        cky(L1_CNF, ["book", "the", "cat", "in", "the", "hat"])
    with pytest.raises(ValueError, match=r"This word is not in the grammar: 'ticket'\."):
        cky(L1_CNF, ["book", "a", "ticket"])


def test_a_grammar_not_in_cnf_is_refused_pointing_to_to_cnf():
    original = Grammar.from_string(read_grammar_file("l1.cfg"))
    expected = (
        r"not in Chomsky normal form \(line 2: 'S -> Aux NP VP' has 3 symbols on the right\); "
        r"convert it first with grammar\.to_cnf\(\)"
    )
    with pytest.raises(ValueError, match=expected):
        cky(original, BOOK)
    with pytest.raises(ValueError, match="needs a PCFG"):
        probabilistic_cky(L1_CNF, BOOK)


def test_cky_accepts_a_pcfg_and_ignores_its_probabilities():
    pcfg = Grammar.from_string(read_grammar_file("l1-probabilistic.pcfg")).to_cnf()
    chart = cky(pcfg, BOOK)
    original = nltk.CFG.fromstring(re.sub(r"\[[^\]]*\]", "", read_grammar_file("l1-probabilistic.pcfg")))
    assert chart.recognized and chart.tree_count() == len(list(nltk.ChartParser(original).parse(BOOK))) == 3
    assert chart.log_cell(0, 5) == {name: 0.0 for name in chart.log_cell(0, 5)}


def test_no_parse_leaves_the_start_symbol_out_of_the_top_cell():
    chart = cky(L1_CNF, ["the", "flight"])
    assert not chart.recognized and chart.tree_count() == 0 and list(chart.trees()) == []
    assert chart.cell(0, 2) == {"NP"}


def test_untraced_fill_gives_the_same_chart():
    grammar = Grammar.from_string(read_grammar_file("l1-probabilistic.pcfg")).to_cnf()
    tokens = ["book", "the", "flight", "through", "Houston"]
    traced, fast = probabilistic_cky(grammar, tokens), probabilistic_cky(grammar, tokens, traced=False)
    for i in range(5):
        for j in range(i + 1, 6):
            assert traced.log_cell(i, j) == fast.log_cell(i, j)
    with pytest.raises(ValueError, match="without a trace"):
        _ = fast.trace
    assert np.isfinite(fast.log_probability)


def test_a_split_with_many_combinations_names_the_changes_and_counts_the_rest():
    names = ["N0", "N1", "N2", "N3"]
    rules = [f"{a} -> " + " | ".join(f"{b} {c}" for b in names for c in names) + " | 'a'" for a in names]
    chart = cky(Grammar.from_string("\n".join(rules)), ["a", "a", "a"])
    text = next(e.describe() for e in chart.trace if e.describe().startswith("[0,3] split k=1"))
    assert text.count("⇒ add") == 4  # each left-hand side enters the cell once
    assert text.endswith("; and 56 more, each another derivation")  # 64 applications, 8 named
    assert chart.tree_count() == 2 * 16 * 16  # two bracketings × 16 rules at the root × 16 below
