"""The installed Qt for Python keeps Python's reference counts intact.

PySide6 6.12.0 on Python 3.11 takes a reference to None/True away at every ``emit()`` and
``processEvents()``; the interpreter then aborts after a few thousand ("deallocating None"),
which the app reaches within minutes (every database-lane job emits). pyproject.toml excludes
it; this test fails if a version with that bug is installed again.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal


class _Emitter(QObject):
    ping = Signal(bool)
    payload = Signal(object)


def test_emits_and_event_processing_keep_none_and_true_alive(qapp: QCoreApplication) -> None:
    emitter = _Emitter()
    seen: list[object] = []
    emitter.payload.connect(seen.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(3000):
        qapp.processEvents()
        emitter.ping.emit(True)
        emitter.ping.emit(False)
    emitter.payload.emit(None)
    # A few references may come and go around the loop, never thousands.
    assert abs(sys.getrefcount(None) - none_before) < 100
    assert abs(sys.getrefcount(True) - true_before) < 100
    assert seen == [None]
