"""Work around a PySide6 6.12 reference-count bug on Python 3.11.

PySide6/shiboken6 6.12 (an abi3 wheel for Python ≥ 3.10) gives back ``None`` and ``True``
from calls such as ``QCoreApplication.processEvents()`` and ``Signal.emit()`` without taking a
reference, as if they were immortal objects (they are from Python 3.12 on). On 3.11 every
such call takes one reference away; after a few thousand calls the interpreter aborts with
"Fatal Python error: none_dealloc: deallocating None" (or "bool_dealloc"). The app emits
signals for every database-lane job, so a working day would reach that.

The work-around gives these singletons a very large reference count once, which makes them
as good as immortal, as Python 3.12 does. Nothing happens on 3.12+ or on other PySide6
versions. Remove when PySide6 is fixed or the app requires Python 3.12.
"""

from __future__ import annotations

import ctypes
import sys

_BUFFER = 1 << 40   # references given to each singleton; 2**40 leaked decrements take years


def needed(pyside_version: tuple[int, ...], python: tuple[int, ...] = tuple(sys.version_info)) -> bool:
    return python < (3, 12) and pyside_version[:2] >= (6, 12)


def apply() -> bool:
    """Make None, True and False effectively immortal when the buggy combination is in use."""
    import shiboken6

    if not needed(tuple(shiboken6.__version_info__[:2])):
        return False
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _BUFFER
    return True


APPLIED = apply()
