"""Encryption keys for sync bundles, and the server's signed device directory (docs/sync.md
"Sync bundles").

Each device has an X25519 key beside its Ed25519 signing key (``meta.bundle_enc_key``): a new
enrolment sends its public half with the code; a laptop enrolled before sends it at its next sync,
signed with its device key (``enc_key_message``). The server answers every hello (and enrolment)
with its **directory**: the server's own encryption key and, for the devices that share areas with
this one, their signing and encryption keys, user, role, areas and whether they are revoked —
signed with the server's key, so a laptop can encrypt a bundle for its coordinator, and check a
worker's bundle, without the network. The server's own encryption key comes with its announcement
by a signing key (``keyroll.enc_announced``): when the server rotates its keys, a laptop takes the
new encryption key only if the key it trusts (or the one that handed over to it) announced it.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from ..errors import NetworkError
from ..store.store import Store
from . import keyroll
from . import protocol as P

DIRECTORY_PREFIX = b"lehe-directory-v1\n"


def enc_key_message(device_id: str, enc_key: str) -> bytes:
    """What a device signs to announce its encryption key."""
    return b"lehe-enc-key-v1\n" + device_id.encode() + b"\n" + enc_key.encode()


def x25519_b64(key: X25519PrivateKey) -> str:
    return P.b64e(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def x25519_private_b64(key: X25519PrivateKey) -> str:
    return P.b64e(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))


def load_x25519(text: str) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(P.b64d(text))


def enc_key(store: Store) -> X25519PrivateKey:
    """This laptop's X25519 key, made (and kept in its encrypted database) the first time."""
    got = store.meta().get("bundle_enc_key")
    if got:
        return load_x25519(got)
    key = X25519PrivateKey.generate()
    with store.transaction():
        store.set_meta("bundle_enc_key", x25519_private_b64(key))
    return key


def signed_enc_key(store: Store) -> tuple[str, str]:
    """This laptop's encryption key (public, base64) and its signature by the device key."""
    public = x25519_b64(enc_key(store))
    device_key = P.load_private(store.meta()["sync_device_key"])
    return public, P.b64e(device_key.sign(enc_key_message(store.device_id, public)))


def directory_message(text: str) -> bytes:
    return DIRECTORY_PREFIX + text.encode()


def bad_key_announcement(why: str) -> NetworkError:
    return NetworkError("sync.bad_key_announcement",
                        f"服务器的加密密钥没有由本机信任的服务器签名密钥宣布（{why}），本机没有采用它，也没有改动任何内容："
                        "请确认服务器地址，或联系管理员",
                        f"The server's encryption key is not announced by a server signing key this laptop trusts "
                        f"({why}); it was not taken and nothing was changed. Check the server address, or contact "
                        "the administrator")


def _check_server_entry(server_key: str, data: dict[str, Any], old: dict[str, Any]) -> None:
    """The directory's server entry: its signing key must be the trusted one, and its encryption key
    announced by it (or by the key that handed over to it); a directory without an announcement
    (an older server) is taken only while the encryption key stays the one kept before."""
    server = data.get("server")
    if not isinstance(server, dict):
        raise bad_key_announcement("no server entry")
    if server.get("public_key") != server_key:
        raise bad_key_announcement("another signing key")
    enc = server.get("enc_key")
    if "enc_key_sig" not in server:
        before = (old.get("server") or {}).get("enc_key") if old else None
        if before is not None and enc != before:
            raise bad_key_announcement("a new key without an announcement")
        return
    if not keyroll.enc_announced(server_key, str(enc or ""), str(server.get("enc_key_by") or ""),
                                 str(server.get("enc_key_sig") or ""), server.get("enc_key_step")):
        raise bad_key_announcement("the announcement's signature does not check out")


def keep_directory(store: Store, text: str, sig: str) -> bool:
    """Store the server's directory if its signature is the enrolled server's (inside or outside a
    transaction); False (nothing kept) otherwise. A validly signed directory whose server
    encryption key is not validly announced is refused (``sync.bad_key_announcement``)."""
    server_key = store.meta().get("sync_server_key") or ""
    if not server_key or not P.verify(server_key, sig, directory_message(text)):
        return False
    try:
        data = json.loads(text)
    except ValueError:
        return False
    if not isinstance(data, dict) or not isinstance(data.get("devices"), list):
        return False
    if data.get("for", store.device_id) != store.device_id:
        return False              # another device's list (inside the server's bundle for it, carried here)
    with store.transaction():
        old = directory(store)
        _check_server_entry(server_key, data, old)
        if old and int(old.get("issued_ms") or 0) > int(data.get("issued_ms") or 0):
            return False          # an older list never replaces a newer one
        store.set_meta("bundle_directory", text)
    return True


def directory(store: Store) -> dict[str, Any]:
    """The last directory the server sent (checked when it was kept), or {}."""
    text = store.meta().get("bundle_directory")
    if not text:
        return {}
    data = json.loads(text)
    return data if isinstance(data, dict) else {}


def device_entry(store: Store, device_id: str) -> dict[str, Any] | None:
    for d in directory(store).get("devices", []):
        if isinstance(d, dict) and d.get("device_id") == device_id:
            return d
    return None
