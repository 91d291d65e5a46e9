"""Schema 6: who made a change — batch proofs stored with the changes they prove.

``batches`` holds each device's signature over the digests of the changes it sent in one push,
once (``key`` = SHA-256 of the device and the digests); a change names its batch in
``changes.batch``, so a replica can pass the proof on with the change (pull replies, re-sends
after a server restore). ``changes.digest`` is the change's SHA-256 digest, kept by the server to
tell a re-sent change from another change under a used ``(origin, seq)``. Both NULL for older
rows (and for a laptop's own changes, which it proves by signing its push).
"""

from __future__ import annotations

import sqlcipher3


def apply(conn: sqlcipher3.Connection) -> None:
    conn.execute("""CREATE TABLE batches (
        id INTEGER PRIMARY KEY,
        key BLOB NOT NULL UNIQUE,
        device TEXT NOT NULL,
        digests BLOB NOT NULL,
        sig TEXT NOT NULL)""")
    conn.execute("ALTER TABLE changes ADD COLUMN batch INTEGER")
    conn.execute("ALTER TABLE changes ADD COLUMN digest BLOB")
