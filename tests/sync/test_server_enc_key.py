"""The server's bundle encryption key (X25519) rotates with its signing key (issue 14): the new key
is announced by the old signing key in the signed device directory, every old decryption key is
kept in the key file (never in the database), laptops seal to the new key after their next sync or
server bundle, a laptop away through two rotations still works, and a forged announcement is
refused with its code. Real server on 127.0.0.1 (SQLite, and PostgreSQL where marked), real
laptops, real bundle files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pg_cluster import both_backends
from sync_harness import LiveServer, household, make_laptop

from lehe_desktop.core.bundles import format as F
from lehe_desktop.core.bundles import laptop
from lehe_desktop.core.bundles.errors import BundleError
from lehe_desktop.core.errors import LeheError, StateError
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client, keyroll
from lehe_desktop.core.sync import directory as D
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.server import bundles, keys
from lehe_desktop.server.storage import ServerStorage


def _worker(tmp: Path, srv: LiveServer, name: str = "w", user: str = "小王") -> Store:
    store = make_laptop(tmp / name)
    client.enroll(store, srv.url, srv.code_for(user))
    return store


def _sealed_to(path: Path) -> set[str]:
    """The encryption keys (public, base64) a bundle file is sealed to, from its clear envelope."""
    data = path.read_bytes()
    n = int.from_bytes(data[10:14], "big")
    return {r["key"] for r in json.loads(data[14:14 + n])["recipients"]}


def _server_enc(srv: LiveServer) -> str:
    current = srv.storage.keys.enc_current()
    assert current is not None
    return D.x25519_b64(current)


@both_backends
def test_rotation_keeps_old_keys_and_laptops_seal_to_the_new_one(tmp_path: Path, live_server: LiveServer) -> None:
    st = live_server.storage
    w = _worker(tmp_path, live_server)
    old_enc = _server_enc(live_server)
    assert D.directory(w)["server"]["enc_key"] == old_enc
    household(w)
    before = tmp_path / "before.lehe"
    laptop.export_bundle(w, before)
    assert old_enc in _sealed_to(before)
    entry = st.keys.rotate()
    new_enc = _server_enc(live_server)
    assert new_enc == entry.enc_public and new_enc != old_enc
    # The private keys are in the key file only, never in the database.
    assert st.meta("server_enc_key") is None and st.meta("server_enc_key_old") is None
    # A bundle sealed to the old key still opens.
    got = bundles.import_bundle(st, before)
    assert got.applied > 0 and got.refused == 0
    # The next sync brings the new key (announced by the old signing key) and the laptop seals to it.
    client.sync_once(w)
    server = D.directory(w)["server"]
    assert server["enc_key"] == new_enc and w.meta()["sync_server_key"] == st.keys.public()
    assert keyroll.enc_announced(server["public_key"], new_enc, server["enc_key_by"], server["enc_key_sig"],
                                 server.get("enc_key_step"))
    assert server["enc_key_by"] == st.keys.entries()[-2].public       # the old signing key announced it
    household(w, head="轮换后")
    after = tmp_path / "after.lehe"
    laptop.export_bundle(w, after)
    assert new_enc in _sealed_to(after) and old_enc not in _sealed_to(after)
    current = st.keys.enc_current()
    assert current is not None
    F.open_bundle(after, me=st.store.device_id, my_keys=[current],
                  sender_key=lambda s, m: (P.public_b64(P.load_private(w.meta()["sync_device_key"])), False))
    assert bundles.import_bundle(st, after).applied > 0


def test_a_laptop_away_through_two_rotations_still_works(tmp_path: Path, live_server: LiveServer) -> None:
    """USB only: it learns both rotations from the server's receipt (or bundle), each step signed
    by the key before, and seals its next bundle to the newest key."""
    st = live_server.storage
    w = _worker(tmp_path, live_server)
    pinned = w.meta()["sync_server_key"]
    household(w)
    first = tmp_path / "first.lehe"
    laptop.export_bundle(w, first)
    st.keys.rotate()
    st.keys.rotate()
    got = bundles.import_bundle(st, first)                     # sealed to the first key: still opens
    assert got.applied > 0 and got.receipt
    took = laptop.import_receipt(w, Path(got.receipt))         # signed by the third signing key
    assert took["acknowledged"] == got.applied and w.to_send_count() == 0
    assert w.meta()["sync_server_key"] == st.keys.public() != pinned
    assert D.directory(w)["server"]["enc_key"] == _server_enc(live_server)
    household(w, head="第二次")
    second = tmp_path / "second.lehe"
    laptop.export_bundle(w, second)
    assert _sealed_to(second) & {_server_enc(live_server)}
    assert bundles.import_bundle(st, second).applied > 0
    # A second laptop, also away since before both rotations, learns them from the server's bundle.
    other = _worker(tmp_path, live_server, "o", "小李")
    st.keys.rotate()
    down = tmp_path / "down.lehe"
    bundles.export_bundle(st, down, device_id=other.device_id)
    assert laptop.import_bundle(other, down).applied > 0
    assert other.meta()["sync_server_key"] == st.keys.public()
    assert D.directory(other)["server"]["enc_key"] == _server_enc(live_server)
    # The network sync afterwards checks out with the key learned from the stick.
    client.sync_once(other)


def test_a_forged_announcement_is_refused(tmp_path: Path, live_server: LiveServer) -> None:
    st = live_server.storage
    w = _worker(tmp_path, live_server)
    pinned = w.meta()["sync_server_key"]
    kept = w.meta()["bundle_directory"]
    stranger = P.new_private_key()
    theirs = P.public_b64(stranger)
    # (1) A "server bundle" signed by a stranger who announces its own key as the server's next one.
    fake = tmp_path / "fake.lehe"
    F.seal(fake, sender=st.store.device_id, sign_key=stranger,
           recipients={w.device_id: F.raw_public(D.enc_key(w))},
           manifest={"kind": "changes", "direction": "pull", "assumed": {},
                     "server_keys": keyroll.chain_header([(pinned, theirs, keyroll.endorse(stranger, theirs))])},
           parts=[])
    with pytest.raises(BundleError) as err:
        laptop.import_bundle(w, fake)
    assert err.value.code == "bundle.tampered"
    assert w.meta()["sync_server_key"] == pinned and w.meta()["bundle_directory"] == kept
    # (2) A directory (even signed by the server's key) whose encryption key a stranger announced.
    attacker = D.x25519_b64(X25519PrivateKey.generate())
    data = json.loads(kept)
    data["issued_ms"] += 1
    data["server"].update(enc_key=attacker, enc_key_by=theirs,
                          enc_key_sig=keyroll.endorse_enc(stranger, pinned, attacker))
    for server in (data["server"], {k: v for k, v in data["server"].items() if not k.startswith("enc_key_")}
                   | {"enc_key": attacker}):
        text = json.dumps({**data, "server": server})
        sig = P.b64e(st.keys.signer().sign(D.directory_message(text)))
        with pytest.raises(LeheError) as bad:
            D.keep_directory(w, text, sig)
        assert bad.value.code == "sync.bad_key_announcement" and bad.value.zh and bad.value.en
        assert w.meta()["bundle_directory"] == kept
    # (3) A key file whose encryption key is announced by a stranger is not used at all.
    path = st.keys.path
    raw = json.loads(path.read_text())
    raw["keys"][-1]["enc_endorsement"] = keyroll.endorse_enc(stranger, raw["keys"][-1]["public"],
                                                             raw["keys"][-1]["enc_public"])
    forged = tmp_path / "forged.keys"
    forged.write_text(json.dumps(raw))
    forged.chmod(0o600)
    with pytest.raises(StateError) as invalid:
        keys.ServerKeys(forged).load()
    assert invalid.value.code == "server.key_invalid"


@both_backends
def test_a_key_kept_in_the_database_moves_to_the_key_file(tmp_path: Path, live_server: LiveServer) -> None:
    """Servers before schema 10 kept the X25519 key (and rotated ones) in meta: migrate moves them to
    the key file and deletes them from the database; bundles sealed to either still open."""
    st = live_server.storage
    w = _worker(tmp_path, live_server)
    household(w)
    current = st.keys.enc_current()
    assert current is not None
    older = X25519PrivateKey.generate()
    # The database as an older server left it: the key in meta, the key file without it.
    raw = json.loads(st.keys.path.read_text())
    for k in raw["keys"]:
        for f in ("enc_public", "enc_private", "enc_by", "enc_endorsement"):
            k.pop(f, None)
    st.keys.path.write_text(json.dumps(raw))
    with st.transaction() as store:
        store.set_meta("server_enc_key", D.x25519_private_b64(current))
        store.set_meta("server_enc_key_old", D.x25519_private_b64(older))
        store.set_meta("server_schema", "9")
    to_current = tmp_path / "current.lehe"
    laptop.export_bundle(w, to_current)
    to_older = tmp_path / "older.lehe"
    key = P.load_private(w.meta()["sync_device_key"])
    F.seal(to_older, sender=w.device_id, sign_key=key, recipients={st.store.device_id: F.raw_public(older)},
           manifest={"kind": "changes", "direction": "push"}, parts=[])
    live_server.stop()
    ServerStorage(live_server.db, key_file=live_server.key_file).migrate()
    live_server.restart()
    st = live_server.storage
    assert st.meta("server_enc_key") is None and st.meta("server_enc_key_old") is None
    kept = [D.x25519_b64(k) for k in st.keys.enc_privates()]
    assert kept == [D.x25519_b64(current), D.x25519_b64(older)]
    assert st.keys.entries()[-1].enc_by == st.keys.public()          # announced by its own signing key
    assert bundles.import_bundle(st, to_current).applied > 0
    assert bundles.import_bundle(st, to_older).applied == 0          # opened (nothing in it), not refused
    client.sync_once(w)                     # the directory's key, now announced, is the one it had
    assert D.directory(w)["server"]["enc_key"] == D.x25519_b64(current)


def test_a_coordinator_carrying_a_workers_bundle_keeps_its_own_device_list(tmp_path: Path,
                                                                         live_server: LiveServer) -> None:
    """The server's bundle for a worker carries the worker's device list; the coordinator, a recipient
    that opens it, learns the rotated keys from it but keeps its own list (its other villages' workers)."""
    from sync_harness import OTHER_VILLAGE

    st = live_server.storage
    c = make_laptop(tmp_path / "c")
    client.enroll(c, live_server.url, live_server.code_for("老张", "coordinator", ("重庆市/巫溪县/白鹿镇",)))
    w = _worker(tmp_path, live_server)
    far = make_laptop(tmp_path / "far")
    client.enroll(far, live_server.url, live_server.code_for("小赵", "worker", (OTHER_VILLAGE,)))
    client.sync_once(c)
    assert D.device_entry(c, far.device_id) is not None
    st.keys.rotate()
    down = tmp_path / "for-w.lehe"
    bundles.export_bundle(st, down, device_id=w.device_id)
    laptop.import_bundle(c, down)
    assert c.meta()["sync_server_key"] == st.keys.public()
    assert json.loads(c.meta()["bundle_directory"])["for"] == c.device_id
    assert D.device_entry(c, far.device_id) is not None


def test_the_command_line_rotates_both_keys(tmp_path: Path, live_server: LiveServer) -> None:
    from sync_harness import server_cli

    before = _server_enc(live_server)
    out = server_cli(live_server.root, "rotate-key")
    assert out.returncode == 0, out.stderr
    listed = json.loads(server_cli(live_server.root, "keys", "--json").stdout)
    assert listed[0]["enc_public"] == before
    assert listed[-1]["current"] and listed[-1]["enc_public"] in out.stdout and listed[-1]["enc_public"] != before
    assert _server_enc(live_server) == listed[-1]["enc_public"]       # the running server reads the new file
