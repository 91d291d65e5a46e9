"""Schema 6: names sort in pinyin order — a sort key beside each household head's and member's name.

``households.head_name_sort`` and ``members.name_sort`` hold ``validation.pinyin.sort_key`` of
the name: text that SQLite's plain comparison puts in pinyin order, indexed, so a list of
100,000 households sorts in SQL. They are this database's own derived columns, not record
fields: never in a change, never synced, never exported (each replica derives its own).

The store sets them on every write of the name (create, bulk, update). A row written by sync
(the merge path writes change fields only) has no key until the store fills it as the
transaction ends (``Store.transaction``, laptops only); when sync changes a name, the triggers
below clear the old key so it is filled again. Existing rows are filled here.
"""

from __future__ import annotations

import sqlcipher3

from ...validation.pinyin import sort_key

# (table, name column, key column) — frozen: what this schema step added.
SORTED = (("households", "head_name", "head_name_sort"), ("members", "name", "name_sort"))


def apply(conn: sqlcipher3.Connection) -> None:
    for table, name, key in SORTED:
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {key} TEXT")
        conn.execute(f"CREATE INDEX {table}_{key} ON {table}({key})")
        # A name changed without its key (sync's merge): the stale key goes, to be filled again.
        conn.execute(f"CREATE TRIGGER {table}_{key}_stale AFTER UPDATE OF {name} ON {table} "
                     f"WHEN new.{key} IS old.{key} AND new.{name} IS NOT old.{name} "
                     f"BEGIN UPDATE {table} SET {key} = NULL WHERE rowid = new.rowid; END")
        rows = conn.execute(f"SELECT rowid, {name} FROM {table} WHERE {name} IS NOT NULL").fetchall()
        conn.executemany(f"UPDATE {table} SET {key} = ? WHERE rowid = ?", [(sort_key(n), r) for r, n in rows])
