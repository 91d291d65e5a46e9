"""The server as a trust boundary, over real HTTP on 127.0.0.1 (issue 11): every pushed change is
checked before it is stored, held or relayed; a held change that cannot be applied is quarantined
and never blocks another device; scope fails closed for every record type."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import msgspec
from pg_cluster import both_backends
from sync_harness import OTHER_VILLAGE, VILLAGE, LiveServer, household, make_laptop

from lehe_desktop.core import hlc, rights
from lehe_desktop.core import messages as m
from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.records import catalog  # noqa: F401  (registers every record type)
from lehe_desktop.core.records.schema import REGISTRY
from lehe_desktop.core.store.migrations import SCHEMA_VERSION
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.core.sync.conflicts import list_rejected
from lehe_desktop.server.scope import GLOBAL_TYPES, scope_rule

# Tests marked @both_backends (refusals, scope both ways, holds) run on the SQLite and the PostgreSQL
# server; all of them do with LEHE_TEST_BACKEND=postgresql.


def enrolled(tmp: Path, srv: LiveServer, name: str, user: str, areas: tuple[str, ...] = (VILLAGE,),
             role: str = "worker") -> Store:
    store = make_laptop(tmp / name)
    client.enroll(store, srv.url, srv.code_for(user, role=role, areas=areas))
    return store


def post(srv: LiveServer, store: Store, path: str, body: bytes) -> httpx.Response:
    key = P.load_private(store.meta()["sync_device_key"])
    headers = {"content-type": "application/json",
               **P.request_headers(key, store.device_id, "POST", path, body, int(time.time() * 1000))}
    return httpx.post(srv.url + path, content=body, headers=headers, timeout=30)


def own_changes(store: Store) -> list[dict[str, Any]]:
    rows = store.query(f"SELECT {m.CHANGE_COLUMNS} FROM changes WHERE origin = ? ORDER BY seq", (store.origin,))
    return [msgspec.json.decode(m.encode(m.stored_change(r))) for r in rows]


def server_value(srv: LiveServer, sql: str, *params: Any) -> Any:
    return srv.storage.store.query_value(sql, params)


@both_backends
def test_every_malformed_change_is_refused_with_a_code(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    household(a, head="王大山")
    good = own_changes(a)
    hh = good[-1]
    assert hh["type"] == "household"
    top = hh["seq"]
    year = 366 * 86400 * 1000
    cases: list[tuple[dict[str, Any], str]] = [
        ({"fields": {**hh["fields"], "group_name": 7}}, "change.value"),                 # a number as text
        ({"fields": {**hh["fields"], "address": ["东", "西"]}}, "change.value"),          # a list as text
        ({"fields": {**hh["fields"], "notes": "长" * 20001}}, "change.value"),           # over the length
        ({"fields": {**hh["fields"], "head_name": "王\x07山"}}, "change.value"),          # a control character
        ({"fields": {**hh["fields"], "status": "no_such_code"}}, "change.value"),        # not in the vocabulary
        ({"fields": {**hh["fields"], "head_name": None}}, "change.value"),               # required, emptied
        ({"fields": {**hh["fields"], "deleted": "yes"}}, "change.value"),
        ({"fields": {**hh["fields"], "bad name!": 1}}, "change.field_name"),
        ({"fields": {**hh["fields"], "later_field": ["长" * 30000]}}, "change.too_large"),   # over 64 KiB
        ({"hlc": hlc.pack(hlc.now_ms() + 2 * year)}, "change.stamp"),
        ({"type": "no_such_type"}, "change.unknown_type"),
        ({"id": "h\nx"}, "change.id"),
        ({"base": {"head_name": {"not": "a version"}}}, "change.base"),
        # U+0000: never typed, and PostgreSQL text cannot hold it (refused alike on both backends)
        ({"fields": {**hh["fields"], "notes": "前\x00后"}}, "change.value"),
        ({"user": "王\x00"}, "change.id"),
        ({"id": "h\x00x"}, "change.id"),
    ]
    bad = [{**hh, "id": f"bad-{i}", "seq": top + 1 + i, **patch} for i, (patch, _) in enumerate(cases)]
    resp = post(live_server, a, P.PUSH, msgspec.json.encode({"changes": [*good, *bad]}))
    assert resp.status_code == 200, resp.text
    reply = m.decode(resp.content, m.PushReply)
    assert [s for s, _ in reply.results] == ["applied"] * len(good) + ["rejected"] * len(bad)
    assert [(r.seq, r.code) for r in reply.rejected] == [(b["seq"], code) for b, (_, code) in zip(bad, cases,
                                                                                               strict=True)]
    assert all(r.zh and r.en for r in reply.rejected)
    # Nothing of them stored, held or relayed; each listed for the sender in the server's log.
    assert server_value(live_server, "SELECT count(*) FROM changes WHERE rid LIKE 'bad-%'") == 0
    assert server_value(live_server, "SELECT count(*) FROM rejects WHERE origin = ?", a.origin) == len(bad)
    a.close()


def test_bodies_that_are_not_even_json_items_are_refused_not_500(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    deep = b"[" * 5000 + b"]" * 5000
    for body in (b'{"changes": [' + deep + b"]}", b'{"changes": [{"origin": "\\ud800"}]}', deep):
        resp = post(live_server, a, P.PUSH, body)
        assert resp.status_code in (200, 400), (resp.status_code, resp.text)
        if resp.status_code == 200:
            assert [r.code for r in m.decode(resp.content, m.PushReply).rejected] == ["change.invalid"]
    a.close()


def _three_keep_syncing(laptops: list[Store], round_no: int) -> None:
    for i, lap in enumerate(laptops):
        household(lap, head=f"{'甲乙丙'[i]}户{round_no}")
    for lap in laptops:
        client.sync_once(lap)
    for lap in laptops:
        client.sync_once(lap)
    heads = [sorted(r[0] for r in lap.query("SELECT head_name FROM households")) for lap in laptops]
    wanted = {f"{who}户{n}" for who in "甲乙丙" for n in range(1, round_no + 1)}
    assert heads[0] == heads[1] == heads[2] and wanted <= set(heads[0]), heads


def test_a_far_future_malformed_change_never_stops_the_others(tmp_path: Path, live_server: LiveServer) -> None:
    mal = enrolled(tmp_path, live_server, "mal", "mallory")
    others = [enrolled(tmp_path, live_server, n, u) for n, u in (("a", "alice"), ("b", "bob"), ("c", "carol"))]
    household(mal, head="马户")
    good = own_changes(mal)
    hh = good[-1]
    ahead = hlc.pack(hlc.now_ms() + 5 * 60 * 1000 + 3000)      # a little over the 5-minute guard
    bad = {**hh, "id": "far-bad", "seq": hh["seq"] + 1, "hlc": ahead,
           "fields": {**hh["fields"], "head_name": ["not", "a", "name"]}}
    fine = {**hh, "id": "far-good", "seq": hh["seq"] + 2, "hlc": hlc.pack(hlc.now_ms() + 3600 * 1000),  # stays held
            "fields": {**hh["fields"], "head_name": "远户"}}
    resp = post(live_server, mal, P.PUSH, msgspec.json.encode({"changes": [*good, bad, fine]}))
    assert resp.status_code == 200, resp.text
    reply = m.decode(resp.content, m.PushReply)
    assert [s for s, _ in reply.results][-2:] == ["rejected", "held"]      # the malformed one is never held
    assert [(r.rid, r.code) for r in reply.rejected] == [("far-bad", "change.value")]
    _three_keep_syncing(others, 1)
    live_server.restart()
    _three_keep_syncing(others, 2)
    assert server_value(live_server, "SELECT count(*) FROM changes WHERE rid = 'far-bad'") == 0
    for lap in (mal, *others):
        lap.close()


def test_a_held_change_that_cannot_be_applied_is_quarantined(tmp_path: Path, live_server: LiveServer) -> None:
    """A malformed change an older server held (it checked nothing before holding) is quarantined with a
    reason the first time it is retried: every device keeps syncing, also after a restart."""
    mal = enrolled(tmp_path, live_server, "mal", "mallory")
    others = [enrolled(tmp_path, live_server, n, u) for n, u in (("a", "alice"), ("b", "bob"), ("c", "carol"))]
    household(mal, head="马户")
    client.sync_once(mal)
    hh = own_changes(mal)[-1]
    aid = hh["fields"]["area_id"]
    st = live_server.storage
    with st.transaction() as store:         # what an older server left: held, unchecked
        for seq, value in ((100, ["a", "list"]), (101, {"an": "object"})):
            store.execute("INSERT INTO changes(origin, seq, hlc, schema, rtype, rid, kind, fields, base, user, "
                          "wall_ms, app, server_seq, status, scope) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                          (mal.origin, seq, hlc.pack(hlc.now_ms()), SCHEMA_VERSION, "household", f"held-{seq}",
                           "upsert", m.dumps_text({"area_id": aid, "head_name": value}), None, "mallory", 0,
                           "0.1", None, "held", VILLAGE))
    _three_keep_syncing(others, 1)
    statuses = st.store.query("SELECT status FROM changes WHERE rid LIKE 'held-%'")
    assert [r[0] for r in statuses] == ["quarantined", "quarantined"]
    codes = st.store.query("SELECT code FROM rejects WHERE rid LIKE 'held-%'")
    assert [r[0] for r in codes] == ["change.value", "change.value"]
    live_server.restart()
    _three_keep_syncing(others, 2)
    for lap in (mal, *others):
        assert lap.query_value("SELECT count(*) FROM households WHERE id LIKE 'held-%'") == 0
        lap.close()


def test_every_record_type_has_a_scope_rule() -> None:
    for rt in REGISTRY.values():
        # Vocabulary items belong to no area: every device receives them (scope GLOBAL; test_vocab_sync.py).
        assert rt.name == "area" or rt.name in GLOBAL_TYPES or scope_rule(rt.name), rt.name


@both_backends
def test_a_foreign_village_is_refused_whole_and_reaches_no_one(tmp_path: Path, live_server: LiveServer) -> None:
    """A worker of 乐和村 records households in another village, with members, visits, needs, risk factors,
    referrals, matters and tasks: all refused (``scope.outside`` / ``scope.parent_refused``), each listed
    on the worker's laptop, and nothing of it reaches a laptop of that village or a coworker."""
    worker = enrolled(tmp_path, live_server, "w", "xiaowang")
    coworker = enrolled(tmp_path, live_server, "c", "xiaoli")
    there = enrolled(tmp_path, live_server, "o", "dapingcun", areas=(OTHER_VILLAGE,))
    household(there, village=OTHER_VILLAGE, head="本村户")
    client.sync_once(there)          # the other village exists on the server, as it would
    make_demo(worker, 6, areas=[OTHER_VILLAGE])
    made = {r[0] for r in worker.query("SELECT DISTINCT rtype FROM changes WHERE origin = ? AND rtype <> 'area'",
                                       (worker.origin,))}
    assert {"household", "member", "visit", "visit_need", "visit_risk_factor", "visit_referral",
            "task"} <= made, made
    result = client.sync_once(worker)
    sent = worker.query_value("SELECT count(*) FROM changes WHERE origin = ? AND rtype <> 'area'", (worker.origin,))
    assert result.rejected >= sent
    refused = list_rejected(worker)
    assert {r["code"] for r in refused} == {"scope.outside", "scope.parent_refused"}
    assert {r["type"] for r in refused} >= made
    # Nothing stored for others, nothing held for later.
    srv = live_server.storage.store
    assert srv.query_value("SELECT count(*) FROM changes WHERE origin = ? AND rtype <> 'area'", (worker.origin,)) == 0
    for lap in (there, coworker):
        client.sync_once(lap)
        for rtype in made:
            ids = {r[0] for r in worker.query("SELECT DISTINCT rid FROM changes WHERE rtype = ?", (rtype,))}
            got = lap.query("SELECT DISTINCT rid FROM changes WHERE rtype = ?", (rtype,))
            assert not ids & {r[0] for r in got}, rtype
    for lap in (worker, coworker, there):
        lap.close()


def _village_of(scope: str | None) -> str | None:
    for v in (VILLAGE, OTHER_VILLAGE):
        if scope is not None and (scope == v or scope.startswith(v + "/")):
            return v
    return None


@both_backends
def test_pull_never_returns_a_record_outside_the_devices_areas(tmp_path: Path, live_server: LiveServer) -> None:
    """Every record type, child rows and conflict records included, made in two villages: a laptop of each
    village receives exactly its village's records (and the area records above it)."""
    here = enrolled(tmp_path, live_server, "h", "xiaowang")
    here2 = enrolled(tmp_path, live_server, "h2", "xiaowang2")
    there = enrolled(tmp_path, live_server, "t", "dapingcun", areas=(OTHER_VILLAGE,))
    there2 = enrolled(tmp_path, live_server, "t2", "dapingcun2", areas=(OTHER_VILLAGE,))
    make_demo(here, 40, areas=[VILLAGE], seed=1)
    make_demo(there, 40, areas=[OTHER_VILLAGE], seed=2)
    # A purge (anonymisation) in each village too, made by an admin's laptop (only admins anonymise).
    admin = enrolled(tmp_path, live_server, "adm", "admin1", areas=(VILLAGE, OTHER_VILLAGE), role="admin")
    for lap in (here, there):
        client.sync_once(lap)
    client.sync_once(admin)
    for village in (VILLAGE, OTHER_VILLAGE):
        mid = admin.query_value("SELECT m.id FROM members m JOIN households h ON h.id = m.household_id "
                                "JOIN areas a ON a.id = h.area_id WHERE a.path = ? AND m.relation <> '02' "
                                "ORDER BY m.id LIMIT 1", (village,))
        rights.anonymise(admin, mid, basis="subject_request", requested_on=date(2026, 12, 6))
    client.sync_once(admin)
    for a, b, village in ((here, here2, VILLAGE), (there, there2, OTHER_VILLAGE)):
        client.sync_once(a)
        client.sync_once(b)
        hid = household(a, village=village, head="冲突户")
        client.sync_once(a)
        client.sync_once(b)
        a.update("household", hid, {"notes": "甲写的"})
        b.update("household", hid, {"notes": "乙写的"})
        client.sync_once(a)
        client.sync_once(b)          # concurrent edits of one field: a conflict record in that village
    srv = live_server.storage.store
    assert srv.query_value("SELECT count(*) FROM conflicts") == 2
    reader_here = enrolled(tmp_path, live_server, "r", "reader", areas=(VILLAGE,))
    client.sync_once(reader_here)
    scopes = {(r[0], r[1]): r[2] for r in srv.query("SELECT rtype, rid, scope FROM changes WHERE status = 'applied'")}
    types = ["conflict", *(t for t in REGISTRY if t not in GLOBAL_TYPES)]    # those go to all (test_vocab_sync)
    for reader, village in ((reader_here, VILLAGE), (there2, OTHER_VILLAGE)):
        client.sync_once(reader)
        for rtype in types:
            got = {r[0] for r in reader.query("SELECT DISTINCT rid FROM changes WHERE rtype = ? AND origin <> ?",
                                              (rtype, reader.origin))}
            expected = {rid for (t, rid), s in scopes.items() if t == rtype and _village_of(s) == village}
            if rtype == "area":
                got = {rid for rid in got if _village_of(scopes.get(("area", rid))) is not None}
            assert got == expected, rtype
            assert expected, f"no {rtype} made in {village}: the test would prove nothing"
    for lap in (here, here2, there, there2, reader_here, admin):
        lap.close()


def test_a_record_without_area_references_stays_in_its_makers_village(tmp_path: Path,
                                                                        live_server: LiveServer) -> None:
    """A task of no matter or agenda item names no area: it belongs to the area of the device that made
    it — a coworker receives it, another village's laptop does not; its progress notes follow it."""
    worker = enrolled(tmp_path, live_server, "w", "xiaowang")
    coworker = enrolled(tmp_path, live_server, "c", "xiaoli")
    there = enrolled(tmp_path, live_server, "o", "dapingcun", areas=(OTHER_VILLAGE,))
    tid = worker.create("task", {"title": "修水渠", "owner": "王五", "due_date": "2026-12-31",
                                 "status": "not_started"}).id
    worker.create("task_progress", {"task_id": tid, "note_date": "2026-12-01", "note": "已联系村委"})
    result = client.sync_once(worker)
    assert result.rejected == 0
    assert live_server.storage.store.query_value("SELECT scope FROM record_scope WHERE rid = ?", (tid,)) == VILLAGE
    client.sync_once(coworker)
    client.sync_once(there)
    assert coworker.get("task", tid) is not None and coworker.count("task_progress") == 1
    assert there.get("task", tid) is None and there.count("task_progress") == 0
    for lap in (worker, coworker, there):
        lap.close()


@both_backends
def test_an_edit_of_an_unseen_record_is_held_never_claimed(tmp_path: Path, live_server: LiveServer) -> None:
    """Another village's device edits a household the server has not seen yet (its maker has not synced):
    held, not taken into the sender's area; the maker's create is then accepted whole and the edit is
    quarantined as outside the sender's areas."""
    maker = enrolled(tmp_path, live_server, "m", "xiaowang")
    thief = enrolled(tmp_path, live_server, "t", "dapingcun", areas=(OTHER_VILLAGE,))
    hid = household(maker, head="先来户")
    h = hlc.pack(hlc.now_ms())
    edit = {"origin": thief.origin, "seq": 1, "hlc": h, "schema": SCHEMA_VERSION, "type": "household", "id": hid,
            "kind": "upsert", "fields": {"notes": "抢注"}, "base": None, "user": None, "wall_ms": 1, "app": "0.1"}
    resp = post(live_server, thief, P.PUSH, msgspec.json.encode({"changes": [edit]}))
    assert resp.status_code == 200, resp.text
    assert [s for s, _ in m.decode(resp.content, m.PushReply).results] == ["held"]
    assert client.sync_once(maker).rejected == 0
    srv = live_server.storage.store
    assert srv.query_value("SELECT scope FROM record_scope WHERE rid = ?", (hid,)) == VILLAGE
    assert srv.get("household", hid)["head_name"] == "先来户" and srv.get("household", hid)["notes"] is None
    client.sync_once(maker)          # held changes are tried again at every hello and push
    assert srv.query_value("SELECT status FROM changes WHERE origin = ?", (thief.origin,)) == "quarantined"
    assert srv.query_value("SELECT code FROM rejects WHERE origin = ?", (thief.origin,)) == "scope.outside"
    for lap in (maker, thief):
        lap.close()
