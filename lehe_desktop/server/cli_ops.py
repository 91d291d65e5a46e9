"""`lehe-server` commands for running the server: rotate-key, keys, backup, restore (docs/server.md)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.cli_support import print_json
from ..core.errors import EXIT_OK
from . import ops
from .storage import ServerStorage


def add_parsers(sub: Any) -> None:
    """The commands' parsers, on `lehe-server`'s subcommand list."""
    sub.add_parser("rotate-key", help="make a new signing key and a new bundle encryption key, announced to laptops "
                                      "by the current signing key")
    s = sub.add_parser("keys", help="the signing keys and their encryption keys (public halves), oldest first")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("backup", help="a consistent copy of the database while the server runs")
    s.add_argument("out", metavar="OUT")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("restore", help="put a backup in place of the database (server stopped)")
    s.add_argument("file", metavar="BACKUP")
    s.add_argument("--force", action="store_true", help="even though the database looks in use (after a crash)")
    s.add_argument("--json", action="store_true")


def _when(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))


def rotate_key(st: ServerStorage, args: argparse.Namespace) -> int:
    entry = st.keys.rotate()
    n = len(st.keys.entries())
    print(f"新签名密钥 New signing key: {entry.public} (key {n}; the older ones are kept in {st.keys.path})")
    print(f"新加密密钥 New encryption key (bundles): {entry.enc_public} (the older ones still open bundles sealed to them)")
    print("laptops learn both at their next sync or server bundle; a running server uses them from its next request")
    print(f"keep a copy of {st.keys.path} apart again (it is not in the database backups)")
    return EXIT_OK


def keys(st: ServerStorage, args: argparse.Namespace) -> int:
    rows = [{"public": e.public, "enc_public": e.enc_public, "created": _when(e.created_ms),
             "current": i == len(st.keys.entries()) - 1} for i, e in enumerate(st.keys.entries())]
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            flag = "\tcurrent" if r["current"] else ""
            print(f"{r['public']}\t{r['enc_public'] or '-'}\t{r['created']}{flag}")
    return EXIT_OK


def backup(st: ServerStorage, args: argparse.Namespace) -> int:
    got = ops.backup_pg(st.url, Path(args.out)) if st.url else ops.backup(st.path, Path(args.out))
    if args.json:
        print_json(got)
    else:
        print(f"备份完成 Backup written: {got['file']} ({got['bytes']} bytes, high water {got['high_water']}, "
              f"{got['seconds']} s)")
        print(f"the signing key is not in it: keep a copy of {st.keys.path} apart (after every rotate-key)")
    return EXIT_OK


def restore(db_path: Path, args: argparse.Namespace) -> int:
    got = ops.restore(db_path, Path(args.file), force=args.force)
    if args.json:
        print_json(got)
    else:
        print(f"已恢复 Restored {got['from']} → {got['restored']} (new server epoch {got['epoch']}; laptops "
              "re-send what the server lost at their next sync)")
        if got["replaced"]:
            print(f"the database it replaced is kept as {got['replaced']}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[ServerStorage, argparse.Namespace], int]] = {
    "rotate-key": rotate_key, "keys": keys, "backup": backup,
}
