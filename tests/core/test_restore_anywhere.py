"""A backup file restored on a laptop that never saw it: with the passphrase or the recovery key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lehe_desktop.core.errors import LockedError, StateError, StorageError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import backup_file, vault
from lehe_desktop.core.store.backup_info import read_summary

PASSPHRASE = "correct horse 42"
NEW = "another long passphrase 7"
REPO = Path(__file__).resolve().parents[2]


def _paths(root: Path) -> DataPaths:
    return DataPaths(root=root, logs=root / "logs")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[DataPaths, str, Path, Path, dict[str, object]]:
    """One laptop with three households: a new-format backup, an old-format one, its recovery key."""
    root = tmp_path_factory.mktemp("old-laptop")
    paths = _paths(root / "data")
    store, recovery = vault.setup(paths, PASSPHRASE, worker_name="龚秀英")
    village = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    for i in range(3):
        store.create("household", {"area_id": village, "group_name": f"{i + 1}组", "head_name": "龚秀英"})
    key = vault.keyfile(paths).unlock(PASSPHRASE)
    new_format = vault.backup(store, key, root / "new.lehe-backup", paths=paths)
    old_format = vault.backup(store, key, root / "old.lehe-backup")
    info = {"device_id": store.device_id, "epoch": store.epoch}
    store.close()
    return paths, recovery, new_format, old_format, info


def cli(data_dir: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    full.update(env)
    return subprocess.run([sys.executable, "-m", "lehe_desktop", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, encoding="utf-8", env=full, timeout=60,
                          stdin=subprocess.DEVNULL, cwd=REPO)


def test_the_file_carries_only_wrapped_keys(made: tuple) -> None:
    paths, _recovery, new_format, old_format, _info = made
    header, offset = backup_file.read_header(new_format)
    assert header is not None and offset > 0
    key = vault.keyfile(paths).unlock(PASSPHRASE)
    raw = new_format.read_bytes()
    assert key not in raw and key.hex().encode() not in raw     # the key itself is never in the file
    assert set(header) >= {"format", "kdf", "passphrase", "recovery", "mac"}
    assert backup_file.read_header(old_format) == (None, 0)


def test_restored_on_a_new_laptop_with_the_passphrase(made: tuple, tmp_path: Path) -> None:
    _paths_old, _recovery, new_format, _old, info = made
    fresh = _paths(tmp_path / "new")
    store = vault.restore_new(fresh, new_format, NEW, passphrase=PASSPHRASE)
    try:
        assert store.count("household") == 3
        assert store.device_id == info["device_id"]               # the same device …
        assert store.epoch != info["epoch"]                       # … restored: a new epoch
        assert store.meta()["restored_from_epoch"] == info["epoch"]
    finally:
        store.close()
    vault.unlock(fresh, NEW).close()                              # the new passphrase opens it here


def test_restored_on_a_new_laptop_with_the_recovery_key_which_still_works(made: tuple, tmp_path: Path) -> None:
    _paths_old, recovery, new_format, _old, _info = made
    fresh = _paths(tmp_path / "new")
    key = vault.read_backup_key(new_format, recovery_key=recovery.lower())   # typed in lower case
    assert read_summary(new_format, key).count("household") == 3            # what it holds, first
    vault.restore_new(fresh, new_format, NEW, recovery_key=recovery).close()
    vault.unlock_with_recovery(fresh, recovery, "yet another passphrase 9").close()


def test_wrong_secrets_are_locked_errors_and_change_nothing(made: tuple, tmp_path: Path) -> None:
    _paths_old, _recovery, new_format, _old, _info = made
    fresh = _paths(tmp_path / "new")
    with pytest.raises(LockedError) as info:
        vault.restore_new(fresh, new_format, NEW, passphrase="not the passphrase")
    assert info.value.code == "unlock.wrong_passphrase"
    with pytest.raises(LockedError) as info:
        vault.restore_new(fresh, new_format, NEW, recovery_key="AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    assert info.value.code == "unlock.wrong_recovery_key"
    assert not fresh.root.exists()


def test_an_old_format_backup_restores_on_its_own_laptop_only(made: tuple, tmp_path: Path) -> None:
    paths, _recovery, _new, old_format, _info = made
    with pytest.raises(StateError) as info:
        vault.restore_new(_paths(tmp_path / "new"), old_format, NEW, passphrase=PASSPHRASE)
    assert info.value.code == "restore.needs_own_laptop"
    key = vault.keyfile(paths).unlock(PASSPHRASE)
    vault.restore(paths, key, old_format).close()


def test_the_new_format_also_restores_on_its_own_laptop(made: tuple) -> None:
    paths, _recovery, new_format, _old, _info = made
    key = vault.keyfile(paths).unlock(PASSPHRASE)
    assert read_summary(new_format, key).count("household") == 3
    store = vault.restore(paths, key, new_format)
    assert store.count("household") == 3
    store.close()
    assert not list(paths.root.glob("*.unpacking"))


def test_an_altered_header_is_refused(made: tuple, tmp_path: Path) -> None:
    _paths_old, _recovery, new_format, _old, _info = made
    header, offset = backup_file.read_header(new_format)
    assert header is not None
    header["recovery"] = header["passphrase"] | {"salt": header["recovery"]["salt"]}  # swap a wrap
    body = json.dumps(header).encode()
    forged = tmp_path / "forged.lehe-backup"
    forged.write_bytes(backup_file.MAGIC + len(body).to_bytes(4, "big") + body + new_format.read_bytes()[offset:])
    with pytest.raises(StorageError) as info:      # the passphrase still opens the key, the MAC says no
        vault.read_backup_key(forged, passphrase=PASSPHRASE)
    assert info.value.code == "restore.header_altered"
    junk = tmp_path / "junk.lehe-backup"
    junk.write_bytes(backup_file.MAGIC + b"\xff\xff\xff\xff")
    with pytest.raises(StorageError) as info:
        vault.read_backup_key(junk, passphrase=PASSPHRASE)
    assert info.value.code == "restore.not_a_backup"


def test_cli_restore_on_a_laptop_that_never_saw_the_file(made: tuple, tmp_path: Path) -> None:
    _paths_old, recovery, new_format, _old, _info = made
    fresh = tmp_path / "fresh"
    r = cli(fresh, "restore", str(new_format), env={"LEHE_PASSPHRASE": "wrong passphrase 1",
                                                    "LEHE_NEW_PASSPHRASE": NEW})
    assert r.returncode == 3 and "unlock.wrong_passphrase" in r.stderr
    assert not (fresh / "keys.json").exists() and not (fresh / "lehe.db").exists()   # (the CLI's log only)
    r = cli(fresh, "restore", str(new_format), "--recovery-key", recovery, env={"LEHE_NEW_PASSPHRASE": NEW})
    assert r.returncode == 0, r.stderr
    store = vault.unlock(_paths(fresh), NEW)
    assert store.count("household") == 3
    store.close()


@pytest.mark.parametrize("stop_at", ["staged", "new_epoch"])
def test_a_restore_stopped_before_its_commit_point_leaves_nothing(made: tuple, tmp_path: Path, stop_at: str) -> None:
    _paths_old, _recovery, new_format, _old, _info = made
    fresh = _paths(tmp_path / "new")

    def stop(step: str) -> None:
        if step == stop_at:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        vault.restore_new(fresh, new_format, NEW, passphrase=PASSPHRASE, after_step=stop)
    assert sorted(p.name for p in fresh.root.iterdir() if p.is_file()) == []
