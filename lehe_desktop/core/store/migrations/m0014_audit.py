"""Schema 14: the audit log — append-only, hash-chained entries, one per user action.

Each row holds who (user, device), when (UTC), what (action) and which records (ids and counts
in ``detail``, never personal values), plus ``prev`` (the previous row's hash) and ``hash``
(core/store/audit_chain.py). Triggers refuse UPDATE and DELETE, so the app itself can only
append; anything that edits the file directly breaks the chain, which ``audit verify`` finds.
Local to each database (not a synced record table); the chain head is reported at sync.
"""

from __future__ import annotations

import sqlcipher3


def apply(conn: sqlcipher3.Connection) -> None:
    conn.execute("""CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT,
        device TEXT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        prev TEXT NOT NULL,
        hash TEXT NOT NULL)""")
    conn.execute("""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log entries cannot be changed'); END""")
    conn.execute("""CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log entries cannot be deleted'); END""")
