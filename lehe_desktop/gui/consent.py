"""A household's consent records (知情同意): the list, and the form to record or withdraw one.

Opened from the household profile. The form is built from the core's consent record type
(core/records/consent.py); the person it concerns is chosen among the household's members (or
none: the household as a whole). Everything is read and written on the database lane.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import consent as consent_rules
from ..core.records.consent import ITEMS
from ..core.store.store import Store
from . import i18n
from .dialogs import EditDialog, prepare_dialog
from .forms import Choice
from .vocab import vocab_of
from .worker import DbLane


def consent_list_data(store: Store, household_id: str) -> dict[str, Any]:
    """The household's consents and members (runs on the lane)."""
    members = [{"id": m["id"], "name": m.get("name") or ""} for m in store.children("member", household_id)]
    return {"consents": consent_rules.consents_of(store, household_id), "members": members}


def consent_dialog_data(store: Store, household_id: str, cid: str | None) -> dict[str, Any]:
    data = consent_list_data(store, household_id)
    data["existing"] = store.require("consent", cid) if cid else None
    return data


class ConsentDialog(EditDialog):
    rtype = "consent"

    def __init__(self, store: Store, lane: DbLane, household_id: str, data: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        people: list[Choice] = [(m["id"], m["name"], m["name"]) for m in data["members"]]
        super().__init__(store, lane, data["existing"], parent, choices={"member_id": people},
                         skip=("household_id",))
        self.household_id = household_id
        self.setObjectName("consent_dialog")
        self.retranslate()

    def values(self) -> dict[str, Any]:
        return {"household_id": self.household_id, **self.form.values()}

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Consent record"))


class ConsentList(QDialog):
    """The consents of one household, newest first, with New and Edit."""

    COLUMNS = 6

    def __init__(self, store: Store, lane: DbLane, household_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consent_list")
        self.store, self.lane, self.household_id = store, lane, household_id
        self.consents: list[dict[str, Any]] = []
        self.names: dict[str, str] = {}
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("consents_table")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(lambda row, _c: self._edit(row))
        self.new_btn = QPushButton()
        self.new_btn.setObjectName("new_consent")
        self.new_btn.clicked.connect(lambda: self._open(None))
        self.edit_btn = QPushButton()
        self.edit_btn.setObjectName("edit_consent")
        self.edit_btn.clicked.connect(lambda: self._edit(self.table.currentRow()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.new_btn)
        row.addWidget(self.edit_btn)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(self.table, 1)
        lay.addLayout(row)
        lay.addWidget(buttons)
        self.resize(760, 420)
        self.retranslate()
        self.load()

    def load(self) -> None:
        store, hid = self.store, self.household_id
        self.lane.query(lambda: consent_list_data(store, hid), self._fill, owner=self, name="consents")

    def _fill(self, data: dict[str, Any]) -> None:
        self.consents = data["consents"]
        self.names = {m["id"]: m["name"] for m in data["members"]}
        zh = i18n.current() == "zh"
        self.table.setRowCount(len(self.consents))
        for r, c in enumerate(self.consents):
            items = [zh_ if zh else en for name, zh_, en in ITEMS if c.get(name)]
            cells = [c.get("consent_date") or "",
                     self.names.get(c.get("member_id") or "", self.tr("Whole household")),
                     self._grantor(c.get("grantor"), zh),
                     "；".join(items) if zh else "; ".join(items),
                     c.get("notice_version") or "",
                     c.get("withdrawn_on") or ""]
            for col, text in enumerate(cells):
                self.table.setItem(r, col, QTableWidgetItem(str(text)))
        self.table.resizeColumnsToContents()
        self.edit_btn.setEnabled(bool(self.consents))

    def _grantor(self, code: Any, zh: bool) -> str:
        for item in vocab_of(self.store).items("consent_grantor", include_inactive=True):
            if item["code"] == code:
                return str(item["zh"] if zh else item["en"])
        return str(code or "")

    def _edit(self, row: int) -> None:
        if 0 <= row < len(self.consents):
            self._open(self.consents[row]["id"])

    def _open(self, cid: str | None) -> None:
        store, lane, hid = self.store, self.lane, self.household_id
        prepare_dialog(lane, lambda: consent_dialog_data(store, hid, cid),
                       lambda d: ConsentDialog(store, lane, hid, d, self), owner=self,
                       on_accept=lambda _dlg: self.load())

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Consent"))
        self.intro.setText(self.tr(
            "Who agreed to what, how and under which notice. A child under 14 needs a guardian's consent to "
            "sensitive information; a withdrawal ends a consent from that day on and keeps the record."))
        self.table.setHorizontalHeaderLabels([self.tr("Date"), self.tr("Person"), self.tr("Given by"),
                                              self.tr("Items"), self.tr("Notice"), self.tr("Withdrawn")])
        self.new_btn.setText(self.tr("New consent…"))
        self.edit_btn.setText(self.tr("Edit…"))
