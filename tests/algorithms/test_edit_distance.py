"""Minimum edit distance against the textbook and independent implementations."""

from functools import cache

import editdistance
import nltk
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from algorithms.edit_distance import (
    MAX_TRACED_ITEMS,
    BacktraceStep,
    FillCell,
    InitCell,
    edit_distance,
    fast_edit_distance,
)

# SLP3 Figure 2.18: intention -> execution, insertion 1, deletion 1, substitution 2.
SLP3_TABLE = np.array(
    [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 5, 6, 7, 6, 7, 8],
        [2, 3, 4, 5, 6, 7, 8, 7, 8, 7],
        [3, 4, 5, 6, 7, 8, 7, 8, 9, 8],
        [4, 3, 4, 5, 6, 7, 8, 9, 10, 9],
        [5, 4, 5, 6, 7, 8, 9, 10, 11, 10],
        [6, 5, 6, 7, 8, 9, 8, 9, 10, 11],
        [7, 6, 7, 8, 9, 10, 9, 8, 9, 10],
        [8, 7, 8, 9, 10, 11, 10, 9, 8, 9],
        [9, 8, 9, 10, 11, 12, 11, 10, 9, 8],
    ]
)

small_text = st.text(alphabet="abcde", max_size=12)


def alignment_cost(result, ins=1, dele=1, sub=1, trans=1):
    """Cost of an alignment; a transposition's two entries cost ``trans`` once."""
    per_op = {"match": 0, "sub": sub, "ins": ins, "del": dele, "trans": trans / 2}
    return sum(per_op[op] for op, _, _ in result.alignment)


def apply_alignment(alignment):
    """Rebuild (source, target) from an alignment's two rows."""
    source = [s for _, s, _ in alignment if s is not None]
    target = [t for _, _, t in alignment if t is not None]
    return source, target


def test_slp3_full_table_and_alignment():
    r = edit_distance("intention", "execution", insertion_cost=1, deletion_cost=1, substitution_cost=2)
    assert r.distance == 8.0
    assert r.table.shape == (10, 10)
    np.testing.assert_array_equal(r.table, SLP3_TABLE)
    # The textbook alignment: I N T E * N T I O N / * E X E C U T I O N, ops d s s _ i s.
    ops = [op for op, _, _ in r.alignment]
    assert ops == ["del", "sub", "sub", "match", "ins", "sub", "match", "match", "match", "match"]
    assert alignment_cost(r, sub=2) == 8


def test_slp3_levenshtein_distance_is_5():
    assert edit_distance("intention", "execution").distance == 5.0


def test_token_lists_work_item_by_item():
    r = edit_distance(["the", "cat"], ["a", "cat"], substitution_cost=2)
    assert r.distance == 2.0
    assert r.alignment[-1] == ("match", "cat", "cat")
    assert r.table.shape == (3, 3)


@pytest.mark.parametrize(
    "source,target,expected",
    [("", "", 0.0), ("", "abc", 3.0), ("abcd", "", 4.0), ("graffe", "giraffe", 1.0)],
)
def test_empty_and_simple_inputs(source, target, expected):
    r = edit_distance(source, target)
    assert r.distance == expected
    assert apply_alignment(r.alignment) == (list(source), list(target))


def test_empty_inputs_use_their_costs():
    assert edit_distance("", "abc", insertion_cost=2.5).distance == 7.5
    assert edit_distance("ab", "", deletion_cost=0.5).distance == 1.0


@settings(max_examples=300, deadline=None)
@given(small_text, small_text, st.sampled_from([1, 2]))
def test_agrees_with_nltk(source, target, substitution_cost):
    expected = nltk.edit_distance(source, target, substitution_cost=substitution_cost)
    traced = edit_distance(source, target, substitution_cost=substitution_cost)
    assert traced.distance == expected
    assert fast_edit_distance(source, target, substitution_cost=substitution_cost) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcdefgh", max_size=40), st.text(alphabet="abcdefgh", max_size=40))
def test_agrees_with_editdistance_c_library(source, target):
    assert edit_distance(source, target).distance == editdistance.eval(source, target)


@cache
def _osa_recursive(a, b, ins, dele, sub, trans):
    """Restricted Damerau-Levenshtein straight from its recursive definition."""
    if not a:
        return len(b) * ins
    if not b:
        return len(a) * dele
    best = min(
        _osa_recursive(a[:-1], b, ins, dele, sub, trans) + dele,
        _osa_recursive(a, b[:-1], ins, dele, sub, trans) + ins,
        _osa_recursive(a[:-1], b[:-1], ins, dele, sub, trans) + (0 if a[-1] == b[-1] else sub),
    )
    if len(a) >= 2 and len(b) >= 2 and a[-1] == b[-2] and a[-2] == b[-1]:
        best = min(best, _osa_recursive(a[:-2], b[:-2], ins, dele, sub, trans) + trans)
    return best


@settings(max_examples=300, deadline=None)
@given(small_text, small_text)
def test_transpositions_agree_with_rapidfuzz_osa(source, target):
    r = edit_distance(source, target, transpositions=True)
    assert r.distance == OSA.distance(source, target)
    assert fast_edit_distance(source, target, transpositions=True) == r.distance
    assert alignment_cost(r) == pytest.approx(r.distance)
    assert apply_alignment(r.alignment) == (list(source), list(target))


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abc", max_size=8),
    st.text(alphabet="abc", max_size=8),
    st.sampled_from([0.5, 1.0, 2.0, 3.0]),
    st.sampled_from([0.5, 1.0, 2.0]),
    st.sampled_from([0.5, 1.0, 2.5]),
    st.sampled_from([0.25, 1.0, 1.5]),
)
def test_weighted_transpositions_agree_with_recursive_definition(source, target, ins, dele, sub, trans):
    r = edit_distance(
        source,
        target,
        insertion_cost=ins,
        deletion_cost=dele,
        substitution_cost=sub,
        transpositions=True,
        transposition_cost=trans,
    )
    assert r.distance == pytest.approx(_osa_recursive(source, target, ins, dele, sub, trans))
    assert alignment_cost(r, ins, dele, sub, trans) == pytest.approx(r.distance)
    assert apply_alignment(r.alignment) == (list(source), list(target))


@settings(max_examples=200, deadline=None)
@given(small_text, small_text, st.sampled_from([1, 2]))
def test_alignment_cost_equals_distance_and_rebuilds_both_strings(source, target, sub):
    r = edit_distance(source, target, substitution_cost=sub)
    assert alignment_cost(r, sub=sub) == r.distance
    assert apply_alignment(r.alignment) == (list(source), list(target))
    for op, s, t in r.alignment:
        assert (op == "match") == (s is not None and s == t)


def test_every_cell_is_the_minimum_of_its_narrated_candidates():
    r = edit_distance("kitten", "sitting", substitution_cost=2, transpositions=True)
    fills = [e for e in r.trace if isinstance(e, FillCell)]
    assert len(fills) == 6 * 7
    for event in fills:
        totals = [c.total for c in event.candidates]
        assert event.value == min(totals) == r.table[event.cell]
        assert {c.op for c in event.candidates if c.total == event.value} == set(event.chosen)


def test_narration_instantiates_the_formula():
    r = edit_distance("intention", "execution", substitution_cost=2)
    # The cell D[3,2], 't' vs 'x': D[2,2]=4, D[3,1]=4, D[2,1]=3 in the SLP3 table, so all three tie at 5.
    event = r.trace[int(r.filled_at[3, 2])]
    assert isinstance(event, FillCell)
    assert event.describe() == (
        "D[3,2] = min(D[2,2]+1, D[3,1]+1, D[2,1]+2) = min(5, 5, 5) = 5  "
        "(delete 't'; insert 'x'; substitute 't' → 'x')"
    )
    first_column = r.trace[3]
    assert isinstance(first_column, InitCell)
    assert first_column.describe() == "D[3,0] = D[2,0] + del('t') = 2 + 1 = 3  (delete 't')"
    last = r.trace[len(r.trace) - 1]
    assert isinstance(last, BacktraceStep)
    assert last.describe().endswith("Alignment complete: total cost 8.")


def test_non_integer_costs_print_short_numbers():
    r = edit_distance("ab", "ba", insertion_cost=0.1, deletion_cost=0.2, substitution_cost=0.3)
    text = r.trace[int(r.filled_at[2, 2])].describe()
    assert "0.30000000000000004" not in text
    assert r.distance == pytest.approx(0.3)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"insertion_cost": -1}, r"The insertion cost must be in \[0, 1e\+09\]; got -1\.$"),
        ({"deletion_cost": "two"}, "The deletion cost must be a number; got 'two'."),
        ({"substitution_cost": float("nan")}, "The substitution cost must be a finite number; got nan."),
        ({"transposition_cost": True}, "The transposition cost must be a number; got True."),
        # Outside testing: 1e308 overflowed the table to inf and the backtrace found no way back.
        (
            {"insertion_cost": 1e308, "deletion_cost": 0, "substitution_cost": 5070421},
            r"The insertion cost must be in \[0, 1e\+09\]; got 1e\+308\.",
        ),
        ({"transpositions": "false"}, "transpositions must be True or False; got 'false'."),
    ],
)
def test_bad_costs_are_refused_with_one_sentence(kwargs, message):
    with pytest.raises(ValueError, match=message):
        edit_distance("a", "b", **kwargs)


def test_oversized_input_states_the_limit():
    with pytest.raises(ValueError, match=f"limit is {MAX_TRACED_ITEMS:,} items per side"):
        edit_distance("a" * (MAX_TRACED_ITEMS + 1), "b")


def test_500_by_500_fits_the_limit_and_agrees_with_fast_path():
    rng = np.random.default_rng(0)
    source = "".join(rng.choice(list("acgt"), 500))
    target = "".join(rng.choice(list("acgt"), 500))
    r = edit_distance(source, target, substitution_cost=2)
    assert len(r.trace) == 501 * 501 + len(r.path) - 1
    assert r.distance == fast_edit_distance(source, target, substitution_cost=2)
    assert r.distance == nltk.edit_distance(source[:500], target[:500], substitution_cost=2)
