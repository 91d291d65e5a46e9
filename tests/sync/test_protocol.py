"""Network sync against the real server over real HTTP on 127.0.0.1 (uvicorn in a thread)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pg_cluster import both_backends
from sync_harness import OTHER_VILLAGE, VILLAGE, FaultyTransport, LiveServer, desktop, household, make_laptop

from lehe_desktop.core import hlc
from lehe_desktop.core.errors import NetworkError, VersionError
from lehe_desktop.core.messages import Change, Push, PushReply
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.migrations import SCHEMA_VERSION
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.core.sync.conflicts import list_conflicts, list_rejected, resolve_conflict

# Tests marked @both_backends (merge, conflicts, scope, resuming, the clock guard) run on the SQLite and
# the PostgreSQL server; all of them do with LEHE_TEST_BACKEND=postgresql.


def enrolled(tmp: Path, srv: LiveServer, name: str, user: str, areas: tuple[str, ...] = (VILLAGE,)) -> Store:
    store = make_laptop(tmp / name)
    client.enroll(store, srv.url, srv.code_for(user, areas=areas))
    return store


def fields_of(store: Store, rtype: str, rid: str) -> dict[str, object]:
    rec = store.get(rtype, rid, include_deleted=True)
    assert rec is not None
    return {k: v for k, v in rec.items() if k not in ("versions", "updated_hlc")}


def server_changes(srv: LiveServer) -> int:
    return srv.storage.store.query_value("SELECT count(*) FROM changes")


# ---------------------------------------------------------------------- enrolment


def test_enrol_through_the_cli_sets_areas_and_codes_work_once(tmp_path: Path, live_server: LiveServer) -> None:
    laptop = tmp_path / "laptop"
    make_laptop(laptop).close()
    code = live_server.code_for("alice")
    ok = desktop(laptop, "enroll", "--server", live_server.url, "--code", code, "--json")
    assert ok.returncode == 0, ok.stderr
    info = json.loads(ok.stdout)
    assert info["user"] == "alice" and info["areas"] == [VILLAGE]
    again = desktop(laptop, "enroll", "--server", live_server.url, "--code", code)
    assert again.returncode == 3 and "enroll.code_used" in again.stderr
    with _unlock(laptop) as store:
        assert json.loads(store.meta()["enrolled_areas"]) == [VILLAGE]
    devices = live_server.storage.devices()
    assert [d["user"] for d in devices] == ["alice"] and devices[0]["revoked"] is False


class _unlock:
    def __init__(self, root: Path) -> None:
        self.store = vault.unlock(DataPaths(root=root, logs=root / "logs"), "correct horse 42")

    def __enter__(self) -> Store:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def test_expired_and_invalid_codes_are_refused(tmp_path: Path, live_server: LiveServer,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    store = make_laptop(tmp_path / "a")
    live_server.code_for("alice")
    code = live_server.code_for("alice", hours=0.0001)      # 0.36 s
    # The server's injectable clock moves on a second: the code has expired (no wall-clock wait).
    real_now = live_server.storage.now_ms
    monkeypatch.setattr(live_server.storage, "now_ms", lambda: real_now() + 1000)
    with pytest.raises(client.AuthError) as err:
        client.enroll(store, live_server.url, code)
    assert err.value.code == "enroll.code_expired" and err.value.exit_code == 3
    with pytest.raises(client.AuthError) as err:
        client.enroll(store, live_server.url, "AAAA-BBBB-CCCC-DDDD")
    assert err.value.code == "enroll.code_invalid"
    assert not client.is_enrolled(store)
    with pytest.raises(Exception) as not_enrolled:
        client.sync_once(store)
    assert getattr(not_enrolled.value, "exit_code", None) == 7
    store.close()


# ---------------------------------------------------------------------- both ways, conflicts


@both_backends
def test_sync_both_ways_field_merge_and_repeat_is_noop(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    hid = household(a, address="老屋基 3 号")
    mid = a.create("member", {"household_id": hid, "name": "王小花", "sex": "2", "relation": "10"}).id
    ra = client.sync_once(a)
    assert ra.pushed >= 6 and ra.rejected == 0
    rb = client.sync_once(b)
    assert rb.pulled >= 2
    assert fields_of(b, "household", hid) == fields_of(a, "household", hid)
    assert b.get("member", mid)["name"] == "王小花"
    # Different fields edited offline on both laptops: both edits survive everywhere.
    a.update("household", hid, {"address": "新屋 8 号"})
    b.update("household", hid, {"gov_contact": "李主任"})
    client.sync_once(a)
    client.sync_once(b)
    client.sync_once(a)
    for s in (a, b):
        rec = s.get("household", hid)
        assert rec["address"] == "新屋 8 号" and rec["gov_contact"] == "李主任"
    assert list_conflicts(a) == [] and list_conflicts(b) == []
    # A repeated sync moves nothing.
    before = server_changes(live_server)
    assert client.sync_once(a).as_json() | {"open_conflicts": 0} == {
        "pushed": 0, "pulled": 0, "conflicts": 0, "rejected": 0, "held": 0, "server_held": 0, "open_conflicts": 0,
        "cancelled": False, "clock_warning": None}
    assert server_changes(live_server) == before
    # Deletes travel as tombstones.
    b.delete("member", mid)
    client.sync_once(b)
    client.sync_once(a)
    assert a.get("member", mid) is None and a.get("member", mid, include_deleted=True)["deleted"] == 1
    a.close()
    b.close()


@both_backends
def test_concurrent_same_field_edits_make_one_conflict_and_resolution_syncs(
        tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    hid = household(a)
    client.sync_once(a)
    client.sync_once(b)
    a.update("household", hid, {"notes": "A 的备注"})
    b.clock.observe(a.clock.last)     # B's clock is past A's stamp (no wall-clock wait needed) …
    b.update("household", hid, {"notes": "B 的备注"})     # … so B's is the later stamp: the LWW winner
    for s in (a, b, a, b):
        client.sync_once(s)
    ca, cb = list_conflicts(a), list_conflicts(b)
    assert len(ca) == 1 and ca == cb
    c = ca[0]
    assert (c["field"], c["winner_value"], c["other_value"]) == ("notes", "B 的备注", "A 的备注")
    assert a.get("household", hid)["notes"] == b.get("household", hid)["notes"] == "B 的备注"
    assert a.status()["open_conflicts"] == 1
    # The CLI lists it too (closing our handle first: one process at a time).
    b.close()
    out = desktop(tmp_path / "b", "conflicts", "--json")
    assert out.returncode == 0, out.stderr
    assert [x["id"] for x in json.loads(out.stdout)["conflicts"]] == [c["id"]]
    b = _unlock(tmp_path / "b").store
    # Keeping the other value is a normal change; the conflict closes everywhere, no new conflict.
    a.close()
    done = desktop(tmp_path / "a", "conflicts", "resolve", c["id"], "--keep", "other", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "resolved"
    twice = desktop(tmp_path / "a", "conflicts", "resolve", c["id"], "--keep", "other")
    assert twice.returncode == 7 and "conflict.resolved" in twice.stderr
    assert desktop(tmp_path / "a", "conflicts", "resolve", "nope", "--keep", "winner").returncode == 5
    a = _unlock(tmp_path / "a").store
    for s in (a, b, a):
        client.sync_once(s)
    assert a.get("household", hid)["notes"] == b.get("household", hid)["notes"] == "A 的备注"
    assert list_conflicts(a) == [] and list_conflicts(b) == []
    assert b.status()["open_conflicts"] == 0
    assert live_server.storage.store.open_conflicts() == 0
    a.close()
    b.close()


@both_backends
def test_edit_of_a_record_deleted_elsewhere_is_merged_and_flagged(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    hid = household(a)
    client.sync_once(a)
    client.sync_once(b)
    a.delete("household", hid)
    b.update("household", hid, {"notes": "还住在这里"})
    for s in (a, b, a):
        client.sync_once(s)
    for s in (a, b):
        rec = s.get("household", hid, include_deleted=True)
        assert rec["deleted"] == 1 and rec["notes"] == "还住在这里"   # no resurrection, nothing lost
    kinds = [c["kind"] for c in list_conflicts(a)]
    assert kinds == ["edit_after_delete"]
    resolve_conflict(a, list_conflicts(a)[0]["id"], "other")   # explicit undelete
    for s in (a, b):
        client.sync_once(s)
    assert b.get("household", hid) is not None
    a.close()
    b.close()


# ---------------------------------------------------------------------- revoke, areas


def test_revoked_device_is_refused(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    household(a)
    client.sync_once(a)
    live_server.storage.revoke(a.device_id)
    assert [d["revoked"] for d in live_server.storage.devices()] == [True]
    a.close()
    out = desktop(tmp_path / "a", "sync", "--json")
    assert out.returncode == 3
    assert "auth.revoked" in out.stderr and "停用" in out.stderr


@both_backends
def test_area_scoping_both_ways(tmp_path: Path, live_server: LiveServer) -> None:
    alice = enrolled(tmp_path, live_server, "a", "alice", (VILLAGE,))
    carol = enrolled(tmp_path, live_server, "c", "carol", (OTHER_VILLAGE,))
    theirs = household(carol, OTHER_VILLAGE, head="赵大坪")
    client.sync_once(carol)
    client.sync_once(alice)
    assert alice.get("household", theirs) is None                      # pull does not leak
    # The shared levels above the villages do reach both.
    assert alice.get("area", carol.ensure_area("重庆市/巫溪县")) is not None
    # Alice writes into the other village: refused, listed, never silently dropped.
    stray = household(alice, OTHER_VILLAGE, head="钱越界")
    mine = household(alice, VILLAGE, head="孙本村")
    res = client.sync_once(alice)
    assert res.rejected >= 2        # the village area record and the household
    rejected = list_rejected(alice)
    assert {r["id"] for r in rejected} >= {stray} and all(r["code"] == "scope.outside" for r in rejected)
    assert live_server.storage.store.get("household", stray) is None
    assert live_server.storage.store.get("household", mine) is not None
    alice.close()
    out = desktop(tmp_path / "a", "conflicts", "--json")
    assert stray in {r["id"] for r in json.loads(out.stdout)["rejected"]}
    # A later sync does not re-send refused changes.
    again = desktop(tmp_path / "a", "sync", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["rejected"] == 0 and json.loads(again.stdout)["pushed"] == 0
    client.sync_once(carol)
    assert carol.get("household", mine) is None and carol.get("household", stray) is None
    carol.close()


# ---------------------------------------------------------------------- versions


def _signed_push(srv: LiveServer, store: Store, changes: list[Change]) -> PushReply:
    meta = store.meta()
    # The client's private API class: this push carries changes the client itself would never send.
    api = client._Api(srv.url, transport=None, timeout=10,  # noqa: SLF001
                      key=P.load_private(meta["sync_device_key"]), device_id=store.device_id)
    try:
        return api.post(P.PUSH, Push(changes=changes), PushReply)
    finally:
        api.close()


def test_unknown_fields_and_types_are_kept_and_relayed(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    hid = household(a)
    client.sync_once(a)
    # Other app versions' changes: a field this version lacks; a record type of a newer schema (carried
    # opaque); a type unknown to a schema that is not newer than this one (refused).
    other = f"{a.device_id}:old-epoch"   # the same device, an older epoch (its own: no proof needed)
    now = hlc.pack(hlc.now_ms())
    changes = [
        Change(origin=other, seq=1, hlc=now, schema=1, rtype="household", rid=hid, kind="upsert",
               fields={"notes": "旧版本写的", "water_source": "well"}, base=None, app="0.0.9"),
        Change(origin=other, seq=2, hlc=now + 1, schema=SCHEMA_VERSION + 1, rtype="future_thing", rid="ft-1",
               kind="upsert", fields={"household_id": hid, "x": 1}, base=None, app="9.0"),
        Change(origin=other, seq=3, hlc=now + 2, schema=1, rtype="no_such_thing", rid="nt-1", kind="upsert",
               fields={"household_id": hid}, base=None, app="0.0.9"),
    ]
    resp = _signed_push(live_server, a, changes)
    assert [r[0] for r in resp.results] == ["applied", "applied", "rejected"]
    assert [r.code for r in resp.rejected] == ["change.unknown_type"]
    srv_rec = live_server.storage.store.get("household", hid)
    assert json.loads(srv_rec["extra"]) == {"water_source": "well"} and srv_rec["notes"] == "旧版本写的"
    client.sync_once(b)
    rec = b.get("household", hid)
    assert json.loads(rec["extra"]) == {"water_source": "well"} and rec["notes"] == "旧版本写的"
    kept = b.query_one("SELECT status, fields FROM changes WHERE rtype = 'future_thing'")
    assert kept[0] == "stored" and json.loads(kept[1]) == {"household_id": hid, "x": 1}
    a.close()
    b.close()


def test_pull_asks_old_clients_to_upgrade_but_push_still_works(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    hid = household(a)
    live_server.storage.set_meta("min_client_schema", str(SCHEMA_VERSION + 1))
    with pytest.raises(VersionError) as err:
        client.sync_once(a)
    assert err.value.exit_code == 6 and "升级" in err.value.zh and "upgrade" in err.value.en
    assert live_server.storage.store.get("household", hid) is not None      # the push went through
    a.close()
    out = desktop(tmp_path / "a", "sync", "--json")
    assert out.returncode == 6 and "sync.upgrade" in out.stderr and "升级" in out.stderr


# ---------------------------------------------------------------------- interruptions


@both_backends
def test_interrupted_push_and_pull_resume_without_loss_or_duplicates(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    aid = a.ensure_area(VILLAGE)
    ids = [a.create("household", {"area_id": aid, "group_name": f"{i}组", "head_name": "周长久"}).id
           for i in range(45)]
    # hello, push 1, push 2 (its response is lost after the server committed) …
    with pytest.raises(NetworkError):
        client.sync_once(a, transport=FaultyTransport({3}), batch=10)
    assert a.unsent_count() > 0
    res = client.sync_once(a, batch=10)
    assert a.unsent_count() == 0 and res.pushed > 0
    srv = live_server.storage.store
    assert srv.count("household") == 45
    assert srv.query_value("SELECT count(*) FROM changes WHERE origin = ?", (a.origin,)) == \
        a.query_value("SELECT count(*) FROM changes WHERE origin = ?", (a.origin,))
    # Pull: page 3's response is lost; the cursor stayed at page 2; the next sync finishes.
    with pytest.raises(NetworkError):
        client.sync_once(b, transport=FaultyTransport({4}), pull_batch=10)
    partial = int(b.meta()["sync_pull_cursor"])
    assert 0 < partial < srv.query_value("SELECT max(server_seq) FROM changes")
    # Cancelled between pages (the GUI's cancel button): also resumable.
    import threading

    stop = threading.Event()
    got = client.sync_once(b, progress=lambda stage, d, t: stop.set() if stage == "pull" else None,
                           cancel=stop, pull_batch=10)
    assert got.cancelled
    client.sync_once(b, pull_batch=10)
    assert b.count("household") == 45 and sorted(ids) == sorted(
        r[0] for r in b.query("SELECT id FROM households"))
    dup = b.query_value("SELECT count(*) FROM (SELECT origin, seq FROM changes GROUP BY origin, seq "
                         "HAVING count(*) > 1)")
    assert dup == 0
    assert client.sync_once(b).pulled == 0
    a.close()
    b.close()


def test_restored_laptop_gets_back_what_it_lost(tmp_path: Path, live_server: LiveServer) -> None:
    root = tmp_path / "a"
    a = enrolled(tmp_path, live_server, "a", "alice")
    early = household(a, head="吴早先")
    client.sync_once(a)
    paths = DataPaths(root=root, logs=root / "logs")
    key = vault.keyfile(paths).unlock("correct horse 42")
    backup = vault.backup(a, key, tmp_path / "backup.lehebak")
    late = household(a, head="郑后来")
    client.sync_once(a)
    old_origin = a.origin
    a.close()
    restored = vault.restore(paths, key, backup)
    assert restored.origin != old_origin and restored.get("household", late) is None
    client.sync_once(restored)
    assert restored.get("household", late)["head_name"] == "郑后来"
    assert restored.get("household", early) is not None
    # New edits use the new origin: no sequence number is reused.
    household(restored, head="冯新编")
    assert client.sync_once(restored).rejected == 0
    assert live_server.storage.store.count("household") == 3
    restored.close()


@both_backends
def test_far_future_changes_are_held_not_applied(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    hid = household(a)
    client.sync_once(a)
    client.sync_once(b)
    a.clock.last = hlc.pack(hlc.now_ms() + 3600 * 1000)     # a laptop clock an hour fast
    a.update("household", hid, {"notes": "来自未来"})
    res = client.sync_once(a)
    assert res.pushed == 1 and res.server_held == 1 and res.held == 0     # the server keeps it waiting
    st = live_server.storage.store
    assert st.get("household", hid)["notes"] is None
    assert st.query_value("SELECT count(*) FROM changes WHERE status = 'held'") == 1
    assert live_server.storage.devices()[0]["unacked"] >= 1
    client.sync_once(b)
    assert b.get("household", hid)["notes"] is None
    # Once the server's time has caught up the change is applied and relayed.
    real = live_server.storage.now_ms
    live_server.storage.now_ms = lambda: real() + 2 * 3600 * 1000
    client.sync_once(b)
    assert st.get("household", hid)["notes"] == "来自未来"
    client.sync_once(b)
    assert b.get("household", hid)["notes"] == "来自未来"
    a.close()
    b.close()


def test_workers_cannot_rename_the_shared_levels_above_their_village(tmp_path: Path,
                                                                    live_server: LiveServer) -> None:
    alice = enrolled(tmp_path, live_server, "a", "alice", (VILLAGE,))
    carol = enrolled(tmp_path, live_server, "c", "carol", (OTHER_VILLAGE,))
    household(alice, VILLAGE)
    household(carol, OTHER_VILLAGE, head="赵大坪")
    # Creating the levels above the village again (every laptop does) changes nothing: accepted.
    assert client.sync_once(alice).rejected == 0 and client.sync_once(carol).rejected == 0
    township = alice.ensure_area("重庆市/巫溪县/白鹿镇")
    alice.update("area", township, {"name": "改名镇"})
    res = client.sync_once(alice)
    assert res.rejected == 1
    (refused,) = list_rejected(alice)
    assert refused["code"] == "scope.ancestor_readonly" and refused["id"] == township
    assert live_server.storage.store.require("area", township)["name"] == "白鹿镇"
    client.sync_once(carol)
    assert carol.require("area", township)["name"] == "白鹿镇"
    alice.close()
    carol.close()
