"""Co-governance meetings (共治会议): the list and the full form.

The form holds the meeting's fields with its attendance ratio and quorum verdict shown as you
type (domain.md §2.2, §7.6: a warning, never a block), the participants with organisation,
post and role, and the agenda items, each with discussion, votes and decision. From a saved
agenda item one click raises a 三事分流 matter or a 督办 task, created by the core linked to
the item (``core.community.raise_matter`` / ``raise_task``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import community
from ..core.community import MeetingFilter
from ..core.records.meetings import quorum_met
from ..core.records.schema import record_type
from ..core.store.links import LinkRowError
from ..core.store.store import SaveResult, Store
from . import i18n
from .dialogs import EditDialog, RecordDialog, area_choices, prepare_dialog
from .forms import ERROR_STYLE, WARNING_STYLE, ChoiceBox, DateEdit, vocab_choices
from .list_page import ListPage
from .models import FilteredModel, Labels
from .printing import document_builder, preview_on_lane
from .visits import ChildDialog, ChildRows
from .worker import DbLane

log = logging.getLogger(__name__)

OK_STYLE = "color: #1e6b2e;"


class MeetingModel(FilteredModel[MeetingFilter]):
    COLUMNS = (
        ("meeting_date", "日期", "Date"),
        ("meeting_type", "会议类型", "Type"),
        ("title", "会议名称", "Title"),
        ("village", "村", "Village"),
        ("attendance", "实到/应到", "Attended"),
        ("items", "议题", "Items"),
        ("status", "状态", "Status"),
        ("topics", "议题内容", "Topics"),
    )
    SORTS: ClassVar[dict[str, str]] = {"meeting_date": "date", "meeting_type": "type", "title": "title",
                                        "village": "village", "attendance": "attended", "status": "status"}

    def __init__(self, store: Store, lane: DbLane) -> None:
        super().__init__(store, lane, MeetingFilter())
        self.sort_desc = True
        self.labels = Labels(store, ["meeting_type", "meeting_status"])

    def default_sort(self) -> str:
        return "date"

    def query_ids(self) -> list[str]:
        return community.meeting_ids(self.store, self.filter)

    def query_rows(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return community.meeting_rows(self.store, ids)

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "meeting_type":
            return self.labels.get("meeting_type", row.get("meeting_type"))
        if key == "status":
            return self.labels.get("meeting_status", row.get("status"))
        if key == "attendance":
            if row.get("expected_count") is None:
                return ""
            text = f"{row.get('attended_count')}/{row.get('expected_count')}"
            met = quorum_met(row.get("meeting_type"), int(row["expected_count"] or 0), int(row["attended_count"] or 0))
            return text + (i18n.pick(" 未达法定人数", " below quorum") if met is False else "")
        return super().display(row, key)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.row() < len(self._rows) \
                and self.COLUMNS[index.column()][0] == "attendance":
            row = self._rows[index.row()]
            if row.get("expected_count") is not None and quorum_met(
                    row.get("meeting_type"), int(row["expected_count"] or 0), int(row["attended_count"] or 0)) is False:
                return QBrush(QColor("#8a5a00"))
        return super().data(index, role)


def meeting_dialog_data(store: Store, mid: str | None) -> dict[str, Any]:
    """What the meeting dialog starts with (runs on the lane)."""
    existing = store.require("meeting", mid) if mid else None
    items = store.children("agenda_item", mid) if mid else []
    items.sort(key=lambda i: (i.get("seq") or 0))
    return {
        "existing": existing, "areas": area_choices(store),
        "participants": [community.with_member(store, p) for p in store.children("meeting_participant", mid)]
        if mid else [],
        "items": items,
        "raised": community.raised_counts(store, [i["id"] for i in items]),
    }


class ParticipantRows(ChildRows):
    """Participants: name, organisation, post, role category and attendance."""

    def __init__(self, store: Store, lane: DbLane, labels: Labels, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, "meeting_participant", labels, parent)
        self.columns = [self.rt.field(n) for n in ("name", "org", "post", "role", "attendance")]
        self.table.setColumnCount(len(self.columns))
        self.table.setMaximumHeight(200)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.retranslate()

    def retranslate(self) -> None:
        super().retranslate()
        self.setTitle(self.tr("Participants"))

    def load(self, rows: list[dict[str, Any]]) -> None:
        linked = [(r["member_id"], r["member_name"], r["member_name"]) for r in rows
                  if r.get("member_id") and r.get("member_name")]
        self.choices["member_id"] = linked
        super().load(rows)

    def _fill(self) -> None:
        super()._fill()
        for r, row in enumerate(self.rows):
            if not row.get("name") and row.get("member_name"):
                self.table.setItem(r, 0, QTableWidgetItem(row["member_name"]))


class AgendaRows(ChildRows):
    """Agenda items with their votes and decision; from a saved one, raise a matter or a task."""

    raise_requested = Signal(str, str)    # "matter" | "task", agenda item id

    def __init__(self, store: Store, lane: DbLane, labels: Labels, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, "agenda_item", labels, parent)
        self.raised: dict[str, dict[str, int]] = {}
        self.columns = [self.rt.field(n) for n in ("seq", "topic", "sanshi_class", "votes_for", "votes_against",
                                                    "votes_abstain", "passed")]
        self.table.setColumnCount(len(self.columns) + 1)
        self.table.setMaximumHeight(220)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.matter_btn = QPushButton()
        self.matter_btn.setObjectName("raise_matter")
        self.matter_btn.clicked.connect(lambda: self._raise("matter"))
        self.task_btn = QPushButton()
        self.task_btn.setObjectName("raise_task")
        self.task_btn.clicked.connect(lambda: self._raise("task"))
        lay = self.layout()
        assert isinstance(lay, QVBoxLayout)
        more = QHBoxLayout()
        more.addWidget(self.matter_btn)
        more.addWidget(self.task_btn)
        more.addStretch(1)
        lay.addLayout(more)
        self.table.itemSelectionChanged.connect(self._enable)
        self.retranslate()
        self._enable()

    def edit(self, row: int | None) -> None:
        values = self.rows[row] if row is not None else {"seq": max((int(r.get("seq") or 0) for r in self.rows),
                                                                     default=0) + 1}
        dlg = ChildDialog(self.store, self.lane, self.rt, values, self.choices, self)
        dlg.resize(620, 640)
        if dlg.exec():
            new = {**values, **dlg.values()}
            if row is None:
                self.rows.append(new)
            else:
                self.rows[row] = new
            self._fill()

    def current_item_id(self) -> str | None:
        row = self.table.currentRow()
        return self.rows[row].get("id") if 0 <= row < len(self.rows) else None

    def _enable(self) -> None:
        saved = self.current_item_id() is not None
        self.matter_btn.setEnabled(saved)
        self.task_btn.setEnabled(saved)

    def _raise(self, kind: str) -> None:
        iid = self.current_item_id()
        if iid:
            self.raise_requested.emit(kind, iid)

    def _fill(self) -> None:
        super()._fill()
        for r, row in enumerate(self.rows):
            counts = getattr(self, "raised", {}).get(row.get("id") or "", {})
            parts = []
            if counts.get("matters"):
                parts.append(i18n.pick(f"事项 {counts['matters']}", f"{counts['matters']} matter(s)"))
            if counts.get("tasks"):
                parts.append(i18n.pick(f"任务 {counts['tasks']}", f"{counts['tasks']} task(s)"))
            self.table.setItem(r, len(self.columns), QTableWidgetItem(i18n.join_list(parts)))
        if hasattr(self, "matter_btn"):
            self._enable()

    def retranslate(self) -> None:
        super().retranslate()
        self.setTitle(self.tr("Agenda items"))
        if len(self.columns) < self.table.columnCount():
            self.table.setHorizontalHeaderLabels([i18n.pick(f.zh, f.en) for f in self.columns]
                                                 + [self.tr("Raised")])
        if hasattr(self, "matter_btn"):
            self.matter_btn.setText(self.tr("Raise matter…"))
            self.task_btn.setText(self.tr("Raise task…"))
            self.matter_btn.setToolTip(self.tr("Register a 三事分流 matter from this agenda item"))
            self.task_btn.setToolTip(self.tr("Assign a supervised task (督办) to carry out this item"))
        self._fill()


class RaiseDialog(RecordDialog):
    """A matter or task from an agenda item: prefilled by the core, created linked to the item."""

    skipped: tuple[str, ...] = ()

    def __init__(self, store: Store, lane: DbLane, item_id: str, data: dict[str, Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(store, lane, None, parent, choices={"area_id": data["areas"]}, skip=self.skipped)
        self.item_id = item_id
        self.form.set_values(data["defaults"])
        self.source = QLabel(data["source"])
        self.source.setWordWrap(True)
        self.source.setObjectName("raise_source")
        self.body.insertWidget(0, self.source)
        self.resize(620, 680)
        self.retranslate()

    def write(self, store: Store, values: dict[str, Any]) -> SaveResult:
        raise NotImplementedError

    def save(self) -> None:
        if self.save_job is not None:
            return
        self.status.clear()
        store, values, write = self.store, self.values(), self.write
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        def saved(result: SaveResult) -> None:
            self.save_job = None
            self.saved_id = result.id
            self.status.clear()
            self.accept()

        self.save_job = self.lane.query(lambda: write(store, values), saved, self._save_failed,
                                        owner=self, name="raise")


class RaiseMatterDialog(RaiseDialog):
    rtype = "matter"
    skipped = ("source_type", "source_visit_id", "source_agenda_item_id")

    def write(self, store: Store, values: dict[str, Any]) -> SaveResult:
        return community.raise_matter(store, self.item_id, values)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Raise a matter from the agenda item"))


class RaiseTaskDialog(RaiseDialog):
    rtype = "task"
    skipped = ("matter_id", "agenda_item_id")

    def write(self, store: Store, values: dict[str, Any]) -> SaveResult:
        return community.raise_task(store, self.item_id, values)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Assign a task from the agenda item"))


def raise_dialog_data(store: Store, kind: str, item_id: str) -> dict[str, Any]:
    """The prefilled values and the line naming the source item (runs on the lane)."""
    defaults = community.matter_defaults(store, item_id) if kind == "matter" else community.task_defaults(store, item_id)
    item = store.require("agenda_item", item_id)
    return {"defaults": defaults, "areas": area_choices(store),
            "source": store.title(record_type("agenda_item"), item)}


class MeetingDialog(EditDialog):
    """The full meeting form: fields, quorum, participants, agenda items (and what they raised)."""

    rtype = "meeting"
    raised = Signal(str, str)   # kind, new record id

    def __init__(self, store: Store, lane: DbLane, data: dict[str, Any], parent: QWidget | None = None) -> None:
        existing = data["existing"]
        super().__init__(store, lane, existing, parent, choices={"area_id": data["areas"]})
        self.labels = Labels(store, sorted({f.vocab for n in ("meeting_participant", "agenda_item")
                                            for f in record_type(n).fields if f.vocab}))
        self.quorum = QLabel()
        self.quorum.setObjectName("quorum")
        self.quorum.setWordWrap(True)
        self.count_btn = QPushButton()
        self.count_btn.setObjectName("count_participants")
        self.count_btn.clicked.connect(self.count_from_participants)
        qrow = QWidget()
        qlay = QHBoxLayout(qrow)
        qlay.setContentsMargins(0, 0, 0, 0)
        qlay.addWidget(self.quorum, 1)
        qlay.addWidget(self.count_btn, 0, Qt.AlignmentFlag.AlignTop)
        self._place_under(qrow, "attended_count")
        self.participants = ParticipantRows(store, lane, self.labels)
        self.agenda = AgendaRows(store, lane, self.labels)
        self.agenda.raise_requested.connect(self.raise_from_item)
        self.raise_dialog: RaiseDialog | None = None
        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.addWidget(self.participants)
        side_lay.addWidget(self.agenda)
        side_lay.addStretch(1)
        side_scroll = QScrollArea()
        side_scroll.setWidgetResizable(True)
        side_scroll.setWidget(side)
        self.columns.addWidget(side_scroll, 4)
        if existing:
            self.participants.load(data["participants"])
            self.agenda.raised = data["raised"]
            self.agenda.load(data["items"])
        else:
            self.form.set_today("meeting_date")
            if store.user and "recorder" in self.form.rows:
                self.form.rows["recorder"].set_value(store.user)
            self.form.rows["status"].set_value("draft")
        for name in ("expected_count", "attended_count"):
            editor = self.form.rows[name].editor
            assert isinstance(editor, QLineEdit)
            editor.textChanged.connect(lambda _t: self.update_quorum())
        mtype = self.form.rows["meeting_type"].editor
        assert isinstance(mtype, ChoiceBox)
        mtype.currentIndexChanged.connect(lambda _i: self.update_quorum())
        self.resize(1320, 740)
        self.retranslate()
        self.update_quorum()
        self.mark_clean()

    def _place_under(self, widget: QWidget, field: str) -> None:
        """A row of the form's own layout, right under ``field``'s editor."""
        outer = self.form.layout()
        item = outer.itemAt(outer.count() - 1) if outer is not None else None
        form = item.layout() if item is not None else None
        label = self.form.rows[field].label
        if isinstance(form, QFormLayout):
            for row in range(form.rowCount()):
                cell = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if cell is not None and cell.widget() is label:
                    form.insertRow(row + 1, "", widget)
                    return
        self.body.insertWidget(1, widget)

    def update_quorum(self) -> None:
        v = self.form.values()
        text, met = community.quorum_text(v.get("meeting_type"), v.get("expected_count"), v.get("attended_count"),
                                          i18n.current())
        self.quorum.setText(text)
        over = text and v.get("attended_count") and v.get("expected_count") and \
            str(v["attended_count"]).isdigit() and str(v["expected_count"]).isdigit() and \
            int(v["attended_count"]) > int(v["expected_count"])
        self.quorum.setStyleSheet(ERROR_STYLE if over else WARNING_STYLE if met is False else
                                  OK_STYLE if met else "")
        self.quorum.setProperty("met", met)

    def count_from_participants(self) -> None:
        """应到 / 实到 from the participant list (observers are neither)."""
        expected, attended = community.participant_counts(self.participants.rows)
        self.form.rows["expected_count"].set_value(expected)
        self.form.rows["attended_count"].set_value(attended)
        self._touch("attended_count")

    def links(self) -> dict[str, list[dict[str, Any]]]:
        return {"meeting_participant": self.participants.link_rows(), "agenda_item": self.agenda.link_rows()}

    def draft_data(self) -> dict[str, Any]:
        # The rows as shown (participants' member names too), not only as saved.
        return {**super().draft_data(), "participants": self.participants.rows, "agenda": self.agenda.rows}

    def apply_draft(self, data: dict[str, Any], links: dict[str, Any]) -> None:
        if isinstance(data.get("participants"), list):
            self.participants.load(data["participants"])
        if isinstance(data.get("agenda"), list):
            self.agenda.load(data["agenda"])
        self.update_quorum()

    def before_save(self) -> None:
        self.participants.problem.setVisible(False)
        self.agenda.problem.setVisible(False)

    def show_link_problem(self, exc: LinkRowError) -> None:
        box = {"meeting_participant": self.participants, "agenda_item": self.agenda}.get(exc.rtype)
        if box is not None:
            box.show_problem(exc)

    # ---------------------------------------------------------------- raising a matter or a task
    def raise_from_item(self, kind: str, item_id: str) -> None:
        """Open the matter or task form prefilled from the item; the core creates it linked."""
        store, lane = self.store, self.lane
        cls = RaiseMatterDialog if kind == "matter" else RaiseTaskDialog

        def make(d: dict[str, Any]) -> QDialog:
            dlg = cls(store, lane, item_id, d, self)
            self.raise_dialog = dlg
            return dlg

        def done(dlg: QDialog) -> None:
            rid = getattr(dlg, "saved_id", None)
            self._reload_raised()
            if rid:
                self.raised.emit(kind, rid)

        prepare_dialog(lane, lambda: raise_dialog_data(store, kind, item_id), make, owner=self, on_accept=done)

    def _reload_raised(self) -> None:
        store = self.store
        ids = [r["id"] for r in self.agenda.rows if r.get("id")]

        def arrived(counts: dict[str, dict[str, int]]) -> None:
            self.agenda.raised = counts
            self.agenda.refill()

        self.lane.query(lambda: community.raised_counts(store, ids), arrived, owner=self, name="raised")

    def delete_question(self) -> str:
        return self.tr("Delete this meeting with its participants and agenda items? Matters and tasks raised "
                       "from it are kept. It disappears from every list on this laptop and, after the next sync, "
                       "on the others.")

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Edit meeting") if self.existing else self.tr("New meeting"))
        self.count_btn.setText(self.tr("Count from participants"))
        if hasattr(self, "participants"):
            self.update_quorum()


class MeetingsPage(ListPage):
    """All meetings, filtered by village, dates and type."""

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, MeetingModel(store, lane), name="meeting", table="meetings_table",
                         widths=(96, 190, 170, 80, 110, 50, 70), sort=(0, Qt.SortOrder.DescendingOrder),
                         parent=parent)
        self.date_from = DateEdit()
        self.date_to = DateEdit()
        self.mtype = ChoiceBox(vocab_choices(store, "meeting_type"))
        self.mtype.setObjectName("meeting_type_filter")
        self.new_btn = self.button("new_meeting", lambda: self.open_meeting(None))
        self.print_btn = self.button("print_minutes", self.print_selected)
        self.print_preview: QDialog | None = None   # the last minutes preview that opened
        self.watch(self.date_from, self.date_to, self.mtype)
        self.arrange([2, self.text, 1, self.village, self.count, self.new_btn, self.print_btn],
                     [self.label("from"), 1, self.date_from, self.label("to"), 1, self.date_to,
                      self.label("type"), 1, self.mtype])

    def load(self) -> None:
        store = self.store
        self.lane.query(lambda: community.activity_areas(store), self.fill_villages, owner=self, name="villages")
        self.model.refresh()

    def current_filter(self) -> MeetingFilter:
        return MeetingFilter(text=self.text.text(), area_id=self.village.code(),
                             date_from=self.date_from.text() or None, date_to=self.date_to.text() or None,
                             meeting_type=self.mtype.code())

    def count_text(self, n: int) -> str:
        return self.tr("%n meeting(s)", "", n)

    def open_record(self, rid: str) -> None:
        self.open_meeting(rid)

    def print_selected(self) -> None:
        """会议纪要 of the selected meeting, in the print preview (print or save as PDF there)."""
        mid = self.selected_id()
        if not mid:
            QMessageBox.information(self, self.tr("Print minutes…"), self.tr("Choose a meeting in the list first."))
            return
        preview_on_lane(self, self.lane, document_builder(self.store, "minutes", mid),
                        opened=lambda dlg: setattr(self, "print_preview", dlg))

    def open_meeting(self, mid: str | None) -> None:
        store, lane = self.store, self.lane

        def make(d: dict[str, Any]) -> QDialog:
            dlg = MeetingDialog(store, lane, d, self)
            dlg.raised.connect(lambda _k, _i: self.data_changed.emit())
            return dlg

        prepare_dialog(lane, lambda: meeting_dialog_data(store, mid), make, owner=self, on_accept=self._saved)

    def _saved(self, _dlg: QDialog) -> None:
        self.load()
        self.data_changed.emit()

    def retranslate(self) -> None:
        self.text.setPlaceholderText(self.tr("Filter by title, venue, chair or topic"))
        self.mtype.empty_text = self.tr("All types")
        self.mtype.relabel()
        self.labels["type"].setText(self.tr("Type"))
        self.new_btn.setText(self.tr("New meeting"))
        self.print_btn.setText(self.tr("Print minutes…"))
        super().retranslate()

