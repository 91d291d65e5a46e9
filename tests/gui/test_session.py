"""The whole app session as `make run` starts it: first run → main window → lock → unlock."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from lehe_desktop.core.errors import StorageError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.gui.app import Session
from lehe_desktop.gui.resources import font_paths, i18n_dir, load_fonts
from lehe_desktop.gui.unlock import FirstRunDialog, UnlockDialog

GOOD = "mountain tea 2025"


def _when_modal(kind: type, act) -> None:  # type: ignore[no-untyped-def]
    """Drive the next modal dialog of ``kind`` once it is open (exec() blocks the test)."""

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, kind) and w.isVisible():
            act(w)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def test_first_run_then_lock_and_unlock(qtbot, gui, paths: DataPaths) -> None:
    def first_run(d: FirstRunDialog) -> None:
        d.name.setText("张晓梅")
        d.pass1.setText(GOOD)
        d.pass2.setText(GOOD)
        d.create_btn.click()

        def confirm() -> None:
            if d.pages.currentIndex() != 1:
                QTimer.singleShot(20, confirm)
                return
            d.confirm.setChecked(True)
            d.continue_btn.click()

        confirm()

    session = Session(paths, "zh")
    _when_modal(FirstRunDialog, first_run)
    assert session.start()
    window = session.window
    assert window is not None and window.isVisible() and session.store is not None
    assert window.nav.item(0).text() == "今日"
    # The app itself turns the guard on after unlocking: the GUI thread cannot reach the store.
    with pytest.raises(StorageError) as refused:
        session.store.unsent_count()
    assert refused.value.code == "store.wrong_thread"

    def unlock(d: UnlockDialog) -> None:
        d.passphrase.setText(GOOD)
        d.button.click()

    _when_modal(UnlockDialog, unlock)
    window.show_view("visits")            # left on another page: the next window opens on 今日 all the same
    window.lock_action.trigger()          # 锁定 Lock now: store closed, unlock screen, back in
    qtbot.waitUntil(lambda: session.window is not None and session.window is not window, timeout=10_000)
    assert session.store is not None and session.store.user == "张晓梅"
    assert session.window.current_view() == "home"
    assert session.window.stack.currentWidget() is session.window.pages["home"]
    session.window.set_language("en")
    assert session.settings.value("language") == "en"
    session.shutdown()
    assert (paths.root / "gui.ini").exists()


def test_font_and_translations_are_bundled(gui) -> None:
    assert all(p.is_file() for p in font_paths())
    assert load_fonts() == "WenQuanYi Micro Hei"
    assert QApplication.font().family() == "WenQuanYi Micro Hei"
    # Every UI string has a finished Chinese translation, and the compiled file is loadable.
    tree = ET.parse(i18n_dir() / "lehe_zh_CN.ts")
    unfinished = [m.findtext("source") for m in tree.iter("message")
                  if m.find("translation").get("type") in ("unfinished", "obsolete")]
    assert unfinished == []
    tr = QTranslator()
    assert tr.load(str(i18n_dir() / "lehe_zh_CN.qm"))
    assert tr.translate("MainWindow", "Home") == "今日"
    assert QCoreApplication.translate("MainWindow", "Home") == "今日"   # installed by the gui fixture
