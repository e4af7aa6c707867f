"""Build ``algorithms/resources/models/sentence_tree.json``, and report both splitters on EWT test.

The tree (:func:`algorithms.sentences.train_tree`, depth 4) learns from every candidate
period, question mark and exclamation mark of UD English EWT dev, labelled by whether a
sentence of the treebank ends there (documents are rebuilt from the ``# text`` lines).
Both deciders are then scored on EWT test: candidate accuracy, and precision, recall and
F1 of the sentence ends (a sentence that ends with no punctuation, like a heading, has no
candidate, so recall cannot reach 1).

Run: ``python -m benchmarks.build_sentence_tree`` (writes the model and
``benchmarks/results/sentences.json``).
"""

from __future__ import annotations

import json
from pathlib import Path

from algorithms.sentences import (
    DecisionTree,
    boundaries_from_conllu,
    candidates,
    features,
    split_sentences,
    train_tree,
)
from benchmarks.common import ROOT, report

DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"
TARGET = ROOT / "algorithms" / "resources" / "models" / "sentence_tree.json"


def documents(path: Path) -> list[tuple[str, set[int]]]:
    import conllu

    triples = []
    with path.open(encoding="utf-8") as file:
        for sentence in conllu.parse_incr(file):
            meta = sentence.metadata
            triples.append(("newdoc id" in meta, "newpar id" in meta, meta.get("text", "")))
    return boundaries_from_conllu(triples)


def labelled(docs: list[tuple[str, set[int]]]) -> tuple[list[dict[str, float]], list[bool]]:
    samples, labels = [], []
    for text, ends in docs:
        for start, end in candidates(text):
            if text[start:end] != "\n":
                samples.append(features(text, start, end))
                labels.append(end in ends)
    return samples, labels


def score(docs: list[tuple[str, set[int]]], method: str) -> dict[str, float]:
    right = total = found = true = gold = 0
    for text, ends in docs:
        inner = {e for e in ends if e < len(text)}  # the document's own end is not a decision
        result = split_sentences(text, method)
        for event in result.trace:
            if event.mark != "\n":
                total += 1
                right += event.boundary == (event.end in ends)
        predicted = {e.end for e in result.trace if e.boundary and e.end < len(text)}
        found += len(predicted)
        true += len(predicted & inner)
        gold += len(inner)
    precision, recall = true / found, true / gold
    return {
        "candidate_accuracy": round(right / total, 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4),
    }


def main() -> None:
    dev = documents(DATA / "en_ewt-ud-dev.conllu")
    test = documents(DATA / "en_ewt-ud-test.conllu")
    samples, labels = labelled(dev)
    tree = train_tree(samples, labels)
    TARGET.write_text(json.dumps(tree.to_json(), indent=1) + "\n", encoding="utf-8")
    check = DecisionTree.from_json(json.loads(TARGET.read_text(encoding="utf-8")))
    assert all(check.decide(f)[0] == tree.decide(f)[0] for f in samples)
    results: dict[str, float] = {"training_candidates": len(samples)}
    for method in ("rules", "tree"):
        for key, value in score(test, method).items():
            results[f"{method}_test_{key}"] = value
    report(results, {}, ROOT / "benchmarks" / "results" / "sentences.json")
    print(f"wrote {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
