"""Taking a laptop database back to an older schema exactly, to test the upgrade from it.

One entry per migration: what undoes it. A test calls ``roll_back(conn, to=N)`` and every
migration above N is undone, newest first. A new migration adds its entry here, so the tests
that start from an old schema keep starting from exactly that schema.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlcipher3

from lehe_desktop.core.store.migrations import SCHEMA_VERSION

Undo = Callable[[sqlcipher3.Connection], None]


def _undo_5(conn: sqlcipher3.Connection) -> None:
    conn.execute("ALTER TABLE rejects DROP COLUMN dismissed_by")
    conn.execute("ALTER TABLE rejects DROP COLUMN dismissed_at")


def _undo_6(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP INDEX changes_server_seq")
    conn.execute("CREATE INDEX changes_server_seq ON changes(server_seq)")


def _undo_7(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP TABLE batches")
    conn.execute("ALTER TABLE changes DROP COLUMN batch")
    conn.execute("ALTER TABLE changes DROP COLUMN digest")


def _undo_8(conn: sqlcipher3.Connection) -> None:
    for table, col in (("households", "head_name_sort"), ("members", "name_sort")):
        conn.execute(f"DROP TRIGGER {table}_{col}_stale")
        conn.execute(f"DROP INDEX {table}_{col}")
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {col}")


def _undo_9(conn: sqlcipher3.Connection) -> None:
    conn.execute("DELETE FROM meta WHERE k = 'search_key'")


def _undo_10(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP TABLE consents")


def _undo_11(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP TRIGGER purge_arrived")
    for table in ("purge_pending", "purge_targets", "purged_members", "purges"):
        conn.execute(f"DROP TABLE {table}")


def _undo_12(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP TABLE vocab_items")       # its triggers go with it


def _undo_13(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP TABLE drafts")


def _undo_14(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP TABLE audit_log")         # its triggers go with it
    conn.execute("DELETE FROM meta WHERE k IN ('audit_head', 'audit_server_head')")


def _undo_15(conn: sqlcipher3.Connection) -> None:
    conn.execute("CREATE INDEX households_head_name ON households(head_name)")
    conn.execute("CREATE INDEX members_name ON members(name)")


def _undo_16(conn: sqlcipher3.Connection) -> None:
    conn.execute("CREATE INDEX IF NOT EXISTS changes_server_seq ON changes(server_seq) WHERE server_seq IS NOT NULL")


def _undo_17(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP INDEX visits_next_visit_date")
    conn.execute("CREATE INDEX visits_next_visit_date ON visits(next_visit_date)")


UNDO: dict[int, Undo] = {5: _undo_5, 6: _undo_6, 7: _undo_7, 8: _undo_8, 9: _undo_9, 10: _undo_10, 11: _undo_11,
                         12: _undo_12, 13: _undo_13, 14: _undo_14, 15: _undo_15, 16: _undo_16,
                         17: _undo_17}


def roll_back(conn: sqlcipher3.Connection, *, to: int) -> None:
    """Undo every migration above ``to`` (newest first) and set the schema number to ``to``."""
    missing = [v for v in range(to + 1, SCHEMA_VERSION + 1) if v not in UNDO]
    assert not missing, f"tests/schema_rollback.py: no undo for schema {missing}"
    for version in range(SCHEMA_VERSION, to, -1):
        UNDO[version](conn)
    conn.execute(f"PRAGMA user_version = {int(to)}")
