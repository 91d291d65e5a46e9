"""The packaged app: ``frozen`` runs dist/lehe-desktop/lehe-desktop, or skips when no build exists.

``make test`` stays fast because it never builds; CI runs ``make build`` and then these tests
(.ci/run), so there they always run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from frozen_app import FROZEN_EXE, REPO, FrozenRunner, run_exe, stale_sources


@pytest.fixture
def frozen() -> FrozenRunner:
    """``frozen("--data-dir", d, "stats", "--json", passphrase=…)``; skips without a build."""
    if not FROZEN_EXE.is_file():
        pytest.skip("no packaged build (run `make build`)")
    stale = stale_sources()
    if stale:
        pytest.skip(f"the packaged build is older than {stale[0].relative_to(REPO)} (run `make build`)")

    def runner(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return run_exe(FROZEN_EXE, *args, **kwargs)  # type: ignore[arg-type]

    return runner
