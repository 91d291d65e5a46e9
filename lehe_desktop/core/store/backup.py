"""Encrypted backups through SQLite's online backup API, rotated automatically."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import sqlcipher3

from ... import __version__
from ..errors import StateError, StorageError
from .atomic import fsync_dir, require_folder
from .backup_file import make_header, write_with_header
from .connection import connect

log = logging.getLogger(__name__)
KEEP_AUTOMATIC = 10
BACKUP_STEP_PAGES = 256     # pages copied per step when progress is reported (1 MiB at 4 KiB pages)
# Written into every backup's meta table (never into the live database): a restore shows them first.
MADE_AT_KEY = "backup_made_at"
MADE_BY_APP_KEY = "backup_app"

BackupProgress = Callable[[int, int], None]   # (pages copied, pages in all); may raise to stop


def backup_target(out: Path) -> Path:
    """Where ``lehe-desktop backup OUT`` writes: a folder gets a timestamped file; never overwrite."""
    out = Path(out)
    require_folder(out if out.is_dir() else out.parent)
    if out.is_dir():
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        out = out / f"lehe-backup-{stamp}.lehe-backup"
    if out.exists() or out.is_symlink():
        raise StateError("backup.exists", f"文件已存在，不会覆盖：{out}",
                         f"The file already exists and will not be overwritten: {out}")
    return out


def backup_to(conn: sqlcipher3.Connection, key: bytes, out: Path, *,
              progress: BackupProgress | None = None, keys: Mapping[str, Any] | None = None) -> Path:
    """Copy the live database to ``out`` encrypted with the same key; atomic and durable.

    ``progress(copied, total)`` is called between steps of the copy; an exception it raises
    (a cancel) stops the backup, the half-written ``.part`` file is removed and it propagates.
    ``keys`` (keys.json's wrapped keys) go into the file's header, so it opens on another laptop
    with the passphrase or a recovery key (backup_file.py); without them: a bare database that
    only this laptop's keys.json opens.
    """
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError("backup.failed", f"无法创建备份文件夹：{out.parent}",
                           f"Cannot create the backup folder: {out.parent}") from exc
    part = out.with_name(out.name + ".part")
    bare = out.with_name(out.name + ".db.part") if keys else part
    try:
        for old in {part, bare}:
            old.unlink(missing_ok=True)
        # Made here first: a place that cannot be written (a read-only or pulled USB stick, no
        # permission) is then an OSError below, not SQLCipher's "wrong key or damaged file".
        bare.touch()
        target = connect(bare, key, create=True)
        try:
            if progress is None:
                conn.backup(target)
            else:
                conn.backup(target, pages=BACKUP_STEP_PAGES,
                            progress=lambda _status, remaining, total: progress(total - remaining, total))
            target.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            _stamp(target)
        finally:
            target.close()
        if keys:
            write_with_header(bare, make_header(keys, key), part)
            bare.unlink()
        with open(part, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, out)
        fsync_dir(out.parent)
    except (OSError, sqlcipher3.DatabaseError) as exc:
        part.unlink(missing_ok=True)
        bare.unlink(missing_ok=True)
        raise StorageError("backup.failed", f"备份失败：无法写入 {out}（磁盘已满、U盘只读或已拔出，或没有写入权限）",
                           f"Backup failed: cannot write {out} (disk full, USB stick read-only or removed, "
                           "or no permission)") from exc
    except BaseException:
        part.unlink(missing_ok=True)   # cancelled: nothing half-written stays behind
        bare.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):
        out.chmod(0o600)
    return out


def _stamp(target: sqlcipher3.Connection) -> None:
    """When and by which app version this backup was made, inside the backup itself."""
    if target.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
        return
    made = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    target.executemany("INSERT OR REPLACE INTO meta(k, v) VALUES (?, ?)",
                       [(MADE_AT_KEY, made), (MADE_BY_APP_KEY, __version__)])


def automatic_backup(conn: sqlcipher3.Connection, key: bytes, folder: Path, reason: str, *,
                     keys: Mapping[str, Any] | None = None) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = backup_to(conn, key, folder / f"auto-{stamp}-{reason}.lehe-backup", keys=keys)
    rotate(folder)
    log.info("automatic backup written (%s)", reason)
    return path


def rotate(folder: Path, keep: int = KEEP_AUTOMATIC) -> None:
    autos = sorted(folder.glob("auto-*.lehe-backup"))
    for old in autos[:-keep]:
        old.unlink(missing_ok=True)
