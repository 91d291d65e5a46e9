"""Layering: the import contracts hold, and the core, CLI, self-test and server never load Qt."""

from __future__ import annotations

import importlib.util
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import lehe_desktop

REPO = Path(__file__).resolve().parents[2]


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    assert lint_imports.exists(), "import-linter is a dev dependency; run `make test` to install it"
    r = subprocess.run([str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 broken" in r.stdout


def headless_modules() -> list[str]:
    """Every module of lehe_desktop.core and lehe_desktop.cli, the self-test, plus the server if present."""
    names = ["lehe_desktop.selftest"]
    for pkg in ("lehe_desktop.core", "lehe_desktop.cli", "lehe_desktop.server"):
        spec = importlib.util.find_spec(pkg)
        if spec is None or not spec.submodule_search_locations:
            continue
        names.append(pkg)
        names += [m.name for m in pkgutil.walk_packages(spec.submodule_search_locations, prefix=pkg + ".")]
    return names


def test_core_cli_selftest_and_server_never_load_qt() -> None:
    modules = headless_modules()
    assert "lehe_desktop.core.store.store" in modules and "lehe_desktop.cli.commands" in modules
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.strip().splitlines()[-1]) == []


def test_the_cli_runs_a_command_without_loading_qt(tmp_path: Path) -> None:
    code = (
        "import sys, json\n"
        "from lehe_desktop.__main__ import main\n"
        f"rc = main(['--data-dir', {str(tmp_path / 'd')!r}, 'stats'])\n"
        "print(json.dumps([rc, sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))]))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    rc, qt = json.loads(r.stdout.strip().splitlines()[-1])
    assert rc == 7 and qt == [], r.stderr
    assert lehe_desktop.__version__
