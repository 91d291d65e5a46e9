"""What a coordinator carrying a stick gets wrong: the same receipt taken in twice, its own bundle
imported back into the laptop that made it."""

from __future__ import annotations

from pathlib import Path

import pytest
from bundle_kit import enrolled, households
from sync_harness import LiveServer

from lehe_desktop.core.bundles import laptop
from lehe_desktop.core.bundles.errors import BundleError
from lehe_desktop.server import bundles


def test_the_same_receipt_twice_keeps_the_logged_answer(tmp_path: Path, live_server: LiveServer) -> None:
    w = enrolled(tmp_path, live_server, "w", "小王")
    households(w, 3)
    n = w.to_send_count()
    out = tmp_path / "w.lehe"
    sent = laptop.export_bundle(w, out)
    got = bundles.import_bundle(live_server.storage, out)
    first = laptop.import_receipt(w, Path(got.receipt or ""))
    assert first["acknowledged"] == n and w.to_send_count() == 0
    logged = [e for e in laptop.bundle_log(w) if e.get("bundle_id") == sent["bundle_id"]]
    again = laptop.import_receipt(w, Path(got.receipt or ""))
    assert (again["acknowledged"], again["refused"]) == (0, 0) and w.to_send_count() == 0
    entry = next(e for e in laptop.bundle_log(w) if e.get("bundle_id") == sent["bundle_id"])
    assert entry == logged[0] and entry["acknowledged"] == n


def test_a_laptops_own_bundle_is_not_imported_back(tmp_path: Path, live_server: LiveServer) -> None:
    """It used to apply (all duplicates), log a bundle 'received' from itself and write a receipt to
    itself over NAME.receipt.lehe: the server's receipt lying beside it on the stick."""
    w = enrolled(tmp_path, live_server, "w", "小王")
    households(w, 2)
    out = tmp_path / "stick" / "w.lehe"
    out.parent.mkdir()
    laptop.export_bundle(w, out)
    servers = out.with_name("w.receipt.lehe")
    servers.write_bytes(b"the server's receipt")
    log = laptop.bundle_log(w)
    with pytest.raises(BundleError) as refused:
        laptop.import_bundle(w, out)
    assert refused.value.code == "bundle.wrong_kind" and refused.value.exit_code == 28
    assert "own bundle" in refused.value.en
    assert servers.read_bytes() == b"the server's receipt" and laptop.bundle_log(w) == log


def test_the_servers_own_bundle_given_back_to_it(tmp_path: Path, live_server: LiveServer) -> None:
    """It used to say bundle.unknown_sender with a laptop's advice ('sync once')."""
    w = enrolled(tmp_path, live_server, "w", "小王")
    out = tmp_path / "for-w.lehe"
    bundles.export_bundle(live_server.storage, out, device_id=w.device_id, area=None, after=None)
    with pytest.raises(BundleError) as refused:
        bundles.import_bundle(live_server.storage, out)
    assert refused.value.code == "bundle.wrong_kind" and "server's own bundle" in refused.value.en
