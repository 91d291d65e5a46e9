"""`person-copy` and `anonymise` on the command line (docs/cli.md)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from lehe_desktop.core.store.store import Store


def test_a_persons_copy_then_anonymising_them(cli: Callable[..., CompletedProcess[str]], store: Store,
                                               tmp_path: Path) -> None:
    hid = store.create("household", {"area_id": store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"),
                                     "group_name": "一组", "head_name": "王大山"}).id
    mid = store.create("member", {"household_id": hid, "name": "欧阳小花", "sex": "2", "relation": "40",
                                  "notes": "喜欢画画"}).id
    store.create("member_phone", {"member_id": mid, "number": "13912345678"})
    store.close()
    out = tmp_path / "copy.json"
    r = cli("person-copy", mid, str(out))
    assert r.returncode == 0, r.stderr
    copy = json.loads(out.read_text(encoding="utf-8"))
    assert copy["member"]["姓名"] == "欧阳小花" and copy["household"]["head_name"] == "王大山"
    assert "+8613912345678" in json.dumps(copy, ensure_ascii=False)
    again = cli("person-copy", mid, str(out))              # never overwrites
    assert again.returncode == 7 and "rights.exists" in again.stderr
    refused = cli("anonymise", mid, "--basis", "subject_request")
    assert refused.returncode == 2 and "rights.confirm" in refused.stderr
    r = cli("anonymise", mid, "--basis", "subject_request", "--yes", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["member"] == mid
    twice = cli("anonymise", mid, "--basis", "subject_request", "--yes")
    assert twice.returncode == 7 and "rights.already_anonymised" in twice.stderr
    missing = cli("person-copy", "no-such-member", str(tmp_path / "x.json"))
    assert missing.returncode == 5 and "rights.not_found" in missing.stderr and "Traceback" not in missing.stderr
