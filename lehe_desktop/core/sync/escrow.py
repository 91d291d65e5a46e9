"""Organisation recovery: the laptop's keys escrowed to the sync server (docs/security.md).

The server has an X25519 escrow key beside its Ed25519 signing key; the laptop learns its public
half at enrolment (or at the next sync), signed by the signing key it pinned. Once it knows it, the
laptop makes an *organisation recovery key* — like the worker's recovery key, 160 random bits —
wraps the database key under it in keys.json ('org_recovery') and seals {device, org recovery key,
database key} to the server's escrow key (X25519 + HKDF-SHA256 + AES-256-GCM). The sealed blob
goes to the server with the next hello. Only the server's escrow private key opens it: when a
worker forgot both passphrase and recovery key, an admin runs ``lehe-server recovery-key DEVICE``
(logged: who, when, which device) and hands the key over; the worker types it at
``unlock --recovery-key``. A key that was used (or handed out) is replaced: the laptop drops it and
escrows a new one at its next sync.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import LeheError
from ..messages import HelloReply
from ..paths import DataPaths
from ..store import vault
from ..store.keys import KeyFile
from ..store.store import Store

log = logging.getLogger(__name__)
INFO = b"lehe-escrow/v1"
KEY_LABEL = b"lehe-escrow-key/v1:"       # what the signing key signs: this prefix + the escrow public key
MAX_BLOB = 4096
# Laptop meta: the pinned escrow public key, the blob not yet stored by the server, and the escrow
# public key the current organisation recovery key was sealed to ('' = none yet, or used up).
META_KEY, META_BLOB, META_FOR = "sync_escrow_key", "escrow_blob", "escrow_for"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def new_private_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()


def private_text(key: X25519PrivateKey) -> str:
    return _b64(key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                  serialization.NoEncryption()))


def load_private(text: str) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(_unb64(text))


def public_text(key: X25519PrivateKey) -> str:
    return _b64(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def key_message(public: str) -> bytes:
    return KEY_LABEL + public.encode("ascii")


def verify_key(signing_public: str, public: str, signature: str) -> bool:
    """Is ``public`` the escrow key of the server whose signing key the laptop pinned?"""
    try:
        Ed25519PublicKey.from_public_bytes(_unb64(signing_public)).verify(_unb64(signature), key_message(public))
        return len(_unb64(public)) == 32
    except (InvalidSignature, ValueError, binascii.Error):
        return False


def _kdf(shared: bytes, epk: bytes, pub: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=epk + pub, info=INFO).derive(shared)


def seal(public: str, payload: dict[str, Any]) -> str:
    pub = _unb64(public)
    eph = X25519PrivateKey.generate()
    epk = eph.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    key = _kdf(eph.exchange(X25519PublicKey.from_public_bytes(pub)), epk, pub)
    nonce = os.urandom(12)
    body = json.dumps(payload, sort_keys=True).encode("utf-8")
    return _b64(epk + nonce + AESGCM(key).encrypt(nonce, body, INFO))


def open_sealed(private: X25519PrivateKey, blob: str) -> dict[str, Any] | None:
    """The payload of a sealed blob, or None when it is malformed or not sealed to this key."""
    try:
        raw = _unb64(blob)
        if len(blob) > MAX_BLOB or len(raw) < 32 + 12 + 16:
            return None
        epk, nonce, ct = raw[:32], raw[32:44], raw[44:]
        pub = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        key = _kdf(private.exchange(X25519PublicKey.from_public_bytes(epk)), epk, pub)
        payload = json.loads(AESGCM(key).decrypt(nonce, ct, INFO).decode("utf-8"))
    except (InvalidTag, ValueError, binascii.Error, UnicodeDecodeError):
        return None
    if not (isinstance(payload, dict) and isinstance(payload.get("device_id"), str)
            and isinstance(payload.get("org_recovery"), str)):
        return None
    return payload


# ------------------------------------------------------------------------------ the laptop's side

def prepare(store: Store, keyfile: KeyFile, db_key: bytes) -> bool:
    """Make and seal a new organisation recovery key when the laptop knows the server's escrow key
    and has none escrowed to it (never yet, another server, or the last one was used). Returns
    whether a new blob waits for the next hello. Needs the unlocked database key."""
    meta = store.meta()
    public = meta.get(META_KEY) or ""
    if not public or not keyfile.exists():
        return False
    if meta.get(META_FOR) == public and keyfile.entries().get("org_recovery"):
        return False
    org = keyfile.set_org_recovery(db_key)
    blob = seal(public, {"device_id": store.device_id, "org_recovery": org, "db_key": _b64(db_key)})
    with store.transaction():
        store.set_meta(META_BLOB, blob)
        store.set_meta(META_FOR, public)
    log.info("organisation recovery key made; escrowed at the next sync")
    return True


def unlock(paths: DataPaths, passphrase: str) -> Store:
    """``vault.unlock``, then an organisation recovery key made if one is due (the window's unlock:
    it goes to the server with the next sync). Escrow never keeps a worker out of the data."""
    vault.require_set_up(paths)
    kf = vault.keyfile(paths)
    db_key = kf.unlock(passphrase)
    store = vault.open_with_key(paths, db_key)
    try:
        prepare(store, kf, db_key)
    except (LeheError, OSError) as exc:
        log.warning("organisation recovery key not made: %s", getattr(exc, "code", type(exc).__name__))
    return store


def pending(store: Store) -> str:
    return store.meta().get(META_BLOB) or ""


def learned(store: Store, signing_public: str, public: str, signature: str) -> bool:
    """Pin the escrow key a server reply named (if its signing key vouches for it); True if new."""
    if not public or not verify_key(signing_public, public, signature):
        return False
    if store.meta().get(META_KEY) == public:
        return False
    with store.transaction():
        store.set_meta(META_KEY, public)
    return True


def answered(store: Store, signing_public: str, reply: HelloReply, blob: str) -> None:
    """After a hello: pin the escrow key it named; forget a blob the server stored; after a refusal
    (the server's escrow key changed …) make a new one next time."""
    learned(store, signing_public, reply.escrow_public_key, reply.escrow_signature)
    if not blob:
        return
    if reply.escrow_stored:
        with store.transaction():
            store.set_meta(META_BLOB, "")
        log.info("organisation recovery key escrowed on the server")
    elif reply.escrow_error:
        log.warning("the server refused the escrowed key (%s); a new one is made", reply.escrow_error)
        with store.transaction():
            store.set_meta(META_BLOB, "")
            store.set_meta(META_FOR, "")
