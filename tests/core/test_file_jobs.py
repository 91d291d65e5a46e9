"""The core halves of the window's File menu: a backup's summary, cancel and progress of a backup
and an export, the diagnostics bundle written by the core."""

from __future__ import annotations

import json
import threading
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lehe_desktop import __version__
from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.errors import CancelledError, NotFoundError, StorageError
from lehe_desktop.core.exports import export
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import diagnostics, vault
from lehe_desktop.core.store.backup import backup_target
from lehe_desktop.core.store.backup_info import read_summary
from lehe_desktop.core.store.store import Store


def test_a_backup_says_when_it_was_made_and_what_it_holds(store: Store, paths: DataPaths, passphrase: str,
                                                         tmp_path: Path) -> None:
    make_demo(store, 12, seed=3)
    key = vault.keyfile(paths).unlock(passphrase)
    before = datetime.now(UTC) - timedelta(seconds=2)
    seen: list[tuple[int, int]] = []
    out = store.backup_to(key, tmp_path / "b.lehe-backup", progress=lambda done, total: seen.append((done, total)))
    summary = read_summary(out, key)
    assert summary.count("household") == store.count("household") == 12
    assert summary.count("member") == store.count("member") > 0
    assert summary.count("visit") == store.count("visit")
    assert not summary.made_at_from_file and datetime.fromisoformat(summary.made_at) >= before
    assert summary.app == __version__ and summary.device_id == store.device_id
    assert summary.last_change_at and summary.size == out.stat().st_size
    assert seen and seen[-1][0] == seen[-1][1]          # progress reached the end
    # The live database is not stamped: the stamp is the backup's own.
    assert "backup_made_at" not in store.meta()


def test_a_summary_refuses_what_is_not_this_laptops_backup(store: Store, paths: DataPaths, passphrase: str,
                                                          tmp_path: Path) -> None:
    key = vault.keyfile(paths).unlock(passphrase)
    junk = tmp_path / "holiday.jpg"
    junk.write_bytes(b"\xff\xd8 not a database" * 100)
    with pytest.raises(StorageError) as bad:
        read_summary(junk, key)
    assert bad.value.code == "restore.unreadable"
    with pytest.raises(NotFoundError):
        read_summary(tmp_path / "missing.lehe-backup", key)
    out = store.backup_to(key, tmp_path / "b.lehe-backup")
    with pytest.raises(StorageError):
        read_summary(out, bytes(32))       # another laptop's key


def test_a_cancelled_backup_leaves_nothing(store: Store, paths: DataPaths, passphrase: str, tmp_path: Path) -> None:
    make_demo(store, 40, seed=1)
    key = vault.keyfile(paths).unlock(passphrase)

    def stop(done: int, total: int) -> None:
        raise CancelledError()

    with pytest.raises(CancelledError):
        store.backup_to(key, tmp_path / "c.lehe-backup", progress=stop)
    assert list(tmp_path.glob("c.lehe-backup*")) == []


@pytest.mark.parametrize("level", ["named", "deidentified"])
def test_a_cancelled_export_leaves_no_file(store: Store, tmp_path: Path, level: str) -> None:
    make_demo(store, 60, seed=2)
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        cancel.set()                        # cancel as soon as the first rows were written

    out = tmp_path / "out"
    with pytest.raises(CancelledError) as stopped:
        export(store, out, fmt="csv", level=level, password="long enough pw" if level == "named" else None,
               progress=progress, cancel=cancel)
    assert stopped.value.code == "export.cancelled"
    assert seen and not out.exists()         # the folder the export made is gone, with every file


def test_export_reports_progress_to_the_end(store: Store, tmp_path: Path) -> None:
    make_demo(store, 60, seed=2)
    seen: list[tuple[int, int]] = []
    result = export(store, tmp_path / "out", fmt="xlsx", progress=lambda d, t: seen.append((d, t)))
    assert result.files and seen[-1][0] == seen[-1][1] > 0
    assert all(d <= t for d, t in seen)


def test_diagnostics_bundle_from_an_open_store(store: Store, paths: DataPaths, tmp_path: Path) -> None:
    make_demo(store, 5, seed=1)
    (tmp_path / "d").mkdir()
    out = diagnostics.diagnose(tmp_path / "d" / "diag.zip", paths, store)
    with zipfile.ZipFile(out) as zf:
        info = json.loads(zf.read("diagnose.json"))
        assert "CREATE TABLE members" in zf.read("schema.sql").decode()
    assert info["stats"]["households"] == 5 and info["integrity"] == "ok"
    assert not list(out.parent.glob("*.part"))


def test_a_mistyped_folder_is_refused_not_created(store: Store, paths: DataPaths, tmp_path: Path) -> None:
    # "/media/usbb/…" for "/media/usb/…": a backup, an export or a diagnostics file must not quietly
    # make folders on the laptop's own disk and leave (sensitive) data there.
    make_demo(store, 5, seed=1)
    stick = tmp_path / "usbb"
    for write in (lambda: backup_target(stick / "b.lehe-backup"),
                  lambda: diagnostics.diagnose(stick / "diag.zip", paths, store),
                  lambda: export(store, stick / "export", fmt="csv")):
        with pytest.raises(StorageError) as info:
            write()
        assert info.value.code == "file.io" and "usbb" in info.value.en
    assert not stick.exists()
    # The export's own folder may be new when the place it goes in exists.
    assert export(store, tmp_path / "export", fmt="csv").files
