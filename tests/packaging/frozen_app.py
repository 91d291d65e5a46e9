"""Running the packaged app from tests (shared by the packaging tests; see conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FROZEN_DIR = REPO / "dist" / "lehe-desktop"
FROZEN_EXE = FROZEN_DIR / ("lehe-desktop-cli.exe" if sys.platform == "win32" else "lehe-desktop")

FrozenRunner = Callable[..., subprocess.CompletedProcess[str]]


def stale_sources() -> list[Path]:
    """Source files changed since the build: a stale build is skipped, not failed, so a
    developer's old ``dist/`` never breaks ``make test`` (CI always builds right before)."""
    built = FROZEN_EXE.stat().st_mtime
    code = (REPO / "lehe_desktop").rglob("*.py")
    shipped = (p for p in (REPO / "resources").rglob("*") if p.suffix not in (".ts", ".md", ".py"))  # as the spec
    return [p for p in (*code, *shipped) if p.is_file() and p.stat().st_mtime > built]


def run_exe(exe: Path, *args: str, passphrase: str | None = None, env: dict[str, str] | None = None,
            timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run ``exe ARGS…`` as a user would: no LEHE_* variables except LEHE_PASSPHRASE when given."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    full["PYTHONIOENCODING"] = "utf-8"
    if passphrase is not None:
        full["LEHE_PASSPHRASE"] = passphrase
    full.update(env or {})
    return subprocess.run([str(exe), *args], capture_output=True, text=True, encoding="utf-8", env=full,
                          timeout=timeout, stdin=subprocess.DEVNULL, cwd=exe.parent)
