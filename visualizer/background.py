"""Run one long computation off the GUI thread with a progress dialog and Cancel.

Panels call :func:`run_in_background` for work that may take more than a
moment (a big CKY chart, training). The window keeps painting while the worker
runs; the call returns the result, or raises the worker's ValueError (one
sentence for the message line) or InterruptedError when the user cancelled.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

__all__ = ["BackgroundJob", "run_in_background"]

Work = Callable[[Callable[[float], None], Callable[[], bool]], Any]


class BackgroundJob(QThread):
    """Runs ``work(progress, cancelled)`` in a thread; emits ``progress`` (0–100) and keeps the outcome."""

    progress = Signal(int)

    def __init__(self, work: Work, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            self.result = self._work(
                lambda fraction: self.progress.emit(int(fraction * 100)), self._cancel.is_set
            )
        except (ValueError, InterruptedError) as problem:
            self.error = problem


def run_in_background(parent: QWidget, label: str, work: Work) -> Any:
    """Run ``work`` in a :class:`BackgroundJob`, showing ``label`` with a progress bar and Cancel."""
    job = BackgroundJob(work, parent)
    dialog = QProgressDialog(label, "Cancel", 0, 100, parent)
    dialog.setWindowTitle("Working")
    # Modal: while the worker runs, nothing else in the app can start a second computation
    # (picking an example mid-fill left the form describing one input over another's chart).
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(400)  # quick runs finish before any dialog flashes up
    loop = QEventLoop()
    job.progress.connect(dialog.setValue)
    job.finished.connect(loop.quit)
    dialog.canceled.connect(job.cancel)
    job.start()
    loop.exec()  # the window keeps painting while the worker runs
    dialog.close()
    job.wait()
    if job.error is not None:
        raise job.error
    return job.result
