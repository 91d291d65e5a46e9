"""Shared fixtures: real data folders, a real unlocked Store and the real CLI in a subprocess.

Nothing here is a mock: ``store`` is an encrypted SQLCipher database in a tmp folder, ``cli``
runs ``python -m lehe_desktop`` as a separate process, exactly as a user or script would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import platformdirs
import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

# Qt must never try to open a display in tests (set before anything imports PySide6).
os.environ["QT_QPA_PLATFORM"] = "offscreen"

from pg_cluster import backend, pg_database, pg_session  # noqa: F401  (fixtures: a throw-away PostgreSQL)

from lehe_desktop.core.paths import APP_AUTHOR, APP_NAME, DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store

PASSPHRASE = "correct horse 42"
REPO = Path(__file__).resolve().parent.parent

CliRunner = Callable[..., subprocess.CompletedProcess[str]]

# Hypothesis keeps no example database, and its other files (a cache of constants) go to a temp
# folder removed at the end, not to the repository's .hypothesis/. A failing example is printed
# with the failure, and the property tests are derandomised anyway.
settings.register_profile("lehe", database=None)
settings.load_profile("lehe")
HYPOTHESIS_HOME = Path(tempfile.mkdtemp(prefix="lehe-tests-hypothesis-"))
set_hypothesis_home_dir(HYPOTHESIS_HOME)

# Where a program finds "the user's folders": the home folder and the XDG / Windows variables
# that platformdirs, Qt and the CLI read.
HOME_VARIABLES = ("HOME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "XDG_DATA_HOME", "XDG_CONFIG_HOME",
                  "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR")


def user_folders() -> list[Path]:
    """The app's per-user folders as platformdirs resolves them with the current environment."""
    return [Path(f(APP_NAME, APP_AUTHOR)) for f in (
        platformdirs.user_data_dir, platformdirs.user_log_dir, platformdirs.user_config_dir,
        platformdirs.user_cache_dir, platformdirs.user_state_dir)]


def listing(folders: list[Path]) -> dict[str, tuple[int, int]]:
    """Every file under ``folders``: path → (size, modification time)."""
    out = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")) if folder.is_dir() else []:
            st = p.stat()
            out[str(p)] = (st.st_size, st.st_mtime_ns)
    return out


@pytest.fixture(scope="session", autouse=True)
def temporary_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The whole session runs with a throw-away home folder.

    HOME and the XDG (and Windows) folder variables point into a temp folder, and LEHE_DATA_DIR
    is unset, so nothing a test starts (the CLI or app without --data-dir, Qt, platformdirs; in
    this process or a child) can write into the real user's data, log, config or cache folders.
    At the end the real per-user folders of the app must be exactly as they were.
    """
    real = user_folders()
    before = listing(real)
    home = tmp_path_factory.mktemp("home")
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700)
    folders = {"HOME": home, "USERPROFILE": home, "APPDATA": home / "AppData" / "Roaming",
               "LOCALAPPDATA": home / "AppData" / "Local", "XDG_DATA_HOME": home / ".local" / "share",
               "XDG_CONFIG_HOME": home / ".config", "XDG_CACHE_HOME": home / ".cache",
               "XDG_STATE_HOME": home / ".local" / "state", "XDG_RUNTIME_DIR": runtime}
    assert set(folders) == set(HOME_VARIABLES)
    with pytest.MonkeyPatch.context() as mp:
        for name, folder in folders.items():
            mp.setenv(name, str(folder))
        mp.delenv("LEHE_DATA_DIR", raising=False)
        if sys.platform != "win32":   # there platformdirs asks Windows, not the environment
            assert all(f.is_relative_to(home) for f in user_folders())
        yield home
    shutil.rmtree(HYPOTHESIS_HOME, ignore_errors=True)
    assert listing(real) == before, "the test session wrote into the real user's folders"


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


def delete_top_level_widgets() -> None:
    """Delete every parentless top-level widget now (their popups go with them), if Qt is running."""
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        if widget.parent() is None:
            widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def no_widget_outlives_its_test() -> Iterator[None]:
    """After each test (and its fixtures: qtbot has closed its widgets, stores are closed), delete
    the windows and dialogs it left: a closed window's timers would otherwise go on firing into
    later tests, at a store that is closed by then."""
    yield
    delete_top_level_widgets()


@pytest.fixture(scope="session", autouse=True)
def qt_taken_down_in_order() -> Iterator[None]:
    """After the last test, take Qt down in order while Python is still whole.

    Lanes whose thread still runs and widgets alive at exit are destroyed by the interpreter's
    own teardown in no set order, after the QApplication: stop the lanes, delete the widgets and
    shut the application down before pytest exits. (The crash this once hid with ``os._exit``
    was PySide6 6.12.0's ``emit`` reference bug, now excluded in pyproject.toml: see
    tests/gui/test_qt_runtime.py.)
    """
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    import gc

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    if "lehe_desktop.gui.worker" in sys.modules:
        from lehe_desktop.gui.worker import stop_all_lanes

        stop_all_lanes()
    delete_top_level_widgets()
    app.processEvents()
    gc.collect()
    app.shutdown()


# ---------------------------------------------------------------------- PostgreSQL (tests/pg_cluster.py)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``both_backends`` whose server takes the ``backend`` fixture run on both."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        from pg_cluster import BACKENDS

        metafunc.parametrize("backend", BACKENDS)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say it plainly when the PostgreSQL tests were skipped (no PostgreSQL on this machine)."""
    from pg_cluster import SKIP_REASON

    skipped = [r for r in terminalreporter.stats.get("skipped", []) if SKIP_REASON in str(r.longrepr)]
    if skipped:
        terminalreporter.write_line(f"{len(skipped)} PostgreSQL server tests SKIPPED: {SKIP_REASON}", yellow=True,
                                    bold=True)
