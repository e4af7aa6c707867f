"""Grammar reading, Chomsky normal form, treebank estimation and PARSEVAL."""

import math
import random
from collections import defaultdict

import nltk
import pytest

from algorithms.cfg import Grammar
from algorithms.cky import cky, inside
from algorithms.trees import Tree, parseval, read_bracketed_trees
from tests.algorithms.grammar_samples import random_general, random_sentence, read_grammar_file

L1 = read_grammar_file("l1.cfg")
L1_PCFG = read_grammar_file("l1-probabilistic.pcfg")

# SLP3 Fig. 17.10: L1 in Chomsky normal form (the lexical rules are unchanged or collapsed).
TEXTBOOK_L1_CNF_PHRASES = {
    "S -> NP VP", "S -> X1 VP", "X1 -> Aux NP", "S -> Verb NP", "S -> X2 PP", "X2 -> Verb NP",
    "S -> Verb PP", "S -> VP PP", "NP -> Det Nominal", "Nominal -> Nominal Noun", "Nominal -> Nominal PP",
    "VP -> Verb NP", "VP -> X2 PP", "VP -> Verb PP", "VP -> VP PP", "PP -> Preposition NP",
}  # fmt: skip


def sums(grammar: Grammar) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for p in grammar.productions:
        totals[p.lhs] += p.probability
    return totals


def test_reads_nltk_syntax_with_start_symbol_and_hyphenated_names():
    g = Grammar.from_string(L1)
    assert g.start == "S"
    assert "Proper-Noun" in g.nonterminals
    assert {"book", "Houston", "through"} <= g.words
    assert len(g.productions) == 37
    assert not g.is_probabilistic and not g.is_cnf()
    # Round trip through text, and agreement with nltk's reader on the same text.
    assert {str(p) for p in Grammar.from_string(str(g)).productions} == {str(p) for p in g.productions}
    theirs = nltk.CFG.fromstring(L1)
    assert len(theirs.productions()) == len(g.productions)


def test_continuation_lines_comments_and_unicode_arrow():
    g = Grammar.from_string("# a comment\nS → NP VP   # trailing\n  | VP\nNP -> 'it' [x]".replace(" [x]", ""))
    assert [str(p) for p in g.productions] == ["S -> NP VP", "S -> VP", "NP -> 'it'"]


def test_l1_to_cnf_matches_the_textbook_figure():
    cnf = Grammar.from_string(L1).to_cnf()
    assert cnf.is_cnf()
    phrases = {str(p) for p in cnf.productions if p.is_binary}
    assert phrases == TEXTBOOK_L1_CNF_PHRASES
    lexical = {str(p) for p in cnf.productions if p.is_lexical}
    # Unit chains collapsed: S -> VP -> Verb -> 'book' becomes S -> 'book', NP -> Proper-Noun -> 'Houston'...
    assert {"S -> 'book'", "VP -> 'prefer'", "NP -> 'Houston'", "NP -> 'I'", "Nominal -> 'flight'"} <= lexical
    assert "Noun -> 'book'" in lexical  # original non-terminals keep their names and rules
    assert cnf.introduced == {"X1", "X2"}
    names = [step.name for step in cnf.steps]
    assert names == [
        "Step 1, words in long rules",
        "Step 2, unit productions",
        "Step 3, long right-hand sides",
    ]
    assert {str(p) for p in cnf.steps[2].removed} == {"S -> Aux NP VP", "VP -> Verb NP PP", "S -> Verb NP PP"}
    assert "VP -> Verb" in {str(p) for p in cnf.steps[1].removed}
    assert cnf.steps[0].added == ()


def test_terminals_inside_long_rules_get_their_own_nonterminal():
    g = Grammar.from_string("S -> 'to' VP\nVP -> 'go' | 'go' 'home'\n")
    cnf = g.to_cnf()
    assert {str(p) for p in cnf.productions} == {
        "S -> TO VP", "TO -> 'to'", "VP -> 'go'", "VP -> GO HOME", "GO -> 'go'", "HOME -> 'home'",
    }  # fmt: skip
    assert "'to' → TO" in cnf.steps[0].describe()
    chart = cky(cnf, ["to", "go", "home"])
    assert [str(t) for t in chart.trees(helpers=True)] == ["(S (TO to) (VP (GO go) (HOME home)))"]
    # As written, the word helpers go again: the tree nltk finds with the original grammar.
    assert [str(t) for t in chart.trees()] == ["(S to (VP go home))"]


def test_dummy_names_never_collide_with_existing_nonterminals():
    cnf = Grammar.from_string("S -> 'to' TO\nTO -> 'x'").to_cnf()
    assert "TO_1 -> 'to'" in {str(p) for p in cnf.productions}
    assert "S -> TO_1 TO" in {str(p) for p in cnf.productions}


def test_pcfg_probabilities_carry_through_cnf_and_stay_normalised():
    g = Grammar.from_string(L1_PCFG)
    cnf = g.to_cnf()
    assert cnf.is_cnf() and cnf.is_probabilistic
    for lhs, total in sums(cnf).items():
        assert total == pytest.approx(1.0, abs=1e-12), lhs
    # S -> VP [.05] then VP -> Verb NP [.2]: S -> Verb NP gets .05 · .2.
    rules = {(p.lhs, p.rhs): p.probability for p in cnf.productions}
    assert rules[("S", ("Verb", "NP"))] == pytest.approx(0.05 * 0.2)
    assert rules[("NP", ("Houston",))] == pytest.approx(0.30 * 0.60)
    assert rules[("X2", ("Verb", "NP"))] == 1.0


@pytest.mark.parametrize("seed", range(30))
def test_cnf_keeps_parse_counts_and_sentence_probability_of_random_grammars(seed):
    text, words = random_general(seed, probabilistic=True)
    grammar = Grammar.from_string(text)
    cnf = grammar.to_cnf()
    assert cnf.is_cnf()
    for lhs, total in sums(cnf).items():
        assert total == pytest.approx(1.0, abs=1e-9), lhs
    theirs = nltk.PCFG.fromstring(text)
    rule_probability = {(r.lhs(), r.rhs()): r.prob() for r in theirs.productions()}
    parser = nltk.ChartParser(theirs)  # all trees of the original grammar; we multiply their rules
    rng = random.Random(seed)
    compared = 0
    for _ in range(12):
        sentence = random_sentence(rng, words, 1, 5)
        # nltk enumerates every tree to sum them: keep to sentences with few parses.
        if cky(cnf, sentence).tree_count() > 100:
            continue
        compared += 1
        their_trees = list(parser.parse(sentence))
        expected = math.fsum(
            math.prod(rule_probability[(r.lhs(), r.rhs())] for r in t.productions()) for t in their_trees
        )
        assert inside(cnf, sentence) == pytest.approx(expected, rel=1e-9, abs=1e-300)
    assert compared >= 3


@pytest.mark.parametrize(
    "sentence, parses",
    [
        ("book the flight through Houston", 3),
        ("does she prefer a flight", 1),
        ("book that flight", 1),
        ("I prefer the flight through Houston", 3),
        ("book the meal to Houston through Houston", 5),
        ("the flight", 0),
    ],
)
def test_cnf_keeps_the_number_of_parses_of_l1_sentences(sentence, parses):
    tokens = sentence.split()
    theirs = len(list(nltk.ChartParser(nltk.CFG.fromstring(L1)).parse(tokens)))
    ours = cky(Grammar.from_string(L1).to_cnf(), tokens)
    assert theirs == parses
    assert ours.tree_count() == parses
    assert len(list(ours.trees())) == parses


@pytest.mark.parametrize(
    "text, message",
    [
        ("S -> NP VP\nNP 'the'", "Line 2: expected a rule like 'NP -> Det Nominal', but there is no '->'."),
        ("S -> NP VP\n'the' -> Det", "Line 2: the left-hand side \"'the'\" must be one non-terminal name"),
        ("S -> NP VP\nNP -> 'the", 'Line 2: the quote in "\'the" is never closed.'),
        (
            "S -> A [0.5] | B [0.4]\nA -> 'a' [1]\nB -> 'b' [1]",
            "The probabilities of S's alternatives sum to 0.9",
        ),
        ("S -> A [0.5] | B\nA -> 'a' [1]", "Line 1: 'S -> B' has no probability, but other rules do"),
        ("S -> A [1.5]\nA -> 'a' [1]", "Line 1: the probability [1.5] of S must be between 0 and 1."),
        ("S -> A [zero]", "Line 1: the probability [zero] of S is not a number."),
        ("S -> A [1] B", "Line 1: the probability of an alternative of S must come last"),
        ("S -> A -> B", "Line 1: one rule per line; this line has a second '->'."),
        ("| A B", "Line 1: a line starting with | must continue a rule above it."),
        ("\n# only a comment\n", "The grammar has no rules"),
        ("S -> A [0.5] | A [0.5]\nA -> 'a' [1]", "Line 1: the rule S -> A is already on line 1"),
    ],
)
def test_bad_grammars_are_refused_naming_the_line(text, message):
    with pytest.raises(ValueError) as refused:
        Grammar.from_string(text)
    assert message in str(refused.value)


def test_pcfg_sum_message_names_the_lines():
    with pytest.raises(ValueError, match=r"Noun's alternatives sum to 0\.965, not 1 \(line 9\)"):
        Grammar.from_string(L1_PCFG.replace("'meal' [.05]", "'meal' [.015]"))


def test_epsilon_rules_are_refused_by_cnf_with_the_line():
    g = Grammar.from_string("S -> NP VP\nNP -> \nVP -> 'go'")
    with pytest.raises(ValueError, match=r"Line 2: NP -> \(nothing\) is an ε-rule"):
        g.to_cnf()


def test_undefined_nonterminals_are_reported_with_their_line():
    g = Grammar.from_string("S -> NP VP\nNP -> 'it'\nVP -> Verbb NP")
    assert g.undefined_nonterminals() == {"Verbb": 3}


def test_a_probability_one_unit_cycle_is_refused():
    with pytest.raises(ValueError, match="cycle with probability 1"):
        Grammar.from_string("S -> A [1.0]\nA -> S [1.0]").to_cnf()


# -- treebanks and PARSEVAL -----------------------------------------------------------------
TREEBANK = """
( (S (NP (Det the) (N dog)) (VP (V saw) (NP (Det a) (N cat)))) )
(S (NP (Det a) (N cat)) (VP (V slept)))
(S (NP (N dogs)) (VP (V saw) (NP (Det the) (N cat)) (PP (P with) (NP (Det a) (N telescope)))))
"""


def test_estimate_counts_and_divides_like_nltk_induce_pcfg():
    trees = read_bracketed_trees(TREEBANK)
    assert len(trees) == 3 and trees[0].label == "S"
    ours = Grammar.estimate(trees)
    theirs = nltk.induce_pcfg(
        nltk.Nonterminal("S"),
        [p for t in trees for p in nltk.Tree.fromstring(str(t)).productions()],
    )
    expected = {(str(p.lhs()), tuple(str(s) for s in p.rhs())): p.prob() for p in theirs.productions()}
    got = {(p.lhs, p.rhs): p.probability for p in ours.productions}
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value), key
    assert got[("NP", ("Det", "N"))] == pytest.approx(5 / 6)
    for lhs, total in sums(ours).items():
        assert total == pytest.approx(1.0), lhs


def test_parent_annotation_splits_subject_and_object_nps():
    g = Grammar.estimate(read_bracketed_trees(TREEBANK), parent_annotation=True)
    lhs = {p.lhs for p in g.productions}
    assert {"NP^S", "NP^VP", "NP^PP", "VP^S"} <= lhs
    assert "Det" in lhs  # pre-terminals are not annotated
    assert g.start == "S"


def test_tree_round_trip_and_reader_errors():
    text = "(S (NP (Det the) (N dog)) (VP (V barks)))"
    tree = Tree.from_string(text)
    assert str(tree) == text and tree.leaves() == ["the", "dog", "barks"] and tree.height() == 3
    with pytest.raises(ValueError, match="Line 2: the bracket opened here is never closed"):
        read_bracketed_trees("(S (NP x)\n(VP (V y)")
    with pytest.raises(ValueError, match="expected '\\(' to start a tree"):
        read_bracketed_trees("S (NP x)")


def test_parseval_precision_recall_and_crossing_brackets():
    gold = Tree.from_string(
        "(S (NP (D the) (N man)) (VP (V saw) (NP (NP (D a) (N dog)) (PP (P with) (NP (N it))))))"
    )
    pred = Tree.from_string(
        "(S (NP (D the) (N man)) (VP (VP (V saw) (NP (D a) (N dog))) (PP (P with) (NP (N it)))))"
    )
    score = parseval(pred, gold)
    # gold brackets: S, NP(0,2), VP(2,7), NP(3,7), NP(3,5), PP(5,7), NP(6,7) = 7
    # predicted:     S, NP(0,2), VP(2,7), VP(2,5), NP(3,5), PP(5,7), NP(6,7) = 7; 6 match
    assert (score.matched, score.predicted, score.gold) == (6, 7, 7)
    assert score.precision == pytest.approx(6 / 7) and score.recall == pytest.approx(6 / 7)
    assert score.f1 == pytest.approx(6 / 7)
    assert score.crossing_brackets == 1  # VP(2,5) crosses NP(3,7)
    perfect = parseval(gold, gold)
    assert (perfect.precision, perfect.recall, perfect.f1, perfect.crossing_brackets) == (1.0, 1.0, 1.0, 0)


def test_collapse_undoes_binarisation_for_scoring():
    cnf_tree = Tree.from_string("(S (X1 (Aux does) (NP she)) (VP prefer))")
    assert str(cnf_tree.collapse({"X1"})) == "(S (Aux does) (NP she) (VP prefer))"
