"""The packaged one-folder app (dist/lehe-desktop) does what the source app does.

Skipped without a build; CI builds first (.ci/run). The frozen app runs with no LEHE_* variables
except the passphrase, from its own folder, as an admin or a worker would start it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from frozen_app import FROZEN_DIR, FROZEN_EXE, FrozenRunner, run_exe
from PySide6.QtGui import QImage

from lehe_desktop import __version__
from lehe_desktop.gui.screenshot import SIZE

PASS = "correct horse 42"


def test_frozen_self_test_passes_headless(frozen: FrozenRunner) -> None:
    done = frozen("--self-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert all(line.startswith("PASS ") for line in lines[:-1]), done.stdout
    assert "(frozen)" in lines[0] and "no server modules" in done.stdout
    assert "PASS window: main window rendered offscreen" in done.stdout
    assert lines[-1].startswith("self-test passed")


def test_frozen_command_line_init_demo_stats_search(frozen: FrozenRunner, tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    assert frozen("--version").stdout.strip() == f"lehe-desktop {__version__}"
    done = frozen("--data-dir", data, "init", "--json", passphrase=PASS)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["recovery_key"].split("-")) == 8
    done = frozen("--data-dir", data, "stats", "--json", passphrase=PASS)
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["households"] == 0 and stats["residents"] == 0
    assert frozen("--data-dir", data, "demo", "--households", "4", passphrase=PASS).returncode == 0
    assert json.loads(frozen("--data-dir", data, "stats", "--json", passphrase=PASS).stdout)["households"] == 4
    hits = json.loads(frozen("--data-dir", data, "search", "乐和村", "--json", passphrase=PASS).stdout)
    assert any(h["type"] == "area" and h["title"].endswith("乐和村") for h in hits)
    wrong = frozen("--data-dir", data, "stats", passphrase="not the passphrase")
    assert wrong.returncode == 3 and "error [unlock.wrong_passphrase]" in wrong.stderr
    assert "Traceback" not in wrong.stderr


def test_frozen_screenshot_renders_the_main_window(frozen: FrozenRunner, tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    assert frozen("--data-dir", data, "init", passphrase=PASS).returncode == 0
    assert frozen("--data-dir", data, "demo", "--households", "10", passphrase=PASS).returncode == 0
    out = tmp_path / "households.png"
    done = frozen("--data-dir", data, "--screenshot", str(out), "--view", "households", passphrase=PASS,
                  env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == SIZE


def test_a_damaged_install_fails_the_self_test_and_says_why(frozen: FrozenRunner, tmp_path: Path) -> None:
    # A hard-linked copy of the build with the bundled font deleted (the build itself is untouched).
    copy = tmp_path / "lehe-desktop"
    shutil.copytree(FROZEN_DIR, copy, symlinks=True, copy_function=os.link)
    font = copy / "_internal" / "resources" / "fonts" / "wqy-microhei.ttc"
    font.unlink()
    done = run_exe(copy / FROZEN_EXE.name, "--self-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 1
    assert f"FAIL font: bundled font missing: {font}" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("self-test FAILED (font")
    assert (FROZEN_DIR / "_internal" / "resources" / "fonts" / "wqy-microhei.ttc").is_file()


def test_two_frozen_laptops_enroll_and_sync_through_the_real_server(frozen: FrozenRunner, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
    from harness import VILLAGE, LiveServer  # the production server app on 127.0.0.1

    server = LiveServer(tmp_path / "server").start()
    try:
        a, b = str(tmp_path / "a"), str(tmp_path / "b")
        for data in (a, b):
            assert frozen("--data-dir", data, "init", passphrase=PASS).returncode == 0
        for data, user in ((a, "张晓梅"), (b, "李明")):
            done = frozen("--data-dir", data, "enroll", "--server", server.url, "--code", server.code_for(user),
                          "--json", passphrase=PASS)
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["areas"] == [VILLAGE]
        assert frozen("--data-dir", a, "demo", "--households", "3", passphrase=PASS).returncode == 0
        for data in (a, b):
            done = frozen("--data-dir", data, "sync", "--json", passphrase=PASS)
            assert done.returncode == 0, done.stderr
        stats = json.loads(frozen("--data-dir", b, "stats", "--json", passphrase=PASS).stdout)
        assert stats["households"] == 3
    finally:
        server.stop()
