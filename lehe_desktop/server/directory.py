"""The server's encryption key and the signed device directory it hands to laptops (bundles;
core/sync/directory.py describes the laptop's side). The keys live in the key file (server/keys.py)."""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ..core.sync import directory as D
from ..core.sync import protocol as P
from .storage import Device, ServerStorage


def enc_private(st: ServerStorage) -> X25519PrivateKey:
    """The server's current X25519 key (in the key file with the signing keys, never in the
    database: a dump of it must not open bundles). A key file from before bundles gets one."""
    got = st.keys.enc_current()
    if got is None:
        st.keys.adopt_enc(None, [])
        got = st.keys.enc_current()
    assert got is not None
    return got


def enc_keys(st: ServerStorage) -> list[X25519PrivateKey]:
    """Every key the server can decrypt bundles with: the current one first, then every earlier
    one (a rotation keeps them in the key file, so a bundle sealed to any of them still opens)."""
    enc_private(st)
    return st.keys.enc_privates()


def valid_key(text: Any) -> bool:
    try:
        return isinstance(text, str) and len(P.b64d(text)) == 32
    except ValueError:
        return False


def set_enc_key(st: ServerStorage, device_id: str, enc_key: str) -> None:
    with st.transaction() as store:
        store.execute("UPDATE devices SET enc_key = ? WHERE device_id = ? AND (enc_key IS NULL OR enc_key <> ?)",
                      (enc_key, device_id, enc_key))


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def entries(st: ServerStorage) -> list[dict[str, Any]]:
    """Every enrolled device as the directory lists it."""
    with st.lock:
        rows = st.store.query(
            "SELECT d.device_id, d.user, u.role, d.public_key, d.enc_key, d.revoked FROM devices d "
            "LEFT JOIN users u ON u.name = d.user ORDER BY d.device_id")
        areas: dict[str, list[str]] = {}
        for user, path in st.store.query("SELECT user, path FROM user_areas ORDER BY user, path"):
            areas.setdefault(user, []).append(path)
    return [{"device_id": r[0], "user": r[1], "role": r[2] or "worker", "areas": areas.get(r[1], []),
             "public_key": r[3], "enc_key": r[4], "revoked": bool(r[5])} for r in rows]


def server_enc_entry(st: ServerStorage) -> dict[str, str]:
    """The server's encryption key as the directory lists it, with its announcement by a signing key
    (``keyroll.enc_announced``): the laptop takes a new one only if it checks out."""
    enc_private(st)
    return {k: v for k, v in st.keys.enc_announcement().items() if v is not None}


def directory_for(st: ServerStorage, device: Device) -> tuple[str, str]:
    """The directory for ``device`` (the server's keys; the devices sharing an area with it,
    revoked ones too, so bundles from them are held) and the server's signature of it."""
    server_key = st.keys.signer()
    everyone = entries(st)
    if device.role == "admin":
        seen = everyone
    else:
        seen = [e for e in everyone if e["device_id"] == device.device_id or e["role"] == "admin"
                or any(_overlap(a, b) for a in e["areas"] for b in device.areas)]
    text = json.dumps({"v": 1, "issued_ms": st.now_ms(), "for": device.device_id,
                       "server": {"device_id": st.store.device_id, "public_key": P.public_b64(server_key),
                                  **server_enc_entry(st)},
                       "devices": seen}, ensure_ascii=False, separators=(",", ":"))
    return text, P.b64e(server_key.sign(D.directory_message(text)))
