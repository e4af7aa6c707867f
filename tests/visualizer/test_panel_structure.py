"""Panels stay thin: each declares its inputs once, draws through pure marks, and fits in 450 lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from visualizer.declared import Inputs
from visualizer.panels import PANELS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", sorted((ROOT / "visualizer" / "panels").glob("*.py")), ids=lambda p: p.name)
def test_no_panel_module_is_over_450_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 450, f"{path.name} has {lines} lines"


@pytest.mark.parametrize("spec", PANELS, ids=lambda spec: spec.name)
def test_every_panel_declares_its_inputs_once(spec):
    panel_class = spec.load()
    assert panel_class.inputs_class is not None and issubclass(panel_class.inputs_class, Inputs)
    # No subclass computes in its own __init__: the base class does, once.
    assert "__init__" not in vars(panel_class)
    defaults = panel_class.inputs_class()
    assert panel_class.inputs_class.from_json(defaults.to_json()) == defaults
