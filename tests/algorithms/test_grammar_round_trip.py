"""A grammar written out reads back as the same rules (item 11), whatever its names, words and numbers."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms.cfg import Grammar, Production
from algorithms.trees import read_bracketed_trees

# Names: anything without white space, including the syntax's own characters and arrows.
NAME = st.text(st.sampled_from(list("ABSNPVX^$-_>|'\"[]#\\→.,:`12") + ["é", "Ω"]), min_size=1, max_size=6)
WORD = st.text(
    st.characters(blacklist_characters="\n\r", blacklist_categories=("Cs",)), min_size=0, max_size=6
)


@st.composite
def grammars(draw: st.DrawFn) -> Grammar:
    lhs_names = draw(st.lists(NAME, min_size=1, max_size=4, unique=True))
    probabilistic = draw(st.booleans())
    productions = []
    for lhs in lhs_names:
        alternatives = draw(
            st.lists(
                st.lists(
                    st.one_of(NAME.map(lambda n: (n, False)), WORD.map(lambda w: (w, True))), max_size=4
                ),
                min_size=1,
                max_size=4,
                unique_by=lambda alt: tuple(alt),
            )
        )
        weights = [draw(st.floats(0.01, 1.0)) for _ in alternatives]
        total = math.fsum(weights)
        for alternative, weight in zip(alternatives, weights, strict=True):
            rhs = tuple(symbol for symbol, _ in alternative)
            terminal = tuple(flag for _, flag in alternative)
            productions.append(Production(lhs, rhs, terminal, weight / total if probabilistic else None))
    return Grammar(productions, start=draw(st.sampled_from(lhs_names)), check_sums=False)


@settings(max_examples=800, deadline=None)
@given(grammars())
def test_str_of_any_grammar_reads_back_as_the_same_rules(grammar):
    again = Grammar.from_string(str(grammar))
    assert again.start == grammar.start
    written = sorted((p.key, p.probability) for p in grammar.productions)
    read = sorted((p.key, p.probability) for p in again.productions)
    assert read == written  # probabilities to the last bit


def test_penn_tags_estimate_a_grammar_the_app_reads_back():
    text = "(S (`` ``) (NP (NNP Rome) (# #)) (VP (VBZ is) (ADJP (JJ old))) ('' '') (. .) (-LRB- -LRB-) ($ $))"
    grammar = Grammar.estimate(read_bracketed_trees(text))
    again = Grammar.from_string(str(grammar))
    assert sorted((p.key, p.probability) for p in again.productions) == sorted(
        (p.key, p.probability) for p in grammar.productions
    )
    assert "'' -> '\\'\\''" not in str(grammar) and "\\'\\' -> '\\'\\'' [1.0]" in str(grammar)


def test_a_cnf_grammar_writes_its_start_symbol_first_so_it_reads_back_with_the_same_start():
    cnf = Grammar.from_string("S -> A B C | 'x'\nA -> 'a'\nB -> 'b'\nC -> 'c'").to_cnf()
    assert cnf.productions[0].lhs != "S"  # X1 was made before S's new rule
    assert Grammar.from_string(str(cnf)).start == "S"


def test_an_empty_right_hand_side_and_a_byte_order_mark_read_back():
    grammar = Grammar.from_string("\ufeffS -> A [0.5] | [0.5]\nA -> 'a' [1.0]")
    assert grammar.start == "S"
    assert str(grammar.productions[1]) == "S -> [0.5]"
    assert Grammar.from_string(str(grammar)).productions[1].rhs == ()


@pytest.mark.parametrize(
    ("trees", "message"),
    [
        ("( (NP x) (VP y))", r"Tree 1 has a bracket with no label"),
    ],
)
def test_estimate_refuses_what_it_cannot_write(trees, message):
    with pytest.raises(ValueError, match=message):
        Grammar.estimate(read_bracketed_trees(trees))
