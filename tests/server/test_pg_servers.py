"""PostgreSQL: two `lehe-server serve` processes on one database serve the same laptops, and
`lehe-server copy` moves a SQLite server database to PostgreSQL.

No state lives in a server process: laptops alternate between the two processes and nothing is
lost, duplicated or reordered; an enrolment code works once across both; a request's nonce seen
by one is a replay at the other; failed enrolments at either count towards one rate limit.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import httpx
import psycopg
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import (
    VILLAGE,
    LiveServer,
    household,
    make_laptop,
    pg_test_key_file,
    run,
    serve_process,
    server_cli,
)

from lehe_desktop.core.errors import LeheError
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.server.scope import REFUSED
from lehe_desktop.server.storage import ServerStorage

pytestmark = pytest.mark.postgresql


class Capture(httpx.HTTPTransport):
    """The real transport, keeping a copy of every request as it went on the wire."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, dict[str, str], bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.url.path, dict(request.headers), request.read()))
        return super().handle_request(request)


def _code(db: str, user: str) -> str:
    out = server_cli(db, "enroll-code", user)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-1]


def _ids(store: Store) -> list[str]:
    return [r[0] for r in store.query("SELECT id FROM households ORDER BY id")]


def test_two_server_processes_on_one_database_serve_the_same_laptops(tmp_path: Path, pg_database: str) -> None:
    db = pg_database
    assert server_cli(db, "init").returncode == 0
    assert server_cli(db, "add-user", "alice", "--role", "worker", "--areas", VILLAGE).returncode == 0
    codes = [_code(db, "alice") for _ in range(3)]
    with serve_process(db) as one, serve_process(db) as two:
        servers = (one, two)
        laptops = []
        try:
            for i in range(3):
                store = make_laptop(tmp_path / f"l{i}", f"社工{i}")
                client.enroll(store, servers[i % 2], codes[i])
                laptops.append(store)
            # A code used at one process is used at the other.
            spare = make_laptop(tmp_path / "spare")
            with pytest.raises(LeheError) as used:
                client.enroll(spare, two, codes[0])
            assert used.value.code == "enroll.code_used"
            spare.close()

            made: list[str] = []
            for rnd in range(3):
                for i, store in enumerate(laptops):
                    made.append(household(store, head=f"户主{i}{rnd}"))
                    store.update("household", made[-1], {"notes": f"第{rnd}轮"})
                    store.set_meta("sync_server", servers[(i + rnd) % 2])
                    client.sync_once(store)
            for rnd in range(2):          # everyone catches up, still alternating
                for i, store in enumerate(laptops):
                    store.set_meta("sync_server", servers[(i + rnd) % 2])
                    client.sync_once(store)

            # Nothing lost: every laptop holds every household, once, with the last edit.
            for store in laptops:
                assert _ids(store) == sorted(made)
                assert store.get("household", made[-1])["notes"] == "第2轮"
                assert store.unsent_count() == 0
            with psycopg.connect(db) as conn:
                rows = conn.execute("SELECT origin, seq, server_seq FROM changes WHERE server_seq > 0 "
                                    "ORDER BY server_seq").fetchall()
            # Nothing duplicated: one server number each, and each (origin, seq) once.
            assert len({r[2] for r in rows}) == len(rows)
            assert len({(r[0], r[1]) for r in rows}) == len(rows)
            # Nothing reordered: each origin's changes were numbered in their own order.
            by_origin: dict[str, list[int]] = defaultdict(list)
            for origin, seq, _ in rows:
                by_origin[origin].append(seq)
            for seqs in by_origin.values():
                assert seqs == sorted(seqs)
            for store in laptops:
                own = [r[0] for r in store.query("SELECT seq FROM changes WHERE origin = ? ORDER BY seq",
                                                 (store.origin,))]
                assert by_origin[store.origin] == own      # every change it made is held, in order
                # …and every laptop got every other laptop's changes, without a gap.
                for origin, seqs in by_origin.items():
                    got = [r[0] for r in store.query("SELECT seq FROM changes WHERE origin = ? ORDER BY seq",
                                                     (origin,))]
                    assert got == seqs

            # Nonces are shared: a signed request seen by one process is a replay at the other.
            wire = Capture()
            laptops[0].set_meta("sync_server", one)
            client.sync_once(laptops[0], transport=wire)
            path, headers, body = next(r for r in wire.sent if r[0] == P.HELLO)
            again = httpx.post(two + path, content=body, headers=headers, timeout=10)
            assert again.status_code == 401 and again.json()["error"] == "auth.replay"

            # Failed enrolments count at both towards one limit per address (the used code and the
            # replay above were failures already: one at each process).
            with psycopg.connect(db) as conn:
                before = conn.execute("SELECT count(*) FROM auth_failures").fetchone()[0]
            assert before == 2
            key = P.public_b64(P.new_private_key())
            statuses = []
            for n in range(21):
                resp = httpx.post(servers[n % 2] + P.ENROLL, json={
                    "code": "AAAA-BBBB-CCCC-DDDD", "device_id": f"dev-{n}", "public_key": key,
                    "protocol": P.PROTOCOL}, timeout=10)
                statuses.append((resp.status_code, resp.json()["error"]))
            assert statuses[:18] == [(403, "enroll.code_invalid")] * 18
            assert statuses[18:] == [(429, "auth.rate_limited")] * 3
        finally:
            for store in laptops:
                store.close()


def test_copy_moves_a_sqlite_server_to_postgresql(tmp_path: Path, pg_database: str) -> None:
    srv = LiveServer(tmp_path / "old").start()
    a = make_laptop(tmp_path / "a")
    try:
        client.enroll(a, srv.url, srv.code_for("alice"))
        hid = household(a, head="王大山")
        a.update("household", hid, {"notes": "搬家前"})
        client.sync_once(a)
        before = srv.storage.stats()
        high = srv.storage.high_water()
    finally:
        srv.stop()
    src = f"sqlite:///{srv.db}"
    out = run("lehe_desktop.server.cli", "copy", "--from", src, "--to", pg_database)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    assert summary["changes"] >= 3 and summary["devices"] == 1
    # Copying again into a database that holds a server is refused, nothing changed.
    again = run("lehe_desktop.server.cli", "copy", "--from", src, "--to", pg_database)
    assert again.returncode != 0 and "copy.target_not_empty" in again.stderr

    # The signing key is not in the database: the new server gets the old one's key file.
    shutil.copy2(srv.db.with_name("server.keys"), pg_test_key_file(pg_database))
    moved = LiveServer(tmp_path / "new", existing=True, db=pg_database).start()
    try:
        assert moved.storage.stats() == before and moved.storage.high_water() == high
        a.set_meta("sync_server", moved.url)
        assert client.sync_once(a).pulled == 0             # the same server: nothing new to fetch
        a.update("household", hid, {"notes": "搬家后"})   # the laptop's key and server numbers carry on
        assert client.sync_once(a).pushed == 1
        assert moved.storage.store.get("household", hid)["notes"] == "搬家后"
        assert moved.storage.high_water() == high + 1
    finally:
        moved.stop()
        a.close()


def test_migrate_upgrades_an_older_postgresql_database(tmp_path: Path, pg_database: str) -> None:
    db = pg_database
    assert server_cli(db, "init").returncode == 0
    with psycopg.connect(db, autocommit=True) as conn:     # as an older version left it
        conn.execute("DROP TABLE auth_nonces")
        conn.execute("DROP INDEX changes_server_seq")
        conn.execute("ALTER TABLE changes DROP COLUMN digest")
        conn.execute("UPDATE meta SET v = '8' WHERE k = 'user_version'")
        conn.execute("UPDATE meta SET v = '2' WHERE k = 'server_schema'")
    refused = server_cli(db, "stats", "--json")
    assert refused.returncode != 0 and "server.needs_migrate" in refused.stderr
    up = server_cli(db, "migrate")
    assert up.returncode == 0, up.stderr
    stats = server_cli(db, "stats", "--json")
    assert stats.returncode == 0 and json.loads(stats.stdout)["changes"] == 0
    with psycopg.connect(db) as conn:
        assert conn.execute("SELECT to_regclass('auth_nonces') IS NOT NULL").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'changes_server_seq'").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'changes' "
                            "AND column_name = 'digest'").fetchone()[0] == 1
    nowhere = server_cli(db.rsplit("/", 1)[0] + "/no_such_db", "stats")
    assert nowhere.returncode != 0 and "server.db_unreachable" in nowhere.stderr


def test_migrate_rewrites_old_scope_markers_of_a_sqlite_server(tmp_path: Path) -> None:
    d = tmp_path / "srv"
    assert server_cli(d, "init").returncode == 0
    st = ServerStorage(d / "server.db").open()
    with st.transaction() as store:
        store.execute("INSERT INTO record_scope(rtype, rid, scope) VALUES ('household', 'h1', ?)", ("\x00refused",))
        store.execute("UPDATE meta SET v = '6' WHERE k = 'server_schema'")   # before schema 7's rewrite
    st.close()
    assert server_cli(d, "migrate").returncode == 0
    st = ServerStorage(d / "server.db").open()
    try:
        assert st.store.query_value("SELECT scope FROM record_scope WHERE rid = 'h1'") == REFUSED
    finally:
        st.close()
