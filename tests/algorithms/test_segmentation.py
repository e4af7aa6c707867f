"""MaxMatch: SLP3's English failure, Chinese where it works and where it does not, word error rate."""

from __future__ import annotations

import random

import pytest

from algorithms.segmentation import chinese_dictionary, english_dictionary, max_match, word_error_rate


def test_the_textbook_failure() -> None:
    result = max_match("wecanonlyseeashortdistanceahead", english_dictionary())
    assert " ".join(result.tokens) == "we canon l y see ash ort distance ahead"
    gold = ["we", "can", "only", "see", "a", "short", "distance", "ahead"]
    assert word_error_rate(result.tokens, gold) == pytest.approx(5 / 8)
    assert " ".join(max_match("thetabledownthere", english_dictionary()).tokens) == "theta bled own there"


@pytest.mark.parametrize(
    ("hashtag", "gold"),
    [("bestfriendsforever", "best friends forever"), ("throwbackthursday", "throwback thursday"),
     ("nowplaying", "now playing")],
)  # fmt: skip
def test_english_hashtags(hashtag: str, gold: str) -> None:
    tokens = max_match(hashtag, english_dictionary()).tokens
    assert word_error_rate(tokens, gold.split()) == 0


def test_chinese_works_and_fails_as_the_literature_says() -> None:
    zh = chinese_dictionary()
    assert max_match("姚明进入总决赛", zh).tokens == ("姚明", "进入", "总决赛")
    wrong = max_match("研究生命起源", zh).tokens  # "study the origin of life"
    assert wrong == ("研究生", "命", "起源")  # greedy takes "graduate student" first
    assert word_error_rate(wrong, ["研究", "生命", "起源"]) == pytest.approx(2 / 3)


def test_every_step_takes_the_longest_dictionary_prefix_or_one_character() -> None:
    """Against a brute-force check on random texts over a small random dictionary."""
    rng = random.Random(2)
    for _ in range(50):
        words = {"".join(rng.choice("abc") for _ in range(rng.randint(1, 4))) for _ in range(8)}
        text = "".join(rng.choice("abc") for _ in range(rng.randint(1, 25)))
        result = max_match(text, words)
        assert "".join(result.tokens) == text
        position = 0
        for k, event in enumerate(result.trace, start=1):
            longest = max((w for w in words if text.startswith(w, position)), key=len, default=None)
            assert event.word == (longest or text[position]) and event.found == (longest is not None)
            position += len(event.word)
            assert result.state_at(k).position == position


@pytest.mark.parametrize(("text", "phrase"), [("", "empty"), ("   ", "empty"), ("a" * 3000, "at most")])
def test_bad_input_is_one_sentence(text: str, phrase: str) -> None:
    with pytest.raises(ValueError, match=phrase):
        max_match(text, {"a"})


def test_questions_and_pseudocode() -> None:
    result = max_match("thetabledownthere", english_dictionary())
    question = result.question_at(1)
    assert question is not None and question.check("theta").correct and not question.check("the").correct
    assert "InDictionary" in result.pseudocode[result.line_at(1)]
