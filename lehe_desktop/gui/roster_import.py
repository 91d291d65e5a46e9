"""文件 → 导入花名册: a roster previewed row by row with its problems, then imported with progress.

Choosing a file reads and checks it on the database lane (``core.roster.preview_roster``: every
row validated exactly as the import will, nothing written) and shows each row as it will be
written — ID numbers and phones masked — with every problem (code and words) and the counts.
导入 Import then runs ``core.roster.import_roster`` on the same rows read from the file: the
command line's path, one bulk transaction. 取消 Cancel stops it at its next step and the
transaction is rolled back, so a cancelled import has written nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import shiboken6
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core import roster
from ..core.errors import LeheError
from ..core.roster import ImportResult, PreviewRow, RawRoster, RosterPreview, RowIssue
from ..core.store.store import Store
from . import i18n
from .worker import DbLane, Job

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
IssuesRole = Qt.ItemDataRole.UserRole + 1   # the row's RowIssue tuple (tests, tooltips)

# key, zh header, en header
COLUMNS: list[tuple[str, str, str]] = [
    ("line", "行", "Line"), ("status", "结果", "Result"), ("problems", "问题", "Problems"),
    ("village", "村", "Village"), ("group", "组", "Group"), ("head", "户主", "Head"), ("name", "姓名", "Name"),
    ("relation", "与户主关系", "Relation"), ("sex", "性别", "Sex"), ("birth_date", "出生日期", "Born"),
    ("id_number", "身份证号", "ID number"), ("phones", "电话", "Phones"), ("categories", "类别", "Categories"),
    ("address", "地址", "Address"),
]
STATUS_TEXT = {"new": ("将导入", "will be imported"), "present": ("已存在，跳过", "already present, skipped"),
               "error": ("有错误，不导入", "error: not imported")}
ERROR_BG = QColor("#fde2e1")
WARNING_BG = QColor("#fff4d6")
PRESENT_FG = QColor("#6b6b6b")


def issue_text(issue: RowIssue) -> str:
    """One problem in the user's language with its stable code: ``[code] 列: words``."""
    column = f"{issue.column}{i18n.colon()}" if issue.column else ""
    return f"[{issue.code}] {column}{issue.message(i18n.current())}"


class PreviewModel(QAbstractTableModel):
    """The preview's rows (all, or only those with problems); read-only, formatted when shown."""

    def __init__(self) -> None:
        super().__init__()
        self.all_rows: list[PreviewRow] = []
        self.rows: list[PreviewRow] = []
        self.problems_only = False

    def set_rows(self, rows: list[PreviewRow]) -> None:
        self.beginResetModel()
        self.all_rows = rows
        self.rows = [r for r in rows if r.issues] if self.problems_only else rows
        self.endResetModel()

    def show_problems_only(self, on: bool) -> None:
        self.problems_only = on
        self.set_rows(self.all_rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def text(self, row: PreviewRow, key: str) -> str:
        if key == "line":
            return str(row.line)
        if key == "status":
            zh, en = STATUS_TEXT[row.status]
            return i18n.pick(zh, en)
        if key == "problems":
            return i18n.pick("；", "; ").join(issue_text(i) for i in row.issues)
        if key == "village":
            return row.village.rsplit("/", 1)[-1]
        return str(getattr(row, key))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        key = COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "problems" and row.issues:
                return "\n".join(issue_text(i) for i in row.issues)
            return row.village if key == "village" else self.text(row, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.status == "error":
                return QBrush(ERROR_BG)
            if row.has_warning:
                return QBrush(WARNING_BG)
        if role == Qt.ItemDataRole.ForegroundRole and row.status == "present":
            return QBrush(PRESENT_FG)
        if role == IssuesRole:
            return row.issues
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS):
            _key, zh, en = COLUMNS[section]
            return i18n.pick(zh, en)
        return None

    def relabel(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)


def read_and_preview(store: Store, path: Path, lang: str, job: Job,
                     cancel: threading.Event) -> tuple[RawRoster, RosterPreview]:
    """Runs on the lane: read the file (limits, encodings, quotes), then check every row against the store."""
    job.report_stage("read")
    raw = roster.read_roster(path)
    preview = roster.preview_roster(store, raw, lang=lang, cancel=cancel,
                                    progress=lambda _stage, done, total: job.report(done, total))
    return raw, preview


class RosterImportDialog(QDialog):
    """Choose a roster, see every row and problem, then import with progress and Cancel."""

    previewed = Signal()           # a preview arrived and is shown (or the file was refused)
    imported = Signal(object)      # the ImportResult of a finished (or cancelled) import
    data_changed = Signal()        # rows were written: lists and counts elsewhere are out of date

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roster_import")
        self.store = store
        self.lane = lane
        self.path: Path | None = None
        self.raw: RawRoster | None = None
        self.preview: RosterPreview | None = None
        self.import_result: ImportResult | None = None
        self.job: Job | None = None
        self.job_kind = ""             # "preview" | "import" while a job runs
        self.cancel_event = threading.Event()   # the running job's: set by Cancel
        self._close_when_done = False
        self.model = PreviewModel()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.file_label = QLabel()
        self.file_label.setObjectName("roster_file")
        self.choose_btn = QPushButton()
        self.choose_btn.setObjectName("choose_roster")
        self.choose_btn.clicked.connect(self.choose_file)
        self.counts = QLabel()
        self.counts.setObjectName("roster_counts")
        self.counts.setWordWrap(True)
        self.header_notes = QLabel()
        self.header_notes.setObjectName("roster_header_notes")
        self.header_notes.setWordWrap(True)
        self.header_notes.setStyleSheet("color: #8a5a00;")
        self.problems_only = QCheckBox()
        self.problems_only.setObjectName("problems_only")
        self.problems_only.toggled.connect(self.model.show_problems_only)
        self.table = QTableView()
        self.table.setObjectName("roster_preview")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((44, 110, 380, 70, 50, 70, 70, 80, 44, 90, 150, 110, 120, 160)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _prev: self._show_detail(current.row()))
        self.model.modelReset.connect(lambda: self._show_detail(-1))
        # The current row's problems in full (the table cell is one line).
        self.detail = QLabel()
        self.detail.setObjectName("roster_row_problems")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.status.setObjectName("roster_status")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("roster_progress")
        self.progress.hide()
        self.cancel_btn = QPushButton()
        self.cancel_btn.setObjectName("cancel_roster_job")
        self.cancel_btn.clicked.connect(self.cancel_job)
        self.cancel_btn.hide()
        self.import_btn = QPushButton()
        self.import_btn.setObjectName("import_roster")
        self.import_btn.setEnabled(False)
        self.import_btn.clicked.connect(self.start_import)
        self.close_btn = QPushButton()
        self.close_btn.setObjectName("close_roster")
        self.close_btn.clicked.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.choose_btn)
        top.addWidget(self.file_label, 1)
        mid = QHBoxLayout()
        mid.addWidget(self.counts, 1)
        mid.addWidget(self.problems_only)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.cancel_btn)
        bottom.addWidget(self.import_btn)
        bottom.addWidget(self.close_btn)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addLayout(top)
        lay.addLayout(mid)
        lay.addWidget(self.header_notes)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.detail)
        lay.addLayout(bottom)
        self.header_notes.hide()
        self.resize(1200, 640)
        self.retranslate()

    # ---------------------------------------------------------------- choosing and previewing
    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path else str(Path.home())
        name, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a roster"), start, self.tr("Rosters (*.xlsx *.csv);;All files (*)"))
        if name:
            self.load_file(Path(name))

    def load_file(self, path: Path) -> None:
        """Read and check ``path`` on the lane; the preview replaces whatever was shown."""
        if self.job is not None:
            return
        self.path = path
        self.raw = None
        self.preview = None
        self.import_result = None
        self.model.set_rows([])
        self.file_label.setText(str(path))
        self.counts.setText("")
        self.header_notes.hide()
        self.import_btn.setEnabled(False)
        store, lang = self.store, i18n.current()
        self._run("preview", lambda job, cancel: read_and_preview(store, path, lang, job, cancel), self._previewed,
                  self._preview_failed, self.tr("Reading and checking the roster…"))

    def _previewed(self, value: object) -> None:
        raw, preview = cast(tuple[RawRoster, RosterPreview], value)
        if preview.cancelled:
            self.status.setText(self.tr("Checking cancelled; nothing was written."))
            self.previewed.emit()
            return
        self.raw, self.preview = raw, preview
        self.model.set_rows(preview.rows)
        self._show_counts()
        notes = [issue_text(i) for i in preview.file_warnings]
        self.header_notes.setText(self.tr("Header (line %1): ").replace("%1", str(preview.header_line))
                                  + i18n.pick("；", "; ").join(notes) if notes else "")
        self.header_notes.setVisible(bool(notes))
        self.import_btn.setEnabled(preview.new_rows > 0)
        if preview.new_rows:
            self.status.setText(self.tr("Nothing has been written yet. Import writes the rows marked “will be "
                                        "imported”; rows with errors are left out."))
        else:
            self.status.setText(self.tr("There is nothing new to import."))
        self.previewed.emit()

    def _show_counts(self) -> None:
        p = self.preview
        if p is None:
            return
        text = self.tr("%1 rows: %2 will be imported (%3 new households), %4 already present, "
                       "%5 with errors (not imported), %6 with warnings")
        for i, n in enumerate((len(p.rows), p.new_rows, p.new_households, p.present_rows, p.error_rows,
                               p.warning_rows), 1):
            text = text.replace(f"%{i}", str(n))
        self.counts.setText(text)

    def _show_detail(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            r = self.model.rows[row]
            lines = [issue_text(i) for i in r.issues] or [self.tr("No problems.")]
            self.detail.setText(self.tr("Line %1: ").replace("%1", str(r.line)) + "\n".join(lines))
        else:
            self.detail.setText("")

    def _preview_failed(self, error: Exception) -> None:
        """The file as a whole was refused (unreadable, too large, no header …): nothing to preview."""
        if isinstance(error, LeheError):
            self.status.setText(f"[{error.code}] {error.message(i18n.current())}")
        else:
            log.error("roster preview failed", exc_info=error)
            self.status.setText(self.tr("The roster could not be checked: an unexpected error; "
                                        "the details are in the log."))
        self.previewed.emit()

    # ---------------------------------------------------------------- importing
    def start_import(self) -> None:
        """Import the rows read for the preview (checked again against the database as they are written)."""
        raw = self.raw
        if raw is None or self.job is not None:
            return
        store = self.store

        def work(job: Job, cancel: threading.Event) -> ImportResult:
            def progress(stage: str, done: int, total: int) -> None:
                job.report_stage(stage)
                job.report(done, total)

            return roster.import_roster(store, raw, progress=progress, cancel=cancel)

        self.import_btn.setEnabled(False)
        self._run("import", work, self._imported, self._import_failed, self.tr("Importing…"))

    def _imported(self, value: object) -> None:
        result: ImportResult = value  # type: ignore[assignment]
        self.import_result = result
        if result.cancelled:
            self.status.setText(self.tr("Import cancelled: nothing was written."))
            self.import_btn.setEnabled(self.preview is not None and self.preview.new_rows > 0)
        else:
            text = self.tr("Imported %1 residents (%2 new households); %3 already present; "
                           "%4 rows with errors were not imported.")
            for i, n in enumerate((result.imported, result.households, result.skipped, result.error_lines), 1):
                text = text.replace(f"%{i}", str(n))
            self.status.setText(text)
            self.import_btn.setEnabled(False)
            if result.imported or result.households:
                self.data_changed.emit()
        self.imported.emit(result)

    def _import_failed(self, error: Exception) -> None:
        if isinstance(error, LeheError):
            text = f"[{error.code}] {error.message(i18n.current())}"
        else:
            log.error("roster import failed", exc_info=error)
            text = self.tr("an unexpected error; the details are in the log")
        self.status.setText(self.tr("Not imported (nothing was written): %1").replace("%1", text))
        self.import_btn.setEnabled(self.raw is not None)

    # ---------------------------------------------------------------- the lane job
    def _run(self, kind: str, fn: Callable[[Job, threading.Event], object], done: Callable[[object], None],
             failed: Callable[[Exception], None], busy_text: str) -> None:
        """A job on the lane that this dialog can stop; its answers are dropped if the dialog has gone.

        Cancel sets the dialog's own event, which the core checks between steps, rather than
        cancelling the lane job: the core's answer always arrives and says whether it stopped
        (``cancelled``) or had already finished — never a guess.
        """
        def on_done(value: object) -> None:
            if shiboken6.isValid(self):
                done(value)

        def on_failed(error: Exception) -> None:
            if shiboken6.isValid(self):
                failed(error)

        def on_ended() -> None:
            if shiboken6.isValid(self):
                self._ended()

        cancel = threading.Event()
        job = self.lane.submit(f"roster {kind}", lambda j: fn(j, cancel), on_done, on_failed)
        job.progress.connect(self._progress)
        job.ended.connect(on_ended)
        self.job, self.job_kind, self.cancel_event = job, kind, cancel
        self.status.setText(busy_text)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_btn.setEnabled(True)
        self.cancel_btn.show()
        self.choose_btn.setEnabled(False)

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def cancel_job(self) -> None:
        """取消: the job stops at its next step; an import rolls back, so nothing is written."""
        if self.job is not None:
            self.cancel_event.set()
            self.cancel_btn.setEnabled(False)
            self.status.setText(self.tr("Cancelling…"))

    def _ended(self) -> None:
        self.job, self.job_kind = None, ""
        self.progress.hide()
        self.cancel_btn.hide()
        self.choose_btn.setEnabled(True)
        if self._close_when_done:
            super().reject()

    def reject(self) -> None:
        """Closing while a job runs cancels it first (an import writes nothing), then closes."""
        if self.job is not None:
            self._close_when_done = True
            self.cancel_job()
            return
        super().reject()

    # ---------------------------------------------------------------- texts
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Import roster"))
        self.intro.setText(self.tr(
            "A roster (花名册) in Excel (.xlsx) or CSV: one row per person, with the columns 村, 组, 户主姓名, "
            "姓名 and 与户主关系 (地址, 性别, 出生日期, 身份证号, 电话 and 类别 if you have them). Every row is "
            "checked and shown below before anything is written."))
        if self.path is None:
            self.file_label.setText(self.tr("No file chosen"))
        self.choose_btn.setText(self.tr("Choose file…"))
        self.problems_only.setText(self.tr("Only rows with problems"))
        self.cancel_btn.setText(self.tr("Cancel"))
        self.import_btn.setText(self.tr("Import"))
        self.close_btn.setText(self.tr("Close"))
        self._show_counts()
        self.model.relabel()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)
