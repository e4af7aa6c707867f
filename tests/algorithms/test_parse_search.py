"""Parse search (issue 19): recursive descent, shift-reduce and Earley find exactly nltk's
ChartParser trees on L1 and on random grammars, agree with CKY on recognition, fill SLP3's
Earley chart for "book that flight", and refuse left recursion and unit cycles by name."""

from __future__ import annotations

import random

import nltk
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms.cfg import Grammar
from algorithms.cky import cky
from algorithms.parse_search import earley, recursive_descent, shift_reduce
from algorithms.resources import resource_text
from algorithms.trees import Tree

L1_TEXT = resource_text("grammars/l1.cfg")
L1 = Grammar.from_string(L1_TEXT)
L1_SENTENCES = [
    "book that flight",
    "does the flight include a meal",
    "book the flight through Houston",
    "I prefer a morning flight",
    "she book me",
    "book the meal on the flight through Houston",
    "the flight near NWA include money",
    "book flight book",
]


def _ours(tree: Tree | str) -> object:
    return tree if isinstance(tree, str) else (tree.label, tuple(_ours(c) for c in tree.children))


def _theirs(tree: nltk.Tree | str) -> object:
    return tree if isinstance(tree, str) else (tree.label(), tuple(_theirs(c) for c in tree))


def _nltk_trees(text: str, tokens: list[str]) -> set[object]:
    grammar = nltk.CFG.fromstring(text)
    return {_theirs(t) for t in nltk.ChartParser(grammar).parse(tokens)}


def _known(sentence: str) -> list[str]:
    return [w for w in sentence.split() if w in L1.words]


@pytest.mark.parametrize("sentence", L1_SENTENCES)
def test_all_three_find_nltks_trees_on_l1(sentence: str) -> None:
    tokens = _known(sentence)
    expected = _nltk_trees(L1_TEXT, tokens)
    e = earley(L1, tokens)
    sr = shift_reduce(L1, tokens)
    rd = recursive_descent(L1, tokens, bounded=True)  # L1 is left-recursive (Nominal → Nominal Noun)
    for result in (e, sr, rd):
        assert {_ours(t) for t in result.trees} == expected, type(result).__name__
        assert len(result.trees) == len(set(map(str, result.trees)))  # every parse once
    assert e.recognized == bool(expected) == cky(L1.to_cnf(), tokens).recognized


def test_earley_fills_slp3s_chart_for_book_that_flight() -> None:
    e = earley(L1, ["book", "that", "flight"])
    columns = [[str(item) for item in column] for column in e.chart]
    # SLP3 (2nd ed.) Fig. 13.14, in its order; our chart also completes the dummy γ → S • at 1 and 3.
    assert columns[0] == [
        "γ → • S [0, 0]", "S → • NP VP [0, 0]", "S → • Aux NP VP [0, 0]", "S → • VP [0, 0]",
        "NP → • Pronoun [0, 0]", "NP → • Proper-Noun [0, 0]", "NP → • Det Nominal [0, 0]",
        "VP → • Verb [0, 0]", "VP → • Verb NP [0, 0]", "VP → • Verb NP PP [0, 0]", "VP → • Verb PP [0, 0]",
        "VP → • VP PP [0, 0]",
    ]  # fmt: skip
    assert [c for c in columns[1] if not c.startswith("γ")] == [
        "Verb → book • [0, 1]", "VP → Verb • [0, 1]", "VP → Verb • NP [0, 1]", "VP → Verb • NP PP [0, 1]",
        "VP → Verb • PP [0, 1]", "S → VP • [0, 1]", "VP → VP • PP [0, 1]", "NP → • Pronoun [1, 1]",
        "NP → • Proper-Noun [1, 1]", "NP → • Det Nominal [1, 1]", "PP → • Preposition NP [1, 1]",
    ]  # fmt: skip
    assert columns[2] == [
        "Det → that • [1, 2]", "NP → Det • Nominal [1, 2]", "Nominal → • Noun [2, 2]",
        "Nominal → • Nominal Noun [2, 2]", "Nominal → • Nominal PP [2, 2]",
    ]  # fmt: skip
    assert [c for c in columns[3] if not c.startswith("γ")] == [
        "Noun → flight • [2, 3]", "Nominal → Noun • [2, 3]", "NP → Det Nominal • [1, 3]",
        "Nominal → Nominal • Noun [2, 3]", "Nominal → Nominal • PP [2, 3]", "VP → Verb NP • [0, 3]",
        "VP → Verb NP • PP [0, 3]", "PP → • Preposition NP [3, 3]", "S → VP • [0, 3]", "VP → VP • PP [0, 3]",
    ]  # fmt: skip
    assert e.recognized and [str(t) for t in e.trees] == [
        "(S (VP (Verb book) (NP (Det that) (Nominal (Noun flight)))))"
    ]
    narration = e.narrate(26)
    assert narration.startswith("S25  chart[2] ← NP → Det • Nominal [1, 2]") and "completes Det" in narration
    # Counted from the columns above: predictions 11 + 4 + 3 + 1, completions 7 + 1 + 9 (with γ's two).
    assert e.counts() == {"predict": 19, "scan": 3, "complete": 17} and e.states == 40


def test_left_recursion_is_refused_naming_the_rule() -> None:
    with pytest.raises(ValueError, match=r"^Nominal -> Nominal Noun \(line 4\) is left-recursive"):
        recursive_descent(L1, ["book", "that", "flight"])
    indirect = Grammar.from_string("S -> A 'x' | 'y'\nA -> S 'z'")
    with pytest.raises(ValueError, match="left-recursive"):
        recursive_descent(indirect, ["y", "z", "x"])
    assert {str(t) for t in recursive_descent(indirect, ["y", "z", "x"], bounded=True).trees} == {
        "(S (A (S y) z) x)"
    }


def test_unit_cycles_are_refused() -> None:
    cyclic = Grammar.from_string("S -> A | 'a'\nA -> S")
    for parse in (shift_reduce, earley, lambda g, t: recursive_descent(g, t, bounded=True)):
        with pytest.raises(ValueError, match="S → A → S form a cycle"):
            parse(cyclic, ["a"])


def test_unknown_words_are_named() -> None:
    with pytest.raises(ValueError, match="The grammar has no rule for 'cat'."):
        earley(L1, ["book", "the", "cat"])


def test_search_work_is_counted_and_shift_reduce_backtracks_past_nltks_dead_end() -> None:
    tokens = ["book", "the", "flight", "through", "Houston"]
    rd = recursive_descent(L1, tokens, bounded=True)
    assert rd.expansions == sum(e.kind == "expand" for e in rd.trace)
    assert rd.backtracks == sum(e.kind == "backtrack" for e in rd.trace) > 0
    sr = shift_reduce(L1, tokens)
    assert sr.shifts >= len(tokens) and sr.reductions > 0 and sr.backtracks > 0
    # nltk's ShiftReduceParser commits to its first choices and finds nothing here; ours finds all 3.
    assert list(nltk.ShiftReduceParser(nltk.CFG.fromstring(L1_TEXT)).parse(tokens)) == []
    assert len(sr.trees) == 3


# -- random grammars ---------------------------------------------------------------------------------
NONTERMINALS = ("S", "A", "B", "C")
WORDS = ("a", "b", "c")


def _random_grammar(rng: random.Random) -> dict[str, list[list[str]]]:
    """A random CFG without empty rules or unit rules (so no unit cycles), each name with a word.

    Right sides are lists of symbols; words are quoted, as in the grammar's text.
    """
    rules: dict[str, list[list[str]]] = {}
    for name in NONTERMINALS:
        alternatives = [[f"'{rng.choice(WORDS)}'"]]
        for _ in range(rng.randint(1, 3)):
            size = rng.randint(2, 3)
            alternatives.append(
                [
                    rng.choice(NONTERMINALS) if rng.random() < 0.7 else f"'{rng.choice(WORDS)}'"
                    for _ in range(size)
                ]
            )
        rules[name] = [list(a) for a in dict.fromkeys(tuple(a) for a in alternatives)]
    return rules


def _text(rules: dict[str, list[list[str]]]) -> str:
    return "\n".join(f"{name} -> {' | '.join(' '.join(a) for a in alts)}" for name, alts in rules.items())


def _sentence(rules: dict[str, list[list[str]]], rng: random.Random, most: int = 7) -> list[str]:
    """A sentence the grammar derives (random choices; deep down, the word of each name)."""
    for _ in range(20):
        words: list[str] = []
        stack: list[tuple[str, int]] = [("S", 0)]
        while stack and len(words) <= most:
            symbol, depth = stack.pop()
            if symbol.startswith("'"):
                words.append(symbol.strip("'"))
                continue
            alternatives = rules[symbol] if depth < 3 else rules[symbol][:1]
            choice = rng.choice(alternatives)
            stack.extend((s, depth + 1) for s in reversed(choice))
        if not stack and 1 <= len(words) <= most:
            return words
    return [rules["S"][0][0].strip("'")]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), derived=st.booleans())
def test_random_grammars_agree_with_nltk_and_cky(seed: int, derived: bool) -> None:
    rng = random.Random(seed)
    rules = _random_grammar(rng)
    text = _text(rules)
    grammar = Grammar.from_string(text)
    if derived:  # most sentences come from the grammar, so there are trees (often several) to compare
        tokens = _sentence(rules, rng)
    else:
        tokens = [rng.choice(sorted(grammar.words)) for _ in range(rng.randint(1, 6))]
    expected = _nltk_trees(text, tokens)
    e = earley(grammar, tokens)
    assert {_ours(t) for t in e.trees} == expected
    assert e.recognized == cky(grammar.to_cnf(), tokens).recognized == bool(expected)
    for search in (shift_reduce, lambda g, t: recursive_descent(g, t, bounded=True)):
        try:
            found = search(grammar, tokens)
        except ValueError as error:  # an exponential search past its traced-step limit is refused, by name
            assert "steps on these" in str(error)
            continue
        assert {_ours(t) for t in found.trees} == expected


def test_the_random_sentences_are_mostly_parsable_and_often_ambiguous() -> None:
    """The property above is only as strong as its inputs: most have parses, many several."""
    parsed = ambiguous = 0
    for seed in range(100):
        rng = random.Random(seed)
        rules = _random_grammar(rng)
        result = earley(Grammar.from_string(_text(rules)), _sentence(rules, rng))
        parsed += result.recognized
        ambiguous += len(result.trees) > 1
    assert parsed == 100 and ambiguous >= 15


# -- choosing moves by hand ---------------------------------------------------------------------------
def test_manual_top_down_offers_the_first_frontier_symbols_rules_and_match_only_when_it_fits() -> None:
    from algorithms.manual_search import manual_search

    words = ["book", "that", "flight"]
    start = manual_search(L1, words, "descent", [])
    assert [(m.name, m.legal) for m in start.moves] == [
        ("S -> NP VP", True), ("S -> Aux NP VP", True), ("S -> VP", True),
    ]  # fmt: skip
    wrong = manual_search(L1, words, "descent", ["S -> NP VP", "NP -> Det Nominal", "Det -> 'that'"])
    assert [(m.name, m.legal, m.reason) for m in wrong.moves] == [
        ("match", False, "'that' cannot be matched: the next word is 'book'.")
    ]
    # Bounded by the words left: S -> Aux NP VP needs 3 words after VP's expansion used them all.
    deep = manual_search(L1, words, "descent", ["S -> VP", "VP -> Verb NP PP"])
    assert {m.name: m.legal for m in deep.moves}["Verb -> 'book'"]
    right = ["S -> VP", "VP -> Verb NP", "Verb -> 'book'", "match", "NP -> Det Nominal", "Det -> 'that'",
             "match", "Nominal -> Noun", "Noun -> 'flight'", "match"]  # fmt: skip
    done = manual_search(L1, words, "descent", right)
    assert (
        done.done
        and done.moves == ()
        and str(done.state_at(len(done.trace)).tree) == str(earley(L1, words).trees[0])
    )
    with pytest.raises(ValueError, match=r"^Move 4 \(match\) is not legal: 'that' cannot be matched"):
        manual_search(L1, words, "descent", ["S -> NP VP", "NP -> Det Nominal", "Det -> 'that'", "match"])


def test_manual_bottom_up_greys_reductions_that_do_not_fit_with_the_reason() -> None:
    from algorithms.manual_search import manual_search

    words = ["book", "that", "flight"]
    start = manual_search(L1, words, "shift-reduce", [])
    assert [(m.name, m.legal) for m in start.moves] == [("shift", True)]
    after = manual_search(L1, words, "shift-reduce", ["shift", "Verb -> 'book'"])
    offered = {m.name: (m.legal, m.reason) for m in after.moves}
    assert offered["VP -> Verb"] == (True, "") and offered["shift"] == (True, "")
    stuck = manual_search(L1, words, "shift-reduce", ["shift", "Verb -> 'book'", "shift", "Det -> 'that'"])
    assert all(not m.legal for m in stuck.moves if m.name != "shift")
    right = ["shift", "Verb -> 'book'", "shift", "Det -> 'that'", "shift", "Noun -> 'flight'",
             "Nominal -> Noun", "NP -> Det Nominal", "VP -> Verb NP", "S -> VP"]  # fmt: skip
    done = manual_search(L1, words, "shift-reduce", right)
    assert done.done and done.moves == ()
    with pytest.raises(ValueError, match=r"Move 3 \(VP -> Verb NP\) is not legal: The top of the stack"):
        manual_search(L1, words, "shift-reduce", ["shift", "Verb -> 'book'", "VP -> Verb NP"])
