"""Server key rotation as the laptop sees it (docs/sync.md "Server key rotation").

A laptop pins the server's public key at enrolment and checks every reply's signature with it.
When the administrator rotates the key (``lehe-server rotate-key``), the server signs its replies
with the new key and sends, with every reply, the chain of announcements since its first key:
``H_SERVER_KEYS: OLD.NEW.SIG,OLD.NEW.SIG…`` where ``SIG`` is the OLD key's Ed25519 signature over
``rotation_message(OLD, NEW)``. A laptop whose pinned key no longer verifies a reply follows the
chain from its pinned key (each step signed by the key before it), checks the reply with the key
it arrives at, and from then on trusts that key. Nothing else in the reply is believed before the
signature checks out, so an announcement from anyone without the pinned key is worthless.
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
