"""Schema 7: a member is found by an ID number or phone number typed whole (store/search.py).

A random key for this database's number tokens goes into meta ``search_key``; the search
entries of members with an ID number gain their token, and every phone gets an entry (its
token, titled with whose it is and the number masked). The numbers themselves never enter
the index. A new database and the server's (it has no search screen and indexes no member)
only get the key.
"""

from __future__ import annotations

import os

import sqlcipher3

from ...records.people import phone_title
from ..search import index_tokens, indexed_number, number_token, row_key

INSERT = "INSERT OR REPLACE INTO search(rowid, tokens, rtype, rid, title) VALUES (?,?,?,?,?)"


def apply(conn: sqlcipher3.Connection) -> None:
    key = os.urandom(32)
    conn.execute("INSERT OR REPLACE INTO meta(k, v) VALUES ('search_key', ?)", (key.hex(),))
    if conn.execute("SELECT rowid FROM search LIMIT 1").fetchone() is None:
        return          # nothing indexed yet (a new database)
    if conn.execute("SELECT 1 FROM meta WHERE k = 'server_schema'").fetchone() is not None:
        return          # the server: its index holds only what it made itself (areas), never members
    entries = []
    # Frozen as of schema 9: a member's searchable text is its name and notes.
    for rid, name, notes, number in conn.execute(
            "SELECT id, name, notes, id_number FROM members WHERE deleted = 0 AND id_number IS NOT NULL"):
        value = indexed_number("id", number)
        if value is None:
            continue
        tokens = " ".join(t for t in (index_tokens(name, notes), number_token(key, "id", value)) if t)
        entries.append((row_key(rid), tokens, "member", rid, name or ""))
    for rid, number, member_name in conn.execute(
            "SELECT p.id, p.number, m.name FROM member_phones p LEFT JOIN members m ON m.id = p.member_id "
            "WHERE p.deleted = 0"):
        value = indexed_number("phone", number)
        if value is not None:
            entries.append((row_key(rid), number_token(key, "phone", value), "member_phone", rid,
                            phone_title(member_name, number)))
    entries.sort()      # by rowid: FTS5 writes fewer, larger segments
    conn.executemany(INSERT, entries)
