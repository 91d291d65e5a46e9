"""`lehe-server`: set up and run the central sync server (docs/sync.md, "Server set-up")."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import math
import re
import socket
import ssl
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.cli_support import UsageParser, file_error, print_json, report_error, stdout_closed
from ..core.errors import EXIT_FAILURE, EXIT_OK, LeheError, NotFoundError, StateError, UsageError
from ..core.sync import protocol as P
from . import cli_ops, escrow, ops
from .storage import ServerStorage, resolve_db_path

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    p = UsageParser(prog="lehe-server", description="乐和社工同步服务器 Lehe sync server")
    p.add_argument("--version", action="version", version=f"lehe-server {__version__}")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--data-dir", metavar="DIR", help="folder for server.db")
    where.add_argument("--db", metavar="URL", help="database URL (sqlite:///PATH or postgresql://USER@HOST/DB)")
    p.add_argument("--key-file", metavar="FILE",
                   help="the signing key file, mode 0600 (default: server.keys beside server.db; for PostgreSQL "
                        "~/.config/lehe-server/server.keys of the server's user)")
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
    s = sub.add_parser("audit-flags", help="laptops whose audit log was found cut or rewritten at a sync")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("copy", help="copy a server database into a new, empty one (SQLite → PostgreSQL)")
    s.add_argument("--from", dest="source", required=True, metavar="URL", help="sqlite:///PATH or postgresql://…")
    s.add_argument("--to", dest="target", required=True, metavar="URL", help="sqlite:///PATH or postgresql://…")
    s = sub.add_parser("set-minimum", help="oldest client schema/app version allowed to download")
    s.add_argument("--schema", type=int)
    s.add_argument("--app", metavar="VERSION")
    cli_ops.add_parsers(sub)
    # Sync bundles (server/bundles.py; docs/cli.md "Sync bundles").
    s = sub.add_parser("import-bundle", help="apply a device's sync bundle (or take in a receipt)")
    s.add_argument("file", metavar="FILE.lehe")
    s.add_argument("--receipt", metavar="OUT", help="where the receipt goes (default: FILE.receipt.lehe)")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("export-bundle", help="updates for a device or an area as a sync bundle")
    s.add_argument("out", metavar="OUT.lehe")
    target = s.add_mutually_exclusive_group(required=True)
    target.add_argument("--device", metavar="DEVICE_ID")
    target.add_argument("--area", metavar="PATH")
    s.add_argument("--after", type=int, metavar="SERVER_SEQ", help="only changes after this number")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("held-bundles", help="bundles from revoked devices, kept for review")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("release-bundle", help="apply a held bundle")
    s.add_argument("bundle_id", metavar="BUNDLE_ID")
    s.add_argument("--receipt", metavar="OUT")
    s.add_argument("--json", action="store_true")
    s = sub.add_parser("drop-bundle", help="delete a held bundle without applying it")
    s.add_argument("bundle_id", metavar="BUNDLE_ID")
    s = sub.add_parser("serve", help="run the HTTP server")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8765)
    s.add_argument("--max-body-mb", type=float, default=P.MAX_BODY / (1024 * 1024), metavar="N",
                   help="largest request body accepted, in MiB (larger: HTTP 413 request.too_large)")
    s.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDR",
                   help="a reverse proxy's IP address: for requests from it the client address is the "
                        "last one in X-Forwarded-For (rate limits, logs); repeatable")
    s.add_argument("--request-log", default="-", metavar="FILE",
                   help="one line per request (method, path, device, status, duration; never contents): "
                        "a file, or - for standard output (default)")
    s.add_argument("--tls-cert", metavar="FILE", help="serve HTTPS with this certificate (PEM, with its chain)")
    s.add_argument("--tls-key", metavar="FILE", help="the certificate's private key (PEM)")
    return p


def _storage(args: argparse.Namespace) -> ServerStorage:
    key_file = Path(args.key_file) if getattr(args, "key_file", None) else None
    return ServerStorage(resolve_db_path(args.data_dir, args.db), key_file=key_file)


def _opened(args: argparse.Namespace) -> ServerStorage:
    return _storage(args).open()


def run(args: argparse.Namespace) -> int:
    if args.command == "copy":
        from .copy import copy_database

        counts = copy_database(args.source, args.target)
        print_json({"copied": True, **{k: counts.get(k, 0) for k in ("changes", "devices", "users", "batches")},
                    "tables": counts})
        return EXIT_OK
    path = resolve_db_path(args.data_dir, args.db)
    if args.command == "init":
        st = _storage(args)
        st.init()
        print(f"服务器数据库已创建 Server database created: {path}")
        print(f"签名密钥 Signing key: {st.keys.path} (mode 0600; back it up apart from the database)")
        return EXIT_OK
    if args.command == "migrate":
        st = _storage(args)
        version = st.migrate()
        print(f"schema {version}; signing key in {st.keys.path}")
        return EXIT_OK
    if args.command == "restore":
        if not isinstance(path, Path):
            raise UsageError("restore.postgresql", "PostgreSQL 数据库请用 pg_restore 恢复（见 docs/server.md）",
                             "Restore a PostgreSQL database with pg_restore (docs/server.md)")
        return cli_ops.restore(path, args)
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
    for path in st.add_user(args.name, args.role, areas):   # a typo in --areas shows here
        sys.stderr.write(f"新建地区（之前没有）/ new area (it did not exist): {path}\n")
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
    stats: dict[str, Any] = {**st.stats(), "server": ops.server_figures(st)}
    if args.json:
        print_json(stats)
    else:
        for k, v in stats.items():
            if isinstance(v, dict):   # the "server" block, a line each (it printed as a Python dict)
                for sub, value in v.items():
                    print(f"{k}.{sub}: {value}")
            else:
                print(f"{k}: {v}")
    return EXIT_OK


def _printable(text: str) -> bool:
    return not any(unicodedata.category(c).startswith("C") for c in text)


def _recovery_key(st: ServerStorage, args: argparse.Namespace) -> int:
    if args.by is not None and (not args.by.strip() or not _printable(args.by) or len(args.by) > 200):
        # The name goes into the release log that recovery-log prints: no terminal escape codes.
        raise UsageError("recovery.by", "--by 须是一个名字（不含控制字符，最多 200 个字符）",
                         "--by must be a name (no control characters, at most 200 characters)")
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
            # An entry from before --by was checked may hold control characters: shown escaped.
            cells = [str(e[k]) for k in ("at", "admin", "device_id", "what")]
            print("\t".join(c if _printable(c) else c.encode("unicode_escape").decode("ascii") for c in cells))
    return EXIT_OK


def _set_minimum(st: ServerStorage, args: argparse.Namespace) -> int:
    if args.schema is None and args.app is None:
        raise UsageError("minimum.none", "请给出 --schema 或 --app", "Give --schema or --app")
    if args.schema is not None and args.schema < 1:
        raise UsageError("minimum.schema", "--schema 须是 1 或更大的整数", "--schema must be 1 or more")
    if args.app is not None and not re.fullmatch(r"\d+(\.\d+)*", args.app.strip()):
        # "banana" or "v0.2" counted as version 0: the minimum silently did nothing.
        raise UsageError("minimum.app", f"--app 须是版本号，例如 0.2.0：{args.app!r}",
                         f"--app must be a version number such as 0.2.0: {args.app!r}")
    if args.schema is not None:
        st.set_meta("min_client_schema", str(args.schema))
    if args.app is not None:
        st.set_meta("min_app", args.app.strip())
    now = st.metas("min_client_schema", "min_app")
    print(f"minimum: schema {now.get('min_client_schema') or 1}, app {now.get('min_app') or '-'}")
    return EXIT_OK


def _serve(st: ServerStorage, args: argparse.Namespace) -> int:
    import uvicorn

    from .app import create_app
    from .requestlog import RequestLog, request_logger

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
    if bool(args.tls_cert) != bool(args.tls_key):
        raise UsageError("serve.tls", "--tls-cert 和 --tls-key 要一起给出", "Give --tls-cert and --tls-key together")
    if not args.host.strip():
        # An empty host binds every interface: an unset variable in a service file
        # (--host "$LEHE_HOST") must not put the server on the open network by accident.
        raise UsageError("serve.host", "--host 不能为空（要在所有网络接口上监听，请明确写 0.0.0.0 或 ::）",
                         "--host must not be empty (to listen on every interface, say 0.0.0.0 or :: explicitly)")
    if not 0 <= args.port <= 65535:
        raise UsageError("serve.port", "--port 须在 0 到 65535 之间", "--port must be between 0 and 65535")
    if args.tls_cert:
        _check_tls(args.tls_cert, args.tls_key)
    app = create_app(st, max_body=limit, trusted_proxies=frozenset(proxies))   # refuses a bad key file
    logger = request_logger(args.request_log)
    st.stamp_local()
    sock = _listen(args.host, args.port)
    # proxy_headers=False: only --trusted-proxy decides whose X-Forwarded-For is believed
    # (uvicorn's own handling would believe any client on 127.0.0.1).
    config = uvicorn.Config(RequestLog(app, logger), log_level="warning", proxy_headers=False,
                            access_log=False, lifespan="off", ssl_certfile=args.tls_cert, ssl_keyfile=args.tls_key)
    host, port = sock.getsockname()[:2]
    scheme = "https" if args.tls_cert else "http"
    shown = f"[{host}]" if ":" in host else host
    where = "standard output" if args.request_log == "-" else args.request_log
    print(f"lehe-server {__version__} listening on {scheme}://{shown}:{port} (database {st.path}, request log "
          f"{where}, health {scheme}://{shown}:{port}{ops.HEALTH_PATH})", flush=True)
    uvicorn.Server(config).run(sockets=[sock])
    return EXIT_OK


def _check_tls(cert: str, key: str) -> None:
    """Load the certificate and key before saying where it listens: a missing, unreadable or
    mismatched file is one coded line, not a traceback after the start-up line."""
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key, password=lambda: b"")
    except (OSError, ValueError) as exc:   # ssl.SSLError is an OSError
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
        raise StateError("serve.tls_files", f"无法使用证书 {cert} 和私钥 {key}：{reason}",
                         f"Cannot use the certificate {cert} with the key {key}: {reason}") from None


def _listen(host: str, port: int) -> socket.socket:
    """The listening socket, bound here so the address printed is the real one (also for --port 0)."""
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:
        family = socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family, backlog=2048)
    except OSError as exc:
        raise StateError("serve.listen", f"无法在 {host}:{port} 上监听：{exc.strerror}",
                         f"Cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.set_inheritable(True)
    return sock
def _audit_flags(st: ServerStorage, args: argparse.Namespace) -> int:
    """Laptops whose audit chain did not extend the head kept here (docs/security.md)."""
    flags = st.audit_flags()
    if args.json:
        print_json(flags)
    else:
        for f in flags:
            print(f"{f['device_id']}\t{f['origin']}\t{f['flag']}\t{f['flag_reason']}")
    return EXIT_OK


def _import_bundle(st: ServerStorage, args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import bundles

    path = Path(args.file)
    if not path.is_file():
        raise NotFoundError("bundle.file_not_found", f"找不到文件：{args.file}", f"No such file: {args.file}")
    got = bundles.import_bundle(st, path, receipt=Path(args.receipt) if args.receipt else None)
    return _bundle_report(got.as_json(), args.json)


def _bundle_report(data: dict[str, object], as_json: bool) -> int:
    if as_json:
        print_json(data)
    else:
        print(f"{data['kind']} {data['bundle_id']} from {data['sender']}: applied {data['applied']}, duplicates "
              f"{data['duplicates']}, held {data['held']}, refused {data['refused']}, conflicts {data['conflicts']}; "
              f"receipt {data['receipt']}")
    return EXIT_OK


def _export_bundle(st: ServerStorage, args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import bundles

    got = bundles.export_bundle(st, Path(args.out), device_id=args.device, area=args.area, after=args.after)
    if args.json:
        print_json(got)
    else:
        print(f"exported {got['changes']} changes ({got['bytes']} bytes) for {', '.join(got['to'])}: {got['file']}")
    return EXIT_OK


def _held_bundles(st: ServerStorage, args: argparse.Namespace) -> int:
    from . import bundles

    rows = bundles.held(st)
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['bundle_id']}\t{r['sender']}\t{r['held_at']}\t{r['bytes']}")
    return EXIT_OK


def _release_bundle(st: ServerStorage, args: argparse.Namespace) -> int:
    from pathlib import Path

    from . import bundles

    got = bundles.release(st, args.bundle_id, receipt=Path(args.receipt) if args.receipt else None)
    return _bundle_report(got.as_json(), args.json)


def _drop_bundle(st: ServerStorage, args: argparse.Namespace) -> int:
    from . import bundles

    bundles.drop(st, args.bundle_id)
    print(f"dropped {args.bundle_id}")
    return EXIT_OK


_COMMANDS: dict[str, Callable[[ServerStorage, argparse.Namespace], int]] = {
    "add-area": _add_area, "add-user": _add_user, "enroll-code": _enroll_code, "devices": _devices,
    "revoke-device": _revoke, "stats": _stats, "set-minimum": _set_minimum, "serve": _serve,
    **cli_ops.COMMANDS,
    "audit-flags": _audit_flags,
    "import-bundle": _import_bundle, "export-bundle": _export_bundle, "held-bundles": _held_bundles,
    "release-bundle": _release_bundle, "drop-bundle": _drop_bundle,
    "recovery-key": _recovery_key, "recovery-log": _recovery_log,
}


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        code = run(args)
        sys.stdout.flush()   # a reader that went away (`| head`) shows here, not as a traceback at exit
        return code
    except LeheError as exc:
        report_error(exc, None)
        return exc.exit_code
    except BrokenPipeError:
        return stdout_closed()
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        coded = file_error(exc)   # a file or folder named on the command line that cannot be used
        if coded is not None:
            report_error(coded, None)
            return coded.exit_code
        log.exception("unexpected error in %s", args.command)
        sys.stderr.write("error [internal]: 意外错误 / unexpected error (see the log above)\n")
        return EXIT_FAILURE


if __name__ == "__main__":
    sys.exit(main())
