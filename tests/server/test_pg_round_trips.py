"""The server on PostgreSQL waits for the database a bounded number of times per push, whatever its
size: reads wait, writes are sent in the transaction's pipeline, edits of rows of the same push are
merged before their insert. (Counted, not timed: benchmarks/bench_load.py shows the speed.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from bench_load import BASE, Device

from lehe_desktop import __version__
from lehe_desktop.core import hlc as hlc_mod
from lehe_desktop.core.messages import Enroll, Hello, Push
from lehe_desktop.core.store.migrations import SCHEMA_VERSION
from lehe_desktop.core.sync import proof
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.server.app import SyncService
from lehe_desktop.server.storage import ServerStorage

pytestmark = pytest.mark.postgresql


@pytest.mark.parametrize("changes", [40, 200])
def test_a_push_waits_for_postgresql_a_bounded_number_of_times(pg_database: str, changes: int,
                                                              tmp_path: Path) -> None:
    st = ServerStorage(pg_database, key_file=tmp_path / "server.keys")
    st.init()
    st.open()
    try:
        service = SyncService(st)
        village = f"{BASE}/乐和0村"
        st.add_user("w", "worker", [village])
        dev = Device(0, village, changes)      # households, their members and edits of both (4 : 4 : 2)
        service.enroll(Enroll(code=st.enroll_code("w", 1)[0], device_id=dev.device_id,
                              public_key=P.public_b64(dev.key), app=__version__, schema=SCHEMA_VERSION,
                              protocol=P.PROTOCOL))
        device = st.device(dev.device_id)
        assert device is not None
        service.hello(device, Hello(origin=dev.origin, epoch=dev.epoch, app=__version__, schema=SCHEMA_VERSION,
                                    wall_ms=hlc_mod.now_ms(), unsent=changes))
        batch = proof.sign_batch(dev.key, dev.device_id, [proof.change_digest(ch) for ch in dev.made])
        writer = st.store._conn                      # noqa: SLF001  (the PostgreSQL connection's counter)
        before = writer.round_trips
        reply = service.push(device, Push(changes=dev.made, batches=[batch], proofs=[(len(dev.made), 0)]))
        waits = writer.round_trips - before
        assert not reply.rejected and all(r[0] == "applied" for r in reply.results)
        # Statement by statement this was ~6 round trips per edit (flush, read back, UPDATE) and one per
        # table run: 252 for 200 changes. Now the same handful whatever the push's size.
        assert waits <= 22, waits
        households = st.store.query_value("SELECT count(*) FROM households WHERE id IN "
                                          f"({', '.join('?' * len(dev.made))})", [c.rid for c in dev.made])
        assert households == len({c.rid for c in dev.made if c.rtype == "household"})
    finally:
        st.close()


def test_a_failing_write_sent_without_waiting_rolls_back_its_whole_transaction(pg_database: str,
                                                                             tmp_path: Path) -> None:
    """A write in the pipeline fails where nobody waits for it; the error comes at COMMIT (or the next
    read), the transaction is rolled back whole, and the connection serves the next one."""
    from lehe_desktop.core.errors import StorageError

    st = ServerStorage(pg_database, key_file=tmp_path / "server.keys")
    st.init()
    st.open()
    try:
        rows = [("n1", "d", 1), ("n2", "d", 1), ("n1", "d", 1)]       # n1 twice: a primary key violation
        with pytest.raises(StorageError) as failed, st.transaction() as store:
            store.execute("INSERT INTO users(name, role, created_ms) VALUES (?, ?, ?)", ("before", "worker", 1))
            store.executemany("INSERT INTO auth_nonces(nonce, device_id, expires_ms) VALUES (?,?,?)", rows)
        assert failed.value.code == "db.integrity"
        with pytest.raises(StorageError), st.transaction() as store:
            store.executemany("INSERT INTO auth_nonces(nonce, device_id, expires_ms) VALUES (?,?,?)", rows)
            store.query("SELECT 1")                  # the next read brings the error
        assert st.user("before") is None
        assert st.store.query_value("SELECT count(*) FROM auth_nonces") == 0
        st.add_user("after", "worker", [f"{BASE}/乐和0村"])
        assert st.user("after") is not None
    finally:
        st.close()


def test_a_transaction_whose_end_fails_forgets_what_it_cached(pg_database: str, tmp_path: Path) -> None:
    """The sent write's error comes at the transaction's end (the store's last reads before COMMIT):
    rolled back, and the origin numbered inside it is not remembered (its row is gone)."""
    from lehe_desktop.core.errors import StorageError

    st = ServerStorage(pg_database, key_file=tmp_path / "server.keys")
    st.init()
    st.open()
    try:
        with pytest.raises(StorageError), st.transaction() as store:
            gone = store.origin_index("laptop-x:epoch")
            store.executemany("INSERT INTO auth_nonces(nonce, device_id, expires_ms) VALUES (?,?,?)",
                              [("n1", "d", 1), ("n1", "d", 1)])
        assert st.store.query_value("SELECT count(*) FROM origins WHERE origin = 'laptop-x:epoch'") == 0
        with st.transaction() as store:
            again = store.origin_index("laptop-x:epoch")
        assert st.store.query_value("SELECT idx FROM origins WHERE origin = 'laptop-x:epoch'") == again
        assert gone is not None
    finally:
        st.close()
