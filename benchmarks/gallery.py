"""The gallery in docs/images/gallery: every panel in the window and as an export, in both themes.

For each panel and theme: the main window at 1400 × 900 on the panel's big real
input (benchmarks/big_inputs.py) at a step in the middle, as the view follows it,
and the export of the panel's first example at a telling step, with its caption
band. Pictures are stored as 256-colour PNGs (a third of the size; UI colours
are far fewer than 256).

Run: ``python -m benchmarks.gallery`` (needs ../shared/data/ud-english-ewt for the UD inputs).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from benchmarks.big_inputs import PANELS, big_inputs
from benchmarks.common import ROOT

FOLDER = ROOT / "docs" / "images" / "gallery"
#: The step of the first example each export shows (a step that has something to say).
EXPORT_STEPS = {"edit-distance": 57, "hmm": 5, "cky": 20, "ngram": 3, "embeddings": 17, "dependency": 7}
#: Where in its trace the window capture stands (a fraction of the steps).
WINDOW_AT = 0.55


def _small(path: Path) -> None:
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, optimize=True)


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from visualizer.app import MainWindow
    from visualizer.export import export_panel
    from visualizer.panels import find_panel
    from visualizer.settings import SettingsStore
    from visualizer.theme import DARK, LIGHT

    app = QApplication.instance() or QApplication([])
    FOLDER.mkdir(parents=True, exist_ok=True)
    inputs = big_inputs()
    for palette in (LIGHT, DARK):
        for name in PANELS:
            panel_class = find_panel(name).load()
            panel = panel_class(palette)
            panel.resize(1400, 1000)
            panel.model.set_step(min(EXPORT_STEPS[name], panel.model.nsteps))
            export = FOLDER / f"{name}-export-{palette.name}.png"
            export_panel(panel, export, "png")
            _small(export)
            with tempfile.TemporaryDirectory() as config:
                window = MainWindow(SettingsStore(Path(config) / "settings.json"))
                window.set_theme(palette.name)
                window.resize(1400, 900)
                window.show()
                window.show_panel(name)
                shown = window.panel(name)
                if name in inputs:
                    shown.set_inputs({**shown.inputs(), **inputs[name]})
                for _ in range(5):
                    app.processEvents()
                shown.model.set_step(round(shown.model.nsteps * WINDOW_AT))
                shown.view.finish_glide()
                app.processEvents()
                capture = FOLDER / f"{name}-window-{palette.name}.png"
                window.grab().save(str(capture))
                _small(capture)
                window.close()
            print(f"{name} ({palette.name}): {export.name}, {capture.name}")


if __name__ == "__main__":
    main()
