"""The Porter stemmer: Porter's own examples of m, SLP3's 'relational', the rule cascade as steps,
and agreement with nltk's ORIGINAL_ALGORITHM on every word type of UD EWT dev and test."""

from __future__ import annotations

import random

import pytest
from nltk.stem.porter import PorterStemmer

from algorithms.spelling_prior import packaged_prior
from algorithms.stemming import RuleStep, measure, porter_stem
from tests.conftest import SHARED_DATA

EWT = SHARED_DATA / "ud-english-ewt"
NLTK = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)


@pytest.mark.parametrize(
    ("m", "words"),
    [(0, "tr ee tree y by"), (1, "trouble oats trees ivy"), (2, "troubles private oaten orrery")],
)
def test_measure_as_in_porters_paper(m: int, words: str) -> None:
    assert [measure(w) for w in words.split()] == [m] * len(words.split())


def test_relational_step_by_step() -> None:
    result = porter_stem("relational")
    assert result.stem == "relat"
    fired = [(e.step, e.rule) for e in result.trace if isinstance(e, RuleStep) and e.fired]
    # Step 4's (m>1) ate is tried on "relate" and fails (m("rel") = 1); step 5a drops the e.
    assert fired == [("2", "(m>0) ational → ate"), ("5a", "(m>1) e → ∅ | (m=1 and not *o) e → ∅")]
    assert result.state_at(4).word == "relate"


@pytest.mark.parametrize(
    ("word", "stem"),
    [("caresses", "caress"), ("ponies", "poni"), ("cats", "cat"), ("feed", "feed"), ("plastered", "plaster"),
     ("motoring", "motor"), ("hopping", "hop"), ("filing", "file"), ("happy", "happi"),
     ("generalization", "gener"), ("controlling", "control"), ("roll", "roll"), ("as", "a")],
)  # fmt: skip
def test_porters_examples(word: str, stem: str) -> None:
    assert porter_stem(word).stem == stem == NLTK.stem(word)


def test_a_condition_that_fails_is_a_step_that_does_not_fire() -> None:
    event = next(e for e in porter_stem("feed").trace if e.step == "1b")
    assert event.rule == "(m>0) eed → ee" and not event.holds and event.m == 0
    assert "does not fire" in event.describe()


@pytest.mark.skipif(not EWT.exists(), reason="needs ../shared/data/ud-english-ewt")
def test_agrees_with_nltk_on_every_ewt_type() -> None:
    from algorithms.corpora import read_tagged_conllu

    types = set()
    for name in ("en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"):
        for sentence in read_tagged_conllu(EWT / name):
            types.update(word.lower() for word, _ in sentence)
    disagreements = [
        (w, porter_stem(w).stem, NLTK.stem(w)) for w in sorted(types) if porter_stem(w).stem != NLTK.stem(w)
    ]
    assert len(types) > 7000
    assert 1 - len(disagreements) / len(types) >= 0.999, disagreements
    assert disagreements == []  # none at all, in fact


def test_agrees_with_nltk_on_random_english_words() -> None:
    words = random.Random(4).sample(sorted(packaged_prior().counts), 5000)
    assert [porter_stem(w).stem for w in words] == [NLTK.stem(w) for w in words]


@pytest.mark.parametrize("word", ["", "  ", "two words"])
def test_bad_input_is_one_sentence(word: str) -> None:
    with pytest.raises(ValueError, match="one word"):
        porter_stem(word)


def test_questions_and_pseudocode() -> None:
    result = porter_stem("relational")
    k = next(k for k, e in enumerate(result.trace, start=1) if e.step == "2")
    assert result.question_at(k).check("yes").correct
    assert "step 2" in result.pseudocode[result.line_at(k)]
