"""The one place that opens the SQLCipher database.

sqlcipher3 has its own exception classes (not sqlite3's); ``translate_errors`` turns them
into our StorageError so no SQLCipher noise ever reaches a user.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3

from ..errors import StorageError

log = logging.getLogger(__name__)

DatabaseError = sqlcipher3.DatabaseError

# sqlcipher3 binds None and bytes through its adapter protocol's slow path: two failed attribute
# lookups, each raising and clearing an exception — 4.5 µs per parameter, against 0.3 µs for a
# str. A record row has half a dozen empty columns, so that path cost a pull ~35 µs per change.
# An identity adapter is found by the first dictionary lookup instead (0.7 µs) and binds exactly
# the same value (NULL, BLOB). benchmarks/bench_sync.py and bench_store.py show the difference.
sqlcipher3.register_adapter(type(None), lambda value: value)
sqlcipher3.register_adapter(bytes, lambda value: value)


def _apply_key(conn: sqlcipher3.Connection, key: bytes) -> None:
    # A raw 256-bit key skips SQLCipher's own PBKDF2: our Argon2id already stretched it.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def connect(path: Path, key: bytes, *, create: bool = False, readonly: bool = False) -> sqlcipher3.Connection:
    if not create and not path.exists():
        raise StorageError("db.missing", f"找不到数据库：{path}", f"Database not found: {path}")
    try:
        if readonly:
            conn = sqlcipher3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                                      check_same_thread=False)
        else:
            conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        # SQLCipher logs HMAC/decrypt failures straight to stderr; our errors say it instead.
        conn.execute("PRAGMA cipher_log_level = NONE")
        _apply_key(conn, key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        log.warning("database open failed: %s", type(exc).__name__)
        raise StorageError("db.unreadable", "数据库无法打开：密钥不匹配或文件已损坏",
                           "The database cannot be opened: wrong key or damaged file") from exc
    return conn


def configure(conn: sqlcipher3.Connection) -> None:
    """Pragmas for a writable connection. Call after the schema version check."""
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a committed save survives a pulled power cable, not just a crashed app.
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -32000")


def translated(exc: sqlcipher3.DatabaseError, action_zh: str = "数据库操作",
               action_en: str = "Database operation") -> StorageError:
    """The coded StorageError a SQLCipher error stands for (logged; never its text to the user)."""
    if isinstance(exc, sqlcipher3.IntegrityError):
        log.warning("integrity error: %s", exc)
        return StorageError("db.integrity", f"{action_zh}失败：数据关联不一致",
                            f"{action_en} failed: inconsistent references")
    if isinstance(exc, sqlcipher3.OperationalError):
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            return StorageError("db.busy", "数据库正忙，请稍后再试", "The database is busy; try again")
        if "disk" in text or "full" in text or "i/o" in text:
            return StorageError("db.disk", f"{action_zh}失败：磁盘已满或无法写入",
                                f"{action_en} failed: the disk is full or not writable")
        log.error("operational error: %s", exc)
        return StorageError("db.operational", f"{action_zh}失败", f"{action_en} failed")
    log.error("database error: %s", type(exc).__name__)
    return StorageError("db.damaged", "数据库文件已损坏或无法读取", "The database file is damaged or unreadable")


@contextlib.contextmanager
def translate_errors(action_zh: str = "数据库操作", action_en: str = "Database operation") -> Iterator[None]:
    try:
        yield
    except sqlcipher3.DatabaseError as exc:
        raise translated(exc, action_zh, action_en) from exc
