"""A support bundle: logs, versions, schema and counts — never record contents.

``lehe-desktop diagnose OUT.zip`` and the window's 文件 → 导出诊断信息 write the same bundle. It
holds no name, ID number, phone or note: the counts and status come from the store, the schema
is the DDL, the logs are written without record contents (tests/core/test_privacy_scan.py
scans a bundle for the stored names). The data folder is shown with the home folder as ``~``,
so the bundle does not carry the Windows or Linux user name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

from ... import __version__
from ..errors import StorageError
from ..paths import DataPaths
from . import vault
from .atomic import require_folder
from .connection import translate_errors
from .migrations import SCHEMA_VERSION
from .store import Store

PACKAGES = ("sqlcipher3", "sqlite-utils", "PySide6-Essentials", "cryptography", "platformdirs")


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _without_home(path: Path) -> str:
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def gather(paths: DataPaths, store: Store | None, open_error: str | None = None) -> tuple[dict[str, Any], str]:
    """(diagnose.json's content, schema.sql) for an open store, or with why it could not be opened."""
    info: dict[str, Any] = {
        "app": __version__, "python": sys.version, "platform": platform.platform(),
        "schema_supported": SCHEMA_VERSION, "frozen": bool(getattr(sys, "frozen", False)),
        "packages": {d: _version(d) for d in PACKAGES},
        "data_dir": _without_home(paths.root), "set_up": vault.is_set_up(paths),
    }
    schema_sql = ""
    if store is not None:
        try:
            with translate_errors("读取", "Reading"):
                info["stats"] = store.stats()
                info["status"] = store.status()
                info["integrity"] = store.check_integrity()
                info["schema"] = store.pragma("user_version")
                schema_sql = store.schema_sql()
        except StorageError as exc:   # a damaged database is exactly what a bundle is for
            info["read_error"] = exc.code
    if open_error:
        info["open_error"] = open_error
    return info, schema_sql


def write_bundle(out: Path, paths: DataPaths, info: dict[str, Any], schema_sql: str) -> Path:
    """Write the zip as ``OUT.part`` and rename it: a failed or half-written bundle never has the name.
    ``OUT`` a folder (``.`` too): a time-stamped ``lehe-diagnose-….zip`` in it, as ``backup`` does."""
    out = Path(out)
    if out.is_dir() or not out.name:
        out = out / f"lehe-diagnose-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%SZ}.zip"
    require_folder(out.parent)
    part = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("diagnose.json", json.dumps(info, ensure_ascii=False, indent=1))
            if schema_sql:
                zf.writestr("schema.sql", schema_sql)
            if paths.logs.exists():
                for log_file in sorted(paths.logs.glob("*.log*")):
                    zf.write(log_file, f"logs/{log_file.name}")
        os.replace(part, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        raise StorageError("diagnose.failed", f"无法写入诊断文件：{out}",
                           f"Cannot write the diagnostics file: {out}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise
    return out


def diagnose(out: Path, paths: DataPaths, store: Store | None, open_error: str | None = None) -> Path:
    info, schema_sql = gather(paths, store, open_error)
    return write_bundle(out, paths, info, schema_sql)
