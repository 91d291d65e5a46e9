"""PyInstaller runtime hook: give a windowed build usable stdout/stderr.

A Windows ``console=False`` executable starts with ``sys.stdout``/``sys.stderr`` set to None,
so any ``sys.stderr.write`` (argparse, a one-line error) would crash before logging is set up.
"""

import os
import sys

for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 (lives as long as the process)
