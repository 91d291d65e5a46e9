"""Setting up, unlocking, migrating, backing up and restoring the encrypted database."""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3

from ..errors import StateError, StorageError, ValidationError, VersionError
from ..paths import DataPaths
from . import backup as backups
from . import backup_file
from .atomic import fsync_dir
from .connection import configure, connect, translate_errors
from .keys import KeyFile, check_passphrase
from .migrations import MIGRATIONS, SCHEMA_VERSION, seed_vocab
from .store import Store

log = logging.getLogger(__name__)


def keyfile(paths: DataPaths) -> KeyFile:
    return KeyFile(paths.keyfile, paths.unlock_state)


def key_entries(paths: DataPaths) -> dict[str, Any] | None:
    """keys.json's wrapped keys for a backup's header (None when there is no readable keys.json)."""
    kf = keyfile(paths)
    if not kf.exists():
        return None
    try:
        return kf.entries()
    except StorageError:
        return None


def is_set_up(paths: DataPaths) -> bool:
    return paths.keyfile.exists() and paths.database.exists()


def setup(paths: DataPaths, passphrase: str, *, worker_name: str | None = None) -> tuple[Store, str]:
    """First run: a random database key, wrapped twice; returns the store and the recovery key."""
    paths.ensure()
    if paths.database.exists():
        raise StateError("setup.exists", "此文件夹中已有数据库", "A database already exists in this folder")
    kf = keyfile(paths)
    if kf.exists():
        # Either an interrupted set-up or a lost lehe.db: then this key is the only way to open
        # the backups, so it is kept aside, never deleted.
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        paths.keyfile.replace(paths.keyfile.with_name(f"{paths.keyfile.name}.replaced-{stamp}"))
    db_key, recovery = kf.create(passphrase)
    conn = connect(paths.database, db_key, create=True)
    try:
        configure(conn)
        _migrate(conn, paths, db_key, fresh=True, worker_name=worker_name)
    except BaseException:
        conn.close()
        raise
    log.info("database created (schema %s)", SCHEMA_VERSION)
    return Store(conn, user=worker_name), recovery


def _init_identity(conn: sqlcipher3.Connection, worker_name: str | None) -> None:
    conn.executemany("INSERT OR REPLACE INTO meta(k, v) VALUES (?, ?)", [
        ("device_id", str(uuid.uuid4())), ("epoch", str(uuid.uuid4())),
        ("worker_name", worker_name or ""), ("created_schema", str(SCHEMA_VERSION))])


def open_with_key(paths: DataPaths, db_key: bytes, *, tidy: bool = True) -> Store:
    if tidy:   # not while a restore holds its unpacked backup beside the database
        remove_leftovers(paths)
    conn = connect(paths.database, db_key)
    try:
        # A damaged page may only show up here (sqlcipher3's own exceptions): say so with a code.
        with translate_errors("打开数据库", "Opening the database"):
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                # Refuse before touching anything (not even the journal mode).
                raise VersionError("db.too_new", f"数据库版本（{version}）比本程序新（{SCHEMA_VERSION}），请升级程序",
                                   f"The database (schema {version}) is newer than this app ({SCHEMA_VERSION}); "
                                   "please upgrade the app")
            configure(conn)
            if version < SCHEMA_VERSION:
                _migrate(conn, paths, db_key, fresh=False)
            meta = dict(conn.execute("SELECT k, v FROM meta").fetchall())
            return Store(conn, user=meta.get("worker_name") or None)
    except BaseException:
        conn.close()
        raise


def require_set_up(paths: DataPaths) -> None:
    """Say "not set up" before asking for a passphrase that could not open anything."""
    if paths.keyfile.exists() and not paths.database.exists():
        # The key is still here but the data is gone: a new set-up is the wrong advice.
        raise StateError("setup.database_missing",
                         "数据库文件不见了，但密钥还在：请用 restore 恢复最近的备份（不要重新设置）",
                         "The database file is missing but its key is here: restore the latest backup "
                         "with `restore` (do not set up again)")
    if not is_set_up(paths):
        raise StateError("setup.missing", "尚未设置：请先运行程序完成初始设置",
                         "Not set up yet: run the app once to create the database")


def unlock(paths: DataPaths, passphrase: str) -> Store:
    require_set_up(paths)
    store = open_with_key(paths, keyfile(paths).unlock(passphrase))
    signed_in(paths, store, "passphrase")
    return store


def signed_in(paths: DataPaths, store: Store, method: str) -> None:
    """Audit a sign-in (schema 10), with the failed attempts counted while the database was locked
    (unlock-state.json) entered first and then cleared."""
    if not store.audits:
        return
    kf = keyfile(paths)
    failed = kf.unaudited()
    if failed:
        store.audit("sign_in_failed", {"count": failed})
    store.audit("sign_in", {"method": method})
    if failed:
        kf.clear_unaudited(failed)


def unlock_with_recovery(paths: DataPaths, recovery_key: str, new_passphrase: str) -> Store:
    kf = keyfile(paths)
    db_key = kf.unlock_with_recovery(recovery_key)
    store = open_with_key(paths, db_key)
    kf.change_passphrase(db_key, new_passphrase)
    signed_in(paths, store, "recovery_key")
    store.audit("passphrase", {"change": "reset with the recovery key"})
    log.info("passphrase reset with the recovery key")
    return store


def change_passphrase(paths: DataPaths, old: str, new: str) -> None:
    kf = keyfile(paths)
    db_key = kf.unlock(old)
    kf.change_passphrase(db_key, new)
    log.info("passphrase changed")


def _migrate(conn: sqlcipher3.Connection, paths: DataPaths, db_key: bytes, *, fresh: bool,
             worker_name: str | None = None) -> None:
    """Step the schema up in ONE transaction; an interrupted upgrade leaves the old schema."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if not fresh and current < SCHEMA_VERSION:
        backups.automatic_backup(conn, db_key, paths.backups, f"pre-migrate-v{current}",
                                 keys=key_entries(paths))
    with translate_errors("升级数据库", "Upgrading the database"):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for number, title, step in MIGRATIONS:
                if number <= current:
                    continue
                log.info("migrating to schema %s: %s", number, title)
                step(conn)
            seed_vocab(conn)
            if fresh:
                # Identity is written with the schema, so a half-made database cannot exist.
                _init_identity(conn, worker_name)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def backup(store: Store, db_key: bytes, out: Path, *, paths: DataPaths | None = None) -> Path:
    """A backup file; with ``paths`` it carries keys.json's wrapped keys and opens on any laptop."""
    store.audit("backup", {"file": Path(out).name})     # in the log before the copy: the backup holds it
    return store.backup_to(db_key, out, keys=key_entries(paths) if paths is not None else None)


RestoreStep = Callable[[str], None]
# The steps of a restore, in order; a test hook is called after each (it may kill the process).
RESTORE_STEPS = ("probed", "pre_restore_backup", "staged", "new_epoch", "swapped")


def restore(paths: DataPaths, db_key: bytes, source: Path, *, after_step: RestoreStep | None = None) -> Store:
    """Replace the live database with a backup, giving it a new epoch.

    The new epoch lets sync tell a restored laptop from the live one: changes made after
    the backup was taken and already sent are not re-used under the same sequence numbers.
    The epoch is written into the staged copy *before* it replaces the live file, so the rename
    is the one commit point: killed before it, the laptop keeps its old database and epoch;
    killed after it, the restored database already has its new epoch. Leftovers of a killed
    restore or backup are removed at the next unlock (``remove_leftovers``).
    """
    step = after_step or (lambda _name: None)
    source = Path(source)
    with backup_file.database_of(source, _unpacking(paths)) as database:
        _probe(database, db_key)
        step("probed")
        # Keep the current database as an automatic backup before replacing it.
        if paths.database.exists():
            try:
                live = open_with_key(paths, db_key, tidy=False)
                try:
                    live.automatic_backup(db_key, paths.backups, "pre-restore", keys=key_entries(paths))
                finally:
                    live.close()   # a clean close folds the write-ahead log into the file
            except StorageError:
                log.warning("live database unreadable; restoring over it")
        step("pre_restore_backup")
        _stage(paths, database, db_key, step)
    _swap(paths, step)
    log.info("database restored from backup; new epoch")
    return _audited_restore(open_with_key(paths, db_key), source)


def restore_new(paths: DataPaths, source: Path, new_passphrase: str, *, passphrase: str | None = None,
                recovery_key: str | None = None, after_step: RestoreStep | None = None) -> Store:
    """Restore a backup on a laptop that never saw it (no keys.json, no database here).

    The backup's header is opened with the passphrase it was made under or a recovery key (the
    worker's or the organisation's); the laptop gets a keys.json under ``new_passphrase`` that keeps
    the backup's recovery wraps. Like ``restore`` it comes back with a new epoch, as the same device
    (its sync enrolment is inside the database). Nothing is written before every check passed;
    keys.json is written before the database appears, and removed again if that fails.
    """
    step = after_step or (lambda _name: None)
    source = Path(source)
    if paths.keyfile.exists() or paths.database.exists():
        raise StateError("restore.set_up",
                         "此文件夹已经设置过：请在设置页用本机密码恢复，或换一个空的数据文件夹",
                         "This folder is already set up: restore with this laptop's passphrase, or use an "
                         "empty data folder")
    header = backup_file.require_header(source)
    db_key = backup_file.open_key(header, passphrase=passphrase, recovery_key=recovery_key)
    kf = keyfile(paths)
    problems = [p for p in check_passphrase(new_passphrase) if p.is_error]
    if problems:
        raise ValidationError(problems)
    paths.ensure()
    try:
        with backup_file.database_of(source, _unpacking(paths)) as database:
            _probe(database, db_key)
            step("probed")
            step("pre_restore_backup")
            _stage(paths, database, db_key, step)
        kf.adopt(db_key, new_passphrase, backup_file.key_entries(header))
        _swap(paths, step)
    except BaseException:
        if not paths.database.exists():      # before the commit point: leave the folder as it was
            paths.keyfile.unlink(missing_ok=True)
            _remove_staged(paths)
        raise
    log.info("backup restored on a new laptop; new epoch")
    return _audited_restore(open_with_key(paths, db_key), Path(source))


def read_backup_key(source: Path, *, passphrase: str | None = None, recovery_key: str | None = None) -> bytes:
    """The database key of a backup that carries its keys (format 2), opened with either secret."""
    header = backup_file.require_header(Path(source))
    return backup_file.open_key(header, passphrase=passphrase, recovery_key=recovery_key)


def _probe(database: Path, db_key: bytes) -> None:
    try:
        probe = connect(database, db_key, readonly=True)
        try:
            version = probe.execute("PRAGMA user_version").fetchone()[0]
            ok = probe.execute("PRAGMA quick_check").fetchone()[0]
            # An empty file (or another program's database) opens with any key: it is no backup.
            ours = probe.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        finally:
            probe.close()
    except (StorageError, sqlcipher3.DatabaseError) as exc:
        raise StorageError("restore.unreadable", "备份文件无法用本机密钥打开，或已损坏",
                           "The backup cannot be opened with this laptop's key, or is damaged") from exc
    if ok != "ok":
        raise StorageError("restore.damaged", "备份文件已损坏", "The backup file is damaged")
    if ours is None:
        raise StorageError("restore.not_a_backup", "这个文件不是乐和社工的备份，或已损坏",
                           "This file is not a Lehe Desktop backup, or is damaged")
    if version > SCHEMA_VERSION:
        raise VersionError("restore.too_new", "备份来自更新版本的程序，请先升级",
                           "The backup comes from a newer app; upgrade first")


def _stage(paths: DataPaths, database: Path, db_key: bytes, step: RestoreStep) -> None:
    staged = _staged(paths)
    _remove_staged(paths)
    shutil.copyfile(database, staged)
    _fsync(staged)
    step("staged")
    _give_new_epoch(staged, db_key)
    step("new_epoch")


def _swap(paths: DataPaths, step: RestoreStep) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(paths.database) + suffix).unlink(missing_ok=True)
    os.replace(_staged(paths), paths.database)          # the commit point
    fsync_dir(paths.database.parent)
    step("swapped")


def _audited_restore(store: Store, source: Path) -> Store:
    store.audit("restore", {"file": source.name, "epoch": store.epoch,
                            "restored_from_epoch": store.meta().get("restored_from_epoch") or ""})
    return store


def _unpacking(paths: DataPaths) -> Path:
    return paths.database.with_name(paths.database.name + ".unpacking")


def _staged(paths: DataPaths) -> Path:
    return paths.database.with_name(paths.database.name + ".restoring")


def _remove_staged(paths: DataPaths) -> None:
    staged = _staged(paths)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(staged) + suffix).unlink(missing_ok=True)


def _give_new_epoch(staged: Path, db_key: bytes) -> None:
    """Write a new epoch into the staged copy (one transaction), then make it durable on its own."""
    conn = connect(staged, db_key)
    try:
        with translate_errors("恢复备份", "Restoring the backup"):
            old = conn.execute("SELECT v FROM meta WHERE k = 'epoch'").fetchone()
            conn.execute("PRAGMA journal_mode = DELETE")   # one self-contained file, nothing beside it
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany("INSERT OR REPLACE INTO meta(k, v) VALUES (?, ?)", [
                ("epoch", str(uuid.uuid4())), ("restored_from_epoch", old[0] if old else "")])
            conn.execute("COMMIT")
    finally:
        conn.close()
    _fsync(staged)


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def remove_leftovers(paths: DataPaths) -> list[Path]:
    """Files a killed restore or backup left behind: a staged database, half-written backups."""
    gone = [p for p in (_staged(paths), _unpacking(paths)) if p.exists()]
    _remove_staged(paths)
    _unpacking(paths).unlink(missing_ok=True)
    if paths.backups.is_dir():
        for part in paths.backups.glob("*.lehe-backup.part"):
            part.unlink(missing_ok=True)
            gone.append(part)
    if gone:
        log.info("removed %d leftover file(s) of an interrupted backup or restore", len(gone))
    return gone
