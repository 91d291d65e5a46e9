"""Work-arounds for bugs of the PySide6 in use; each is checked at import and applied only if present.

PySide6 6.12.0: ``SignalInstance.emit()`` returns ``True`` without taking a reference to it, so
every signal emitted from Python takes one reference away from ``True``. After a few thousand
emits (the database lane's progress reports, a long test session) ``True``'s count reaches zero
and the interpreter aborts ("Fatal Python error: bool_dealloc: deallocating True or False"),
often only at exit, after everything seemed to work. Here each emit gives the reference back.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def emit_drops_a_reference_to_true() -> bool:
    """Whether this PySide6's ``emit`` takes a reference away from ``True`` (what it took is given back)."""
    probe = _Probe()
    emits = 8
    before = sys.getrefcount(True)
    for _ in range(emits):
        probe.ping.emit()
    dropped = before - sys.getrefcount(True)
    for _ in range(max(0, dropped)):
        _incref(True)
    return dropped >= emits


_emit = SignalInstance.emit


def _emit_giving_true_back(self: SignalInstance, *args: Any) -> Any:
    result = _emit(self, *args)
    if result is True:
        _incref(result)
    return result


def apply() -> bool:
    """Install the emit fix if this PySide6 needs it (once); True if it is installed."""
    if SignalInstance.emit is _emit_giving_true_back:
        return True
    if not emit_drops_a_reference_to_true():
        return False
    SignalInstance.emit = _emit_giving_true_back  # type: ignore[method-assign]
    return True
