"""Start-up to first paint: `trellis` against a bare PySide6 window, run alternately in one session.

Each run is a fresh process timed from spawn to the paint it reports (wall clock; quitting,
which saves Trellis's settings, is not start-up). :data:`BARE_WINDOW` is a QMainWindow
with one label that quits on its first paint. Trellis is timed twice over:
`--exit-after-first-paint window` quits when the window has painted (sidebar, menus, player;
the panel opens on the next event-loop turn), and `--exit-after-first-paint` quits only when
the first panel's picture has painted too. Alternating the three cancels drift in the
machine's load; the ratios of the medians are the measures (target for the window: at most
2x). Also reports which heavy modules the GUI start imports.

    python benchmarks/bench_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks.common import ROOT, report

BARE_WINDOW = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(f"first paint at {time.time():.6f}", flush=True)
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("bare window"))
window.resize(1400, 900)
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
sys.exit(app.exec())
"""

#: Modules the window need not import before its first paint: the panel (numpy) comes a turn later,
#: the rest only with some panels or with export.
HEAVY = (
    "numpy",
    "matplotlib",
    "scipy",
    "PIL",
    "conllu",
    "algorithms.cky",
    "algorithms.embeddings",
    "visualizer.export",
)


def _timed(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawning the process to the paint it reports (its exit is not start-up)."""
    start = time.time()
    done = subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    painted = [line for line in done.stdout.splitlines() if line.startswith("first paint at ")]
    return float(painted[-1].rsplit(" ", 1)[1]) - start


def _imported_at_startup(env: dict[str, str]) -> list[str]:
    """The HEAVY modules in sys.modules once the window has painted (before the panel opens)."""
    probe = (
        "import atexit, sys\n"
        "import visualizer.app as app\n"
        "seen = []\n"
        "real = app._FirstPaint.eventFilter\n"
        "def spy(self, watched, event):\n"
        "    before = self._done\n"
        "    result = real(self, watched, event)\n"
        "    if self._done and not before:  # the paint that ends the measurement\n"
        f"        seen.append([m for m in {HEAVY!r} if m in sys.modules])\n"
        "    return result\n"
        "app._FirstPaint.eventFilter = spy\n"
        "atexit.register(lambda: print(' '.join(seen[0]) if seen else '?'))\n"
        "from visualizer.__main__ import main\n"
        "sys.exit(main(['--exit-after-first-paint', 'window']))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True)
    return done.stdout.splitlines()[-1].split() if done.stdout.strip() else []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each, alternating (default 15)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as config:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TRELLIS_CONFIG_DIR=config)
        # A user's install keeps compiled bytecode (pip writes it; Python caches the rest on the
        # first run). A shell with PYTHONDONTWRITEBYTECODE would recompile Trellis's own modules at
        # every start while PySide6's stay compiled, which measures the shell, not the app.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        commands = {
            "bare": [sys.executable, "-c", BARE_WINDOW],
            "window": [sys.executable, "-m", "visualizer", "--exit-after-first-paint", "window"],
            "panel": [sys.executable, "-m", "visualizer", "--exit-after-first-paint"],
        }
        for command in commands.values():  # warm the disk cache and Python's bytecode cache
            _timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(arguments.runs):
            for name, command in commands.items():
                times[name].append(_timed(command, env))
        heavy = _imported_at_startup(env)
    median = {name: statistics.median(values) for name, values in times.items()}
    results = {
        "runs_each": arguments.runs,
        "bare_window_first_paint_s": median["bare"],
        "trellis_window_first_paint_s": median["window"],
        "trellis_panel_first_paint_s": median["panel"],
        "ratio_window_to_bare": median["window"] / median["bare"],
        "ratio_panel_to_bare": median["panel"] / median["bare"],
        "heavy_modules_imported": " ".join(heavy) or "none",
    }
    targets = {"ratio_window_to_bare": ("<=", 2.0)}
    report(results, targets, ROOT / "benchmarks" / "results" / "startup.json")


if __name__ == "__main__":
    main()
