"""Questions a step can pose, and the checking of a learner's answer (pure Python, no Qt).

Every Stepwise result offers ``question_at(k)``: the question whose answer is what
step ``k`` computes (an edit-distance cell, a trellis node, the entries a CKY split
adds, the next transition, a smoothed probability, a PPMI cell), or None when the
step computes nothing to predict. Questions are made from the trace's events, never
written per example, so every input a student types can be quizzed.

A question has a ``kind``:

* ``"number"``: a number within ``tolerance`` of ``answer``. The tolerance is half a
  unit in the third significant digit (so 2/3, .667 and .6667 all count for .6667,
  and .67 does not), or zero for a whole-number answer such as an edit distance.
  Answers may be fractions (``2/3``), decimals (``.667``), powers of ten
  (``1.15e-47``) or ``∞``. Where ``log_ok`` is set (probabilities), a natural
  logarithm also counts: a negative answer, or one written ``ln …``, is compared
  with ln(``answer``), as the panels' log style shows it (to 4 significant digits,
  and within 0.001).
* ``"choice"``: one of ``choices`` (case and spacing aside). Some steps have several
  right answers (two predecessors tie); every one of ``accepted`` counts.
* ``"set"``: the set of names in ``answer`` (a CKY cell's new entries), typed
  separated by spaces or commas, in any order.
* ``"text"``: ``answer`` as text, case, spaces and brackets aside
  (``LEFTARC(compound)`` = ``leftarc compound``).

``check(answer)`` returns :class:`Feedback`: whether it is right, and a message that
explains with the step's own formula and numbers (``explanation``, the step's
narration) and, for a wrong answer, what it would have needed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction

__all__ = ["Feedback", "Question", "parse_number", "hint_from", "significant_tolerance"]

KINDS = ("number", "choice", "set", "text")


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``correct``, and a ``message`` that says why."""

    correct: bool
    message: str


@dataclass(frozen=True)
class Question:
    """What a step asks: ``prompt``, ``kind``, and the ``answer`` that ``check`` compares with.

    ``shown`` is the answer as the step's narration prints it; ``explanation`` is that
    narration (the formula with its numbers); ``hint`` is the formula with the result
    blanked, for a learner who got it wrong once.
    """

    prompt: str
    kind: str
    answer: float | str | frozenset[str]
    explanation: str
    shown: str = ""
    choices: tuple[str, ...] = ()
    tolerance: float = 0.0
    hint: str = ""
    log_ok: bool = False
    accepted: frozenset[str] = field(default_factory=frozenset)  # more right choices (ties)
    log_answer: float = math.nan  # ln of a probability too small for a float (set with log_ok)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"A question's kind is one of {', '.join(KINDS)}; got {self.kind!r}.")
        if self.kind == "choice" and self.answer not in self.choices:
            raise ValueError(f"The answer {self.answer!r} is not among the choices {self.choices}.")
        if not self.shown:
            object.__setattr__(self, "shown", _show(self.answer))
        if not self.hint:
            object.__setattr__(self, "hint", hint_from(self.explanation))

    def check(self, answer: object) -> Feedback:
        """Whether ``answer`` (as typed or picked) is right, with a message in the step's terms."""
        text = str(answer).strip()
        if not text:
            return Feedback(False, f"Type an answer first. {self.prompt}")
        if self.kind == "number":
            return self._check_number(text)
        if self.kind == "set":
            return self._check_set(text)
        if self.kind == "choice":
            return self._check_choice(text)
        return self._check_text(text)

    # -- each kind --------------------------------------------------------------------------
    def _right(self) -> Feedback:
        return Feedback(True, f"Right: {self.explanation}")

    def _wrong(self, typed: str, needed: str = "") -> Feedback:
        needed = needed or f"it needed {self.shown}"
        return Feedback(False, f"Not {typed}: {needed}. {self.explanation}")

    def _check_number(self, text: str) -> Feedback:
        assert isinstance(self.answer, float | int)
        logged = text.lower().startswith("ln")
        try:
            value = parse_number(text[2:] if logged else text)
        except ValueError as problem:
            return Feedback(False, str(problem))
        truth = float(self.answer)
        target = (
            self.log_answer
            if not math.isnan(self.log_answer)
            else math.log(truth)
            if truth > 0
            else -math.inf
        )
        if self.log_ok and (logged or value < 0) and math.isfinite(target):
            # The log style prints ln values to 4 significant digits (-0.4055, -1110).
            if abs(value - target) <= max(0.001, significant_tolerance(target, 4)):
                return self._right()
            shown = f"ln {self.shown} = {_show(round(target, 4))}"
            return self._wrong(text, f"it needed {shown}")
        if _close(value, truth, self.tolerance):
            return self._right()
        if self.tolerance and _close(value, truth, 20 * self.tolerance):
            return self._wrong(text, f"close, but it needed {self.shown} (3 significant digits)")
        return self._wrong(text)

    def _check_set(self, text: str) -> Feedback:
        assert isinstance(self.answer, frozenset)
        typed = {name for name in re.split(r"[\s,;]+", text) if name and name not in ("∅", "-", "none")}
        by_lower = {name.lower(): name for name in self.answer}
        given = {by_lower.get(name.lower(), name) for name in typed}
        if given == set(self.answer):
            return self._right()
        missing = sorted(self.answer - given)
        extra = sorted(given - self.answer)
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if extra:
            parts.append(f"{', '.join(extra)} {'does' if len(extra) == 1 else 'do'} not enter this cell here")
        needed = "; ".join(parts) + f" (it needed {self.shown})"
        return self._wrong(text, needed)

    def _check_choice(self, text: str) -> Feedback:
        right = {_normal(c) for c in (str(self.answer), *self.accepted)}
        picked = text
        if text.isdigit() and 1 <= int(text) <= len(self.choices):  # "2": the second choice
            picked = self.choices[int(text) - 1]
        if _normal(picked) in right:
            return self._right()
        if _normal(picked) not in {_normal(c) for c in self.choices}:
            return Feedback(False, f"Pick one of: {', '.join(self.choices)}.")
        others = sorted(self.accepted - {str(self.answer)})
        needed = f"it needed {self.shown}" + (f" (or {', '.join(others)})" if others else "")
        return self._wrong(picked, needed)

    def _check_text(self, text: str) -> Feedback:
        right = {_normal(str(self.answer)), *(_normal(a) for a in self.accepted)}
        if _normal(text) in right:
            return self._right()
        first, _, rest = _normal(str(self.answer)).partition(" ")
        typed_first, _, typed_rest = _normal(text).partition(" ")
        if rest and typed_first == first:  # LEFTARC right, the label not
            label = f"the label is {rest}" if typed_rest else f"it needs its label too: {self.shown}"
            return self._wrong(text, f"{first.upper()} is right, but {label}")
        return self._wrong(text)


def significant_tolerance(value: float, digits: int = 3) -> float:
    """Half a unit in the ``digits``-th significant digit of ``value`` (0 for 0 or ∞)."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    exponent = math.floor(math.log10(abs(value))) - digits + 1
    return 0.5 * math.pow(10.0, exponent)


def parse_number(text: str) -> float:
    """A typed number: ``2/3``, ``.667``, ``-1.2``, ``1.15e-47``, ``1.2×10^-3``, ``∞``; else ValueError."""
    cleaned = text.strip().replace("−", "-").replace(" ", "").replace("×10^", "e").replace("*10^", "e")
    if cleaned.lower() in ("∞", "inf", "+∞", "infinity"):
        return math.inf
    if cleaned.lower() in ("-∞", "-inf", "-infinity"):
        return -math.inf
    try:
        if "/" in cleaned:
            top, bottom = cleaned.split("/", 1)
            return float(Fraction(top) / Fraction(bottom))
        return float(cleaned)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"'{text.strip()}' is not a number (try 0.25, 1/4 or 2.5e-3).") from None


def hint_from(explanation: str) -> str:
    """The formula with its result blanked: ``D[5,2] = min(D[4,2]+1, …) = ?``.

    The narration reads "name = formula = numbers = result (why)": the hint keeps the
    name and the formula, so the learner still has to put the numbers in.
    """
    parts = explanation.split(" = ")
    if len(parts) >= 3:
        return f"{parts[0]} = {parts[1]} = ?"
    if len(parts) == 2:
        return f"{parts[0]} = ?"
    return explanation


def number_question(
    prompt: str,
    value: float,
    explanation: str,
    shown: str = "",
    *,
    whole: bool = False,
    log_ok: bool = False,
    decimals: int | None = None,
    log_value: float = math.nan,
) -> Question:
    """A number question; ``whole`` for an exact whole-number answer (an edit distance).

    ``decimals``: the step's narration rounds to that many decimals (tf-idf's 0.074),
    so an answer read off it counts as well. ``log_value``: ln of a probability that
    underflows as a float (a long sentence's trellis), for ``log_ok``.
    """
    tolerance = 1e-9 if whole else significant_tolerance(value)
    if decimals is not None:
        tolerance = max(tolerance, 0.5 * math.pow(10.0, -decimals))
    return Question(
        prompt,
        "number",
        float(value),
        explanation,
        shown,
        tolerance=tolerance,
        log_ok=log_ok,
        log_answer=log_value,
    )


def choice_question(
    prompt: str,
    choices: Iterable[str],
    answer: str,
    explanation: str,
    accepted: Iterable[str] = (),
    hint: str = "",
) -> Question:
    """A choice question; ``accepted`` lists other choices that are right too (ties)."""
    return Question(
        prompt,
        "choice",
        answer,
        explanation,
        choices=tuple(choices),
        accepted=frozenset(accepted) | {answer},
        hint=hint or prompt,
    )


def _close(value: float, truth: float, tolerance: float) -> bool:
    if math.isinf(truth) or math.isinf(value):
        return value == truth
    return abs(value - truth) <= tolerance


def _normal(text: str) -> str:
    return re.sub(r"[\s()\[\]_:,]+", " ", text.lower()).strip()


def _show(answer: object) -> str:
    if isinstance(answer, frozenset):
        return "{" + ", ".join(sorted(answer)) + "}" if answer else "nothing (∅)"
    if isinstance(answer, float):
        if math.isinf(answer):
            return "∞" if answer > 0 else "-∞"
        if answer == int(answer) and abs(answer) < 1e15:
            return str(int(answer))
        return f"{answer:.4g}"
    return str(answer)
