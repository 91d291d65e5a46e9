"""A server import killed (SIGKILL) in the middle of a bundle, then run again: it completes, nothing
lost and nothing twice; and the laptop's side on the command line (export, import of the receipt)."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bundle_kit import enrolled, households
from sync_harness import REPO, LiveServer, desktop

from lehe_desktop.core.bundles import laptop
from lehe_desktop.server import bundles


def households_on(srv: LiveServer) -> int:
    return int(srv.storage.store.query_value("SELECT count(*) FROM households"))


@pytest.mark.slow
def test_kill_during_import_then_rerun(tmp_path: Path, live_server: LiveServer) -> None:
    w = enrolled(tmp_path, live_server, "w", "小王")
    n = 25_000                          # five parts of 5,000 changes, one transaction each
    households(w, n)
    out = tmp_path / "w.lehe"
    laptop.export_bundle(w, out)
    proc = subprocess.Popen([sys.executable, "-m", "lehe_desktop.server.cli", "--data-dir", str(live_server.root),
                             "import-bundle", str(out)], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    seen = 0
    while proc.poll() is None and time.monotonic() < deadline:
        seen = households_on(live_server)
        if seen > 0:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.communicate(timeout=30)
    partial = households_on(live_server)
    assert 0 < partial < n, f"the kill came too late to test anything ({partial} of {n})"
    again = bundles.import_bundle(live_server.storage, out)
    assert households_on(live_server) == n
    assert again.duplicates >= partial and again.applied + again.duplicates >= n
    dupes = live_server.storage.store.query_value(
        "SELECT count(*) FROM (SELECT origin, seq FROM changes GROUP BY origin, seq HAVING count(*) > 1)")
    assert dupes == 0
    # The receipt of the rerun answers every change: nothing is left to send.
    laptop.import_receipt(w, Path(again.receipt or ""))
    assert w.to_send_count() == 0


def test_laptop_command_line(tmp_path: Path, live_server: LiveServer) -> None:
    w = enrolled(tmp_path, live_server, "w", "小王")
    households(w, 5)
    n = w.to_send_count()
    w.close()
    out = tmp_path / "w.lehe"
    got = desktop(tmp_path / "w", "export-bundle", str(out), "--json")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["changes"] == n
    res = bundles.import_bundle(live_server.storage, out, receipt=tmp_path / "r.lehe")
    got = desktop(tmp_path / "w", "import-receipt", str(tmp_path / "r.lehe"), "--json")
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout)["acknowledged"] == n == res.applied + res.duplicates
