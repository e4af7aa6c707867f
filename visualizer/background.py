"""Run one long job without freezing the window: a progress dialog with Cancel.

A job has up to two parts:

* ``prepare``, a generator run on the GUI thread one chunk at a time, yielding
  its progress (0–1) between chunks. Work that must touch the scene (drawing
  the frames of an animation) goes here: Qt only lets the GUI thread paint
  widgets' items, so it is cut into chunks and the window repaints in between.
* ``work(progress, cancelled)``, run in a worker thread: everything that does
  not need the scene (training, counting a corpus, encoding and writing a file).

:func:`run_in_background` returns the worker's result, or raises on the GUI
thread what the job raised: a ValueError or OSError (one sentence for the
message line), or InterruptedError when the user cancelled.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

__all__ = ["BackgroundJob", "run_in_background"]

Work = Callable[[Callable[[float], None], Callable[[], bool]], Any]

#: The progress dialog appears only for jobs longer than this (quick ones finish before it flashes up).
SHOW_AFTER_MS = 400
#: The GUI thread gives the event loop a turn at least this often while preparing (seconds).
TURN_SECONDS = 0.05


class BackgroundJob(QThread):
    """Runs ``work(progress, cancelled)`` in a thread; emits ``progress`` (0–100) and keeps the outcome."""

    progress = Signal(int)

    def __init__(self, work: Work, parent: QWidget | None = None, share: tuple[int, int] = (0, 100)) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()
        self._share = share
        self.result: Any = None
        self.error: BaseException | None = None

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        low, high = self._share
        try:
            self.result = self._work(
                lambda fraction: self.progress.emit(low + int(fraction * (high - low))), self._cancel.is_set
            )
            if self._cancel.is_set():
                # Work that cannot stop part-way still finishes, but Cancel means its result is dropped.
                raise InterruptedError("Cancelled.")
        except Exception as problem:  # noqa: BLE001 - re-raised on the GUI thread by the caller
            self.error = problem


def run_in_background(
    parent: QWidget,
    label: str,
    work: Work,
    *,
    prepare: Iterator[float] | None = None,
    prepare_share: float = 0.5,
) -> Any:
    """Run ``prepare`` (GUI thread, in chunks), then ``work`` (worker), behind one progress dialog.

    ``prepare_share`` is the part of the progress bar the GUI-thread part fills.
    Cancel stops either part: ``prepare`` is closed (its ``finally`` blocks run)
    and InterruptedError is raised.
    """
    dialog = QProgressDialog(label, "Cancel", 0, 100, parent)
    dialog.setWindowTitle("Working")
    # Modal: while the job runs, nothing else in the app can start a second computation
    # (picking an example mid-fill left the form describing one input over another's chart).
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    cancelled = threading.Event()
    dialog.canceled.connect(cancelled.set)
    try:
        split = 0
        if prepare is not None:
            split = int(prepare_share * 100)
            _run_on_gui_thread(prepare, dialog, split, cancelled)
        job = BackgroundJob(work, parent, (split, 100))
        loop = QEventLoop()
        job.progress.connect(dialog.setValue)
        job.finished.connect(loop.quit)
        dialog.canceled.connect(job.cancel)
        if cancelled.is_set():
            job.cancel()
        # The window's painting is Python too, so it shares the GIL with the worker: a shorter
        # switch interval hands the GIL back to the GUI thread sooner (its repaints took 2-3x longer).
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, 0.001))
        try:
            job.start()
            loop.exec()  # the window keeps painting while the worker runs
            job.wait()
        finally:
            sys.setswitchinterval(interval)
    finally:
        dialog.close()
        dialog.deleteLater()
    if job.error is not None:
        raise job.error
    return job.result


def _run_on_gui_thread(
    prepare: Iterator[float], dialog: QProgressDialog, share: int, cancelled: threading.Event
) -> None:
    """Advance ``prepare`` chunk by chunk, letting the event loop run between chunks."""
    turn = time.perf_counter()
    try:
        for fraction in prepare:
            if time.perf_counter() - turn >= TURN_SECONDS:
                dialog.setValue(int(fraction * share))
                # Repaint the window and let Cancel be pressed; the dialog is modal, so no
                # other action can start meanwhile.
                QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
                turn = time.perf_counter()
            if cancelled.is_set():
                raise InterruptedError("Cancelled.")
    finally:
        close = getattr(prepare, "close", None)
        if close is not None:
            close()  # a generator's finally blocks run now, even when cancelled
