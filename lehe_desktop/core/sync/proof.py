"""Who made a change: per-change digests and batch signatures (docs/sync.md "Who made a change").

A change's digest is SHA-256 over its canonical JSON ``[origin, seq, hlc, schema, type, id, kind,
fields, base, wall_ms, app]`` (the values as decoded, encoded again by the wire codec, so every
replica computes the same bytes whatever JSON text it stored). ``user`` is not covered: the server
sets it from its enrolment record.

A device proves the changes it sent in one push by signing the list of their digests once
(``batch_message``): one Ed25519 signature per push instead of one per change, and any subset of
the batch (a pull page, a re-send after a server restore) is proved by the same signature.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..messages import Batch, Change, ProofRuns, encode, loads_text
from . import protocol as P

DIGEST_BYTES = 32
_sha256 = hashlib.sha256


def device_of(origin: str) -> str:
    """The device id in an origin ``device_id:epoch`` (device ids hold no colon)."""
    return origin.partition(":")[0]


def change_digest(ch: Change) -> bytes:
    """The SHA-256 digest of a change's content (everything but ``user``)."""
    return _sha256(encode((ch.origin, ch.seq, ch.hlc, ch.schema, ch.rtype, ch.rid, ch.kind, ch.fields, ch.base,
                           ch.wall_ms, ch.app))).digest()


def row_digest(r: Sequence[Any]) -> bytes:
    """``change_digest`` of a ``SELECT {CHANGE_COLUMNS}`` row (its stored JSON parsed first)."""
    return _sha256(encode((r[0], r[1], r[2], r[3], r[4], r[5], r[6], loads_text(r[7]),
                           loads_text(r[8]) if r[8] else None, r[10], r[11]))).digest()


def batch_message(device: str, blob: bytes) -> bytes:
    """What a device signs for a batch: its id and the SHA-256 of the concatenated digests."""
    return b"lehe-batch-v1\n" + device.encode() + b"\n" + _sha256(blob).digest()


def batch_key(device: str, blob: bytes, sig: str) -> bytes:
    """The identity a batch is stored under (once, however many changes and relays name it). The
    signature is part of it: a stored batch's signature was checked, a batch with the same digests
    and another signature is another batch."""
    return _sha256(device.encode() + b"\n" + sig.encode() + b"\n" + blob).digest()


def sign_batch(key: Ed25519PrivateKey, device: str, digests: Iterable[bytes]) -> Batch:
    blob = b"".join(digests)
    return Batch(device=device, digests=base64.b64encode(blob).decode("ascii"),
                 sig=P.b64e(key.sign(batch_message(device, blob))))


def batch_blob(batch: Batch) -> bytes | None:
    """The concatenated digests of a batch, or None if they are not whole base64 digests."""
    try:
        blob = P.b64d(batch.digests)
    except ValueError:
        return None
    return blob if blob and len(blob) % DIGEST_BYTES == 0 else None


def digest_set(blob: bytes) -> frozenset[bytes]:
    return frozenset(blob[i:i + DIGEST_BYTES] for i in range(0, len(blob), DIGEST_BYTES))


def verify_batch(public_key_b64: str, batch: Batch, blob: bytes) -> bool:
    return P.verify(public_key_b64, batch.sig, batch_message(batch.device, blob))


def runs(refs: Iterable[int]) -> ProofRuns:
    """``[count, index]`` runs of per-change batch indexes (-1: none)."""
    out: list[tuple[int, int]] = []
    last, count = -2, 0
    for ref in refs:
        if ref == last:
            count += 1
            continue
        if count:
            out.append((count, last))
        last, count = ref, 1
    if count:
        out.append((count, last))
    return out


def expand(proof_runs: ProofRuns, n: int, batches: int) -> list[int]:
    """Per-change batch indexes from runs; all -1 when the runs do not cover exactly ``n`` changes
    or name a batch that is not there."""
    out: list[int] = []
    for count, index in proof_runs:
        if count < 1 or count > n - len(out) or not -1 <= index < batches:
            return [-1] * n
        out.extend([index] * count)
    return out if len(out) == n else [-1] * n
