"""Settings that survive a restart: last inputs, window layout, options.

Stored as JSON in the user's config folder (or ``$TRELLIS_CONFIG_DIR``). A
corrupt file never stops the app: it is set aside as ``settings.json.corrupt``
and the defaults are used, with a message saying so.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from visualizer.files import atomic_write_text

__all__ = ["SettingsStore", "config_dir"]


def config_dir() -> Path:
    """Where settings live: ``$TRELLIS_CONFIG_DIR``, else the platform's config folder."""
    override = os.environ.get("TRELLIS_CONFIG_DIR")
    if override:
        return Path(override)
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return Path(base or Path.home() / ".config") / "trellis"


_THEMES = ("system", "light", "dark")
_MAX_SPLIT = 100_000  # pixels: any real screen is narrower


def _problem_with(data: Any) -> str:
    """Why a settings object cannot be used as a whole ("" when it can): its fields' types and ranges."""
    if not isinstance(data, dict):
        return "does not hold a settings object"
    checks: dict[str, tuple[str, Any]] = {
        "version": ("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool)),
        "theme": ("one of " + ", ".join(_THEMES), lambda v: v in _THEMES),
        "panel": ("a panel name", lambda v: isinstance(v, str)),
        "inputs": (
            "an object of panel inputs",
            lambda v: isinstance(v, dict) and all(isinstance(x, dict) for x in v.values()),
        ),
        "geometry": ("the window's geometry", lambda v: isinstance(v, str) and len(v) < 10_000),
        "splitter": (
            "two widths in pixels",
            lambda v: (
                isinstance(v, list)
                and len(v) == 2
                and all(isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= _MAX_SPLIT for x in v)
            ),
        ),
    }
    for key, (should, fits) in checks.items():
        if key in data and not fits(data[key]):
            shown = repr(data[key])
            return f'has a "{key}" that is not {should} ({shown[:40]}{"…" if len(shown) > 40 else ""})'
    return ""


class SettingsStore:
    """Load and save one JSON settings file."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "settings.json"
        self.data: dict[str, Any] = {}
        self.problem = ""  # a sentence for the status bar when the file was unusable

    def load(self) -> dict[str, Any]:
        self.problem = ""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.data = {}
            return self.data
        except (OSError, UnicodeDecodeError) as problem:
            return self._fall_back(f"could not be read ({problem})")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as problem:
            return self._fall_back(f"is damaged (line {problem.lineno}: {problem.msg})")
        except RecursionError:
            return self._fall_back("nests its JSON too deeply")
        why = _problem_with(data)
        if why:
            return self._fall_back(why)
        self.data = data
        return self.data

    def _fall_back(self, why: str) -> dict[str, Any]:
        kept = self._keep_aside(move=True)
        self.problem = f"The settings file {why}, so Trellis started with default settings{kept}."
        self.data = {}
        return self.data

    def set_aside(self, why: str) -> None:
        """Keep a copy of a settings file whose contents a panel refused, and say so once.

        The rest of the file is still used; the next save writes good values over it.
        """
        if self.problem:
            return
        kept = self._keep_aside(move=False)
        self.problem = f"The settings file {why}, so that panel started from its first example{kept}."

    def _keep_aside(self, move: bool) -> str:
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            if move:
                os.replace(self.path, aside)
            else:
                shutil.copyfile(self.path, aside)
        except OSError:
            return ""
        return f"; the file was kept as {aside.name}"

    def save(self, data: dict[str, Any]) -> None:
        self.data = data
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, json.dumps(data, indent=2, ensure_ascii=False))
