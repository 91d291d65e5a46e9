"""Argument parsing, dispatch and the one place user errors become stderr lines + exit codes."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from .. import __version__
from ..core import paths as paths_mod
from ..core.cli_support import UsageParser, file_error, print_json, report_error, stdout_closed
from ..core.errors import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, LeheError
from .logsetup import setup_logging
from .registry import COMMANDS, PARSER_EXTENSIONS, at_least, lang_of

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    p = UsageParser(prog="lehe-desktop", description="乐和社工 Lehe Desktop")
    p.add_argument("--version", action="version", version=f"lehe-desktop {__version__}")
    p.add_argument("--data-dir", metavar="DIR", help="data folder (default: the platform's; or LEHE_DATA_DIR)")
    p.add_argument("--lang", choices=["zh", "en"], default=None, help="language for messages and the GUI")
    p.add_argument("--screenshot", metavar="OUT.png", help="render the main window to a PNG and exit")
    p.add_argument("--view", default="home",
                   choices=["home", "households", "visits", "activities", "meetings", "matters", "tasks"])
    p.add_argument("--pdf", metavar="OUT.pdf", help="print a document to a PDF and exit (with --print)")
    p.add_argument("--print", dest="print_kind", choices=["minutes", "visit", "board"],
                   help="what --pdf prints: meeting minutes (--id), a visit record (--id), a village's board (--area)")
    p.add_argument("--id", dest="print_id", metavar="ID", help="the meeting or visit --print minutes|visit prints")
    p.add_argument("--area", dest="print_area", metavar="PATH", help="the village --print board prints")
    p.add_argument("--self-test", action="store_true", help="headless check of the installed app; exit 0 if fine")
    p.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("init", help="create the encrypted database (passphrase from LEHE_PASSPHRASE)")
    s.add_argument("--name", help="the social worker's name")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("demo", help="fill the database with realistic demo data")
    s.add_argument("--households", type=int, required=True, metavar="N")
    s.add_argument("--seed", type=int, default=1, metavar="S")
    s.add_argument("--area", action="append", metavar="PATH", help="village slash path (repeatable)")

    for name, helptext in (("stats", "record counts"), ("status", "device, epoch, schema and unsent changes")):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("--json", action="store_true")

    s = sub.add_parser("search", help="find records by name, place or text")
    s.add_argument("text")
    s.add_argument("--json", action="store_true")
    s.add_argument("--limit", type=at_least(1), default=50)

    s = sub.add_parser("backup", help="write an encrypted copy of the database")
    s.add_argument("out", metavar="OUT")
    s = sub.add_parser("restore", help="restore an encrypted backup (the database gets a new epoch)")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--recovery-key", nargs="?", const="", default=None, metavar="KEY",
                   help="open it with the recovery key (or LEHE_RECOVERY_KEY, or a prompt) instead of "
                        "the passphrase; a new passphrase from LEHE_NEW_PASSPHRASE")
    s = sub.add_parser("diagnose", help="pack logs, versions, schema and counts for support (no personal data)")
    s.add_argument("out", metavar="OUT.zip")

    s = sub.add_parser("passphrase", help="passphrase management")
    psub = s.add_subparsers(dest="passphrase_command", metavar="ACTION", required=True)
    psub.add_parser("change", help="re-wrap the database key under a new passphrase (LEHE_NEW_PASSPHRASE)")

    s = sub.add_parser("unlock", help="set a new passphrase using the recovery key")
    s.add_argument("--recovery-key", nargs="?", const="", required=True, metavar="KEY",
                   help="the recovery key (or LEHE_RECOVERY_KEY, or a prompt)")

    for extend in PARSER_EXTENSIONS:
        extend(sub)
    return p


def load_commands() -> None:
    """Import every command module: each registers its handlers and parser extensions."""
    from . import (  # noqa: F401
        commands,
        commands_audit,
        commands_bin,
        commands_bundles,
        commands_data,
        commands_handover,
        commands_rights,
        commands_sync,
    )

    # isort: split
    from . import commands_vocab  # noqa: F401


def run(args: argparse.Namespace) -> int:
    handler = COMMANDS[args.command if args.command != "passphrase" else "passphrase change"]
    return handler(args)


GuiRunner = Callable[[argparse.Namespace], int]


def main(argv: list[str] | None = None, *, gui: GuiRunner | None = None) -> int:
    """Run a subcommand; with none (or --screenshot/--self-test) hand over to ``gui``."""
    load_commands()
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = lang_of(args)
    paths = paths_mod.resolve(args.data_dir)
    setup_logging(paths.logs, verbose=args.verbose)
    if args.command is None and gui is None:
        parser.print_help()
        return EXIT_USAGE
    try:   # the window and --pdf/--screenshot too: never a traceback on the terminal
        code = gui(args) if args.command is None and gui is not None else run(args)
        sys.stdout.flush()   # a reader that went away (`| head`) shows here, not as a traceback at exit
        return code
    except LeheError as exc:
        log.info("command %s failed: %s", args.command, exc.code)
        report_error(exc, lang)
        return exc.exit_code
    except BrokenPipeError:
        return stdout_closed()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except Exception as exc:  # a bug: keep the traceback in the log, show one line
        coded = file_error(exc)   # … unless it is a file or folder the user named that cannot be used
        if coded is not None:
            log.warning("command %s failed: %s", args.command, coded.code, exc_info=True)
            report_error(coded, lang)
            return coded.exit_code
        log.exception("unexpected error in %s", args.command)
        sys.stderr.write(f"error [internal]: 意外错误，详情见日志 / unexpected error, see the log in {paths.logs}\n")
        return EXIT_FAILURE


__all__ = ["EXIT_OK", "build_parser", "main", "print_json"]
