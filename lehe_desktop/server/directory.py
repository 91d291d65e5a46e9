"""The server's encryption key and the signed device directory it hands to laptops (bundles;
core/sync/directory.py describes the laptop's side)."""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ..core.sync import directory as D
from ..core.sync import protocol as P
from .storage import Device, ServerStorage


def enc_private(st: ServerStorage) -> X25519PrivateKey:
    """The server's X25519 key (made the first time it is needed, kept in the server database)."""
    got = st.meta("server_enc_key")
    if got:
        return D.load_x25519(got)
    with st.transaction() as store:
        again = store.query_value("SELECT v FROM meta WHERE k = 'server_enc_key'")
        if again:
            return D.load_x25519(again)
        key = X25519PrivateKey.generate()
        store.set_meta("server_enc_key", D.x25519_private_b64(key))
    return key


def enc_keys(st: ServerStorage) -> list[X25519PrivateKey]:
    """Every key the server can decrypt bundles with (the current one; rotated ones are kept in
    ``server_enc_key_old``, one per line)."""
    keys = [enc_private(st)]
    keys += [D.load_x25519(k) for k in (st.meta("server_enc_key_old") or "").split() if k]
    return keys


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
                                  "enc_key": D.x25519_b64(enc_private(st))},
                       "devices": seen}, ensure_ascii=False, separators=(",", ":"))
    return text, P.b64e(server_key.sign(D.directory_message(text)))
