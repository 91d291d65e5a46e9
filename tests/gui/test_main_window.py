"""The main window: Chinese search (1 and 2 characters), runtime language switch, views."""

from __future__ import annotations

from PySide6.QtCore import Qt

from lehe_desktop.core.store.store import Store
from lehe_desktop.gui import i18n
from lehe_desktop.gui.main_window import VIEWS, MainWindow


def test_search_finds_households_by_one_and_two_chinese_characters(qtbot, gui, store: Store) -> None:
    area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    hid = store.create("household", {"area_id": area, "group_name": "3组", "head_name": "王德福"}).id
    store.create("household", {"area_id": area, "group_name": "1组", "head_name": "李秀英"})
    w = MainWindow(store, None)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.search.hasFocus()
    for text in ("德", "王德"):
        w.search.setText(text)
        qtbot.keyClick(w.search, Qt.Key.Key_Return)
        assert w.stack.currentWidget() is w.search_page
        ids = [w.search_page.results.item(i).data(Qt.ItemDataRole.UserRole)
               for i in range(w.search_page.results.count())]
        assert ("household", hid) in ids
        assert "王德福户" in w.search_page.results.item(0).text()
    w.search.setText("秀英")
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    assert w.search_page.results.count() == 1
    # Enter on a result opens the household's profile.
    qtbot.keyClick(w.search_page.results, Qt.Key.Key_Return)
    hh = w.pages["households"]
    assert w.current_view() == "households" and hh.currentWidget() is hh.profile
    assert hh.profile.title.text() == "李秀英户"


def test_language_switches_at_runtime(qtbot, gui, demo_store: Store) -> None:
    w = MainWindow(demo_store, None)
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


def test_every_view_opens_and_layout_is_remembered(qtbot, gui, demo_store: Store, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    settings = QSettings(str(tmp_path / "gui.ini"), QSettings.Format.IniFormat)
    w = MainWindow(demo_store, None, settings)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    for view in VIEWS:
        w.show_view(view)
        assert w.current_view() == view
        assert w.stack.currentWidget() is w.pages[view]
    w.show_view("visits")
    w.close()
    assert settings.value("window/view") == "visits"
    w2 = MainWindow(demo_store, None, settings)
    qtbot.addWidget(w2)
    assert w2.restore_layout() == "visits"
    assert "条修改尚未上传" in w2.unsent.text()
