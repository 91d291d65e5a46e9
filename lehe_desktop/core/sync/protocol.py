"""Transport shared by the desktop client and the server (HTTP + JSON, docs/sync.md): paths,
limits and request signing. The messages themselves and their codec are ``core.messages``.

Every request after enrolment is signed with the device's Ed25519 key (``request_headers``, the
one function that makes a request's auth headers) over
``lehe-sync/2\\nMETHOD\\nPATH\\nTIME_MS\\nNONCE\\nSHA256(BODY)``. The server checks the signature
against the key it certified, the device's revocation flag, the time (hello: within a day of the
server's clock; later requests: the server time learned at hello, ``SESSION_WINDOW_MS``) and that
the nonce was never seen (replays are refused, ``auth.replay``). Every reply is signed by the
server's key over ``lehe-sync/2-reply\\nMETHOD\\nPATH\\nNONCE\\nSTATUS\\nSHA256(BODY)``
(``reply_message``); the laptop checks it with the key it learned at enrolment.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from ..errors import UsageError

PROTOCOL = 2                           # 2: nonces, session clock, signed replies (1: none of these)
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
AUTH_WINDOW_MS = 24 * 3600 * 1000      # hello's time vs server time (skewed laptops must still sync)
SESSION_WINDOW_MS = 15 * 60 * 1000     # later requests: time signed as the server's clock learned at hello
CERT_DAYS = 3 * 365

H_DEVICE = "x-lehe-device"
H_TIME = "x-lehe-time"
H_SIG = "x-lehe-signature"
H_NONCE = "x-lehe-nonce"
H_REPLY_SIG = "x-lehe-reply-signature"   # the server's signature of its reply (reply_message)

_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}\Z")


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


def new_nonce() -> str:
    """128 random bits, URL-safe: each request's own, never sent twice."""
    return secrets.token_urlsafe(16)


def is_nonce(text: str) -> bool:
    return bool(_NONCE.match(text))


def request_message(method: str, path: str, time_ms: int, nonce: str, body: bytes) -> bytes:
    return (f"lehe-sync/2\n{method.upper()}\n{path}\n{time_ms}\n{nonce}\n"
            f"{hashlib.sha256(body).hexdigest()}").encode()


def request_headers(key: Ed25519PrivateKey, device_id: str, method: str, path: str, body: bytes,
                    time_ms: int, nonce: str | None = None) -> dict[str, str]:
    """The auth headers of one signed request (device, time, a fresh nonce, signature). ``time_ms``
    is the server's clock as learned at hello (the laptop's own clock for hello itself)."""
    nonce = nonce or new_nonce()
    sig = key.sign(request_message(method, path, time_ms, nonce, body))
    return {H_DEVICE: device_id, H_TIME: str(time_ms), H_NONCE: nonce, H_SIG: b64e(sig)}


def reply_message(method: str, path: str, nonce: str, status: int, body: bytes) -> bytes:
    """What the server signs in each reply: tied to the request (its nonce) and to the status."""
    return (f"lehe-sync/2-reply\n{method.upper()}\n{path}\n{nonce}\n{status}\n"
            f"{hashlib.sha256(body).hexdigest()}").encode()


def check_server_url(url: str, *, insecure: bool = False) -> str:
    """The server address without its trailing slash, refused unless it is ``https://``, or plain
    ``http://`` to this machine (loopback) or with an explicit ``insecure``."""
    try:
        parts = urlsplit(url.strip())
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        _ = parts.port   # raises on a port that is not a number from 0 to 65535
    except ValueError:   # "http://[::1" (an unclosed IPv6 bracket), "https://host:99999"
        valid = False
    if not valid:
        raise UsageError("sync.bad_url", "服务器地址无效：应以 https:// 开头，例如 https://sync.example.org",
                         "The server address is not valid: it should start with https://, "
                         "e.g. https://sync.example.org")
    if parts.scheme == "http" and not insecure and not is_loopback(url):
        raise UsageError("sync.insecure_url",
                         "服务器地址以 http:// 开头，数据会以明文在网络上传输，已拒绝：请使用 https:// 地址；"
                         "只有在可信的内部网络上才可加 --insecure",
                         "The server address starts with http://: the data would cross the network "
                         "unencrypted, so it was refused. Use an https:// address; add --insecure only "
                         "on a trusted local network")
    return url.strip().rstrip("/")


def hash_code(code: str) -> str:
    """Enrolment codes are stored hashed; dashes, spaces and case do not matter."""
    norm = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(norm.encode()).hexdigest()
