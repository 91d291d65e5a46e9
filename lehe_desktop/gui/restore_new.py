"""从备份恢复 Restore from a backup on a fresh install (the first-run screen; issue 16).

The laptop has no keys.json yet: the backup's own header (core/store/backup_file.py) opens with the
passphrase it was made under or a recovery key. First the file is read and what it holds is shown —
nothing is written — then a new passphrase for this laptop is chosen and the restore runs
(vault.restore_new: new epoch, the same device, its recovery key still works). All of it on the
database lane.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import LeheError
from ..core.paths import DataPaths
from ..core.store import vault
from ..core.store.backup_info import BackupSummary, read_summary
from ..core.store.keys import check_passphrase
from ..core.store.store import Store
from . import i18n
from .forms import ERROR_STYLE
from .vocab import load_vocab
from .worker import DbLane

log = logging.getLogger(__name__)


def _local_time(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _error_text(error: Exception, widget: QWidget) -> str:
    if isinstance(error, LeheError):
        return error.message(i18n.current())
    log.error("restore on a new laptop failed", exc_info=error)
    # Not widget.tr: that looks under the widget's class, where lupdate did not put this text.
    return QCoreApplication.translate("RestoreNewDialog", "Something went wrong unexpectedly; the details are in the log.")


class RestoreNewDialog(QDialog):
    """Page 1: file and the backup's passphrase (or recovery key). Page 2: what it holds, new passphrase."""

    def __init__(self, paths: DataPaths, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restore_new_dialog")
        self.paths = paths
        self.lane = lane
        self.store: Store | None = None
        self.summary: BackupSummary | None = None
        self._secret: tuple[str | None, str | None] = (None, None)   # (passphrase, recovery key)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._confirm_page())
        self.message = QLabel()
        self.message.setObjectName("restore_new_message")
        self.message.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(self.pages, 1)
        lay.addWidget(self.message)
        self.resize(600, 440)
        self.retranslate()

    def _file_page(self) -> QWidget:
        page = QWidget()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.source = QLineEdit(str(Path.home()))
        self.source.setObjectName("restore_source")
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.source, 1)
        row.addWidget(self.browse)
        self.use_recovery = QCheckBox()
        self.use_recovery.setObjectName("use_recovery_key")
        self.use_recovery.toggled.connect(self._secret_label)
        self.secret = QLineEdit()
        self.secret.setObjectName("backup_secret")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.source_label, self.secret_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.source_label, row)
        form.addRow("", self.use_recovery)
        form.addRow(self.secret_label, self.secret)
        self.read_button = QPushButton()
        self.read_button.setObjectName("read_backup")
        self.read_button.setDefault(True)
        self.read_button.clicked.connect(self._read)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.read_button)
        lay = QVBoxLayout(page)
        lay.addWidget(self.intro)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addLayout(buttons)
        return page

    def _confirm_page(self) -> QWidget:
        page = QWidget()
        self.about = QLabel()
        self.about.setObjectName("backup_about")
        self.about.setWordWrap(True)
        self.new1 = QLineEdit()
        self.new1.setObjectName("new_passphrase")
        self.new1.setEchoMode(QLineEdit.EchoMode.Password)
        self.new2 = QLineEdit()
        self.new2.setObjectName("new_passphrase_confirm")
        self.new2.setEchoMode(QLineEdit.EchoMode.Password)
        self.new1_label, self.new2_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.new1_label, self.new1)
        form.addRow(self.new2_label, self.new2)
        self.back_button = QPushButton()
        self.back_button.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(self._restore)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        lay = QVBoxLayout(page)
        lay.addWidget(self.about, 1)
        lay.addLayout(form)
        lay.addLayout(buttons)
        return page

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Restore from a backup"), self.source.text(),
                                                self.tr("Lehe backups (*.lehe-backup);;All files (*)"))
        if chosen:
            self.source.setText(chosen)

    def _say(self, text: str, style: str = "") -> None:
        self.message.setStyleSheet(style)
        self.message.setText(text)

    def _busy(self, busy: bool) -> None:
        for button in (self.read_button, self.restore_button, self.back_button, self.cancel_button):
            button.setEnabled(not busy)

    def _read(self) -> None:
        """读取: open the backup's key with the secret and read what it holds; nothing is written."""
        text = self.source.text().strip()
        source = Path(text).expanduser()
        if not text or source.is_dir():
            self._say(self.tr("Choose a backup file (.lehe-backup)."), ERROR_STYLE)
            return
        secret = self.secret.text()
        if not secret:
            self._say(self.secret_label.text(), ERROR_STYLE)
            return
        passphrase, recovery = (None, secret) if self.use_recovery.isChecked() else (secret, None)

        def work(_job: object) -> BackupSummary:
            return read_summary(source, vault.read_backup_key(source, passphrase=passphrase,
                                                              recovery_key=recovery))

        def done(summary: BackupSummary) -> None:
            self._busy(False)
            self._secret = (passphrase, recovery)
            self.secret.clear()
            self.summary = summary
            self._show_summary()
            self._say("")
            self.pages.setCurrentIndex(1)
            self.new1.setFocus()

        self._busy(True)
        self._say(self.tr("Reading the backup…"))
        self.lane.submit("read backup", work, done, self._failed)

    def _failed(self, exc: Exception) -> None:
        self._busy(False)
        self._say(_error_text(exc, self), ERROR_STYLE)

    def _show_summary(self) -> None:
        s = self.summary
        if s is None:
            return
        lines = [self.tr("File: %1 (%2)").replace("%1", str(s.path)).replace("%2", f"{s.size / 1_048_576:.1f} MB"),
                 self.tr("Made: %1").replace("%1", _local_time(s.made_at)),
                 self.tr("By app version: %1").replace("%1", s.app or self.tr("not recorded")),
                 self.tr("Worker: %1").replace("%1", s.worker_name or "—"),
                 self.tr("Latest change in it: %1").replace("%1", _local_time(s.last_change_at)
                                                            if s.last_change_at else "—"), ""]
        lines += [f"{i18n.pick(c.zh, c.en)}: {c.count}" for c in s.counts if c.count]
        lines += ["", self.tr("Choose a new passphrase for this laptop. The backup's recovery key keeps working.")]
        self.about.setText("\n".join(lines))

    def _restore(self) -> None:
        new = self.new1.text()
        errors = [p for p in check_passphrase(new) if p.is_error]
        if errors:
            self._say(errors[0].message(i18n.current()), ERROR_STYLE)
            return
        if new != self.new2.text():
            self._say(self.tr("The two passphrases are different."), ERROR_STYLE)
            return
        if self.summary is None:
            return
        paths, source = self.paths, self.summary.path
        passphrase, recovery = self._secret

        def work(_job: object) -> Store:
            store = vault.restore_new(paths, source, new, passphrase=passphrase, recovery_key=recovery)
            load_vocab(store)   # the window's choice boxes read this snapshot, never the store
            return store

        def done(store: Store) -> None:
            self._secret = (None, None)
            self.store = store
            self.new1.clear()
            self.new2.clear()
            self.accept()

        self._busy(True)
        self._say(self.tr("Restoring…"))
        self.lane.submit("restore", work, done, self._failed)

    def _secret_label(self) -> None:
        self.secret_label.setText(self.tr("Recovery key") if self.use_recovery.isChecked()
                                  else self.tr("The backup's passphrase"))
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if self.use_recovery.isChecked()
                                else QLineEdit.EchoMode.Password)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Restore from a backup"))
        self.intro.setText(self.tr(
            "Bring your records to this laptop from a backup file. It opens with the passphrase it was "
            "made under, or with the recovery key. Nothing is written until you have seen what it holds."))
        self.source_label.setText(self.tr("Backup file"))
        self.browse.setText(self.tr("Browse…"))
        self.use_recovery.setText(self.tr("I use the recovery key instead"))
        self._secret_label()
        self.read_button.setText(self.tr("Read the backup"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.new1_label.setText(self.tr("New passphrase"))
        self.new2_label.setText(self.tr("Repeat passphrase"))
        self.back_button.setText(self.tr("Back"))
        self.restore_button.setText(self.tr("Restore"))
        self._show_summary()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)
