"""记录 → 回收站: deleted records, and what went with them, restored from the window.

The list is ``core.store.bin.binned`` (records deleted on their own, newest first, with the
rows deleted with them counted by type); 恢复 Restore runs ``undelete`` on the database lane
for each selected record. A restore is a change like any edit: it is recorded for sync and
counts among the unsent changes until the next sync takes it to the server.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import LeheError
from ..core.records.schema import REGISTRY
from ..core.store import bin as recycle
from ..core.store.store import Store
from . import i18n
from .sync_problems import Column, RowsModel
from .worker import DbLane

log = logging.getLogger(__name__)

BIN_COLUMNS: list[Column] = [
    ("kind", "类型", "Type"), ("title", "记录", "Record"), ("deleted", "删除时间", "Deleted"),
    ("with", "一起删除的", "Deleted with it")]
KeyRole = Qt.ItemDataRole.UserRole


def _type_name(rtype: str) -> str:
    rt = REGISTRY.get(rtype)
    return i18n.pick(rt.zh, rt.en) if rt is not None else rtype


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def with_text(with_types: dict[str, int]) -> str:
    """``2 members, 1 visit`` / ``成员 2 条、走访 1 条``: what a restore brings back with the record."""
    if not with_types:
        return ""
    if i18n.current() == "en":
        return ", ".join(f"{n} × {_type_name(t).lower()}" for t, n in sorted(with_types.items()))
    return "、".join(f"{_type_name(t)} {n} 条" for t, n in sorted(with_types.items()))


class BinModel(RowsModel):
    """The bin's rows; each keeps its (type, id) for Restore."""

    def __init__(self, columns: list[Column]) -> None:
        super().__init__(columns)
        self.items: list[dict[str, Any]] = []

    def set_items(self, items: list[dict[str, Any]]) -> None:
        self.items = items
        self.relabel_rows()

    def relabel_rows(self) -> None:
        self.set_rows([{"kind": _type_name(i["type"]), "title": i["title"], "deleted": _local_time(i["deleted_at"]),
                        "with": with_text(i.get("with_types", {})), "key": (i["type"], i["id"])}
                       for i in self.items])

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == KeyRole and index.isValid() and index.row() < len(self.rows):
            return self.rows[index.row()]["key"]
        return super().data(index, role)


class BinDialog(QDialog):
    """The bin: select one or more records and restore them (with what was deleted with them)."""

    changed = Signal()     # something was restored: lists and the unsent count are out of date
    loaded = Signal()      # the list arrived from the lane and is shown
    restored = Signal()    # a restore finished (the list reloads after it)

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bin")
        self.store = store
        self.lane = lane
        self._generation = 0
        self.busy = False
        self.model = BinModel(BIN_COLUMNS)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableView()
        self.table.setObjectName("bin_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 260)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)   # what went with it: wraps
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        self.status = QLabel()
        self.status.setObjectName("bin_status")
        self.status.setWordWrap(True)
        self.restore_btn = QPushButton()
        self.restore_btn.setObjectName("restore")
        self.restore_btn.clicked.connect(self.restore_selected)
        self.close_btn = QPushButton()
        self.close_btn.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.restore_btn)
        buttons.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(self.table, 1)
        lay.addLayout(buttons)
        self.resize(860, 480)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        """Read the bin on the lane; only the latest answer is shown."""
        self._generation += 1
        generation = self._generation
        store = self.store

        def arrived(items: list[dict[str, Any]]) -> None:
            if generation != self._generation:
                return
            self.model.set_items(items)
            self.table.resizeRowsToContents()   # at most 1,000 rows
            self.table.clearSelection()
            if not items:
                self.status.setText(self.tr("The bin is empty."))
            self._enable()
            self.loaded.emit()

        def failed(error: Exception) -> None:
            log.error("reading the bin failed", exc_info=error)
            self.status.setText(self.tr("The bin could not be read; the details are in the log."))

        self.lane.query(lambda: recycle.binned(store), arrived, failed, owner=self, name="bin")

    def selected_keys(self) -> list[tuple[str, str]]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.rows[r]["key"] for r in rows if r < len(self.model.rows)]

    def select_key(self, rtype: str, rid: str) -> bool:
        """Select the row of one record (tests, and opening the bin at a record)."""
        for r, row in enumerate(self.model.rows):
            if row["key"] == (rtype, rid):
                self.table.selectRow(r)
                return True
        return False

    def restore_selected(self) -> None:
        """恢复: each selected record with what was deleted with it, one transaction each, on the lane."""
        keys = self.selected_keys()
        if not keys or self.busy:
            return
        store = self.store

        def work() -> tuple[int, list[str]]:
            restored, problems = 0, []
            for rtype, rid in keys:
                try:
                    restored += len(recycle.undelete(store, rtype, rid))
                except LeheError as exc:   # e.g. its household is in the bin too: say so, go on
                    problems.append(exc.message(i18n.current()))
            return restored, problems

        def done(answer: tuple[int, list[str]]) -> None:
            self.busy = False
            restored, problems = answer
            text = self.tr("%n record(s) restored; they will be sent at the next sync.", "", restored)
            self.status.setText(" ".join([text, *problems]) if problems else text)
            if restored:
                self.changed.emit()
            self.reload()
            self.restored.emit()

        def failed(error: Exception) -> None:
            self.busy = False
            log.error("restoring from the bin failed", exc_info=error)
            self.status.setText(self.tr("Not restored: an unexpected error; the details are in the log."))
            self._enable()

        self.busy = True
        self._enable()
        self.status.setText(self.tr("Restoring…"))
        self.lane.query(work, done, failed, owner=self, name="undelete")

    def _enable(self) -> None:
        self.restore_btn.setEnabled(not self.busy and bool(self.table.selectionModel().selectedRows()))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Bin"))
        self.intro.setText(self.tr(
            "Records deleted on this laptop or on others (after a sync). Restoring a record also brings "
            "back what was deleted with it — a household's members and visits, a visit's needs — and is "
            "sent to the server like any edit."))
        self.restore_btn.setText(self.tr("Restore"))
        self.close_btn.setText(self.tr("Close"))
        self.model.relabel_rows()
        self.model.relabel()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)
