"""Shared fixtures: real data folders, a real unlocked Store and the real CLI in a subprocess.

Nothing here is a mock: ``store`` is an encrypted SQLCipher database in a tmp folder, ``cli``
runs ``python -m lehe_desktop`` as a separate process, exactly as a user or script would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Qt must never try to open a display in tests (set before anything imports PySide6).
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store

PASSPHRASE = "correct horse 42"
REPO = Path(__file__).resolve().parent.parent

CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def passphrase() -> str:
    """The passphrase of the ``store`` fixture and the default LEHE_PASSPHRASE of ``cli``."""
    return PASSPHRASE


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder (not created: set-up creates it, as on a fresh laptop)."""
    return tmp_path / "data"


@pytest.fixture
def paths(data_dir: Path) -> DataPaths:
    """The DataPaths a ``--data-dir data_dir`` run would use (logs inside the folder)."""
    return DataPaths(root=data_dir, logs=data_dir / "logs")


@pytest.fixture
def store(paths: DataPaths) -> Iterator[Store]:
    """A set-up, unlocked, empty Store (passphrase ``PASSPHRASE``); closed afterwards."""
    st, _recovery = vault.setup(paths, PASSPHRASE, worker_name="测试社工")
    try:
        yield st
    finally:
        st.close()


def run_cli(data_dir: Path, *args: str, passphrase: str | None = PASSPHRASE, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m lehe_desktop --data-dir DIR ARGS…`` in a new process.

    LEHE_PASSPHRASE is ``passphrase`` (unset when None); ``env`` adds or overrides variables
    (a value of "" removes the variable). Never raises on a non-zero exit code.
    """
    full = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    full["PYTHONIOENCODING"] = "utf-8"
    if passphrase is not None:
        full["LEHE_PASSPHRASE"] = passphrase
    for k, v in (env or {}).items():
        if v == "":
            full.pop(k, None)
        else:
            full[k] = v
    return subprocess.run([sys.executable, "-m", "lehe_desktop", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, encoding="utf-8", env=full, timeout=timeout,
                          stdin=subprocess.DEVNULL, cwd=REPO)


@pytest.fixture
def cli(data_dir: Path) -> CliRunner:
    """``cli("stats", "--json")`` → CompletedProcess (text) for the ``data_dir`` folder.

    Keyword arguments go to ``run_cli`` (passphrase=…, env={…}, timeout=…).
    """

    def runner(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        return run_cli(data_dir, *args, **kwargs)  # type: ignore[arg-type]

    return runner


# PySide6 can crash inside the interpreter's final teardown (after every test has passed and
# the summary is printed), turning a green run into exit 134. Once the session is over and
# reported, leave without that teardown, keeping pytest's own exit status.
_EXIT_STATUS: list[int] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if "PySide6" in sys.modules and _EXIT_STATUS and not hasattr(config, "workerinput"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
