"""Log-space arithmetic shared by the engines: one logsumexp, one quiet log.

Probabilities in Trellis are kept as natural logs so that long inputs never
underflow; these two helpers are the only places that move between the spaces.
"""

from __future__ import annotations

import numpy as np

__all__ = ["log_of", "logsumexp"]


def log_of(values: np.ndarray) -> np.ndarray:
    """Natural log, elementwise, with log 0 = -inf and no divide warning (a zero probability is normal)."""
    with np.errstate(divide="ignore"):
        result: np.ndarray = np.log(values)
    return result


def logsumexp(values: np.ndarray, axis: int) -> np.ndarray:
    """log Σ exp(values) along ``axis``; exact for all -inf slices (gives -inf, never nan)."""
    peak = np.max(values, axis=axis, keepdims=True)
    safe_peak = np.where(np.isfinite(peak), peak, 0.0)
    with np.errstate(divide="ignore"):
        summed = np.log(np.sum(np.exp(values - safe_peak), axis=axis, keepdims=True))
    result: np.ndarray = np.squeeze(summed + safe_peak, axis=axis)
    return result
