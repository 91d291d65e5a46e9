"""文件 → 同步问题: a real conflict and a real refused change, made through the real server, settled in the GUI."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt

from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync.conflicts import list_conflicts, list_rejected
from lehe_desktop.gui.main_window import MainWindow
from lehe_desktop.gui.sync_problems import SyncProblemsDialog
from lehe_desktop.gui.vocab import load_vocab
from lehe_desktop.gui.worker import DbLane

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import OTHER_VILLAGE, VILLAGE, LiveServer, household, make_laptop


def _two_laptops_in_conflict(tmp_path: Path, srv: LiveServer) -> tuple[Store, Store, str]:
    a, b = make_laptop(tmp_path / "a", "甲"), make_laptop(tmp_path / "b", "乙")
    client.enroll(a, srv.url, srv.code_for("alice"))
    client.enroll(b, srv.url, srv.code_for("bob"))
    hid = household(a, VILLAGE, head="王大山")
    client.sync_once(a)
    client.sync_once(b)
    a.update("household", hid, {"notes": "A 的备注"})
    b.clock.observe(a.clock.last)                           # B's clock is past A's stamp, without a wait …
    b.update("household", hid, {"notes": "B 的备注"})        # … so this is the later stamp: the value every copy shows
    for s in (a, b, a):
        client.sync_once(s)
    return a, b, hid


def _guard(store: Store) -> None:
    """As the session does after unlocking: vocabularies read, then the GUI thread refused."""
    load_vocab(store)
    store.refuse_thread(threading.get_ident())


def _shown(qtbot, store: Store, lane: DbLane) -> MainWindow:  # type: ignore[no-untyped-def]
    """The main window over ``store``, shown, its counts read; each test detaches it (as on lock)."""
    _guard(store)
    w = MainWindow(store, lane)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.status_refreshed, timeout=10_000):   # the counts, read on the lane
        w.show()
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)
    return w


def _problems(qtbot, w: MainWindow, lane: DbLane) -> SyncProblemsDialog:  # type: ignore[no-untyped-def]
    w.show_sync_problems()
    dialog = w.problems_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)   # both lists read on the lane
    return dialog


def _click(qtbot, lane: DbLane, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)


def test_a_conflict_is_shown_in_words_and_settled_with_the_overwritten_value(
        qtbot, gui, tmp_path: Path, server: LiveServer, lane: DbLane, on_lane) -> None:  # type: ignore[no-untyped-def]
    a, b, hid = _two_laptops_in_conflict(tmp_path, server)
    w = None
    try:
        w = _shown(qtbot, a, lane)
        assert w.problems_button.isVisible() and "1" in w.problems_button.text()
        w.problems_action.trigger()
        dialog = w.problems_dialog
        assert isinstance(dialog, SyncProblemsDialog)
        qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)
        model = dialog.conflicts
        assert model.rowCount() == 1 and dialog.tabs.tabText(0) == "冲突（1）"
        row = [model.index(0, c).data() for c in range(model.columnCount())]
        assert row[0].startswith("户 · ") and "王大山" in row[0]
        assert row[1:4] == ["备注", "B 的备注", "A 的备注"]          # field label and values, not codes
        assert not dialog.use_other.isEnabled()                     # nothing chosen yet
        dialog.conflict_view.selectRow(0)
        assert dialog.use_other.isEnabled()
        _click(qtbot, lane, dialog.use_other)
        assert model.rowCount() == 0 and dialog.status.text() == ""
        assert on_lane(lambda: a.get("household", hid))["notes"] == "A 的备注"
        assert on_lane(lambda: list_conflicts(a)) == [] and not w.problems_button.isVisible()
        # The resolution is an ordinary change: it reaches the other laptop, whose conflict closes too.
        on_lane(lambda: client.sync_once(a))
        client.sync_once(b)
        assert b.get("household", hid)["notes"] == "A 的备注" and list_conflicts(b) == []
        dialog.close()
    finally:
        if w is not None:
            w.detach()
        qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)       # as on lock: nothing may read the store once it is closed
        a.close()
        b.close()


def test_a_refused_change_is_explained_and_acknowledged(qtbot, gui, tmp_path: Path, server: LiveServer,
                                                        lane: DbLane, on_lane) -> None:  # type: ignore[no-untyped-def]
    alice = make_laptop(tmp_path / "a", "甲")
    w = None
    try:
        client.enroll(alice, server.url, server.code_for("alice"))
        household(alice, OTHER_VILLAGE, head="钱越界")               # a village outside her areas
        assert client.sync_once(alice).rejected >= 1
        refused = len(list_rejected(alice))
        w = _shown(qtbot, alice, lane)
        dialog = _problems(qtbot, w, lane)
        assert dialog.tabs.currentIndex() == 1      # no conflicts: opens on refused
        model = dialog.refused
        assert model.rowCount() == refused and dialog.tabs.tabText(1) == f"被拒绝的修改（{refused}）"
        reasons = {model.index(r, 1).data() for r in range(model.rowCount())}
        assert all(reasons) and not any("scope.outside" in t for t in reasons)   # words, not codes
        assert any("钱越界" in model.index(r, 0).data() for r in range(model.rowCount()))
        dialog.refused_view.selectRow(0)
        _click(qtbot, lane, dialog.dismiss)
        assert model.rowCount() == refused - 1
        _click(qtbot, lane, dialog.dismiss_all)
        assert model.rowCount() == 0 and not dialog.dismiss_all.isEnabled()
        assert on_lane(lambda: list_rejected(alice)) == []
        assert len(on_lane(lambda: list_rejected(alice, include_dismissed=True))) == refused
        assert not w.problems_button.isVisible()
        dialog.close()
    finally:
        if w is not None:
            w.detach()
        qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)
        alice.close()


def test_open_record_shows_the_household_or_says_it_was_deleted(
        qtbot, gui, tmp_path: Path, server: LiveServer, lane: DbLane, on_lane) -> None:  # type: ignore[no-untyped-def]
    a, b, hid = _two_laptops_in_conflict(tmp_path, server)
    w = None
    try:
        w = _shown(qtbot, a, lane)
        dialog = _problems(qtbot, w, lane)
        dialog.conflict_view.selectRow(0)
        _click(qtbot, lane, dialog.open_conflict)
        # The window-modal list steps aside so the household can be worked on.
        assert w.problems_dialog is None and (not shiboken6.isValid(dialog) or not dialog.isVisible())
        hh = w.pages["households"]
        assert hh.currentWidget() is hh.profile and hh.profile.household["id"] == hid
        on_lane(lambda: a.delete("household", hid))                # gone since: said in words, no traceback
        dialog = _problems(qtbot, w, lane)
        assert dialog.conflicts.rowCount() == 1
        dialog.conflict_view.selectRow(0)
        _click(qtbot, lane, dialog.open_conflict)
        assert dialog.isVisible() and "删除" in dialog.status.text()
        dialog.close()
    finally:
        if w is not None:
            w.detach()
        qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)
        a.close()
        b.close()


def test_a_conflict_on_a_field_this_version_does_not_know_can_only_be_kept(
        qtbot, gui, tmp_path: Path, server: LiveServer, lane: DbLane, on_lane) -> None:  # type: ignore[no-untyped-def]
    a, b, hid = _two_laptops_in_conflict(tmp_path, server)
    # As replicated from a server of a newer version: a field this app has never heard of.
    with a.transaction():
        a.execute("UPDATE conflicts SET field = 'future_field'")
    _guard(a)
    dialog = SyncProblemsDialog(a, lane)
    qtbot.addWidget(dialog)
    try:
        with qtbot.waitSignal(dialog.loaded, timeout=10_000):
            dialog.show()
        dialog.conflict_view.selectRow(0)
        assert dialog.keep.isEnabled() and not dialog.use_other.isEnabled()   # "use" would change nothing
        _click(qtbot, lane, dialog.keep)
        assert dialog.conflicts.rowCount() == 0 and on_lane(lambda: list_conflicts(a)) == []
        assert on_lane(lambda: a.get("household", hid))["notes"] == "B 的备注"
        dialog.close()
    finally:
        a.close()
        b.close()


def test_a_refused_household_is_moved_to_my_village_sent_whole_and_exported(
        qtbot, gui, tmp_path: Path, server: LiveServer, lane: DbLane, on_lane) -> None:  # type: ignore[no-untyped-def]
    """移到我的村并重新发送 from the dialog: the household, its member and visit reach a coworker of the
    chosen village whole; the other village's worker gets none of it; the refusals can be exported."""
    alice = make_laptop(tmp_path / "a", "甲")
    carol, bob = make_laptop(tmp_path / "c", "丙"), make_laptop(tmp_path / "b", "乙")
    w = None
    try:
        client.enroll(alice, server.url, server.code_for("alice"))
        client.enroll(carol, server.url, server.code_for("carol"))
        client.enroll(bob, server.url, server.code_for("bob", areas=(OTHER_VILLAGE,)))
        hid = household(alice, OTHER_VILLAGE, head="钱越界", notes="独居老人")
        alice.create("household_category", {"household_id": hid, "category": "dibao"})
        mid = alice.create("member", {"household_id": hid, "name": "钱小明", "sex": "1", "relation": "10"}).id
        assert client.sync_once(alice).rejected >= 4
        refused = len(list_rejected(alice))
        w = _shown(qtbot, alice, lane)
        assert str(refused) in w.unsent.text()          # refused work is not sent: the status bar says so
        dialog = _problems(qtbot, w, lane)
        dialog.resize(1000, 520)
        model = dialog.refused
        rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
        records = [r[0] for r in rows]
        assert "户类别 · 钱越界户 · 一组" in records and not any("户类别 · 户类别" in r for r in records)
        assert {r[1] for r in rows} == {"整条记录"}                     # new records: the whole record was refused
        member_row = records.index("家庭成员 · 钱小明")
        assert not dialog.move_resend.isEnabled()                              # nothing chosen yet
        area_row = next(i for i, r in enumerate(records) if r.startswith("地区"))
        dialog.refused_view.selectRow(area_row)
        assert not dialog.move_resend.isEnabled()                              # an area is not moved
        dialog.refused_view.selectRow(member_row)
        assert dialog.move_resend.isEnabled() and dialog.move_area.currentText() == "乐和村"
        assert dialog.move_resend.text() == "移到我的村并重新发送"
        dialog.grab().save(str(tmp_path / "sync_problems.png"))
        _click(qtbot, lane, dialog.move_resend)
        assert "乐和村" in dialog.status.text() and model.rowCount() == 0
        assert on_lane(alice.refused_count) == 0 and on_lane(alice.to_send_count) == 3
        qtbot.waitUntil(lambda: "3" in w.unsent.text(), timeout=10_000)     # household, category, member
        dialog.grab().save(str(tmp_path / "sync_problems_after.png"))

        # The coordinator's file: every refusal, dealt with ones too.
        qtbot.mouseClick(dialog.export, Qt.MouseButton.LeftButton)
        chooser = dialog.export_dialog
        assert chooser is not None
        out = tmp_path / "给协调员.csv"
        chooser.selectFile(str(out))
        chooser.accept()
        qtbot.waitUntil(lambda: lane.pending == 0 and out.exists(), timeout=10_000)
        assert str(out) in dialog.status.text()
        assert len(out.read_text("utf-8-sig").splitlines()) == refused + 1

        res = on_lane(lambda: client.sync_once(alice))
        assert res.rejected == 0 and res.pushed == 3
        client.sync_once(carol)
        got = carol.get("household", hid)
        assert got is not None and got["head_name"] == "钱越界" and got["notes"] == "独居老人"
        assert carol.get("member", mid)["name"] == "钱小明" and len(carol.children("household_category", hid)) == 1
        client.sync_once(bob)
        assert bob.get("household", hid) is None and bob.get("member", mid) is None
        dialog.close()
    finally:
        if w is not None:
            w.detach()
        qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)
        for s in (alice, carol, bob):
            s.close()
