"""Entry point for `lehe-desktop` and `python -m lehe_desktop`.

With a subcommand it is the command line; without one it starts the desktop window.
"""

from __future__ import annotations

import argparse
import sys


def _run_gui(args: argparse.Namespace) -> int:
    if getattr(args, "self_test", False):
        # Before any GUI import: the self-test decides itself whether Qt must render offscreen.
        from lehe_desktop.selftest import run as run_self_test

        return run_self_test(args)
    try:
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
