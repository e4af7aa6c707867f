"""Textbook inputs shipped inside the package: SLP3's grammars and small corpora.

Read with :func:`resource_text`, which works from a source checkout and from an
installed wheel alike (``importlib.resources``, never a path relative to the repository)::

    from algorithms.resources import resource_text
    Grammar.from_string(resource_text("grammars/l1.cfg"))
"""

from __future__ import annotations

from importlib.resources import files

__all__ = ["resource_text", "resource_names"]


def resource_text(name: str) -> str:
    """The text of a shipped file, like ``"grammars/l1.cfg"`` or ``"corpora/restaurant.txt"``."""
    folder, _, file_name = name.partition("/")
    if folder not in ("grammars", "corpora", "dictionaries", "models") or not file_name or "/" in file_name:
        raise ValueError(
            f"There is no shipped resource {name!r}; try grammars/l1.cfg or corpora/restaurant.txt."
        )
    item = files(__package__).joinpath(folder).joinpath(file_name)  # one part per call on Python 3.10
    if not item.is_file():
        known = ", ".join(resource_names(folder))
        raise ValueError(f"There is no shipped resource {name!r}; the {folder} are {known}.")
    return item.read_text(encoding="utf-8")


def resource_names(folder: str) -> list[str]:
    """The file names shipped in ``folder`` (``"grammars"`` or ``"corpora"``)."""
    return sorted(item.name for item in files(__package__).joinpath(folder).iterdir() if item.is_file())
