"""Running the server as a service (issue 15): the listening line, the request log, /health, the
`stats` server block, the signing key file (permissions, moved out of the database by migrate,
rotation seen by real laptops), and backups taken while a laptop pushes, restored and served."""

from __future__ import annotations

import contextlib
import io
import json
import os
import select
import sqlite3
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import OTHER_VILLAGE, REPO, VILLAGE, LiveServer, household, make_laptop

from lehe_desktop.core.errors import NetworkError
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client, keyroll
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.server import ops
from lehe_desktop.server.cli import main as server_main
from lehe_desktop.server.keys import ServerKeys
from lehe_desktop.server.storage import ServerStorage


@contextlib.contextmanager
def serving(data_dir: Path, *extra: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`lehe-server serve --port 0` as its own process; the URL is read from the line it prints."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    proc = subprocess.Popen([sys.executable, "-m", "lehe_desktop.server.cli", "--data-dir", str(data_dir), "serve",
                             "--host", "127.0.0.1", "--port", "0", *extra], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 60)
        line = proc.stdout.readline() if ready else ""
        assert " listening on http" in line and "://127.0.0.1:" in line, (line, proc.poll())
        url = line.split(" listening on ", 1)[1].split()[0]
        yield url, proc
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def lehe_server(d: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The `lehe-server` command line run in this process (its real parser and handlers; the
    process start-up of each command would cost seconds on a busy machine)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = server_main(["--data-dir", str(d), *args])
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def setup_server(d: Path, *users: str) -> None:
    ServerStorage(d / "server.db").init()
    st = ServerStorage(d / "server.db").open()
    try:
        for user in users:
            st.add_user(user, "worker", [VILLAGE])
    finally:
        st.close()


def code_for(d: Path, user: str) -> str:
    st = ServerStorage(d / "server.db").open()
    try:
        return st.enroll_code(user, 1.0)[0]
    finally:
        st.close()


def laptop(tmp: Path, name: str, url: str, code: str) -> Store:
    store = make_laptop(tmp / name)
    client.enroll(store, url, code)
    return store


def test_request_log_has_who_and_how_long_but_no_contents(tmp_path: Path) -> None:
    d = tmp_path / "srv"
    setup_server(d, "小王")
    log_file = tmp_path / "log" / "requests.log"
    unique = "独一无二户主甲乙"
    with serving(d, "--request-log", str(log_file)) as (url, _proc):
        a = laptop(tmp_path, "a", url, code_for(d, "小王"))
        try:
            household(a, head=unique, address="幸福路13912345678号", notes="私密备注内容")
            assert client.sync_once(a).pushed > 0
            assert client.sync_once(a).pulled == 0
            httpx.get(f"{url}/sync/v1/nothing-here?who={unique}")
            device = a.device_id
        finally:
            a.close()
    text = log_file.read_text(encoding="utf-8")
    for secret in (unique, "13912345678", "私密备注内容", "who="):
        assert secret not in text
    lines = text.splitlines()
    push = [ln for ln in lines if f" POST {P.PUSH} device={device} status=200 " in ln]
    assert push and all(" ms=" in ln and " in=" in ln and " out=" in ln for ln in push)
    assert any(f" POST {P.ENROLL} device=- status=200 " in ln for ln in lines)
    assert sum(f" POST {P.HELLO} device={device} status=200 " in ln for ln in lines) == 2
    assert any(" GET (other) device=- status=404 " in ln for ln in lines)
    assert all(ln[:4].isdigit() and ln[23] == "Z" for ln in lines)      # UTC times


def test_health_says_whether_the_database_answers(tmp_path: Path) -> None:
    d = tmp_path / "srv"
    setup_server(d)
    log_file = tmp_path / "requests.log"
    with serving(d, "--request-log", str(log_file)) as (url, _proc):
        got = httpx.get(f"{url}/health")
        assert got.status_code == 200 and got.json()["ok"] is True and got.json()["db"] == "ok"
        assert P.H_REPLY_SIG not in got.headers and got.headers["cache-control"] == "no-store"
        (d / "server.db").rename(d / "moved.db")        # the database is gone from under the server
        down = httpx.get(f"{url}/health")
        assert down.status_code == 503 and down.json() == {**got.json(), "ok": False, "db": "unavailable"}
        (d / "moved.db").rename(d / "server.db")
        assert httpx.get(f"{url}/health").status_code == 200
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert [ln.split(" ", 1)[1].split(" ms=")[0] for ln in lines] == ["GET /health device=- status=503"]


def test_stats_keep_their_counts_and_add_the_server_block(tmp_path: Path) -> None:
    srv = LiveServer(tmp_path / "server").start()
    try:
        a = laptop(tmp_path, "a", srv.url, srv.code_for("小王"))
        laptop(tmp_path, "b", srv.url, srv.code_for("小李")).close()
        try:
            household(a, head="张三")
            household(a, village=OTHER_VILLAGE, head="界外户")       # outside 小王's areas: refused
            refused = client.sync_once(a).rejected     # the household and its village's area record
            assert refused >= 1
        finally:
            a.close()
        stats = json.loads(lehe_server(srv.root, "stats", "--json").stdout)
        plain = lehe_server(srv.root, "stats").stdout
    finally:
        srv.stop()
    assert stats["households"] == 1
    server = stats["server"]
    assert server == {"devices": 2, "active_devices_7d": 1, "held": 0, "refused": refused,
                      "db_bytes": server["db_bytes"]}
    assert server["db_bytes"] > 100_000
    assert "households: 1" in plain and "server.active_devices_7d: 1" in plain and "{" not in plain


def test_a_key_file_others_can_read_is_refused_with_a_coded_message(tmp_path: Path) -> None:
    d = tmp_path / "srv"
    setup_server(d)
    key_file = d / "server.keys"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert "sqlite" not in key_file.read_text()[:20] and "server_private_key" not in str(
        sqlite3.connect(d / "server.db").execute("SELECT group_concat(k) FROM meta").fetchone())
    (tmp_path / "not-a-folder").write_text("")
    unwritable = lehe_server(d, "serve", "--port", "0", "--request-log", str(tmp_path / "not-a-folder" / "r.log"))
    assert unwritable.returncode == 7 and "serve.request_log" in unwritable.stderr
    key_file.chmod(0o640)
    refused = lehe_server(d, "serve", "--port", "0")
    assert refused.returncode == 7 and "server.key_permissions" in refused.stderr
    assert "chmod 600" in refused.stderr and str(key_file) in refused.stderr
    assert lehe_server(d, "add-area", VILLAGE).returncode == 7      # signs the area: needs the key too
    key_file.chmod(0o600)
    assert lehe_server(d, "add-area", VILLAGE).returncode == 0
    key_file.rename(d / "elsewhere.keys")
    missing = lehe_server(d, "serve", "--port", "0")
    assert missing.returncode == 7 and "server.key_missing" in missing.stderr
    moved = lehe_server(d, "--key-file", str(d / "elsewhere.keys"), "keys", "--json")
    assert moved.returncode == 0 and len(json.loads(moved.stdout)) == 1


def test_migrate_moves_the_key_out_of_an_older_database(tmp_path: Path) -> None:
    srv = LiveServer(tmp_path / "server").start()
    try:
        a = make_laptop(tmp_path / "a")
        client.enroll(a, srv.url, srv.code_for("小王"))
        household(a, head="迁移前")
        client.sync_once(a)
    finally:
        srv.stop()
    # The database as an older server kept it: the key in meta, server schema 3, no key file.
    keys = ServerKeys(srv.db.with_name("server.keys")).load()
    private, public = keys.entries()[0].private, keys.public()
    conn = sqlite3.connect(srv.db)
    conn.executemany("INSERT INTO meta(k, v) VALUES (?, ?)",
                     [("server_private_key", private), ("server_public_key", public), ])
    conn.execute("UPDATE meta SET v = '3' WHERE k = 'server_schema'")
    # … and without what server schemas 5 and 6 added (audit heads; bundles and encryption keys).
    for sql in ("DROP TABLE audit_heads", "DROP TABLE bundles_in", "DROP TABLE bundles_held",
                "ALTER TABLE devices DROP COLUMN enc_key", "ALTER TABLE devices DROP COLUMN bundle_cursor"):
        conn.execute(sql)
    conn.commit()
    conn.close()
    keys.path.unlink()
    needs = lehe_server(srv.root, "stats")
    assert needs.returncode == 6 and "server.needs_migrate" in needs.stderr
    ServerKeys(keys.path).create()              # some other server's key file in the way
    clash = lehe_server(srv.root, "migrate")
    assert clash.returncode == 7 and "server.key_mismatch" in clash.stderr
    keys.path.unlink()
    out = lehe_server(srv.root, "migrate")
    assert out.returncode == 0, out.stderr
    assert keys.path.stat().st_mode & 0o777 == 0o600 and ServerKeys(keys.path).public() == public
    conn = sqlite3.connect(srv.db)
    assert conn.execute("SELECT count(*) FROM meta WHERE k LIKE 'server_p%_key'").fetchone()[0] == 0
    conn.close()
    again = LiveServer(tmp_path / "server", existing=True).start()
    try:
        with a.transaction():
            a.set_meta("sync_server", again.url)
        household(a, head="迁移后")
        got = client.sync_once(a)                # replies verified with the key it pinned at enrolment
        assert got.pushed == 1 and got.rejected == 0
        assert a.meta()["sync_server_key"] == public
    finally:
        again.stop()
        a.close()


class ForgedRotation(httpx.HTTPTransport):
    """Someone on the network without the server's key: every reply re-signed with their own key,
    with an announcement of it that is signed by that key too (not by the pinned one)."""

    def __init__(self, pinned: str) -> None:
        super().__init__()
        self.key = P.new_private_key()
        mine = P.public_b64(self.key)
        self.header = keyroll.chain_header([(pinned, mine, keyroll.endorse(self.key, mine))])

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        resp = super().handle_request(request)
        body = resp.read()
        sig = self.key.sign(P.reply_message("POST", request.url.path, request.headers[P.H_NONCE],
                                            resp.status_code, body))
        return httpx.Response(resp.status_code, content=body, headers={
            "content-type": "application/json", P.H_REPLY_SIG: P.b64e(sig), keyroll.H_SERVER_KEYS: self.header})


def test_a_rotated_key_is_learned_by_laptops_at_their_next_sync(tmp_path: Path) -> None:
    srv = LiveServer(tmp_path / "server").start()
    a = make_laptop(tmp_path / "a")
    b = make_laptop(tmp_path / "b")
    try:
        client.enroll(a, srv.url, srv.code_for("小王"))
        client.enroll(b, srv.url, srv.code_for("小李"))
        first = a.meta()["sync_server_key"]
        household(a, head="轮换前")
        client.sync_once(a)
        client.sync_once(b)
        # Rotated by the administrator while the server runs (the command writes the key file; the
        # server notices the file changed and signs its next reply with the new key).
        out = lehe_server(srv.root, "rotate-key")
        assert out.returncode == 0, out.stderr
        second = ServerKeys(srv.db.with_name("server.keys")).public()
        assert second != first and second in out.stdout
        household(a, head="轮换后")
        assert client.sync_once(a).pushed == 1
        assert a.meta()["sync_server_key"] == second
        # b was away for two rotations: it follows the announcements from the key it pinned.
        assert lehe_server(srv.root, "rotate-key").returncode == 0
        third = ServerKeys(srv.db.with_name("server.keys")).public()
        assert b.meta()["sync_server_key"] == first
        got = client.sync_once(b)
        assert got.pulled == 1 and b.meta()["sync_server_key"] == third
        assert {r["head_name"] for r in b.query_dicts("SELECT head_name FROM households")} >= {"轮换前", "轮换后"}
        # A stranger's "rotation" (not signed by the pinned key) is refused and changes nothing.
        household(b, head="不该上传")
        with pytest.raises(NetworkError) as err:
            client.sync_once(b, transport=ForgedRotation(third))
        assert err.value.code == "sync.bad_reply_signature" and b.meta()["sync_server_key"] == third
        # A new laptop enrols with the newest key; every key is kept in the file.
        c = make_laptop(tmp_path / "c")
        client.enroll(c, srv.url, srv.code_for("小张"))
        assert c.meta()["sync_server_key"] == third
        c.close()
        listed = json.loads(lehe_server(srv.root, "keys", "--json").stdout)
        assert [k["public"] for k in listed] == [first, second, third] and listed[-1]["current"]
    finally:
        srv.stop()
        a.close()
        b.close()


def test_backups_taken_while_a_laptop_pushes_are_consistent_and_restore_serves(tmp_path: Path) -> None:
    srv = LiveServer(tmp_path / "server").start()
    d = srv.root
    batch, total = 10, 200
    backups: list[Path] = []
    try:
        a = laptop(tmp_path, "a", srv.url, srv.code_for("小王"))
        b = laptop(tmp_path, "b", srv.url, srv.code_for("小李"))
        origin = a.origin
        with a.transaction():
            for i in range(total):
                household(a, head=f"备份户{i}")
        own = a.unsent_count()
        pushing = threading.Thread(target=client.sync_once, args=(a,), kwargs={"batch": batch})
        pushing.start()
        while pushing.is_alive() or not backups:
            out = tmp_path / f"backup-{len(backups)}.db"
            ops.backup(d / "server.db", out)      # what `lehe-server backup` runs (below, once)
            backups.append(out)
        pushing.join()
        assert a.unsent_count() == 0
        cli = lehe_server(d, "backup", str(tmp_path / "final.db"), "--json")
        assert cli.returncode == 0, cli.stderr
        assert json.loads(cli.stdout)["high_water"] > 0
        assert lehe_server(d, "backup", str(tmp_path / "final.db")).returncode == 7      # never overwritten
        busy = lehe_server(d, "restore", str(tmp_path / "final.db"))
        assert busy.returncode == 7 and "restore.in_use" in busy.stderr      # the server still runs
        # After the backups: an area made (and signed) by the server, which b pulls; then the key
        # is rotated, so the server's proof of that area is made with a key that is no longer current.
        assert lehe_server(d, "add-area", f"{VILLAGE}/三组").returncode == 0
        assert client.sync_once(b).pulled > 0
        assert lehe_server(d, "rotate-key").returncode == 0
    finally:
        srv.stop()
    counts = []
    for f in backups:
        conn = sqlite3.connect(f)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n = conn.execute("SELECT count(*) FROM changes WHERE origin = ?", (origin,)).fetchone()[0]
        conn.close()
        assert n % batch == 0 or n == own          # whole pushes only: each is one transaction
        counts.append(n)
    assert any(0 < n < own for n in counts), counts          # at least one taken in the middle
    middle = next(f for f, n in zip(backups, counts, strict=True) if 0 < n < own)
    assert (middle.stat().st_mode & 0o777) == 0o600
    # The server is lost; the administrator restores the backup from the middle of the push.
    restored = lehe_server(d, "restore", str(middle), "--json")
    assert restored.returncode == 0, restored.stderr
    assert Path(json.loads(restored.stdout)["replaced"]).exists()
    again = LiveServer(d, existing=True).start()
    try:
        for store in (a, b):
            with store.transaction():
                store.set_meta("sync_server", again.url)
        # A new server epoch: b sends what the server lost, a's households with a's proofs and the
        # server's own area with the server's proof under its previous key; nothing is refused.
        assert client.sync_once(b).rejected == 0
        assert again.storage.store.query_value("SELECT count(*) FROM areas WHERE path = ?", (f"{VILLAGE}/三组",)) == 1
        assert client.sync_once(a).rejected == 0
        client.sync_once(b)
        heads = {r["head_name"] for r in b.query_dicts("SELECT head_name FROM households")}
        assert {f"备份户{i}" for i in range(total)} <= heads
    finally:
        again.stop()
        a.close()
        b.close()
    bad = lehe_server(d, "restore", str(tmp_path / "b" / "keys.json"))
    assert bad.returncode == 7 and "restore.not_a_backup" in bad.stderr


def test_serve_speaks_https_with_its_own_certificate(tmp_path: Path) -> None:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    d = tmp_path / "srv"
    setup_server(d)
    with serving(d, "--request-log", str(tmp_path / "r.log"), "--tls-cert", str(cert_file), "--tls-key",
                 str(key_file)) as (url, _proc):
        assert url.startswith("https://127.0.0.1:")
        trusting = ssl.create_default_context(cafile=str(cert_file))
        assert httpx.get(f"{url}/health", verify=trusting).json()["ok"] is True
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/health")          # not a certificate this machine trusts
    half = lehe_server(d, "serve", "--port", "0", "--tls-cert", str(cert_file))
    assert half.returncode == 2 and "serve.tls" in half.stderr
