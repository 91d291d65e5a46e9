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
