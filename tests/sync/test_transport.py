"""Request authentication and transport, over real HTTP on 127.0.0.1 (docs/sync.md, "Transport"):
replays refused, the session clock, server-signed replies, rate limits per client address, small
unzipped bodies for enrolment, https only, and apps from before this protocol told to upgrade."""

from __future__ import annotations

import gzip
import hashlib
import logging
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from sync_harness import (
    LiveServer,
    desktop,
    household,
    make_laptop,
    serve_process,
    serve_process_handle,
)

from lehe_desktop.core import hlc
from lehe_desktop.core.errors import LeheError, NetworkError, UsageError
from lehe_desktop.core.messages import CHANGE_COLUMNS, Hello, Push, encode, stored_change
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.server.app import AUTH_FAILURES
from lehe_desktop.server.cli import main as server_main
from lehe_desktop.server.storage import ServerStorage

HOUR = 3600 * 1000


def enrolled(tmp: Path, srv: LiveServer, name: str, user: str) -> Store:
    store = make_laptop(tmp / name)
    client.enroll(store, srv.url, srv.code_for(user))
    return store


def server_count(srv: LiveServer, sql: str, *params: Any) -> int:
    return int(srv.storage.store.query_value(sql, params))


def signed(store: Store, path: str, body: bytes, time_ms: int | None = None) -> dict[str, str]:
    key = P.load_private(store.meta()["sync_device_key"])
    return {"content-type": "application/json",
            **P.request_headers(key, store.device_id, "POST", path, body,
                                hlc.now_ms() if time_ms is None else time_ms)}


def unsent_push(store: Store) -> bytes:
    rows = store.query(f"SELECT {CHANGE_COLUMNS} FROM changes WHERE server_seq IS NULL ORDER BY hlc, origin")
    return encode(Push(changes=[stored_change(r) for r in rows]))


class Capture(httpx.HTTPTransport):
    """The real transport, keeping a copy of every request as it went on the wire."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, dict[str, str], bytes]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((request.url.path, dict(request.headers), request.read()))
        return super().handle_request(request)


# ---------------------------------------------------------------------- replays and the clock


def test_a_captured_request_replayed_is_refused_and_changes_nothing(tmp_path: Path,
                                                                    live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    try:
        household(a, head="李秀英")
        wire = Capture()
        assert client.sync_once(a, transport=wire).pushed > 0
        changes = server_count(live_server, "SELECT count(*) FROM changes")
        pushes = [r for r in wire.sent if r[0] == P.PUSH]
        assert pushes and next(r[0] for r in wire.sent) == P.HELLO
        for path, headers, body in wire.sent:          # hello, push and pull, byte for byte again
            resp = httpx.post(live_server.url + path, content=body, headers=headers, timeout=10)
            assert resp.status_code == 401 and resp.json()["error"] == "auth.replay", path
        # The same push under a new nonce but the old signature: a bad signature, not a replay.
        path, headers, body = pushes[0]
        resp = httpx.post(live_server.url + path, content=body, headers={**headers, P.H_NONCE: P.new_nonce()})
        assert resp.status_code == 401 and resp.json()["error"] == "auth.bad_signature"
        assert server_count(live_server, "SELECT count(*) FROM changes") == changes
        assert server_count(live_server, "SELECT count(*) FROM auth_nonces") == len(wire.sent)
    finally:
        a.close()


def test_later_requests_carry_the_server_time_learned_at_hello(tmp_path: Path, live_server: LiveServer,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    try:
        household(a, head="李秀英")
        # A hello with a clock 3 hours slow is accepted (a day either way), with a warning.
        slow = hlc.now_ms() - 3 * HOUR
        body = encode(Hello(origin=a.origin, epoch=a.epoch, wall_ms=slow))
        resp = httpx.post(live_server.url + P.HELLO, content=body, headers=signed(a, P.HELLO, body, slow))
        assert resp.status_code == 200 and resp.json()["clock_warning"]["zh"]
        # A push signed with that clock is not: later requests carry the server's clock.
        push = unsent_push(a)
        resp = httpx.post(live_server.url + P.PUSH, content=push, headers=signed(a, P.PUSH, push, slow))
        assert resp.status_code == 401 and resp.json()["error"] == "auth.stale"
        assert server_count(live_server, "SELECT count(*) FROM households") == 0
        # The laptop itself, its clock 3 hours slow, syncs: it signs pushes with the server's time.
        real = hlc.now_ms
        monkeypatch.setattr(hlc, "now_ms", lambda: real() - 3 * HOUR)
        result = client.sync_once(a)
        assert result.pushed > 0 and result.clock_warning
        assert server_count(live_server, "SELECT count(*) FROM households") == 1
        # Two days off: refused at hello, with the server's time and how far off, in both languages.
        monkeypatch.setattr(hlc, "now_ms", lambda: real() + 50 * HOUR)
        with pytest.raises(LeheError) as err:
            client.sync_once(a)
        assert err.value.code == "auth.clock"
        assert "快了约 2.1 天" in err.value.zh and "UTC" in err.value.zh
        assert "2.1 days ahead of" in err.value.en
    finally:
        a.close()


def test_a_broken_or_absurd_time_header_is_said_for_what_it_is(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    try:
        body = encode(Hello(origin=a.origin, epoch=a.epoch, wall_ms=hlc.now_ms()))
        headers = signed(a, P.HELLO, body)
        # An enrolled device's request with an unreadable time: not "enrol again".
        for bad in ("", "soon", "1e999", "-5"):
            resp = httpx.post(live_server.url + P.HELLO, content=body, headers={**headers, P.H_TIME: bad})
            assert resp.status_code == 401 and resp.json()["error"] == "auth.bad_time", (bad, resp.text)
        # A clock centuries off: said in years, not a 20-digit number of days.
        far = 10**16
        resp = httpx.post(live_server.url + P.HELLO, content=body, headers=signed(a, P.HELLO, body, far))
        said = resp.json()
        assert resp.status_code == 401 and said["error"] == "auth.clock", resp.text
        assert "十年以上" in said["zh"] and "over ten years ahead of" in said["en"] and "e+" not in said["en"]
    finally:
        a.close()


# ---------------------------------------------------------------------- signed replies


class Tamper(httpx.HTTPTransport):
    """A machine on the network path altering the server's replies to one path (not re-signed)."""

    def __init__(self, path: str, old: bytes, new: bytes) -> None:
        super().__init__()
        self.path, self.old, self.new = path, old, new
        self.hits = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        resp = super().handle_request(request)
        if request.url.path != self.path:
            return resp
        body = resp.read()
        if self.old in body:
            self.hits += 1
        return httpx.Response(resp.status_code, content=body.replace(self.old, self.new),
                              headers={k: v for k, v in resp.headers.items()
                                       if k.lower() not in ("content-length", "content-encoding")})


def _laptop_state(store: Store) -> tuple[Any, ...]:
    return (store.unsent_count(), store.meta().get("sync_pull_cursor"),
            store.query_value("SELECT count(*) FROM households"),
            store.query_value("SELECT group_concat(head_name) FROM households"))


def test_a_tampered_reply_is_refused_and_nothing_changes(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    try:
        household(a, head="李秀英")
        client.sync_once(a)
        household(b, head="王大山")
        before = _laptop_state(b)
        proxy = Tamper(P.PULL, "李秀英".encode(), "张冒充".encode())
        with pytest.raises(NetworkError) as err:
            client.sync_once(b, transport=proxy)
        assert err.value.code == "sync.bad_reply_signature" and err.value.exit_code == 8
        assert proxy.hits == 1 and "签名" in err.value.zh
        state = _laptop_state(b)
        assert state[1:] == before[1:]                   # nothing pulled, the cursor where it was
        assert "张冒充" not in str(state)
        # A refusal altered on the way (its text) is refused too, not shown.
        with pytest.raises(NetworkError) as err:
            client.sync_once(b, transport=Tamper(P.HELLO, b'"high_water"', b'"high_water_"'))
        assert err.value.code == "sync.bad_reply_signature"
        assert client.sync_once(b).pulled >= 1           # the honest path still works
    finally:
        a.close()
        b.close()


def test_a_second_server_with_another_key_is_refused(tmp_path: Path, live_server: LiveServer) -> None:
    """An impostor that even knows the device (its public key, its id) cannot answer for the server:
    its replies are signed with another key."""
    a = enrolled(tmp_path, live_server, "a", "alice")
    impostor = LiveServer(tmp_path / "impostor").start()
    try:
        household(a, head="李秀英")
        impostor.storage.add_user("alice", "worker", ["重庆市/巫溪县/白鹿镇/乐和村"])
        cert = {"device_id": a.device_id, "expires_ms": hlc.now_ms() + 24 * HOUR}
        with impostor.storage.transaction():
            impostor.storage.save_device(a.device_id, "alice",
                                         P.public_b64(P.load_private(a.meta()["sync_device_key"])), cert, "x")
        before = _laptop_state(a)
        with a.transaction():
            a.set_meta("sync_server", impostor.url)         # e.g. a hijacked name or a rogue Wi-Fi
        with pytest.raises(NetworkError) as err:
            client.sync_once(a)
        assert err.value.code == "sync.bad_reply_signature"
        assert _laptop_state(a) == before
        assert server_count(impostor, "SELECT count(*) FROM households") == 0   # hello only: nothing sent
    finally:
        impostor.stop()
        a.close()


# ---------------------------------------------------------------------- rate limits


def _bad_enrol(url: str, forwarded: str | None = None) -> httpx.Response:
    headers = {"x-forwarded-for": forwarded} if forwarded else {}
    return httpx.post(url + P.ENROLL, json={"code": "AAAA-BBBB-CCCC-DDDD", "device_id": "guess",
                                            "public_key": P.public_b64(P.new_private_key()),
                                            "protocol": P.PROTOCOL}, headers=headers, timeout=10)


def test_failed_enrolments_and_signatures_are_logged_and_rate_limited(
        tmp_path: Path, live_server: LiveServer, caplog: pytest.LogCaptureFixture) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    try:
        caplog.set_level(logging.WARNING, "lehe_desktop.server.app")
        body = b"{}"
        for i in range(AUTH_FAILURES):
            if i % 2:
                # A forged X-Forwarded-For from a peer that is no trusted proxy changes nothing.
                resp = _bad_enrol(live_server.url, forwarded=f"10.0.0.{i}")
                assert resp.status_code == 403 and resp.json()["error"] == "enroll.code_invalid"
            else:
                resp = httpx.post(live_server.url + P.HELLO, content=body,
                                  headers={**signed(a, P.HELLO, b"other"), "x-forwarded-for": f"10.0.0.{i}"})
                assert resp.status_code == 401 and resp.json()["error"] == "auth.bad_signature"
        resp = _bad_enrol(live_server.url)
        assert resp.status_code == 429 and resp.json()["error"] == "auth.rate_limited"
        assert 1 <= int(resp.headers["retry-after"]) <= 600 and "分钟" in resp.json()["zh"]
        # A good code is not even tried meanwhile (guessing is what is limited)…
        code = live_server.code_for("bob")
        b = make_laptop(tmp_path / "b")
        with pytest.raises(LeheError) as err:
            client.enroll(b, live_server.url, code)
        assert err.value.code == "auth.rate_limited" and not client.is_enrolled(b)
        b.close()
        # … while an enrolled laptop behind the same address, signing correctly, keeps syncing.
        household(a, head="李秀英")
        assert client.sync_once(a).pushed > 0
        bad = httpx.post(live_server.url + P.PUSH, content=body, headers=signed(a, P.PUSH, b"other"))
        assert bad.status_code == 429
        assert server_count(live_server, "SELECT count(*) FROM auth_failures WHERE addr = '127.0.0.1'") \
            == AUTH_FAILURES
        logged = [r.getMessage() for r in caplog.records if "127.0.0.1" in r.getMessage()]
        assert any("enroll.code_invalid" in m for m in logged) and any("auth.bad_signature" in m for m in logged)
    finally:
        a.close()


@pytest.mark.slow   # two server processes: ~12 s on a busy machine
def test_two_server_processes_share_nonces_and_limits_behind_a_trusted_proxy(tmp_path: Path) -> None:
    data = tmp_path / "srv"
    ServerStorage(data / "server.db").init()
    admin = ServerStorage(data / "server.db").open()       # what the admin commands write through
    admin.add_user("alice", "worker", ["重庆市/巫溪县/白鹿镇/乐和村"])
    code, _ = admin.enroll_code("alice", 1)
    admin.close()
    a = make_laptop(tmp_path / "a")
    try:
        with serve_process(data, "--trusted-proxy", "127.0.0.1") as one, \
                serve_process(data, "--trusted-proxy", "127.0.0.1") as two:
            for i in range(AUTH_FAILURES):
                assert _bad_enrol(one if i % 2 else two, forwarded="203.0.113.7").status_code == 403
            for url in (one, two):
                resp = _bad_enrol(url, forwarded="198.51.100.1, 203.0.113.7")   # the proxy adds the last
                assert resp.status_code == 429 and resp.json()["error"] == "auth.rate_limited"
            # Another client behind the same proxy is not limited.
            assert _bad_enrol(two, forwarded="203.0.113.8").json()["error"] == "enroll.code_invalid"
            # A request captured at one process is a replay at the other.
            client.enroll(a, one, code)
            household(a, head="李秀英")
            wire = Capture()
            assert client.sync_once(a, transport=wire).pushed > 0
            path, headers, body = next(r for r in wire.sent if r[0] == P.PUSH)
            resp = httpx.post(two + path, content=body, headers=headers, timeout=10)
            assert resp.status_code == 401 and resp.json()["error"] == "auth.replay"
        assert server_main(["--data-dir", str(data), "serve", "--trusted-proxy", "proxy.lan"]) == 2
    finally:
        a.close()


# ---------------------------------------------------------------------- bounded gzip


def _rss_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(field)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the server's memory from /proc")
def test_gzip_bombs_to_enroll_are_refused_with_memory_bounded(tmp_path: Path) -> None:
    data = tmp_path / "srv"
    ServerStorage(data / "server.db").init()
    bomb = gzip.compress(b"\0" * (32 * 1024 * 1024), compresslevel=6)
    assert len(bomb) < 40 * 1024
    with serve_process_handle(data) as (url, proc):
        assert _bad_enrol(url).status_code == 403           # warm: the enrol path has run once
        before = _rss_kib(proc.pid, "VmRSS")
        answers: list[tuple[int, str]] = []

        def send(path: str) -> None:
            resp = httpx.post(url + path, content=bomb, timeout=60,
                              headers={"content-type": "application/json", "content-encoding": "gzip"})
            answers.append((resp.status_code, resp.json()["error"]))

        threads = [threading.Thread(target=send, args=(P.ENROLL,)) for _ in range(20)]
        threads.append(threading.Thread(target=send, args=(P.HEALTH,)))
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        peak = _rss_kib(proc.pid, "VmHWM")
        assert answers == [(413, "request.too_large")] * 21
        assert (peak - before) / 1024 <= 100, f"server grew {(peak - before) / 1024:.0f} MiB"


# ---------------------------------------------------------------------- https only


def test_plain_http_is_refused_unless_loopback_or_insecure(tmp_path: Path) -> None:
    store = make_laptop(tmp_path / "a")
    try:
        with pytest.raises(UsageError) as err:
            client.enroll(store, "http://192.0.2.1:8765", "AAAA-BBBB-CCCC-DDDD", timeout=1)
        assert err.value.code == "sync.insecure_url" and err.value.exit_code == 2
        assert "https://" in err.value.zh and "--insecure" in err.value.en
        assert not client.is_enrolled(store)
        with pytest.raises(NetworkError) as net:              # allowed: it really tried to connect
            client.enroll(store, "http://192.0.2.1:9", "AAAA-BBBB-CCCC-DDDD", timeout=0.5, insecure=True)
        assert net.value.code == "sync.network"
    finally:
        store.close()
    out = desktop(tmp_path / "a", "enroll", "--server", "http://sync.lehe.invalid", "--code", "AAAA")
    assert out.returncode == 2 and "sync.insecure_url" in out.stderr


def test_the_insecure_choice_is_kept_with_the_server_address(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    try:
        assert a.meta().get("sync_insecure") == ""                       # loopback needs no choice
        with a.transaction():
            a.set_meta("sync_server", "http://192.0.2.1:9")          # as if enrolled on a LAN server
        with pytest.raises(UsageError) as err:
            client.sync_once(a, timeout=0.5)
        assert err.value.code == "sync.insecure_url"
        with pytest.raises(NetworkError):
            client.sync_once(a, timeout=0.5, insecure=True)
        assert a.meta()["sync_insecure"] == "1"
        with pytest.raises(NetworkError):                     # remembered: no flag needed again
            client.sync_once(a, timeout=0.5)
    finally:
        a.close()


# ---------------------------------------------------------------------- old laptops


def _old_headers(store: Store, path: str, body: bytes) -> dict[str, str]:
    """How apps before protocol 2 signed: no nonce, METHOD/PATH/TIME/SHA256(BODY)."""
    key = P.load_private(store.meta()["sync_device_key"])
    now = hlc.now_ms()
    sig = key.sign(f"POST\n{path}\n{now}\n{hashlib.sha256(body).hexdigest()}".encode())
    return {"content-type": "application/json", P.H_DEVICE: store.device_id, P.H_TIME: str(now),
            P.H_SIG: P.b64e(sig)}


def test_an_old_app_is_told_to_upgrade_and_loses_nothing(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    try:
        household(a, head="李秀英")
        unsent = a.unsent_count()
        for path, body in ((P.HELLO, encode(Hello(origin=a.origin, epoch=a.epoch))), (P.PUSH, unsent_push(a))):
            resp = httpx.post(live_server.url + path, content=body, headers=_old_headers(a, path, body))
            assert resp.status_code == 426 and resp.json()["error"] == "sync.upgrade"
            assert "新版本" in resp.json()["zh"] and "nothing is lost" in resp.json()["en"]
        assert server_count(live_server, "SELECT count(*) FROM households") == 0
        assert a.unsent_count() == unsent                         # still waiting on the laptop
        # An old app's enrolment is refused before its code is used up.
        code = live_server.code_for("bob")
        old = httpx.post(live_server.url + P.ENROLL, json={"code": code, "device_id": "old-laptop",
                                                           "public_key": P.public_b64(P.new_private_key())})
        assert old.status_code == 426 and old.json()["error"] == "sync.upgrade"
        b = make_laptop(tmp_path / "b")
        client.enroll(b, live_server.url, code)                     # the same code, after the update
        # After the update everything goes up and reaches the others.
        assert client.sync_once(a).pushed == unsent
        assert client.sync_once(b).pulled >= 1
        assert b.query_value("SELECT head_name FROM households") == "李秀英"
        b.close()
    finally:
        a.close()
