"""The laptop's side of sync bundles (docs/sync.md "Sync bundles"): ``export_bundle``,
``import_bundle`` and ``import_receipt``.

A laptop's bundle holds every change the server has not acknowledged (``server_seq IS NULL``: its
own and those it relays for workers), in the same push bodies network sync sends, each with the
batch proofs of the devices that made them. A server's bundle holds pull pages. Every import is
checked whole before anything is applied, then applied one part per transaction: a rerun after a
crash completes it (what was applied comes back as duplicates).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from msgspec import Struct

from .. import hlc as hlc_mod
from ..errors import NotFoundError, StateError
from ..messages import (
    CHANGE_COLUMNS,
    BadMessage,
    Change,
    PullReply,
    Push,
    PushReply,
    Rejected,
    decode,
    encode,
)
from ..store.migrations import SCHEMA_VERSION
from ..store.store import Store
from ..sync import directory as D
from ..sync import keyroll, proof
from ..sync import protocol as P
from ..sync.client import SyncResult, _ack, _fewer_checkpoints, _Prover, _store_batches
from ..sync.merge import Merger
from . import format as F
from .errors import HELD_ON_LAPTOP, BundleError

PART_CHANGES = 5000


class ReceiptBody(Struct, kw_only=True):
    """A receipt's content: per change ``[origin, seq, status, server_seq]``, the reasons of refusals,
    and what the receiver has of the server's changes (its pull cursor)."""

    results: list[tuple[str, int, str, int | None]] = []
    rejected: list[Rejected] = []
    cursor: int = 0
    server_epoch: str = ""



@dataclass
class ImportSummary:
    bundle_id: str
    sender: str
    applied: int = 0
    duplicates: int = 0
    held: int = 0
    refused: int = 0
    conflicts: int = 0
    receipt: str | None = None
    acknowledged: int = 0       # own changes answered by the server's receipts that came along

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _not_enrolled() -> StateError:
    return StateError("bundle.not_enrolled", "本机尚未注册（或还没有收到服务器的设备名单）：请先 enroll，再同步一次",
                      "This laptop is not enrolled (or has no device list from the server yet): enrol, then sync once")


def _identity(store: Store) -> tuple[Ed25519PrivateKey, dict[str, Any]]:
    meta = store.meta()
    if not meta.get("sync_device_key"):
        raise _not_enrolled()
    found = D.directory(store)
    if not found.get("server"):
        raise _not_enrolled()
    return P.load_private(meta["sync_device_key"]), found


def _key_of(entry: dict[str, Any] | None) -> bytes | None:
    text = entry.get("enc_key") if entry else None
    if not isinstance(text, str):
        return None
    try:
        raw = P.b64d(text)
    except ValueError:
        return None
    return raw if len(raw) == 32 else None


def _overlap(a: str, b: str) -> bool:
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def recipients(store: Store, to: str = "server") -> dict[str, bytes]:
    """Who can open this laptop's bundle: the server, the coordinators of its areas, the device
    ``to`` names, and this laptop itself (export reads the file back)."""
    _key, found = _identity(store)
    out: dict[str, bytes] = {}
    server = found["server"]
    skey = _key_of(server)
    if skey is not None:
        out[str(server["device_id"])] = skey
    mine = json.loads(store.meta().get("enrolled_areas") or "[]")
    for d in found.get("devices", []):
        key = _key_of(d)
        if (key is not None and d.get("role") == "coordinator" and not d.get("revoked")
                and d.get("device_id") != store.device_id and any(_overlap(a, b) for a in d.get("areas", []) for b in mine)):
            out[str(d["device_id"])] = key
    if to != "server":
        entry = D.device_entry(store, to)
        key = _key_of(entry)
        if entry is None or key is None or entry.get("revoked"):
            raise NotFoundError("bundle.no_recipient", f"设备名单里没有这台设备（或它没有加密密钥）：{to}（请先同步一次）",
                                f"The device list has no such device (or it has no encryption key): {to} (sync once first)")
        out[to] = key
    out[store.device_id] = F.raw_public(D.enc_key(store))
    return out


def _unsent(store: Store) -> Iterable[list[tuple[Any, ...]]]:
    select = (f"SELECT {CHANGE_COLUMNS}, batch FROM changes INDEXED BY changes_unsent_hlc WHERE server_seq IS NULL "
              "AND (hlc, origin) > (?, ?) ORDER BY hlc, origin LIMIT ?")
    last: tuple[Any, ...] = (-1, "")
    while True:
        rows = store.query(select, (*last, PART_CHANGES))
        if not rows:
            return
        yield rows
        last = (rows[-1][2], rows[-1][0])


def _tally(rows: list[tuple[Any, ...]], counts: Counter[str], bounds: list[int]) -> None:
    """Count a part's changes per record type; ``bounds`` = [first, last] wall time so far."""
    counts.update(r[4] for r in rows)
    walls = [r[10] for r in rows if r[10]]
    if walls:
        lo, hi = min(walls), max(walls)
        bounds[:] = [min(bounds[0], lo), max(bounds[1], hi)] if bounds else [lo, hi]


def export_bundle(store: Store, out: Path, *, to: str = "server") -> dict[str, Any]:
    """Write every change the server has not acknowledged to ``out``; read it back and check it.
    Returns ``{bundle_id, file, changes, bytes, to, counts}``."""
    key, _found = _identity(store)
    who = recipients(store, to)
    prover = _Prover(store, key)
    parts: list[F.Part] = []
    counts: Counter[str] = Counter()
    bounds: list[int] = []
    for chunk in _unsent(store):
        while chunk:
            # Cut by size too (long texts): every part unpacks to well under the readers' limit.
            rows, body = prover.cut(chunk, F.PART_BYTES)
            assert body is not None
            parts.append(F.Part.of(body, len(rows)))
            chunk = chunk[len(rows):]
            _tally(rows, counts, bounds)
    total = sum(p.count for p in parts)
    first_ms, last_ms = bounds or (None, None)
    meta = store.meta()
    public, sig = D.signed_enc_key(store)
    manifest = {"kind": "changes", "direction": "push", "origin": store.origin, "schema": SCHEMA_VERSION,
                "created_ms": hlc_mod.now_ms(), "to": sorted(who), "target": to,
                "sender_cert": json.loads(meta.get("sync_cert") or "{}"), "sender_cert_sig": meta.get("sync_cert_sig"),
                "enc_key": public, "enc_key_sig": sig,
                # What this laptop has of the server's changes: its receipt for the server's bundles.
                "have": {"server_epoch": meta.get("sync_server_epoch") or "",
                         "cursor": int(meta.get("sync_pull_cursor") or 0)},
                "prev": meta.get("bundle_last_sent") or None, "changes": total, "counts": dict(counts),
                "from_ms": first_ms, "until_ms": last_ms}
    bundle_id = F.seal(out, sender=store.device_id, sign_key=key, recipients=who, manifest=manifest, parts=parts,
                       created_ms=manifest["created_ms"])
    check_written(out, store.device_id, [D.enc_key(store)], P.public_b64(key), bundle_id, total)
    to_ids = sorted(k for k in who if k != store.device_id)
    with store.transaction():
        store.set_meta("bundle_last_sent", bundle_id)
        _log(store, {"dir": "sent", "bundle_id": bundle_id, "to": to_ids, "changes": total,
                     "at_ms": manifest["created_ms"]})
    return {"bundle_id": bundle_id, "file": str(out), "changes": total, "bytes": out.stat().st_size,
            "to": to_ids, "counts": dict(counts)}


LOG_KEEP = 500          # entries of the bundle log kept (meta ``bundle_log``)


def _log(store: Store, entry: dict[str, Any]) -> None:
    """Append to this laptop's log of bundles sent and received (inside the caller's transaction)."""
    log = bundle_log(store)
    log.append(entry)
    store.set_meta("bundle_log", json.dumps(log[-LOG_KEEP:], ensure_ascii=False))


def bundle_log(store: Store) -> list[dict[str, Any]]:
    """Bundles this laptop sent and received, oldest first: ``dir`` (sent|received), ``bundle_id``,
    ``to`` or ``from``, counts, ``at_ms``; a sent one gets ``receipt_ms`` and ``acknowledged`` when
    its receipt is taken in."""
    text = store.meta().get("bundle_log")
    data = json.loads(text) if text else []
    return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []


def overview(store: Store, *, overdue_days: int = 14, now_ms: int | None = None) -> list[dict[str, Any]]:
    """For a coordinator: each worker of its areas (from the device directory) with the time of the
    last bundle received from it and ``in`` (within ``overdue_days``), ``overdue`` or ``never``."""
    now = now_ms if now_ms is not None else hlc_mod.now_ms()
    last: dict[str, int] = {}
    for e in bundle_log(store):
        if e.get("dir") == "received" and isinstance(e.get("at_ms"), int):
            last[str(e.get("from"))] = max(last.get(str(e.get("from")), 0), e["at_ms"])
    mine = json.loads(store.meta().get("enrolled_areas") or "[]")
    out = []
    for d in D.directory(store).get("devices", []):
        if (not isinstance(d, dict) or d.get("role") != "worker" or d.get("device_id") == store.device_id
                or d.get("revoked") or not any(_overlap(a, b) for a in d.get("areas", []) for b in mine)):
            continue
        seen = last.get(str(d["device_id"]))
        state = "never" if seen is None else ("in" if now - seen <= overdue_days * 86400 * 1000 else "overdue")
        out.append({"device_id": d["device_id"], "user": d.get("user"), "areas": d.get("areas", []),
                    "last_bundle_ms": seen, "state": state})
    return sorted(out, key=lambda r: (r["state"] != "overdue", r["state"] != "never", str(r["user"])))


def check_written(path: Path, me: str, keys: list[Any], public: str, bundle_id: str, total: int) -> None:
    """Read a bundle just written back, whole (signature, every part's hash), before saying it may go."""
    opened = F.open_bundle(path, me=me, my_keys=keys, sender_key=lambda s, m: (public, False))
    n = sum(1 for _ in opened.parts())
    if opened.bundle_id != bundle_id or n != opened.part_count() or opened.manifest.get("changes", total) != total:
        raise BundleError("bundle.damaged", "written file does not read back")


def _sender_key(store: Store) -> F.SenderKey:
    found = D.directory(store)
    server = found.get("server") or {}
    server_key = store.meta().get("sync_server_key") or ""

    def lookup(sender: str, manifest: dict[str, Any]) -> tuple[str, bool] | None:
        if sender == server.get("device_id") and server_key:
            # Signed with a rotated key: the one the trusted key handed over to (steps in the manifest).
            return _followed(server_key, manifest) or server_key, False
        entry = D.device_entry(store, sender)
        if entry is not None and isinstance(entry.get("public_key"), str):
            return entry["public_key"], bool(entry.get("revoked"))
        return None

    return lookup


def _followed(server_key: str, manifest: dict[str, Any]) -> str | None:
    chain = manifest.get("server_keys")
    return keyroll.follow(server_key, chain) if isinstance(chain, str) else None


def learn_server_keys(store: Store, opened: F.Opened) -> None:
    """After a server's bundle or receipt checked out: trust the rotated signing key it was signed
    with (reached from the trusted key through announcements each signed by the key before) and
    keep the device directory it carries (the server's new encryption key, announced by its signing
    key: else ``sync.bad_key_announcement`` and nothing changes), so the next bundle is sealed to it."""
    server = (D.directory(store).get("server") or {}).get("device_id")
    if opened.sender != server:
        return
    man = opened.manifest
    with store.transaction():
        newer = _followed(store.meta().get("sync_server_key") or "", man)
        if newer is not None:
            store.set_meta("sync_server_key", newer)
        text, sig = man.get("directory"), man.get("directory_sig")
        if isinstance(text, str) and isinstance(sig, str):
            D.keep_directory(store, text, sig)


def open_for_me(store: Store, path: Path) -> F.Opened:
    """Check a bundle or receipt addressed to this laptop (refusals: errors.BundleError)."""
    _identity(store)
    opened = F.open_bundle(path, me=store.device_id, my_keys=[D.enc_key(store)], sender_key=_sender_key(store))
    if opened.revoked:
        raise BundleError("bundle.held", opened.sender, words=HELD_ON_LAPTOP)
    return opened


def preview(store: Store, path: Path) -> dict[str, Any]:
    """What a bundle holds, checked (signature, recipient, every part) but not applied: the sender
    (``server`` for the server), its kind, when it was made, the first and last change time and
    the counts per record type (the GUI shows it before asking to apply)."""
    opened = open_for_me(store, path)
    for _ in opened.parts():
        pass
    man = opened.manifest
    server_id = (D.directory(store).get("server") or {}).get("device_id")
    entry = D.device_entry(store, opened.sender)
    got = man.get("counts")
    counts: dict[str, Any] = got if isinstance(got, dict) else {}
    return {"bundle_id": opened.bundle_id, "sender": "server" if opened.sender == server_id else opened.sender,
            "sender_user": (entry or {}).get("user") if opened.sender != server_id else None,
            "kind": opened.kind, "direction": man.get("direction"), "created_ms": man.get("created_ms"),
            "from_ms": man.get("from_ms"), "until_ms": man.get("until_ms"),
            "changes": sum(int(p.get("count") or 0) for p in man["parts"]),
            "counts": {str(k): int(v) for k, v in counts.items() if isinstance(v, int)}}


OWN_BUNDLE = ("这是本机自己导出的同步包：请把它带到服务器（或协调员的电脑）导入，不要导入本机；没有导入任何内容",
              "This is this laptop's own bundle: take it to the server (or the coordinator's laptop); nothing was "
              "imported")


def import_bundle(store: Store, path: Path, *, receipt: Path | None = None) -> ImportSummary:
    """Apply a bundle addressed to this laptop; write a receipt for its sender (default: next to the
    bundle, ``NAME.receipt.lehe``)."""
    opened = open_for_me(store, path)
    if opened.kind != "changes":
        raise BundleError("bundle.wrong_kind", opened.kind)
    if opened.sender == store.device_id:
        # It opens here (a laptop reads its own bundle back to check it), but applying it would only
        # write a useless receipt, possibly over the server's receipt beside it on the stick.
        raise BundleError("bundle.wrong_kind", words=OWN_BUNDLE)
    direction = opened.manifest.get("direction")
    kind = PullReply if direction == "pull" else Push
    receipts = _receipt_parts(opened)
    # Everything is decoded once before anything is applied: a bad part refuses the whole bundle.
    for i, raw in enumerate(opened.parts(), start=1):
        try:
            decode(raw, ReceiptBody if i in receipts else kind)
        except BadMessage:
            raise BundleError("bundle.damaged", "change data") from None
    summary = ImportSummary(bundle_id=opened.bundle_id, sender=opened.sender)
    server_id = (D.directory(store).get("server") or {}).get("device_id")
    results: list[tuple[str, int, str, int]] = []
    if direction == "pull" and opened.sender != server_id:
        raise BundleError("bundle.tampered", "only the server sends updates")
    learn_server_keys(store, opened)
    with _fewer_checkpoints(store):         # as a sync: one checkpoint at the end, not one per part
        if direction == "pull":
            _apply_pulls(store, opened, summary)
        else:
            _apply_relayed(store, opened, summary, results)
    out = receipt or path.with_name(path.name.removesuffix(".lehe") + ".receipt.lehe")
    write_receipt(store, out, opened, results)
    summary.receipt = str(out)
    with store.transaction():
        _log(store, {"dir": "received", "bundle_id": opened.bundle_id,
                     "from": "server" if opened.sender == server_id else opened.sender,
                     "applied": summary.applied, "duplicates": summary.duplicates, "refused": summary.refused,
                     "made_ms": opened.manifest.get("created_ms"), "at_ms": hlc_mod.now_ms()})
    return summary


def _apply_pulls(store: Store, opened: F.Opened, summary: ImportSummary) -> None:
    """A server's bundle: its pages applied like pull pages; the pull cursor moves only when the
    bundle starts at or before it (an older bundle arriving later changes nothing twice)."""
    assumed = opened.manifest.get("assumed") or {}
    merger = Merger(store)
    before = store.open_conflicts()
    receipts = _receipt_parts(opened)
    for i, raw in enumerate(opened.parts(), start=1):
        if i in receipts:
            # The server's receipts for this laptop's recent bundles travel with its updates.
            taken = _take_receipt(store, decode(raw, ReceiptBody), from_server=True)
            summary.acknowledged += taken.pushed + taken.rejected
            continue
        page = decode(raw, PullReply)
        changes: list[Change] = list(page.changes)
        pairs: list[tuple[Change, int | None]] = [(c, c.server_seq) for c in page.changes]
        refs = proof.expand(page.proofs, len(changes), len(page.batches))
        proven = {(c.origin, c.seq): i for c, i in zip(changes, refs, strict=True) if i >= 0}
        with store.transaction():
            local = _store_batches(store, page.batches)
            merger.proofs = {key: (local[i], None, None) for key, i in proven.items()}
            with merger.batch(changes, merger.prepare(changes)):
                merger.apply_page(pairs)
            merger.retry_held()
    meta = store.meta()
    cursor = int(meta.get("sync_pull_cursor") or 0)
    after, until = assumed.get("after"), assumed.get("until")
    epoch_ok = assumed.get("server_epoch") == (meta.get("sync_server_epoch") or assumed.get("server_epoch"))
    if (epoch_ok and isinstance(after, int) and isinstance(until, int) and after <= cursor < until
            and _made_for_me(store, opened.manifest)):
        with store.transaction():
            store.set_meta("sync_pull_cursor", str(until))
            store.set_meta("sync_server_epoch", str(assumed.get("server_epoch")))
    summary.applied += merger.result.applied
    summary.duplicates += merger.result.duplicates
    summary.held = int(store.query_value("SELECT count(*) FROM changes WHERE status = 'held'", default=0))
    summary.conflicts = max(0, store.open_conflicts() - before)


def _made_for_me(store: Store, manifest: dict[str, Any]) -> bool:
    """Whether a server's bundle holds everything this laptop would pull in its range, so its pull
    cursor may move past it: one made for this device, or for an area that covers every area this
    laptop has (not an admin's: it pulls everything). A coordinator may open the bundle made for one
    of its workers (it carries it), but that leaves out the worker's own changes and anything
    outside the worker's areas: applied, it moves nothing, else the coordinator would never pull what
    it left out."""
    target = manifest.get("target")
    if not isinstance(target, str) or not target:
        return False
    if target == store.device_id:
        return True
    meta = store.meta()
    mine = json.loads(meta.get("enrolled_areas") or "[]")
    return (meta.get("enrolled_role") != "admin" and bool(mine)
            and all(a == target or str(a).startswith(target + "/") for a in mine))


def _receipt_parts(opened: F.Opened) -> frozenset[int]:
    got = opened.manifest.get("receipts")
    return frozenset(i for i in got if type(i) is int) if isinstance(got, list) else frozenset()


def _apply_relayed(store: Store, opened: F.Opened, summary: ImportSummary,
                   results: list[tuple[str, int, str, int]]) -> None:
    """A device's bundle on a coordinator's laptop: its changes are kept, unsent, with the proofs of
    the devices that made them, and go up with this laptop's next sync or bundle. A change that no
    valid signature of its device covers is refused."""
    found = D.directory(store)
    keys: dict[str, str] = {}
    server = found.get("server") or {}
    if server.get("device_id"):
        keys[str(server["device_id"])] = store.meta().get("sync_server_key") or ""
    for d in found.get("devices", []):
        if isinstance(d, dict) and isinstance(d.get("public_key"), str) and not d.get("revoked"):
            keys[str(d["device_id"])] = d["public_key"]
    merger = Merger(store)
    for raw in opened.parts():
        push = decode(raw, Push)
        refs = proof.expand(push.proofs, len(push.changes), len(push.batches))
        good: list[int] = []
        sets: dict[int, frozenset[bytes]] = {}
        for i, b in enumerate(push.batches):
            blob = proof.batch_blob(b)
            if blob is not None and b.device in keys and proof.verify_batch(keys[b.device], b, blob):
                good.append(i)
                sets[i] = proof.digest_set(blob)
        with store.transaction():
            local = dict(zip(good, _store_batches(store, [push.batches[i] for i in good]), strict=True))
            take: list[Change] = []
            merger.proofs = {}
            for ch, ref in zip(push.changes, refs, strict=True):
                digest = proof.change_digest(ch)
                if ref in sets and push.batches[ref].device == proof.device_of(ch.origin) and digest in sets[ref]:
                    take.append(ch)
                    merger.proofs[(ch.origin, ch.seq)] = (local[ref], digest, None)
                else:
                    summary.refused += 1
                    results.append((ch.origin, ch.seq, "rejected", -1))
            with merger.batch(take):
                for ch in take:
                    status, _ = merger.apply_one(ch, None)
                    results.append((ch.origin, ch.seq, status, 0))
            merger.retry_held()
    summary.applied += merger.result.applied
    summary.duplicates += merger.result.duplicates
    summary.held += merger.result.held


def write_receipt(store: Store, out: Path, opened: F.Opened, results: list[tuple[str, int, str, int]]) -> str:
    """A receipt for ``opened``'s sender: what this laptop took in (sealed to the sender)."""
    key, found = _identity(store)
    sender = opened.sender
    server = found.get("server") or {}
    entry = server if sender == server.get("device_id") else D.device_entry(store, sender)
    rkey = _key_of(entry)
    if rkey is None:
        raise NotFoundError("bundle.no_recipient", f"设备名单里没有发送方的加密密钥：{sender}",
                            f"The device list has no encryption key for the sender: {sender}")
    meta = store.meta()
    body = encode({"results": results, "cursor": int(meta.get("sync_pull_cursor") or 0),
                   "server_epoch": meta.get("sync_server_epoch") or ""})
    now = hlc_mod.now_ms()
    manifest = {"kind": "receipt", "for_bundle": opened.bundle_id, "created_ms": now, "schema": SCHEMA_VERSION}
    return F.seal(out, sender=store.device_id, sign_key=key, recipients={sender: rkey}, manifest=manifest,
                  parts=[F.Part.of(body, len(results))], created_ms=now)


def import_receipt(store: Store, path: Path) -> dict[str, Any]:
    """Take in a receipt for one of this laptop's bundles: the server's (its answers, as for a push)
    or a coordinator's (the coordinator now carries those changes: not sent again from here)."""
    opened = open_for_me(store, path)
    if opened.kind != "receipt":
        raise BundleError("bundle.wrong_kind", opened.kind)
    parts = list(opened.parts())
    try:
        data = decode(parts[0], ReceiptBody) if parts else ReceiptBody()
    except BadMessage:
        raise BundleError("bundle.damaged", "receipt") from None
    server_id = (D.directory(store).get("server") or {}).get("device_id")
    learn_server_keys(store, opened)
    result = _take_receipt(store, data, from_server=opened.sender == server_id)
    with store.transaction():
        log = bundle_log(store)
        for e in log:
            if e.get("dir") == "sent" and e.get("bundle_id") == opened.manifest.get("for_bundle"):
                if e.get("receipt_ms") and not (result.pushed or result.rejected):
                    continue   # the same receipt again: the log keeps what the first one answered
                e.update(receipt_ms=hlc_mod.now_ms(), acknowledged=result.pushed, refused=result.rejected,
                         receipt_from="server" if opened.sender == server_id else opened.sender)
        store.set_meta("bundle_log", json.dumps(log[-LOG_KEEP:], ensure_ascii=False))
    return {"bundle_id": opened.manifest.get("for_bundle"), "from": opened.sender, "acknowledged": result.pushed,
            "refused": result.rejected, "server_held": result.server_held}


def _take_receipt(store: Store, data: ReceiptBody, *, from_server: bool) -> SyncResult:
    """Record a receipt's answers for the changes this laptop still has unsent (idempotent)."""
    result = SyncResult()
    reasons = {(r.origin, r.seq): r for r in data.rejected}
    rows: list[tuple[Any, ...]] = []
    answers: list[tuple[str, int | None]] = []
    for origin, seq, status, server_seq in data.results:
        # Only changes this laptop still has unsent are answered (a receipt never reopens anything).
        got = store.query_one("SELECT rtype, rid FROM changes WHERE origin = ? AND seq = ? AND server_seq IS NULL",
                              (origin, seq))
        if got is None:
            continue
        if not from_server and status == "rejected":
            continue          # a coordinator refusing a change: it stays here, for the server
        why = reasons.get((origin, seq))
        rows.append((origin, seq, None, None, got[0], got[1]))
        answers.append((status, server_seq if from_server else 0))
        if why is None and status == "rejected":
            reasons[(origin, seq)] = Rejected(origin=origin, seq=seq, code="rejected")
    if rows:
        _ack(store, rows, PushReply(results=answers, rejected=list(reasons.values())), result, [])
    return result
