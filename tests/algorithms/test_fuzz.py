"""Fuzzing every engine's public functions with nasty values (issue item 20, "make the project find these").

Each argument is drawn either from the values a caller means (then the answer is checked against
an independent computation) or from the values outside testing used: empty, unicode, NaN and
inf, huge, wrong types, limits. The only outcomes allowed are a right result or a ValueError
with one sentence; a TypeError, IndexError, ZeroDivisionError, RecursionError, StopIteration, a
NaN answer or a hang is a failure. ``EXAMPLES`` per test; the counts per engine are in the
closing note of the issue.
"""

from __future__ import annotations

import math
import os

import editdistance
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from algorithms.cfg import Grammar
from algorithms.cky import cky, inside, probabilistic_cky
from algorithms.dependency import DependencyTree, oracle_transitions, parse
from algorithms.edit_distance import edit_distance, fast_edit_distance
from algorithms.embeddings import cosine, ppmi, svd_embeddings, term_context_matrix, tf_idf, train_sgns
from algorithms.hmm import HMM, backward, baum_welch, forward, posteriors, viterbi
from algorithms.ngram import NGramModel
from algorithms.trees import Tree, parseval, read_bracketed_trees

EXAMPLES = 300
# Derandomized: CI sees the same examples every run (a failure is reproducible, never flaky).
# TRELLIS_FUZZ_EXPLORE=1 draws new ones each run, to look for more.
DERANDOMIZE = not os.environ.get("TRELLIS_FUZZ_EXPLORE")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=[HealthCheck.too_slow],
)

# -- nasty values ------------------------------------------------------------------------------------------
NASTY_NUMBERS = st.sampled_from(
    [
        float("nan"),
        float("inf"),
        -float("inf"),
        1e308,
        -1e308,
        -1,
        0,
        10**12,
        2**64,
        -(2**63),
        1e-320,
        True,
        2.5,
    ]
)
NASTY = st.one_of(
    st.none(),
    st.booleans(),
    NASTY_NUMBERS,
    st.text(max_size=8),
    st.sampled_from(["", " ", "\x00", "Ω漢🙂", "nan", "1e308", "<UNK>", "<s>", "</s>", "'", "->"]),
    st.lists(st.integers(-3, 3), max_size=3),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.just([[None]]),
    st.just(object()),
)
WORD = st.sampled_from(["a", "b", "the", "dog", "Ω", "漢字", "<UNK>", "x" * 30])


def either(good: st.SearchStrategy, share_of_nasty: float = 0.3) -> st.SearchStrategy:
    """Mostly ``good`` values, sometimes a nasty one."""
    return st.one_of(good, good, NASTY) if share_of_nasty < 0.5 else st.one_of(good, NASTY)


def outcome(function, *arguments, **keywords):
    """The result, or None when refused with a ValueError (any other exception fails the test)."""
    try:
        return function(*arguments, **keywords)
    except ValueError as problem:
        text = str(problem)
        assert text and "\n" not in text.strip() and "Traceback" not in text, text
        return None


# -- edit distance -----------------------------------------------------------------------------------------
@FUZZ
@given(
    source=either(st.text(max_size=12)),
    target=either(st.lists(st.sampled_from("abc"), max_size=10).map("".join)),
    costs=st.tuples(either(st.floats(0, 5)), either(st.floats(0, 5)), either(st.floats(0, 5))),
    transpositions=either(st.booleans()),
)
def test_fuzz_edit_distance(source, target, costs, transpositions):
    ins, dele, sub = costs
    result = outcome(edit_distance, source, target, ins, dele, sub, transpositions)
    if result is None:
        return
    assert math.isfinite(result.distance)
    fast = fast_edit_distance(source, target, ins, dele, sub, transpositions)
    assert result.distance == pytest.approx(fast, abs=1e-9)
    if (ins, dele, sub) == (1, 1, 1) and not transpositions and isinstance(source, str):
        assert result.distance == editdistance.eval(source, target)
    assert result.trace[len(result.trace) - 1].describe() if len(result.trace) else True


# -- HMMs ----------------------------------------------------------------------------------------------------
@st.composite
def hmms(draw: st.DrawFn) -> tuple:
    n, v = draw(st.integers(1, 3)), draw(st.integers(1, 3))

    def rows(count: int, width: int) -> list[list[float]]:
        table = np.array([[draw(st.floats(0.01, 1)) for _ in range(width)] for _ in range(count)])
        return (table / table.sum(axis=1, keepdims=True)).tolist()

    start = rows(1, n)[0]
    return (
        [f"s{i}" for i in range(n)],
        [str(k) for k in range(v)],
        start,
        rows(n, n),
        rows(n, v),
    )


@FUZZ
@given(
    model=hmms(),
    observations=either(st.lists(st.sampled_from(["0", "1", "2"]), min_size=1, max_size=6)),
    nasty_part=st.sampled_from(["none", "start", "transition", "emission", "states"]),
    junk=NASTY,
)
def test_fuzz_hmm(model, observations, nasty_part, junk):
    states, symbols, start, transition, emission = model
    parts = {"states": states, "start": start, "transition": transition, "emission": emission}
    if nasty_part != "none":
        parts[nasty_part] = junk
    hmm = outcome(HMM, parts["states"], symbols, parts["start"], parts["transition"], parts["emission"])
    if hmm is None:
        return
    best = outcome(viterbi, hmm, observations)
    total = outcome(forward, hmm, observations)
    if best is None or total is None:
        assert best is None and total is None  # refused alike
        return
    assert 0 <= best.probability <= total.probability * (1 + 1e-9) + 1e-300
    beta = backward(hmm, observations)
    assert beta.log_probability == pytest.approx(total.log_probability, abs=1e-9) or total.probability == 0
    gamma = outcome(posteriors, hmm, observations)
    if gamma is not None:
        assert np.all(np.isfinite(gamma)) and np.allclose(gamma.sum(axis=0), 1)


@FUZZ
@given(
    iterations=either(st.integers(1, 4)),
    tolerance=either(st.one_of(st.none(), st.floats(0, 1e-3))),
    sequences=either(st.lists(st.sampled_from(["0 1", "1 1 0", "0"]), min_size=1, max_size=3)),
)
def test_fuzz_baum_welch(iterations, tolerance, sequences):
    hmm = HMM(["A", "B"], ["0", "1"], [0.6, 0.4], [[0.7, 0.3], [0.4, 0.6]], [[0.9, 0.1], [0.2, 0.8]])
    result = outcome(baum_welch, hmm, sequences, iterations, tolerance)
    if result is not None:
        assert len(result.log_likelihoods) == len(result.models)
        assert all(math.isfinite(x) for x in result.log_likelihoods)


@FUZZ
@given(
    sentences=either(
        st.lists(st.lists(st.tuples(WORD, st.sampled_from(["N", "V"])), max_size=4), max_size=4)
    ),
    transition_k=either(st.floats(0.01, 1)),
    emission_k=either(st.floats(0.001, 1)),
    words=st.lists(WORD, min_size=1, max_size=4),
)
def test_fuzz_tagger_training(sentences, transition_k, emission_k, words):
    tagger = outcome(HMM.train, sentences, transition_k, emission_k)
    if tagger is not None:
        tags = tagger.tag(words)  # unknown words too: never ZeroDivisionError
        assert len(tags) == len(words) and set(tags) <= set(tagger.states)


# -- CFGs and CKY ------------------------------------------------------------------------------------------
GRAMMAR_LINES = st.sampled_from(
    [
        "S -> NP VP",
        "S -> A",
        "A -> B | 'x'",
        "B -> A | 'y'",
        "NP -> 'I' | Det N",
        "Det -> 'the'",
        "N -> 'dog'",
        "VP -> 'run' | V NP",
        "V -> 'saw'",
        "S -> ",
        "S -> 'a' S 'b' | 'c'",
        "X -> Y Z W",
        "Y -> 'y'",
        "Z -> 'z'",
        "W -> 'w'",
        "S -> S S",
        "'bad -> x",
        "S -> [0.5]",
        "# comment",
        "| A",
    ]
)


@FUZZ
@given(
    lines=st.lists(GRAMMAR_LINES, min_size=1, max_size=7),
    tokens=either(
        st.lists(
            st.sampled_from(["I", "run", "the", "dog", "saw", "x", "y", "a", "b", "c", "unknown"]),
            min_size=1,
            max_size=5,
        )
    ),
)
def test_fuzz_cky(lines, tokens):  # fmt: skip
    grammar = outcome(Grammar.from_string, "\n".join(lines))
    if grammar is None:
        return
    again = Grammar.from_string(str(grammar))  # the round trip: the same rules (start symbol's first)
    assert sorted(p.key for p in again.productions) == sorted(p.key for p in grammar.productions)
    cnf = outcome(grammar.to_cnf)
    if cnf is None:
        return
    chart = outcome(cky, cnf, tokens)
    if chart is None:
        return
    count = outcome(chart.tree_count)
    if count is not None and count <= 50:
        trees = list(chart.trees(limit=None))
        assert len(trees) == count and all(t.leaves() == list(tokens) for t in trees)


@FUZZ
@given(
    weights=st.lists(either(st.floats(0, 1)), min_size=3, max_size=3),
    tokens=either(st.lists(st.sampled_from(["x", "y"]), min_size=1, max_size=4)),
)
def test_fuzz_probabilistic_cky(weights, tokens):
    a, b, c = weights
    text = f"S -> S S [{a}] | A [{b}] | 'y' [{c}]\nA -> 'x' [1.0]"
    grammar = outcome(Grammar.from_string, text)
    if grammar is None:
        return
    cnf = grammar.to_cnf()
    best, total = outcome(probabilistic_cky, cnf, tokens), outcome(inside, cnf, tokens)
    if best is not None and total is not None:
        assert 0 <= best.probability <= total * (1 + 1e-9) + 1e-300


# -- n-grams -----------------------------------------------------------------------------------------------
@FUZZ
@given(
    sentences=either(st.lists(st.lists(WORD, min_size=1, max_size=5).map(" ".join), min_size=1, max_size=4)),
    order=either(st.integers(1, 3)),
    smoothing=either(
        st.sampled_from(["mle", "laplace", "add-k", "interpolation", "stupid-backoff", "kneser-ney"])
    ),
    k=either(st.floats(0.01, 2)),
    discount=either(st.floats(0.1, 0.9)),
    unk_threshold=either(st.integers(0, 2)),
    seed=either(st.integers(0, 100)),
)
def test_fuzz_ngram(sentences, order, smoothing, k, discount, unk_threshold, seed):
    lm = outcome(NGramModel, sentences, order, smoothing, k=k, discount=discount, unk_threshold=unk_threshold)
    if lm is None:
        return
    if smoothing != "stupid-backoff":
        context = ("<s>",) * (order - 1)
        assert math.fsum(lm.prob(w, context) for w in lm.vocabulary) == pytest.approx(1.0, abs=1e-9)
    sample = outcome(lm.generate, seed=seed, max_length=10)
    if sample is not None:
        assert len(sample) <= 10
    perplexity = lm.perplexity(sentences[:1])
    assert perplexity > 0 and not math.isnan(perplexity)


# -- vector semantics ---------------------------------------------------------------------------------------
@FUZZ
@given(
    counts=either(st.lists(st.lists(st.integers(0, 5), min_size=2, max_size=2), min_size=2, max_size=3)),
    alpha=either(st.floats(0.1, 1)),
    k=either(st.floats(0, 2)),
    junk=NASTY_NUMBERS,
)
def test_fuzz_weighting(counts, alpha, k, junk):
    weighted = outcome(ppmi, counts, alpha=alpha, k=k)
    if weighted is not None:
        assert np.all(np.isfinite(weighted)) and np.all(weighted >= 0)
    scores = outcome(tf_idf, counts)
    if scores is not None:
        assert np.all(np.isfinite(scores))
    if isinstance(counts, list) and counts and isinstance(counts[0], list):
        poisoned = [row[:] for row in counts]
        poisoned[0][0] = junk
        for function in (tf_idf, ppmi):
            result = outcome(function, poisoned)
            assert result is None or np.all(np.isfinite(result))


@FUZZ
@given(
    u=either(st.lists(st.floats(-1e200, 1e200), min_size=2, max_size=2)),
    v=either(st.lists(st.floats(-1e200, 1e200), min_size=2, max_size=2)),
    k=either(st.integers(1, 2)),
)
def test_fuzz_cosine_and_svd(u, v, k):
    value = outcome(cosine, u, v)
    if value is not None:
        assert -1 <= value <= 1
    matrix = outcome(svd_embeddings, np.array([u, v], dtype=object) if isinstance(u, list) else u, k)
    if matrix is not None:
        assert np.all(np.isfinite(matrix))


@settings(max_examples=100, deadline=None, derandomize=DERANDOMIZE)
@given(
    sentences=either(st.lists(st.lists(WORD, min_size=1, max_size=5), min_size=1, max_size=4)),
    window=either(st.integers(1, 3)),
    dim=either(st.integers(2, 8)),
    epochs=either(st.integers(1, 2)),
    seed=either(st.integers(0, 9)),
)
def test_fuzz_counts_and_sgns(sentences, window, dim, epochs, seed):
    matrix = outcome(term_context_matrix, sentences, window=window)
    if matrix is not None:
        assert matrix.counts.sum() >= 0
    trained = outcome(train_sgns, sentences, dim=dim, window=window, epochs=epochs, seed=seed)
    if trained is not None:
        assert np.all(np.isfinite(trained.vectors)) and all(math.isfinite(x) for x in trained.losses)


# -- dependency parsing and trees ---------------------------------------------------------------------------
@FUZZ
@given(
    heads=either(st.lists(st.integers(0, 4), min_size=1, max_size=4)),
    system=either(st.sampled_from(["arc-standard", "arc-eager"])),
    moves=st.lists(st.sampled_from(["SHIFT", "LEFTARC", "RIGHTARC", "REDUCE", "X"]), max_size=8),
)
def test_fuzz_dependency(heads, system, moves):
    words = [f"w{i}" for i in range(len(heads))] if isinstance(heads, list) else heads
    tree = outcome(DependencyTree, words, heads)
    if tree is not None:
        sequence = outcome(oracle_transitions, tree, system)
        if sequence is not None:
            assert parse(tree.words, None, system, oracle=tree).heads == list(tree.heads)
    result = outcome(parse, ["a", "b", "c"], None, system, transitions=[(m, None) for m in moves])
    if result is not None:
        assert len(result.heads) == 3


@FUZZ
@given(
    text=st.one_of(
        st.text(alphabet="()ab S", max_size=30), st.sampled_from(["(S (A " * 3000 + "x" + ")" * 6000])
    )
)
def test_fuzz_bracketed_trees(text):
    trees = outcome(read_bracketed_trees, text)
    if trees:
        for tree in trees:
            assert Tree.from_string(str(tree)) == tree
            if tree.leaves():
                assert parseval(tree, tree).f1 in (0.0, 1.0)
