"""Render the main window to a PNG without a display (``--screenshot``, ``--self-test``)."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ..core.errors import EXIT_LOCKED, EXIT_OK, LeheError
from ..core.paths import DataPaths
from ..core.store import vault
from ..core.store.store import Store

SIZE = (1366, 768)   # the smallest laptop screen we design for


def _settle(app: Any, lane: Any, timeout_s: float = 20.0) -> None:
    """Process events until the lane has been idle for a few rounds (pages, counts, first rows)."""
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    idle = 0
    while idle < 5 and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        idle = idle + 1 if lane.pending == 0 else 0
        if lane.pending:
            time.sleep(0.005)


def render_main_window_offscreen(store: Store, view: str = "home", lang: str = "zh", out: Path | None = None,
                                 size: tuple[int, int] = SIZE) -> bytes:
    """Build the main window on ``view`` with its data loaded, render it; return PNG bytes.

    Needs a QApplication (``make_app()``); works with QT_QPA_PLATFORM=offscreen. Writes ``out``
    when given. Raises on failure, so a self-test can call it and check the result.
    """
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtWidgets import QApplication

    from . import i18n
    from .app import make_app
    from .main_window import MainWindow
    from .vocab import load_vocab
    from .worker import DbLane

    app = make_app()
    i18n.install(lang)
    lane = DbLane()
    load_vocab(store)     # before any window, as the session does on the lane right after unlocking
    store.refuse_thread(threading.get_ident())   # as in the app: every read goes through the lane
    try:
        window = MainWindow(store, lane)
        window.resize(*size)
        window.show_view(view)
        window.show()
        _settle(app, lane)   # the picture shows the data, not "loading"
        pixmap = window.grab()
        window.detach()
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    finally:
        lane.stop()
        store.refuse_thread(None)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not pixmap.save(buf, "PNG"):
        raise RuntimeError("could not encode the screenshot")
    png = bytes(data.data())
    if out is not None:
        Path(out).write_bytes(png)
    return png


def screenshot_main(paths: DataPaths, args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    lang = args.lang or "zh"
    passphrase = os.environ.get("LEHE_PASSPHRASE")
    try:
        if not passphrase:
            raise LeheError("unlock.no_passphrase", "需要密码：请设置 LEHE_PASSPHRASE",
                            "A passphrase is needed: set LEHE_PASSPHRASE", exit_code=EXIT_LOCKED)
        store = vault.unlock(paths, passphrase)
    except LeheError as exc:
        sys.stderr.write(f"error [{exc.code}]: {exc.message(lang)}\n")
        return exc.exit_code
    try:
        out = Path(args.screenshot)
        render_main_window_offscreen(store, args.view or "home", lang, out)
    except OSError as exc:
        sys.stderr.write(f"error [screenshot.write]: 无法写入截图 / cannot write the screenshot: {exc}\n")
        return 1
    finally:
        store.close()
    sys.stdout.write(f"{out}\n")
    return EXIT_OK
