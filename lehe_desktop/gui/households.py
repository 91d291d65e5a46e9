"""Households: the searchable list and one household's profile (members, timeline)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core import browse
from ..core.errors import NotFoundError
from ..core.records.schema import REGISTRY, Kind, record_type
from ..core.store.store import Store
from ..core.validation.dates import age_on
from ..core.validation.phone import format_phone_local
from . import i18n
from .consent import ConsentList
from .dialogs import HouseholdDialog, MemberDialog, household_dialog_data, member_dialog_data, prepare_dialog
from .models import HouseholdModel, Labels
from .rights import PersonRights
from .worker import DbLane

log = logging.getLogger(__name__)


class RecordTable(QTableView):
    """A table view where Enter (or double-click) opens the current row; once its list has loaded
    with no rows, it says so in the empty space (``empty_text``) instead of staying blank."""

    open_row = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = ""
        self.loaded = False     # the model's first answer arrived (no "nothing here" while loading)
        self.retranslate()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSortingEnabled(True)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSortIndicatorShown(True)
        self.doubleClicked.connect(lambda idx: self.open_row.emit(idx.row()))

    def show_model(self, model: QAbstractItemModel, name: str, widths: Sequence[int]) -> None:
        """Show a list page's model, with its object name and starting column widths."""
        self.setObjectName(name)
        self.setModel(model)
        populated = getattr(model, "populated", None)
        if populated is not None:
            populated.connect(self._populated)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate(widths):
            header.resizeSection(col, width)

    def _populated(self) -> None:
        self.loaded = True
        self.viewport().update()

    def empty_hint(self) -> str:
        """The text drawn in the empty table: only once loaded, and only with no rows."""
        model = self.model()
        return self.empty_text if self.loaded and model is not None and model.rowCount() == 0 else ""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        hint = self.empty_hint()
        if hint:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(area, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                                       | Qt.TextFlag.TextWordWrap), hint)
            painter.end()

    def retranslate(self) -> None:
        self.empty_text = self.tr("Nothing here yet, or nothing matches the filters above. Ctrl+N adds a new one.")

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


def debounced(owner: QWidget, edit: QLineEdit, apply: Callable[[], None]) -> QTimer:
    """Run ``apply`` once typing in ``edit`` pauses briefly, so each key press stays instant."""
    timer = QTimer(owner)
    timer.setSingleShot(True)
    timer.setInterval(150)
    timer.timeout.connect(apply)
    edit.textChanged.connect(lambda _t: timer.start())
    return timer


class HouseholdList(QWidget):
    open_household = Signal(str)
    new_household = Signal()

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.model = HouseholdModel(store, lane)
        self.filter = QLineEdit()
        self.filter.setObjectName("household_filter")
        self.filter.setClearButtonEnabled(True)
        self.village = QComboBox()
        self.village.setObjectName("village_filter")
        self.count = QLabel()
        self.new_btn = QPushButton()
        self.new_btn.setObjectName("new_household")
        self.new_btn.clicked.connect(self.new_household)
        self.table = RecordTable()
        self.table.show_model(self.model, "households_table", (90, 80, 110, 70, 260, 100))
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.open_row.connect(self._open)
        self.debounce = debounced(self, self.filter, lambda: self.model.set_filter(text=self.filter.text()))
        self.village.activated.connect(lambda _i: self.model.set_filter(area_id=self.village.currentData() or None))
        self.model.populated.connect(self._count)
        self.model.modelReset.connect(self._count)
        top = QHBoxLayout()
        top.addWidget(self.filter, 2)
        top.addWidget(self.village, 1)
        top.addWidget(self.count)
        top.addStretch(0)
        top.addWidget(self.new_btn)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        self.retranslate()

    def load(self) -> None:
        store = self.store
        self.lane.query(lambda: browse.villages(store), self._fill_villages, owner=self, name="villages")
        self.model.refresh()

    def _fill_villages(self, villages: list[dict[str, Any]]) -> None:
        current = self.village.currentData()
        self.village.clear()
        self.village.addItem(self.tr("All villages"), None)
        for v in villages:
            self.village.addItem(v["name"], v["id"])
        idx = self.village.findData(current)
        self.village.setCurrentIndex(max(idx, 0))

    def _count(self) -> None:
        self.count.setText(self.tr("%n household(s)", "", self.model.total))

    def _open(self, row: int) -> None:
        rid = self.model.row_id(row)
        if rid:
            self.open_household.emit(rid)

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Filter by name, group or address"))
        self.new_btn.setText(self.tr("New household"))
        if self.village.count():
            self.village.setItemText(0, self.tr("All villages"))
        self._count()
        self.model.relabel()


class HouseholdProfile(QWidget):
    """One household: its fields, members (masked until revealed) and visit timeline."""

    back = Signal()
    new_visit = Signal(str)
    open_visit = Signal(str)
    changed = Signal()
    loaded = Signal()       # a household's data arrived from the lane and is shown
    anonymised = Signal()   # a member was anonymised: other views may show their old data

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.household: dict[str, Any] | None = None
        self.members: list[dict[str, Any]] = []
        self.details: dict[str, Any] = {}
        self._generation = 0
        self.revealed = False
        self.labels = Labels(store, ["sex", "relation_to_head", "vulnerable_category", "household_status",
                                     "housing_type", "housing_safety", "income_band", "visit_type", "risk_level",
                                     "residence_status", "health_status", "self_care", "phone_owner"])
        self.back_btn = QPushButton()
        self.back_btn.clicked.connect(self.back)
        self.title = QLabel()
        self.title.setObjectName("profile_title")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.4)
        f.setBold(True)
        self.title.setFont(f)
        self.place = QLabel()
        self.edit_btn = QPushButton()
        self.edit_btn.setObjectName("edit_household")
        self.edit_btn.clicked.connect(self._edit)
        self.visit_btn = QPushButton()
        self.visit_btn.setObjectName("new_visit")
        self.visit_btn.clicked.connect(lambda: self.household and self.new_visit.emit(self.household["id"]))
        self.add_member_btn = QPushButton()
        self.add_member_btn.setObjectName("add_member")
        self.add_member_btn.clicked.connect(self._add_member)
        self.consent_btn = QPushButton()
        self.consent_btn.setObjectName("consents")
        self.consent_btn.clicked.connect(self._consents)
        self.reveal_btn = QPushButton()
        self.reveal_btn.setObjectName("reveal")
        self.reveal_btn.setCheckable(True)
        self.reveal_btn.toggled.connect(self._reveal)
        self.fields = QFormLayout()
        self.members_label = QLabel()
        self.members_table = QTableWidget(0, 7)
        self.members_table.setObjectName("members_table")
        self.members_table.verticalHeader().setVisible(False)
        self.members_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members_table.horizontalHeader().setStretchLastSection(True)
        self.members_table.cellDoubleClicked.connect(lambda r, _c: self._edit_member(r))
        # A person's rights (gui/rights.py): on the selected member, by right-click or the buttons.
        self.rights = PersonRights(store, lane, self)
        self.rights.anonymised.connect(self._anonymised)
        self.member_menu = self.rights.menu(self)
        self.members_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.members_table.customContextMenuRequested.connect(self._member_context_menu)
        self.members_table.itemSelectionChanged.connect(self._member_selected)
        self.rights_buttons: list[QToolButton] = []
        for action in (self.rights.copy_action, self.rights.anonymise_action):
            button = QToolButton()
            button.setDefaultAction(action)      # follows the action: text, enabled, the reason why not
            button.setObjectName(f"{action.objectName()}_button")
            self.rights_buttons.append(button)
        self.timeline_label = QLabel()
        self.timeline = QListWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.itemActivated.connect(self._open_item)
        head = QHBoxLayout()
        head.addWidget(self.back_btn)
        head.addWidget(self.title)
        head.addWidget(self.place, 1)
        head.addWidget(self.edit_btn)
        head.addWidget(self.consent_btn)
        head.addWidget(self.visit_btn)
        mhead = QHBoxLayout()
        mhead.addWidget(self.members_label, 1)
        for button in self.rights_buttons:
            mhead.addWidget(button)
        mhead.addWidget(self.reveal_btn)
        mhead.addWidget(self.add_member_btn)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)
        lay.addLayout(self.fields)
        lay.addLayout(mhead)
        lay.addWidget(self.members_table)
        lay.addWidget(self.timeline_label)
        lay.addWidget(self.timeline, 1)
        self.retranslate()

    # ---------------------------------------------------------------- loading
    def show_household(self, hid: str, then: Callable[[], None] | None = None, *, reveal: bool = False) -> None:
        """Read the household, its members (phones, categories) and timeline on the lane, then show them.

        ID numbers, phones and the address arrive masked from the core unless ``reveal`` (the core
        enters the reveal into the audit log)."""
        self._generation += 1
        generation = self._generation
        store = self.store

        def done(data: dict[str, Any]) -> None:
            if generation != self._generation:
                return   # another household was asked for meanwhile
            self.revealed = bool(data.get("revealed"))
            self.reveal_btn.blockSignals(True)
            self.reveal_btn.setChecked(self.revealed)
            self.reveal_btn.blockSignals(False)
            self.reveal_btn.setText(self.tr("Hide") if self.revealed else self.tr("Reveal"))
            self.household = data["household"]
            self.members = data["members"]
            self.details = data
            self._fill()
            self.loaded.emit()
            if then is not None:
                then()

        def failed(exc: Exception) -> None:
            if generation != self._generation:
                return
            if isinstance(exc, NotFoundError):   # deleted meanwhile (a sync): back to the list
                self.household = None
                self.back.emit()
            else:
                log.error("loading household %s failed", hid, exc_info=exc)

        self.lane.query(lambda: browse.household_profile(store, hid, reveal=reveal), done, failed, owner=self,
                        name="profile")
        self.rights.refresh()

    def reload(self) -> None:
        if self.household:
            self.show_household(self.household["id"])

    def _fill(self) -> None:
        h = self.household
        if h is None:
            return
        d = self.details
        self.title.setText(i18n.pick(f"{h['head_name']}户", h["head_name"]))
        self.place.setText(f"{d['area_path']} · {h.get('group_name') or ''}")
        while self.fields.rowCount():
            self.fields.removeRow(0)
        rt = record_type("household")
        cats = d["categories"]
        for name in ("address", "status", "housing_type", "housing_safety", "income_band", "gov_contact", "notes"):
            spec = rt.field(name)
            value = h.get(name)
            text = self.labels.get(spec.vocab or "", value) if spec.kind is Kind.VOCAB else (value or "")
            if text:
                self.fields.addRow(i18n.pick(spec.zh, spec.en) + i18n.colon(), QLabel(str(text)))
        if cats:
            self.fields.addRow(i18n.pick("户类别", "Categories") + i18n.colon(),
                               QLabel(i18n.join_list(self.labels.get("vulnerable_category", c) for c in cats)))
        self._fill_members()
        self._fill_timeline()

    def _fill_members(self) -> None:
        t = self.members_table
        t.clearSelection()
        self.rights.set_member(None)
        t.setRowCount(len(self.members))
        today = self.store.today or date.today()
        for r, m in enumerate(self.members):
            birth = m.get("birth_date")
            age = ""
            if birth and len(birth) == 10 and birth[4] == "-":
                age = str(age_on(date.fromisoformat(birth), today))
            number = m.get("id_number") or ""      # masked by the core unless revealed
            phones = self.details["phones"].get(m["id"], [])
            phone_text = i18n.pick("，", ", ").join(format_phone_local(p["number"]) if self.revealed else p["number"]
                                                   for p in phones)
            cats = self.details["member_categories"].get(m["id"], [])
            values = [m["name"], self.labels.get("sex", m.get("sex")), age,
                      self.labels.get("relation_to_head", m.get("relation")), number, phone_text,
                      i18n.join_list(self.labels.get("vulnerable_category", c) for c in cats)]
            for c, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, m["id"])
                t.setItem(r, c, item)
        t.resizeColumnsToContents()
        # As tall as its rows (up to a limit), so the timeline below gets the rest.
        rows_h = sum(t.rowHeight(r) for r in range(t.rowCount()))
        t.setFixedHeight(min(300, t.horizontalHeader().height() + rows_h + 2 * t.frameWidth() + 2))

    def _fill_timeline(self) -> None:
        self.timeline.clear()
        assert self.household is not None
        for ev in self.details["timeline"]:
            kind = REGISTRY[ev["type"]]
            if ev["type"] == "visit":
                risk = self.labels.get("risk_level", ev.get("risk_level"))
                text = f"{ev['date']}  {self.labels.get('visit_type', ev.get('visit_type'))}"
                if risk:
                    text += f"  · {i18n.pick('风险', 'risk')}{i18n.colon()}{risk}"
                if ev.get("purpose"):
                    text += f"  · {ev['purpose']}"
            else:
                text = f"{ev['date'] or ''}  [{i18n.pick(kind.zh, kind.en)}]  {ev.get('title') or ''}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, (ev["type"], ev["id"]))
            self.timeline.addItem(item)
        if not self.timeline.count():
            item = QListWidgetItem(self.tr("Nothing recorded for this household yet."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.timeline.addItem(item)

    # ---------------------------------------------------------------- actions
    def _reveal(self, on: bool) -> None:
        """Show (audited by the core) or hide again the ID numbers, phones and address."""
        if self.household:
            # Who looked is worth knowing; the value itself never goes to the log.
            if on:
                log.info("reveal: ID numbers, phones and address of household %s", self.household["id"])
            self.show_household(self.household["id"], reveal=on)

    def _saved(self, _dlg: QDialog) -> None:
        self.reload()
        self.changed.emit()

    def _edit(self) -> None:
        if self.household:
            store, lane, hid = self.store, self.lane, self.household["id"]
            prepare_dialog(lane, lambda: household_dialog_data(store, hid),
                           lambda d: HouseholdDialog(store, lane, d, self), owner=self, on_accept=self._saved)

    def _consents(self) -> None:
        if self.household:
            dlg = ConsentList(self.store, self.lane, self.household["id"], self)
            dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.open_dialog = dlg      # the dialog that opened, for callers and tests
            dlg.open()

    def _add_member(self) -> None:
        if self.household:
            self._member_dialog(None)

    def _edit_member(self, row: int) -> None:
        if self.household and 0 <= row < len(self.members):
            self._member_dialog(self.members[row]["id"])

    def _member_dialog(self, mid: str | None) -> None:
        assert self.household is not None
        store, lane, hid = self.store, self.lane, self.household["id"]
        prepare_dialog(lane, lambda: member_dialog_data(store, mid),
                       lambda d: MemberDialog(store, lane, hid, d, self), owner=self, on_accept=self._saved)

    def _member_selected(self) -> None:
        rows = {i.row() for i in self.members_table.selectedIndexes()}
        row = min(rows) if rows else -1
        self.rights.set_member(self.members[row] if 0 <= row < len(self.members) else None)

    def _member_context_menu(self, pos: QPoint) -> None:
        row = self.members_table.rowAt(pos.y())
        if row < 0:
            return
        self.members_table.selectRow(row)
        self.member_menu.popup(self.members_table.viewport().mapToGlobal(pos))

    def _anonymised(self, _member_id: str) -> None:
        self.reload()
        self.changed.emit()
        self.anonymised.emit()

    def _open_item(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data and data[0] == "visit":
            self.open_visit.emit(data[1])

    def retranslate(self) -> None:
        self.back_btn.setText(self.tr("← Back"))
        self.edit_btn.setText(self.tr("Edit"))
        self.consent_btn.setText(self.tr("Consent…"))
        self.visit_btn.setText(self.tr("New visit"))
        self.add_member_btn.setText(self.tr("Add member"))
        self.reveal_btn.setText(self.tr("Hide") if self.revealed else self.tr("Reveal"))
        self.members_label.setText(self.tr("Members"))
        self.rights.retranslate()
        self.timeline_label.setText(self.tr("Timeline"))
        self.members_table.setHorizontalHeaderLabels([
            self.tr("Name"), self.tr("Sex"), self.tr("Age"), self.tr("Relation"), self.tr("ID number"),
            self.tr("Phone"), self.tr("Categories")])
        self._fill()


class HouseholdsPage(QStackedWidget):
    """The list, and the profile of the household opened from it."""

    new_visit = Signal(str)
    open_visit = Signal(str)
    data_changed = Signal()

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.list = HouseholdList(store, lane)
        self.profile = HouseholdProfile(store, lane)
        self.addWidget(self.list)
        self.addWidget(self.profile)
        self.list.open_household.connect(self.open_household)
        self.list.new_household.connect(self.new_household)
        self.profile.back.connect(lambda: self.setCurrentWidget(self.list))
        self.profile.new_visit.connect(self.new_visit)
        self.profile.open_visit.connect(self.open_visit)
        self.profile.changed.connect(self._changed)

    def load(self) -> None:
        self.list.load()

    def open_household(self, hid: str) -> None:
        """The profile shows once its data has arrived from the lane."""
        self.profile.show_household(hid, lambda: self.setCurrentWidget(self.profile))

    def new_household(self) -> None:
        store, lane = self.store, self.lane

        def saved(dlg: QDialog) -> None:
            hid = getattr(dlg, "saved_id", None)
            self._changed()
            if hid:
                self.open_household(hid)

        prepare_dialog(lane, lambda: household_dialog_data(store, None),
                       lambda d: HouseholdDialog(store, lane, d, self), owner=self, on_accept=saved)

    def _changed(self) -> None:
        self.list.load()
        self.data_changed.emit()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.list.retranslate()
            self.profile.retranslate()
        super().changeEvent(event)
