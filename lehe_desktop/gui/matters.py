"""事项 Matters: the 三事分流 register — list, form, advancing a matter, check-back, public board.

The list filters 100,000 matters in memory on the lane (core/tracking.py ``MatterIndex``);
late matters are tinted. A matter's status changes only through 推进 Advance, which the core
checks against the allowed steps (``tracking.advance_matter``); the form shows the status but
does not edit it. The public board of a village opens in Qt's print preview.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, ClassVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core import tracking
from ..core.errors import LeheError, ValidationError
from ..core.prints import board_document
from ..core.records.schema import record_type
from ..core.store.bin import delete_with_dependents
from ..core.store.store import Store
from . import i18n
from .dialogs import EditDialog, area_choices, confirm_delete, prepare_dialog
from .forms import ERROR_STYLE, ChoiceBox, DateEdit, vocab_choices
from .list_page import ListPage
from .models import FilteredModel, Labels
from .printing import preview_on_lane
from .visits import HouseholdPicker, household_title
from .worker import DbLane

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
OVERDUE_BACKGROUND = QColor("#fbe3e1")
OVERDUE_TEXT = QColor("#b3261e")
# Set by the core's state steps (推进, 回访), shown but not edited in the form.
FLOW_FIELDS = ("status", "closed_on", "satisfaction")
SOURCE_FIELDS = ("source_type", "source_visit_id", "source_agenda_item_id")


class MatterModel(FilteredModel[tracking.MatterFilter]):
    COLUMNS = (
        ("raised_on", "登记日期", "Raised"),
        ("village", "村", "Village"),
        ("sanshi_class", "分类", "Class"),
        ("description", "事项", "Matter"),
        ("responsible", "责任主体 / 责任人", "Responsible"),
        ("due_date", "办理时限", "Due by"),
        ("status", "状态", "Status"),
        ("satisfaction", "回访满意度", "Check-back"),
    )
    SORTS: ClassVar[dict[str, str]] = {"raised_on": "raised", "sanshi_class": "class", "responsible": "body",
                                        "due_date": "due", "status": "status"}

    def __init__(self, store: Store, lane: DbLane) -> None:
        super().__init__(store, lane, tracking.MatterFilter(open_only=True))
        self.index_cache: tracking.MatterIndex | None = None
        self.labels = Labels(store, ["sanshi_class", "responsible_body", "matter_status", "matter_satisfaction"])

    def default_sort(self) -> str:
        return "due"

    def invalidate(self) -> None:
        """Matters were added or changed: the in-memory index is re-read on the next refresh."""
        self.index_cache = None

    def query_ids(self) -> list[str]:
        index = self.index_cache
        if index is None:
            index = self.index_cache = tracking.MatterIndex.load(self.store)
        return index.ids(self.store, self.filter)

    def query_rows(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return tracking.matter_rows(self.store, ids)

    def display(self, row: dict[str, Any], key: str) -> str:
        if key in ("sanshi_class", "status"):
            vocab = "matter_status" if key == "status" else key
            text = self.labels.get(vocab, row.get(key))
            if key == "status" and row.get("overdue") and row.get("status") != "overdue":
                text += i18n.pick("（逾期）", " (overdue)")
            return text
        if key == "satisfaction":
            return self.labels.get("matter_satisfaction", row.get("satisfaction"))
        if key == "responsible":
            body = self.labels.get("responsible_body", row.get("responsible_body"))
            return " / ".join(t for t in (body, row.get("responsible_person") or "") if t)
        if key == "description":
            return " ".join(str(row.get("description") or "").split())
        return super().display(row, key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.row() < len(self._rows) and self._rows[index.row()].get("overdue"):
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(OVERDUE_BACKGROUND)
            if role == Qt.ItemDataRole.ForegroundRole and self.COLUMNS[index.column()][0] in ("due_date", "status"):
                return QBrush(OVERDUE_TEXT)
        return super().data(index, role)


def linked_households(store: Store, link_type: str, owner_id: str | None) -> list[tuple[str, str]]:
    """(household id, title) of the households a matter or task is linked to (runs on the lane)."""
    if not owner_id:
        return []
    ids = [row["household_id"] for row in store.children(link_type, owner_id)]
    return [(hid, household_title(store, hid)) for hid in ids]


def matter_dialog_data(store: Store, mid: str | None) -> dict[str, Any]:
    """What the matter form starts with (runs on the lane)."""
    return {"existing": store.require("matter", mid) if mid else None, "areas": area_choices(store),
            "households": linked_households(store, "matter_household", mid)}


class HouseholdLinks(QGroupBox):
    """The households a matter or task concerns: find one by name to add it; remove the selected."""

    def __init__(self, store: Store, lane: DbLane, households: list[tuple[str, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = HouseholdPicker(store, lane)
        self.picker.chosen.connect(self._chosen)
        self.list = QListWidget()
        self.list.setObjectName("linked_households")
        self.list.setMaximumHeight(90)
        self.remove = QPushButton()
        self.remove.clicked.connect(self._remove)
        for hid, title in households:
            self.add(hid, title)
        lay = QVBoxLayout(self)
        lay.addWidget(self.picker)
        lay.addWidget(self.list)
        lay.addWidget(self.remove, 0, Qt.AlignmentFlag.AlignLeft)
        self.retranslate()

    def add(self, hid: str, title: str) -> None:
        if hid in self.ids():
            return
        item = QListWidgetItem(title)
        item.setData(Qt.ItemDataRole.UserRole, hid)
        self.list.addItem(item)

    def _chosen(self, hid: str) -> None:
        self.add(hid, self.picker.edit.text())
        self.picker.set_household(None, "")

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.list.takeItem(row)

    def ids(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def pairs(self) -> list[list[str]]:
        """(household id, title) as shown: what a draft keeps."""
        return [[self.list.item(i).data(Qt.ItemDataRole.UserRole), self.list.item(i).text()]
                for i in range(self.list.count())]

    def set_pairs(self, pairs: list[Any]) -> None:
        self.list.clear()
        for pair in pairs:
            if isinstance(pair, list | tuple) and len(pair) == 2:
                self.add(str(pair[0]), str(pair[1]))

    def retranslate(self) -> None:
        self.setTitle(self.tr("Households concerned"))
        self.picker.edit.setPlaceholderText(self.tr("Type the head's name to find the household"))
        self.remove.setText(self.tr("Remove"))


class MatterDialog(EditDialog):
    """Every field of a matter; the status and the closing fields come from 推进 and 回访."""

    rtype = "matter"

    def __init__(self, store: Store, lane: DbLane, data: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(store, lane, data["existing"], parent, choices={"area_id": data["areas"]},
                         skip=SOURCE_FIELDS)
        for name in FLOW_FIELDS:
            self.form.rows[name].editor.setEnabled(False)
        self.flow_hint = QLabel()
        self.flow_hint.setWordWrap(True)
        self.body.insertWidget(0, self.flow_hint)
        self.households = HouseholdLinks(store, lane, data["households"])
        self.body.addWidget(self.households)
        if not self.existing:
            self.form.set_today("raised_on")
            self.form.rows["status"].set_value("registered")
        self.retranslate()

    def links(self) -> dict[str, list[dict[str, Any]]]:
        return {"matter_household": [{"household_id": h} for h in self.households.ids()]}

    def draft_data(self) -> dict[str, Any]:
        return {**super().draft_data(), "households": self.households.pairs()}

    def apply_draft(self, data: dict[str, Any], links: dict[str, Any]) -> None:
        if isinstance(data.get("households"), list):
            self.households.set_pairs(data["households"])

    def values(self) -> dict[str, Any]:
        values = self.form.values()
        for name in FLOW_FIELDS:   # never written by the form (an edit keeps what the steps set)
            values.pop(name, None)
        if not self.existing:
            values["status"] = "registered"
        return values

    def retranslate(self) -> None:
        super().retranslate()   # the Delete… button's text
        self.setWindowTitle(self.tr("Edit matter") if self.existing else self.tr("New matter"))
        self.flow_hint.setText(self.tr("The status changes with “Advance…”; the check-back with “Check-back…”."))


class AdvanceDialog(QDialog):
    """推进: the next state (only the allowed ones), its date, the outcome and who handles it."""

    def __init__(self, store: Store, lane: DbLane, matter: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("advance_dialog")
        self.store = store
        self.lane = lane
        self.matter = matter
        self.labels = Labels(store, ["matter_status"])
        allowed = set(tracking.next_states(matter.get("status")))
        self.to = ChoiceBox([c for c in vocab_choices(store, "matter_status") if c[0] in allowed])
        self.to.setObjectName("advance_to")
        if self.to.count() > 1:
            self.to.setCurrentIndex(1)
        self.on = DateEdit()
        self.on.setText((store.today or date.today()).isoformat())
        self.outcome = QPlainTextEdit(str(matter.get("outcome") or ""))
        self.outcome.setObjectName("advance_outcome")
        self.outcome.setFixedHeight(70)
        self.body = ChoiceBox(vocab_choices(store, "responsible_body"))
        self.body.setObjectName("advance_body")
        self.body.set_code(matter.get("responsible_body"))
        self.person = QLineEdit(str(matter.get("responsible_person") or ""))
        self.problem = QLabel()
        self.problem.setObjectName("advance_problem")
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.current = QLabel()
        form = QFormLayout()
        self.rows: dict[str, QLabel] = {k: QLabel() for k in ("current", "to", "on", "outcome", "body", "person")}
        for key, w in (("current", self.current), ("to", self.to), ("on", self.on), ("outcome", self.outcome),
                       ("body", self.body), ("person", self.person)):
            form.addRow(self.rows[key], w)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.problem)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.resize(520, 320)
        self.retranslate()

    def submit(self) -> None:
        """The core checks the step on the lane; the dialog closes once it is saved."""
        to = self.to.code()
        if not to:
            return
        store, mid = self.store, self.matter["id"]
        on, outcome, body = self.on.text() or None, self.outcome.toPlainText(), self.body.code()
        person = self.person.text().strip() or None
        self.buttons.setEnabled(False)

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.problem.setText("\n".join(p.message(i18n.current()) for p in exc.problems if p.is_error))
            elif isinstance(exc, LeheError):
                self.problem.setText(exc.message(i18n.current()))
            else:
                log.error("advancing a matter failed", exc_info=exc)
                self.problem.setText(self.tr("Not saved: an unexpected error; the details are in the log."))

        self.lane.query(lambda: tracking.advance_matter(store, mid, to, on=on, outcome=outcome,
                                                        responsible_body=body, responsible_person=person),
                        lambda _r: self.accept(), failed, owner=self, name="advance")

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Advance the matter"))
        rt = record_type("matter")
        for key, text in (("current", self.tr("Now")), ("to", self.tr("Move to")), ("on", self.tr("Date")),
                          ("outcome", i18n.pick(rt.field("outcome").zh, rt.field("outcome").en)),
                          ("body", i18n.pick(rt.field("responsible_body").zh, rt.field("responsible_body").en)),
                          ("person", i18n.pick(rt.field("responsible_person").zh,
                                               rt.field("responsible_person").en))):
            self.rows[key].setText(text)
        self.current.setText(self.labels.get("matter_status", self.matter.get("status")))
        self.to.relabel()
        self.body.relabel()


class CheckBackDialog(QDialog):
    """回访: the satisfaction of a resolved matter, asked by phone or on a return visit."""

    def __init__(self, store: Store, lane: DbLane, matter: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("check_back_dialog")
        self.store = store
        self.lane = lane
        self.matter = matter
        self.choice = ChoiceBox(vocab_choices(store, "matter_satisfaction"))
        self.choice.setObjectName("satisfaction")
        self.choice.set_code(matter.get("satisfaction"))
        self.label = QLabel()
        self.problem = QLabel()
        self.problem.setStyleSheet(ERROR_STYLE)
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.label)
        lay.addWidget(self.choice)
        lay.addWidget(self.problem)
        lay.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Check-back"))
        self.label.setText(self.tr("How satisfied is the person who raised it (asked by phone or a return visit)?"))

    def submit(self) -> None:
        code = self.choice.code()
        if not code:
            return
        store, mid = self.store, self.matter["id"]

        def failed(exc: Exception) -> None:
            self.problem.setText(exc.message(i18n.current()) if isinstance(exc, LeheError) else str(exc))

        self.lane.query(lambda: tracking.record_satisfaction(store, mid, code), lambda _r: self.accept(), failed,
                        owner=self, name="check-back")


class MattersPage(ListPage):
    """The register: filters, the list (late matters tinted), and what can be done with a matter."""

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, MatterModel(store, lane), name="matter", table="matters_table",
                         widths=self._widths(), sort=(5, Qt.SortOrder.AscendingOrder), parent=parent)
        self.open_dialog: QDialog | None = None
        self.print_preview: QDialog | None = None   # the last board preview that opened
        self.sanshi = ChoiceBox([c for c in vocab_choices(store, "sanshi_class")
                                 if c[0] in ("major", "minor", "private")])
        self.sanshi.setObjectName("matter_class")
        self.status = ChoiceBox(vocab_choices(store, "matter_status"))
        self.status.setObjectName("matter_status_filter")
        self.open_only = QCheckBox()
        self.open_only.setObjectName("matter_open_only")
        self.open_only.setChecked(True)
        self.overdue = QCheckBox()
        self.overdue.setObjectName("matter_overdue_only")
        actions: tuple[tuple[str, Callable[[], None]], ...] = (
            ("new", self.new_matter), ("edit", self.edit_selected), ("advance", self.advance_selected),
            ("check_back", self.check_back_selected), ("delete", self.delete_selected), ("board", self.show_board))
        self.buttons = {key: self.button(f"matter_{key}", slot) for key, slot in actions}
        self.watch(self.sanshi, self.status, self.open_only, self.overdue)
        self.arrange([2, self.text, 1, self.village, self.label("class"), self.sanshi, self.label("status"),
                      self.status, self.open_only, self.overdue],
                     [self.count, None, *self.buttons.values()])

    # ---------------------------------------------------------------- list
    def load(self) -> None:
        store = self.store
        self.lane.query(lambda: tracking.matter_areas(store), self.fill_villages, owner=self, name="villages")
        self.model.invalidate()
        self.model.refresh()

    def current_filter(self) -> tracking.MatterFilter:
        return tracking.MatterFilter(text=self.text.text(), area_id=self.village.code(),
                                     sanshi_class=self.sanshi.code(), status=self.status.code(),
                                     open_only=self.open_only.isChecked(), overdue_only=self.overdue.isChecked())

    def count_text(self, n: int) -> str:
        return self.tr("%n matter(s)", "", n)

    def _need_selection(self) -> dict[str, Any] | None:
        return self.need_selection(self.tr("Matters"), self.tr("Choose a matter in the list first."))

    def open_record(self, rid: str) -> None:
        self.open_matter(rid)

    # ---------------------------------------------------------------- actions
    def new_matter(self) -> None:
        self._form(None)

    def edit_selected(self) -> None:
        row = self._need_selection()
        if row:
            self.open_matter(row["id"])

    def open_matter(self, mid: str) -> None:
        self._form(mid)

    def _form(self, mid: str | None) -> None:
        store, lane = self.store, self.lane
        prepare_dialog(lane, lambda: matter_dialog_data(store, mid), lambda d: MatterDialog(store, lane, d, self),
                       owner=self, on_accept=lambda _d: self.changed())

    def advance_selected(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        if not tracking.next_states(row.get("status")):
            return
        store, lane, mid = self.store, self.lane, row["id"]
        prepare_dialog(lane, lambda: store.require("matter", mid), lambda m: AdvanceDialog(store, lane, m, self),
                       owner=self, on_accept=lambda _d: self.changed())

    def check_back_selected(self) -> None:
        row = self._need_selection()
        if row is None:
            return
        if row.get("status") != "resolved":
            QMessageBox.information(self, self.tr("Check-back"),
                                    self.tr("Only a resolved matter can have its satisfaction checked."))
            return
        store, lane, mid = self.store, self.lane, row["id"]
        prepare_dialog(lane, lambda: store.require("matter", mid), lambda m: CheckBackDialog(store, lane, m, self),
                       owner=self, on_accept=lambda _d: self.changed())

    def delete_selected(self) -> None:
        row = self._need_selection()
        if row is None or not confirm_delete(self, self.model.display(row, "description")[:40]):
            return
        store, mid = self.store, row["id"]
        self.lane.query(lambda: delete_with_dependents(store, "matter", mid), lambda _r: self.changed(),
                        self._failed, owner=self, name="delete")

    def show_board(self) -> None:
        """The public board of the village chosen in the filter, in the print preview."""
        aid = self.village.code()
        if not aid:
            QMessageBox.information(self, self.tr("Public board"),
                                    self.tr("Choose a village in the filter first: the board is one village's."))
            return
        store, lang = self.store, i18n.current()
        preview_on_lane(self, self.lane, lambda: board_document(store, store.area_path(aid), lang),
                        opened=lambda dlg: setattr(self, "print_preview", dlg))

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, LeheError):
            QMessageBox.warning(self, self.tr("Matters"), exc.message(i18n.current()))
        else:
            log.error("a matters action failed", exc_info=exc)

    def changed(self) -> None:
        self.model.invalidate()
        self.model.refresh()
        self.data_changed.emit()

    # ---------------------------------------------------------------- texts
    @staticmethod
    def _widths() -> tuple[int, ...]:
        # English labels ("Government department", "In progress (overdue)") are longer.
        return (90, 70, 100, 260, 240, 90, 170) if i18n.current() == "en" else (90, 70, 55, 330, 170, 90, 130)

    def retranslate(self) -> None:
        for col, width in enumerate(self._widths()):
            self.table.horizontalHeader().resizeSection(col, width)
        self.text.setPlaceholderText(self.tr("Filter by description or responsible person"))
        self.sanshi.empty_text = self.tr("All")
        self.status.empty_text = self.tr("All")
        for box in (self.sanshi, self.status):
            box.relabel()
        self.labels["class"].setText(self.tr("Class"))
        self.labels["status"].setText(self.tr("Status"))
        self.open_only.setText(self.tr("Open only"))
        self.overdue.setText(self.tr("Overdue only"))
        for key, text in (("new", self.tr("New matter")), ("edit", self.tr("Edit")),
                          ("advance", self.tr("Advance…")), ("check_back", self.tr("Check-back…")),
                          ("delete", self.tr("Delete")), ("board", self.tr("Public board…"))):
            self.buttons[key].setText(text)
        super().retranslate()

