"""Byte-pair encoding: SLP3's merges and segmentation, the tie-break rule, and agreement with
Hugging Face ``tokenizers``' BPE trainer on random corpora without ties."""

from __future__ import annotations

import json
import random

import pytest

from algorithms.bpe import END_OF_WORD, learn_bpe, segment

SLP3 = ["low"] * 5 + ["lowest"] * 2 + ["newer"] * 6 + ["wider"] * 3 + ["new"] * 2
SLP3_MERGES = [
    ("e", "r"),
    ("er", "_"),
    ("n", "e"),
    ("ne", "w"),
    ("l", "o"),
    ("lo", "w"),
    ("new", "er_"),
    ("low", "_"),
]


def test_slp3_merges_in_order() -> None:
    model = learn_bpe(SLP3, merges=8)
    assert model.merges == SLP3_MERGES
    assert model.initial_vocabulary == ("l", "o", "w", "_", "e", "s", "t", "n", "r", "i", "d")
    assert model.vocabulary[-1] == "low_"
    first = model.trace[0]
    assert first.count == 9 and first.tied == (("r", "_"),)  # SLP3's first merge wins a tie


def test_slp3_segments_lower_and_newer() -> None:
    model = learn_bpe(SLP3, merges=8)
    assert segment(model, "lower").tokens == ("low", "er_")
    assert segment(model, "newer").tokens == ("newer_",)
    result = segment(model, "lower")
    applied = [e.number for e in result.trace if e.applied]
    assert applied == [1, 2, 5, 6]  # e r, er _, l o, lo w: in the order they were learned
    assert result.state_at(2).symbols == ("l", "o", "w", "er_")


def test_the_tie_break_is_the_first_pair_in_the_corpus() -> None:
    """'a b' and 'c d' both occur twice; the corpus order decides, whichever is alphabetically first."""
    assert learn_bpe(["cd", "ab", "cd", "ab"], merges=1, end_of_word=None).merges == [("c", "d")]
    assert learn_bpe(["ab", "cd", "ab", "cd"], merges=1, end_of_word=None).merges == [("a", "b")]
    # Within one word, left to right: 'x y' comes before 'y z' in "xyz".
    assert learn_bpe(["xyz"], merges=1, end_of_word=None).merges == [("x", "y")]


def test_the_corpus_is_rewritten_after_each_merge() -> None:
    model = learn_bpe(SLP3, merges=2)
    corpus = dict(model.corpus_at(2))
    assert corpus[("n", "e", "w", "er_")] == 6 and corpus[("w", "i", "d", "er_")] == 3
    assert dict(model.corpus_at(0))[("l", "o", "w", "_")] == 5


def _hf_merges(words: list[str], count: int) -> list[tuple[str, str]]:
    tokenizers = pytest.importorskip("tokenizers")
    tokenizer = tokenizers.Tokenizer(tokenizers.models.BPE())
    tokenizer.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    alphabet = sorted(set("".join(words)))
    trainer = tokenizers.trainers.BpeTrainer(
        vocab_size=len(alphabet) + count, show_progress=False, min_frequency=0
    )
    tokenizer.train_from_iterator([" ".join(words)], trainer)
    merges = json.loads(tokenizer.to_str())["model"]["merges"]
    return [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in merges]


def test_agrees_with_hugging_face_on_random_corpora_without_ties() -> None:
    rng = random.Random(17)
    compared = 0
    for _ in range(3000):
        vocabulary = ["".join(rng.choice("abcdef") for _ in range(rng.randint(2, 7))) for _ in range(8)]
        words = [w for w in vocabulary for _ in range(rng.randint(1, 300))]
        model = learn_bpe(words, merges=6, end_of_word=None)
        if any(step.tied for step in model.trace) or len(model.merges) < 6:
            continue  # a tie: the two trainers break it differently, as documented
        assert model.merges == _hf_merges(words, len(model.merges)), vocabulary
        compared += 1
        if compared == 25:
            break
    assert compared == 25


def test_byte_level_starts_from_utf8_bytes() -> None:
    model = learn_bpe(["café"] * 3 + ["cafés"], merges=3, byte_level=True)
    assert model.initial_vocabulary[:5] == ("c", "a", "f", "<c3>", "<a9>")
    assert segment(model, "café").tokens[-1].endswith(END_OF_WORD)
    assert "".join(segment(model, "naïve").tokens).startswith("na<c3><af>")  # no unknown symbol


@pytest.mark.parametrize(
    ("corpus", "merges", "phrase"),
    [
        ("", 3, "no words"),
        ("a b", -1, "whole number"),
        ("a b", 10**6, "whole number"),
        ("a b", True, "whole number"),
    ],
)
def test_bad_input_is_one_sentence(corpus, merges, phrase) -> None:
    with pytest.raises(ValueError, match=phrase):
        learn_bpe(corpus, merges=merges)


def test_learning_stops_when_every_word_is_one_symbol() -> None:
    model = learn_bpe(["ab"], merges=10)
    assert model.merges == [("a", "b"), ("ab", "_")]
    with pytest.raises(ValueError, match="one word"):
        segment(model, "two words")


def test_questions_ask_the_pair_that_merges() -> None:
    model = learn_bpe(SLP3, merges=8)
    question = model.question_at(3)
    assert question is not None and question.check("n e").correct and not question.check("e w").correct
    assert model.pseudocode[model.line_at(1)].strip().startswith("tL, tR")
