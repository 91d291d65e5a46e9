"""A malicious relay (issue 14): a coordinator that forges what it carries. Each forged change is
refused with its own code, the server stores none of it, and the honest changes in the same bundle
are handled as the push path handles them (taken, one by one, with their own device's proof).
Altering a relayed change and a worker carrying another worker's changes have their tests in
test_bundle_paths.py; here: dropped and swapped batch signatures, a device the coordinator may not
carry, replays, and a coordinator opening the server's bundle made for one of its workers.
Real server (enrolment over HTTP on 127.0.0.1), real laptops, real bundle files."""

from __future__ import annotations

from pathlib import Path

import msgspec
from bundle_kit import TOWNSHIP, enrolled, households, server_state
from sync_harness import OTHER_VILLAGE, LiveServer

from lehe_desktop.core.bundles import format as F
from lehe_desktop.core.bundles import laptop
from lehe_desktop.core.messages import Push, decode, encode
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.server import bundles


def _pushes(store: Store, path: Path) -> list[Push]:
    """The push bodies of a bundle ``store`` can open."""
    return [decode(raw, Push) for raw in laptop.open_for_me(store, path).parts()]


def _reseal(coord: Store, pushes: list[Push], out: Path) -> Path:
    """What a malicious coordinator does: its own bundle (its own valid signature) around changed data."""
    key = P.load_private(coord.meta()["sync_device_key"])
    F.seal(out, sender=coord.device_id, sign_key=key, recipients=laptop.recipients(coord),
           manifest={"kind": "changes", "direction": "push"},
           parts=[F.Part.of(encode(p), len(p.changes)) for p in pushes])
    return out


def _codes(srv: LiveServer) -> dict[str, int]:
    return dict(srv.storage.store.query("SELECT code, count(*) FROM rejects GROUP BY code"))


def _worker_and_coordinator(tmp_path: Path, srv: LiveServer, n: int = 4) -> tuple[Store, Store, Path]:
    c = enrolled(tmp_path, srv, "c", "老张", "coordinator", (TOWNSHIP,))
    w = enrolled(tmp_path, srv, "w", "小王")
    client.sync_once(c)                       # the coordinator's device list names the worker
    households(w, n)
    stick = tmp_path / "w.lehe"
    laptop.export_bundle(w, stick)
    return w, c, stick


def test_dropped_batch_signatures_are_refused_and_the_coordinators_own_changes_taken(
        tmp_path: Path, live_server: LiveServer) -> None:
    w, c, stick = _worker_and_coordinator(tmp_path, live_server)
    worker = [p.changes for p in _pushes(c, stick)]
    # The coordinator's own honest changes go in the same bundle, with its own proof.
    households(c, 2)
    own = tmp_path / "own.lehe"
    laptop.export_bundle(c, own)
    mine = _pushes(c, own)
    stripped = [Push(changes=list(ch)) for ch in worker]            # no batches, no proofs
    bad = _reseal(c, [*stripped, *mine], tmp_path / "bad.lehe")
    n_worker = sum(len(ch) for ch in worker)
    got = bundles.import_bundle(live_server.storage, bad)
    assert got.refused == n_worker
    assert got.applied == sum(len(p.changes) for p in mine)
    assert _codes(live_server) == {"change.origin_forged": n_worker}
    st = live_server.storage.store
    assert st.query_value("SELECT count(*) FROM changes WHERE origin = ?", (w.origin,)) == 0
    assert live_server.storage.stats()["households"] == 2
    # The worker's honest bundle still goes through afterwards: nothing of it was lost.
    res = bundles.import_bundle(live_server.storage, stick)
    assert res.applied == n_worker and live_server.storage.stats()["households"] == 6


def test_swapped_batch_signatures_are_refused(tmp_path: Path, live_server: LiveServer) -> None:
    w, c, stick = _worker_and_coordinator(tmp_path, live_server)
    other = enrolled(tmp_path, live_server, "w2", "小李")
    client.sync_once(c)
    households(other, 3)
    stick2 = tmp_path / "w2.lehe"
    laptop.export_bundle(other, stick2, to=c.device_id)
    first, second = _pushes(c, stick)[0], _pushes(c, stick2)[0]
    # (1) another worker's valid batch signature put under this worker's changes;
    # (2) the worker's batch with its device's name, but the coordinator's own signature.
    key = P.load_private(c.meta()["sync_device_key"])
    resigned = [msgspec.structs.replace(b, sig=P.b64e(key.sign(b"lehe"))) for b in first.batches]
    swapped = Push(changes=first.changes, batches=second.batches, proofs=first.proofs)
    before = server_state(live_server)
    for i, push in enumerate((swapped, Push(changes=first.changes, batches=resigned, proofs=first.proofs))):
        got = bundles.import_bundle(live_server.storage, _reseal(c, [push], tmp_path / f"bad{i}.lehe"))
        assert (got.applied, got.refused) == (0, len(first.changes))
    assert _codes(live_server) == {"change.proof_invalid": len(first.changes)}
    after = server_state(live_server)
    assert (after["stats"], after["changes"]) == (before["stats"], before["changes"])
    assert live_server.storage.store.query_value("SELECT count(*) FROM changes WHERE origin = ?", (w.origin,)) == 0


def test_a_device_the_coordinator_may_not_carry(tmp_path: Path, live_server: LiveServer) -> None:
    """A worker of another village, with its own valid proofs: not the coordinator's to carry."""
    c = enrolled(tmp_path, live_server, "c", "老张", "coordinator", ("重庆市/巫溪县/白鹿镇/乐和村",))
    far = enrolled(tmp_path, live_server, "far", "小赵", "worker", (OTHER_VILLAGE,))
    households(far, 3, village=OTHER_VILLAGE)
    stick = tmp_path / "far.lehe"
    laptop.export_bundle(far, stick)
    pushes = _pushes(far, stick)            # the worker's own bundle, as its carrier would unpack it
    before = server_state(live_server)
    got = bundles.import_bundle(live_server.storage, _reseal(c, pushes, tmp_path / "bad.lehe"))
    n = sum(len(p.changes) for p in pushes)
    assert (got.applied, got.refused) == (0, n)
    assert _codes(live_server) == {"bundle.relay_not_allowed": n}
    assert server_state(live_server)["stats"] == before["stats"]
    # The refusals travel back to the coordinator in its receipt, with their reason.
    took = laptop.import_receipt(c, Path(got.receipt or ""))
    assert took["from"] == live_server.storage.store.device_id


def test_a_replayed_bundle_changes_nothing(tmp_path: Path, live_server: LiveServer) -> None:
    w, c, stick = _worker_and_coordinator(tmp_path, live_server)
    laptop.import_bundle(c, stick)
    up = tmp_path / "c1.lehe"
    laptop.export_bundle(c, up)
    st = live_server.storage
    first = bundles.import_bundle(st, up)
    laptop.import_receipt(c, Path(first.receipt or ""))
    # The worker goes on: a later edit of one of its households reaches the server.
    hid = w.query("SELECT id FROM households ORDER BY id")[0][0]
    w.update("household", hid, {"notes": "新的"})
    client.sync_once(w)
    before = server_state(live_server)
    # The coordinator replays its old bundle, and the worker's old one: nothing goes back in time.
    for old in (up, stick):
        got = bundles.import_bundle(st, old)
        assert (got.applied, got.refused) == (0, 0) and got.duplicates > 0
        assert server_state(live_server) == before
    assert st.store.get("household", hid)["notes"] == "新的"


def test_a_coordinator_opening_its_workers_bundle_keeps_pulling_what_it_left_out(
        tmp_path: Path, live_server: LiveServer) -> None:
    """The server's bundle for a worker leaves out the worker's own changes; the coordinator, a
    recipient, may take in what it holds, but its pull cursor must not move past what it lacks."""
    c = enrolled(tmp_path, live_server, "c", "老张", "coordinator", (TOWNSHIP,))
    w = enrolled(tmp_path, live_server, "w", "小王")
    other = enrolled(tmp_path, live_server, "o", "小李")
    client.sync_once(c)
    households(w, 3)
    client.sync_once(w)                     # the worker's own households: left out of its bundle
    households(other, 2)
    client.sync_once(other)
    for_w = tmp_path / "for-w.lehe"
    bundles.export_bundle(live_server.storage, for_w, device_id=w.device_id)
    cursor = c.meta().get("sync_pull_cursor")
    laptop.import_bundle(c, for_w)
    assert c.count("household") == 2 and c.meta().get("sync_pull_cursor") == cursor
    laptop.import_bundle(w, for_w)          # the worker it was made for: its cursor moves
    assert w.meta().get("sync_pull_cursor") == str(live_server.storage.high_water())
    client.sync_once(c)                     # the worker's own households come with the next pull
    assert c.count("household") == 5
