"""What a backup file holds, read from the file itself before anything is replaced.

A restore from the window first shows this summary (when the backup was made and by which app
version, the laptop it came from, its schema, how many records of each type it holds) and asks to
confirm. The file is opened read-only with this laptop's key (or, on a new laptop, the key its
header gave up to the passphrase or a recovery key: backup_file.py); nothing in it is changed, and a file
that is not a backup of this laptop (another key, damaged, not a database) is refused with a coded
reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3

from ..errors import NotFoundError, StorageError
from ..records.schema import all_types
from .backup import MADE_AT_KEY, MADE_BY_APP_KEY
from .backup_file import database_of
from .connection import connect


@dataclass(frozen=True)
class TypeCount:
    rtype: str
    zh: str
    en: str
    count: int          # live records (not in the bin)


@dataclass
class BackupSummary:
    path: Path
    size: int                              # bytes
    made_at: str                           # ISO 8601 UTC; the file's time for backups older than the stamp
    made_at_from_file: bool                # True: no stamp inside, the file's modification time instead
    app: str                               # app version that wrote it ("" when unknown)
    device_id: str
    worker_name: str
    schema: int
    last_change_at: str                    # the newest change recorded in it (ISO 8601 UTC, "" if none)
    counts: list[TypeCount] = field(default_factory=list)

    def count(self, rtype: str) -> int:
        return next((c.count for c in self.counts if c.rtype == rtype), 0)

    def as_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "size": self.size, "made_at": self.made_at,
                "made_at_from_file": self.made_at_from_file, "app": self.app, "device_id": self.device_id,
                "schema": self.schema, "last_change_at": self.last_change_at,
                "counts": {c.rtype: c.count for c in self.counts}}


def _iso_ms(ms: int | None) -> str:
    if not ms:
        return ""
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC).isoformat(timespec="seconds")


def read_summary(source: Path, key: bytes) -> BackupSummary:
    """The summary of the backup at ``source`` (opened read-only with ``key``)."""
    source = Path(source)
    if not source.is_file():
        raise NotFoundError("restore.missing", f"找不到备份文件：{source}", f"Backup file not found: {source}")
    with database_of(source) as database:   # a backup with its keys in a header: the database after it
        return _summary(source, database, key)


def _summary(source: Path, database: Path, key: bytes) -> BackupSummary:
    try:
        conn = connect(database, key, readonly=True)
    except StorageError as exc:
        raise StorageError("restore.unreadable", "备份文件无法用本机密钥打开，或已损坏",
                           "The backup cannot be opened with this laptop's key, or is damaged") from exc
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "meta" not in tables:
            raise StorageError("restore.not_a_backup", "这个文件不是乐和社工的备份",
                               "This file is not a Lehe Desktop backup")
        meta = dict(conn.execute("SELECT k, v FROM meta").fetchall())
        schema = int(conn.execute("PRAGMA user_version").fetchone()[0])
        counts = []
        for rt in all_types():
            if rt.table in tables:
                n = conn.execute(f"SELECT count(*) FROM {rt.table} WHERE deleted = 0").fetchone()[0]
                counts.append(TypeCount(rt.name, rt.zh, rt.en, int(n)))
        last_ms = conn.execute("SELECT max(wall_ms) FROM changes").fetchone()[0] if "changes" in tables else None
    except sqlcipher3.DatabaseError as exc:
        raise StorageError("restore.unreadable", "备份文件无法用本机密钥打开，或已损坏",
                           "The backup cannot be opened with this laptop's key, or is damaged") from exc
    finally:
        conn.close()
    stat = source.stat()
    made = meta.get(MADE_AT_KEY) or ""
    from_file = not made
    if from_file:
        made = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(timespec="seconds")
    return BackupSummary(path=source, size=stat.st_size, made_at=made, made_at_from_file=from_file,
                         app=meta.get(MADE_BY_APP_KEY) or "", device_id=meta.get("device_id") or "",
                         worker_name=meta.get("worker_name") or "", schema=schema,
                         last_change_at=_iso_ms(last_ms), counts=counts)
