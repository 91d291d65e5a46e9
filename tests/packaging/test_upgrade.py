"""Upgrading the installed app keeps data: the packaged app opens the committed schema-1 database
(tests/fixtures/schema_v1) and migrates it with a backup first, and refuses a newer database
without touching it.

The same guarantees for the source tree, in more detail (schema parity, restore of a newer
backup), are in tests/core/test_migrations.py; this file checks them through the frozen
executable, which is what an admin actually upgrades. Skipped without a build.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from frozen_app import FrozenRunner

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import backup_file, vault
from lehe_desktop.core.store.connection import connect
from lehe_desktop.core.store.migrations import SCHEMA_VERSION

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "schema_v1"
EXPECTED = json.loads((FIXTURE / "expected.json").read_text("utf-8"))
FIXTURE_PASS = EXPECTED["passphrase"]


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    """A copy of the schema-1 data folder (the committed original is never opened for writing)."""
    root = tmp_path / "v1"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("expected.json"))
    return root


def test_installed_app_migrates_a_schema_1_database_with_a_backup_first(frozen: FrozenRunner, v1: Path) -> None:
    done = frozen("--data-dir", str(v1), "stats", "--json", passphrase=FIXTURE_PASS)
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    for key, value in EXPECTED["stats"].items():
        assert stats[key] == value, key
    status = json.loads(frozen("--data-dir", str(v1), "status", "--json", passphrase=FIXTURE_PASS).stdout)
    assert status["device_id"] == EXPECTED["status"]["device_id"]
    hits = json.loads(frozen("--data-dir", str(v1), "search", "秀英", "--json", passphrase=FIXTURE_PASS).stdout)
    assert any(h["id"] == EXPECTED["head_id"] for h in hits)
    autos = sorted((v1 / "backups").glob("auto-*-pre-migrate-v1.lehe-backup"))
    assert len(autos) == (1 if SCHEMA_VERSION > 1 else 0)
    for backup in autos:
        assert backup.read_bytes()[:16] != b"SQLite format 3\x00"
        key = vault.keyfile(DataPaths(v1, v1 / "logs")).unlock(FIXTURE_PASS)
        with backup_file.database_of(backup) as database:   # after the header with the wrapped keys
            old = connect(database, key, readonly=True)
            try:
                assert old.execute("PRAGMA user_version").fetchone()[0] == 1
            finally:
                old.close()


def test_installed_app_refuses_a_newer_database_untouched(frozen: FrozenRunner, v1: Path) -> None:
    paths = DataPaths(v1, v1 / "logs")
    vault.unlock(paths, FIXTURE_PASS).close()          # bring it to today's schema, then one beyond
    conn = connect(paths.database, vault.keyfile(paths).unlock(FIXTURE_PASS))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    past = 1_600_000_000
    os.utime(paths.database, (past, past))
    content = paths.database.read_bytes()
    before = sorted(p.name for p in v1.rglob("*") if "logs" not in p.parts)
    done = frozen("--data-dir", str(v1), "stats", "--json", passphrase=FIXTURE_PASS)
    assert done.returncode == 6 and "error [db.too_new]" in done.stderr and done.stdout == ""
    assert paths.database.read_bytes() == content and paths.database.stat().st_mtime == past
    assert sorted(p.name for p in v1.rglob("*") if "logs" not in p.parts) == before
