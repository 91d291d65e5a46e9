"""Every change proves which device made it, and sequence numbers are never reused silently.

Real server over real HTTP on 127.0.0.1, real laptops. A "forger" is an enrolled laptop that
sends hand-made pushes through the client's own transport (signed as itself, as any laptop can).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from sync_harness import PASSPHRASE, VILLAGE, LiveServer, household, make_laptop

from lehe_desktop.core import hlc
from lehe_desktop.core.messages import Batch, Change, Push, PushReply
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client, proof
from lehe_desktop.core.sync import protocol as P


def enrolled(tmp: Path, srv: LiveServer, name: str, user: str) -> Store:
    store = make_laptop(tmp / name)
    client.enroll(store, srv.url, srv.code_for(user))
    return store


def push_as(srv: LiveServer, sender: Store, changes: list[Change], batches: list[Batch] | None = None,
            proofs: list[tuple[int, int]] | None = None) -> PushReply:
    """A push signed by ``sender``'s own key, with whatever changes and proofs it likes."""
    meta = sender.meta()
    api = client._Api(srv.url, transport=None, timeout=10,  # noqa: SLF001
                      key=P.load_private(meta["sync_device_key"]), device_id=sender.device_id)
    try:
        return api.post(P.PUSH, Push(changes=changes, batches=batches or [], proofs=proofs or []), PushReply)
    finally:
        api.close()


def a_change(origin: str, seq: int, rid: str, head: str, area: str, user: str | None = None) -> Change:
    return Change(origin=origin, seq=seq, hlc=hlc.pack(hlc.now_ms()), schema=6, rtype="household", rid=rid,
                  kind="upsert", fields={"area_id": area, "group_name": "一组", "head_name": head},
                  user=user, wall_ms=hlc.now_ms(), app="test")


def codes(reply: PushReply) -> list[str]:
    return [r.code for r in reply.rejected]


def server_has(srv: LiveServer, origin: str, seq: int) -> bool:
    return srv.storage.store.query_one("SELECT 1 FROM changes WHERE origin = ? AND seq = ?", (origin, seq)) is not None


def heads(store: Store) -> set[str]:
    return {r[0] for r in store.query("SELECT head_name FROM households WHERE deleted = 0")}


def test_forged_origins_are_refused_and_the_real_edits_still_arrive(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    c = enrolled(tmp_path, live_server, "c", "carol")
    try:
        area = a.ensure_area(VILLAGE)
        client.sync_once(a)
        server_origin = live_server.storage.store.origin
        nxt = b.query_value("SELECT coalesce(max(seq), 0) FROM changes WHERE origin = ?", (b.origin,)) + 1
        forged = [
            a_change(b.origin, nxt, "hh-forged-1", "冒名一", area),                 # b's origin and next seq
            a_change(f"{b.device_id}:old-epoch", 1, "hh-forged-2", "冒名二", area),  # b, any epoch
            a_change(server_origin, 10 ** 6, "hh-forged-3", "冒名三", area),         # the server's origin
        ]
        reply = push_as(live_server, a, forged)
        assert [r[0] for r in reply.results] == ["rejected"] * 3
        assert codes(reply) == ["change.origin_forged"] * 3
        assert not any(server_has(live_server, ch.origin, ch.seq) for ch in forged)
        # b's real edit under that very sequence number is applied, not dropped as a "duplicate".
        household(b, head="真户主")
        got = client.sync_once(b)
        assert got.pushed >= 1 and got.rejected == 0 and b.unsent_count() == 0
        assert server_has(live_server, b.origin, nxt)
        client.sync_once(c)
        assert "真户主" in heads(c) and not heads(c) & {"冒名一", "冒名二", "冒名三"}
    finally:
        a.close()
        b.close()
        c.close()


def test_the_user_of_a_change_comes_from_the_enrolment_record(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    try:
        area = a.ensure_area(VILLAGE)
        client.sync_once(a)
        seq = a.query_value("SELECT max(seq) FROM changes WHERE origin = ?", (a.origin,)) + 1
        own = a_change(a.origin, seq, "hh-user", "户主", area, user="bob")   # claims to be bob's work
        reply = push_as(live_server, a, [own])
        assert [r[0] for r in reply.results] == ["applied"]
        srv_user = live_server.storage.store.query_value(
            "SELECT user FROM changes WHERE origin = ? AND seq = ?", (a.origin, seq))
        assert srv_user == "alice"
        client.sync_once(b)
        assert b.query_value("SELECT user FROM changes WHERE origin = ? AND seq = ?", (a.origin, seq)) == "alice"
    finally:
        a.close()
        b.close()


def test_relayed_changes_need_a_valid_batch_proof(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    try:
        area = b.ensure_area(VILLAGE)
        client.sync_once(b)
        a_key = P.load_private(a.meta()["sync_device_key"])
        b_key = P.load_private(b.meta()["sync_device_key"])
        made = [a_change(a.origin, 100 + i, f"hh-relay-{i}", f"转发{i}", area) for i in range(4)]
        digests = [proof.change_digest(ch) for ch in made]
        # a signed a batch of all four; b relays two of them (any subset is proved by the batch).
        a_batch = proof.sign_batch(a_key, a.device_id, digests)
        reply = push_as(live_server, b, made[:2], [a_batch], [(2, 0)])
        assert [r[0] for r in reply.results] == ["applied", "applied"]
        assert live_server.storage.store.query_value(
            "SELECT user FROM changes WHERE origin = ? AND seq = 100", (a.origin,)) == "alice"
        # The very same change again without its proof is only a duplicate (nothing changes).
        again = push_as(live_server, b, [made[0]])
        assert [r[0] for r in again.results] == ["duplicate"] and again.rejected == []
        # Missing proof; a batch "by a" signed with b's key; a's real batch that does not cover the
        # change (content changed on the way); digests that are not digests.
        tampered = a_change(a.origin, 102, "hh-relay-2", "改过的", area)
        fake = Batch(device=a.device_id, digests=a_batch.digests,
                     sig=P.b64e(b_key.sign(proof.batch_message(a.device_id, b"".join(digests)))))
        garbage = Batch(device=a.device_id, digests="not base64!", sig=a_batch.sig)
        for changes, batches, runs, code in (
                ([made[2]], [], [], "change.origin_forged"),
                ([made[2]], [fake], [(1, 0)], "change.proof_invalid"),
                ([tampered], [a_batch], [(1, 0)], "change.proof_invalid"),
                ([made[3]], [garbage], [(1, 0)], "change.proof_invalid"),
                ([made[3]], [a_batch], [(5, 0)], "change.origin_forged")):     # runs that do not fit
            reply = push_as(live_server, b, changes, batches, runs)
            assert codes(reply) == [code], code
            assert not server_has(live_server, changes[0].origin, changes[0].seq)
        # The proof travels with the changes in pull replies and is kept by the laptop.
        c = enrolled(tmp_path, live_server, "c", "carol")
        client.sync_once(c)
        kept = c.query("SELECT c.seq, b.device FROM changes c JOIN batches b ON b.id = c.batch "
                       "WHERE c.origin = ? ORDER BY c.seq", (a.origin,))
        assert kept == [(100, a.device_id), (101, a.device_id)]
        c.close()
    finally:
        a.close()
        b.close()


def _copy_server_db(srv: LiveServer, to: Path) -> None:
    src = sqlite3.connect(srv.db)
    dst = sqlite3.connect(to)
    src.backup(dst)
    src.close()
    dst.close()


def test_after_a_server_restore_a_laptop_re_sends_other_devices_changes_with_their_proofs(
        tmp_path: Path) -> None:
    srv = LiveServer(tmp_path / "server").start()
    a = enrolled(tmp_path, srv, "a", "alice")
    b = enrolled(tmp_path, srv, "b", "bob")
    c = enrolled(tmp_path, srv, "c", "carol")
    backup = tmp_path / "server-backup.db"
    try:
        client.sync_once(b)
        _copy_server_db(srv, backup)              # the administrator's backup, before a's work
        for i in range(3):
            household(a, head=f"甲{i}")
        client.sync_once(a)
        client.sync_once(b)                       # b now holds a's changes and a's proof
        assert {"甲0", "甲1", "甲2"} <= heads(b)
    finally:
        srv.stop()
    # The server is restored from the backup (a new server epoch); a is away.
    shutil.copy(backup, srv.db)
    for extra in ("-wal", "-shm"):
        Path(str(srv.db) + extra).unlink(missing_ok=True)
    conn = sqlite3.connect(srv.db)
    conn.execute("UPDATE meta SET v = ? WHERE k = 'epoch'", (str(uuid.uuid4()),))
    conn.commit()
    conn.close()
    again = LiveServer(tmp_path / "server", existing=True).start()
    try:
        for laptop in (b, c):
            with laptop.transaction():
                laptop.set_meta("sync_server", again.url)
        got = client.sync_once(b)                 # re-sends everything, a's changes with a's proof
        assert got.rejected == 0 and b.unsent_count() == 0
        assert again.storage.store.query_value(
            "SELECT count(*) FROM changes WHERE origin = ? AND batch IS NOT NULL", (a.origin,)) >= 3
        client.sync_once(c)
        assert {"甲0", "甲1", "甲2"} <= heads(c)
    finally:
        again.stop()
        a.close()
        b.close()
        c.close()


def test_a_reused_sequence_number_is_refused_and_the_laptop_recovers(tmp_path: Path,
                                                                      live_server: LiveServer) -> None:
    root = tmp_path / "a"
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    try:
        household(a, head="备份前")
        client.sync_once(a)
        a.close()
        # A copy of the whole folder: "restored" later without a new epoch (the old bug).
        shutil.copytree(root, tmp_path / "a-copy")
        a = vault.unlock(DataPaths(root=root, logs=root / "logs"), PASSPHRASE)
        household(a, head="丢失一")
        household(a, head="丢失二")
        client.sync_once(a)
        old_origin = a.origin
        a.close()
        shutil.rmtree(root)
        shutil.copytree(tmp_path / "a-copy", root)
        a = vault.unlock(DataPaths(root=root, logs=root / "logs"), PASSPHRASE)
        assert a.origin == old_origin
        household(a, head="新一")                  # takes the sequence numbers of 丢失一 …
        household(a, head="新二")
        household(a, head="新三")                  # … and one the server has not seen
        got = client.sync_once(a)
        # Refused as reused (not counted as duplicates), then sent again under a new epoch.
        refused = live_server.storage.store.query(
            "SELECT code FROM rejects WHERE origin = ?", (old_origin,))
        assert refused and {r[0] for r in refused} == {"change.seq_reused"}
        assert a.origin != old_origin and got.rejected == 0 and a.unsent_count() == 0
        assert a.query_value("SELECT count(*) FROM rejects") == 0
        everything = {"备份前", "丢失一", "丢失二", "新一", "新二", "新三"}
        assert heads(a) == everything              # what the old copy never had came back too
        client.sync_once(b)
        assert heads(b) == everything
        # Nothing is left to do at the next sync, and nothing changes.
        again = client.sync_once(a)
        assert (again.pushed, again.rejected) == (0, 0) and heads(a) == everything
    finally:
        a.close()
        b.close()


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from lehe_desktop.core.paths import DataPaths
    from lehe_desktop.core.store import vault

    root, source, at = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    paths = DataPaths(root, root / "logs")
    key = vault.keyfile(paths).unlock(os.environ["LEHE_PASSPHRASE"])

    def step(name):
        if name == at:
            os.kill(os.getpid(), signal.SIGKILL)

    vault.restore(paths, key, source, after_step=step).close()
""")


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
# Right before and right after the swap by default (each run is a process and a key derivation);
# every step with -m slow.
@pytest.mark.parametrize("at", [pytest.param(step, marks=() if step in ("new_epoch", "swapped") else pytest.mark.slow)
                                for step in vault.RESTORE_STEPS])
def test_a_restore_killed_at_any_step_then_edits_and_sync_lose_nothing(tmp_path: Path, live_server: LiveServer,
                                                                      at: str) -> None:
    root = tmp_path / "a"
    paths = DataPaths(root=root, logs=root / "logs")
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    try:
        household(a, head="备份里")
        client.sync_once(a)
        backup = vault.backup(a, vault.keyfile(paths).unlock(PASSPHRASE), tmp_path / "a.lehe-backup")
        household(a, head="备份后")
        client.sync_once(a)
        a.close()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
        env["LEHE_PASSPHRASE"] = PASSPHRASE
        run = subprocess.run([sys.executable, "-c", KILLER, str(root), str(backup), at], env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == -9, run.stderr
        a = vault.unlock(paths, PASSPHRASE)
        household(a, head="恢复后")
        got = client.sync_once(a)
        assert got.rejected == 0 and a.unsent_count() == 0
        client.sync_once(b)
        everything = {"备份里", "备份后", "恢复后"}
        assert heads(a) == heads(b) == everything
        assert live_server.storage.store.query_value("SELECT count(*) FROM rejects") == 0
    finally:
        a.close()
        b.close()
