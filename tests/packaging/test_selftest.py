"""``--self-test`` from the source tree: every check passes, the user's data folder is never
touched, and a failing check is one FAIL line with its reason (the frozen run: test_frozen.py)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from lehe_desktop.core.errors import StateError
from lehe_desktop.core.records.schema import all_types
from lehe_desktop.core.store.store import Store
from lehe_desktop.selftest import NOT_GENERIC, CheckFailed, Report, exercise_record_types

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
CHECKS = ["app", "bundle", "database", "demo", "records", "search", "reopen", "backup",
          "qt", "font", "translations", "window"]


def test_self_test_passes_every_check_and_leaves_the_data_folder_alone(cli: CliRunner, data_dir: Path) -> None:
    done = cli("--self-test", passphrase=None, env={"QT_QPA_PLATFORM": ""})
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [f"PASS {name}" for name in CHECKS]
    assert lines[-1].startswith("self-test passed")
    assert "(source)" in lines[0]
    assert f"{len(all_types()) - len(NOT_GENERIC)} record types written" in done.stdout
    assert "Traceback" not in done.stderr
    # The scratch database lives in a temp folder, never in --data-dir / the user's folder.
    assert not (data_dir / "lehe.db").exists() and not (data_dir / "keys.json").exists()


def test_every_record_type_is_written_read_updated_and_tombstoned(store: Store) -> None:
    detail = exercise_record_types(store, date.today())
    assert detail.startswith(f"{len(all_types()) - len(NOT_GENERIC)} record types written")
    for rt in all_types():
        if rt.name in NOT_GENERIC:
            continue
        deleted = store.query_value(f"SELECT count(*) FROM {rt.table} WHERE deleted = 1")
        live = store.query_value(f"SELECT count(*) FROM {rt.table} WHERE deleted = 0")
        if rt.name == "area":
            assert live >= 4 and deleted == 0      # the four levels of the test village stay
        else:
            assert (deleted, live) == (1, 0), rt.name
        kinds = {k for (k,) in store.query("SELECT kind FROM changes WHERE rtype = ?", (rt.name,))}
        assert kinds == ({"upsert"} if rt.name == "area" else {"upsert", "delete"}), rt.name
    # The update really changed a text field and went through the change log.
    visit_changes = store.query_value(
        "SELECT count(*) FROM changes WHERE rtype = 'visit' AND kind = 'upsert'")
    assert visit_changes == 2


def test_a_failing_check_prints_one_fail_line_with_its_reason(capsys: pytest.CaptureFixture[str]) -> None:
    report = Report()

    def locked() -> str:
        raise StateError("setup.missing", "尚未设置", "Not set up yet")

    def broken() -> str:
        raise CheckFailed("font 'X' has no glyph for 社")

    def bug() -> str:
        raise RuntimeError("boom")

    assert report.run("good", lambda: "fine") is True
    assert report.run("state", locked) is False
    assert report.run("font", broken) is False
    assert report.run("bug", bug) is False
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("PASS good: fine (")
    assert out[1:] == ["FAIL state: [setup.missing] Not set up yet", "FAIL font: font 'X' has no glyph for 社",
                       "FAIL bug: RuntimeError: boom"]
    assert report.failed == ["state", "font", "bug"]
