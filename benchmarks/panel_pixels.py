"""Before/after pixel comparison of every panel at three steps: refactors must not change pictures.

    python -m benchmarks.panel_pixels write DIR      # PNGs of each panel's first example at 3 steps
    python -m benchmarks.panel_pixels compare OLD NEW  # per image: differing pixels and largest difference

Run `write` on the commit before a refactor and on the commit after it, then `compare`.
Steps are the first step, the middle one and the last, of each panel's default inputs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def write(folder: Path) -> None:
    from visualizer.app import create_application
    from visualizer.export import export_panel
    from visualizer.panels import PANELS
    from visualizer.theme import LIGHT

    create_application(["trellis"])
    folder.mkdir(parents=True, exist_ok=True)
    for spec in PANELS:
        panel = spec.load()(LIGHT)
        panel.resize(1400, 1000)
        last = panel.model.nsteps
        for step in (1, last // 2, last):
            panel.model.set_step(step)
            export_panel(panel, folder / f"{spec.name}-{step}.png", "png")
        print(f"{spec.name}: steps 1, {last // 2}, {last}")


def compare(old: Path, new: Path) -> int:
    import numpy as np
    from PIL import Image

    worst = 0
    for before in sorted(old.glob("*.png")):
        after = new / before.name
        if not after.exists():
            print(f"{before.name}: missing after")
            worst = max(worst, 255)
            continue
        a = np.asarray(Image.open(before).convert("RGB"), dtype=np.int16)
        b = np.asarray(Image.open(after).convert("RGB"), dtype=np.int16)
        if a.shape != b.shape:
            print(f"{before.name}: size {a.shape[1]}×{a.shape[0]} → {b.shape[1]}×{b.shape[0]}")
            worst = max(worst, 255)
            continue
        difference = np.abs(a - b).max(axis=2)
        changed = int((difference > 0).sum())
        print(f"{before.name}: {changed} pixels differ (largest {int(difference.max())} levels)")
        worst = max(worst, int(difference.max()))
    return 0 if worst == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "write":
        write(Path(sys.argv[2]))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    else:
        sys.exit(__doc__)
