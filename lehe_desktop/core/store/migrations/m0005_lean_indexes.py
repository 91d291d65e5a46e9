"""Schema 5: two indexes that every new record paid for but no query needed.

- ``changes_unsent`` (id, only unsent changes): no statement is planned through it — the sync
  client reads the outbox through ``changes_unsent_hlc`` (which has the same WHERE), the unsent
  count and the server's ``stamp_local`` are planned on ``changes_server_seq`` / the (origin, seq)
  key. Every local change was written into it twice (here and ``changes_unsent_hlc``).
- ``visits_next_visit_date`` held every visit, yet only the follow-up list reads it, and only for
  visits that have a next visit date (``next_visit_date IS NOT NULL`` is in that query, so the
  partial index still serves it). Most visits have none.
"""

from __future__ import annotations

import sqlcipher3


def apply(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP INDEX IF EXISTS changes_unsent")
    conn.execute("DROP INDEX IF EXISTS visits_next_visit_date")
    conn.execute("CREATE INDEX visits_next_visit_date ON visits(next_visit_date) WHERE next_visit_date IS NOT NULL")
