"""The ``.lehe`` bundle file: written by ``seal``, read (checked before anything is used) by ``Opened``.

Layout (all integers big-endian)::

    "LEHEBNDL"                      8 bytes  magic
    format version                  u16      FORMAT_VERSION (a newer one is refused before anything else)
    envelope length E               u32      at most MAX_ENVELOPE
    envelope                        E bytes  JSON, in clear: bundle id, sender, created, the ephemeral
                                             X25519 key, per recipient its id, key and the wrapped
                                             content key, and the length of every part
    part 0 … part n                          ChaCha20-Poly1305 ciphertexts: part 0 the manifest (JSON),
                                             then the change data (each part zlib-compressed)
    signature                       64 bytes Ed25519 by the sender's device key over SIGNED_PREFIX,
                                             SHA-256(magic … envelope) and SHA-256 of every part

The content key is random per bundle and wrapped for each recipient (X25519 with one ephemeral key,
HKDF-SHA256, ChaCha20-Poly1305). Part ``i`` is encrypted under it with the nonce ``i`` and the
header's SHA-256 as associated data, so no part can be moved, swapped or taken from another bundle.
The manifest names the SHA-256 and the size of every data part once unpacked, and unpacking stops at
that size (``MAX_PART_RAW`` at most): no input makes a reader hold more than one part.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .errors import BundleError

MAGIC = b"LEHEBNDL"
FORMAT_VERSION = 1
HEAD = struct.Struct(">8sHI")
SIGNATURE_BYTES = 64
SIGNED_PREFIX = b"lehe-bundle-v1\n"
MAX_ENVELOPE = 256 * 1024
MAX_PART_RAW = 64 * 1024 * 1024      # one part once unpacked (a pull page of 50,000 changes is ~20 MB)
PART_BYTES = 16 * 1024 * 1024        # what writers put in one part at most (readers allow MAX_PART_RAW)
MAX_FILE = 512 * 1024 * 1024        # the whole file (~6 million changes of demo data)
MAX_PARTS = 20000
MANIFEST_MAX = 4 * 1024 * 1024       # the manifest part as stored (compressed)
TAG = 16
COMPRESS_LEVEL = 6
_READ = 1024 * 1024


def _b64e(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def _b64d(text: Any, size: int | None = None) -> bytes:
    import base64
    import binascii

    if not isinstance(text, str):
        raise BundleError("bundle.damaged", "envelope")
    try:
        out = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise BundleError("bundle.damaged", "envelope") from None
    if size is not None and len(out) != size:
        raise BundleError("bundle.damaged", "envelope")
    return out


def raw_public(key: X25519PrivateKey | X25519PublicKey | Ed25519PrivateKey) -> bytes:
    pub = key.public_key() if isinstance(key, X25519PrivateKey | Ed25519PrivateKey) else key
    return pub.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _nonce(i: int) -> bytes:
    return i.to_bytes(12, "big")


def _wrap_key(shared: bytes, epk: bytes, rpk: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"lehe-bundle-v1 wrap\n" + epk + rpk).derive(shared)


@dataclass
class Part:
    """One data part as written: its compressed bytes, size once unpacked, SHA-256 of that and what
    it holds (``count`` changes)."""

    packed: bytes
    raw_len: int
    sha256: str
    count: int = 0

    @classmethod
    def of(cls, raw: bytes, count: int = 0) -> Part:
        return cls(zlib.compress(raw, COMPRESS_LEVEL), len(raw), hashlib.sha256(raw).hexdigest(), count)


def seal(out: Path, *, sender: str, sign_key: Ed25519PrivateKey, recipients: dict[str, bytes],
         manifest: dict[str, Any], parts: Iterable[Part], bundle_id: str | None = None,
         created_ms: int = 0) -> str:
    """Write a bundle to ``out`` (through ``out.part``, renamed when complete and synced); returns its id.
    ``recipients`` maps each recipient's id to its raw X25519 public key."""
    bundle_id = bundle_id or str(uuid.uuid4())
    content_key = ChaCha20Poly1305.generate_key()
    eph = X25519PrivateKey.generate()
    epk = raw_public(eph)
    wrapped = []
    for rid, rpk in sorted(recipients.items()):
        wk = _wrap_key(eph.exchange(X25519PublicKey.from_public_bytes(rpk)), epk, rpk)
        wrapped.append({"id": rid, "key": _b64e(rpk),
                        "wrapped": _b64e(ChaCha20Poly1305(wk).encrypt(_nonce(0), content_key, bundle_id.encode()))})
    plist = list(parts)
    manifest = {**manifest, "format": FORMAT_VERSION, "bundle_id": bundle_id, "sender": sender,
                "parts": [{"sha256": p.sha256, "raw": p.raw_len, "count": p.count} for p in plist]}
    manifest_raw = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode()
    packed = [zlib.compress(manifest_raw, COMPRESS_LEVEL), *(p.packed for p in plist)]
    lengths = [len(p) + TAG for p in packed]
    envelope = json.dumps({"bundle_id": bundle_id, "sender": sender, "created_ms": created_ms, "epk": _b64e(epk),
                           "recipients": wrapped, "parts": lengths}, separators=(",", ":")).encode()
    if len(envelope) > MAX_ENVELOPE:
        raise BundleError("bundle.too_large", "too many recipients or parts")
    header = HEAD.pack(MAGIC, FORMAT_VERSION, len(envelope)) + envelope
    header_hash = hashlib.sha256(header).digest()
    aead = ChaCha20Poly1305(content_key)
    signed = hashlib.sha256(SIGNED_PREFIX + header_hash)
    tmp = out.with_name(out.name + ".part")
    try:
        with open(tmp, "wb") as f:
            f.write(header)
            for i, data in enumerate(packed):
                ct = aead.encrypt(_nonce(i), data, header_hash)
                signed.update(hashlib.sha256(ct).digest())
                f.write(ct)
            f.write(sign_key.sign(signed.digest()))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, out)
    except BaseException:
        # A failed write (a folder of that name, a full or pulled stick) leaves no half bundle behind.
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return bundle_id


# ---------------------------------------------------------------------- reading

SenderKey = Callable[[str, dict[str, Any]], "tuple[str, bool] | None"]


@dataclass
class Opened:
    """A bundle whose envelope, signature, recipient and manifest have been checked. ``parts()``
    decrypts, unpacks and checks one data part at a time (each may still be refused)."""

    path: Path
    envelope: dict[str, Any]
    manifest: dict[str, Any]
    size: int
    revoked: bool = False
    _key: bytes = b""
    _header_hash: bytes = b""
    _offsets: list[tuple[int, int]] = field(default_factory=list)

    @property
    def bundle_id(self) -> str:
        return str(self.envelope["bundle_id"])

    @property
    def sender(self) -> str:
        return str(self.envelope["sender"])

    @property
    def kind(self) -> str:
        return str(self.manifest.get("kind", ""))

    def part_count(self) -> int:
        return len(self._offsets) - 1

    def parts(self) -> Iterator[bytes]:
        """Each data part unpacked, in order (bounded: one part in memory at a time)."""
        infos = self.manifest["parts"]
        aead = ChaCha20Poly1305(self._key)
        with open(self.path, "rb") as f:
            for i, info in enumerate(infos, start=1):
                offset, length = self._offsets[i]
                f.seek(offset)
                ct = _read_exact(f, length)
                try:
                    packed = aead.decrypt(_nonce(i), ct, self._header_hash)
                except InvalidTag:
                    raise BundleError("bundle.tampered", f"part {i}") from None
                raw = unpack(packed, info["raw"])
                if hashlib.sha256(raw).hexdigest() != info["sha256"]:
                    raise BundleError("bundle.tampered", f"part {i}")
                yield raw


def unpack(packed: bytes, raw_len: int) -> bytes:
    """Inflate exactly ``raw_len`` bytes (at most MAX_PART_RAW): a compression bomb stops at the
    declared size plus one byte."""
    if raw_len > MAX_PART_RAW:
        raise BundleError("bundle.too_large", f"a part would unpack to {raw_len} bytes")
    inflate = zlib.decompressobj()
    try:
        raw = inflate.decompress(packed, raw_len + 1)
    except zlib.error:
        raise BundleError("bundle.damaged", "compressed data") from None
    if len(raw) > raw_len or inflate.unconsumed_tail:
        raise BundleError("bundle.too_large", "a part unpacks to more than it declares")
    if len(raw) != raw_len or not inflate.eof:
        raise BundleError("bundle.damaged", "compressed data")
    return raw


def _read_exact(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise BundleError("bundle.damaged", "truncated")
    return data


def peek(path: Path) -> tuple[bytes, int, int]:
    """The file's magic, format version and size (for the first refusals)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(HEAD.size)
    except IsADirectoryError:
        raise BundleError("bundle.not_bundle") from None
    if len(head) < 10:
        return head[:8], 0, size
    magic, version = struct.unpack(">8sH", head[:10])
    return magic, version, size


def open_bundle(path: Path, *, me: str, my_keys: Iterable[X25519PrivateKey], sender_key: SenderKey,
                max_file: int = MAX_FILE) -> Opened:
    """Check a bundle file before anything in it is used: what it is, its format, its size, its
    envelope, that it is addressed to ``me`` (one of ``my_keys``), its manifest and the sender's
    signature (``sender_key(sender, manifest)`` → (Ed25519 public key, revoked) or None if unknown).
    A revoked sender's valid bundle comes back with ``revoked`` set (the caller holds it)."""
    magic, version, size = peek(path)
    if magic != MAGIC:
        raise BundleError("bundle.not_bundle")
    if version > FORMAT_VERSION:
        raise BundleError("bundle.newer_format", f"format {version} > {FORMAT_VERSION}")
    if version < 1:
        raise BundleError("bundle.damaged", "format version")
    if size > max_file:
        raise BundleError("bundle.too_large", f"{size} bytes > {max_file}")
    with open(path, "rb") as f:
        head = _read_exact(f, HEAD.size)
        elen = HEAD.unpack(head)[2]
        if elen > MAX_ENVELOPE or HEAD.size + elen + SIGNATURE_BYTES > size:
            raise BundleError("bundle.damaged", "envelope length")
        raw_env = _read_exact(f, elen)
        envelope = _envelope(raw_env)
        lengths: list[int] = envelope["parts"]
        if HEAD.size + elen + sum(lengths) + SIGNATURE_BYTES != size:
            raise BundleError("bundle.damaged", "truncated" if HEAD.size + elen + sum(lengths) + SIGNATURE_BYTES > size
                              else "trailing data")
        if lengths[0] > MANIFEST_MAX:
            raise BundleError("bundle.too_large", "manifest")
        if max(lengths) > MAX_PART_RAW + MAX_PART_RAW // 64 + 1024:
            # zlib never makes a part this much larger than it unpacks to: refused before it is read.
            raise BundleError("bundle.too_large", "a part is larger than any part may be")
        header_hash = hashlib.sha256(head + raw_env).digest()
        signed = hashlib.sha256(SIGNED_PREFIX + header_hash)
        offsets = []
        pos = HEAD.size + elen
        first = b""
        for i, n in enumerate(lengths):
            h = hashlib.sha256()
            left = n
            while left:
                chunk = _read_exact(f, min(left, _READ))
                h.update(chunk)
                if i == 0:
                    first += chunk
                left -= len(chunk)
            signed.update(h.digest())
            offsets.append((pos, n))
            pos += n
        signature = _read_exact(f, SIGNATURE_BYTES)
    key = _unwrap(envelope, me, list(my_keys))
    aead = ChaCha20Poly1305(key)
    try:
        manifest_packed = aead.decrypt(_nonce(0), first, header_hash)
    except InvalidTag:
        raise BundleError("bundle.tampered", "manifest") from None
    manifest = _manifest(_inflate_manifest(manifest_packed), envelope, len(lengths))
    known = sender_key(envelope["sender"], manifest)
    if known is None:
        raise BundleError("bundle.unknown_sender", envelope["sender"])
    public, revoked = known
    try:
        Ed25519PublicKey.from_public_bytes(_b64d(public, 32)).verify(signature, signed.digest())
    except (InvalidSignature, BundleError):
        raise BundleError("bundle.tampered", "signature") from None
    return Opened(path, envelope, manifest, size, revoked, key, header_hash, offsets)


def _inflate_manifest(packed: bytes) -> bytes:
    """The manifest unpacked (bounded: at most 16 MiB are inflated)."""
    limit = 16 * 1024 * 1024
    inflate = zlib.decompressobj()
    try:
        raw = inflate.decompress(packed, limit + 1)
    except zlib.error:
        raise BundleError("bundle.damaged", "manifest") from None
    if len(raw) > limit:
        raise BundleError("bundle.too_large", "manifest")
    if not inflate.eof:
        raise BundleError("bundle.damaged", "manifest")
    return raw


def _envelope(raw: bytes) -> dict[str, Any]:
    try:
        env = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BundleError("bundle.damaged", "envelope") from None
    ok = (isinstance(env, dict) and isinstance(env.get("bundle_id"), str) and isinstance(env.get("sender"), str)
          and isinstance(env.get("recipients"), list) and isinstance(env.get("parts"), list)
          and isinstance(env.get("epk"), str) and 1 <= len(env["parts"]) <= MAX_PARTS
          and all(type(n) is int and TAG <= n <= 2 ** 40 for n in env["parts"])
          and all(isinstance(r, dict) and isinstance(r.get("id"), str) and isinstance(r.get("key"), str)
                  and isinstance(r.get("wrapped"), str) for r in env["recipients"]))
    if not ok:
        raise BundleError("bundle.damaged", "envelope")
    return env


def _unwrap(env: dict[str, Any], me: str, keys: list[X25519PrivateKey]) -> bytes:
    mine = {raw_public(k): k for k in keys}
    epk = _b64d(env["epk"], 32)
    for r in env["recipients"]:
        if r["id"] != me:
            continue
        rpk = _b64d(r["key"], 32)
        key = mine.get(rpk)
        if key is None:
            continue
        wk = _wrap_key(key.exchange(X25519PublicKey.from_public_bytes(epk)), epk, rpk)
        try:
            return ChaCha20Poly1305(wk).decrypt(_nonce(0), _b64d(r["wrapped"]), env["bundle_id"].encode())
        except InvalidTag:
            raise BundleError("bundle.tampered", "key") from None
    raise BundleError("bundle.other_recipient", ", ".join(str(r["id"])[:64] for r in env["recipients"])[:300])


def _manifest(raw: bytes, env: dict[str, Any], nparts: int) -> dict[str, Any]:
    try:
        man = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BundleError("bundle.damaged", "manifest") from None
    ok = (isinstance(man, dict) and man.get("bundle_id") == env["bundle_id"] and man.get("sender") == env["sender"]
          and isinstance(man.get("parts"), list) and len(man["parts"]) == nparts - 1
          and all(isinstance(p, dict) and type(p.get("raw")) is int and p["raw"] >= 0
                  and isinstance(p.get("sha256"), str) for p in man["parts"]))
    if not ok:
        raise BundleError("bundle.tampered", "manifest")
    if type(man.get("format")) is not int or man["format"] > FORMAT_VERSION:
        raise BundleError("bundle.newer_format", "manifest")
    return man
