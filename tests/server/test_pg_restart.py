"""PostgreSQL restarts under a running server: while it is down, requests are refused with HTTP 503
``server.database_unavailable`` (and /health says so); once it is back the same server process
works again by itself; a write transaction cut off by the restart left nothing behind."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from pg_cluster import SKIP_REASON, PgCluster, pg_cluster
from sync_harness import LiveServer, household, make_laptop

from lehe_desktop.core.errors import LeheError, StorageError
from lehe_desktop.core.sync import client

pytestmark = pytest.mark.postgresql


@pytest.fixture(scope="module")
def cluster() -> Iterator[PgCluster]:
    """A cluster of these tests' own: it is stopped and started again, which no other test may see."""
    with pg_cluster() as got:
        if got is None:
            pytest.skip(SKIP_REASON)
        yield got


def _households(server: LiveServer) -> list[str]:
    return [r[0] for r in server.storage.store.query("SELECT head_name FROM households ORDER BY head_name")]


def test_the_server_comes_back_by_itself_after_postgresql_restarts(tmp_path: Path, cluster: PgCluster) -> None:
    server = LiveServer(tmp_path / "server", db=cluster.new_database()).start()
    laptop = make_laptop(tmp_path / "laptop")
    try:
        client.enroll(laptop, server.url, server.code_for("alice"))
        household(laptop, head="王大山")
        client.sync_once(laptop)
        assert _households(server) == ["王大山"]

        cluster.halt()
        household(laptop, head="李秀英")
        with pytest.raises(LeheError) as refused:
            client.sync_once(laptop)
        assert refused.value.code == "server.database_unavailable"
        health = httpx.get(f"{server.url}/health", timeout=10)
        assert (health.status_code, health.json()["db"]) == (503, "unavailable")
        # Still down: refused again the same way (no hanging, no HTTP 500).
        with pytest.raises(LeheError) as again:
            client.sync_once(laptop)
        assert again.value.code == "server.database_unavailable"

        cluster.resume()
        assert httpx.get(f"{server.url}/health", timeout=10).status_code == 200
        client.sync_once(laptop)                 # the same server process, reconnected
        assert _households(server) == ["李秀英", "王大山"]
        assert laptop.unsent_count() == 0
        origin = laptop.origin
        seqs = [r[0] for r in server.storage.store.query("SELECT seq FROM changes WHERE origin = ? ORDER BY seq",
                                                         (origin,))]
        assert seqs == sorted(set(seqs)) and len(seqs) == laptop.query_value(
            "SELECT count(*) FROM changes WHERE origin = ?", (origin,))
    finally:
        laptop.close()
        server.stop()


def test_a_transaction_cut_off_by_a_restart_leaves_nothing(tmp_path: Path, cluster: PgCluster) -> None:
    server = LiveServer(tmp_path / "server", db=cluster.new_database())
    storage = server.storage
    try:
        with pytest.raises(StorageError), storage.transaction() as st:
            st.execute("INSERT INTO users(name, role, created_ms) VALUES (?, ?, ?)", ("half", "worker", 1))
            st.executemany("INSERT INTO auth_nonces(nonce, device_id, expires_ms) VALUES (?,?,?)",
                           [(f"n{i}", "d", 1) for i in range(50)])
            cluster.halt()                      # before COMMIT: the transaction is gone with the connection
        cluster.resume()
        assert storage.user("half") is None
        assert storage.store.query_value("SELECT count(*) FROM auth_nonces") == 0
        storage.add_user("whole", "worker", ["重庆市/巫溪县/白鹿镇/乐和村"])     # and writes work again
        assert storage.user("whole") is not None
    finally:
        storage.close()
