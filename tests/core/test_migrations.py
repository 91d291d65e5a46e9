"""Schema migrations: the committed schema-1 fixture upgrades safely; a too-new database is refused."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from lehe_desktop.core.errors import VersionError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import backup_file, vault
from lehe_desktop.core.store.connection import connect
from lehe_desktop.core.store.migrations import MIGRATIONS, SCHEMA_VERSION
from lehe_desktop.core.store.store import Store

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "schema_v1"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text("utf-8"))
FIXTURE_PASS = EXPECTED["passphrase"]


@pytest.fixture
def v1(tmp_path: Path) -> DataPaths:
    """A copy of the committed schema-1 data folder (the original is never opened for writing)."""
    root = tmp_path / "v1"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("expected.json"))
    return DataPaths(root=root, logs=root / "logs")


def schema_of(store: Store) -> dict[str, set[str]]:
    """Every table and index with its columns (no row data)."""
    out: dict[str, set[str]] = {}
    for kind, name in store.query(
            "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%'"):
        if kind == "table":
            out[name] = {r[1] for r in store.query(f"PRAGMA table_info({name})")}
        elif kind == "index":
            out[f"index:{name}"] = {r[2] for r in store.query(f"PRAGMA index_info({name})")}
    return out


def test_migrations_are_numbered_one_to_schema_version() -> None:
    assert [n for n, _t, _s in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    assert all(title for _n, title, _s in MIGRATIONS)


def test_the_committed_fixture_is_unchanged() -> None:
    # These bytes stand for a database made by the first release: never regenerate or open them.
    digest = hashlib.sha256((FIXTURE / "lehe.db").read_bytes()).hexdigest()
    assert digest == "fa05bb9a273ca335d0273a4553186fffeea43cd41ed83985928765343a3fa091"
    assert sorted(p.name for p in FIXTURE.iterdir()) == ["expected.json", "keys.json", "lehe.db"]


def test_the_fixture_really_is_schema_1(v1: DataPaths) -> None:
    # Even a read-only open of a WAL database leaves -wal/-shm files: only ever open the copy.
    key = vault.keyfile(v1).unlock(FIXTURE_PASS)
    conn = connect(v1.database, key, readonly=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == EXPECTED["schema"] == 1
    finally:
        conn.close()


def test_schema_1_fixture_migrates_with_a_backup_first_and_keeps_every_record(v1: DataPaths) -> None:
    store = vault.unlock(v1, FIXTURE_PASS)
    try:
        assert store.query_value("PRAGMA user_version") == SCHEMA_VERSION
        stats = store.stats()
        for key, value in EXPECTED["stats"].items():
            assert stats[key] == value, key                  # new record types may add keys, none lost
        assert store.device_id == EXPECTED["status"]["device_id"]
        assert store.epoch == EXPECTED["status"]["epoch"]
        head = store.require("member", EXPECTED["head_id"])
        assert {k: head.get(k) for k in EXPECTED["head"]} == EXPECTED["head"]   # every column, as written
        assert sorted(p["number"] for p in store.children("member_phone", EXPECTED["head_id"])) == EXPECTED["phones"]
        for table, n in EXPECTED["tables"].items():
            if table in ("vocab", "changes"):
                continue    # later schemas may seed more vocabulary items
            assert store.query_value(f"SELECT count(*) FROM {table}") == n, table
        assert store.query_value("SELECT count(*) FROM changes") == EXPECTED["tables"]["changes"]
        deleted = store.get("member", EXPECTED["deleted_member_id"], include_deleted=True)
        assert deleted is not None and deleted["deleted"] == 1 and store.get("member", EXPECTED["deleted_member_id"]) is None
        assert [h["kind"] for h in store.history("member", EXPECTED["child_id"])] == ["upsert", "upsert"]
        assert any(h["id"] == EXPECTED["head_id"] for h in store.search("秀英"))
        # The migrated database takes new writes, continuing the same origin's sequence.
        own = "SELECT max(seq) FROM changes WHERE origin = ?"
        seq_before = store.query_value(own, (store.origin,))
        store.update("member", EXPECTED["head_id"], {"notes": "迁移后修改"})
        assert store.query_value(own, (store.origin,)) == seq_before + 1
        assert store.check_integrity() == "ok"
    finally:
        store.close()
    autos = sorted(v1.backups.glob("auto-*-pre-migrate-v1.lehe-backup"))
    if SCHEMA_VERSION > 1:
        # The automatic backup is the untouched schema-1 database, still encrypted.
        assert len(autos) == 1
        assert autos[0].read_bytes()[:16] != b"SQLite format 3\x00"
        key = vault.keyfile(v1).unlock(FIXTURE_PASS)
        with backup_file.database_of(autos[0]) as database:   # after the header with the wrapped keys
            old = connect(database, key, readonly=True)
            try:
                assert old.execute("PRAGMA user_version").fetchone()[0] == 1
                assert old.execute("SELECT count(*) FROM members").fetchone()[0] == EXPECTED["tables"]["members"]
            finally:
                old.close()
    else:
        assert autos == []      # nothing to migrate yet, so no backup


def test_a_migrated_database_has_the_same_schema_as_a_fresh_one(v1: DataPaths, store: Store) -> None:
    migrated = vault.unlock(v1, FIXTURE_PASS)
    try:
        assert schema_of(migrated) == schema_of(store)
    finally:
        migrated.close()


def _bump_user_version(paths: DataPaths, passphrase: str, version: int) -> None:
    key = vault.keyfile(paths).unlock(passphrase)
    conn = connect(paths.database, key)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


def test_a_too_new_database_is_refused_untouched(store: Store, paths: DataPaths, passphrase: str,
                                                 cli: CliRunner) -> None:
    store.close()
    _bump_user_version(paths, passphrase, SCHEMA_VERSION + 1)
    past = 1_600_000_000
    os.utime(paths.database, (past, past))
    files_before = sorted(p.name for p in paths.root.iterdir())
    content = paths.database.read_bytes()
    with pytest.raises(VersionError) as info:
        vault.unlock(paths, passphrase)
    assert info.value.code == "db.too_new" and info.value.exit_code == 6
    for args in (("stats", "--json"), ("demo", "--households", "2"), ("status", "--json")):
        r = cli(*args)
        assert r.returncode == 6 and "error [db.too_new]" in r.stderr and "Traceback" not in r.stderr
        assert r.stdout == ""
    assert paths.database.read_bytes() == content
    assert paths.database.stat().st_mtime == past
    assert sorted(p.name for p in paths.root.iterdir()) == files_before   # no -wal, -shm or backup made
    assert not list(paths.backups.glob("*"))


def test_restore_refuses_a_backup_from_a_newer_app(store: Store, paths: DataPaths, passphrase: str,
                                                   tmp_path: Path) -> None:
    key = vault.keyfile(paths).unlock(passphrase)
    out = vault.backup(store, key, tmp_path / "new.lehe-backup")
    conn = connect(out, key)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(VersionError) as info:
        vault.restore(paths, key, out)
    assert info.value.code == "restore.too_new"
