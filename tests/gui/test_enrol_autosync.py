"""文件 → 连接服务器 and automatic sync, against the real server on 127.0.0.1."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.gui.enrol import EnrolDialog
from lehe_desktop.gui.main_window import MainWindow
from lehe_desktop.gui.worker import DbLane

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import VILLAGE, LiveServer, household


def _window(qtbot, store: Store, lane: DbLane, settings: QSettings | None = None) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(store, lane, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_a_laptop_connects_with_the_one_time_code_and_syncs_at_once(
        qtbot, gui, store: Store, lane: DbLane, server: LiveServer, on_lane) -> None:  # type: ignore[no-untyped-def]
    on_lane(lambda: household(store, VILLAGE, "王大山"))
    w = _window(qtbot, store, lane)
    assert not w.sync_action.isEnabled() and w.enrol_action.isEnabled()
    assert w.enrol_action.text() == "连接服务器…"
    w.enrol_action.trigger()
    dialog = w.enrol_dialog
    assert isinstance(dialog, EnrolDialog)
    dialog.server.setText("sync.example")                      # no scheme: said in words, nothing sent
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert "https://" in dialog.status.text() and not on_lane(lambda: client.is_enrolled(store))
    dialog.server.setText(server.url)
    dialog.code.setText("AAAA-BBBB-CCCC-DDDD")                 # wrong code: the server's reason, in Chinese
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=10_000)
    assert dialog.status.text() and "enroll." not in dialog.status.text()
    assert not on_lane(lambda: client.is_enrolled(store))
    assert dialog.current_label.isHidden()                      # not connected anywhere yet
    dialog.code.setText(server.code_for("张晓梅").lower())      # typed in lower case: still accepted
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert not dialog.cancel.isEnabled()                        # the code is on its way: no late Cancel
    dialog.reject()
    qtbot.waitUntil(lambda: w.enrolled and w.sync_job is None and w.sync_result is not None, timeout=30_000)
    assert on_lane(lambda: client.is_enrolled(store)) and on_lane(store.unsent_count) == 0
    assert server.storage.store.count("household") == 1         # the first sync followed by itself
    assert w.sync_action.isEnabled()
    # Opened again, it says where this laptop is connected and as whom.
    w.enrol_action.trigger()
    again = w.enrol_dialog
    assert again is not None and again is not dialog
    qtbot.waitUntil(lambda: again.current_label.isVisibleTo(again), timeout=5000)   # read on the lane
    assert server.url in again.current_label.text() and "张晓梅" in again.current_label.text()
    again.reject()


def test_automatic_sync_is_quiet_on_success_and_when_offline(
        qtbot, gui, store: Store, lane: DbLane, server: LiveServer, tmp_path: Path, on_lane) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    settings.setValue("sync/auto_minutes", 3)
    on_lane(lambda: client.enroll(store, server.url, server.code_for("张晓梅")))
    on_lane(lambda: household(store, VILLAGE, "李秀英"))
    w = _window(qtbot, store, lane, settings)
    assert w.auto_sync_action.isChecked() and w.auto_sync_timer.isActive()
    assert w.auto_sync_timer.interval() == 3 * 60_000
    qtbot.waitUntil(lambda: lane.pending == 0 and w.enrolled, timeout=5000)
    w.auto_sync()
    qtbot.waitUntil(lambda: w.sync_job is None and w.sync_result is not None, timeout=30_000)
    assert on_lane(store.unsent_count) == 0
    assert w.statusBar().currentMessage().startswith("已自动同步") and w.sync_box is None
    server.stop()                                              # offline: normal in the field
    on_lane(lambda: household(store, VILLAGE, "张德福"))
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=5000)
    w.auto_sync()
    qtbot.waitUntil(lambda: w.sync_job is None and "自动同步未成功" in w.statusBar().currentMessage(),
                    timeout=30_000)
    assert w.sync_box is None and on_lane(store.unsent_count) > 0       # no pop-up; the change waits
    # Turned off from the menu: remembered, and the timer stops.
    w.auto_sync_action.trigger()
    assert not w.auto_sync_timer.isActive() and settings.value("sync/auto") in (False, "false")


def test_the_enrol_dialog_keeps_its_words_when_the_language_changes(
        qtbot, gui, store: Store, lane: DbLane) -> None:  # type: ignore[no-untyped-def]
    from lehe_desktop.gui import i18n

    dialog = EnrolDialog(store, lane)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.server.setText("sync.example")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    assert dialog.ok.text() == "连接" and "https://" in dialog.status.text()
    chinese = dialog.status.text()
    i18n.language().set("en")
    qtbot.waitUntil(lambda: dialog.ok.text() == "Connect", timeout=2000)   # not the button box's own "OK"
    assert dialog.status.text().startswith("Enter the server address") and dialog.status.text() != chinese


def test_an_automatic_sync_keeps_the_selection_and_updates_an_open_problems_list(
        qtbot, gui, store: Store, lane: DbLane, server: LiveServer, tmp_path: Path, on_lane) -> None:  # type: ignore[no-untyped-def]
    from sync_harness import OTHER_VILLAGE

    def prepare() -> None:
        client.enroll(store, server.url, server.code_for("张晓梅"))
        for i in range(5):
            household(store, VILLAGE, f"户{i}")
        client.sync_once(store)

    on_lane(prepare)
    w = _window(qtbot, store, lane)
    w.show_view("households")
    table = w.pages["households"].list.table
    qtbot.waitUntil(lambda: lane.pending == 0 and table.model().rowCount() == 5, timeout=5000)
    table.selectRow(3)
    qtbot.waitUntil(lambda: w.enrolled, timeout=5000)
    w.auto_sync()                                                # nothing to send or receive
    qtbot.waitUntil(lambda: w.sync_job is None and lane.pending == 0, timeout=30_000)
    assert [i.row() for i in table.selectionModel().selectedRows()] == [3]   # not dropped every 10 minutes
    w.show_sync_problems()
    dialog = w.problems_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=5000)
    assert dialog.refused.rowCount() == 0
    on_lane(lambda: household(store, OTHER_VILLAGE, "越界"))       # refused by the server during the next sync
    w.auto_sync()
    qtbot.waitUntil(lambda: w.sync_job is None and lane.pending == 0, timeout=30_000)
    qtbot.waitUntil(lambda: w.problems_button.isVisible() and dialog.refused.rowCount() >= 1,
                    timeout=5000)                               # the open list follows
    dialog.close()
    w.detach()
