"""What every benchmark script shares: timing helpers and the table + JSON report."""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(function: Callable[[], object], repeats: int) -> list[float]:
    """Wall-clock seconds of ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def report(results: dict, targets: dict[str, tuple[str, float]], output: str | Path) -> None:
    """Print ``results`` as a table with PASS/MISS against ``targets`` and write them as JSON."""
    rows = []
    for key, value in results.items():
        target = targets.get(key)
        verdict = ""
        if target and isinstance(value, (int, float)):
            op, limit = target
            ok = value <= limit if op == "<=" else value >= limit
            verdict = f"{op} {limit:g}  {'PASS' if ok else 'MISS'}"
        shown = f"{value:.4g}" if isinstance(value, float) else str(value)
        rows.append((key, shown, verdict))
    width = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'value':>10}  target")
    for key, shown, verdict in rows:
        print(f"{key.ljust(width)}  {shown:>10}  {verdict}")
    payload = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "results": results,
        "targets": {k: {"op": op, "limit": limit} for k, (op, limit) in targets.items()},
    }
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
