"""One database lane: slow store work runs here, in order, never on the GUI thread.

Like Anki's collection executor: a single worker thread, so two jobs never race on the
store, and results come back to the GUI thread through a queued signal. A job can report
progress and be cancelled (the function checks ``job.cancelled`` between steps).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

JobFn = Callable[["Job"], Any]


class Job(QObject):
    """A handle the GUI keeps: progress, result, cancel."""

    progress = Signal(int, int)      # done, total
    finished = Signal(object)        # the function's result
    failed = Signal(object)          # the exception

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self._cancel = threading.Event()
        self.done = False
        self.handles_errors = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, done: int, total: int) -> None:
        """Called from the worker thread; Qt queues the signal to the GUI thread."""
        self.progress.emit(done, total)


class _Thread(QThread):
    result = Signal(object, object, object)   # job, value, error

    def __init__(self) -> None:
        super().__init__()
        self.jobs: queue.Queue[tuple[Job, JobFn] | None] = queue.Queue()

    def run(self) -> None:
        while True:
            item = self.jobs.get()
            if item is None:
                return
            job, fn = item
            if job.cancelled:
                self.result.emit(job, None, None)
                continue
            try:
                value = fn(job)
            except Exception as exc:  # handed to the GUI, which shows LeheErrors and logs bugs
                self.result.emit(job, None, exc)
            else:
                self.result.emit(job, value, None)


class DbLane(QObject):
    """Submit functions that touch the store; callbacks run on the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = _Thread()
        self._thread.result.connect(self._on_result, Qt.ConnectionType.QueuedConnection)
        self._pending = 0
        self._thread.start()

    def submit(self, name: str, fn: JobFn, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[Exception], None] | None = None) -> Job:
        job = Job(name)
        if on_done is not None:
            job.finished.connect(on_done)
        if on_error is not None:
            job.failed.connect(on_error)
            job.handles_errors = True
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._thread.jobs.put((job, fn))
        return job

    @property
    def pending(self) -> int:
        return self._pending

    @Slot(object, object, object)
    def _on_result(self, job: Job, value: object, error: object) -> None:
        self._pending -= 1
        job.done = True
        if error is not None:
            if not job.handles_errors:
                log.error("job %s failed", job.name, exc_info=error)  # type: ignore[arg-type]
            job.failed.emit(error)
        elif not job.cancelled:
            job.finished.emit(value)
        if self._pending == 0:
            self.busy_changed.emit(False)

    def stop(self) -> None:
        self._thread.jobs.put(None)
        self._thread.wait(5000)
