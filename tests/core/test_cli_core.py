"""The command-line contracts of Core I: names, options, JSON keys and exit codes."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.migrations import SCHEMA_VERSION

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
NAME = "龚秀英"


def no_traceback(r: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in r.stderr and "Traceback" not in r.stdout


def ok(r: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert r.returncode == 0, r.stderr
    no_traceback(r)
    return r


@pytest.fixture
def ready(paths: DataPaths, passphrase: str) -> DataPaths:
    """A set-up folder with one known household (head 龚秀英) and nothing else."""
    store, _ = vault.setup(paths, passphrase, worker_name="社工甲")
    try:
        village = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
        hh = store.create("household", {"area_id": village, "group_name": "2组", "head_name": NAME}).id
        store.create("member", {"household_id": hh, "name": NAME, "sex": "2", "relation": "02"})
        store.create("member", {"household_id": hh, "name": "王德福", "sex": "1", "relation": "10"})
    finally:
        store.close()
    return paths


def test_init_prints_identity_and_a_recovery_key_once(cli: CliRunner, data_dir: Path) -> None:
    info = json.loads(ok(cli("init", "--name", "社工甲", "--json")).stdout)
    assert set(info) >= {"device_id", "epoch", "data_dir", "recovery_key"}
    assert Path(info["data_dir"]) == data_dir.resolve()
    again = cli("init", "--json")
    assert again.returncode == 7 and "setup.exists" in again.stderr and again.stdout == ""
    no_traceback(again)


def test_init_rejects_a_weak_passphrase(cli: CliRunner, data_dir: Path) -> None:
    r = cli("init", passphrase="12345678")
    assert r.returncode == 4 and "error [passphrase.weak]" in r.stderr
    no_traceback(r)
    assert not (data_dir / "lehe.db").exists()


def test_stats_and_status_json_contracts(ready: DataPaths, cli: CliRunner) -> None:
    stats = json.loads(ok(cli("stats", "--json")).stdout)
    assert {"households", "residents", "changes"} <= set(stats)
    assert all(isinstance(v, int) for v in stats.values())
    assert stats["households"] == 1 and stats["residents"] == 2
    assert stats["changes"] == 4 + 3          # four area levels, one household, two members
    status = json.loads(ok(cli("status", "--json")).stdout)
    assert {"device_id", "epoch", "schema", "unsent"} <= set(status)
    assert status["schema"] == SCHEMA_VERSION and status["unsent"] == stats["changes"]
    store = vault.unlock(ready, "correct horse 42")
    try:
        assert (status["device_id"], status["epoch"]) == (store.device_id, store.epoch)
    finally:
        store.close()
    plain = ok(cli("stats")).stdout
    assert "households: 1" in plain


@pytest.mark.parametrize(("query", "titles"), [
    ("龚", {"龚秀英户 · 2组", "龚秀英"}),
    ("秀英", {"龚秀英户 · 2组", "龚秀英"}),
    ("龚秀英", {"龚秀英户 · 2组", "龚秀英"}),
    ("德", {"王德福"}),
    ("乐和", {"龚秀英户 · 2组", "重庆市/巫溪县/白鹿镇/乐和村"}),
    ("秀福", set()),
])
def test_search_json_contract_with_short_chinese_queries(ready: DataPaths, cli: CliRunner, query: str,
                                                         titles: set[str]) -> None:
    hits = json.loads(ok(cli("search", query, "--json")).stdout)
    assert isinstance(hits, list)
    for h in hits:
        assert set(h) == {"type", "id", "title"}
        assert h["type"] in ("area", "household", "member") and h["id"]
    assert {h["title"] for h in hits} >= titles
    if not titles:
        assert hits == []


@pytest.mark.slow   # 17 CLI processes, ~12 s; demo data and --area are also covered in-process
def test_demo_is_deterministic_and_uses_the_given_areas(cli: CliRunner, tmp_path: Path) -> None:
    def demo(folder: str, *args: str) -> tuple[dict, list]:
        # A later --data-dir overrides the fixture's folder.
        ok(cli("--data-dir", folder, "init"))
        r = ok(cli("--data-dir", folder, "demo", *args))
        assert "households=" in r.stderr
        stats = json.loads(ok(cli("--data-dir", folder, "stats", "--json")).stdout)
        hits = json.loads(ok(cli("--data-dir", folder, "search", "王", "--json", "--limit", "1000")).stdout)
        return stats, sorted(h["title"] for h in hits)

    a = demo(str(tmp_path / "a"), "--households", "30", "--seed", "7")
    b = demo(str(tmp_path / "b"), "--households", "30", "--seed", "7")
    c = demo(str(tmp_path / "c"), "--households", "30", "--seed", "8")
    assert a[0]["households"] == 30 and a[0]["residents"] >= 30
    assert a == b                                  # same seed: same people, same counts
    assert (a[0]["residents"], a[1]) != (c[0]["residents"], c[1])
    d = demo(str(tmp_path / "d"), "--households", "5", "--area", "四川省/广元市/旺苍县/木门镇/三合村")
    assert d[0]["households"] == 5
    hits = json.loads(ok(cli("--data-dir", str(tmp_path / "d"), "search", "三合", "--json")).stdout)
    assert {h["type"] for h in hits} >= {"area", "household"}
    assert json.loads(ok(cli("--data-dir", str(tmp_path / "d"), "search", "白鹿", "--json")).stdout) == []


@pytest.mark.parametrize("args", [
    ("bogus",),
    ("demo",),
    ("demo", "--households", "many"),
    ("demo", "--households", "-1"),
    ("stats", "--nope"),
    ("search",),
    ("passphrase",),
    ("passphrase", "forget"),
])
def test_usage_errors_exit_2_without_a_traceback(ready: DataPaths, cli: CliRunner, args: tuple[str, ...]) -> None:
    r = cli(*args)
    assert r.returncode == 2, r.stderr
    assert "error [" in r.stderr and r.stdout == ""
    no_traceback(r)


@pytest.mark.parametrize("args", [
    ("stats", "--json"), ("status", "--json"), ("search", "王", "--json"), ("demo", "--households", "3"),
    ("backup", "out.lehe-backup"), ("passphrase", "change"), ("unlock", "--recovery-key", "ABCD"),
])
def test_commands_on_a_folder_that_is_not_set_up_exit_7(cli: CliRunner, data_dir: Path,
                                                        args: tuple[str, ...]) -> None:
    r = cli(*args, env={"LEHE_NEW_PASSPHRASE": "a new passphrase 77"})
    assert r.returncode == 7, r.stderr
    assert r.stderr.startswith("error [setup.missing]") and r.stdout == ""
    no_traceback(r)
    assert not (data_dir / "lehe.db").exists()


def test_data_folder_from_environment_and_messages_in_english(ready: DataPaths, cli: CliRunner,
                                                              tmp_path: Path) -> None:
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    env.update(LEHE_DATA_DIR=str(ready.root), LEHE_PASSPHRASE="correct horse 42", PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, "-m", "lehe_desktop", "stats", "--json"], capture_output=True,
                       text=True, encoding="utf-8", env=env, stdin=subprocess.DEVNULL, timeout=120)
    assert r.returncode == 0 and json.loads(r.stdout)["households"] == 1, r.stderr
    # --data-dir wins over LEHE_DATA_DIR.
    r = cli("--lang", "en", "stats", env={"LEHE_DATA_DIR": str(tmp_path / "elsewhere")})
    assert r.returncode == 0 and "households: 1" in r.stdout
    r = cli("--lang", "en", "--data-dir", str(tmp_path / "empty"), "stats")
    assert r.returncode == 7 and "Not set up yet" in r.stderr


def test_invalid_demo_area_is_a_validation_error_that_changes_nothing(ready: DataPaths, cli: CliRunner) -> None:
    before = json.loads(ok(cli("stats", "--json")).stdout)
    r = cli("demo", "--households", "2", "--area", " / ／ ")
    assert r.returncode == 4 and "error [area.path_empty]" in r.stderr
    no_traceback(r)
    assert json.loads(ok(cli("stats", "--json")).stdout) == before
