"""`audit verify` and `audit list`: the hash-chained audit log (core/audit.py).

Exit codes (docs/cli.md): 0 the chain checks out; 1 `audit.broken`, naming the first bad entry
(an entry changed, removed, out of order, or the newest entries cut off). Checking opens the
database without adding a sign-in entry, so it changes nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from typing import Any

from ..core import audit
from ..core.cli_support import print_json
from ..core.errors import EXIT_FAILURE, EXIT_OK
from ..core.store import vault
from ..core.store.store import Store
from .commands import data_paths
from .registry import PARSER_EXTENSIONS, at_least, command, lang_of
from .secrets_input import read_passphrase


def _extend(sub: Any) -> None:
    s = sub.add_parser("audit", help="the audit log: check its chain, list entries")
    asub = s.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = asub.add_parser("verify", help="check the hash chain; exit 1 naming the first bad entry")
    v.add_argument("--json", action="store_true")
    lst = asub.add_parser("list", help="the newest entries (ids and counts, never personal values)")
    lst.add_argument("--limit", type=at_least(1), default=50)
    lst.add_argument("--json", action="store_true")


PARSER_EXTENSIONS.append(_extend)


@contextlib.contextmanager
def _quietly_opened(args: argparse.Namespace) -> Iterator[Store]:
    """Open without auditing a sign-in: checking the log must not write to it."""
    paths = data_paths(args)
    vault.require_set_up(paths)
    store = vault.open_with_key(paths, vault.keyfile(paths).unlock(read_passphrase()))
    try:
        yield store
    finally:
        store.close()


@command("audit")
def cmd_audit(args: argparse.Namespace) -> int:
    if args.audit_command == "list":
        with _quietly_opened(args) as store:
            rows = audit.entries(store, limit=max(1, args.limit))
        if args.json:
            print_json([{**r, "detail": json.loads(r["detail"])} for r in rows])
        else:
            for r in rows:
                print(f"{r['seq']}\t{r['at']}\t{r['user'] or ''}\t{r['action']}\t{r['detail']}")
        return EXIT_OK
    with _quietly_opened(args) as store:
        verdict = audit.verify(store)
    if args.json:
        print_json(verdict.as_json())
    if verdict.ok:
        if not args.json:
            print(f"审计日志完好 / audit log intact: {verdict.entries} entries, head {verdict.head[:16]}")
        return EXIT_OK
    zh = f"审计日志第 {verdict.bad_seq} 条有问题：{verdict.reason}"
    en = f"the audit log is broken at entry {verdict.bad_seq}: {verdict.reason}"
    msg = en if lang_of(args) == "en" else f"{zh} / {en}"
    sys.stderr.write(f"error [audit.broken]: {msg}\n")
    return EXIT_FAILURE
