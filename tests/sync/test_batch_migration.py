"""Schema 5 → 6: batch proofs (the ``batches`` table, ``changes.batch`` and ``changes.digest``)."""

from __future__ import annotations

from pathlib import Path

from sync_harness import PASSPHRASE, LiveServer, household, make_laptop

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.connection import connect
from lehe_desktop.core.store.migrations import SCHEMA_VERSION
from lehe_desktop.core.sync import client


def paths_of(root: Path) -> DataPaths:
    return DataPaths(root=root, logs=root / "logs")


def test_a_schema_6_laptop_gains_batch_proofs_keeps_its_changes_and_syncs(tmp_path: Path,
                                                                         live_server: LiveServer) -> None:
    assert SCHEMA_VERSION >= 7
    root = tmp_path / "old"
    store = make_laptop(root)
    client.enroll(store, live_server.url, live_server.code_for("alice"))
    hid = household(store, head="迁移前")
    before = store.query("SELECT origin, seq, hlc, fields FROM changes ORDER BY seq")
    store.close()
    # Back to schema 6 exactly: schema 7 only added the table and the two columns.
    key = vault.keyfile(paths_of(root)).unlock(PASSPHRASE)
    conn = connect(paths_of(root).database, key)
    conn.execute("DROP TABLE batches")
    conn.execute("ALTER TABLE changes DROP COLUMN batch")
    conn.execute("ALTER TABLE changes DROP COLUMN digest")
    # … and what schemas 8 and 9 added after it (names' sort keys, the search index's number key).
    for table, col in (("households", "head_name_sort"), ("members", "name_sort")):
        conn.execute(f"DROP TRIGGER {table}_{col}_stale")
        conn.execute(f"DROP INDEX {table}_{col}")
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    conn.execute("DELETE FROM meta WHERE k = 'search_key'")
    conn.execute("DROP TABLE vocab_items")                  # schema 10 (synced vocabulary items)
    conn.execute("PRAGMA user_version = 6")
    conn.close()
    store = vault.unlock(paths_of(root), PASSPHRASE)
    try:
        assert store.query_value("PRAGMA user_version") == SCHEMA_VERSION
        assert store.query("SELECT origin, seq, hlc, fields FROM changes ORDER BY seq") == before
        assert store.query_value("SELECT count(*) FROM changes WHERE batch IS NOT NULL OR digest IS NOT NULL") == 0
        assert store.query_value("SELECT count(*) FROM batches") == 0
        # Its old changes go up with a proof signed now, and the server keeps it.
        got = client.sync_once(store)
        assert got.rejected == 0 and store.unsent_count() == 0
        srv = live_server.storage.store
        assert srv.get("household", hid) is not None
        assert srv.query_value("SELECT count(*) FROM changes WHERE origin = ? AND batch IS NULL", (store.origin,)) == 0
    finally:
        store.close()
    assert len(list(paths_of(root).backups.glob("auto-*-pre-migrate-v6.lehe-backup"))) == 1
