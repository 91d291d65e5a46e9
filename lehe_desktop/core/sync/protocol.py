"""Transport shared by the desktop client and the server (HTTP + JSON, docs/sync.md): paths,
limits and request signing. The messages themselves and their codec are ``core.messages``.

Every request after enrolment is signed with the device's Ed25519 key over
``METHOD\\nPATH\\nTIME_MS\\nSHA256(BODY)``; the server checks the signature against the key it
certified, the device's revocation flag and a time window (replays are harmless: every
request is idempotent).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

PROTOCOL = 1
PREFIX = "/sync/v1"
ENROLL = f"{PREFIX}/enroll"
HELLO = f"{PREFIX}/hello"
PUSH = f"{PREFIX}/push"
PULL = f"{PREFIX}/pull"
HEALTH = f"{PREFIX}/health"

MAX_BATCH = 5000                       # changes per push request the server accepts
PUSH_BATCH = 5000                      # what the laptop sends (an older server's limit was 1000: LEGACY_BATCH)
LEGACY_BATCH = 1000
MAX_BODY = 32 * 1024 * 1024            # the server's default request-body limit (lehe-server serve --max-body-mb)
PUSH_BYTES = 8 * 1024 * 1024           # a push body is cut below this (and below the limit hello reports)
MAX_PAGE = 50000                       # changes per pull page (each page is one commit on the laptop)
FIRST_PAGE = 2000                      # the first page of a session: the laptop can start sooner
PAGE_GROWTH = 3                        # each later page up to this many times the one before
AUTH_WINDOW_MS = 24 * 3600 * 1000      # request time vs server time (skewed laptops must still sync)
CERT_DAYS = 3 * 365

H_DEVICE = "x-lehe-device"
H_TIME = "x-lehe-time"
H_SIG = "x-lehe-signature"


def b64e(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64d(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def canonical(obj: Any) -> bytes:
    """The signed form of an enrolment certificate (sorted keys; kept as json wrote it, so the
    certificates already issued still verify)."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def is_loopback(url: str) -> bool:
    """A server on this machine: compressing bodies would only cost CPU."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def public_b64(key: Ed25519PrivateKey) -> str:
    return b64e(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def load_private(raw_b64: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(b64d(raw_b64))


def verify(public_key_b64: str, signature_b64: str, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(b64d(public_key_b64)).verify(b64d(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def request_message(method: str, path: str, time_ms: int, body: bytes) -> bytes:
    return f"{method.upper()}\n{path}\n{time_ms}\n{hashlib.sha256(body).hexdigest()}".encode()


def sign_request(key: Ed25519PrivateKey, device_id: str, method: str, path: str, body: bytes,
                 time_ms: int) -> dict[str, str]:
    sig = key.sign(request_message(method, path, time_ms, body))
    return {H_DEVICE: device_id, H_TIME: str(time_ms), H_SIG: b64e(sig)}


def hash_code(code: str) -> str:
    """Enrolment codes are stored hashed; dashes, spaces and case do not matter."""
    norm = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(norm.encode()).hexdigest()
