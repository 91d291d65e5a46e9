"""Running the server as a service: figures for `stats`, the load balancer's health check, online
backups and their restore (docs/server.md)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import sqlcipher3
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .. import __version__
from ..core.errors import NotFoundError, StateError, VersionError
from ..core.messages import encode
from ..core.store.migrations import SCHEMA_VERSION
from .storage import ServerStorage

HEALTH_PATH = "/health"
ACTIVE_DAYS = 7
HEALTH_TIMEOUT_S = 2.0


def server_figures(st: ServerStorage) -> dict[str, int]:
    """``stats --json``'s ``"server"`` block: counts and sizes, nothing about any person."""
    since = st.now_ms() - ACTIVE_DAYS * 86400 * 1000
    with st.lock:
        q = st.store.query_value
        devices = int(q("SELECT count(*) FROM devices WHERE revoked = 0", default=0))
        active = int(q("SELECT count(*) FROM devices WHERE revoked = 0 AND last_seen >= ?", (since,), default=0))
        held = int(q("SELECT count(*) FROM changes WHERE status <> 'applied' AND status = 'held'", default=0))
        refused = int(q("SELECT count(*) FROM rejects", default=0))
        # Pages in use (the write-ahead log's committed pages included): it moves only when data
        # is written, not when another process opens or checkpoints the file.
        size = int(st.store.pragma("page_count") or 0) * int(st.store.pragma("page_size") or 0)
    return {"devices": devices, "active_devices_7d": active, "held": held, "refused": refused, "db_bytes": size}


def db_answers(path: Path) -> bool:
    """Whether the database file answers a query now, on a connection of its own (so a long push
    holding the server's connection does not make the server look dead to a load balancer)."""
    try:
        conn = sqlcipher3.connect(f"file:{path}?mode=ro", uri=True, timeout=HEALTH_TIMEOUT_S,
                                  check_same_thread=False)
    except sqlcipher3.Error:
        return False
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(HEALTH_TIMEOUT_S * 1000)}")
        return conn.execute("SELECT v FROM meta WHERE k = 'server_schema'").fetchone() is not None
    except sqlcipher3.Error:
        return False
    finally:
        conn.close()


def pg_answers(url: str) -> bool:
    """The same for PostgreSQL: a connection of its own answers the same query (within the timeout)."""
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=max(1, int(HEALTH_TIMEOUT_S))) as conn:
            conn.execute(f"SET statement_timeout = {int(HEALTH_TIMEOUT_S * 1000)}")
            return conn.execute("SELECT v FROM meta WHERE k = 'server_schema'").fetchone() is not None
    except psycopg.Error:
        return False


# ---------------------------------------------------------------------- backup and restore


def _exists(out: Path) -> StateError:
    return StateError("backup.exists", f"文件已存在，不会覆盖：{out}", f"The file exists and is not overwritten: {out}")


def backup_target(out: Path, suffix: str) -> Path:
    """Where ``lehe-server backup OUT`` writes: a folder gets a time-stamped file in it (as the
    laptops' ``backup`` does); an existing file is never overwritten."""
    out = Path(out)
    if out.is_dir():
        out = out / f"lehe-server-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}{suffix}"
    if out.exists():
        raise _exists(out)
    return out


def _pg_tool(name: str) -> str:
    """A PostgreSQL client program: on PATH, else in ``pg_config --bindir`` (Debian keeps it there)."""
    found = shutil.which(name)
    if found:
        return found
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        bindir = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10).stdout.strip()
        if bindir and (Path(bindir) / name).is_file():
            return str(Path(bindir) / name)
    raise StateError("backup.no_pg_dump", f"找不到 {name}（请安装 PostgreSQL 客户端）",
                     f"{name} was not found (install the PostgreSQL client programs)")


def backup_pg(url: str, out: Path) -> dict[str, Any]:
    """A PostgreSQL server database: ``pg_dump --format=custom`` into ``out`` (one consistent
    snapshot while the servers keep writing); restore it with ``pg_restore`` (docs/server.md).
    Written beside ``out`` and renamed when complete; mode 0600."""
    out = backup_target(out, ".dump")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial-{os.getpid()}")
    started = time.monotonic()
    try:
        done = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(tmp),
                               "--dbname", url], capture_output=True, text=True, timeout=6 * 3600)
        if done.returncode != 0:
            raise StateError("backup.failed", "pg_dump 未能完成备份", "pg_dump could not write the backup")
        tmp.chmod(0o600)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return {"file": str(out), "bytes": out.stat().st_size, "high_water": None,
            "seconds": round(time.monotonic() - started, 2)}


def backup(db_path: Path, out: Path) -> dict[str, Any]:
    """Copy the live database into ``out`` with SQLite's online backup API, on a connection of its
    own (the server may be serving in another process): all pages in one step, inside one read
    transaction, so the copy is one consistent moment; in WAL mode the server keeps writing
    meanwhile. The file is written beside ``out`` and renamed once complete and checked; mode 0600."""
    out = Path(out)
    if not db_path.is_file():
        raise StateError("server.not_initialised", f"服务器数据库不存在：{db_path}（请先运行 init）",
                         f"No server database at {db_path} (run init first)")
    out = backup_target(out, ".db")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.partial-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    started = time.monotonic()
    try:
        src = sqlcipher3.connect(str(db_path), isolation_level=None, timeout=30)
        dest = sqlcipher3.connect(str(tmp), isolation_level=None)
        try:
            src.execute("PRAGMA busy_timeout = 30000")
            # pages=-1: every page in one step (a copy in several steps starts again whenever the
            # server writes in between, and may never finish under load).
            src.backup(dest, pages=-1)
            dest.execute("PRAGMA journal_mode = DELETE")
            check = dest.execute("PRAGMA quick_check").fetchone()[0]
            high = dest.execute("SELECT coalesce(max(server_seq), 0) FROM changes").fetchone()[0]
        finally:
            dest.close()
            src.close()
        if check != "ok":
            raise StateError("backup.check", f"备份文件校验失败：{check}", f"The backup failed its check: {check}")
        if out.exists():
            raise _exists(out)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return {"file": str(out), "bytes": out.stat().st_size, "high_water": int(high),
            "seconds": round(time.monotonic() - started, 3)}


def restore(db_path: Path, backup_file: Path, *, force: bool = False) -> dict[str, Any]:
    """Put a backup in place of the (stopped) server's database. The backup is checked first; the
    database it replaces is kept as ``server.db.replaced-TIME`` (with its log files); the restored
    copy gets a new server epoch, so every laptop re-sends what the server lost and pulls from the
    start (docs/sync.md "Restores")."""
    backup_file = Path(backup_file)
    if not backup_file.is_file():
        raise NotFoundError("restore.not_found", f"找不到备份文件：{backup_file}", f"No such backup file: {backup_file}")
    if not force and any(Path(f"{db_path}{suffix}").exists() for suffix in ("-wal", "-shm")):
        # SQLite removes them when the last connection closes: a server (or a command) is using
        # the database, and would go on writing into the replaced file.
        raise StateError("restore.in_use",
                         f"数据库 {db_path} 正在使用中（服务器还在运行？）：请先停止服务器再恢复；"
                         "如果服务器已停止（例如崩溃后），加 --force",
                         f"The database {db_path} is in use (is the server still running?): stop the server "
                         "before restoring; if it is stopped (after a crash, say), add --force")
    staged = db_path.with_name(f".{db_path.name}.restoring-{os.getpid()}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    src = sqlcipher3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        dest = sqlcipher3.connect(str(staged), isolation_level=None)
        try:
            try:
                src.backup(dest)
                check = dest.execute("PRAGMA quick_check").fetchone()[0]
                row = dest.execute("SELECT v FROM meta WHERE k = 'server_schema'").fetchone()
                version = dest.execute("PRAGMA user_version").fetchone()[0]
            except sqlcipher3.Error as exc:
                raise StateError("restore.not_a_backup", f"这不是乐和服务器的备份：{backup_file}",
                                 f"This is not a Lehe server backup: {backup_file}") from exc
            if check != "ok" or row is None:
                raise StateError("restore.not_a_backup", f"这不是完好的乐和服务器备份：{backup_file}",
                                 f"This is not an intact Lehe server backup: {backup_file}")
            if version > SCHEMA_VERSION:
                raise VersionError("server.db_too_new", "备份比本服务器程序新，请先升级服务器程序",
                                   "The backup is newer than this server program; upgrade the server first")
            epoch = str(uuid.uuid4())
            dest.execute("UPDATE meta SET v = ? WHERE k = 'epoch'", (epoch,))
            dest.execute("PRAGMA journal_mode = WAL")
        finally:
            dest.close()
        kept = None
        if db_path.exists():
            kept = db_path.with_name(f"{db_path.name}.replaced-{time.strftime('%Y%m%dT%H%M%S')}")
            # The log files go with the database they belong to: never applied to the restored copy.
            for suffix in ("", "-wal", "-shm"):
                old = Path(f"{db_path}{suffix}")
                if old.exists():
                    os.replace(old, Path(f"{kept}{suffix}"))
        os.replace(staged, db_path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return {"restored": str(db_path), "from": str(backup_file), "epoch": epoch,
            "replaced": str(kept) if kept else None}


# ---------------------------------------------------------------------- health


def health_endpoint(st: ServerStorage) -> Callable[[Request], Awaitable[Response]]:
    """``GET /health`` for a load balancer or monitoring: no authentication, no records, cheap.
    HTTP 200 ``{"ok": true, "db": "ok", …}`` while the database answers, else HTTP 503."""

    async def health(request: Request) -> Response:
        if st.url is not None:
            answers = await run_in_threadpool(pg_answers, st.url)
        else:
            answers = await run_in_threadpool(db_answers, st.path)
        body = {"ok": answers, "db": "ok" if answers else "unavailable", "app": __version__,
                "schema": SCHEMA_VERSION}
        return Response(encode(body), status_code=200 if answers else 503, media_type="application/json",
                        headers={"cache-control": "no-store"})

    return health
