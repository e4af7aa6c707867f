"""Sentence segmentation (SLP3 §2.4.5): is this period the end of a sentence? One candidate a step.

A *candidate* is a run of ``. ? !`` (with any closing quotes or brackets after it) followed
by a space or the end of the text; a line break always ends a sentence. Two deciders:

* ``"rules"``, stated here and shown at each step: ``?`` and ``!`` end a sentence unless the
  next word starts in lower case; a period does too, except after a known abbreviation
  (:data:`ABBREVIATIONS`), after a single capital letter (an initial, "Jennifer M. Anderson"),
  after a word with a period inside ("U.S."), or before a lower-case word.
* ``"tree"``: a small decision tree (Gini splits, depth at most 4) over the features of
  :func:`features`, trained on UD English EWT dev's own sentence boundaries (their ``# text``
  lines, joined into documents) by ``benchmarks/build_sentence_tree.py`` and shipped as
  ``resources/sentence_tree.json``. Each step shows the tests on the tree's path.

>>> [s for s in split_sentences("Mr. Smith left. He was late.", "rules").sentences]
['Mr. Smith left.', 'He was late.']
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from algorithms.quiz import Question, choice_question
from algorithms.resources import resource_text
from algorithms.trace import State, StepEvent, StepwiseResult, Trace, line_for_event

__all__ = [
    "split_sentences",
    "SentenceSplit",
    "BoundaryDecision",
    "SplitState",
    "DecisionTree",
    "candidates",
    "features",
    "FEATURES",
    "ABBREVIATIONS",
    "train_tree",
    "boundaries_from_conllu",
    "SPLIT_PSEUDOCODE",
]

#: Words that end in a period without ending a sentence (lower-cased, without the period).
_ABBREVIATION_LIST = """
mr mrs ms dr prof st jr sr vs v etc e.g i.e inc ltd co corp no pop jan feb mar apr jun jul aug sep sept oct
nov dec mt ft approx dept est fig gen gov govt rep sen univ p.m a.m u.s u.k wash calif
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_LIST.split())
_CANDIDATE = re.compile(r"[.?!]+[\"'”’)\]]*(?=\s|$)|\n")
FEATURES = (
    "is_period",  # the run ends in '.' (not ? or !)
    "prev_abbreviation",  # the word before is in ABBREVIATIONS
    "prev_initial",  # the word before is one capital letter
    "prev_inner_period",  # the word before has a period inside (U.S)
    "prev_length",
    "prev_lower",  # the word before is all lower case
    "next_upper",  # the next word starts with a capital
    "next_lower",  # the next word starts lower case
    "next_digit",
    "at_end",  # nothing follows
)


def candidates(text: str) -> list[tuple[int, int]]:
    """(start, end) of every candidate boundary: the punctuation run and any closing quotes."""
    return [(m.start(), m.end()) for m in _CANDIDATE.finditer(text)]


def _word_before(text: str, start: int) -> str:
    i = start
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return text[i:start]


def _word_after(text: str, end: int) -> str:
    rest = text[end:].lstrip()
    match = re.match(r"[\"'“‘(\[]*(\S*)", rest)
    return match.group(1) if match else ""


def features(text: str, start: int, end: int) -> dict[str, float]:
    """The facts a decider looks at for the candidate text[start:end]."""
    before, after = _word_before(text, start), _word_after(text, end)
    return {
        "is_period": float(text[start:end].rstrip("\"'”’)]").endswith(".")),
        "prev_abbreviation": float(before.lower().rstrip(".") in ABBREVIATIONS),
        "prev_initial": float(len(before) == 1 and before.isupper()),
        "prev_inner_period": float("." in before),
        "prev_length": float(len(before)),
        "prev_lower": float(before.islower()),
        "next_upper": float(after[:1].isupper()),
        "next_lower": float(after[:1].islower()),
        "next_digit": float(after[:1].isdigit()),
        "at_end": float(not text[end:].strip()),
    }


def _rules(f: dict[str, float]) -> tuple[bool, str]:
    if f["at_end"]:
        return True, "the text ends here"
    if f["next_lower"]:
        return False, "the next word starts in lower case"
    if not f["is_period"]:
        return True, "? and ! end a sentence"
    if f["prev_abbreviation"]:
        return False, "the word before is an abbreviation"
    if f["prev_initial"]:
        return False, "the word before is an initial"
    if f["prev_inner_period"]:
        return False, "the word before has a period inside (U.S.)"
    return True, "a period before a capital or a number"


# --------------------------------------------------------------------------
# A small decision tree (Gini), ours; scikit-learn's is the test oracle
# --------------------------------------------------------------------------
@dataclass
class DecisionTree:
    """A binary tree: a node tests ``feature <= threshold``; a leaf holds its majority and counts."""

    feature: str | None = None
    threshold: float = 0.0
    left: DecisionTree | None = None  # feature <= threshold
    right: DecisionTree | None = None
    label: bool = False
    counts: tuple[int, int] = (0, 0)  # (not a boundary, boundary) among the training samples here
    path: list[str] = field(default_factory=list, repr=False)

    def decide(self, f: dict[str, float]) -> tuple[bool, list[str]]:
        node, tests = self, []
        while node.feature is not None and node.left is not None and node.right is not None:
            value = f[node.feature]
            below = value <= node.threshold
            tests.append(f"{node.feature} = {value:g} {'≤' if below else '>'} {node.threshold:g}")
            node = node.left if below else node.right
        return node.label, tests

    def to_json(self) -> dict[str, object]:
        if self.feature is None:
            return {"label": self.label, "counts": list(self.counts)}
        assert self.left is not None and self.right is not None
        return {"feature": self.feature, "threshold": self.threshold, "counts": list(self.counts),
                "left": self.left.to_json(), "right": self.right.to_json()}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, object]) -> DecisionTree:
        counts = tuple(int(c) for c in data["counts"])  # type: ignore[attr-defined]
        if "feature" not in data:
            return cls(label=bool(data["label"]), counts=(counts[0], counts[1]))
        return cls(
            feature=str(data["feature"]),
            threshold=float(data["threshold"]),  # type: ignore[arg-type]
            left=cls.from_json(data["left"]),  # type: ignore[arg-type]
            right=cls.from_json(data["right"]),  # type: ignore[arg-type]
            counts=(counts[0], counts[1]),
        )


def _gini(negative: int, positive: int) -> float:
    total = negative + positive
    if total == 0:
        return 0.0
    p = positive / total
    return 2 * p * (1 - p)


def train_tree(
    samples: Sequence[dict[str, float]], labels: Sequence[bool], max_depth: int = 4, min_leaf: int = 5
) -> DecisionTree:
    """CART with Gini impurity: the split that lowers impurity most, thresholds halfway between values."""
    rows = list(zip(samples, labels, strict=True))

    def grow(rows: list[tuple[dict[str, float], bool]], depth: int) -> DecisionTree:
        positive = sum(1 for _, y in rows if y)
        counts = (len(rows) - positive, positive)
        leaf = DecisionTree(label=positive * 2 > len(rows), counts=counts)
        if depth == max_depth or positive in (0, len(rows)):
            return leaf
        best: tuple[float, str, float] | None = None
        parent = _gini(*counts) * len(rows)
        for name in FEATURES:
            values = sorted({f[name] for f, _ in rows})
            for low, high in zip(values, values[1:], strict=False):
                threshold = (low + high) / 2
                left = [(f, y) for f, y in rows if f[name] <= threshold]
                if len(left) < min_leaf or len(rows) - len(left) < min_leaf:
                    continue
                left_pos = sum(1 for _, y in left if y)
                right_pos = positive - left_pos
                impurity = _gini(len(left) - left_pos, left_pos) * len(left) + _gini(
                    len(rows) - len(left) - right_pos, right_pos
                ) * (len(rows) - len(left))
                if best is None or impurity < best[0] - 1e-12:
                    best = (impurity, name, threshold)
        if best is None or best[0] >= parent - 1e-12:
            return leaf
        _, name, threshold = best
        node = DecisionTree(feature=name, threshold=threshold, counts=counts, label=leaf.label)
        node.left = grow([(f, y) for f, y in rows if f[name] <= threshold], depth + 1)
        node.right = grow([(f, y) for f, y in rows if f[name] > threshold], depth + 1)
        return node

    return grow(rows, 0)


@cache
def shipped_tree() -> DecisionTree:
    """The tree trained on UD EWT dev (see ``benchmarks/build_sentence_tree.py``)."""
    return DecisionTree.from_json(json.loads(resource_text("models/sentence_tree.json")))


# --------------------------------------------------------------------------
# The steps
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class BoundaryDecision(StepEvent):
    """One candidate: its features, the decision and why."""

    start: int
    end: int
    mark: str
    features: tuple[tuple[str, float], ...]
    boundary: bool
    reasons: tuple[str, ...]
    method: str

    def describe(self, style: str = "plain") -> str:
        what = "line break" if self.mark == "\n" else f"'{self.mark}'"
        verdict = "ends a sentence" if self.boundary else "does not end a sentence"
        why = "; ".join(self.reasons)
        return (
            f"The {what} at {self.start} {verdict} ({'rule' if self.method == 'rules' else 'tree'}: {why})."
        )


@dataclass(frozen=True, eq=False)
class SplitState(State):
    decided: int
    boundaries: tuple[int, ...]  # ends of the sentences found so far

    def then(self, event: StepEvent) -> SplitState:
        if not isinstance(event, BoundaryDecision):
            raise TypeError(f"sentence splitting does not change with {type(event).__name__}")
        return SplitState(
            self.decided + 1, (*self.boundaries, event.end) if event.boundary else self.boundaries
        )


SPLIT_PSEUDOCODE = (
    "function SPLIT-SENTENCES(text, decider) returns sentences",
    "  for each candidate c in text (. ? ! then space or end; a line break)",
    "    if decider says c ends a sentence   # rules, or the tree's tests on c's features",
    "      end the current sentence after c",
    "  return the sentences",
)


@dataclass(frozen=True, eq=False)
class SentenceSplit(StepwiseResult[StepEvent, SplitState]):
    """The sentences, and one step a candidate."""

    text: str
    method: str
    sentences: list[str]
    trace: Trace[StepEvent]

    def state_at(self, step: int) -> SplitState:
        step = self.clamp(step)
        ends = tuple(e.end for e in self.trace[:step] if isinstance(e, BoundaryDecision) and e.boundary)
        return SplitState(step, ends)

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return SPLIT_PSEUDOCODE

    def line_at(self, step: int) -> int:
        markers = ((BoundaryDecision, "if decider says"),)
        return line_for_event(SPLIT_PSEUDOCODE, self.event_at(step), markers, step, len(self.trace))

    def question_at(self, step: int) -> Question | None:
        event = self.event_at(step)
        if not isinstance(event, BoundaryDecision) or event.mark == "\n":
            return None
        return choice_question(
            f"Does the '{event.mark}' at {event.start} end a sentence?",
            ("yes", "no"),
            "yes" if event.boundary else "no",
            event.describe(),
        )


def split_sentences(text: str, method: str = "rules") -> SentenceSplit:
    """Split ``text`` into sentences by the stated rules or the trained tree, one candidate a step."""
    if method not in ("rules", "tree"):
        raise ValueError(f"The method must be rules or tree; got {method!r}.")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("The text is empty: type some sentences to split.")
    tree = shipped_tree() if method == "tree" else None
    events: list[StepEvent] = []
    sentences: list[str] = []
    begin = 0
    for start, end in candidates(text):
        mark = text[start:end]
        reasons: tuple[str, ...]
        if mark == "\n":
            boundary, reasons = True, ("a line break always ends a sentence",)
            facts: dict[str, float] = {}
            end = start  # the sentence ends before the line break
        else:
            facts = features(text, start, end)
            if tree is None:
                boundary, reason = _rules(facts)
                reasons = (reason,)
            else:
                boundary, tests = tree.decide(facts)
                reasons = tuple(tests) or ("the tree is one leaf",)
        events.append(BoundaryDecision(start, end, mark, tuple(facts.items()), boundary, reasons, method))
        if boundary:
            if text[begin:end].strip():
                sentences.append(text[begin:end].strip())
            begin = end
    if text[begin:].strip():
        sentences.append(text[begin:].strip())
    return SentenceSplit(trace=Trace.from_events(events), text=text, method=method, sentences=sentences)


def boundaries_from_conllu(sentences: Sequence[tuple[bool, bool, str]]) -> list[tuple[str, set[int]]]:
    """Documents and their gold sentence ends from (new document?, new paragraph?, text) triples.

    Sentences of a paragraph are joined by a space, paragraphs by a line break, as the
    treebank's ``# newdoc``, ``# newpar`` and ``# text`` lines describe them.
    """
    documents: list[tuple[str, set[int]]] = []
    text, ends = "", set[int]()
    for new_document, new_paragraph, sentence in sentences:
        if new_document and text:
            documents.append((text, ends))
            text, ends = "", set[int]()
        if text:
            text += "\n" if new_paragraph else " "
        text += sentence
        ends.add(len(text))
    if text:
        documents.append((text, ends))
    return documents
