"""The bin: a record deleted with what depends on it, listed on its own, restored with it.

Core on a real store and the command line in a real process (tests/sync/test_bin_sync.py: the
same between two laptops through the real server).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

import pytest

from lehe_desktop.core.errors import NotFoundError, StateError
from lehe_desktop.core.store import bin as recycle
from lehe_desktop.core.store.store import Store

CliRunner = Callable[..., subprocess.CompletedProcess[str]]


def family(store: Store) -> dict[str, str]:
    """A household with a member, her phone, a visit and a need raised at it: five rows."""
    aid = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    hid = store.create("household", {"area_id": aid, "group_name": "一组", "head_name": "王大山"}).id
    mid = store.create("member", {"household_id": hid, "name": "王小花", "sex": "2", "relation": "10"}).id
    phone = store.create("member_phone", {"member_id": mid, "number": "13812345678"}).id
    vid = store.create("visit", {"household_id": hid, "visit_date": "2026-02-01", "visit_type": "routine",
                                 "target_seen": 1, "situation": "家中一切正常", "risk_level": "low",
                                 "follow_up_needed": 0}).id
    need = store.create("visit_need", {"visit_id": vid, "lehe_dimension": "body", "need_domain": "basic_living", "description": "需要轮椅",
                                      "urgency": "urgent", "status": "open"}).id
    return {"household": hid, "member": mid, "member_phone": phone, "visit": vid, "visit_need": need}


def deleted(store: Store, ids: dict[str, str]) -> dict[str, int]:
    out = {}
    for t, i in ids.items():
        rec = store.get(t, i, include_deleted=True)
        assert rec is not None
        out[t] = rec["deleted"]
    return out


def test_a_household_goes_to_the_bin_with_its_members_and_visits_and_comes_back_with_them(store: Store) -> None:
    ids = family(store)
    before = store.query_value("SELECT count(*) FROM changes")
    gone = recycle.delete_with_dependents(store, "household", ids["household"])
    assert set(gone) == set(ids.items())
    assert gone[0] == ("household", ids["household"])          # the owner first
    assert set(deleted(store, ids).values()) == {1}
    assert store.query_value("SELECT count(*) FROM changes") == before + len(ids)   # each delete syncs
    assert store.search("王大山", rtypes=["household"]) == []
    listed = recycle.binned(store)
    assert [(i["type"], i["id"], i["with"]) for i in listed] == [("household", ids["household"], len(ids) - 1)]
    assert "王大山" in listed[0]["title"] and listed[0]["deleted_at"].endswith("Z")
    restored = recycle.undelete(store, "household", ids["household"])
    assert set(restored) == set(ids.items())
    assert set(deleted(store, ids).values()) == {0}
    assert recycle.binned(store) == []
    assert store.search("王大山", rtypes=["household"])


def test_a_row_deleted_before_its_owner_stays_in_the_bin_on_its_own(store: Store) -> None:
    ids = family(store)
    recycle.delete_with_dependents(store, "visit", ids["visit"])          # deleted first, on its own
    recycle.delete_with_dependents(store, "household", ids["household"])
    listed = {(i["type"], i["id"]) for i in recycle.binned(store)}
    assert listed == {("household", ids["household"]), ("visit", ids["visit"])}
    recycle.undelete(store, "household", ids["household"])
    assert deleted(store, ids) == {"household": 0, "member": 0, "member_phone": 0, "visit": 1, "visit_need": 1}
    recycle.undelete(store, "visit", ids["visit"])
    assert set(deleted(store, ids).values()) == {0}


def test_undelete_refuses_what_it_cannot_do_and_changes_nothing(store: Store) -> None:
    ids = family(store)
    with pytest.raises(StateError) as info:
        recycle.undelete(store, "household", ids["household"])
    assert info.value.code == "bin.not_deleted"
    recycle.delete_with_dependents(store, "household", ids["household"])
    made = store.query_value("SELECT count(*) FROM changes")
    with pytest.raises(StateError) as info:
        recycle.undelete(store, "member", ids["member"])               # its household is still deleted
    assert info.value.code == "bin.owner_deleted"
    with pytest.raises(NotFoundError) as missing:
        recycle.undelete(store, "member", "no-such-id")
    assert missing.value.code == "bin.not_found"
    assert store.query_value("SELECT count(*) FROM changes") == made
    assert set(deleted(store, ids).values()) == {1}


def test_bin_and_undelete_on_the_command_line(store: Store, cli: CliRunner) -> None:
    ids = family(store)
    recycle.delete_with_dependents(store, "household", ids["household"])
    store.close()
    out = cli("bin", "--json")
    assert out.returncode == 0, out.stderr
    items = json.loads(out.stdout)
    assert [sorted(i) for i in items] == [["deleted_at", "id", "title", "type"]]
    assert items[0]["type"] == "household" and items[0]["id"] == ids["household"]
    bad = cli("undelete", "household", "no-such-id")
    assert bad.returncode == 5 and "bin.not_found" in bad.stderr and "Traceback" not in bad.stderr
    wrong = cli("undelete", "nonsense", ids["household"])
    assert wrong.returncode == 2 and "bin.type" in wrong.stderr
    owner = cli("undelete", "member", ids["member"])
    assert owner.returncode == 7 and "bin.owner_deleted" in owner.stderr
    done = cli("undelete", "household", ids["household"], "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["restored"]) == len(ids)
    assert json.loads(cli("bin", "--json").stdout) == []
