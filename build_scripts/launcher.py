"""Frozen entry point: the same ``main`` that ``python -m lehe_desktop`` runs."""

import sys

from lehe_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
