"""Schema 5: refused changes can be acknowledged (dismissed) without losing the record of them.

``rejects`` rows are never deleted: dismissing one stamps when (ms since the epoch, like
``at``) and by whom, so the audit trail stays and the default list shows only what is new.
Both columns are NULL for rows that have not been dismissed.
"""

from __future__ import annotations

import sqlcipher3


def apply(conn: sqlcipher3.Connection) -> None:
    conn.execute("ALTER TABLE rejects ADD COLUMN dismissed_at INTEGER")
    conn.execute("ALTER TABLE rejects ADD COLUMN dismissed_by TEXT")
