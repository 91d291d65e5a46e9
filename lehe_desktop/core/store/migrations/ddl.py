"""Helpers for writing frozen migration DDL for synced record tables."""

from __future__ import annotations

from collections.abc import Sequence

import sqlcipher3


def record_table(conn: sqlcipher3.Connection, table: str, columns: list[tuple[str, str]],
                 indexes: Sequence[tuple[str, ...]] = (), refs: dict[str, str] | None = None) -> None:
    """A synced record table: id, the fields, then the sync bookkeeping columns.

    ``versions`` holds each field's (hlc, origin) as JSON, ``extra`` keeps fields from newer
    app versions that this one does not know (never dropped), ``deleted`` is the tombstone.
    """
    refs = refs or {}
    cols = ["id TEXT PRIMARY KEY"]
    for name, sqltype in columns:
        ref = f" REFERENCES {refs[name]}(id)" if name in refs else ""
        cols.append(f"{name} {sqltype}{ref}")
    cols += ["deleted INTEGER NOT NULL DEFAULT 0", "extra TEXT", "versions TEXT NOT NULL",
             "updated_hlc INTEGER NOT NULL"]
    conn.execute(f"CREATE TABLE {table} ({', '.join(cols)})")
    for idx in indexes:
        name = f"{table}_{'_'.join(idx)}"
        conn.execute(f"CREATE INDEX {name} ON {table}({', '.join(idx)})")
    conn.execute(f"CREATE INDEX {table}_updated ON {table}(updated_hlc)")
