"""The visualizer uses only the engines' public API: names in each engine's __all__, never _private ones."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_visualizer_imports_only_public_engine_names():
    offences = []
    for path in sorted((ROOT / "visualizer").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("algorithms."):
                public = set(getattr(importlib.import_module(node.module), "__all__", ()))
                for alias in node.names:
                    if alias.name.startswith("_") or alias.name not in public:
                        offences.append(f"{path.relative_to(ROOT)}: {node.module}.{alias.name}")
    assert offences == [], "not in the engine's __all__:\n" + "\n".join(offences)
