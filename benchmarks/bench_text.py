"""Text processing engines against their peers, in the same run: BPE vs Hugging Face tokenizers,
Porter vs nltk, the teaching regex matcher vs Python's re.

* BPE: 2,000 merges learned from UD English EWT dev+test (50,241 tokens), ours (the traced
  learner: every merge's pair table and changed words are kept) against ``tokenizers``'
  BpeTrainer on the same words, no end-of-word marker in either. Goal: within 20×. Ours has
  no separate untraced learner: the trace keeps only what each merge changed, so it is the
  untraced speed too.
* Porter: every lower-cased word type of EWT dev+test stemmed by ours and by nltk's
  ``PorterStemmer(ORIGINAL_ALGORITHM)``: types per second and the agreement rate.
* Regex: SLP3's three "the" patterns over the first 2,000 characters of EWT test text, ours
  (every step traced) against ``re.finditer``; the matches must be the same.

Run: ``python -m benchmarks.bench_text`` (needs ../shared/data/ud-english-ewt; writes
benchmarks/results/text.json).
"""

from __future__ import annotations

import re
import statistics
import time

from algorithms.bpe import learn_bpe
from algorithms.corpora import read_tagged_conllu
from algorithms.regex_search import search
from algorithms.stemming import porter_stem
from benchmarks.common import ROOT, report

DATA = ROOT.parent / "shared" / "data" / "ud-english-ewt"
MERGES = 2000


def _seconds(function, repeats: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from nltk.stem.porter import PorterStemmer
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers

    sentences = [
        s for f in ("en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu") for s in read_tagged_conllu(DATA / f)
    ]
    words = [word for sentence in sentences for word, _ in sentence]
    results: dict[str, float] = {"tokens": len(words), "merges": MERGES}

    ours = _seconds(lambda: learn_bpe(words, merges=MERGES, end_of_word=None), 1)

    def hugging_face() -> None:
        tokenizer = Tokenizer(models.BPE())
        tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
        alphabet = len(set("".join(words)))
        trainer = trainers.BpeTrainer(vocab_size=alphabet + MERGES, show_progress=False, min_frequency=0)
        tokenizer.train_from_iterator([" ".join(words)], trainer)

    theirs = _seconds(hugging_face)
    results |= {
        "bpe_ours_s": round(ours, 3),
        "bpe_hf_s": round(theirs, 3),
        "bpe_ratio": round(ours / theirs, 1),
    }

    types = sorted({word.lower() for word in words})
    stemmer = PorterStemmer(mode=PorterStemmer.ORIGINAL_ALGORITHM)
    ours = _seconds(lambda: [porter_stem(t) for t in types], 1)
    theirs = _seconds(lambda: [stemmer.stem(t) for t in types])
    agreement = sum(porter_stem(t).stem == stemmer.stem(t) for t in types) / len(types)
    results |= {
        "porter_types": len(types),
        "porter_agreement": round(agreement, 5),
        "porter_ours_types_per_s": round(len(types) / ours),
        "porter_nltk_types_per_s": round(len(types) / theirs),
    }

    text = " ".join(" ".join(w for w, _ in s) for s in sentences[-300:])[:2000]
    for name, pattern in (("the", "the"), ("tThe", "[tT]he"), ("bounded", r"\b[tT]he\b")):
        found = search(pattern, text)
        assert [(m.start, m.end) for m in found.matches] == [m.span() for m in re.finditer(pattern, text)]
        ours = _seconds(lambda p=pattern: search(p, text))
        theirs = _seconds(lambda p=pattern: list(re.finditer(p, text)), 20)
        results[f"regex_{name}_steps"] = len(found.trace)
        results[f"regex_{name}_ratio"] = round(ours / theirs)
    report(
        results,
        {"bpe_ratio": ("<=", 20.0), "porter_agreement": (">=", 0.999)},
        ROOT / "benchmarks" / "results" / "text.json",
    )


if __name__ == "__main__":
    main()
