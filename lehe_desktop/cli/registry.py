"""Where subcommand modules register their handlers and parser additions.

The command modules (commands.py, commands_data.py, commands_sync.py) import this module;
``cli/main.py`` imports them all and dispatches. Nothing here imports a command module, so
the package has no import cycle.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

Handler = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, Handler] = {}
# Later modules (records, sync, exports) add their subcommands here.
PARSER_EXTENSIONS: list[Callable[[Any], None]] = []


def command(name: str) -> Callable[[Handler], Handler]:
    def deco(fn: Handler) -> Handler:
        COMMANDS[name] = fn
        return fn
    return deco


def lang_of(args: argparse.Namespace) -> str:
    return args.lang or "zh"


def at_least(low: int) -> Callable[[str], int]:
    """An argparse type: a whole number ≥ ``low`` (``--limit 0`` or ``-1`` is a usage error, not an
    empty or one-line answer that looks like the data)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"不是整数 / not a whole number: {text!r}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"至少为 {low} / must be at least {low}: {text}")
        return value
    return parse
