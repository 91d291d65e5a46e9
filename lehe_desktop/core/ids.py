"""Record identities.

Ordinary records get UUIDv7 (time-ordered, made offline, no coordination). Records with a
natural key (areas, roster rows, category links) get a name-based UUID so the same thing
made on two laptops is one record after sync.
"""

from __future__ import annotations

import os
import time
import unicodedata
import uuid
from collections.abc import Callable

# Device ids name a laptop in sync headers, logs and the admin's terminal: letters, digits and
# ". _ -" only (a laptop's is a UUID), so no control character or separator ever travels in one.
_DEVICE_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
DEVICE_ID_MAX = 64


def is_safe_device_id(value: object) -> bool:
    return (isinstance(value, str) and 0 < len(value) <= DEVICE_ID_MAX and value[0].isascii()
            and value[0].isalnum() and all(c in _DEVICE_ID_CHARS for c in value))


# Fixed namespace: changing it would split every natural-key record in two.
NAMESPACE = uuid.UUID("6f1d2c0e-4b7a-5e3c-9a51-1e0c5a7e0b11")


def uuid7() -> str:
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    # The canonical 8-4-4-4-12 text, without building a uuid.UUID (bulk imports make many).
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def uuid7_maker() -> Callable[[], str]:
    """A uuid7 factory for one bulk job: the same ids as ``uuid7``, with the random bits read in
    blocks (one system call per 200 ids) and the time prefix formatted once per millisecond."""
    rand = ""
    pos = 0
    last_ms = -1
    prefix = ""

    def make() -> str:
        nonlocal rand, pos, last_ms, prefix
        ms = time.time_ns() // 1_000_000
        if ms != last_ms:
            t = f"{ms & ((1 << 48) - 1):012x}"
            prefix = f"{t[:8]}-{t[8:]}-7"
            last_ms = ms
        if pos >= len(rand):
            rand = os.urandom(2000).hex()      # 20 hex digits (74 random bits used) per id
            pos = 0
        r = rand[pos:pos + 20]
        pos += 20
        return f"{prefix}{r[:3]}-{_VARIANT[r[3]]}{r[4:7]}-{r[7:19]}"
    return make


# The variant nibble: '10' then two random bits.
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def natural_id(kind: str, *parts: str) -> str:
    """A deterministic id from a record kind and its natural key parts."""
    key = "\x1f".join([kind, *(normalise_key(p) for p in parts)])
    return str(uuid.uuid5(NAMESPACE, key))


def normalise_key(text: str) -> str:
    # NFKC folds full-width letters/digits and compatibility forms so 'Ａ1' == 'A1'.
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def normalise_area_path(path: str) -> str:
    """'重庆市 / 巫溪县／白鹿镇/乐和村/' -> '重庆市/巫溪县/白鹿镇/乐和村'."""
    text = unicodedata.normalize("NFKC", path or "")
    parts = [" ".join(p.split()) for p in text.replace("\\", "/").split("/")]
    return "/".join(p for p in parts if p)


def area_id(path: str) -> str:
    return natural_id("area", normalise_area_path(path))
