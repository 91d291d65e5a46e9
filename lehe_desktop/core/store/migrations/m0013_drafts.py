"""Schema 13: drafts of record forms not yet saved, kept in the encrypted database.

A form being edited is written here every few seconds of change and when the app locks, so
a crash or a lock loses nothing; saving or discarding the form removes its row. Drafts are
local to this laptop: they are not records, never enter the change log and never sync (the
server's database gets the empty table and never writes it). ``data`` is the form's state as
JSON; ``context`` what is needed to open the form again (its household …).
"""

from __future__ import annotations

import sqlcipher3


def apply(conn: sqlcipher3.Connection) -> None:
    conn.execute("CREATE TABLE drafts ("
                 "key TEXT PRIMARY KEY, rtype TEXT NOT NULL, record_id TEXT, context TEXT NOT NULL, "
                 "data TEXT NOT NULL, created_ms INTEGER NOT NULL, saved_ms INTEGER NOT NULL)")
