"""The OpenAPI description (``GET /openapi.json``) and a schemathesis run against the real server.

The description is generated from the message Structs (server/openapi.py), so these tests check
that it is a valid OpenAPI document, that it covers every route the app serves, and — by letting
schemathesis generate requests from it, signed as an enrolled device by the client's own signing
code, and send them over real HTTP on 127.0.0.1 — that the server never answers 5xx and that its
answers match the description (status codes, content type, reply bodies).
"""

from __future__ import annotations

import os
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import VILLAGE, LiveServer, make_laptop

from lehe_desktop.core import hlc
from lehe_desktop.core.records import catalog  # noqa: F401  (registers every record type)
from lehe_desktop.core.records.schema import REGISTRY
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.core.sync.merge import type_of
from lehe_desktop.server.app import create_app
from lehe_desktop.server.openapi import OPENAPI_PATH, auth_headers, describe

RECORD_TYPES = [*sorted(REGISTRY), "conflict"]
FIELD_NAMES = {name: [f.name for f in rt.fields] for name in RECORD_TYPES if (rt := type_of(name)) is not None}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


class DeviceSignature(requests.auth.AuthBase):
    """The auth hook: signs each request schemathesis sends, as it goes out (the exact body bytes),
    with the enrolled laptop's key through the client's own signing code."""

    def __init__(self, store: Store) -> None:
        self.key = P.load_private(store.meta()["sync_device_key"])
        self.device_id = store.device_id
        self.origin = store.origin
        self.sent = 0
        self.lock = threading.Lock()

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        body = r.body or b""
        data = body.encode() if isinstance(body, str) else bytes(body)
        path = urlsplit(r.url or "").path
        r.headers.update(P.request_headers(self.key, self.device_id, r.method or "POST", path, data, hlc.now_ms()))
        with self.lock:
            self.sent += 1
        return r


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, DeviceSignature]]]:
    """One server for the module, with an enrolled worker laptop and an enrolled admin laptop."""
    root = tmp_path_factory.mktemp("openapi")
    srv = LiveServer(root / "server").start()
    stores: list[Store] = []
    try:
        signers = {}
        for user, role in (("worker", "worker"), ("admin", "admin")):
            store = make_laptop(root / user)
            stores.append(store)
            client.enroll(store, srv.url, srv.code_for(user, role=role, areas=(VILLAGE,)))
            signers[role] = DeviceSignature(store)
        yield srv, signers
    finally:
        for store in stores:
            store.close()
        srv.stop()


def test_the_description_is_valid_openapi_and_covers_every_route(tmp_path: Path) -> None:
    doc = describe()
    validate(doc)                                   # openapi-spec-validator: OpenAPI 3.1 + JSON Schema
    srv = LiveServer(tmp_path / "server")          # not started: only its routes are read
    try:
        app = create_app(srv.storage)
    finally:
        srv.storage.close()
    served = {(r.path, method.lower()) for r in app.routes if isinstance(r, Route)
              for method in (r.methods or ()) if method != "HEAD"}
    # The sync routes also take GET only to answer it 405 http.method: that is described as such.
    described = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    assert {(p, m) for p, m in served if m == "post" or p in (P.HEALTH, OPENAPI_PATH)} <= described
    assert {p for p, _ in served} == set(doc["paths"])
    # The auth headers are the ones the client's signing code sends.
    schemes = doc["components"]["securitySchemes"]
    assert sorted(s["name"] for s in schemes.values()) == auth_headers()
    for path in (P.HELLO, P.PUSH, P.PULL):
        assert doc["paths"][path]["post"]["security"] == [{name: [] for name in schemes}]
        assert {"401", "403", "400", "413"} <= set(doc["paths"][path]["post"]["responses"])
    assert doc["paths"][P.ENROLL]["post"]["security"] == []
    # Replies and requests are the Structs' schemas.
    comps = doc["components"]["schemas"]
    assert {"Change", "Push", "PushReply", "Pull", "PullReply", "Hello", "HelloReply", "Enroll",
            "EnrollReply", "ErrorReply", "HealthReply"} <= set(comps)
    assert comps["Change"]["properties"]["seq"]["minimum"] == 1
    assert comps["ErrorReply"]["required"] == ["error"]


def test_the_server_serves_its_description_unauthenticated(
        fuzzed: tuple[LiveServer, dict[str, DeviceSignature]]) -> None:
    srv, _ = fuzzed
    resp = httpx.get(srv.url + OPENAPI_PATH, timeout=10)
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("application/json")
    assert resp.json() == describe(P.MAX_BODY)
    assert len(resp.content) < 64 * 1024
    # Anything the routes do not take is a coded JSON refusal too, not Starlette's plain text.
    nowhere = httpx.get(srv.url + "/sync/v1/nowhere", timeout=10)
    assert nowhere.status_code == 404 and nowhere.json()["error"] == "http.not_found"
    put = httpx.put(srv.url + P.PUSH, content=b"{}", timeout=10)
    assert put.status_code == 405 and put.json()["error"] == "http.method" and "POST" in put.headers["allow"]
    post = httpx.post(srv.url + OPENAPI_PATH, content=b"{}", timeout=10)
    assert post.status_code == 405 and post.json()["error"] == "http.method"


def record_aware(body: Any, data: st.DataObject, origin: str) -> None:
    """Make a generated push reach the merge: each change gets a real record type, real field names
    of that type (the values stay whatever was generated) and the sending device's origin."""
    changes = body.get("changes") if isinstance(body, dict) else None
    for ch in changes if isinstance(changes, list) else ():
        if not isinstance(ch, dict):
            continue
        rtype = data.draw(st.sampled_from(RECORD_TYPES))
        ch["type"] = rtype
        ch["origin"] = origin
        names = FIELD_NAMES[rtype]
        if isinstance(ch.get("fields"), dict) and names:
            ch["fields"] = {data.draw(st.sampled_from(names)): v for v in ch["fields"].values()}


def fuzz(srv: LiveServer, signers: dict[str, DeviceSignature], examples: int,
         derandomize: bool, records: bool = False) -> Counter[tuple[str, int]]:
    """Every operation, positive and negative examples, signed as each enrolled device. Returns
    how many requests got which answer, by (path, status); any failed check raises. ``records``:
    pushes carry real record types and field names (``record_aware``)."""
    schema = schemathesis.openapi.from_url(srv.url + OPENAPI_PATH)
    answers: Counter[tuple[str, int]] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if mode is GenerationMode.NEGATIVE and not operation.body:
                continue          # nothing to make invalid (GET /health, GET /openapi.json)
            strategy = operation.as_strategy(generation_mode=mode)

            @given(case=strategy, role=st.sampled_from(sorted(signers)), data=st.data())
            @settings(max_examples=examples, deadline=None, derandomize=derandomize, database=None,
                      suppress_health_check=list(HealthCheck))
            def one(case: Any, role: str, data: st.DataObject) -> None:
                if records and case.operation.path == P.PUSH:
                    record_aware(case.body, data, signers[role].origin)
                response = case.call(base_url=srv.url, auth=signers[role], timeout=30)
                answers[(case.operation.path, response.status_code)] += 1
                case.validate_response(response, checks=CHECKS)

            one()
    return answers


def test_schemathesis_finds_no_server_error(fuzzed: tuple[LiveServer, dict[str, DeviceSignature]]) -> None:
    srv, signers = fuzzed
    answers = fuzz(srv, signers, examples=25, derandomize=True)
    sent = sum(answers.values())
    signed = sum(s.sent for s in signers.values())
    print(f"schemathesis: {sent} requests, {signed} signed, 0 server errors; {sorted(answers.items())}")
    assert sent >= 200 and signed == sent
    # The requests reached the endpoints' work, not only their refusals.
    assert all(answers[(path, 200)] for path in (P.HELLO, P.PUSH, P.PULL))


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_schemathesis_long_run(fuzzed: tuple[LiveServer, dict[str, DeviceSignature]]) -> None:
    srv, signers = fuzzed
    answers = fuzz(srv, signers, examples=int(os.environ.get("LEHE_FUZZ_EXAMPLES", "1500")), derandomize=False)
    sent = sum(answers.values())
    print(f"schemathesis (slow): {sent} requests, 0 server errors; {sorted(answers.items())}")
    assert sent >= 2000


@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.xfail(reason="objects and lists in a known record field are HTTP 500 until change validation "
                          "(issue 11) refuses them: see test_decoding_refusals.py", strict=False)
def test_schemathesis_record_aware_pushes(fuzzed: tuple[LiveServer, dict[str, DeviceSignature]]) -> None:
    """Pushes of real record types and field names with generated values: the merge path itself."""
    srv, signers = fuzzed
    answers = fuzz(srv, signers, examples=int(os.environ.get("LEHE_FUZZ_EXAMPLES", "1500")), derandomize=False,
                   records=True)
    print(f"schemathesis (record-aware, slow): {sum(answers.values())} requests, 0 server errors; "
          f"{sorted(answers.items())}")
