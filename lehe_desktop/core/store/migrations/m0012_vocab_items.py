"""Schema 12: vocabulary items as synced records (``vocab_items``), copied into ``vocab`` by triggers.

The ``vocab`` table stays what forms, labels and validation read; a written vocabulary item
(by this laptop, or arriving by sync on a laptop or the server) is copied into it by the two
triggers below, so every write path keeps it current without knowing about it. A new code goes
last in its vocabulary's order; a deactivated or deleted item stays in ``vocab`` with active 0
(old records keep their label). A change that names no vocabulary or code touches nothing.
"""

from __future__ import annotations

import sqlcipher3

from .ddl import record_table

T = "TEXT"

# Frozen as of schema 12.
_COPY = """
    INSERT INTO vocab(vocab, code, zh, en, active, sort)
    VALUES (new.vocab, new.code, coalesce(new.zh, new.code), coalesce(new.en, new.zh, new.code),
            CASE WHEN new.deleted = 1 OR new.active = 0 THEN 0 ELSE 1 END,
            (SELECT coalesce(max(sort), -1) + 1 FROM vocab WHERE vocab = new.vocab))
    ON CONFLICT(vocab, code) DO UPDATE SET zh = coalesce(new.zh, vocab.zh), en = coalesce(new.en, vocab.en),
        active = excluded.active;
"""


def apply(conn: sqlcipher3.Connection) -> None:
    record_table(conn, "vocab_items", [("vocab", T), ("code", T), ("zh", T), ("en", T), ("active", "INTEGER")],
                 indexes=[("vocab", "code")])
    conn.execute(f"""CREATE TRIGGER vocab_items_copy_new AFTER INSERT ON vocab_items
        WHEN new.vocab IS NOT NULL AND new.code IS NOT NULL BEGIN {_COPY} END""")
    conn.execute(f"""CREATE TRIGGER vocab_items_copy_changed AFTER UPDATE OF zh, en, active, deleted ON vocab_items
        WHEN new.vocab IS NOT NULL AND new.code IS NOT NULL BEGIN {_COPY} END""")
