"""The store: every read and write of records goes through here.

A save is one SQLite transaction that writes the row, its field versions, its search entry
and exactly one change in the change log. Nothing else writes record tables (sync applies
remote changes through ``apply_changes``, which keeps the same bookkeeping).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import sqlcipher3

from ... import __version__
from .. import hlc as hlc_mod
from ..errors import NotFoundError, StorageError, ValidationError
from ..ids import area_id, natural_id, normalise_area_path, uuid7, uuid7_maker
from ..problems import Problem
from ..records.schema import Context, Kind, RecordType, all_types, record_type
from ..records.validate import validate
from ..records.work import titles_in
from ..validation.pinyin import sort_key
from . import audit_chain, purge
from . import backup as backups
from . import search as fts
from .connection import translate_errors, translated
from .migrations import SCHEMA_VERSION

log = logging.getLogger(__name__)

# Page cache while a bulk runs (negative: KiB), given back when it ends; the default is 32 MB.
BULK_CACHE_KIB = -131072
BOOKKEEPING = ("id", "deleted", "extra", "versions", "updated_hlc")


@dataclass
class SaveResult:
    id: str
    warnings: list[Problem] = field(default_factory=list)
    changed: bool = True


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Store:
    """An unlocked, migrated database. Create it through ``vault.unlock``/``vault.setup``."""

    def __init__(self, conn: sqlcipher3.Connection, *, user: str | None = None) -> None:
        self._conn = conn
        # sqlite-utils serves introspection only (tables, schema); writes are our own SQL. Made on
        # first use: importing it (click, dateutil, pluggy) costs ~70 ms of every start.
        self._introspect: Any = None
        # SQLite, or (the server) PostgreSQL through a connection that speaks SQLite's SQL
        # (server/pg.py); the only difference the store itself minds is how new rows are written.
        self._sqlite = getattr(conn, "dialect", "sqlite") == "sqlite"
        self.user = user
        self._lock = threading.RLock()
        self._depth = 0
        self._refused_thread: int | None = None
        self._txn_thread: int | None = None
        meta = self.meta()
        if "device_id" not in meta or "epoch" not in meta:
            raise StorageError("db.no_identity", "数据库缺少设备标识，可能来自中断的初始设置",
                               "The database has no device identity (an interrupted set-up?)")
        self.device_id: str = meta["device_id"]
        self.epoch: str = meta["epoch"]
        self.origin = f"{self.device_id}:{self.epoch}"
        row = conn.execute("SELECT max(seq) FROM changes WHERE origin = ?", (self.origin,)).fetchone()
        self._seq = row[0] or 0
        self.clock = hlc_mod.HybridClock(self._last_hlc(meta))
        self._observed_saved = self.clock.last
        self._origin_idx: dict[str, int] = {}
        self._origin_name: dict[int, str] = {}
        self._vocab: set[tuple[str, str]] = {
            (v, c) for v, c in conn.execute("SELECT vocab, code FROM vocab")}
        self._area_paths: dict[str, str] = {}
        # Laptops give names that sync wrote their pinyin sort keys as each transaction ends; the
        # server (its own meta key says so) never lists names, so it skips that work.
        self._fills_sort_keys = "server_schema" not in meta
        # The key of the ID-number and phone tokens in the search index (search.py; schema 9).
        self._search_key: bytes | None = bytes.fromhex(meta["search_key"]) if meta.get("search_key") else None
        # Lookups remembered during one bulk_create only (its rows name the same parents again and again).
        self._memo: dict[tuple[str, str, str], Any] | None = None
        self.today: date | None = None  # tests and imports may pin "today"
        # Anonymised people (purge.py, schema 11): each transaction that writes a change about one
        # scrubs them again before it commits. Until the first purge this costs one lookup.
        self._purge_schema = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'purge_pending'").fetchone() is not None
        self._purges_active = self._purge_schema and purge.active(conn)
        # SQLite (laptops, the default server) queues arriving purges by trigger and tests changes
        # with its JSON functions; the server on PostgreSQL does both here (server/pg.py).
        self._on_sqlite = isinstance(conn, sqlcipher3.Connection)
        self._first_change = 0
        # The audit log (schema 10): every transaction that makes own changes appends one entry,
        # or adds to the open ``audit_action`` (a bulk import, a sync), which appends one at its end.
        # The server keeps no audit log of its own writes.
        self._audits = "server_schema" not in meta and conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'").fetchone() is not None
        self._txn_start: tuple[str, int] = ("", 0)
        self._audit_open: list[dict[str, Any]] = []

    def _last_hlc(self, meta: dict[str, str]) -> int:
        """The clock's resume point without scanning the whole change log at every unlock.

        Own stamps are found through the (origin, seq) index; the highest remote stamp ever
        adopted is kept in meta ``hlc_observed`` (written by ``transaction``). Databases from
        before that key existed pay for one full scan, once.
        """
        own = self._conn.execute("SELECT hlc FROM changes WHERE origin = ? ORDER BY seq DESC LIMIT 1",
                                (self.origin,)).fetchone()
        saved = meta.get("hlc_observed")
        if saved is not None:
            observed = int(saved)
        else:
            observed = int(self._conn.execute("SELECT max(hlc) FROM changes WHERE status = 'applied'")
                            .fetchone()[0] or 0)
            with contextlib.suppress(sqlcipher3.DatabaseError):  # a read-only open simply rescans next time
                self._conn.execute("INSERT OR REPLACE INTO meta(k, v) VALUES ('hlc_observed', ?)", (str(observed),))
        return max(own[0] if own else 0, observed)

    # ------------------------------------------------------------------ thread guard

    def refuse_thread(self, ident: int | None) -> None:
        """Refuse every store call made on thread ``ident`` (the GUI thread), or none."""
        self._refused_thread = ident

    def _check_thread(self) -> None:
        if threading.get_ident() == self._refused_thread:   # one compare; None never matches
            raise StorageError("store.wrong_thread", "程序错误：界面线程不能直接读写数据库",
                               "Programming error: the GUI thread must not use the store (use the database lane)")

    # ------------------------------------------------------------------ SQL for the core's services

    # The core's query modules (browse, queries, exports, sync, the server's own tables) keep
    # their SQL beside the code that needs it, but run it only through these methods: each is
    # guarded, takes the store lock and turns SQLCipher errors into coded StorageErrors.

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a read."""
        self._check_thread()
        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchall()
        except sqlcipher3.DatabaseError as exc:     # try/except, not a context manager: sync's hot path
            raise translated(exc, "读取", "Reading") from exc

    def query_one(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> tuple[Any, ...] | None:
        """The first row of a read, or None."""
        self._check_thread()
        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchone()
        except sqlcipher3.DatabaseError as exc:
            raise translated(exc, "读取", "Reading") from exc

    def query_value(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = (), default: Any = None) -> Any:
        """The first column of the first row (``default`` when there is no row or it is NULL)."""
        row = self.query_one(sql, params)
        return default if row is None or row[0] is None else row[0]

    def query_dicts(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        """Every row of a read as a dict keyed by column name."""
        self._check_thread()
        with self._lock, translate_errors("读取", "Reading"):
            cur = self._conn.execute(sql, params)
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def iterate_dicts(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = (), *,
                      chunk: int = 2000) -> Iterator[dict[str, Any]]:
        """The rows of a big read (exports) as dicts, ``chunk`` at a time, without holding them all."""
        self._check_thread()
        with translate_errors("读取", "Reading"):
            cur = self._conn.execute(sql, params)
            names = [d[0] for d in cur.description]
            while True:
                with self._lock:
                    rows = cur.fetchmany(chunk)
                if not rows:
                    return
                for row in rows:
                    yield dict(zip(names, row, strict=True))

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads that no other thread's write may come between (the store lock, held)."""
        self._check_thread()
        with self._lock:
            yield

    # Writes need the caller's ``transaction()``: it holds the lock and turns errors into codes.

    def execute(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> int:
        """One write statement inside ``transaction()``; returns the rows it changed."""
        self._require_transaction()
        return int(self._conn.execute(sql, params).rowcount)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """One write statement for many rows inside ``transaction()``; returns the rows changed."""
        self._require_transaction()
        return int(self._conn.executemany(sql, rows).rowcount)

    def execute_alone(self, sql: str, params: Sequence[Any] = ()) -> int:
        """One write statement that is a transaction of its own (outside ``transaction()``; inside
        one it simply joins it): bookkeeping that makes no change to sync, such as the server's
        request nonces — no change-log row, no audit entry, no purge to enforce. One round trip
        where a ``transaction()`` takes several (the server on PostgreSQL); returns the rows changed."""
        self._check_thread()
        with self._lock, translate_errors("保存", "Saving"):
            return int(self._conn.execute(sql, params).rowcount)

    def pragma(self, name: str, value: int | str | None = None) -> Any:
        """Read (or set, then read) a connection setting such as ``user_version``."""
        self._check_thread()
        if not name.replace("_", "").isalnum():
            raise ValueError(name)
        with self._lock, translate_errors():
            if value is not None:
                self._conn.execute(f"PRAGMA {name} = {int(value) if isinstance(value, int) else value}")
            row = self._conn.execute(f"PRAGMA {name}").fetchone()
            return row[0] if row else None

    def table_exists(self, name: str) -> bool:
        self._check_thread()
        with self._lock, translate_errors("读取", "Reading"):
            return bool(self._utils_db()[name].exists())

    def schema_sql(self) -> str:
        """The CREATE statements of every table, index and trigger (diagnostics, no contents)."""
        self._check_thread()
        with self._lock, translate_errors("读取", "Reading"):
            return str(self._utils_db().schema)

    def _utils_db(self) -> Any:
        if self._introspect is None:
            import sqlite_utils

            self._introspect = sqlite_utils.Database(self._conn)
        return self._introspect

    def _require_transaction(self) -> None:
        self._check_thread()
        if self._depth == 0 or self._txn_thread != threading.get_ident():
            raise StorageError("store.no_transaction", "内部错误：写入必须在事务中进行",
                               "Internal error: a write outside a transaction")

    def backup_to(self, key: bytes, out: Path, *, progress: backups.BackupProgress | None = None,
                  keys: Mapping[str, Any] | None = None) -> Path:
        """A consistent encrypted copy of the live database (no write comes between).

        ``progress(copied, total)`` runs between steps (pages); raising there stops and removes it.
        ``keys``: keys.json's wrapped keys, so the file opens on a new laptop too (backup_file.py)."""
        self._check_thread()
        with self._lock:
            return backups.backup_to(self._conn, key, out, progress=progress, keys=keys)

    def automatic_backup(self, key: bytes, folder: Path, reason: str, *,
                         keys: Mapping[str, Any] | None = None) -> Path:
        """As ``backup_to``, into the rotated automatic backups (before a migration or restore)."""
        self._check_thread()
        with self._lock:
            return backups.automatic_backup(self._conn, key, folder, reason, keys=keys)

    @property
    def transaction_depth(self) -> int:
        """0 outside ``transaction()``, 1 in the outermost one (the server refreshes its counters there)."""
        return self._depth

    def reload_counters(self) -> None:
        """Re-read this origin's last sequence number and stamp (another connection may have written)."""
        row = self.query_one("SELECT seq, hlc FROM changes WHERE origin = ? ORDER BY seq DESC LIMIT 1",
                             (self.origin,))
        if row is not None:
            self._seq = max(self._seq, int(row[0]))
            self.clock.last = max(self.clock.last, int(row[1]))   # never stamp this origin twice alike

    @contextlib.contextmanager
    def bulk_settings(self, cache_kib: int = BULK_CACHE_KIB) -> Iterator[None]:
        """A larger page cache for a big job (a pull, a bulk); the old size comes back afterwards."""
        with self._lock:
            before = self._conn.execute("PRAGMA cache_size").fetchone()[0]
            self._conn.execute(f"PRAGMA cache_size = {int(cache_kib)}")
        try:
            yield
        finally:
            with self._lock:
                self._conn.execute(f"PRAGMA cache_size = {int(before)}")

    # ------------------------------------------------------------------ basics

    def close(self) -> None:
        with self._lock:
            with contextlib.suppress(sqlcipher3.DatabaseError):
                self._conn.execute("PRAGMA optimize")
            self._conn.close()

    def meta(self) -> dict[str, str]:
        self._check_thread()
        return dict(self._conn.execute("SELECT k, v FROM meta").fetchall())

    def set_meta(self, key: str, value: str | None) -> None:
        with self.transaction():
            self._conn.execute("INSERT INTO meta(k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
                              (key, value))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one."""
        self._check_thread()
        with self._lock:
            outer = self._depth == 0
            if outer:
                with translate_errors():
                    self._conn.execute("BEGIN IMMEDIATE")
                    if self._purges_active or (self._purge_schema and not self._on_sqlite):
                        self._first_change = self._conn.execute("SELECT max(id) FROM changes").fetchone()[0] or 0
                self._txn_thread = threading.get_ident()
                self._txn_start = (self.origin, self._seq)
            self._depth += 1
            try:
                with translate_errors("保存", "Saving"):
                    yield
            except BaseException:
                self._depth -= 1
                if outer:
                    with contextlib.suppress(sqlcipher3.DatabaseError):
                        self._conn.execute("ROLLBACK")
                    self._reset_caches()
                raise
            self._depth -= 1
            if outer:
                with translate_errors("保存", "Saving"):
                    observed = self.clock.observed
                    try:
                        if observed > self._observed_saved:
                            # Remote stamps adopted in this transaction: remember them with the data.
                            self._conn.execute("INSERT OR REPLACE INTO meta(k, v) VALUES ('hlc_observed', ?)",
                                              (str(observed),))
                        if self._fills_sort_keys:
                            self._fill_sort_keys()
                        if self._audits and self._seq > self._txn_start[1] and self.origin == self._txn_start[0]:
                            self._audit_changes(self._txn_start[1] + 1, self._seq)
                        scrubbed = self._enforce_purges()
                        self._conn.execute("COMMIT")
                    except BaseException:
                        # The end failed before the COMMIT took (on PostgreSQL a write the transaction
                        # sent earlier may fail only now): roll back, as a failure inside it would.
                        with contextlib.suppress(sqlcipher3.DatabaseError):
                            self._conn.execute("ROLLBACK")
                        self._reset_caches()
                        raise
                    self._observed_saved = max(self._observed_saved, observed)
                    if scrubbed and self._on_sqlite:
                        # The old pages' images leave the write-ahead log; secure_delete zeroed freed space.
                        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                        self._conn.execute("PRAGMA secure_delete = OFF")

    def _enforce_purges(self) -> bool:
        """Scrub anonymised people again when this transaction wrote a purge or a change about one."""
        if not self._purge_schema:
            return False
        arrived = purge.pending(self._conn) if self._on_sqlite else purge.arrived_since(self._conn, self._first_change)
        if not arrived and not (self._purges_active and purge.touched_since(self._conn, self._first_change,
                                                                            json_sql=self._on_sqlite)):
            return False
        if self._on_sqlite:
            self._conn.execute("PRAGMA secure_delete = ON")
        # The server indexes nothing (it has no search screen): no search entries to rebuild there.
        purge.enforce(self._conn, self.reindex if self._fills_sort_keys else None)
        self._purges_active = purge.active(self._conn)
        return True

    # ------------------------------------------------------------------ audit log (schema 10)

    def _audit_changes(self, first: int, last: int) -> None:
        """This transaction's own changes, as one audit entry or into the open action."""
        action, detail = audit_chain.change_detail(self._conn, self.origin, first, last)
        if self._audit_open:
            audit_chain.merge_detail(self._audit_open[-1], detail)
        else:
            self._audit_append(action, detail)

    def _audit_append(self, action: str, detail: dict[str, Any]) -> int:
        return audit_chain.append(self._conn, user=self.user, device=self.device_id, action=action, detail=detail)

    @property
    def audits(self) -> bool:
        """Whether this database keeps an audit log (a laptop's; not the server's)."""
        return self._audits

    def audit(self, action: str, detail: dict[str, Any] | None = None) -> int:
        """Append one audit entry for an action that is not a record write (reveal, export, sign-in …).

        ``detail`` holds record ids and counts, never personal values. Returns its number (0: no log).
        """
        if not self._audits:
            return 0
        with self.transaction():
            return self._audit_append(action, dict(detail or {}))

    @contextlib.contextmanager
    def audit_action(self, action: str, detail: dict[str, Any] | None = None, *,
                     fold: bool = True) -> Iterator[dict[str, Any]]:
        """One audit entry for a whole user action that spans transactions (a bulk import, a sync).

        Record writes inside add their ids and counts to it instead of making entries of their own
        (unless not ``fold``: a sync lets the saves a worker makes while it runs keep their own
        entries); the entry is appended when the block ends (also when it fails: ``outcome`` says
        so). The yielded dict may be given more detail (counts, never personal values).
        """
        entry: dict[str, Any] = dict(detail or {})
        if not fold:
            outcome = "ok"
            try:
                yield entry
            except BaseException as exc:
                outcome = getattr(exc, "code", None) or type(exc).__name__
                raise
            finally:
                if outcome != "ok":
                    entry["outcome"] = outcome
                with contextlib.suppress(StorageError):
                    self.audit(action, entry)
            return
        self._audit_open.append(entry)
        outcome = "ok"
        try:
            yield entry
        except BaseException as exc:
            outcome = getattr(exc, "code", None) or type(exc).__name__
            raise
        finally:
            if self._depth and self._audits and self._seq > self._txn_start[1] and self.origin == self._txn_start[0]:
                # Ends inside a transaction: its writes so far belong to this action, not to an
                # entry of their own at the commit. (After a failure the transaction rolls back.)
                with contextlib.suppress(sqlcipher3.DatabaseError):
                    audit_chain.merge_detail(entry, audit_chain.change_detail(
                        self._conn, self.origin, self._txn_start[1] + 1, self._seq)[1])
                self._txn_start = (self.origin, self._seq)
            self._audit_open.remove(entry)
            if outcome != "ok":
                entry["outcome"] = outcome
            if self._audit_open:
                audit_chain.merge_detail(self._audit_open[-1], entry)
            elif self._audits:
                with contextlib.suppress(StorageError):   # a failed action must still raise its own error
                    self.audit(action, entry)

    def _reset_caches(self) -> None:
        # A rollback may have undone origins and area paths we cached inside it.
        self._origin_idx.clear()
        self._origin_name.clear()
        self._area_paths.clear()
        self._vocab = {(v, c) for v, c in self._conn.execute("SELECT vocab, code FROM vocab")}
        row = self._conn.execute("SELECT max(seq) FROM changes WHERE origin = ?", (self.origin,)).fetchone()
        self._seq = row[0] or 0

    def _today(self) -> date:
        return self.today or date.today()

    # ------------------------------------------------------------------ lookups for validation

    def vocab_has(self, vocab: str, code: str) -> bool:
        if (vocab, code) in self._vocab:
            return True
        # Not known at unlock: an item added since (vocab_items, schema 12; by this laptop or by sync)?
        # SQLite's triggers copy items into ``vocab``; the server on PostgreSQL has no triggers, so
        # the item itself is read there too.
        with self._lock:
            found = self._conn.execute("SELECT 1 FROM vocab WHERE vocab = ? AND code = ?", (vocab, code)).fetchone()
            if found is None and not self._on_sqlite:
                found = self._conn.execute("SELECT 1 FROM vocab_items WHERE vocab = ? AND code = ? AND deleted = 0",
                                           (vocab, code)).fetchone()
        if found is not None:
            self._vocab.add((vocab, code))
        return found is not None

    def record_exists(self, rtype: str, rid: str) -> bool:
        memo = self._memo
        if memo is not None and ("x", rtype, rid) in memo:
            return True
        rt = record_type(rtype)
        row = self._conn.execute(f"SELECT deleted FROM {rt.table} WHERE id = ?", (rid,)).fetchone()
        found = row is not None and not row[0]
        if found and memo is not None:
            memo[("x", rtype, rid)] = True  # a bulk only adds rows, so what exists keeps existing
        return found

    def vocab(self, name: str, *, include_inactive: bool = False) -> list[dict[str, Any]]:
        self._check_thread()
        sql = "SELECT code, zh, en, active FROM vocab WHERE vocab = ?"
        if not include_inactive:
            sql += " AND active = 1"
        rows = self._conn.execute(sql + " ORDER BY sort", (name,)).fetchall()
        return [{"code": c, "zh": z, "en": e, "active": bool(a)} for c, z, e, a in rows]

    def vocab_label(self, name: str, code: str | None, lang: str = "zh") -> str:
        self._check_thread()
        if code is None:
            return ""
        row = self._conn.execute("SELECT zh, en FROM vocab WHERE vocab = ? AND code = ?", (name, code)).fetchone()
        if row is None:
            row = self._conn.execute("SELECT zh, en FROM vocab WHERE vocab = 'dq' AND code = ?", (code,)).fetchone()
        if row is None:
            return code
        return row[1] if lang == "en" else row[0]

    # ------------------------------------------------------------------ origins (compact versions)

    def origin_index(self, origin: str) -> int:
        idx = self._origin_idx.get(origin)
        if idx is None:
            row = self._conn.execute("SELECT idx FROM origins WHERE origin = ?", (origin,)).fetchone()
            if row is None:
                idx = int(self._conn.execute("INSERT INTO origins(origin) VALUES (?) RETURNING idx",
                                             (origin,)).fetchone()[0])
            else:
                idx = int(row[0])
            self._origin_idx[origin] = idx
            self._origin_name[idx] = origin
        return idx

    def origin_name(self, idx: int) -> str:
        name = self._origin_name.get(idx)
        if name is None:
            name = self._conn.execute("SELECT origin FROM origins WHERE idx = ?", (idx,)).fetchone()[0]
            self._origin_name[idx] = name
            self._origin_idx[name] = idx
        return name

    def known_origin_index(self, origin: str) -> int | None:
        """The origin's index if already cached (never touches the database: safe beside a write)."""
        return self._origin_idx.get(origin)

    def knows_area_path(self, aid: str) -> bool:
        """Whether the area's path is cached (never touches the database)."""
        return aid in self._area_paths

    def field_version(self, versions: dict[str, list[int]], fname: str) -> tuple[int, str] | None:
        v = versions.get(fname) or versions.get("*")
        if v is None:
            return None
        return v[0], self.origin_name(v[1])

    # ------------------------------------------------------------------ reading

    def get(self, rtype: str, rid: str, *, include_deleted: bool = False) -> dict[str, Any] | None:
        self._check_thread()
        memo = self._memo
        if memo is not None and not include_deleted:
            hit = memo.get(("g", rtype, rid))
            if hit is not None:
                return hit
        rt = record_type(rtype)
        with translate_errors("读取", "Reading"):
            cur = self._conn.execute(f"SELECT * FROM {rt.table} WHERE id = ?", (rid,))
            row = cur.fetchone()
        if row is None:
            return None
        rec = dict(zip([d[0] for d in cur.description], row, strict=True))
        if rec["deleted"] and not include_deleted:
            return None
        if memo is not None and not rec["deleted"]:
            memo[("g", rtype, rid)] = rec
        return rec

    def require(self, rtype: str, rid: str) -> dict[str, Any]:
        rec = self.get(rtype, rid)
        if rec is None:
            rt = record_type(rtype)
            raise NotFoundError("record.not_found", f"找不到{rt.zh}：{rid}", f"{rt.en} not found: {rid}")
        return rec

    def children(self, rtype: str, parent_id: str) -> list[dict[str, Any]]:
        self._check_thread()
        rt = record_type(rtype)
        assert rt.parent_field
        cur = self._conn.execute(
            f"SELECT * FROM {rt.table} WHERE {rt.parent_field} = ? AND deleted = 0 ORDER BY rowid", (parent_id,))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def count(self, rtype: str) -> int:
        self._check_thread()
        rt = record_type(rtype)
        with translate_errors("读取", "Reading"):
            return self._conn.execute(f"SELECT count(*) FROM {rt.table} WHERE deleted = 0").fetchone()[0]

    def history(self, rtype: str, rid: str) -> list[dict[str, Any]]:
        """Who changed which field, when: every change to the record, oldest first."""
        self._check_thread()
        rows = self._conn.execute(
            "SELECT origin, seq, hlc, kind, fields, base, user, wall_ms FROM changes "
            "WHERE rtype = ? AND rid = ? ORDER BY hlc, origin", (rtype, rid)).fetchall()
        out = []
        for origin, seq, h, kind, fields, base, user, wall in rows:
            out.append({"origin": origin, "device_id": origin.split(":")[0], "seq": seq, "hlc": h,
                        "kind": kind, "fields": json.loads(fields), "base": json.loads(base) if base else None,
                        "user": user, "wall_ms": wall,
                        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime((wall or 0) / 1000))})
        return out

    # ------------------------------------------------------------------ writing

    def _context(self, existing: dict[str, Any] | None) -> Context:
        return Context(today=self._today(), lookup=self, existing=existing)

    def _prepare(self, rt: RecordType, values: dict[str, Any], existing: dict[str, Any] | None,
                 ctx: Context | None = None) -> tuple[dict[str, Any], list[Problem]]:
        """Validate and derive: the clean values of a create, an update or one row of a bulk."""
        clean, problems = validate(rt, values, ctx or self._context(existing), partial=existing is not None)
        if not problems:
            warnings: list[Problem] = []
        elif any(p.is_error for p in problems):
            raise ValidationError(problems)
        else:
            warnings = problems
        if rt.derive is not None:
            clean.update(rt.derive({**existing, **clean} if existing else dict(clean)))
        return clean, warnings

    def _new_id(self, rt: RecordType, clean: dict[str, Any]) -> str:
        if rt.natural_key:
            return natural_id(rt.name, *(str(clean.get(k) or "") for k in rt.natural_key))
        return uuid7()

    def next_stamp(self) -> tuple[int, int]:
        self._seq += 1
        return self._seq, self.clock.tick()

    def _log(self, rt: RecordType, rid: str, kind: str, fields: dict[str, Any], base: dict[str, Any] | None,
             seq: int, h: int) -> None:
        self._conn.execute(
            "INSERT INTO changes(origin, seq, hlc, schema, rtype, rid, kind, fields, base, user, wall_ms, app) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (self.origin, seq, h, SCHEMA_VERSION, rt.name, rid, kind, _dumps(fields),
             _dumps(base) if base else None, self.user, hlc_mod.now_ms(), __version__))

    # A new record is written one way, by create (one row) and bulk_create (batches) alike:
    # ``_new_row`` lays out its row, ``_insert_new`` writes rows with their one change each, and
    # ``search_entry`` makes its search entry.

    @staticmethod
    def _new_row(rt: RecordType, clean: dict[str, Any], rid: str, h: int, oi: int) -> list[Any]:
        """A new record's row as ``_insert_new`` writes it: id, every field, sort keys, versions, updated_hlc."""
        # Every field, NULLs too: the row's "*" version covers them all, so every replica must see
        # them written at this version (or natural-key twins would merge differently).
        if rt.sort_keys:     # a name's pinyin sort key (local, derived: not in the change)
            return [rid, *map(clean.get, rt.field_names), *(sort_key(clean.get(src)) for src, _ in rt.sort_keys),
                    f'{{"*":[{h},{oi}]}}', h]
        return [rid, *map(clean.get, rt.field_names), f'{{"*":[{h},{oi}]}}', h]

    def _insert_new(self, rt: RecordType, rows: list[list[Any]], first_seq: int) -> None:
        """Insert new rows (consecutive sequence numbers from ``first_seq``) and one change each."""
        plan = _insert_plan(rt)
        conn = self._conn
        if not self._sqlite:
            # PostgreSQL (the server's own areas): no rowid, no SQLite JSON functions. The same rows
            # and the same one change each, with every field as the row holds it, written one by one.
            conn.executemany(plan.insert_row, rows)
            names = rt.field_names
            for i, row in enumerate(rows):
                self._log(rt, row[0], "upsert", dict(zip(names, row[1:1 + len(names)], strict=True)), None,
                          first_seq + i, row[-1])
            return
        last = conn.execute(f"SELECT max(rowid) FROM {rt.table}").fetchone()[0] or 0
        # Bound row by row: with NULL and bytes bound through identity adapters (connection.py)
        # this is cheaper than one JSON array unpacked by json_each (measured: 18% less CPU per bulk).
        conn.executemany(plan.insert_row, rows)
        # One change per new row, built by SQLite from the rows just written (consecutive rowids
        # after ``last``; seq follows insertion order), with every field as the row holds it.
        made = conn.execute(plan.insert_changes, (self.origin, SCHEMA_VERSION, rt.name, self.user, hlc_mod.now_ms(),
                                                  __version__, first_seq - last - 1, last)).rowcount
        if made != len(rows):
            raise StorageError("db.bulk_mismatch", "保存失败：变更记录数不符",
                               "Saving failed: change count does not match the rows")

    def create(self, rtype: str, values: dict[str, Any], *, rid: str | None = None) -> SaveResult:
        rt = record_type(rtype)
        with self.transaction():
            clean, warnings = self._prepare(rt, values, None)
            rid = rid or self._new_id(rt, clean)
            existing = self.get(rtype, rid, include_deleted=True)
            if existing is not None:
                # Natural-key records made twice (roster re-import, same village): an update.
                changes = {k: v for k, v in clean.items() if existing.get(k) != v}
                if existing["deleted"]:
                    changes["deleted"] = 0
                return self.write_fields(rt, existing, changes, None, warnings)
            seq, h = self.next_stamp()
            self._insert_new(rt, [self._new_row(rt, clean, rid, h, self.origin_index(self.origin))], seq)
            if _insert_plan(rt).searchable:
                self._conn.execute("INSERT OR REPLACE INTO search(rowid, tokens, rtype, rid, title) "
                                   "VALUES (?,?,?,?,?)", self.search_entry(rt, {**clean, "id": rid}))
            return SaveResult(rid, warnings)

    def update(self, rtype: str, rid: str, values: dict[str, Any], *,
               base: dict[str, Any] | None = None) -> SaveResult:
        """Change some fields. ``base`` is the versions the form was loaded with, if known."""
        rt = record_type(rtype)
        with self.transaction():
            existing = self.require(rtype, rid)
            clean, warnings = self._prepare(rt, values, existing)
            changes = {k: v for k, v in clean.items() if existing.get(k) != v}
            return self.write_fields(rt, existing, changes, base, warnings)

    def delete(self, rtype: str, rid: str) -> SaveResult:
        """A tombstone: the row stays (so sync can tell everyone) but disappears from views."""
        rt = record_type(rtype)
        with self.transaction():
            existing = self.require(rtype, rid)
            return self.write_fields(rt, existing, {"deleted": 1}, None, [], kind="delete")

    def versions_of(self, rtype: str, rid: str) -> dict[str, list[Any]]:
        """Field versions as [hlc, origin], to hand to a form and back to ``update(base=…)``."""
        self._check_thread()
        rec = self.require(rtype, rid)
        versions = json.loads(rec["versions"])
        rt = record_type(rtype)
        out = {}
        for f in (*rt.field_names, "deleted"):
            v = self.field_version(versions, f)
            if v:
                out[f] = [v[0], v[1]]
        return out

    def write_fields(self, rt: RecordType, existing: dict[str, Any], changes: dict[str, Any],
                    base: dict[str, Any] | None, warnings: list[Problem], kind: str = "upsert") -> SaveResult:
        rid = existing["id"]
        if not changes:
            return SaveResult(rid, warnings, changed=False)
        versions = json.loads(existing["versions"])
        if base is None:
            base = {}
            for f in changes:
                v = self.field_version(versions, f)
                if v:
                    base[f] = [v[0], v[1]]
        else:
            base = {f: base[f] for f in changes if f in base}
        seq, h = self.next_stamp()
        oi = self.origin_index(self.origin)
        for f in changes:
            versions[f] = [h, oi]
        sets = ", ".join(f"{c} = ?" for c in changes)
        values = [*changes.values()]
        for src, col in rt.sort_keys:
            if src in changes:        # the name's sort key follows it (not a field: not logged)
                sets += f", {col} = ?"
                values.append(sort_key(changes[src]))
        self._conn.execute(f"UPDATE {rt.table} SET {sets}, versions = ?, updated_hlc = ? WHERE id = ?",
                          [*values, _dumps(versions), h, rid])
        self._log(rt, rid, kind, changes, base or None, seq, h)
        self.reindex(rt, {**existing, **changes})
        return SaveResult(rid, warnings)

    # ------------------------------------------------------------------ bulk path

    def bulk_create(self, rtype: str, rows: Iterable[dict[str, Any]], *, validated: bool = False,
                    batch: int = 2000) -> int:
        """Create many records in one transaction (roster import, demo data).

        The write path of ``create`` — ``_prepare``, ``_new_row``, ``_insert_new``, ``search_entry``
        — with rows written ``batch`` at a time, on the calling thread, and their search entries
        last (docs/architecture.md). Rows whose natural-key id already exists are skipped
        (idempotent re-import). All or nothing: any failure rolls the whole bulk back.
        """
        # Held from here, not only in the transaction: the memo belongs to this thread's bulk.
        with self._lock:
            outer_memo = self._memo
            self._memo = {} if outer_memo is None else outer_memo
            try:
                # A larger page cache: the rows land all over big indexes, and every page that falls
                # out of the cache is written, re-read and decrypted again before the commit.
                with self.bulk_settings():
                    return self._bulk_create(rtype, rows, validated=validated, batch=batch)
            finally:
                self._memo = outer_memo

    def _bulk_create(self, rtype: str, rows: Iterable[dict[str, Any]], *, validated: bool, batch: int) -> int:
        rt = record_type(rtype)
        searchable = _insert_plan(rt).searchable
        exists_sql = f"SELECT 1 FROM {rt.table} WHERE id = ?"
        total = 0
        with self.transaction():
            ctx = self._context(None)      # one validation context for the whole bulk
            oi = self.origin_index(self.origin)
            pending_rows: list[list[Any]] = []
            # Search entries go in last, sorted by rowid: FTS5 flushes its pending terms whenever a
            # rowid is lower than the previous one, and row keys are hashes (random order).
            pending_fts: list[tuple[int, str, str, str, str]] = []
            seen: set[str] = set()
            first_seq = 0
            new_uuid = uuid7_maker()
            natural = rt.natural_key
            # Rows of a type that refers to its own kind (an area's parent) may name a row of this
            # bulk that is still waiting in its batch.
            self_ref = any(f.kind is Kind.REF and f.ref == rt.name for f in rt.fields)
            memo = self._memo
            assert memo is not None
            tick = self.clock.tick
            new_row, entry = self._new_row, self.search_entry
            for given_id, clean in self._cleaned(rt, rows, ctx, validated=validated, chunk=max(batch, 10_000)):
                if given_id:
                    rid = given_id
                elif natural:
                    rid = self._new_id(rt, clean)
                else:
                    rid = new_uuid()
                if natural or given_id:
                    if rid in seen or self._conn.execute(exists_sql, (rid,)).fetchone():
                        continue  # already there: re-import adds nothing
                    seen.add(rid)
                self._seq += 1
                h = tick()
                if pending_rows and self._seq != first_seq + len(pending_rows):
                    # Something in the rows' making took numbers (a nested bulk or create): a batch's
                    # changes are numbered consecutively.
                    self._insert_new(rt, pending_rows, first_seq)
                    pending_rows = []
                if not pending_rows:
                    first_seq = self._seq
                pending_rows.append(new_row(rt, clean, rid, h, oi))
                if self_ref:
                    memo[("x", rt.name, rid)] = True   # a later row may name it before it is written
                if searchable:
                    pending_fts.append(entry(rt, {**clean, "id": rid}))
                total += 1
                if len(pending_rows) >= batch:
                    self._insert_new(rt, pending_rows, first_seq)
                    pending_rows = []
            if pending_rows:
                self._insert_new(rt, pending_rows, first_seq)
            if pending_fts:
                pending_fts.sort()   # keys are distinct: the tuples sort by key
                self._conn.executemany("INSERT INTO search(rowid, tokens, rtype, rid, title) VALUES (?,?,?,?,?)",
                                       pending_fts)
        return total

    def _cleaned(self, rt: RecordType, rows: Iterable[dict[str, Any]], ctx: Context, *, validated: bool,
                 chunk: int) -> Iterator[tuple[Any, dict[str, Any]]]:
        """A bulk's rows as ``(given id, clean values)``, in order, validated as ``create`` would
        (unless ``validated``: then as given)."""
        if validated:
            for values in rows:
                yield values.get("id"), values
            return
        refs = [(f.name, f.ref) for f in rt.fields if f.kind is Kind.REF and f.ref]
        it = iter(rows)
        while part := list(itertools.islice(it, chunk)):
            if refs:
                # Parents named by the rows (a visit's household …) are read in sorted chunks: one
                # query per chunk instead of two random lookups per row.
                self._read_ahead(refs, part)
            for values in part:
                given = {k: v for k, v in values.items() if k != "id"} if "id" in values else values
                yield values.get("id"), self._prepare(rt, given, None, ctx)[0]

    def _read_ahead(self, refs: list[tuple[str, str]], part: list[dict[str, Any]]) -> None:
        memo = self._memo
        assert memo is not None
        wanted: dict[str, set[str]] = {}
        for name, target in refs:
            ids = wanted.setdefault(target, set())
            for values in part:
                v = values.get(name)
                if type(v) is str and ("g", target, v) not in memo:
                    ids.add(v)
        for target, ids in wanted.items():
            if not ids:
                continue
            table = record_type(target).table
            # In id order: neighbouring keys share index pages, so each page is read once.
            cur = self._conn.execute(f"SELECT * FROM {table} WHERE deleted = 0 AND id IN "
                                    "(SELECT value FROM json_each(?1))", (json.dumps(sorted(ids)),))
            names = [d[0] for d in cur.description]
            for row in cur:
                rec = dict(zip(names, row, strict=True))
                memo[("g", target, rec["id"])] = rec
                memo[("x", target, rec["id"])] = True

    # ------------------------------------------------------------------ search index

    def area_path(self, aid: str | None) -> str:
        if not aid:
            return ""
        path = self._area_paths.get(aid)
        if path is None:
            row = self._conn.execute("SELECT path FROM areas WHERE id = ?", (aid,)).fetchone()
            path = row[0] if row else ""
            self._area_paths[aid] = path
        return path

    def title(self, rt: RecordType, rec: dict[str, Any]) -> str:
        if rt.title is None:
            return rt.zh
        # Some titles name a related record (a visit shows its household's head): give them the store.
        return rt.title(rec, self) if rt.title_lookup else rt.title(rec)

    def stored_title(self, rt: RecordType, rec: dict[str, Any]) -> str:
        """The title the search index keeps: always in Chinese, whatever language a window shows
        titles in around this call (records.work.titles_in), so every replica stores the same."""
        with titles_in("zh"):
            return self.title(rt, rec)

    def search_tokens(self, rt: RecordType, rec: dict[str, Any]) -> str:
        text_fields, area_fields, number_fields = _search_fields(rt)
        get = rec.get
        texts = [t for t in map(get, text_fields) if isinstance(t, str)]
        for name in area_fields:
            path = self.area_path(get(name))
            if path:
                texts.append(path.rsplit("/", 1)[-1])
        tokens = fts.index_tokens(*texts)
        key = self._search_key
        if number_fields and key is not None:
            # ID numbers and phones: a keyed hash of the whole value, never the digits (search.py).
            for name, kind in number_fields:
                value = fts.indexed_number(kind, get(name))
                if value is not None:
                    token = fts.number_token(key, kind, value)
                    tokens = f"{tokens} {token}" if tokens else token
        return tokens

    def reindex(self, rt: RecordType, rec: dict[str, Any]) -> None:
        if not any(f.searchable for f in rt.fields):
            return
        key = fts.row_key(rec["id"])
        if rec.get("deleted"):
            self._conn.execute("DELETE FROM search WHERE rowid = ?", (key,))
            return
        self._conn.execute("INSERT OR REPLACE INTO search(rowid, tokens, rtype, rid, title) VALUES (?,?,?,?,?)",
                           self.search_entry(rt, rec))

    def search_entry(self, rt: RecordType, rec: dict[str, Any]) -> tuple[int, str, str, str, str]:
        """A record's row in the search index: (rowid, tokens, rtype, rid, title)."""
        return fts.row_key(rec["id"]), self.search_tokens(rt, rec), rt.name, rec["id"], self.stored_title(rt, rec)

    def search(self, text: str, *, limit: int = 50, rtypes: Iterable[str] | None = None) -> list[dict[str, str]]:
        """Records whose indexed text matches ``text``: {"type", "id", "title"} each.

        A whole valid ID number or phone number also finds the member (or phone) it belongs to,
        through its keyed token; those hits carry ``"match"``: the number masked, as it is shown.
        """
        self._check_thread()
        query = fts.match_query(text)
        number = fts.whole_number(text) if self._search_key is not None else None
        if number is not None and self._search_key is not None:
            token = f'"{fts.number_token(self._search_key, number[0], number[1])}"'
            query = f"{token} OR ({query})" if query else token
        if not query:
            return []
        sql = "SELECT rtype, rid, title FROM search WHERE search MATCH ?"
        params: list[Any] = [query]
        if rtypes:
            wanted = list(rtypes)
            sql += f" AND rtype IN ({', '.join('?' * len(wanted))})"
            params += wanted
        with translate_errors("搜索", "Search"):
            rows = self._conn.execute(sql + " LIMIT ?", [*params, limit]).fetchall()
        if number is not None:
            return [{"type": t, "id": i, "title": title, "match": number[2]} for t, i, title in rows]
        return [{"type": t, "id": i, "title": title} for t, i, title in rows]

    # ------------------------------------------------------------------ pinyin sort keys

    @property
    def fills_sort_keys(self) -> bool:
        """A laptop keeps pinyin sort keys beside names; the server does not (it sorts no lists)."""
        return self._fills_sort_keys

    def fill_sort_keys(self) -> int:
        """Give the names that have no sort key theirs (rows written by sync); returns how many.

        The store's own writes set the key with the name. Sync's merge writes a change's fields
        only, and a schema-6 trigger clears the key when it changes a name; so every write
        transaction on a laptop ends by filling what is missing (``transaction``), and lists call
        this too before they sort. When nothing is missing it costs one index lookup per table.
        """
        with self.transaction():
            return self._fill_sort_keys()

    def _fill_sort_keys(self) -> int:
        filled = 0
        for table, src, col in _sorted_names():
            rows = self._conn.execute(
                f"SELECT rowid, {src} FROM {table} WHERE {col} IS NULL AND {src} IS NOT NULL").fetchall()
            if rows:
                filled += self._conn.executemany(f"UPDATE {table} SET {col} = ? WHERE rowid = ?",
                                                 [(sort_key(name), rowid) for rowid, name in rows]).rowcount
        return filled

    # ------------------------------------------------------------------ areas

    def ensure_area(self, path: str) -> str:
        """Create every level of a slash path that is missing; return the leaf's id."""
        norm = normalise_area_path(path)
        parts = norm.split("/") if norm else []
        if not parts:
            raise ValidationError([Problem("area.path_empty", "path", "error", "地区路径不能为空",
                                           "The area path is empty")])
        parent: str | None = None
        with self.transaction():
            for depth in range(1, len(parts) + 1):
                sub = "/".join(parts[:depth])
                aid = area_id(sub)
                if not self.record_exists("area", aid):
                    self.create("area", {"path": sub, "name": parts[depth - 1], "parent_id": parent,
                                         "depth": depth, "level": guess_area_level(parts[depth - 1], depth)},
                                rid=aid)
                parent = aid
        assert parent is not None
        return parent

    # ------------------------------------------------------------------ change log

    def mark_unsent(self, origin: str | None = None) -> int:
        """Forget what the server acknowledged (all, or one origin's): everything goes up again."""
        with self.transaction():
            if origin is None:
                return self.execute("UPDATE changes SET server_seq = NULL")
            return self.execute("UPDATE changes SET server_seq = NULL WHERE origin = ?", (origin,))

    def start_new_epoch(self, keys: Iterable[tuple[str, int]]) -> int:
        """Give this database a new epoch (a new origin) and move the given own changes of an older
        epoch to it under new sequence numbers, in stamp order, unsent. For when the server holds
        other changes under those ``(origin, seq)`` (``change.seq_reused``: a copy restored without
        a new epoch). The records' versions and later changes' bases follow. Returns how many moved."""
        import uuid

        from ..records.schema import REGISTRY

        with self.transaction():
            rows = []
            for origin, seq in set(keys):
                if origin.partition(":")[0] != self.device_id:
                    continue         # only this device's own changes are ever moved
                row = self.query_one("SELECT id, origin, seq, hlc, rtype, rid, base FROM changes "
                                     "WHERE origin = ? AND seq = ?", (origin, seq))
                if row is not None:
                    rows.append(row)
            old_epoch = self.epoch
            self.epoch = str(uuid.uuid4())
            self.origin = f"{self.device_id}:{self.epoch}"
            self._seq = 0
            self.set_meta("epoch", self.epoch)
            self.set_meta("restored_from_epoch", old_epoch)
            new_oi = self.origin_index(self.origin)
            moved = {(r[3], r[1]) for r in rows}       # (hlc, old origin) → now (hlc, new origin)
            for rid_, origin, _seq, h, rtype, rid, base in sorted(rows, key=lambda r: (r[3], r[1])):
                self._seq += 1
                based = json.loads(base) if base else None
                if based:
                    for f, v in based.items():
                        if isinstance(v, list) and len(v) == 2 and (v[0], v[1]) in moved:
                            based[f] = [v[0], self.origin]
                self.execute("UPDATE changes SET origin = ?, seq = ?, base = ?, server_seq = NULL WHERE id = ?",
                             (self.origin, self._seq, _dumps(based) if based else None, rid_))
                rt = REGISTRY.get(rtype)
                table = rt.table if rt is not None else ("conflicts" if rtype == "conflict" else None)
                got = self.query_one(f"SELECT versions FROM {table} WHERE id = ?", (rid,)) if table else None
                if got is None or not got[0]:
                    continue
                old_oi = self.origin_index(origin)
                versions = json.loads(got[0])
                hit = False
                for f, v in versions.items():
                    if isinstance(v, list) and len(v) == 2 and v[0] == h and v[1] == old_oi:
                        versions[f] = [h, new_oi]
                        hit = True
                if hit:
                    self.execute(f"UPDATE {table} SET versions = ? WHERE id = ?", (_dumps(versions), rid))
        log.warning("new epoch: %d changes moved to origin %s", len(rows), self.origin)
        return len(rows)

    def set_server_seqs(self, acks: Iterable[tuple[int, str, int]]) -> int:
        """Record the server's answers as ``(server_seq, origin, seq)``: 0 held there, -1 refused."""
        with self.transaction():
            return self.executemany("UPDATE changes SET server_seq = ? WHERE origin = ? AND seq = ?", acks)

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database now (after a big sync)."""
        self._check_thread()
        with self._lock, translate_errors():
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    # ------------------------------------------------------------------ status

    def unsent_count(self) -> int:
        """Changes not yet delivered: those waiting to be sent, plus those the server refused that
        nobody has dealt with yet (moved and sent again, or acknowledged). Never negative."""
        return self.to_send_count() + self.refused_count()

    def to_send_count(self) -> int:
        """Changes waiting to be sent (what the next push sends)."""
        self._check_thread()
        # The narrow partial index: the planner, misled by statistics, may otherwise scan the whole log.
        return self._conn.execute("SELECT count(*) FROM changes INDEXED BY changes_unsent "
                                  "WHERE server_seq IS NULL").fetchone()[0]

    def refused_count(self) -> int:
        """Changes the server refused that are not yet dealt with (dismissed or moved and sent again)."""
        self._check_thread()
        return self._conn.execute("SELECT count(*) FROM rejects WHERE dismissed_at IS NULL").fetchone()[0]

    def stats(self) -> dict[str, int]:
        self._check_thread()
        out = {"households": self.count("household"), "residents": self.count("member")}
        for key, rtype in STATS_TYPES:
            out[key] = self.count(rtype)
        with translate_errors("读取", "Reading"):
            out["changes"] = self._conn.execute("SELECT count(*) FROM changes").fetchone()[0]
        return out

    def status(self) -> dict[str, Any]:
        self._check_thread()
        meta = self.meta()
        return {"device_id": self.device_id, "epoch": self.epoch, "schema": SCHEMA_VERSION,
                "unsent": self.unsent_count(), "refused": self.refused_count(), "last_sync": meta.get("last_sync"),
                "open_conflicts": self.open_conflicts()}

    def open_conflicts(self) -> int:
        self._check_thread()
        exists = self._conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'conflicts'").fetchone()
        if not exists:
            return 0
        return self._conn.execute("SELECT count(*) FROM conflicts WHERE status = 'open'").fetchone()[0]

    def check_integrity(self) -> str:
        return self._conn.execute("PRAGMA quick_check").fetchone()[0]


# Record types counted by `stats --json`, beyond households and residents.
STATS_TYPES: list[tuple[str, str]] = [
    ("visits", "visit"), ("activities", "activity"), ("meetings", "meeting"), ("matters", "matter"),
    ("tasks", "task"),
]


def guess_area_level(name: str, depth: int) -> str | None:
    """Best guess of the administrative level from the name's suffix (組 has no national code)."""
    if name.endswith(("组", "社", "队")):
        return "group"
    if name.endswith(("村", "社区", "居委会")):
        return "village"
    if name.endswith(("镇", "乡", "街道")):
        return "township"
    if name.endswith(("县", "区", "旗", "县级市")):
        return "county"
    if depth == 1:
        return "province"
    if name.endswith(("市", "州", "盟", "地区")):
        return "prefecture"
    return None


_SORTED_NAMES: list[tuple[str, str, str]] = []


def _sorted_names() -> list[tuple[str, str, str]]:
    """(table, name column, key column) of every record type with pinyin sort keys."""
    if not _SORTED_NAMES:
        from ..records import catalog  # noqa: F401  (registers every type)

        _SORTED_NAMES.extend((rt.table, src, col) for rt in all_types() for src, col in rt.sort_keys)
    return _SORTED_NAMES


_NUMBER_KINDS = {Kind.ID_NUMBER: "id", Kind.PHONE: "phone"}
_SEARCH_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]] = {}


def _search_fields(rt: RecordType) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Which fields feed a record's search entry: its searchable text, its village's name, and
    its searchable ID and phone numbers (indexed as keyed tokens, never as text)."""
    found = _SEARCH_FIELDS.get(rt.name)
    if found is None:
        text = tuple(f.name for f in rt.fields if f.searchable and f.kind not in _NUMBER_KINDS)
        areas = tuple(f.name for f in rt.fields if f.kind is Kind.REF and f.ref == "area")
        numbers = tuple((f.name, _NUMBER_KINDS[f.kind]) for f in rt.fields if f.searchable and f.kind in _NUMBER_KINDS)
        found = _SEARCH_FIELDS[rt.name] = (text, areas, numbers)
    return found


@dataclass(frozen=True)
class _InsertPlan:
    insert_row: str
    insert_changes: str
    searchable: bool


_INSERT_PLANS: dict[str, _InsertPlan] = {}


def _insert_plan(rt: RecordType) -> _InsertPlan:
    """The statements that write new records of a type (``_insert_new``), built once."""
    plan = _INSERT_PLANS.get(rt.name)
    if plan is None:
        names = rt.field_names
        cols = ["id", *names, *(col for _, col in rt.sort_keys), "versions", "updated_hlc"]
        # Plain INSERT: existing ids were skipped before, so a clash is an error, never a silent skip
        # (the change rows below are made for every inserted rowid).
        insert_row = (f"INSERT INTO {rt.table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})")
        # Every field, NULLs included, numbers as numbers, keys in field order: json_object gives
        # the JSON _dumps would give of the row's fields (sync reads it back with json.loads; a
        # float may be spelled with more digits, never with another value).
        fields_json = "json_object(" + ", ".join(f"'{n}', {n}" for n in names) + ")"
        insert_changes = (
            "INSERT INTO changes(origin, schema, rtype, user, wall_ms, app, seq, hlc, rid, kind, fields) "
            f"SELECT ?1, ?2, ?3, ?4, ?5, ?6, rowid + ?7, updated_hlc, id, 'upsert', {fields_json} "
            f"FROM {rt.table} WHERE rowid > ?8 ORDER BY rowid")
        plan = _INSERT_PLANS[rt.name] = _InsertPlan(insert_row, insert_changes,
                                                any(f.searchable for f in rt.fields))
    return plan
