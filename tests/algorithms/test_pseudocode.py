"""Pseudocode beside every engine (issue 15, item 1): lines, the line each step runs, and its watch list."""

from __future__ import annotations

import math

import pytest

from algorithms.cky import cky, probabilistic_cky
from algorithms.dependency import parse
from algorithms.edit_distance import edit_distance
from algorithms.embeddings import ppmi_trace, term_context_matrix, term_document_matrix, tf_idf_trace
from algorithms.hmm import backward, forward, viterbi
from algorithms.ngram import NGramModel
from algorithms.trace import format_number, format_probability
from tests.algorithms.test_stepwise_conformance import BOOK, ENGINES, ICE_CREAM, L1, PP, RESTAURANT, TOY


def _visited(result) -> list[str]:
    """The pseudocode lines the steps run, in order, each run of repeats kept once."""
    lines: list[str] = []
    for k in range(1, len(result.trace) + 1):
        line = result.pseudocode[result.line_at(k)].strip()
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


@pytest.mark.parametrize(("name", "make"), ENGINES, ids=[name for name, _ in ENGINES])
def test_every_engine_has_pseudocode_and_every_step_a_line(name, make):
    result = make()
    code = result.pseudocode
    assert isinstance(code, tuple) and len(code) >= 5 and all(isinstance(line, str) for line in code)
    assert code[0].startswith("function ") and code[-1].strip().startswith("return")
    for k in range(1, len(result.trace) + 1):
        index = result.line_at(k)
        assert 0 < index < len(code), (k, index)  # never the header
        assert isinstance(result.watch_at(k), dict)
    with pytest.raises(ValueError, match="is not in this trace"):
        result.line_at(0)  # step 0 runs nothing
    assert result.line_at(len(result.trace) + 5) == result.line_at(len(result.trace))  # clamped, as event_at


def test_edit_distance_runs_its_lines_in_the_textbook_order():
    result = edit_distance("intention", "execution", substitution_cost=2)
    assert _visited(result) == [
        "D[0,0] ← 0",
        "D[i,0] ← D[i-1,0] + del-cost(source[i])",
        "D[0,j] ← D[0,j-1] + ins-cost(target[j])",
        "D[i,j] ← MIN(D[i-1,j] + del-cost(source[i]), D[i,j-1] + ins-cost(target[j]),",
        "backtrace from D[n,m]: step to the cell whose value plus its move's cost gave the minimum",
        "return D[n,m]",
    ]
    assert "trans-cost" not in " ".join(result.pseudocode)
    assert "trans-cost" in " ".join(edit_distance("acress", "caress", transpositions=True).pseudocode)
    # The watch list is the step's state: the cell filled, its items and its value.
    for k in (20, 57, 90):
        watch, state = result.watch_at(k), result.state_at(k)
        i, j = int(watch["i"]), int(watch["j"])
        assert state.current == (i, j)
        assert watch[f"D[{i},{j}]"] == format_number(result.table[i, j])
        assert (
            watch["source[i]"] == f"'{result.source[i - 1]}'"
            and watch["target[j]"] == f"'{result.target[j - 1]}'"
        )


@pytest.mark.parametrize(
    ("algorithm", "phases"),
    [(viterbi, ["initialisation", "recursion", "termination", "bestpath ←"]),
     (forward, ["initialisation", "recursion", "termination"]),
     (backward, ["initialisation", "recursion", "termination"])],
)  # fmt: skip
def test_trellis_algorithms_run_initialisation_recursion_termination(algorithm, phases):
    result = algorithm(ICE_CREAM, "3 1 3")
    visited = _visited(result)
    assert len(visited) == len(phases)
    for line, phase in zip(visited, phases, strict=True):
        index = [c.strip() for c in result.pseudocode].index(line)
        marked = result.pseudocode[index - 1] if phase in ("initialisation", "recursion") else line
        assert phase in marked, (line, phase)
    for k in range(1, 7):  # the six nodes
        watch, state = result.watch_at(k), result.state_at(k)
        s, t = state.current
        assert (watch["s"], int(watch["t"])) == (ICE_CREAM.states[s], t + 1)
        name = next(key for key in watch if key.endswith(f"({watch['s']})"))
        assert watch[name] == format_probability(float(result.log_table[s, t]))


def test_cky_and_pcky_lines_and_watch_follow_the_chart():
    chart = cky(L1, ["book", "the", "flight", "through", "Houston"])
    visited = _visited(chart)
    assert visited[0].startswith("for all {A | A → words[j]")
    assert {
        "table[i,j] ← table[i,j] ∪ A",
        "for all {A | A → B C ∈ grammar, B ∈ table[i,k], C ∈ table[k,j]}",
    } <= set(visited)
    for k in range(1, len(chart.trace) + 1):
        watch, state = chart.watch_at(k), chart.state_at(k)
        if "k" in watch:
            assert state.current == (int(watch["i"]), int(watch["j"]), int(watch["k"]))
            added = set(state.cell(int(watch["i"]), int(watch["j"]))) - set(
                chart.state_at(k - 1).cell(int(watch["i"]), int(watch["j"]))
            )
            assert set(watch["A"].split(", ")) - {"∅"} == added
    pcky = probabilistic_cky(PP, ["I", "saw", "the", "man", "with", "the", "telescope"])
    assert any("table[i,j,A] ← P(A → B C)" in line for line in _visited(pcky))
    assert pcky.pseudocode[0].startswith("function PROBABILISTIC-CKY")


@pytest.mark.parametrize("system", ["arc-standard", "arc-eager"])
def test_dependency_lines_are_the_transitions_taken(system):
    result = parse(BOOK.words, None, system=system, oracle=BOOK)
    for k in range(1, len(result.trace) + 1):
        name, label = result.transitions[k - 1]
        line = result.pseudocode[result.line_at(k)]
        assert f"if t = {name}" in line
        watch = result.watch_at(k)
        assert watch["t"] == (f"{name}({label})" if label else name)
        stack, buffer = result.configuration_at(k - 1)
        assert watch["s1"] == ("ROOT" if stack[-1] == 0 else result.words[stack[-1] - 1])
        if "arc" in watch:  # the arc is in the state after the step
            head, dependent = watch["arc"].split(" → ")
            arcs = result.state_at(k).arcs
            assert any(result.words[d - 1] == dependent for d, h, _ in arcs)
    assert ("REDUCE" in " ".join(result.pseudocode)) == (system == "arc-eager")


def test_ngram_score_generate_and_matrices_lines_and_watch():
    scored = NGramModel(TOY, order=2).score("I am Sam")
    assert _visited(scored) == [
        "P(w_i | context) ← the smoothing's estimate from the counts",
        "PP ← exp(−log P / (N+1))",
    ]
    for k in range(1, len(scored.trace)):
        watch, state = scored.watch_at(k), scored.state_at(k)
        assert state.factors[-1][0] == watch["w_i"]
        assert math.isclose(float(watch["log P"]), state.log_probability, abs_tol=5e-4)
    generated = NGramModel(TOY, order=2).generate(seed=1, max_length=12)
    assert _visited(generated) == ["w_i ← the word where the cumulative P(· | context) first passes u"]
    ppmi = ppmi_trace(term_context_matrix(RESTAURANT[:8], window=2), alpha=0.75)
    assert _visited(ppmi) == ["PPMI[w,c] ← max(log2 P(w,c) / (P(w) · P_α(c)), 0)"]
    watch, state = ppmi.watch_at(7), ppmi.state_at(7)
    assert (ppmi[6].word, ppmi[6].context) == (watch["w"], watch["c"]) and state.current == divmod(
        6, ppmi.shape[1]
    )
    tfidf = tf_idf_trace(term_document_matrix(RESTAURANT[:5]))
    assert _visited(tfidf) == ["w[t,d] ← log10(count(t,d) + 1) · log10(N / df_t)"]
