"""The test session writes nothing outside temp folders (tests/conftest.py, ``temporary_home``).

The session fixture itself checks at the end that the real user's folders of the app are
untouched; these tests show that a program started without --data-dir lands in the temporary
home, in this process and in a child process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lehe_desktop.core import paths as paths_mod

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform == "win32",
                                reason="platformdirs asks Windows itself for the folders, not the environment")


def test_the_default_data_and_log_folders_are_inside_the_temporary_home(temporary_home: Path) -> None:
    default = paths_mod.resolve()
    assert default.root.is_relative_to(temporary_home) and default.logs.is_relative_to(temporary_home)
    assert "LEHE_DATA_DIR" not in os.environ


def test_the_cli_without_a_data_folder_logs_into_the_temporary_home(temporary_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    done = subprocess.run([sys.executable, "-m", "lehe_desktop", "stats"], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120, stdin=subprocess.DEVNULL, cwd=REPO)
    assert done.returncode == 7, done.stderr             # not set up: nothing to count
    log = paths_mod.resolve().logs / "lehe-desktop.log"
    assert log.is_file() and log.is_relative_to(temporary_home)
    assert not paths_mod.resolve().database.exists()     # a read-only command sets nothing up
