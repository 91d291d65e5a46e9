"""Sync bundles end to end: device → server, server → device, device → coordinator → server, replay and
reordering. Real server (enrolment over HTTP on 127.0.0.1), real laptops, real files."""

from __future__ import annotations

from pathlib import Path

from bundle_kit import TOWNSHIP, enrolled, households, server_state
from sync_harness import OTHER_VILLAGE, VILLAGE, LiveServer

from lehe_desktop.core.bundles import laptop
from lehe_desktop.core.sync import client
from lehe_desktop.server import bundles


def test_device_to_server_with_receipt_and_replay(tmp_path: Path, live_server: LiveServer) -> None:
    w = enrolled(tmp_path, live_server, "w", "小王")
    households(w, 30)
    n = w.to_send_count()           # the households and the areas they are in
    out = tmp_path / "stick" / "w.lehe"
    out.parent.mkdir()
    sent = laptop.export_bundle(w, out)
    assert sent["changes"] == n and live_server.storage.store.device_id in sent["to"]
    assert sent["counts"]["household"] == 30
    got = bundles.import_bundle(live_server.storage, out)
    assert (got.applied + got.duplicates, got.refused) == (n, 0)
    assert live_server.storage.stats()["households"] == 30
    # Not yet acknowledged: a second export holds the same changes again (a lost stick leaves no gap).
    assert laptop.export_bundle(w, tmp_path / "again.lehe")["changes"] == n
    took = laptop.import_receipt(w, Path(got.receipt or ""))
    assert took["acknowledged"] == n and w.to_send_count() == 0
    assert laptop.export_bundle(w, tmp_path / "empty.lehe")["changes"] == 0
    # Replay: the same bundle again changes nothing.
    before = server_state(live_server)
    again = bundles.import_bundle(live_server.storage, out)
    assert (again.applied, again.duplicates) == (0, n)
    assert server_state(live_server) == before
    # The bundle after the receipt and the older one imported late: still nothing new.
    later = bundles.import_bundle(live_server.storage, tmp_path / "again.lehe")
    assert later.applied == 0 and server_state(live_server) == before
    # A network sync afterwards has nothing to send.
    assert client.sync_once(w).pushed == 0


def test_a_lost_receipt_comes_back_inside_the_servers_bundle(tmp_path: Path, live_server: LiveServer) -> None:
    w = enrolled(tmp_path, live_server, "w", "小王")
    households(w, 6)
    n = w.to_send_count()
    up = tmp_path / "w.lehe"
    laptop.export_bundle(w, up)
    got = bundles.import_bundle(live_server.storage, up)
    Path(got.receipt or "").unlink()            # the receipt never made it back
    down = tmp_path / "down.lehe"
    bundles.export_bundle(live_server.storage, down, device_id=w.device_id)
    took = laptop.import_bundle(w, down)
    assert took.acknowledged == n and w.to_send_count() == 0
    assert laptop.export_bundle(w, tmp_path / "next.lehe")["changes"] == 0


def test_server_to_device_and_back(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "小王")
    b = enrolled(tmp_path, live_server, "b", "小李")
    ids = households(a, 12)
    client.sync_once(a)
    st = live_server.storage
    out = tmp_path / "for-b.lehe"
    made = bundles.export_bundle(st, out, device_id=b.device_id)
    assert made["changes"] >= 12 and b.device_id in made["to"]
    assert a.device_id not in made["to"]      # a worker of the same village cannot open it
    got = laptop.import_bundle(b, out)
    assert got.applied >= 12 and b.count("household") == 12
    assert {r["id"] for r in b.query_dicts("SELECT id FROM households")} == set(ids)
    # Order-independence: the same bundle again (or late) applies nothing twice.
    again = laptop.import_bundle(b, out)
    assert again.applied == 0 and b.count("household") == 12
    # b's receipt tells the server what b has: the next bundle for b starts after it.
    bundles.import_bundle(st, Path(got.receipt or ""))
    assert bundles.export_bundle(st, tmp_path / "next.lehe", device_id=b.device_id)["changes"] == 0
    households(a, 3)
    client.sync_once(a)
    assert bundles.export_bundle(st, tmp_path / "next2.lehe", device_id=b.device_id)["changes"] == 3
    # b's cursor moved to the server's high-water: a network sync pulls nothing already taken.
    assert client.sync_once(b).pulled == 3


def test_area_bundle_reaches_only_area_devices(tmp_path: Path, live_server: LiveServer) -> None:
    c = enrolled(tmp_path, live_server, "c", "老张", "coordinator", (TOWNSHIP,))
    other = enrolled(tmp_path, live_server, "o", "小赵", "worker", (OTHER_VILLAGE,))
    a = enrolled(tmp_path, live_server, "a", "小王")
    households(a, 5)
    client.sync_once(a)
    # server → coordinator → device: a device's bundle is also sealed to its coordinators, who carry it.
    b = enrolled(tmp_path, live_server, "b", "小李")
    for_b = bundles.export_bundle(live_server.storage, tmp_path / "for-b.lehe", device_id=b.device_id)
    assert c.device_id in for_b["to"] and other.device_id not in for_b["to"]
    assert laptop.import_bundle(b, tmp_path / "for-b.lehe").applied >= 5 and b.count("household") == 5
    out = tmp_path / "area.lehe"
    made = bundles.export_bundle(live_server.storage, out, area=VILLAGE)
    assert c.device_id in made["to"] and other.device_id not in made["to"]
    assert laptop.import_bundle(c, out).applied >= 5 and c.count("household") == 5
    from lehe_desktop.core.bundles.errors import BundleError

    try:
        laptop.import_bundle(other, out)
    except BundleError as exc:
        assert exc.code == "bundle.other_recipient"
    else:
        raise AssertionError("a worker of another village opened the area bundle")
    assert other.count("household") == 0


def test_device_to_coordinator_to_server(tmp_path: Path, live_server: LiveServer) -> None:
    c = enrolled(tmp_path, live_server, "c", "老张", "coordinator", (TOWNSHIP,))
    w = enrolled(tmp_path, live_server, "w", "小王")
    client.sync_once(c)                     # the coordinator's device list now names the worker
    households(w, 20)
    n = w.to_send_count()
    stick = tmp_path / "w.lehe"
    sent = laptop.export_bundle(w, stick)
    assert c.device_id in sent["to"]
    got = laptop.import_bundle(c, stick)
    assert got.applied == n and c.count("household") == 20
    assert c.to_send_count() >= n           # carried on: unsent from the coordinator's laptop
    took = laptop.import_receipt(w, Path(got.receipt or ""))
    assert took["acknowledged"] == n and w.to_send_count() == 0
    # The coordinator exports one bundle for the server; each change keeps the worker's proof.
    up = tmp_path / "c.lehe"
    laptop.export_bundle(c, up)
    st = live_server.storage
    res = bundles.import_bundle(st, up)
    assert res.refused == 0 and st.stats()["households"] == 20
    origins = {r[0] for r in st.store.query("SELECT DISTINCT origin FROM changes WHERE rtype = 'household'")}
    assert origins == {w.origin}
    proven = st.store.query_value("SELECT count(*) FROM changes c JOIN batches b ON b.id = c.batch "
                                  "WHERE c.rtype = 'household' AND b.device = ?", (w.device_id,))
    assert proven == 20
    laptop.import_receipt(c, Path(res.receipt or ""))
    assert c.to_send_count() == 0


def test_coordinator_relays_over_network(tmp_path: Path, live_server: LiveServer) -> None:
    c = enrolled(tmp_path, live_server, "c", "老张", "coordinator", (TOWNSHIP,))
    w = enrolled(tmp_path, live_server, "w", "小王")
    client.sync_once(c)
    households(w, 7)
    stick = tmp_path / "w.lehe"
    laptop.export_bundle(w, stick)
    laptop.import_bundle(c, stick)
    result = client.sync_once(c)
    assert result.rejected == 0
    assert live_server.storage.stats()["households"] == 7


def test_relay_outside_the_coordinators_areas_is_refused(tmp_path: Path, live_server: LiveServer) -> None:
    """A coordinator of one village carries a worker's changes of another: the server refuses them
    (scope as for the carrier), each with its reason, and stores none of them."""
    c = enrolled(tmp_path, live_server, "c", "老张", "coordinator", (VILLAGE,))
    w = enrolled(tmp_path, live_server, "w", "小赵", "worker", (VILLAGE, OTHER_VILLAGE))
    client.sync_once(c)
    households(w, 4, village=OTHER_VILLAGE)
    stick = tmp_path / "w.lehe"
    assert c.device_id in laptop.export_bundle(w, stick, to=c.device_id)["to"]
    laptop.import_bundle(c, stick)
    up = tmp_path / "c.lehe"
    laptop.export_bundle(c, up)
    before = live_server.storage.stats()
    res = bundles.import_bundle(live_server.storage, up)
    assert res.refused >= 4
    after = live_server.storage.stats()
    assert after["households"] == before["households"] == 0      # (the unchanged upper areas may pass)
    codes = {r[0] for r in live_server.storage.store.query("SELECT code FROM rejects")}
    assert codes <= {"scope.outside", "scope.parent_refused", "scope.ancestor_readonly"} and "scope.outside" in codes


def test_a_worker_may_not_carry_another_workers_changes(tmp_path: Path, live_server: LiveServer) -> None:
    w2 = enrolled(tmp_path, live_server, "w2", "小李")
    w1 = enrolled(tmp_path, live_server, "w1", "小王")
    client.sync_once(w2)                     # w2's device list names w1
    households(w1, 3)
    stick = tmp_path / "w1.lehe"
    laptop.export_bundle(w1, stick, to=w2.device_id)
    assert laptop.import_bundle(w2, stick).applied > 0
    up = tmp_path / "w2.lehe"
    laptop.export_bundle(w2, up)
    st = live_server.storage
    res = bundles.import_bundle(st, up)
    assert res.applied == 0 and res.refused > 0 and st.stats()["households"] == 0
    codes = {r[0] for r in st.store.query("SELECT code FROM rejects")}
    assert codes == {"bundle.relay_not_allowed"}


def test_a_malicious_relay_cannot_alter_a_workers_change(tmp_path: Path, live_server: LiveServer) -> None:
    """A coordinator opens a worker's bundle, changes one household's head name and seals it again
    with its own key: the worker's batch signature no longer covers that change, so the server
    refuses it (``change.proof_invalid``) and takes the others."""
    import msgspec

    from lehe_desktop.core.bundles import format as F
    from lehe_desktop.core.messages import Push, decode, encode
    from lehe_desktop.core.sync import directory as D
    from lehe_desktop.core.sync import protocol as P

    c = enrolled(tmp_path, live_server, "c", "老张", "coordinator", (TOWNSHIP,))
    w = enrolled(tmp_path, live_server, "w", "小王")
    client.sync_once(c)
    households(w, 5)
    stick = tmp_path / "w.lehe"
    laptop.export_bundle(w, stick)
    opened = laptop.open_for_me(c, stick)
    push = decode(next(opened.parts()), Push)
    i = next(k for k, ch in enumerate(push.changes) if ch.rtype == "household")
    forged = msgspec.structs.replace(push.changes[i], fields={**push.changes[i].fields, "head_name": "冒名"})
    changes = [*push.changes[:i], forged, *push.changes[i + 1:]]
    bad = tmp_path / "c.lehe"
    key = P.load_private(c.meta()["sync_device_key"])
    F.seal(bad, sender=c.device_id, sign_key=key, recipients=laptop.recipients(c),
           manifest={"kind": "changes", "direction": "push"},
           parts=[F.Part.of(encode(Push(changes=changes, batches=push.batches, proofs=push.proofs)),
                            len(changes))])
    assert D.device_entry(c, w.device_id) is not None
    st = live_server.storage
    res = bundles.import_bundle(st, bad)
    assert res.refused == 1 and res.applied + res.duplicates == len(changes) - 1
    assert {r[0] for r in st.store.query("SELECT code FROM rejects")} == {"change.proof_invalid"}
    assert st.store.query_value("SELECT count(*) FROM households WHERE head_name = '冒名'") == 0
    assert st.stats()["households"] == 4


def test_bundle_log_and_the_coordinators_overview(tmp_path: Path, live_server: LiveServer) -> None:
    c = enrolled(tmp_path, live_server, "c", "老张", "coordinator", (TOWNSHIP,))
    w1 = enrolled(tmp_path, live_server, "w1", "小王")
    w2 = enrolled(tmp_path, live_server, "w2", "小李")
    client.sync_once(c)
    assert {r["state"] for r in laptop.overview(c)} == {"never"}
    households(w1, 2)
    stick = tmp_path / "w1.lehe"
    laptop.export_bundle(w1, stick)
    got = laptop.import_bundle(c, stick)
    laptop.import_receipt(w1, Path(got.receipt or ""))
    states = {r["device_id"]: r["state"] for r in laptop.overview(c)}
    assert states == {w1.device_id: "in", w2.device_id: "never"}
    later = laptop.overview(c, now_ms=2 ** 45)          # long after: overdue
    assert {r["device_id"]: r["state"] for r in later}[w1.device_id] == "overdue"
    sent = laptop.bundle_log(w1)
    assert [e["dir"] for e in sent] == ["sent"] and sent[0]["receipt_from"] == c.device_id
    assert [e["from"] for e in laptop.bundle_log(c)] == [w1.device_id]


def test_a_coordinator_holds_back_a_revoked_workers_bundle(tmp_path: Path, live_server: LiveServer) -> None:
    from lehe_desktop.core.bundles.errors import BundleError

    c = enrolled(tmp_path, live_server, "c", "老张", "coordinator", (TOWNSHIP,))
    w = enrolled(tmp_path, live_server, "w", "小王")
    households(w, 2)
    stick = tmp_path / "w.lehe"
    laptop.export_bundle(w, stick)
    live_server.storage.revoke(w.device_id)
    client.sync_once(c)                      # the device list now says w is revoked
    before = c.count("household")
    try:
        laptop.import_bundle(c, stick)
    except BundleError as exc:
        assert exc.code == "bundle.held" and "管理员" in exc.zh
    else:
        raise AssertionError("a revoked worker's bundle was applied")
    assert c.count("household") == before
