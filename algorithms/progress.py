"""How long engine work reports progress and hears Cancel: one convention for every engine.

An engine function that can take long accepts two optional keywords:

* ``progress``, a :data:`Progress`: called with the fraction done (0 to 1) now and then;
* ``cancelled``, a :data:`Cancelled`: polled between chunks; when it returns True the
  engine raises :class:`InterruptedError` and leaves nothing half-made.

The GUI's one worker (``visualizer.background.run_in_background``) passes both; a
notebook passes neither. :func:`stop_if_cancelled` is the polling, written once.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress", "Cancelled", "stop_if_cancelled"]

#: Called with the fraction of the work done, from 0 to 1.
Progress = Callable[[float], None]
#: Polled between chunks of work: True means stop.
Cancelled = Callable[[], bool]


def stop_if_cancelled(cancelled: Cancelled | None, what: str) -> None:
    """Raise InterruptedError ("``what`` was cancelled") when the user has pressed Cancel."""
    if cancelled is not None and cancelled():
        raise InterruptedError(f"{what} was cancelled")
