"""The packaged one-folder app (dist/lehe-desktop) does what the source app does.

Skipped without a build; CI builds first (.ci/run). The frozen app runs with no LEHE_* variables
except the passphrase, from its own folder, as an admin or a worker would start it.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import zipfile
from pathlib import Path
from typing import Any

import pyzipper
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
    # A hard-linked copy of the build missing the bundled font and the X11 platform plugin (the
    # build itself is untouched): the headless run still works, but a worker would see boxes or
    # no window at all, so the self-test must fail and name both.
    copy = tmp_path / "lehe-desktop"
    shutil.copytree(FROZEN_DIR, copy, symlinks=True, copy_function=os.link)
    font = copy / "_internal" / "resources" / "fonts" / "wqy-microhei.ttc"
    font.unlink()
    plugins = copy / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms"
    removed = {"linux": "libqxcb.so", "win32": "qwindows.dll", "darwin": "libqcocoa.dylib"}[sys.platform]
    (plugins / removed).unlink()
    done = run_exe(copy / FROZEN_EXE.name, "--self-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 1
    assert f"FAIL font: bundled font missing: {font}" in done.stdout
    assert "FAIL qt: Qt platform plugin missing: " + removed.split(".")[0].removeprefix("lib") in done.stdout
    assert "PASS records:" in done.stdout and "PASS window:" in done.stdout   # the rest still ran
    assert done.stdout.strip().splitlines()[-1].startswith("self-test FAILED (qt, font")
    assert (FROZEN_DIR / "_internal" / "resources" / "fonts" / "wqy-microhei.ttc").is_file()
    assert (FROZEN_DIR / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms" / removed).is_file()


def test_two_frozen_laptops_enroll_and_sync_through_the_real_server(frozen: FrozenRunner, tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
    from sync_harness import VILLAGE, LiveServer  # the production server app on 127.0.0.1

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


def test_every_subcommand_of_the_source_app_exists_in_the_frozen_one(frozen: FrozenRunner) -> None:
    from lehe_desktop.cli import main as cli_main
    from lehe_desktop.cli.registry import COMMANDS

    cli_main.load_commands()
    commands = sorted({name.split()[0] for name in COMMANDS})   # "passphrase change" → passphrase
    assert {"init", "stats", "backup", "restore", "export", "import-roster", "enroll", "sync"} <= set(commands)
    for name in commands:
        done = frozen(name, "--help")
        assert done.returncode == 0 and f"lehe-desktop {name}" in done.stdout, (name, done.stderr)


def test_frozen_data_commands_roster_export_backup_restore_passphrase(frozen: FrozenRunner, tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    init = frozen("--data-dir", data, "init", "--json", passphrase=PASS)
    recovery = json.loads(init.stdout)["recovery_key"]

    def run(*args: str, passphrase: str = PASS, **kw: object) -> dict[str, Any]:
        done = frozen("--data-dir", data, *args, "--json", passphrase=passphrase, **kw)
        assert done.returncode == 0, (args, done.stderr)
        return json.loads(done.stdout)

    roster = tmp_path / "花名册.csv"   # GBK, as Excel on Chinese Windows saves it
    roster.write_bytes("村,组,户主姓名,姓名,与户主关系,性别,出生日期\n"
                       "重庆市/巫溪县/白鹿镇/乐和村,1组,王大山,王大山,户主,男,1955-03-12\n"
                       "重庆市/巫溪县/白鹿镇/乐和村,1组,王大山,李秀英,配偶,女,1957-05-01\n".encode("gbk"))
    assert run("import-roster", str(roster))["imported"] == 2
    xlsx = run("export", str(tmp_path / "out-xlsx"), "--format", "xlsx")
    assert xlsx["files"] and all(Path(f).is_file() for f in xlsx["files"])
    (tmp_path / "pw.txt").write_text("export password 9\n", encoding="utf-8")
    named = run("export", str(tmp_path / "out-named"), "--format", "csv", "--level", "named",
                "--password-file", str(tmp_path / "pw.txt"))
    archive = next(Path(f) for f in named["files"] if f.endswith(".zip"))
    with pyzipper.AESZipFile(archive) as zf:
        zf.setpassword(b"export password 9")
        assert any("李秀英" in zf.read(n).decode("utf-8-sig", "replace") for n in zf.namelist())
    epoch = run("status")["epoch"]
    backup = tmp_path / "b.lehe-backup"
    assert frozen("--data-dir", data, "backup", str(backup), passphrase=PASS).returncode == 0
    assert frozen("--data-dir", data, "restore", str(backup), passphrase=PASS).returncode == 0
    assert run("status")["epoch"] != epoch and run("stats")["residents"] == 2
    support = tmp_path / "support.zip"
    assert frozen("--data-dir", data, "diagnose", str(support), passphrase=PASS).returncode == 0
    info = json.loads(zipfile.ZipFile(support).read("diagnose.json"))
    assert info["frozen"] is True and "not installed" not in info["packages"].values()
    new = "another passphrase 7"
    assert frozen("--data-dir", data, "passphrase", "change", passphrase=PASS,
                  env={"LEHE_NEW_PASSPHRASE": new}).returncode == 0
    assert run("stats", passphrase=new)["households"] == 1
    newer = "third passphrase 8"
    done = frozen("--data-dir", data, "unlock", "--recovery-key", recovery, env={"LEHE_NEW_PASSPHRASE": newer})
    assert done.returncode == 0, done.stderr
    assert run("stats", passphrase=newer)["residents"] == 2
