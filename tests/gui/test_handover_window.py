"""文件 → 交接本机…: refused while anything is unsent; then the passphrase, and the data is gone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.sync import client
from lehe_desktop.gui.app import Session
from lehe_desktop.gui.handover_dialog import HandoverDialog
from lehe_desktop.gui.unlock import FirstRunDialog
from lehe_desktop.gui.vocab import load_vocab


def test_hand_over_from_the_window(qtbot: Any, gui: Any, paths: DataPaths, passphrase: str, server: Any,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store, _ = vault.setup(paths, passphrase, worker_name="张晓梅")
    client.enroll(store, server.url, server.code_for("alice"))
    store.create("household", {"area_id": store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"), "group_name": "一组",
                               "head_name": "交接前的户"})
    unsent = store.to_send_count()          # the village's areas and the household
    load_vocab(store)
    session = Session(paths, "zh")
    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))   # the test's app keeps running
    try:
        window = session.open(store)
        d = window.files.show_handover()
        assert isinstance(d, HandoverDialog)
        # A household not yet sent: nothing to erase, and the dialog says why.
        qtbot.waitUntil(lambda: d.state is not None, timeout=10_000)
        assert not d.state.ready and not d.start_button.isVisible()
        assert f"还有 {unsent} 条更改未发送" in d.intro.text()
        d.close()

        box: list[Any] = []
        session.lane.query(lambda: client.sync_once(store), box.append, box.append, name="sync")
        qtbot.waitUntil(lambda: bool(box), timeout=30_000)
        d = window.files.show_handover()
        assert isinstance(d, HandoverDialog)
        qtbot.waitUntil(lambda: d.state is not None and d.state.ready, timeout=10_000)
        assert d.start_button.isVisible() and not d.start_button.isEnabled()   # not before the tick
        d.passphrase.setText("wrong passphrase")
        d.understood.setChecked(True)
        qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: d.job is None and d.message.text() != "", timeout=30_000)
        assert d.message.text() == "密码不正确" and paths.keyfile.exists()

        # The right passphrase: the window goes, the data goes, the next screen is a first run.
        def close_first_run() -> None:
            dlg = QApplication.activeModalWidget()
            if isinstance(dlg, FirstRunDialog):
                dlg.reject()
            else:
                QTimer.singleShot(50, close_first_run)

        d.passphrase.setText(passphrase)
        QTimer.singleShot(50, close_first_run)
        qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(quits), timeout=30_000)
        assert session.window is None and session.store is None
        assert not vault.is_set_up(paths) and not paths.database.exists() and not paths.keyfile.exists()
        left = [p for p in Path(paths.root).rglob("*") if p.is_file() and "logs" not in p.parts]
        assert left == []
    finally:
        session.shutdown()
