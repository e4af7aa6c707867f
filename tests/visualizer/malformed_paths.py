"""How each kind of malformed file reaches Trellis: through the CLI or the GUI path a user takes.

Shared by the malformed-file test and by anyone reviewing the messages
(``python -m tests.visualizer.malformed_paths`` prints every file's sentence).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tempfile
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[1] / "data" / "malformed"


def message_for(path: Path, window=None) -> tuple[int, str]:  # noqa: ANN001 - a MainWindow
    """(exit code or 2 for a refusal in the GUI, the one sentence Trellis says) for one file."""
    name = path.name
    kind = name.split("-")[0]
    if kind in ("grammar", "hmm", "conllu", "parser", "corpus"):
        return _cli(kind, path)
    assert window is not None, "lessons, settings and treebanks go through the window"
    if kind == "lesson":
        problem = window.open_lesson_from(str(path))
        return (2 if problem else 0), problem
    if kind == "trees":
        panel = window.show_panel("cky")
        ok = panel.load_treebank(str(path))
        return (0 if ok else 2), panel.message.text()
    if kind == "settings":
        from visualizer.app import MainWindow
        from visualizer.settings import SettingsStore

        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "settings.json"
            shutil.copyfile(path, copy)
            other = MainWindow(SettingsStore(copy))
            for panel in ("dependency", "ngram"):
                other.show_panel(panel)
            problem = other.settings.problem
            other.close()
            other.deleteLater()
        return (2 if problem else 0), problem
    raise AssertionError(f"no path for {name}")


def _cli(kind: str, path: Path) -> tuple[int, str]:
    from visualizer.__main__ import main

    with tempfile.TemporaryDirectory() as folder:
        output = str(Path(folder) / "figure.png")
        arguments = {
            "grammar": ["export", "cky", "--grammar", str(path), "--sentence", "a"],
            "hmm": ["export", "hmm", "--model", str(path)],
            "conllu": ["export", "dependency", "--conllu", str(path)],
            "parser": ["export", "dependency", "--mode", "model", "--model", str(path)],
            "corpus": ["export", "ngram", "--corpus", str(path)],
        }[kind] + ["-o", output]
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors), contextlib.redirect_stdout(io.StringIO()):
            code = main(arguments)
        assert not Path(output).exists() or code == 0, "a refused input wrote a figure"
    return code, errors.getvalue()


if __name__ == "__main__":
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from visualizer.app import MainWindow
    from visualizer.settings import SettingsStore

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as config:
        window = MainWindow(SettingsStore(Path(config) / "settings.json"))
        for file in sorted(FOLDER.iterdir()):
            if file.name != "expected.json":
                code, text = message_for(file, window)
                print(f"{file.name}\t{code}\t{text.strip()}")
