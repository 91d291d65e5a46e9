"""Handing a laptop over: sign its worker out, only once everything has reached the server, and
leave nothing readable behind.

Laptops are shared, lent and passed on when a worker leaves. Before the data goes, every change
must have been delivered (``Store.unsent_count``: waiting to be sent, or refused by the server
and not yet dealt with) — otherwise the handover would destroy the only copy of someone's work.

What "nothing readable" means here: the database and the local backups are encrypted under a key
that only ``keys.json`` holds (wrapped by the passphrase and the recovery key). That file is
overwritten and removed first — a cryptographic erase, which holds even where overwriting the
database's blocks would not (SSDs remap writes) — and then the database, its journal files, the
local backups, the failed-unlock counter and the settings go too. The log folder stays: logs
hold no personal data (docs/security.md). The next start is a first run.

Backups the worker copied elsewhere (a USB stick) stay readable with their passphrase or
recovery key, as they must: that is what they are for.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import roles
from .errors import StateError
from .paths import DataPaths
from .store.store import Store


@dataclass(frozen=True)
class Readiness:
    to_send: int           # changes waiting to be sent
    refused: int           # changes the server refused that nobody has dealt with

    @property
    def ready(self) -> bool:
        return self.to_send == 0 and self.refused == 0


def readiness(store: Store) -> Readiness:
    """How far this laptop is from a safe handover."""
    return Readiness(store.to_send_count(), store.refused_count())


def require_ready(store: Store) -> Readiness:
    """Refuse (``handover.unsent``, exit 7) while anything is undelivered, and a role that may not
    hand a laptop over (``role.forbidden``, exit 10); nothing is changed."""
    roles.require(roles.role_from_meta(store.meta()), roles.Capability.HAND_OVER)
    state = readiness(store)
    if not state.ready:
        raise StateError(
            "handover.unsent",
            f"还有 {state.to_send} 条更改未发送、{state.refused} 条被服务器拒收未处理：请先同步并处理，"
            "否则这些工作将随交接一起丢失",
            f"{state.to_send} change(s) are not sent yet and {state.refused} refused one(s) are not dealt "
            "with: sync and deal with them first, or that work would be lost with the handover")
    return state


def erase(paths: DataPaths) -> list[Path]:
    """Remove this laptop's data (the store must be closed); returns what was removed."""
    removed: list[Path] = []
    key = paths.keyfile
    if key.exists():
        _overwrite(key)
        key.unlink()
        removed.append(key)
    db = paths.database
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"),
                 db.with_name(db.name + "-journal"), paths.unlock_state, paths.settings):
        if path.exists():
            path.unlink()
            removed.append(path)
    # A staged restore (vault.remove_leftovers' files) beside the database.
    for leftover in paths.root.glob(db.name + ".restoring*"):
        with contextlib.suppress(OSError):
            leftover.unlink()
            removed.append(leftover)
    if paths.backups.exists():
        shutil.rmtree(paths.backups)
        removed.append(paths.backups)
    _sync_dir(paths.root)
    return removed


def _overwrite(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.write(os.urandom(max(size, 1)))
        fh.flush()
        os.fsync(fh.fileno())


def _sync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
