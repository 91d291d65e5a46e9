"""``lehe-desktop --pdf OUT.pdf --print minutes|visit|board --id ID | --area PATH`` (headless).

For coordinators who print in batches: the same documents as the window's print preview,
written straight to a PDF without a display. Errors are one coded line on stderr (exit codes
in docs/cli.md): 2 for a bad command line, 3 locked, 5 an unknown meeting, visit or area, 1 if
the PDF cannot be written.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..core.cli_support import utf8_secret
from ..core.errors import EXIT_FAILURE, EXIT_LOCKED, EXIT_OK, LeheError, UsageError
from ..core.paths import DataPaths
from ..core.prints import document
from ..core.store import vault


def _request(args: argparse.Namespace) -> tuple[Path, str, str]:
    """OUT, kind and key from the arguments; a coded usage error when something is missing."""
    out, kind = getattr(args, "pdf", None), getattr(args, "print_kind", None)
    if not out:
        raise UsageError("print.pdf_missing", "请用 --pdf OUT.pdf 指定输出文件", "Name the output with --pdf OUT.pdf")
    if not kind:
        raise UsageError("print.kind_missing", "请用 --print minutes|visit|board 指定打印内容",
                         "Say what to print with --print minutes|visit|board")
    key = getattr(args, "print_area", None) if kind == "board" else getattr(args, "print_id", None)
    if not key:
        raise UsageError("print.area_missing" if kind == "board" else "print.id_missing",
                         "公示栏需要 --area 村的路径" if kind == "board" else "请用 --id 指定会议或走访记录",
                         "The board needs --area PATH" if kind == "board" else "Name the record with --id ID")
    return Path(out), kind, key


def pdf_main(paths: DataPaths, args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    lang = getattr(args, "lang", None) or "zh"
    try:
        out, kind, key = _request(args)
        passphrase = os.environ.get("LEHE_PASSPHRASE")
        if not passphrase:
            raise LeheError("unlock.no_passphrase", "需要密码：请设置 LEHE_PASSPHRASE",
                            "A passphrase is needed: set LEHE_PASSPHRASE", exit_code=EXIT_LOCKED)
        store = vault.unlock(paths, utf8_secret(passphrase, "LEHE_PASSPHRASE"))
        try:
            doc = document(store, kind, key, lang)
        finally:
            store.close()
    except LeheError as exc:
        sys.stderr.write(f"error [{exc.code}]: {exc.message(lang)}\n")
        return exc.exit_code
    if out.is_dir() or not out.parent.is_dir():   # said here, not by Qt ("QPainter::begin(): Returned false")
        why = ("是一个文件夹", "it is a folder") if out.is_dir() else ("所在的文件夹不存在", "its folder does not exist")
        sys.stderr.write(f"error [pdf.write]: 无法写入 PDF / cannot write the PDF: {out}: "
                         f"{why[0] if lang == 'zh' else why[1]}\n")
        return EXIT_FAILURE
    from .app import make_app
    from .printing import write_pdf

    make_app()
    try:
        write_pdf(doc, out)
        if not out.is_file() or out.stat().st_size == 0:
            raise OSError(f"{out} was not written")
    except OSError as exc:
        sys.stderr.write(f"error [pdf.write]: 无法写入 PDF / cannot write the PDF: {exc}\n")
        return EXIT_FAILURE
    sys.stdout.write(f"{out}\n")
    return EXIT_OK
