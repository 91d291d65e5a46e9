"""Opening, damage, backups, rotation and restore of the encrypted database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from lehe_desktop.core.errors import NotFoundError, StorageError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import backup as backups
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.connection import connect
from lehe_desktop.core.store.store import Store

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
PASSPHRASE = "correct horse 42"
PAGE = 4096
# Words SQLCipher and SQLite use in their own messages; none of them may reach a user.
NOISE = ("sqlcipher", "hmac", "codec", "file is not a database", "malformed", "Traceback", "sqlite3")


def db_key(paths: DataPaths) -> bytes:
    return vault.keyfile(paths).unlock(PASSPHRASE)


def fill(store: Store, n: int = 3) -> str:
    village = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    last = ""
    for i in range(n):
        hh = store.create("household", {"area_id": village, "group_name": f"{i + 1}组", "head_name": "龚秀英"}).id
        last = store.create("member", {"household_id": hh, "name": "龚秀英", "sex": "2", "relation": "02"}).id
    return last


def assert_clean_error(r: subprocess.CompletedProcess[str], code: str | None = None) -> None:
    assert r.returncode != 0
    lines = r.stderr.strip().splitlines()
    assert lines and lines[0].startswith("error [")
    if code:
        assert lines[0].startswith(f"error [{code}]"), r.stderr
    low = r.stderr.lower()
    for word in NOISE:
        assert word.lower() not in low, r.stderr


# ---------------------------------------------------------------- damaged files and wrong keys

@pytest.mark.parametrize("damage", ["garbage", "text", "page1", "plain_sqlite"])
def test_unreadable_database_file_is_a_storage_error_without_sqlcipher_noise(
        store: Store, paths: DataPaths, cli: CliRunner, damage: str) -> None:
    fill(store)
    store.close()
    key = db_key(paths)
    data = paths.database.read_bytes()
    if damage == "garbage":
        paths.database.write_bytes(os.urandom(len(data)))
    elif damage == "text":
        paths.database.write_bytes("这不是数据库\n".encode() * 100)
    elif damage == "page1":
        paths.database.write_bytes(data[:64] + os.urandom(1000) + data[1064:])
    else:
        paths.database.unlink()
        plain = sqlite3.connect(paths.database)
        plain.execute("CREATE TABLE t (x)")
        plain.commit()
        plain.close()
    with pytest.raises(StorageError) as info:
        vault.open_with_key(paths, key)
    assert info.value.code == "db.unreadable"
    assert isinstance(info.value.__cause__, sqlcipher3.DatabaseError)   # sqlcipher3's class, not sqlite3's
    for args in (("stats", "--json"), ("search", "龚", "--json"), ("status", "--json")):
        r = cli(*args)
        assert_clean_error(r, "db.unreadable")
        assert r.returncode == StorageError.exit_code and r.stdout == ""


def test_a_damaged_page_found_after_opening_is_a_coded_error(store: Store, paths: DataPaths,
                                                              cli: CliRunner) -> None:
    from lehe_desktop.core.demo import make_demo

    make_demo(store, 200, seed=5)
    root = store.query_value("SELECT rootpage FROM sqlite_master WHERE name = 'households'")
    store.close()
    data = bytearray(paths.database.read_bytes())
    start = (root - 1) * PAGE
    data[start + 100:start + 300] = os.urandom(200)     # the households table only
    paths.database.write_bytes(bytes(data))
    opened = vault.open_with_key(paths, db_key(paths))   # opening does not read that page
    try:
        with pytest.raises(StorageError) as info:
            opened.stats()
        assert info.value.code == "db.damaged"
    finally:
        opened.close()
    r = cli("stats", "--json")
    assert_clean_error(r, "db.damaged")


def test_wrong_key_is_a_storage_error(store: Store, paths: DataPaths) -> None:
    store.close()
    with pytest.raises(StorageError) as info:
        connect(paths.database, os.urandom(32))
    assert info.value.code == "db.unreadable" and info.value.exit_code == 1
    with pytest.raises(StorageError) as info:
        connect(paths.root / "missing.db", os.urandom(32))
    assert info.value.code == "db.missing"


def test_database_file_is_encrypted_from_the_first_byte(store: Store, paths: DataPaths) -> None:
    fill(store)
    store.close()
    head = paths.database.read_bytes()[:16]
    assert head != b"SQLite format 3\x00"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(paths.database).execute("SELECT count(*) FROM sqlite_master").fetchone()


# ---------------------------------------------------------------- backups

def test_backup_is_encrypted_complete_and_opens_with_the_same_key(store: Store, paths: DataPaths,
                                                                  tmp_path: Path) -> None:
    rid = fill(store)
    stats = store.stats()
    out = vault.backup(store, db_key(paths), tmp_path / "out" / "copy.lehe-backup")
    assert out.exists() and not Path(str(out) + ".part").exists()
    assert out.read_bytes()[:16] != b"SQLite format 3\x00"
    assert not Path(str(out) + "-wal").exists()          # one self-contained file
    copy = Store(connect(out, db_key(paths), readonly=True))
    try:
        assert copy.stats() == stats and copy.require("member", rid)["name"] == "龚秀英"
    finally:
        copy.close()


def test_automatic_backups_rotate_keeping_ten(store: Store, paths: DataPaths, tmp_path: Path) -> None:
    manual = vault.backup(store, db_key(paths), paths.backups / "manual.lehe-backup")
    made = [store.automatic_backup(db_key(paths), paths.backups, f"test{i}") for i in range(13)]
    autos = sorted(paths.backups.glob("auto-*.lehe-backup"))
    assert len(autos) == backups.KEEP_AUTOMATIC == 10
    assert autos == sorted(made[-10:])                    # the newest ten are kept
    assert manual.exists()                                 # rotation never touches a worker's own backup


def test_backup_and_restore_through_the_cli_give_a_new_epoch_and_keep_data(
        paths: DataPaths, cli: CliRunner, tmp_path: Path) -> None:
    assert cli("init").returncode == 0
    assert cli("demo", "--households", "8", "--seed", "3").returncode == 0
    stats = json.loads(cli("stats", "--json").stdout)
    status = json.loads(cli("status", "--json").stdout)
    out = tmp_path / "keep" / "before.lehe-backup"
    r = cli("backup", str(out))      # a folder that does not exist is not made (a mistyped stick path)
    assert r.returncode == 1 and "error [file.io]" in r.stderr and not out.parent.exists()
    out.parent.mkdir()
    r = cli("backup", str(out))
    assert r.returncode == 0 and out.exists(), r.stderr
    assert cli("demo", "--households", "4", "--seed", "9").returncode == 0
    assert json.loads(cli("stats", "--json").stdout)["households"] == stats["households"] + 4
    r = cli("restore", str(out))
    assert r.returncode == 0, r.stderr
    after = json.loads(cli("status", "--json").stdout)
    assert json.loads(cli("stats", "--json").stdout) == stats
    assert after["device_id"] == status["device_id"]
    assert after["epoch"] != status["epoch"]
    # The database that was replaced is kept as an automatic backup.
    assert list(paths.backups.glob("auto-*-pre-restore.lehe-backup"))
    store = vault.unlock(paths, PASSPHRASE)
    try:
        assert store.meta()["restored_from_epoch"] == status["epoch"]
        # New changes use the new origin, so they never collide with what the old epoch sent.
        store.ensure_area("重庆市/巫溪县/白鹿镇/新村")
        origins = {o for (o,) in store.query("SELECT DISTINCT origin FROM changes")}
        assert f"{status['device_id']}:{after['epoch']}" in origins
    finally:
        store.close()
    r = cli("restore", str(tmp_path / "nope.lehe-backup"))
    assert r.returncode == 5 and "restore.missing" in r.stderr


def test_restore_refuses_a_file_this_key_cannot_open(store: Store, paths: DataPaths, tmp_path: Path) -> None:
    fill(store)
    store.close()
    before = paths.database.read_bytes()
    foreign = DataPaths(tmp_path / "other", tmp_path / "other" / "logs")
    other, _ = vault.setup(foreign, "another passphrase 1")
    other.close()
    with pytest.raises(StorageError) as info:
        vault.restore(paths, db_key(paths), foreign.database)
    assert info.value.code == "restore.unreadable"
    junk = tmp_path / "junk.lehe-backup"
    junk.write_bytes(os.urandom(8192))
    with pytest.raises(StorageError):
        vault.restore(paths, db_key(paths), junk)
    with pytest.raises(NotFoundError):
        vault.restore(paths, db_key(paths), tmp_path / "missing")
    assert paths.database.read_bytes() == before


def test_setting_up_again_after_a_lost_database_keeps_the_old_key(store: Store, paths: DataPaths,
                                                                  tmp_path: Path) -> None:
    # lehe.db lost, keys.json left: a fresh set-up must not destroy the only key to the backups.
    fill(store)
    out = vault.backup(store, db_key(paths), tmp_path / "usb" / "copy.lehe-backup")
    store.close()
    old_key = paths.keyfile.read_bytes()
    paths.database.unlink()
    fresh, _recovery = vault.setup(paths, PASSPHRASE)
    fresh.close()
    kept = list(paths.root.glob("keys.json.replaced-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == old_key
    assert paths.keyfile.read_bytes() != old_key
    # Putting the old key back (and the database away) makes the backup restorable again.
    paths.database.unlink()
    kept[0].replace(paths.keyfile)
    restored = vault.restore(paths, db_key(paths), out)
    try:
        assert restored.stats()["households"] == 3
    finally:
        restored.close()


def test_restore_works_when_the_database_file_was_lost(store: Store, paths: DataPaths, cli: CliRunner,
                                                       tmp_path: Path) -> None:
    rid = fill(store)
    stats = store.stats()
    out = vault.backup(store, db_key(paths), tmp_path / "usb" / "copy.lehe-backup")
    store.close()
    paths.database.unlink()
    r = cli("stats", "--json")
    # The key is still there: the advice is to restore, not to set up again.
    assert r.returncode == 7 and "setup.database_missing" in r.stderr and "restore" in r.stderr
    r = cli("restore", str(out))
    assert r.returncode == 0, r.stderr
    reopened = vault.unlock(paths, PASSPHRASE)
    try:
        assert reopened.stats() == stats and reopened.get("member", rid) is not None
    finally:
        reopened.close()


def test_backup_never_overwrites_and_a_folder_gets_a_named_file(store: Store, paths: DataPaths, cli: CliRunner,
                                                                tmp_path: Path) -> None:
    fill(store)
    store.close()
    target = tmp_path / "usb" / "copy.lehe-backup"
    target.parent.mkdir()
    assert cli("backup", str(target)).returncode == 0
    before = target.read_bytes()
    again = cli("backup", str(target))
    assert again.returncode == 7 and "backup.exists" in again.stderr
    assert target.read_bytes() == before
    folder = tmp_path / "usb"
    r = cli("backup", str(folder))
    assert r.returncode == 0, r.stderr
    made = sorted(folder.glob("lehe-backup-*.lehe-backup"))
    assert len(made) == 1 and made[0].stat().st_size > 0
    assert "Traceback" not in again.stderr + r.stderr
