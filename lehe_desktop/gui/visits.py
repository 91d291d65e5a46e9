"""Visits: the filtered list and the full visit form with its child rows.

The form is built from the core's "visit" record type and its child types, so every field
the core declares is on screen; child rows (visitors, needs, services, referrals) are edited
in small dialogs built the same way.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import browse
from ..core.problems import Problem
from ..core.records.schema import Kind, RecordType, record_type
from ..core.store.links import LinkRowError
from ..core.store.store import Store
from . import i18n
from .dialogs import CheckList, EditDialog, prepare_dialog, preview_problems
from .forms import ERROR_STYLE, Choice, ChoiceBox, DateEdit, RecordForm, vocab_choices
from .list_page import ListPage
from .models import Labels, VisitModel
from .printing import document_builder, preview_on_lane
from .worker import DbLane

log = logging.getLogger(__name__)

# Child record types edited as tables of rows in the visit form (in this order).
CHILD_TABLES = ("visit_visitor", "visit_need", "visit_service", "visit_referral")


def member_choices(store: Store, household_id: str | None) -> list[Choice]:
    """The household's members as choices (runs on the lane)."""
    if not household_id:
        return []
    return [(m["id"], m["name"], m["name"]) for m in store.children("member", household_id)]


def household_title(store: Store, hid: str | None) -> str:
    """The household as the picker names it (runs on the lane)."""
    h = store.get("household", hid) if hid else None
    return store.title(record_type("household"), h) if h else ""


def visit_dialog_data(store: Store, vid: str | None, household_id: str | None) -> dict[str, Any]:
    """What the visit dialog starts with: the visit, its child rows, the household's members (on the lane)."""
    existing = store.require("visit", vid) if vid else None
    hid = existing["household_id"] if existing else household_id
    return {
        "existing": existing, "household_id": hid, "household_title": household_title(store, hid),
        "members": member_choices(store, hid),
        "children": {name: store.children(name, vid) for name in CHILD_TABLES} if vid else {},
        "risks": [r["risk_factor"] for r in store.children("visit_risk_factor", vid)] if vid else [],
        "present": [p["member_id"] for p in store.children("visit_member_present", vid)] if vid else [],
    }


class ChildDialog(QDialog):
    """One child row (a need, a referral …): its fields, checked by the core before OK."""

    def __init__(self, store: Store, lane: DbLane, rt: RecordType, values: dict[str, Any],
                 choices: dict[str, list[Choice]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.rt = rt
        self.form = RecordForm(store, rt, choices=choices)
        self.form.set_values(values)
        if rt.has_field("referred_on"):
            self.form.set_today("referred_on")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        lay.addWidget(buttons)
        self.setWindowTitle(i18n.pick(rt.zh, rt.en))
        self.resize(520, 120 + 48 * len(self.form.rows))

    def values(self) -> dict[str, Any]:
        return self.form.values()

    def _ok(self) -> None:
        """The core checks the row on the lane; OK closes the dialog when it has no errors."""
        values, store, name, parent_field = self.values(), self.store, self.rt.name, self.rt.parent_field

        def checked(problems: list[Problem]) -> None:
            problems = [p for p in problems if p.field != parent_field]
            self.form.show_problems(problems, focus=True)
            if not any(p.is_error for p in problems):
                self.accept()

        self.lane.query(lambda: preview_problems(store, name, values, None, set(values)), checked,
                        owner=self, name="check row")


class ChildRows(QGroupBox):
    """A table of child rows with Add / Edit / Remove; rows are saved with the visit."""

    def __init__(self, store: Store, lane: DbLane, rtype: str, labels: Labels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.rt = record_type(rtype)
        self.labels = labels
        self.choices: dict[str, list[Choice]] = {}
        self.rows: list[dict[str, Any]] = []
        self.columns = [f for f in self.rt.fields if f.name != self.rt.parent_field][:4]
        self.table = QTableWidget(0, len(self.columns))
        self.table.setObjectName(f"table_{rtype}")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumHeight(120)
        self.table.cellDoubleClicked.connect(lambda r, _c: self.edit(r))
        self.add_btn = QPushButton()
        self.add_btn.setObjectName(f"add_{rtype}")
        self.add_btn.clicked.connect(lambda: self.edit(None))
        self.remove_btn = QPushButton()
        self.remove_btn.clicked.connect(self._remove)
        self.problem = QLabel()
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_btn)
        buttons.addWidget(self.remove_btn)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addWidget(self.problem)
        lay.addLayout(buttons)
        self.retranslate()

    def load(self, rows: list[dict[str, Any]]) -> None:
        self.rows = [dict(r) for r in rows]
        self._fill()

    def edit(self, row: int | None) -> None:
        values = self.rows[row] if row is not None else {}
        dlg = ChildDialog(self.store, self.lane, self.rt, values, self.choices, self)
        if dlg.exec():
            new = {**values, **dlg.values()}
            if row is None:
                self.rows.append(new)
            else:
                self.rows[row] = new
            self._fill()

    def _remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.rows.pop(row)   # deleted when the visit is saved (the list is saved as a whole)
            self._fill()

    def _cell(self, spec: Any, value: Any) -> str:
        if value is None:
            return ""
        if spec.kind is Kind.VOCAB:
            return self.labels.get(spec.vocab or "", str(value))
        if spec.kind is Kind.BOOL:
            return i18n.pick("是", "Yes") if value else i18n.pick("否", "No")
        if spec.kind is Kind.REF and spec.name in self.choices:
            names = {c: zh for c, zh, _ in self.choices[spec.name]}
            return names.get(str(value), "")
        return str(value)

    def refill(self) -> None:
        self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, spec in enumerate(self.columns):
                self.table.setItem(r, c, QTableWidgetItem(self._cell(spec, row.get(spec.name))))

    def link_rows(self) -> list[dict[str, Any]]:
        """The rows as ``save_with_links`` takes them: field values, and the id of rows already saved."""
        keep = set(self.rt.field_names) | {"id"}
        return [{k: v for k, v in row.items() if k in keep and (k != "id" or v)} for row in self.rows]

    def show_problem(self, exc: LinkRowError) -> None:
        self.problem.setText(self.tr("Row %1: ").replace("%1", str(exc.index + 1)) + exc.error.message(i18n.current()))
        self.problem.setVisible(True)

    def retranslate(self) -> None:
        self.setTitle(i18n.pick(self.rt.zh, self.rt.en))
        self.table.setHorizontalHeaderLabels([i18n.pick(f.zh, f.en) for f in self.columns])
        self.add_btn.setText(self.tr("Add"))
        self.remove_btn.setText(self.tr("Remove"))
        self._fill()


class HouseholdPicker(QWidget):
    """Type a name; choose the household from the search results."""

    chosen = Signal(str)
    searched = Signal()

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.household_id: str | None = None
        self._generation = 0
        self.edit = QLineEdit()
        self.edit.setObjectName("household_search")
        self.results = QListWidget()
        self.results.setMaximumHeight(110)
        self.results.setVisible(False)
        self.edit.textEdited.connect(self._search)
        self.results.itemActivated.connect(self._pick)
        self.results.itemClicked.connect(self._pick)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.edit)
        lay.addWidget(self.results)
        self.setFocusProxy(self.edit)

    def _search(self, text: str) -> None:
        """Search as you type, on the lane; only the answer to the latest text is shown."""
        self._generation += 1
        generation = self._generation
        store = self.store

        def show(hits: list[dict[str, str]]) -> None:
            if generation != self._generation:
                return
            self.results.clear()
            for hit in hits:
                item = QListWidgetItem(hit["title"])
                item.setData(Qt.ItemDataRole.UserRole, hit["id"])
                self.results.addItem(item)
            self.results.setVisible(self.results.count() > 0)
            self.searched.emit()

        self.lane.query(lambda: store.search(text, limit=20, rtypes=["household"]), show, owner=self, name="search")

    def _pick(self, item: QListWidgetItem) -> None:
        self.set_household(item.data(Qt.ItemDataRole.UserRole), item.text())
        self.results.setVisible(False)
        self.chosen.emit(self.household_id)

    def set_household(self, hid: str | None, title: str) -> None:
        self._generation += 1   # a late search answer must not reopen the list
        self.household_id = hid
        self.edit.setText(title if hid else "")


class VisitDialog(EditDialog):
    """The full visit form: every field of the core's visit record, plus its child rows."""

    rtype = "visit"

    def __init__(self, store: Store, lane: DbLane, data: dict[str, Any], parent: QWidget | None = None) -> None:
        existing = data["existing"]
        super().__init__(store, lane, existing, parent, skip=("household_id",))
        hid = data["household_id"]
        self.labels = Labels(store, sorted({f.vocab for n in CHILD_TABLES for f in record_type(n).fields
                                            if f.vocab}))
        self.picker = HouseholdPicker(store, lane)
        self.picker.chosen.connect(self._household_chosen)
        self.form.handled_elsewhere.add("household_id")  # shown under the picker, not twice
        self.picker_label = QLabel()
        self.household_problem = QLabel()
        self.household_problem.setObjectName("problem_household_id")
        self.household_problem.setStyleSheet(ERROR_STYLE)
        self.household_problem.setVisible(False)
        top = QGridLayout()
        top.addWidget(self.picker_label, 0, 0)
        top.addWidget(self.picker, 0, 1)
        top.addWidget(self.household_problem, 1, 1)
        self.body.insertLayout(0, top)
        self.present_box = QGroupBox()
        self.present = CheckList([])
        self.present.setObjectName("members_present")
        QVBoxLayout(self.present_box).addWidget(self.present)
        self.risk_box = QGroupBox()
        self.risks = CheckList(vocab_choices(store, "risk_factor"))
        self.risks.setObjectName("risk_factors")
        QVBoxLayout(self.risk_box).addWidget(self.risks)
        self.children_tables = {name: ChildRows(store, lane, name, self.labels) for name in CHILD_TABLES}
        # Child rows in a second column: the whole visit fits a 1366×768 screen.
        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.addWidget(self.present_box)
        side_lay.addWidget(self.risk_box)
        for box in self.children_tables.values():
            side_lay.addWidget(box)
        side_lay.addStretch(1)
        side_scroll = QScrollArea()
        side_scroll.setWidgetResizable(True)
        side_scroll.setWidget(side)
        self.columns.addWidget(side_scroll, 2)
        if existing:
            for name, box in self.children_tables.items():
                box.load(data["children"].get(name, []))
            self.risks.set_checked(data["risks"])
        else:
            self.form.set_today("visit_date")
            if store.user and "author" in self.form.rows:
                self.form.rows["author"].set_value(store.user)
            if store.user:
                self.children_tables["visit_visitor"].load([{"name": store.user, "role": "social_worker"}])
        self.picker.set_household(hid, data["household_title"])
        self._show_members(data["members"])
        self.present.set_checked(data["present"])
        self.resize(1240, 720)
        self.retranslate()

    def _household_chosen(self, hid: str | None) -> None:
        """Another household picked: its members are read on the lane."""
        store = self.store

        def arrived(choices: list[Choice]) -> None:
            if self.picker.household_id == hid:
                self._show_members(choices)

        self.lane.query(lambda: member_choices(store, hid), arrived, owner=self, name="members")

    def _show_members(self, choices: list[Choice]) -> None:
        self.present.clear()
        self.present.choices = choices
        for code, zh, _en in choices:
            item = QListWidgetItem(zh)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.present.addItem(item)
        for box in self.children_tables.values():
            if box.rt.has_field("member_id"):
                box.choices["member_id"] = choices
                box.refill()

    def values(self) -> dict[str, Any]:
        return {"household_id": self.picker.household_id, **self.form.values()}

    def before_save(self) -> None:
        self.household_problem.setVisible(False)
        for box in self.children_tables.values():
            box.problem.setVisible(False)

    def saved_failed(self) -> None:
        if not self.picker.household_id:
            self.household_problem.setText(self.tr("Choose the household"))
            self.household_problem.setVisible(True)

    def links(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {
            "visit_member_present": [{"member_id": m} for m in self.present.checked()],
            "visit_risk_factor": [{"risk_factor": c} for c in self.risks.checked()],
        }
        for name, box in self.children_tables.items():
            out[name] = box.link_rows()
        return out

    def show_link_problem(self, exc: LinkRowError) -> None:
        box = self.children_tables.get(exc.rtype)
        if box is not None:
            box.show_problem(exc)

    def draft_data(self) -> dict[str, Any]:
        return {**super().draft_data(), "household_title": self.picker.edit.text()}

    def draft_context(self) -> dict[str, Any]:
        # Reopened, the form reads this household's members before the draft goes back in.
        return {"household_id": self.picker.household_id}

    def apply_draft(self, data: dict[str, Any], links: dict[str, Any]) -> None:
        hid = data.get("values", {}).get("household_id")
        if hid and hid != self.picker.household_id:
            self.picker.set_household(hid, str(data.get("household_title") or ""))
        self.present.set_checked([r.get("member_id") for r in links.get("visit_member_present", [])])
        self.risks.set_checked([r.get("risk_factor") for r in links.get("visit_risk_factor", [])])
        for name, box in self.children_tables.items():
            if isinstance(links.get(name), list):
                box.load(links[name])

    def retranslate(self) -> None:
        super().retranslate()   # the Delete… button's text
        self.setWindowTitle(self.tr("Edit visit") if self.existing else self.tr("New visit"))
        self.picker_label.setText(i18n.pick("户 *", "Household *"))
        self.picker.edit.setPlaceholderText(self.tr("Type the head's name to find the household"))
        self.present_box.setTitle(self.tr("Members present"))
        self.risk_box.setTitle(self.tr("Risk factors"))
        self.risks.relabel()


class VisitsPage(ListPage):
    """All visits, filtered by village, dates, type, risk and follow-up due."""

    open_household = Signal(str)

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, VisitModel(store, lane), name="visit", table="visits_table",
                         widths=(100, 150, 80, 190, 70, 100, 90), sort=(0, Qt.SortOrder.DescendingOrder),
                         parent=parent)
        self.date_from = DateEdit()
        self.date_to = DateEdit()
        self.vtype = ChoiceBox(vocab_choices(store, "visit_type"))
        self.vtype.setObjectName("visit_type_filter")
        self.risk = ChoiceBox(vocab_choices(store, "risk_level"))
        self.risk.setObjectName("risk_filter")
        self.due = QCheckBox()
        self.due.setObjectName("follow_up_due")
        self.new_btn = self.button("new_visit", lambda: self.new_visit(None))
        self.print_btn = self.button("print_visit", self.print_selected)
        self.watch(self.date_from, self.date_to, self.vtype, self.risk, self.due)
        self.arrange([2, self.text, 1, self.village, self.count, self.new_btn, self.print_btn],
                     [self.label("from"), 1, self.date_from, self.label("to"), 1, self.date_to,
                      self.label("type"), 1, self.vtype, self.label("risk"), 1, self.risk, self.due])

    def load(self) -> None:
        store = self.store
        self.lane.query(lambda: browse.villages(store), self.fill_villages, owner=self, name="villages")
        self.model.refresh()

    def current_filter(self) -> browse.VisitFilter:
        return browse.VisitFilter(text=self.text.text(), area_id=self.village.code(),
                                  date_from=self.date_from.text() or None, date_to=self.date_to.text() or None,
                                  visit_type=self.vtype.code(), risk_level=self.risk.code(),
                                  follow_up_due=self.due.isChecked())

    def count_text(self, n: int) -> str:
        return self.tr("%n visit(s)", "", n)

    def open_record(self, rid: str) -> None:
        self.open_visit(rid)

    def open_visit(self, vid: str) -> None:
        self._dialog(vid, None)

    def print_selected(self) -> None:
        """入户走访记录 of the selected visit, in the print preview (print or save as PDF there)."""
        vid = self.selected_id()
        if not vid:
            QMessageBox.information(self, self.tr("Print visit…"), self.tr("Choose a visit in the list first."))
            return
        preview_on_lane(self, self.lane, document_builder(self.store, "visit", vid))

    def new_visit(self, household_id: str | None) -> None:
        self._dialog(None, household_id)

    def _dialog(self, vid: str | None, household_id: str | None) -> None:
        """The visit and its rows are read on the lane; the dialog opens when they arrive."""
        store, lane = self.store, self.lane
        prepare_dialog(lane, lambda: visit_dialog_data(store, vid, household_id),
                       lambda d: VisitDialog(store, lane, d, self), owner=self, on_accept=self._saved)

    def _saved(self, _dlg: QDialog) -> None:
        self.model.invalidate()
        self.model.refresh()
        self.data_changed.emit()

    def retranslate(self) -> None:
        self.text.setPlaceholderText(self.tr("Filter by household, purpose or situation"))
        self.vtype.empty_text = self.tr("All types")
        self.risk.empty_text = self.tr("Any risk")
        for box in (self.vtype, self.risk):
            box.relabel()
        self.labels["type"].setText(self.tr("Type"))
        self.labels["risk"].setText(self.tr("Risk"))
        self.due.setText(self.tr("Follow-up due"))
        self.new_btn.setText(self.tr("New visit"))
        self.print_btn.setText(self.tr("Print visit…"))
        super().retranslate()
