"""文件 File menu: backup and restore, export, passphrase change, diagnostics — from the window.

Real parts only: an encrypted database in a tmp folder, the app's session and database lane, the
real files written; the named export is opened with pyzipper (what core/exports.py writes with).
"""

from __future__ import annotations

import json
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pyzipper
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.errors import LockedError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.app import Session
from lehe_desktop.gui.file_dialogs import RestoreDialog
from lehe_desktop.gui.main_window import MainWindow
from lehe_desktop.gui.unlock import UnlockDialog
from lehe_desktop.gui.vocab import load_vocab
from lehe_desktop.gui.worker import DbLane

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import household

NEW_PASSPHRASE = "river bridge tea 2027"


def _window(qtbot: Any, store: Store, lane: DbLane, paths: DataPaths | None = None) -> MainWindow:
    w = MainWindow(store, lane, paths=paths)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)
    return w


def _runner(qtbot: Any, lane: DbLane) -> Callable[[Callable[[], Any]], Any]:
    def run(fn: Callable[[], Any]) -> Any:
        box: list[tuple[bool, Any]] = []
        lane.query(fn, lambda v: box.append((True, v)), lambda e: box.append((False, e)), name="test")
        qtbot.waitUntil(lambda: bool(box), timeout=30_000)
        ok, value = box[0]
        if not ok:
            raise value
        return value
    return run


def test_file_menu_lists_the_file_actions_in_chinese(qtbot, gui, store: Store, lane: DbLane, paths: DataPaths) -> None:
    w = _window(qtbot, store, lane, paths)
    texts = [a.text() for a in w.file_menu.actions()]
    for text in ("备份…", "从备份恢复…", "导出…", "修改密码…", "导出诊断信息…"):
        assert text in texts
    assert texts.index("导出诊断信息…") < texts.index("锁定")
    bare = _window(qtbot, store, lane)          # a window that does not know the data folder
    assert not bare.files.backup_action.isEnabled() and bare.files.export_action.isEnabled()


def test_backup_then_restore_from_the_menu(qtbot, gui, paths: DataPaths, passphrase: str, tmp_path: Path) -> None:
    store, _recovery = vault.setup(paths, passphrase, worker_name="张晓梅")
    make_demo(store, 8, seed=5)
    load_vocab(store)
    session = Session(paths, "zh")
    try:
        window = session.open(store)
        run = _runner(qtbot, session.lane)
        qtbot.waitUntil(lambda: session.lane.pending == 0, timeout=10_000)
        households, members = run(lambda: (store.count("household"), store.count("member")))
        assert households == 8

        # 备份… with a wrong passphrase: refused in words, nothing written.
        target = tmp_path / "usb" / "monday.lehe-backup"
        target.parent.mkdir()
        d = window.files.show_backup()
        assert d is not None and d.isVisible()
        d.target.setText(str(target))
        d.passphrase.setText("not my passphrase")
        qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: d.job is None and d.message.text() != "", timeout=30_000)
        assert d.message.text() == "密码不正确" and not target.exists()
        d.passphrase.setText(passphrase)
        qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: d.written is not None, timeout=30_000)
        assert target.is_file() and not list(target.parent.glob("*.part"))
        assert str(target) in d.message.text() and "户 8" in d.message.text()
        assert d.folder_button.isVisible() and d.shown_folder == target.parent    # 打开文件夹
        d.close()

        # A household entered after the backup …
        late = run(lambda: household(store, head="后来户"))
        assert run(lambda: store.count("household")) == 9

        # 从备份恢复…: the preview first (counts read from the file), nothing replaced yet.
        r = window.files.show_restore()
        assert isinstance(r, RestoreDialog)
        r.source.setText(str(target))
        r.passphrase.setText(passphrase)
        qtbot.mouseClick(r.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: r.pages.currentIndex() == 1, timeout=30_000)
        assert r.backup_count("household") == 8 and r.backup_count("member") == members
        assert r.current["household"] == 9
        assert "来自：本机" in r.about.text() and "程序版本" in r.about.text()
        assert "替换" in r.warning.text()
        assert run(lambda: store.count("household")) == 9      # still nothing replaced
        qtbot.mouseClick(r.restore_button, Qt.MouseButton.LeftButton)

        # … the window reopens on the restored data: the late household is gone.
        qtbot.waitUntil(lambda: session.window is not None and session.window is not window, timeout=30_000)
        restored = session.store
        assert restored is not None and restored is not store
        assert run(lambda: restored.count("household")) == 8
        assert run(lambda: restored.get("household", late)) is None
        assert run(lambda: restored.epoch) != store.epoch        # a restored laptop syncs under a new epoch
        assert "已从备份" in session.window.statusBar().currentMessage()
        assert any(p.name.startswith("auto-") for p in paths.backups.iterdir())   # today's data kept first
    finally:
        session.shutdown()


def test_restore_refuses_a_foreign_file_before_anything_is_replaced(qtbot, gui, store: Store, lane: DbLane,
                                                                    paths: DataPaths, passphrase: str,
                                                                    tmp_path: Path) -> None:
    _on(qtbot, lane, lambda: household(store))
    w = _window(qtbot, store, lane, paths)
    other = DataPaths(root=tmp_path / "other", logs=tmp_path / "other" / "logs")
    foreign_store, _rk = vault.setup(other, passphrase)       # same passphrase, another laptop's key
    foreign = foreign_store.backup_to(vault.keyfile(other).unlock(passphrase), tmp_path / "foreign.lehe-backup")
    foreign_store.close()
    r = w.files.show_restore()
    assert r is not None
    r.source.setText(str(foreign))
    r.passphrase.setText(passphrase)
    qtbot.mouseClick(r.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: r.job is None and r.message.text() != "", timeout=30_000)
    assert "无法用本机密钥打开" in r.message.text() and r.pages.currentIndex() == 0
    assert r.restore_button.isHidden()
    assert _on(qtbot, lane, lambda: store.count("household")) == 1


def test_a_restore_that_fails_after_confirming_reopens_the_old_data(qtbot, gui, paths: DataPaths, passphrase: str,
                                                                    tmp_path: Path) -> None:
    store, _recovery = vault.setup(paths, passphrase)
    first = household(store, head="李秀英")
    key = vault.keyfile(paths).unlock(passphrase)
    backup = store.backup_to(key, tmp_path / "b.lehe-backup")
    household(store, head="张德福")
    load_vocab(store)
    session = Session(paths, "zh")
    try:
        window = session.open(store)
        r = window.files.show_restore()
        assert r is not None
        r.source.setText(str(backup))
        r.passphrase.setText(passphrase)
        qtbot.mouseClick(r.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: r.pages.currentIndex() == 1, timeout=30_000)
        backup.write_bytes(b"gone bad between the preview and the click")
        qtbot.mouseClick(r.restore_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: session.window is not None and session.window is not window, timeout=30_000)
        qtbot.waitUntil(lambda: session.window.findChild(QMessageBox, "restore_refused") is not None, timeout=5000)
        box = session.window.findChild(QMessageBox, "restore_refused")
        assert "未恢复备份" in box.text() and "已损坏" in box.text()
        again = session.store
        assert again is not None
        run = _runner(qtbot, session.lane)
        assert run(lambda: again.count("household")) == 2 and run(lambda: again.get("household", first)) is not None
        assert run(lambda: again.epoch) == store.epoch                 # nothing was replaced
        box.close()
    finally:
        session.shutdown()


def test_export_with_a_password_opens_only_with_it(qtbot, gui, demo_store: Store, lane: DbLane,
                                                  tmp_path: Path) -> None:
    w = _window(qtbot, demo_store, lane)
    d = w.files.show_export()
    d.set_level("named")
    d.set_format("csv")
    assert d.password.isVisible() and d.zip_help.isVisible()
    # Says plainly which programs open it and that Windows' own zip cannot.
    assert "7-Zip" in d.zip_help.text() and "Windows 自带" in d.zip_help.text()
    out = tmp_path / "for-coordinator"
    d.folder.setText(str(out))
    d.password.setText("short")
    d.password2.setText("short")
    qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
    assert "至少" in d.message.text() and d.job is None           # refused before any work
    d.password.setText("tea garden 2026")
    d.password2.setText("tea garden 2026")
    qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.exported is not None, timeout=60_000)
    files = list(out.iterdir())
    assert len(files) == 1 and files[0].suffix == ".zip" and "7-Zip" in d.message.text()
    head = json.dumps(_on(qtbot, lane, lambda: demo_store.query_value(
        "SELECT head_name FROM households WHERE deleted = 0 LIMIT 1")), ensure_ascii=False).strip('"')
    with pyzipper.AESZipFile(files[0]) as zf:
        zf.setpassword(b"tea garden 2026")
        text = zf.read("households.csv").decode("utf-8-sig")
    assert head in text
    with pyzipper.AESZipFile(files[0]) as zf, pytest.raises(RuntimeError):
        zf.read("households.csv")                       # no password: nothing
    with pyzipper.AESZipFile(files[0]) as zf, pytest.raises(RuntimeError):
        zf.setpassword(b"wrong password")
        zf.read("households.csv")
    with zipfile.ZipFile(files[0]) as zf, pytest.raises((NotImplementedError, RuntimeError)):
        zf.read("households.csv")                       # a plain zip reader cannot open AES


def _on(qtbot: Any, lane: DbLane, fn: Callable[[], Any]) -> Any:
    return _runner(qtbot, lane)(fn)


def test_cancelled_export_leaves_no_partial_file(qtbot, gui, demo_store: Store, lane: DbLane, tmp_path: Path) -> None:
    w = _window(qtbot, demo_store, lane)
    d = w.files.show_export()
    d.set_level("deidentified")
    d.set_format("csv")
    out = tmp_path / "export"
    d.folder.setText(str(out))
    # Hold the lane so the export's job can be watched from its first progress report.
    hold = threading.Event()
    lane.submit("hold", lambda _job: hold.wait(30))
    qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
    job = d.job
    assert job is not None and job.cancellable
    reported, proceed = threading.Event(), threading.Event()

    def first_report(_done: int, _total: int) -> None:   # runs on the lane, inside the export
        if not reported.is_set():
            reported.set()
            proceed.wait(30)

    job.progress.connect(first_report, Qt.ConnectionType.DirectConnection)
    hold.set()
    qtbot.waitUntil(reported.is_set, timeout=30_000)
    assert list(out.glob("*.part"))                     # the export is half-way through a file
    assert d.close_button.text() == "取消"
    qtbot.mouseClick(d.close_button, Qt.MouseButton.LeftButton)
    assert job.cancelled and d.isVisible()
    proceed.set()
    qtbot.waitUntil(lambda: d.job is None, timeout=30_000)
    assert "取消" in d.message.text() and d.exported is None
    assert not out.exists()                             # the folder it made, with every file, is gone
    assert d.close_button.text() == "关闭"


def test_cancelled_backup_leaves_nothing(qtbot, gui, demo_store: Store, lane: DbLane, paths: DataPaths,
                                         passphrase: str, tmp_path: Path) -> None:
    w = _window(qtbot, demo_store, lane, paths)
    d = w.files.show_backup()
    assert d is not None
    target = tmp_path / "b.lehe-backup"
    d.target.setText(str(target))
    d.passphrase.setText(passphrase)
    hold = threading.Event()
    lane.submit("hold", lambda _job: hold.wait(30))
    qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
    job = d.job
    assert job is not None and job.cancellable
    reported, proceed = threading.Event(), threading.Event()

    def first_report(_done: int, _total: int) -> None:   # on the lane, between two steps of the copy
        if not reported.is_set():
            reported.set()
            proceed.wait(30)

    job.progress.connect(first_report, Qt.ConnectionType.DirectConnection)
    hold.set()
    qtbot.waitUntil(reported.is_set, timeout=30_000)
    qtbot.mouseClick(d.close_button, Qt.MouseButton.LeftButton)   # 取消
    proceed.set()
    qtbot.waitUntil(lambda: d.job is None, timeout=30_000)
    assert "取消" in d.message.text() and d.written is None and d.start_button.isEnabled()
    assert list(tmp_path.glob("b.lehe-backup*")) == []


def test_passphrase_change_then_unlock_with_the_new_one(qtbot, gui, store: Store, lane: DbLane, paths: DataPaths,
                                                        passphrase: str) -> None:
    w = _window(qtbot, store, lane, paths)
    d = w.files.show_passphrase()
    assert d is not None
    d.old.setText("wrong old passphrase")
    d.new1.setText(NEW_PASSPHRASE)
    d.new2.setText(NEW_PASSPHRASE)
    assert d.meter.label.text() in ("较强", "强")
    qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.job is None and d.message.text() != "", timeout=30_000)
    assert d.message.text() == "密码不正确" and not d.changed
    d.old.setText(passphrase)
    qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.changed, timeout=30_000)
    assert "已修改" in d.message.text()
    with pytest.raises(LockedError):
        vault.keyfile(paths).unlock(passphrase)
    # The unlock screen opens the database with the new passphrase.
    u = UnlockDialog(paths, lane)
    qtbot.addWidget(u)
    u.passphrase.setText(NEW_PASSPHRASE)
    u.button.click()
    qtbot.waitUntil(lambda: u.store is not None, timeout=30_000)
    opened = u.store
    assert opened is not None
    assert _on(qtbot, lane, lambda: opened.device_id) == store.device_id
    _on(qtbot, lane, opened.close)


def test_export_diagnostics_from_the_menu(qtbot, gui, store: Store, lane: DbLane, paths: DataPaths,
                                          tmp_path: Path) -> None:
    _on(qtbot, lane, lambda: household(store, head="欧阳秀珍"))
    w = _window(qtbot, store, lane, paths)
    d = w.files.show_diagnostics()
    assert d is not None and "不包含" in d.intro.text()
    out = tmp_path / "support" / "diag.zip"
    out.parent.mkdir()
    d.target.setText(str(out))
    qtbot.mouseClick(d.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: d.written is not None, timeout=30_000)
    with zipfile.ZipFile(out) as zf:
        info = json.loads(zf.read("diagnose.json"))
        everything = b"".join(zf.read(n) for n in zf.namelist())
    assert info["stats"]["households"] == 1 and info["integrity"] == "ok"
    assert "欧阳秀珍".encode() not in everything
    assert not d.start_button.isEnabled()                       # done: nothing to click twice
    again = w.files.show_diagnostics()
    assert again is not None
    again.target.setText(str(out))
    qtbot.mouseClick(again.start_button, Qt.MouseButton.LeftButton)   # never overwrites
    assert "已存在" in again.message.text()


def test_dialogs_follow_the_language(qtbot, gui, store: Store, lane: DbLane, paths: DataPaths) -> None:
    w = _window(qtbot, store, lane, paths)
    d = w.files.show_export()
    w.set_language("en")
    QApplication.processEvents()
    assert d.windowTitle() == "Export" and "7-Zip" in d.zip_help.text()
    assert w.files.backup_action.text() == "Back up…"
