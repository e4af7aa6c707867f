"""Predict mode in the window (issue 14, item 2): a full quiz flow per panel, from the keyboard only."""

import pytest
from PySide6.QtCore import Qt

from visualizer.lesson import load_lesson

PANELS = ["edit-distance", "hmm", "cky", "ngram", "embeddings", "dependency"]


def _typed(question) -> str:
    """The right answer as a student would type it."""
    if question.kind == "set":
        return " ".join(sorted(question.answer)) or "none"
    if question.kind == "number":
        return question.shown
    return str(question.answer)


def _wrong(question) -> str:
    if question.kind == "number":
        return "123456"
    if question.kind == "set":
        return "Bogus"
    if question.kind == "choice":
        return next(str(n) for n, c in enumerate(question.choices, 1) if c not in question.accepted)
    return "REDUCE" if question.answer != "REDUCE" else "SHIFT"


def _next_question(qtbot, window, panel):
    """Press → until a question opens; returns its step."""
    for _ in range(panel.model.nsteps + 1):
        qtbot.keyClick(panel.view, Qt.Key.Key_Right)
        if window.quiz.waiting is not None:
            return window.quiz.waiting
    raise AssertionError("no question opened")


@pytest.mark.parametrize("name", PANELS)
def test_predict_right_then_wrong_twice_from_the_keyboard(qtbot, window, name):
    panel = window.show_panel(name)
    panel.model.to_start()
    qtbot.keyClick(panel.view, Qt.Key.Key_P)  # Predict on
    assert window.quiz.on and window.quiz.score_label.text().startswith("Predict: 0 asked")
    result = panel.stepwise()
    # 1. A right answer reveals the step.
    step = _next_question(qtbot, window, panel)
    box = window.quiz.box
    assert box.isVisible() and box.field.hasFocus()
    assert panel.model.current_step == step - 1  # the step's result is still hidden
    assert panel.view.question_rect == panel.focus_rect(step)  # its element is marked
    question = result.question_at(step)
    assert question.prompt in box.prompt.text()
    qtbot.keyClicks(box.field, _typed(question))
    qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert panel.model.current_step == step and not box.isVisible()
    assert panel.view.question_rect is None
    # 2. Two wrong answers: a hint, then the answer; Enter reveals the step.
    step = _next_question(qtbot, window, panel)
    question = result.question_at(step)
    if question.kind == "choice" and len(question.accepted) == len(question.choices):
        return  # every choice is right here (ties): nothing wrong to type
    qtbot.keyClicks(box.field, _wrong(question))
    qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert box.feedback.text() == f"Not quite. Hint: {question.hint}"
    assert panel.model.current_step == step - 1
    box.field.clear()
    qtbot.keyClicks(box.field, _wrong(question))
    qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert question.explanation in box.feedback.text() and box.field.isReadOnly()
    qtbot.keyClick(box.field, Qt.Key.Key_Return)
    assert panel.model.current_step == step and not box.isVisible()
    assert window.quiz.score_label.text() == "Predict: 2 asked · 1 right first time · 1 hints"
    # Predict off: → steps freely again.
    qtbot.keyClick(panel.view, Qt.Key.Key_P)
    before = panel.model.current_step
    qtbot.keyClick(panel.view, Qt.Key.Key_Right)
    assert panel.model.current_step == before + 1 and window.quiz.waiting is None


def test_a_dragged_slider_stops_at_the_first_question_and_agrees_with_the_model(qtbot, window):
    panel = window.show_panel("edit-distance")
    panel.model.to_start()
    window.quiz.set_on(True)
    window.player.slider.setValue(60)  # dragged far ahead
    assert window.quiz.waiting is not None
    assert panel.model.current_step == window.quiz.waiting - 1 == window.player.slider.value()


def test_ask_modes_choose_the_steps_that_ask(window):
    panel = window.show_panel("edit-distance")  # intention → execution: 110 steps, rows of 9 cells
    quiz = window.quiz
    result = panel.stepwise()
    asking = [k for k in range(1, panel.model.nsteps + 1) if result.question_at(k) is not None]
    counts = {}
    for mode in ("every", "group", "phase", "random"):
        quiz.set_ask_mode(mode)
        counts[mode] = [k for k in asking if quiz.asks_at(k)]
    assert counts["every"] == asking
    # Phase ends: the last asking step of each phase (init, fill, backtrace) that has one.
    last_of_phase = []
    for phase in result.trace.phases:
        inside = [k for k in asking if phase.start < k <= phase.stop]
        last_of_phase += inside[-1:]
    assert counts["phase"] == last_of_phase and len(last_of_phase) >= 2
    assert set(counts["group"]) < set(asking) and len(counts["group"]) >= 10  # one per row
    assert 0.2 < len(counts["random"]) / len(asking) < 0.5
    quiz.set_ask_mode("random")
    assert [k for k in asking if quiz.asks_at(k)] == counts["random"]  # the same ones every time
    with pytest.raises(ValueError, match="Predict asks at one of every, group, phase, random; got 'nope'"):
        quiz.set_ask_mode("nope")


def test_a_lesson_keeps_the_predict_settings(window, tmp_path):
    panel = window.show_panel("hmm")
    panel.model.set_step(4)
    window.quiz.apply_settings("phase", True)
    path = tmp_path / "predict.json"
    assert window.save_lesson_to(str(path)) == ""
    assert load_lesson(path).quiz == {"predict": True, "ask": "phase"}
    window.quiz.apply_settings("every", False)
    assert window.open_lesson_from(str(path)) == ""
    assert window.quiz.on and window.quiz.ask_mode == "phase"
    assert window.quiz.toggle_action.isChecked()
    checked = [a.data() for a in window.quiz.ask_actions.actions() if a.isChecked()]
    assert checked == ["phase"]
    bad = tmp_path / "bad.json"
    bad.write_text(path.read_text().replace('"phase"', '"sometimes"'))
    assert 'has a "quiz" that is not' in window.open_lesson_from(str(bad))


def test_predict_works_in_presentation_mode_with_large_text(qtbot, window):
    panel = window.show_panel("hmm")
    panel.model.to_start()
    window.set_presentation(True)
    qtbot.keyClick(panel.view, Qt.Key.Key_P)
    _next_question(qtbot, window, panel)
    assert window.quiz.box.isVisible() and window.quiz.box.prompt.font().pointSizeF() == 16
    assert window.quiz.score_label.isVisible()
    window.set_presentation(False)


def test_ngram_predict_hides_the_probabilities_it_asks_for(qtbot, window):
    """The n-gram matrices show every P from the start: in Predict mode those not scored yet are blank."""
    panel = window.show_panel("ngram")  # the toy corpus, "I am Sam"
    tables = panel.tables
    cell = (tables.rows.index("<s>"), tables.columns.index("I"))
    probabilities, comparison = panel.matrices["probabilities"], panel.matrices["comparison"]
    assert probabilities.marks.texts(cell) == [(".667", "text")]  # Predict off: everything shown
    panel.model.to_start()
    window.quiz.set_on(True)
    qtbot.keyClick(panel.view, Qt.Key.Key_Right)  # stops before P(I | <s>)
    assert window.quiz.waiting == 1
    assert probabilities.marks.texts(cell) == [] and comparison.marks.texts((0, 0)) == []
    assert all(comparison.marks.texts((r, c)) == [] for r in range(6) for c in range(6))
    qtbot.keyClicks(window.quiz.box.field, "2/3")
    qtbot.keyClick(window.quiz.box.field, Qt.Key.Key_Return)
    assert probabilities.marks.texts(cell) == [(".667", "text")]  # scored: shown
    assert comparison.marks.texts((0, 0)) != [] and comparison.marks.texts((0, 1)) == []
    window.quiz.set_on(False)
    assert comparison.marks.texts((0, 3)) != []  # Predict off: every factor again


@pytest.mark.parametrize("name", PANELS)
def test_a_new_exercise_is_answered_cell_by_cell_and_scored(qtbot, window, name):
    from algorithms.exercises import make_exercise

    panel = window.show_panel(name)
    message = window.quiz.new_exercise("easy", seed=3)
    exercise = make_exercise(name, 3, "easy")
    assert message.startswith(f"{exercise.title}. ") and "--seed 3" in message
    assert panel.model.current_step == 0 and window.quiz.on and window.quiz.ask_mode == "every"
    result = panel.stepwise()
    answered = 0
    while answered < 3:  # three cells (or transitions, factors…) in a row, each graded
        step = _next_question(qtbot, window, panel)
        question = result.question_at(step)
        qtbot.keyClicks(window.quiz.box.field, _typed(question))
        qtbot.keyClick(window.quiz.box.field, Qt.Key.Key_Return)
        assert panel.model.current_step == step
        answered += 1
    assert window.quiz.score_label.text() == "Predict: 3 asked · 3 right first time · 0 hints"


def test_new_inputs_close_an_open_question(qtbot, window):
    panel = window.show_panel("edit-distance")
    panel.model.to_start()
    window.quiz.set_on(True)
    qtbot.keyClick(panel.view, Qt.Key.Key_Right)
    qtbot.keyClick(panel.view, Qt.Key.Key_Right)
    assert window.quiz.waiting is not None and window.quiz.box.isVisible()
    panel.set_inputs({**panel.inputs(), "source": "kitten", "target": "sitting"})
    assert window.quiz.waiting is None and not window.quiz.box.isVisible()
    assert panel.view.question_rect is None


def test_predict_hides_the_cky_parse_list_that_gives_the_answer_away(window):
    panel = window.show_panel("cky")
    assert panel.parse_list.isVisible() and panel.parse_count.isVisible()
    window.quiz.set_on(True)
    assert not panel.parse_list.isVisible() and not panel.parse_count.isVisible()
    window.quiz.set_on(False)
    assert panel.parse_list.isVisible() and panel.parse_count.isVisible()
