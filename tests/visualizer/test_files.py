"""Atomic writes: whole files or nothing, with ordinary permissions."""

import os
import stat

import pytest

from visualizer.files import atomic_path, atomic_write_text


def test_new_file_gets_ordinary_permissions(tmp_path):
    path = tmp_path / "lesson.json"
    atomic_write_text(path, "{}")
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


def test_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "figure.svg"
    path.write_text("old")
    path.chmod(0o640)
    atomic_write_text(path, "new")
    assert path.read_text() == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_failure_midway_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "figure.png"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(path) as temporary:
        with open(temporary, "w") as stream:
            stream.write("half")
        raise RuntimeError("disk full")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["figure.png"]
