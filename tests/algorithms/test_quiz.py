"""Questions from the engines (issue 14): right answers check, wrong ones do not, on every step.

Each question's answer is also compared with what the engine computed by another
path (the table, the chart's cells, the parser's transitions), and the edit
distance of random pairs with the editdistance library.
"""

from __future__ import annotations

import math
import random

import editdistance
import numpy as np
import pytest

from algorithms.cky import LexicalStep, SplitStep
from algorithms.dependency import ParseResult
from algorithms.edit_distance import BacktraceStep as EDBacktrace
from algorithms.edit_distance import EditDistanceResult, FillCell, InitCell, edit_distance
from algorithms.embeddings import MatrixFill
from algorithms.hmm import TrellisNode, TrellisResult, viterbi
from algorithms.ngram import NGramModel, ScoreStep, SentenceScore
from algorithms.quiz import Feedback, Question, parse_number
from tests.algorithms.test_stepwise_conformance import ENGINES, ICE_CREAM, TOY

#: Engines whose steps compute nothing a learner predicts (training snapshots, sampling, EM, moves
#: the learner chose).
NOT_ASKED = ("baum_welch", "train_sgns", "generate", "manual")  # manual: the learner makes the moves


def _wrong(question: Question, rng: random.Random) -> str | None:
    """An answer that must be refused, or None when every choice is right."""
    if question.kind == "number":
        truth = float(question.answer)  # type: ignore[arg-type]
        if math.isinf(truth):
            return "12"
        wrong = truth * 1.5 + 1.0
        # -2 is the fixed point of x ↦ 1.5x + 1 (SLP3's graph has ∂L/∂e = -2): move it another way.
        return repr(wrong if not math.isclose(wrong, truth) else truth + 10.0)
    if question.kind == "set":
        return " ".join(sorted(question.answer | {"Bogus"}))  # type: ignore[operator]
    if question.kind == "choice":
        wrong = [c for c in question.choices if c not in question.accepted]
        return rng.choice(wrong) if wrong else None
    return "REDUCE" if str(question.answer) != "REDUCE" else "SHIFT"


def _typed(question: Question) -> str:
    """The right answer as a student would type it."""
    if question.kind == "set":
        return ", ".join(sorted(question.answer)) or "none"  # type: ignore[arg-type]
    if question.kind == "number":
        return question.shown
    return str(question.answer)


@pytest.mark.parametrize(("name", "make"), ENGINES, ids=[name for name, _ in ENGINES])
def test_right_answers_check_and_wrong_ones_do_not(name, make):
    result = make()
    rng = random.Random(name)
    asked = 0
    for step in range(len(result.trace) + 1):
        question = result.question_at(step)
        if question is None:
            continue
        asked += 1
        assert isinstance(question, Question) and question.prompt and question.explanation
        assert question.explanation == result.narrate(step)  # explained with the step's own formula
        right = question.check(_typed(question))
        assert right == Feedback(True, f"Right: {question.explanation}"), (step, question.prompt)
        wrong = _wrong(question, rng)
        if wrong is not None:
            feedback = question.check(wrong)
            assert not feedback.correct, (step, question.prompt, wrong)
            assert question.explanation in feedback.message
    if name.split()[0] in NOT_ASKED:
        assert asked == 0
    else:
        assert asked > 0, name


@pytest.mark.parametrize(("name", "make"), ENGINES, ids=[name for name, _ in ENGINES])
def test_the_answer_is_what_the_engine_computed(name, make):
    result = make()
    for step in range(1, len(result.trace) + 1):
        question, event = result.question_at(step), result.event_at(step)
        if question is None:
            continue
        if isinstance(result, EditDistanceResult) and isinstance(event, InitCell | FillCell):
            assert question.answer == result.table[event.cell]
        elif isinstance(result, EditDistanceResult) and isinstance(event, EDBacktrace):
            assert any(f"D[{event.origin[0]},{event.origin[1]}]" in c for c in question.accepted)
        elif isinstance(result, TrellisResult) and isinstance(event, TrellisNode):
            node = (result.hmm.states.index(event.state), event.time - 1)
            assert math.isclose(question.answer, math.exp(result.log_table[node]), rel_tol=1e-12)
        elif isinstance(event, LexicalStep | SplitStep) and question.kind == "set":
            before, after = result.state_at(step - 1), result.state_at(step)
            new = set(after.cell(*event.cell)) - set(before.cell(*event.cell))
            assert question.answer == frozenset(new), (step, event.cell)
        elif isinstance(result, ParseResult):
            transition = result.transitions[step - 1]
            assert question.answer == (
                f"{transition[0]}({transition[1]})" if transition[1] else transition[0]
            )
        elif isinstance(result, SentenceScore) and isinstance(event, ScoreStep):
            assert question.answer == event.probability
        elif isinstance(result, MatrixFill):
            assert question.answer == pytest.approx(event.value, abs=0)


def test_edit_distance_questions_agree_with_editdistance_on_random_pairs():
    rng = random.Random(14)
    for _ in range(40):
        a = "".join(rng.choice("abcd") for _ in range(rng.randint(1, 8)))
        b = "".join(rng.choice("abcd") for _ in range(rng.randint(1, 8)))
        result = edit_distance(a, b, substitution_cost=1)
        last_fill = result.filled_at.size  # the step that fills D[n, m]
        question = result.question_at(last_fill)
        assert question.prompt == f"D[{len(a)},{len(b)}] = ?"
        assert question.check(str(editdistance.eval(a, b))).correct
        assert not question.check(str(editdistance.eval(a, b) + 1)).correct


def test_number_tolerance_allows_fractions_and_three_significant_digits():
    result = NGramModel(TOY, order=2).score("I am Sam")
    question = result.question_at(2)  # P(am | I) = 2/3
    assert question.prompt == "P(am | I) = ?"
    for typed in ("2/3", ".667", "0.6667", "0.66667", "2 / 3", "0.667"):
        assert question.check(typed).correct, typed
    for typed in (".67", ".66", "0.7", "3/4"):
        assert not question.check(typed).correct, typed
    assert "close, but it needed .667 (3 significant digits)" in question.check(".67").message
    # In the log style the narration shows ln P: a natural log counts, written plainly or with "ln".
    assert question.check(f"{math.log(2 / 3):.4f}").correct  # -0.4055
    assert question.check("ln -0.405").correct
    assert not question.check("-0.41").correct
    assert "it needed ln .667 = -0.4055" in question.check("-0.5").message


def test_whole_numbers_are_exact_and_probabilities_in_log_space_survive_underflow():
    question = edit_distance("intention", "execution", substitution_cost=2).question_at(57)
    assert question.prompt == "D[5,2] = ?" and question.tolerance < 1e-6
    assert question.check("5").correct and question.check("5.0").correct and question.check("10/2").correct
    assert not question.check("5.4").correct
    # An 800-word trellis: its last nodes underflow a float, but their ln still checks.
    long = viterbi(ICE_CREAM, " ".join(random.Random(1).choice("123") for _ in range(800)))
    step = len(long.observations) * 2  # the last node of the last column
    question = long.question_at(step)
    event = long.event_at(step)
    assert isinstance(event, TrellisNode) and event.log_value < -700 and question.answer == 0.0
    assert question.check(f"{event.log_value:.2f}").correct
    assert not question.check(f"{event.log_value + 1:.2f}").correct


def test_typed_numbers():
    assert parse_number("2/3") == pytest.approx(2 / 3)
    assert parse_number(" −1.5e-3 ") == -0.0015
    assert parse_number("1.2×10^-3") == pytest.approx(0.0012)
    assert parse_number("∞") == math.inf
    for bad in ("two", "1/0", "", "1..2"):
        with pytest.raises(ValueError, match="is not a number"):
            parse_number(bad)
    question = NGramModel(TOY, order=2).score("I am Sam").question_at(1)
    assert question.check("abc") == Feedback(False, "'abc' is not a number (try 0.25, 1/4 or 2.5e-3).")
    assert not question.check("  ").correct


def test_messages_say_what_was_needed():
    from algorithms.cfg import Grammar
    from algorithms.cky import cky
    from algorithms.dependency import parse
    from tests.algorithms.test_stepwise_conformance import BOOK, L1

    chart = cky(L1, ["book", "the", "flight", "through", "Houston"])
    step = next(
        k for k in range(1, len(chart.trace) + 1)
        if isinstance(chart.event_at(k), SplitStep) and len(chart.question_at(k).answer) >= 2
    )  # fmt: skip
    question = chart.question_at(step)
    names = sorted(question.answer)
    feedback = question.check(f"{names[0].lower()} Bogus")  # one right (any case), one missing, one extra
    assert not feedback.correct
    assert f"missing {', '.join(names[1:])}" in feedback.message
    assert "Bogus does not enter this cell here" in feedback.message
    assert question.check(" ".join(reversed(names))).correct  # any order
    assert isinstance(Grammar, type)
    # A transition: the move right and the label wrong is said so.
    result = parse(BOOK.words, None, system="arc-standard", oracle=BOOK)
    step = next(k for k in range(1, len(result.trace) + 1) if result.transitions[k - 1][1])
    question = result.question_at(step)
    name, label = result.transitions[step - 1]
    assert question.check(f"{name.lower()} ( {label} )").correct
    message = question.check(f"{name}(wrong)").message
    assert message.startswith(f"Not {name}(wrong): {name} is right, but the label is {label}.")
    assert f"it needs its label too: {name}({label})" in question.check(name).message
    # A backtrace choice: every co-optimal neighbour counts, others are refused by name.
    ed = edit_distance("intention", "execution", substitution_cost=2)
    backtrace = next(
        q for k in range(1, len(ed.trace) + 1)
        if (q := ed.question_at(k)) is not None and q.kind == "choice" and len(q.accepted) < len(q.choices)
    )  # fmt: skip
    refused = next(c for c in backtrace.choices if c not in backtrace.accepted)
    assert backtrace.check(refused).message.startswith(f"Not {refused}: it needed {backtrace.shown}")
    assert backtrace.check("9").message == f"Pick one of: {', '.join(backtrace.choices)}."


def test_pcky_asks_the_probability_of_the_entry_it_changes():
    from algorithms.cky import probabilistic_cky
    from tests.algorithms.test_stepwise_conformance import PP

    chart = probabilistic_cky(PP, ["I", "saw", "the", "man", "with", "the", "telescope"])
    numbers = [chart.question_at(k) for k in range(1, len(chart.trace) + 1)]
    numbers = [q for q in numbers if q is not None and q.kind == "number"]
    assert numbers and all(q.log_ok and 0 < float(q.answer) <= 1 for q in numbers)  # type: ignore[arg-type]
    assert all(q.check(q.shown).correct for q in numbers)


def test_questions_follow_the_number_style_of_probabilities():
    question = viterbi(ICE_CREAM, "3 1 3").question_at(3)  # v2(HOT) = max(.32·.6, .02·.5)·.2 = .0384
    assert question.prompt == "v2(HOT) = ?"
    assert question.shown == ".0384"
    assert question.check("0.0384").correct and question.check(".32*.6*.2").correct is False
    assert question.check(f"{math.log(0.0384):.3f}").correct  # the log style's number
    assert question.hint == "v2(HOT) = max(v1(HOT)·P(HOT|HOT), v1(COLD)·P(HOT|COLD)) · P(1|HOT) = ?"
    assert np.isclose(float(question.answer), 0.0384)
