"""Bracketed trees of any depth: read, printed, compared and walked without recursion (item 6)."""

from __future__ import annotations

import nltk

from algorithms.cfg import Grammar
from algorithms.trees import Tree, parseval, read_bracketed_trees

DEEP = 2000


def test_a_tree_two_thousand_levels_deep_reads_prints_and_compares():
    text = "(A " * DEEP + "x" + ")" * DEEP
    tree = read_bracketed_trees(text)[0]
    assert str(tree) == text.replace("(A x)", "(A x)")  # printed exactly as written
    assert tree.height() == DEEP and tree.leaves() == ["x"]
    again = Tree.from_string(str(tree))
    assert again == tree and hash(again) == hash(tree)
    assert len(tree.spans()) == DEEP - 1  # the pre-terminal (A x) is no bracket
    assert len(list(tree.subtrees())) == DEEP
    assert str(tree.collapse(["A"])) == "(A x)"  # the root is kept
    grammar = Grammar.estimate([tree])
    assert {str(p) for p in grammar.productions} == {"A -> A [0.9995]", "A -> 'x' [0.0005]"}


def test_printing_and_spans_agree_with_nltk_on_an_ordinary_tree():
    text = "(S (NP (Det the) (N dog)) (VP (V saw) (NP (Det a) (N cat))))"
    ours = Tree.from_string(text)
    theirs = nltk.Tree.fromstring(text)
    assert str(ours) == " ".join(str(theirs).split())
    assert ours.leaves() == theirs.leaves()
    assert ours.height() == theirs.height() - 1  # nltk counts the word level too
    assert sorted(ours.spans()) == [("NP", 0, 2), ("NP", 3, 5), ("S", 0, 5), ("VP", 2, 5)]
    assert parseval(ours, ours).f1 == 1.0
