"""The PySide6 desktop GUI. Sits on the core; never talks SQL."""
