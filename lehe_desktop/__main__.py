"""Entry point for `lehe-desktop` and `python -m lehe_desktop`.

With a subcommand it is the command line; without one it starts the desktop window (or,
with --screenshot, --pdf or --self-test, renders it, prints a document or checks the install). This is the one module
that may import the CLI, the GUI and the self-test alike; they never import one another.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lehe_desktop.core.store.store import Store


def _gui_self_checks(store: Store | None, folder: Path) -> list[tuple[str, Callable[[], str]]]:
    from lehe_desktop.gui.selftest_gui import gui_checks

    return gui_checks(store, folder)


def _run_gui(args: argparse.Namespace) -> int:
    if getattr(args, "self_test", False):
        # Before any GUI import: the self-test decides itself whether Qt must render offscreen.
        from lehe_desktop.selftest import run as run_self_test

        return run_self_test(args, _gui_self_checks)
    try:
        if getattr(args, "pdf", None) or getattr(args, "print_kind", None):
            from lehe_desktop.core.paths import resolve
            from lehe_desktop.gui.pdfcli import pdf_main

            return pdf_main(resolve(getattr(args, "data_dir", None)), args)
        if getattr(args, "screenshot", None):
            from lehe_desktop.core.paths import resolve
            from lehe_desktop.gui.screenshot import screenshot_main

            return screenshot_main(resolve(getattr(args, "data_dir", None)), args)
        from lehe_desktop.gui.app import run
    except ImportError as exc:
        sys.stderr.write(f"error [gui.unavailable]: 图形界面无法启动 / the GUI cannot start: {exc}\n")
        return 1
    return run(args)


def main(argv: list[str] | None = None) -> int:
    from lehe_desktop.cli.main import main as cli_main

    return cli_main(argv, gui=_run_gui)


if __name__ == "__main__":
    sys.exit(main())
