"""记录 → 类别管理…: coordinators and admins manage vocabularies in the window (issue 13).

Real stores, the real lane, the real server on 127.0.0.1: a single-user install adds, renames and
deactivates a category and forms follow at once; an enrolled worker's window has no entry (and
the server refuses a worker's vocabulary change, shown as a sync problem); a coordinator's window
adds a category that a second laptop receives by pull.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

from lehe_desktop.core import vocabs
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.gui.dialogs import HouseholdDialog, household_dialog_data
from lehe_desktop.gui.forms import ChoiceBox, vocab_choices
from lehe_desktop.gui.main_window import MainWindow
from lehe_desktop.gui.vocab import load_vocab
from lehe_desktop.gui.vocab_page import VocabDialog
from lehe_desktop.gui.worker import DbLane

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import OTHER_VILLAGE, LiveServer, make_laptop


def _window(qtbot, store: Store, lane: DbLane) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(store, lane)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _dialog(qtbot, w: MainWindow) -> VocabDialog:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: w.vocab_entry.role is not None, timeout=10_000)
    assert w.vocab_entry.action.isVisible() and w.vocab_entry.action.text() == "类别管理…"
    w.vocab_entry.action.trigger()
    dialog = w.vocab_entry.dialog
    assert isinstance(dialog, VocabDialog)
    dialog.select_vocab("visit_type")
    qtbot.waitUntil(lambda: not dialog.loading and any(i["code"] == "routine" for i in dialog.items), timeout=10_000)
    return dialog


def _click(qtbot, dialog: VocabDialog, button: object) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.loading, timeout=10_000)


def _select(dialog: VocabDialog, code: str) -> None:
    dialog.table.selectRow(next(i for i, item in enumerate(dialog.items) if item["code"] == code))


def test_a_single_user_adds_renames_and_deactivates_a_category_and_forms_follow(
        qtbot, gui, store: Store, lane: DbLane, on_lane) -> None:  # type: ignore[no-untyped-def]
    w = _window(qtbot, store, lane)
    dialog = _dialog(qtbot, w)
    assert dialog.windowTitle() == "类别管理" and dialog.add_button.text() == "添加"
    dialog.code_edit.setText("phone_fu")
    dialog.zh_edit.setText("电话回访")
    dialog.en_edit.setText("Phone follow-up")
    _click(qtbot, dialog, dialog.add_button)
    assert dialog.selected_code() == "phone_fu" and "phone_fu" in dialog.status.text()
    assert ("phone_fu", "电话回访", "Phone follow-up") in vocab_choices(store, "visit_type")   # forms offer it now
    assert on_lane(lambda: store.count("vocab_item")) == 1
    # The same code again: the core's reason, in Chinese, nothing written.
    _click(qtbot, dialog, dialog.add_button)
    assert "已有代码" in dialog.status.text()
    # Rename a built-in code; deactivate it: kept, greyed, no longer offered.
    _select(dialog, "festival_greeting")
    assert dialog.zh_edit.text() == "节日慰问" and dialog.toggle_button.text() == "停用"
    dialog.zh_edit.setText("节日走访")
    _click(qtbot, dialog, dialog.rename_button)
    _click(qtbot, dialog, dialog.toggle_button)
    row = next(i for i, item in enumerate(dialog.items) if item["code"] == "festival_greeting")
    assert dialog.table.item(row, 1).text() == "节日走访" and dialog.table.item(row, 3).text() == "否"
    assert dialog.toggle_button.text() == "启用"
    assert "festival_greeting" not in [c for c, _, _ in vocab_choices(store, "visit_type")]
    assert on_lane(lambda: store.vocab_label("visit_type", "festival_greeting")) == "节日走访"
    dialog.close()


def test_a_workers_window_has_no_entry_and_the_server_refuses_a_workers_vocabulary_change(
        qtbot, gui, store: Store, lane: DbLane, server: LiveServer, on_lane) -> None:  # type: ignore[no-untyped-def]
    on_lane(lambda: client.enroll(store, server.url, server.code_for("wang", "worker")))
    # Written past the laptop's own check (an older or altered app): the server is the guard.
    on_lane(lambda: store.create("vocab_item", {"vocab": "visit_type", "code": "worker_made", "zh": "社工自造"}))
    w = _window(qtbot, store, lane)
    qtbot.waitUntil(lambda: w.vocab_entry.role == "worker", timeout=10_000)
    assert not w.vocab_entry.action.isVisible()
    qtbot.waitUntil(lambda: w.enrolled, timeout=10_000)
    w.sync_now(quiet=True)
    qtbot.waitUntil(lambda: w.sync_job is None and w.sync_result is not None, timeout=30_000)
    assert w.sync_result is not None and w.sync_result.rejected == 1
    qtbot.waitUntil(lambda: w.problems_button.isVisibleTo(w), timeout=10_000)
    assert not server.storage.store.vocab_has("visit_type", "worker_made")


def test_a_coordinators_category_reaches_a_second_laptop(
        qtbot, gui, store: Store, lane: DbLane, server: LiveServer, on_lane, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    on_lane(lambda: client.enroll(store, server.url, server.code_for("zhao", "coordinator")))
    w = _window(qtbot, store, lane)
    dialog = _dialog(qtbot, w)
    assert w.vocab_entry.role == "coordinator"
    dialog.code_edit.setText("video_call")
    dialog.zh_edit.setText("视频回访")
    _click(qtbot, dialog, dialog.add_button)
    assert dialog.selected_code() == "video_call"
    dialog.close()
    qtbot.waitUntil(lambda: w.enrolled, timeout=10_000)
    w.sync_now(quiet=True)
    qtbot.waitUntil(lambda: w.sync_job is None and w.sync_result is not None, timeout=30_000)
    assert w.sync_result is not None and w.sync_result.rejected == 0
    other = make_laptop(tmp_path / "other", "社工乙")
    try:
        client.enroll(other, server.url, server.code_for("li", "worker", (OTHER_VILLAGE,)))
        client.sync_once(other)
        assert {"code": "video_call", "zh": "视频回访", "en": "视频回访", "active": True} in \
            vocabs.list_items(other, "visit_type")
    finally:
        other.close()


def test_a_record_that_holds_a_deactivated_code_shows_it_and_keeps_it_when_saved(
        qtbot, gui, store: Store, lane: DbLane, on_lane) -> None:  # type: ignore[no-untyped-def]
    def setup() -> str:
        aid = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
        hid = store.create("household", {"area_id": aid, "group_name": "1组", "head_name": "王德福"}).id
        store.create("household_category", {"household_id": hid, "category": "dibao"})
        vocabs.deactivate(store, "vulnerable_category", "dibao")
        vocabs.deactivate(store, "visit_type", "festival_greeting")
        load_vocab(store)
        return hid

    hid = on_lane(setup)
    # Not offered for a new entry …
    fresh = ChoiceBox(vocab_choices(store, "visit_type"))
    assert fresh.findData("festival_greeting") < 0
    assert "dibao" not in [c for c, _, _ in vocab_choices(store, "vulnerable_category")]
    # … but an old record's value is shown, marked, and kept.
    fresh.set_code("festival_greeting")
    assert fresh.code() == "festival_greeting" and fresh.currentText() == "节日慰问（已停用）"
    dlg = HouseholdDialog(store, lane, on_lane(lambda: household_dialog_data(store, hid)))
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.categories.checked() == ["dibao"]
    dlg.form.rows["group_name"].editor.setText("2组")
    qtbot.mouseClick(dlg.buttons.button(dlg.buttons.StandardButton.Save), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.saving, timeout=10_000)
    assert on_lane(lambda: store.get("household", hid))["group_name"] == "2组"
    assert [c["category"] for c in on_lane(lambda: store.children("household_category", hid))] == ["dibao"]
