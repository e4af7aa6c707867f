"""The GUI monkey at length: thousands of seeded random actions over every panel.

Run:  python benchmarks/monkey.py [--actions 5000] [--seed N] [--seeds 4]
Prints a table and writes benchmarks/results/monkey.json. Each seed's failures are listed with
the seed and the last actions before them, so ``--seed N --actions K`` replays one exactly.

A failure is a Python exception anywhere (a Qt slot, a timer, the action itself), a Qt warning
other than the offscreen plugin's "propagateSizeHints" line, or a slider, trace and narration
that disagree (see tests/monkey_driver.py).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, report  # noqa: E402


def run_seed(seed: int, actions: int) -> dict:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from tests.monkey_driver import Monkey
    from visualizer.app import MainWindow
    from visualizer.settings import SettingsStore

    app = QApplication.instance() or QApplication([])
    failures: list[str] = []

    def on_exception(kind, value, trace) -> None:  # noqa: ANN001
        failures.append("".join(traceback.format_exception(kind, value, trace))[-1500:])

    def on_message(kind, context, message) -> None:  # noqa: ANN001, ARG001
        if kind != QtMsgType.QtDebugMsg and "propagateSizeHints" not in message:
            failures.append(f"Qt: {message}")

    sys.excepthook = on_exception
    previous_handler = qInstallMessageHandler(on_message)
    with tempfile.TemporaryDirectory() as config:
        window = MainWindow(SettingsStore(Path(config) / "settings.json"))
        window.resize(1400, 900)
        window.show()
        monkey = Monkey(window, seed)
        start = time.perf_counter()
        done = 0
        while done < actions and not failures:
            done += 1
            try:
                monkey.act()
            except Exception:  # noqa: BLE001 - every failure is reported, not raised
                failures.append(traceback.format_exc()[-1500:])
        if failures:
            failures[-1] = f"{monkey.where('failed')}\n{failures[-1]}"
        seconds = time.perf_counter() - start
        window.set_presentation(False)
        window.close()
    qInstallMessageHandler(previous_handler)
    sys.excepthook = sys.__excepthook__
    app.processEvents()
    return {"seed": seed, "actions": done, "failures": failures, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=5000, help="actions in all (split over the seeds)")
    parser.add_argument("--seeds", type=int, default=4, help="how many seeds (1, 2, …)")
    parser.add_argument("--seed", type=int, help="run this one seed only (to replay a failure)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "monkey.json"))
    arguments = parser.parse_args()
    seeds = [arguments.seed] if arguments.seed is not None else list(range(1, arguments.seeds + 1))
    per_seed = max(1, arguments.actions // len(seeds))
    runs = []
    for seed in seeds:
        run = run_seed(seed, per_seed)
        status = "ok" if not run["failures"] else "FAILED"
        print(f"seed {seed}: {run['actions']:,} actions in {run['seconds']:.1f} s, {status}", flush=True)
        for failure in run["failures"]:
            print(failure)
        runs.append(run)
    results = {
        "seeds": seeds,
        "actions": sum(r["actions"] for r in runs),
        "failures": sum(len(r["failures"]) for r in runs),
        "seconds": round(sum(r["seconds"] for r in runs), 1),
        "failure_details": [f for r in runs for f in r["failures"]],
    }
    report(results, {"failures": ("<=", 0)}, arguments.output)


if __name__ == "__main__":
    main()
