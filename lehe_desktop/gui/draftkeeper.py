"""A record form's draft: written to the encrypted database every few seconds of change.

Each ``EditDialog`` has a ``DraftKeeper``. While the form is open and differs from what it
started with, its state (values and child lists, read here on the GUI thread) is written as a
draft on the database lane (``core.drafts.save_draft``) at most every ``INTERVAL_MS``, and at
once when the app locks. The record's save (or delete) removes the draft in the same
transaction (``core.drafts.saved_with_draft_gone``); closing the form without saving removes it
too. Only a crash or a lock leaves it, and the next unlock offers it back (gui/drafts.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QTimer

from ..core import drafts
from ..core.store.store import Store
from .worker import DbLane, Job

log = logging.getLogger(__name__)
T = TypeVar("T")

INTERVAL_MS = 3000


class DraftForm(Protocol):
    """What the keeper needs of a form (``EditDialog`` has it)."""

    store: Store
    lane: DbLane
    rtype: str
    existing: dict[str, Any] | None
    deleted: bool

    @property
    def saving(self) -> bool: ...

    @property
    def dirty(self) -> bool: ...

    def state(self) -> str: ...

    def draft_data(self) -> dict[str, Any]: ...

    def draft_context(self) -> dict[str, Any]: ...


class DraftKeeper(QObject):
    """Writes and removes one form's draft; the form calls ``started``/``closed``."""

    def __init__(self, form: DraftForm, parent: QObject, interval_ms: int | None = None) -> None:
        super().__init__(parent)
        self.form = form
        self.key = drafts.new_key()
        self.written: str | None = None     # the form's state last written as the draft
        self.has_draft = False               # a row for this form exists (or is on its way)
        self.keep = False                    # closed by the lock: the draft stays for after the unlock
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS if interval_ms is None else interval_ms)
        self.timer.timeout.connect(self.tick)

    def adopt(self, key: str, state: str) -> None:
        """The form was reopened from the draft ``key``: keep writing that one."""
        self.key = key
        self.written = state
        self.has_draft = True

    def started(self) -> None:
        if not self.timer.isActive():
            self.timer.start()

    def tick(self) -> None:
        """Every few seconds: write the draft if the form changed since, drop it if changes were undone."""
        form = self.form
        if form.saving or form.deleted:
            return
        if not form.dirty:
            if self.has_draft:
                self.discard()
            return
        if form.state() != self.written:
            self.write()

    def write(self) -> Job | None:
        """Write the form's state now (read here, written on the lane); None if nothing to write."""
        form = self.form
        if form.saving or form.deleted or not form.dirty:
            return None
        state = form.state()
        store, key, rtype = form.store, self.key, form.rtype
        rid = form.existing["id"] if form.existing else None
        data, context = form.draft_data(), form.draft_context()
        self.written = state
        self.has_draft = True
        return form.lane.query(lambda: drafts.save_draft(store, key, rtype, rid, data, context),
                               None, self._failed, name="draft")

    def _failed(self, exc: Exception) -> None:
        log.warning("a draft was not written: %s", exc)
        if shiboken6.isValid(self):
            self.written = None     # try again at the next tick

    def discard(self) -> Job | None:
        """Remove this form's draft (closed without saving, or its changes undone)."""
        if not self.has_draft:
            return None
        self.has_draft = False
        self.written = None
        store, key = self.form.store, self.key
        return self.form.lane.query(lambda: drafts.discard_draft(store, key), None, self._failed, name="draft")

    def closed(self, accepted: bool) -> None:
        """The form closed: saved (the save removed the draft), dropped (remove it) or locked (keep it)."""
        self.timer.stop()
        if not accepted and not self.keep:
            self.discard()

    def wrap(self, write: Callable[[], T]) -> Callable[[], T]:
        """The record's save or delete, with this form's draft removed in the same transaction."""
        store, key = self.form.store, self.key
        self.timer.stop()
        return lambda: drafts.saved_with_draft_gone(store, key, write)

    def save_failed(self) -> None:
        """The save was refused (its transaction rolled back, the draft is still there): keep going."""
        self.timer.start()
