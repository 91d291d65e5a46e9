"""文件 → 连接服务器: enrol this laptop with the one-time code the admin gave (same as `enroll`).

The request runs on the database lane (it talks to the network and writes the certificate);
the dialog stays responsive, shows what went wrong in words, and can be tried again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ..core.errors import LeheError
from ..core.store.store import Store
from ..core.sync import client
from . import i18n
from .forms import ERROR_STYLE
from .worker import DbLane, Job

log = logging.getLogger(__name__)


def enrolment(store: Store) -> tuple[str, tuple[str, str] | None]:
    """The server address last used, and (server, user) when enrolled (runs on the lane)."""
    meta = store.meta()
    current = (meta.get("sync_server", ""), meta.get("enrolled_user", "")) if client.is_enrolled(store) else None
    return meta.get("sync_server", ""), current


class EnrolDialog(QDialog):
    enrolment_shown = Signal()   # what the store says about the current server arrived
    def __init__(self, store: Store, lane: DbLane, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrol_dialog")
        self.store = store
        self.lane = lane
        self.result_info: dict[str, Any] | None = None
        self.job: Job | None = None
        self.error: Callable[[], str] | None = None   # the shown problem, worded again on a language switch
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.server = QLineEdit()
        self.server.setObjectName("server_url")
        self.server.setPlaceholderText("https://sync.example.org")
        self.code = QLineEdit()
        self.code.setObjectName("enrol_code")
        self.code.setPlaceholderText("ABCD-EFGH-JKLM-NPQR")
        self.server_label = QLabel()
        self.code_label = QLabel()
        form = QFormLayout()
        form.addRow(self.server_label, self.server)
        form.addRow(self.code_label, self.code)
        self.status = QLabel()
        self.status.setObjectName("enrol_status")
        self.status.setWordWrap(True)
        # Not the standard Ok button: the box would put its own "OK" back on a language switch.
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setDefault(True)
        self.ok.setObjectName("enrol_connect")
        self.buttons.accepted.connect(self.connect_server)
        self.buttons.rejected.connect(self.reject)
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        # Already enrolled: say with whom, since connecting again replaces it (read on the lane).
        self.current: tuple[str, str] | None = None
        self.current_label = QLabel()
        self.current_label.setObjectName("enrol_current")
        self.current_label.setWordWrap(True)
        self.current_label.setVisible(False)
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro)
        lay.addWidget(self.current_label)
        lay.addLayout(form)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        self.resize(520, 240)
        self.retranslate()
        self.lane.query(lambda: enrolment(store), self._show_enrolment, owner=self, name="enrolment")

    def _show_enrolment(self, info: tuple[str, tuple[str, str] | None]) -> None:
        server, self.current = info
        if not self.server.text():
            self.server.setText(server)
        self.current_label.setVisible(self.current is not None)
        self.retranslate()
        self.enrolment_shown.emit()

    def connect_server(self) -> None:
        url, code = self.server.text().strip(), self.code.text().strip().upper()
        if not url.startswith(("http://", "https://")):
            self._problem(lambda: self.tr("Enter the server address the admin gave, starting with https://"))
            return
        if not code:
            self._problem(lambda: self.tr("Enter the one-time code the admin gave."))
            return
        store = self.store
        self.error = None
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Connecting…"))
        self.ok.setEnabled(False)
        self.cancel.setEnabled(False)   # the code is on its way: the answer decides, not a late Cancel
        self.job = self.lane.submit("enrol", lambda job: client.enroll(store, url, code), self._done, self._failed)

    def _done(self, info: object) -> None:
        self.result_info = info  # type: ignore[assignment]
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.ok.setEnabled(True)
        self.cancel.setEnabled(True)
        if isinstance(error, LeheError) and error.code == "sync.insecure_url":
            # The core's words end with the command line's "add --insecure", which the window does not have.
            self._problem(lambda: self.tr("The server address starts with http://: the data would cross the "
                                          "network unencrypted, so it was refused. Use the https:// address "
                                          "the admin gave."))
        elif isinstance(error, LeheError):
            self._problem(lambda: error.message(i18n.current()))
        else:
            log.error("enrol failed", exc_info=error)   # the message below sends the user to the log
            self._problem(lambda: self.tr("Could not connect; the details are in the log."))

    def reject(self) -> None:
        if self.cancel.isEnabled():   # not while connecting (Esc, the window's close button)
            super().reject()

    def _problem(self, text: Callable[[], str]) -> None:
        self.error = text
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Connect to the server"))
        self.intro.setText(self.tr(
            "Your admin gives you the server address and a one-time code. After connecting, this laptop "
            "sends and receives records for your villages whenever there is a network."))
        if self.current is not None:
            self.current_label.setText(self.tr("This laptop is connected to %1 as %2. Connecting again replaces "
                                               "that connection.").replace("%1", self.current[0])
                                       .replace("%2", self.current[1] or "?"))
        self.server_label.setText(self.tr("Server address"))
        self.code_label.setText(self.tr("One-time code"))
        self.ok.setText(self.tr("Connect"))
        if self.error is not None:
            self.status.setText(self.error())
        elif not self.ok.isEnabled():
            self.status.setText(self.tr("Connecting…"))

    def changeEvent(self, event: QEvent) -> None:
        if i18n.is_language_change(event):
            self.retranslate()
        super().changeEvent(event)
