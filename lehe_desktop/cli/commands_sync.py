"""`enroll`, `sync` and `conflicts`: the laptop's side of network sync (docs/sync.md)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any

from ..core.cli_support import print_json
from ..core.errors import EXIT_OK, LeheError, NotFoundError, UsageError
from ..core.exports import export_refused
from ..core.store import vault
from ..core.store.connection import translate_errors
from ..core.store.store import Store
from ..core.sync import client, escrow
from ..core.sync.conflicts import (
    dismiss_rejected,
    list_conflicts,
    list_rejected,
    move_and_resend,
    parse_reject_key,
    resolve_conflict,
)
from .commands import data_paths, opened
from .registry import PARSER_EXTENSIONS, command, lang_of
from .secrets_input import read_passphrase


def _parser(sub: Any) -> None:
    s = sub.add_parser("enroll", help="register this laptop with the sync server (one-time code)")
    s.add_argument("--server", required=True, metavar="URL")
    s.add_argument("--code", required=True, metavar="CODE")
    s.add_argument("--insecure", action="store_true",
                   help="allow a plain http:// server that is not on this machine (remembered)")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("sync", help="send changes to the server and fetch others' changes")
    s.add_argument("--insecure", action="store_true",
                   help="allow the enrolled plain http:// server that is not on this machine (remembered)")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("conflicts", help="sync conflicts and refused changes to review")
    s.add_argument("--json", action="store_true")
    s.add_argument("--all", action="store_true", help="include resolved conflicts and dismissed refused changes")
    s.add_argument("--dismiss-rejected", action="append", metavar="ORIGIN:SEQ|all",
                   help="acknowledge a refused change (kept, marked dismissed; hidden from the default list)")
    s.add_argument("--move-rejected", metavar="ORIGIN:SEQ",
                   help="move the refused change's record (its household, activity …) into one of this "
                        "laptop's areas (--to) and queue it whole, with everything belonging to it, to send again")
    s.add_argument("--to", metavar="AREA_PATH", help="with --move-rejected: one of this laptop's areas")
    s.add_argument("--export-rejected", metavar="FILE",
                   help="write every refused change (dealt with or not) to FILE for a coordinator (.csv or .json)")
    csub = s.add_subparsers(dest="conflicts_command", metavar="ACTION")
    r = csub.add_parser("resolve", help="keep one value; the decision syncs like any edit")
    r.add_argument("conflict_id", metavar="ID")
    r.add_argument("--keep", required=True, choices=["winner", "other"])
    r.add_argument("--json", action="store_true")


PARSER_EXTENSIONS.append(_parser)


@contextlib.contextmanager
def _with_escrow(args: argparse.Namespace) -> Iterator[tuple[Store, Callable[[], bool]]]:
    """The unlocked store and how to escrow its key (organisation recovery: core/sync/escrow.py)."""
    paths = data_paths(args)
    vault.require_set_up(paths)
    kf = vault.keyfile(paths)
    db_key = kf.unlock(read_passphrase())
    store = vault.open_with_key(paths, db_key)
    try:
        with translate_errors("读取", "Reading"):
            yield store, lambda: escrow.prepare(store, kf, db_key)
    finally:
        store.close()


@command("enroll")
def cmd_enroll(args: argparse.Namespace) -> int:
    with _with_escrow(args) as (store, prepare_escrow):
        info = client.enroll(store, args.server, args.code, insecure=args.insecure)
        try:
            prepare_escrow()   # sealed to the server's escrow key; it goes with the first sync's hello
        except (LeheError, OSError) as exc:   # enrolled all the same; the next sync tries again
            sys.stderr.write(f"warning [escrow]: {getattr(exc, 'code', type(exc).__name__)}\n")
    if args.json:
        print_json(info)
    else:
        print(f"已注册 Enrolled: {info['device_id']} → {info['server']} ({info['user']}, {info['role']})")
        for a in info["areas"]:
            print(f"  {a}")
    return EXIT_OK


@command("sync")
def cmd_sync(args: argparse.Namespace) -> int:
    def progress(stage: str, done: int, total: int | None) -> None:
        if not args.json and stage in ("push", "pull"):
            sys.stderr.write(f"{stage}: {done}" + (f"/{total}" if total else "") + "\n")

    with _with_escrow(args) as (store, prepare_escrow):
        result = client.sync_once(store, progress=progress, insecure=args.insecure, prepare_escrow=prepare_escrow)
        refused = store.refused_count()
    if result.clock_warning:
        sys.stderr.write(f"warning [sync.clock]: {result.clock_warning}\n")
    if args.json:
        print_json(result.as_json())
    else:
        lang = lang_of(args)
        if lang == "en":
            print(f"sent {result.pushed}, received {result.pulled}, new conflicts {result.conflicts}, "
                  f"refused {result.rejected}")
            if result.server_held or result.held:
                print(f"waiting: {result.server_held} sent change(s) on the server, {result.held} received "
                      "change(s) here for the record they belong to")
            if refused:
                print(f"{refused} refused change(s) not dealt with yet: `conflicts` lists them (in the app: "
                      "File → Sync problems, where they can be moved to your village and sent again)")
        else:
            print(f"上传 {result.pushed} 条，下载 {result.pulled} 条，新冲突 {result.conflicts} 个，"
                  f"被拒绝 {result.rejected} 条")
            if result.server_held or result.held:
                print(f"等待中：服务器暂存本机发送的 {result.server_held} 条，本机暂存收到的 {result.held} 条（等待所属记录）")
            if refused:
                print(f"还有 {refused} 条被拒绝的修改没有处理：运行 conflicts 查看（程序中：文件 → 同步问题，"
                      "可移到本人负责的村并重新发送）")
    return EXIT_OK


@command("conflicts")
def cmd_conflicts(args: argparse.Namespace) -> int:
    if sum(map(bool, (args.dismiss_rejected, args.move_rejected, args.export_rejected))) > 1 or (
            args.conflicts_command is not None and (args.move_rejected or args.export_rejected)):
        raise UsageError("reject.one_action", "--dismiss-rejected、--move-rejected、--export-rejected 和 resolve "
                         "每次只能用一个", "Use one of --dismiss-rejected, --move-rejected, --export-rejected "
                         "and resolve at a time")
    if args.dismiss_rejected:
        return _dismiss(args)
    if args.move_rejected:
        return _move(args)
    if args.export_rejected:
        with opened(args) as store:
            path = export_refused(store, args.export_rejected, lang=lang_of(args))
        if args.json:
            print_json({"file": str(path)})
        else:
            print(str(path))
        return EXIT_OK
    if args.conflicts_command == "resolve":
        with opened(args) as store:
            out = resolve_conflict(store, args.conflict_id, args.keep)
        if args.json:
            print_json(out)
        else:
            print(f"resolved {out['id']}: {out['resolution']}")
        return EXIT_OK
    with opened(args) as store:
        data = {"conflicts": list_conflicts(store, include_resolved=args.all),
                "rejected": list_rejected(store, include_dismissed=args.all)}
    if args.json:
        print_json(data)
    else:
        for c in data["conflicts"]:
            print(f"{c['id']}\t{c['type']}\t{c['record_id']}\t{c['field']}\t"
                  f"{c['winner_value']!r} ⟷ {c['other_value']!r}\t{c['status']}")
        for r in data["rejected"]:
            mark = f"\tdismissed {r['dismissed_at']}" if r["dismissed_at"] else ""
            print(f"rejected\t{r['origin']}:{r['seq']}\t{r['type']}\t{r['id']}\t{r['code']}\t"
                  f"{r['zh'] if lang_of(args) == 'zh' else r['en']}{mark}")
    return EXIT_OK


def _dismiss(args: argparse.Namespace) -> int:
    keys: list[str] = args.dismiss_rejected
    if args.conflicts_command is not None:
        raise UsageError("reject.with_resolve", "--dismiss-rejected 不能与 resolve 同时使用",
                         "--dismiss-rejected cannot be combined with resolve")
    if keys != ["all"]:
        for key in keys:
            parse_reject_key(key)           # a malformed key is refused before the database is opened
    with opened(args) as store:
        done = dismiss_rejected(store, "all" if keys == ["all"] else keys)
    if args.json:
        print_json({"dismissed": done})
    elif lang_of(args) == "en":
        print(f"dismissed {len(done)} refused change(s); `conflicts --all` still lists them")
    else:
        print(f"已确认 {len(done)} 条被拒绝的修改（仍保留记录，conflicts --all 可查看）")
    return EXIT_OK


def _move(args: argparse.Namespace) -> int:
    origin, seq = parse_reject_key(args.move_rejected)
    if not args.to:
        raise UsageError("reject.move_to", "--move-rejected 需要 --to 本机负责的地区路径",
                         "--move-rejected needs --to with one of this laptop's area paths")
    with opened(args) as store:
        row = store.query_one("SELECT rtype, rid FROM rejects WHERE origin = ? AND seq = ?", (origin, seq))
        if row is None:
            raise NotFoundError("reject.not_found", f"没有这条被拒绝的修改：{args.move_rejected}",
                                f"No refused change {args.move_rejected}")
        done = move_and_resend(store, row[0] or "", row[1] or "", args.to)
    if args.json:
        print_json(done)
    elif lang_of(args) == "en":
        print(f"moved {done['type']} {done['id']} to {done['area']}; {done['resent']} record(s) queued to send "
              f"again, {done['dealt_with']} refusal(s) dealt with; run sync")
    else:
        print(f"已把{done['type']} {done['id']} 移到 {done['area']}：{done['resent']} 条记录等待重新发送，"
              f"{done['dealt_with']} 条被拒绝的修改已处理；请运行 sync")
    return EXIT_OK
