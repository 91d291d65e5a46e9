"""No plaintext personal data anywhere in the data folder — and proof that the scan would see it.

The scan reads every file under the data folder (database, -wal, -shm, backups, logs,
keys.json, unlock state) as raw bytes and looks for a stored name (UTF-8, UTF-16) and phone
number. The positive control writes the same records through the same Store code into a
plain, unencrypted SQLite database and shows the same scan finds them there.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.records.vocab_seed import VOCABS
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.connection import configure
from lehe_desktop.core.store.migrations import MIGRATIONS
from lehe_desktop.core.store.store import Store

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
NAME = "龚秀英测试"
PHONE = "13987654321"
NEEDLES = {f"{NAME} ({enc})": NAME.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")}
NEEDLES["phone"] = PHONE.encode("ascii")


def scan(folder: Path) -> dict[str, list[str]]:
    """{relative file: [needles found]} for every file under ``folder`` that holds any."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        hits = [label for label, needle in NEEDLES.items() if needle in data]
        if hits:
            found[str(path.relative_to(folder))] = hits
    return found


def write_people(store: Store) -> str:
    village = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    hh = store.create("household", {"area_id": village, "group_name": "2组", "head_name": NAME,
                                    "address": f"{NAME}家门口", "notes": f"户主{NAME}独居"}).id
    mid = store.create("member", {"household_id": hh, "name": NAME, "sex": "2", "relation": "02",
                                  "birth_date": "1950-03-07", "notes": NAME}).id
    store.create("member_phone", {"member_id": mid, "number": PHONE, "owner": "self", "note": NAME})
    store.update("member", mid, {"notes": f"{NAME}：女儿在外务工"})
    return mid


def test_positive_control_the_scan_finds_the_name_in_a_plain_database(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    conn = sqlite3.connect(folder / "lehe.db", isolation_level=None, check_same_thread=False)
    configure(conn)  # same pragmas: WAL, synchronous=FULL …
    conn.execute("BEGIN")
    for _n, _title, step in MIGRATIONS:
        step(conn)
    conn.executemany("INSERT OR IGNORE INTO vocab(vocab, code, zh, en, active, sort) VALUES (?,?,?,?,1,?)",
                     [(v, c, zh, en, i) for v, items in VOCABS.items() for i, (c, zh, en) in enumerate(items)])
    conn.executemany("INSERT INTO meta(k, v) VALUES (?, ?)", [("device_id", str(uuid.uuid4())),
                                                              ("epoch", str(uuid.uuid4()))])
    conn.execute("COMMIT")
    store = Store(conn, user="plain")
    write_people(store)
    found_open = scan(folder)
    store.close()
    found_closed = scan(folder)
    # Whether still in the WAL or checkpointed into the main file, the scan sees it.
    for found in (found_open, found_closed):
        hits = {label for labels in found.values() for label in labels}
        assert f"{NAME} (utf-8)" in hits and "phone" in hits, found
    assert "lehe.db" in found_closed


def test_no_file_in_the_data_folder_holds_a_stored_name(paths: DataPaths, passphrase: str, cli: CliRunner,
                                                       tmp_path: Path) -> None:
    store, _recovery = vault.setup(paths, passphrase, worker_name="社工甲")
    write_people(store)
    key = vault.keyfile(paths).unlock(passphrase)
    vault.backup(store, key, paths.backups / "manual.lehe-backup")
    # While the store is open the latest writes sit in the -wal file: scan that state too.
    assert Path(str(paths.database) + "-wal").exists()
    assert scan(paths.root) == {}
    store.close()
    # The CLI adds logs, an automatic backup (restore), a failed-unlock state and searches for the name.
    assert cli("search", NAME, "--json").returncode == 0
    assert NAME in cli("search", NAME[:2], "--json").stdout
    assert cli("stats", "--json", passphrase="wrong passphrase!").returncode == 3
    assert cli("backup", str(paths.backups / "cli.lehe-backup")).returncode == 0
    assert cli("restore", str(paths.backups / "manual.lehe-backup")).returncode == 0
    assert cli("demo", "--households", "20", "--seed", "1").returncode == 0
    files = {str(p.relative_to(paths.root)) for p in paths.root.rglob("*") if p.is_file()}
    assert {"lehe.db", "keys.json", "unlock-state.json", "logs/lehe-desktop.log"} <= files
    assert any(f.startswith("backups/auto-") for f in files) and "backups/cli.lehe-backup" in files
    assert scan(paths.root) == {}
    # A support bundle is compressed, so scan what is inside it.
    out = tmp_path / "support.zip"
    assert cli("diagnose", str(out)).returncode == 0
    with zipfile.ZipFile(out) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            assert not [label for label, needle in NEEDLES.items() if needle in data], info.filename


def test_diagnose_bundle_has_logs_versions_schema_and_counts(store: Store, paths: DataPaths, cli: CliRunner,
                                                             tmp_path: Path) -> None:
    write_people(store)
    store.close()
    assert cli("stats").returncode == 0     # something in the log
    out = tmp_path / "out" / "diag.zip"
    out.parent.mkdir()
    r = cli("diagnose", str(out))
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
        info = json.loads(zf.read("diagnose.json"))
        schema_sql = zf.read("schema.sql").decode()
    assert "logs/lehe-desktop.log" in names
    assert info["stats"]["households"] == 1 and info["stats"]["residents"] == 1
    assert info["schema"] == info["schema_supported"] and info["integrity"] == "ok"
    assert info["app"] and info["python"] and info["packages"]["sqlcipher3"] != "not installed"
    assert "CREATE TABLE members" in schema_sql


@pytest.mark.parametrize("setup", [False, True])
def test_diagnose_works_when_locked_or_not_set_up(paths: DataPaths, passphrase: str, cli: CliRunner,
                                                  tmp_path: Path, setup: bool) -> None:
    if setup:
        vault.setup(paths, passphrase)[0].close()
    out = tmp_path / "d.zip"
    r = cli("diagnose", str(out), passphrase="wrong passphrase!" if setup else None)
    assert r.returncode == 0, r.stderr
    with zipfile.ZipFile(out) as zf:
        info = json.loads(zf.read("diagnose.json"))
    assert info["set_up"] is setup
    assert info["open_error"] == ("unlock.wrong_passphrase" if setup else "setup.missing")
