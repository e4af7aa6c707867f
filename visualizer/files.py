"""Writing user files atomically (the helpers live in :mod:`algorithms.files`, which engines use too)."""

from algorithms.files import (
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    read_text_file,
    verify_complete,
)

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text", "read_text_file", "verify_complete"]
