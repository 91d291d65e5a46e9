"""Schema 6: one fewer index entry for every change a laptop writes.

``changes_server_seq`` held an entry for every unsent change although only sent ones (a server
number) are ever looked up by it; roster imports and demo data paid for it once per record.
(``changes_unsent``, narrower than ``changes_unsent_hlc`` over the same rows, stays: counting
the unsent changes for the status bar reads it, and over a million changes the wide one took a
second.)
"""

from __future__ import annotations

import sqlcipher3


def apply(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP INDEX IF EXISTS changes_server_seq")
    # Comparisons on server_seq (>, <=, =) imply IS NOT NULL, so the planner still uses it.
    conn.execute("CREATE INDEX changes_server_seq ON changes(server_seq) WHERE server_seq IS NOT NULL")
