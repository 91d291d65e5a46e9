"""The main window: Chinese search (1 and 2 characters), runtime language switch, views."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui import i18n
from lehe_desktop.gui.main_window import VIEWS, MainWindow


def test_search_finds_households_by_one_and_two_chinese_characters(qtbot, gui, store: Store, lane, on_lane) -> None:
    def prepare() -> str:
        area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
        hid = store.create("household", {"area_id": area, "group_name": "3组", "head_name": "王德福"}).id
        store.create("household", {"area_id": area, "group_name": "1组", "head_name": "李秀英"})
        return hid

    hid = on_lane(prepare)
    w = MainWindow(store, lane)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.search.hasFocus()
    for text in ("德", "王德"):
        w.search.setText(text)
        with qtbot.waitSignal(w.search_page.searched, timeout=5000):   # answered by the lane
            qtbot.keyClick(w.search, Qt.Key.Key_Return)
        assert w.stack.currentWidget() is w.search_page
        ids = [w.search_page.results.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(w.search_page.results.count())]
        assert ("household", hid) in ids
        assert "王德福户" in w.search_page.results.item(0).text()
    w.search.setText("秀英")
    with qtbot.waitSignal(w.search_page.searched, timeout=5000):
        qtbot.keyClick(w.search, Qt.Key.Key_Return)
    assert w.search_page.results.count() == 1
    # Enter on a result opens the household's profile (once its data has arrived).
    qtbot.keyClick(w.search_page.results, Qt.Key.Key_Return)
    hh = w.pages["households"]
    qtbot.waitUntil(lambda: hh.currentWidget() is hh.profile, timeout=5000)
    assert w.current_view() == "households"
    assert hh.profile.title.text() == "李秀英户"


def test_language_switches_at_runtime(qtbot, gui, demo_store: Store, lane) -> None:
    w = MainWindow(demo_store, lane)
    qtbot.addWidget(w)
    w.show_view("households")
    w.show()
    assert w.nav.item(0).text() == "今日"
    assert w.pages["households"].list.new_btn.text() == "新建户"
    header = w.pages["households"].list.model.headerData(2, Qt.Orientation.Horizontal)
    assert header == "户主"
    w.lang_actions["en"].trigger()
    qtbot.waitUntil(lambda: w.nav.item(0).text() == "Home", timeout=5000)
    assert w.pages["households"].list.new_btn.text() == "New household"
    assert w.pages["households"].list.model.headerData(2, Qt.Orientation.Horizontal) == "Head"
    assert w.file_menu.title() == "&File"
    assert i18n.current() == "en"
    w.lang_actions["zh"].trigger()
    qtbot.waitUntil(lambda: w.nav.item(0).text() == "今日", timeout=5000)


def test_every_view_opens_and_layout_is_remembered(qtbot, gui, demo_store: Store, lane, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    w = MainWindow(demo_store, lane, settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    for view in VIEWS:
        w.show_view(view)
        assert w.current_view() == view
        assert w.stack.currentWidget() is w.pages[view]
    w.show_view("visits")
    w.close()
    assert settings.value("window/geometry") is not None
    w2 = MainWindow(demo_store, lane, settings)
    qtbot.addWidget(w2)
    w2.restore_layout()                   # the size and place come back; the page does not (test_session)
    assert settings.value("window/view") is None
    with qtbot.waitSignal(w2.status_refreshed, timeout=5000):   # counted on the lane
        w2.refresh_status()
    assert "条修改尚未上传" in w2.unsent.text()


def test_the_window_never_calls_the_store_on_the_gui_thread(qtbot, gui, demo_store: Store, lane, on_lane) -> None:
    """With the guard on (as in the app), every page, count and search still works: all of it goes
    through the lane; the same call made directly from the GUI thread is refused."""
    from lehe_desktop.core.errors import StorageError

    with pytest.raises(StorageError) as info:
        demo_store.count("household")
    assert info.value.code == "store.wrong_thread"
    with pytest.raises(StorageError), demo_store.transaction():
        pass
    assert on_lane(lambda: demo_store.count("household")) == 60     # the lane thread may
    w = MainWindow(demo_store, lane)
    qtbot.addWidget(w)
    w.show()
    for view in VIEWS:
        w.show_view(view)
    w.search.setText("王")
    with qtbot.waitSignal(w.search_page.searched, timeout=5000):
        w.run_search()
    with qtbot.waitSignal(w.status_refreshed, timeout=5000):
        w.refresh_status()
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)
    assert w.pages["households"].list.model.total == 60
    assert w.pages["home"].data["stats"]["households"] == 60


def test_search_finds_a_household_by_a_phone_or_id_number_typed_whole_and_follows_typing(
        qtbot, gui, store: Store, lane, on_lane) -> None:
    id_number = "110101199003070011"

    def prepare() -> str:
        area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
        hid = store.create("household", {"area_id": area, "group_name": "3组", "head_name": "王德福"}).id
        mid = store.create("member", {"household_id": hid, "name": "王小军", "sex": "1", "relation": "20",
                                      "id_number": id_number}).id
        store.create("member_phone", {"member_id": mid, "number": "13800138000", "owner": "self"})
        store.create("household", {"area_id": area, "group_name": "1组", "head_name": "李秀英"})
        return hid

    hid = on_lane(prepare)
    w = MainWindow(store, lane)
    qtbot.addWidget(w)
    w.show()
    w.search.setFocus()

    def results() -> list[str]:
        return [w.search_page.results.item(i).text() for i in range(w.search_page.results.count())]

    # Typed, not entered: the results follow the typing and the cursor stays in the box.
    with qtbot.waitSignal(w.search_page.searched, timeout=5000):
        qtbot.keyClicks(w.search, "138 0013 8000")
    assert w.stack.currentWidget() is w.search_page
    assert w.search.hasFocus()
    assert len(results()) == 1
    # Shown masked, never as typed.
    assert "王小军 · 138****8000" in results()[0] and "13800138000" not in results()[0]
    w.search.clear()
    with qtbot.waitSignal(w.search_page.searched, timeout=5000):
        qtbot.keyClicks(w.search, id_number)
    assert len(results()) == 1
    assert "王小军" in results()[0] and "1101**********0011" in results()[0] and id_number not in results()[0]
    # A number typed only in part finds nobody (no prefix of a number is in the index).
    w.search.clear()
    with qtbot.waitSignal(w.search_page.searched, timeout=5000):
        qtbot.keyClicks(w.search, id_number[:12])
    assert results() == []
    # The member's household opens from the result.
    w.search.clear()
    with qtbot.waitSignal(w.search_page.searched, timeout=5000):
        qtbot.keyClicks(w.search, "13800138000")
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: w.search_page.results.hasFocus(), timeout=5000)
    qtbot.keyClick(w.search_page.results, Qt.Key.Key_Return)
    hh = w.pages["households"]
    qtbot.waitUntil(lambda: hh.currentWidget() is hh.profile and hh.profile.household is not None
                    and hh.profile.household["id"] == hid, timeout=5000)
    # The index never holds the digits themselves.
    assert on_lane(lambda: store.search("13800138000", rtypes=["member_phone"]))[0]["match"] == "138****8000"
    assert on_lane(lambda: store.query("SELECT rowid FROM search WHERE search MATCH '\"13800138000\"'")) == []
