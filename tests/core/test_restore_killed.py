"""A restore killed at any step leaves one consistent database and never reuses a sequence number.

Each case runs the real restore in a real process and SIGKILLs it right after one of its steps
(``vault.RESTORE_STEPS``), then unlocks the folder again as the next start of the app would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")

PASSPHRASE = "correct horse 42"
REPO = Path(__file__).resolve().parents[2]

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


def _keys(store: Store) -> set[tuple[str, int]]:
    return {(o, s) for o, s in store.query("SELECT origin, seq FROM changes")}


def _households(store: Store) -> set[str]:
    return {r[0] for r in store.query("SELECT id FROM households WHERE deleted = 0")}


@pytest.mark.parametrize("at", vault.RESTORE_STEPS)
def test_a_restore_killed_after_any_step_keeps_one_epoch_per_history(tmp_path: Path, at: str) -> None:
    paths = DataPaths(tmp_path / "data", tmp_path / "data" / "logs")
    store, _ = vault.setup(paths, PASSPHRASE, worker_name="测试社工")
    village = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    store.create("household", {"area_id": village, "group_name": "1组", "head_name": "王秀英", "address": "1号"})
    backup = vault.backup(store, vault.keyfile(paths).unlock(PASSPHRASE), tmp_path / "b.lehe-backup")
    backed_up = _households(store)
    backup_epoch = store.epoch
    # Work done after the backup (and, say, already sent): its (origin, seq) must never be reused.
    for i in range(3):
        store.create("household", {"area_id": village, "group_name": "1组", "head_name": f"李德{i}", "address": f"{i + 2}号"})
    live_keys, live_households, live_epoch = _keys(store), _households(store), store.epoch
    store.close()

    env = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    env["LEHE_PASSPHRASE"] = PASSPHRASE
    run = subprocess.run([sys.executable, "-c", KILLER, str(paths.root), str(backup), at],
                         env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert run.returncode == -9, run.stderr        # killed where we asked, not finished or failed

    again = vault.unlock(paths, PASSPHRASE)
    try:
        assert again.check_integrity() == "ok"
        swapped = at == "swapped"
        if swapped:
            assert _households(again) == backed_up
            assert again.epoch not in (live_epoch, backup_epoch)
            assert again.meta()["restored_from_epoch"] == backup_epoch
        else:
            assert _households(again) == live_households and again.epoch == live_epoch
        # The next edit takes a number nobody has used: a new epoch, or the live one's next seq.
        before = _keys(again)
        again.create("household", {"area_id": village, "group_name": "1组", "head_name": "新户", "address": "9号"})
        (new_key,) = _keys(again) - before
        assert new_key not in live_keys
    finally:
        again.close()
    # Nothing of the interrupted restore is left beside the database.
    leftovers = [p.name for p in paths.root.iterdir() if ".restoring" in p.name or p.name.endswith(".part")]
    assert leftovers == []
    assert not list(paths.backups.glob("*.part"))


def test_a_half_written_backup_is_removed_at_the_next_unlock(store: Store, paths: DataPaths) -> None:
    paths.backups.mkdir(parents=True, exist_ok=True)
    part = paths.backups / "auto-20261206T000000Z-pre-restore.lehe-backup.part"
    part.write_bytes(b"half a backup")
    staged = paths.database.with_name(paths.database.name + ".restoring")
    staged.write_bytes(b"half a copy")
    store.close()
    vault.unlock(paths, PASSPHRASE).close()
    assert not part.exists() and not staged.exists()
