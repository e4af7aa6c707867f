"""The neural shift-reduce parser: learns, chooses only legal moves, saves without pickle, cancels."""

import json
from pathlib import Path

import numpy as np
import pytest

from algorithms.dependency import DependencyTree, attachment_scores, parse, read_conllu, train_parser
from algorithms.neural_parser import FEATURE_NAMES, ParserModel

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ud-english-ewt"


def toy_treebank() -> list[DependencyTree]:
    """Determiner-noun-verb-determiner-noun sentences over a few words: easy to learn exactly."""
    nouns, verbs = ["dog", "cat", "man", "ball"], ["saw", "chased", "liked"]
    trees = []
    for i in range(60):
        subject, verb, obj = nouns[i % 4], verbs[i % 3], nouns[(i + 1) % 4]
        trees.append(
            DependencyTree(
                ["the", subject, verb, "a", obj],
                [2, 3, 0, 5, 3],
                ["det", "nsubj", "root", "det", "obj"],
                ["DET", "NOUN", "VERB", "DET", "NOUN"],
            )
        )
    return trees


@pytest.mark.parametrize("system", ["arc-standard", "arc-eager"])
def test_the_parser_learns_a_toy_treebank_and_only_takes_legal_moves(system):
    trees = toy_treebank()
    small = {"hidden": 32, "word_dim": 8, "tag_dim": 4, "label_dim": 4, "batch_size": 32}
    model = train_parser(trees, system=system, seed=0, epochs=15, **small)
    losses = model.history["epoch_losses"]
    assert losses[-1] < losses[0] / 5
    words, tags = ["the", "ball", "saw", "a", "dog"], ["DET", "NOUN", "VERB", "DET", "NOUN"]
    result = parse(words, tags, system, model=model)
    assert result.heads == [2, 3, 0, 5, 3] and result.labels == ["det", "nsubj", "root", "det", "obj"]
    for event in result.trace:
        probabilities = [p for _, p in event.probabilities]
        assert (
            probabilities == sorted(probabilities, reverse=True) and 0 < sum(probabilities) <= 1 + 1e-6
        )  # float32
        name, label = event.transition
        assert event.probabilities[0][0] == (f"{name}({label})" if label else name)  # the argmax was taken
        assert "most probable legal transition" in event.why


def test_features_describe_the_configuration():
    from algorithms.dependency import Configuration, apply

    trees = toy_treebank()
    model = train_parser(trees[:5], seed=0, epochs=1, hidden=8, word_dim=4, tag_dim=4, label_dim=4)
    config = Configuration(5)
    for transition in [("SHIFT", None), ("SHIFT", None), ("LEFTARC", "det"), ("SHIFT", None)]:
        apply(config, transition, "arc-standard")
    shown = dict(model.describe_features(config, trees[0].words, trees[0].tags))
    assert shown["s1"] == "saw/VERB" and shown["s2"] == "dog/NOUN" and shown["s3"] == "ROOT"
    assert shown["b1"] == "a/DET" and shown["b2"] == "cat/NOUN"
    assert shown["lc1(s2)"] == "the/DET (det)"
    assert "b3" not in shown and len(FEATURE_NAMES) == 18


def test_save_and_load_round_trip_without_pickle(tmp_path):
    model = train_parser(toy_treebank(), seed=1, epochs=2, hidden=16, word_dim=4, tag_dim=4, label_dim=4)
    model.save(tmp_path / "parser")
    meta = json.loads((tmp_path / "parser.json").read_text())
    assert meta["format"] == "trellis-parser" and meta["system"] == "arc-standard"
    with np.load(tmp_path / "parser.npz", allow_pickle=False) as arrays:
        assert set(arrays.files) == set(model.params)
    loaded = ParserModel.load(tmp_path / "parser")
    words, tags = ["the", "cat", "liked", "a", "man"], ["DET", "NOUN", "VERB", "DET", "NOUN"]
    assert parse(words, tags, model=loaded).heads == parse(words, tags, model=model).heads
    (tmp_path / "bad.json").write_text("{}")
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="^bad.json is not a Trellis parser model.$"):
        ParserModel.load(tmp_path / "bad")
    (tmp_path / "bad.json").write_text((tmp_path / "parser.json").read_text())
    with pytest.raises(ValueError, match=r"^bad.npz is not a readable parser model \(.npz\) file.$"):
        ParserModel.load(tmp_path / "bad")


def test_training_can_be_cancelled_and_refuses_empty_input():
    with pytest.raises(InterruptedError):
        train_parser(toy_treebank(), epochs=2, cancelled=lambda: True)
    with pytest.raises(ValueError, match="no trees"):
        train_parser([])


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data/ud-english-ewt")
def test_a_small_ud_model_attaches_most_words():
    train = read_conllu(str(DATA / "en_ewt-ud-dev.conllu"))[:600]
    test = read_conllu(str(DATA / "en_ewt-ud-test.conllu"))[:150]
    model = train_parser(train, seed=0, epochs=4)
    results = [parse(t.words, t.tags, model=model) for t in test]
    uas, las = attachment_scores(results, test)
    assert uas > 0.6 and las > 0.5, (uas, las)  # full-size numbers: benchmarks/bench_dependency.py
