"""Malformed messages over real HTTP: coded refusals, never a 500, and nothing stored."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest
from sync_harness import LiveServer, household, make_laptop

from lehe_desktop.core import messages as m
from lehe_desktop.core.errors import NetworkError
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P


def enrolled(tmp: Path, srv: LiveServer, name: str, user: str) -> Store:
    store = make_laptop(tmp / name)
    client.enroll(store, srv.url, srv.code_for(user))
    return store


def post(srv: LiveServer, store: Store, path: str, body: bytes) -> httpx.Response:
    key = P.load_private(store.meta()["sync_device_key"])
    headers = {"content-type": "application/json",
               **P.request_headers(key, store.device_id, "POST", path, body, int(time.time() * 1000))}
    return httpx.post(srv.url + path, content=body, headers=headers, timeout=30)


def server_count(srv: LiveServer, sql: str, *params: Any) -> int:
    return int(srv.storage.store.query_value(sql, params))


def test_a_push_refuses_only_its_malformed_changes(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    try:
        household(a, head="王大山")
        rows = a.query(f"SELECT {m.CHANGE_COLUMNS} FROM changes ORDER BY hlc, origin")
        good = [msgspec.json.decode(m.encode(m.stored_change(r))) for r in rows]
        model = {**good[-1], "id": "h-bad"}
        top = max(r[1] for r in rows)
        bad = [
            {**model, "seq": str(top + 1)},                               # a number as text
            {**model, "seq": top + 2, "fields": {"head_name": 2 ** 64}},  # beyond 64 bits
            {**model, "seq": top + 3, "fields": {"x": [[{"y": -(10 ** 25)}]]}},
            {**model, "seq": top + 4, "hlc": 2 ** 63},
            {k: v for k, v in model.items() if k != "id"} | {"seq": top + 5},   # a key missing
            {**model, "seq": top + 6, "kind": "explode"},                 # a kind the server does not take
            "not a change",
        ]
        resp = post(live_server, a, P.PUSH, msgspec.json.encode({"changes": [*good, *bad]}))
        assert resp.status_code == 200, resp.text
        reply = m.decode(resp.content, m.PushReply)
        assert [s for s, _ in reply.results] == ["applied"] * len(good) + ["rejected"] * len(bad)
        assert {r.code for r in reply.rejected} == {"change.invalid"} and len(reply.rejected) == len(bad)
        assert sorted(r.seq for r in reply.rejected if r.origin == a.origin) == [0, *range(top + 2, top + 7)]
        # The good ones are stored and applied; nothing of the malformed ones beyond their refusal.
        assert server_count(live_server, "SELECT count(*) FROM changes WHERE origin = ?", a.origin) == len(good)
        assert server_count(live_server, "SELECT count(*) FROM changes WHERE rid = 'h-bad'") == 0
        assert server_count(live_server, "SELECT count(*) FROM households WHERE id = 'h-bad'") == 0
        assert server_count(live_server, "SELECT count(*) FROM rejects WHERE code = 'change.invalid'") >= 5
    finally:
        a.close()


@pytest.mark.parametrize(("path", "body", "code"), [
    (P.HELLO, {"origin": "x:y", "schema": "7"}, "hello.request"),
    (P.HELLO, {"wall_ms": 2 ** 64}, "hello.request"),
    (P.PULL, {"after": "0"}, "pull.request"),
    (P.PULL, {"after": 0, "limit": 10 ** 20}, "pull.request"),
    (P.PUSH, {"changes": 5}, "push.request"),
    (P.PUSH, {"changes": {"origin": "a:b"}}, "push.request"),
    (P.PUSH, [1, 2], "request.json"),
    (P.ENROLL, {"code": 5, "device_id": "d", "public_key": "k"}, "enroll.request"),
    (P.ENROLL, {"device_id": "d", "public_key": "k"}, "enroll.request"),
])
def test_malformed_requests_are_coded_and_change_nothing(tmp_path: Path, live_server: LiveServer, path: str,
                                                         body: Any, code: str) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    try:
        household(a)
        before = server_count(live_server, "SELECT count(*) FROM changes")
        seen = live_server.storage.store.query_one("SELECT last_seen, epoch FROM devices WHERE device_id = ?",
                                                   (a.device_id,))
        resp = post(live_server, a, path, msgspec.json.encode(body))
        assert resp.status_code == 400, resp.text
        assert m.decode(resp.content, m.ErrorReply).error == code
        assert server_count(live_server, "SELECT count(*) FROM changes") == before
        assert live_server.storage.store.query_one("SELECT last_seen, epoch FROM devices WHERE device_id = ?",
                                                   (a.device_id,)) == seen
        # The laptop still syncs normally afterwards.
        unsent = a.unsent_count()
        assert client.sync_once(a).pushed == unsent > 0
    finally:
        a.close()


class GarblingProxy(httpx.HTTPTransport):
    """The real server answering with altered pull pages (a server bug: the pages are signed with
    its key, so they pass the reply-signature check and reach the decoder)."""

    def __init__(self, garble: bytes, into: bytes, server_key: str) -> None:
        super().__init__()
        self.garble, self.into = garble, into
        self.key = P.load_private(server_key)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        resp = super().handle_request(request)
        if request.url.path != P.PULL:
            return resp
        body = resp.read().replace(self.garble, self.into, 1)
        sig = self.key.sign(P.reply_message("POST", P.PULL, request.headers[P.H_NONCE], resp.status_code, body))
        return httpx.Response(resp.status_code, content=body, headers={"content-type": "application/json",
                                                                       P.H_REPLY_SIG: P.b64e(sig)})


@pytest.mark.parametrize(("garble", "into"), [
    (b'"kind":"upsert"', b'"kind":7'),
    (b'"server_seq":', b'"server_seq":"1","was":'),
    (b'"next":', b'"next":99999999999999999999,"x":'),
    (b'"changes":[', b'"changes":[{"origin":"x:y"},'),
])
def test_a_malformed_pull_page_is_a_coded_error_and_nothing_is_applied(
        tmp_path: Path, live_server: LiveServer, garble: bytes, into: bytes) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    try:
        hid = household(a, head="李秀英")
        assert client.sync_once(a).rejected == 0
        with pytest.raises(NetworkError) as err:
            client.sync_once(b, transport=GarblingProxy(garble, into, P.b64e(P.private_bytes(live_server.storage.keys.signer()))))
        assert err.value.code == "sync.bad_reply"
        assert b.get("household", hid) is None and b.meta().get("sync_pull_cursor", "0") == "0"
        assert client.sync_once(b).pulled > 0 and b.get("household", hid) is not None
    finally:
        a.close()
        b.close()
