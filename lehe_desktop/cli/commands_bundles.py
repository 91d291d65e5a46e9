"""`export-bundle`, `import-bundle` and `import-receipt`: sync bundles carried on a USB stick
(docs/sync.md "Sync bundles"; exit codes in docs/cli.md "Sync bundles")."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..core.bundles import laptop
from ..core.cli_support import print_json
from ..core.errors import EXIT_OK, NotFoundError
from .commands import opened
from .registry import PARSER_EXTENSIONS, at_least, command


def _parser(sub: Any) -> None:
    s = sub.add_parser("export-bundle", help="write every change not yet acknowledged to a sync bundle (.lehe)")
    s.add_argument("out", metavar="OUT.lehe")
    s.add_argument("--to", default="server", metavar="server|DEVICE_ID",
                   help="who the bundle is for besides the server and your coordinators (default: server)")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("import-bundle", help="apply a sync bundle addressed to this laptop; writes a receipt")
    s.add_argument("file", metavar="FILE.lehe")
    s.add_argument("--receipt", metavar="OUT", help="where the receipt goes (default: FILE.receipt.lehe)")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("import-receipt", help="take in the receipt for a bundle this laptop exported")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--json", action="store_true")


    s = sub.add_parser("bundles", help="bundles sent and received; for a coordinator, whose bundles are in or overdue")
    s.add_argument("--overdue-days", type=at_least(0), default=14, metavar="N")
    s.add_argument("--json", action="store_true")


PARSER_EXTENSIONS.append(_parser)


def _existing(name: str) -> Path:
    path = Path(name)
    if not path.is_file():
        raise NotFoundError("bundle.file_not_found", f"找不到文件：{name}", f"No such file: {name}")
    return path


@command("export-bundle")
def cmd_export_bundle(args: argparse.Namespace) -> int:
    with opened(args) as store:
        got = laptop.export_bundle(store, Path(args.out), to=args.to)
    if args.json:
        print_json(got)
    else:
        print(f"已导出 {got['changes']} 条修改，文件已读回检查，可以拔出 U 盘 / Exported {got['changes']} changes; "
              f"the file was read back and checked, the stick may be removed: {got['file']}")
    return EXIT_OK


@command("import-bundle")
def cmd_import_bundle(args: argparse.Namespace) -> int:
    path = _existing(args.file)
    with opened(args) as store:
        got = laptop.import_bundle(store, path, receipt=Path(args.receipt) if args.receipt else None)
    data = got.as_json()
    if args.json:
        print_json({k: data[k] for k in ("applied", "duplicates", "held", "refused", "conflicts", "bundle_id",
                                         "sender", "receipt")})
    else:
        print(f"新增 applied {got.applied}，重复 duplicates {got.duplicates}，暂缓 held {got.held}，"
              f"拒收 refused {got.refused}，冲突 conflicts {got.conflicts}; 回执 receipt: {got.receipt}")
    return EXIT_OK


@command("import-receipt")
def cmd_import_receipt(args: argparse.Namespace) -> int:
    path = _existing(args.file)
    with opened(args) as store:
        got = laptop.import_receipt(store, path)
    if args.json:
        print_json(got)
    else:
        print(f"回执已收下：{got['acknowledged']} 条已确认，{got['refused']} 条被拒收 / Receipt taken in: "
              f"{got['acknowledged']} acknowledged, {got['refused']} refused")
    return EXIT_OK


def _day(ms: Any) -> str:
    import time

    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ms / 1000)) if isinstance(ms, int) else "—"


@command("bundles")
def cmd_bundles(args: argparse.Namespace) -> int:
    with opened(args) as store:
        log = laptop.bundle_log(store)
        workers = laptop.overview(store, overdue_days=args.overdue_days)
    if args.json:
        print_json({"log": log, "workers": workers})
        return EXIT_OK
    for e in log:
        who = ", ".join(e.get("to", [])) if e.get("dir") == "sent" else e.get("from")
        receipt = f"  receipt {_day(e['receipt_ms'])}" if e.get("receipt_ms") else ""
        print(f"{_day(e.get('at_ms'))}  {e.get('dir')}  {e.get('bundle_id')}  {who}{receipt}")
    for w in workers:
        print(f"{w['state']}\t{w['user']}\t{w['device_id']}\t{_day(w['last_bundle_ms'])}")
    return EXIT_OK
