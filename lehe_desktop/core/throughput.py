"""Process-wide interpreter settings for the few big jobs (bulk saves, sync): set while any runs.

Both are reference-counted, so overlapping jobs on different threads (a sync on the GUI's
database lane while a command runs elsewhere) restore the setting only when the last one ends.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading
from collections.abc import Iterator

# While a job runs, a thread coming back from SQLite gets the interpreter within 0.1 ms instead
# of waiting out the default 5 ms switch interval for the other thread's Python: with a writer
# thread beside the validating one, that wait was paid three times per batch and ate the overlap.
QUICK_SWITCH_S = 0.0001

_lock = threading.Lock()
_gc_users = 0
_gc_was_enabled = True
_switch_users = 0
_switch_before = 0.005


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a job moves hundreds of thousands of small objects.

    Each allocated dict counts towards the next collection, and full collections walk every live
    object (a fifth of the CPU time of a big sync). Change data and rows hold no reference cycles,
    so reference counting frees them as before; the collector runs again when the last job ends.
    """
    global _gc_users, _gc_was_enabled
    with _lock:
        if _gc_users == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_users += 1
    try:
        yield
    finally:
        with _lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_was_enabled:
                gc.enable()


@contextlib.contextmanager
def quick_thread_switches() -> Iterator[None]:
    """A short interpreter switch interval while a job splits its work across two threads."""
    global _switch_users, _switch_before
    with _lock:
        if _switch_users == 0:
            _switch_before = sys.getswitchinterval()
            sys.setswitchinterval(min(QUICK_SWITCH_S, _switch_before))
        _switch_users += 1
    try:
        yield
    finally:
        with _lock:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_before)
