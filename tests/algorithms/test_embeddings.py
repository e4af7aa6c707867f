"""Vector semantics: SLP3's PPMI table and cosines, weightings against direct formulas, counts, SVD, SGNS."""

import math
import random
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from algorithms.corpora import read_tagged_conllu
from algorithms.embeddings import (
    CountMatrix,
    analogy,
    cosine,
    nearest,
    ppmi,
    ppmi_formula,
    svd_embeddings,
    term_context_matrix,
    term_document_matrix,
    tf_idf,
    train_sgns,
)

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ud-english-ewt"

# SLP3 Fig. 6.10: co-occurrence counts (Wikipedia) of four words with five contexts.
WORDS = ["cherry", "strawberry", "digital", "information"]
CONTEXTS = ["computer", "data", "result", "pie", "sugar"]
COUNTS = np.array(
    [[2, 8, 9, 442, 25], [0, 0, 1, 60, 19], [1670, 1683, 85, 5, 4], [3325, 3982, 378, 5, 13]], dtype=float
)
# SLP3 Fig. 6.12: their PPMI.
PPMI_TABLE = np.array(
    [[0, 0, 0, 4.38, 3.30], [0, 0, 0, 4.10, 5.51], [0.18, 0.01, 0, 0, 0], [0.02, 0.09, 0.28, 0, 0]]
)


def test_slp3_ppmi_table_and_narrated_cell():
    assert np.round(ppmi(COUNTS), 2) == pytest.approx(PPMI_TABLE)
    matrix = CountMatrix(WORDS, CONTEXTS, COUNTS)
    assert ppmi_formula(matrix, "information", "data") == (
        "PPMI(information, data) = max(log2(.3399 / (.6575 · .4842)), 0) = .0944"
    )
    assert (
        ppmi_formula(matrix, "strawberry", "computer")
        == "PPMI(strawberry, computer) = 0: they never occur together"
    )


def test_slp3_cosine_examples():
    # SLP3 §6.4, with the dimensions pie, data, computer.
    cherry, digital, information = [442, 8, 2], [5, 1683, 1670], [5, 3982, 3325]
    assert round(cosine(cherry, information), 3) == 0.018
    assert round(cosine(digital, information), 3) == 0.996
    assert cosine([0, 0], [1, 2]) == 0.0
    with pytest.raises(ValueError, match="different lengths"):
        cosine([1, 2], [1, 2, 3])


def direct_ppmi(counts, alpha, k):
    counts = counts + k
    total = counts.sum()
    result = np.zeros_like(counts)
    context_weights = counts.sum(axis=0) ** alpha
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            p_wc = counts[i, j] / total
            p_w = counts[i].sum() / total
            p_c = context_weights[j] / context_weights.sum()
            result[i, j] = max(math.log2(p_wc / (p_w * p_c)), 0) if p_wc > 0 else 0.0
    return result


@pytest.mark.parametrize("seed", range(10))
def test_ppmi_and_tf_idf_match_direct_computation_on_random_matrices(seed):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 6, size=(rng.integers(2, 8), rng.integers(2, 8))).astype(float)
    counts[0, 0] += 1  # never all zeros
    for alpha, k in [(1.0, 0.0), (0.75, 0.0), (1.0, 2.0), (0.75, 0.5)]:
        assert ppmi(counts, alpha=alpha, k=k) == pytest.approx(direct_ppmi(counts, alpha, k), abs=1e-12)
    documents = counts.shape[1]
    expected = np.zeros_like(counts)
    for i in range(counts.shape[0]):
        df = (counts[i] > 0).sum()
        for j in range(documents):
            expected[i, j] = math.log10(counts[i, j] + 1) * (math.log10(documents / df) if df else 0.0)
    assert tf_idf(counts) == pytest.approx(expected, abs=1e-12)
    sparse = ppmi(sp.csr_matrix(counts), alpha=0.75)
    assert sparse.toarray() == pytest.approx(direct_ppmi(counts, 0.75, 0.0), abs=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_term_context_counts_match_direct_counting(seed):
    rng = random.Random(seed)
    vocabulary = [f"w{i}" for i in range(rng.randint(2, 8))]
    sentences = [[rng.choice(vocabulary) for _ in range(rng.randint(0, 9))] for _ in range(12)]
    window = rng.randint(1, 3)
    matrix = term_context_matrix(sentences, window=window, sparse=bool(seed % 2))
    counts = matrix.counts.toarray() if matrix.is_sparse else matrix.counts
    expected = np.zeros_like(counts)
    index = {w: i for i, w in enumerate(matrix.words)}
    for sentence in sentences:
        for i, word in enumerate(sentence):
            for j in range(max(0, i - window), min(len(sentence), i + window + 1)):
                if j != i:
                    expected[index[word], index[sentence[j]]] += 1
    assert counts == pytest.approx(expected)
    assert (counts == counts.T).all()  # a symmetric window


def test_min_count_drops_rare_words_and_big_vocabularies_stay_sparse():
    matrix = term_context_matrix(["a b a c", "a b"], window=1, min_count=2)
    assert matrix.words == ["a", "b"] and matrix.counts.tolist() == [[0, 3], [3, 0]]
    many = [" ".join(f"w{i}" for i in range(start, start + 10)) for start in range(0, 4000, 5)]
    big = term_context_matrix(many, window=2)
    assert len(big.words) > 3000 and big.is_sparse
    assert sp.issparse(ppmi(big.counts, alpha=0.75))
    with pytest.raises(ValueError, match="No word occurs at least 5 times"):
        term_context_matrix(["a b"], min_count=5)


def test_term_document_matrix_and_shakespeare_tf_idf():
    docs = [["battle good fool wit"], ["good fool"], ["battle good"], ["battle good"]]
    matrix = term_document_matrix(docs)
    assert matrix.contexts == ["d1", "d2", "d3", "d4"]
    weights = tf_idf(matrix.counts)
    good = matrix.words.index("good")
    assert weights[good] == pytest.approx(0)  # in every document: idf = log10(4/4) = 0
    wit = matrix.words.index("wit")
    assert weights[wit, 0] == pytest.approx(math.log10(2) * math.log10(4))


def test_svd_nearest_and_analogy():
    matrix = term_context_matrix(
        ["the cat sat", "the dog sat", "a cat ran", "a dog ran", "the king ruled"], window=1
    )
    vectors = svd_embeddings(ppmi(matrix.counts), 3)
    assert vectors.shape == (len(matrix.words), 3)
    again = svd_embeddings(ppmi(matrix.counts), 3)
    assert np.array_equal(vectors, again)  # deterministic signs
    assert nearest(matrix.words, vectors, "cat", 1)[0][0] == "dog"
    # Sparse (ARPACK) and dense SVD agree on a matrix with distinct singular values.
    random_matrix = np.random.default_rng(0).random((12, 9))
    sparse_vectors = svd_embeddings(sp.csr_matrix(random_matrix), 3)
    assert sparse_vectors == pytest.approx(svd_embeddings(random_matrix, 3), abs=1e-8)
    toy = np.array([[1.0, 0, 0], [1.0, 1, 0], [0.0, 0, 1], [0.0, 1, 1]])
    assert analogy(["man", "king", "woman", "queen"], toy, "man", "king", "woman")[0][0] == "queen"
    with pytest.raises(ValueError, match="k must be between 1 and"):
        svd_embeddings(toy, 9)


def test_sgns_loss_falls_and_shared_contexts_make_similar_vectors():
    rng = random.Random(0)
    sentences = []
    for _ in range(400):  # "red" and "crimson" share every context; "seven" never does
        colour = rng.choice(["red", "crimson"])
        sentences.append(f"the {colour} car is fast".split())
        sentences.append(f"a {colour} apple tastes sweet".split())
        sentences.append(f"we counted {rng.randint(1, 5)} seven times today".split())
    result = train_sgns(sentences, dim=16, window=2, negatives=5, epochs=8, seed=1)
    assert result.epoch_losses[-1] < result.epoch_losses[0] * 0.8
    assert all(b <= a + 0.05 for a, b in zip(result.epoch_losses, result.epoch_losses[1:], strict=False))
    index = {w: i for i, w in enumerate(result.words)}
    red, crimson, seven = (result.vectors[index[w]] for w in ("red", "crimson", "seven"))
    assert cosine(red, crimson) > 0.8 > cosine(red, seven)
    # The trace scrubs through training: snapshots of the tracked vectors, the first one untrained.
    trace = result.trace
    assert trace[0].updates == 0 and trace[-1].updates == len(result.losses)
    assert trace[-1].vectors.shape == (len(result.tracked), 16)
    assert "push '" in trace[-1].describe()
    assert train_sgns(sentences, dim=16, epochs=1, seed=3).vectors == pytest.approx(
        train_sgns(sentences, dim=16, epochs=1, seed=3).vectors
    )


def test_sgns_refuses_empty_input_and_can_be_cancelled():
    with pytest.raises(ValueError, match="no word pairs"):
        train_sgns([["alone"]])
    with pytest.raises(InterruptedError):
        train_sgns([["a", "b", "c"]] * 50, epochs=3, cancelled=lambda: True)


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data/ud-english-ewt")
def test_sgns_on_ud_english_pairs_sharing_contexts_beat_random_pairs():
    sentences = [[w.lower() for w, _ in s] for s in read_tagged_conllu(DATA / "en_ewt-ud-dev.conllu")]
    result = train_sgns(sentences, dim=50, window=2, negatives=5, epochs=3, seed=0, min_count=10)
    words = result.words[:300]
    counts = term_context_matrix(sentences, window=2, min_count=10)
    index = {w: i for i, w in enumerate(counts.words)}
    weighted = ppmi(counts.counts, alpha=0.75)
    dense = weighted.toarray() if sp.issparse(weighted) else weighted
    # Pairs whose PPMI context vectors are most alike (an independent signal) vs random pairs.
    pairs = [(a, b) for i, a in enumerate(words) for b in words[i + 1 :]]
    context_similarity = {p: cosine(dense[index[p[0]]], dense[index[p[1]]]) for p in pairs}
    sharing = sorted(pairs, key=context_similarity.get, reverse=True)[:100]
    rng = random.Random(0)
    random_pairs = rng.sample(pairs, 100)
    # Every SGNS vector shares one large "frequency" direction (raw cosines are all about .97), so
    # the vectors are centred first, as is usual before comparing them (Mu & Viswanath 2018).
    centred = result.vectors - result.vectors.mean(axis=0)
    vector = {w: centred[i] for i, w in enumerate(result.words)}
    shared_score = np.mean([cosine(vector[a], vector[b]) for a, b in sharing])
    random_score = np.mean([cosine(vector[a], vector[b]) for a, b in random_pairs])
    assert shared_score > random_score + 0.25, (shared_score, random_score)  # measured: .48 vs .04


def test_tf_idf_trace_narrates_each_cell_with_df_and_n():
    from algorithms.embeddings import tf_idf_trace

    counts = np.array([[1, 0, 7, 13], [114, 80, 62, 89]], dtype=float)
    trace = tf_idf_trace(CountMatrix(["battle", "good"], ["a", "b", "c", "d"], counts))
    assert len(trace) == 8 and trace.boundaries("row") == (0, 4, 8)
    assert trace[3].describe() == "tf-idf(battle, d) = log10(13 + 1) · log10(4 / 3) = 1.146 · 0.125 = 0.143"
    assert trace[3].value == pytest.approx(tf_idf(counts)[0, 3])


def test_nearest_on_a_sparse_matrix_matches_the_dense_answer_without_densifying():
    matrix = term_context_matrix(["the cat sat", "the dog sat", "a cat ran", "a dog ran"], window=1)
    weights = ppmi(matrix.counts)
    dense = nearest(matrix.words, weights, "cat", 4)
    sparse = nearest(matrix.words, sp.csr_matrix(weights), "cat", 4)
    assert [w for w, _ in sparse] == [w for w, _ in dense]
    assert [s for _, s in sparse] == pytest.approx([s for _, s in dense])


def test_subsampling_keeps_each_word_with_gensims_probability():
    """word2vec's subsampling formula against gensim's own (its 32-bit sample_int per word)."""
    from gensim.models import Word2Vec

    from algorithms.embeddings import subsample_keep

    tagged = read_tagged_conllu(DATA / "en_ewt-ud-dev.conllu")
    sentences = [[w.lower() for w, _ in s] for s in tagged[:800]]
    for threshold in (1e-2, 1e-3, 1e-4):
        model = Word2Vec(vector_size=5, min_count=2, sample=threshold, workers=1)
        model.build_vocab(sentences)
        words = list(model.wv.index_to_key)
        counts = np.array([model.wv.get_vecattr(w, "count") for w in words], dtype=float)
        theirs = np.array([model.wv.get_vecattr(w, "sample_int") for w in words]) / (2**32 - 1)
        ours = subsample_keep(counts, threshold)
        assert np.allclose(ours, theirs, atol=1e-9), threshold
        assert ours.min() < 1.0 and ours.max() == 1.0  # frequent words are thinned, rare ones kept


def test_sgns_subsampling_trains_on_fewer_pairs_and_zero_changes_nothing():
    sentences = [
        s.split() for s in ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog"] * 30
    ]
    plain = train_sgns(sentences, dim=8, epochs=3, seed=1)
    again = train_sgns(sentences, dim=8, epochs=3, seed=1, subsample=0.0)
    assert np.array_equal(plain.vectors, again.vectors)  # 0 is "off": the same draws, the same vectors
    thinned = train_sgns(sentences, dim=8, epochs=3, seed=1, subsample=1e-2, batch_size=1)
    full = train_sgns(sentences, dim=8, epochs=3, seed=1, batch_size=1)
    assert len(thinned.losses) < 0.8 * len(full.losses)  # one update per pair: fewer pairs survive
    with pytest.raises(ValueError, match="subsample"):
        train_sgns(sentences, subsample=-1.0)
