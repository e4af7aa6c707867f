"""N-gram models: SLP3's toy corpus, every smoothing normalised, Kneser–Ney by hand, nltk.lm, failures."""

import math
import random

import numpy as np
import pytest
from nltk.lm import MLE
from nltk.lm.preprocessing import padded_everygram_pipeline

from algorithms.ngram import EOS, SMOOTHINGS, UNK, NGramModel, PerplexityStep, ScoreStep

TOY = ["<s> I am Sam </s>", "<s> Sam I am </s>", "<s> I do not like green eggs and ham </s>"]
NORMALISED = [s for s in SMOOTHINGS if s != "stupid-backoff"]


def test_slp3_toy_corpus_bigram_values():
    lm = NGramModel(TOY, order=2)
    assert lm.prob("I", ("<s>",)) == pytest.approx(2 / 3)
    assert lm.prob("Sam", ("<s>",)) == pytest.approx(1 / 3)
    assert lm.prob("am", ("I",)) == pytest.approx(2 / 3)
    assert lm.prob("</s>", ("Sam",)) == pytest.approx(1 / 2)
    assert lm.prob("Sam", ("am",)) == pytest.approx(1 / 2)
    assert lm.prob("do", ("I",)) == pytest.approx(1 / 3)
    assert "<s>" not in lm.vocabulary and EOS in lm.vocabulary and UNK not in lm.vocabulary
    assert len(lm.vocabulary) == 11  # 10 word types and </s>
    # The API's lower-case example.
    lower = NGramModel([s.lower() for s in TOY], order=2)
    assert lower.prob("am", ("i",)) == pytest.approx(2 / 3)
    assert lower.logprob(["i", "am", "sam"]) == pytest.approx(math.log(2 / 3 * 2 / 3 * 1 / 2 * 1 / 2))


def test_score_trace_narrates_each_factor_and_the_perplexity():
    trace = NGramModel(TOY, order=2).score_trace("I am Sam")
    texts = [e.describe() for e in trace]
    assert texts[1] == "P(am | I) = C(I am) / C(I) = 2 / 3 = .667; log P so far = -0.8109"
    assert isinstance(trace[-1], PerplexityStep) and len(trace) == 5
    expected_pp = (2 / 3 * 2 / 3 * 1 / 2 * 1 / 2) ** (-1 / 4)
    assert trace[-1].perplexity == pytest.approx(expected_pp)
    assert texts[-1] == f"PP = exp(−log P / N) = exp(−(-2.197) / 4) = {expected_pp:.4g}"
    assert [e.word for e in trace if isinstance(e, ScoreStep)] == ["I", "am", "Sam", "</s>"]


def random_corpus(rng: random.Random, size: int = 30) -> list[list[str]]:
    words = [f"w{i}" for i in range(rng.randint(3, 9))]
    return [[rng.choice(words) for _ in range(rng.randint(0, 7))] for _ in range(size)]


def random_model(seed: int, smoothing: str) -> tuple[random.Random, list[list[str]], int, NGramModel]:
    """A seeded random corpus and a model of order 1–3 on it (the rng is returned to draw more)."""
    rng = random.Random(seed)
    corpus = random_corpus(rng)
    order = 1 + seed % 3
    return (
        rng,
        corpus,
        order,
        NGramModel(corpus, order=order, smoothing=smoothing, k=0.3, unk_threshold=seed % 2),
    )


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("smoothing", NORMALISED)
def test_every_smoothing_sums_to_one_for_seen_and_unseen_contexts(seed, smoothing):
    _, corpus, order, lm = random_model(seed, smoothing)
    seen_context = tuple(corpus[0][: order - 1]) if order > 1 else ()
    contexts = [seen_context, ("never", "seen")[: order - 1], ("<s>",) * (order - 1)]
    for context in contexts:
        total = math.fsum(lm.distribution(context).values())
        if smoothing == "mle" and order > 1 and lm.context_count(lm._context(context)) == 0:
            assert total == 0  # MLE has nothing to say after a context never seen
        else:
            assert total == pytest.approx(1.0, abs=1e-12), context


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("smoothing", NORMALISED)
def test_the_mass_split_agrees_with_summing_the_whole_distribution(seed, smoothing):
    rng, corpus, order, lm = random_model(seed, smoothing)
    words = sorted({w for sentence in corpus for w in sentence}) + ["never"]
    for _ in range(6):
        context = tuple(rng.choice(words) for _ in range(order - 1))
        padded = lm.padded_context(context)
        distribution = lm.distribution(context)
        seen = math.fsum(p for w, p in distribution.items() if lm.count([*padded, w]) > 0)
        unseen = math.fsum(distribution.values()) - seen
        assert lm.mass_split(context) == pytest.approx((seen, max(unseen, 0.0)), abs=1e-12)


def test_stupid_backoff_is_a_score_with_alpha_per_backoff():
    lm = NGramModel(TOY, order=2, smoothing="stupid-backoff", alpha=0.4)
    assert lm.prob("am", ("I",)) == pytest.approx(2 / 3)
    assert lm.prob("Sam", ("green",)) == pytest.approx(0.4 * 2 / 17)  # unseen bigram: 0.4 · C(Sam) / N
    assert math.fsum(lm.distribution(("I",)).values()) > 1  # not a probability distribution
    assert "0.4 · C(Sam) / C(N) = 0.4 · 2 / 17" in lm.formula("Sam", ("green",))
    with pytest.raises(ValueError, match="no mass to split"):
        lm.mass_split(("I",))


def kneser_ney_bigram_by_hand(corpus, word, previous, d=0.75):
    """SLP3 eq. 3.35/3.38 for bigrams, interpolating the continuation unigram with 1/V."""
    bigrams = [(s[i - 1], s[i]) for s in corpus for i in range(1, len(s))]
    vocabulary = {w for s in corpus for w in s[1:]}
    c_prev = sum(1 for a, _ in bigrams if a == previous)
    c_pair = sum(1 for pair in bigrams if pair == (previous, word))
    followers = {b for a, b in bigrams if a == previous}
    types = set(bigrams)
    continuation = {w: sum(1 for a, b in types if b == w) for w in vocabulary}
    total_types = len(types)
    unigram = max(continuation.get(word, 0) - d, 0) / total_types + d * len(
        {w for w in vocabulary if continuation[w] > 0}
    ) / total_types * (1 / len(vocabulary))
    if c_prev == 0:
        return unigram
    return max(c_pair - d, 0) / c_prev + d * len(followers) / c_prev * unigram


@pytest.mark.parametrize("seed", range(8))
def test_kneser_ney_matches_its_formula_computed_directly(seed):
    rng = random.Random(100 + seed)
    corpus = random_corpus(rng)
    padded = [["<s>", *s, "</s>"] for s in corpus]
    lm = NGramModel(corpus, order=2, smoothing="kneser-ney", discount=0.75)
    for previous in ["<s>", *sorted({w for s in corpus for w in s})[:3]]:
        for word in lm.vocabulary:
            assert lm.prob(word, (previous,)) == pytest.approx(
                kneser_ney_bigram_by_hand(padded, word, previous)
            )


def test_kneser_ney_continuation_counts_kong_versus_glasses():
    # "Kong" is frequent but only after "Hong"; "glasses" is rarer but follows many words.
    corpus = ["Hong Kong"] * 6 + ["reading glasses", "my glasses", "new glasses", "the glasses"]
    lm = NGramModel(corpus, order=2, smoothing="kneser-ney")
    assert lm.count(["Kong"]) == 6 and lm.count(["glasses"]) == 4
    assert lm.continuation_count("Kong") == 1 and lm.continuation_count("glasses") == 4
    assert lm.prob("glasses", ("my",)) > lm.prob("Kong", ("my",))  # after an unrelated word
    assert NGramModel(corpus, order=1, smoothing="mle").prob("Kong") > NGramModel(corpus, 1).prob("glasses")


@pytest.mark.parametrize("seed", range(6))
def test_mle_bigram_scores_agree_with_nltk_lm(seed):
    rng = random.Random(200 + seed)
    corpus = random_corpus(rng, 40)
    ours = NGramModel(corpus, order=2)
    train, vocab = padded_everygram_pipeline(2, corpus)
    theirs = MLE(2)
    theirs.fit(train, vocab)
    for previous in ["<s>", *sorted({w for s in corpus for w in s})]:
        for word in ours.vocabulary:
            assert ours.prob(word, (previous,)) == pytest.approx(theirs.score(word, [previous]), abs=1e-12)


def test_trigram_pads_with_two_start_symbols():
    lm = NGramModel(TOY, order=3)
    assert lm.prob("I", ("<s>", "<s>")) == pytest.approx(2 / 3)
    assert lm.prob("am", ("<s>", "I")) == pytest.approx(1 / 2)  # I am Sam, I do not …
    assert lm.prob("am", ("I",)) == pytest.approx(1 / 2)  # a short context is padded with <s>
    assert lm.prob("am", ("Sam", "I")) == pytest.approx(1.0)
    assert lm.count(["<s>", "<s>", "I"]) == 2


def test_unseen_bigram_gives_infinite_perplexity_with_a_message():
    lm = NGramModel(TOY, order=2)
    result = lm.evaluate(["I am green"])
    assert result.perplexity == math.inf and not math.isnan(result.log_probability)
    assert result.zero_ngram == ("am", "green")
    assert result.message == (
        "The perplexity is infinite: the bigram 'am green' never occurs in training and mle gives it 0; "
        "use smoothing or an <UNK> threshold."
    )
    unknown = lm.evaluate(["Sam I tofu"])
    assert "the word 'tofu' is not in the training vocabulary" in unknown.message
    assert unknown.oov_rate == pytest.approx(1 / 3)
    assert lm.score_trace("I am green")[2].note == "'am green' was never seen: probability 0"
    assert NGramModel(TOY, order=2, smoothing="laplace").perplexity(["I am green"]) < math.inf


def test_unk_threshold_replaces_rare_words_and_scores_unknown_ones():
    lm = NGramModel(TOY, order=2, smoothing="laplace", unk_threshold=2)
    assert UNK in lm.vocabulary and "green" not in lm.vocabulary and "Sam" in lm.vocabulary
    assert lm.count([UNK]) == 7  # do not like green eggs and ham
    assert lm.prob("tofu", ("I",)) == lm.prob(UNK, ("I",))
    assert lm.evaluate(["I like tofu"]).oov_rate == pytest.approx(2 / 3)
    assert "'tofu' is unknown: scored as <UNK>" in lm.score_trace("I like tofu")[2].describe()


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"sentences": []}, "There are no sentences to train on"),
        ({"order": 0}, "The order must be at least 1; got 0."),
        ({"order": 2.0}, "The order must be a whole number; got 2.0."),
        ({"sentences": None}, "sentences must be a list of sentences (strings or lists of words); got None."),
        ({"sentences": [None]}, "Sentence 1 must be a string or a list of words; got None."),
        ({"smoothing": "add-k", "k": float("inf")}, "add-k's k must be a finite number; got inf."),
        ({"smoothing": "add-k", "k": "1"}, "add-k's k must be a number; got '1'."),
        ({"unk_threshold": [1]}, "unk_threshold must be a whole number; got [1]."),
        ({"smoothing": "good-turing"}, "Unknown smoothing 'good-turing'"),
        ({"smoothing": "interpolation", "lambdas": (0.5, 0.4)}, "The λs (0.5, 0.4) sum to 0.9, not 1."),
        ({"smoothing": "interpolation", "lambdas": (1.0,)}, "Interpolation needs 2 λs"),
        ({"smoothing": "kneser-ney", "discount": 1.5}, "Kneser–Ney's discount d must be in (0, 1); got 1.5."),
        ({"smoothing": "add-k", "k": 0}, "add-k's k must be in (0, 1e+06]; got 0."),
        ({"sentences": ["a </s> b"]}, "Sentence 1 has <s> or </s> in the middle"),
    ],
)
def test_bad_settings_are_refused_in_one_sentence(arguments, message):
    settings = {"sentences": TOY, "order": 2, "smoothing": "mle", **arguments}
    with pytest.raises(ValueError) as refused:
        NGramModel(settings.pop("sentences"), **settings)
    assert message in str(refused.value)
    with pytest.raises(ValueError, match="no test sentences"):
        NGramModel(TOY).evaluate([])


def test_generate_is_seeded_and_each_draw_follows_its_distribution():
    lm = NGramModel(TOY, order=2, smoothing="kneser-ney")
    first, again = lm.generate(seed=3), lm.generate(seed=3)
    assert list(first) == list(again) and first.trace[-1].word == EOS or len(first) == 30
    for step in first.trace:
        distribution = lm.distribution(step.context)
        words = list(lm.vocabulary)
        cumulative = np.cumsum([distribution[w] for w in words])
        expected = words[
            min(int(np.searchsorted(cumulative, step.draw * cumulative[-1], side="right")), len(words) - 1)
        ]
        assert step.word == expected
        assert step.probability == pytest.approx(distribution[step.word])
        assert "falls on" in step.describe()
    assert NGramModel(TOY, order=2).generate(seed=0, max_length=2).trace is not None


@pytest.mark.parametrize(
    "smoothing", ["mle", "laplace", "add-k", "interpolation", "stupid-backoff", "kneser-ney"]
)
@pytest.mark.parametrize("unk_threshold", [0, 2])
def test_a_literal_unk_in_the_corpus_keeps_every_distribution_summing_to_one(smoothing, unk_threshold):
    # Outside testing: with "<UNK>" typed in the corpus the MLE unigram distribution summed to .875.
    corpus = ["I am <UNK>", "Sam I am", "<UNK> likes ham"]
    for order in (1, 2, 3):
        if smoothing == "stupid-backoff":
            continue  # stupid backoff gives scores, not probabilities
        lm = NGramModel(corpus, order=order, smoothing=smoothing, unk_threshold=unk_threshold)
        assert "<UNK>" in lm.vocabulary
        contexts = {(), *(tuple(s.split()[max(0, i - order + 1) : i]) for s in corpus for i in range(4))}
        for context in contexts:
            context = (("<s>",) * (order - 1) + context)[len(context) :] if order > 1 else ()
            total = math.fsum(lm.prob(w, context) for w in lm.vocabulary)
            assert total == pytest.approx(1.0, abs=1e-9), (order, context)
