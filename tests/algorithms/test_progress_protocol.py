"""One progress-and-cancel convention (algorithms.progress) for every engine that can take long."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import algorithms
from algorithms.cfg import Grammar
from algorithms.cky import cky
from algorithms.embeddings import train_sgns
from algorithms.resources import resource_text


def _engine_functions():
    for info in pkgutil.iter_modules(algorithms.__path__):
        if info.name == "progress":  # the convention itself
            continue
        module = importlib.import_module(f"algorithms.{info.name}")
        for name in getattr(module, "__all__", ()):
            item = getattr(module, name)
            targets = [item, getattr(item, "__init__", None), getattr(item, "train", None)]
            for target in targets:
                if callable(target) and not isinstance(target, type):
                    yield f"{info.name}.{name}", target


def test_every_progress_and_cancel_parameter_follows_the_one_convention():
    found = 0
    for name, function in _engine_functions():
        try:
            parameters = inspect.signature(function).parameters
        except (TypeError, ValueError):
            continue
        for parameter, alias in (("progress", "Progress | None"), ("cancelled", "Cancelled | None")):
            if parameter in parameters:
                found += 1
                assert parameters[parameter].annotation == alias, name
                assert parameters[parameter].default is None, name
    assert found >= 8  # cky, probabilistic_cky, corpora readers, HMM training, SGNS, the parser


@pytest.mark.parametrize(
    "work",
    [
        lambda cancel: cky(
            Grammar.from_string(resource_text("grammars/l1.cfg")).to_cnf(),
            ["book", "the", "flight"],
            cancelled=cancel,
        ),
        lambda cancel: train_sgns([["a", "b", "c"]] * 20, dim=4, epochs=2, cancelled=cancel),
    ],
    ids=["cky", "sgns"],
)
def test_cancel_stops_with_interrupted_error(work):
    with pytest.raises(InterruptedError, match="was cancelled"):
        work(lambda: True)
    assert work(lambda: False) is not None
