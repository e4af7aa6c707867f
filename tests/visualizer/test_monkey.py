"""The seeded GUI monkey in CI: 1,000 random actions over every panel, with no exception, no Qt
warning and no disagreement between the slider, the trace and the narration (issue item 15).

pytest-qt fails a test on any exception raised inside a Qt slot or virtual method; the Qt
message handler below fails it on any warning but the offscreen plugin's own
"propagateSizeHints" line. ``python benchmarks/monkey.py`` runs thousands of actions.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QtMsgType, qInstallMessageHandler

from tests.monkey_driver import Monkey

ACTIONS_PER_SEED = 125
SEEDS = tuple(range(1, 9))  # 8 × 125 = 1,000 actions (the issue asks 300 in CI; they cost about 10 s)


@pytest.fixture
def qt_warnings():
    caught: list[str] = []

    def handler(kind, context, message):  # noqa: ARG001
        if kind != QtMsgType.QtDebugMsg and "propagateSizeHints" not in message:
            caught.append(message)

    previous = qInstallMessageHandler(handler)
    yield caught
    qInstallMessageHandler(previous)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_actions_never_break_the_window(window, qt_warnings, seed):
    monkey = Monkey(window, seed)
    for _ in range(ACTIONS_PER_SEED):
        monkey.act()
        assert not qt_warnings, monkey.where(f"Qt warned: {qt_warnings}")
    window.set_presentation(False)
