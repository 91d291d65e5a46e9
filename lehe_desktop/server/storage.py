"""Server storage: the same record tables as the laptops (core migrations) plus the server's own.

Embedded SQLite by default (``--data-dir DIR`` → DIR/server.db, or ``--db sqlite:///path``), or
PostgreSQL (``--db postgresql://…``, psycopg 3). Both run the one Store and the one Merger: on
PostgreSQL the Store gets a connection that translates its SQL (``pg.PgConnection``); nothing
else in the server knows which backend it is on. No state lives in the server process that
another process could contradict: counters are re-read under the write lock (on PostgreSQL an
advisory lock, shared by every server process), nonces, rate limits and codes are tables.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3

from ..core import hlc as hlc_mod
from ..core.errors import NotFoundError, StateError, StorageError, UsageError, VersionError
from ..core.ids import area_id, is_safe_device_id, normalise_area_path
from ..core.messages import CHANGE_COLUMNS, Batch, Change, change_from_row
from ..core.store.connection import translate_errors
from ..core.store.migrations import MIGRATIONS, SCHEMA_VERSION, seed_vocab
from ..core.store.store import Store
from ..core.sync import proof
from ..core.sync import protocol as P
from ..core.sync.merge import Admit, Merger
from . import pg
from .keys import ServerKeys, default_key_path, pg_key_path
from .scope import GLOBAL, GLOBAL_SCOPED, ScopeResolver

# The server's own tables, stepped like the core's migrations (meta ``server_schema``).
SERVER_MIGRATIONS: list[tuple[int, str]] = [
    (2, "ALTER TABLE enroll_codes ADD COLUMN device_id TEXT"),   # a code made to re-enrol one known device
    # Nonces of signed requests, each kept until its request's time window has passed (replays).
    (3, "CREATE TABLE IF NOT EXISTS auth_nonces (nonce TEXT PRIMARY KEY, device_id TEXT NOT NULL, expires_ms INTEGER NOT NULL) "
        "WITHOUT ROWID"),
    (3, "CREATE INDEX IF NOT EXISTS auth_nonces_expires ON auth_nonces(expires_ms)"),
    # Failed enrolments and signatures per client address (rate limit; shared by server processes).
    (3, "CREATE TABLE IF NOT EXISTS auth_failures (addr TEXT NOT NULL, at_ms INTEGER NOT NULL, code TEXT NOT NULL)"),
    (3, "CREATE INDEX IF NOT EXISTS auth_failures_addr ON auth_failures(addr, at_ms)"),
    # The signing key lives in its own file now (server/keys.py); migrate() writes that file first.
    (4, "DELETE FROM meta WHERE k IN ('server_private_key', 'server_public_key')"),
    # Each laptop origin's audit-log chain head (core/store/audit_chain.py): a reported head must
    # extend the one kept here; one that does not (a cut or rewritten log) is flagged, not adopted.
    (5, "CREATE TABLE IF NOT EXISTS audit_heads (origin TEXT PRIMARY KEY, device_id TEXT NOT NULL, "
        "seq INTEGER NOT NULL, hash TEXT NOT NULL, at_ms INTEGER NOT NULL, flag TEXT, flag_reason TEXT, "
        "flag_ms INTEGER)"),
    # Sync bundles (server/bundles.py): each device's X25519 key, the bundles taken in (by id, with
    # their receipt), those held from revoked devices, and what each device acknowledged.
    (6, "ALTER TABLE devices ADD COLUMN enc_key TEXT"),
    (6, "ALTER TABLE devices ADD COLUMN bundle_cursor INTEGER NOT NULL DEFAULT 0"),
    (6, "CREATE TABLE IF NOT EXISTS bundles_in (bundle_id TEXT PRIMARY KEY, sender TEXT NOT NULL, "
        "received_ms INTEGER NOT NULL, status TEXT NOT NULL, summary TEXT, part_done INTEGER NOT NULL DEFAULT 0, "
        "receipt BLOB)"),
    (6, "CREATE TABLE IF NOT EXISTS bundles_held (bundle_id TEXT PRIMARY KEY, sender TEXT NOT NULL, "
        "held_ms INTEGER NOT NULL, file TEXT NOT NULL, size INTEGER NOT NULL)"),
    # Scope markers begin with U+0001 instead of U+0000 (PostgreSQL text cannot hold U+0000).
    (7, "UPDATE record_scope SET scope = CAST(X'01' || substr(CAST(scope AS BLOB), 2) AS TEXT) "
        "WHERE hex(scope) LIKE '00%'"),
    (7, "UPDATE changes SET scope = CAST(X'01' || substr(CAST(scope AS BLOB), 2) AS TEXT) "
        "WHERE hex(scope) LIKE '00%'"),
    # Organisation recovery (server/escrow.py): each device's sealed keys, and who released them when.
    (8, "CREATE TABLE IF NOT EXISTS key_escrow (device_id TEXT PRIMARY KEY, blob TEXT NOT NULL, "
        "escrow_key TEXT NOT NULL, stored_ms INTEGER NOT NULL, released_ms INTEGER) WITHOUT ROWID"),
    (8, "CREATE TABLE IF NOT EXISTS recovery_log (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, "
        "admin TEXT NOT NULL, at_ms INTEGER NOT NULL, what TEXT NOT NULL)"),
    # Pull pages read changes by server number; laptops dropped this index (core schema 16), the
    # server keeps it: a new server database gets it back here.
    (9, "CREATE INDEX IF NOT EXISTS changes_server_seq ON changes(server_seq) WHERE server_seq IS NOT NULL"),
    # The bundles' X25519 key lives in the key file now, with the signing keys (server/keys.py;
    # migrate() moves it there first): a database dump must not open bundles.
    (10, "DELETE FROM meta WHERE k IN ('server_enc_key', 'server_enc_key_old')"),
]
SERVER_SCHEMA = SERVER_MIGRATIONS[-1][0]
ROLES = ("worker", "coordinator", "admin")
NONCE_PRUNE_EVERY = 500
# "IS NOT NULL" lets SQLite answer from the partial index on server_seq (schema 6).
_HIGH_WATER = "SELECT coalesce(max(server_seq), 0) FROM changes WHERE server_seq IS NOT NULL"

MAX_CODE_HOURS = 24 * 365   # an enrolment code is for days; a year is the most `enroll-code --expires` takes


def _server_tables(conn: sqlcipher3.Connection) -> None:
    conn.execute("CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, created_ms INTEGER NOT NULL)")
    conn.execute("""CREATE TABLE user_areas (user TEXT NOT NULL REFERENCES users(name), path TEXT NOT NULL,
        PRIMARY KEY (user, path)) WITHOUT ROWID""")
    conn.execute("""CREATE TABLE devices (
        device_id TEXT PRIMARY KEY, user TEXT NOT NULL, public_key TEXT NOT NULL, cert TEXT NOT NULL,
        cert_sig TEXT NOT NULL, expires_ms INTEGER NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,
        enrolled_ms INTEGER NOT NULL, last_seen INTEGER, app_version TEXT, schema INTEGER, epoch TEXT,
        unacked INTEGER)""")
    conn.execute("""CREATE TABLE enroll_codes (
        code_hash TEXT PRIMARY KEY, user TEXT NOT NULL, created_ms INTEGER NOT NULL,
        expires_ms INTEGER NOT NULL, used_ms INTEGER, used_by TEXT)""")
    # Area path of every record the server holds (resolved through the parent chain once).
    conn.execute("""CREATE TABLE record_scope (rtype TEXT NOT NULL, rid TEXT NOT NULL, scope TEXT,
        PRIMARY KEY (rtype, rid)) WITHOUT ROWID""")


def pg_reference_schema() -> pg.Schema:
    """This version's schema in PostgreSQL's words: the one the core migrations and the server's
    own steps make on SQLite, built in a scratch in-memory database and read back."""
    global _PG_SCHEMA
    if _PG_SCHEMA is None:
        scratch = sqlcipher3.connect(":memory:", isolation_level=None)
        try:
            for _n, _t, step in MIGRATIONS:
                step(scratch)
            _server_tables(scratch)
            for _number, ddl in SERVER_MIGRATIONS:
                scratch.execute(ddl)
            _PG_SCHEMA = pg.reference_schema(scratch)
        finally:
            scratch.close()
    return _PG_SCHEMA


_PG_SCHEMA: pg.Schema | None = None


def redacted(url: str) -> str:
    """A database URL fit for messages and logs: no password."""
    return re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", url)


def _server_schema(conn: Any) -> int:
    row = conn.execute("SELECT v FROM meta WHERE k = 'server_schema'").fetchone()
    return int(row[0]) if row and row[0] else 1


@dataclass
class Device:
    device_id: str
    user: str
    role: str
    areas: list[str]
    public_key: str
    revoked: bool
    expires_ms: int
    epoch: str | None
    schema: int | None
    app_version: str | None


def _no_nul(text: str) -> str:
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))


def resolve_db_path(data_dir: str | None, db_url: str | None) -> Path | str:
    """The SQLite file, or the PostgreSQL URL (kept as the string it is)."""
    if db_url:
        if pg.is_postgres_url(db_url):
            return db_url
        file = Path(db_url[len("sqlite:///"):]) if db_url.startswith("sqlite:///") else None
        if file is None or not file.name or file.is_dir():   # also "sqlite:///" with no file, or a folder
            raise UsageError("server.db_url", "数据库地址须是 sqlite:///路径 或 postgresql://…",
                             "The database URL must be sqlite:///PATH or postgresql://…")
        return file
    if data_dir:
        return Path(data_dir) / "server.db"
    raise UsageError("server.no_db", "请指定 --data-dir 或 --db", "Give --data-dir or --db")


class _Depth(threading.local):
    depth = 0


class ServerStorage:
    """One server database. Thread-safe: every public method takes the lock."""

    def __init__(self, path: Path | str, *, now_ms: Any = hlc_mod.now_ms, key_file: Path | None = None) -> None:
        # PostgreSQL: ``url`` is set and ``path`` names it (for messages, password hidden).
        self.url: str | None = str(path) if pg.is_postgres_url(str(path)) else None
        self.path = Path(path) if self.url is None else Path(redacted(str(path)))
        # The signing keys, outside the database (read when first needed: serve, enrol, seal): beside
        # server.db, or for PostgreSQL in the server user's config folder; --key-file overrides both.
        self.keys = ServerKeys(key_file or (default_key_path(self.path) if self.url is None else pg_key_path()))
        self.now_ms = now_ms
        self.lock = threading.RLock()
        self._store: Store | None = None
        # PostgreSQL: a second connection for the reads of pulls and request checks (and the one-statement
        # nonce writes), so they do not queue behind a push's write transaction (on PostgreSQL a read
        # sees what is committed, and server sequence numbers are committed in order — one writer at a
        # time, under the advisory lock — so a pull never skips a change).
        self._reader: Store | None = None
        self._read_lock = threading.Lock()
        self._writing = _Depth()                 # this thread is inside transaction()
        self._server_seq = 0
        self._nonces = 0

    # ------------------------------------------------------------------ lifecycle

    def _connect(self, create: bool) -> Any:
        if self.url is not None:
            return pg.PgConnection(self.url) if create else self._pg_existing()
        if not create and not self.path.exists():
            raise StateError("server.not_initialised", f"服务器数据库不存在：{self.path}（请先运行 init）",
                             f"No server database at {self.path} (run init first)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlcipher3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        try:   # read before anything is written: an empty or foreign file is left as it was
            ours = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        except sqlcipher3.DatabaseError as exc:   # another file (a laptop's encrypted lehe.db …) or damaged
            conn.close()
            raise self._unreadable() from exc
        if ours is None and not create:   # an empty file, another program's database
            conn.close()
            raise self._unreadable()
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA cache_size = -64000")
        # Checkpoint every ~40 MB of log instead of every 4 MB: a 5000-change push no longer copies
        # its pages into the database file (with an fsync) at each commit, and pages written by
        # several pushes are copied once. The log file is cut back to 64 MB after a checkpoint.
        conn.execute("PRAGMA wal_autocheckpoint = 10000")
        conn.execute("PRAGMA journal_size_limit = 67108864")
        # Foreign keys stay off on the server: it stores and forwards whatever arrives, in order.
        conn.execute("PRAGMA foreign_keys = OFF")
        return conn

    def _unreadable(self) -> StorageError:
        return StorageError("server.db_unreadable", f"服务器数据库无法读取（不是服务器数据库，或已损坏）：{self.path}",
                            f"The server database cannot be read (not a server database, or damaged): {self.path}")

    def _pg_existing(self) -> pg.PgConnection:
        assert self.url is not None
        with translate_errors("打开数据库", "Opening the database"):
            conn = pg.PgConnection(self.url)
        if pg.schema_version(conn.raw) == 0:
            conn.close()
            raise StateError("server.not_initialised", f"服务器数据库不存在：{self.path}（请先运行 init）",
                             f"No server database at {self.path} (run init first)")
        return conn

    def _pg_schema_up(self, conn: Any) -> None:
        """PostgreSQL: add the tables, columns and indexes this version's schema has (in a transaction)."""
        pg.upgrade(conn.raw, pg_reference_schema())

    def init(self) -> None:
        conn = self.create_empty()
        # A PostgreSQL server's processes share one key file, which another database may have made.
        if self.url is None or not self.keys.exists():
            self.keys.create()
        with translate_errors("初始化服务器", "Initialising the server"):
            conn.execute("BEGIN IMMEDIATE")
            self.create_schema(conn)
            seed_vocab(conn)
            conn.executemany("INSERT INTO meta(k, v) VALUES (?, ?)", [
                ("device_id", f"server-{uuid.uuid4()}"), ("epoch", str(uuid.uuid4())),
                ("server_schema", str(SERVER_SCHEMA)), ("min_client_schema", "1"), ("min_app", "")])
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        conn.close()
        if self.url is None:
            self.path.chmod(0o600)

    def create_empty(self) -> Any:
        """A connection to a new, empty database (refused when a server database is there already)."""
        if self.url is None and self.path.exists():
            raise StateError("server.exists", f"服务器数据库已存在：{self.path}", f"Server database already exists: {self.path}")
        conn = self._connect(create=True)
        if self.url is not None and pg.schema_version(conn.raw) != 0:
            conn.close()
            raise StateError("server.exists", f"服务器数据库已存在：{self.path}", f"Server database already exists: {self.path}")
        return conn

    def create_schema(self, conn: Any) -> None:
        """Every table and index of this version, empty (inside the caller's transaction)."""
        if self.url is not None:
            self._pg_schema_up(conn)
            return
        for _n, _t, step in MIGRATIONS:
            step(conn)
        _server_tables(conn)
        for _number, ddl in SERVER_MIGRATIONS:
            conn.execute(ddl)

    def migrate(self) -> int:
        """Bring an older server database up to this version's schema; returns the new version."""
        conn = self._connect(create=False)
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current > SCHEMA_VERSION:
            conn.close()
            raise VersionError("server.db_too_new", "服务器数据库比本程序新，请升级服务器程序",
                               "The server database is newer than this program; upgrade the server")
        server_current = _server_schema(conn)
        self._move_key_out(conn)
        self._move_enc_key_out(conn)
        if current < SCHEMA_VERSION or server_current < SERVER_SCHEMA:
            with translate_errors("升级数据库", "Upgrading the database"):
                conn.execute("BEGIN IMMEDIATE")
                if self.url is not None:
                    self._pg_schema_up(conn)
                else:
                    for number, _t, step in MIGRATIONS:
                        if number > current:
                            step(conn)
                    for number, ddl in SERVER_MIGRATIONS:
                        if number > server_current:
                            conn.execute(ddl)
                seed_vocab(conn)
                conn.execute("INSERT OR REPLACE INTO meta(k, v) VALUES ('server_schema', ?)", (str(SERVER_SCHEMA),))
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
        conn.close()
        return SCHEMA_VERSION

    def _move_key_out(self, conn: sqlcipher3.Connection) -> None:
        """Before server schema 4 the signing key was a meta row: write it to the key file (the
        migration then deletes the row). A key file already there must hold that key."""
        row = conn.execute("SELECT v FROM meta WHERE k = 'server_private_key'").fetchone()
        if not row or not row[0]:
            return
        if not self.keys.exists():
            self.keys.create(row[0], owner_of=self.path)
            return
        if P.public_b64(P.load_private(row[0])) not in self.keys.load().publics():
            conn.close()
            raise StateError("server.key_mismatch",
                             f"数据库里的签名密钥与密钥文件 {self.keys.path} 中的不同：请用 --key-file 指向这个数据库的密钥文件，"
                             "或把现有的密钥文件移走后再运行 migrate",
                             f"The signing key in the database differs from the one in {self.keys.path}: point "
                             "--key-file at this database's key file, or move the existing file away and run "
                             "migrate again")

    def _move_enc_key_out(self, conn: Any) -> None:
        """Before server schema 10 the bundles' X25519 key (and any rotated ones) were meta rows:
        write them to the key file, then delete the rows (server migration 10 on SQLite; here too,
        for PostgreSQL, whose schema steps are not these statements). A key file without an
        encryption key gets one now, not at the first request (server processes would race)."""
        rows = dict(conn.execute("SELECT k, v FROM meta WHERE k IN ('server_enc_key', 'server_enc_key_old')")
                    .fetchall())
        current, old = rows.get("server_enc_key") or None, str(rows.get("server_enc_key_old") or "").split()
        if current or old:
            self.keys.adopt_enc(current, old)
            conn.execute("DELETE FROM meta WHERE k IN ('server_enc_key', 'server_enc_key_old')")
        elif self.keys.exists():
            self.keys.adopt_enc(None, [])     # a key file from before bundles: its encryption key, made once here

    def open(self) -> ServerStorage:
        conn = self._connect(create=False)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION and _server_schema(conn) < SERVER_SCHEMA:
            version = -1     # the server's own tables are older: the same advice
        if version != SCHEMA_VERSION:
            conn.close()
            if version < SCHEMA_VERSION:
                raise VersionError("server.needs_migrate", "服务器数据库需要升级：请运行 lehe-server migrate",
                                   "The server database needs upgrading: run lehe-server migrate")
            raise VersionError("server.db_too_new", "服务器数据库比本程序新，请升级服务器程序",
                               "The server database is newer than this program; upgrade the server")
        self._store = Store(conn, user="server")
        self._server_seq = conn.execute(_HIGH_WATER).fetchone()[0]
        if self.url is not None:
            second: Any = self._pg_existing()       # speaks the sqlcipher3 surface the Store calls
            self._reader = Store(second, user="server")
        return self

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._store is not None:
            self._store.close()
            self._store = None

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The store to read committed data from: the reader connection (PostgreSQL) under its own
        lock, else — SQLite, or inside this thread's write transaction, which must see its own
        writes — the one store under the server's lock."""
        reader = self._reader
        if reader is None or self._writing.depth:
            with self.lock:
                yield self.store
            return
        with self._read_lock:
            yield reader

    @property
    def store(self) -> Store:
        assert self._store is not None, "open() first"
        return self._store

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        with self.lock, self.store.transaction():
            if self.store.transaction_depth == 1:
                self._refresh()
            self._writing.depth += 1
            try:
                yield self.store
            finally:
                self._writing.depth -= 1

    def _refresh(self) -> None:
        # The admin CLI may have written (add-area) through another connection while we serve:
        # re-read the counters under the write lock so numbers are never handed out twice.
        self._server_seq = self.store.query_value(_HIGH_WATER)
        self.store.reload_counters()

    def meta(self, key: str) -> str | None:
        with self.reading() as store:
            row = store.query_one("SELECT v FROM meta WHERE k = ?", (key,))
        return row[0] if row else None

    def metas(self, *keys: str) -> dict[str, str]:
        """Several meta values in one read (the missing ones are left out)."""
        with self.reading() as store:
            return {k: v for k, v in store.query(
                f"SELECT k, v FROM meta WHERE k IN ({', '.join('?' * len(keys))})", keys)}

    def set_meta(self, key: str, value: str) -> None:
        with self.lock:
            self.store.set_meta(key, value)

    @property
    def epoch(self) -> str:
        return self.store.epoch

    def next_server_seq(self) -> int:
        self._server_seq += 1
        return self._server_seq

    def high_water(self) -> int:
        with self.reading() as store:
            return int(store.query_value(_HIGH_WATER))

    # ------------------------------------------------------------------ request authentication

    def use_nonce(self, nonce: str, device_id: str, expires_ms: int) -> bool:
        """Record a signed request's nonce; False when it was seen before (a replay). Expired nonces
        are pruned now and then (their requests are refused by their time anyway)."""
        # One statement each, no write transaction of the store's (no counters, change log or purges
        # are involved): one round trip to PostgreSQL instead of seven, at every signed request, on
        # the reader connection (it commits by itself), so it does not wait for a push to finish.
        with self.reading() as store:
            fresh = store.execute_alone("INSERT OR IGNORE INTO auth_nonces(nonce, device_id, expires_ms) "
                                        "VALUES (?,?,?)", (nonce, device_id, expires_ms)) == 1
            self._nonces += 1
            if self._nonces % NONCE_PRUNE_EVERY == 1:
                store.execute_alone("DELETE FROM auth_nonces WHERE expires_ms < ?", (self.now_ms(),))
        return fresh

    def auth_failure(self, addr: str, code: str, window_ms: int) -> None:
        """Count one failed enrolment or signature from ``addr`` (rows older than the window go)."""
        now = self.now_ms()
        with self.transaction() as st:
            st.execute("INSERT INTO auth_failures(addr, at_ms, code) VALUES (?,?,?)", (addr, now, code))
            st.execute("DELETE FROM auth_failures WHERE at_ms <= ?", (now - window_ms,))

    def auth_retry_after(self, addr: str, limit: int, window_ms: int) -> int | None:
        """Milliseconds until ``addr`` may try again when it failed ``limit`` times within the window."""
        now = self.now_ms()
        with self.lock:
            rows = self.store.query("SELECT at_ms FROM auth_failures WHERE addr = ? AND at_ms > ? "
                                    "ORDER BY at_ms DESC LIMIT ?", (addr, now - window_ms, limit))
        if len(rows) < limit:
            return None
        return max(1, int(rows[-1][0]) + window_ms - now)

    # ------------------------------------------------------------------ merge

    def merger(self, resolver: ScopeResolver, admit: Admit | None = None) -> Merger:
        return Merger(self.store, server=True, now_ms=self.now_ms, next_server_seq=self.next_server_seq,
                      scope_of=resolver.resolve_and_remember, admit=admit)

    def stamp_local(self) -> int:
        """Number the server's own changes (add-area, conflict records) so devices pull them."""
        resolver = ScopeResolver(self.store)
        n = 0
        with self.transaction() as st:
            rows = st.query(f"SELECT id, {CHANGE_COLUMNS} FROM changes WHERE server_seq IS NULL "
                                   "AND origin = ? AND status = 'applied' ORDER BY seq", (st.origin,))
            made = []
            for r in rows:
                ch = change_from_row(r[1:])
                made.append(ch)
                scope = resolver.resolve_and_remember(ch)
                st.execute("UPDATE changes SET server_seq = ?, scope = ? WHERE id = ?",
                                (self.next_server_seq(), scope, r[0]))
                n += 1
            resolver.flush()
            self.seal(made)
        return n

    # ------------------------------------------------------------------ batch proofs

    def seal(self, made: list[Change]) -> None:
        """Sign the server's own new changes (areas, conflict records) as one batch, so laptops can
        pass them on with a proof like any device's (inside the caller's transaction)."""
        if not made:
            return
        digests = [proof.change_digest(ch) for ch in made]
        batch = proof.sign_batch(self.keys.signer(), self.store.device_id, digests)
        blob = b"".join(digests)
        bid = self.save_batch(proof.batch_key(batch.device, blob, batch.sig), batch.device, blob, batch.sig)
        self.store.executemany("UPDATE changes SET batch = ?, digest = ? WHERE origin = ? AND seq = ?",
                               [(bid, d, ch.origin, ch.seq) for ch, d in zip(made, digests, strict=True)])

    def batch_id(self, key: bytes) -> int | None:
        """The stored batch with this identity (``proof.batch_key``): its signature was checked."""
        with self.lock:
            got = self.store.query_value("SELECT id FROM batches WHERE key = ?", (key,))
        return int(got) if got is not None else None

    def save_batch(self, key: bytes, device: str, blob: bytes, sig: str) -> int:
        with self.lock:
            self.store.execute("INSERT OR IGNORE INTO batches(key, device, digests, sig) VALUES (?,?,?,?)",
                               (key, device, blob, sig))
            return int(self.store.query_value("SELECT id FROM batches WHERE key = ?", (key,)))

    def batches(self, ids: list[int]) -> dict[int, Batch]:
        """Stored batches by id, as they go out in pull replies."""
        out: dict[int, Batch] = {}
        with self.reading() as store:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                for bid, device, blob, sig in store.query(
                        f"SELECT id, device, digests, sig FROM batches WHERE id IN ({', '.join('?' * len(chunk))})",
                        chunk):
                    out[bid] = Batch(device=device, digests=P.b64e(bytes(blob)), sig=sig)
        return out

    # ------------------------------------------------------------------ admin

    def add_area(self, path: str) -> str:
        with self.transaction() as st:
            aid = st.ensure_area(path)
        self.stamp_local()
        return aid

    def add_user(self, name: str, role: str, areas: list[str]) -> list[str]:
        """Add or update a user; returns the area paths that did not exist and were made for it."""
        name = name.strip()
        if not name:
            raise UsageError("user.name_empty", "用户名不能为空", "The user name is empty")
        if role not in ROLES:
            raise UsageError("user.role", f"角色必须是 {'/'.join(ROLES)}", f"Role must be one of {', '.join(ROLES)}")
        paths = [normalise_area_path(a) for a in areas if normalise_area_path(a)]
        if role != "admin" and not paths:
            raise UsageError("user.areas_empty", "请用 --areas 指定至少一个地区", "Give at least one area with --areas")
        with self.transaction() as st:
            made = [p for p in paths if not st.record_exists("area", area_id(p))]
            for p in paths:
                st.ensure_area(p)
            st.execute("INSERT INTO users(name, role, created_ms) VALUES (?, ?, ?) "
                            "ON CONFLICT(name) DO UPDATE SET role = excluded.role", (name, role, self.now_ms()))
            st.execute("DELETE FROM user_areas WHERE user = ?", (name,))
            st.executemany("INSERT INTO user_areas(user, path) VALUES (?, ?)", [(name, p) for p in paths])
        self.stamp_local()
        return made

    def user(self, name: str) -> tuple[str, list[str]] | None:
        with self.lock:
            row = self.store.query_one("SELECT role FROM users WHERE name = ?", (name,))
            if row is None:
                return None
            areas = [r[0] for r in self.store.query(
                "SELECT path FROM user_areas WHERE user = ? ORDER BY path", (name,))]
        return row[0], areas

    def enroll_code(self, name: str, hours: float, device_id: str | None = None) -> tuple[str, int]:
        """A one-time code for a new device, or (``device_id``) to re-enrol that known device."""
        if self.user(name) is None:
            raise NotFoundError("user.not_found", f"没有这个用户：{name}（请先 add-user）",
                                f"No such user: {name} (add-user first)")
        if device_id is not None and (not is_safe_device_id(device_id) or self.device(device_id) is None):
            raise NotFoundError("device.not_found", f"没有这个设备：{device_id!r}（见 devices）",
                                f"No such device: {device_id!r} (see devices)")
        if not 0 < hours <= MAX_CODE_HOURS:   # also NaN and infinity (which used to be error [internal])
            raise UsageError("code.expires", f"--expires 必须大于 0 小时，最多 {MAX_CODE_HOURS} 小时（一年）",
                             f"--expires must be more than 0 hours and at most {MAX_CODE_HOURS} (a year)")
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I: read aloud over the phone
        raw = "".join(secrets.choice(alphabet) for _ in range(16))
        code = "-".join(raw[i:i + 4] for i in range(0, 16, 4))
        now = self.now_ms()
        expires = now + int(hours * 3600 * 1000)
        with self.transaction() as st:
            st.execute("INSERT INTO enroll_codes(code_hash, user, created_ms, expires_ms, device_id) "
                       "VALUES (?,?,?,?,?)", (P.hash_code(code), name, now, expires, device_id))
        return code, expires

    def redeem_code(self, code: str, device_id: str) -> str:
        """Mark a code used (inside the caller's transaction); returns the user. Raises on bad codes."""
        from .errors import ApiError

        row = self.store.query_one("SELECT user, expires_ms, used_ms, device_id FROM enroll_codes WHERE code_hash = ?",
                                      (P.hash_code(code),))
        if row is None:
            raise ApiError(403, "enroll.code_invalid", "注册码无效", "The enrolment code is not valid")
        if row[2] is not None:
            raise ApiError(403, "enroll.code_used", "注册码已被使用过（每个码只能用一次）",
                           "The enrolment code has already been used (codes work once)")
        if row[1] <= self.now_ms():
            raise ApiError(403, "enroll.code_expired", "注册码已过期，请向管理员要新的",
                           "The enrolment code has expired; ask the administrator for a new one")
        known = self.store.query_one("SELECT 1 FROM devices WHERE device_id = ?", (device_id,)) is not None
        if row[3] is not None and row[3] != device_id:
            raise ApiError(403, "enroll.code_other_device", "这个注册码是给另一台设备的",
                           "This enrolment code was made for another device")
        if row[3] is None and known:
            # Never take over an enrolled device (its key, its user) with an ordinary code.
            raise ApiError(409, "enroll.device_known",
                           "这台设备已经注册过：请管理员为它生成专用注册码（enroll-code 用户名 --device 设备号）",
                           "This device is already enrolled: ask the administrator for a code made for it "
                           "(enroll-code NAME --device DEVICE_ID)")
        self.store.execute("UPDATE enroll_codes SET used_ms = ?, used_by = ? WHERE code_hash = ?",
                                (self.now_ms(), device_id, P.hash_code(code)))
        return row[0]

    def save_device(self, device_id: str, user: str, public_key: str, cert: dict[str, Any], sig: str) -> None:
        self.store.execute(
            "INSERT INTO devices(device_id, user, public_key, cert, cert_sig, expires_ms, revoked, enrolled_ms) "
            "VALUES (?,?,?,?,?,?,0,?) ON CONFLICT(device_id) DO UPDATE SET user = excluded.user, "
            "public_key = excluded.public_key, cert = excluded.cert, cert_sig = excluded.cert_sig, "
            "expires_ms = excluded.expires_ms, revoked = 0, enrolled_ms = excluded.enrolled_ms",
            (device_id, user, public_key, json.dumps(cert, ensure_ascii=False), sig, cert["expires_ms"],
             self.now_ms()))

    def device(self, device_id: str) -> Device | None:
        with self.reading() as store:
            # The device, its user's role and areas in one read (one round trip on PostgreSQL, at every request).
            rows = store.query(
                "SELECT d.device_id, d.user, u.role, d.public_key, d.revoked, d.expires_ms, d.epoch, d.schema, "
                "d.app_version, a.path FROM devices d LEFT JOIN users u ON u.name = d.user "
                "LEFT JOIN user_areas a ON a.user = d.user WHERE d.device_id = ? ORDER BY a.path", (device_id,))
        if not rows:
            return None
        row = rows[0]
        areas = [r[9] for r in rows if r[9] is not None]
        return Device(row[0], row[1], row[2] or "worker", areas, row[3], bool(row[4]), row[5], row[6], row[7],
                      row[8])

    def seen(self, device_id: str, *, epoch: str, app: str | None, schema: int | None, unacked: int | None) -> None:
        self.store.execute("UPDATE devices SET last_seen = ?, epoch = ?, app_version = ?, schema = ?, "
                                "unacked = ? WHERE device_id = ?",
                                (self.now_ms(), epoch, app, schema, unacked, device_id))

    def audit_head(self, origin: str) -> tuple[int, str] | None:
        """The audit chain head last accepted from ``origin``, if any."""
        row = self.store.query_one("SELECT seq, hash FROM audit_heads WHERE origin = ?", (origin,))
        return (int(row[0]), str(row[1])) if row else None

    def audit_report(self, device_id: str, origin: str, status: str, reason: str, seq: int, hash_: str) -> None:
        """Keep a checked head: adopted when it extends the known one (or starts one); else flagged."""
        now = self.now_ms()
        if status in ("ok", "new"):
            self.store.execute("INSERT INTO audit_heads(origin, device_id, seq, hash, at_ms) VALUES (?,?,?,?,?) "
                               "ON CONFLICT(origin) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                               "at_ms = excluded.at_ms", (origin, device_id, seq, hash_, now))
        elif status == "gap":
            self.store.execute("INSERT INTO audit_heads(origin, device_id, seq, hash, at_ms, flag, flag_reason, "
                               "flag_ms) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(origin) DO UPDATE SET seq = excluded.seq, "
                               "hash = excluded.hash, at_ms = excluded.at_ms, flag = excluded.flag, "
                               "flag_reason = excluded.flag_reason, flag_ms = excluded.flag_ms",
                               (origin, device_id, seq, hash_, now, status, reason, now))
        else:
            self.store.execute("UPDATE audit_heads SET flag = ?, flag_reason = ?, flag_ms = ? WHERE origin = ?",
                               (status, reason, now, origin))

    def audit_flags(self) -> list[dict[str, Any]]:
        """Laptops whose audit log was found cut, rewritten or with a gap (newest first)."""
        with self.lock:
            return self.store.query_dicts("SELECT origin, device_id, seq, flag, flag_reason, flag_ms FROM audit_heads "
                                          "WHERE flag IS NOT NULL ORDER BY flag_ms DESC")

    def revoke(self, device_id: str) -> None:
        with self.transaction() as st:
            if st.execute("UPDATE devices SET revoked = 1 WHERE device_id = ?", (device_id,)) == 0:
                raise NotFoundError("device.not_found", f"没有这个设备：{device_id}", f"No such device: {device_id}")

    def devices(self) -> list[dict[str, Any]]:
        with self.lock:
            rows = self.store.query(
                "SELECT d.device_id, d.user, u.role, d.last_seen, d.app_version, d.schema, d.unacked, d.revoked "
                "FROM devices d LEFT JOIN users u ON u.name = d.user ORDER BY d.enrolled_ms")
            out = []
            for dev, user, role, seen, app, schema, unacked, revoked in rows:
                held = self.store.query_value(
                    "SELECT count(*) FROM changes WHERE status <> 'applied' AND status = 'held' AND origin LIKE ?", (f"{dev}:%",))
                areas = [r[0] for r in self.store.query(
                    "SELECT path FROM user_areas WHERE user = ? ORDER BY path", (user,))]
                out.append({"device_id": dev, "user": user, "role": role, "areas": areas, "last_seen": _iso(seen),
                            "app_version": app, "schema": schema, "unacked": (unacked or 0) + held,
                            "revoked": bool(revoked)})
        return out

    def stats(self) -> dict[str, int]:
        with self.lock:
            return self.store.stats()

    def record_reject(self, ch: Change | None, origin: str, seq: int, code: str, zh: str, en: str) -> None:
        # A refused change's names may hold anything, U+0000 too, which PostgreSQL text cannot: kept as U+FFFD.
        self.store.execute(
            "INSERT OR REPLACE INTO rejects(origin, seq, rtype, rid, code, zh, en, at) VALUES (?,?,?,?,?,?,?,?)",
            (_no_nul(origin), seq, _no_nul(ch.rtype) if ch else None, _no_nul(ch.rid) if ch else None, code,
             _no_nul(zh), _no_nul(en), self.now_ms()))

    def pull(self, *, after: int, until: int, limit: int, origin: str, areas: list[str] | None,
             ) -> list[tuple[Any, ...]]:
        """Applied changes in ``(after, until]`` visible to a device, oldest first (not its own echo)."""
        sql = (f"SELECT server_seq, {CHANGE_COLUMNS}, batch FROM changes WHERE server_seq > ? AND server_seq <= ? "
               "AND origin <> ?")
        params: list[Any] = [after, until, origin]
        if areas is not None:
            # Fails closed: a change without a resolved area (NULL, from before the scope rules) or
            # with a marker never goes to a worker or coordinator.
            conds = []
            ancestors: set[str] = set()
            for a in areas:
                conds += ["scope = ?", "scope LIKE ? ESCAPE '\\'"]
                esc = a.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                params += [a, esc + "/%"]
                parts = a.split("/")
                ancestors.update("/".join(parts[:i]) for i in range(1, len(parts)))
            if ancestors:
                conds.append(f"(rtype = 'area' AND scope IN ({', '.join('?' * len(ancestors))}))")
                params += sorted(ancestors)
            # Records of no area (vocabulary items, and conflicts about them) go to every device.
            conds.append(f"(scope = ? AND rtype IN ({', '.join('?' * len(GLOBAL_SCOPED))}))")
            params += [GLOBAL, *sorted(GLOBAL_SCOPED)]
            sql += f" AND ({' OR '.join(conds) or '1 = 0'})"
        sql += " ORDER BY server_seq LIMIT ?"
        params.append(limit)
        with self.reading() as store:
            return store.query(sql, params)
