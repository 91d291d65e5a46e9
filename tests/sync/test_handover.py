"""Handing a laptop over: refused while anything is undelivered, then nothing readable is left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sync_harness import LiveServer, desktop, household, make_laptop

from lehe_desktop.core import handover
from lehe_desktop.core.errors import StateError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.sync import client

HEAD = "交接测试户主"


def files_under(root: Path, *, logs: bool = True) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and (logs or p.relative_to(root).parts[0] != "logs")}


def test_handover_waits_for_every_change_then_erases_the_laptop(tmp_path: Path, live_server: LiveServer) -> None:
    root = tmp_path / "laptop"
    store = make_laptop(root)
    client.enroll(store, live_server.url, live_server.code_for("alice"))
    household(store, head=HEAD)
    state = handover.readiness(store)
    assert state.to_send > 0 and not state.ready
    with pytest.raises(StateError) as refused:
        handover.require_ready(store)
    assert refused.value.code == "handover.unsent"
    store.close()
    before = files_under(root, logs=False)
    # From the command line: exit 7 with the reason, and nothing erased (the keys not one byte
    # different; the database gains only the audit entry of the sign-in).
    r = desktop(root, "handover", "--yes")
    assert r.returncode == 7 and "handover.unsent" in r.stderr and "Traceback" not in r.stderr
    after = files_under(root, logs=False)
    assert after.keys() == before.keys() and after["keys.json"] == before["keys.json"]

    store = vault.unlock(DataPaths(root=root, logs=root / "logs"), "correct horse 42")
    assert store.query_value("SELECT count(*) FROM households WHERE head_name = ?", (HEAD,)) == 1
    client.sync_once(store)
    assert handover.readiness(store).ready
    store.close()
    r = desktop(root, "handover")                      # without --yes: asks for it, erases nothing
    assert r.returncode == 2 and "handover.confirm" in r.stderr
    assert (root / "keys.json").exists()
    r = desktop(root, "handover", "--yes", "--json")
    assert r.returncode == 0, r.stderr
    erased = json.loads(r.stdout)["erased"]
    assert str(root / "keys.json") in erased and str(root / "lehe.db") in erased
    paths = DataPaths(root=root, logs=root / "logs")
    assert not vault.is_set_up(paths)
    # What is left (the logs) holds no personal data, and no database or key file remains.
    left = files_under(root)
    assert not [name for name in left if not name.startswith("logs")], left.keys()
    assert not [name for name, data in left.items() if HEAD.encode() in data]
    # The server still has the work: a new laptop of the same worker gets it back.
    again = make_laptop(tmp_path / "new")
    client.enroll(again, live_server.url, live_server.code_for("alice"))
    client.sync_once(again)
    assert again.query_value("SELECT count(*) FROM households WHERE head_name = ?", (HEAD,)) == 1
    again.close()
