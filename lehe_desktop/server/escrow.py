"""Organisation recovery on the server: the escrow key, the laptops' sealed keys, their release.

The X25519 escrow key is kept like the signing key (in the server database's meta, made at the
first need). A laptop's sealed blob (core/sync/escrow.py) arrives with a signed hello; it is
checked — it must open with the escrow key and name the device that sent it — and kept, one per
device (a newer one replaces it). ``lehe-server recovery-key DEVICE`` opens it and prints the
laptop's organisation recovery key, and logs who, when and which device (recovery_log, and the
server log). The key works once on the laptop, which then escrows a new one at its next sync.
"""

from __future__ import annotations

import getpass
import logging
from typing import Any

from ..core.errors import NotFoundError, StateError
from ..core.sync import escrow as E
from ..core.sync import protocol as P
from .storage import ServerStorage, _iso

log = logging.getLogger(__name__)
PRIVATE, PUBLIC, SIGNATURE = "escrow_private_key", "escrow_public_key", "escrow_key_signature"


def escrow_key(st: ServerStorage) -> tuple[str, str]:
    """(escrow public key, its signature by the signing key); made once, kept in meta."""
    public, sig = st.meta(PUBLIC), st.meta(SIGNATURE)
    if public and sig:
        return public, sig
    with st.transaction():
        public, sig = st.meta(PUBLIC), st.meta(SIGNATURE)   # another process may have made it meanwhile
        if not (public and sig):
            key = E.new_private_key()
            public = E.public_text(key)
            signer = st.keys.signer()
            sig = P.b64e(signer.sign(E.key_message(public)))
            st.set_meta(PRIVATE, E.private_text(key))
            st.set_meta(PUBLIC, public)
            st.set_meta(SIGNATURE, sig)
            log.info("escrow key made")
    return public, sig


def receive(st: ServerStorage, device_id: str, blob: str) -> str:
    """Keep a hello's sealed blob; '' when kept, else the code it was refused with."""
    public, _sig = escrow_key(st)
    payload = E.open_sealed(E.load_private(st.meta(PRIVATE) or ""), blob)
    if payload is None:
        log.warning("escrow from device %s refused: not sealed to this server's escrow key", device_id)
        return "escrow.invalid"
    if payload["device_id"] != device_id:
        log.warning("escrow from device %s refused: it names another device", device_id)
        return "escrow.other_device"
    with st.transaction() as store:
        store.execute("INSERT INTO key_escrow(device_id, blob, escrow_key, stored_ms, released_ms) "
                      "VALUES (?,?,?,?,NULL) ON CONFLICT(device_id) DO UPDATE SET blob = excluded.blob, "
                      "escrow_key = excluded.escrow_key, stored_ms = excluded.stored_ms, released_ms = NULL",
                      (device_id, blob, public, st.now_ms()))
    log.info("organisation recovery key of device %s escrowed", device_id)
    return ""


def release(st: ServerStorage, device_id: str, admin: str | None = None) -> str:
    """The device's organisation recovery key, for an admin to hand over; logged."""
    admin = admin or getpass.getuser()
    with st.lock:
        row = st.store.query_one("SELECT blob FROM key_escrow WHERE device_id = ?", (device_id,))
    if row is None:
        if st.device(device_id) is None:
            raise NotFoundError("device.not_found", f"没有这个设备：{device_id}", f"No such device: {device_id}")
        raise StateError("recovery.no_escrow", "这台电脑还没有托管密钥（它注册后还没同步过）",
                         "This laptop has not escrowed its key yet (it has not synced since enrolling)")
    payload = E.open_sealed(E.load_private(st.meta(PRIVATE) or ""), row[0])
    if payload is None:
        raise StateError("recovery.unreadable", "托管的密钥无法打开（服务器的托管密钥已更换？）",
                         "The escrowed key cannot be opened (was the server's escrow key replaced?)")
    now = st.now_ms()
    with st.transaction() as store:
        store.execute("UPDATE key_escrow SET released_ms = ? WHERE device_id = ?", (now, device_id))
        store.execute("INSERT INTO recovery_log(device_id, admin, at_ms, what) VALUES (?,?,?,?)",
                      (device_id, admin, now, "recovery-key"))
    log.warning("organisation recovery key of device %s released by %s", device_id, admin)
    return str(payload["org_recovery"])


def recovery_log(st: ServerStorage) -> list[dict[str, Any]]:
    with st.lock:
        rows = st.store.query("SELECT device_id, admin, at_ms, what FROM recovery_log ORDER BY id")
    return [{"device_id": d, "admin": a, "at": _iso(at), "what": w} for d, a, at, w in rows]


def escrowed(st: ServerStorage, device_id: str) -> bool:
    with st.lock:
        return st.store.query_one("SELECT 1 FROM key_escrow WHERE device_id = ? AND released_ms IS NULL",
                                  (device_id,)) is not None
