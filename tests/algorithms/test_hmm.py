"""HMMs against the SLP3 ice-cream numbers and hmmlearn on random models."""

import math
import warnings
from pathlib import Path

import numpy as np
import pytest
from hmmlearn.hmm import CategoricalHMM

from algorithms.hmm import (
    HMM,
    UNKNOWN_SYMBOL,
    BacktraceStep,
    Termination,
    TrellisNode,
    backward,
    baum_welch,
    evaluate,
    format_probability,
    forward,
    most_frequent_tag_baseline,
    posteriors,
    viterbi,
)

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ud-english-ewt"


def ice_cream() -> HMM:
    """SLP3 Appendix A, Fig. A.2."""
    return HMM(
        states=["HOT", "COLD"],
        symbols=["1", "2", "3"],
        start=[0.8, 0.2],
        transition=[[0.6, 0.4], [0.5, 0.5]],
        emission=[[0.2, 0.4, 0.4], [0.5, 0.4, 0.1]],
    )


def random_hmm(rng: np.random.Generator, n: int, v: int) -> HMM:
    # Dirichlet(1) rows: strictly positive, so no ties or zero rows for the oracles to treat differently.
    return HMM(
        [f"s{i}" for i in range(n)],
        [f"o{k}" for k in range(v)],
        rng.dirichlet(np.ones(n)),
        rng.dirichlet(np.ones(n), size=n),
        rng.dirichlet(np.ones(v), size=n),
    )


def as_hmmlearn(hmm: HMM) -> CategoricalHMM:
    peer = CategoricalHMM(n_components=len(hmm.states), n_features=len(hmm.symbols), init_params="")
    peer.startprob_ = np.array(hmm.start)
    peer.transmat_ = np.array(hmm.transition)
    peer.emissionprob_ = np.array(hmm.emission)
    return peer


def path_log_probability(hmm: HMM, states, symbols) -> float:
    """ln P(path, observations), written out independently of the engine."""
    total = math.log(hmm.start[states[0]]) + math.log(hmm.emission[states[0], symbols[0]])
    for t in range(1, len(states)):
        total += math.log(hmm.transition[states[t - 1], states[t]]) + math.log(
            hmm.emission[states[t], symbols[t]]
        )
    return total


# -- SLP3 ice cream -------------------------------------------------------------------------
def test_ice_cream_viterbi_table_path_and_probability():
    result = viterbi(ice_cream(), ["3", "1", "3"])
    np.testing.assert_allclose(result.table, [[0.32, 0.0384, 0.0128], [0.02, 0.064, 0.0032]])
    assert result.path == ["HOT", "COLD", "HOT"]
    assert result.probability == pytest.approx(0.0128)
    assert result.log_probability == pytest.approx(math.log(0.0128))


def test_ice_cream_forward_table_and_likelihood():
    result = forward(ice_cream(), ["3", "1", "3"])
    np.testing.assert_allclose(result.table, [[0.32, 0.0404, 0.023496], [0.02, 0.069, 0.005066]])
    assert result.probability == pytest.approx(0.028562)
    assert result.log_probability == pytest.approx(math.log(0.028562))


def test_ice_cream_backward_gives_the_same_likelihood():
    result = backward(ice_cream(), "3 1 3")
    np.testing.assert_allclose(result.table, [[0.0836, 0.28, 1], [0.0905, 0.25, 1]])
    assert result.probability == pytest.approx(0.028562)


def test_narration_instantiates_the_recurrence():
    trace = viterbi(ice_cream(), ["3", "1", "3"]).trace
    assert trace[2].describe() == (
        "v2(HOT) = max(v1(HOT)·P(HOT|HOT), v1(COLD)·P(HOT|COLD)) · P(1|HOT) = max(.32·.6, .02·.5) · .2"
        " = .0384; best predecessor HOT"
    )
    assert trace[0].describe() == "v1(HOT) = π(HOT)·P(3|HOT) = .8·.4 = .32"
    log_text = trace[2].describe("log")
    assert log_text.startswith("ln v2(HOT) = max(ln v1(HOT) + ln P(HOT|HOT)")
    assert log_text.endswith(f"= {format_probability(math.log(0.0384), 'log')}; best predecessor HOT")
    forward_text = forward(ice_cream(), "3 1 3").trace[2].describe()
    assert forward_text.endswith("= (.32·.6 + .02·.5) · .2 = .0404")


def test_trace_order_phases_and_events():
    result = viterbi(ice_cream(), ["3", "1", "3"])
    trace = result.trace
    assert len(trace) == 6 + 1 + 3
    assert [p.name for p in trace.phases] == ["initialisation", "recursion", "termination", "backtrace"]
    assert trace.boundaries("column") == (0, 2, 4, 6, 7, 8, 9, 10)
    nodes = [e for e in trace if isinstance(e, TrellisNode)]
    order = result.node_order()
    for event, (state, time) in zip(nodes, order, strict=True):
        assert event.log_value == pytest.approx(result.log_table[state, time])
        assert event.time == time + 1 and event.state == result.hmm.states[state]
        if event.terms:  # the value really is max of the terms times the emission
            assert event.log_value == pytest.approx(
                max(t.log_product for t in event.terms) + event.log_emission
            )
    assert isinstance(trace[6], Termination) and trace[6].best_state == "HOT"
    backtrace = [e for e in trace if isinstance(e, BacktraceStep)]
    assert [(e.time, e.state) for e in backtrace] == [(3, "HOT"), (2, "COLD"), (1, "HOT")]
    assert result.path_shown(8) == {2: 0} and result.path_shown(10) == {0: 0, 1: 1, 2: 0}


@pytest.mark.parametrize("algorithm", [viterbi, forward, backward])
def test_filled_mask_is_the_fold_of_the_node_events(algorithm):
    rng = np.random.default_rng(3)
    result = algorithm(random_hmm(rng, 4, 5), [f"o{k}" for k in rng.integers(0, 5, 6)])
    filled = np.zeros_like(result.log_table, dtype=bool)
    for step in range(result.node_count + 1):
        np.testing.assert_array_equal(result.filled_mask(step), filled)
        if step < result.node_count:
            state, time = result.current_node(step + 1)
            event = result.trace[step]
            assert (event.time, event.state) == (time + 1, result.hmm.states[state])
            filled[state, time] = True


def test_format_probability_styles():
    assert format_probability(math.log(0.0384)) == ".0384"
    assert format_probability(math.log(0.0384), "scientific") == "3.84e-2"
    assert format_probability(math.log(0.0384), "log") == "-3.26"
    assert format_probability(-1000.0) == "5.08e-435"  # far below the smallest float, printed from the log
    assert format_probability(float("-inf")) == "0"
    assert format_probability(0.0) == "1"


# -- agreement with hmmlearn -----------------------------------------------------------------
@pytest.mark.parametrize("seed", range(25))
def test_viterbi_and_forward_agree_with_hmmlearn(seed):
    rng = np.random.default_rng(seed)
    n, v, t = int(rng.integers(1, 7)), int(rng.integers(1, 8)), int(rng.integers(1, 30))
    hmm = random_hmm(rng, n, v)
    indices = rng.integers(0, v, t)
    observations = [f"o{k}" for k in indices]
    peer = as_hmmlearn(hmm)
    peer_log_p, peer_states = peer.decode(indices.reshape(-1, 1), algorithm="viterbi")
    ours = viterbi(hmm, observations)
    assert ours.log_probability == pytest.approx(peer_log_p, rel=1e-9)
    peer_path = [hmm.states[i] for i in peer_states]
    if ours.path != peer_path:  # a tie between two best paths: both must score the maximum
        assert path_log_probability(hmm, peer_states, indices) == pytest.approx(peer_log_p, rel=1e-9)
    assert path_log_probability(hmm, ours.path_indices, indices) == pytest.approx(peer_log_p, rel=1e-9)
    assert forward(hmm, observations).log_probability == pytest.approx(peer.score(indices.reshape(-1, 1)))
    assert backward(hmm, observations).log_probability == pytest.approx(peer.score(indices.reshape(-1, 1)))
    np.testing.assert_allclose(
        posteriors(hmm, observations), peer.predict_proba(indices.reshape(-1, 1)).T, atol=1e-9
    )


def test_long_sentences_with_many_states_do_not_underflow():
    rng = np.random.default_rng(7)
    hmm = random_hmm(rng, 45, 60)
    indices = rng.integers(0, 60, 200)
    ours = viterbi(hmm, [f"o{k}" for k in indices])
    peer_log_p, peer_states = as_hmmlearn(hmm).decode(indices.reshape(-1, 1))
    assert ours.log_probability < -700  # exp() of this is 0.0 in a float
    assert ours.log_probability == pytest.approx(peer_log_p, rel=1e-9)
    assert ours.path == [hmm.states[i] for i in peer_states]
    assert "e-" in format_probability(ours.log_probability)


# -- Baum-Welch -------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
def test_baum_welch_log_likelihood_never_decreases(seed):
    rng = np.random.default_rng(100 + seed)
    n, v = int(rng.integers(2, 5)), int(rng.integers(2, 6))
    hmm = random_hmm(rng, n, v)
    sequences = [[f"o{k}" for k in rng.integers(0, v, rng.integers(2, 15))] for _ in range(5)]
    result = baum_welch(hmm, sequences, iterations=30, tolerance=None)  # early stopping off
    gains = np.diff(result.log_likelihoods)
    assert len(result.log_likelihoods) == len(result.models) >= 2
    assert np.all(gains >= -1e-9), gains.min()
    assert result.log_likelihoods[-1] > result.log_likelihoods[0]
    assert len(result.trace) == len(result.models) - 1


def test_baum_welch_one_iteration_matches_hmmlearn():
    rng = np.random.default_rng(42)
    hmm = random_hmm(rng, 3, 4)
    lengths = [7, 5, 9]
    sequences = [rng.integers(0, 4, length) for length in lengths]
    ours = baum_welch(hmm, [[f"o{k}" for k in s] for s in sequences], iterations=1)
    peer = as_hmmlearn(hmm)
    peer.n_iter, peer.tol = 1, 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        peer.fit(np.concatenate(sequences).reshape(-1, 1), lengths)
    np.testing.assert_allclose(ours.model.start, peer.startprob_, atol=1e-9)
    np.testing.assert_allclose(ours.model.transition, peer.transmat_, atol=1e-9)
    np.testing.assert_allclose(ours.model.emission, peer.emissionprob_, atol=1e-9)
    assert ours.log_likelihoods[0] == pytest.approx(peer.monitor_.history[0])


def test_baum_welch_refuses_unknown_symbols_and_empty_data():
    with pytest.raises(ValueError, match="Sequence 2 has '7', which is not one of the model's symbols"):
        baum_welch(ice_cream(), ["3 1", "7"])
    with pytest.raises(ValueError, match="no sequences"):
        baum_welch(ice_cream(), ["", []])


# -- validation ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"transition": [[0.6, 0.4], [0.5, 0.4]]}, "Row COLD of the transition matrix A sums to 0.9, not 1"),
        ({"emission": [[0.2, 0.4, 0.5], [0.5, 0.4, 0.1]]}, "Row HOT of the emission matrix B sums to 1.1"),
        ({"start": [0.8, 0.3]}, "The initial distribution π sums to 1.1"),
        ({"transition": [[1.2, -0.2], [0.5, 0.5]]}, "negative probability in row HOT"),
        ({"transition": [[0.6, 0.4]]}, r"transition matrix A must be 2 × 2 \(2 states\); it is 1 × 2"),
        ({"emission": [[0.2, 0.8], [0.5, 0.5]]}, r"must be 2 × 3 \(2 states, 3 symbols\)"),
        ({"states": ["HOT", "HOT"]}, "The state 'HOT' is listed twice"),
        ({"start": ["a", "b"]}, "must contain only numbers"),
        ({"start": [float("nan"), 1]}, "not a finite number"),
    ],
)
def test_bad_models_are_refused_with_one_clear_sentence(change, message):
    arguments = {
        "states": ["HOT", "COLD"],
        "symbols": ["1", "2", "3"],
        "start": [0.8, 0.2],
        "transition": [[0.6, 0.4], [0.5, 0.5]],
        "emission": [[0.2, 0.4, 0.4], [0.5, 0.4, 0.1]],
        **change,
    }
    with pytest.raises(ValueError, match=message):
        HMM(**arguments)


def test_renormalise_only_when_asked():
    hmm = HMM(["A", "B"], ["x"], [2, 2], [[1, 3], [1, 1]], [[5], [2]], renormalise=True)
    np.testing.assert_allclose(hmm.transition, [[0.25, 0.75], [0.5, 0.5]])
    np.testing.assert_allclose(hmm.start, [0.5, 0.5])
    with pytest.raises(ValueError, match="Row B of the transition matrix A is all zeros"):
        HMM(["A", "B"], ["x"], [1, 0], [[1, 0], [0, 0]], [[1], [1]], renormalise=True)


def test_unknown_observation_is_named_not_a_key_error():
    with pytest.raises(
        ValueError, match=r"The observation '4' is not in this model's vocabulary \(1, 2, 3\)"
    ):
        viterbi(ice_cream(), ["3", "4"])
    with pytest.raises(ValueError, match="no observations"):
        forward(ice_cream(), [])


def test_json_round_trip(tmp_path):
    path = tmp_path / "model.json"
    import json

    path.write_text(json.dumps(ice_cream().to_dict()))
    loaded = HMM.load(path)
    assert viterbi(loaded, "3 1 3").path == ["HOT", "COLD", "HOT"]
    path.write_text("{not json")
    with pytest.raises(ValueError, match=r"model.json is not valid JSON \(line 1: Expecting property name"):
        HMM.load(path)
    with pytest.raises(ValueError, match="missing transition, emission"):
        HMM.from_dict({"states": ["a"], "symbols": ["x"], "start": [1]})


# -- training ------------------------------------------------------------------------------------
TINY = [
    [("the", "DET"), ("dog", "NOUN"), ("is", "AUX"), ("running", "VERB")],
    [("a", "DET"), ("cat", "NOUN"), ("was", "AUX"), ("jumping", "VERB")],
    [("the", "DET"), ("cat", "NOUN"), ("sleeps", "VERB")],
    [("Dogs", "NOUN"), ("are", "AUX"), ("singing", "VERB")],
    [("the", "DET"), ("quickly", "ADV"), ("running", "VERB"), ("cats", "NOUN")],
]


def test_training_counts_and_rows_sum_to_one():
    hmm = HMM.train(TINY)
    assert hmm.states == ("ADV", "AUX", "DET", "NOUN", "VERB")
    assert hmm.symbols[-1] == UNKNOWN_SYMBOL
    np.testing.assert_allclose(hmm.transition.sum(axis=1), 1)
    np.testing.assert_allclose(hmm.emission.sum(axis=1), 1)
    det, noun = hmm.states.index("DET"), hmm.states.index("NOUN")
    assert np.argmax(hmm.start) == det  # 3 of 5 sentences start with a determiner
    assert np.argmax(hmm.transition[det]) == noun
    assert hmm.tag(["the", "dog", "is", "running"]) == ["DET", "NOUN", "AUX", "VERB"]


def test_unknown_words_use_suffix_and_shape():
    hmm = HMM.train(TINY)
    # "walking" was never seen; its ending -ing was, on verbs only.
    assert hmm.tag(["the", "cat", "is", "walking"])[-1] == "VERB"
    _, how = hmm.lookup("walking")
    assert how.startswith("unknown: lower-case, ending in '-ing'") and "VERB" in how
    emission, _ = hmm.lookup("walking")
    assert np.all(np.exp(emission) < hmm.emission[:, -1] * 1.5)  # a share of P(<UNK>|t), not above it
    _, how = hmm.lookup("The")
    assert how == "known as 'the'"


def test_training_refuses_bad_input():
    with pytest.raises(ValueError, match="no tagged sentences"):
        HMM.train([])
    with pytest.raises(ValueError, match=r"Sentence 1 has 'dog', not a \(word, tag\) pair"):
        HMM.train([["dog"]])


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data/ud-english-ewt")
def test_ud_english_tagger_beats_the_baseline():
    from algorithms.corpora import read_tagged_conllu

    train = read_tagged_conllu(DATA / "en_ewt-ud-dev.conllu")
    test = read_tagged_conllu(DATA / "en_ewt-ud-test.conllu")
    assert sum(map(len, train)) == 25147  # the data README's count of dev tokens
    hmm = HMM.train(train)
    accuracy, tokens = evaluate(hmm, test)
    baseline = most_frequent_tag_baseline(train, test)
    assert tokens > 24000
    assert 0.80 < baseline < 0.83
    assert accuracy >= 0.88, accuracy


def test_baum_welch_that_converges_early_keeps_one_likelihood_per_model():
    # Outside testing: this raised IndexError (the converged likelihood was popped, not the model).
    one_state = HMM(["A"], ["x", "y"], [1.0], [[1.0]], [[0.5, 0.5]])
    result = baum_welch(one_state, ["x x y"], iterations=3)
    assert result.converged
    assert len(result.log_likelihoods) == len(result.models) == len(result.trace) + 1
    assert result.model.emission[0] == pytest.approx([2 / 3, 1 / 3])
    assert result.log_likelihoods[-1] == pytest.approx(2 * math.log(2 / 3) + math.log(1 / 3))


@pytest.mark.parametrize("seed", range(100))
def test_baum_welch_on_the_ice_cream_hmm_never_crashes_and_never_decreases(seed):
    rng = np.random.default_rng(seed)
    sequences = [" ".join(rng.choice(["1", "2", "3"], size=rng.integers(2, 9))) for _ in range(3)]
    converging = baum_welch(ice_cream(), sequences, iterations=500)  # 83 of 100 crashed before
    assert len(converging.log_likelihoods) == len(converging.models)
    # Early stopping off: every one of the 60 iterations is kept and EM never loses likelihood.
    full = baum_welch(ice_cream(), sequences, iterations=60, tolerance=None)
    assert len(full.models) == 61 and not full.converged
    gains = np.diff(full.log_likelihoods)
    assert np.all(gains >= -1e-9 * np.abs(full.log_likelihoods[1:]))
