"""First run (passphrase, recovery key, worker's name) and the unlock screen.

The Argon2 key derivation runs on the database lane so the window keeps painting; the
core decides what is wrong (wrong passphrase, back-off) and we show its message.
"""

from __future__ import annotations

import logging
import math

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import LeheError, LockedError
from ..core.paths import DataPaths
from ..core.store import vault
from ..core.store.keys import check_passphrase, passphrase_score
from ..core.store.store import Store
from ..core.sync import escrow
from . import i18n
from .forms import ERROR_STYLE, WARNING_STYLE
from .restore_new import RestoreNewDialog
from .vocab import load_vocab
from .worker import DbLane

log = logging.getLogger(__name__)

STRENGTH_COLOURS = ("#b3261e", "#d9822b", "#c9a227", "#5b9a3c", "#2e7d32")


class FirstRunDialog(QDialog):
    """Create the database: passphrase (with strength), recovery key shown once, name."""

    def __init__(self, paths: DataPaths, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.lane = lane
        self.store: Store | None = None
        self.recovery = ""
        self.restore_dialog: RestoreNewDialog | None = None
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._passphrase_page())
        self.pages.addWidget(self._recovery_page())
        lay = QVBoxLayout(self)
        lay.addWidget(self.pages)
        self.resize(560, 420)
        self.retranslate()

    # ---------------------------------------------------------------- page 1
    def _passphrase_page(self) -> QWidget:
        page = QWidget()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("worker_name")
        self.pass1 = QLineEdit()
        self.pass1.setObjectName("passphrase")
        self.pass1.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass2 = QLineEdit()
        self.pass2.setObjectName("passphrase_confirm")
        self.pass2.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(8)
        self.meter_label = QLabel()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setObjectName("setup_problem")
        self.create_btn = QPushButton()
        self.create_btn.setObjectName("create")
        self.create_btn.setDefault(True)
        self.create_btn.clicked.connect(self._create)
        self.pass1.textChanged.connect(self._update_meter)
        self.pass2.textChanged.connect(self._update_meter)
        self.form = QFormLayout()
        self.name_label, self.pass1_label, self.pass2_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.name_label, self.name)
        self.form.addRow(self.pass1_label, self.pass1)
        self.form.addRow(self.pass2_label, self.pass2)
        meter_row = QHBoxLayout()
        meter_row.addWidget(self.meter, 1)
        meter_row.addWidget(self.meter_label)
        self.form.addRow("", meter_row)
        lay = QVBoxLayout(page)
        lay.addWidget(self.intro)
        lay.addLayout(self.form)
        lay.addWidget(self.problem)
        lay.addStretch(1)
        # A new laptop for a worker who has a backup: restore it instead of starting empty.
        self.restore_btn = QPushButton()
        self.restore_btn.setObjectName("restore_from_backup")
        self.restore_btn.clicked.connect(self._restore_backup)
        bottom = QHBoxLayout()
        bottom.addWidget(self.restore_btn)
        bottom.addStretch(1)
        bottom.addWidget(self.create_btn)
        lay.addLayout(bottom)
        return page

    def _restore_backup(self) -> None:
        dlg = RestoreNewDialog(self.paths, self.lane, self)
        self.restore_dialog = dlg   # tests drive it
        if dlg.exec() and dlg.store is not None:
            self.store = dlg.store   # its recovery key is the backup's: nothing new to show
            super().accept()
        self.restore_dialog = None
        dlg.deleteLater()

    def _update_meter(self) -> None:
        text = self.pass1.text()
        score = passphrase_score(text) if text else 0
        self.meter.setValue(score if text else 0)
        colour = STRENGTH_COLOURS[score]
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
        names = (self.tr("Very weak"), self.tr("Weak"), self.tr("Fair"), self.tr("Good"), self.tr("Strong"))
        self.meter_label.setText(names[score] if text else "")
        self.problem.clear()

    def _create(self) -> None:
        pw = self.pass1.text()
        # Too short or too guessable (zxcvbn, with pinyin words) is refused, with the reason.
        errors = [p for p in check_passphrase(pw) if p.is_error]
        if errors:
            self._show_problem(errors[0].message(i18n.current()))
            return
        if pw != self.pass2.text():
            self._show_problem(self.tr("The two passphrases are different."))
            return
        name = self.name.text().strip() or None
        self.create_btn.setEnabled(False)
        self.problem.setStyleSheet("")
        self.problem.setText(self.tr("Creating the encrypted database…"))
        paths = self.paths

        def work(job: object) -> tuple[Store, str]:
            store, recovery = vault.setup(paths, pw, worker_name=name)
            load_vocab(store)   # the window's choice boxes read this snapshot, never the store
            return store, recovery

        self.lane.submit("setup", work, self._created, self._failed)

    def _show_problem(self, text: str, *, warning: bool = False) -> None:
        self.problem.setStyleSheet(WARNING_STYLE if warning else ERROR_STYLE)
        self.problem.setText(text)

    def _created(self, result: tuple[Store, str]) -> None:
        store, recovery = result
        self.store = store
        self.recovery = recovery
        self.key_label.setText(recovery)
        self.pages.setCurrentIndex(1)
        self.confirm.setFocus()

    def _failed(self, exc: object) -> None:
        self.create_btn.setEnabled(True)
        if isinstance(exc, LeheError):
            self._show_problem(exc.message(i18n.current()))
        else:   # a bug or an unusable folder: words for the user, the details in the log (never Python's text)
            log.error("setting up failed", exc_info=exc if isinstance(exc, BaseException) else None)
            self._show_problem(self.tr("Setting up failed: an unexpected error; the details are in the log."))

    # ---------------------------------------------------------------- page 2
    def _recovery_page(self) -> QWidget:
        page = QWidget()
        self.key_intro = QLabel()
        self.key_intro.setWordWrap(True)
        self.key_label = QLabel()
        self.key_label.setObjectName("recovery_key")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFont("monospace")
        mono.setStyleHint(QFont.StyleHint.Monospace)
        mono.setPointSizeF(mono.pointSizeF() * 1.4)
        self.key_label.setFont(mono)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setStyleSheet("padding: 12px; border: 1px solid #999; background: #fffbe6;")
        self.print_btn = QPushButton()
        self.print_btn.clicked.connect(self._print)
        self.copy_btn = QPushButton()
        self.copy_btn.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.recovery))
        self.confirm = QCheckBox()
        self.confirm.setObjectName("recovery_confirmed")
        self.continue_btn = QPushButton()
        self.continue_btn.setObjectName("continue")
        self.continue_btn.setEnabled(False)
        self.confirm.toggled.connect(self.continue_btn.setEnabled)
        self.continue_btn.clicked.connect(self._finish)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_btn)
        buttons.addWidget(self.copy_btn)
        buttons.addStretch(1)
        lay = QVBoxLayout(page)
        lay.addWidget(self.key_intro)
        lay.addWidget(self.key_label)
        lay.addLayout(buttons)
        lay.addStretch(1)
        lay.addWidget(self.confirm)
        lay.addWidget(self.continue_btn, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def _print(self) -> None:
        try:
            from PySide6.QtGui import QTextDocument
            from PySide6.QtPrintSupport import QPrintDialog, QPrinter
        except ImportError:  # a build without print support: copying still works
            QGuiApplication.clipboard().setText(self.recovery)
            return
        printer = QPrinter()
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            doc = QTextDocument()
            doc.setPlainText(self.tr("Lehe Desktop recovery key") + "\n\n" + self.recovery)
            doc.print_(printer)

    def _finish(self) -> None:
        self.recovery = ""
        self.key_label.clear()  # shown once: not kept in the widget
        self.accept()

    def reject(self) -> None:
        # After the database exists the recovery step cannot be skipped by Esc.
        if self.store is None:
            super().reject()

    # ---------------------------------------------------------------- texts
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Lehe Desktop — first run"))
        self.intro.setText(self.tr(
            "Welcome. Your records are stored encrypted on this laptop. Choose a passphrase that "
            "only you know; you will type it every time you open the app."))
        self.name_label.setText(self.tr("Your name"))
        self.pass1_label.setText(self.tr("Passphrase"))
        self.pass2_label.setText(self.tr("Repeat passphrase"))
        self.create_btn.setText(self.tr("Create"))
        self.restore_btn.setText(self.tr("Restore from a backup…"))
        self.key_intro.setText(self.tr(
            "This is your recovery key. It is shown only once. If you forget the passphrase, only "
            "this key can open your records. Write it down or print it and keep it somewhere safe."))
        self.print_btn.setText(self.tr("Print…"))
        self.copy_btn.setText(self.tr("Copy"))
        self.confirm.setText(self.tr("I have written it down / printed it"))
        self.continue_btn.setText(self.tr("Continue"))
        self._update_meter()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)


class UnlockDialog(QDialog):
    """Later runs: the passphrase, the core's message when wrong, a countdown in back-off."""

    unlocked = Signal(object)

    def __init__(self, paths: DataPaths, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths = paths
        self.lane = lane
        self.store: Store | None = None
        self._wait_left = 0
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.title.setFont(font)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("unlock_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.countdown = QLabel()
        self.countdown.setObjectName("countdown")
        self.button = QPushButton()
        self.button.setObjectName("unlock")
        self.button.setDefault(True)
        self.button.clicked.connect(self._unlock)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        # Forgotten passphrase: the recovery key opens the database and sets a new passphrase.
        self.forgot = QPushButton()
        self.forgot.setObjectName("forgot")
        self.forgot.setFlat(True)
        self.forgot.clicked.connect(self._toggle_recovery)
        self.recovery_box = QWidget()
        self.recovery_key = QLineEdit()
        self.recovery_key.setObjectName("recovery_key")
        self.new1 = QLineEdit()
        self.new1.setEchoMode(QLineEdit.EchoMode.Password)
        self.new2 = QLineEdit()
        self.new2.setEchoMode(QLineEdit.EchoMode.Password)
        self.rec_labels = (QLabel(), QLabel(), QLabel())
        rform = QFormLayout(self.recovery_box)
        rform.setContentsMargins(0, 0, 0, 0)
        for label, edit in zip(self.rec_labels, (self.recovery_key, self.new1, self.new2), strict=True):
            rform.addRow(label, edit)
        self.recovery_box.setVisible(False)
        lay = QVBoxLayout(self)
        lay.addWidget(self.title)
        self.prompt = QLabel()
        lay.addWidget(self.prompt)
        lay.addWidget(self.passphrase)
        lay.addWidget(self.forgot, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.recovery_box)
        lay.addWidget(self.message)
        lay.addWidget(self.countdown)
        lay.addStretch(1)
        lay.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(420, 220)
        self.retranslate()

    def _toggle_recovery(self) -> None:
        on = not self.recovery_box.isVisible()
        self.recovery_box.setVisible(on)
        self.passphrase.setEnabled(not on)
        self.message.clear()
        (self.recovery_key if on else self.passphrase).setFocus()

    def _unlock(self) -> None:
        if self._wait_left > 0:
            return
        self.message.clear()
        paths = self.paths
        if self.recovery_box.isVisible():
            key, new = self.recovery_key.text(), self.new1.text()
            problems = [p for p in check_passphrase(new) if p.is_error]
            if problems:
                self.message.setText(problems[0].message(i18n.current()))
                return
            if new != self.new2.text():
                self.message.setText(self.tr("The two passphrases are different."))
                return
            open_store = lambda: vault.unlock_with_recovery(paths, key, new)  # noqa: E731
        else:
            pw = self.passphrase.text()
            open_store = lambda: escrow.unlock(paths, pw)  # noqa: E731  (vault.unlock + organisation recovery)

        def work(job: object) -> Store:
            store = open_store()
            load_vocab(store)   # the window's choice boxes read this snapshot, never the store
            return store

        self.button.setEnabled(False)
        self.lane.submit("unlock", work, self._done, self._failed)

    def _done(self, store: object) -> None:
        self.store = store  # type: ignore[assignment]
        self.passphrase.clear()
        self.accept()

    def _failed(self, exc: object) -> None:
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        if isinstance(exc, LeheError):
            self.message.setText(exc.message(i18n.current()))
        else:   # a bug: words for the user, the details in the log (never Python's text)
            log.error("unlocking failed", exc_info=exc if isinstance(exc, BaseException) else None)
            self.message.setText(self.tr("The records could not be opened: an unexpected error; the details "
                                         "are in the log."))
        wait = exc.retry_after_s if isinstance(exc, LockedError) else 0.0
        self._wait_left = math.ceil(wait)
        if self._wait_left > 0:
            self._tick_text()
            self.timer.start()
        else:
            self.button.setEnabled(True)

    def _tick(self) -> None:
        self._wait_left -= 1
        if self._wait_left <= 0:
            self.timer.stop()
            self.countdown.clear()
            self.button.setEnabled(True)
        else:
            self._tick_text()

    def _tick_text(self) -> None:
        self.countdown.setText(self.tr("You can try again in %n second(s).", "", self._wait_left))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Lehe Desktop — unlock"))
        self.title.setText(self.tr("Lehe Desktop"))
        self.prompt.setText(self.tr("Enter your passphrase to open your records."))
        self.button.setText(self.tr("Unlock"))
        self.forgot.setText(self.tr("Forgot the passphrase? Use the recovery key"))
        for label, text in zip(self.rec_labels, (self.tr("Recovery key"), self.tr("New passphrase"),
                                                 self.tr("Repeat passphrase")), strict=True):
            label.setText(text)
        if self._wait_left > 0:
            self._tick_text()

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)
