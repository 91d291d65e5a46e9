"""Hybrid logical clock: (wall milliseconds << 16) | counter, totally ordered with the origin.

It never goes backwards even if the laptop clock does, and a remote clock far in the
future is not adopted (see ``MAX_FORWARD_DRIFT_MS``) so one bad clock cannot poison everyone.
"""

from __future__ import annotations

import time

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1
MAX_FORWARD_DRIFT_MS = 24 * 3600 * 1000


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def physical_ms(hlc: int) -> int:
    return hlc >> COUNTER_BITS


def pack(ms: int, counter: int = 0) -> int:
    return (ms << COUNTER_BITS) | counter


class HybridClock:
    def __init__(self, last: int = 0) -> None:
        self.last = last
        self.observed = 0  # highest remote stamp adopted; the store persists it (own stamps are in the log)

    def tick(self, wall_ms: int | None = None) -> int:
        wall = pack(now_ms() if wall_ms is None else wall_ms)
        self.last = max(self.last + 1, wall)
        return self.last

    def observe(self, remote: int, wall_ms: int | None = None) -> bool:
        """Move past a remote stamp; returns False (and ignores it) if it is too far ahead."""
        wall = now_ms() if wall_ms is None else wall_ms
        if physical_ms(remote) > wall + MAX_FORWARD_DRIFT_MS:
            return False
        self.last = max(self.last, remote)
        self.observed = max(self.observed, remote)
        return True
