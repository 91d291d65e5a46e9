"""文件 → 导出同步包 / 导入同步包 against the real server on 127.0.0.1: export says when the stick may
be removed; import shows a preview (sender, counts per record type) before applying, then a summary;
a bad file is refused in words. Screenshots: docs/screenshots/bundle_preview.png, bundle_summary.png."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt

from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.gui.bundles import ExportBundleDialog, ImportBundleDialog
from lehe_desktop.gui.main_window import MainWindow
from lehe_desktop.gui.worker import DbLane
from lehe_desktop.server import bundles as server_bundles

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import VILLAGE, LiveServer, household, make_laptop

# The README's screenshots are re-rendered only on request (LEHE_SCREENSHOTS=1, as in
# test_restore_first_run.py): a plain test run must not change tracked files.
SHOTS = (Path(__file__).resolve().parents[2] / "docs" / "screenshots" if os.environ.get("LEHE_SCREENSHOTS")
         else Path(tempfile.mkdtemp(prefix="lehe-shots-")))


def test_export_and_import_bundles_from_the_file_menu(  # type: ignore[no-untyped-def]
        qtbot, gui, store: Store, lane: DbLane, server: LiveServer, on_lane, tmp_path: Path) -> None:
    on_lane(lambda: client.enroll(store, server.url, server.code_for("张晓梅")))
    on_lane(lambda: household(store, VILLAGE, "王大山"))
    w = MainWindow(store, lane)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.export_bundle_action.text() == "导出同步包…"
    # Export: every unsent change, then "you may remove the stick".
    w.export_bundle_action.trigger()
    export = w.bundle_dialog
    assert isinstance(export, ExportBundleDialog)
    out = tmp_path / "stick.lehe"
    export.path.setText(str(out))
    qtbot.mouseClick(export.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: export.result_info is not None, timeout=20_000)
    assert "可以拔出 U 盘" in export.status.text() and out.is_file()
    export.reject()
    # The server takes it in and sends another worker's households back in its own bundle.
    server_bundles.import_bundle(server.storage, out)
    other = make_laptop(tmp_path / "other", "李四")
    client.enroll(other, server.url, server.code_for("李四"))
    household(other, VILLAGE, "赵六")
    household(other, VILLAGE, "钱七")
    client.sync_once(other)
    other.close()
    back = tmp_path / "back.lehe"
    server_bundles.export_bundle(server.storage, back, device_id=store.device_id)
    # Import: a garbage file is refused in words, nothing applied.
    junk = tmp_path / "junk.lehe"
    junk.write_bytes(b"not a bundle at all")
    w.import_bundle_action.trigger()
    dialog = w.bundle_dialog
    assert isinstance(dialog, ImportBundleDialog)
    dialog.path.setText(str(junk))
    dialog.load_preview()
    qtbot.waitUntil(lambda: "不是乐和同步包" in dialog.status.text(), timeout=10_000)
    assert not dialog.go.isEnabled()
    # The real one: a preview first (nothing applied yet), then the summary.
    dialog.path.setText(str(back))
    dialog.load_preview()
    qtbot.waitUntil(lambda: dialog.preview_info is not None, timeout=20_000)
    text = dialog.status.text()
    assert "来自：服务器" in text and "户" in text and dialog.go.isEnabled()
    assert on_lane(lambda: store.count("household")) == 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "bundle_preview.png"))
    qtbot.mouseClick(dialog.go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.summary is not None or dialog.go.isEnabled(), timeout=20_000)
    assert dialog.summary is not None, dialog.status.text()
    assert on_lane(lambda: store.count("household")) == 3
    assert "已导入" in dialog.status.text() and "回执" in dialog.status.text()
    dialog.grab().save(str(SHOTS / "bundle_summary.png"))
    dialog.reject()


def test_the_bundle_log_shows_sent_bundles_and_their_receipts(  # type: ignore[no-untyped-def]
        qtbot, gui, store: Store, lane: DbLane, server: LiveServer, on_lane, tmp_path: Path) -> None:
    from lehe_desktop.core.bundles import laptop
    from lehe_desktop.gui.bundles import BundleLogDialog

    on_lane(lambda: client.enroll(store, server.url, server.code_for("张晓梅")))
    on_lane(lambda: household(store, VILLAGE, "王大山"))
    out = tmp_path / "s.lehe"
    on_lane(lambda: laptop.export_bundle(store, out))
    got = server_bundles.import_bundle(server.storage, out)
    on_lane(lambda: laptop.import_receipt(store, Path(got.receipt or "")))
    w = MainWindow(store, lane)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.bundle_log_action.trigger()
    dialog = w.bundle_dialog
    assert isinstance(dialog, BundleLogDialog)
    qtbot.waitUntil(lambda: dialog.log.rowCount() == 1, timeout=10_000)
    assert dialog.log.item(0, 1).text() == "发出" and dialog.log.item(0, 3).text() != "尚无回执"
    assert dialog.workers.isHidden()            # a worker's laptop: no overview of others
    qtbot.wait(100)                             # the layout settles without the hidden overview
    dialog.grab().save(str(SHOTS / "bundle_log.png"))
    dialog.reject()
