"""What every command line of the project shares: usage errors, JSON output, error lines.

Used by `lehe-desktop` (cli/main.py) and `lehe-server` (server/cli.py) so both speak the same
contract: one `error [code]: message` line on stderr and a documented exit code. It lives in
the core, not in `lehe_desktop.cli`, because the desktop CLI, the server and the GUI are
independent of one another (pyproject.toml, import-linter) and all may use it.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .errors import EXIT_USAGE, LeheError


class UsageParser(argparse.ArgumentParser):
    """argparse that reports a bad command line as `error [usage]` with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"error [usage]: {message}\n")
        sys.exit(EXIT_USAGE)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")


def report_error(exc: LeheError, lang: str | None) -> None:
    """One line with the stable code; the problems behind a validation error indented below."""
    message = exc.message(lang) if lang else f"{exc.zh} / {exc.en}"
    sys.stderr.write(f"error [{exc.code}]: {message}\n")
    for p in exc.problems:
        if p.code != exc.code or len(exc.problems) > 1:
            sys.stderr.write(f"  - [{p.code}] {p.field}: {p.message(lang or 'zh')}\n")
