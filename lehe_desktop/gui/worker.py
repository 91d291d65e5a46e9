"""One database lane: every store call runs here, in order, never on the GUI thread.

Like Anki's collection executor: a single worker thread, so two jobs never race on the
store (one SQLite connection), and results come back to the GUI thread through a queued
signal. A job can report progress and be cancelled (the function checks ``job.cancelled``
between steps).

Widgets use ``DbLane.query`` (Anki's QueryOp): "run this on the lane, give me the result on
the GUI thread", with the callbacks dropped when the widget that asked is gone. The store
refuses calls made on the GUI thread (``Store.refuse_thread``), so a forgotten direct call
fails loudly instead of freezing the window behind a sync.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QCursor, QGuiApplication

from ..core.records.work import titles_in
from . import i18n

log = logging.getLogger(__name__)

JobFn = Callable[["Job"], Any]
T = TypeVar("T")


class Job(QObject):
    """A handle the GUI keeps: progress, result, cancel."""

    progress = Signal(int, int)      # done, total
    finished = Signal(object)        # the function's result
    failed = Signal(object)          # the exception
    stage = Signal(str)              # a step name the GUI turns into words (e.g. "push")
    ended = Signal()                 # always last: after finished, failed or a cancel

    def __init__(self, name: str, cancellable: bool = False) -> None:
        super().__init__()
        self.name = name
        self._cancel = threading.Event()
        self.done = False
        self.handles_errors = False
        # Short reads and saves (``DbLane.query``) may run between the pages of a long job.
        self.interleave = False
        # Only jobs that check ``cancelled`` get a Cancel button; others would lose their result.
        self.cancellable = cancellable

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def cancel_event(self) -> threading.Event:
        """For core functions that take a ``threading.Event`` (e.g. ``sync_once``)."""
        return self._cancel

    def report(self, done: int, total: int) -> None:
        """Called from the worker thread; Qt queues the signal to the GUI thread."""
        self.progress.emit(done, total)

    def report_stage(self, name: str) -> None:
        """Called from the worker thread, like ``report``."""
        self.stage.emit(name)


class _Thread(QThread):
    result = Signal(object, object, object)   # job, value, error
    starting = Signal(object)                 # job

    def __init__(self) -> None:
        super().__init__()
        self.jobs: queue.Queue[tuple[Job, JobFn] | None] = queue.Queue()

    def run(self) -> None:
        while True:
            item = self.jobs.get()
            if item is None:
                return
            self._run(*item, announce=True)

    def _run(self, job: Job, fn: JobFn, *, announce: bool) -> None:
        if job.cancelled:
            self.result.emit(job, None, None)
            return
        if announce:
            self.starting.emit(job)
        try:
            # Record titles a job makes (lists, the bin, conflicts) in the window's language; what
            # is stored (the search index's titles) the core always makes in Chinese.
            with titles_in(i18n.current()):
                value = fn(job)
        except Exception as exc:  # handed to the GUI, which shows LeheErrors and logs bugs
            self.result.emit(job, None, exc)
        else:
            self.result.emit(job, value, None)

    def run_waiting(self) -> int:
        """Run, on this thread and in order, the queued jobs that may go between a long job's steps.

        Called by a long job (a sync) between its pages, outside any transaction: a save or a search
        the user asked for meanwhile then waits for one page, not for the whole sync. Other queued
        jobs (another sync, an import) keep their turn. Returns how many ran.
        """
        ran = 0
        while True:
            with self.jobs.mutex:
                item = next((it for it in self.jobs.queue if it is not None and it[0].interleave), None)
                if item is None:
                    return ran
                self.jobs.queue.remove(item)
            self._run(*item, announce=False)   # quick: the long job stays the one shown
            ran += 1


class DbLane(QObject):
    """Submit functions that touch the store; callbacks run on the GUI thread."""

    busy_changed = Signal(bool)
    job_started = Signal(object)   # the Job now running (on the GUI thread, for progress and cancel)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread = _Thread()
        _LIVE_THREADS.add(self._thread)
        self._thread.result.connect(self._on_result, Qt.ConnectionType.QueuedConnection)
        self._thread.starting.connect(self._on_start, Qt.ConnectionType.QueuedConnection)
        self._pending = 0
        self.current: Job | None = None
        self._thread.start()

    def submit(self, name: str, fn: JobFn, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[Exception], None] | None = None, *, cancellable: bool = False,
               interleave: bool = False) -> Job:
        job = Job(name, cancellable)
        job.interleave = interleave
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

    def query(self, fn: Callable[[], T], done: Callable[[T], None] | None = None,
              failed: Callable[[Exception], None] | None = None, *, owner: QObject | None = None,
              name: str = "query", busy_cursor: bool = False) -> Job:
        """Run ``fn()`` on the lane; ``done(result)`` or ``failed(error)`` then run on the GUI thread.

        The callbacks are skipped once ``owner`` (the widget that asked) has been deleted. With
        ``busy_cursor`` the mouse shows a wait cursor until the job ends (a dialog being prepared).
        """
        def alive() -> bool:
            return owner is None or shiboken6.isValid(owner)

        def on_done(value: object) -> None:
            if done is not None and alive():
                done(value)  # type: ignore[arg-type]

        def on_failed(error: Exception) -> None:
            if failed is not None and alive():
                failed(error)
            elif failed is None:
                log.error("job %s failed", name, exc_info=error)

        job = self.submit(name, lambda _job: fn(), on_done, on_failed, interleave=True)
        if busy_cursor:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
            job.ended.connect(QGuiApplication.restoreOverrideCursor)
        return job

    def run_waiting(self) -> int:
        """For a long job, on the lane's thread between its steps: see ``_Thread.run_waiting``."""
        if QThread.currentThread() is not self._thread:
            raise RuntimeError("run_waiting runs on the lane's own thread, inside a job")
        return self._thread.run_waiting()

    @property
    def pending(self) -> int:
        return self._pending

    @Slot(object)
    def _on_start(self, job: Job) -> None:
        if job.done:
            return   # already over by the time the queued signal arrived
        self.current = job
        self.job_started.emit(job)

    @Slot(object, object, object)
    def _on_result(self, job: Job, value: object, error: object) -> None:
        self._pending -= 1
        job.done = True
        if self.current is job:
            self.current = None
        if error is not None:
            if not job.handles_errors:
                log.error("job %s failed", job.name, exc_info=error)  # type: ignore[arg-type]
            job.failed.emit(error)
        elif not job.cancelled:
            job.finished.emit(value)
        job.ended.emit()
        if self._pending == 0:
            self.busy_changed.emit(False)

    def stop(self) -> None:
        _stop_thread(self._thread)


# Every lane thread still running when Python exits is stopped first: Qt aborts the whole
# process if a QThread object is destroyed while its thread runs (a lane nobody stopped).
_LIVE_THREADS: set[_Thread] = set()  # strong: a forgotten lane's thread must live until stopped


def _stop_thread(thread: _Thread) -> None:
    if thread.isRunning():
        thread.jobs.put(None)
        thread.wait(5000)
    _LIVE_THREADS.discard(thread)


@atexit.register
def stop_all_lanes() -> None:
    """Stop every lane's thread still running (at exit, and before a test session takes Qt down)."""
    for thread in list(_LIVE_THREADS):
        _stop_thread(thread)
