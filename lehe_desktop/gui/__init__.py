"""The PySide6 desktop GUI. Sits on the core; never talks SQL."""

from . import qtfixes

qtfixes.apply()   # before any window or lane emits a signal
