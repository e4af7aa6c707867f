"""Noisy-channel spelling: SLP3's acress numbers, confusion counts against an independent
recount, candidates against rapidfuzz's Damerau distance, EM's likelihood, real-word errors,
and bad input."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import extract

from algorithms.misspellings import parse_misspellings, split_pairs
from algorithms.spelling import CountChannel, NoisyChannel, check_word
from algorithms.spelling_channel import ALPHABET, ConfusionCounts, alignment_edits, count_edits
from algorithms.spelling_prior import WordPrior, packaged_prior
from tests.conftest import SHARED_DATA

CODESPELL = SHARED_DATA / "misspellings" / "codespell-dictionary.txt"
needs_codespell = pytest.mark.skipif(not CODESPELL.exists(), reason="needs ../shared/data/misspellings")

#: SLP3 Fig. B.2: the candidates of "acress", their edit and the typed|intended letters.
ACRESS = {
    "actress": ("del", "c|ct"),
    "cress": ("ins", "a|#"),
    "caress": ("trans", "ac|ca"),
    "access": ("sub", "r|c"),
    "across": ("sub", "e|o"),
    "acres": ("ins", "es|e"),
}


@pytest.fixture(scope="module")
def default() -> NoisyChannel:
    return NoisyChannel.default()


def test_the_six_acress_candidates_with_their_edits(default: NoisyChannel) -> None:
    found = {c.word: (c.edit, c.letters) for c in default.candidates("acress")}
    assert found == ACRESS
    acres = next(c for c in default.candidates("acress") if c.word == "acres")
    assert sorted(e.letters for e in acres.edits) == ["es|e", "ss|s"]  # SLP3 lists both


def test_textbook_unigram_ranking_is_slp3s() -> None:
    """SLP3 Fig. B.4: P(x|w)·P(w) × 10^9 is 2.7 for actress and 2.8 for across, which wins."""
    result = NoisyChannel.textbook().correct("acress")
    scores = {w: s * 1e9 for w, s in result.ranking}
    expected = {"actress": 2.7, "cress": 0.00078, "caress": 0.0028, "access": 0.019, "across": 2.8}
    for word, value in expected.items():
        assert scores[word] == pytest.approx(value, rel=0.03), word
    assert scores["acres"] == pytest.approx(1.02 + 1.09, rel=0.03)  # both of its edits
    assert result.best == "across"
    assert [w for w, _ in result.ranking[:2]] == ["across", "actress"]


def test_textbook_bigram_context_picks_actress() -> None:
    """SLP3: P(versatile actress whose) = 210 × 10^-10, P(versatile across whose) = 1 × 10^-10."""
    result = NoisyChannel.textbook().correct("acress", context=("versatile", "whose"))
    assert result.best == "actress"
    contexts = {e.word: e.context for e in result.trace if hasattr(e, "left_probability")}
    assert contexts["actress"] == pytest.approx(210e-10, rel=0.01)
    assert contexts["across"] == pytest.approx(1.26e-10, rel=0.01)
    assert result.unigram_ranking[0][0] == "across"  # the unigram story is kept beside it


def test_default_scores_equal_a_recount_from_the_counts_and_the_word_list(default: NoisyChannel) -> None:
    """Each candidate's channel and prior recomputed by hand from the bundled counts and symspellpy's file."""
    counts = ConfusionCounts.bundled()
    prior = packaged_prior()
    by_hand = {
        "actress": (counts.matrices["del"][("c", "t")], counts.pairs["ct"]),
        "cress": (counts.matrices["ins"][("#", "a")], counts.letters["#"]),
        "caress": (counts.matrices["trans"][("c", "a")], counts.pairs["ca"]),
        "access": (counts.matrices["sub"][("r", "c")], counts.letters["c"]),
        "across": (counts.matrices["sub"][("e", "o")], counts.letters["o"]),
    }
    n, v = prior.total, len(prior.counts)
    for candidate in default.candidates("acress"):
        if candidate.word in by_hand:
            count, letters = by_hand[candidate.word]
            assert candidate.channel == pytest.approx((count + 1) / (letters + 27), rel=1e-12)
        assert candidate.prior == pytest.approx((prior.counts[candidate.word] + 1) / (n + v), rel=1e-12)
    result = default.correct("acress")
    assert [w for w, _ in result.ranking] == sorted(
        (c.word for c in default.candidates("acress")), key=lambda w: -dict(result.ranking)[w]
    )
    assert result.best == result.ranking[0][0]


def _direct_recount(pairs: list[tuple[str, str]]) -> dict[str, Counter[tuple[str, str]]]:
    """Each pair's one edit read off rapidfuzz's Levenshtein edit operations (or a swap, by hand)."""
    matrices: dict[str, Counter[tuple[str, str]]] = {k: Counter() for k in ("del", "ins", "sub", "trans")}
    for typo, word in pairs:
        ops = Levenshtein.editops(word, typo)  # word → typo
        if len(ops) == 1:
            op = ops[0]
            before = word[op.src_pos - 1] if op.src_pos else "#"
            if op.tag == "delete":
                matrices["del"][(before, word[op.src_pos])] += 1
            elif op.tag == "insert":
                typed_before = typo[op.dest_pos - 1] if op.dest_pos else "#"
                matrices["ins"][(typed_before, typo[op.dest_pos])] += 1
            else:
                matrices["sub"][(typo[op.dest_pos], word[op.src_pos])] += 1
        else:  # a swap of neighbours: two substitutions for Levenshtein
            i = next(k for k in range(len(word)) if word[k] != typo[k])
            matrices["trans"][(word[i], word[i + 1])] += 1
    return matrices


def _random_single_edit(rng: random.Random, word: str) -> str | None:
    """``word`` with one random slip whose place is unambiguous (not inside a run of one letter)."""
    kind = rng.choice(["del", "ins", "sub", "trans"])
    i = rng.randrange(len(word))
    letter = rng.choice(ALPHABET)
    if (
        kind == "del"
        and len(word) > 2
        and (i == 0 or word[i - 1] != word[i])
        and word[i : i + 2] != word[i] * 2
    ):
        return word[:i] + word[i + 1 :]
    if kind == "ins" and letter not in (word[i - 1] if i else "", word[i]):
        return word[:i] + letter + word[i:]
    if kind == "sub" and letter != word[i]:
        return word[:i] + letter + word[i + 1 :]
    if kind == "trans" and i + 1 < len(word) and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return None


def test_confusion_counts_equal_a_direct_recount_on_random_slips() -> None:
    rng = random.Random(7)
    words = [w for w in packaged_prior().counts if w.isalpha() and 4 <= len(w) <= 9][:5000]
    pairs = []
    while len(pairs) < 400:
        word = rng.choice(words)
        typo = _random_single_edit(rng, word)
        if typo and OSA.distance(word, typo) == 1 and Levenshtein.distance(word, typo) in (1, 2):
            pairs.append((typo, word))
    counts = count_edits(pairs)
    assert counts.trained_on == len(pairs)
    direct = _direct_recount(pairs)
    for kind in direct:
        assert counts.matrices[kind] == direct[kind], kind
    letters = Counter(ch for _, w in pairs for ch in "#" + w)
    assert counts.letters == letters  # the denominators: the correct words' letters


@needs_codespell
def test_confusion_counts_on_real_codespell_pairs_equal_a_direct_recount() -> None:
    """One-edit pairs of the real list with no letter doubled (a slip inside a run has two places)."""
    pairs = parse_misspellings(CODESPELL.read_text("utf-8").splitlines())

    def no_runs(text: str) -> bool:
        return not any(a == b for a, b in zip(text, text[1:], strict=False))

    sample = [(t, w) for t, w in pairs[:3000] if OSA.distance(t, w) == 1 and no_runs(w) and no_runs(t)][:200]
    assert len(sample) > 100
    counts = count_edits(sample)
    direct = _direct_recount(sample)
    for kind in direct:
        assert counts.matrices[kind] == direct[kind], kind


def test_candidates_are_rapidfuzzs_words_at_damerau_distance_one(default: NoisyChannel) -> None:
    """For random typos, the words one edit away are exactly the vocabulary's words at OSA distance 1."""
    rng = random.Random(3)
    vocabulary = [w for w in packaged_prior().counts if set(w) <= set(ALPHABET)]
    for _ in range(12):
        word = rng.choice([w for w in vocabulary if 4 <= len(w) <= 8])
        typo = _random_single_edit(rng, word) or word + "q"
        if typo in packaged_prior():
            continue
        ours = {c.word for c in default.candidates(typo)}
        theirs = {
            w
            for w, d, _ in extract(typo, vocabulary, scorer=OSA.distance, score_cutoff=1, limit=None)
            if d == 1
        }
        assert ours == theirs, typo


def test_em_likelihood_never_decreases(default: NoisyChannel) -> None:
    rng = random.Random(11)
    words = [w for w in packaged_prior().counts if w.isalpha() and 4 <= len(w) <= 8][:3000]
    typos = [t for t in (_random_single_edit(rng, rng.choice(words)) for _ in range(400)) if t]
    result = default.em(typos, iterations=6)
    likelihoods = result.log_likelihoods
    assert len(likelihoods) == 7
    assert all(b >= a - 1e-9 for a, b in zip(likelihoods, likelihoods[1:], strict=False)), likelihoods
    assert likelihoods[-1] > likelihoods[0] + 1  # it learns something
    total = sum(m.sum() for m in result.matrices_at(6).values())
    assert total == pytest.approx(len(result.typos))  # one edit per typo, in expectation
    for k in range(1, 7):
        event = result.event_at(k)
        assert event.log_likelihood_before == likelihoods[k - 1]
        assert event.log_likelihood_after == likelihoods[k]


@needs_codespell
def test_em_on_real_typos_learns_substitutions_of_neighbouring_vowels(default: NoisyChannel) -> None:
    pairs = parse_misspellings(CODESPELL.read_text("utf-8").splitlines())
    training, _ = split_pairs(pairs)
    typos = [t for t, _ in training[:1500]]
    result = default.em(typos, iterations=4)
    assert all(
        b >= a - 1e-9 for a, b in zip(result.log_likelihoods, result.log_likelihoods[1:], strict=False)
    )
    assert result.skipped > 0  # typos two edits from any word are counted as left out


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("this used to belong to thew queen", "this used to belong to the queen"),
        ("two of thew", "two of the"),
        ("he threw the ball", "he threw the ball"),  # nothing to correct
    ],
)
def test_real_word_correction(default: NoisyChannel, sentence: str, expected: str) -> None:
    result = default.correct_sentence(sentence.split())
    assert " ".join(result) == expected
    scores = [s.log_score for s in result.sentences]
    assert max(scores) == pytest.approx(result.trace[-1].log_score)
    typed = result.sentences[0]
    assert typed.index is None and typed.log_channel == pytest.approx(len(sentence.split()) * math.log(0.95))


def test_real_word_alpha_changes_how_eager_correction_is(default: NoisyChannel) -> None:
    words = ["two", "of", "thew"]
    assert " ".join(default.correct_sentence(words, alpha=0.999999999)) == "two of thew"


@pytest.mark.parametrize(
    ("typo", "phrase"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("acr3ss", "a–z"),
        ("a" * 100, "100 letters"),
        ("слово", "a–z"),
        ("naïve", "a–z"),
    ],
)
def test_bad_input_is_one_sentence(default: NoisyChannel, typo: str, phrase: str) -> None:
    with pytest.raises(ValueError, match=phrase) as raised:
        default.correct(typo)
    message = str(raised.value)
    assert message.count(". ") == 0 and "\n" not in message
    with pytest.raises(ValueError):
        default.correct_sentence(["two", "of", typo or "4"])


def test_no_candidate_is_an_answer_not_a_crash(default: NoisyChannel) -> None:
    result = default.correct("qqqqqqqqxz")
    assert result.best == "qqqqqqqqxz" and result.ranking == ()
    assert "nothing to correct" in result.narrate(len(result.trace))


def test_pseudocode_lines_follow_the_steps(default: NoisyChannel) -> None:
    result = default.correct("acress", context=("versatile", "whose"))
    lines = [result.line_at(k) for k in range(1, len(result.trace) + 1)]
    assert lines == sorted(lines)  # candidates, then channel, then context, then the argmax
    assert result.pseudocode[lines[0]].strip().startswith("candidates")
    assert "argmax" in result.pseudocode[lines[-1]]
    first = result.question_at(1)
    assert first is not None and first.check(result.trace[0].edit.kind).correct
    last = result.question_at(len(result.trace))
    assert last is not None and last.check(result.best).correct and not last.check("cress").correct


def test_check_word_lower_cases() -> None:
    assert check_word("  Acress ") == "acress"


def test_alignment_edits_match_slp3_for_every_acress_candidate() -> None:
    for word, (kind, letters) in ACRESS.items():
        (edit,) = alignment_edits("acress", word)
        assert (edit.kind, edit.letters) == (kind, letters)


def test_distance_two_candidates_are_rapidfuzzs_words_at_damerau_distance_two() -> None:
    """Only when no word is one edit away; on a 6,000-word vocabulary so the index builds fast."""
    words = {w: c for w, c in list(packaged_prior().counts.items())[:6000] if set(w) <= set(ALPHABET)}
    small = NoisyChannel(CountChannel(ConfusionCounts.bundled()), WordPrior(words))
    rng = random.Random(5)
    checked = 0
    for word in rng.sample(sorted(w for w in words if 6 <= len(w) <= 9), 60):
        typo = _random_single_edit(rng, word)
        typo = typo and _random_single_edit(rng, typo)
        if not typo or typo in words or small.candidates(typo):
            continue  # a word one edit away: the distance-2 search is not run
        ours = {c.word for c in small.candidates(typo, max_distance=2)}
        theirs = {
            w
            for w, d, _ in extract(typo, list(words), scorer=OSA.distance, score_cutoff=2, limit=None)
            if d == 2
        }
        assert ours == theirs, typo
        for candidate in small.candidates(typo, max_distance=2):
            assert len(candidate.edits) % 2 == 0 and "+" in candidate.edit  # two edits each
        checked += 1
        last = typo
    assert checked >= 10
    assert small.correct(last, max_distance=2).trace.phases[0].name == "two edits"
