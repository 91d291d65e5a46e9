"""The PySide6 desktop GUI. Sits on the core; never talks SQL."""

from . import _refcounts  # noqa: F401  # before any Qt call: see the module (a PySide6 6.12 bug on 3.11)
