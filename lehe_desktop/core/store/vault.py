"""Setting up, unlocking, migrating, backing up and restoring the encrypted database."""

from __future__ import annotations

import logging
import os
import shutil
import time
import uuid
from pathlib import Path

import sqlcipher3

from ..errors import NotFoundError, StateError, StorageError, VersionError
from ..paths import DataPaths
from . import backup as backups
from .connection import configure, connect, translate_errors
from .keys import KeyFile
from .migrations import MIGRATIONS, SCHEMA_VERSION, seed_vocab
from .store import Store

log = logging.getLogger(__name__)


def keyfile(paths: DataPaths) -> KeyFile:
    return KeyFile(paths.keyfile, paths.unlock_state)


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


def open_with_key(paths: DataPaths, db_key: bytes) -> Store:
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
    return open_with_key(paths, keyfile(paths).unlock(passphrase))


def unlock_with_recovery(paths: DataPaths, recovery_key: str, new_passphrase: str) -> Store:
    kf = keyfile(paths)
    db_key = kf.unlock_with_recovery(recovery_key)
    store = open_with_key(paths, db_key)
    kf.change_passphrase(db_key, new_passphrase)
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
        backups.automatic_backup(conn, db_key, paths.backups, f"pre-migrate-v{current}")
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


def backup(store: Store, db_key: bytes, out: Path) -> Path:
    return store.backup_to(db_key, out)


def restore(paths: DataPaths, db_key: bytes, source: Path) -> Store:
    """Replace the live database with a backup, giving it a new epoch.

    The new epoch lets sync tell a restored laptop from the live one: changes made after
    the backup was taken and already sent are not re-used under the same sequence numbers.
    """
    source = Path(source)
    if not source.exists():
        raise NotFoundError("restore.missing", f"找不到备份文件：{source}", f"Backup file not found: {source}")
    try:
        probe = connect(source, db_key, readonly=True)
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        ok = probe.execute("PRAGMA quick_check").fetchone()[0]
        probe.close()
    except StorageError as exc:
        raise StorageError("restore.unreadable", "备份文件无法用本机密钥打开，或已损坏",
                           "The backup cannot be opened with this laptop's key, or is damaged") from exc
    if ok != "ok":
        raise StorageError("restore.damaged", "备份文件已损坏", "The backup file is damaged")
    if version > SCHEMA_VERSION:
        raise VersionError("restore.too_new", "备份来自更新版本的程序，请先升级",
                           "The backup comes from a newer app; upgrade first")
    # Keep the current database as an automatic backup before replacing it.
    if paths.database.exists():
        try:
            live = open_with_key(paths, db_key)
            live.automatic_backup(db_key, paths.backups, "pre-restore")
            live.close()
        except StorageError:
            log.warning("live database unreadable; restoring over it")
    staged = paths.database.with_name("lehe.db.restoring")
    shutil.copyfile(source, staged)
    with open(staged, "rb+") as fh:
        os.fsync(fh.fileno())
    for suffix in ("-wal", "-shm"):
        Path(str(paths.database) + suffix).unlink(missing_ok=True)
    os.replace(staged, paths.database)
    store = open_with_key(paths, db_key)
    old_epoch = store.epoch
    store.set_meta("epoch", str(uuid.uuid4()))
    store.set_meta("restored_from_epoch", old_epoch)
    store.close()
    log.info("database restored from backup; new epoch")
    return open_with_key(paths, db_key)
