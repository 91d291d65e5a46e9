"""督办 Tasks: owner, due date, status and progress notes, updated in place.

The list (late tasks tinted) sits above the selected task's progress notes; "Mark done" and
"Add note" work on the selected row without opening the form (core/tracking.py
``complete_task``, ``add_progress``), each one transaction on the lane.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..core import tracking
from ..core.errors import LeheError
from ..core.store.bin import delete_with_dependents
from ..core.store.store import Store
from . import i18n
from .dialogs import EditDialog, confirm_delete, prepare_dialog
from .forms import ChoiceBox, vocab_choices
from .list_page import ListPage
from .matters import OVERDUE_BACKGROUND, OVERDUE_TEXT, HouseholdLinks, linked_households
from .models import FilteredModel, Labels
from .worker import DbLane

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex


class TaskModel(FilteredModel[tracking.TaskFilter]):
    COLUMNS = (
        ("title", "任务", "Task"),
        ("owner", "责任人 / 单位", "Owner"),
        ("assigned_on", "交办日期", "Assigned"),
        ("due_date", "截止日期", "Due by"),
        ("status", "状态", "Status"),
        ("last_note", "最新进展", "Latest progress"),
    )
    SORTS: ClassVar[dict[str, str]] = {"title": "title", "owner": "owner", "assigned_on": "assigned",
                                        "due_date": "due", "status": "status"}

    def __init__(self, store: Store, lane: DbLane) -> None:
        super().__init__(store, lane, tracking.TaskFilter(open_only=True))
        self.index_cache: tracking.TaskIndex | None = None
        self.labels = Labels(store, ["task_status"])

    def default_sort(self) -> str:
        return "due"

    def invalidate(self) -> None:
        self.index_cache = None

    def query_ids(self) -> list[str]:
        index = self.index_cache
        if index is None:
            index = self.index_cache = tracking.TaskIndex.load(self.store)
        return index.ids(self.store, self.filter)

    def query_rows(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return tracking.task_rows(self.store, ids)

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "status":
            text = self.labels.get("task_status", row.get("status"))
            if row.get("overdue") and row.get("status") != "overdue":
                text += i18n.pick("（逾期）", " (overdue)")
            return text
        if key == "owner":
            return " / ".join(str(t) for t in (row.get("owner"), row.get("owner_org")) if t)
        if key == "last_note":
            note = str(row.get("last_note") or "")
            n = row.get("notes") or 0
            return i18n.pick(f"{note}（共 {n} 条）", f"{note} ({n} notes)") if note and n > 1 else note
        return super().display(row, key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < len(self._rows) and self._rows[index.row()].get("overdue"):
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(OVERDUE_BACKGROUND)
            if role == Qt.ItemDataRole.ForegroundRole and self.COLUMNS[index.column()][0] in ("due_date", "status"):
                return QBrush(OVERDUE_TEXT)
        return super().data(index, role)


def task_dialog_data(store: Store, tid: str | None) -> dict[str, Any]:
    """The task and the titles of the matter or agenda item it came from (runs on the lane)."""
    existing = store.require("task", tid) if tid else None
    return {"existing": existing, "households": linked_households(store, "task_household", tid),
            "matter": tracking.record_title(store, "matter", (existing or {}).get("matter_id")),
            "agenda_item": tracking.record_title(store, "agenda_item", (existing or {}).get("agenda_item_id"))}


class TaskDialog(EditDialog):
    """Every field of a task (the matter or agenda item it came from is shown, not edited)."""

    rtype = "task"

    def __init__(self, store: Store, lane: DbLane, data: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(store, lane, data["existing"], parent, skip=("matter_id", "agenda_item_id"))
        self.source = QLabel(" · ".join(t for t in (data["matter"], data["agenda_item"]) if t))
        self.source.setWordWrap(True)
        self.source.setVisible(bool(self.source.text()))
        self.body.insertWidget(0, self.source)
        self.households = HouseholdLinks(store, lane, data["households"])
        self.body.addWidget(self.households)
        if not self.existing:
            self.form.set_today("assigned_on")
            self.form.rows["status"].set_value("not_started")
        self.retranslate()

    def links(self) -> dict[str, list[dict[str, Any]]]:
        return {"task_household": [{"household_id": h} for h in self.households.ids()]}

    def draft_data(self) -> dict[str, Any]:
        return {**super().draft_data(), "households": self.households.pairs()}

    def apply_draft(self, data: dict[str, Any], links: dict[str, Any]) -> None:
        if isinstance(data.get("households"), list):
            self.households.set_pairs(data["households"])

    def retranslate(self) -> None:
        super().retranslate()   # the Delete… button's text
        self.setWindowTitle(self.tr("Edit task") if self.existing else self.tr("New task"))


class TasksPage(ListPage):
    """Tasks with filters; the selected task's progress notes below; done and notes in place."""

    progress_shown = Signal()     # the selected task's notes arrived from the lane

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, TaskModel(store, lane), name="task", table="tasks_table",
                         widths=self._widths(), sort=(3, Qt.SortOrder.AscendingOrder), village=False,
                         parent=parent)
        self.open_dialog: QDialog | None = None
        self.status = ChoiceBox(vocab_choices(store, "task_status"))
        self.status.setObjectName("task_status_filter")
        self.open_only = QCheckBox()
        self.open_only.setObjectName("task_open_only")
        self.open_only.setChecked(True)
        self.overdue = QCheckBox()
        self.overdue.setObjectName("task_overdue_only")
        actions: tuple[tuple[str, Callable[[], None]], ...] = (
            ("new", self.new_task), ("edit", self.edit_selected), ("done", self.mark_done),
            ("delete", self.delete_selected))
        self.buttons = {key: self.button(f"task_{key}", slot) for key, slot in actions}
        self.notes_box = QGroupBox()
        self.notes = QListWidget()
        self.notes.setObjectName("task_notes")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("task_note_text")
        self.note_edit.returnPressed.connect(self.add_note)
        self.note_button = self.button("task_add_note", self.add_note)
        self.message = QLabel()
        self.message.setObjectName("task_message")
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.note_button)
        notes_lay = QVBoxLayout(self.notes_box)
        notes_lay.addWidget(self.notes, 1)
        notes_lay.addLayout(note_row)
        notes_lay.addWidget(self.message)
        self.watch(self.status, self.open_only, self.overdue)
        self.model.populated.connect(self._select_first)
        self.model.modelReset.connect(self._show_notes)
        self.table.selectionModel().currentRowChanged.connect(lambda _c, _p: self._show_notes())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.notes_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self._notes_for: str | None = None
        self.arrange([2, self.text, self.label("status"), 1, self.status, self.open_only, self.overdue],
                     [self.count, None, *self.buttons.values()], body=split)

    # ---------------------------------------------------------------- list
    def load(self) -> None:
        self.model.invalidate()
        self.model.refresh()

    def current_filter(self) -> tracking.TaskFilter:
        return tracking.TaskFilter(text=self.text.text(), status=self.status.code(),
                                   open_only=self.open_only.isChecked(), overdue_only=self.overdue.isChecked())

    def count_text(self, n: int) -> str:
        return self.tr("%n task(s)", "", n)

    def select_task(self, tid: str) -> bool:
        """Make the task with this id the current row (if it is on the loaded pages)."""
        for r in range(self.model.rowCount()):
            if self.model.row_id(r) == tid:
                self.table.setCurrentIndex(self.model.index(r, 0))
                return True
        return False

    def _need_selection(self) -> dict[str, Any] | None:
        return self.need_selection(self.tr("Tasks"), self.tr("Choose a task in the list first."))

    def open_record(self, rid: str) -> None:
        self.open_task(rid)

    def _select_first(self) -> None:
        if not self.table.currentIndex().isValid() and self.model.rowCount() > 0:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _show_notes(self) -> None:
        row = self.selected()
        tid = row["id"] if row else None
        self._notes_for = tid
        self.notes.clear()
        self.notes_box.setEnabled(tid is not None)
        if tid is None:
            return
        store = self.store

        def arrived(notes: list[dict[str, Any]]) -> None:
            if self._notes_for != tid:
                return
            self.notes.clear()
            for n in notes:
                by = f" · {n['noted_by']}" if n.get("noted_by") else ""
                self.notes.addItem(f"{n.get('note_date') or ''}  {n.get('note') or ''}{by}")
            self.progress_shown.emit()

        self.lane.query(lambda: tracking.task_progress(store, tid), arrived, owner=self, name="notes")

    # ---------------------------------------------------------------- actions
    def new_task(self) -> None:
        self._form(None)

    def edit_selected(self) -> None:
        row = self._need_selection()
        if row:
            self.open_task(row["id"])

    def open_task(self, tid: str) -> None:
        self._form(tid)

    def _form(self, tid: str | None) -> None:
        store, lane = self.store, self.lane
        prepare_dialog(lane, lambda: task_dialog_data(store, tid), lambda d: TaskDialog(store, lane, d, self),
                       owner=self, on_accept=lambda _d: self.changed())

    def mark_done(self) -> None:
        """已完成: today's date as the completion date, in place."""
        row = self._need_selection()
        if row is None:
            return
        store, tid = self.store, row["id"]
        self.lane.query(lambda: tracking.complete_task(store, tid), lambda _r: self._done(tid), self._failed,
                        owner=self, name="task done")

    def _done(self, tid: str) -> None:
        self.message.setText(self.tr("Marked done."))
        self.changed(keep=tid)

    def add_note(self) -> None:
        """A progress note on the selected task, dated today, by this laptop's worker."""
        row = self._need_selection()
        text = self.note_edit.text().strip()
        if row is None or not text:
            return
        store, tid = self.store, row["id"]

        def added(_r: object) -> None:
            self.note_edit.clear()
            self.message.setText(self.tr("Note added."))
            self.changed(keep=tid)

        self.lane.query(lambda: tracking.add_progress(store, tid, text), added, self._failed,
                        owner=self, name="task note")

    def delete_selected(self) -> None:
        row = self._need_selection()
        if row is None or not confirm_delete(self, str(row.get("title") or "")):
            return
        store, tid = self.store, row["id"]
        self.lane.query(lambda: delete_with_dependents(store, "task", tid), lambda _r: self.changed(),
                        self._failed, owner=self, name="delete")

    def _failed(self, exc: Exception) -> None:
        text = exc.message(i18n.current()) if isinstance(exc, LeheError) else self.tr(
            "Not saved: an unexpected error; the details are in the log.")
        if not isinstance(exc, LeheError):
            log.error("a task action failed", exc_info=exc)
        self.message.setText(text)

    def changed(self, keep: str | None = None) -> None:
        """Reload the list (keeping the row the user worked on selected) and tell the window."""
        def reselect() -> None:
            if keep:
                self.select_task(keep)

        self.model.invalidate()
        self.model.refresh(on_done=reselect)
        self.data_changed.emit()

    # ---------------------------------------------------------------- texts
    @staticmethod
    def _widths() -> tuple[int, ...]:
        return (260, 170, 90, 90, 180) if i18n.current() == "en" else (260, 170, 90, 90, 150)

    def retranslate(self) -> None:
        for col, width in enumerate(self._widths()):
            self.table.horizontalHeader().resizeSection(col, width)
        self.text.setPlaceholderText(self.tr("Filter by task, owner or organisation"))
        self.status.empty_text = self.tr("All")
        self.status.relabel()
        self.labels["status"].setText(self.tr("Status"))
        self.open_only.setText(self.tr("Open only"))
        self.overdue.setText(self.tr("Overdue only"))
        for key, text in (("new", self.tr("New task")), ("edit", self.tr("Edit")), ("done", self.tr("Mark done")),
                          ("delete", self.tr("Delete"))):
            self.buttons[key].setText(text)
        self.notes_box.setTitle(self.tr("Progress notes"))
        self.note_edit.setPlaceholderText(self.tr("What happened (dated today)"))
        self.note_button.setText(self.tr("Add note"))
        super().retranslate()
