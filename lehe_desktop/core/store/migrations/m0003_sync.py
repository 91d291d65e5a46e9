"""Schema 3: network sync — conflict records, rejected changes, per-change scope on the server."""

from __future__ import annotations

import sqlcipher3

from .ddl import record_table

T, INT = "TEXT", "INTEGER"


def apply(conn: sqlcipher3.Connection) -> None:
    # Conflicts are ordinary synced records (made by the server, resolved anywhere).
    record_table(conn, "conflicts",
                 [("rtype", T), ("rid", T), ("field", T), ("kind", T), ("status", T),
                  ("winner_value", T), ("winner_version", T), ("other_value", T), ("other_version", T),
                  ("detected_at", T), ("resolution", T), ("resolved_by", T), ("resolved_at", T)],
                 indexes=[("status",), ("rtype", "rid")])
    # Changes the server refused (out of area, malformed): never dropped silently, listed for review.
    conn.execute("""CREATE TABLE rejects (
        origin TEXT NOT NULL, seq INTEGER NOT NULL, rtype TEXT, rid TEXT, code TEXT NOT NULL,
        zh TEXT NOT NULL, en TEXT NOT NULL, at INTEGER NOT NULL,
        PRIMARY KEY (origin, seq)) WITHOUT ROWID""")
    # The server keeps each change's area path here (NULL on laptops) to filter pulls.
    conn.execute("ALTER TABLE changes ADD COLUMN scope TEXT")
    conn.execute("CREATE INDEX changes_server_seq ON changes(server_seq)")
    conn.execute("CREATE INDEX changes_unsent_hlc ON changes(hlc, origin) WHERE server_seq IS NULL")
    conn.execute("CREATE INDEX changes_held ON changes(status) WHERE status <> 'applied'")
