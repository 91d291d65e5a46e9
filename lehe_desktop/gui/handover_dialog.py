"""文件 → 交接本机…: sign the worker out of this laptop (core/handover.py).

The dialog first asks the core (on the lane) whether everything has reached the server. If not,
it says what is missing and offers nothing to erase. If so, it explains what will be erased,
asks for the passphrase (only the worker, or an admin who knows it, hands a laptop over) and a
tick that the user understood; the passphrase is checked on the lane, then ``confirmed`` tells
the session, which closes the window and the store and erases the data (``handover_job``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QWidget

from ..core import handover
from ..core.paths import DataPaths
from ..core.store import vault
from ..core.store.store import Store
from .file_dialogs import FileJobDialog, passphrase_edit
from .forms import ERROR_STYLE
from .worker import DbLane, Job


class HandoverDialog(FileJobDialog):
    confirmed = Signal()

    def __init__(self, store: Store, lane: DbLane, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(store, lane, parent)
        self.setObjectName("handover_dialog")
        self.paths = paths
        self.state: handover.Readiness | None = None
        self.intro = QLabel()
        self.intro.setObjectName("handover_intro")
        self.intro.setWordWrap(True)
        self.passphrase = passphrase_edit("handover_passphrase")
        self.understood = QCheckBox()
        self.understood.setObjectName("handover_understood")
        self.understood.toggled.connect(self._enable)
        self.passphrase.textChanged.connect(self._enable)
        self.form = QFormLayout()
        self.pass_label = QLabel()
        self.form.addRow(self.pass_label, self.passphrase)
        self.form.addRow("", self.understood)
        self.lay_out()
        self.resize(560, 340)
        self._set_inputs(False)
        self.retranslate()
        store_ = store
        lane.query(lambda: handover.readiness(store_), self._ready, owner=self, name="handover readiness")

    def _set_inputs(self, on: bool) -> None:
        for w in (self.passphrase, self.understood, self.pass_label):
            w.setVisible(on)
        self.start_button.setVisible(on)
        self._enable()

    def _enable(self) -> None:
        self.start_button.setEnabled(bool(self.state and self.state.ready and self.understood.isChecked()
                                          and self.passphrase.text()) and self.job is None)

    def _ready(self, state: handover.Readiness) -> None:
        self.state = state
        self._set_inputs(state.ready)
        self.retranslate()

    def working_text(self) -> str:
        return self.tr("Checking the passphrase…")

    def start(self) -> None:
        paths, passphrase = self.paths, self.passphrase.text()
        self.run("handover check", lambda _job: vault.keyfile(paths).unlock(passphrase), self._checked)

    def _checked(self, _key: Any) -> None:
        self.confirmed.emit()
        self.accept()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Hand over this laptop"))
        self.pass_label.setText(self.tr("Passphrase"))
        self.understood.setText(self.tr("I understand: every record, backup and setting on this laptop is erased."))
        self.start_button.setText(self.tr("Erase and hand over"))
        self.close_button.setText(self.tr("Close"))
        s = self.state
        if s is None:
            self.intro.setText(self.tr("Checking whether everything has reached the server…"))
        elif not s.ready:
            self.intro.setText(self.tr(
                "This laptop cannot be handed over yet: %1 change(s) are not sent and %2 refused change(s) are "
                "not dealt with. Sync (File → Sync now) and deal with the refused changes first, or that work "
                "would be lost.").replace("%1", str(s.to_send)).replace("%2", str(s.refused)))
            self.intro.setStyleSheet(ERROR_STYLE)
        else:
            self.intro.setStyleSheet("")
            self.intro.setText(self.tr(
                "Everything on this laptop has reached the server. Handing over signs the worker out and erases "
                "this laptop's records, local backups and settings; the key file goes first, so nothing left on "
                "the disk can be read. The next start is a first run. The logs (no personal data) stay."))


def handover_job(paths: DataPaths, store: Store) -> Callable[[Job], list[str]]:
    """The lane job of a confirmed handover: check again, close the store, erase the data."""

    def work(_job: Job) -> list[str]:
        handover.require_ready(store)     # a change made meanwhile (a sync page) keeps the data
        store.close()
        return [str(p) for p in handover.erase(paths)]

    return work
