"""Argument checks shared by the engines' public functions.

Notebook callers pass strings where numbers belong, ``None`` for sentences, NaN,
``inf`` and floats where counts belong. Each check here either returns the value
in the type the engine computes with or raises ValueError with one sentence that
names the argument, so nothing fails later, deep inside numpy, with a TypeError,
an IndexError or a silent NaN.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "whole_number",
    "real_number",
    "finite_array",
    "sentence_iterable",
    "sentence_list",
    "token_list",
]


def _shown(value: object) -> str:
    text = " ".join(repr(value).split())  # one line, even for a numpy array
    return text if len(text) <= 40 else text[:37] + "..."


def whole_number(name: str, value: object, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int (not a bool, float or string), within [low, high] where given."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number; got {_shown(value)}.")
    number = int(value)
    if low is not None and number < low:
        raise ValueError(f"{name} must be at least {low:,}; got {number:,}.")
    if high is not None and number > high:
        raise ValueError(f"{name} must be at most {high:,}; got {number:,}.")
    return number


def real_number(
    name: str,
    value: object,
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``value`` as a finite float within its bounds (open where ``low_open``/``high_open``)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number; got {_shown(value)}.")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {number}.")
    too_low = low is not None and (number <= low if low_open else number < low)
    too_high = high is not None and (number >= high if high_open else number > high)
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lo = "-∞" if low is None else f"{low:g}"
        hi = "∞" if high is None else f"{high:g}"
        raise ValueError(f"{name} must be in {left}{lo}, {hi}{right}; got {number:g}.")
    return number


def finite_array(name: str, value: Any, ndim: int | None = None) -> np.ndarray:
    """``value`` as a float array with no NaN or infinity (and ``ndim`` dimensions where given)."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers; got {_shown(value)}.") from None
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension{'s' if ndim != 1 else ''}; it has {array.ndim}.")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or an infinite value; every entry must be a finite number.")
    return array


def token_list(name: str, value: object) -> list[str]:
    """One sentence: a string (split on white space) or a sequence of strings."""
    if isinstance(value, str):
        return value.split()
    if not isinstance(value, Sequence | np.ndarray) or isinstance(value, bytes):
        raise ValueError(f"{name} must be a string or a list of words; got {_shown(value)}.")
    tokens = list(value)
    bad = next((t for t in tokens if not isinstance(t, str)), None)
    if bad is not None or any(not t for t in tokens):
        raise ValueError(f"{name} must hold words (non-empty strings); it holds {_shown(bad)}.")
    return tokens


def sentence_iterable(name: str, value: object) -> Iterable[Any]:
    """``value`` itself, once it is known to be a collection of sentences (not a bare string or None)."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValueError(
            f"{name} must be a list of sentences (strings or lists of words); got {_shown(value)}."
        )
    return value


def sentence_list(name: str, value: object) -> list[list[str]]:
    """Many sentences: a list of strings or of word lists, each checked by :func:`token_list`."""
    sentences = sentence_iterable(name, value)
    return [token_list(f"Sentence {number} of {name}", s) for number, s in enumerate(sentences, start=1)]
