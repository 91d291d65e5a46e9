"""Schema 15: two indexes nothing reads any more, one fewer entry for every household and member.

``households_head_name`` and ``members_name`` (schema 1) served ordering and lookups by name.
Lists now sort by the pinyin keys (schema 8, their own indexes) and searches go through the
full-text index; the only SQL that names the columns uses ``LIKE`` with SQLite's case-insensitive
default, which cannot use a plain index. Every household and member written (a roster import, a
pull) paid for an entry in each.
"""

from __future__ import annotations

import sqlcipher3


def apply(conn: sqlcipher3.Connection) -> None:
    conn.execute("DROP INDEX IF EXISTS households_head_name")
    conn.execute("DROP INDEX IF EXISTS members_name")
