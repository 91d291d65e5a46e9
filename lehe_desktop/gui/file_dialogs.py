"""文件 File menu dialogs: backup, restore, export, change passphrase, export diagnostics.

Every dialog is window-modal and non-blocking (``open()``). The work runs on the database lane
(``DbLane.submit``) with progress in the dialog and a working 取消 Cancel where the core can stop
(backup, export: nothing half-written is left); the passphrase's Argon2 runs there too. A failure
is shown in words (the core's coded message in the UI language), never a traceback.

Restore asks twice: first it reads the chosen file and shows what it holds (made when, by which
app version and laptop, how many records of each type, against what this laptop holds now); only
after 恢复 Restore is clicked does the window hand over to the session (``restore_confirmed``),
which closes the store, replaces the database and reopens the window on the restored data.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core import exports
from ..core.cli_support import file_error
from ..core.errors import CancelledError, LeheError, StorageError
from ..core.paths import DataPaths
from ..core.records.schema import REGISTRY
from ..core.store import diagnostics, vault
from ..core.store.backup import backup_target
from ..core.store.backup_info import BackupSummary, read_summary
from ..core.store.keys import check_passphrase, passphrase_score
from ..core.store.store import Store
from . import i18n
from .forms import ERROR_STYLE, WARNING_STYLE
from .unlock import STRENGTH_COLOURS
from .worker import DbLane, Job

log = logging.getLogger(__name__)

OK_STYLE = "color: #2e7d32;"
# The record types a summary lists first (others follow when they hold anything).
MAIN_TYPES = ("household", "member", "visit", "activity", "meeting", "matter", "task")


def documents_dir() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def error_text(error: Exception, widget: QWidget) -> str:
    """A failure in words: the core's message in the UI language; anything else is logged.

    Translated in a fixed context: ``widget.tr`` looks the text up under the widget's own class,
    where lupdate never put it (it went under "widget"), so the Chinese UI showed the English.
    """
    if isinstance(error, LeheError):
        return window_words(error.code) or error.message(i18n.current())
    coded = file_error(error)
    if coded is not None:
        # A folder or file that cannot be used (a read-only or pulled USB stick, a full disk, no
        # permission): the place and the reason, not "unexpected" (the command line's words).
        log.warning("file job: %s", coded.code)
        return coded.message(i18n.current())
    log.error("file job failed", exc_info=error)
    return QCoreApplication.translate(
        "FileJobDialog", "Something went wrong unexpectedly; the details are in the log (Export diagnostics…).")


def window_words(code: str) -> str:
    """The window's own words for a core error whose text names a command (``enroll``), or ""."""
    if code in ("bundle.not_enrolled", "sync.not_enrolled"):
        return QCoreApplication.translate(
            "FileJobDialog", "This laptop is not connected to the server yet (or has not yet received its list of "
            "devices): connect with File → Connect to the server…, then choose Sync now once.")
    return ""


def local_time(iso: str) -> str:
    """An ISO 8601 UTC time as the laptop's local date and time."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def size_text(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, round(n / 1024))} KB"


def type_name(rtype: str) -> str:
    rt = REGISTRY.get(rtype)
    return i18n.pick(rt.zh, rt.en) if rt else rtype


def listed_counts(counts: dict[str, int]) -> list[tuple[str, int]]:
    """The main record types first, then any other type that holds records."""
    main = [(t, counts.get(t, 0)) for t in MAIN_TYPES if t in counts]
    rest = sorted((t, n) for t, n in counts.items() if t not in MAIN_TYPES and n)
    return main + rest


class StrengthMeter(QWidget):
    """The first-run dialog's passphrase strength bar, with its word (很弱 … 强)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 4)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        self.label = QLabel()
        self.label.setObjectName("strength")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.label)

    def show_for(self, text: str) -> None:
        score = passphrase_score(text) if text else 0
        self.bar.setValue(score if text else 0)
        self.bar.setStyleSheet(f"QProgressBar::chunk {{ background: {STRENGTH_COLOURS[score]}; }}")
        names = (self.tr("Very weak"), self.tr("Weak"), self.tr("Fair"), self.tr("Good"), self.tr("Strong"))
        self.label.setText(names[score] if text else "")


class FileJobDialog(QDialog):
    """A dialog that runs one job on the lane: progress bar, a message line, Start and Cancel/Close."""

    intro: QLabel               # made by each subclass, laid out by ``lay_out``
    form: QFormLayout

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.lane = lane
        self.job: Job | None = None
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress = QProgressBar()
        self.progress.setObjectName("file_job_progress")
        self.progress.hide()
        self.message = QLabel()
        self.message.setObjectName("file_job_message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start_button = QPushButton()
        self.start_button.setObjectName("start")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.close_button = QPushButton()
        self.close_button.setObjectName("close")
        self.close_button.clicked.connect(self._close_or_cancel)
        # After a file was written: show it in the file manager (Explorer on Windows).
        self.folder_button = QPushButton()
        self.folder_button.setObjectName("open_folder")
        self.folder_button.clicked.connect(self._open_folder)
        self.folder_button.hide()
        self.shown_folder: Path | None = None
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.folder_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.start_button)
        self.buttons.addWidget(self.close_button)

    # ------------------------------------------------------------ running
    def start(self) -> None:
        raise NotImplementedError

    def run(self, name: str, fn: Callable[[Job], Any], done: Callable[[Any], None], *,
            cancellable: bool = False) -> Job:
        self.say(self.working_text())
        self.progress.setRange(0, 0)
        self.progress.show()
        self.start_button.setEnabled(False)
        job = self.lane.submit(name, fn, done, self._failed, cancellable=cancellable)
        job.progress.connect(self._progress)
        job.ended.connect(self._ended)
        self.job = job
        self._buttons_text()
        return job

    def working_text(self) -> str:
        return self.tr("Working…")

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))

    def _failed(self, error: Exception) -> None:
        if isinstance(error, CancelledError):
            self.say(error.message(i18n.current()), WARNING_STYLE)
        else:
            self.say(error_text(error, self), ERROR_STYLE)
        self.start_button.setEnabled(True)

    def _ended(self) -> None:
        job = self.job
        self.job = None
        self.progress.hide()
        if job is not None and job.cancelled:
            self.start_button.setEnabled(True)
            if self.message.text() in ("", self.tr("Cancelling…")):   # stopped before it began
                self.say(self.tr("Cancelled."), WARNING_STYLE)
        self._buttons_text()

    def _close_or_cancel(self) -> None:
        if self.job is not None:
            if self.job.cancellable:
                self.job.cancel()
                self.close_button.setEnabled(False)
                self.say(self.tr("Cancelling…"), WARNING_STYLE)
            return
        self.reject()

    def reject(self) -> None:
        if self.job is not None:
            self._close_or_cancel()   # Esc while working cancels; the dialog stays until the job ends
            return
        super().reject()

    def offer_folder(self, folder: Path) -> None:
        self.shown_folder = folder
        self.folder_button.show()

    def _open_folder(self) -> None:
        if self.shown_folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.shown_folder)))

    def say(self, text: str, style: str = "") -> None:
        self.message.setStyleSheet(style)
        self.message.setText(text)

    def chosen_path(self, edit: QLineEdit, missing: str) -> Path | None:
        """The path typed or browsed in ``edit`` (``~`` expanded), or None after saying ``missing``."""
        text = edit.text().strip()
        if not text:
            self.say(missing, ERROR_STYLE)
            return None
        return Path(text).expanduser()

    def _buttons_text(self) -> None:
        running = self.job is not None
        self.close_button.setText(self.tr("Cancel") if running else self.tr("Close"))
        self.close_button.setEnabled(not running or (self.job is not None and self.job.cancellable
                                                      and not self.job.cancelled))

    def lay_out(self) -> None:
        """The intro, the subclass's ``form``, progress and message, the buttons at the bottom."""
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addLayout(self.form)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        lay.addStretch(1)
        lay.addLayout(self.buttons)

    def path_row(self, edit: QLineEdit, browse: Callable[[], None]) -> QHBoxLayout:
        button = QPushButton(self.tr("Browse…"))
        button.setObjectName("browse")
        button.clicked.connect(browse)
        self.browse_button = button
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        return row

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self._buttons_text()
        self.folder_button.setText(self.tr("Open folder"))
        if hasattr(self, "browse_button"):
            self.browse_button.setText(self.tr("Browse…"))


class OneDialog:
    """For a set of menu actions: one dialog of theirs open at a time (opening another closes it)."""

    dialog: QDialog | None = None

    def open_one(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r, d=dialog: self._one_closed(d))
        self.dialog = dialog
        dialog.open()

    def _one_closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None


def ask_save_path(parent: QWidget, edit: QLineEdit, title: str, file_filter: str, suffix: str) -> None:
    """The save-file chooser, starting at ``edit``'s path; the chosen path (with ``suffix``) goes back there."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, title, edit.text(), file_filter)
    if chosen:
        edit.setText(chosen if chosen.endswith(suffix) else chosen + suffix)


def passphrase_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


# ---------------------------------------------------------------------------------------- backup


class BackupDialog(FileJobDialog):
    """备份: where to write, the passphrase (the key is not kept in memory), progress, what was written."""

    def __init__(self, store: Store, lane: DbLane, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, parent)
        self.setObjectName("backup_dialog")
        self.paths = paths
        self.written: BackupSummary | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        self.target = QLineEdit(str(documents_dir() / f"lehe-backup-{stamp}.lehe-backup"))
        self.target.setObjectName("backup_target")
        self.passphrase = passphrase_edit("passphrase")
        self.form = QFormLayout()
        self.target_label, self.pass_label = QLabel(), QLabel()
        self.form.addRow(self.target_label, self.path_row(self.target, self._browse))
        self.form.addRow(self.pass_label, self.passphrase)
        self.lay_out()
        self.resize(620, 300)
        self.retranslate()

    def _browse(self) -> None:
        ask_save_path(self, self.target, self.tr("Back up to"), self.tr("Lehe backups (*.lehe-backup)"), ".lehe-backup")

    def working_text(self) -> str:
        return self.tr("Writing the backup…")

    def start(self) -> None:
        target = self.chosen_path(self.target, self.tr("Choose where to write the backup."))
        if target is None:
            return
        pw, paths, store = self.passphrase.text(), self.paths, self.store

        def work(job: Job) -> BackupSummary:
            key = vault.keyfile(paths).unlock(pw)
            out = backup_target(target)
            if store.check_integrity() != "ok":
                raise StorageError("backup.source_damaged", "数据库已损坏，未写入备份；请导出诊断信息并联系支持",
                                   "The database is damaged; no backup was written. Export diagnostics and "
                                   "contact support")

            def stopped() -> CancelledError:
                return CancelledError("backup.cancelled", "备份已取消；未留下任何文件",
                                      "Backup cancelled; nothing was left behind")

            def progress(done: int, total: int) -> None:
                if job.cancelled:
                    raise stopped()
                job.report(done, total)

            # keys.json's wrapped keys go into the file: it opens on a new laptop with the passphrase
            # or a recovery key (core/store/backup_file.py).
            written = store.backup_to(key, out, progress=progress, keys=vault.key_entries(paths))
            if job.cancelled:   # cancelled after the last step: the window says "cancelled", so keep nothing
                written.unlink(missing_ok=True)
                raise stopped()
            return read_summary(written, key)

        self.passphrase.clear()
        self.run("backup", work, self._done, cancellable=True)

    def _done(self, summary: BackupSummary) -> None:
        self.written = summary
        self.offer_folder(summary.path.parent)
        counts = "，".join(f"{type_name(t)} {n}" for t, n in listed_counts(
            {c.rtype: c.count for c in summary.counts})[:len(MAIN_TYPES)])
        self.say(self.tr("Backup written to %1 (%2): %3. Keep it somewhere other than this laptop, "
                         "e.g. on a USB stick kept locked away.")
                 .replace("%1", str(summary.path)).replace("%2", size_text(summary.size)).replace("%3", counts),
                 OK_STYLE)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Back up"))
        self.intro.setText(self.tr(
            "A backup is one encrypted file with all your records. It opens only with your passphrase or "
            "your recovery key, on this laptop or a new one. Type your passphrase to confirm it is you."))
        self.target_label.setText(self.tr("Back up to"))
        self.pass_label.setText(self.tr("Passphrase"))
        self.start_button.setText(self.tr("Back up"))


# --------------------------------------------------------------------------------------- restore


class RestoreDialog(FileJobDialog):
    """恢复: choose a backup, see what it holds, then confirm; the session does the replacing."""

    restore_confirmed = Signal(object, object)   # source Path, database key (bytes)

    def __init__(self, store: Store, lane: DbLane, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, parent)
        self.setObjectName("restore_dialog")
        self.paths = paths
        self.summary: BackupSummary | None = None
        self.current: dict[str, int] = {}
        self._key: bytes | None = None
        self.pages = QStackedWidget()
        # Page 1: the file and the passphrase.
        choose = QWidget()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.source = QLineEdit(str(paths.backups if paths.backups.is_dir() else documents_dir()))
        self.source.setObjectName("restore_source")
        self.passphrase = passphrase_edit("passphrase")
        self.form = QFormLayout()
        self.source_label, self.pass_label = QLabel(), QLabel()
        self.form.addRow(self.source_label, self.path_row(self.source, self._browse))
        self.form.addRow(self.pass_label, self.passphrase)
        c = QVBoxLayout(choose)
        c.setContentsMargins(0, 0, 0, 0)
        c.addWidget(self.intro)
        c.addLayout(self.form)
        c.addStretch(1)
        # Page 2: what the backup holds, against this laptop now.
        preview = QWidget()
        self.about = QLabel()
        self.about.setObjectName("backup_about")
        self.about.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("backup_counts")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.warning = QLabel()
        self.warning.setObjectName("restore_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        p = QVBoxLayout(preview)
        p.setContentsMargins(0, 0, 0, 0)
        p.addWidget(self.about)
        p.addWidget(self.table, 1)
        p.addWidget(self.warning)
        self.pages.addWidget(choose)
        self.pages.addWidget(preview)
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restore")
        self.restore_button.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.restore_button.clicked.connect(self._confirm)
        self.restore_button.hide()
        self.buttons.insertWidget(2, self.restore_button)
        lay = QVBoxLayout(self)
        lay.addWidget(self.pages, 1)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        lay.addLayout(self.buttons)
        self.resize(640, 480)
        self.retranslate()

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(self, self.tr("Restore from"), self.source.text(),
                                                      self.tr("Lehe backups (*.lehe-backup);;All files (*)"))
        if chosen:
            self.source.setText(chosen)

    def working_text(self) -> str:
        return self.tr("Reading the backup…")

    def start(self) -> None:
        """读取备份: unlock the key with the passphrase, read the file's summary and today's counts."""
        source = Path(self.source.text().strip()).expanduser()
        if not self.source.text().strip() or source.is_dir():
            self.say(self.tr("Choose a backup file (.lehe-backup)."), ERROR_STYLE)
            return
        pw, paths, store = self.passphrase.text(), self.paths, self.store

        def work(job: Job) -> tuple[bytes, BackupSummary, dict[str, int]]:
            key = vault.keyfile(paths).unlock(pw)
            summary = read_summary(source, key)
            now = {c.rtype: store.count(c.rtype) for c in summary.counts}
            return key, summary, now

        self.passphrase.clear()
        self.run("read backup", work, self._read)

    def _read(self, result: tuple[bytes, BackupSummary, dict[str, int]]) -> None:
        self._key, self.summary, self.current = result
        self.say("")
        self.pages.setCurrentIndex(1)
        self.start_button.hide()
        self.restore_button.show()
        self.restore_button.setDefault(True)
        self._show_summary()

    def _show_summary(self) -> None:
        s = self.summary
        if s is None:
            return
        same = s.device_id == self.store.device_id
        lines = [self.tr("File: %1 (%2)").replace("%1", str(s.path)).replace("%2", size_text(s.size)),
                 (self.tr("Made: %1 (the file's date; this backup does not say)") if s.made_at_from_file
                  else self.tr("Made: %1")).replace("%1", local_time(s.made_at)),
                 self.tr("By app version: %1").replace("%1", s.app or self.tr("not recorded")),
                 (self.tr("From: this laptop") if same else
                  self.tr("From: another installation (%1)").replace("%1", s.device_id[:8])),
                 self.tr("Latest change in it: %1").replace("%1", local_time(s.last_change_at)
                                                            if s.last_change_at else "—")]
        self.about.setText("\n".join(lines))
        backup = {c.rtype: c.count for c in s.counts}
        rows = listed_counts({t: max(n, self.current.get(t, 0)) for t, n in backup.items()})
        self.table.setRowCount(len(rows))
        for i, (rtype, _n) in enumerate(rows):
            for j, value in enumerate((type_name(rtype), str(backup.get(rtype, 0)), str(self.current.get(rtype, 0)))):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, rtype)
                if j:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, item)
        self.warning.setText(self.tr(
            "Restoring replaces everything on this laptop with this backup. What was entered after %1 and "
            "not yet synced is lost. A copy of today's data is kept first among the automatic backups.")
            .replace("%1", local_time(s.made_at)))

    def backup_count(self, rtype: str) -> int:
        """The count the preview shows for ``rtype`` (tests read it)."""
        for i in range(self.table.rowCount()):
            item = self.table.item(i, 1)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == rtype:
                return int(item.text())
        return 0

    def _confirm(self) -> None:
        if self.summary is None or self._key is None:
            return
        key, self._key = self._key, None
        self.restore_confirmed.emit(self.summary.path, key)
        self.accept()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Restore from a backup"))
        self.intro.setText(self.tr(
            "Choose a backup file. Nothing is replaced yet: first you see what the backup holds and when "
            "it was made, and then decide."))
        self.source_label.setText(self.tr("Backup file"))
        self.pass_label.setText(self.tr("Passphrase"))
        self.start_button.setText(self.tr("Read the backup"))
        self.restore_button.setText(self.tr("Replace my data with this backup"))
        self.table.setHorizontalHeaderLabels([self.tr("Records"), self.tr("In the backup"), self.tr("On this laptop now")])
        self._show_summary()


# ---------------------------------------------------------------------------------------- export


class ExportDialog(FileJobDialog):
    """导出: level, format, folder, and for name-level data the archive password; progress and cancel."""

    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, parent)
        self.setObjectName("export_dialog")
        self.exported: exports.ExportResult | None = None
        self.level = QComboBox()
        self.level.setObjectName("export_level")
        for code in ("deidentified", "aggregate", "named"):
            self.level.addItem("", code)
        self.level.currentIndexChanged.connect(self._level_changed)
        self.fmt = QComboBox()
        self.fmt.setObjectName("export_format")
        for code in exports.FORMATS:
            self.fmt.addItem("", code)
        self.level_help = QLabel()
        self.level_help.setObjectName("level_help")
        self.level_help.setWordWrap(True)
        self.folder = QLineEdit(str(documents_dir() / "lehe-export"))
        self.folder.setObjectName("export_folder")
        self.password = passphrase_edit("export_password")
        self.password2 = passphrase_edit("export_password_confirm")
        self.zip_help = QLabel()
        self.zip_help.setObjectName("zip_help")
        self.zip_help.setWordWrap(True)
        self.zip_help.setStyleSheet("background: #fffbe6; border: 1px solid #e0c060; padding: 6px;")
        self.form = QFormLayout()
        self.level_label, self.fmt_label, self.folder_label = QLabel(), QLabel(), QLabel()
        self.pw_label, self.pw2_label = QLabel(), QLabel()
        self.form.addRow(self.level_label, self.level)
        self.form.addRow("", self.level_help)
        self.form.addRow(self.fmt_label, self.fmt)
        self.form.addRow(self.folder_label, self.path_row(self.folder, self._browse))
        self.form.addRow(self.pw_label, self.password)
        self.form.addRow(self.pw2_label, self.password2)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.zip_help)
        lay.addWidget(self.progress)
        lay.addWidget(self.message)
        lay.addStretch(1)
        lay.addLayout(self.buttons)
        self.resize(660, 470)
        self.retranslate()
        self._level_changed()

    def set_level(self, code: str) -> None:
        self.level.setCurrentIndex(self.level.findData(code))

    def set_format(self, code: str) -> None:
        self.fmt.setCurrentIndex(self.fmt.findData(code))

    def _named(self) -> bool:
        return self.level.currentData() == "named"

    def _level_changed(self) -> None:
        named = self._named()
        for w in (self.password, self.password2, self.pw_label, self.pw2_label, self.zip_help):
            w.setVisible(named)
        self._level_help()

    def _level_help(self) -> None:
        texts = {
            "deidentified": self.tr("Every record type, without names, ID numbers, phones and free text; "
                                    "ids replaced by pseudonyms, birth dates by the year. For reports."),
            "aggregate": self.tr("Only counts per village (counts of 1–4 shown as <5). The safest to hand out."),
            "named": self.tr("Everything, with names and ID numbers — only inside a password-protected, "
                             "AES-256 encrypted ZIP file. Give the password separately (by phone, not in "
                             "the same message)."),
        }
        self.level_help.setText(texts.get(self.level.currentData(), ""))

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Export into folder"), self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def working_text(self) -> str:
        return self.tr("Exporting…")

    def start(self) -> None:
        level, fmt = str(self.level.currentData()), str(self.fmt.currentData())
        outdir = self.chosen_path(self.folder, self.tr("Choose a folder for the export."))
        if outdir is None:
            return
        password: str | None = None
        if level == "named":
            password = self.password.text()
            if len(password) < exports.MIN_PASSWORD_LEN:
                self.say(self.tr("The archive password needs at least %1 characters.")
                         .replace("%1", str(exports.MIN_PASSWORD_LEN)), ERROR_STYLE)
                return
            if password != self.password2.text():
                self.say(self.tr("The two passwords are different."), ERROR_STYLE)
                return
        store = self.store

        def work(job: Job) -> exports.ExportResult:
            return exports.export(store, outdir, fmt=fmt, level=level, password=password,
                                  progress=job.report, cancel=job.cancel_event)

        self.run("export", work, self._done, cancellable=True)

    def _done(self, result: exports.ExportResult) -> None:
        self.exported = result
        self.offer_folder(result.folder)
        files = "\n".join(f"  {f.name}" for f in result.files)
        text = self.tr("Export written to %1:").replace("%1", str(result.folder)) + "\n" + files
        if result.level == "named":
            text += "\n" + self.tr("Open it with 7-Zip (or WinRAR, Bandizip, PeaZip) and the password.")
        self.say(text, OK_STYLE)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Export"))
        for i, text in enumerate((self.tr("De-identified records"), self.tr("Counts only (aggregate)"),
                                  self.tr("Named records (encrypted ZIP)"))):
            self.level.setItemText(i, text)
        for i, code in enumerate(exports.FORMATS):
            self.fmt.setItemText(i, {"csv": self.tr("CSV (one file per record type)"),
                                     "xlsx": self.tr("Excel workbook (.xlsx)")}.get(code, code))
        self.level_label.setText(self.tr("What"))
        self.fmt_label.setText(self.tr("Format"))
        self.folder_label.setText(self.tr("Into folder"))
        self.pw_label.setText(self.tr("ZIP password"))
        self.pw2_label.setText(self.tr("Repeat password"))
        self.zip_help.setText(self.tr(
            "Which programs open this file: the ZIP is encrypted with AES-256. Open it with 7-Zip (free), "
            "WinRAR, Bandizip or PeaZip, or on a Mac with Keka. Windows' built-in zip (double-clicking in "
            "Explorer) cannot open it and may say the file is damaged or the password is wrong — it is not."))
        self.start_button.setText(self.tr("Export"))
        self._level_help()


# ------------------------------------------------------------------------------------ passphrase


class PassphraseDialog(FileJobDialog):
    """修改密码: the current passphrase, the new one twice with the strength meter."""

    def __init__(self, store: Store, lane: DbLane, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, parent)
        self.setObjectName("passphrase_dialog")
        self.paths = paths
        self.changed = False
        self._weak_confirmed: str | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.old = passphrase_edit("old_passphrase")
        self.new1 = passphrase_edit("new_passphrase")
        self.new2 = passphrase_edit("new_passphrase_confirm")
        self.meter = StrengthMeter()
        self.new1.textChanged.connect(self._update_meter)
        self.form = QFormLayout()
        self.old_label, self.new1_label, self.new2_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.old_label, self.old)
        self.form.addRow(self.new1_label, self.new1)
        self.form.addRow(self.new2_label, self.new2)
        self.form.addRow("", self.meter)
        self.lay_out()
        self.resize(560, 330)
        self.retranslate()

    def _update_meter(self) -> None:
        self.meter.show_for(self.new1.text())
        if not self.job:
            self.say("")

    def working_text(self) -> str:
        return self.tr("Changing the passphrase…")

    def start(self) -> None:
        if not self.old.text():   # not "at least 8 characters" (which field?), nor a wasted wrong-passphrase try
            self.say(self.tr("Enter the current passphrase first."), ERROR_STYLE)
            self.old.setFocus()
            return
        new = self.new1.text()
        problems = check_passphrase(new)
        errors = [p for p in problems if p.is_error]
        if errors:
            self.say(errors[0].message(i18n.current()), ERROR_STYLE)
            return
        if new != self.new2.text():
            self.say(self.tr("The two passphrases are different."), ERROR_STYLE)
            return
        if new == self.old.text():
            self.say(self.tr("The new passphrase is the same as the current one."), ERROR_STYLE)
            return
        if problems and self._weak_confirmed != new:
            self._weak_confirmed = new
            self.say(problems[0].message(i18n.current()) + "\n"
                     + self.tr("Click “Change” again to use it anyway."), WARNING_STYLE)
            return
        old, paths = self.old.text(), self.paths
        self.run("change passphrase", lambda _job: vault.change_passphrase(paths, old, new), self._done)

    def _done(self, _result: object) -> None:
        self.changed = True
        for edit in (self.old, self.new1, self.new2):
            edit.clear()
        self.say(self.tr("Passphrase changed. Use the new one from now on; the recovery key stays the same."),
                 OK_STYLE)
        self.start_button.hide()

    def _failed(self, error: Exception) -> None:
        super()._failed(error)
        self.old.selectAll()
        self.old.setFocus()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Change passphrase"))
        self.intro.setText(self.tr(
            "The new passphrase opens your records from now on. Your records are not re-encrypted, so this "
            "is quick; backups made before still open with this laptop's key."))
        self.old_label.setText(self.tr("Current passphrase"))
        self.new1_label.setText(self.tr("New passphrase"))
        self.new2_label.setText(self.tr("Repeat passphrase"))
        self.start_button.setText(self.tr("Change"))
        self.meter.show_for(self.new1.text())


# ----------------------------------------------------------------------------------- diagnostics


class DiagnosticsDialog(FileJobDialog):
    """导出诊断信息: versions, counts, schema and logs for a support request — nothing personal."""

    def __init__(self, store: Store, lane: DbLane, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, parent)
        self.setObjectName("diagnostics_dialog")
        self.paths = paths
        self.written: Path | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M")
        self.target = QLineEdit(str(documents_dir() / f"lehe-diagnostics-{stamp}.zip"))
        self.target.setObjectName("diagnostics_target")
        self.form = QFormLayout()
        self.target_label = QLabel()
        self.form.addRow(self.target_label, self.path_row(self.target, self._browse))
        self.lay_out()
        self.resize(600, 300)
        self.retranslate()

    def _browse(self) -> None:
        ask_save_path(self, self.target, self.tr("Save diagnostics as"), self.tr("ZIP files (*.zip)"), ".zip")

    def working_text(self) -> str:
        return self.tr("Gathering diagnostics…")

    def start(self) -> None:
        out = self.chosen_path(self.target, self.tr("Choose where to save the diagnostics."))
        if out is None:
            return
        paths, store = self.paths, self.store
        if out.exists():
            self.say(self.tr("The file already exists and will not be overwritten: %1").replace("%1", str(out)),
                     ERROR_STYLE)
            return
        self.run("diagnostics", lambda _job: diagnostics.diagnose(out, paths, store), self._done)

    def _done(self, out: Path) -> None:
        self.written = out
        self.offer_folder(out.parent)
        self.say(self.tr("Diagnostics saved to %1. Send this file to your coordinator or support.")
                 .replace("%1", str(out)), OK_STYLE)

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Export diagnostics"))
        self.intro.setText(self.tr(
            "For a support request: the app and system versions, the database's structure and health, how "
            "many records of each kind there are, and the app's logs. No names, ID numbers, phone numbers, "
            "addresses or notes are included."))
        self.target_label.setText(self.tr("Save as"))
        self.start_button.setText(self.tr("Save"))
