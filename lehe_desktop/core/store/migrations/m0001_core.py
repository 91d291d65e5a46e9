"""Schema 1: metadata, vocabularies, the change log, search, areas, households, members."""

from __future__ import annotations

import sqlcipher3

from .ddl import record_table

T, INT = "TEXT", "INTEGER"


def apply(conn: sqlcipher3.Connection) -> None:
    conn.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT)")
    conn.execute("""CREATE TABLE vocab (
        vocab TEXT NOT NULL, code TEXT NOT NULL, zh TEXT NOT NULL, en TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1, sort INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (vocab, code)) WITHOUT ROWID""")
    conn.execute("CREATE TABLE origins (idx INTEGER PRIMARY KEY, origin TEXT NOT NULL UNIQUE)")
    # The change log: outbox for our own changes, store-and-forward copy of everyone else's.
    conn.execute("""CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        origin TEXT NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL,
        schema INTEGER NOT NULL, rtype TEXT NOT NULL, rid TEXT NOT NULL, kind TEXT NOT NULL,
        fields TEXT NOT NULL, base TEXT, user TEXT, wall_ms INTEGER, app TEXT,
        server_seq INTEGER, status TEXT NOT NULL DEFAULT 'applied',
        UNIQUE (origin, seq))""")
    conn.execute("CREATE INDEX changes_record ON changes(rtype, rid)")
    conn.execute("CREATE INDEX changes_unsent ON changes(id) WHERE server_seq IS NULL")
    conn.execute("""CREATE VIRTUAL TABLE search USING fts5(
        tokens, rtype UNINDEXED, rid UNINDEXED, title UNINDEXED, detail = none)""")

    record_table(conn, "areas", [("path", T), ("name", T), ("parent_id", T), ("level", T),
                                 ("depth", INT), ("code", T)],
                 indexes=[("parent_id",), ("path",)])
    record_table(conn, "households",
                 [("area_id", T), ("group_name", T), ("head_name", T), ("address", T), ("status", T),
                  ("housing_type", T), ("housing_safety", T), ("income_band", T), ("gov_contact", T),
                  ("notes", T)],
                 indexes=[("area_id", "group_name"), ("head_name",)], refs={"area_id": "areas"})
    record_table(conn, "household_categories", [("household_id", T), ("category", T)],
                 indexes=[("household_id",), ("category",)], refs={"household_id": "households"})
    record_table(conn, "members",
                 [("household_id", T), ("name", T), ("sex", T), ("birth_date", T), ("id_type", T),
                  ("id_number", T), ("relation", T), ("residence_status", T), ("work_location", T),
                  ("health_status", T), ("self_care", T), ("guardian_name", T), ("notes", T)],
                 indexes=[("household_id",), ("name",)], refs={"household_id": "households"})
    record_table(conn, "member_categories", [("member_id", T), ("category", T)],
                 indexes=[("member_id",), ("category",)], refs={"member_id": "members"})
    record_table(conn, "member_disabilities",
                 [("member_id", T), ("disability_type", T), ("grade", T), ("certificate_no", T)],
                 indexes=[("member_id",)], refs={"member_id": "members"})
    record_table(conn, "member_phones", [("member_id", T), ("number", T), ("owner", T), ("note", T)],
                 indexes=[("member_id",)], refs={"member_id": "members"})
