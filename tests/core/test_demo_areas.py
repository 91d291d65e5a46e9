"""`demo` without --area uses the enrolled user's areas, else the built-in demo township."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

from lehe_desktop.core.demo import DEFAULT_AREAS
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault

CliRunner = Callable[..., subprocess.CompletedProcess[str]]


def _village_paths(paths: DataPaths, passphrase: str) -> set[str]:
    store = vault.unlock(paths, passphrase)
    try:
        return {r[0] for r in store.query(
            "SELECT DISTINCT a.path FROM households h JOIN areas a ON a.id = h.area_id")}
    finally:
        store.close()


def test_demo_uses_the_enrolled_areas(cli: CliRunner, paths: DataPaths, passphrase: str) -> None:
    assert cli("init").returncode == 0
    store = vault.unlock(paths, passphrase)
    enrolled = ["四川省/成都市/蒲江县/西来镇/铁牛村"]
    store.set_meta("enrolled_areas", json.dumps(enrolled, ensure_ascii=False))
    store.close()
    assert cli("demo", "--households", "12").returncode == 0
    assert _village_paths(paths, passphrase) == set(enrolled)


def test_demo_without_enrolment_uses_the_demo_township(cli: CliRunner, paths: DataPaths, passphrase: str) -> None:
    assert cli("init").returncode == 0
    assert cli("demo", "--households", "30").returncode == 0
    used = _village_paths(paths, passphrase)
    assert used and used <= set(DEFAULT_AREAS)
