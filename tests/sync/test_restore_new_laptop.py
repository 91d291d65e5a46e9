"""The old laptop died: its backup restored on a new one (recovery key) syncs on, nothing doubled."""

from __future__ import annotations

from pathlib import Path

from sync_harness import PASSPHRASE, LiveServer, household

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.sync import client

NEW = "a new laptop passphrase 5"


def test_backup_restored_on_a_fresh_laptop_with_the_recovery_key_syncs_without_duplicates(
        tmp_path: Path, live_server: LiveServer) -> None:
    root = tmp_path / "old"
    paths = DataPaths(root=root, logs=root / "logs")
    old, recovery = vault.setup(paths, PASSPHRASE, worker_name="龚秀英")
    client.enroll(old, live_server.url, live_server.code_for("alice"))
    early = [household(old, head=f"吴早先{i}") for i in range(3)]
    client.sync_once(old)
    key = vault.keyfile(paths).unlock(PASSPHRASE)
    backup = vault.backup(old, key, tmp_path / "usb" / "alice.lehe-backup", paths=paths)
    unsent = household(old, head="郑未发")          # in the backup, never sent: the laptop dies
    backup = vault.backup(old, key, tmp_path / "usb" / "alice-later.lehe-backup", paths=paths)
    late = household(old, head="冯后来")            # after the backup: lost with the laptop
    client.sync_once(old)
    device, epoch = old.device_id, old.epoch
    old.close()

    fresh = DataPaths(root=tmp_path / "new", logs=tmp_path / "new" / "logs")
    new = vault.restore_new(fresh, backup, NEW, recovery_key=recovery)
    try:
        assert new.device_id == device and new.epoch != epoch
        assert all(new.get("household", h) for h in [*early, unsent]) and new.get("household", late) is None
        res = client.sync_once(new)                 # the same enrolment, a restored device
        assert res.rejected == 0
        assert new.get("household", late)["head_name"] == "冯后来"   # got back what it lost
        assert live_server.storage.store.count("household") == 5     # nothing doubled
        mine = household(new, head="孙新编")        # new work under the new epoch is accepted
        assert client.sync_once(new).rejected == 0
        assert live_server.storage.store.get("household", mine) is not None
        assert live_server.storage.store.count("household") == 6
        assert new.count("household") == 6
    finally:
        new.close()
