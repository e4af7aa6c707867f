"""Hostile settings and lessons, full and read-only disks, and exceptions inside GUI actions.

Each case here was found by outside reliability testing (issue items 14, 16, 17 and 18).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from algorithms.files import atomic_path
from visualizer.__main__ import main
from visualizer.app import MainWindow, install_exception_hook
from visualizer.settings import SettingsStore

ROOT = Path(__file__).resolve().parents[2]
DEEP = "[" * 100_000 + "]" * 100_000


# -- item 16: whatever the settings file holds, the app starts, keeps it aside and says so ----------
@pytest.mark.parametrize(
    ("content", "said"),
    [
        (
            '{"panel":"dependency","inputs":{"dependency":{"mode":"manual","manual":[5]}}}',
            "Dependency parsing inputs",
        ),
        ('{"inputs":{"ngram":{"seed":' + str(10**12) + "}}}", "N-gram"),
        ('{"splitter":[' + str(10**10) + ",5]}", '"splitter" that is not two widths in pixels'),
        ('{"inputs":{"ngram":{"unk_threshold":[1]}}}', "N-gram"),
        ('{"inputs":{"ngram":{"unk_threshold":[1]}}, "panel": "ngram"}', "N-gram"),
        (DEEP, "nests its JSON too deeply"),
        ('{"theme": 7}', '"theme" that is not one of system, light, dark'),
        ('{"inputs": {"hmm": 3}}', '"inputs" that is not an object of panel inputs'),
        ("[1, 2]", "does not hold a settings object"),
    ],
)
def test_a_hostile_settings_file_never_stops_the_start(qtbot, tmp_path, content, said):
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    window = MainWindow(SettingsStore(path))
    qtbot.addWidget(window)
    for name in ("dependency", "ngram"):
        window.show_panel(name)  # the panels the file names are built from it (or from their example)
    assert said in window.settings.problem
    assert "settings.json.corrupt" in window.settings.problem
    assert (tmp_path / "settings.json.corrupt").read_text(encoding="utf-8") == content
    window.close()  # and the settings it saves are good ones
    again = SettingsStore(path)
    again.load()
    assert again.problem == ""


def test_the_real_program_starts_on_a_hostile_settings_file(tmp_path):
    (tmp_path / "settings.json").write_text('{"panel":"dependency","inputs":{"dependency":{"manual":[5]}}}')
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TRELLIS_CONFIG_DIR=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-m", "visualizer", "--exit-after-first-paint"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "settings.json.corrupt").exists()


# -- item 18: opening a lesson never raises; every field is checked by its type ---------------------
def _lesson(panel: str, inputs: dict, **extra) -> str:
    return json.dumps({"format": "trellis-lesson", "version": 1, "panel": panel, "inputs": inputs, **extra})


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (
            _lesson("dependency", {"mode": "manual", "manual": [5]}),
            'Each move of the dependency input "manual"',
        ),
        (
            _lesson("ngram", {"seed": 10**12}),
            'The language-model input "seed" must be a whole number from 0 to',
        ),
        (_lesson("hmm", {"model": {"conllu": "x.conllu", "heldout": 5}}), "heldout"),
        (
            _lesson("dependency", {"conllu": "x.conllu", "index": [1]}),
            'The dependency input "index" must be a whole',
        ),
        (
            _lesson("ngram", {"smoothing": "add-k", "k": [1]}),
            'The language-model input "k" must be a number from',
        ),
        (_lesson("edit-distance", {"costs": [1e308, 1, 1]}), "The insertion cost must be in [0, 1e+09]"),
        (_lesson("edit-distance", {"transpositions": "false"}), '"transpositions" must be true or false'),
        (
            _lesson("hmm", {"model": {"hmm": {"states": ["A"]}}}),
            "The HMM is missing symbols, start, transition, emission",
        ),
        (json.dumps({"format": "trellis-lesson", "version": 0, "panel": "hmm", "inputs": {}}), "version 0"),
        (json.dumps({"format": "trellis-lesson", "version": -3, "panel": "hmm", "inputs": {}}), "version -3"),
        (DEEP, "nests its JSON too deeply"),
        (_lesson("hmm", {}, step=10**12), "a step is a whole number from 0 to"),
        (_lesson("hmm", {}, view={"zoom": float("inf")}), "zoom"),
    ],
)
def test_a_hostile_lesson_is_refused_in_one_sentence_and_changes_nothing(window, tmp_path, content, said):
    panel = window.current_panel
    before_inputs, before_step = panel.shown_inputs, panel.model.current_step
    path = tmp_path / "bad.trellis.json"
    path.write_text(content, encoding="utf-8")
    problem = window.open_lesson_from(str(path))
    assert said in problem and "\n" not in problem
    assert window.current_panel is panel
    assert panel.shown_inputs == before_inputs and panel.model.current_step == before_step


def test_a_lesson_saved_while_the_form_holds_refused_input_reopens(window, tmp_path):
    panel = window.show_panel("edit-distance")
    panel.set_inputs({**panel.shown_inputs, "source": "kitten", "target": "sitting"})
    panel.model.set_step(12)
    panel.insertion_edit.setText("not a number") if hasattr(panel, "insertion_edit") else panel._cost_edits()[
        0
    ].setText("x")
    assert not panel.run()  # refused: the form keeps the long text, the picture stays kitten → sitting
    path = tmp_path / "saved.trellis.json"
    assert window.save_lesson_to(str(path)) == ""
    assert window.open_lesson_from(str(path)) == ""
    assert panel.inputs()["source"] == "kitten" and panel.model.current_step == 12


def test_a_refused_hmm_lesson_leaves_the_hmm_panel_working(window, tmp_path):
    panel = window.show_panel("hmm")
    good = dict(panel.shown_inputs)
    path = tmp_path / "bad.trellis.json"
    unnormalised = {"states": ["A"], "symbols": ["x"], "start": [1], "transition": [[0.5]], "emission": [[1]]}
    path.write_text(_lesson("hmm", {"model": {"hmm": unnormalised}}))
    assert "sum" in window.open_lesson_from(str(path))
    assert panel.shown_inputs == good
    assert panel.run()  # recomputing works: the refused model did not stay behind


# -- item 17: a full or read-only disk never replaces a good figure with a broken one -------------------
#: Room for one figure and its temporary copy (an SVG of the textbook grid is about 70 KB).
TINY_DISK_KB = 256


@pytest.fixture
def tiny_disk(tmp_path):
    """A small tmpfs (root only); skipped where the machine does not allow mounting."""
    mount = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TINY_DISK_KB}k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({done.stderr.decode().strip() or 'not root'})")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


EXPORT = ["export", "edit-distance", "--source", "intention", "--target", "execution"]


@pytest.mark.parametrize("fmt", ["svg", "pdf", "png"])
def test_a_full_disk_keeps_the_old_figure_and_exits_non_zero(qapp, capsys, tiny_disk, fmt):
    target = tiny_disk / f"figure.{fmt}"
    assert main([*EXPORT, "--step", "3", "-o", str(target)]) == 0
    good = target.read_bytes()
    (tiny_disk / "filler").write_bytes(b"\0" * (TINY_DISK_KB * 1024 - len(good) - 12 * 1024))  # ~12 KB left
    capsys.readouterr()
    code = main([*EXPORT, "--step", "last", "--scale", "3", "-o", str(target)])
    out, err = capsys.readouterr()
    assert code != 0 and "wrote" not in out
    assert err.count("\n") == 1 and err.startswith("trellis: ")
    assert target.read_bytes() == good
    assert [p.name for p in tiny_disk.iterdir() if p.name.endswith(".tmp")] == []


def test_a_read_only_disk_keeps_the_old_figure_and_exits_non_zero(qapp, capsys, tiny_disk):
    target = tiny_disk / "figure.svg"
    assert main([*EXPORT, "-o", str(target)]) == 0
    good = target.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    capsys.readouterr()
    code = main([*EXPORT, "--step", "5", "-o", str(target)])
    _, err = capsys.readouterr()
    assert code != 0 and err.startswith("trellis: could not write") and err.count("\n") == 1
    assert target.read_bytes() == good


def test_a_writer_that_stops_half_way_is_caught_before_the_rename(tmp_path):
    """Where no small disk can be mounted: a truncated SVG (what Qt left on a full disk) is refused."""
    target = tmp_path / "figure.svg"
    target.write_text("<?xml version='1.0'?><svg>good</svg>\n")
    with (
        pytest.raises(OSError, match="could not be written completely"),
        atomic_path(target, "svg") as temporary,
    ):
        Path(temporary).write_text("<?xml version='1.0'?><svg><g>half of a fig")
    assert target.read_text() == "<?xml version='1.0'?><svg>good</svg>\n"


def test_a_parser_model_save_that_fails_half_way_keeps_the_old_model(tmp_path, monkeypatch):
    from algorithms.dependency import DependencyTree
    from algorithms.neural_parser import train_parser

    tree = DependencyTree(
        ["the", "dog", "barks"], [2, 3, 0], ["det", "nsubj", "root"], ["DET", "NOUN", "VERB"]
    )
    model = train_parser([tree] * 4, epochs=1, hidden=8, seed=0)
    model.save(tmp_path / "parser")
    old = {name: (tmp_path / name).read_bytes() for name in ("parser.npz", "parser.json")}

    def half_then_full(stream, **arrays):
        stream.write(b"PK\x03\x04 half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(np, "savez", half_then_full)
    with pytest.raises(OSError):
        model.save(tmp_path / "parser")
    assert {name: (tmp_path / name).read_bytes() for name in old} == old


# -- item 14: an exception inside a GUI action reaches the window as one sentence, and the log ---------
def test_an_exception_in_a_slot_reaches_the_status_bar_and_the_log(window, qtbot, tmp_path):
    log = tmp_path / "trellis.log"
    saved_hook, saved_thread_hook = sys.excepthook, threading.excepthook
    try:
        install_exception_hook(window, log)

        def broken() -> None:
            raise FileNotFoundError("resources/grammars/l1.cfg")

        with qtbot.capture_exceptions() as caught:
            QTimer.singleShot(0, broken)
            qtbot.wait(50)
        for kind, value, trace in caught:  # pytest-qt intercepts slot exceptions; hand them on as Qt would
            sys.excepthook(kind, value, trace)
        qtbot.waitUntil(lambda: "Something went wrong" in window.statusBar().currentMessage(), timeout=2000)
        message = window.statusBar().currentMessage()
        assert message == (
            "Something went wrong (FileNotFoundError); Trellis is still running, "
            f"and the details were written to {log}."
        )
        for handler in __import__("logging").getLogger("trellis").handlers:
            handler.flush()
        assert "FileNotFoundError: resources/grammars/l1.cfg" in log.read_text()
    finally:
        sys.excepthook, threading.excepthook = saved_hook, saved_thread_hook
