"""`bin` and `undelete`: deleted records, and bringing them back.

Exit codes (docs/cli.md): 0; 2 for an unknown record type; 5 `bin.not_found` (no such record);
7 `bin.not_deleted` (it is not deleted) or `bin.owner_deleted` (restore its household, visit …
first). Nothing changes on an error.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..core.cli_support import print_json
from ..core.errors import EXIT_OK, UsageError
from ..core.records.schema import REGISTRY
from ..core.store import bin as recycle
from .commands import opened
from .registry import PARSER_EXTENSIONS, command


def _extend(sub: Any) -> None:
    s = sub.add_parser("bin", help="deleted records, newest first (回收站)")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("undelete", help="restore a deleted record and what was deleted with it")
    s.add_argument("type", metavar="TYPE", help="record type, e.g. household, member, visit")
    s.add_argument("id", metavar="ID")
    s.add_argument("--json", action="store_true")


PARSER_EXTENSIONS.append(_extend)


@command("bin")
def cmd_bin(args: argparse.Namespace) -> int:
    with opened(args) as store:
        items = recycle.binned(store)
    if args.json:
        print_json([{k: item[k] for k in ("type", "id", "title", "deleted_at")} for item in items])
        return EXIT_OK
    if not items:
        print("回收站是空的 / The bin is empty")
    for item in items:
        also = f"（连同 {item['with']} 条相关记录 / with {item['with']} dependent rows）" if item["with"] else ""
        print(f"{item['deleted_at']}  {item['type']}  {item['id']}  {item['title']}{also}")
    return EXIT_OK


@command("undelete")
def cmd_undelete(args: argparse.Namespace) -> int:
    if args.type not in REGISTRY:
        raise UsageError("bin.type", f"没有这种记录类型：{args.type}", f"No such record type: {args.type}")
    with opened(args) as store:
        restored = recycle.undelete(store, args.type, args.id)
    if args.json:
        print_json({"restored": [{"type": t, "id": i} for t, i in restored]})
    else:
        print(f"已恢复 {len(restored)} 条记录 / {len(restored)} records restored")
    return EXIT_OK
