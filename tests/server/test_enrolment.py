"""Enrolment over real HTTP on 127.0.0.1: a code enrols a new device only; re-enrolling a known
device needs a code made for it; device ids come from a safe character set."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pg_cluster import both_backends
from sync_harness import VILLAGE, LiveServer, make_laptop, server_cli

from lehe_desktop.core.errors import LeheError, NotFoundError
from lehe_desktop.core.ids import is_safe_device_id
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.server.storage import ServerStorage


@pytest.fixture
def srv(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    db = request.getfixturevalue("pg_database") if backend == "postgresql" else None
    server = LiveServer(tmp_path / "server", db=db).start()
    try:
        yield server
    finally:
        server.stop()


def _raw_enrol(srv: LiveServer, code: str, device_id: object) -> httpx.Response:
    key = P.new_private_key()
    return httpx.post(srv.url + P.ENROLL, json={"code": code, "device_id": device_id,
                                                "public_key": P.public_b64(key), "protocol": P.PROTOCOL}, timeout=10)


def _device_row(srv: LiveServer, device_id: str) -> tuple[object, ...] | None:
    return srv.storage.store.query_one("SELECT user, public_key, revoked FROM devices WHERE device_id = ?",
                                       (device_id,))


@both_backends
def test_an_ordinary_code_cannot_take_over_an_enrolled_device(srv: LiveServer, tmp_path: Path) -> None:
    laptop = make_laptop(tmp_path / "a")
    try:
        client.enroll(laptop, srv.url, srv.code_for("小王"))
        before = _device_row(srv, laptop.device_id)
        assert before is not None
        srv.storage.revoke(laptop.device_id)
        # Someone else's code, the same device id: refused, and the device keeps its user, key, revocation.
        answer = _raw_enrol(srv, srv.code_for("小李"), laptop.device_id)
        assert answer.status_code == 409 and answer.json()["error"] == "enroll.device_known"
        assert _device_row(srv, laptop.device_id) == (before[0], before[1], 1)
    finally:
        laptop.close()


def test_a_code_made_for_a_known_device_re_enrols_it_and_only_it(srv: LiveServer, tmp_path: Path) -> None:
    laptop = make_laptop(tmp_path / "a")
    other = make_laptop(tmp_path / "b")
    try:
        client.enroll(laptop, srv.url, srv.code_for("小王"))
        code, _ = srv.storage.enroll_code("小王", 1, laptop.device_id)
        wrong = _raw_enrol(srv, code, other.device_id)
        assert wrong.status_code == 403 and wrong.json()["error"] == "enroll.code_other_device"
        assert _device_row(srv, other.device_id) is None
        # The restored laptop enrols again with its new key; the code worked once, for that device.
        client.enroll(laptop, srv.url, code)
        row = _device_row(srv, laptop.device_id)
        assert row is not None and row[0] == "小王" and row[1] == P.public_b64(
            P.load_private(laptop.meta()["sync_device_key"]))
        with pytest.raises(LeheError) as used:
            client.enroll(laptop, srv.url, code)
        assert used.value.code == "enroll.code_used"
        with pytest.raises(NotFoundError):
            srv.storage.enroll_code("小王", 1, "no-such-device")
    finally:
        laptop.close()
        other.close()


@pytest.mark.parametrize("device_id", ["", "a" * 65, "dev\x1b[2Jice", "dev\nice", "dev:ice", "设备一", " dev",
                                       "-dev", "dev/../x", 7, None, ["dev"]])
def test_unsafe_device_ids_are_refused_and_spend_no_code(srv: LiveServer, device_id: object) -> None:
    code = srv.code_for("小王")
    answer = _raw_enrol(srv, code, device_id)
    assert answer.status_code == 400 and answer.json()["error"] in ("enroll.device_id", "enroll.request")
    assert srv.storage.store.query_value("SELECT count(*) FROM devices") == 0
    # The code was not used up by the refused request.
    assert _raw_enrol(srv, code, "laptop-1").status_code == 200


def test_safe_device_ids() -> None:
    assert is_safe_device_id("0b6f7a9e-1d2c-4e5f-8a9b-0c1d2e3f4a5b")
    assert is_safe_device_id("server-1.a_b")
    assert not is_safe_device_id("a" * 65) and not is_safe_device_id("x\x00")


def test_an_older_server_database_is_migrated_for_device_codes(tmp_path: Path) -> None:
    d = tmp_path / "srv"
    assert server_cli(d, "init").returncode == 0
    # Take the database back to server schema 1: no device column on enrolment codes.
    st = ServerStorage(d / "server.db").open()
    with st.transaction() as store:
        store.execute("ALTER TABLE enroll_codes DROP COLUMN device_id")
        # … nor what later server schemas added (4: bundles).
        store.execute("ALTER TABLE devices DROP COLUMN enc_key")
        store.execute("ALTER TABLE devices DROP COLUMN bundle_cursor")
        store.execute("UPDATE meta SET v = '1' WHERE k = 'server_schema'")
    st.close()
    refused = server_cli(d, "stats", "--json")
    assert refused.returncode != 0 and "server.needs_migrate" in refused.stderr
    assert server_cli(d, "migrate").returncode == 0
    assert server_cli(d, "add-user", "小王", "--role", "worker", "--areas", VILLAGE).returncode == 0
    assert server_cli(d, "enroll-code", "小王").returncode == 0
    bad = server_cli(d, "enroll-code", "小王", "--device", "nope")
    assert bad.returncode == 5 and "device.not_found" in bad.stderr
