"""Cultural activities (文化活动): the filtered list and the full form with its sign-in list.

The sign-in list takes residents found by name, or a whole household at once; the people
nobody wrote down are counted by sex and by age band. Under the list the core adds it all up
(``core.community.attendance_summary``) and says, as you type, whether the sums match the
headcount; the save is refused by the core's rules when they do not.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import community
from ..core.community import AGE_BANDS, BAND_FIELDS, BREAKDOWN_FIELDS, ActivityFilter, AttendanceSummary
from ..core.store.links import LinkRowError
from ..core.store.store import Store
from . import i18n
from .dialogs import CheckList, EditDialog, area_choices, prepare_dialog
from .forms import ERROR_STYLE, WARNING_STYLE, ChoiceBox, DateEdit, vocab_choices
from .list_page import ListPage
from .models import FilteredModel, Labels
from .visits import ChildRows, HouseholdPicker
from .worker import DbLane

log = logging.getLogger(__name__)

OK_STYLE = "color: #1e6b2e;"
SEX_LABELS = {"1": ("男", "M"), "2": ("女", "F")}


class ActivityModel(FilteredModel[ActivityFilter]):
    COLUMNS = (
        ("activity_date", "日期", "Date"),
        ("title", "活动名称", "Title"),
        ("category", "类别", "Category"),
        ("series", "系列/期次", "Series"),
        ("village", "村", "Village"),
        ("actual_count", "人数", "People"),
        ("signed_in", "签到", "Signed in"),
        ("venue", "地点", "Venue"),
    )
    SORTS: ClassVar[dict[str, str]] = {"activity_date": "date", "title": "title", "category": "category",
                                        "series": "series", "village": "village", "actual_count": "count"}

    def __init__(self, store: Store, lane: DbLane) -> None:
        super().__init__(store, lane, ActivityFilter())
        self.activity_index: community.ActivityIndex | None = None
        self.sort_desc = True
        self.labels = Labels(store, ["activity_category"])

    def default_sort(self) -> str:
        return "date"

    def invalidate(self) -> None:
        """Activities were added, changed or synced: the in-memory index is read again on the next refresh."""
        self.activity_index = None

    def query_ids(self) -> list[str]:
        index = self.activity_index
        if index is None:
            index = self.activity_index = community.ActivityIndex.load(self.store)
        return index.ids(self.filter)

    def query_rows(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        index = self.activity_index
        return index.page(ids) if index is not None else community.activity_rows(self.store, ids)

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "category":
            return self.labels.get("activity_category", row.get("category"))
        if key == "series":
            series = row.get("series") or ""
            n = row.get("session_no")
            return f"{series} · {i18n.pick(f'第{n}期', f'no. {n}')}" if series and n else series
        if key == "signed_in":
            return str(row["signed_in"]) if row.get("signed_in") else ""
        return super().display(row, key)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid() \
                and self.COLUMNS[index.column()][0] in ("actual_count", "signed_in"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)


def activity_dialog_data(store: Store, aid: str | None) -> dict[str, Any]:
    """What the activity dialog starts with (runs on the lane)."""
    existing = store.require("activity", aid) if aid else None
    return {
        "existing": existing, "areas": area_choices(store),
        "attendees": community.attendee_rows(store, aid) if aid else [],
        "organisers": store.children("activity_organiser", aid) if aid else [],
        "targets": [t["target_group"] for t in store.children("activity_target_group", aid)] if aid else [],
    }


class AttendancePicker(QGroupBox):
    """The sign-in list: residents by name or whole households, plus the unregistered, counted."""

    changed = Signal()
    searched = Signal()

    def __init__(self, store: Store, lane: DbLane, labels: Labels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.labels = labels
        self.rows: list[dict[str, Any]] = []
        self.activity_date: str | None = None
        self._generation = 0
        self.search = QLineEdit()
        self.search.setObjectName("resident_search")
        self.search.setClearButtonEnabled(True)
        self.search.textEdited.connect(self._search)
        self.results = QListWidget()
        self.results.setObjectName("resident_results")
        self.results.setMaximumHeight(100)
        self.results.setVisible(False)
        self.results.itemActivated.connect(self._add_hit)
        self.results.itemClicked.connect(self._add_hit)
        self.household = HouseholdPicker(store, lane)
        self.household.setObjectName("attendance_household")
        self.household.chosen.connect(self.add_household)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("attendees")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(130)
        self.remove_btn = QPushButton()
        self.remove_btn.setObjectName("remove_attendee")
        self.remove_btn.clicked.connect(self._remove)
        self.signed_label = QLabel()
        self.others_box = QGroupBox()
        self.others: dict[str, QSpinBox] = {}
        self.other_labels: dict[str, QLabel] = {}
        grid = QGridLayout(self.others_box)
        self.sex_caption = QLabel()
        self.age_caption = QLabel()
        grid.addWidget(self.sex_caption, 0, 0)
        grid.addWidget(self.age_caption, 1, 0)
        for col, name in enumerate(("male", "female"), start=1):
            self._spin(grid, name, 0, col)
        for col, band in enumerate(AGE_BANDS, start=1):
            self._spin(grid, BAND_FIELDS[band], 1, col)
        self.summary = QLabel()
        self.summary.setObjectName("attendance_summary")
        self.summary.setWordWrap(True)
        self.use_total = QPushButton()
        self.use_total.setObjectName("use_total")
        self.search_label = QLabel()
        self.household_label = QLabel()
        find = QGridLayout()
        find.addWidget(self.search_label, 0, 0)
        find.addWidget(self.search, 0, 1)
        find.addWidget(self.results, 1, 1)
        find.addWidget(self.household_label, 2, 0)
        find.addWidget(self.household, 2, 1)
        under = QHBoxLayout()
        under.addWidget(self.signed_label, 1)
        under.addWidget(self.remove_btn)
        foot = QHBoxLayout()
        foot.addWidget(self.summary, 1)
        foot.addWidget(self.use_total, 0, Qt.AlignmentFlag.AlignTop)
        lay = QVBoxLayout(self)
        lay.addLayout(find)
        lay.addWidget(self.table, 1)
        lay.addLayout(under)
        lay.addWidget(self.others_box)
        lay.addLayout(foot)
        self.retranslate()

    def _spin(self, grid: QGridLayout, name: str, row: int, col: int) -> None:
        spin = QSpinBox()
        spin.setRange(0, 100000)
        spin.setObjectName(f"others_{name}")
        spin.valueChanged.connect(lambda _v: self.changed.emit())
        label = QLabel()
        cell = QHBoxLayout()
        cell.addWidget(label)
        cell.addWidget(spin, 1)
        grid.addLayout(cell, row, col)
        self.others[name] = spin
        self.other_labels[name] = label

    # ---------------------------------------------------------------- contents
    def load(self, rows: list[dict[str, Any]], others: dict[str, int]) -> None:
        self.rows = [dict(r) for r in rows]
        for name, spin in self.others.items():
            spin.blockSignals(True)
            spin.setValue(int(others.get(name) or 0))
            spin.blockSignals(False)
        self._fill()

    def others_counts(self) -> dict[str, int]:
        return {name: spin.value() for name, spin in self.others.items()}

    def add(self, rows: list[dict[str, Any]]) -> int:
        """Add residents not yet on the list; returns how many were new."""
        have = {r.get("member_id") for r in self.rows if r.get("member_id")}
        new = [dict(r) for r in rows if r.get("member_id") and r["member_id"] not in have]
        self.rows += new
        self._fill()
        return len(new)

    def link_rows(self) -> list[dict[str, Any]]:
        keep = {"id", "member_id", "name_text", "group_name", "role", "age_band", "sign_method"}
        return [{k: v for k, v in r.items() if k in keep and (k != "id" or v)} for r in self.rows]

    def _remove(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.rows.pop(row)
            self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            if row.get("member_id"):
                name = row.get("member_name") or "?"
                sex = i18n.pick(*SEX_LABELS[row["sex"]]) if row.get("sex") in SEX_LABELS else ""
                band = community.age_band(row.get("birth_date"), self.activity_date) or ""
            else:
                name = f"{row.get('name_text') or '?'}{i18n.pick('（非登记）', ' (walk-in)')}"
                sex, band = "", row.get("age_band") or ""
            values = [name, sex, self.labels.get("age_band", band), row.get("group_name") or "",
                      self.labels.get("attendance_role", row.get("role"))]
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))
        residents = sum(1 for r in self.rows if r.get("member_id"))
        self.signed_label.setText(self.tr("%n resident(s) signed in", "", residents)
                                  + (self.tr(", %n walk-in(s)", "", len(self.rows) - residents)
                                     if len(self.rows) > residents else ""))
        self.changed.emit()

    def set_date(self, iso: str | None) -> None:
        if iso != self.activity_date:
            self.activity_date = iso
            self._fill()   # ages are counted on the activity's day

    def show_summary(self, s: AttendanceSummary) -> None:
        """The sums under the list: green when they match the headcount, red or amber when not."""
        lang = i18n.current()
        if not s.residents and not s.others_by_sex and not s.others_by_age:
            text = self.tr("Head count only: nobody signed in by name and no breakdown.")
            style = ""
        else:
            text = self.tr("Signed in %1 + unregistered %2 = %3 by sex, %4 by age band; actual count %5.") \
                .replace("%1", str(s.residents)).replace("%2", str(s.others_by_sex)) \
                .replace("%3", str(s.total_by_sex)).replace("%4", str(s.total_by_age)) \
                .replace("%5", "—" if s.headcount is None else str(s.headcount))
            if s.problems:
                text += "\n" + "\n".join(p.message(lang) for p in sorted(s.problems, key=lambda p: not p.is_error))
            style = ERROR_STYLE if not s.ok else WARNING_STYLE if s.problems else OK_STYLE
            if s.ok and not s.problems:
                text += i18n.pick("", " ") + self.tr("The sums match.")
        self.summary.setText(text)
        self.summary.setStyleSheet(style)
        self.summary.setProperty("ok", s.ok)
        self.use_total.setVisible(s.total_by_sex > 0 and s.total_by_sex == s.total_by_age
                                  and s.headcount != s.total_by_sex)

    # ---------------------------------------------------------------- finding people
    def _search(self, text: str) -> None:
        self._generation += 1
        generation = self._generation
        store = self.store

        def show(hits: list[dict[str, Any]]) -> None:
            if generation != self._generation:
                return
            self.results.clear()
            for hit in hits:
                group = f" · {hit['group_name']}" if hit.get("group_name") else ""
                item = QListWidgetItem(f"{hit['member_name']}{group}")
                item.setData(Qt.ItemDataRole.UserRole, hit)
                self.results.addItem(item)
            self.results.setVisible(self.results.count() > 0)
            self.searched.emit()

        if not text.strip():
            self.results.clear()
            self.results.setVisible(False)
            return
        self.lane.query(lambda: community.resident_hits(store, text), show, owner=self, name="search")

    def _add_hit(self, item: QListWidgetItem) -> None:
        self.add([item.data(Qt.ItemDataRole.UserRole)])
        self._generation += 1
        self.search.clear()
        self.results.clear()
        self.results.setVisible(False)

    def add_household(self, hid: str) -> None:
        """Every member of the chosen household joins the list (read on the lane)."""
        store = self.store

        def arrived(rows: list[dict[str, Any]]) -> None:
            self.add(rows)
            self.household.set_household(None, "")

        self.lane.query(lambda: community.household_attendees(store, hid), arrived, owner=self, name="household")

    def retranslate(self) -> None:
        self.setTitle(self.tr("Attendance"))
        self.search_label.setText(self.tr("Resident"))
        self.household_label.setText(self.tr("Whole household"))
        self.search.setPlaceholderText(self.tr("Type a name to add a resident"))
        self.household.edit.setPlaceholderText(self.tr("Type the head's name to add the whole household"))
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Sex"), self.tr("Age band"),
                                              self.tr("Group"), self.tr("Role")])
        self.remove_btn.setText(self.tr("Remove"))
        self.others_box.setTitle(self.tr("Unregistered attendees (not signed in by name)"))
        self.sex_caption.setText(self.tr("By sex"))
        self.age_caption.setText(self.tr("By age band"))
        names = {"male": ("男", "Men"), "female": ("女", "Women"), "under14": ("14岁以下", "Under 14"),
                 "age14_17": ("14–17岁", "14–17"), "age18_59": ("18–59岁", "18–59"),
                 "age60plus": ("60岁及以上", "60+")}
        for name, label in self.other_labels.items():
            label.setText(i18n.pick(*names[name]))
        self.use_total.setText(self.tr("Use as actual count"))
        self._fill()


class ActivityDialog(EditDialog):
    """The full activity form: every field of the core's record, organisers, target groups, sign-in."""

    rtype = "activity"

    def __init__(self, store: Store, lane: DbLane, data: dict[str, Any], parent: QWidget | None = None) -> None:
        existing = data["existing"]
        super().__init__(store, lane, existing, parent, choices={"area_id": data["areas"]}, skip=BREAKDOWN_FIELDS)
        self.labels = Labels(store, ["age_band", "attendance_role"])
        self.attendance = AttendancePicker(store, lane, self.labels)
        self.organisers = ChildRows(store, lane, "activity_organiser", self.labels)
        self.targets_box = QGroupBox()
        self.targets = CheckList(vocab_choices(store, "target_group"))
        self.targets.setObjectName("target_groups")
        self.targets.setMaximumHeight(110)
        QVBoxLayout(self.targets_box).addWidget(self.targets)
        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.addWidget(self.attendance, 1)
        side_lay.addWidget(self.organisers)
        side_lay.addWidget(self.targets_box)
        side_scroll = QScrollArea()
        side_scroll.setWidgetResizable(True)
        side_scroll.setWidget(side)
        self.columns.addWidget(side_scroll, 4)
        others: dict[str, int] = {}
        if existing:
            tally = community.resident_tally(data["attendees"], existing.get("activity_date"))
            others = community.others_from_stored(existing, tally)
            self.organisers.load(data["organisers"])
            self.targets.set_checked(data["targets"])
        else:
            self.form.set_today("activity_date")
            if store.user and "author" in self.form.rows:
                self.form.rows["author"].set_value(store.user)
            if store.user:
                self.organisers.load([{"name": store.user, "org": "乐和社工站", "role": "主办"}])
        date_row = self.form.rows["activity_date"].editor
        assert isinstance(date_row, DateEdit)
        self.attendance.set_date(date_row.text() or None)
        self.attendance.load(data["attendees"], others)
        date_row.line.textChanged.connect(lambda t: self.attendance.set_date(t.strip() or None))
        count = self.form.rows["actual_count"].editor
        assert isinstance(count, QLineEdit)
        count.textChanged.connect(lambda _t: self.update_summary())
        self.attendance.changed.connect(self.update_summary)
        self.attendance.use_total.clicked.connect(self._use_total)
        self.resize(1300, 740)
        self.retranslate()
        self.update_summary()
        self.mark_clean()

    def summary(self) -> AttendanceSummary:
        return community.attendance_summary(self.attendance.rows, self.attendance.others_counts(),
                                            self.attendance.activity_date, self.form.values().get("actual_count"))

    def update_summary(self) -> None:
        self.attendance.show_summary(self.summary())

    def _use_total(self) -> None:
        s = self.summary()
        self.form.rows["actual_count"].set_value(s.total_by_sex)
        self._touch("actual_count")

    def values(self) -> dict[str, Any]:
        values = self.form.values()
        s = community.attendance_summary(self.attendance.rows, self.attendance.others_counts(),
                                         values.get("activity_date"), values.get("actual_count"))
        return {**values, **s.values}

    def links(self) -> dict[str, list[dict[str, Any]]]:
        return {"activity_attendance": self.attendance.link_rows(),
                "activity_organiser": self.organisers.link_rows(),
                "activity_target_group": [{"target_group": c} for c in self.targets.checked()]}

    def before_save(self) -> None:
        self.organisers.problem.setVisible(False)

    def draft_data(self) -> dict[str, Any]:
        # The sign-in rows as shown (names, groups), not only as saved: they come back as they were.
        return {**super().draft_data(), "attendance": self.attendance.rows, "others": self.attendance.others_counts()}

    def apply_draft(self, data: dict[str, Any], links: dict[str, Any]) -> None:
        if isinstance(data.get("attendance"), list):
            self.attendance.load(data["attendance"], data.get("others") or {})
        self.organisers.load(links.get("activity_organiser", []))
        self.targets.set_checked([r.get("target_group") for r in links.get("activity_target_group", [])])
        self.update_summary()

    def show_link_problem(self, exc: LinkRowError) -> None:
        if exc.rtype == "activity_organiser":
            self.organisers.show_problem(exc)

    def delete_question(self) -> str:
        return self.tr("Delete this activity with its sign-in list? It disappears from every list on this laptop "
                       "and, after the next sync, on the others.")

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Edit activity") if self.existing else self.tr("New activity"))
        self.targets_box.setTitle(self.tr("Target groups"))
        self.targets.relabel()


class ActivitiesPage(ListPage):
    """All activities, filtered by village, dates, category and series."""

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, ActivityModel(store, lane), name="activity", table="activities_table",
                         widths=(96, 210, 250, 130, 70, 60, 70), sort=(0, Qt.SortOrder.DescendingOrder),
                         parent=parent)
        self.date_from = DateEdit()
        self.date_to = DateEdit()
        self.category = ChoiceBox(vocab_choices(store, "activity_category"))
        self.category.setObjectName("activity_category_filter")
        self.series = ChoiceBox([])
        self.series.setObjectName("activity_series_filter")
        self.new_btn = self.button("new_activity", lambda: self.open_activity(None))
        self.watch(self.date_from, self.date_to, self.category, self.series)
        self.arrange([2, self.text, 1, self.village, self.count, self.new_btn],
                     [self.label("from"), 1, self.date_from, self.label("to"), 1, self.date_to,
                      self.label("category"), 1, self.category, self.label("series"), 1, self.series])

    def load(self) -> None:
        store = self.store
        self.lane.query(lambda: (community.activity_areas(store), community.activity_series(store)),
                        self._fill_boxes, owner=self, name="activity filters")
        self.model.invalidate()
        self.model.refresh()

    def _fill_boxes(self, found: tuple[list[dict[str, Any]], list[str]]) -> None:
        villages, series = found
        self.fill_villages(villages)
        self.fill_box(self.series, [(s, s, s) for s in series])

    def current_filter(self) -> ActivityFilter:
        return ActivityFilter(text=self.text.text(), area_id=self.village.code(),
                              date_from=self.date_from.text() or None, date_to=self.date_to.text() or None,
                              category=self.category.code(), series=self.series.code())

    def count_text(self, n: int) -> str:
        return self.tr("%n activity(ies)", "", n)

    def open_record(self, rid: str) -> None:
        self.open_activity(rid)

    def open_activity(self, aid: str | None) -> None:
        """The activity and its lists are read on the lane; the dialog opens when they arrive."""
        store, lane = self.store, self.lane
        prepare_dialog(lane, lambda: activity_dialog_data(store, aid),
                       lambda d: ActivityDialog(store, lane, d, self), owner=self, on_accept=self._saved)

    def _saved(self, _dlg: QDialog) -> None:
        self.load()
        self.data_changed.emit()

    def retranslate(self) -> None:
        self.text.setPlaceholderText(self.tr("Filter by title, series or venue"))
        self.category.empty_text = self.tr("All categories")
        self.series.empty_text = self.tr("All series")
        for box in (self.category, self.series):
            box.relabel()
        self.labels["category"].setText(self.tr("Category"))
        self.labels["series"].setText(self.tr("Series"))
        self.new_btn.setText(self.tr("New activity"))
        super().retranslate()
