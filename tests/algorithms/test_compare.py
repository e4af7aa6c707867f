"""Compare mode's engine (issue 15, item 2): variants aligned step by step, and where they first part."""

import pytest

from algorithms.compare import align, first_difference
from algorithms.dependency import parse
from algorithms.edit_distance import edit_distance
from algorithms.hmm import TrellisNode, backward, forward, viterbi
from algorithms.ngram import NGramModel
from tests.algorithms.test_stepwise_conformance import BOOK, ICE_CREAM, TOY


def _check_timeline(results, timeline):
    assert timeline[0] == tuple(0 for _ in results)
    for n, result in enumerate(results):
        steps = [row[n] for row in timeline]
        assert steps == sorted(steps)  # each variant only moves forward
        assert set(range(len(result.trace) + 1)) <= set(steps)  # and shows every one of its steps
    for before, row in zip(timeline, timeline[1:], strict=False):
        assert any(now > then for now, then in zip(row, before, strict=True))  # something moves each step


def test_viterbi_and_forward_show_the_same_node_together():
    results = [viterbi(ICE_CREAM, "3 1 3"), forward(ICE_CREAM, "3 1 3")]
    timeline = align(results)
    _check_timeline(results, timeline)
    for row in timeline[1:]:
        events = [r.event_at(step) for r, step in zip(results, row, strict=True)]
        if all(isinstance(e, TrellisNode) for e in events):
            assert events[0].time == events[1].time and events[0].state == events[1].state
    # Viterbi's termination and backtrace run on while forward waits at its last step.
    assert timeline[-1] == (len(results[0].trace), len(results[1].trace))
    assert first_difference(results, ["viterbi", "forward"]) == (
        "First difference: v2(HOT) = .0384 (viterbi), α2(HOT) = .0404 (forward)."
    )
    assert align([forward(ICE_CREAM, "3 1 3"), backward(ICE_CREAM, "3 1 3")])[1] == (1, 1)


def test_arc_standard_and_arc_eager_align_by_words_consumed():
    results = [parse(BOOK.words, None, system=s, oracle=BOOK) for s in ("arc-standard", "arc-eager")]
    timeline = align(results)
    _check_timeline(results, timeline)
    for row in timeline:
        consumed = [r.state_at(step).next for r, step in zip(results, row, strict=True)]
        assert max(consumed) - min(consumed) <= 1  # never more than a word apart
    assert first_difference(results, ["arc-standard", "arc-eager"]) == (
        "Transition 1 differs: SHIFT (arc-standard), RIGHTARC(root) (arc-eager)."
    )


def test_smoothings_align_factor_by_factor_and_add_one_parts_from_mle_at_sam_am():
    results = [NGramModel(TOY, order=2, smoothing=s).score("I am Sam am") for s in ("mle", "laplace")]
    timeline = align(results)
    _check_timeline(results, timeline)
    assert timeline == [(k, k) for k in range(len(results[0].trace) + 1)]
    assert first_difference(results, ["MLE", "add-one"]) == (
        "Factor 4, 'Sam am': MLE gives it 0 (an unseen bigram), add-one does not."
    )
    three = [
        NGramModel(TOY, order=2, smoothing=s).score("I am Sam am") for s in ("mle", "laplace", "kneser-ney")
    ]
    assert first_difference(three, ["MLE", "add-one", "KN"]).startswith("Factor 4, 'Sam am': MLE gives it 0")


def test_levenshtein_and_slp3_costs_part_at_the_first_substitution():
    results = [edit_distance("intention", "execution", substitution_cost=c) for c in (1, 2)]
    _check_timeline(results, align(results))
    assert (
        first_difference(results, ["Levenshtein", "SLP3"])
        == "First difference: D[1,1]: 1 (Levenshtein), 2 (SLP3)."
    )
    same = [edit_distance("abc", "abd"), edit_distance("abc", "abd")]
    assert first_difference(same, ["a", "b"]) == "The variants agree at every step they share."
    with pytest.raises(ValueError, match="Compare two or three results"):
        first_difference(same[:1], ["a"])
