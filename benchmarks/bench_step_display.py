"""Step display with fit and follow on, on every panel's big real input (issue 13).

For each panel, in the main window at 1400 × 900 (and in presentation mode, F11),
random steps are shown as a student scrubbing would. Three times are taken:

* *step display*: the step's marks, caption, narration and player bar
  (``model.set_step``, which also starts the follow glide) and the repaint: what
  the student sees the moment they press a key. Held to a median of 8 ms and a
  95th percentile of 16 ms.
* *glide frame*: each frame of the follow glide that brings the step's element
  into view (a scroll and a repaint, at 60 frames a second). Held to 16 ms at
  the 95th percentile, so the glide is smooth.
* *jump*: the step shown with the glide skipped to its end, the farthest the view
  moves in one frame (for reference: random steps scroll a big figure far).

Run: ``python -m benchmarks.bench_step_display [--quick] [--pseudocode | --compare]`` (``--pseudocode``: with
the pseudocode pane open, which follows every step too; ``--compare``: View → Compare
on the big inputs, every half moved and repainted). Needs
``../shared/data/ud-english-ewt`` for the four UD inputs (see benchmarks/big_inputs.py).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.big_inputs import PANELS, big_inputs
from benchmarks.common import ROOT, percentile, report

MEDIAN_MS, P95_MS = 8.0, 16.0


@contextlib.contextmanager
def _window() -> Iterator[tuple[Any, Any]]:
    """The application and a main window at 1400 × 900 with its own settings file."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from visualizer.app import MainWindow
    from visualizer.settings import SettingsStore

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as config:
        window = MainWindow(SettingsStore(Path(config) / "settings.json"))
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        try:
            yield app, window
        finally:
            window.close()


def measure(samples: int, pseudocode: bool = False) -> dict:
    inputs = big_inputs()
    results: dict = {}
    with _window() as (app, window):
        for name in PANELS:
            if name not in inputs:
                print(f"{name}: skipped (needs ../shared/data/ud-english-ewt)")
                continue
            panel = window.panel(name)
            window.show_panel(name)
            panel.set_inputs({**panel.inputs(), **inputs[name]})
            if pseudocode:  # the pane beside (or below) the figure, following every step
                window.pseudocode_action.setChecked(True)
                window._toggle_pseudocode()
                app.processEvents()
            for mode in ("window",) if pseudocode else ("window", "F11"):
                window.set_presentation(mode == "F11")
                app.processEvents()
                rng = random.Random(name)
                times, frames, jumps, moved = [], [], [], 0
                glide = panel.view.glide
                for index in range(samples):
                    step = rng.randrange(panel.model.nsteps + 1)
                    before = panel.view.visible_scene_rect()
                    line_before = window.pseudocode.current_line
                    start = time.perf_counter()
                    panel.model.set_step(step)  # marks, caption, narration, player bar; starts the glide
                    panel.view.viewport().repaint()
                    if pseudocode:  # the watch list always changes, the lit line when it moves
                        window.pseudocode.watch.repaint()
                        if window.pseudocode.current_line != line_before:
                            window.pseudocode.lines.viewport().repaint()
                    times.append(time.perf_counter() - start)
                    if index % 2:  # half the samples: the glide skipped to its end at once
                        start = time.perf_counter()
                        panel.view.finish_glide()
                        panel.view.viewport().repaint()
                        jumps.append(time.perf_counter() - start)
                    elif panel.view.gliding:  # the other half: every frame of the glide
                        glide.pause()
                        for at in range(16, glide.duration() + 16, 16):
                            start = time.perf_counter()
                            glide.setCurrentTime(min(at, glide.duration()))
                            panel.view.viewport().repaint()
                            frames.append(time.perf_counter() - start)
                        glide.stop()
                    moved += panel.view.visible_scene_rect() != before
                key = f"{name}_{mode}"
                results[f"{key}_steps"] = panel.model.nsteps
                results[f"{key}_scrolled_fraction"] = round(moved / samples, 3)
                results[f"{key}_step_display_median_ms"] = statistics.median(times) * 1000
                results[f"{key}_step_display_p95_ms"] = percentile(times, 0.95) * 1000
                if frames:
                    results[f"{key}_glide_frame_median_ms"] = statistics.median(frames) * 1000
                    results[f"{key}_glide_frame_p95_ms"] = percentile(frames, 0.95) * 1000
                results[f"{key}_jump_median_ms"] = statistics.median(jumps) * 1000
            window.set_presentation(False)
    return results


def measure_compare(samples: int) -> dict:
    """Step display in View → Compare: the shared player moves every half, each repaints."""
    from visualizer.compare_window import SUGGESTED

    inputs = big_inputs()
    results: dict = {}
    with _window() as (app, window):
        for name in ("edit-distance", "hmm", "ngram", "dependency"):
            if name not in inputs:
                continue
            panel = window.panel(name)
            window.show_panel(name)
            panel.set_inputs({**panel.inputs(), **inputs[name]})
            problem = window.open_compare(SUGGESTED[name])
            if problem:
                print(f"{name}: {problem}")
                continue
            compare = window.compare_windows[-1]
            compare.resize(1400, 900)
            app.processEvents()
            rng = random.Random(name)
            times = []
            for _ in range(samples):
                step = rng.randrange(compare.model.nsteps + 1)
                start = time.perf_counter()
                compare.model.set_step(step)
                for half in compare.panels:
                    half.view.viewport().repaint()
                times.append(time.perf_counter() - start)
            compare.close()
            key = f"{name}_compare_{len(compare.panels)}"
            results[f"{key}_step_display_median_ms"] = statistics.median(times) * 1000
            results[f"{key}_step_display_p95_ms"] = percentile(times, 0.95) * 1000
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (a smoke run)")
    parser.add_argument(
        "--pseudocode",
        action="store_true",
        help="with the pseudocode pane open (window only: it hides in F11); "
        "writes step_display_pseudocode.json",
    )
    parser.add_argument(
        "--compare", action="store_true", help="in View → Compare; writes step_display_compare.json"
    )
    parser.add_argument("--output", help="the JSON file (default: benchmarks/results/step_display[...].json)")
    arguments = parser.parse_args()
    suffix = "_pseudocode" if arguments.pseudocode else "_compare" if arguments.compare else ""
    arguments.output = arguments.output or str(ROOT / "benchmarks" / "results" / f"step_display{suffix}.json")
    samples = 40 if arguments.quick else 300
    results = measure_compare(samples) if arguments.compare else measure(samples, arguments.pseudocode)
    targets = {}
    for key in results:
        if key.endswith("_step_display_median_ms"):
            targets[key] = ("<=", MEDIAN_MS)
        elif key.endswith("_p95_ms"):
            targets[key] = ("<=", P95_MS)
    report(results, targets, arguments.output)


if __name__ == "__main__":
    main()
