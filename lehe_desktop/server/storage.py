"""Server storage: the same record tables as the laptops (core migrations) plus the server's own.

Embedded SQLite by default (``--data-dir DIR`` → DIR/server.db, or ``--db sqlite:///path``).
Everything the app and the CLI need goes through ``ServerStorage`` so another backend
(PostgreSQL, a later issue) only has to provide the same methods.
"""

from __future__ import annotations

import json
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
from ..core.errors import NotFoundError, StateError, UsageError, VersionError
from ..core.ids import is_safe_device_id, normalise_area_path
from ..core.messages import CHANGE_COLUMNS, Batch, Change, change_from_row
from ..core.store.connection import translate_errors
from ..core.store.migrations import MIGRATIONS, SCHEMA_VERSION, seed_vocab
from ..core.store.store import Store
from ..core.sync import proof
from ..core.sync import protocol as P
from ..core.sync.merge import Admit, Merger
from .scope import ScopeResolver

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
    # Organisation recovery (server/escrow.py): each device's sealed keys, and who released them when.
    (4, "CREATE TABLE IF NOT EXISTS key_escrow (device_id TEXT PRIMARY KEY, blob TEXT NOT NULL, "
        "escrow_key TEXT NOT NULL, stored_ms INTEGER NOT NULL, released_ms INTEGER) WITHOUT ROWID"),
    (4, "CREATE TABLE IF NOT EXISTS recovery_log (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, "
        "admin TEXT NOT NULL, at_ms INTEGER NOT NULL, what TEXT NOT NULL)"),
]
SERVER_SCHEMA = SERVER_MIGRATIONS[-1][0]
ROLES = ("worker", "coordinator", "admin")
NONCE_PRUNE_EVERY = 500
# "IS NOT NULL" lets SQLite answer from the partial index on server_seq (schema 6).
_HIGH_WATER = "SELECT coalesce(max(server_seq), 0) FROM changes WHERE server_seq IS NOT NULL"


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


def _server_schema(conn: sqlcipher3.Connection) -> int:
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


def _iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))


def resolve_db_path(data_dir: str | None, db_url: str | None) -> Path:
    if db_url:
        if not db_url.startswith("sqlite:///"):
            raise UsageError("server.db_url", "目前只支持 sqlite:///路径", "Only sqlite:///PATH is supported for now")
        return Path(db_url[len("sqlite:///"):])
    if data_dir:
        return Path(data_dir) / "server.db"
    raise UsageError("server.no_db", "请指定 --data-dir 或 --db", "Give --data-dir or --db")


class ServerStorage:
    """One server database. Thread-safe: every public method takes the lock."""

    def __init__(self, path: Path, *, now_ms: Any = hlc_mod.now_ms) -> None:
        self.path = Path(path)
        self.now_ms = now_ms
        self.lock = threading.RLock()
        self._store: Store | None = None
        self._server_seq = 0
        self._nonces = 0

    # ------------------------------------------------------------------ lifecycle

    def _connect(self, create: bool) -> sqlcipher3.Connection:
        if not create and not self.path.exists():
            raise StateError("server.not_initialised", f"服务器数据库不存在：{self.path}（请先运行 init）",
                             f"No server database at {self.path} (run init first)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlcipher3.connect(str(self.path), isolation_level=None, check_same_thread=False)
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

    def init(self) -> None:
        if self.path.exists():
            raise StateError("server.exists", f"服务器数据库已存在：{self.path}", f"Server database already exists: {self.path}")
        conn = self._connect(create=True)
        with translate_errors("初始化服务器", "Initialising the server"):
            conn.execute("BEGIN IMMEDIATE")
            for _n, _t, step in MIGRATIONS:
                step(conn)
            seed_vocab(conn)
            _server_tables(conn)
            for _number, ddl in SERVER_MIGRATIONS:
                conn.execute(ddl)
            key = P.new_private_key()
            conn.executemany("INSERT INTO meta(k, v) VALUES (?, ?)", [
                ("device_id", f"server-{uuid.uuid4()}"), ("epoch", str(uuid.uuid4())),
                ("server_private_key", P.b64e(P.private_bytes(key))), ("server_public_key", P.public_b64(key)),
                ("server_schema", str(SERVER_SCHEMA)), ("min_client_schema", "1"), ("min_app", "")])
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        conn.close()
        self.path.chmod(0o600)

    def migrate(self) -> int:
        """Bring an older server database up to this version's schema; returns the new version."""
        conn = self._connect(create=False)
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current > SCHEMA_VERSION:
            conn.close()
            raise VersionError("server.db_too_new", "服务器数据库比本程序新，请升级服务器程序",
                               "The server database is newer than this program; upgrade the server")
        server_current = _server_schema(conn)
        if current < SCHEMA_VERSION or server_current < SERVER_SCHEMA:
            with translate_errors("升级数据库", "Upgrading the database"):
                conn.execute("BEGIN IMMEDIATE")
                for number, _t, step in MIGRATIONS:
                    if number > current:
                        step(conn)
                seed_vocab(conn)
                for number, ddl in SERVER_MIGRATIONS:
                    if number > server_current:
                        conn.execute(ddl)
                conn.execute("INSERT OR REPLACE INTO meta(k, v) VALUES ('server_schema', ?)", (str(SERVER_SCHEMA),))
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.execute("COMMIT")
        conn.close()
        return SCHEMA_VERSION

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
        return self

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    @property
    def store(self) -> Store:
        assert self._store is not None, "open() first"
        return self._store

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        with self.lock, self.store.transaction():
            if self.store.transaction_depth == 1:
                self._refresh()
            yield self.store

    def _refresh(self) -> None:
        # The admin CLI may have written (add-area) through another connection while we serve:
        # re-read the counters under the write lock so numbers are never handed out twice.
        self._server_seq = self.store.query_value(_HIGH_WATER)
        self.store.reload_counters()

    def meta(self, key: str) -> str | None:
        with self.lock:
            row = self.store.query_one("SELECT v FROM meta WHERE k = ?", (key,))
        return row[0] if row else None

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
        with self.lock:
            return int(self.store.query_value(_HIGH_WATER))

    # ------------------------------------------------------------------ request authentication

    def use_nonce(self, nonce: str, device_id: str, expires_ms: int) -> bool:
        """Record a signed request's nonce; False when it was seen before (a replay). Expired nonces
        are pruned now and then (their requests are refused by their time anyway)."""
        with self.transaction() as st:
            fresh = st.execute("INSERT OR IGNORE INTO auth_nonces(nonce, device_id, expires_ms) VALUES (?,?,?)",
                               (nonce, device_id, expires_ms)) == 1
            self._nonces += 1
            if self._nonces % NONCE_PRUNE_EVERY == 1:
                st.execute("DELETE FROM auth_nonces WHERE expires_ms < ?", (self.now_ms(),))
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
        key = P.load_private(self.meta("server_private_key") or "")
        batch = proof.sign_batch(key, self.store.device_id, digests)
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
        with self.lock:
            for i in range(0, len(ids), 500):
                chunk = ids[i:i + 500]
                for bid, device, blob, sig in self.store.query(
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

    def add_user(self, name: str, role: str, areas: list[str]) -> None:
        name = name.strip()
        if not name:
            raise UsageError("user.name_empty", "用户名不能为空", "The user name is empty")
        if role not in ROLES:
            raise UsageError("user.role", f"角色必须是 {'/'.join(ROLES)}", f"Role must be one of {', '.join(ROLES)}")
        paths = [normalise_area_path(a) for a in areas if normalise_area_path(a)]
        if role != "admin" and not paths:
            raise UsageError("user.areas_empty", "请用 --areas 指定至少一个地区", "Give at least one area with --areas")
        with self.transaction() as st:
            for p in paths:
                st.ensure_area(p)
            st.execute("INSERT INTO users(name, role, created_ms) VALUES (?, ?, ?) "
                            "ON CONFLICT(name) DO UPDATE SET role = excluded.role", (name, role, self.now_ms()))
            st.execute("DELETE FROM user_areas WHERE user = ?", (name,))
            st.executemany("INSERT INTO user_areas(user, path) VALUES (?, ?)", [(name, p) for p in paths])
        self.stamp_local()

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
        if not hours > 0:
            raise UsageError("code.expires", "--expires 必须大于 0 小时", "--expires must be more than 0 hours")
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
        with self.lock:
            row = self.store.query_one(
                "SELECT d.device_id, d.user, u.role, d.public_key, d.revoked, d.expires_ms, d.epoch, d.schema, "
                "d.app_version FROM devices d LEFT JOIN users u ON u.name = d.user WHERE d.device_id = ?",
                (device_id,))
            if row is None:
                return None
            areas = [r[0] for r in self.store.query(
                "SELECT path FROM user_areas WHERE user = ? ORDER BY path", (row[1],))]
        return Device(row[0], row[1], row[2] or "worker", areas, row[3], bool(row[4]), row[5], row[6], row[7],
                      row[8])

    def seen(self, device_id: str, *, epoch: str, app: str | None, schema: int | None, unacked: int | None) -> None:
        self.store.execute("UPDATE devices SET last_seen = ?, epoch = ?, app_version = ?, schema = ?, "
                                "unacked = ? WHERE device_id = ?",
                                (self.now_ms(), epoch, app, schema, unacked, device_id))

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
        self.store.execute(
            "INSERT OR REPLACE INTO rejects(origin, seq, rtype, rid, code, zh, en, at) VALUES (?,?,?,?,?,?,?,?)",
            (origin, seq, ch.rtype if ch else None, ch.rid if ch else None, code, zh, en, self.now_ms()))

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
            sql += f" AND ({' OR '.join(conds) or '0'})"
        sql += " ORDER BY server_seq LIMIT ?"
        params.append(limit)
        with self.lock:
            return self.store.query(sql, params)
