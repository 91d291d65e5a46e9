"""Vocabulary items sync (issue 13): a worker's edit is refused by the server with a coded reason
(and listed in the laptop's rejects), while a coordinator's reaches a second laptop by pull — one
in another village too, since vocabularies belong to no area. Real server over HTTP, real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_harness import OTHER_VILLAGE, VILLAGE, LiveServer, desktop, household, make_laptop

from lehe_desktop.core import vocabs
from lehe_desktop.core.errors import EXIT_FORBIDDEN
from lehe_desktop.core.roles import RoleError
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync.conflicts import list_conflicts, list_rejected, resolve_conflict


def _codes(store: object, name: str) -> dict[str, tuple[str, str, bool]]:
    return {v["code"]: (v["zh"], v["en"], v["active"]) for v in vocabs.list_items(store, name)}  # type: ignore[arg-type]


def test_a_workers_vocabulary_edit_is_refused_by_the_server_a_coordinators_reaches_another_laptop(
        tmp_path: Path, live_server: LiveServer) -> None:
    worker = make_laptop(tmp_path / "worker", "社工甲")
    coord = make_laptop(tmp_path / "coord", "协调员")
    other = make_laptop(tmp_path / "other", "社工乙")
    try:
        client.enroll(worker, live_server.url, live_server.code_for("wang", "worker"))
        client.enroll(coord, live_server.url, live_server.code_for("zhao", "coordinator"))
        client.enroll(other, live_server.url, live_server.code_for("li", "worker", (OTHER_VILLAGE,)))
        assert vocabs.laptop_role(worker) == "worker" and vocabs.laptop_role(coord) == "coordinator"

        # The worker's laptop refuses at once …
        with pytest.raises(RoleError) as refused:
            vocabs.add(worker, "visit_type", "phone_fu", "电话回访")
        assert refused.value.code == "role.forbidden"
        assert "phone_fu" not in _codes(worker, "visit_type")
        # … and a change written past that check (an old or altered app) is refused by the server.
        worker.create("vocab_item", {"vocab": "visit_type", "code": "worker_made", "zh": "社工自造", "active": True})
        household(worker, VILLAGE, head="王大山")
        got = client.sync_once(worker)
        assert got.rejected == 1
        [reject] = list_rejected(worker)
        assert (reject["type"], reject["code"]) == ("vocab_item", "role.vocab_forbidden")
        assert not live_server.storage.store.vocab_has("visit_type", "worker_made")
        assert live_server.storage.store.query_value(
            "SELECT count(*) FROM households WHERE deleted = 0") == 1     # the rest of the push went in

        # The coordinator adds, renames and deactivates; every change is accepted.
        vocabs.add(coord, "visit_type", "phone_fu", "电话回访", "Phone follow-up")
        vocabs.rename(coord, "visit_type", "routine", "日常探访")
        vocabs.deactivate(coord, "visit_type", "festival_greeting")
        got = client.sync_once(coord)
        assert got.rejected == 0 and got.pushed >= 3
        assert live_server.storage.store.vocab_has("visit_type", "phone_fu")

        # A worker in another village pulls them: offered, relabelled, deactivated (kept for labels).
        client.sync_once(other)
        codes = _codes(other, "visit_type")
        assert codes["phone_fu"] == ("电话回访", "Phone follow-up", True)
        assert codes["routine"] == ("日常探访", "Routine visit", True)
        assert codes["festival_greeting"][2] is False
        assert "worker_made" not in codes
        # The pulled code is a valid answer on that laptop at once.
        hid = household(other, OTHER_VILLAGE, head="李四")
        vid = other.create("visit", {"household_id": hid, "visit_date": "2026-03-01", "visit_type": "phone_fu",
                                     "target_seen": True, "situation": "电话联系，情况稳定", "risk_level": "low",
                                     "follow_up_needed": False}).id
        assert other.get("visit", vid)["visit_type"] == "phone_fu"  # type: ignore[index]
        # The worker's own laptop gets the coordinator's items too.
        client.sync_once(worker)
        assert _codes(worker, "visit_type")["phone_fu"][2] is True
    finally:
        for s in (worker, coord, other):
            s.close()


def test_vocab_add_on_an_enrolled_workers_laptop_is_refused_with_exit_10(tmp_path: Path,
                                                                       live_server: LiveServer) -> None:
    root = tmp_path / "w"
    store = make_laptop(root)
    client.enroll(store, live_server.url, live_server.code_for("wang", "worker"))
    store.close()
    done = desktop(root, "vocab", "add", "visit_type", "phone_fu", "--zh", "电话回访")
    assert done.returncode == EXIT_FORBIDDEN, done.stderr
    assert "role.forbidden" in done.stderr


def test_the_same_code_edited_on_two_laptops_merges_like_any_record(tmp_path: Path, live_server: LiveServer) -> None:
    """Two coordinators add the same new code and rename the same built-in one, offline: one record
    each (the id comes from vocabulary and code), and after syncing both laptops show the same."""
    a = make_laptop(tmp_path / "a", "协调员甲")
    b = make_laptop(tmp_path / "b", "管理员乙")
    try:
        client.enroll(a, live_server.url, live_server.code_for("zhao", "coordinator"))
        client.enroll(b, live_server.url, live_server.code_for("root", "admin", (OTHER_VILLAGE,)))
        vocabs.add(a, "risk_factor", "flood", "洪水", "Flood")
        vocabs.add(b, "risk_factor", "flood", "山洪", "Flash flood")
        vocabs.rename(a, "visit_type", "routine", "日常探访")
        vocabs.deactivate(b, "visit_type", "routine")
        for lap in (a, b, a):
            assert client.sync_once(lap).rejected == 0
        assert _codes(a, "risk_factor")["flood"] == _codes(b, "risk_factor")["flood"] == ("山洪", "Flash flood", True)
        assert _codes(a, "visit_type")["routine"] == _codes(b, "visit_type")["routine"]
        assert _codes(a, "visit_type")["routine"][2] is False          # b's later deactivation wins on a too
        assert a.count("vocab_item") == b.count("vocab_item") == 2
        # Both rename the same code from the same version: a conflict record, about a record of no
        # area, reaches both laptops; settling it ("use the other") is accepted and syncs.
        vocabs.rename(a, "risk_factor", "flood", "洪涝")
        vocabs.rename(b, "risk_factor", "flood", "山洪暴发")
        for lap in (a, b, a):
            assert client.sync_once(lap).rejected == 0
        assert {c["id"] for c in list_conflicts(a)} == {c["id"] for c in list_conflicts(b)}
        [conflict] = [c for c in list_conflicts(a) if c["winner_value"] == "山洪暴发"]
        assert (conflict["type"], conflict["field"], conflict["other_value"]) == ("vocab_item", "zh", "洪涝")
        resolve_conflict(a, conflict["id"], "other")
        for lap in (a, b):
            assert client.sync_once(lap).rejected == 0
        assert conflict["id"] not in {c["id"] for c in list_conflicts(b)}      # settled there too
        assert _codes(a, "risk_factor")["flood"][0] == _codes(b, "risk_factor")["flood"][0] == "洪涝"
    finally:
        a.close()
        b.close()
