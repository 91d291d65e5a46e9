"""Schema 10: consent records (知情同意) — who agreed to what, how, under which notice, until when.

Frozen DDL: never edit after release; later changes are new migrations.
"""

from __future__ import annotations

import sqlcipher3

from .ddl import record_table

T, INT = "TEXT", "INTEGER"


def apply(conn: sqlcipher3.Connection) -> None:
    record_table(conn, "consents",
                 [("household_id", T), ("member_id", T), ("grantor", T), ("grantor_name", T),
                  ("grantor_relation", T), ("item_basic", INT), ("item_sensitive", INT), ("item_photo", INT),
                  ("item_publicity", INT), ("item_share", INT), ("item_contact", INT), ("method", T),
                  ("witness_name", T), ("notice_version", T), ("consent_date", T), ("withdrawn_on", T),
                  ("notes", T)],
                 indexes=[("household_id",), ("member_id",)],
                 refs={"household_id": "households", "member_id": "members"})
