"""Settings that survive a restart: last inputs, window layout, options.

Stored as JSON in the user's config folder (or ``$TRELLIS_CONFIG_DIR``). A
corrupt file never stops the app: it is set aside as ``settings.json.corrupt``
and the defaults are used, with a message saying so.
"""

from __future__ import annotations

import json
import os
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
        if not isinstance(data, dict):
            return self._fall_back("does not hold a settings object")
        self.data = data
        return self.data

    def _fall_back(self, why: str) -> dict[str, Any]:
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            os.replace(self.path, aside)
            kept = f"; it was kept as {aside.name}"
        except OSError:
            kept = ""
        self.problem = f"The settings file {why}, so Trellis started with default settings{kept}."
        self.data = {}
        return self.data

    def save(self, data: dict[str, Any]) -> None:
        self.data = data
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, json.dumps(data, indent=2, ensure_ascii=False))
