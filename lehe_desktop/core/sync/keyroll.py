"""Server key rotation as the laptop sees it (docs/sync.md "Server key rotation").

A laptop pins the server's public key at enrolment and checks every reply's signature with it.
When the administrator rotates the key (``lehe-server rotate-key``), the server signs its replies
with the new key and sends, with every reply, the chain of announcements since its first key:
``H_SERVER_KEYS: OLD.NEW.SIG,OLD.NEW.SIG…`` where ``SIG`` is the OLD key's Ed25519 signature over
``rotation_message(OLD, NEW)``. A laptop whose pinned key no longer verifies a reply follows the
chain from its pinned key (each step signed by the key before it), checks the reply with the key
it arrives at, and from then on trusts that key. Nothing else in the reply is believed before the
signature checks out, so an announcement from anyone without the pinned key is worthless.

The server's X25519 encryption key (bundles are sealed to it) rotates with its signing key: the
new encryption key is announced by the old signing key (``enc_key_message``: the announcer, the
signing key it goes with, the encryption key) and listed in the signed device directory with that
announcement and the step that made the old key hand over to the new one (``enc_announced``). The
first encryption key is announced by its own signing key.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from . import protocol as P

H_SERVER_KEYS = "x-lehe-server-keys"
MAX_HEADER = 16 * 1024          # ~90 rotations; a longer header is not read at all
MAX_STEPS = 64


def rotation_message(old_public: str, new_public: str) -> bytes:
    """What the old key signs to hand over to the new one."""
    return f"lehe-sync/key-rotation\n{old_public}\n{new_public}".encode()


def endorse(old: Ed25519PrivateKey, new_public: str) -> str:
    """The old key's signature announcing ``new_public`` (base64)."""
    return P.b64e(old.sign(rotation_message(P.public_b64(old), new_public)))


def chain_header(steps: list[tuple[str, str, str]]) -> str:
    """The header value for ``(old_public, new_public, signature)`` steps, oldest first."""
    return ",".join(f"{old}.{new}.{sig}" for old, new, sig in steps)


def follow(pinned: str, header: str | None) -> str | None:
    """The newest key reachable from ``pinned`` through validly signed announcements in ``header``,
    or None when there is none (no header, a malformed one, or no step signed by the pinned key)."""
    if not header or len(header) > MAX_HEADER or not pinned:
        return None
    steps: dict[str, list[tuple[str, str]]] = {}
    for part in header.split(",")[:MAX_STEPS]:
        fields = part.strip().split(".")
        if len(fields) != 3:
            return None
        steps.setdefault(fields[0], []).append((fields[1], fields[2]))
    key, seen = pinned, {pinned}
    while True:
        nxt = next((new for new, sig in steps.get(key, [])
                    if new not in seen and P.verify(key, sig, rotation_message(key, new))), None)
        if nxt is None:
            return key if key != pinned else None
        seen.add(nxt)
        key = nxt


def enc_key_message(by_public: str, signer_public: str, enc_public: str) -> bytes:
    """What ``by_public`` signs to announce ``enc_public`` as the encryption key that goes with the
    signing key ``signer_public`` (the same key for the first one, the one before it after a rotation)."""
    return f"lehe-sync/enc-key\n{by_public}\n{signer_public}\n{enc_public}".encode()


def endorse_enc(by: Ed25519PrivateKey, signer_public: str, enc_public: str) -> str:
    return P.b64e(by.sign(enc_key_message(P.public_b64(by), signer_public, enc_public)))


def enc_announced(signer: str, enc_public: str, by: str, sig: str, step: str | None) -> bool:
    """Whether ``enc_public`` is validly announced for the signing key ``signer``: signed by ``signer``
    itself, or by the key before it, whose own signature (``step``) handed over to ``signer``."""
    if not all(isinstance(x, str) and x for x in (signer, enc_public, by, sig)):
        return False
    if not P.verify(by, sig, enc_key_message(by, signer, enc_public)):
        return False
    return by == signer or (isinstance(step, str) and P.verify(by, step, rotation_message(by, signer)))
