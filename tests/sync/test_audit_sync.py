"""The server keeps each laptop's audit chain head (issue 16): a log cut or rewritten on the laptop —
even so that `audit verify` there finds nothing — is flagged at the next sync, and not adopted.

Real server over real HTTP on 127.0.0.1, real laptops, the database edited directly as someone
holding the key and a SQLite shell would.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pg_cluster import both_backends
from sync_harness import PASSPHRASE, LiveServer, household, make_laptop

from lehe_desktop.core import audit
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import audit_chain, vault
from lehe_desktop.core.store.connection import connect
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.server.cli import main as server_main


def _tamper(paths: DataPaths, key: bytes, *, rewrite: bool) -> None:
    """Cut the log after entry 2, or (``rewrite``) change entry 1; re-hash the rest and fix meta
    so the laptop's own check passes."""
    conn = connect(paths.database, key)
    try:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        if rewrite:
            conn.execute("UPDATE audit_log SET detail = '{}' WHERE seq = 1")
        else:
            conn.execute("DELETE FROM audit_log WHERE seq > 2")
        keep = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
        prev = audit_chain.GENESIS
        for seq, at, user, device, action, detail in conn.execute(
                "SELECT seq, at, user, device, action, detail FROM audit_log ORDER BY seq").fetchall():
            h = audit_chain.link(prev, audit_chain.body_digest(seq, at, user, device, action, detail))
            conn.execute("UPDATE audit_log SET prev = ?, hash = ? WHERE seq = ?", (prev, h, seq))
            prev = h
        conn.execute("UPDATE meta SET v = ? WHERE k = ?", (f"{keep}:{prev}", audit_chain.HEAD_KEY))
        conn.execute("DELETE FROM meta WHERE k = ?", (audit_chain.SERVER_HEAD_KEY,))
        conn.commit()
    finally:
        conn.close()


@both_backends
def test_server_flags_a_cut_chain(tmp_path: Path, live_server: LiveServer,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    _flagged(tmp_path, live_server, capsys, rewrite=False)


def test_server_flags_a_rewritten_chain(tmp_path: Path, live_server: LiveServer,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    _flagged(tmp_path, live_server, capsys, rewrite=True)


def _flagged(tmp_path: Path, live_server: LiveServer, capsys: pytest.CaptureFixture[str], *, rewrite: bool) -> None:
    """Sync twice, tamper with the log, sync again: the server flags it and `audit-flags` shows it."""
    root = tmp_path / "laptop"
    paths = DataPaths(root=root, logs=root / "logs")
    store: Store = make_laptop(root)
    client.enroll(store, live_server.url, live_server.code_for("coordinator1", role="coordinator"))
    household(store)
    first = client.sync_once(store)
    assert first.audit_problem is None
    origin = store.origin
    assert live_server.storage.audit_head(origin) is not None
    household(store, head="李四")
    second = client.sync_once(store)           # extends the head the server holds
    assert second.audit_problem is None
    held = live_server.storage.audit_head(origin)
    assert held is not None and held[0] >= 4
    entries = [e["action"] for e in audit.entries(store)]
    assert entries.count("sync") == 2 and "sign_in" not in entries   # set up, never unlocked
    store.close()

    key = vault.keyfile(paths).unlock(PASSPHRASE)
    _tamper(paths, key, rewrite=rewrite)
    store = vault.open_with_key(paths, key)
    try:
        assert audit.verify(store).ok         # nothing to see on the laptop itself
        third = client.sync_once(store)
        assert third.audit_problem == ("rewritten" if rewrite else "cut")
        assert live_server.storage.audit_head(origin) == held      # the server keeps what it saw
        flags = live_server.storage.audit_flags()
        assert [f["device_id"] for f in flags] == [store.device_id]
        assert flags[0]["flag"] == third.audit_problem
        # What the administrator sees.
        assert server_main([*live_server.cli_args(), "audit-flags", "--json"]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert [(f["device_id"], f["flag"]) for f in shown] == [(store.device_id, third.audit_problem)]
    finally:
        store.close()
