"""The Porter stemmer (Porter 1980, as SLP3 §2.7 describes it): a cascade of rewrite rules, one step each.

A word is read as ``[C](VC)^m[V]``: ``m``, the *measure*, counts vowel–consonant runs. A
consonant is a letter other than a, e, i, o, u, and other than y after a consonant. Rules
``(condition) S1 → S2`` replace the suffix S1 when the stem left before it meets the
condition: ``m > 0``, ``*v*`` (the stem has a vowel), ``*d`` (it ends in a double
consonant), ``*o`` (it ends consonant–vowel–consonant, the last not w, x or y), ``*S``…
Within a step only the rule with the longest matching suffix is tried.

>>> porter_stem("relational").stem
'relat'

This is the 1980 algorithm as published, not Porter's later changes (so ``abli → able``,
and no ``logi``), and with no special case for short words (``as`` → ``a``); it agrees with
nltk's ``PorterStemmer(mode=ORIGINAL_ALGORITHM)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from algorithms.quiz import Question, choice_question
from algorithms.trace import State, StepEvent, StepwiseResult, Trace, line_for_event

__all__ = ["porter_stem", "StemResult", "RuleStep", "StemState", "measure", "PORTER_PSEUDOCODE"]

_VOWELS = frozenset("aeiou")


def _is_consonant(word: str, i: int) -> bool:
    if word[i] in _VOWELS:
        return False
    if word[i] == "y":
        return i == 0 or not _is_consonant(word, i - 1)
    return True


def measure(stem: str) -> int:
    """m in [C](VC)^m[V]: how many times a vowel run is followed by a consonant run."""
    pattern = "".join("c" if _is_consonant(stem, i) else "v" for i in range(len(stem)))
    return pattern.count("vc") if pattern else 0


def _has_vowel(stem: str) -> bool:
    return any(not _is_consonant(stem, i) for i in range(len(stem)))


def _double_consonant(stem: str) -> bool:
    return len(stem) >= 2 and stem[-1] == stem[-2] and _is_consonant(stem, len(stem) - 1)


def _cvc(stem: str) -> bool:
    """*o: the stem ends consonant–vowel–consonant, and the last is not w, x or y."""
    if len(stem) < 3:
        return False
    n = len(stem)
    return (
        _is_consonant(stem, n - 3)
        and not _is_consonant(stem, n - 2)
        and _is_consonant(stem, n - 1)
        and stem[-1] not in "wxy"
    )


# A condition: its written form and its test on the stem.
_CONDITIONS: dict[str, Callable[[str], bool]] = {
    "": lambda s: True,
    "m>0": lambda s: measure(s) > 0,
    "m>1": lambda s: measure(s) > 1,
    "*v*": _has_vowel,
    "m>1 and (*S or *T)": lambda s: measure(s) > 1 and s[-1:] in ("s", "t"),
}

#: (step, condition, suffix, replacement), in Porter's order. Within a step the longest
#: matching suffix is tried, and only it.
RULES: dict[str, list[tuple[str, str, str]]] = {
    "1a": [("", "sses", "ss"), ("", "ies", "i"), ("", "ss", "ss"), ("", "s", "")],
    "1b": [("m>0", "eed", "ee"), ("*v*", "ed", ""), ("*v*", "ing", "")],
    "1c": [("*v*", "y", "i")],
    "2": [
        ("m>0", s, r)
        for s, r in (
            ("ational", "ate"),
            ("tional", "tion"),
            ("enci", "ence"),
            ("anci", "ance"),
            ("izer", "ize"),
            ("abli", "able"),
            ("alli", "al"),
            ("entli", "ent"),
            ("eli", "e"),
            ("ousli", "ous"),
            ("ization", "ize"),
            ("ation", "ate"),
            ("ator", "ate"),
            ("alism", "al"),
            ("iveness", "ive"),
            ("fulness", "ful"),
            ("ousness", "ous"),
            ("aliti", "al"),
            ("iviti", "ive"),
            ("biliti", "ble"),
        )
    ],  # fmt: skip
    "3": [
        ("m>0", s, r)
        for s, r in (
            ("icate", "ic"),
            ("ative", ""),
            ("alize", "al"),
            ("iciti", "ic"),
            ("ical", "ic"),
            ("ful", ""),
            ("ness", ""),
        )
    ],  # fmt: skip
    "4": [
        ("m>1 and (*S or *T)" if s == "ion" else "m>1", s, "")
        for s in (
            "al",
            "ance",
            "ence",
            "er",
            "ic",
            "able",
            "ible",
            "ant",
            "ement",
            "ment",
            "ent",
            "ion",
            "ou",
            "ism",
            "ate",
            "iti",
            "ous",
            "ive",
            "ize",
        )
    ],  # fmt: skip
}


@dataclass(frozen=True)
class RuleStep(StepEvent):
    """One step of the cascade: the rule tried (the longest matching suffix), its condition, the result."""

    step: str  # 1a, 1b, 1b*, 1c, 2, 3, 4, 5a, 5b
    rule: str  # "(m>0) ational → ate", or "" when no rule's suffix matches
    stem: str  # the word without the suffix, which the condition is tested on
    m: int
    holds: bool
    before: str
    after: str

    @property
    def fired(self) -> bool:
        return self.before != self.after

    def describe(self, style: str = "plain") -> str:
        if not self.rule:
            return f"Step {self.step}: no rule's suffix matches '{self.before}'."
        verdict = (
            f"fires: {self.before} → {self.after}" if self.holds else "does not fire (the condition fails)"
        )
        return (
            f"Step {self.step}: {self.rule} on '{self.before}' (stem '{self.stem}', m = {self.m}) {verdict}."
        )


@dataclass(frozen=True, eq=False)
class StemState(State):
    steps_done: int
    word: str

    def then(self, event: StepEvent) -> StemState:
        if not isinstance(event, RuleStep):
            raise TypeError(f"stemming does not change with {type(event).__name__}")
        return StemState(self.steps_done + 1, event.after)


PORTER_PSEUDOCODE = (
    "function PORTER-STEM(word) returns stem",
    "  step 1a: plurals (sses → ss, ies → i, s → ∅)",
    "  step 1b: -ed, -ing when the stem has a vowel; then tidy (at → ate, double consonant, *o → e)",
    "  step 1c: (*v*) y → i",
    "  step 2: (m>0) ational → ate, tional → tion, izer → ize, …",
    "  step 3: (m>0) icate → ic, ative → ∅, alize → al, ful → ∅, ness → ∅, …",
    "  step 4: (m>1) al, ance, ence, er, ic, able, ment, ion (after s or t), … → ∅",
    "  step 5: (m>1) e → ∅, (m=1 and not *o) e → ∅; (m>1 and *d and *L) single letter",
    "  return word",
)
#: The pseudocode line of each step (1b's tidying is part of step 1b; 5a and 5b are step 5).
_STEP_LINES = {step: f"step {step[0] if step[0] == '5' else step.rstrip('*')}" for step in
               ("1a", "1b", "1b*", "1c", "2", "3", "4", "5a", "5b")}  # fmt: skip


@dataclass(frozen=True, eq=False)
class StemResult(StepwiseResult[StepEvent, StemState]):
    """The stem and the cascade that made it, one step a rule tried."""

    word: str
    stem: str
    trace: Trace[StepEvent]

    def state_at(self, step: int) -> StemState:
        step = self.clamp(step)
        event = self.trace[step - 1] if step else None
        return StemState(step, event.after if isinstance(event, RuleStep) else self.word)

    @property
    def pseudocode(self) -> tuple[str, ...]:
        return PORTER_PSEUDOCODE

    def line_at(self, step: int) -> int:
        event = self.event_at(step)
        marker = _STEP_LINES[event.step] if isinstance(event, RuleStep) else ""
        return line_for_event(PORTER_PSEUDOCODE, event, ((RuleStep, marker),), step, len(self.trace))

    def watch_at(self, step: int) -> dict[str, str]:
        event = self.event_at(step)
        if isinstance(event, RuleStep):
            return {"word": event.before, "stem": event.stem, "m": str(event.m), "rule": event.rule}
        return {}

    def question_at(self, step: int) -> Question | None:
        """Does this step's rule fire?"""
        event = self.event_at(step)
        if not isinstance(event, RuleStep) or not event.rule:
            return None
        return choice_question(
            f"Step {event.step}: does {event.rule} fire on '{event.before}'?",
            ("yes", "no"),
            "yes" if event.holds else "no",
            event.describe(),
            hint=f"Test the condition on the stem '{event.stem}' (m = number of VC runs).",
        )


def porter_stem(word: str) -> StemResult:
    """Stem ``word`` (lower-cased) with the 1980 Porter algorithm, keeping each rule tried as a step."""
    if not isinstance(word, str) or not word.strip() or any(c.isspace() for c in word.strip()):
        raise ValueError("Stem one word: type it without spaces.")
    original = word.strip().lower()
    events: list[RuleStep] = []
    current = original
    # The 1980 rules as written: even "as" loses its s (nltk's own extensions spare short words).
    for step in ("1a", "1b", "1c", "2", "3", "4"):
        current = _apply_step(step, current, events)
    current = _step5(current, events)
    return StemResult(trace=Trace.from_events(events), word=original, stem=current)


def _apply_step(step: str, word: str, events: list[RuleStep]) -> str:
    matching = [rule for rule in RULES[step] if word.endswith(rule[1])]
    if not matching:
        events.append(RuleStep(step, "", word, measure(word), False, word, word))
        return word
    condition, suffix, replacement = max(matching, key=lambda rule: len(rule[1]))
    stem = word[: len(word) - len(suffix)]
    holds = _CONDITIONS[condition](stem)
    after = stem + replacement if holds else word
    label = (
        f"({condition}) {suffix} → {replacement or '∅'}" if condition else f"{suffix} → {replacement or '∅'}"
    )
    events.append(RuleStep(step, label, stem, measure(stem), holds, word, after))
    if step == "1b" and holds and suffix in ("ed", "ing"):
        after = _tidy_1b(after, events)
    return after


def _tidy_1b(word: str, events: list[RuleStep]) -> str:
    """After -ed or -ing went: at → ate, bl → ble, iz → ize, undouble, or add e after *o."""
    for suffix, replacement in (("at", "ate"), ("bl", "ble"), ("iz", "ize")):
        if word.endswith(suffix):
            events.append(RuleStep("1b*", f"{suffix} → {replacement}", word, measure(word), True, word,
                                   word[: -len(suffix)] + replacement))  # fmt: skip
            return events[-1].after
    if _double_consonant(word) and word[-1] not in "lsz":
        after = word[:-1]
        events.append(
            RuleStep(
                "1b*", "(*d and not (*L or *S or *Z)) → single letter", word, measure(word), True, word, after
            )
        )
        return after
    if measure(word) == 1 and _cvc(word):
        events.append(RuleStep("1b*", "(m=1 and *o) → e", word, 1, True, word, word + "e"))
        return word + "e"
    events.append(RuleStep("1b*", "", word, measure(word), False, word, word))
    return word


def _step5(word: str, events: list[RuleStep]) -> str:
    if word.endswith("e"):
        stem = word[:-1]
        m = measure(stem)
        holds = m > 1 or (m == 1 and not _cvc(stem))
        after = stem if holds else word
        events.append(RuleStep("5a", "(m>1) e → ∅ | (m=1 and not *o) e → ∅", stem, m, holds, word, after))
        word = after
    else:
        events.append(RuleStep("5a", "", word, measure(word), False, word, word))
    holds = measure(word) > 1 and _double_consonant(word) and word.endswith("l")
    if word.endswith("ll"):
        after = word[:-1] if holds else word
        events.append(
            RuleStep("5b", "(m>1 and *d and *L) → single letter", word, measure(word), holds, word, after)
        )
        return after
    events.append(RuleStep("5b", "", word, measure(word), False, word, word))
    return word
