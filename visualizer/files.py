"""Writing user files atomically: a temporary file beside the target, then a rename.

A crash or a full disk mid-write leaves the old file intact, never half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_text"]


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp makes private (0600) files; a figure or lesson should get the mode any
# new file would get, or keep the mode of the file it replaces.
_NEW_FILE_MODE = 0o666 & ~_current_umask()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[str]:
    """Yield a temporary path to write; on success it replaces ``target``."""
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise OSError(f"The folder {directory} does not exist.")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    os.close(handle)
    try:
        yield temporary
        if not os.path.exists(temporary) or os.path.getsize(temporary) == 0:
            raise OSError(f"Nothing was written for {target.name}.")
        try:
            mode = os.stat(target).st_mode & 0o777
        except FileNotFoundError:
            mode = _NEW_FILE_MODE
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def atomic_write_text(target: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with atomic_path(target) as temporary, open(temporary, "w", encoding="utf-8") as stream:
        stream.write(text)
