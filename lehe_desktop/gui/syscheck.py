"""Exit 0 if Qt's shared libraries load on this system (used by the Makefile)."""

from __future__ import annotations

import sys


def main() -> int:
    try:
        from PySide6 import QtGui, QtWidgets  # noqa: F401
    except ImportError as exc:
        print(f"Qt cannot load: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
