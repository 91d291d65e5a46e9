"""`vocab list|add|rename|deactivate`: the vocabularies (categories) on this laptop (issue 13).

    lehe-desktop [--data-dir DIR] vocab list NAME [--json]      # [{"code","zh","en","active"}, …]
    lehe-desktop [--data-dir DIR] vocab add NAME CODE --zh LABEL [--en LABEL]
    lehe-desktop [--data-dir DIR] vocab rename NAME CODE --zh LABEL [--en LABEL]
    lehe-desktop [--data-dir DIR] vocab deactivate NAME CODE

Exit codes (docs/cli.md): 0; 4 an invalid code or label (``vocab_item.*``, ``text.*``); 5
``vocab.unknown`` / ``vocab.no_code``; 7 ``vocab.code_exists``; 10 ``role.forbidden`` (an
enrolled worker's laptop may not change vocabularies). Nothing changes on an error.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..core import vocabs
from ..core.cli_support import print_json
from ..core.errors import EXIT_OK
from .commands import opened
from .registry import PARSER_EXTENSIONS, command


def _extend(sub: Any) -> None:
    s = sub.add_parser("vocab", help="list, add, rename or deactivate vocabulary items (词表/类别)")
    vsub = s.add_subparsers(dest="vocab_command", metavar="ACTION", required=True)
    p = vsub.add_parser("list", help="every item of a vocabulary, deactivated ones too")
    p.add_argument("name", metavar="NAME", help="vocabulary name, e.g. visit_type")
    p.add_argument("--json", action="store_true")
    for action, text in (("add", "a new code"), ("rename", "new labels for a code")):
        p = vsub.add_parser(action, help=text)
        p.add_argument("name", metavar="NAME")
        p.add_argument("code", metavar="CODE")
        p.add_argument("--zh", required=True, metavar="LABEL", help="Chinese label")
        p.add_argument("--en", metavar="LABEL", help="English label")
    p = vsub.add_parser("deactivate", help="no longer offer a code in forms (it is never deleted)")
    p.add_argument("name", metavar="NAME")
    p.add_argument("code", metavar="CODE")


PARSER_EXTENSIONS.append(_extend)


@command("vocab")
def cmd_vocab(args: argparse.Namespace) -> int:
    action = args.vocab_command
    with opened(args) as store:
        if action == "list":
            items = vocabs.list_items(store, args.name)
            if args.json:
                print_json([{k: v[k] for k in ("code", "zh", "en", "active")} for v in items])
                return EXIT_OK
            for v in items:
                mark = "" if v["active"] else "  （已停用 / deactivated）"
                print(f"{v['code']}\t{v['zh']}\t{v['en']}{mark}")
            return EXIT_OK
        if action == "add":
            vocabs.add(store, args.name, args.code, args.zh, args.en)
            print(f"已添加 {args.name}:{args.code} / added")
        elif action == "rename":
            vocabs.rename(store, args.name, args.code, args.zh, args.en)
            print(f"已改名 {args.name}:{args.code} / renamed")
        else:
            vocabs.deactivate(store, args.name, args.code)
            print(f"已停用 {args.name}:{args.code} / deactivated")
    return EXIT_OK
