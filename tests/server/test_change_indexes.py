"""Schema 16: only the server keeps ``changes_server_seq`` (its pull pages read by server number);
laptops, which never read by it, stop writing an entry for every synced change."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schema_rollback import roll_back

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.connection import connect
from lehe_desktop.core.store.migrations import SCHEMA_VERSION
from lehe_desktop.server.storage import ServerStorage

INDEX = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'changes_server_seq'"
PASSPHRASE = "index test pass 123"


def test_a_new_and_an_upgraded_server_keep_the_index(tmp_path: Path) -> None:
    db = tmp_path / "srv" / "server.db"
    ServerStorage(db).init()
    conn = sqlite3.connect(db)
    assert conn.execute(INDEX).fetchone()[0] == 1
    # A server database from before schema 16 (core 15, server 8): the upgrade keeps its index.
    conn.execute("PRAGMA user_version = 15")
    conn.execute("UPDATE meta SET v = '8' WHERE k = 'server_schema'")
    conn.commit()
    conn.close()
    assert ServerStorage(db).migrate() == SCHEMA_VERSION
    conn = sqlite3.connect(db)
    assert conn.execute(INDEX).fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    # … and the pull query still uses it.
    plan = " ".join(str(r) for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM changes WHERE server_seq > 5 AND server_seq <= 9 ORDER BY server_seq"))
    conn.close()
    assert "changes_server_seq" in plan


def test_a_new_and_an_upgraded_laptop_do_without_it(tmp_path: Path) -> None:
    paths = DataPaths(root=tmp_path / "laptop", logs=tmp_path / "laptop" / "logs")
    store, _ = vault.setup(paths, PASSPHRASE, worker_name="小王")
    assert store.query_value(INDEX) == 0
    store.close()
    conn = connect(paths.database, vault.keyfile(paths).unlock(PASSPHRASE))
    roll_back(conn, to=15)
    assert conn.execute(INDEX).fetchone()[0] == 1
    conn.close()
    store = vault.unlock(paths, PASSPHRASE)
    try:
        assert store.query_value("PRAGMA user_version") == SCHEMA_VERSION
        assert store.query_value(INDEX) == 0
    finally:
        store.close()
