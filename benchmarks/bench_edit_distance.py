"""Foundation benchmarks: start-up, trace build, step display, fast path vs nltk.

Run:  python benchmarks/bench_edit_distance.py [--quick]
Prints a table and writes benchmarks/results/edit_distance.json.

Every number is a median (and p95 where it says so) over repeated runs on
this machine; the nltk ratio is measured in the same run on the same input.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, percentile, report, timed  # noqa: E402

TARGETS = {
    "startup_first_paint_s": ("<=", 0.8),
    "trace_build_500_s": ("<=", 0.5),
    "step_display_median_ms": ("<=", 8.0),
    "step_display_p95_ms": ("<=", 16.0),
    "fast_path_speedup_vs_nltk": (">=", 10.0),
}


def random_text(length: int, seed: int, alphabet: str = "abcdefghijklmnopqrstuvwxyz") -> str:
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


def bench_startup(repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as config:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TRELLIS_CONFIG_DIR=config)
        command = [sys.executable, "-m", "visualizer", "--exit-after-first-paint"]
        subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)  # warm the disk cache
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return {"startup_first_paint_s": statistics.median(times), "startup_runs": len(times)}


def bench_trace_build(repeats: int) -> dict:
    from algorithms.edit_distance import edit_distance

    results = {}
    for size in (100, 500):
        source, target = random_text(size, 1), random_text(size, 2)
        times = timed(lambda s=source, t=target: edit_distance(s, t, substitution_cost=2), repeats)
        results[f"trace_build_{size}_s"] = statistics.median(times)
    return results


def bench_fast_path(repeats: int) -> dict:
    import editdistance
    import nltk

    from algorithms.edit_distance import fast_edit_distance

    source, target = random_text(500, 3), random_text(500, 4)
    ours = timed(lambda: fast_edit_distance(source, target), repeats)
    theirs = timed(lambda: nltk.edit_distance(source, target), max(3, repeats // 2))
    c_library = timed(lambda: editdistance.eval(source, target), repeats)
    assert (
        fast_edit_distance(source, target)
        == nltk.edit_distance(source, target)
        == editdistance.eval(source, target)
    )
    return {
        "fast_path_500_s": statistics.median(ours),
        "nltk_500_s": statistics.median(theirs),
        "editdistance_c_500_s": statistics.median(c_library),
        "fast_path_speedup_vs_nltk": statistics.median(theirs) / statistics.median(ours),
    }


def bench_step_display(samples: int) -> dict:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from visualizer.app import MainWindow
    from visualizer.settings import SettingsStore

    class PaintCounter(QObject):
        count = 0

        def eventFilter(self, watched, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                PaintCounter.count += 1
            return False

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as config:
        window = MainWindow(SettingsStore(Path(config) / "settings.json"))
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        panel = window.current_panel
        panel.set_inputs(
            {"source": random_text(500, 5, "acgt"), "target": random_text(500, 6, "acgt"), "costs": [1, 1, 2]}
        )
        counter = PaintCounter()
        panel.view.viewport().installEventFilter(counter)
        app.processEvents()
        rng = random.Random(7)
        nsteps = panel.model.nsteps
        scrub, follow = [], []
        for index in range(samples):
            step = rng.randrange(nsteps + 1)
            before = PaintCounter.count
            start = time.perf_counter()
            panel.model.set_step(step)  # narration and player bar update through step_changed
            app.processEvents()  # lets Qt paint what changed, as it would on screen
            elapsed = time.perf_counter() - start
            if PaintCounter.count > before:
                scrub.append(elapsed)
            # While playing, the view also scrolls to keep the current cell in sight.
            state = panel.result.state_at(step)
            if state.current is not None and index % 2 == 0:
                start = time.perf_counter()
                grid = panel.grid
                panel.view.follow(grid.mapRectToScene(grid.cell_rect(state.current)), glide=False)
                panel.view.viewport().repaint()
                follow.append(time.perf_counter() - start)
        default_zoom = panel.view.zoom
        # The same random steps with the view zoomed out to 50 % (four times the cells).
        panel.view.set_zoom(0.5)
        zoomed_out = []
        for _ in range(samples // 2):
            panel.model.set_step(rng.randrange(nsteps + 1))
            start = time.perf_counter()
            app.processEvents()
            zoomed_out.append(time.perf_counter() - start)
        window.close()
    return {
        "grid_size": "500x500",
        "nsteps": nsteps,
        "window_size": "1400x900",
        "default_zoom": default_zoom,
        "step_display_samples_painted": len(scrub),
        "step_display_median_ms": statistics.median(scrub) * 1000,
        "step_display_p95_ms": percentile(scrub, 0.95) * 1000,
        "follow_and_repaint_median_ms": statistics.median(follow) * 1000,
        "follow_and_repaint_p95_ms": percentile(follow, 0.95) * 1000,
        "zoom_50pct_paint_median_ms": statistics.median(zoomed_out) * 1000,
        "zoom_50pct_paint_p95_ms": percentile(zoomed_out, 0.95) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "edit_distance.json"))
    arguments = parser.parse_args()
    repeats = 3 if arguments.quick else 9
    results: dict = {}
    results.update(bench_startup(repeats))
    results.update(bench_trace_build(repeats))
    results.update(bench_fast_path(repeats))
    results.update(bench_step_display(60 if arguments.quick else 400))

    report(results, TARGETS, arguments.output)


if __name__ == "__main__":
    main()
