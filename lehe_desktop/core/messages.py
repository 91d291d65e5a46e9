"""The sync wire messages: one definition each, shared by laptops and the server, with one encoder
and one decoder (msgspec; docs/sync.md "Messages").

Decoding is strict and typed: a message whose keys have the wrong type, a required key missing, an
integer outside SQLite's signed 64 bits (anywhere, nested values too), a float out of range, text
that is not valid Unicode (a lone surrogate escape), ``NaN``/``Infinity``, or values nested deeper than
``MAX_DEPTH`` lists and objects inside a record field (or deeper than the decoder's own limit anywhere) is
refused with ``BadMessage`` (code ``sync.bad_message``);
the server answers it with its endpoint's coded HTTP 400 (or refuses just that change in a push),
the laptop with ``sync.bad_reply``. Keys a message does not define are ignored, so a newer app may
add keys (forward compatibility); unknown *record fields* are different: they travel inside a
change's ``fields`` and are kept (docs/sync.md, merge rules).

Stored JSON text (a change's ``fields`` and ``base``, a row's ``versions`` and ``extra``) is written
and read with the same codec: ``dumps_text`` / ``loads_text``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, Union

import msgspec
from msgspec import UNSET, Meta, Raw, Struct, UnsetType, field

from .errors import EXIT_NETWORK, LeheError

INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1

Int64 = Annotated[int, Meta(ge=INT64_MIN, le=INT64_MAX)]
Positive = Annotated[int, Meta(ge=1, le=INT64_MAX)]
NonEmpty = Annotated[str, Meta(min_length=1)]
Origin = Annotated[str, Meta(pattern=":")]            # device_id:epoch
# A wall-clock time (ms since 1970) that fits in a hybrid logical clock stamp (core/hlc.py: 47 bits).
WallMs = Annotated[int, Meta(ge=0, le=2 ** 47 - 1)]
# Lists and objects nested inside one record field's value (an unknown field of a newer app): more
# is refused, so no stored value is too deep for SQLite's JSON functions or a recursive reader.
MAX_DEPTH = 32


if TYPE_CHECKING:
    JsonValue = Any
else:
    # Record values are scalars, checked by the decoder itself (integers within 64 bits). A newer
    # app's unknown fields may hold lists and objects (kept in the row's extra JSON): the integers
    # inside those are checked after decoding (``_nested_fit``). A recursive type for them would
    # make msgspec build its type tree once per path, exponential in the depth.
    JsonValue = Union[str, Int64, float, bool, None, list[Any], dict[str, Any]]  # noqa: UP007

Fields = dict[str, JsonValue]


class BadMessage(LeheError):
    """A message that does not match its definition (the decoder's refusal)."""

    exit_code = EXIT_NETWORK

    def __init__(self, detail: str) -> None:
        super().__init__("sync.bad_message", f"同步消息格式错误：{detail}", f"Malformed sync message: {detail}")
        self.detail = detail


# ---------------------------------------------------------------------- changes


class Change(Struct, frozen=True, kw_only=True, gc=False):
    """One entry of the change log, as it travels between replicas (and as ``merge`` applies it).

    The wire keys are those of the Python names, except ``rtype`` → ``"type"`` and ``rid`` → ``"id"``.
    """

    origin: Origin
    seq: Positive
    hlc: Positive
    schema: Int64
    rtype: NonEmpty = field(name="type")
    rid: NonEmpty = field(name="id")
    kind: str = "upsert"                 # 'upsert' | 'delete' | 'undelete'
    fields: Fields
    base: Fields | None = None           # the versions the author saw, {field: [hlc, origin]}
    user: str | None = None
    wall_ms: Int64 | None = None
    app: str | None = None


class PulledChange(Change, frozen=True, kw_only=True):
    """A change in a pull page, with the number the server gave it."""

    server_seq: Positive


# Columns of ``changes`` that make a Change, in this order (``stored_change`` reads them).
CHANGE_COLUMNS = "origin, seq, hlc, schema, rtype, rid, kind, fields, base, user, wall_ms, app"


def change_from_row(r: tuple[Any, ...] | list[Any]) -> Change:
    """A Change from a ``SELECT {CHANGE_COLUMNS}`` row, its JSON parsed (to merge it)."""
    return Change(origin=r[0], seq=r[1], hlc=r[2], schema=r[3], rtype=r[4], rid=r[5], kind=r[6],
                  fields=loads_text(r[7]), base=loads_text(r[8]) if r[8] else None, user=r[9],
                  wall_ms=r[10], app=r[11])


def stored_change(r: tuple[Any, ...] | list[Any]) -> Change:
    """A Change from a ``SELECT {CHANGE_COLUMNS}`` row to send on: its stored ``fields`` and ``base``
    JSON text goes out as it is (``Raw``), never parsed and encoded again. Only for encoding."""
    fields: Any = Raw(r[7])
    base: Any = Raw(r[8]) if r[8] else None
    return Change(origin=r[0], seq=r[1], hlc=r[2], schema=r[3], rtype=r[4], rid=r[5], kind=r[6],
                  fields=fields, base=base, user=r[9], wall_ms=r[10], app=r[11])


def stored_pulled(r: tuple[Any, ...] | list[Any]) -> PulledChange:
    """As ``stored_change`` for a ``SELECT server_seq, {CHANGE_COLUMNS}`` row (a pull page)."""
    fields: Any = Raw(r[8])
    base: Any = Raw(r[9]) if r[9] else None
    return PulledChange(origin=r[1], seq=r[2], hlc=r[3], schema=r[4], rtype=r[5], rid=r[6], kind=r[7],
                        fields=fields, base=base, user=r[10], wall_ms=r[11], app=r[12], server_seq=r[0])


# ---------------------------------------------------------------------- requests and replies


class Words(Struct):
    """A message for a person, in both languages."""

    zh: str = ""
    en: str = ""


class HealthReply(Struct, kw_only=True):
    """``GET /sync/v1/health``: the server is up, and which app, schema and protocol it runs."""

    ok: bool
    app: str
    schema: Int64
    protocol: Int64


class ErrorReply(Struct, kw_only=True):
    """Every refusal: HTTP status ≠ 200 with a stable code."""

    error: str
    zh: str = ""
    en: str = ""


class Enroll(Struct, kw_only=True):
    code: str
    device_id: str
    public_key: str
    app: str | None = None
    schema: Int64 | None = None
    protocol: Int64 | None = None        # protocol.PROTOCOL (apps from before protocol 2 send none)
    enc_key: str | UnsetType = UNSET     # the device's X25519 public key (bundles, core/sync/directory.py)


class EnrollReply(Struct, kw_only=True):
    certificate: dict[str, Any]          # signed over its canonical JSON (protocol.canonical)
    signature: str
    server_public_key: str
    server_epoch: str = ""
    user: str | None = None
    role: str | None = None
    areas: list[str] = []
    directory: str | UnsetType = UNSET   # the server's signed device directory (core/sync/directory.py)
    directory_sig: str | UnsetType = UNSET
    escrow_public_key: str = ""          # X25519, for organisation recovery (core/sync/escrow.py) …
    escrow_signature: str = ""           # … signed by the server's signing key


Hex64 = Annotated[str, Meta(max_length=64)]


class AuditHead(Struct, kw_only=True):
    """The laptop's audit-log chain head and the body digests since the head the server accepted
    (core/store/audit_chain.py): the server recomputes the chain from its own copy."""

    since: Int64 = 0
    since_hash: Hex64 = ""
    links: list[Hex64] = []
    seq: Int64 = 0
    hash: Hex64 = ""


class AuditAck(Struct, kw_only=True):
    status: str = ""                     # ok | new | gap (adopted) · cut | rewritten (flagged, refused)
    reason: str = ""


class Hello(Struct, kw_only=True):
    origin: str = ""
    epoch: str = ""
    app: str | None = None
    schema: Int64 | None = None
    wall_ms: WallMs | None = None        # the laptop's clock: the server answers the skew from it
    unsent: Int64 | None = None
    restored_from_epoch: str | None = None
    audit: AuditHead | None = None       # issue 16; older laptops send none
    enc_key: str | UnsetType = UNSET     # the device's X25519 public key, signed with its device key
    enc_key_sig: str | UnsetType = UNSET
    escrow: str = ""                     # a sealed organisation recovery key not yet stored (escrow.py)


class HelloReply(Struct, kw_only=True):
    server_epoch: str = ""
    server_wall_ms: Int64 | None = None
    high_water: Int64 = 0
    reset_cursor: bool = False
    skew_ms: Int64 = 0
    released: Int64 = 0
    schema: Int64 | None = None
    action: str = "ok"                   # 'ok' | 'upgrade'
    max_body: Int64 | None = None        # the server's request-body limit (older servers: none)
    clock_warning: Words | UnsetType = UNSET
    message: ErrorReply | UnsetType = UNSET
    audit: AuditAck | UnsetType = UNSET  # the check of Hello.audit (older servers: none)
    directory: str | UnsetType = UNSET   # the server's signed device directory (core/sync/directory.py)
    directory_sig: str | UnsetType = UNSET
    escrow_public_key: str = ""          # the server's escrow key and its signature (escrow.py)
    escrow_signature: str = ""
    escrow_stored: bool = False          # the hello's escrow blob is kept
    escrow_error: str = ""               # … or the code it was refused with


class Batch(Struct, kw_only=True):
    """A device's signature over the changes it sent in one push (docs/sync.md "Who made a change").

    ``digests`` is base64 of the changes' 32-byte SHA-256 digests (``proof.change_digest``) one
    after the other; ``sig`` is the device's Ed25519 signature over ``proof.batch_message``. Any
    subset of the batch is proved by it: a change is covered if its digest is in the list."""

    device: str
    digests: str
    sig: str


# Which batch proves which change: runs of ``[count, index into batches]`` covering the changes in
# order (index -1: no batch). Missing or not covering every change: no change has a batch.
ProofRuns = list[tuple[Int64, Int64]]


class Push(Struct, kw_only=True):
    changes: list[Change]
    batches: list[Batch] = []
    proofs: ProofRuns = []


class PushRaw(Struct, kw_only=True):
    """A push whose changes are decoded one by one (when the whole batch did not decode)."""

    changes: list[Raw]
    batches: list[Batch] = []
    proofs: ProofRuns = []


class Rejected(Struct, kw_only=True):
    origin: str
    seq: Int64
    code: str
    zh: str = ""
    en: str = ""
    rtype: str | UnsetType = field(name="type", default=UNSET)
    rid: str | UnsetType = field(name="id", default=UNSET)


class PushReply(Struct, kw_only=True):
    results: list[tuple[str, Int64 | None]]     # per change: [status, server_seq]
    rejected: list[Rejected] = []
    high_water: Int64 | None = None


class Pull(Struct, kw_only=True):
    after: Int64 = 0
    until: Int64 | None = None
    limit: Int64 | None = None
    origin: str = ""
    schema: Int64 | UnsetType | None = UNSET
    app: str | UnsetType | None = UNSET


class PullReply(Struct, kw_only=True):
    changes: list[PulledChange]
    next: Int64
    more: bool = False
    high_water: Int64 | None = None
    batches: list[Batch] = []
    proofs: ProofRuns = []


# ---------------------------------------------------------------------- the codec

M = TypeVar("M")

_ENCODER = msgspec.json.Encoder()
_DECODERS: dict[Any, msgspec.json.Decoder[Any]] = {}
_ANY = msgspec.json.Decoder()


def encode(message: Any) -> bytes:
    """A message (or a plain dict of JSON values) as compact UTF-8 JSON."""
    return _ENCODER.encode(message)


def decode(data: bytes | str, kind: type[M]) -> M:
    """The message ``kind`` from JSON ``data``; ``BadMessage`` if it does not match its definition."""
    dec = _DECODERS.get(kind)
    if dec is None:
        dec = _DECODERS[kind] = msgspec.json.Decoder(kind)
    try:
        message = dec.decode(data)
    except msgspec.DecodeError as exc:       # also ValidationError (a subclass)
        raise BadMessage(str(exc)) from None
    except RecursionError:                   # nested beyond the decoder's limit (even in ignored keys)
        raise BadMessage(TOO_DEEP) from None
    if kind is Change:
        _nested_fit((message,))
    elif isinstance(message, Push | PullReply):
        _nested_fit(message.changes)
    return message


_CONTAINERS = frozenset({list, dict})
TOO_DEEP = "nested too deeply"


def _nested_fit(changes: Iterable[Change]) -> None:
    """Refuse integers beyond 64 bits, and nesting deeper than ``MAX_DEPTH``, inside the lists and
    objects of fields and base."""
    scalars_only = _CONTAINERS.isdisjoint       # one C-level pass over the value types
    for ch in changes:
        for values in (ch.fields, ch.base) if ch.base else (ch.fields,):
            if scalars_only(map(type, values.values())):
                continue
            for value in values.values():
                if type(value) in _CONTAINERS:
                    why = _nested_refusal(value)
                    if why:
                        raise BadMessage(f"{why} in change {ch.origin} {ch.seq}")


def _nested_refusal(value: Any) -> str:
    """Why a field's list or object value cannot be kept ("" if it can)."""
    stack = [(value, 1)]
    while stack:
        v, depth = stack.pop()
        t = type(v)
        if t is int:
            if not INT64_MIN <= v <= INT64_MAX:
                return "an integer beyond 64 bits"
        elif t is list or t is dict:
            if depth > MAX_DEPTH:
                return f"values nested more than {MAX_DEPTH} deep"
            stack.extend((item, depth + 1) for item in (v if t is list else v.values()))
    return ""


def decode_any(data: bytes | str) -> Any:
    """Untyped JSON (a refusal's body, a refused change's keys); ``BadMessage`` if not JSON."""
    try:
        return _ANY.decode(data)
    except msgspec.DecodeError as exc:
        raise BadMessage(str(exc)) from None
    except RecursionError:
        raise BadMessage(TOO_DEEP) from None


def dumps_text(value: Any) -> str:
    """Stored JSON text: compact, non-ASCII kept (the same text as json.dumps(ensure_ascii=False,
    separators=(",", ":")) for the values changes carry)."""
    return _ENCODER.encode(value).decode()


def loads_text(text: str | bytes) -> Any:
    """Stored JSON text back. Text msgspec refuses (NaN from an old json.dumps) is read by json."""
    try:
        return _ANY.decode(text)
    except msgspec.DecodeError:
        return json.loads(text)
