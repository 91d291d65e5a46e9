"""Drafts left behind, offered back after the unlock: "an unsaved visit form from … — Continue / Discard".

A crash (or the app being killed) leaves the forms' drafts in the database (gui/draftkeeper.py
writes them); the next unlock asks about each, oldest first. Continue opens the same form on
the same record (or a new one) with the draft's contents; Discard removes the draft. Forms
that were open when the app locked come back by themselves, without the question.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ..core import drafts
from ..core.drafts import Draft
from ..core.errors import LeheError
from ..core.records.schema import record_type
from ..core.store.store import Store
from . import i18n
from .activities import ActivityDialog, activity_dialog_data
from .dialogs import (
    EditDialog,
    HouseholdDialog,
    MemberDialog,
    household_dialog_data,
    member_dialog_data,
)
from .main_window import MainWindow
from .matters import MatterDialog, matter_dialog_data
from .meetings import MeetingDialog, meeting_dialog_data
from .tasks import TaskDialog, task_dialog_data
from .visits import VisitDialog, visit_dialog_data
from .worker import DbLane, Job

log = logging.getLogger(__name__)

Loader = Callable[[Store, Draft], Any]
Maker = Callable[[Store, DbLane, Any, QWidget, Draft], EditDialog]


def _ctx(d: Draft, name: str) -> str | None:
    value = d.context.get(name)
    return str(value) if value else None


# record type → (the page the form opens over, its starting data on the lane, the dialog)
OPENERS: dict[str, tuple[str, Loader, Maker]] = {
    "visit": ("visits", lambda s, d: visit_dialog_data(s, d.record_id, _ctx(d, "household_id")),
              lambda s, ln, data, p, _d: VisitDialog(s, ln, data, p)),
    "household": ("households", lambda s, d: household_dialog_data(s, d.record_id),
                  lambda s, ln, data, p, _d: HouseholdDialog(s, ln, data, p)),
    "member": ("households", lambda s, d: member_dialog_data(s, d.record_id),
               lambda s, ln, data, p, d: MemberDialog(s, ln, _ctx(d, "household_id") or "", data, p)),
    "activity": ("activities", lambda s, d: activity_dialog_data(s, d.record_id),
                 lambda s, ln, data, p, _d: ActivityDialog(s, ln, data, p)),
    "meeting": ("meetings", lambda s, d: meeting_dialog_data(s, d.record_id),
                lambda s, ln, data, p, _d: MeetingDialog(s, ln, data, p)),
    "matter": ("matters", lambda s, d: matter_dialog_data(s, d.record_id),
               lambda s, ln, data, p, _d: MatterDialog(s, ln, data, p)),
    "task": ("tasks", lambda s, d: task_dialog_data(s, d.record_id),
             lambda s, ln, data, p, _d: TaskDialog(s, ln, data, p)),
}


def reopen(window: MainWindow, draft: Draft, opened: Callable[[EditDialog], None] | None = None) -> Job | None:
    """Open the draft's form (its starting data read on the lane) with the draft's contents in it."""
    opener = OPENERS.get(draft.rtype)
    store, lane = window.store, window.lane
    if opener is None:      # a form this version does not know (a newer version's draft): keep it
        log.warning("no form for a draft of %s", draft.rtype)
        return None
    view, load, make = opener
    page = window.pages[view]

    def ready(data: Any) -> None:
        if window.detached:
            return
        dlg = make(store, lane, data, page, draft)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.restore_draft(draft.key, draft.data)
        dlg.accepted.connect(lambda: _saved(window, view))
        window.open_dialog = dlg  # type: ignore[attr-defined]  # for tests, as prepare_dialog does
        dlg.open()
        if opened is not None:
            opened(dlg)

    def failed(error: Exception) -> None:
        # The record went away meanwhile (deleted, or synced away): say so and drop the draft.
        if isinstance(error, LeheError):
            # Not window.tr: that looks under MainWindow, where lupdate did not put this text.
            QMessageBox.warning(window, QCoreApplication.translate("MainWindow", "Unsaved form"),
                                error.message(i18n.current()))
        else:
            log.error("reopening a draft failed", exc_info=error)
        lane.query(lambda: drafts.discard_draft(store, draft.key), name="draft")

    return lane.query(lambda: load(store, draft), ready, failed, owner=window, name="draft form", busy_cursor=True)


def _saved(window: MainWindow, view: str) -> None:
    if not shiboken6.isValid(window) or window.detached:
        return
    page = window.pages[view]
    if view in window.loaded:
        page.load()  # type: ignore[attr-defined]
    signal = getattr(page, "data_changed", None)
    if signal is not None:
        signal.emit()


def form_name(rtype: str) -> str:
    try:
        rt = record_type(rtype)
    except (KeyError, LeheError):
        return rtype
    return i18n.pick(rt.zh, rt.en)


class DraftOffer(QObject):
    """After the unlock: each draft left, offered back in turn (``restore`` keys come back unasked)."""

    def __init__(self, window: MainWindow, restore: set[str] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.restore = set(restore or ())
        self.waiting: list[Draft] = []
        self.question: QMessageBox | None = None
        self.opened: list[EditDialog] = []

    def start(self) -> Job:
        store = self.window.store
        return self.window.lane.query(lambda: drafts.list_drafts(store), self._arrived, owner=self, name="drafts")

    def _arrived(self, found: list[Draft]) -> None:
        self.waiting = list(found)
        self._next()

    def _next(self) -> None:
        if self.window.detached:
            return
        while self.waiting:
            draft = self.waiting.pop(0)
            if draft.key in self.restore:
                reopen(self.window, draft, self.opened.append)
                continue
            self._ask(draft)
            return

    def _ask(self, draft: Draft) -> None:
        when = datetime.fromtimestamp(draft.saved_ms / 1000).strftime("%Y-%m-%d %H:%M")
        text = self.tr("You have an unsaved %1 form from %2. Continue with it, or discard it?")
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Unsaved form"),
                          text.replace("%1", form_name(draft.rtype)).replace("%2", when),
                          QMessageBox.StandardButton.NoButton, self.window)
        box.setObjectName("draft_question")
        go = box.addButton(self.tr("Continue"), QMessageBox.ButtonRole.AcceptRole)
        go.setObjectName("draft_continue")
        drop = box.addButton(self.tr("Discard"), QMessageBox.ButtonRole.DestructiveRole)
        drop.setObjectName("draft_discard")
        box.setDefaultButton(go)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda _r: self._answered(box, draft, box.clickedButton() is go,
                                                       box.clickedButton() is drop))
        self.question = box
        box.open()

    def _answered(self, box: QMessageBox, draft: Draft, go: bool, drop: bool) -> None:
        self.question = None
        box.deleteLater()
        if self.window.detached:
            return          # closed by the lock: the draft stays and is asked about after the unlock
        if go:
            reopen(self.window, draft, self.opened.append)
        elif drop:
            store = self.window.store
            self.window.lane.query(lambda: drafts.discard_draft(store, draft.key), name="draft")
        # Closed with neither (Esc): the draft stays for the next start.
        self._next()
