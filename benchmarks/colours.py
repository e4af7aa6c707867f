"""The colour language's figures: role distances under colour-vision deficiency, and text contrast.

For each theme: the smallest CAM02-UCS ΔE between two roles that one view draws
together (normal vision, deuteranopia, protanopia at full severity, Machado et
al. 2009, via colorspacious), the smallest between fills and the cell grounds,
and the lowest WCAG contrast of text on each ground. ``tests/visualizer/test_colours.py``
holds them to the thresholds in :mod:`visualizer.theme`.

Run: ``python -m benchmarks.colours``.
"""

from __future__ import annotations

import argparse
import itertools
from typing import Any

from benchmarks.common import ROOT, report

VISIONS = {"normal": None, "deuteranopia": "deuteranomaly", "protanopia": "protanomaly"}
FILLS = ("current_fill", "candidate_fill", "final_path_fill", "added_fill")
TEXT_ROLES = ("current", "candidate", "chosen", "backpointer", "final_path", "error", "added", "unseen")


def seen(hex_colour: str, vision: str | None) -> list[float]:
    """``#rrggbb`` as sRGB in [0, 1], as an eye with ``vision`` (colorspacious's CVD name) sees it."""
    import colorspacious

    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    if vision is None:
        return rgb
    space = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return [min(max(c, 0.0), 1.0) for c in colorspacious.cspace_convert(rgb, space, "sRGB1")]


def distance(a: str, b: str, vision: str | None) -> float:
    """CAM02-UCS ΔE between two colours as seen with ``vision``."""
    import colorspacious

    return float(colorspacious.deltaE(seen(a, vision), seen(b, vision), input_space="sRGB1"))


def figures(palette: Any) -> dict[str, Any]:
    from visualizer.theme import VIEW_ROLES, contrast_ratio

    results: dict[str, Any] = {}
    for label, vision in VISIONS.items():
        pairs = [
            (distance(getattr(palette, a), getattr(palette, b), vision), f"{a}/{b} ({view})")
            for view, roles in VIEW_ROLES.items()
            for a, b in itertools.combinations(roles, 2)
        ]
        worst = min(pairs)
        results[f"{palette.name}_roles_{label}_min_dE"] = round(worst[0], 1)
        results[f"{palette.name}_roles_{label}_closest"] = worst[1]
        grounds = ("background", "surface", *FILLS)
        fills = min(
            (distance(getattr(palette, a), getattr(palette, b), vision), f"{a}/{b}")
            for a, b in itertools.combinations(grounds, 2)
        )
        results[f"{palette.name}_fills_{label}_min_dE"] = round(fills[0], 1)
        results[f"{palette.name}_fills_{label}_closest"] = fills[1]
    text = min(
        (contrast_ratio(palette.text, getattr(palette, g)), g) for g in ("background", "surface", *FILLS)
    )
    results[f"{palette.name}_text_min_contrast"] = round(text[0], 2)
    results[f"{palette.name}_empty_vs_filled_cell_dE"] = round(
        distance(palette.background, palette.surface, None), 1
    )
    inks = min(
        (contrast_ratio(palette.ink(role), getattr(palette, g)), f"{role} on {g}")
        for role in TEXT_ROLES
        for g in ("background", "surface")
    )
    results[f"{palette.name}_muted_text_min_contrast"] = round(
        min(contrast_ratio(palette.muted_text, getattr(palette, g)) for g in ("background", "surface")), 2
    )
    results[f"{palette.name}_role_text_min_contrast"] = round(inks[0], 2)
    results[f"{palette.name}_role_text_lowest"] = inks[1]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "colours.json"))
    arguments = parser.parse_args()
    from visualizer.theme import DARK, LIGHT, MIN_FILL_DISTANCE, MIN_ROLE_DISTANCE, MIN_TEXT_CONTRAST

    results = {**figures(LIGHT), **figures(DARK)}
    targets = {}
    for key in results:
        if "_roles_" in key and key.endswith("_min_dE"):
            targets[key] = (">=", MIN_ROLE_DISTANCE)
        elif "_fills_" in key and key.endswith("_min_dE"):
            targets[key] = (">=", MIN_FILL_DISTANCE)
        elif key.endswith("_contrast"):
            targets[key] = (">=", MIN_TEXT_CONTRAST)
    report(results, targets, arguments.output)


if __name__ == "__main__":
    main()
