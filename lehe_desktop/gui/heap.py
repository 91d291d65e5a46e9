"""Short full garbage collections while the window works.

By the time the main window shows, the interpreter holds ~70,000 container objects that live until
the app exits: modules, classes, functions, Qt wrappers, the window's widgets. Every full (oldest
generation) collection walked them all — 40–110 ms with every thread stopped, a dozen times during
a 100,000-change pull, felt as the window freezing (bench_gui's ``stall_during_pull_ms``).
``gc.freeze()`` leaves the objects alive at that moment out of later collections. Nothing else
changes: collection stays on with its usual thresholds for everything made afterwards.

When the window is opened again (after a lock or a restore), the old freeze is undone and one full
collection runs first, so the previous window's cycles are freed, not kept for good.
"""

from __future__ import annotations

import gc

_frozen = False


def settle() -> None:
    """Call once the main window is shown: freeze what start-up made."""
    global _frozen
    if _frozen:
        gc.unfreeze()
        gc.collect()
    gc.freeze()
    _frozen = True


def release() -> None:
    """Give the frozen objects back to the collector (the session is over)."""
    global _frozen
    if _frozen:
        gc.unfreeze()
        _frozen = False
