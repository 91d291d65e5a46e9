"""`import-roster` and `export`: bringing rosters in and handing data out.

Exit codes (docs/cli.md): import-roster returns 0 when every row was imported or already
present, 4 (EXIT_INVALID) when some rows had errors (the valid rows *were* imported; the
errors list says which were not) or the file as a whole is unreadable (nothing changed),
5 when the file does not exist. export returns 0, 2 for a usage error (named without
--password-file), 4 for a too-short password, 5 for a missing password file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core import exports, roster
from ..core.cli_support import print_json
from ..core.errors import EXIT_INVALID, EXIT_OK, LeheError
from .commands import opened
from .registry import PARSER_EXTENSIONS, command, lang_of


def _extend(sub: Any) -> None:
    s = sub.add_parser("import-roster", help="import a roster (花名册) from .csv or .xlsx")
    s.add_argument("file", metavar="FILE", help="FILE.csv (UTF-8 or GBK) or FILE.xlsx")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("export", help="export data (default: de-identified) as CSV or XLSX")
    s.add_argument("--format", required=True, choices=list(exports.FORMATS))
    s.add_argument("--level", default="deidentified", choices=list(exports.LEVELS),
                   help="aggregate | deidentified (default) | named (needs --password-file)")
    s.add_argument("--password-file", metavar="FILE", help="first line = password of the encrypted archive")
    s.add_argument("--json", action="store_true")
    s.add_argument("outdir", metavar="OUTDIR")


PARSER_EXTENSIONS.append(_extend)
LISTED_PROBLEMS = 200   # problem lines import-roster prints without --json


@command("import-roster")
def cmd_import_roster(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    try:
        raw = roster.read_roster(Path(args.file))  # before unlocking: a bad file changes nothing
    except LeheError as exc:
        if args.json:  # scripts get the same shape for a file-level problem
            issue = exc.issue() if isinstance(exc, roster.RosterFileError) else roster.RowIssue(
                0, "", exc.code, exc.zh, exc.en)
            print_json({"imported": 0, "errors": [issue.as_dict(lang)]})
        raise
    with opened(args) as store:
        result = roster.import_roster(store, raw)
    if args.json:
        print_json(result.as_json(lang))
    else:
        # Errors first, then warnings, at most LISTED_PROBLEMS lines (a column wrong in a whole county's
        # roster made ~40,000 lines): the summary comes last, where it stays on the screen.
        problems = [*result.errors, *result.warnings]
        for issue in problems[:LISTED_PROBLEMS]:
            kind = "error" if issue.severity == "error" else "warning"
            sys.stderr.write(f"{kind} [{issue.code}] 第{issue.line}行 line {issue.line}, {issue.column}: "
                             f"{issue.message(lang)}\n")
        if len(problems) > LISTED_PROBLEMS:
            more = len(problems) - LISTED_PROBLEMS
            sys.stderr.write(f"…… 另有 {more} 条问题未列出（加 --json 可列出全部）/ … {more} more not listed "
                             "(--json lists all)\n")
        sys.stderr.flush()
        print(f"已导入 {result.imported} 人（新增 {result.households} 户），已存在 {result.skipped} 人，"
              f"有错误 {result.error_lines} 行 / imported {result.imported} residents "
              f"({result.households} new households), {result.skipped} already present, "
              f"{result.error_lines} rows with errors")
    return EXIT_INVALID if result.errors else EXIT_OK


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    # Checked before unlocking, so nothing is opened for a command that cannot run.
    exports.check_options(args.format, args.level, args.password_file is not None)
    password = exports.read_password_file(args.password_file) if args.password_file else None
    with opened(args) as store:
        result = exports.export(store, Path(args.outdir), fmt=args.format, level=args.level, password=password)
    if args.json:
        print_json(result.as_json())
    else:
        print(f"导出完成 Export written: {result.folder}")
        for f in result.files:
            print(f"  {f.name}")
    return EXIT_OK
