"""The sync server's pause of the cyclic garbage collector while it handles a push or a pull.

Only the server process uses it (``server/app.py``): the desktop — the window, its database
lane, the command line — changes no process-wide interpreter setting (docs/architecture.md).
It is reference-counted, so overlapping requests on different threads restore the setting
only when the last one ends.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_gc_users = 0
_gc_was_enabled = True


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a request moves hundreds of thousands of small objects.

    Each allocated dict counts towards the next collection, and full collections walk every live
    object. Change data and rows hold no reference cycles, so reference counting frees them as
    before; the collector runs again when the last request ends.
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
