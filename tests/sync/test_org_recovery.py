"""Organisation recovery: a laptop's key escrowed to the server at enrolment; an admin hands over a
one-use recovery key when the worker forgot both passphrase and recovery key (logged)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pg_cluster import both_backends
from sync_harness import PASSPHRASE, LiveServer, household, server_cli

from lehe_desktop.core.errors import LockedError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client, escrow
from lehe_desktop.server import escrow as server_escrow
from lehe_desktop.server.cli import main as server_main

NEW = "remembered this time 88"


def laptop(root: Path) -> tuple[DataPaths, Store, bytes]:
    paths = DataPaths(root=root, logs=root / "logs")
    store, _recovery = vault.setup(paths, PASSPHRASE, worker_name="龚秀英")
    return paths, store, vault.keyfile(paths).unlock(PASSPHRASE)


@both_backends
def test_admin_recovers_a_laptop_whose_worker_forgot_everything(tmp_path: Path, live_server: LiveServer,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    paths, store, key = laptop(tmp_path / "a")
    kf = vault.keyfile(paths)
    client.enroll(store, live_server.url, live_server.code_for("alice"))
    assert escrow.prepare(store, kf, key)                       # at enrolment: sealed to the server
    assert "org_recovery" in kf.entries() and key.hex() not in paths.keyfile.read_text()
    hid = household(store, head="龚秀英")
    client.sync_once(store)                                      # … and stored with the first hello
    assert server_escrow.escrowed(live_server.storage, store.device_id)
    assert not escrow.pending(store)
    device = store.device_id
    backup = vault.backup(store, key, tmp_path / "usb.lehe-backup", paths=paths)   # carries the org wrap too
    store.close()

    # The worker forgot passphrase and recovery key. The admin (logged) hands over the org key.
    r = server_cli(live_server.cli_target, "recovery-key", device, "--by", "admin-wang")
    assert r.returncode == 0, r.stderr
    org_key = r.stdout.strip().splitlines()[-1]
    log = server_escrow.recovery_log(live_server.storage)
    assert [(e["device_id"], e["admin"]) for e in log] == [(device, "admin-wang")] and log[0]["at"]
    # What the administrator reads (in-process: the same main as the command), on either backend.
    assert server_main([*live_server.cli_args(), "recovery-log", "--json"]) == 0
    assert [(e["device_id"], e["admin"]) for e in json.loads(capsys.readouterr().out)] == [(device, "admin-wang")]
    assert server_main([*live_server.cli_args(), "recovery-key", "no-such-device", "--by", "admin-wang"]) == 5
    assert "device.not_found" in capsys.readouterr().err
    assert len(server_escrow.recovery_log(live_server.storage)) == 1          # a refusal is not a release
    # A name with terminal escape codes would be printed raw by recovery-log: refused, nothing released.
    assert server_main([*live_server.cli_args(), "recovery-key", device, "--by", "x\x1b[2J\x1b]0;pwned\x07"]) == 2
    assert "recovery.by" in capsys.readouterr().err
    assert len(server_escrow.recovery_log(live_server.storage)) == 1

    # The laptop itself is gone too? The backup opens with the same key on a new one.
    fresh = DataPaths(root=tmp_path / "fresh", logs=tmp_path / "fresh" / "logs")
    vault.restore_new(fresh, backup, NEW, recovery_key=org_key).close()
    back = vault.unlock_with_recovery(paths, org_key, NEW)       # `unlock --recovery-key` on the laptop
    assert back.get("household", hid)["head_name"] == "龚秀英"
    back.close()
    with pytest.raises(LockedError):                             # it worked once
        vault.unlock_with_recovery(paths, org_key, "and once more 99 x")
    # The next sync escrows a fresh one; the released key stays useless.
    key = vault.keyfile(paths).unlock(NEW)
    again = vault.open_with_key(paths, key)
    try:
        client.sync_once(again, prepare_escrow=lambda: escrow.prepare(again, kf, key))
        assert server_escrow.escrowed(live_server.storage, device)
        assert server_escrow.release(live_server.storage, device, "admin-li") != org_key
    finally:
        again.close()


def test_laptop_enrolled_before_escrow_escrows_at_its_next_sync(tmp_path: Path, live_server: LiveServer) -> None:
    paths, store, key = laptop(tmp_path / "b")
    client.enroll(store, live_server.url, live_server.code_for("bob"))
    with store.transaction():
        store.set_meta(escrow.META_KEY, "")                     # as enrolled by an app before escrow
    try:
        client.sync_once(store, prepare_escrow=lambda: escrow.prepare(store, vault.keyfile(paths), key))
        assert server_escrow.escrowed(live_server.storage, store.device_id)
    finally:
        store.close()


def test_hostile_escrow_blobs_are_refused_with_a_code(tmp_path: Path, live_server: LiveServer) -> None:
    _paths, store, _key = laptop(tmp_path / "c")
    client.enroll(store, live_server.url, live_server.code_for("carol"))
    public = store.meta()[escrow.META_KEY]
    try:
        for blob, code in [(escrow.seal(public, {"device_id": "someone-else", "org_recovery": "X"}),
                            "escrow.other_device"),
                           ("bm90IGEgYmxvYg==", "escrow.invalid")]:
            with store.transaction():
                store.set_meta(escrow.META_BLOB, blob)
            reply = client.sync_once(store)
            assert reply.rejected == 0
            assert not server_escrow.escrowed(live_server.storage, store.device_id), code
            assert not escrow.pending(store) and not store.meta().get(escrow.META_FOR)   # made anew next time
        assert [e for e in server_escrow.recovery_log(live_server.storage)] == []
    finally:
        store.close()
