"""Schema 11: anonymising a person — the synced purge records, and this replica's own bookkeeping.

``purges`` is a synced record table. The other three tables are local and derived:
``purged_members`` (each anonymised member, their household, and the scrubbed name's length and
keyed hash — never the name — so text mentioning it is found again), ``purge_targets`` (every record scrubbed for them) and
``purge_pending`` (what the store scrubs when the current transaction ends). The trigger queues
a purge record as it arrives, by whatever path (a save, a pull, a bundle).

Frozen DDL: never edit after release; later changes are new migrations.
"""

from __future__ import annotations

import sqlcipher3

from .ddl import record_table

T = "TEXT"


def apply(conn: sqlcipher3.Connection) -> None:
    record_table(conn, "purges", [("household_id", T), ("member_id", T), ("basis", T), ("requested_on", T)],
                 indexes=[("member_id",)], refs={"household_id": "households", "member_id": "members"})
    conn.execute("CREATE TABLE purged_members (member_id TEXT PRIMARY KEY, household_id TEXT, "
                 "name_len INTEGER, name_mac TEXT) WITHOUT ROWID")
    conn.execute("CREATE TABLE purge_targets (rid TEXT PRIMARY KEY, rtype TEXT NOT NULL) WITHOUT ROWID")
    conn.execute("CREATE TABLE purge_pending (rtype TEXT NOT NULL, rid TEXT NOT NULL, PRIMARY KEY (rtype, rid)) "
                 "WITHOUT ROWID")
    conn.execute("CREATE TRIGGER purge_arrived AFTER INSERT ON changes WHEN new.rtype = 'purge' "
                 "BEGIN INSERT OR IGNORE INTO purge_pending(rtype, rid) VALUES (new.rtype, new.rid); END")
