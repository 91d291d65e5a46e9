"""PostgreSQL under the same Store: a connection that speaks the SQLite dialect the core writes.

The merge, scope and conflict rules are one implementation (``core/sync/merge.py`` over
``core/store/store.py``) for the laptop, the SQLite server and the PostgreSQL server. Only the
storage differs, and the seam is this connection object: it offers the few methods the Store
calls on a sqlcipher3 connection (``execute`` → a cursor with ``fetchone``/``fetchall``/
``fetchmany``/``rowcount``/``description``, ``executemany``, ``close``) and turns each statement
into PostgreSQL once (cached by its text):

- ``?`` and ``?N`` placeholders → ``%s`` (parameters reordered for ``?N``), ``%`` → ``%%``;
- ``INSERT OR IGNORE`` → ``ON CONFLICT DO NOTHING``; ``INSERT OR REPLACE`` → ``ON CONFLICT (primary
  key) DO UPDATE`` of the other columns;
- two-argument ``max``/``min`` → ``GREATEST``/``LEAST``; the column ``user`` quoted; ``INDEXED BY`` dropped;
- ``BEGIN IMMEDIATE`` → ``BEGIN`` plus one transaction-level advisory lock: writers are serialised
  exactly as SQLite serialises them, across every server process on the database, so server
  sequence numbers are handed out in commit order by whichever process writes;
- inside that write transaction the connection is in psycopg's pipeline mode: writes whose answer
  nobody reads (``executemany``: the merge's queued inserts, scope rows) are sent without waiting
  for PostgreSQL, and go over with the next read or the ``COMMIT``, which waits for them all. A
  push that had one network round trip per statement now has one per read. An error in a sent
  write surfaces at that next read or at ``COMMIT``, still inside the transaction, which is then
  rolled back whole (``COMMIT`` rolls back itself when it fails);
- the PRAGMAs the core reads: ``table_info`` (from the catalogue), ``user_version`` (kept in
  ``meta``), ``foreign_key_list`` (none: the server keeps no foreign keys, as on SQLite), the
  rest answered harmlessly.

Errors come back as sqlcipher3's exception classes, so the Store's one error translation (coded
``StorageError``) covers both backends. A lost connection (PostgreSQL restarted, stopped, the
network) is ``DatabaseUnavailable``: the request fails (the server answers HTTP 503
``server.database_unavailable``), the transaction it was in is gone on the PostgreSQL side (nothing
half-written), and the next statement outside a transaction reconnects, so the server works again
as soon as PostgreSQL does, without a restart of its own.

The schema is the SQLite one, read from a scratch in-memory database that the core migrations
built, and written as PostgreSQL DDL (``reference_schema``/``ddl``). ``upgrade`` adds what a newer
schema has and the database lacks: tables, columns, indexes. Synced tables only ever grow (new
nullable columns and new tables, docs/sync.md), so that is every migration so far; a future
migration that rewrites data needs its PostgreSQL step here too.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlcipher3

from ..core.errors import StateError

log = logging.getLogger(__name__)

ADVISORY_LOCK = 0x4C454845   # "LEHE": the one writer lock of a Lehe database
RECONNECT_TIMEOUT_S = 3      # a request waits at most this long for PostgreSQL to answer a reconnect
_PARAM = re.compile(r"\?(\d*)")
# ``x IN (?, ?, …)`` with many parameters (the merge's and scope's look-ups of a whole push) →
# ``x = ANY(%s)`` with one array parameter: one short statement PostgreSQL plans once and keeps
# prepared, instead of a new text (and plan) for every length.
_IN_LIST = re.compile(r"\b(NOT\s+)?IN\s*\(\s*\?(?:\s*,\s*\?){7,}\s*\)", re.IGNORECASE)
_TWO_ARG = re.compile(r"\b(max|min)\(([^(),]+),([^(),]+)\)", re.IGNORECASE)
_USER = re.compile(r"\buser\b", re.IGNORECASE)
_INDEXED_BY = re.compile(r"\bINDEXED BY \w+", re.IGNORECASE)
_OR_IGNORE = re.compile(r"^\s*INSERT OR IGNORE INTO\b", re.IGNORECASE)
_OR_REPLACE = re.compile(r"^\s*INSERT OR REPLACE INTO\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE)
_PRAGMA = re.compile(r"^\s*PRAGMA\s+(\w+)\s*(?:\(\s*(\w+)\s*\)|=\s*(\S+))?\s*$", re.IGNORECASE)


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("postgresql://", "postgres://"))


class DatabaseUnavailable(sqlcipher3.OperationalError):
    """The connection to PostgreSQL is lost and could not be made again (yet)."""


def unavailable(exc: BaseException | None) -> bool:
    """Whether an error (or one it was raised from) is a lost PostgreSQL connection."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DatabaseUnavailable):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


@dataclass
class _Plan:
    sql: str
    order: list[int] | None = None       # for ?N: which parameter goes at each %s
    pragma: tuple[str, str | None, str | None] | None = None
    begin: bool = False
    end: str | None = None               # "commit" or "rollback"
    arrays: tuple[tuple[int, int], ...] = ()   # (first, count) of the parameters that go as one array
    read: bool = False                   # a SELECT: safe to send again on a new connection
    answers: bool = False                # a SELECT or … RETURNING: rows come back


@dataclass
class _Rows:
    """A cursor over rows we made ourselves (PRAGMA answers)."""

    rows: list[tuple[Any, ...]]
    rowcount: int = -1
    description: list[tuple[str, ...]] | None = field(default=None)

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows.pop(0) if self.rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        out, self.rows = self.rows, []
        return out

    def fetchmany(self, n: int) -> list[tuple[Any, ...]]:
        out, self.rows = self.rows[:n], self.rows[n:]
        return out

    def __iter__(self) -> Any:
        return iter(self.fetchall())


class _Later:
    """A write sent in pipeline mode: its row count is waited for only when asked (the Store's
    ``execute`` asks; its own bookkeeping writes at COMMIT do not)."""

    description = None

    def __init__(self, conn: PgConnection, cur: Any) -> None:
        self._conn = conn
        self._cur = cur

    @property
    def rowcount(self) -> int:
        self._conn.wait()
        return int(self._cur.rowcount)

    def fetchone(self) -> None:
        self._conn.wait()
        return None

    def fetchall(self) -> list[tuple[Any, ...]]:
        self._conn.wait()
        return []


def _split_literals(sql: str) -> list[tuple[bool, str]]:
    """The statement as (is_literal, text) pieces: single-quoted strings are never rewritten."""
    out: list[tuple[bool, str]] = []
    i = 0
    while i < len(sql):
        j = sql.find("'", i)
        if j < 0:
            out.append((False, sql[i:]))
            break
        out.append((False, sql[i:j]))
        k = j + 1
        while True:
            k = sql.find("'", k)
            if k < 0:
                k = len(sql)
                break
            if sql[k + 1:k + 2] == "'":
                k += 2
                continue
            break
        out.append((True, sql[j:k + 1]))
        i = k + 1
    return out


class PgConnection:
    """A psycopg 3 connection dressed as the sqlcipher3 connection the Store expects."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg

        self._psycopg = psycopg
        self._url = url
        try:
            self._conn = self._open(10)
        except psycopg.Error as exc:
            shown = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)
            raise StateError("server.db_unreachable", f"无法连接 PostgreSQL 数据库：{shown}（地址、用户、密码或数据库名有误，或服务未运行）",
                               f"Cannot connect to the PostgreSQL database {shown} (wrong address, user, password or "
                               "database name, or the service is not running)") from exc
        self._plans: dict[str, _Plan] = {}
        self._pks: dict[str, list[str]] = {}
        self._table_info: dict[str, list[tuple[Any, ...]]] = {}
        self._lock = threading.RLock()
        self._pipeline: Any = None       # psycopg's Pipeline while a write transaction runs
        self._pipeline_cm: Any = None    # and the context that ends it
        self.reconnects = 0
        self.round_trips = 0             # statements that waited for PostgreSQL's answer (tests, profiling)

    def _open(self, timeout: int) -> Any:
        psycopg = self._psycopg
        conn = psycopg.connect(self._url, autocommit=True, connect_timeout=timeout)
        conn.adapters.register_dumper(bool, _bool_dumper(psycopg))
        return conn

    def _reconnect(self) -> None:
        """A new connection in place of a lost one (PostgreSQL restarted); DatabaseUnavailable if
        PostgreSQL does not answer yet."""
        self._pipeline = self._pipeline_cm = None
        with contextlib.suppress(Exception):
            self._conn.close()
        try:
            self._conn = self._open(RECONNECT_TIMEOUT_S)
        except self._psycopg.Error as exc:
            raise DatabaseUnavailable(f"PostgreSQL unavailable: {type(exc).__name__}") from exc
        self.reconnects += 1
        log.warning("PostgreSQL connection made again (reconnect %d)", self.reconnects)

    # ------------------------------------------------------------------ the sqlcipher3 surface

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        plan = self._plan(sql)
        if plan.pragma is not None:
            return self._pragma(*plan.pragma)
        args = _no_nul(self._args(plan, params))
        with self._lock:
            if plan.begin:
                return self._begin()
            if plan.end is not None:
                return self._end(plan.end == "commit")
            try:
                if self._pipeline is not None:
                    cur = self._conn.execute(plan.sql, args)
                    if not plan.answers:
                        return _Later(self, cur)     # a write: waited for only if its row count is asked
                    # A read: wait for its answer, and with it for the writes sent before it.
                    self.round_trips += 1
                    self._pipeline.sync()
                    return _Rows(cur.fetchall() if cur.description else [], cur.rowcount, cur.description)
                if self._conn.closed:
                    self._reconnect()
                self.round_trips += 1
                try:
                    return self._conn.execute(plan.sql, args)
                except self._psycopg.OperationalError as exc:
                    if self._in_transaction() or not (self._shut_down(exc) or (plan.read and self._lost(exc))):
                        raise
                # On a connection PostgreSQL dropped (a restart): once more on a new one — a read, or
                # any statement the shutdown stopped (PostgreSQL ran none of it).
                self._reconnect()
                return self._conn.execute(plan.sql, args)
            except self._psycopg.Error as exc:
                raise self._translated(exc) from exc

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        plan = self._plan(sql)
        rows = rows if isinstance(rows, list) else list(rows)
        if len(rows) == 1 and self._pipeline is None:
            return self.execute(sql, rows[0])   # one row: a plain statement costs half of a one-row pipeline
        with self._lock:
            cur = self._conn.cursor()
            if self._pipeline is None:
                self.round_trips += 1
            try:
                if plan.order is None and not plan.arrays:
                    cur.executemany(plan.sql, rows)
                else:
                    cur.executemany(plan.sql, [self._args(plan, r) for r in rows])
            except self._psycopg.Error as exc:
                raise self._translated(exc) from exc
            if self._pipeline is not None:
                # Sent, not waited for: the count is not known yet (nothing on the server uses it).
                return _Rows([], -1)
        return cur

    def close(self) -> None:
        with self._lock:
            self._abandon()
            self._conn.close()

    @property
    def in_transaction(self) -> bool:
        return self._in_transaction()

    def _in_transaction(self) -> bool:
        # A lost connection's status is UNKNOWN: no transaction there any more.
        status = self._psycopg.pq.TransactionStatus
        return self._pipeline is not None or self._conn.info.transaction_status in (
            status.INTRANS, status.INERROR, status.ACTIVE)

    def commit(self) -> None:
        if self.in_transaction:
            self.execute("COMMIT")

    def _begin(self) -> _Rows:
        """BEGIN and the writer lock in one round trip (on a new connection if PostgreSQL dropped
        the old one: nothing of a transaction is lost before it begins), then pipeline mode."""
        sql = f"BEGIN; SELECT pg_advisory_xact_lock({ADVISORY_LOCK})"
        if self._pipeline is not None or (not self._conn.closed and self._in_transaction()):
            # Left open by a transaction whose end failed before its COMMIT was sent (the Store's
            # last reads at commit brought a sent write's error): it is over; roll it back.
            log.warning("a failed transaction was still open at BEGIN: rolled back")
            self._abandon()
        self.round_trips += 1
        try:
            if self._conn.closed:
                self._reconnect()
            try:
                self._conn.execute(sql)
            except self._psycopg.OperationalError as exc:
                if not self._lost(exc):
                    raise
                self._reconnect()
                self._conn.execute(sql)
            self._pipeline_cm = self._conn.pipeline()
            self._pipeline = self._pipeline_cm.__enter__()
        except self._psycopg.Error as exc:
            self._abandon()
            raise self._translated(exc) from exc
        return _Rows([])

    def _end(self, commit: bool) -> _Rows:
        """COMMIT (waiting for every write sent before it) or ROLLBACK. A failed COMMIT leaves no
        transaction open behind it."""
        if not commit:
            self._abandon()
            return _Rows([])
        self.round_trips += 1
        try:
            if self._pipeline is not None:
                self._conn.execute("COMMIT")
                self._leave_pipeline()
            else:
                self._conn.execute("COMMIT")
        except self._psycopg.Error as exc:
            self._abandon()
            raise self._translated(exc) from exc
        return _Rows([])

    def wait(self) -> None:
        """Wait for everything sent in the pipeline (its first error raised, translated)."""
        with self._lock:
            if self._pipeline is not None:
                self.round_trips += 1
                try:
                    self._pipeline.sync()
                except self._psycopg.Error as exc:
                    raise self._translated(exc) from exc

    def _leave_pipeline(self) -> None:
        """Out of pipeline mode, waiting for everything sent (raises the first error among it)."""
        cm, self._pipeline, self._pipeline_cm = self._pipeline_cm, None, None
        if cm is not None:
            cm.__exit__(None, None, None)

    def _abandon(self) -> None:
        """Roll back whatever transaction is open, quietly (the error that led here is raised)."""
        with contextlib.suppress(self._psycopg.Error):
            self._leave_pipeline()
        self._pipeline = self._pipeline_cm = None
        if not self._conn.closed and self._in_transaction():
            with contextlib.suppress(self._psycopg.Error):
                self._conn.execute("ROLLBACK")

    def _shut_down(self, exc: Exception) -> bool:
        """PostgreSQL ended the session (a shutdown, a crash of another backend): whatever it was
        running is rolled back, so a statement outside a transaction may be sent again."""
        errors = self._psycopg.errors
        return isinstance(exc, errors.AdminShutdown | errors.CrashShutdown | errors.CannotConnectNow)

    def _lost(self, exc: Exception) -> bool:
        """Whether an error means the connection is gone (PostgreSQL restarted or stopped): the
        error of a connection cut by a shutdown may come before the connection shows it is closed."""
        return bool(self._conn.closed or self._shut_down(exc))

    def _translated(self, exc: Exception) -> sqlcipher3.DatabaseError:
        if self._lost(exc):
            # PostgreSQL went away (or is shutting down): whatever transaction was open is gone there.
            # The connection is closed for good here; the next statement makes a new one.
            self._pipeline = self._pipeline_cm = None
            with contextlib.suppress(Exception):
                self._conn.close()
            return DatabaseUnavailable(f"PostgreSQL unavailable: {type(exc).__name__}")
        return _translated(self._psycopg, exc)

    # ------------------------------------------------------------------ translation

    @staticmethod
    def _args(plan: _Plan, params: Sequence[Any] | Mapping[str, Any]) -> Sequence[Any]:
        if isinstance(params, Mapping):
            raise TypeError("named parameters are not used by the server")
        if plan.arrays:
            out: list[Any] = []
            at = 0
            for first, count in plan.arrays:
                out += params[at:first]
                out.append(list(params[first:first + count]))
                at = first + count
            out += params[at:]
            return out
        if plan.order is None:
            return params
        return [params[i] for i in plan.order]

    def _plan(self, sql: str) -> _Plan:
        plan = self._plans.get(sql)
        if plan is None:
            plan = self._translate(sql)
            if len(self._plans) < 5000:
                self._plans[sql] = plan
        return plan

    def _translate(self, sql: str) -> _Plan:
        pragma = _PRAGMA.match(sql)
        if pragma:
            return _Plan("", pragma=(pragma.group(1).lower(), pragma.group(2), pragma.group(3)))
        stripped = sql.strip().upper()
        if stripped.startswith("BEGIN"):
            return _Plan("BEGIN", begin=True)
        if stripped in ("COMMIT", "ROLLBACK"):
            return _Plan(stripped, end=stripped.lower())
        suffix = ""
        if _OR_IGNORE.match(sql):
            sql = _OR_IGNORE.sub("INSERT INTO", sql, count=1)
            suffix = " ON CONFLICT DO NOTHING"
        elif (m := _OR_REPLACE.match(sql)) is not None:
            table, cols = m.group(1), [c.strip() for c in m.group(2).split(",")]
            pk = self._primary_key(table)
            others = [c for c in cols if c not in pk]
            sql = re.sub(r"^\s*INSERT OR REPLACE INTO", "INSERT INTO", sql, count=1, flags=re.IGNORECASE)
            sets = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in others)
            suffix = f" ON CONFLICT ({', '.join(quote(c) for c in pk)}) " + (f"DO UPDATE SET {sets}" if sets
                                                                             else "DO NOTHING")
        order: list[int] = []
        numbered = False
        arrays: list[tuple[int, int]] = []
        lists = not re.search(r"\?\d", sql)       # never mixed with numbered parameters
        parts = []
        for literal, text in _split_literals(sql):
            if literal:
                parts.append(text.replace("%", "%%"))
                continue
            text = text.replace("%", "%%")
            text = _INDEXED_BY.sub("", text)
            text = _TWO_ARG.sub(lambda g: f"{'GREATEST' if g.group(1).lower() == 'max' else 'LEAST'}"
                                          f"({g.group(2)},{g.group(3)})", text)
            text = _USER.sub('"user"', text)

            def param(g: re.Match[str]) -> str:
                nonlocal numbered
                if g.group(1):
                    numbered = True
                    order.append(int(g.group(1)) - 1)
                else:
                    order.append(len(order))
                return "%s"

            if lists:
                pieces = []
                at = 0
                for m in _IN_LIST.finditer(text):
                    pieces.append(_PARAM.sub(param, text[at:m.start()]))
                    count = m.group(0).count("?")
                    arrays.append((len(order), count))
                    order.extend(range(len(order), len(order) + count))
                    pieces.append("<> ALL(%s)" if m.group(1) else "= ANY(%s)")
                    at = m.end()
                pieces.append(_PARAM.sub(param, text[at:]))
                parts.append("".join(pieces))
            else:
                parts.append(_PARAM.sub(param, text))
        out = "".join(parts).rstrip().rstrip(";")
        if suffix:
            m2 = re.search(r"\bRETURNING\b", out, re.IGNORECASE)
            out = out[:m2.start()] + suffix + " " + out[m2.start():] if m2 else out + suffix
        read = stripped.startswith(("SELECT", "WITH"))
        return _Plan(out, order if numbered else None, read=read, arrays=tuple(arrays),
                     answers=read or re.search(r"\bRETURNING\b", out, re.IGNORECASE) is not None)

    def _primary_key(self, table: str) -> list[str]:
        pk = self._pks.get(table)
        if pk is None:
            with self._lock:
                rows = self._conn.execute(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                    "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary "
                    "ORDER BY array_position(i.indkey, a.attnum)", (table,)).fetchall()
            pk = self._pks[table] = [r[0] for r in rows]
        return pk

    def _pragma(self, name: str, arg: str | None, value: str | None) -> _Rows:
        with self._lock:
            try:
                if name == "table_info" and arg:
                    if arg in self._table_info:       # every push's merger asks; the schema changes only offline
                        return _Rows(list(self._table_info[arg]))
                    rows = self._conn.execute(
                        "SELECT ordinal_position - 1, column_name, upper(data_type), "
                        "CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END, column_default, 0 "
                        "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s "
                        "ORDER BY ordinal_position", (arg,)).fetchall()
                    pk = set(self._primary_key(arg)) if rows else set()
                    info = [(*r[:5], 1 if r[1] in pk else 0) for r in rows]
                    if info:
                        self._table_info[arg] = info
                    return _Rows(list(info))
                if name == "user_version":
                    if value is not None:
                        self._conn.execute("INSERT INTO meta(k, v) VALUES ('user_version', %s) "
                                           "ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v", (str(int(value)),))
                    return _Rows([(schema_version(self._conn),)])
            except self._psycopg.Error as exc:
                raise self._translated(exc) from exc
        if name in ("quick_check", "integrity_check"):
            return _Rows([("ok",)])
        if name == "foreign_key_list":
            return _Rows([])       # the server keeps no foreign keys (on SQLite they are off)
        return _Rows([(0,)])       # cache_size, optimize, wal_checkpoint…: nothing to do here

    # ------------------------------------------------------------------ raw access (schema, copy)

    @property
    def raw(self) -> Any:
        """The psycopg connection itself (schema set-up and ``copy`` only), out of pipeline mode
        (``COPY`` cannot run in it): the rest of the transaction waits for each statement."""
        with self._lock:
            self._table_info.clear()           # the schema may change through it
            try:
                self._leave_pipeline()
            except self._psycopg.Error as exc:
                raise self._translated(exc) from exc
        return self._conn


def _no_nul(args: Sequence[Any]) -> Sequence[Any]:
    """PostgreSQL text cannot hold U+0000. The checks refuse it in anything stored; here it can only
    be a look-up of a hostile name (which then finds nothing) or a refusal's record: U+FFFD instead."""
    for a in args:
        if (type(a) is str and "\x00" in a) or (type(a) is list and any(type(v) is str and "\x00" in v for v in a)):
            break
    else:
        return args
    return [a.replace("\x00", "\ufffd") if type(a) is str else
            [v.replace("\x00", "\ufffd") if type(v) is str else v for v in a] if type(a) is list else a for a in args]


_BOOL_DUMPER: list[Any] = []


def _bool_dumper(psycopg: Any) -> Any:
    """SQLite keeps booleans as 0/1 in INTEGER columns: Python's bools go to PostgreSQL the same way."""
    if not _BOOL_DUMPER:
        from psycopg.adapt import Dumper

        class _BoolAsInt(Dumper):
            oid = psycopg.postgres.types["int8"].oid

            def dump(self, obj: Any) -> bytes:
                return b"1" if obj else b"0"

        _BOOL_DUMPER.append(_BoolAsInt)
    return _BOOL_DUMPER[0]


def schema_version(conn: Any) -> int:
    """The core schema version of a PostgreSQL database (0: none)."""
    exists = conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    row = conn.execute("SELECT v FROM meta WHERE k = 'user_version'").fetchone()
    return int(row[0]) if row and row[0] else 0


def quote(name: str) -> str:
    return f'"{name}"' if name.lower() == "user" else name


def _translated(psycopg: Any, exc: Exception) -> sqlcipher3.DatabaseError:
    """The sqlcipher3 exception a psycopg error stands for (the Store's translation takes it on)."""
    errors = psycopg.errors
    if isinstance(exc, psycopg.IntegrityError):
        return sqlcipher3.IntegrityError(str(exc).splitlines()[0] if str(exc) else "integrity")
    if isinstance(exc, errors.LockNotAvailable | errors.DeadlockDetected | errors.SerializationFailure):
        return sqlcipher3.OperationalError("database is locked")
    if isinstance(exc, psycopg.OperationalError):
        return sqlcipher3.OperationalError(f"disk i/o error or connection lost: {type(exc).__name__}")
    if isinstance(exc, psycopg.DataError):
        return sqlcipher3.IntegrityError(f"data: {type(exc).__name__}")
    return sqlcipher3.OperationalError(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")


# ---------------------------------------------------------------------- schema

_TYPES = (("INT", "BIGINT"), ("CHAR", "TEXT"), ("CLOB", "TEXT"), ("TEXT", "TEXT"), ("BLOB", "BYTEA"),
          ("REAL", "DOUBLE PRECISION"), ("FLOA", "DOUBLE PRECISION"), ("DOUB", "DOUBLE PRECISION"))


def _pg_type(declared: str) -> str:
    d = declared.upper()
    for key, pg in _TYPES:
        if key in d:
            return pg
    return "TEXT"


@dataclass
class Table:
    name: str
    columns: list[tuple[str, str, bool, str | None]]      # name, PostgreSQL type, not null, default
    primary_key: list[str]
    identity: str | None                                   # an INTEGER PRIMARY KEY (rowid alias)

    def create(self) -> str:
        cols = []
        for name, typ, notnull, default in self.columns:
            if name == self.identity:
                cols.append(f"{name} BIGINT GENERATED BY DEFAULT AS IDENTITY")
                continue
            col = f"{quote(name)} {typ}"
            if typ == "TEXT":
                # Byte order, as SQLite compares text and Python sorts it: the merge's range scans
                # over sorted ids and its (hlc, origin) order must not follow the server's locale.
                col += ' COLLATE "C"'
            if notnull:
                col += " NOT NULL"
            if default is not None:
                col += f" DEFAULT {default}"
            cols.append(col)
        if self.primary_key:
            cols.append(f"PRIMARY KEY ({', '.join(quote(c) for c in self.primary_key)})")
        return f"CREATE TABLE IF NOT EXISTS {self.name} ({', '.join(cols)})"


@dataclass
class Schema:
    tables: dict[str, Table]
    indexes: dict[str, str]           # name → CREATE INDEX … (PostgreSQL)


def reference_schema(sqlite_conn: Any) -> Schema:
    """The PostgreSQL form of a SQLite database's schema (a scratch one the migrations built)."""
    tables: dict[str, Table] = {}
    indexes: dict[str, str] = {}
    names = [r[0] for r in sqlite_conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search%' ORDER BY rowid")]
    for t in names:
        info = sqlite_conn.execute(f"PRAGMA table_info({t})").fetchall()
        pk = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        identity = pk[0] if len(pk) == 1 and next(r[2] for r in info if r[1] == pk[0]).upper() == "INTEGER" \
            else None
        cols = [(r[1], _pg_type(r[2] or ""), bool(r[3]), r[4]) for r in info]
        tables[t] = Table(t, cols, pk, identity)
        for _seq, iname, _unique, origin, _partial in sqlite_conn.execute(f"PRAGMA index_list({t})").fetchall():
            if origin == "pk":
                continue
            if origin == "u":
                icols = [r[2] for r in sqlite_conn.execute(f"PRAGMA index_info({iname})").fetchall()]
                pg_name = f"{t}_{'_'.join(icols)}_key"
                indexes[pg_name] = (f"CREATE UNIQUE INDEX IF NOT EXISTS {pg_name} ON {t} "
                                    f"({', '.join(quote(c) for c in icols)})")
                continue
            sql = sqlite_conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (iname,)).fetchone()[0]
            sql = re.sub(r"^CREATE (UNIQUE )?INDEX (IF NOT EXISTS )?", lambda g: f"CREATE {g.group(1) or ''}"
                         "INDEX IF NOT EXISTS ", sql)
            indexes[iname] = _USER.sub('"user"', sql)
    # The laptops' full-text index: a plain table on the server (it has no search screen; the
    # core writes an entry when the server itself creates an area).
    tables["search"] = Table("search", [("rowid", "BIGINT", True, None), ("tokens", "TEXT", False, None),
                                        ("rtype", "TEXT", False, None), ("rid", "TEXT", False, None),
                                        ("title", "TEXT", False, None)], ["rowid"], None)
    return Schema(tables, indexes)


def upgrade(conn: Any, schema: Schema) -> list[str]:
    """Add to a PostgreSQL database whatever ``schema`` has and it lacks; returns the statements run."""
    have: dict[str, set[str]] = {}
    for table, column in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"):
        have.setdefault(table, set()).add(column)
    run = []
    for t in schema.tables.values():
        if t.name not in have:
            run.append(t.create())
            continue
        for name, typ, notnull, default in t.columns:
            if name not in have[t.name]:
                col = f"{quote(name)} {typ}" + (' COLLATE "C"' if typ == "TEXT" else "")
                if default is not None:
                    col += f" DEFAULT {default}"
                if notnull and default is not None:
                    col += " NOT NULL"
                run.append(f"ALTER TABLE {t.name} ADD COLUMN {col}")
    # The core asks sqlite_master whether a table exists (and sqlite-utils does): the same answer here.
    run.append("CREATE OR REPLACE VIEW sqlite_master AS SELECT CASE c.relkind WHEN 'i' THEN 'index' "
               "WHEN 'v' THEN 'view' ELSE 'table' END AS type, c.relname::text AS name, "
               "coalesce(t.relname, c.relname)::text AS tbl_name, NULL::text AS sql FROM pg_class c "
               "LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid "
               "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'i', 'v')")
    index_names = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")}
    run += [sql for name, sql in schema.indexes.items() if name not in index_names]
    for sql in run:
        conn.execute(sql)
    return run
