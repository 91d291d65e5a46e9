"""Schema 6: two fewer index entries for every change a laptop writes.

``changes_unsent`` (id, where unsent) duplicated ``changes_unsent_hlc`` (same rows, the order
sync sends in), and ``changes_server_seq`` held an entry for every unsent change although only
sent ones (a server number) are ever looked up by it. Each was written for every new change:
roster imports and demo data paid for them twice per record.
"""

from __future__ import annotations

import sqlcipher3


def apply(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP INDEX IF EXISTS changes_unsent")
    conn.execute("DROP INDEX IF EXISTS changes_server_seq")
    # Comparisons on server_seq (>, <=, =) imply IS NOT NULL, so the planner still uses it.
    conn.execute("CREATE INDEX changes_server_seq ON changes(server_seq) WHERE server_seq IS NOT NULL")
