"""A delete with its dependents, and its restore, carried between laptops by the real server."""

from __future__ import annotations

import sys
from pathlib import Path

from lehe_desktop.core.store import bin as recycle
from lehe_desktop.core.sync import client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "core"))
from sync_harness import VILLAGE, LiveServer, make_laptop
from test_bin import deleted, family


def test_a_delete_and_its_restore_reach_another_laptop(tmp_path: Path) -> None:
    srv = LiveServer(tmp_path / "server").start()
    try:
        a, b = make_laptop(tmp_path / "a"), make_laptop(tmp_path / "b")
        for s, user in ((a, "alice"), (b, "bob")):
            client.enroll(s, srv.url, srv.code_for(user, areas=(VILLAGE,)))
        ids = family(a)
        client.sync_once(a)
        client.sync_once(b)
        recycle.delete_with_dependents(a, "household", ids["household"])
        client.sync_once(a)
        client.sync_once(b)
        assert set(deleted(b, ids).values()) == {1}
        # The other laptop's bin shows the delete as one entry, and restores all of it.
        assert [(i["type"], i["with"]) for i in recycle.binned(b)] == [("household", len(ids) - 1)]
        recycle.undelete(b, "household", ids["household"])
        client.sync_once(b)
        client.sync_once(a)
        assert set(deleted(a, ids).values()) == {0}
    finally:
        srv.stop()
