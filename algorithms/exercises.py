"""Random exercises of a stated size and difficulty, the same for the same seed (pure Python).

Each function returns an :class:`Exercise`: a title, the task in one paragraph, and
the inputs the panel computes it from (the answer key is the panel's own trace).
In the style of TRAKLA2: the learner fills the whole table, trellis or chart, or
writes the transition sequence, and every cell can be graded.

Difficulty parameters (``DIFFICULTY`` documents them; ``trellis exercise --help``
prints them):

* edit distance: easy 4 × 5 letters from a b c d, substitution 1; medium 6 × 7
  (SLP3's costs: substitution 2); hard 7 × 8 with transpositions (cost 1);
* HMM: two states, three symbols, probabilities with one decimal; easy 3
  observations, medium 4, Viterbi; hard 4 observations, forward;
* CKY: a small CNF grammar with prepositional phrases; easy 4 words, medium 5,
  hard 7 (the PP can attach two ways);
* dependency: a random projective tree over words w1 … wn with labels; easy 4
  words, medium 6, arc-standard; hard 6 words, arc-eager;
* n-gram: a four-sentence corpus over eight words and a 4-word sentence to score;
  easy MLE, medium add-one, hard add-k (k = 0.5);
* embeddings: the ±1-window counts of a four-sentence corpus over six words,
  weighted with PPMI; hard also with context smoothing α = 0.75.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DIFFICULTY", "EXERCISE_PANELS", "Exercise", "make_exercise", "EXERCISE_GRAMMAR"]

LEVELS = ("easy", "medium", "hard")


@dataclass(frozen=True)
class Exercise:
    """A generated exercise: what the learner does, and the panel inputs its answers come from."""

    panel: str
    seed: int
    difficulty: str
    title: str
    task: str
    inputs: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # name -> text the inputs refer to (a CoNLL-U tree)


#: What each difficulty means, per panel (printed by ``trellis exercise --help``).
DIFFICULTY = {
    "edit-distance": "easy 4×5 letters, sub 1; medium 6×7, sub 2 (SLP3); hard 7×8 with transpositions",
    "hmm": "2 states, 3 symbols, one-decimal probabilities; easy 3 observations, medium 4 (Viterbi), "
    "hard 4 (forward)",
    "cky": "a small CNF grammar with PPs; easy 4 words, medium 5, hard 7 (ambiguous PP)",
    "dependency": "a random projective tree; easy 4 words, medium 6 (arc-standard), hard 6 (arc-eager)",
    "ngram": "a 4-sentence corpus, a 4-word sentence; easy MLE, medium add-one, hard add-k (k = 0.5)",
    "embeddings": "the ±1-window counts of a 6-word corpus, PPMI; hard with α = 0.75",
    "neural": "backpropagation on a computation graph; easy + and ×, medium a sigmoid neuron, "
    "hard a tanh neuron's squared error",
    "parse-search": "Earley's chart with the CKY exercises' grammar; easy 4 words, medium 5, hard 6",
    "text": "BPE on a corpus of four words (SLP3's kind); easy 4 merges, medium 6, hard 8",
}
EXERCISE_PANELS = tuple(DIFFICULTY)

#: The CKY exercises' grammar, already in Chomsky normal form (no conversion steps to skip).
EXERCISE_GRAMMAR = """\
S -> NP VP
VP -> V NP | VP PP
NP -> Det N | NP PP | 'Kim' | 'Sam'
PP -> P NP
Det -> 'the' | 'a'
N -> 'dog' | 'man' | 'park' | 'telescope'
V -> 'saw' | 'liked'
P -> 'with' | 'in'
"""


def make_exercise(panel: str, seed: int, difficulty: str = "medium") -> Exercise:
    """The exercise for ``panel`` from ``seed`` at ``difficulty`` (the same every time)."""
    if panel not in DIFFICULTY:
        raise ValueError(f"There are exercises for {', '.join(DIFFICULTY)}; not for {panel!r}.")
    if difficulty not in LEVELS:
        raise ValueError(f"The difficulty is one of {', '.join(LEVELS)}; got {difficulty!r}.")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
        raise ValueError(f"The seed is a whole number from 0 to {2**32 - 1:,}; got {seed!r}.")
    rng = random.Random(f"{panel}:{difficulty}:{seed}")
    maker = {
        "edit-distance": _edit_distance,
        "hmm": _hmm,
        "cky": _cky,
        "dependency": _dependency,
        "ngram": _ngram,
        "embeddings": _embeddings,
        "neural": _neural,
        "parse-search": _parse_search,
        "text": _bpe,
    }[panel]
    return maker(rng, seed, difficulty)


def _edit_distance(rng: random.Random, seed: int, level: str) -> Exercise:
    n, m = {"easy": (4, 5), "medium": (6, 7), "hard": (7, 8)}[level]
    source = "".join(rng.choice("abcd") for _ in range(n))
    target = "".join(rng.choice("abcd") for _ in range(m))
    sub = 1 if level == "easy" else 2
    inputs: dict[str, Any] = {"source": source, "target": target, "substitution_cost": sub}
    extra = ""
    if level == "hard":
        inputs |= {"transpositions": True, "transposition_cost": 1}
        extra = " and transposition 1 (two adjacent letters swapped)"
    return Exercise(
        "edit-distance", seed, level, f"Minimum edit distance: {source} → {target}",
        f"Fill every cell D[i,j] of the table (insertion 1, deletion 1, substitution {sub}{extra}). "
        f"Then follow the backtrace from D[{n},{m}] and write the alignment.",
        inputs,
    )  # fmt: skip


def _tenths(rng: random.Random, parts: int) -> list[float]:
    """``parts`` probabilities with one decimal, each at least .1, summing to 1."""
    cuts = sorted(rng.sample(range(1, 10), parts - 1))
    bounds = [0, *cuts, 10]
    return [(bounds[i + 1] - bounds[i]) / 10 for i in range(parts)]


def _hmm(rng: random.Random, seed: int, level: str) -> Exercise:
    length = {"easy": 3, "medium": 4, "hard": 4}[level]
    algorithm = "forward" if level == "hard" else "viterbi"
    states, symbols = ["HOT", "COLD"], ["1", "2", "3"]
    model = {
        "states": states,
        "symbols": symbols,
        "start": _tenths(rng, 2),
        "transition": [_tenths(rng, 2) for _ in states],
        "emission": [_tenths(rng, 3) for _ in states],
    }
    observations = " ".join(rng.choice(symbols) for _ in range(length))
    what = "every v_t(j), then the best path" if algorithm == "viterbi" else "every α_t(j), then P(O)"
    return Exercise(
        "hmm", seed, level, f"HMM {algorithm}: {observations}",
        f"With the π, A and B below, fill the trellis for the observations {observations}: {what}.",
        {"model": {"hmm": model}, "observations": observations, "algorithm": algorithm},
    )  # fmt: skip


def _cky(rng: random.Random, seed: int, level: str) -> Exercise:
    length = {"easy": 4, "medium": 5, "hard": 7}[level]
    sentence = _sentence_of_length(rng, length)
    return Exercise(
        "cky", seed, level, f"CKY: {sentence}",
        "With the grammar below (already in Chomsky normal form), fill every cell [i,j] of the chart "
        "with the non-terminals that span words i+1 … j. Does S span the whole sentence?",
        {"grammar": EXERCISE_GRAMMAR, "sentence": sentence, "mode": "cky"},
    )  # fmt: skip


def _sentence_of_length(rng: random.Random, length: int) -> str:
    """A random sentence of ``length`` words that :data:`EXERCISE_GRAMMAR` derives."""
    lexicon = {
        "Det": ["the", "a"], "N": ["dog", "man", "park", "telescope"], "V": ["saw", "liked"],
        "P": ["with", "in"], "Name": ["Kim", "Sam"],
    }  # fmt: skip

    def noun_phrase(k: int) -> list[str]:  # NP -> Name | Det N | NP PP
        # 0: a name (k = 1), 1: Det N (k = 2), a >= 2: NP(a - 1) P NP(k - a).
        options = ([0] if k == 1 else [1] if k == 2 else []) + list(range(2, k))
        a = rng.choice(options)
        if a == 0:
            return [rng.choice(lexicon["Name"])]
        if a == 1:
            return [rng.choice(lexicon["Det"]), rng.choice(lexicon["N"])]
        return [*noun_phrase(a - 1), rng.choice(lexicon["P"]), *noun_phrase(k - a)]

    def verb_phrase(k: int) -> list[str]:  # VP -> V NP | VP PP
        options = [0] + list(range(2, k - 1))  # 0: V NP(k-1); b: VP(k-b) P NP(b-1)
        b = rng.choice(options)
        if b == 0:
            return [rng.choice(lexicon["V"]), *noun_phrase(k - 1)]
        return [*verb_phrase(k - b), rng.choice(lexicon["P"]), *noun_phrase(b - 1)]

    subject = rng.randint(1, min(2, length - 2))
    return " ".join([*noun_phrase(subject), *verb_phrase(length - subject)])


def _dependency(rng: random.Random, seed: int, level: str) -> Exercise:
    size = 4 if level == "easy" else 6
    system = "arc-eager" if level == "hard" else "arc-standard"
    heads = [0] * size

    def attach(low: int, high: int, head: int) -> None:  # words low..high take heads inside or ``head``
        if low > high:
            return
        root = rng.randint(low, high)
        heads[root - 1] = head
        attach(low, root - 1, root)
        attach(root + 1, high, root)

    attach(1, size, 0)
    labels = [
        "root" if h == 0 else rng.choice(["nsubj", "obj", "det", "amod", "obl", "advmod"]) for h in heads
    ]
    words = [f"w{i}" for i in range(1, size + 1)]
    conllu = (
        "".join(
            f"{i}\t{w}\t{w}\tX\tX\t_\t{h}\t{lab}\t_\t_\n"
            for i, (w, h, lab) in enumerate(zip(words, heads, labels, strict=True), 1)
        )
        + "\n"
    )
    return Exercise(
        "dependency", seed, level, f"Dependency parsing ({system}): {' '.join(words)}",
        f"The gold tree is drawn below. Write the {system} transition sequence that builds it "
        "(SHIFT, LEFTARC(label), RIGHTARC(label)" + (", REDUCE" if system == "arc-eager" else "")
        + "), with the stack and buffer after each step.",
        {"conllu": "tree.conllu", "index": 1, "mode": "oracle", "system": system},
        {"tree.conllu": conllu},
    )  # fmt: skip


def _ngram(rng: random.Random, seed: int, level: str) -> Exercise:
    words = ["I", "am", "Sam", "like", "green", "eggs", "ham", "do"]
    corpus = [" ".join(rng.choice(words) for _ in range(rng.randint(3, 5))) for _ in range(4)]
    sentence = " ".join(rng.choice(words) for _ in range(4))
    smoothing = {"easy": "mle", "medium": "laplace", "hard": "add-k"}[level]
    inputs: dict[str, Any] = {
        "corpus": "\n".join(corpus),
        "sentence": sentence,
        "order": 2,
        "smoothing": smoothing,
    }
    if smoothing == "add-k":
        inputs["k"] = 0.5
    name = {"mle": "MLE", "laplace": "add-one", "add-k": "add-k (k = 0.5)"}[smoothing]
    return Exercise(
        "ngram", seed, level, f"Bigram {name}: P(<s> {sentence} </s>)",
        f"From the four-sentence corpus, count the bigrams and write P(wᵢ | wᵢ₋₁) under {name} for each "
        "factor of the sentence, then log P and the perplexity.",
        inputs,
    )  # fmt: skip


def _embeddings(rng: random.Random, seed: int, level: str) -> Exercise:
    vocabulary = ["cherry", "pie", "sugar", "digital", "data", "computer"]
    corpus = [" ".join(rng.choice(vocabulary) for _ in range(rng.randint(4, 6))) for _ in range(4)]
    alpha = 0.75 if level == "hard" else 1.0
    smoothing = " with context smoothing α = 0.75" if alpha != 1.0 else ""
    return Exercise(
        "embeddings", seed, level, "PPMI of word-context counts (window ±1)",
        "The counts below are the word-context pairs within ±1 word of a small corpus. Fill the PPMI "
        f"matrix, PPMI(w, c) = max(log2 P(w,c) / (P(w)·P(c)), 0){smoothing}, then the cosines of its rows.",
        {"source": "\n".join(corpus), "mode": "ppmi", "window": 1, "alpha": alpha},
    )  # fmt: skip


#: The graphs of the backpropagation exercises (SLP3 §7.5.3's kind), by difficulty.
GRAPHS = {
    "easy": ("L = c * (a + 2 * b)", "L = (a + b) * (b + c)", "L = a * b + c * (a - b)"),
    "medium": ("L = sigmoid(w * x + b)", "L = sigmoid(w1 * x1 + w2 * x2 + b)"),
    "hard": ("L = (tanh(w * x + b) - y) ** 2", "L = (tanh(w1 * x1 + w2 * x2 + b) - y) ** 2"),
}


def _neural(rng: random.Random, seed: int, level: str) -> Exercise:
    expression = rng.choice(GRAPHS[level])
    names = sorted({n for n in expression.replace("(", " ").replace(")", " ").split() if n.isidentifier()}
                   - {"L", "sigmoid", "tanh"})  # fmt: skip
    # Small whole numbers (easy) or one decimal (the neurons), as a hand computation wants them.
    # Never 0: a zero input makes half the gradients zero, and the exercise trivial.
    whole, tenths = (-3, -2, -1, 1, 2, 3, 4), (-1.5, -1.2, -0.8, -0.5, -0.3, 0.2, 0.4, 0.6, 0.9, 1.3)
    values = {n: float(rng.choice(whole if level == "easy" else tenths)) for n in names}
    if "y" in values:
        values["y"] = float(rng.choice((-1, 1)))
    shown = " ".join(f"{n}={v:g}" for n, v in values.items())
    return Exercise(
        "neural", seed, level, f"Backpropagation: {expression}",
        f"With {shown.replace(' ', ', ')}, write each node's value in the forward pass, then ∂L/∂ of every "
        "node in the backward pass, each as the upstream gradient times the local derivative.",
        {"view": "graph", "expression": expression, "values": shown},
    )  # fmt: skip


def _parse_search(rng: random.Random, seed: int, level: str) -> Exercise:
    length = {"easy": 4, "medium": 5, "hard": 6}[level]
    sentence = _sentence_of_length(rng, length)
    return Exercise(
        "parse-search", seed, level, f"Earley's chart: {sentence}",
        "With the grammar below, fill Earley's chart: for each column, the states in the order the "
        "predictor, scanner and completer add them, each as A → α • β [i, j]. Is γ → S • [0, n] in the last?",
        {"strategy": "earley", "grammar": EXERCISE_GRAMMAR, "sentence": sentence, "mode": "auto"},
    )  # fmt: skip


#: Words the BPE corpora are drawn from: families sharing stems and endings, so merges build er, est, low.
BPE_WORDS = tuple(
    f"{stem}{ending}"
    for stem in ("low", "new", "fast", "slow", "old", "tall")
    for ending in ("", "er", "est")
)


def _bpe(rng: random.Random, seed: int, level: str) -> Exercise:
    merges = {"easy": 4, "medium": 6, "hard": 8}[level]
    words: dict[str, int] = {}
    while len(words) < 4:
        words.setdefault(rng.choice(BPE_WORDS), rng.randint(2, 7))
    corpus = " ".join(" ".join([word] * count) for word, count in words.items())
    listing = ", ".join(f"{word} ×{count}" for word, count in words.items())
    return Exercise(
        "text", seed, level, f"Byte-pair encoding: {merges} merges",
        f"The corpus is {listing}, each word ending in _. Learn {merges} merges: for each, the most frequent "
        "adjacent pair (a tie goes to the pair met first in the corpus), its count, and the corpus after it.",
        {"view": "bpe", "text": corpus, "merges": merges},
    )  # fmt: skip
