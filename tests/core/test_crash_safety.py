"""A process killed in the middle of a big write leaves a consistent database: all or nothing.

Real processes and a real SIGKILL (what a crash or a pulled power cable does to the app; the
durable WAL settings are what make the OS-level case the same).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.records.schema import all_types
from lehe_desktop.core.store import vault

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")


def _kill_during(data_dir: Path, passphrase: str, *args: str, after_wal_bytes: int = 200_000,
                 limit_s: float = 60) -> bool:
    """Start the CLI, SIGKILL it once its write-ahead log has grown; True if it was killed mid-way."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    env["LEHE_PASSPHRASE"] = passphrase
    proc = subprocess.Popen([sys.executable, "-m", "lehe_desktop", "--data-dir", str(data_dir), *args],
                            env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = data_dir / "lehe.db-wal"
    deadline = time.monotonic() + limit_s
    try:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            if wal.exists() and wal.stat().st_size > after_wal_bytes:
                proc.send_signal(signal.SIGKILL)
                proc.wait(10)
                return True
            time.sleep(0.005)
        return False
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def test_killed_bulk_write_is_all_or_nothing(cli: CliRunner, data_dir: Path, passphrase: str) -> None:
    assert cli("init").returncode == 0
    killed = _kill_during(data_dir, passphrase, "demo", "--households", "4000", "--seed", "9")
    assert killed, "the demo finished before it could be interrupted; make it bigger"
    store = vault.unlock(DataPaths(data_dir, data_dir / "logs"), passphrase)
    try:
        assert store.check_integrity() == "ok"
        # The demo's records are written in one transaction: none of them survived the kill…
        assert store.count("household") == 0 and store.count("member") == 0 and store.count("visit") == 0
        # …and every record still in the database has exactly one change (areas were committed before).
        records = sum(store.query_value(f"SELECT count(*) FROM {rt.table}") for rt in all_types())
        changes = store.query_value("SELECT count(*) FROM changes")
        assert changes == records
    finally:
        store.close()
    # The database is usable after the crash: a demo now completes.
    done = cli("demo", "--households", "50", "--seed", "9")
    assert done.returncode == 0, done.stderr
    stats = cli("stats", "--json")
    assert '"households": 50' in stats.stdout
