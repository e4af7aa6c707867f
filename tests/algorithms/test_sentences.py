"""Sentence splitting: the stated rules, the tree trained on EWT dev against scikit-learn's, and
both scored on EWT test (the tree is the better, as the measured numbers in the README say)."""

from __future__ import annotations

import json

import pytest

from algorithms.resources import resource_text
from algorithms.sentences import FEATURES, DecisionTree, split_sentences, train_tree
from tests.conftest import SHARED_DATA

EWT = SHARED_DATA / "ud-english-ewt"
needs_ewt = pytest.mark.skipif(not EWT.exists(), reason="needs ../shared/data/ud-english-ewt")


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Mr. Smith left. He was late.", ["Mr. Smith left.", "He was late."]),
        ("Jennifer M. Anderson came. Then she left!", ["Jennifer M. Anderson came.", "Then she left!"]),
        ("It costs 3.5 dollars. Cheap.", ["It costs 3.5 dollars.", "Cheap."]),
        ("Wait... what? No.", ["Wait... what?", "No."]),  # "what" is lower case: no end after "Wait..."
        ('He said "Go." She went.', ['He said "Go."', "She went."]),
        ("first line\nsecond line", ["first line", "second line"]),
        ("The U.S. Army won.", ["The U.S. Army won."]),
    ],
)
def test_the_stated_rules(text: str, sentences: list[str]) -> None:
    assert split_sentences(text, "rules").sentences == sentences


def test_each_step_says_why() -> None:
    result = split_sentences("Mr. Smith left. He was late.", "rules")
    first = result.trace[0]
    assert not first.boundary and first.reasons == ("the word before is an abbreviation",)
    assert result.question_at(1).check("no").correct
    assert result.state_at(len(result.trace)).boundaries == (15, 28)


@needs_ewt
def test_the_shipped_tree_is_the_one_ewt_dev_trains_and_matches_scikit_learn() -> None:
    from sklearn.tree import DecisionTreeClassifier

    from benchmarks.build_sentence_tree import documents, labelled

    samples, labels = labelled(documents(EWT / "en_ewt-ud-dev.conllu"))
    ours = train_tree(samples, labels)
    shipped = DecisionTree.from_json(json.loads(resource_text("models/sentence_tree.json")))
    assert [ours.decide(f)[0] for f in samples] == [shipped.decide(f)[0] for f in samples]
    oracle = DecisionTreeClassifier(criterion="gini", max_depth=4, min_samples_leaf=5, random_state=0)
    matrix = [[f[name] for name in FEATURES] for f in samples]
    oracle.fit(matrix, labels)
    test_samples, test_labels = labelled(documents(EWT / "en_ewt-ud-test.conllu"))
    ours_right = sum(ours.decide(f)[0] == y for f, y in zip(test_samples, test_labels, strict=True))
    theirs = oracle.predict([[f[name] for name in FEATURES] for f in test_samples])
    theirs_right = sum(bool(p) == y for p, y in zip(theirs, test_labels, strict=True))
    assert abs(ours_right - theirs_right) / len(test_labels) <= 0.01  # the same tree, up to tied splits


@needs_ewt
def test_on_ewt_test_the_tree_beats_the_rules() -> None:
    from benchmarks.build_sentence_tree import documents, score

    test = documents(EWT / "en_ewt-ud-test.conllu")
    rules, tree = score(test, "rules"), score(test, "tree")
    assert rules["candidate_accuracy"] >= 0.85 and tree["candidate_accuracy"] >= 0.95
    assert tree["f1"] > rules["f1"] >= 0.85


@pytest.mark.parametrize(
    ("text", "method", "phrase"), [("", "rules", "empty"), ("a.", "neural", "rules or tree")]
)
def test_bad_input_is_one_sentence(text: str, method: str, phrase: str) -> None:
    with pytest.raises(ValueError, match=phrase):
        split_sentences(text, method)
