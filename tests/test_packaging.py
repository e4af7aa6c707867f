"""A plain `pip install .` carries every file the program reads: the package-data globs cover them all.

(The session that wrote this also checked the real thing: a fresh venv, `pip install .`, and
every `trellis` command of the README run from another folder.)
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DATA: dict[str, list[str]] = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"][
    "setuptools"
]["package-data"]


def _shipped(package: str, relative: str) -> bool:
    return any(fnmatch.fnmatch(relative, pattern) for pattern in PACKAGE_DATA.get(package, []))


@pytest.mark.parametrize("package", ["algorithms", "visualizer"])
def test_every_resource_file_is_package_data(package):
    folder = ROOT / package / "resources"
    files = [
        p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"
    ]
    assert files, f"{folder} has no resources"
    missing = [
        str(p.relative_to(ROOT / package))
        for p in files
        if not _shipped(package, str(p.relative_to(ROOT / package)))
    ]
    assert missing == [], f"not in [tool.setuptools.package-data] {package}: {missing}"


def test_every_builtin_grammar_and_corpus_is_shipped():
    from algorithms.resources import resource_names
    from visualizer.panels.cky import BUILTIN_GRAMMARS
    from visualizer.panels.corpus import BUILTIN_CORPORA

    assert set(BUILTIN_GRAMMARS.values()) <= set(resource_names("grammars"))
    assert set(BUILTIN_CORPORA.values()) <= set(resource_names("corpora"))
