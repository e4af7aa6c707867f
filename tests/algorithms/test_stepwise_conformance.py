"""One conformance suite for every engine result, in the spirit of scikit-learn's check_estimator.

Every result listed in ENGINES must be :class:`Stepwise`, and for every step k:

- ``state_at(k)`` equals folding the first k events from ``state_at(0)`` with
  the state's own ``then`` (a second, obvious code path: one event at a time);
- ``event_at(0)`` is None and ``event_at(k)`` is the k-th event;
- ``narrate(k)`` is that event's description, in every number style;
- states and events are frozen, and the arrays in a state are read-only;
- the state at k is the same whatever order the steps are visited in;
- every level's boundaries rise from 0 to the end, and phases tile the trace.

Inputs are the textbook examples plus random ones (seeded, so CI is repeatable).
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable

import numpy as np
import pytest

from algorithms.bpe import learn_bpe, segment
from algorithms.cfg import Grammar
from algorithms.cky import cky, probabilistic_cky
from algorithms.dependency import DependencyTree, parse
from algorithms.edit_distance import edit_distance
from algorithms.embeddings import (
    ppmi_trace,
    term_context_matrix,
    term_document_matrix,
    tf_idf_trace,
    train_sgns,
)
from algorithms.hmm import HMM, backward, baum_welch, forward, viterbi
from algorithms.manual_search import manual_search
from algorithms.neural import MLP, Graph, perceptron_train, train_mlp
from algorithms.ngram import SMOOTHINGS, NGramModel
from algorithms.parse_search import earley, recursive_descent, shift_reduce
from algorithms.regex_search import search
from algorithms.resources import resource_text
from algorithms.segmentation import max_match
from algorithms.sentences import split_sentences
from algorithms.spelling import NoisyChannel
from algorithms.stemming import porter_stem
from algorithms.tokenization import tokenize
from algorithms.trace import NUMBER_STYLES, START_NARRATION, State, Stepwise, Trace

ICE_CREAM = HMM(
    ["HOT", "COLD"],
    ["1", "2", "3"],
    [0.8, 0.2],
    [[0.6, 0.4], [0.5, 0.5]],
    [[0.2, 0.4, 0.4], [0.5, 0.4, 0.1]],
)
TOY = ["<s> I am Sam </s>", "<s> Sam I am </s>", "<s> I do not like green eggs and ham </s>"]
BOOK = DependencyTree(
    words=["book", "me", "the", "morning", "flight"],
    heads=[0, 1, 5, 5, 1],
    labels=["root", "iobj", "det", "nmod", "obj"],
)


def _random_word(rng: random.Random, alphabet: str, most: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, most)))


def _random_hmm(rng: random.Random) -> HMM:
    n, m = rng.randint(1, 3), rng.randint(2, 4)
    gen = np.random.default_rng(rng.randrange(2**32))
    return HMM(
        [f"S{i}" for i in range(n)],
        [str(k) for k in range(m)],
        gen.dirichlet(np.ones(n)),
        gen.dirichlet(np.ones(n), size=n),
        gen.dirichlet(np.ones(m), size=n),
    )


def _random_tree(rng: random.Random) -> DependencyTree:
    """A random projective tree: each word attaches to a neighbour's span, built by recursive splitting."""
    n = rng.randint(1, 7)
    heads = [0] * n

    def attach(lo: int, hi: int, head: int) -> None:  # words lo..hi (1-based) get heads inside or `head`
        if lo > hi:
            return
        root = rng.randint(lo, hi)
        heads[root - 1] = head
        attach(lo, root - 1, root)
        attach(root + 1, hi, root)

    attach(1, n, 0)
    labels = [rng.choice(["nsubj", "obj", "det", "amod"]) if h else "root" for h in heads]
    return DependencyTree(words=[f"w{i}" for i in range(1, n + 1)], heads=heads, labels=labels)


XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]]
L1_AS_WRITTEN = Grammar.from_string(resource_text("grammars/l1.cfg"))
L1 = L1_AS_WRITTEN.to_cnf()
PP = Grammar.from_string(resource_text("grammars/pp-attachment.pcfg"))
RESTAURANT = [line.split() for line in resource_text("corpora/restaurant.txt").splitlines() if line.strip()]


def _engines() -> list[tuple[str, Callable[[], Stepwise]]]:
    rng = random.Random(20261203)
    engines: list[tuple[str, Callable[[], Stepwise]]] = [
        ("edit_distance textbook", lambda: edit_distance("intention", "execution", substitution_cost=2)),
        ("edit_distance transpositions", lambda: edit_distance("acress", "caress", transpositions=True)),
        ("viterbi 3 1 3", lambda: viterbi(ICE_CREAM, "3 1 3")),
        ("forward 3 1 3", lambda: forward(ICE_CREAM, "3 1 3")),
        ("backward 3 1 3", lambda: backward(ICE_CREAM, "3 1 3")),
        ("baum_welch", lambda: baum_welch(ICE_CREAM, ["3 1 3 2 2", "1 1 2 3"], iterations=6, tolerance=None)),
        ("cky L1", lambda: cky(L1, ["book", "the", "flight", "through", "Houston"])),
        (
            "probabilistic_cky pp",
            lambda: probabilistic_cky(PP, ["I", "saw", "the", "man", "with", "the", "telescope"]),
        ),
        ("generate", lambda: NGramModel(TOY, order=2).generate(seed=1, max_length=12)),
        ("ppmi_trace", lambda: ppmi_trace(term_context_matrix(RESTAURANT[:8], window=2), alpha=0.75)),
        ("tf_idf_trace", lambda: tf_idf_trace(term_document_matrix([s for s in RESTAURANT[:5]]))),
        ("train_sgns", lambda: train_sgns(RESTAURANT, dim=8, epochs=2, seed=0, snapshots=12, track=20)),
        ("parse arc-standard", lambda: parse(BOOK.words, None, system="arc-standard", oracle=BOOK)),
        ("parse arc-eager", lambda: parse(BOOK.words, None, system="arc-eager", oracle=BOOK)),
        (
            "spelling textbook",
            lambda: NoisyChannel.textbook().correct("acress", context=("versatile", "whose")),
        ),
        ("spelling acress", lambda: NoisyChannel.default().correct("acress")),
        ("porter relational", lambda: porter_stem("relational")),
        ("tokenize", lambda: tokenize("I don't think Mr. Smith paid $1,000.50 for it!!!")),
        ("sentences rules", lambda: split_sentences("Mr. Smith left. He was late.\nNew line.", "rules")),
        ("sentences tree", lambda: split_sentences("Jennifer M. Anderson came. Then she left!", "tree")),
        ("regex the", lambda: search("[tT]he|a+b", "The other aab there")),
        ("porter hopping", lambda: porter_stem("hopping")),
        (
            "max_match",
            lambda: max_match("thetabledownthere", {"the", "theta", "table", "bled", "own", "down", "there"}),
        ),
        (
            "bpe slp3",
            lambda: learn_bpe(["low"] * 5 + ["lowest"] * 2 + ["newer"] * 6 + ["wider"] * 3, merges=8),
        ),
        (
            "bpe segment",
            lambda: segment(learn_bpe(["low"] * 5 + ["lowest"] * 2 + ["newer"] * 6, merges=6), "lower"),
        ),
        ("spelling thew", lambda: NoisyChannel.default().correct_sentence(["two", "of", "thew"])),
        (
            "spelling em",
            lambda: NoisyChannel.default().em(["acress", "teh", "recieve", "wierd"], iterations=3),
        ),
        ("earley book that flight", lambda: earley(L1_AS_WRITTEN, ["book", "that", "flight"])),
        (
            "earley through Houston",
            lambda: earley(L1_AS_WRITTEN, ["book", "the", "flight", "through", "Houston"]),
        ),
        ("shift_reduce book that flight", lambda: shift_reduce(L1_AS_WRITTEN, ["book", "that", "flight"])),
        (
            "recursive_descent bounded",
            lambda: recursive_descent(L1_AS_WRITTEN, ["book", "that", "flight"], bounded=True),
        ),
        (
            "manual shift-reduce",
            lambda: manual_search(
                L1_AS_WRITTEN,
                ["book", "that", "flight"],
                "shift-reduce",
                ["shift", "Verb -> 'book'", "shift"],
            ),
        ),
        ("graph slp3", lambda: Graph.from_expression("L = c * (a + 2 * b)", a=3, b=1, c=-2).backward()),
        (
            "graph shared",
            lambda: Graph.from_expression("y = tanh(x * w + b) ** 2 + x", x=0.5, w=-1.5, b=0.2).backward(),
        ),
        (
            "graph forward only",
            lambda: Graph.from_expression("y = relu(x - 1) / exp(x) + log(x)", x=2.5).forward(),
        ),
        ("perceptron and", lambda: perceptron_train(XOR_X, [0, 0, 0, 1], epochs=10)),
        ("perceptron xor", lambda: perceptron_train(XOR_X, [0, 1, 1, 0], epochs=4)),
        ("train_mlp xor", lambda: train_mlp(MLP([2, 2, 1], seed=1), XOR_X, [0, 1, 1, 0], epochs=2)),
        (
            "train_mlp minibatch softmax",
            lambda: train_mlp(
                MLP([2, 3, 2, 3], activation="relu", seed=4), XOR_X[:3], [0, 2, 1], epochs=2, lr=0.5, batch=2
            ),
        ),
        (
            "train_mlp squared tanh",
            lambda: train_mlp(
                MLP([2, 2, 2], activation="tanh", seed=2, loss="squared"),
                XOR_X,
                [1, 0, 0, 1],
                epochs=1,
                batch=3,
            ),
        ),
    ]
    for smoothing in SMOOTHINGS:
        engines.append(
            (
                f"score {smoothing}",
                lambda s=smoothing: NGramModel(TOY, order=2, smoothing=s).score("I am Sam"),
            )
        )
    for index in range(6):
        a, b = _random_word(rng, "abc", 6), _random_word(rng, "abc", 6)
        costs = {"substitution_cost": rng.choice([1, 2]), "transpositions": rng.random() < 0.5}
        engines.append((f"edit_distance random {index}", lambda a=a, b=b, c=costs: edit_distance(a, b, **c)))
        hmm = _random_hmm(rng)
        observations = [rng.choice(hmm.symbols) for _ in range(rng.randint(1, 5))]
        for algorithm in (viterbi, forward, backward):
            engines.append(
                (f"{algorithm.__name__} random {index}", lambda f=algorithm, h=hmm, o=observations: f(h, o))
            )
        tree = _random_tree(rng)
        system = rng.choice(["arc-standard", "arc-eager"])
        engines.append(
            (f"parse random {index}", lambda t=tree, s=system: parse(t.words, None, system=s, oracle=t))
        )
        sentence = " ".join(
            rng.choice(["book", "the", "flight", "through", "Houston", "a", "meal"]) for _ in range(4)
        )
        engines.append((f"cky random {index}", lambda s=sentence: cky(L1, s.split())))
    return engines


ENGINES = _engines()


@pytest.fixture(scope="module", params=ENGINES, ids=[name for name, _ in ENGINES])
def result(request: pytest.FixtureRequest) -> Stepwise:
    return request.param[1]()


def test_is_stepwise(result: Stepwise) -> None:
    assert isinstance(result, Stepwise)
    assert isinstance(result.trace, Trace)
    assert len(result.trace) > 0


def test_events_by_step(result: Stepwise) -> None:
    assert result.event_at(0) is None
    for k in range(1, len(result.trace) + 1):
        assert result.event_at(k) is result.trace[k - 1] or result.event_at(k) == result.trace[k - 1]


def test_state_is_the_fold_of_the_events(result: Stepwise) -> None:
    state = result.state_at(0)
    for k in range(1, len(result.trace) + 1):
        state = state.then(result.event_at(k))
        assert state == result.state_at(k), f"state_at({k}) differs from folding {k} events"


def test_narration_is_the_event_description(result: Stepwise) -> None:
    assert result.narrate(0) == START_NARRATION
    for style in NUMBER_STYLES:
        for k in range(1, len(result.trace) + 1):
            assert result.narrate(k, style) == result.event_at(k).describe(style)


def test_states_and_events_are_immutable(result: Stepwise) -> None:
    for k in {0, 1, len(result.trace) // 2, len(result.trace)}:
        state = result.state_at(k)
        assert isinstance(state, State)
        assert dataclasses.is_dataclass(state) and state.__dataclass_params__.frozen
        name = dataclasses.fields(state)[0].name
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(state, name, None)
        for item in dataclasses.fields(state):
            value = getattr(state, item.name)
            if isinstance(value, np.ndarray):
                with pytest.raises(ValueError):
                    value.flat[0] = value.flat[0]
        if k:
            event = result.event_at(k)
            assert event.__dataclass_params__.frozen
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(event, dataclasses.fields(event)[0].name, None)


def test_state_does_not_depend_on_visiting_order(result: Stepwise) -> None:
    steps = list(range(len(result.trace) + 1))
    in_order = [result.state_at(k) for k in steps]
    shuffled = steps[:]
    random.Random(7).shuffle(shuffled)
    for k in shuffled + steps[::-1]:
        assert result.state_at(k) == in_order[k]


def test_boundaries_rise_and_phases_tile(result: Stepwise) -> None:
    trace = result.trace
    for level in trace.levels:
        bounds = trace.boundaries(level)
        assert bounds[0] == 0 and bounds[-1] == len(trace)
        assert all(a < b for a, b in zip(bounds, bounds[1:], strict=False)), level
    finer = set(trace.boundaries(trace.levels[0]))
    assert set(trace.boundaries("phase")) <= finer
    position = 0
    for phase in trace.phases:
        assert phase.start == position and phase.stop > phase.start
        position = phase.stop
    assert position in (0, len(trace))


def test_out_of_range_steps_are_clamped(result: Stepwise) -> None:
    last = len(result.trace)
    assert result.state_at(-5) == result.state_at(0)
    assert result.state_at(last + 10) == result.state_at(last)
    assert result.event_at(last + 10) == result.event_at(last)


def test_public_api_of_the_issue() -> None:
    r = edit_distance("intention", "execution", substitution_cost=2)
    assert isinstance(r, Stepwise)
    assert dataclasses.is_dataclass(r.state_at(57))
    assert r.event_at(0) is None
    assert r.narrate(57) == r.trace[56].describe()
    lm = NGramModel(TOY, order=2, smoothing="mle", unk_threshold=0)
    score = lm.score(["I", "am", "Sam"])
    assert isinstance(score, Stepwise)
    assert score.log_probability == pytest.approx(lm.logprob("I am Sam"), abs=1e-12)
    assert [e.describe() for e in lm.score_trace(["I", "am", "Sam"])] == [e.describe() for e in score.trace]
    assert score.state_at(len(score.trace)).perplexity == pytest.approx(
        lm.perplexity(["I am Sam"]), rel=1e-12
    )
