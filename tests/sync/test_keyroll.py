"""Following the server's key announcements (core/sync/keyroll.py): only steps signed by the key
before them count, starting from the key the laptop pinned."""

from __future__ import annotations

from lehe_desktop.core.sync import keyroll
from lehe_desktop.core.sync import protocol as P


def _chain(n: int) -> tuple[list[str], str]:
    keys = [P.new_private_key() for _ in range(n)]
    publics = [P.public_b64(k) for k in keys]
    steps = [(publics[i], publics[i + 1], keyroll.endorse(keys[i], publics[i + 1])) for i in range(n - 1)]
    return publics, keyroll.chain_header(steps)


def test_a_laptop_follows_the_chain_from_the_key_it_pinned() -> None:
    publics, header = _chain(4)
    assert keyroll.follow(publics[0], header) == publics[3]
    assert keyroll.follow(publics[2], header) == publics[3]
    assert keyroll.follow(publics[3], header) is None          # already the newest: nothing to learn
    assert keyroll.follow(publics[0], None) is None


def test_steps_not_signed_by_the_key_before_them_are_ignored() -> None:
    publics, header = _chain(2)
    stranger = P.new_private_key()
    theirs = P.public_b64(stranger)
    # Announced by the stranger's own key, or a real signature moved onto another key.
    self_signed = keyroll.chain_header([(publics[0], theirs, keyroll.endorse(stranger, theirs))])
    assert keyroll.follow(publics[0], self_signed) is None
    old, new, sig = header.split(".")
    assert keyroll.follow(publics[0], f"{old}.{theirs}.{sig}") is None
    # After a valid step, a forged one goes no further than the valid part.
    assert keyroll.follow(publics[0], f"{header},{new}.{theirs}.{sig}") == publics[1]


def test_malformed_or_oversized_headers_are_not_read() -> None:
    publics, header = _chain(3)
    assert keyroll.follow(publics[0], header + ",x.y") is None
    assert keyroll.follow(publics[0], "garbage") is None
    assert keyroll.follow(publics[0], header + "," + "a.b.c" * 5000) is None
    # A loop back to an earlier key ends the walk instead of running forever.
    keys = [P.new_private_key() for _ in range(2)]
    a, b = (P.public_b64(k) for k in keys)
    looped = keyroll.chain_header([(a, b, keyroll.endorse(keys[0], b)), (b, a, keyroll.endorse(keys[1], a))])
    assert keyroll.follow(a, looped) == b
