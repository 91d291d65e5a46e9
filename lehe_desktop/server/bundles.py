"""The server's side of sync bundles (docs/sync.md "Sync bundles"): import a device's bundle (or a
receipt), export updates for a device or an area, and the bundles held from revoked devices.

A device's bundle goes through the same path as a network push (``SyncService.push``: checks,
origin proofs, scope, merge, conflicts), one part — one push body — per transaction, with the
sender as the signer: a relayed change is accepted only with its own device's batch proof and only
inside the areas of the device that carried it.
"""

from __future__ import annotations

import json
import shutil
import time
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..core.bundles import format as F
from ..core.bundles.errors import BundleError
from ..core.errors import NotFoundError
from ..core.messages import BadMessage, PullReply, Push, PushReply, Rejected, decode, encode, stored_pulled
from ..core.store.migrations import SCHEMA_VERSION
from ..core.sync import proof
from ..core.sync import protocol as P
from ..core.sync.directory import enc_key_message
from .app import SyncService
from .directory import directory_for, enc_keys, enc_private, entries, set_enc_key, valid_key
from .storage import Device, ServerStorage

PAGE = 20000
RECEIPTS_ALONG = 5          # receipts of a device's latest bundles inside the server's bundle for it


@dataclass
class ServerImport:
    bundle_id: str
    sender: str
    kind: str
    applied: int = 0
    duplicates: int = 0
    held: int = 0
    refused: int = 0
    conflicts: int = 0
    receipt: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def held_dir(st: ServerStorage) -> Path:
    return st.path.parent / "held-bundles"


SERVERS_OWN = ("这是本服务器自己导出的同步包：请带到收件的电脑上导入；没有导入任何内容",
               "This is this server's own bundle: import it on the laptop it is for; nothing was imported")


def _sender_key(st: ServerStorage, release: bool) -> F.SenderKey:
    def lookup(sender: str, manifest: dict[str, Any]) -> tuple[str, bool] | None:
        if sender == st.store.device_id:   # not "an unknown device: sync once" (advice for a laptop)
            raise BundleError("bundle.wrong_kind", words=SERVERS_OWN)
        dev = st.device(sender)
        if dev is None:
            return None
        return dev.public_key, dev.revoked and not release

    return lookup


def open_here(st: ServerStorage, path: Path, *, release: bool = False) -> F.Opened:
    return F.open_bundle(path, me=st.store.device_id, my_keys=enc_keys(st), sender_key=_sender_key(st, release))


def _open_conflicts(st: ServerStorage) -> int:
    with st.lock:
        return st.store.open_conflicts()


def import_bundle(st: ServerStorage, path: Path, *, receipt: Path | None = None,
                  release: bool = False) -> ServerImport:
    """Check, then apply a bundle (or take in a receipt). A revoked device's valid bundle is kept in
    ``held-bundles/`` (``bundle.held``); ``release`` applies it anyway (``release-bundle``)."""
    opened = open_here(st, path, release=release)
    if opened.revoked:
        _hold(st, opened)
        raise BundleError("bundle.held", f"{opened.bundle_id} from {opened.sender}")
    device = st.device(opened.sender)
    assert device is not None       # open_here found its key
    out = ServerImport(bundle_id=opened.bundle_id, sender=opened.sender, kind=opened.kind)
    if opened.kind == "receipt":
        _take_receipt(st, device, opened)
        return out
    if opened.kind != "changes" or opened.manifest.get("direction") != "push":
        raise BundleError("bundle.wrong_kind", str(opened.kind))
    pushes = 0
    for raw in opened.parts():             # all of it decodes before anything is applied
        try:
            push = decode(raw, Push)
        except BadMessage:
            raise BundleError("bundle.damaged", "change data") from None
        if len(push.changes) > P.MAX_BATCH:
            raise BundleError("bundle.too_large", f"a part holds more than {P.MAX_BATCH} changes")
        pushes += 1
    _learn(st, device, opened.manifest)
    service = SyncService(st)
    before = _open_conflicts(st)
    parts: list[dict[str, Any]] = []
    carry = _Carrier(st, device)
    for raw in opened.parts():
        push = carry.screen(decode(raw, Push))
        reply = carry.merged(service.push(device, push))
        for status, _seq in reply.results:
            if status == "applied":
                out.applied += 1
            elif status == "duplicate":
                out.duplicates += 1
            elif status == "held":
                out.held += 1
            else:
                out.refused += 1
        parts.append({"keys": carry.all_keys(push), "reply": reply})
    out.conflicts = max(0, _open_conflicts(st) - before)
    with st.transaction() as store:
        store.execute("INSERT OR REPLACE INTO bundles_in(bundle_id, sender, received_ms, status, summary, part_done) "
                      "VALUES (?,?,?,?,?,?)", (opened.bundle_id, opened.sender, st.now_ms(), "applied",
                                               json.dumps(out.as_json()), pushes))
    target = receipt or path.with_name(path.name.removesuffix(".lehe") + ".receipt.lehe")
    body = _receipt_body(st, parts)
    with st.transaction() as store:
        # Kept to travel again inside the next bundle for this device (a receipt file may be lost).
        store.execute("UPDATE bundles_in SET receipt = ? WHERE bundle_id = ?", (zlib.compress(body), opened.bundle_id))
    if _device_enc_key(st, device.device_id):
        _write_receipt(st, target, device, opened, body)
        out.receipt = str(target)
    return out


RELAY_REFUSED = ("bundle.relay_not_allowed",
                 "转交这条修改的设备不能替做这条修改的设备转交（只有负责同一地区的协调员可以），服务器没有接收",
                 "The device that carried this change may not carry that device's changes (only a coordinator of "
                 "the same area may); the server refused it")


class _Carrier:
    """Whose changes the sender of a bundle may carry: its own, the server's, and — for a coordinator
    (or an admin) — those of enrolled devices sharing an area with it. The others are refused
    (``bundle.relay_not_allowed``) before the push path sees them; each keeps its place in the reply."""

    def __init__(self, st: ServerStorage, sender: Device) -> None:
        self.st = st
        self.sender = sender
        self.ok: dict[str, bool] = {sender.device_id: True, st.store.device_id: True}
        self.refused: list[int] = []
        self.keys: list[tuple[str, int, Any]] = []

    def may_carry(self, device_id: str) -> bool:
        got = self.ok.get(device_id)
        if got is None:
            dev = self.st.device(device_id)
            role = self.sender.role
            got = dev is not None and (role == "admin" or (role == "coordinator" and any(
                a == b or a.startswith(b + "/") or b.startswith(a + "/")
                for a in dev.areas for b in self.sender.areas)))
            self.ok[device_id] = got
        return got

    def screen(self, push: Push) -> Push:
        refs = proof.expand(push.proofs, len(push.changes), len(push.batches))
        keep, keep_refs = [], []
        self.refused = []
        self.keys = []
        for i, (ch, ref) in enumerate(zip(push.changes, refs, strict=True)):
            if self.may_carry(proof.device_of(ch.origin)):
                keep.append(ch)
                keep_refs.append(ref)
            else:
                self.refused.append(i)
                self.keys.append((ch.origin, ch.seq, ch))
        if not self.refused:
            return push
        return Push(changes=keep, batches=push.batches, proofs=proof.runs(keep_refs))

    def all_keys(self, kept: Push) -> list[tuple[str, int]]:
        """Every change's key in the part's order (the kept ones and the refused ones)."""
        out = [(c.origin, c.seq) for c in kept.changes]
        for i, (origin, seq, _ch) in zip(self.refused, self.keys, strict=True):
            out.insert(i, (origin, seq))
        return out

    def merged(self, reply: PushReply) -> PushReply:
        """The push's reply with the refused changes put back in their places."""
        if not self.refused:
            return reply
        code, zh, en = RELAY_REFUSED
        results = list(reply.results)
        rejected = list(reply.rejected)
        with self.st.transaction():
            for i, (origin, seq, ch) in zip(self.refused, self.keys, strict=True):
                results.insert(i, ("rejected", None))
                self.st.record_reject(ch, origin, seq, code, zh, en)
                rejected.append(Rejected(origin=origin, seq=seq, code=code, zh=zh, en=en, rtype=ch.rtype, rid=ch.rid))
        return PushReply(results=results, rejected=rejected, high_water=reply.high_water)


def _learn(st: ServerStorage, device: Device, manifest: dict[str, Any]) -> None:
    """What a device's bundle tells the server besides its changes: its encryption key (signed with
    its device key) and what it has of the server's changes (its receipt for our bundles)."""
    key, sig = manifest.get("enc_key"), manifest.get("enc_key_sig")
    if valid_key(key) and isinstance(sig, str) and P.verify(device.public_key, sig,
                                                             enc_key_message(device.device_id, str(key))):
        set_enc_key(st, device.device_id, str(key))
    have = manifest.get("have")
    if isinstance(have, dict):
        _ack_cursor(st, device, have.get("server_epoch"), have.get("cursor"))


def _ack_cursor(st: ServerStorage, device: Device, epoch: Any, cursor: Any) -> None:
    if epoch == st.epoch and type(cursor) is int and 0 <= cursor <= st.high_water():
        with st.transaction() as store:
            store.execute("UPDATE devices SET bundle_cursor = max(bundle_cursor, ?) WHERE device_id = ?",
                          (cursor, device.device_id))


def _take_receipt(st: ServerStorage, device: Device, opened: F.Opened) -> None:
    for raw in opened.parts():
        try:
            data = json.loads(raw)
        except ValueError:
            raise BundleError("bundle.damaged", "receipt") from None
        if isinstance(data, dict):
            _ack_cursor(st, device, data.get("server_epoch"), data.get("cursor"))


def _device_enc_key(st: ServerStorage, device_id: str) -> bytes | None:
    with st.lock:
        got = st.store.query_value("SELECT enc_key FROM devices WHERE device_id = ?", (device_id,))
    return P.b64d(got) if valid_key(got) else None


def _receipt_body(st: ServerStorage, parts: list[dict[str, Any]]) -> bytes:
    """A receipt's content: per change ``[origin, seq, status, server_seq]`` and the refusals."""
    results: list[tuple[str, int, str, int | None]] = []
    rejected: list[Any] = []
    for part in parts:
        reply = part["reply"]
        for (origin, seq), (status, sseq) in zip(part["keys"], reply.results, strict=True):
            results.append((origin, seq, status, sseq))
        rejected.extend(reply.rejected)
    return encode({"results": results, "rejected": rejected, "cursor": 0, "server_epoch": st.epoch})


def _write_receipt(st: ServerStorage, out: Path, device: Device, opened: F.Opened, body: bytes) -> None:
    key = st.keys.signer()
    rkey = _device_enc_key(st, device.device_id)
    assert rkey is not None
    now = st.now_ms()
    F.seal(out, sender=st.store.device_id, sign_key=key, recipients={device.device_id: rkey},
           manifest={"kind": "receipt", "for_bundle": opened.bundle_id, "created_ms": now, "schema": SCHEMA_VERSION,
              **_key_news(st, device)},
           parts=[F.Part.of(body)], created_ms=now)


def _key_news(st: ServerStorage, device: Device | None) -> dict[str, Any]:
    """What the server's bundles and receipts tell a laptop that may have been away from the network
    through key rotations: every hand-over since the first signing key (``server_keys``, as the
    ``x-lehe-server-keys`` header: the laptop follows it from the key it trusts) and, for one
    device, its signed device directory (the server's new encryption key with its announcement)."""
    news: dict[str, Any] = {"server_keys": st.keys.announcement()}
    if device is not None:
        news["directory"], news["directory_sig"] = directory_for(st, device)
    return news


def _hold(st: ServerStorage, opened: F.Opened) -> None:
    folder = held_dir(st)
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch for ch in opened.bundle_id if ch.isalnum() or ch in "-_")[:80] or "bundle"
    target = folder / f"{safe}.lehe"
    if not target.exists():
        tmp = target.with_name(target.name + ".part")
        shutil.copyfile(opened.path, tmp)
        tmp.replace(target)
    with st.transaction() as store:
        store.execute("INSERT OR IGNORE INTO bundles_held(bundle_id, sender, held_ms, file, size) VALUES (?,?,?,?,?)",
                      (opened.bundle_id, opened.sender, st.now_ms(), target.name, opened.size))


def held(st: ServerStorage) -> list[dict[str, Any]]:
    with st.lock:
        rows = st.store.query("SELECT bundle_id, sender, held_ms, file, size FROM bundles_held ORDER BY held_ms")
    return [{"bundle_id": r[0], "sender": r[1], "held_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r[2] / 1000)),
             "file": r[3], "bytes": r[4]} for r in rows]


def _held_row(st: ServerStorage, bundle_id: str) -> tuple[str, str]:
    with st.lock:
        row = st.store.query_one("SELECT file, sender FROM bundles_held WHERE bundle_id = ?", (bundle_id,))
    if row is None:
        raise NotFoundError("bundle.not_held", f"没有暂存这个同步包：{bundle_id}（见 held-bundles）",
                            f"No held bundle {bundle_id} (see held-bundles)")
    return row[0], row[1]


def release(st: ServerStorage, bundle_id: str, *, receipt: Path | None = None) -> ServerImport:
    """Apply a held bundle (the administrator's decision), then forget it."""
    name, _sender = _held_row(st, bundle_id)
    path = held_dir(st) / name
    got = import_bundle(st, path, receipt=receipt or Path.cwd() / f"{bundle_id}.receipt.lehe", release=True)
    drop(st, bundle_id)
    return got


def drop(st: ServerStorage, bundle_id: str) -> None:
    name, _sender = _held_row(st, bundle_id)
    with st.transaction() as store:
        store.execute("DELETE FROM bundles_held WHERE bundle_id = ?", (bundle_id,))
    (held_dir(st) / name).unlink(missing_ok=True)


# ---------------------------------------------------------------------- export


def _recipients_for(st: ServerStorage, *, device: Device | None, area: str | None) -> dict[str, bytes]:
    out: dict[str, bytes] = {st.store.device_id: F.raw_public(enc_private(st))}
    for e in entries(st):
        if e["revoked"] or not valid_key(e["enc_key"]):
            continue
        if device is not None:
            wanted = e["device_id"] == device.device_id or (
                e["role"] == "coordinator" and any(_covers(a, b) for a in e["areas"] for b in device.areas))
        else:
            assert area is not None
            wanted = e["role"] == "admin" or any(_covers(a, area) for a in e["areas"])
        if wanted:
            out[e["device_id"]] = P.b64d(e["enc_key"])
    return out


def _covers(outer: str, inner: str) -> bool:
    return inner == outer or inner.startswith(outer + "/")


def _page(st: ServerStorage, rows: list[tuple[Any, ...]], nxt: int, until: int) -> bytes:
    """A pull page of ``rows`` with the batch proofs they name (as the server's pull replies)."""
    ids = sorted({r[13] for r in rows if r[13] is not None})
    stored = st.batches(ids) if ids else {}
    index = {bid: i for i, bid in enumerate(b for b in ids if b in stored)}
    return encode(PullReply(changes=[stored_pulled(r) for r in rows], next=nxt, more=nxt < until, high_water=until,
                            batches=[stored[b] for b in ids if b in stored],
                            proofs=proof.runs(index.get(r[13], -1) for r in rows)))


def export_bundle(st: ServerStorage, out: Path, *, device_id: str | None = None, area: str | None = None,
                  after: int | None = None) -> dict[str, Any]:
    """Updates for one device (everything after what it acknowledged) or one area (everything, or
    after ``after``), as pull pages; read back and checked before it is reported."""
    device = None
    if device_id is not None:
        device = st.device(device_id)
        if device is None:
            raise NotFoundError("device.not_found", f"没有这个设备：{device_id}", f"No such device: {device_id}")
        with st.lock:
            start = int(st.store.query_value("SELECT bundle_cursor FROM devices WHERE device_id = ?", (device_id,)) or 0)
        areas = None if device.role == "admin" else device.areas
        origin = f"{device.device_id}:{device.epoch}" if device.epoch else ""
    else:
        start, areas, origin = 0, [str(area)], ""
    if after is not None:
        start = after
    who = _recipients_for(st, device=device, area=area)
    if len(who) == 1:
        raise NotFoundError("bundle.no_recipient", "没有可以打开这个同步包的设备（它们还没有加密密钥：请先同步一次）",
                            "No device could open this bundle (none has an encryption key yet: sync once first)")
    until = st.high_water()
    parts: list[F.Part] = []
    cursor, total = start, 0
    counts: dict[str, int] = {}
    while cursor < until:
        rows = st.pull(after=cursor, until=until, limit=PAGE, origin=origin, areas=areas)
        nxt = rows[-1][0] if len(rows) == PAGE else until
        raw = _page(st, rows, nxt, until)
        while len(raw) > F.PART_BYTES and len(rows) > 1:
            # Long texts: fewer changes in this part, so it unpacks to well under the readers' limit.
            rows = rows[:len(rows) // 2]
            nxt = rows[-1][0]
            raw = _page(st, rows, nxt, until)
        if rows:
            parts.append(F.Part.of(raw, len(rows)))
        for r in rows:
            counts[r[5]] = counts.get(r[5], 0) + 1
        total += len(rows)
        cursor = nxt
    receipts: list[int] = []
    if device is not None:
        # The receipts of this device's latest bundles go along (a receipt file may have been lost).
        with st.lock:
            kept = st.store.query("SELECT receipt FROM bundles_in WHERE sender = ? AND receipt IS NOT NULL "
                                  "ORDER BY received_ms DESC LIMIT ?", (device.device_id, RECEIPTS_ALONG))
        for (packed,) in kept:
            raw = zlib.decompress(packed)
            parts.append(F.Part.of(raw, 0))
            receipts.append(len(parts))
    now = st.now_ms()
    manifest = {"kind": "changes", "direction": "pull", "schema": SCHEMA_VERSION, "created_ms": now,
                "to": sorted(who), "target": device_id or area, "receipts": receipts,
                "assumed": {"server_epoch": st.epoch, "after": start, "until": until},
                "changes": total, "counts": counts, **_key_news(st, device)}
    key = st.keys.signer()
    bundle_id = F.seal(out, sender=st.store.device_id, sign_key=key, recipients=who, manifest=manifest, parts=parts,
                       created_ms=now)
    opened = F.open_bundle(out, me=st.store.device_id, my_keys=enc_keys(st),
                           sender_key=lambda s, m: (P.public_b64(key), False))
    if sum(1 for _ in opened.parts()) != len(parts) or opened.bundle_id != bundle_id:
        raise BundleError("bundle.damaged", "written file does not read back")
    return {"bundle_id": bundle_id, "file": str(out), "changes": total, "bytes": out.stat().st_size,
            "to": sorted(k for k in who if k != st.store.device_id), "after": start, "until": until,
            "counts": counts}
