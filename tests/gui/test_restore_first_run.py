"""A fresh install restores a backup from the first-run screen: the file's summary first, nothing
written until confirmed, the backup's passphrase or recovery key, a new passphrase here."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.gui.restore_new import RestoreNewDialog
from lehe_desktop.gui.unlock import FirstRunDialog

OLD = "river stones 2024!"
NEW = "mountain path 2026?"


def _backup(tmp_path: Path) -> tuple[Path, str]:
    """Done off the GUI thread's watch: the old laptop is not this app's (no lane needed)."""
    old = DataPaths(root=tmp_path / "old", logs=tmp_path / "old" / "logs")
    store, recovery = vault.setup(old, OLD, worker_name="张晓梅")
    village = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    for i in range(2):
        store.create("household", {"area_id": village, "group_name": f"{i + 1}组", "head_name": "张晓梅"})
    out = vault.backup(store, vault.keyfile(old).unlock(OLD), tmp_path / "usb.lehe-backup", paths=old)
    store.close()
    return out, recovery


def test_restore_from_a_backup_on_the_first_run_screen(qtbot, gui, lane, tmp_path: Path, on_lane) -> None:
    backup, recovery = on_lane(lambda: _backup(tmp_path))
    paths = DataPaths(root=tmp_path / "new", logs=tmp_path / "new" / "logs")
    first = FirstRunDialog(paths, lane)
    qtbot.addWidget(first)
    first.show()
    assert first.restore_btn.text() == "从备份恢复…"
    seen: dict[str, object] = {}

    def drive() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, RestoreNewDialog):
            QTimer.singleShot(20, drive)
            return
        dlg.source.setText(str(backup))
        dlg.secret.setText("wrong passphrase 1")
        dlg.read_button.click()
        qtbot.waitUntil(lambda: dlg.read_button.isEnabled() and "密码" in dlg.message.text(), timeout=10_000)
        seen["wrong"] = dlg.message.text()
        dlg.use_recovery.setChecked(True)
        dlg.secret.setText(recovery.lower())
        dlg.read_button.click()
        qtbot.waitUntil(lambda: dlg.pages.currentIndex() == 1, timeout=10_000)
        seen["about"] = dlg.about.text()
        seen["written_before_confirm"] = paths.keyfile.exists() or paths.database.exists()
        if os.environ.get("LEHE_SCREENSHOTS"):   # docs/screenshots/restore-first-run.png
            dlg.grab().save(str(Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "restore-first-run.png"))
        dlg.new1.setText(NEW)
        dlg.new2.setText(NEW)
        dlg.restore_button.click()

    QTimer.singleShot(20, drive)
    first.restore_btn.click()            # exec(): returns once the restore finished
    assert "不能打开" in str(seen["wrong"])
    assert "户: 2" in str(seen["about"])             # what the file holds, shown before anything is written
    assert seen["written_before_confirm"] is False
    assert first.store is not None and first.result() == 1
    assert on_lane(lambda: first.store.count("household")) == 2
    on_lane(first.store.close)
    assert on_lane(lambda: vault.keyfile(paths).unlock(NEW)) is not None
