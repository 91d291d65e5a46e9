"""Crash-safe small-file writes: write a temp file, fsync, rename over the old one."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from ..errors import StorageError


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    with contextlib.suppress(OSError):
        tmp.chmod(0o600)
    os.replace(tmp, path)
    fsync_dir(path.parent)


def write_json_atomic(path: Path, data: Any) -> None:
    write_bytes_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows has no directory fsync.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def require_folder(folder: Path) -> None:
    """The folder a user named for a backup, export or diagnostics must already exist: a mistyped
    USB stick path (``/media/usbb/…``) must not quietly create folders on the laptop's own disk and
    leave sensitive data there. ``file.io`` (exit 1), as for any place that cannot be used."""
    if folder.exists() and not folder.is_dir():
        raise StorageError("file.io", f"无法读写 {folder}：这是一个文件，不是文件夹",
                           f"Cannot read or write {folder}: it is a file, not a folder")
    if not folder.is_dir():
        raise StorageError("file.io", f"无法读写 {folder}：文件夹不存在（U 盘是否已插好？路径是否写对？），不会自动新建",
                           f"Cannot read or write {folder}: no such folder (is the USB stick in? is the path "
                           "right?); it is not created")
