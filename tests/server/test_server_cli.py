"""`lehe-server` admin commands and `serve`, run as real processes, with a laptop syncing to it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import REPO, VILLAGE, desktop, make_laptop, serve_process, server_cli

from lehe_desktop.core.ids import area_id


def test_admin_commands(tmp_path: Path) -> None:
    d = tmp_path / "srv"
    assert server_cli(d, "stats", "--json").returncode == 7            # not initialised yet
    assert server_cli(d, "init").returncode == 0
    again = server_cli(d, "init")
    assert again.returncode == 7 and "server.exists" in again.stderr
    out = server_cli(d, "add-area", "重庆市 / 巫溪县／白鹿镇/乐和村")
    assert out.returncode == 0 and out.stdout.strip() == area_id(VILLAGE)   # same id as every laptop
    assert server_cli(d, "add-user", "小王", "--role", "boss", "--areas", VILLAGE).returncode == 2
    assert server_cli(d, "add-user", "小王", "--role", "worker", "--areas", "").returncode == 2
    assert server_cli(d, "add-user", "小王", "--role", "worker", "--areas", VILLAGE).returncode == 0
    code = server_cli(d, "enroll-code", "小王", "--expires", "2")
    assert code.returncode == 0
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code.stdout.strip().splitlines()[-1])
    assert server_cli(d, "enroll-code", "没有这人").returncode == 5
    assert json.loads(server_cli(d, "devices", "--json").stdout) == []
    stats = json.loads(server_cli(d, "stats", "--json").stdout)
    laptop = make_laptop(tmp_path / "laptop")
    try:
        assert set(stats) - {"server"} == set(laptop.stats())
        assert set(stats["server"]) == {"devices", "active_devices_7d", "held", "refused", "db_bytes"}
    finally:
        laptop.close()
    assert server_cli(d, "migrate").returncode == 0
    assert server_cli(d, "revoke-device", "nope").returncode == 5
    db = tmp_path / "other.db"
    assert server_cli(tmp_path, "--db", f"sqlite:///{db}", "init").returncode == 2   # --data-dir and --db both
    assert subprocess.run([sys.executable, "-m", "lehe_desktop.server.cli", "--db", f"sqlite:///{db}", "init"],
                          cwd=REPO, capture_output=True).returncode == 0
    assert db.exists()


def test_serve_enrol_sync_and_revoke_end_to_end(tmp_path: Path) -> None:
    d = tmp_path / "srv"
    assert server_cli(d, "init").returncode == 0
    assert server_cli(d, "add-user", "小王", "--role", "worker", "--areas", VILLAGE).returncode == 0
    code = server_cli(d, "enroll-code", "小王").stdout.strip().splitlines()[-1]
    with serve_process(d) as url:
        laptop = tmp_path / "laptop"
        make_laptop(laptop).close()
        assert desktop(laptop, "enroll", "--server", url, "--code", code).returncode == 0
        demo = desktop(laptop, "demo", "--households", "3")
        assert demo.returncode == 0, demo.stderr
        out = desktop(laptop, "sync", "--json")
        assert out.returncode == 0, out.stderr
        res = json.loads(out.stdout)
        assert res["pushed"] > 3 and res["rejected"] == 0 and res["conflicts"] == 0
        status = json.loads(desktop(laptop, "status", "--json").stdout)
        assert status["unsent"] == 0 and status["last_sync"] and status["open_conflicts"] == 0
        stats = json.loads(server_cli(d, "stats", "--json").stdout)
        assert stats["households"] == 3
        devices = json.loads(server_cli(d, "devices", "--json").stdout)
        assert len(devices) == 1
        dev = devices[0]
        assert set(dev) == {"device_id", "user", "role", "areas", "last_seen", "app_version", "schema", "unacked",
                            "revoked"}
        assert dev["user"] == "小王" and dev["areas"] == [VILLAGE] and dev["revoked"] is False
        # Admin adds an area while the server runs: it reaches the laptop on the next sync.
        assert server_cli(d, "add-area", "重庆市/巫溪县/白鹿镇/乐和村/三组").returncode == 0
        again = json.loads(desktop(laptop, "sync", "--json").stdout)
        assert again["pushed"] == 0 and again["pulled"] == 1
        assert server_cli(d, "revoke-device", dev["device_id"]).returncode == 0
        refused = desktop(laptop, "sync", "--json")
        assert refused.returncode == 3 and "auth.revoked" in refused.stderr
    # A stopped server is a network error (exit 8), not a crash.
    gone = desktop(tmp_path / "laptop", "sync", "--json")
    assert gone.returncode == 8 and "sync.network" in gone.stderr
