"""Render the File menu's dialogs to docs/screenshots/file_*.png (no display needed).

    .venv/bin/python build_scripts/screenshots_file_menu.py [--lang en] [--out docs/screenshots]

Demo data in a throw-away data folder; each dialog is driven as a user would (backup written,
a backup read for the restore preview, the named export chosen, a new passphrase typed) and
grabbed with ``QWidget.grab()``. The bundled font draws the Chinese.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QWidget

from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.gui import i18n
from lehe_desktop.gui.app import make_app
from lehe_desktop.gui.main_window import MainWindow
from lehe_desktop.gui.vocab import load_vocab
from lehe_desktop.gui.worker import DbLane

PASSPHRASE = "mountain tea 2025"


def wait(app: QApplication, until: Callable[[], bool], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not until():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for the dialog")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()


def save(widget: QWidget, out: Path, name: str) -> None:
    path = out / name
    if not widget.grab().save(str(path)):
        raise RuntimeError(f"could not write {path}")
    print(path)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "screenshots"))
    args = ap.parse_args()
    out = Path(args.out)
    suffix = "" if args.lang == "zh" else "-en"
    app = make_app()
    i18n.install(args.lang)
    with tempfile.TemporaryDirectory(prefix="lehe-shots-") as tmp:
        root = Path(tmp) / "data"
        paths = DataPaths(root=root, logs=root / "logs")
        store, _recovery = vault.setup(paths, PASSPHRASE, worker_name="张晓梅")
        store.today = date(2025, 6, 1)
        make_demo(store, 300, seed=7, today=store.today)
        load_vocab(store)
        store.refuse_thread(threading.get_ident())
        lane = DbLane()
        window = MainWindow(store, lane, paths=paths)
        window.resize(1366, 768)
        window.show()
        wait(app, lambda: lane.pending == 0)
        usb = Path(tmp) / "U盘"

        menu = window.file_menu
        menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
        wait(app, menu.isVisible)
        save(menu, out, f"file_menu{suffix}.png")
        menu.hide()

        backup = window.files.show_backup()
        assert backup is not None
        backup.target.setText(str(usb / "lehe-backup-20250601-1030.lehe-backup"))
        backup.passphrase.setText(PASSPHRASE)
        backup.start_button.click()
        wait(app, lambda: backup.written is not None)
        save(backup, out, f"file_backup{suffix}.png")
        backup.close()

        restore = window.files.show_restore()
        assert restore is not None
        restore.source.setText(str(usb / "lehe-backup-20250601-1030.lehe-backup"))
        restore.passphrase.setText(PASSPHRASE)
        restore.start_button.click()
        wait(app, lambda: restore.pages.currentIndex() == 1)
        save(restore, out, f"file_restore{suffix}.png")
        restore.close()

        export = window.files.show_export()
        export.set_level("named")
        export.set_format("xlsx")
        export.folder.setText(str(usb / "export"))
        export.password.setText("tea garden 2026")
        export.password2.setText("tea garden 2026")
        wait(app, lambda: True)
        save(export, out, f"file_export{suffix}.png")
        export.close()

        change = window.files.show_passphrase()
        assert change is not None
        change.old.setText(PASSPHRASE)
        change.new1.setText("river bridge tea 2027")
        change.new2.setText("river bridge tea 2027")
        wait(app, lambda: True)
        save(change, out, f"file_passphrase{suffix}.png")
        change.close()

        diag = window.files.show_diagnostics()
        assert diag is not None
        diag.target.setText(str(usb / "lehe-diagnostics-20250601-1030.zip"))
        diag.start_button.click()
        wait(app, lambda: diag.written is not None)
        save(diag, out, f"file_diagnostics{suffix}.png")
        diag.close()

        window.detach()
        window.close()
        lane.stop()
        store.refuse_thread(None)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
