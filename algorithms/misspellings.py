"""Lists of real misspellings: codespell's ``wrong->right`` format, and a fixed train/test split.

A line is ``typo->correction``; ``typo->a, b,`` (a trailing comma) lists several
corrections, and text after a single correction's comma is a reason. Only pairs with one
correction, both written in the letters a–z, are kept: a pair with a choice of
corrections has no one right answer to learn from or to score.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

__all__ = ["parse_misspellings", "split_pairs", "HELD_OUT_EVERY"]

#: One pair in this many is held out for testing (chosen by a hash of the typo, so fixed).
HELD_OUT_EVERY = 10

_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


def parse_misspellings(lines: Iterable[str]) -> list[tuple[str, str]]:
    """(typo, correction) pairs from codespell-format lines, lower-cased, one correction each."""
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for line in lines:
        typo, arrow, right = line.strip().partition("->")
        if not arrow:
            continue
        right = right.strip()
        if right.endswith(","):  # several corrections: no single answer
            options = [r.strip() for r in right.rstrip(",").split(",") if r.strip()]
            if len(options) != 1:
                continue
            right = options[0]
        else:
            right = right.split(",", 1)[0].strip()  # a reason may follow the correction
        typo, right = typo.strip().lower(), right.lower()
        if typo == right or typo in seen or not typo or not right:
            continue
        if not set(typo) <= _LETTERS or not set(right) <= _LETTERS:
            continue
        seen.add(typo)
        pairs.append((typo, right))
    return pairs


def split_pairs(pairs: Iterable[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(training, held out): a pair is held out when its typo's CRC-32 is divisible by 10."""
    training: list[tuple[str, str]] = []
    held_out: list[tuple[str, str]] = []
    for pair in pairs:
        (held_out if zlib.crc32(pair[0].encode()) % HELD_OUT_EVERY == 0 else training).append(pair)
    return training, held_out
