"""The one place that opens the SQLCipher database.

sqlcipher3 has its own exception classes (not sqlite3's), which sqlite-utils does not
catch; ``translate_errors`` turns them into our StorageError so no SQLCipher noise ever
reaches a user, and ``open_database`` pre-answers the sqlite-utils feature probes that
would otherwise trip over them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3
import sqlite_utils

from ..errors import StorageError

log = logging.getLogger(__name__)

DatabaseError = sqlcipher3.DatabaseError


def _apply_key(conn: sqlcipher3.Connection, key: bytes) -> None:
    # A raw 256-bit key skips SQLCipher's own PBKDF2: our Argon2id already stretched it.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")


def connect(path: Path, key: bytes, *, create: bool = False, durable: bool = True,
            readonly: bool = False) -> sqlcipher3.Connection:
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


def configure(conn: sqlcipher3.Connection, *, durable: bool = True) -> None:
    """Pragmas for a writable connection. Call after the schema version check."""
    conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a committed save survives a pulled power cable, not just a crashed app.
    conn.execute(f"PRAGMA synchronous = {'FULL' if durable else 'NORMAL'}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA cache_size = -32000")


def open_database(conn: sqlcipher3.Connection) -> sqlite_utils.Database:
    db = sqlite_utils.Database(conn)
    # sqlite-utils probes these by catching sqlite3.OperationalError, which sqlcipher3 never
    # raises; SQLCipher 4 bundles a modern SQLite, so answer the probes up front.
    db._supports_strict = True  # type: ignore[attr-defined]
    db._supports_on_conflict = True  # type: ignore[attr-defined]
    return db


@contextlib.contextmanager
def translate_errors(action_zh: str = "数据库操作", action_en: str = "Database operation") -> Iterator[None]:
    try:
        yield
    except sqlcipher3.IntegrityError as exc:
        log.warning("integrity error: %s", exc)
        raise StorageError("db.integrity", f"{action_zh}失败：数据关联不一致", f"{action_en} failed: "
                           "inconsistent references") from exc
    except sqlcipher3.OperationalError as exc:
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            raise StorageError("db.busy", "数据库正忙，请稍后再试", "The database is busy; try again") from exc
        if "disk" in text or "full" in text or "i/o" in text:
            raise StorageError("db.disk", f"{action_zh}失败：磁盘已满或无法写入",
                               f"{action_en} failed: the disk is full or not writable") from exc
        log.error("operational error: %s", exc)
        raise StorageError("db.operational", f"{action_zh}失败", f"{action_en} failed") from exc
    except sqlcipher3.DatabaseError as exc:
        log.error("database error: %s", type(exc).__name__)
        raise StorageError("db.damaged", "数据库文件已损坏或无法读取",
                           "The database file is damaged or unreadable") from exc
