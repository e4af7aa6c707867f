"""The teaching regex matcher: SLP3's "the" refinements, agreement with Python's re on random
patterns and texts of the subset (hypothesis), refusals outside it, and the steps it shows."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms.regex_search import Backtrack, Consume, Found, TryStart, gold_counts, search

TEXT = "The other one there, the blithe one. the"


def spans(pattern: str, text: str) -> list[tuple[int, int]]:
    return [(m.start, m.end) for m in search(pattern, text).matches]


def test_slp3s_the_refinements_trade_false_positives_for_false_negatives() -> None:
    wanted = [(0, 3), (21, 24), (37, 40)]  # the three words "the", whatever their case
    assert gold_counts(search("the", TEXT).matches, wanted) == (2, 3, 1)  # other, there, blithe; misses The
    assert gold_counts(search("[tT]he", TEXT).matches, wanted) == (3, 3, 0)
    refined = search(r"\b[tT]he\b", TEXT).matches
    assert gold_counts(refined, wanted) == (3, 0, 0)
    # SLP3's [^a-zA-Z][tT]he[^a-zA-Z] needs a character each side: it misses the first and last "the".
    assert len(search("[^a-zA-Z][tT]he[^a-zA-Z]", TEXT).matches) == 1


atoms = st.sampled_from(
    ["a", "b", ".", "[ab]", "[^a]", "[a-c]", r"\d", r"\w", r"\s", r"\.", "(a|b)", "(ab|a)", "()"]
)
quantifiers = st.sampled_from(["", "", "", "?", "*", "+", "{2}", "{1,2}", "{0,}", "{2,3}"])
anchors = st.sampled_from(["", "", "", "^", "$", r"\b", r"\B"])


@st.composite
def patterns(draw: st.DrawFn) -> str:
    parts = [draw(anchors) + draw(atoms) + draw(quantifiers) for _ in range(draw(st.integers(1, 4)))]
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), "|")
    return "".join(parts) + draw(anchors)


@settings(max_examples=400, deadline=None)
@given(patterns(), st.text(alphabet="ab1 .\n", max_size=12))
def test_agrees_with_pythons_re(pattern: str, text: str) -> None:
    assert spans(pattern, text) == [m.span() for m in re.finditer(pattern, text)], (pattern, text)


@pytest.mark.parametrize(
    ("pattern", "construct"),
    [("a*?", "lazy"), ("(?=a)", "look-around"), (r"(a)\1", "back-reference"), ("(?P<x>a)", "group"),
     (r"\p", "escape"), ("*a", "nothing before it"), ("a{x}", "{m}")],
)  # fmt: skip
def test_outside_the_subset_is_refused_naming_the_construct(pattern: str, construct: str) -> None:
    with pytest.raises(ValueError, match=re.escape(construct)) as refused:
        search(pattern, "aaa")
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(("pattern", "phrase"), [("", "empty"), ("(a", "never closed"), ("a)", "unmatched"),
                                                 ("[z-a]", "backwards"), ("(a*)*b", "steps")])  # fmt: skip
def test_bad_patterns_are_one_sentence(pattern: str, phrase: str) -> None:
    text = "a" * 40 if phrase == "steps" else "abc"
    with pytest.raises(ValueError, match=phrase):
        search(pattern, text)


def test_the_steps_show_starts_consumption_backtracking_and_matches() -> None:
    result = search("a+b", "aac")
    kinds = [type(e) for e in result.trace]
    assert kinds[0] is TryStart and Consume in kinds and Backtrack in kinds and Found not in kinds
    assert result.matches == []
    result = search("[tT]he", "The")
    # Found, then the search goes on from 3: one more start, which fails at the end of the text.
    assert [type(e) for e in result.trace] == [TryStart, Consume, Consume, Consume, Found, TryStart, Consume]
    assert result.state_at(len(result.trace)).matches == tuple(result.matches)
    question = result.question_at(2)
    assert question is not None and question.check("yes").correct
