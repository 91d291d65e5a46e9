"""`lehe-server`: set up and run the central sync server (docs/sync.md, "Server set-up")."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import math
import sys
from collections.abc import Callable

from .. import __version__
from ..core.cli_support import UsageParser, print_json, report_error
from ..core.errors import EXIT_FAILURE, EXIT_OK, LeheError, UsageError
from ..core.sync import protocol as P
from . import escrow
from .storage import ServerStorage, resolve_db_path

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    p = UsageParser(prog="lehe-server", description="乐和社工同步服务器 Lehe sync server")
    p.add_argument("--version", action="version", version=f"lehe-server {__version__}")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--data-dir", metavar="DIR", help="folder for server.db")
    where.add_argument("--db", metavar="URL", help="database URL (sqlite:///PATH)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sub.add_parser("init", help="create the server database and its signing key")
    s = sub.add_parser("add-area", help="add an area by slash path (creates the levels)")
    s.add_argument("path", metavar="PATH")
    s = sub.add_parser("add-user", help="add or update a user")
    s.add_argument("name", metavar="NAME")
    s.add_argument("--role", required=True, choices=["worker", "coordinator", "admin"])
    s.add_argument("--areas", default="", metavar="PATH[,PATH…]")
    s = sub.add_parser("enroll-code", help="a one-time, expiring enrolment code for a user (last line)")
    s.add_argument("name", metavar="NAME")
    s.add_argument("--expires", type=float, default=72.0, metavar="HOURS")
    s.add_argument("--device", metavar="DEVICE_ID", help="re-enrol this known device (a restored laptop)")
    s = sub.add_parser("devices", help="enrolled devices")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("revoke-device", help="refuse a device from now on")
    s.add_argument("device_id", metavar="DEVICE_ID")
    s = sub.add_parser("stats", help="record counts")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("recovery-key", help="organisation recovery: print a laptop's escrowed recovery key "
                                            "(one use; logged) for `unlock --recovery-key` on it")
    s.add_argument("device_id", metavar="DEVICE_ID")
    s.add_argument("--by", metavar="NAME", help="the admin handing it over (logged; default: this OS user)")
    s = sub.add_parser("recovery-log", help="who released which laptop's recovery key, when")
    s.add_argument("--json", action="store_true")
    sub.add_parser("migrate", help="upgrade the server database to this version")
    s = sub.add_parser("set-minimum", help="oldest client schema/app version allowed to download")
    s.add_argument("--schema", type=int)
    s.add_argument("--app", metavar="VERSION")
    s = sub.add_parser("serve", help="run the HTTP server")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--max-body-mb", type=float, default=P.MAX_BODY / (1024 * 1024), metavar="N",
                   help="largest request body accepted, in MiB (larger: HTTP 413 request.too_large)")
    s.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDR",
                   help="a reverse proxy's IP address: for requests from it the client address is the "
                        "last one in X-Forwarded-For (rate limits, logs); repeatable")
    return p


def _opened(args: argparse.Namespace) -> ServerStorage:
    return ServerStorage(resolve_db_path(args.data_dir, args.db)).open()


def run(args: argparse.Namespace) -> int:
    path = resolve_db_path(args.data_dir, args.db)
    if args.command == "init":
        ServerStorage(path).init()
        print(f"服务器数据库已创建 Server database created: {path}")
        return EXIT_OK
    if args.command == "migrate":
        version = ServerStorage(path).migrate()
        print(f"schema {version}")
        return EXIT_OK
    storage = _opened(args)
    try:
        return _COMMANDS[args.command](storage, args)
    finally:
        storage.close()


def _add_area(st: ServerStorage, args: argparse.Namespace) -> int:
    print(st.add_area(args.path))
    return EXIT_OK


def _add_user(st: ServerStorage, args: argparse.Namespace) -> int:
    areas = [a for a in args.areas.replace("，", ",").split(",") if a.strip()]
    st.add_user(args.name, args.role, areas)
    print(f"user {args.name}: {args.role}")
    return EXIT_OK


def _enroll_code(st: ServerStorage, args: argparse.Namespace) -> int:
    code, expires = st.enroll_code(args.name, args.expires, args.device)
    from .storage import _iso

    print(f"用户 User: {args.name}; 有效期至 valid until {_iso(expires)} (one-time)")
    print(code)
    return EXIT_OK


def _devices(st: ServerStorage, args: argparse.Namespace) -> int:
    devices = st.devices()
    if args.json:
        print_json(devices)
    else:
        for d in devices:
            flag = " REVOKED" if d["revoked"] else ""
            print(f"{d['device_id']}\t{d['user']}\t{d['role']}\t{','.join(d['areas'])}\t{d['last_seen']}{flag}")
    return EXIT_OK


def _revoke(st: ServerStorage, args: argparse.Namespace) -> int:
    st.revoke(args.device_id)
    print(f"revoked {args.device_id}")
    return EXIT_OK


def _stats(st: ServerStorage, args: argparse.Namespace) -> int:
    stats = st.stats()
    if args.json:
        print_json(stats)
    else:
        for k, v in stats.items():
            print(f"{k}: {v}")
    return EXIT_OK


def _recovery_key(st: ServerStorage, args: argparse.Namespace) -> int:
    key = escrow.release(st, args.device_id, args.by)
    sys.stderr.write(f"设备 {args.device_id} 的组织恢复密钥（已记录；只能用一次）/ organisation recovery key of "
                     f"{args.device_id} (logged; works once): on the laptop run `unlock --recovery-key`\n")
    print(key)
    return EXIT_OK


def _recovery_log(st: ServerStorage, args: argparse.Namespace) -> int:
    entries = escrow.recovery_log(st)
    if args.json:
        print_json(entries)
    else:
        for e in entries:
            print(f"{e['at']}\t{e['admin']}\t{e['device_id']}\t{e['what']}")
    return EXIT_OK


def _set_minimum(st: ServerStorage, args: argparse.Namespace) -> int:
    if args.schema is None and args.app is None:
        raise UsageError("minimum.none", "请给出 --schema 或 --app", "Give --schema or --app")
    if args.schema is not None:
        st.set_meta("min_client_schema", str(args.schema))
    if args.app is not None:
        st.set_meta("min_app", args.app)
    return EXIT_OK


def _serve(st: ServerStorage, args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app

    if not (math.isfinite(args.max_body_mb) and 0.001 <= args.max_body_mb <= 4096):
        raise UsageError("serve.max_body", "--max-body-mb 须在 0.001 到 4096 之间",
                         "--max-body-mb must be between 0.001 and 4096")
    limit = int(args.max_body_mb * 1024 * 1024)
    proxies = set()
    for addr in args.trusted_proxy:
        try:
            proxies.add(str(ipaddress.ip_address(addr.strip())))
        except ValueError:
            raise UsageError("serve.trusted_proxy", f"--trusted-proxy 须是 IP 地址：{addr!r}",
                             f"--trusted-proxy must be an IP address: {addr!r}") from None
    st.stamp_local()
    # proxy_headers=False: only --trusted-proxy decides whose X-Forwarded-For is believed
    # (uvicorn's own handling would believe any client on 127.0.0.1).
    uvicorn.run(create_app(st, max_body=limit, trusted_proxies=frozenset(proxies)), host=args.host,
                port=args.port, log_level="warning", proxy_headers=False)
    return EXIT_OK


_COMMANDS: dict[str, Callable[[ServerStorage, argparse.Namespace], int]] = {
    "add-area": _add_area, "add-user": _add_user, "enroll-code": _enroll_code, "devices": _devices,
    "revoke-device": _revoke, "stats": _stats, "set-minimum": _set_minimum, "serve": _serve,
    "recovery-key": _recovery_key, "recovery-log": _recovery_log,
}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        return run(args)
    except LeheError as exc:
        report_error(exc, None)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("unexpected error in %s", args.command)
        sys.stderr.write("error [internal]: 意外错误 / unexpected error (see the log above)\n")
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
