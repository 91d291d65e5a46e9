"""Hostile message encodings over real HTTP on 127.0.0.1: deep JSON, integers of 2^63 and more,
lone surrogates, NaN/Infinity, objects where scalars belong, impossible clocks. Each is a coded
refusal (HTTP 400, or the one change refused inside a push), never a 500, nothing stored, and the
server goes on serving honest laptops. (Found by the schemathesis run in test_openapi.py and the
fuzzing described in issue 11.)"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import LiveServer, household, make_laptop

from lehe_desktop.core import messages as m
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Store]]:
    root = tmp_path_factory.mktemp("decoding")
    srv = LiveServer(root / "server").start()
    laptop = make_laptop(root / "a")
    try:
        client.enroll(laptop, srv.url, srv.code_for("alice"))
        yield srv, laptop
    finally:
        laptop.close()
        srv.stop()


def post(srv: LiveServer, store: Store, path: str, body: bytes) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if path != P.ENROLL:
        key = P.load_private(store.meta()["sync_device_key"])
        headers.update(P.request_headers(key, store.device_id, "POST", path, body, int(time.time() * 1000)))
    return httpx.post(srv.url + path, content=body, headers=headers, timeout=60)


def changes_stored(srv: LiveServer) -> int:
    return int(srv.storage.store.query_value("SELECT count(*) FROM changes"))


def still_serving(srv: LiveServer, laptop: Store) -> None:
    assert httpx.get(srv.url + P.HEALTH, timeout=10).status_code == 200
    household(laptop, head=f"户主{time.monotonic_ns()}")
    result = client.sync_once(laptop)
    assert result.pushed >= 1 and result.rejected == 0


def nested(depth: int, inner: bytes = b"1") -> bytes:
    return b'{"a":' * depth + inner + b"}" * depth


DEEP = 100_000
BAD_REQUESTS = [
    # deep JSON: beyond the decoder's recursion limit, at the top, in a key, in an ignored key
    (P.HELLO, b"[" * DEEP + b"]" * DEEP, "request.json"),
    (P.HELLO, b'{"origin":' + b"[" * DEEP + b"]" * DEEP + b"}", "request.json"),
    (P.PULL, nested(DEEP), "request.json"),
    (P.PUSH, b'{"changes":[' + nested(DEEP) + b"]}", "request.json"),
    (P.ENROLL, b"[" * 30_000 + b"]" * 30_000, "request.json"),       # under enrolment's 64 KiB
    # integers of 2^63 and beyond, where a 64-bit integer belongs
    (P.HELLO, b'{"unsent": 9223372036854775808}', "hello.request"),
    (P.PULL, b'{"after": 0, "until": 100000000000000000000000000000}', "pull.request"),
    (P.ENROLL, b'{"code": "x", "device_id": "d", "public_key": "k", "schema": 9223372036854775808}',
     "enroll.request"),
    # lone surrogates (not Unicode), anywhere
    (P.HELLO, b'{"origin": "\\ud800"}', "request.json"),
    (P.PULL, b'{"origin": "a\\udfffb"}', "request.json"),
    (P.ENROLL, b'{"code": "\\ud800", "device_id": "d", "public_key": "k"}', "request.json"),
    # NaN / Infinity (not JSON)
    (P.HELLO, b'{"wall_ms": Infinity}', "request.json"),
    (P.PULL, b'{"after": NaN}', "request.json"),
    (P.HELLO, b'{"wall_ms": 1e999}', "request.json"),
    # objects and lists where scalars belong
    (P.HELLO, b'{"origin": {"a": 1}}', "hello.request"),
    (P.PULL, b'{"after": {}}', "pull.request"),
    (P.PULL, b'{"limit": [1]}', "pull.request"),
    (P.ENROLL, b'{"code": {}, "device_id": "d", "public_key": "k"}', "enroll.request"),
    (P.PUSH, b'{"changes": {"0": {}}}', "push.request"),
    # clocks no laptop can have: the skew the server answers would not fit in 64 bits
    (P.HELLO, b'{"wall_ms": -9223372036854775808}', "hello.request"),
    (P.HELLO, b'{"wall_ms": 9223372036854775807}', "hello.request"),
]


@pytest.mark.parametrize(("path", "body", "code"), BAD_REQUESTS)
def test_hostile_encodings_are_coded_refusals(setup: tuple[LiveServer, Store], path: str, body: bytes,
                                              code: str) -> None:
    srv, laptop = setup
    before = changes_stored(srv)
    resp = post(srv, laptop, path, body)
    assert resp.status_code == 400, resp.text
    assert m.decode(resp.content, m.ErrorReply).error == code
    assert changes_stored(srv) == before


def test_the_server_goes_on_serving_after_them(setup: tuple[LiveServer, Store]) -> None:
    srv, laptop = setup
    for path, body, _ in BAD_REQUESTS[:5]:         # the deep ones: each was a RecursionError (HTTP 500)
        assert post(srv, laptop, path, body).status_code == 400
    still_serving(srv, laptop)


def test_the_furthest_clock_a_laptop_may_report_is_answered(setup: tuple[LiveServer, Store]) -> None:
    srv, laptop = setup
    for wall in (0, 2 ** 47 - 1):
        resp = post(srv, laptop, P.HELLO, m.encode({"wall_ms": wall}))
        assert resp.status_code == 200, resp.text
        reply = m.decode(resp.content, m.HelloReply)          # what the laptop reads: every number fits
        assert reply.clock_warning is not msgspec.UNSET


def test_a_change_nested_too_deep_is_refused_alone(setup: tuple[LiveServer, Store]) -> None:
    srv, laptop = setup
    household(laptop, head="李深")
    rows = laptop.query(f"SELECT {m.CHANGE_COLUMNS} FROM changes WHERE server_seq IS NULL ORDER BY hlc, origin")
    good = [msgspec.json.decode(m.encode(m.stored_change(r))) for r in rows]
    model: dict[str, Any] = good[-1]
    top = max(r[1] for r in rows)

    def value(depth: int) -> Any:
        v: Any = 1
        for _ in range(depth - 1):
            v = [v]
        return {"x": v}            # `depth` lists and objects

    kept = {**model, "id": "h-deep-ok", "seq": top + 1, "fields": {**model["fields"], "extra_note": value(m.MAX_DEPTH)}}
    deep = {**model, "id": "h-deep", "seq": top + 2, "fields": {**model["fields"], "extra_note": value(m.MAX_DEPTH + 1)}}
    deep_base = {**model, "id": "h-deep-base", "seq": top + 3, "base": {"head_name": value(200)}}
    before = changes_stored(srv)
    resp = post(srv, laptop, P.PUSH, msgspec.json.encode({"changes": [*good, kept, deep, deep_base]}))
    assert resp.status_code == 200, resp.text
    reply = m.decode(resp.content, m.PushReply)
    assert [s for s, _ in reply.results] == ["applied"] * (len(good) + 1) + ["rejected"] * 2
    assert {(r.seq, r.code) for r in reply.rejected} == {(top + 2, "change.invalid"), (top + 3, "change.invalid")}
    assert changes_stored(srv) == before + len(good) + 1
    assert srv.storage.store.query_value("SELECT count(*) FROM changes WHERE rid IN ('h-deep', 'h-deep-base')") == 0


@pytest.fixture(scope="module")
def admin(setup: tuple[LiveServer, Store], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    srv, _ = setup
    laptop = make_laptop(tmp_path_factory.mktemp("admin") / "admin")
    try:
        client.enroll(laptop, srv.url, srv.code_for("root", role="admin"))
        household(laptop, head="管理员户")
        assert client.sync_once(laptop).rejected == 0
        yield laptop
    finally:
        laptop.close()


# Objects and lists where a record's known field holds a scalar. The message decoder lets them
# through on purpose (a newer app's unknown fields may hold them); the record schema decides, in
# the push validation path that issue 11's change validation adds. Until then each one is an
# HTTP 500 (the value reaches an SQLite binding): the whole push fails, for the admin as well.
FIELD_TYPES = [
    ("household", {"head_name": {"a": 1}}),
    ("household", {"head_name": [1]}),
    ("household", {"area_id": {"a": 1}}),
    ("visit", {"household_id": {"a": 1}}),
    ("member", {"household_id": [1]}),
    ("conflict", {"rtype": [1], "rid": {}}),
    ("area", {"path": {"x": 1}}),
]


@pytest.mark.parametrize(("rtype", "fields"), FIELD_TYPES)
def test_objects_in_scalar_fields_are_refused_not_500(setup: tuple[LiveServer, Store], admin: Store,
                                                      rtype: str, fields: dict[str, Any]) -> None:
    srv, _ = setup
    rows = admin.query(f"SELECT {m.CHANGE_COLUMNS} FROM changes WHERE rtype = 'household' ORDER BY seq DESC LIMIT 1")
    model: dict[str, Any] = msgspec.json.decode(m.encode(m.stored_change(rows[0])))
    top = int(admin.query_value("SELECT max(seq) FROM changes WHERE origin = ?", (admin.origin,)))
    rid = f"bad-{rtype}-{top}-{len(str(fields))}"
    change = {**model, "seq": top + 1000 + FIELD_TYPES.index((rtype, fields)), "type": rtype, "id": rid,
              "fields": {**model["fields"], **fields}}
    resp = post(srv, admin, P.PUSH, msgspec.json.encode({"changes": [change]}))
    assert resp.status_code == 200, resp.text
    assert [s for s, _ in m.decode(resp.content, m.PushReply).results] == ["rejected"]
    assert srv.storage.store.query_value("SELECT count(*) FROM changes WHERE rid = ?", (rid,)) == 0
