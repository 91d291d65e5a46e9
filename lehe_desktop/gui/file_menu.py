"""The File menu's file actions (备份… 恢复… 导出… 修改密码… 导出诊断信息…) and the restore job.

``FileActions`` adds the actions to the window's File menu and opens one dialog at a time
(file_dialogs.py). Backup, restore, passphrase and diagnostics need the data folder, so they are
enabled only when the window knows it (the session passes it; a bare window in a test may not).

A confirmed restore is the session's business (it owns the store's life): ``restore_confirmed``
carries the backup's path and the key; the session detaches the window, and on the lane closes
the store and runs ``restore_job``, then opens a new window on the restored data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from ..core.paths import DataPaths
from ..core.store import vault
from ..core.store.store import Store
from .file_dialogs import (
    BackupDialog,
    DiagnosticsDialog,
    ExportDialog,
    OneDialog,
    PassphraseDialog,
    RestoreDialog,
)
from .handover_dialog import HandoverDialog
from .vocab import load_vocab
from .worker import DbLane, Job

log = logging.getLogger(__name__)


class FileActions(QObject, OneDialog):
    """Backup, restore, export, change passphrase and export diagnostics in the File menu."""

    restore_confirmed = Signal(object, object)   # backup Path, database key
    handover_confirmed = Signal()                # 交接本机: the passphrase was right; the session erases

    def __init__(self, window: QWidget, store: Store, lane: DbLane, paths: DataPaths | None) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.lane = lane
        self.paths = paths
        self.backup_action = self._action("file_backup", self.show_backup)
        self.restore_action = self._action("file_restore", self.show_restore)
        self.export_action = self._action("file_export", self.show_export)
        self.passphrase_action = self._action("file_passphrase", self.show_passphrase)
        self.diagnostics_action = self._action("file_diagnostics", self.show_diagnostics)
        self.handover_action = self._action("file_handover", self.show_handover)
        for act in (self.backup_action, self.restore_action, self.passphrase_action, self.diagnostics_action,
                    self.handover_action):
            act.setEnabled(paths is not None and lane is not None)
        self.export_action.setEnabled(lane is not None)
        self.retranslate()

    def _action(self, name: str, slot: Callable[[], object]) -> QAction:
        act = QAction(self.window)
        act.setObjectName(name)
        act.triggered.connect(slot)
        return act

    def install(self, menu: QMenu, before: QAction) -> None:
        """Put the file actions into ``menu`` above ``before`` (lock), in a group of their own."""
        acts = [self.backup_action, self.restore_action, self.export_action, self.passphrase_action,
                self.diagnostics_action, self.handover_action]
        menu.insertActions(before, acts)
        menu.insertSeparator(before)

    # ------------------------------------------------------------ dialogs
    def show_backup(self) -> BackupDialog | None:
        if self.paths is None:
            return None
        d = BackupDialog(self.store, self.lane, self.paths, self.window)
        self.open_one(d)
        return d

    def show_restore(self) -> RestoreDialog | None:
        if self.paths is None:
            return None
        d = RestoreDialog(self.store, self.lane, self.paths, self.window)
        d.restore_confirmed.connect(self.restore_confirmed)
        self.open_one(d)
        return d

    def show_export(self) -> ExportDialog:
        d = ExportDialog(self.store, self.lane, self.window)
        self.open_one(d)
        return d

    def show_passphrase(self) -> PassphraseDialog | None:
        if self.paths is None:
            return None
        d = PassphraseDialog(self.store, self.lane, self.paths, self.window)
        self.open_one(d)
        return d

    def show_diagnostics(self) -> DiagnosticsDialog | None:
        if self.paths is None:
            return None
        d = DiagnosticsDialog(self.store, self.lane, self.paths, self.window)
        self.open_one(d)
        return d

    def show_handover(self) -> HandoverDialog | None:
        if self.paths is None:
            return None
        d = HandoverDialog(self.store, self.lane, self.paths, self.window)
        d.confirmed.connect(self.handover_confirmed)
        self.open_one(d)
        return d

    def retranslate(self) -> None:
        self.handover_action.setText(self.tr("Hand over this laptop…"))
        self.backup_action.setText(self.tr("Back up…"))
        self.restore_action.setText(self.tr("Restore from a backup…"))
        self.export_action.setText(self.tr("Export…"))
        self.passphrase_action.setText(self.tr("Change passphrase…"))
        self.diagnostics_action.setText(self.tr("Export diagnostics…"))


def restore_job(paths: DataPaths, store: Store, key: bytes, source: Path) -> Callable[[Job], tuple[Store, Exception | None]]:
    """The lane job of a confirmed restore: close ``store``, replace the database, open the result.

    Returns the store to open the window on and the error, if any: a restore refused before its
    commit point (the file went missing, damaged, a newer app's) leaves the old database, which is
    opened again, so the user is back where they were with the reason shown.
    """
    def work(_job: Job) -> tuple[Store, Exception | None]:
        store.close()
        try:
            restored = vault.restore(paths, key, source)
        except Exception as exc:  # shown to the user in words by the session
            log.warning("restore refused: %s", getattr(exc, "code", type(exc).__name__))
            again = vault.open_with_key(paths, key)
            load_vocab(again)
            return again, exc
        load_vocab(restored)
        return restored, None

    return work
