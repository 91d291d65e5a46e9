"""The server's request-body limit, over real HTTP on 127.0.0.1: oversized bodies are refused
early with HTTP 413 ``request.too_large`` and nothing stored; the laptop cuts its pushes so a
normal sync never meets the limit."""

from __future__ import annotations

import gzip
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import LiveServer, desktop, household, make_laptop, serve_process, server_cli

from lehe_desktop.core.errors import NetworkError
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.core.sync.merge import CHANGE_COLUMNS
from lehe_desktop.server.app import create_app

LIMIT = 64 * 1024
NOTE = "村里老人多，需要定期探访。" * 250          # 3,250 characters: ~10 KB of UTF-8 per household


class LimitedServer(LiveServer):
    """The production app on a real socket, with a chosen request-body limit."""

    def __init__(self, root: Path, max_body: int) -> None:
        super().__init__(root)
        self.max_body = max_body

    def start(self) -> LimitedServer:
        config = uvicorn.Config(create_app(self.storage, max_body=self.max_body), host="127.0.0.1",
                                port=self.port, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        return self


@pytest.fixture
def small(tmp_path: Path) -> Iterator[LimitedServer]:
    srv = LimitedServer(tmp_path / "server", LIMIT).start()
    try:
        yield srv
    finally:
        srv.stop()


class Recording(httpx.HTTPTransport):
    """The real HTTP transport, noting the size of every push body it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.push_sizes: list[int] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == P.PUSH:
            self.push_sizes.append(len(request.content))
        return super().handle_request(request)


def enrolled(tmp: Path, srv: LiveServer, name: str, user: str) -> Store:
    store = make_laptop(tmp / name)
    client.enroll(store, srv.url, srv.code_for(user))
    return store


def server_changes(srv: LiveServer) -> int:
    return int(srv.storage.store.query_value("SELECT count(*) FROM changes"))


def signed_push(store: Store, body: bytes) -> dict[str, str]:
    """The headers a real push of ``body`` carries (the device's own key and signature)."""
    key = P.load_private(store.meta()["sync_device_key"])
    return {"content-type": "application/json",
            **P.request_headers(key, store.device_id, "POST", P.PUSH, body, int(time.time() * 1000))}


def unsent_body(store: Store) -> bytes:
    rows = store.query(f"SELECT {CHANGE_COLUMNS} FROM changes WHERE server_seq IS NULL "
                              "ORDER BY hlc, origin")
    return client._push_body(rows)


def assert_too_large(resp: httpx.Response) -> None:
    assert resp.status_code == 413
    body = resp.json()
    assert body["error"] == "request.too_large" and body["zh"] and body["en"]
    assert "0.0625 MB" in body["en"]


def headers_only(port: int, path: str, extra: str = "", length: int = 10 * 1024 ** 3) -> tuple[bytes, bytes]:
    """Send only a request's headers, announcing a ``length``-byte body, and read the answer: a server
    that waited for the body would never answer (the read times out after 10 s)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{extra}"
                  f"Content-Length: {length}\r\n\r\n".encode())
        reply = b""
        while b"\r\n\r\n" not in reply or not reply.rstrip().endswith(b"}"):
            chunk = s.recv(65536)
            if not chunk:
                break
            reply += chunk
    head, _, body = reply.partition(b"\r\n\r\n")
    return head, body


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(small: LimitedServer) -> None:
    head, body = headers_only(small.port, P.PUSH)
    assert head.startswith(b"HTTP/1.1 413") and b"connection: close" in head.lower()
    assert b'"error":"request.too_large"' in body


def test_a_real_push_over_the_limit_is_refused_and_nothing_is_stored(tmp_path: Path, small: LimitedServer) -> None:
    laptop = enrolled(tmp_path, small, "a", "alice")
    try:
        for i in range(12):
            household(laptop, head=f"户主{i}", notes=NOTE)
        body = unsent_body(laptop)
        assert len(body) > LIMIT
        before = server_changes(small)
        resp = httpx.post(small.url + P.PUSH, content=body, headers=signed_push(laptop, body))
        assert_too_large(resp)
        assert server_changes(small) == before
        assert small.storage.store.query_value("SELECT count(*) FROM households") == 0
        # The same body gzipped is small on the wire, but would be over the limit once unzipped.
        packed = gzip.compress(body)
        assert len(packed) < LIMIT
        resp = httpx.post(small.url + P.PUSH, content=packed,
                          headers=signed_push(laptop, body) | {"content-encoding": "gzip"})
        assert_too_large(resp)
        assert server_changes(small) == before
        # Corrupt gzip is a coded 400, not an internal error.
        resp = httpx.post(small.url + P.PUSH, content=b"\x1f\x8b not gzip",
                          headers=signed_push(laptop, body) | {"content-encoding": "gzip"})
        assert resp.status_code == 400 and resp.json()["error"] == "request.gzip"
    finally:
        laptop.close()


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(tmp_path: Path, small: LimitedServer) -> None:
    laptop = enrolled(tmp_path, small, "a", "alice")
    # An enrolled device's headers (the signature, over the whole body, can only be checked after it).
    device = {"content-type": "application/json", P.H_DEVICE: laptop.device_id, P.H_TIME: str(int(time.time() * 1000)),
              P.H_NONCE: P.new_nonce(), P.H_SIG: "not-yet-checked"}
    laptop.close()
    before = server_changes(small)
    sent = 0

    def endless() -> Iterator[bytes]:
        # No Content-Length (chunked): the server must stop on its own count. 64 MiB if it never does.
        nonlocal sent
        for _ in range(4096):
            sent += 16384
            yield b"[" * 16384

    resp = httpx.post(small.url + P.PUSH, content=endless(), headers=device, timeout=60)
    assert_too_large(resp)
    assert sent < 64 * 1024 ** 2        # the client was not made to send it all
    assert server_changes(small) == before
    # A chunked body under the limit is read as usual (here: refused for its signature).
    resp = httpx.post(small.url + P.PUSH, content=iter([b"{", b"}"]), headers=device)
    assert resp.status_code == 401 and resp.json()["error"] == "auth.bad_signature"


def test_a_stranger_is_refused_before_the_body_is_read(tmp_path: Path) -> None:
    # A server whose sync limit would let 1 GiB in: strangers still get no byte of body read.
    srv = LimitedServer(tmp_path / "server", 1024 ** 3).start()
    try:
        for extra in ("", f"{P.H_DEVICE}: nobody\r\n{P.H_TIME}: 1\r\n{P.H_SIG}: x\r\n"):
            head, body = headers_only(srv.port, P.PUSH, extra, length=512 * 1024 ** 2)   # under the limit
            assert head.startswith(b"HTTP/1.1 401") and b'"error":"auth.unknown_device"' in body
        # Enrolment and health take small bodies only, whatever the sync limit.
        head, body = headers_only(srv.port, P.ENROLL)
        assert head.startswith(b"HTTP/1.1 413") and b'"error":"request.too_large"' in body
        assert server_changes(srv) == 0
    finally:
        srv.stop()


class ProxyLimit(Recording):
    """What a reverse proxy in front of the server does (nginx's default client_max_body_size is
    1 MB): bodies over its own, smaller limit get an HTML 413 page and never reach the server."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.refused = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if len(request.content) > self.limit:
            self.refused += 1
            return httpx.Response(413, html="<html><body><h1>413 Request Entity Too Large</h1></body></html>")
        return super().handle_request(request)


@pytest.mark.parametrize("proxy", [None, LIMIT // 3], ids=["server-limit", "stricter-proxy"])
def test_sync_cuts_pushes_to_the_limit_it_meets(tmp_path: Path, small: LimitedServer, proxy: int | None) -> None:
    """The limit the server announces (64 KB), or a reverse proxy's smaller one that answers a bare
    413 (a third of it): every change arrives, and every accepted push body fitted."""
    a = enrolled(tmp_path, small, "a", "alice")
    b = enrolled(tmp_path, small, "b", "bob")
    try:
        ids = [household(a, head=f"户主{i}", notes=NOTE) for i in range(30)]
        unsent = a.unsent_count()
        wire = Recording() if proxy is None else ProxyLimit(proxy)
        res = client.sync_once(a, transport=wire)
        assert res.pushed == unsent and res.rejected == 0 and a.unsent_count() == 0
        # One 5000-change batch would not have fitted; the proxy refused the first, larger bodies.
        assert len(wire.push_sizes) >= 5 and max(wire.push_sizes) <= (proxy or LIMIT)
        assert sum(wire.push_sizes) > 4 * LIMIT
        if isinstance(wire, ProxyLimit):
            assert wire.refused >= 1
        assert client.sync_once(b).pulled >= len(ids)
        for hid in ids:
            assert b.require("household", hid)["notes"] == NOTE
        again = client.sync_once(a, transport=wire)
        assert again.pushed == 0 and again.pulled == 0
    finally:
        a.close()
        b.close()


def test_one_change_a_stricter_proxy_never_passes_is_a_coded_error(tmp_path: Path, small: LimitedServer) -> None:
    a = enrolled(tmp_path, small, "a", "alice")
    try:
        household(a, head="大户", notes=NOTE * 3)                 # ~30 KB in one change
        with pytest.raises(NetworkError) as err:
            client.sync_once(a, transport=ProxyLimit(LIMIT // 3))
        assert err.value.code == "http.413" and a.unsent_count() == 1
    finally:
        a.close()


def test_cut_keeps_whole_changes_and_fills_the_budget(tmp_path: Path) -> None:
    store = make_laptop(tmp_path / "a")
    try:
        for i in range(10):
            household(store, head=f"户主{i}", notes=NOTE[: 100 * (i + 1)])
        rows = store.query(f"SELECT {CHANGE_COLUMNS} FROM changes ORDER BY hlc, origin")
        full = client._push_body(rows)
        assert client._cut(rows, len(full)) == (rows, full)
        for budget in (len(full) - 1, len(full) // 2, 9000, 1):
            kept, body = client._cut(rows, budget)
            assert body == client._push_body(kept) and kept == rows[: len(kept)]
            assert len(kept) >= 1
            if len(kept) > 1:
                assert len(body) <= budget
            # One more change would not have fitted.
            assert len(client._push_body(rows[: len(kept) + 1])) > budget
        assert client._cut([], 100) == ([], None)
    finally:
        store.close()


def test_one_change_larger_than_the_limit_is_a_coded_error(tmp_path: Path) -> None:
    srv = LimitedServer(tmp_path / "server", 8 * 1024).start()
    try:
        laptop = tmp_path / "laptop"
        store = make_laptop(laptop)
        client.enroll(store, srv.url, srv.code_for("alice"))
        hid = household(store, notes=NOTE)      # ~10 KB in one change: cannot be cut
        with pytest.raises(NetworkError) as err:
            client.sync_once(store)
        assert err.value.code == "request.too_large" and err.value.exit_code == 8
        # The area records before it went through; the household stays unsent, nothing half-stored.
        assert store.unsent_count() == 1
        store.close()
        out = desktop(laptop, "sync", "--json")
        assert out.returncode == 8 and "error [request.too_large]" in out.stderr
        assert "Traceback" not in out.stderr and out.stdout == ""
        st = srv.storage.store
        assert st.query_value("SELECT count(*) FROM changes WHERE rid = ?", (hid,)) == 0
        assert st.query_value("SELECT count(*) FROM households") == 0
    finally:
        srv.stop()


def test_serve_takes_max_body_mb(tmp_path: Path) -> None:
    d = tmp_path / "srv"
    assert server_cli(d, "init").returncode == 0
    bad = server_cli(d, "serve", "--port", "1", "--max-body-mb", "0")
    assert bad.returncode == 2 and "serve.max_body" in bad.stderr
    assert server_cli(d, "serve", "--max-body-mb", "lots").returncode == 2
    with serve_process(d, "--max-body-mb", "0.05") as url:
        big = httpx.post(url + P.ENROLL, content=b" " * 60_000, headers={"content-type": "application/json"})
        assert big.status_code == 413 and big.json()["error"] == "request.too_large"
        fits = httpx.post(url + P.ENROLL, content=b"{}" + b" " * 50_000, headers={"content-type": "application/json"})
        assert fits.status_code == 400 and fits.json()["error"] == "enroll.request"
