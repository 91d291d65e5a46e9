"""The lock: after the idle time even with a form open, on a wall-clock jump (sleep), on demand.

Locked, nothing shows a record (the window and every dialog are gone, the store is closed)
until the passphrase is typed; the form that was open comes back with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from lehe_desktop.core import drafts
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.gui.app import Session
from lehe_desktop.gui.dialogs import EditDialog
from lehe_desktop.gui.forms import ChoiceBox
from lehe_desktop.gui.unlock import UnlockDialog
from lehe_desktop.gui.visits import VisitDialog

PASSPHRASE = "correct horse 42"


def _set_up(paths: DataPaths) -> str:
    store, _recovery = vault.setup(paths, PASSPHRASE, worker_name="张晓梅")
    try:
        area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
        return store.create("household", {"area_id": area, "group_name": "3组", "head_name": "王德福"}).id
    finally:
        store.close()


def _when_unlock(act: Callable[[UnlockDialog], None]) -> None:
    """Run ``act`` on the next unlock screen once it shows (its exec() holds the test meanwhile)."""

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if isinstance(w, UnlockDialog) and w.isVisible() and w.button.isEnabled():
            act(w)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def _type(d: UnlockDialog, passphrase: str = PASSPHRASE) -> None:
    d.passphrase.setText(passphrase)
    d.button.click()


def _start(paths: DataPaths) -> Session:
    session = Session(paths, "zh")
    _when_unlock(_type)
    assert session.start()
    return session


def _open_visit(session: Session, qtbot: Any, hid: str) -> VisitDialog:
    assert session.window is not None
    page = session.window.pages["visits"]
    page.new_visit(hid)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: isinstance(getattr(page, "open_dialog", None), VisitDialog)
                    and page.open_dialog.isVisible(), timeout=20_000)  # type: ignore[attr-defined]
    dlg: VisitDialog = page.open_dialog  # type: ignore[attr-defined]
    return dlg


def test_idle_lock_with_a_form_open_hides_everything_and_brings_the_form_back(qtbot: Any, gui: Any,
                                                                              paths: DataPaths) -> None:
    hid = _set_up(paths)
    session = _start(paths)
    old_window = session.window
    dlg = _open_visit(session, qtbot, hid)
    box = dlg.form.rows["visit_type"].editor
    assert isinstance(box, ChoiceBox)
    box.set_code("home")
    dlg.form.rows["situation"].set_value("锁定前写的情况")
    dlg.risks.set_checked(["alone_no_carer"])
    typed = (dlg.values(), dlg.links())
    # A question box over the form as well: open dialogs used to keep the app unlocked forever.
    dlg.reject()
    assert dlg.question is not None and dlg.question.isVisible()
    seen: dict[str, Any] = {}

    def locked(d: UnlockDialog) -> None:
        seen["visible"] = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        seen["store"] = session.store
        seen["window"] = session.window
        _type(d, "not the passphrase")     # refused: the screen stays, nothing opens

        def then() -> None:
            if not d.message.text() or not d.button.isEnabled():
                QTimer.singleShot(20, then)
                return
            seen["refused"] = (d.message.text(), d.isVisible(), session.window)
            session.set_idle_ms(10 * 60_000)     # the test's 0.3 s would lock again at once
            _type(d)

        QTimer.singleShot(20, then)

    _when_unlock(locked)
    session.set_idle_ms(300)
    qtbot.waitUntil(lambda: session.window is not None and session.window is not old_window, timeout=20_000)
    # While locked only the unlock screen was on screen: no window, no form, no question.
    assert len(seen["visible"]) == 1 and isinstance(seen["visible"][0], UnlockDialog)
    assert seen["store"] is None and seen["window"] is None
    message, still_shown, window = seen["refused"]
    assert message and still_shown and window is None
    # Unlocked: the form comes back by itself with everything typed into it.
    offer = session.draft_offer
    assert offer is not None
    qtbot.waitUntil(lambda: bool(offer.opened), timeout=20_000)
    back = offer.opened[0]
    assert isinstance(back, VisitDialog) and back.isVisible()
    assert (back.values(), back.links()) == typed
    assert offer.question is None          # brought back unasked: it was open when the app locked
    session.shutdown()


def test_lock_now_then_a_clock_jump(qtbot: Any, gui: Any, paths: DataPaths) -> None:
    hid = _set_up(paths)
    session = _start(paths)
    first = session.window
    assert first is not None
    # File → Lock now with a record form (nothing typed) and a message box open.
    _open_visit(session, qtbot, hid)
    info = QMessageBox(QMessageBox.Icon.Information, "乐和社工", "王德福户", QMessageBox.StandardButton.Ok, first)
    info.open()
    seen: list[list[Any]] = []
    _when_unlock(lambda d: (seen.append([w for w in QApplication.topLevelWidgets() if w.isVisible()]), _type(d)))
    first.lock_action.trigger()
    qtbot.waitUntil(lambda: session.window is not None and session.window is not first, timeout=20_000)
    assert len(seen) == 1 and len(seen[0]) == 1 and isinstance(seen[0][0], UnlockDialog)
    store = session.store
    assert store is not None
    # Nothing was typed: no draft kept, nothing brought back.
    box: list[int] = []
    session.lane.query(lambda: drafts.draft_count(store), box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    assert box == [0]
    assert not [w for w in session.window.findChildren(EditDialog) if w.isVisible()]

    # The machine sleeps: no timer runs meanwhile, the wall clock jumps on resume.
    second = session.window
    now = [1_000_000.0]
    session.clock = lambda: now[0]
    session.set_idle_ms(10 * 60_000)       # ten minutes: the idle timer itself will not fire here
    session.heartbeat.setInterval(30)
    qtbot.wait(150)
    assert session.window is second         # beats a few seconds apart: no lock
    unlocks: list[bool] = []
    _when_unlock(lambda d: (unlocks.append(session.store is None and session.window is None), _type(d)))
    now[0] += 11 * 60                       # the lid was closed for eleven minutes
    qtbot.waitUntil(lambda: session.window is not None and session.window is not second, timeout=20_000)
    assert unlocks == [True]
    session.set_idle_ms(0)
    session.shutdown()
