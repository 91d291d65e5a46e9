"""Schema 4: the search index keeps only its terms, not a second copy of every token list.

The tokens are derived from the record (``Store.search_tokens``), so storing them again in
``search_content`` only cost write time and disk. The new table is contentless
(``content=''``) but keeps its UNINDEXED columns (``contentless_unindexed=1``: rtype, rid and
title come back from a MATCH as before) and supports DELETE / INSERT OR REPLACE by rowid
(``contentless_delete=1``), which is all the store and sync ever do with it.
"""

from __future__ import annotations

import sqlcipher3

SEARCH_DDL = ("CREATE VIRTUAL TABLE search USING fts5(tokens, rtype UNINDEXED, rid UNINDEXED, title UNINDEXED, "
              "detail = none, content = '', contentless_unindexed = 1, contentless_delete = 1)")
# contentless_unindexed needs SQLite 3.47 (SQLCipher bundles a newer one); a plain older SQLite
# (a test builds an unencrypted database with the stdlib module) keeps the schema-1 table.


def apply(conn: sqlcipher3.Connection) -> None:
    version = tuple(int(p) for p in conn.execute("SELECT sqlite_version()").fetchone()[0].split("."))
    if version < (3, 47):
        return
    # Copy out, re-create under the same name (a RENAME would store the DDL with a quoted name),
    # copy back in rowid order so FTS5 writes a few large segments instead of many small ones.
    conn.execute("CREATE TABLE search_m0004 (k INTEGER PRIMARY KEY, tokens TEXT, rtype TEXT, rid TEXT, title TEXT)")
    conn.execute("INSERT INTO search_m0004 SELECT rowid, tokens, rtype, rid, title FROM search")
    conn.execute("DROP TABLE search")
    conn.execute(SEARCH_DDL)
    # Pending terms are flushed as a new segment each time they pass hashsize (default 1 MB);
    # 8 MB means fewer, larger segments and less merging when a bulk import indexes many records.
    conn.execute("INSERT INTO search(search, rank) VALUES ('hashsize', 8388608)")
    conn.execute("INSERT INTO search(rowid, tokens, rtype, rid, title) "
                 "SELECT k, tokens, rtype, rid, title FROM search_m0004 ORDER BY k")
    conn.execute("DROP TABLE search_m0004")
