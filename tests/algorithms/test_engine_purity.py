"""The engine layer must never pull in Qt, matplotlib or the visualizer."""

import pkgutil
import subprocess
import sys

import algorithms


def test_algorithms_import_no_gui_or_plotting():
    modules = [m.name for m in pkgutil.walk_packages(algorithms.__path__, "algorithms.")]
    assert "algorithms.edit_distance" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'matplotlib', 'visualizer'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"algorithms imported: {out.stdout.strip()}"
