"""Reading a panel's inputs field by field, with one sentence naming the field of any problem.

Inputs arrive as plain JSON from lessons, the settings file, examples and `trellis
export`. Every field is checked for its type and range before a widget sees it: a
spin box clamps silently (``--k 100`` became 10) and ``bool("false")`` is True, so
neither may do the checking. Nothing is clamped: a value outside its range is refused.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["Fields"]


def _shown(value: object) -> str:
    text = " ".join(repr(value).split())  # one line, even for a numpy array
    return text if len(text) <= 40 else text[:37] + "..."


class Fields:
    """One panel's inputs: ``Fields(values, "edit-distance").whole("top_k", 4, 1, 12)`` and so on."""

    def __init__(self, values: object, what: str) -> None:
        if not isinstance(values, dict):
            raise ValueError(f"The {what} inputs must be a JSON object of names and values.")
        self.values: dict[str, Any] = values
        self.what = what

    def _refuse(self, key: str, should: str) -> ValueError:
        return ValueError(f'The {self.what} input "{key}" must be {should}; got {_shown(self.values[key])}.')

    def text(self, key: str, default: str) -> str:
        """A string (any text)."""
        value = self.values.get(key, default)
        if not isinstance(value, str):
            raise self._refuse(key, "text")
        return value

    def choice(self, key: str, default: str, choices: Sequence[str]) -> str:
        """One of ``choices``."""
        value = self.values.get(key, default)
        if not isinstance(value, str) or value not in choices:
            raise self._refuse(key, "one of " + ", ".join(choices))
        return value

    def flag(self, key: str, default: bool) -> bool:
        """true or false (never a string: ``"false"`` would read as True)."""
        value = self.values.get(key, default)
        if not isinstance(value, bool):
            raise self._refuse(key, "true or false")
        return value

    def whole(self, key: str, default: int, low: int, high: int) -> int:
        """A whole number from ``low`` to ``high`` (a JSON 3.0 counts; 3.5, "3" and true do not)."""
        value = self.values.get(key, default)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self._refuse(key, f"a whole number from {low:,} to {high:,}")
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        """A finite number from ``low`` to ``high``."""
        value = self.values.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not low <= value <= high
        ):
            raise self._refuse(key, f"a number from {low:g} to {high:g}")
        return float(value)

    def items(self, key: str, default: Sequence[Any], length: int | None = None) -> list[Any]:
        """A JSON list (of ``length`` items where given); the panel checks the items."""
        value = self.values.get(key, default)
        if not isinstance(value, list | tuple) or (length is not None and len(value) != length):
            raise self._refuse(key, f"a list of {length} items" if length is not None else "a list")
        return list(value)
