"""记录 → 审计日志: the audit log, newest first, and whether its chain checks out (core/audit.py).

Read-only. Entries hold record ids and counts, never personal values, so the window shows what
was done, by whom and when. Loaded on the database lane.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import audit
from ..core.store.store import Store
from . import i18n
from .file_dialogs import local_time
from .worker import DbLane


class AuditDialog(QDialog):
    loaded = Signal()

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_log")
        self.store = store
        self.lane = lane
        self.data: dict[str, Any] = {"verdict": {}, "rows": []}
        self.status = QLabel()
        self.status.setObjectName("audit_status")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("audit_entries")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
        self.resize(820, 520)
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        store = self.store

        def done(data: dict[str, Any]) -> None:
            self.data = data
            self._fill()
            self.loaded.emit()

        self.lane.query(lambda: audit.view(store), done, lambda _exc: None, owner=self, name="audit")

    def _fill(self) -> None:
        verdict = self.data.get("verdict") or {}
        if not verdict:
            self.status.setText("")
        elif verdict.get("ok"):
            self.status.setText(self.tr("The audit log is intact: %1 entries.").replace(
                "%1", str(verdict.get("entries", 0))))
            self.status.setStyleSheet("")
        else:
            self.status.setText(self.tr("The audit log is broken at entry %1: it was changed, cut or rewritten. "
                                        "Tell your coordinator.").replace("%1", str(verdict.get("bad_seq"))))
            self.status.setStyleSheet("color: #b3261e;")
        rows = self.data.get("rows") or []
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            # Local time, as everywhere else in the window (the log itself keeps UTC).
            values = [str(row["seq"]), local_time(str(row["at"])), row["user"],
                      i18n.pick(row["action_zh"], row["action_en"]), i18n.pick(row["what_zh"], row["what_en"])]
            for c, v in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Audit log"))
        self.table.setHorizontalHeaderLabels([self.tr("No."), self.tr("Time"), self.tr("User"),
                                              self.tr("Action"), self.tr("Records")])
        self._fill()
