"""The OpenAPI 3.1 description of the sync API, served as ``GET /openapi.json`` (docs/sync.md).

Nothing here is written by hand twice: request bodies and replies are the JSON Schema msgspec makes
from the message Structs in ``core/messages.py``, the auth headers are those ``protocol.request_headers``
produces, and the paths come from ``protocol``. What is listed by hand is which refusals (HTTP
status and error codes) each endpoint may answer: ``REFUSALS`` below, checked against the running
server by the schemathesis run in tests/server/test_openapi.py.
"""

from __future__ import annotations

from typing import Any

import msgspec

from .. import __version__
from ..core import messages as m
from ..core.sync import keyroll
from ..core.sync import protocol as P

OPENAPI_PATH = "/openapi.json"
SCHEMA_REF = "#/components/schemas/{name}"

# Refusals every endpoint may give, then those of each endpoint: status -> error codes.
COMMON: dict[int, tuple[str, ...]] = {
    400: ("request.json", "request.gzip", "request.length"),
    405: ("http.method",),
    413: ("request.too_large",),
    429: ("auth.rate_limited",),
}
AUTH: dict[int, tuple[str, ...]] = {
    401: ("auth.unknown_device", "auth.bad_time", "auth.bad_signature", "auth.clock", "auth.stale", "auth.replay"),
    403: ("auth.revoked", "auth.cert_expired"),
    426: ("sync.upgrade",),
}
REFUSALS: dict[str, dict[int, tuple[str, ...]]] = {
    P.HEALTH: {},
    P.ENROLL: {400: ("enroll.request", "enroll.device_id", "enroll.key"),
               403: ("enroll.code_invalid", "enroll.code_used", "enroll.code_expired", "enroll.code_other_device"),
               409: ("enroll.device_known",), 426: ("sync.upgrade",)},
    P.HELLO: {**AUTH, 400: ("hello.request",)},
    P.PUSH: {**AUTH, 400: ("push.request",), 413: ("push.too_large",)},
    P.PULL: {**AUTH, 400: ("pull.request",)},
}

# What the server answers 200 with, and what it reads (None: no body).
MESSAGES: dict[str, tuple[type[Any] | None, type[Any], str]] = {
    P.HEALTH: (None, m.HealthReply, "Is the server up; its app version, schema and protocol. Unauthenticated."),
    P.ENROLL: (m.Enroll, m.EnrollReply,
               "Enrol a new device with a one-time code; the reply is its certificate signed by the server. "
               "Unauthenticated (the code is the proof)."),
    P.HELLO: (m.Hello, m.HelloReply, "Start a sync session: epochs, clocks, limits, the high-water mark."),
    P.PUSH: (m.Push, m.PushReply,
             "Send up to 5000 changes. Each change is applied, held or refused on its own: a malformed or "
             "refused change is listed in `rejected` with its code (HTTP 200), the rest of the batch is applied."),
    P.PULL: (m.Pull, m.PullReply, "A page of the changes in the device's areas, oldest first, without its own."),
}

_HEADER_WORDS = {
    P.H_DEVICE: "The enrolled device id.",
    P.H_TIME: "The request time, milliseconds since 1970 (UTC).",
    P.H_NONCE: "A fresh random value for every request; a repeat is refused (auth.replay).",
    P.H_SIG: "Base64 Ed25519 signature by the device key over the protocol version, method, path, time, nonce "
             "and SHA-256 of the body (protocol.request_message).",
}
# Every reply, refusals included, carries the server's signature the laptop checks.
_REPLY_HEADERS = {P.H_REPLY_SIG: {
    "description": "Base64 Ed25519 signature by the server key (learned at enrolment) over the method, path, "
                   "the request's nonce, the status and SHA-256 of the body (protocol.reply_message).",
    "schema": {"type": "string"}},
    keyroll.H_SERVER_KEYS: {
        "description": "After a server key rotation: OLD.NEW.SIG steps, comma-separated, oldest first; SIG is "
                       "the OLD key's signature over keyroll.rotation_message(OLD, NEW). A laptop whose pinned key "
                       "does not verify the reply follows the steps from it and then trusts the newest key.",
        "schema": {"type": "string"}}}


def auth_headers() -> list[str]:
    """The headers a signed request carries: whatever the client's own signing code produces."""
    key = P.new_private_key()
    return sorted(P.request_headers(key, "device", "POST", P.HELLO, b"{}", 0))


def _scheme_name(header: str) -> str:
    return header.removeprefix("x-lehe-").replace("-", "_")


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _ref(kind: type[Any]) -> dict[str, Any]:
    return {"$ref": SCHEMA_REF.format(name=kind.__name__)}


def _responses(path: str, reply: type[Any], max_body: int) -> dict[str, Any]:
    out: dict[str, Any] = {"200": {"description": "Done.", "headers": _REPLY_HEADERS, "content": _json(_ref(reply))}}
    statuses: dict[int, set[str]] = {}
    for table in (COMMON, REFUSALS[path]):
        for status, codes in table.items():
            statuses.setdefault(status, set()).update(codes)
    if path == P.HEALTH:
        statuses.pop(405)      # GET and POST both answer
    for status in sorted(statuses):
        words = ", ".join(f"`{c}`" for c in sorted(statuses[status]))
        extra = f" Bodies over {max_body} bytes (as sent or unzipped) are refused." if status == 413 else ""
        out[str(status)] = {"description": f"Refused ({words}); nothing was changed.{extra}",
                            "headers": _REPLY_HEADERS, "content": _json(_ref(m.ErrorReply))}
    return out


def describe(max_body: int = P.MAX_BODY) -> dict[str, Any]:
    """The OpenAPI document (a JSON-ready dict)."""
    kinds: list[type[Any]] = [m.ErrorReply]
    for request, reply, _ in MESSAGES.values():
        kinds += [k for k in (request, reply) if k is not None]
    _, components = msgspec.json.schema_components(kinds, ref_template=SCHEMA_REF)
    headers = auth_headers()
    schemes = {_scheme_name(h): {"type": "apiKey", "in": "header", "name": h,
                                 "description": _HEADER_WORDS.get(h, "Part of the request signature.")}
               for h in headers}
    signed: list[dict[str, list[str]]] = [{name: [] for name in schemes}]
    paths: dict[str, Any] = {}
    for path, (request, reply, summary) in MESSAGES.items():
        op: dict[str, Any] = {"summary": summary, "operationId": path.rsplit("/", 1)[-1],
                              "responses": _responses(path, reply, max_body)}
        if path in (P.HEALTH, P.ENROLL):
            op["security"] = []
        else:
            op["security"] = signed
        if request is not None:
            op["requestBody"] = {"required": True, "content": _json(_ref(request))}
        if path == P.HEALTH:
            paths[path] = {"get": op, "post": {**op, "operationId": "health_post"}}
        else:
            paths[path] = {"post": op}
    paths[OPENAPI_PATH] = {"get": {
        "summary": "This description.", "operationId": "openapi", "security": [],
        "responses": {"200": {"description": "The OpenAPI document.", "content": _json({"type": "object"})}}}}
    health = {"type": "object", "required": ["ok", "db", "app", "schema"], "properties": {
        "ok": {"type": "boolean"}, "db": {"type": "string", "enum": ["ok", "unavailable"]},
        "app": {"type": "string"}, "schema": {"type": "integer"}}}
    paths["/health"] = {"get": {
        "summary": "For a load balancer or monitoring: whether the server and its database answer "
                   "(no authentication, not signed).", "operationId": "health_lb", "security": [],
        "responses": {"200": {"description": "Serving; the database answers.", "content": _json(health)},
                      "503": {"description": "The database does not answer.", "content": _json(health)}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Lehe sync server (乐和社工同步服务器)", "version": __version__,
                 "description": f"Sync protocol version {P.PROTOCOL}. Every refusal is an `ErrorReply` "
                                "`{\"error\": code, \"zh\": …, \"en\": …}` with the HTTP status listed. "
                                "See docs/sync.md and docs/security.md."},
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": schemes},
        "security": signed,
    }


def document(max_body: int = P.MAX_BODY) -> bytes:
    """``describe`` as JSON bytes (what ``GET /openapi.json`` answers)."""
    return m.encode(describe(max_body))
