"""Every kind of bad bundle is refused with its own code (and exit code), and nothing changes: not a
bundle, damaged or truncated (at every part boundary), tampered (a flipped byte in every part), for
another recipient, of a newer format, too large, a compression bomb, and a revoked sender (held for
the administrator). Real server, real laptops, real files; the command line for each exit code."""

from __future__ import annotations

import hashlib
import json
import os
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import enrolled, households, laptop_state, server_state
from sync_harness import LiveServer, server_cli

from lehe_desktop.core.bundles import errors as E
from lehe_desktop.core.bundles import format as F
from lehe_desktop.core.bundles import laptop
from lehe_desktop.core.bundles.errors import BundleError
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import directory as D
from lehe_desktop.core.sync import protocol as P
from lehe_desktop.server import bundles


@pytest.fixture
def made(tmp_path: Path, live_server: LiveServer) -> tuple[LiveServer, Store, Path]:
    w = enrolled(tmp_path, live_server, "w", "小王")
    households(w, 40)
    out = tmp_path / "w.lehe"
    laptop.export_bundle(w, out)
    return live_server, w, out


def boundaries(path: Path) -> list[tuple[str, int, int]]:
    """(name, start, end) of every part of a bundle file."""
    data = path.read_bytes()
    elen = struct.unpack(">I", data[10:14])[0]
    env = json.loads(data[14:14 + elen])
    out = [("magic", 0, 8), ("version", 8, 10), ("envelope length", 10, 14), ("envelope", 14, 14 + elen)]
    pos = 14 + elen
    for i, n in enumerate(env["parts"]):
        out.append(("manifest" if i == 0 else f"part {i}", pos, pos + n))
        pos += n
    out.append(("signature", pos, pos + 64))
    assert pos + 64 == len(data)
    return out


def refused(srv: LiveServer, path: Path) -> str:
    before = server_state(srv)
    with pytest.raises(BundleError) as info:
        bundles.import_bundle(srv.storage, path)
    assert server_state(srv) == before
    assert info.value.zh and info.value.en
    return info.value.code


def test_garbage_and_empty_are_not_bundles(tmp_path: Path, live_server: LiveServer) -> None:
    junk = tmp_path / "junk.lehe"
    junk.write_bytes(os.urandom(5000))
    assert refused(live_server, junk) == "bundle.not_bundle"
    junk.write_bytes(b"")
    assert refused(live_server, junk) == "bundle.not_bundle"
    junk.write_bytes(b"PK\x03\x04" + b"\0" * 100)          # a zip, say
    assert refused(live_server, junk) == "bundle.not_bundle"


def test_truncated_at_every_part_boundary(tmp_path: Path, made: tuple[LiveServer, Store, Path]) -> None:
    srv, _w, out = made
    data = out.read_bytes()
    cut = tmp_path / "cut.lehe"
    parts = boundaries(out)
    assert len(parts) >= 7
    for name, start, end in parts:
        for at in {start, start + 1, end - 1}:
            if at >= len(data):
                continue
            cut.write_bytes(data[:at])
            code = refused(srv, cut)
            assert code == ("bundle.not_bundle" if at < 8 else "bundle.damaged"), (name, at, code)


def test_a_flipped_byte_in_every_part(tmp_path: Path, made: tuple[LiveServer, Store, Path]) -> None:
    srv, _w, out = made
    data = out.read_bytes()
    bad = tmp_path / "bad.lehe"
    expect = {"magic": {"bundle.not_bundle"}, "version": {"bundle.newer_format", "bundle.damaged"},
              "envelope length": {"bundle.damaged"}, "envelope": {"bundle.damaged", "bundle.tampered",
                                                              # a recipient's id changed: not for us
                                                              "bundle.other_recipient"}}
    for name, start, end in boundaries(out):
        for at in {start, (start + end) // 2, end - 1}:
            flipped = bytearray(data)
            flipped[at] ^= 0x01
            bad.write_bytes(bytes(flipped))
            code = refused(srv, bad)
            assert code in expect.get(name, {"bundle.tampered"}), (name, at, code)


def test_wrong_recipient(tmp_path: Path, made: tuple[LiveServer, Store, Path]) -> None:
    srv, _w, out = made
    other = enrolled(tmp_path, srv, "x", "小李")
    before = laptop_state(other)
    with pytest.raises(BundleError) as info:
        laptop.import_bundle(other, out)
    assert info.value.code == "bundle.other_recipient" and info.value.exit_code == E.EXIT_OTHER_RECIPIENT
    assert laptop_state(other) == before
    # Another server (its own keys) cannot open it either.
    second = LiveServer(tmp_path / "server2")
    try:
        with pytest.raises(BundleError) as info:
            bundles.import_bundle(second.storage, out)
        assert info.value.code == "bundle.other_recipient"
    finally:
        second.storage.close()


def test_newer_format(tmp_path: Path, made: tuple[LiveServer, Store, Path]) -> None:
    srv, _w, out = made
    data = bytearray(out.read_bytes())
    data[8:10] = struct.pack(">H", F.FORMAT_VERSION + 1)
    newer = tmp_path / "newer.lehe"
    newer.write_bytes(bytes(data))
    assert refused(srv, newer) == "bundle.newer_format"


def test_oversized_file(tmp_path: Path, live_server: LiveServer) -> None:
    big = tmp_path / "big.lehe"
    with open(big, "wb") as f:
        f.write(struct.pack(">8sHI", F.MAGIC, F.FORMAT_VERSION, 100))
        f.truncate(F.MAX_FILE + 1)                # sparse: nothing is written to disk
    assert refused(live_server, big) == "bundle.too_large"


def _signed_with_part(w: Store, out: Path, part: F.Part) -> None:
    """A bundle correctly signed by ``w`` and encrypted to the server, holding ``part``."""
    key = P.load_private(w.meta()["sync_device_key"])
    F.seal(out, sender=w.device_id, sign_key=key, recipients=laptop.recipients(w),
           manifest={"kind": "changes", "direction": "push"}, parts=[part])


def test_compression_bomb(tmp_path: Path, made: tuple[LiveServer, Store, Path]) -> None:
    srv, w, _out = made
    zeros = b"\0" * (20 * 1024 * 1024)
    packed = zlib.compress(zeros, 9)
    bomb = tmp_path / "bomb.lehe"
    # It says 1000 bytes and would unpack to 20 MiB: unpacking stops at 1001.
    _signed_with_part(w, bomb, F.Part(packed, 1000, hashlib.sha256(zeros[:1000]).hexdigest()))
    assert refused(srv, bomb) == "bundle.too_large"
    # It admits to more than a part may hold.
    _signed_with_part(w, bomb, F.Part(packed, F.MAX_PART_RAW + 1, "0" * 64))
    assert refused(srv, bomb) == "bundle.too_large"


def test_signed_garbage_data_is_damaged(tmp_path: Path, made: tuple[LiveServer, Store, Path]) -> None:
    srv, w, _out = made
    odd = tmp_path / "odd.lehe"
    _signed_with_part(w, odd, F.Part.of(b'{"changes": 12}'))
    assert refused(srv, odd) == "bundle.damaged"


def test_revoked_sender_is_held_then_released(tmp_path: Path, made: tuple[LiveServer, Store, Path]) -> None:
    srv, _w, out = made
    n_households = 40
    srv.storage.revoke(_w.device_id)
    assert refused(srv, out) == "bundle.held"
    held = bundles.held(srv.storage)
    assert [h["sender"] for h in held] == [_w.device_id]
    assert (bundles.held_dir(srv.storage) / held[0]["file"]).is_file()
    got = bundles.release(srv.storage, held[0]["bundle_id"], receipt=tmp_path / "r.lehe")
    assert got.applied > 0 and srv.storage.stats()["households"] == n_households
    assert bundles.held(srv.storage) == []


def test_unknown_sender(tmp_path: Path, made: tuple[LiveServer, Store, Path]) -> None:
    srv, w, _out = made
    # A laptop that was never enrolled here but knows the server's encryption key (from w's list).
    stranger_key = P.new_private_key()
    server = D.directory(w)["server"]
    odd = tmp_path / "stranger.lehe"
    F.seal(odd, sender="stranger-1", sign_key=stranger_key, recipients={server["device_id"]: P.b64d(server["enc_key"])},
           manifest={"kind": "changes", "direction": "push"}, parts=[F.Part.of(b'{"changes": []}')])
    assert refused(srv, odd) == "bundle.unknown_sender"


def _cli_state(root: Path) -> Any:
    """``stats --json`` without the file's size: opening and closing the database may refresh
    SQLite's query statistics (a page or two) although no record changed."""
    got = server_cli(root, "stats", "--json")
    assert got.returncode == 0, got.stderr
    state = json.loads(got.stdout)
    assert state["server"].pop("db_bytes") > 0
    return state


def test_command_line_exit_codes(tmp_path: Path, made: tuple[LiveServer, Store, Path]) -> None:
    srv, _w, out = made
    root = srv.root
    before = _cli_state(root)
    junk = tmp_path / "junk.lehe"
    junk.write_bytes(b"hello")
    data = bytearray(out.read_bytes())
    data[-1] ^= 0x40
    tampered = tmp_path / "tampered.lehe"
    tampered.write_bytes(bytes(data))
    cut = tmp_path / "cut.lehe"
    cut.write_bytes(out.read_bytes()[:-100])
    for path, code, exit_code in ((junk, "bundle.not_bundle", E.EXIT_NOT_BUNDLE),
                                  (tampered, "bundle.tampered", E.EXIT_TAMPERED),
                                  (cut, "bundle.damaged", E.EXIT_DAMAGED)):
        got = server_cli(root, "import-bundle", str(path), "--json")
        assert got.returncode == exit_code, (code, got.returncode, got.stderr)
        assert code in got.stderr
    assert _cli_state(root) == before
    got = server_cli(root, "import-bundle", str(out), "--json")
    assert got.returncode == 0, got.stderr
    summary = json.loads(got.stdout)
    assert set(summary) >= {"applied", "duplicates", "held", "refused", "conflicts"} and summary["applied"] > 0
    assert _cli_state(root)["households"] == 40


def test_every_code_has_its_own_exit_code() -> None:
    exits = [BundleError(code).exit_code for code in E.CODES]
    assert len(set(exits)) == len(exits) and all(e >= 20 for e in exits)


def test_receipt_is_not_a_bundle(tmp_path: Path, made: tuple[LiveServer, Store, Path]) -> None:
    srv, w, out = made
    got = bundles.import_bundle(srv.storage, out, receipt=tmp_path / "r.lehe")
    before = laptop_state(w)
    with pytest.raises(BundleError) as info:
        laptop.import_bundle(w, Path(got.receipt or ""))
    assert info.value.code == "bundle.wrong_kind" and info.value.exit_code == E.EXIT_WRONG_KIND
    assert laptop_state(w) == before


def test_a_part_larger_than_any_part_may_be(tmp_path: Path, live_server: LiveServer) -> None:
    """Refused from the envelope's lengths, before the part is read (a sparse file: nothing on disk)."""
    huge = F.MAX_PART_RAW * 2
    env = json.dumps({"bundle_id": "x", "sender": "y", "created_ms": 0, "epk": "", "recipients": [],
                      "parts": [100, huge]}).encode()
    path = tmp_path / "huge.lehe"
    with open(path, "wb") as f:
        f.write(struct.pack(">8sHI", F.MAGIC, F.FORMAT_VERSION, len(env)) + env)
        f.truncate(14 + len(env) + 100 + huge + 64)
    assert refused(live_server, path) == "bundle.too_large"


def test_parts_are_cut_by_size(tmp_path: Path, live_server: LiveServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Long texts: both exporters cut parts by size as well as by count, and the readers take them."""
    w = enrolled(tmp_path, live_server, "w", "小王")
    households(w, 40)
    aid = w.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    for i in range(20):
        w.create("household", {"area_id": aid, "group_name": "一组", "head_name": "王大山", "notes": "长" * 5000 + str(i)})
    monkeypatch.setattr(F, "PART_BYTES", 40_000)
    out = tmp_path / "w.lehe"
    laptop.export_bundle(w, out)
    opened = bundles.open_here(live_server.storage, out)
    assert opened.part_count() > 3 and all(p["raw"] <= 40_000 or p["count"] == 1 for p in opened.manifest["parts"])
    got = bundles.import_bundle(live_server.storage, out)
    assert got.refused == 0 and live_server.storage.stats()["households"] == 60
    b = enrolled(tmp_path, live_server, "b", "小李")
    down = tmp_path / "b.lehe"
    bundles.export_bundle(live_server.storage, down, device_id=b.device_id)
    assert laptop.import_bundle(b, down).applied >= 60 and b.count("household") == 60


def test_a_technical_detail_is_marked_as_such_in_the_chinese_words() -> None:
    # "数据包已损坏（envelope length）" read as a stray English word; the detail is for support.
    refused = BundleError("bundle.damaged", "envelope length")
    assert refused.zh.endswith("（详情：envelope length）") and refused.en.endswith(" (envelope length)")
    assert "详情" not in BundleError("bundle.damaged").zh
