"""Anonymising a person: scrubbed on every replica — records, history, conflicts, search — and a
change made by a laptop that was offline brings nothing back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pg_cluster import both_backends
from sync_harness import OTHER_VILLAGE, VILLAGE, LiveServer, household, make_laptop

from lehe_desktop.core import rights
from lehe_desktop.core.store.purge import PLACEHOLDER
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client

NAME = "欧阳小花"
ID_NUMBER = "500238201605010025"


def holding(store: Store, *needles: str) -> list[str]:
    """Every table (search index shadow tables included) with a cell holding one of ``needles``."""
    found = []
    for (table,) in store.query("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in store.query(f'SELECT * FROM "{table}"'):
            for cell in row:
                data = cell if isinstance(cell, bytes) else str(cell).encode() if cell is not None else b""
                if any(n.encode() in data for n in needles):
                    found.append(table)
                    break
    return sorted(set(found))


@both_backends
def test_anonymising_reaches_every_replica_and_stays(tmp_path: Path, live_server: LiveServer) -> None:
    a, b, c = (make_laptop(tmp_path / n) for n in "abc")
    # Laptop A is an admin's (only admins anonymise); B and C are workers'.
    for s, user, role in ((a, "alice", "admin"), (b, "bob", "worker"), (c, "carol", "worker")):
        client.enroll(s, live_server.url, live_server.code_for(user, role=role))
    hid = household(a, head="欧阳大山", address="白鹿村3号")
    mid = a.create("member", {"household_id": hid, "name": NAME, "sex": "2", "relation": "40",
                              "id_number": ID_NUMBER, "notes": "喜欢画画"}).id
    a.create("member_phone", {"member_id": mid, "number": "13912345678"})
    a.create("member_category", {"member_id": mid, "category": "left_behind_child"})
    vid = a.create("visit", {"household_id": hid, "visit_date": "2026-11-01", "visit_type": "routine",
                             "purpose": "了解近况", "target_seen": 1, "follow_up_needed": 0, "risk_level": "low",
                             "situation": f"{NAME}和奶奶在家，{NAME}说学校很好"}).id
    for s in (a, b, c):
        client.sync_once(s)
    assert holding(b, NAME) and b.search(NAME)
    # Laptop C goes offline and edits the child's notes (an old view of the person).
    c.update("member", mid, {"notes": f"{NAME}的奶奶腿脚不便"})

    rights.anonymise(a, mid, basis="subject_request", requested_on=date(2026, 12, 6))
    assert holding(a, NAME, ID_NUMBER, "13912345678") == []
    assert a.search(NAME) == [] and a.search("小花") == []
    member = a.get("member", mid)
    assert member is not None and member["name"] == PLACEHOLDER and member["id_number"] is None
    situation = a.get("visit", vid)["situation"]       # the visit stays; the name in its text goes
    assert situation == f"{PLACEHOLDER}和奶奶在家，{PLACEHOLDER}说学校很好"
    assert a.count("member_phone") == 0                # the phone is deleted with the person

    client.sync_once(a)
    client.sync_once(b)
    assert holding(b, NAME, ID_NUMBER, "13912345678") == [] and b.search(NAME) == []
    server = live_server.storage.store
    assert holding(server, NAME, ID_NUMBER, "13912345678") == []

    # The offline laptop comes back: its old edit is taken (no refusal, no reused-sequence alarm),
    # and the name stays gone everywhere — on C too, once the purge arrives.
    result = client.sync_once(c)
    assert result.rejected == 0
    assert holding(c, NAME, ID_NUMBER) == []
    assert holding(server, NAME, ID_NUMBER) == []
    client.sync_once(b)
    assert holding(b, NAME, ID_NUMBER) == []
    assert b.get("member", mid)["name"] == PLACEHOLDER
    for s in (a, b, c):
        s.close()


def test_a_workers_purge_is_refused_by_the_server(tmp_path: Path, live_server: LiveServer) -> None:
    """A purge written on a worker's laptop by other means than the app (the app refuses it at once)."""
    w = make_laptop(tmp_path / "w")
    client.enroll(w, live_server.url, live_server.code_for("wang", role="worker"))
    hid = household(w)
    mid = w.create("member", {"household_id": hid, "name": "王小花", "sex": "2", "relation": "40"}).id
    w.create("purge", {"household_id": hid, "member_id": mid, "basis": "subject_request",
                       "requested_on": "2026-12-06"})
    result = client.sync_once(w)
    assert result.rejected == 1
    srv = live_server.storage.store
    assert srv.query_value("SELECT count(*) FROM purges") == 0
    assert srv.query_value("SELECT code FROM rejects WHERE rtype = 'purge'") == "role.purge_forbidden"
    w.close()


def test_a_purge_naming_a_member_of_another_village_scrubs_nothing(tmp_path: Path, live_server: LiveServer) -> None:
    """Scope goes by the purge's household: a purge filed under a household of 乐和村 that names a
    member of 大坪村 (another household) scrubs nothing, on any replica."""
    there = make_laptop(tmp_path / "there")
    client.enroll(there, live_server.url, live_server.code_for("li", areas=(OTHER_VILLAGE,)))
    far = household(there, village=OTHER_VILLAGE, head="远方户")
    victim = there.create("member", {"household_id": far, "name": "远方的孩子", "sex": "2", "relation": "40"}).id
    client.sync_once(there)
    admin = make_laptop(tmp_path / "admin")
    client.enroll(admin, live_server.url, live_server.code_for("boss", role="admin", areas=(VILLAGE, OTHER_VILLAGE)))
    client.sync_once(admin)
    own = household(admin, head="本村户")
    admin.create("purge", {"household_id": own, "member_id": victim, "basis": "subject_request",
                           "requested_on": "2026-12-06"})
    client.sync_once(admin)
    client.sync_once(there)
    srv = live_server.storage.store
    assert srv.query_value("SELECT name FROM members WHERE id = ?", (victim,)) == "远方的孩子"
    assert there.get("member", victim)["name"] == "远方的孩子"
    assert admin.get("member", victim)["name"] == "远方的孩子"
    for s in (there, admin):
        s.close()
