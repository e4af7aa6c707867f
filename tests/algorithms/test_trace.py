"""The trace model: random access, grouping, and state_at == folding events."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from algorithms.edit_distance import BacktraceStep, FillCell, InitCell, edit_distance
from algorithms.trace import Phase, StepEvent, Trace, format_number


def fold_events(result, position):
    """Replay the first ``position`` events from an empty grid (the slow, obvious way)."""
    filled = np.zeros(result.table.shape, dtype=bool)
    values = np.full(result.table.shape, np.nan)
    path = []
    for event in result.trace[:position]:
        if isinstance(event, (InitCell, FillCell)):
            filled[event.cell] = True
            values[event.cell] = event.value
        elif isinstance(event, BacktraceStep):
            if not path:
                path.append(event.cell)
            path.append(event.origin)
    return filled, values, tuple(path)


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet="abc", max_size=7),
    st.text(alphabet="abc", max_size=7),
    st.booleans(),
    st.data(),
)
def test_state_at_equals_folding_the_first_k_events(source, target, transpositions, data):
    r = edit_distance(source, target, transpositions=transpositions)
    position = data.draw(st.integers(0, len(r.trace)))
    state = r.state_at(position)
    filled, values, path = fold_events(r, position)
    np.testing.assert_array_equal(state.filled, filled)
    np.testing.assert_array_equal(r.table[filled], values[filled])
    assert state.path == path


def test_row_and_phase_boundaries():
    r = edit_distance("abc", "xy")
    trace = r.trace
    init_steps = 3 + 2 + 1
    assert trace.boundaries("phase") == (0, init_steps, init_steps + 6, len(trace))
    assert trace.boundaries("row")[:4] == (0, init_steps, init_steps + 2, init_steps + 4)
    assert trace.next_boundary(init_steps + 1, "row") == init_steps + 2
    assert trace.previous_boundary(init_steps + 1, "row") == init_steps
    assert trace.next_boundary(len(trace), "phase") == len(trace)
    assert trace.previous_boundary(0, "phase") == 0
    assert trace.levels == ("row", "phase")
    with pytest.raises(ValueError, match="no level 'word'"):
        trace.boundaries("word")


def test_events_are_frozen_values_and_random_access_works():
    r = edit_distance("kitten", "sitting")
    trace = r.trace
    assert trace[-1] == trace[len(trace) - 1]
    assert trace[10:12] == (trace[10], trace[11])
    with pytest.raises(IndexError):
        trace[len(trace)]
    with pytest.raises(AttributeError):
        trace[10].value = 3  # type: ignore[misc]
    assert trace.narrate(0).startswith("Start")
    assert trace.phase_at(len(trace)).name == "backtrace"


def test_from_events_trace():
    class Tick(StepEvent):
        def describe(self):
            return "tick"

    trace = Trace.from_events([Tick(), Tick(), Tick()], phases=[Phase("only", 0, 3)])
    assert len(trace) == 3 and trace.narrate(2) == "tick"
    assert trace.boundaries("phase") == (0, 3)


@pytest.mark.parametrize(
    "value,text",
    [
        (4.0, "4"),
        (0.5, "0.5"),
        (0.30000000000000004, "0.3"),
        (1.23456789e-15, "1.235e-15"),
        (float("inf"), "∞"),
    ],
)
def test_format_number_is_short(value, text):
    assert format_number(value) == text


def test_concat_shifts_phases_and_levels_and_keeps_events():
    """CNF steps then a chart, as one trace: no offset arithmetic left to the panels."""
    from algorithms.cfg import Grammar
    from algorithms.cky import cky
    from algorithms.resources import resource_text

    grammar = Grammar.from_string(resource_text("grammars/l1.cfg"))
    cnf = grammar.to_cnf()
    chart = cky(cnf, ["book", "the", "flight", "through", "Houston"]).trace
    steps = Trace.from_events(cnf.steps, phases=[Phase("CNF", 0, len(cnf.steps))])
    whole = Trace.concat(steps, chart)
    offset = len(steps)
    assert len(whole) == offset + len(chart)
    assert list(whole)[:offset] == list(steps) and whole[offset] == chart[0] and whole[-1] == chart[-1]
    assert [p.name for p in whole.phases] == ["CNF", *(p.name for p in chart.phases)]
    assert whole.phases[1].start == offset and whole.phases[-1].stop == len(whole)
    # the chart's "cell" level moves into place; the CNF part still stops at its end
    assert whole.boundaries("cell") == tuple(
        sorted({0, offset, *(b + offset for b in chart.boundaries("cell"))})
    )
    assert whole.narrate(offset + 1) == chart.narrate(1)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=1e-300, max_value=1.0, allow_nan=False), st.sampled_from(["plain", "scientific"]))
def test_one_number_rule_for_every_probability(p, style):
    """One printer: no leading zero, an unpadded exponent, scientific rather than .0000."""
    import math

    from algorithms.ngram import _p as ngram_printer
    from algorithms.trace import format_probability, format_value

    text = format_value(p, style)
    assert text == format_probability(math.log(p), style)
    assert not text.startswith("0.") and "e-0" not in text and "e+" not in text
    assert text.strip(".0") != "" or p == 0
    if style == "plain":
        assert ngram_printer(p) == text
        assert float(text if not text.startswith(".") else "0" + text) == pytest.approx(p, rel=6e-3)
    shown = format_value(p, "plain", decimals=4)
    assert shown not in (".0000", "0") and not shown.startswith("0.")


def test_textbook_numbers_print_as_slp3_prints_them():
    import math

    from algorithms.trace import format_number, format_probability, format_value

    assert format_value(0.0384) == ".0384" and format_value(2 / 3) == ".667"
    assert format_value(0.0384, "scientific") == "3.84e-2" and format_value(1.23e-5) == "1.23e-5"
    assert format_value(0.3399, decimals=4) == ".3399" and format_value(1.2e-6, decimals=4) == "1.2e-6"
    assert format_probability(-1000 * math.log(10)) == "1e-1000"  # below a float, from the log
    assert format_number(1.234e-5) == "1.234e-5" and format_number(4.0) == "4"
    with pytest.raises(ValueError, match="number style"):
        format_probability(-1.0, "fancy")
