"""How long the window is held by the long jobs outside testing found on the GUI thread.

Run:  python benchmarks/bench_responsive.py
Prints a table and writes benchmarks/results/responsive.json.

For each job a 5 ms timer ticks on the GUI thread; the longest gap between ticks is the longest
time the window could not repaint or take a click (its "freeze"). Each job runs the way the
window runs it (frames drawn between event-loop turns, encoding, training and counting in a
worker) and, in the same run, in one call on the GUI thread, the way it ran before, whose freeze
is the whole job. The cases are the issue's:

* a 600-step GIF (edit distance of two 60-letter strings; it took 227 s with a median cut per frame);
* SVG of a 1000 x 1000 grid (now refused at once: past PDF's 14,400-point page) and of a 200 x 200 one;
* a PNG at 4x of the 1000 x 1000 grid;
* a tagger trained on EWT dev with EWT test held out;
* tf-idf of EWT dev, one sentence per document.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, report  # noqa: E402

EWT = ROOT.parent / "shared" / "data" / "ud-english-ewt"
#: The window must not be held longer than this by any of these jobs (seconds).
FREEZE_TARGET = 0.25
#: Except a vector figure: it paints the scene's items, which only the GUI thread may do, and
#: QSvgGenerator writes no clip paths, so it cannot be cut into bands like a PNG without drawing
#: what straddles a band twice. Its size limit (14,400 points a side) bounds it instead.
VECTOR_FREEZE_TARGET = 0.5


def watch(action: Callable[[], object]) -> tuple[float, float]:
    """(total seconds, longest gap between GUI-thread ticks) while ``action`` runs."""
    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(5)
    start = time.perf_counter()
    try:
        action()
    finally:
        end = time.perf_counter()
        timer.stop()
    marks = [start, *ticks, end]
    return end - start, max(b - a for a, b in zip(marks, marks[1:], strict=False))


def random_pair(length: int, seed: int) -> tuple[str, str]:
    rng = random.Random(seed)
    return tuple("".join(rng.choice("abcdefgh") for _ in range(length)) for _ in range(2))  # type: ignore[return-value]


def main() -> None:
    from PySide6.QtWidgets import QApplication

    import visualizer.panels.hmm_models as hmm_models
    from algorithms.corpora import read_conllu_sentences
    from algorithms.embeddings import term_document_matrix, tf_idf
    from visualizer.app import MainWindow
    from visualizer.export import ExportError, export_panel
    from visualizer.settings import SettingsStore

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="trellis-responsive-"))
    window = MainWindow(SettingsStore(folder / "settings.json"))
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    results: dict[str, float | int | str] = {}
    targets: dict[str, tuple[str, float]] = {}

    def record(
        name: str,
        windowed: Callable[[], object],
        one_call: Callable[[], object] | None,
        target: float = FREEZE_TARGET,
    ) -> None:
        total, freeze = watch(windowed)
        results[f"{name}: seconds"] = round(total, 3)
        results[f"{name}: longest freeze (s)"] = round(freeze, 3)
        targets[f"{name}: longest freeze (s)"] = ("<=", target)
        if one_call is not None:
            _, before = watch(one_call)
            results[f"{name}: freeze in one call (s)"] = round(before, 3)
        print(f"{name}: {total:.2f} s, longest freeze {freeze * 1000:.0f} ms", flush=True)

    panel = window.current_panel
    source, target = random_pair(60, 1)
    panel.set_inputs({**panel.inputs(), "source": source, "target": target})
    gif = folder / "steps.gif"
    record(
        "GIF of 600 steps",
        lambda: window.export_to(str(gif), "gif", steps="0:599", frame_ms=100),
        lambda: export_panel(panel, gif, "gif", steps="0:599", frame_ms=100),
    )
    results["GIF of 600 steps: MB"] = round(gif.stat().st_size / 1e6, 1)

    source, target = random_pair(200, 2)
    panel.set_inputs({**panel.inputs(), "source": source, "target": target})
    panel.model.set_step(panel.model.nsteps)
    record(
        "SVG of a 200 x 200 grid",
        lambda: window.export_to(str(folder / "g.svg"), "svg"),
        None,
        VECTOR_FREEZE_TARGET,
    )

    source, target = random_pair(1000, 3)
    panel.set_inputs({**panel.inputs(), "source": source, "target": target})
    panel.model.set_step(panel.model.nsteps)

    def refused_svg() -> None:
        try:
            window.export_to(str(folder / "big.svg"), "svg")
        except ExportError as refusal:
            results["SVG of a 1000 x 1000 grid: message"] = str(refusal)

    record("SVG of a 1000 x 1000 grid", refused_svg, None)
    record(
        "PNG at 4x of a 1000 x 1000 grid",
        lambda: window.export_to(str(folder / "g.png"), "png", 4.0),
        lambda: export_panel(panel, folder / "g.png", "png", 4.0),
    )

    if EWT.exists():
        dev, test = str(EWT / "en_ewt-ud-dev.conllu"), str(EWT / "en_ewt-ud-test.conllu")
        window.show_panel("hmm")
        hmm_panel = window.current_panel
        tagger = {"conllu": dev, "column": "upos", "heldout": test}

        def train_in_window() -> None:
            hmm_models._CACHE.clear()
            hmm_panel.set_inputs({**hmm_panel.inputs(), "model": tagger, "observations": "I saw her duck"})

        def train_in_one_call() -> None:
            hmm_models._CACHE.clear()
            hmm_models.train_tagger(dev, "upos", test)

        record("Tagger on EWT dev, test held out", train_in_window, train_in_one_call)

        sentences = [[w.form.lower() for w in s.words] for s in read_conllu_sentences(dev)]
        corpus = "\n".join(" ".join(words) for words in sentences)
        window.show_panel("embeddings")
        vectors = window.current_panel
        record(
            "tf-idf of EWT dev",
            lambda: vectors.set_inputs({**vectors.inputs(), "source": corpus, "mode": "tfidf", "words": ""}),
            lambda: tf_idf(term_document_matrix([[" ".join(words)] for words in sentences]).counts),
        )
        results["tf-idf of EWT dev: tokens"] = sum(map(len, sentences))
    else:
        print(f"skipped the tagger and tf-idf: no {EWT}")

    for panel_object in window.panels.values():
        panel_object.model.pause()
    report(results, targets, ROOT / "benchmarks" / "results" / "responsive.json")


if __name__ == "__main__":
    main()
