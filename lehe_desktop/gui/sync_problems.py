"""文件 → 同步问题: sync conflicts to settle and changes the server refused, for people, not the CLI.

A conflict shows the record, the field, the value every copy now shows and the other value
that was overwritten; "keep" or "use the other" resolves it through the core (a resolution is
a normal change that syncs). A refused change shows why the server refused it and can be
acknowledged (kept on this laptop as an audit trail, hidden from the list).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import LeheError
from ..core.exports import export_refused
from ..core.records.schema import Kind
from ..core.store.store import Store
from ..core.sync.conflicts import (
    count_rejected,
    describe_rejected,
    dismiss_rejected,
    field_label,
    list_conflicts,
    move_and_resend,
    my_areas,
    record_label,
    resolve_conflict,
)
from ..core.sync.merge import type_of
from . import i18n
from .worker import DbLane

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, str, str]   # key, zh header, en header


def _local_time(iso: str | None) -> str:
    """A stored UTC stamp (``…Z``) as this laptop's local time, to the minute."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def count_problems(store: Store) -> int:
    """Open conflicts plus refused changes not yet acknowledged (the status bar's number)."""
    return store.open_conflicts() + count_rejected(store)


def _value_text(store: Store, rtype: str, fname: str | None, value: Any) -> str:
    if value is None or value == "":
        return i18n.pick("（空）", "(empty)")
    if fname == "deleted":
        return i18n.pick("已删除", "deleted") if value else i18n.pick("未删除", "not deleted")
    rt = type_of(rtype)
    f = rt.field(fname) if rt is not None and fname and rt.has_field(fname) else None
    if f is not None and f.kind is Kind.BOOL:
        return i18n.pick("是", "yes") if value else i18n.pick("否", "no")
    if f is not None and f.vocab:
        return store.vocab_label(f.vocab, str(value), i18n.current())
    if f is not None and f.ref:
        ref = type_of(f.ref)
        target = store.get(ref.name, str(value), include_deleted=True) if ref is not None else None
        return store.title(ref, target) if ref is not None and target is not None else str(value)
    return str(value)


def _can_use_other(c: dict[str, Any]) -> bool:
    """Whether this app can put the overwritten value back (the core skips types and fields it does not
    know, yet still marks the conflict resolved: the button would promise what it cannot do)."""
    rt = type_of(c["type"])
    return rt is not None and (c["kind"] == "edit_after_delete" or bool(c["field"] and rt.has_field(c["field"])))


Problems = tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, str]]]


def problem_rows(store: Store, lang: str) -> Problems:
    """Both lists worded for display, and the areas a refused record may be moved to (runs on the
    lane: labels read records and vocabularies). Records and fields are named by the core's
    ``record_label`` / ``field_label``, the same words as the coordinator's export."""
    conflicts = [{
        "id": c["id"], "rtype": c["type"], "rid": c["record_id"], "other_ok": _can_use_other(c),
        "record": record_label(store, c["type"], c["record_id"], lang),
        "field": field_label(c["type"], c["field"], lang),
        "shown": _value_text(store, c["type"], c["field"], c["winner_value"]),
        "other": _value_text(store, c["type"], c["field"], c["other_value"]),
        "detected": _local_time(c["detected_at"]),
    } for c in list_conflicts(store)]
    refused = [{
        "key": r["key"], "rtype": r["type"], "rid": r["id"], "record": r["record"], "field": r["field"],
        "reason": r["reason"], "movable": r["movable"], "at": _local_time(r["at"]),
    } for r in describe_rejected(store, lang)]
    return conflicts, refused, my_areas(store) if any(r["movable"] for r in refused) else []


class RowsModel(QAbstractTableModel):
    """A small read-only table of prepared rows (a few dozen at most)."""

    def __init__(self, columns: Sequence[Column]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return str(self.rows[index.row()].get(self.columns[index.column()][0], ""))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.columns):
            _key, zh, en = self.columns[section]
            return i18n.pick(zh, en)
        return None

    def relabel(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.columns) - 1))


CONFLICT_COLUMNS: list[Column] = [
    ("record", "记录", "Record"), ("field", "字段", "Field"), ("shown", "现在显示的值", "Value shown now"),
    ("other", "被覆盖的值", "Value overwritten"), ("detected", "发现时间", "Found at")]
REFUSED_COLUMNS: list[Column] = [
    ("record", "记录", "Record"), ("field", "字段", "Field"), ("reason", "原因", "Reason"), ("at", "时间", "When")]


def _table(model: RowsModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)                        # field
    header.setSectionResizeMode(model.columnCount() - 1, QHeaderView.ResizeMode.ResizeToContents)  # time
    view.setWordWrap(True)
    return view


class SyncProblemsDialog(QDialog):
    """Both lists, with the actions a person takes on them."""

    changed = Signal()               # something was resolved or acknowledged
    open_record = Signal(str, str)   # rtype, id
    loaded = Signal()                # both lists arrived from the lane and are shown

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_problems")
        self.store = store
        self.lane = lane
        self._generation = 0
        self._first = True
        self.conflicts = RowsModel(CONFLICT_COLUMNS)
        self.refused = RowsModel(REFUSED_COLUMNS)
        self.conflict_view = _table(self.conflicts, "conflicts")
        self.refused_view = _table(self.refused, "refused")
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.keep = QPushButton()
        self.keep.setObjectName("keep_shown")
        self.use_other = QPushButton()
        self.use_other.setObjectName("use_other")
        self.open_conflict = QPushButton()
        self.open_conflict.setObjectName("open_conflict_record")
        self.dismiss = QPushButton()
        self.dismiss.setObjectName("dismiss_refused")
        self.dismiss_all = QPushButton()
        self.dismiss_all.setObjectName("dismiss_all_refused")
        # "Move to one of my villages and send again": the village is picked beside the button.
        self.move_area = QComboBox()
        self.move_area.setObjectName("move_area")
        self.move_area.setMinimumContentsLength(8)
        self.move_resend = QPushButton()
        self.move_resend.setObjectName("move_and_resend")
        self.export = QPushButton()
        self.export.setObjectName("export_refused")
        self.export_dialog: QFileDialog | None = None
        self.status = QLabel()
        self.status.setObjectName("problems_status")
        self.status.setWordWrap(True)
        self.keep.clicked.connect(lambda: self._resolve("winner"))
        self.use_other.clicked.connect(lambda: self._resolve("other"))
        self.open_conflict.clicked.connect(self._open_conflict)
        self.dismiss.clicked.connect(self._dismiss_selected)
        self.dismiss_all.clicked.connect(lambda: self._act(lambda: dismiss_rejected(store, "all")))
        self.move_resend.clicked.connect(self._move_selected)
        self.export.clicked.connect(self._ask_export)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._page(self.conflict_view, self.keep, self.use_other, self.open_conflict), "")
        self.tabs.addTab(self._page(self.refused_view, self.move_area, self.move_resend, self.dismiss, self.dismiss_all,
                                    self.export), "")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.status)
        lay.addWidget(buttons)
        for view in (self.conflict_view, self.refused_view):
            view.selectionModel().selectionChanged.connect(self._enable)
        self.resize(900, 480)
        self.retranslate()
        self.reload()

    @staticmethod
    def _page(view: QTableView, *buttons: QWidget) -> QWidget:
        page = QWidget()
        row = QHBoxLayout()
        for b in buttons:
            row.addWidget(b)
        row.addStretch(1)
        lay = QVBoxLayout(page)
        lay.addWidget(view, 1)
        lay.addLayout(row)
        return page

    # ---------------------------------------------------------------- data
    def reload(self) -> None:
        """Read both lists on the lane; they are shown when they arrive."""
        self._generation += 1
        generation = self._generation
        store, lang = self.store, i18n.current()

        def arrived(rows: Problems) -> None:
            if generation == self._generation:
                self._show(*rows)

        self.lane.query(lambda: problem_rows(store, lang), arrived, owner=self, name="sync problems")

    def _show(self, conflicts: list[dict[str, Any]], refused: list[dict[str, Any]],
              areas: list[dict[str, str]]) -> None:
        self.conflicts.set_rows(conflicts)
        self.refused.set_rows(refused)
        chosen = self.move_area.currentData()
        self.move_area.clear()
        for a in areas:
            self.move_area.addItem(a["name"], a["path"])
            self.move_area.setItemData(self.move_area.count() - 1, a["path"], Qt.ItemDataRole.ToolTipRole)
        if chosen is not None and self.move_area.findData(chosen) >= 0:
            self.move_area.setCurrentIndex(self.move_area.findData(chosen))
        for view in (self.conflict_view, self.refused_view):
            view.resizeRowsToContents()     # long reasons and notes wrap instead of being cut
        if self._first and not conflicts and refused:
            self.tabs.setCurrentIndex(1)
        self._first = False
        self.retranslate()
        self.loaded.emit()

    def _selected(self, view: QTableView, model: RowsModel) -> dict[str, Any] | None:
        rows = view.selectionModel().selectedRows()
        return model.rows[rows[0].row()] if rows and rows[0].row() < len(model.rows) else None

    def _enable(self) -> None:
        row = self._selected(self.conflict_view, self.conflicts)
        picked = row is not None
        self.keep.setEnabled(picked)
        self.use_other.setEnabled(picked and bool(row and row["other_ok"]))
        self.open_conflict.setEnabled(picked)
        refused = self._selected(self.refused_view, self.refused)
        self.dismiss.setEnabled(refused is not None)
        self.dismiss_all.setEnabled(bool(self.refused.rows))
        movable = refused is not None and bool(refused["movable"]) and self.move_area.count() > 0
        self.move_resend.setEnabled(movable)
        self.move_area.setEnabled(movable)
        self.export.setEnabled(True)

    # ---------------------------------------------------------------- actions
    def _act(self, fn: Callable[[], object]) -> None:
        """Resolve or acknowledge on the lane; then both lists are read again."""
        self.status.clear()

        def done(_result: object) -> None:
            self.reload()
            self.changed.emit()

        def failed(exc: Exception) -> None:
            if isinstance(exc, LeheError):
                self.status.setText(exc.message(i18n.current()))
            else:
                log.error("sync problem action failed", exc_info=exc)

        self.lane.query(fn, done, failed, owner=self, name="sync problem")

    def _resolve(self, keep: str) -> None:
        row = self._selected(self.conflict_view, self.conflicts)
        if row is not None:
            store = self.store
            self._act(lambda: resolve_conflict(store, row["id"], keep))

    def _dismiss_selected(self) -> None:
        row = self._selected(self.refused_view, self.refused)
        if row is not None:
            store = self.store
            self._act(lambda: dismiss_rejected(store, row["key"]))

    def _move_selected(self) -> None:
        """移到我的村并重新发送: the record (with everything belonging to it) moves to the chosen area
        and is queued whole to send again; its refusals are dealt with. One core call on the lane."""
        row = self._selected(self.refused_view, self.refused)
        area = self.move_area.currentData()
        if row is None or not area:
            return
        store, name = self.store, self.move_area.currentText()

        def moved(done: dict[str, Any]) -> None:
            self.reload()
            self.changed.emit()
            self.status.setText(self.tr("Moved to %1: %2 record(s) will be sent again at the next sync.")
                                .replace("%1", name).replace("%2", str(done["resent"])))

        self.status.clear()
        self.lane.query(lambda: move_and_resend(store, row["rtype"] or "", row["rid"] or "", str(area)), moved,
                        self._failed, owner=self, name="move and send again")

    def _ask_export(self) -> None:
        """导出…: where to write every refusal (CSV, or JSON by its name) for the coordinator."""
        dialog = QFileDialog(self, self.tr("Export refused changes"), "被拒绝的修改.csv",
                             self.tr("CSV (*.csv);;JSON (*.json)"))
        dialog.setObjectName("export_refused_file")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.export_to)
        dialog.finished.connect(lambda _r: setattr(self, "export_dialog", None))
        self.export_dialog = dialog
        dialog.open()

    def export_to(self, path: str) -> None:
        """Write the export on the lane; the status line says where it went."""
        if not path:
            return
        store, lang = self.store, i18n.current()

        def written(out: object) -> None:
            self.status.setText(self.tr("Refused changes exported to %1").replace("%1", str(out)))

        self.status.clear()
        self.lane.query(lambda: export_refused(store, path, lang=lang), written, self._failed, owner=self,
                        name="export refused")

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, LeheError):
            self.status.setText(exc.message(i18n.current()))
        else:
            log.error("sync problem action failed", exc_info=exc)
            self.status.setText(self.tr("This did not work: %1").replace("%1", type(exc).__name__))

    def _open_conflict(self) -> None:
        row = self._selected(self.conflict_view, self.conflicts)
        if row is None:
            return
        rt = type_of(row["rtype"])
        store = self.store

        def opened(exists: bool) -> None:
            if not exists:
                # Deleted since (or a kind this version cannot show): say so instead of opening nothing.
                self.status.setText(self.tr("This record cannot be opened: it has been deleted or is not shown "
                                            "in this version. You can still keep one of the values."))
                return
            self.accept()   # the record opens in the main window, which this window-modal list would block
            self.open_record.emit(row["rtype"], row["rid"])

        self.lane.query(lambda: rt is not None and store.get(rt.name, row["rid"]) is not None, opened,
                        owner=self, name="open")

    # ---------------------------------------------------------------- texts
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sync problems"))
        self.intro.setText(self.tr(
            "Conflicts: two people changed the same field without seeing each other's edit. Every copy "
            "shows the same value; keep it, or use the value that was overwritten. Refused changes: the "
            "server did not accept them (for example a village outside your areas); they stay on this "
            "laptop and count as not yet sent. A record in the wrong village can be moved to one of "
            "yours and sent again; otherwise ask your coordinator (Export… makes a file for them), then "
            "acknowledge them."))
        self.tabs.setTabText(0, self.tr("Conflicts (%1)").replace("%1", str(len(self.conflicts.rows))))
        self.tabs.setTabText(1, self.tr("Refused changes (%1)").replace("%1", str(len(self.refused.rows))))
        self.keep.setText(self.tr("Keep the value shown"))
        self.use_other.setText(self.tr("Use the overwritten value"))
        self.open_conflict.setText(self.tr("Open record"))
        self.dismiss.setText(self.tr("Acknowledge"))
        self.dismiss_all.setText(self.tr("Acknowledge all"))
        self.move_resend.setText(self.tr("Move to my village and send again"))
        self.move_resend.setToolTip(self.tr(
            "Moves the record (for a member or a visit: its household) to the village chosen on the left and "
            "sends it again whole, with everything that belongs to it."))
        self.move_area.setToolTip(self.tr("One of your villages"))
        self.export.setText(self.tr("Export…"))
        self.export.setToolTip(self.tr("Save every refused change as a file for your coordinator (CSV or JSON)."))
        self.conflicts.relabel()
        self.refused.relabel()
        self._enable()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.reload()
        super().changeEvent(event)
