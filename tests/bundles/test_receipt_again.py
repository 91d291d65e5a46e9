"""A coordinator takes in the same receipt twice (it stayed on the stick): nothing is answered twice
and the bundle log keeps what the first import recorded."""

from __future__ import annotations

from pathlib import Path

from bundle_kit import enrolled, households
from sync_harness import LiveServer

from lehe_desktop.core.bundles import laptop
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
