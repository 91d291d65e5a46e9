"""Careless or hostile command lines an admin or a coordinator really types: each is one coded
error line with its documented exit code, never ``error [internal]`` or a traceback, and nothing
is left behind. The commands run in-process (the same ``main`` as the installed command)."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from lehe_desktop.cli.main import main
from lehe_desktop.core.bundles import format as F
from lehe_desktop.core.errors import LeheError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import backup_file, vault
from lehe_desktop.core.sync.protocol import check_server_url
from lehe_desktop.server.cli import main as server_main

PASSPHRASE = "correct horse 42"


@pytest.fixture(autouse=True)
def cli_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """LEHE_PASSPHRASE as a script sets it; the root logger as it was (main adds a log file)."""
    for k in [k for k in os.environ if k.startswith("LEHE_")]:
        monkeypatch.delenv(k)
    monkeypatch.setenv("LEHE_PASSPHRASE", PASSPHRASE)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for h in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(h)
        h.close()
    root.setLevel(level)


@pytest.fixture(scope="module")
def set_up_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("template") / "data"
    store, _ = vault.setup(DataPaths(root=data, logs=data / "logs"), PASSPHRASE)
    store.close()
    return data


@pytest.fixture
def ready(set_up_once: Path, tmp_path: Path) -> Path:
    """A set-up data folder of its own (a copy: setting up costs a key derivation and migrations)."""
    return Path(shutil.copytree(set_up_once, tmp_path / "data"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "[internal]" not in err, err
    return code, out, err


def test_a_data_folder_that_is_a_file_is_a_coded_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    in_the_way = tmp_path / "data"
    in_the_way.write_text("not a folder")
    code, _out, err = run(capsys, "--data-dir", str(in_the_way), "init")
    assert code == 1 and err.startswith("error [file.io]: ") and str(in_the_way) in err
    assert in_the_way.read_text() == "not a folder"


def test_exports_into_a_path_that_cannot_be_written(ready: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    code, _out, err = run(capsys, "--data-dir", str(ready), "export", str(a_file / "out"), "--format", "csv")
    assert code == 1 and "error [file.io]" in err
    folder = tmp_path / "stick"
    folder.mkdir()
    code, _out, err = run(capsys, "--data-dir", str(ready), "--lang", "en", "conflicts",
                          "--export-rejected", str(folder))
    assert code == 1 and err == f"error [file.io]: Cannot read or write {folder}: it is a folder; a file is needed\n"
    assert list(tmp_path.glob("*.part")) == [] and list(folder.iterdir()) == []


def test_a_bundle_that_cannot_be_written_leaves_no_part_file(tmp_path: Path) -> None:
    """A folder where the .lehe should go (or a stick pulled out): no half bundle stays behind."""
    out = tmp_path / "stick" / "to-server.lehe"
    out.mkdir(parents=True)
    recipient = X25519PrivateKey.generate().public_key().public_bytes_raw()
    with pytest.raises(IsADirectoryError):
        F.seal(out, sender="laptop-1", sign_key=Ed25519PrivateKey.generate(), recipients={"server": recipient},
               manifest={}, parts=[])
    assert sorted(p.name for p in out.parent.iterdir()) == ["to-server.lehe"] and out.is_dir()


def test_the_server_names_a_folder_it_cannot_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    in_the_way = tmp_path / "srv"
    in_the_way.write_text("x")
    assert server_main(["--data-dir", str(in_the_way / "lehe"), "init"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error [file.io]: ") and "a part of the path is a file, not a folder" in err
    assert "Traceback" not in err and in_the_way.read_text() == "x"


def test_restoring_an_empty_file_is_refused_before_anything_is_kept_or_replaced(
        ready: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An empty file opens as an empty database with any key: it used to get past the checks,
    an automatic backup was written and the restore then failed as `db.operational`."""
    empty = tmp_path / "backup-on-stick.db"
    empty.write_bytes(b"")
    before = sorted(p.name for p in ready.rglob("*") if "logs" not in p.parts)
    code, _out, err = run(capsys, "--data-dir", str(ready), "restore", str(empty))
    assert code == 1 and err.startswith("error [restore.not_a_backup]: ")
    assert sorted(p.name for p in ready.rglob("*") if "logs" not in p.parts) == before


def test_a_mistyped_server_address_is_sync_bad_url(ready: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "--data-dir", str(ready), "enroll", "--server", "http://[::1",
                          "--code", "ABCD-EFGH-JKLM-NPQR")
    assert code == 2 and err.startswith("error [sync.bad_url]: ")
    for url in ("https://sync.example.org:99999", "https://sync.example.org:8x"):   # the same check, directly
        with pytest.raises(LeheError) as refused:
            check_server_url(url)
        assert refused.value.code == "sync.bad_url" and refused.value.exit_code == 2, url


def test_serve_refuses_a_bad_port_or_certificate_before_it_says_it_listens(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    srv = tmp_path / "srv"
    assert server_main(["--data-dir", str(srv), "init"]) == 0
    capsys.readouterr()
    assert server_main(["--data-dir", str(srv), "serve", "--port", "99999"]) == 2
    assert capsys.readouterr().err.startswith("error [serve.port]: ")
    # --host "$LEHE_HOST" with the variable unset: not every interface by accident.
    assert server_main(["--data-dir", str(srv), "serve", "--host", "", "--port", "0"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error [serve.host]: ")
    assert server_main(["--data-dir", str(srv), "serve", "--port", "0", "--tls-cert", str(tmp_path / "no.pem"),
                        "--tls-key", str(tmp_path / "no.key")]) == 7
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error [serve.tls_files]: ") and "Traceback" not in err


def test_enroll_code_hours_out_of_range_are_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    srv = ["--data-dir", str(tmp_path / "srv")]
    assert server_main([*srv, "init"]) == 0
    assert server_main([*srv, "add-user", "小王", "--role", "worker", "--areas", "重庆市/巫溪县/白鹿镇/乐和村"]) == 0
    capsys.readouterr()
    for hours in ("inf", "1e300", "nan", "0"):
        assert server_main([*srv, "enroll-code", "小王", "--expires", hours]) == 2, hours
        out, err = capsys.readouterr()
        assert out == "" and err.startswith("error [code.expires]: ") and "Traceback" not in err


def test_a_refused_change_key_out_of_range_is_reject_bad_key(ready: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for key in ("laptop:99999999999999999999999", "laptop:²"):
        code, _out, err = run(capsys, "--data-dir", str(ready), "conflicts", "--dismiss-rejected", key)
        assert code == 2 and err.startswith("error [reject.bad_key]: "), key


def test_diagnose_into_a_folder_or_under_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`diagnose .` (or a folder) used to be error [internal] / a misleading diagnose.failed."""
    folder = tmp_path / "stick"
    folder.mkdir()
    data = ["--data-dir", str(tmp_path / "not-set-up")]
    code, _out, err = run(capsys, *data, "diagnose", str(folder))
    assert code == 0 and [p.suffix for p in folder.iterdir()] == [".zip"], err
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    code, _out, err = run(capsys, *data, "diagnose", str(a_file / "d.zip"))
    assert code == 1 and err.startswith("error [file.io]: ") and "不是文件夹" in err and a_file.read_text() == "x"


def test_an_xlsx_with_damaged_compressed_data_is_roster_unreadable(ready: Path, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A flipped bit on a USB stick inside a sheet's deflate stream was a zlib.error (error [internal])."""
    import zipfile

    book = tmp_path / "花名册.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + "<row><c>王大山</c></row>" * 500 + "</worksheet>")
    data = bytearray(book.read_bytes())
    start = 30 + len("xl/worksheets/sheet1.xml")   # the local header, then the deflate stream
    data[start] = 0xFF                               # a block of the reserved type 3: "invalid block type"
    book.write_bytes(bytes(data))
    code, _out, err = run(capsys, "--data-dir", str(ready), "import-roster", str(book))
    assert code == 4 and err.startswith("error [roster.unreadable]: ")


@pytest.mark.parametrize("url", ["sqlite:///", "sqlite:///."])
def test_a_sqlite_url_without_a_file_is_server_db_url(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert server_main(["--db", url, "stats"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error [server.db_url]: ") and "Traceback" not in err


def test_output_into_a_pipe_that_was_closed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`lehe-server keys --json | head -c 1`, `lehe-desktop conflicts | head`: the reader goes away
    before the output is written. Exit 141 (as the shell reports for SIGPIPE), no error line and
    no 'Exception ignored … BrokenPipeError' at exit; it used to be error [internal]."""
    srv = tmp_path / "srv"
    assert server_main(["--data-dir", str(srv), "init"]) == 0
    capsys.readouterr()
    proc = subprocess.Popen([sys.executable, "-m", "lehe_desktop.server.cli", "--data-dir", str(srv), "keys", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.close()                     # the reader is gone before anything is written
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 141 and err.decode() == ""


def test_a_damaged_unlock_counter_is_no_crash_and_no_hang(ready: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """unlock-state.json is a file on disk like any other: a list, an infinite count (error [internal])
    or an absurd one (2 ** (10**12) never finished computing) must not keep the worker out."""
    state = ready / "unlock-state.json"
    for damaged in ("[]", '{"failures": 1e999}'):
        state.write_text(damaged)
        assert run(capsys, "--data-dir", str(ready), "stats", "--json")[0] == 0
    # In a process of its own: without the cap this one never returns.
    state.write_text('{"failures": 1000000000000, "last_failure": 1e12}')
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")} | {"LEHE_PASSPHRASE": PASSPHRASE}
    r = subprocess.run([sys.executable, "-m", "lehe_desktop", "--data-dir", str(ready), "stats", "--json"],
                       capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    # A failure "in the future" waits out the capped delay (5 minutes), not 31,000 years.
    seconds = re.search(r"请 (\d+) 秒后再试", r.stderr)
    assert r.returncode == 3 and "unlock.backoff" in r.stderr and seconds and int(seconds[1]) <= 301, r.stderr


def test_a_backup_header_with_altered_key_parameters_is_not_a_backup(
        ready: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A backup found on a stick is hostile input: its header's Argon2 parameters are used before
    the passphrase can be checked. Wrong types were error [internal]; 200 passes cost seconds and
    64 GiB of memory would have been asked for. Refused at once, and nothing is set up."""
    paths = DataPaths(root=ready, logs=ready / "logs")
    store = vault.unlock(paths, PASSPHRASE)
    try:
        backup = vault.backup(store, vault.keyfile(paths).unlock(PASSPHRASE), tmp_path / "b.lehe-backup", paths=paths)
    finally:
        store.close()
    raw = backup.read_bytes()
    size = int.from_bytes(raw[len(backup_file.MAGIC):len(backup_file.MAGIC) + 4], "big")
    start = len(backup_file.MAGIC) + 4
    monkeypatch.setenv("LEHE_NEW_PASSPHRASE", "另一个很长的密码 blue-horse-99")
    other = tmp_path / "other-laptop"
    for kdf in ({"salt_b64": "!!not base64"}, {"iterations": "3"}, {"lanes": 0}, {"iterations": 200},
                {"memory_kib": 64 * 1024 * 1024}):
        header = json.loads(raw[start:start + size])
        header["kdf"].update(kdf)
        body = json.dumps(header).encode()
        backup.write_bytes(backup_file.MAGIC + len(body).to_bytes(4, "big") + body + raw[start + size:])
        code, _out, err = run(capsys, "--data-dir", str(other), "restore", str(backup))
        assert code == 1 and err.startswith("error [restore.not_a_backup]: "), kdf
        assert not (other / "keys.json").exists() and not (other / "lehe.db").exists()


@pytest.mark.parametrize("content", [bytes(range(256)) * 64, b"", "another program's"])
@pytest.mark.parametrize("command", ["stats", "migrate"])
def test_a_server_database_that_is_no_database(tmp_path: Path, content: bytes | str, command: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """--db pointing at a laptop's encrypted lehe.db, a damaged or empty file, another program's
    SQLite database: one coded line (not error [internal], not 'run migrate'), the file unchanged."""
    junk = tmp_path / "server.db"
    if isinstance(content, str):
        sqlite3.connect(junk).execute("CREATE TABLE notes (x)").connection.close()
    else:
        junk.write_bytes(content)
    before = junk.read_bytes()
    assert server_main(["--db", f"sqlite:///{junk}", command]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error [server.db_unreadable]: ") and "Traceback" not in err
    assert junk.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["server.db"]


def test_import_roster_lists_at_most_200_problems_and_ends_with_the_summary(
        ready: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One wrong column in a big roster printed a line per row (37,500 for a county) and the summary
    scrolled away; --json still lists every one."""
    rows = ["村,组,户主姓名,姓名,与户主关系,性别", "重庆市/巫溪县/白鹿镇/乐和村,1组,王大山,王大山,户主,男"]
    rows += [f"重庆市/巫溪县/白鹿镇/乐和村,1组,王大山,王小{i},子女,女" for i in range(250)]   # 子女: not a relation
    roster_file = tmp_path / "花名册.csv"
    roster_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(ready), "import-roster", str(roster_file))
    lines = err.splitlines()
    assert code == 4 and len(lines) == 201 and all("roster.relation_unknown" in x for x in lines[:200])
    assert "more not listed (--json lists all)" in lines[-1] and out.startswith("已导入 1 人")
    code, out, _err = run(capsys, "--data-dir", str(ready), "import-roster", str(roster_file), "--json")
    assert code == 4 and len(json.loads(out)["errors"]) == 250


def test_pdf_into_a_folder_is_one_line_without_a_qt_warning(ready: Path, tmp_path: Path,
                                                            capfd: pytest.CaptureFixture[str]) -> None:
    """`--pdf` naming a folder (or a path under a missing one): Qt printed 'QPainter::begin():
    Returned false' before the coded line (capfd: Qt writes to the file descriptor itself)."""
    from lehe_desktop.__main__ import main as app_main

    store = vault.unlock(DataPaths(root=ready, logs=ready / "logs"), PASSPHRASE)
    try:
        store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    finally:
        store.close()
    code = app_main(["--data-dir", str(ready), "--pdf", str(tmp_path), "--print", "board",
                     "--area", "重庆市/巫溪县/白鹿镇/乐和村"])
    err = capfd.readouterr().err
    assert code == 1 and err.startswith("error [pdf.write]: ") and len(err.splitlines()) == 1


def test_a_server_address_with_a_wrong_path_says_so(ready: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """`enroll --server https://host/lehe` where the service is at the root: the reply was
    'http.not_found: 没有这个接口' (no such endpoint), which tells a coordinator nothing."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
    from sync_harness import LiveServer

    srv = LiveServer(tmp_path / "srv").start()
    try:
        code, _out, err = run(capsys, "--data-dir", str(ready), "--lang", "en", "enroll",
                              "--server", srv.url + "/lehe", "--code", srv.code_for("小王"))
    finally:
        srv.stop()
    assert code == 8 and err.startswith("error [http.not_found]: There is no Lehe sync service at this address")


def test_a_passphrase_variable_that_is_not_utf8(ready: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """LEHE_PASSPHRASE exported from a GBK terminal: bytes Python keeps as surrogates. Deriving the
    key raised UnicodeEncodeError: error [internal] for commands, a bare traceback for --pdf."""
    from lehe_desktop.__main__ import main as app_main

    monkeypatch.setenv("LEHE_PASSPHRASE", os.fsdecode("中文密码很长".encode("gbk")))
    code, _out, err = run(capsys, "--data-dir", str(ready), "stats")
    assert code == 3 and err.startswith("error [unlock.passphrase_encoding]: ")
    code = app_main(["--data-dir", str(ready), "--pdf", str(ready / "x.pdf"), "--print", "board", "--area", "乐和村"])
    _out, err = capsys.readouterr()
    assert code == 3 and err.startswith("error [unlock.passphrase_encoding]: ") and "Traceback" not in err


def test_set_minimum_and_add_user_tell_the_admin_what_they_did(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """`set-minimum --app banana` was stored and read as version 0 (no minimum at all) without a
    word; `add-user --areas 乐和村` (a typo for the full path) silently made a new top-level area."""
    srv = ["--data-dir", str(tmp_path / "srv")]
    assert server_main([*srv, "init"]) == 0
    assert server_main([*srv, "add-area", "重庆市/巫溪县/白鹿镇/乐和村"]) == 0
    capsys.readouterr()
    assert server_main([*srv, "set-minimum", "--app", "banana"]) == 2
    assert capsys.readouterr().err.startswith("error [minimum.app]: ")
    assert server_main([*srv, "set-minimum", "--schema", "0"]) == 2
    assert capsys.readouterr().err.startswith("error [minimum.schema]: ")
    assert server_main([*srv, "set-minimum", "--app", "0.2.0"]) == 0
    assert capsys.readouterr().out == "minimum: schema 1, app 0.2.0\n"
    assert server_main([*srv, "add-user", "小王", "--role", "worker", "--areas", "重庆市/巫溪县/白鹿镇/乐和村,乐和村"]) == 0
    out, err = capsys.readouterr()
    assert out == "user 小王: worker\n" and err == "新建地区（之前没有）/ new area (it did not exist): 乐和村\n"
    # `stats` without --json: the "server" block a line each, not a Python dict
    assert server_main([*srv, "stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "server.devices: 0" in lines and not any("{" in line for line in lines)


def test_restoring_a_servers_database_on_a_new_laptop_is_not_a_backup(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """An unencrypted SQLite file (the server's server.db, another program's) or an empty one used
    to be 'restore.needs_own_laptop: this backup has the old format' on a laptop without keys."""
    plain = tmp_path / "server.db"
    sqlite3.connect(plain).execute("CREATE TABLE meta (k, v)").connection.close()
    empty = tmp_path / "empty.lehe-backup"
    empty.write_bytes(b"")
    for source in (plain, empty):
        code, _out, err = run(capsys, "--data-dir", str(tmp_path / "new-laptop"), "restore", str(source))
        assert code == 1 and err.startswith("error [restore.not_a_backup]: "), source
    assert not (tmp_path / "new-laptop" / "keys.json").exists()


def test_a_limit_below_one_is_a_usage_error_not_an_answer(ready: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `audit list --limit 0` printed one entry and `search --limit -1` nothing: both looked like data.
    for argv in (("search", "王", "--limit", "-1"), ("search", "王", "--limit", "0"),
                 ("audit", "list", "--limit", "0"), ("bundles", "--overdue-days", "-1")):
        with pytest.raises(SystemExit) as stopped:      # argparse's own exit, as from a shell
            main(["--data-dir", str(ready), *argv])
        out, err = capsys.readouterr()
        assert stopped.value.code == 2 and out == "" and "error [usage]: " in err and "至少为" in err, argv
    code, out, _err = run(capsys, "--data-dir", str(ready), "audit", "list", "--limit", "1", "--json")
    assert code == 0 and isinstance(json.loads(out), list)    # 1 is a limit


def test_a_server_backup_into_a_folder_gets_a_time_stamped_file(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    # As the laptops' `backup DIR` does; it was backup.exists ("the file exists") for the folder.
    srv = tmp_path / "srv"
    assert server_main(["--data-dir", str(srv), "init"]) == 0
    folder = tmp_path / "backups"
    folder.mkdir()
    capsys.readouterr()
    assert server_main(["--data-dir", str(srv), "backup", str(folder), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)["file"]
    assert [p.name for p in folder.iterdir()] == [Path(made).name]
    assert re.fullmatch(r"lehe-server-\d{8}T\d{6}Z\.db", Path(made).name)
    assert server_main(["--data-dir", str(srv), "backup", made]) == 7          # a file: never overwritten
    assert "backup.exists" in capsys.readouterr().err
