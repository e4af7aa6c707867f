"""Reading and writing user files: one sentence for a problem, and atomic, verified writes.

A write goes to a temporary file beside the target, is checked to be complete,
then renamed over the target. A crash or a full disk mid-write leaves the old
file intact, never half a file. The check matters because some writers do not
report errors: Qt's SVG and PDF writers left a truncated 8,192-byte file on a
full disk and said nothing. Each format's check reads the written header and
trailer (or re-reads the whole file, for small text).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_text", "atomic_write_bytes", "verify_complete", "read_text_file"]


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp makes private (0600) files; a figure or lesson should get the mode any
# new file would get, or keep the mode of the file it replaces.
_NEW_FILE_MODE = 0o666 & ~_current_umask()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], kind: str | None = None) -> Iterator[str]:
    """Yield a temporary path to write; once it is verified complete it replaces ``target``.

    ``kind`` (png, svg, pdf, gif, npz, json) names the format whose header and trailer are
    checked; OSError (one sentence) when the file is incomplete, and ``target`` is untouched.
    """
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
        if kind is not None and not verify_complete(temporary, kind):
            raise OSError(f"{target.name} could not be written completely (is the disk full?).")
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
    """Write ``text`` (UTF-8) to ``target`` atomically, checked byte for byte before the rename."""
    atomic_write_bytes(target, text.encode("utf-8"))


def atomic_write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``target`` atomically, checked byte for byte before the rename."""
    with atomic_path(target) as temporary:
        with open(temporary, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())  # a full disk may only say so here
        with open(temporary, "rb") as stream:
            if stream.read() != data:
                raise OSError(f"{Path(target).name} could not be written completely (is the disk full?).")


#: (header, trailer) each format must start and end with; trailing white space is allowed.
_SIGNATURES = {
    "png": (b"\x89PNG\r\n\x1a\n", b"IEND\xaeB`\x82"),
    "gif": (b"GIF8", b";"),
    "pdf": (b"%PDF-", b"%%EOF"),
    "svg": (b"<?xml", b"</svg>"),
}


def verify_complete(path: str | os.PathLike[str], kind: str) -> bool:
    """True when the file at ``path`` is a whole ``kind`` file (its header and trailer are there)."""
    if kind == "npz":
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                return archive.testzip() is None
        except (OSError, zipfile.BadZipFile):
            return False
    if kind == "json":
        import json

        try:
            with open(path, encoding="utf-8") as stream:
                json.load(stream)
        except (OSError, ValueError, RecursionError):
            return False
        return True
    header, trailer = _SIGNATURES[kind]
    size = os.path.getsize(path)
    with open(path, "rb") as stream:
        start = stream.read(len(header))
        stream.seek(max(0, size - 64))
        end = stream.read().rstrip()
    return start == header and end.endswith(trailer)


def read_text_file(path: str | os.PathLike[str], what: str = "file") -> str:
    """A UTF-8 text file's contents; ValueError with one sentence naming the file (and line) otherwise."""
    name = os.fspath(path)
    try:
        data = Path(name).read_bytes()
    except FileNotFoundError:
        raise ValueError(f"There is no {what} {name}.") from None
    except IsADirectoryError:
        raise ValueError(f"{name} is a folder, not a {what}.") from None
    except OSError as problem:
        raise ValueError(f"Cannot read the {what} {name}: {problem.strerror or problem}.") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        bad = data[problem.start : problem.start + 1].hex()
        raise ValueError(
            f"{name}, line {line}: byte 0x{bad} is not UTF-8 text; save the {what} as UTF-8."
        ) from None
    if "\x00" in text:
        raise ValueError(f"{name} holds NUL bytes, so it is not a text {what}.")
    return text.removeprefix("\ufeff")
