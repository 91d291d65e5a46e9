"""`handover`: sign the worker out of this laptop once everything has reached the server.

Exit codes (docs/cli.md): 0 done; 2 without `--yes`; 3 wrong passphrase; 7 `handover.unsent`
(changes not sent or refused ones not dealt with: nothing is changed).
"""

from __future__ import annotations

import argparse
from typing import Any

from ..core import handover
from ..core.cli_support import print_json
from ..core.errors import EXIT_OK, UsageError
from .commands import data_paths, opened
from .registry import PARSER_EXTENSIONS, command, lang_of


def _extend(sub: Any) -> None:
    s = sub.add_parser("handover", help="sign the worker out and erase this laptop's data (交接)")
    s.add_argument("--yes", action="store_true", help="confirm: the data on this laptop is erased")
    s.add_argument("--json", action="store_true")


PARSER_EXTENSIONS.append(_extend)


@command("handover")
def cmd_handover(args: argparse.Namespace) -> int:
    paths = data_paths(args)
    # The passphrase opens the store first: only the worker (or an admin who knows it) signs out.
    with opened(args) as store:
        handover.require_ready(store)
        if not args.yes:
            raise UsageError("handover.confirm", "交接将删除本机上的全部数据：确认请加 --yes",
                             "The handover erases all data on this laptop: add --yes to confirm")
    removed = handover.erase(paths)
    if args.json:
        print_json({"erased": [str(p) for p in removed]})
    else:
        print("已交接：本机数据已删除，下次启动为首次使用。" if lang_of(args) == "zh"
              else "Handed over: this laptop's data is erased; the next start is a first run.")
    return EXIT_OK
