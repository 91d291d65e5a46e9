"""What every command line of the project shares: usage errors, JSON output, error lines.

Used by `lehe-desktop` (cli/main.py) and `lehe-server` (server/cli.py) so both speak the same
contract: one `error [code]: message` line on stderr and a documented exit code. It lives in
the core, not in `lehe_desktop.cli`, because the desktop CLI, the server and the GUI are
independent of one another (pyproject.toml, import-linter) and all may use it.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import sys
from typing import Any

from .errors import EXIT_USAGE, LeheError, LockedError, StorageError


class UsageParser(argparse.ArgumentParser):
    """argparse that reports a bad command line as `error [usage]` with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"error [usage]: {message}\n")
        sys.exit(EXIT_USAGE)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def report_error(exc: LeheError, lang: str | None) -> None:
    """One line with the stable code; the problems behind a validation error indented below."""
    message = exc.message(lang) if lang else f"{exc.zh} / {exc.en}"
    sys.stderr.write(f"error [{exc.code}]: {message}\n")
    for p in exc.problems:
        if p.code != exc.code or len(exc.problems) > 1:
            sys.stderr.write(f"  - [{p.code}] {p.field}: {p.message(lang or 'zh')}\n")


# What a user can do about the usual reasons a named file or folder cannot be used.
_OS_REASONS = {
    errno.ENOENT: ("文件或文件夹不存在", "no such file or folder"),
    errno.ENOTDIR: ("路径中有一段是文件而不是文件夹", "a part of the path is a file, not a folder"),
    errno.EISDIR: ("这是一个文件夹，需要的是文件", "it is a folder; a file is needed"),
    errno.EEXIST: ("已有同名的文件挡在那里", "a file of that name is in the way"),
    errno.EACCES: ("没有权限", "permission denied"),
    errno.EPERM: ("没有权限", "permission denied"),
    errno.EROFS: ("磁盘是只读的（U 盘的写保护开关？）", "the disk is read-only (the USB stick's write-protect switch?)"),
    errno.ENOSPC: ("磁盘已满", "the disk is full"),
    errno.EIO: ("磁盘或 U 盘无法使用（已拔出或损坏？）", "the disk or USB stick cannot be used (removed, or damaged?)"),
}


def file_error(exc: BaseException) -> LeheError | None:
    """An OSError on a named file or folder (a folder that is a file, a missing or read-only folder,
    a full disk …) as one coded line, ``file.io`` (exit 1), instead of ``error [internal]``.
    None for anything else, which stays an internal error (a bug)."""
    if not isinstance(exc, OSError) or exc.filename is None:
        return None
    zh, en = _OS_REASONS.get(exc.errno or 0, (exc.strerror or type(exc).__name__,) * 2)
    # A rename (the .part file into place): where it was going; a .part being written: the file it becomes.
    name = str(exc.filename2 or exc.filename).removesuffix(".part")
    return StorageError("file.io", f"无法读写 {name}：{zh}", f"Cannot read or write {name}: {en}")


EXIT_PIPE = 141   # 128 + SIGPIPE: what the shell reports for any program whose reader went away


def stdout_closed() -> int:
    """``lehe-desktop conflicts | head``: the reader stopped reading. No error line and no
    traceback (also not when Python flushes stdout at exit); exit 141 as a shell tool would."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_PIPE


def utf8_secret(value: str, variable: str) -> str:
    """LEHE_PASSPHRASE & co. set in a terminal that is not UTF-8 (a GBK locale) hold bytes Python
    keeps as surrogates: deriving a key from them failed with a traceback. A coded line instead."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise LockedError("unlock.passphrase_encoding", f"{variable} 不是 UTF-8 文本（终端的编码不是 UTF-8？）",
                          f"{variable} is not UTF-8 text (a terminal that is not UTF-8?)") from None
    return value
