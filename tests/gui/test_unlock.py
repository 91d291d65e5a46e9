"""First run (passphrase, recovery key, name) and unlock, driven through the real dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.gui import i18n
from lehe_desktop.gui.unlock import FirstRunDialog, UnlockDialog
from lehe_desktop.gui.worker import DbLane

GOOD = "river stones 2024!"


def test_first_run_shows_recovery_key_once_then_unlock(qtbot, gui, paths: DataPaths) -> None:
    lane = DbLane()
    dlg = FirstRunDialog(paths, lane)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.name.setText("张晓梅")  # QTest can only type ASCII keys
    qtbot.keyClicks(dlg.pass1, "short")
    assert dlg.meter.value() == 0 and dlg.meter_label.text() == "很弱"
    qtbot.mouseClick(dlg.create_btn, Qt.MouseButton.LeftButton)
    assert "至少" in dlg.problem.text()           # the core's "too short" message, in Chinese
    assert not vault.is_set_up(paths)
    dlg.pass1.setText(GOOD)
    assert dlg.meter.value() >= 2
    dlg.pass2.setText(GOOD + "x")
    qtbot.mouseClick(dlg.create_btn, Qt.MouseButton.LeftButton)
    assert dlg.problem.text() == "两次输入的密码不一致。"
    dlg.pass2.setText(GOOD)
    qtbot.mouseClick(dlg.create_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.pages.currentIndex() == 1, timeout=10_000)
    key = dlg.key_label.text()
    assert len(key.replace("-", "")) >= 20
    assert not dlg.continue_btn.isEnabled()         # must confirm it was written down
    dlg.reject()                                    # Esc cannot skip this step
    assert dlg.isVisible()
    dlg.confirm.setChecked(True)
    qtbot.mouseClick(dlg.continue_btn, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert dlg.key_label.text() == ""               # not kept on screen
    assert dlg.store is not None and dlg.store.user == "张晓梅"
    dlg.store.close()

    unlock = UnlockDialog(paths, lane)
    qtbot.addWidget(unlock)
    unlock.show()
    qtbot.keyClicks(unlock.passphrase, "wrong passphrase")
    qtbot.mouseClick(unlock.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: unlock.message.text() != "", timeout=10_000)
    assert unlock.message.text() == "密码不正确"
    assert unlock.store is None and unlock.button.isEnabled()
    unlock.passphrase.setText(GOOD)
    qtbot.mouseClick(unlock.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: unlock.store is not None, timeout=10_000)
    assert unlock.result() == QDialog.DialogCode.Accepted
    unlock.store.close()
    lane.stop()


def test_backoff_disables_the_button_with_a_countdown(qtbot, gui, paths: DataPaths) -> None:
    store, _ = vault.setup(paths, GOOD)
    store.close()
    lane = DbLane()
    unlock = UnlockDialog(paths, lane)
    qtbot.addWidget(unlock)
    unlock.show()
    for _ in range(3):
        qtbot.waitUntil(unlock.button.isEnabled, timeout=10_000)
        unlock.passphrase.setText("not it at all")
        qtbot.mouseClick(unlock.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not lane.pending, timeout=10_000)
    # The third mistake starts the core's back-off: button off, live countdown shown.
    assert not unlock.button.isEnabled()
    assert "秒后可以再试" in unlock.countdown.text()
    assert "请" in unlock.message.text()
    i18n.language().set("en")
    qtbot.waitUntil(lambda: "try again in" in unlock.countdown.text(), timeout=5000)
    assert unlock.button.text() == "Unlock"
    lane.stop()


def test_forgotten_passphrase_reset_with_the_recovery_key(qtbot, gui, paths: DataPaths) -> None:
    store, recovery = vault.setup(paths, GOOD)
    store.close()
    lane = DbLane()
    unlock = UnlockDialog(paths, lane)
    qtbot.addWidget(unlock)
    unlock.show()
    qtbot.mouseClick(unlock.forgot, Qt.MouseButton.LeftButton)
    assert unlock.recovery_box.isVisible() and not unlock.passphrase.isEnabled()
    unlock.recovery_key.setText(recovery.lower())
    unlock.new1.setText("a new passphrase 7")
    unlock.new2.setText("a new passphrase 7")
    qtbot.mouseClick(unlock.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: unlock.store is not None, timeout=10_000)
    unlock.store.close()
    vault.unlock(paths, "a new passphrase 7").close()
    lane.stop()


def test_first_run_refuses_a_guessable_passphrase_and_says_why(qtbot, gui, paths: DataPaths) -> None:
    lane = DbLane()
    dlg = FirstRunDialog(paths, lane)
    qtbot.addWidget(dlg)
    dlg.show()
    for _ in range(2):                               # asking again does not make it acceptable
        dlg.pass1.setText("zhangwei1988")            # a pinyin name and a year
        dlg.pass2.setText("zhangwei1988")
        assert dlg.meter.value() < 3
        qtbot.mouseClick(dlg.create_btn, Qt.MouseButton.LeftButton)
        assert "密码太容易被猜到" in dlg.problem.text() and "强度" in dlg.problem.text()
        assert dlg.pages.currentIndex() == 0 and not vault.is_set_up(paths)
    dlg.pass1.setText("青山 walk 7 月亮")
    dlg.pass2.setText("青山 walk 7 月亮")
    assert dlg.meter.value() >= 3
    qtbot.mouseClick(dlg.create_btn, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.pages.currentIndex() == 1, timeout=10_000)
    assert vault.is_set_up(paths)
    dlg.confirm.setChecked(True)
    qtbot.mouseClick(dlg.continue_btn, Qt.MouseButton.LeftButton)
    assert dlg.store is not None
    dlg.store.close()
