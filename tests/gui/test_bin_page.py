"""记录 → 回收站: a household deleted from its page is found in the bin and restored with its members."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui import i18n
from lehe_desktop.gui.bin_page import BinDialog
from lehe_desktop.gui.main_window import MainWindow


def family(store: Store) -> tuple[str, list[str]]:
    area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    hid = store.create("household", {"area_id": area, "group_name": "2组", "head_name": "赵德明"}).id
    mids = [store.create("member", {"household_id": hid, "name": name, "sex": sex, "relation": rel}).id
            for name, sex, rel in (("赵德明", "1", "02"), ("赵小芳", "2", "20"))]
    return hid, mids


def all_sent(store: Store) -> int:
    """As after a sync: the server has every change so far (the unsent count drops to 0)."""
    rows = store.query("SELECT origin, seq FROM changes")
    store.set_server_seqs((n + 1, origin, seq) for n, (origin, seq) in enumerate(rows))
    return store.unsent_count()


def test_a_household_deleted_from_its_page_is_restored_from_the_bin_with_its_members(
        qtbot, gui, store: Store, lane, on_lane) -> None:
    hid, mids = on_lane(lambda: family(store))
    w = MainWindow(store, lane)
    qtbot.addWidget(w)
    w.show()
    hh = w.pages["households"]
    profile = hh.profile
    with qtbot.waitSignal(profile.loaded, timeout=10_000):
        w.open_record("household", hid)
    # Delete from the household's page: Edit → Delete → Yes.
    profile.edit_btn.click()
    qtbot.waitUntil(lambda: getattr(profile, "open_dialog", None) is not None
                    and profile.open_dialog.isVisible(), timeout=10_000)
    dlg = profile.open_dialog
    dlg.delete_button.click()
    qtbot.waitUntil(lambda: dlg.question is not None and dlg.question.isVisible(), timeout=5000)
    with qtbot.waitSignal(dlg.accepted, timeout=10_000):
        dlg.question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: hh.currentWidget() is hh.list, timeout=10_000)   # the page goes back to the list
    assert on_lane(lambda: store.get("household", hid)) is None
    assert on_lane(lambda: all_sent(store)) == 0
    # Records → Bin…: the household, when, and its two members that went with it.
    assert w.bin_action in w.records_menu.actions() and w.bin_action.text() == "回收站…"
    with qtbot.waitSignal(w.status_refreshed, timeout=10_000):
        w.refresh_status()
    bin_dialog = w.show_bin()
    assert isinstance(bin_dialog, BinDialog)
    qtbot.waitUntil(lambda: bin_dialog.model.rowCount() == 1, timeout=10_000)
    model = bin_dialog.model
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert texts[0] == "户" and "赵德明" in texts[1] and texts[2][:2] == "20" and texts[3] == "家庭成员 2 条"
    assert not bin_dialog.restore_btn.isEnabled()
    assert bin_dialog.select_key("household", hid)
    assert bin_dialog.restore_btn.isEnabled()
    with qtbot.waitSignal(bin_dialog.restored, timeout=10_000):
        bin_dialog.restore_btn.click()
    assert "已恢复 3 条记录" in bin_dialog.status.text()
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=10_000)            # the list refreshed
    # Back with its members; the restore is a change like any edit: unsent until the next sync.
    assert on_lane(lambda: store.get("household", hid)) is not None
    assert sorted(m["id"] for m in on_lane(lambda: store.children("member", hid))) == sorted(mids)
    unsent = on_lane(lambda: store.query(
        "SELECT rtype, rid FROM changes WHERE server_seq IS NULL ORDER BY seq"))
    assert {tuple(r) for r in unsent} == {("household", hid), *(("member", m) for m in mids)}
    qtbot.waitUntil(lambda: w.unsent.text() == "3 条修改尚未上传", timeout=10_000)
    # The household list shows it again.
    w.show_view("households")
    qtbot.waitUntil(lambda: hh.list.model.total == 1, timeout=10_000)
    i18n.language().set("en")
    try:
        qtbot.waitUntil(lambda: bin_dialog.restore_btn.text() == "Restore", timeout=5000)
    finally:
        i18n.language().set("zh")
    bin_dialog.accept()


def test_a_member_whose_household_is_in_the_bin_is_not_restored_alone(qtbot, gui, store: Store, lane,
                                                                       on_lane) -> None:
    from lehe_desktop.core.store import bin as recycle

    hid, mids = on_lane(lambda: family(store))
    on_lane(lambda: recycle.delete_with_dependents(store, "member", mids[1]))   # the daughter, on her own
    on_lane(lambda: recycle.delete_with_dependents(store, "household", hid))    # then the household
    dlg = BinDialog(store, lane)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.model.rowCount() == 2, timeout=10_000)
    keys = [dlg.model.index(r, 0).data(Qt.ItemDataRole.UserRole) for r in range(2)]
    assert keys == [("household", hid), ("member", mids[1])]      # newest first
    assert dlg.select_key("member", mids[1])
    with qtbot.waitSignal(dlg.restored, timeout=10_000):
        dlg.restore_btn.click()
    assert "请先从回收站恢复户" in dlg.status.text()                 # said in words, nothing changed
    assert on_lane(lambda: store.get("member", mids[1])) is None
    assert dlg.model.rowCount() == 2
