"""`person-copy` and `anonymise`: a person's rights over their data (PIPL Art. 45, 47; docs/privacy.md).

Exit codes (docs/cli.md): 0; 2 bad basis; 5 `rights.not_found`; 7 `rights.exists`, `rights.already_anonymised`;
10 `role.forbidden` (a copy is named data: coordinators and admins; only admins anonymise; a single-user
install may do both); 1 `rights.write_failed`. Nothing changes on an error.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from ..core import rights
from ..core.cli_support import print_json
from ..core.errors import EXIT_OK, UsageError
from .commands import opened
from .registry import PARSER_EXTENSIONS, command, lang_of

BASES = ("subject_request", "consent_withdrawn", "retention_expired")


def _extend(sub: Any) -> None:
    s = sub.add_parser("person-copy", help="everything held about one member, as a JSON file for them (查阅复制)")
    s.add_argument("member_id", metavar="MEMBER_ID")
    s.add_argument("out", metavar="OUT.json")
    s = sub.add_parser("anonymise", help="scrub one member's personal data everywhere (匿名化; admins)")
    s.add_argument("member_id", metavar="MEMBER_ID")
    s.add_argument("--basis", required=True, choices=BASES)
    s.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    s.add_argument("--json", action="store_true")


PARSER_EXTENSIONS.append(_extend)


@command("person-copy")
def cmd_person_copy(args: argparse.Namespace) -> int:
    out = Path(args.out)
    with opened(args) as store:
        rights.write_person_copy(store, args.member_id, out)     # the window's 导出此人信息… does the same
    print(f"已写入 {out}" if lang_of(args) == "zh" else f"Written: {out}")
    return EXIT_OK


@command("anonymise")
def cmd_anonymise(args: argparse.Namespace) -> int:
    if not args.yes:
        raise UsageError("rights.confirm", "匿名化无法撤销：确认请加 --yes", "Anonymising cannot be undone: add --yes to confirm")
    with opened(args) as store:
        pid = rights.anonymise(store, args.member_id, basis=args.basis, requested_on=date.today())
    if args.json:
        print_json({"purge": pid, "member": args.member_id})
    else:
        print("已匿名化；下次同步时传到服务器和其他电脑。" if lang_of(args) == "zh"
              else "Anonymised; the next sync takes it to the server and the other laptops.")
    return EXIT_OK
