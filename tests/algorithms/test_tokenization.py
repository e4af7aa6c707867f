"""Tokenisation: the stated rules, agreement with UD EWT's own tokens (better than nltk's Treebank
tokenizer on the same sentences), and Heaps' law on EWT dev."""

from __future__ import annotations

import pytest

from algorithms.tokenization import ewt_heaps_reference, heaps_law, tokenize, types_and_tokens
from tests.conftest import SHARED_DATA

EWT = SHARED_DATA / "ud-english-ewt"
needs_ewt = pytest.mark.skipif(not EWT.exists(), reason="needs ../shared/data/ud-english-ewt")


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("I don't think so.", ["I", "do", "n't", "think", "so", "."]),
        (
            "Mr. Smith paid $1,000.50 in the U.S.",
            ["Mr.", "Smith", "paid", "$", "1,000.50", "in", "the", "U.S."],
        ),
        ("Apple's 3rd store!!!", ["Apple", "'s", "3rd", "store", "!!!"]),
        ("Mail a.b@c.org or www.example.com ...", ["Mail", "a.b@c.org", "or", "www.example.com", "..."]),
        ("al-Qaeda", ["al", "-", "Qaeda"]),
    ],
)
def test_the_stated_rules(text: str, tokens: list[str]) -> None:
    assert tokenize(text).tokens == tokens


def test_each_step_names_its_rule() -> None:
    result = tokenize("I don't.")
    assert [e.rule for e in result.trace] == ["word", "word", "clitic", "punctuation"]
    assert result.question_at(3).check("clitic").correct
    assert result.state_at(3).tokens == ("I", "do", "n't")


def _spans(text: str, tokens: list[str]) -> list[tuple[int, int]] | None:
    out, i = [], 0
    for token in tokens:
        j = text.find(token, i)
        if j < 0:
            return None
        out.append((j, j + len(token)))
        i = j + len(token)
    return out


@needs_ewt
def test_agrees_with_ewt_tokens_better_than_nltks_treebank_tokenizer() -> None:
    import conllu
    from nltk.tokenize import TreebankWordTokenizer

    treebank = TreebankWordTokenizer()
    counts = {"ours": [0, 0, 0], "nltk": [0, 0, 0]}  # true positives, predicted, gold
    with (EWT / "en_ewt-ud-test.conllu").open(encoding="utf-8") as file:
        for sentence in conllu.parse_incr(file):
            text = sentence.metadata["text"]
            gold = _spans(text, [t["form"] for t in sentence if isinstance(t["id"], int)])
            ours, theirs = _spans(text, tokenize(text).tokens), _spans(text, treebank.tokenize(text))
            if gold is None or ours is None or theirs is None:
                continue  # nltk rewrites quotes as `` and '': those sentences cannot be aligned
            for name, spans in (("ours", ours), ("nltk", theirs)):
                counts[name][0] += len(set(spans) & set(gold))
                counts[name][1] += len(spans)
                counts[name][2] += len(gold)
    f1 = {name: 2 * tp / (predicted + gold) for name, (tp, predicted, gold) in counts.items()}
    assert f1["ours"] >= 0.965 and f1["ours"] > f1["nltk"]


@needs_ewt
def test_heaps_law_on_ewt_dev() -> None:
    import conllu

    tokens: list[str] = []
    with (EWT / "en_ewt-ud-dev.conllu").open(encoding="utf-8") as file:
        for sentence in conllu.parse_incr(file):
            tokens += tokenize(sentence.metadata["text"]).tokens
    types, n = types_and_tokens(tokens)
    assert n > 25_000 and 5_000 < types < 6_000
    k, beta, curve = heaps_law(tokens)
    assert 0.67 <= beta <= 0.8  # SLP3: β is about .67 to .75
    for size, vocabulary in curve:
        assert abs(k * size**beta - vocabulary) / vocabulary < 0.1


@needs_ewt
def test_shipped_heaps_reference_is_rebuilt_from_ewt() -> None:
    from benchmarks.build_heaps_reference import ewt_tokens, reference

    tokens = ewt_tokens()
    rebuilt = reference(tokens)
    shipped = ewt_heaps_reference()
    assert shipped.curve == tuple(tuple(point) for point in rebuilt["curve"])
    assert (shipped.k, shipped.beta) == (rebuilt["k"], rebuilt["beta"])
    # The curve is the real growth: the last point is the whole corpus.
    assert shipped.curve[-1] == (len(tokens), len(set(tokens)))
    assert 0.67 <= shipped.beta <= 0.8


def test_shipped_heaps_reference_is_a_growing_vocabulary() -> None:
    reference = ewt_heaps_reference()
    sizes = [n for n, _ in reference.curve]
    types = [v for _, v in reference.curve]
    assert sizes == sorted(set(sizes)) and sizes[0] == 10
    assert all(0 < v <= n for n, v in reference.curve)
    assert types == sorted(types)  # |V| never shrinks as N grows
    # The fit (made on linearly spaced sizes, so on large N) is within 10% past a thousand
    # tokens, and overestimates the first hundred: short texts repeat fewer words than it says.
    for n, v in reference.curve:
        if n >= 1000:
            assert abs(reference.k * n**reference.beta - v) / v < 0.1
        if n <= 100:
            assert reference.k * n**reference.beta > v


def test_bad_input_is_one_sentence() -> None:
    with pytest.raises(ValueError, match="empty"):
        tokenize("   ")
    with pytest.raises(ValueError, match="10 tokens"):
        heaps_law(["a"])
