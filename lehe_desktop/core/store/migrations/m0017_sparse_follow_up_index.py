"""Schema 17: the next-visit index holds only visits that have a next-visit date.

Most visits need no follow-up, so most rows of ``visits_next_visit_date`` were NULL entries that no
query reads: the due-follow-ups list asks for ``next_visit_date <= ?``, which a partial index
``WHERE next_visit_date IS NOT NULL`` serves (SQLite uses a partial index when the query's own
terms imply its condition). Every visit written without a next date — most of a roster's or a
pull's — now skips one index entry (bench_store: about a tenth of a visit row's own insert).
"""

from __future__ import annotations

import sqlcipher3


def apply(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP INDEX IF EXISTS visits_next_visit_date")
    conn.execute("CREATE INDEX visits_next_visit_date ON visits(next_visit_date) WHERE next_visit_date IS NOT NULL")
