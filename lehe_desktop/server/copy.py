"""`lehe-server copy --from URL --to URL`: move a server database to another backend.

Every table of this version's schema is copied row for row (the identity, keys and epoch in
``meta`` too), so laptops carry on against the new database as if nothing happened: the same
server key, the same server numbers, the same enrolments. The source must be at this version's
schema (``migrate`` it first) and is only read; the target must be empty (a new SQLite file or
an empty PostgreSQL database) and is written in one transaction: a failed copy leaves nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.errors import StateError
from ..core.store.connection import translate_errors
from ..core.store.migrations import SCHEMA_VERSION
from . import pg
from .storage import ServerStorage, pg_reference_schema, resolve_db_path

CHUNK = 5000


def _rows(source: ServerStorage, table: str, cols: list[str]) -> Iterator[tuple[Any, ...]]:
    select = ", ".join(c for c in cols)
    where = " WHERE k <> 'user_version'" if table == "meta" else ""
    for rec in source.store.iterate_dicts(f"SELECT {select} FROM {table}{where}", chunk=CHUNK):
        yield tuple(rec.values())


def copy_database(src_url: str, dst_url: str) -> dict[str, int]:
    """Copy the server database at ``src_url`` into a new one at ``dst_url``; rows per table."""
    source = ServerStorage(resolve_db_path(None, src_url)).open()
    target = ServerStorage(resolve_db_path(None, dst_url))
    if str(source.path) == str(target.path):
        source.close()
        raise StateError("copy.same_database", "源数据库和目标数据库相同", "The source and the target are the same database")
    counts: dict[str, int] = {}
    try:
        try:
            conn = target.create_empty()
        except StateError as exc:
            raise StateError("copy.target_not_empty", f"目标数据库不是空的：{target.path}（copy 只写入新的空数据库）",
                             f"The target database is not empty: {target.path} (copy only writes a new, empty one)"
                             ) from exc
        schema = pg_reference_schema()
        with translate_errors("复制数据库", "Copying the database"):
            conn.execute("BEGIN IMMEDIATE")
            try:
                target.create_schema(conn)
                if target.url is None:
                    # The fresh SQLite schema holds no rows yet; the copy brings every one.
                    for table in schema.tables.values():
                        if table.name != "search":
                            conn.execute(f"DELETE FROM {table.name}")
                for table in schema.tables.values():
                    if table.name == "search":      # the laptops' search index: the server has none to copy
                        continue
                    cols = [c[0] for c in table.columns]
                    rows = _rows(source, table.name, cols)
                    if target.url is not None:
                        counts[table.name] = _copy_pg(conn.raw, table, cols, rows)
                    else:
                        counts[table.name] = _copy_sqlite(conn, table.name, cols, rows)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        conn.close()
        if target.url is None:
            target.path.chmod(0o600)
    finally:
        source.close()
    return counts


def _copy_pg(raw: Any, table: pg.Table, cols: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    n = 0
    with raw.cursor() as cur:
        with cur.copy(f"COPY {table.name} ({', '.join(pg.quote(c) for c in cols)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
                n += 1
        if table.identity:
            ident = table.identity
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{ident}'), "
                        f"coalesce(max({ident}), 0) + 1, false) FROM {table.name}")
    return n


def _copy_sqlite(conn: Any, name: str, cols: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    sql = f"INSERT INTO {name} ({', '.join(c for c in cols)}) VALUES ({', '.join('?' * len(cols))})"
    n = 0
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            conn.executemany(sql, chunk)
            n += len(chunk)
            chunk = []
    if chunk:
        conn.executemany(sql, chunk)
        n += len(chunk)
    return n
