"""Schema 16: laptops stop keeping ``changes_server_seq``, one fewer index entry per synced change.

The index (schema 6: only changes that carry a server number) serves the server's pull pages
(``WHERE server_seq > ? ORDER BY server_seq``). A laptop never reads by it — it pulls by a cursor
kept in meta and finds its unsent changes through ``changes_unsent_hlc`` — yet wrote one entry
for every pulled change and every change the server acknowledged. The server keeps it: a server
database being upgraded is left alone here, and a new one gets it from the server's own steps
(``SERVER_MIGRATIONS``), which run after these.
"""

from __future__ import annotations

import sqlcipher3


def apply(conn: sqlcipher3.Connection) -> None:
    server = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'record_scope'").fetchone()
    if server is None:
        conn.execute("DROP INDEX IF EXISTS changes_server_seq")
