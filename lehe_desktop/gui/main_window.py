"""The main window: navigation on the left, the work page on the right, search on top."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QSettings, QSize, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import LeheError
from ..core.paths import DataPaths
from ..core.records.schema import REGISTRY
from ..core.store.store import Store
from ..core.sync import client
from . import i18n
from .activities import ActivitiesPage
from .audit_view import AuditDialog
from .bin_page import BinDialog
from .bundles import BundleLogDialog, ExportBundleDialog, ImportBundleDialog
from .enrol import EnrolDialog
from .file_menu import FileActions
from .home import HomePage
from .households import HouseholdsPage
from .matters import MattersPage
from .meetings import MeetingsPage
from .roster_import import RosterImportDialog
from .settings import auto_sync_enabled, auto_sync_minutes
from .sync_problems import SyncProblemsDialog, count_problems
from .tasks import TasksPage
from .visits import VisitsPage
from .vocab import load_vocab
from .vocab_page import VocabMenuEntry
from .worker import DbLane, Job

log = logging.getLogger(__name__)

VIEWS = ("home", "households", "visits", "activities", "meetings", "matters", "tasks")
# Pages of a sync from the window: small enough that no single step (a page's JSON, its batch
# insert) holds Python's interpreter lock long enough to stall painting and typing.
SYNC_PAGE = 2000
FIRST_AUTO_SYNC_MS = 5_000      # after the window opens: let the first page load first
SEARCH_DELAY_MS = 250           # the toolbar search runs this long after the last key typed


def status_counts(store: Store) -> tuple[int, int, bool]:
    """The status bar's figures (runs on the lane): unsent changes, sync problems, enrolled."""
    return store.unsent_count(), count_problems(store), client.is_enrolled(store)


class SearchPage(QWidget):
    """Results of the toolbar search; Enter or double-click opens one."""

    open_record = Signal(str, str)
    searched = Signal()     # the results of a search arrived from the lane and are shown

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self._generation = 0
        self.heading = QLabel()
        self.heading.setObjectName("search_heading")
        self.results = QListWidget()
        self.results.setObjectName("search_results")
        self.results.itemActivated.connect(self._open)
        self.query = ""
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.heading)
        lay.addWidget(self.results, 1)

    def run(self, text: str) -> None:
        """Search on the lane; only the answer to the latest query is shown."""
        self.query = text
        self._generation += 1
        generation = self._generation
        store = self.store

        def arrived(hits: list[dict[str, str]]) -> None:
            if generation == self._generation:
                self._show(hits)

        self.lane.query(lambda: store.search(text, limit=200), arrived, owner=self, name="search")

    def _show(self, hits: list[dict[str, str]]) -> None:
        self.results.clear()
        for hit in hits:
            rt = REGISTRY.get(hit["type"])
            kind = i18n.pick(rt.zh, rt.en) if rt else hit["type"]
            # Found by an ID or phone number typed whole: the number as the app shows it, masked.
            match = f"  ·  {hit['match']}" if hit.get("match") and hit["match"] not in hit["title"] else ""
            item = QListWidgetItem(f"{hit['title']}{match}    ·  {kind}")
            item.setData(Qt.ItemDataRole.UserRole, (hit["type"], hit["id"]))
            self.results.addItem(item)
        self._heading()
        if self.results.count():
            self.results.setCurrentRow(0)
        self.searched.emit()

    def _heading(self) -> None:
        self.heading.setText(self.tr("%n result(s) for “%1”", "", self.results.count()).replace("%1", self.query))

    def _open(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            self.open_record.emit(data[0], data[1])

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event) and self.query:
            self.run(self.query)
        super().changeEvent(event)


class MainWindow(QMainWindow):
    lock_requested = Signal()
    language_requested = Signal(str)

    status_refreshed = Signal()   # the status-bar counts arrived from the lane

    def __init__(self, store: Store, lane: DbLane, settings: QSettings | None = None,
                 paths: DataPaths | None = None) -> None:
        super().__init__()
        self.store = store
        self.lane = lane
        self.settings = settings
        self.paths = paths   # the data folder: backup, restore, passphrase and diagnostics need it
        self.setObjectName("main_window")
        self.detached = False
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setFixedWidth(150)
        self.nav.setStyleSheet("QListWidget#nav { font-size: 15px; outline: 0; } "
                               "QListWidget#nav::item { padding: 8px 12px; } "
                               "QListWidget#nav::item:selected { background: #2f6f9f; color: white; }")
        self.stack = QStackedWidget()
        self.activities = ActivitiesPage(store, lane)
        self.meetings = MeetingsPage(store, lane)
        self.matters = MattersPage(store, lane)
        self.tasks = TasksPage(store, lane)
        self.pages: dict[str, QWidget] = {
            "home": HomePage(store, lane),
            "households": HouseholdsPage(store, lane),
            "visits": VisitsPage(store, lane),
            "activities": self.activities,
            "meetings": self.meetings,
            "matters": self.matters,
            "tasks": self.tasks,
        }
        for key in VIEWS:
            self.stack.addWidget(self.pages[key])
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.search_page = SearchPage(store, lane)
        self.stack.addWidget(self.search_page)
        self.loaded: set[str] = set()
        self.nav.currentRowChanged.connect(self._nav_changed)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(6, 6, 6, 0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._wire_pages()
        self._build_toolbar()
        self._build_menus()
        self.unsent = QLabel()
        self.unsent.setObjectName("unsent")
        self.busy = QLabel()
        self.progress = QProgressBar()
        self.progress.setObjectName("job_progress")
        self.progress.setMaximumWidth(180)
        self.progress.setMaximumHeight(16)
        self.progress.hide()
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancel_job")
        self.cancel_button.clicked.connect(self.cancel_job)
        self.cancel_button.hide()
        self.statusBar().addPermanentWidget(self.busy)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.statusBar().addPermanentWidget(self.unsent)
        # Shown only while there are conflicts to settle or refused changes to acknowledge.
        self.problems_button = QPushButton()
        self.problems_button.setObjectName("sync_problems_button")
        self.problems_button.setFlat(True)
        self.problems_button.setStyleSheet("color: #8a5a00;")
        self.problems_button.clicked.connect(self.show_sync_problems)
        self.problems_button.hide()
        self.statusBar().addPermanentWidget(self.problems_button)
        self.problems_dialog: SyncProblemsDialog | None = None
        self.job: Job | None = None          # the lane job the progress bar shows
        self.sync_job: Job | None = None
        self.sync_box: QMessageBox | None = None
        self.enrol_dialog: EnrolDialog | None = None
        self.bundle_dialog: ExportBundleDialog | ImportBundleDialog | BundleLogDialog | None = None
        self.stage_text = ""
        # Quick jobs (a page of a list) finish before this fires, so the bar does not flicker.
        self.progress_delay = QTimer(self)
        self.progress_delay.setSingleShot(True)
        self.progress_delay.setInterval(300)
        self.progress_delay.timeout.connect(self._show_progress)
        if lane is not None:
            lane.busy_changed.connect(self._busy)
            lane.job_started.connect(self._job_started)
        self.enrolled = False               # as the last status refresh read it
        self._status_job: Job | None = None
        self._status_again = False
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(30_000)
        self.status_timer.timeout.connect(self.refresh_status)
        self.status_timer.start()
        # Automatic sync: soon after the window opens, then every few minutes, quietly (no message
        # boxes; the status bar says how it went), only when enrolled and nothing else is syncing.
        self.auto_sync_timer = QTimer(self)
        self.auto_sync_timer.setInterval(auto_sync_minutes(self.settings) * 60_000)
        self.auto_sync_timer.timeout.connect(self.auto_sync)
        self.sync_quiet = False
        self.sync_result: client.SyncResult | None = None   # the last sync's, None if it failed or is running
        self.last_auto_sync = ""
        if settings is not None and lane is not None and self.auto_sync_action.isChecked():
            self.auto_sync_timer.start()
            QTimer.singleShot(FIRST_AUTO_SYNC_MS, self.auto_sync)
        self.resize(1280, 760)
        self.setMinimumSize(1000, 600)
        self._building = True
        self.retranslate()
        self._building = False
        # The counts are read once the first view's data has been asked for (the lane keeps order).
        QTimer.singleShot(0, self.refresh_status)
        if lane is not None:
            self.vocab_entry.refresh_role()

    # ---------------------------------------------------------------- building
    def _wire_pages(self) -> None:
        hh: HouseholdsPage = self.pages["households"]  # type: ignore[assignment]
        visits: VisitsPage = self.pages["visits"]  # type: ignore[assignment]
        home: HomePage = self.pages["home"]  # type: ignore[assignment]
        hh.new_visit.connect(visits.new_visit)
        hh.open_visit.connect(visits.open_visit)
        hh.data_changed.connect(self._data_changed)
        hh.profile.anonymised.connect(self._after_anonymising)
        visits.data_changed.connect(self._data_changed)
        visits.data_changed.connect(hh.profile.reload)
        for page in (self.activities, self.meetings, self.matters, self.tasks):
            page.data_changed.connect(self._data_changed)
        home.open_record.connect(self.open_record)
        self.search_page.open_record.connect(self.open_record)

    def _build_toolbar(self) -> None:
        bar = QToolBar()
        bar.setObjectName("main_toolbar")
        bar.setMovable(False)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(360)
        self.search.returnPressed.connect(self.run_search)
        # Results follow the typing (a short pause first, so each key does not start a search);
        # the cursor stays in the box. Enter moves into the results.
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._search_as_typed)
        self.search.textEdited.connect(lambda _t: self.search_timer.start())
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding,
                             spacer.sizePolicy().verticalPolicy().Preferred)
        self.title_label = QLabel()
        f = self.title_label.font()
        f.setBold(True)
        self.title_label.setFont(f)
        bar.addWidget(self.title_label)
        bar.addWidget(spacer)
        bar.addWidget(self.search)
        self.addToolBar(bar)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        self.file_menu = mb.addMenu("")
        self.sync_action = QAction(self)
        self.sync_action.setObjectName("sync_now")
        self.sync_action.triggered.connect(self.sync_now)
        self.file_menu.addAction(self.sync_action)
        self.auto_sync_action = QAction(self, checkable=True)
        self.auto_sync_action.setObjectName("auto_sync")
        self.auto_sync_action.setChecked(auto_sync_enabled(self.settings))
        self.auto_sync_action.toggled.connect(self._auto_sync_toggled)
        self.file_menu.addAction(self.auto_sync_action)
        self.enrol_action = QAction(self)
        self.enrol_action.setObjectName("enrol")
        self.enrol_action.triggered.connect(self.show_enrol)
        self.file_menu.addAction(self.enrol_action)
        self.problems_action = QAction(self)
        self.problems_action.setObjectName("show_sync_problems")
        self.problems_action.triggered.connect(self.show_sync_problems)
        self.file_menu.addAction(self.problems_action)
        # Sync bundles on a USB stick (gui/bundles.py).
        self.export_bundle_action = QAction(self)
        self.export_bundle_action.setObjectName("export_bundle")
        self.export_bundle_action.triggered.connect(lambda: self.show_bundle_dialog(ExportBundleDialog))
        self.file_menu.addAction(self.export_bundle_action)
        self.import_bundle_action = QAction(self)
        self.import_bundle_action.setObjectName("import_bundle")
        self.import_bundle_action.triggered.connect(lambda: self.show_bundle_dialog(ImportBundleDialog))
        self.file_menu.addAction(self.import_bundle_action)
        self.bundle_log_action = QAction(self)
        self.bundle_log_action.setObjectName("bundle_log")
        self.bundle_log_action.triggered.connect(lambda: self.show_bundle_dialog(BundleLogDialog))
        self.file_menu.addAction(self.bundle_log_action)
        self.file_menu.addSeparator()
        self.roster_action = QAction(self)
        self.roster_action.setObjectName("import_roster")
        self.roster_action.triggered.connect(self.show_roster_import)
        self.file_menu.addAction(self.roster_action)
        self.file_menu.addSeparator()
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock_requested)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        # 备份… 恢复… 导出… 修改密码… 导出诊断信息… (gui/file_menu.py), above 锁定.
        self.files = FileActions(self, self.store, self.lane, self.paths)
        self.files.install(self.file_menu, self.lock_action)
        self.records_menu = mb.addMenu("")
        self.new_action = QAction(self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_record)
        self.find_action = QAction(self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.records_menu.addAction(self.new_action)
        self.records_menu.addAction(self.find_action)
        self.bin_action = QAction(self)
        self.bin_action.setObjectName("show_bin")
        self.bin_action.triggered.connect(self.show_bin)
        self.records_menu.addSeparator()
        self.records_menu.addAction(self.bin_action)
        # 类别管理…: for roles that may edit vocabularies (read on the lane; hidden until then).
        self.vocab_entry = VocabMenuEntry(self.store, self.lane, self.records_menu, self)
        self.vocab_entry.changed.connect(self._refresh_views)
        self.audit_action = QAction(self)
        self.audit_action.setObjectName("show_audit_log")
        self.audit_action.triggered.connect(self.show_audit_log)
        self.records_menu.addAction(self.audit_action)
        self.lang_menu = mb.addMenu("")
        group = QActionGroup(self)
        self.lang_actions: dict[str, QAction] = {}
        for code, text in (("zh", "中文"), ("en", "English")):
            act = QAction(text, self, checkable=True)
            act.setData(code)
            act.triggered.connect(lambda _c=False, c=code: self.set_language(c))
            group.addAction(act)
            self.lang_menu.addAction(act)
            self.lang_actions[code] = act
        self.lang_actions[i18n.current()].setChecked(True)

    def set_language(self, lang: str) -> None:
        i18n.language().set(lang)
        self.language_requested.emit(lang)   # the session remembers the choice

    # ---------------------------------------------------------------- navigation
    def show_view(self, key: str) -> None:
        if key not in VIEWS:
            key = "home"
        self.nav.setCurrentRow(VIEWS.index(key))
        self._nav_changed(VIEWS.index(key))

    def current_view(self) -> str:
        row = self.nav.currentRow()
        return VIEWS[row] if 0 <= row < len(VIEWS) else "home"

    def _nav_changed(self, row: int) -> None:
        if self.detached or not 0 <= row < len(VIEWS):
            return   # detached: the store may already be closed (lock), so no page may load
        key = VIEWS[row]
        page = self.pages[key]
        self.stack.setCurrentWidget(page)
        if key not in self.loaded:
            self.loaded.add(key)
            page.load()  # type: ignore[attr-defined]
        if key == "households":
            hh: HouseholdsPage = page  # type: ignore[assignment]
            hh.setCurrentWidget(hh.list)

    def open_record(self, rtype: str, rid: str) -> None:
        hh: HouseholdsPage = self.pages["households"]  # type: ignore[assignment]
        visits: VisitsPage = self.pages["visits"]  # type: ignore[assignment]
        if rtype in ("member", "household_category", "member_phone"):
            store = self.store

            def household_of() -> str:
                rec = store.get(rtype, rid)
                if rtype != "member" and rec:
                    rec = store.get("member", rec.get("member_id", "")) or rec
                return (rec or {}).get("household_id") or ""

            def open_household(hid: str) -> None:
                if hid:
                    self.open_record("household", hid)

            self.lane.query(household_of, open_household, owner=self, name="open")
            return
        if rtype == "household" and rid:
            self.show_view("households")
            hh.open_household(rid)
        elif rtype == "visit":
            visits.open_visit(rid)
        elif rtype in ("activity", "meeting"):
            self.open_community(rtype, rid)
        elif rtype in ("activity_attendance", "activity_organiser", "meeting_participant", "agenda_item"):
            store, parent_type = self.store, "activity" if rtype.startswith("activity") else "meeting"

            def parent_of() -> str:
                rec = store.get(rtype, rid) or {}
                return str(rec.get("activity_id") or rec.get("meeting_id") or "")

            def open_parent(pid: str) -> None:
                if pid:
                    self.open_community(parent_type, pid)

            self.lane.query(parent_of, open_parent, owner=self, name="open")
        elif rtype == "matter":
            self.show_view("matters")
            self.matters.open_matter(rid)
        elif rtype == "task":
            self.show_view("tasks")
            self.tasks.open_task(rid)
        elif rtype == "area":
            self.show_view("households")
            idx = hh.list.village.findData(rid)
            if idx >= 0:
                hh.list.village.setCurrentIndex(idx)
                hh.list.model.set_filter(area_id=rid)

    def open_community(self, rtype: str, rid: str) -> None:
        """An activity or a meeting: its page, then its form."""
        if rtype == "activity":
            self.show_view("activities")
            self.activities.open_activity(rid)
        else:
            self.show_view("meetings")
            self.meetings.open_meeting(rid)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _search_as_typed(self) -> None:
        text = self.search.text().strip()
        if self.detached or not text or text == self.search_page.query:
            return
        self.search_page.run(text)
        self.nav.clearSelection()
        self.stack.setCurrentWidget(self.search_page)

    def run_search(self) -> None:
        self.search_timer.stop()
        text = self.search.text().strip()
        if not text:
            return
        self.search_page.run(text)
        self.nav.clearSelection()
        self.stack.setCurrentWidget(self.search_page)
        self.search_page.results.setFocus()

    def new_record(self) -> None:
        view = self.current_view()
        if view == "visits":
            self.pages["visits"].new_visit(None)  # type: ignore[attr-defined]
            return
        if view == "activities":
            self.activities.open_activity(None)
            return
        if view == "meetings":
            self.meetings.open_meeting(None)
            return
        if view == "matters":
            self.matters.new_matter()
            return
        if view == "tasks":
            self.tasks.new_task()
            return
        hh: HouseholdsPage = self.pages["households"]  # type: ignore[assignment]
        if view == "households" and hh.currentWidget() is hh.profile and hh.profile.household:
            self.pages["visits"].new_visit(hh.profile.household["id"])  # type: ignore[attr-defined]
            return
        self.show_view("households")
        hh.new_household()

    # ---------------------------------------------------------------- status
    def _data_changed(self) -> None:
        self.refresh_status()
        if "home" in self.loaded:
            self.pages["home"].load()  # type: ignore[attr-defined]
        if "visits" in self.loaded and self.current_view() != "visits":
            self.pages["visits"].model.invalidate()  # type: ignore[attr-defined]
            self.pages["visits"].model.refresh()  # type: ignore[attr-defined]

    def _busy(self, busy: bool) -> None:
        self.busy.setText(self.tr("Working…") if busy else "")
        if not busy:
            self.job = None
            self.progress_delay.stop()
            self.progress.hide()
            self.cancel_button.hide()

    # ---------------------------------------------------------------- progress and cancel
    def _job_started(self, job: Job) -> None:
        self.job = job
        self.stage_text = ""
        self.progress.setRange(0, 0)   # busy until the job reports a total
        self.progress.setFormat("%p%")
        job.progress.connect(self._job_progress)
        job.stage.connect(self._job_stage)
        if self.progress.isVisible():
            self._show_progress()
        else:
            self.progress_delay.start()

    def _show_progress(self) -> None:
        job = self.job
        if job is None or job.done or self.detached:
            return
        self.progress.show()
        self.cancel_button.setVisible(job.cancellable)
        self.cancel_button.setEnabled(not job.cancelled)

    def _job_progress(self, done: int, total: int) -> None:
        if self.sender() is not self.job:
            return
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)

    def _job_stage(self, stage: str) -> None:
        if self.sender() is not self.job:
            return
        texts = {"hello": self.tr("Connecting to the server…"), "push": self.tr("Sending changes…"),
                 "pull": self.tr("Receiving changes…")}
        self.stage_text = texts.get(stage, "")
        self.progress.setFormat(f"{self.stage_text} %p%" if self.stage_text else "%p%")
        if self.stage_text:
            self.busy.setText(self.stage_text)

    def cancel_job(self) -> None:
        """取消 Cancel: the running job stops at its next check; the bar hides when the lane is idle."""
        if self.job is not None and self.job.cancellable:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.busy.setText(self.tr("Cancelling…"))

    # ---------------------------------------------------------------- sync
    def auto_sync(self) -> None:
        """The timer's sync: the same session as 立即同步, reported only in the status bar."""
        if self.auto_sync_action.isChecked() and self.lane is not None and self.lane.pending == 0:
            self.sync_now(quiet=True)   # waits for a quiet lane: never queued behind the user's work

    def _auto_sync_toggled(self, on: bool) -> None:
        if self.settings is not None:
            self.settings.setValue("sync/auto", on)
        if on and self.lane is not None:
            self.auto_sync_timer.start()
        else:
            self.auto_sync_timer.stop()

    def show_enrol(self) -> None:
        """文件 → 连接服务器: enrol with a one-time code; a first sync follows at once."""
        if self.lane is None or self.detached or self.sync_job is not None:
            return
        dialog = EnrolDialog(self.store, self.lane, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._enrolled)
        self.enrol_dialog = dialog
        dialog.open()

    def _enrolled(self) -> None:
        self.enrolled = True
        self.vocab_entry.refresh_role()     # the role came with the certificate
        self.refresh_status()
        self.statusBar().showMessage(self.tr("Connected to the server; syncing…"))
        self.sync_now()

    def sync_now(self, quiet: bool = False) -> None:
        """文件 → 立即同步: one sync session on the lane, with progress and cancel."""
        if self.lane is None or self.sync_job is not None or self.detached or not self.enrolled:
            return
        self.sync_quiet = quiet
        self.sync_result = None
        store = self.store
        lane = self.lane

        def work(job: Job) -> client.SyncResult:
            last = [""]

            def progress(stage: str, done: int, total: int | None) -> None:
                if stage != last[0]:
                    last[0] = stage
                    job.report_stage(stage)
                job.report(done, total or 0)
                if stage in ("push", "pull") and store.transaction_depth == 0 and lane is not None:
                    lane.run_waiting()   # a save or search asked for meanwhile waits one page, not the sync

            result = client.sync_once(store, progress=progress, cancel=job.cancel_event,
                                      batch=SYNC_PAGE, pull_batch=SYNC_PAGE)
            if result.pulled:
                load_vocab(store)   # vocabularies may have come with the changes
            return result

        self.statusBar().clearMessage()
        job = self.lane.submit("sync", work, self._sync_done, self._sync_failed, cancellable=True)
        job.ended.connect(self._sync_ended)
        self.sync_job = job
        self.sync_action.setEnabled(False)

    def _sync_done(self, result: object) -> None:
        r: client.SyncResult = result  # type: ignore[assignment]
        self.sync_result = r
        if r.cancelled:
            return   # _sync_ended says so
        if self.sync_quiet:
            # Nothing pops up for a sync the user did not ask for; the status bar and the
            # sync-problems count say what happened.
            self.last_auto_sync = QTime.currentTime().toString("HH:mm")
            self.statusBar().showMessage(self.tr("Synced automatically at %1: sent %2, received %3").replace(
                "%1", self.last_auto_sync).replace("%2", str(r.pushed)).replace("%3", str(r.pulled)))
            return
        text = self.tr("Sync finished: sent %1, received %2, new conflicts %3, refused %4")
        for i, n in enumerate((r.pushed, r.pulled, r.conflicts, r.rejected), 1):
            text = text.replace(f"%{i}", str(n))
        self.statusBar().showMessage(text)
        if r.conflicts or r.rejected or r.clock_warning:
            details = [text] + ([r.clock_warning] if r.clock_warning else [])
            self._sync_message(QMessageBox.Icon.Information, "\n\n".join(details),
                               problems=bool(r.conflicts or r.rejected))

    def _sync_failed(self, error: Exception) -> None:
        if isinstance(error, LeheError):
            text = error.message(i18n.current())
        else:
            log.error("sync failed", exc_info=error)
            text = self.tr("Sync failed unexpectedly; the details are in the log.")
        if self.sync_quiet:
            # Offline is normal in the field: say it quietly and try again at the next interval.
            self.statusBar().showMessage(self.tr("Automatic sync did not work (%1); it will try again later.")
                                         .replace("%1", text))
            return
        self.statusBar().showMessage(self.tr("Sync failed: %1").replace("%1", text))
        self._sync_message(QMessageBox.Icon.Warning, text)

    def _sync_ended(self) -> None:
        job = self.sync_job
        self.sync_job = None
        if job is not None and job.cancelled:
            self.statusBar().showMessage(self.tr("Sync cancelled; what was already sent or received is kept."))
        if self.detached:
            return
        self.refresh_status()
        r = self.sync_result
        if r is not None and not (r.pushed or r.pulled or r.conflicts or r.rejected):
            return   # nothing moved: reloading would only drop the user's selection every few minutes
        self._refresh_views()
        if self.problems_dialog is not None:
            self.problems_dialog.reload()   # open during the sync: its lists must match the status-bar count

    def _sync_message(self, icon: QMessageBox.Icon, text: str, *, problems: bool = False) -> None:
        if self.detached:
            return
        # Window-modal and non-blocking: the result waits for the user without stopping the app.
        box = QMessageBox(icon, self.tr("Sync now"), text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("sync_message")
        if problems:
            show = box.addButton(self.tr("Show sync problems"), QMessageBox.ButtonRole.ActionRole)
            show.setObjectName("show_problems")
            show.clicked.connect(self.show_sync_problems)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: setattr(self, "sync_box", None))
        self.sync_box = box
        box.open()

    def show_audit_log(self) -> None:
        """记录 → 审计日志 (issue 16): who did what, when; read-only."""
        if self.detached:
            return
        dialog = AuditDialog(self.store, self.lane, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_bundle_dialog(self, kind: type[ExportBundleDialog | ImportBundleDialog | BundleLogDialog]) -> None:
        """文件 → 导出/导入同步包 (gui/bundles.py); the views refresh when it closes."""
        if self.lane is None or self.detached:
            return
        dialog = kind(self.store, self.lane, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._bundle_closed)
        self.bundle_dialog = dialog
        dialog.open()

    def _bundle_closed(self) -> None:
        """A bundle may have brought records and taken unsent ones: show the new state."""
        self._refresh_views()
        self.refresh_status()

    def show_sync_problems(self) -> None:
        """文件 → 同步问题: conflicts to settle and refused changes to acknowledge."""
        if self.detached:
            return
        if self.problems_dialog is not None:
            self.problems_dialog.reload()
            self.problems_dialog.raise_()
            self.problems_dialog.activateWindow()
            return
        dialog = SyncProblemsDialog(self.store, self.lane, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._problems_changed)
        dialog.open_record.connect(self.open_record)
        dialog.finished.connect(lambda _r: setattr(self, "problems_dialog", None))
        self.problems_dialog = dialog
        dialog.open()

    def show_roster_import(self) -> RosterImportDialog | None:
        """文件 → 导入花名册: choose a roster, preview every row and problem, import with progress."""
        if self.detached or self.lane is None:
            return None
        dialog = RosterImportDialog(self.store, self.lane, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.data_changed.connect(self._records_changed)
        self.roster_dialog = dialog
        dialog.open()
        return dialog

    def show_bin(self) -> BinDialog | None:
        """记录 → 回收站: deleted records and what went with them; Restore brings them back."""
        if self.detached or self.lane is None:
            return None
        dialog = BinDialog(self.store, self.lane, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self._records_changed)
        self.bin_dialog = dialog
        dialog.open()
        return dialog

    def _records_changed(self) -> None:
        """Rows were imported or restored: the lists shown and the unsent count are out of date."""
        if self.detached:
            return
        self.refresh_status()
        self._refresh_views()

    def _problems_changed(self) -> None:
        # A resolution is a new change of the record: refresh what shows it, and the counts.
        self.refresh_status()
        self._refresh_views()

    def _after_anonymising(self) -> None:
        """A person was scrubbed from many records (visits, attendance …): reload every view and search."""
        self._refresh_views()
        if self.search_page.query:
            self.search_page.run(self.search_page.query)

    def _refresh_views(self) -> None:
        """Other people's changes may have arrived: reload what has been shown."""
        for key in self.loaded:
            self.pages[key].load()  # type: ignore[attr-defined]
        hh: HouseholdsPage = self.pages["households"]  # type: ignore[assignment]
        if hh.currentWidget() is hh.profile:
            hh.profile.reload()   # a household deleted meanwhile goes back to the list

    def detach(self) -> None:
        """Before the store closes (lock): stop everything that would still read it."""
        self.detached = True
        self.status_timer.stop()
        self.auto_sync_timer.stop()
        self.progress_delay.stop()
        self.search_timer.stop()
        if self.lane is not None:
            self.lane.busy_changed.disconnect(self._busy)
            self.lane.job_started.disconnect(self._job_started)
            if self.sync_job is not None:
                self.sync_job.cancel()   # the store is about to close under it
        self.hide()

    def refresh_status(self) -> None:
        """Unsent changes, sync problems, enrolment: counted on the lane, shown when they arrive."""
        if self.detached:
            return
        self._enable_sync()
        if self._status_job is not None:
            self._status_again = True   # one refresh at a time; one more after it
            return
        store = self.store
        self._status_job = self.lane.query(lambda: status_counts(store), self._show_status, self._status_failed,
                                           owner=self, name="status")

    def _show_status(self, counts: tuple[int, int, bool]) -> None:
        self._status_job = None
        if self.detached:
            return
        n, problems, self.enrolled = counts
        self.unsent.setText(self.tr("%n change(s) not yet sent", "", n))
        self.problems_button.setText(self.tr("%n sync problem(s)", "", problems))
        self.problems_button.setVisible(problems > 0)
        self._enable_sync()
        self.status_refreshed.emit()
        if self._status_again:
            self._status_again = False
            self.refresh_status()

    def _status_failed(self, error: Exception) -> None:
        self._status_job = None
        log.error("status counts failed", exc_info=error)

    def _enable_sync(self) -> None:
        self.sync_action.setEnabled(self.lane is not None and self.sync_job is None and self.enrolled)
        self.enrol_action.setEnabled(self.lane is not None and self.sync_job is None)
        self.auto_sync_action.setEnabled(self.enrolled)

    # ---------------------------------------------------------------- layout memory
    def restore_layout(self) -> None:
        """The window's size and place as last left. The page is not remembered: the app always
        opens on 今日 (a new user lost on a half-finished list page asked where to start)."""
        if self.settings is None:
            return
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)

    def save_layout(self) -> None:
        if self.settings is None:
            return
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)

    # ---------------------------------------------------------------- texts
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Lehe Desktop"))
        self.title_label.setText(self.tr("Lehe social work"))
        names = (self.tr("Home"), self.tr("Households"), self.tr("Visits"), self.tr("Activities"),
                 self.tr("Meetings"), self.tr("Matters"), self.tr("Tasks"))
        for i, name in enumerate(names):
            self.nav.item(i).setText(name)
        self.search.setPlaceholderText(self.tr("Search names, places, notes (Ctrl+F)"))
        self.file_menu.setTitle(self.tr("&File"))
        self.sync_action.setText(self.tr("Sync now"))
        self.auto_sync_action.setText(self.tr("Sync automatically"))
        self.enrol_action.setText(self.tr("Connect to the server…"))
        self.problems_action.setText(self.tr("Sync problems…"))
        self.roster_action.setText(self.tr("Import roster…"))
        self.bin_action.setText(self.tr("Bin…"))
        self.export_bundle_action.setText(self.tr("Export sync bundle…"))
        self.import_bundle_action.setText(self.tr("Import sync bundle…"))
        self.bundle_log_action.setText(self.tr("Sync bundles sent and received…"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.lock_action.setText(self.tr("Lock now"))
        self.files.retranslate()
        self.quit_action.setText(self.tr("Quit"))
        self.records_menu.setTitle(self.tr("&Records"))
        self.new_action.setText(self.tr("New"))
        self.find_action.setText(self.tr("Search"))
        self.vocab_entry.retranslate()
        self.audit_action.setText(self.tr("Audit log…"))
        self.lang_menu.setTitle(self.tr("&Language / 语言"))
        self.lang_actions[i18n.current()].setChecked(True)
        if getattr(self, "_building", False):
            self._enable_sync()
        else:
            self.refresh_status()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event) and not self.detached:
            self.retranslate()
        super().changeEvent(event)
