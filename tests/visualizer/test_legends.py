"""Legends name every role the current mode draws, each with a sample drawn the way the view draws it."""

from __future__ import annotations

from visualizer.marks.cky import rule_marks
from visualizer.views.blocks import LegendItem
from visualizer.views.grid import BACKPOINTER_GLYPHS


def test_edit_distance_lists_the_backpointer_glyphs_only_while_they_are_drawn(panel):
    panel.model.set_step(40)
    assert "backpointer" not in {role for role, _ in panel._legend.entries}
    panel.backpointers_box.setChecked(True)
    assert panel.grid.marks.glyphs is not None and panel.grid.marks.glyphs.any()
    assert "backpointer" in {role for role, _ in panel._legend.entries}
    sample = panel._legend.sample("backpointer")
    assert sample.startswith("glyph:") and set(sample[6:]) <= set(BACKPOINTER_GLYPHS.values())


def test_hmm_samples_are_dashed_where_backpointers_are_dashed_and_a_line_for_the_path(window):
    panel = window.panel("hmm")
    panel.set_inputs(
        {**panel.inputs(), "model": "ice-cream", "observations": "3 1 3", "algorithm": "viterbi"}
    )
    legend = panel.legend
    panel.model.set_step(6)
    edges = panel.trellis.marks.edges
    assert any(e.role == "backpointer" for e in edges)
    assert (
        all(e.dashed for e in edges if e.role == "backpointer") and legend.sample("backpointer") == "dashed"
    )
    panel.model.to_end()
    path = [e for e in panel.trellis.marks.edges if e.role == "final_path"]
    assert path and not any(e.dashed for e in path) and legend.sample("final_path") == "line"


def test_cky_names_the_cnf_tint_when_the_grammar_is_converted(window):
    panel = window.panel("cky")
    panel.set_inputs({**panel.inputs(), "grammar": "l1", "sentence": "book the flight through Houston"})
    roles = {role for item in panel.scene.items() if isinstance(item, LegendItem) for role, _ in item.entries}
    assert "added" in roles
    panel.model.set_step(len(panel._conversion))  # after the conversion: its rules are tinted "added"
    fills = rule_marks(panel._conversion, len(panel._conversion), None)[0]
    assert fills and set(fills.values()) == {"added"} | ({"current"} & set(fills.values()))


def test_ngram_score_view_names_the_zero_factor_and_the_unseen_mass(window):
    panel = window.panel("ngram")
    panel.set_inputs({**panel.inputs(), "sentence": "I am Sam am", "smoothing": "mle", "view": "score"})
    roles = {role for item in panel.scene.items() if isinstance(item, LegendItem) for role, _ in item.entries}
    assert {"error", "unseen"} <= roles
    panel.model.set_step(2)
    assert any(
        role == "error" for role in panel.matrices["comparison"].marks.outlines.values()
    )  # P(am|am) = 0
    segments = [role for row in panel.mass_chart.rows for _, role in row.segments]
    assert "unseen" in segments and "current" not in segments
