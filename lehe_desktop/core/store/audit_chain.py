"""The audit log's hash chain (schema 10), below the store: how an entry is hashed and appended.

An entry's ``hash`` is SHA-256 of the previous entry's hash (32 bytes; ``GENESIS`` before the
first) followed by the entry's body digest — SHA-256 of the canonical JSON of
``[seq, at, user, device, action, detail]``. The server is sent only body digests (``links``)
and the head, and can recompute the chain from the head it already holds (docs/security.md).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlcipher3

GENESIS = "0" * 64
HEAD_KEY = "audit_head"      # meta: "seq:hash" of the newest entry
MISMATCH = "chain_mismatch"     # detail key: the head meta held when the entry found another
SERVER_HEAD_KEY = "audit_server_head"     # meta: "seq:hash" of the last head the server accepted
DETAIL_IDS = 50          # record ids named in one entry; beyond that, counts and the change range


def canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def body_digest(seq: int, at: str, user: str | None, device: str, action: str, detail: str) -> bytes:
    return hashlib.sha256(canonical([seq, at, user, device, action, detail]).encode("utf-8")).digest()


def link(prev: str, digest: bytes) -> str:
    """The hash of an entry whose predecessor hashed to ``prev`` (hex) and whose body is ``digest``."""
    return hashlib.sha256(bytes.fromhex(prev) + digest).hexdigest()


def now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def head(conn: sqlcipher3.Connection) -> tuple[int, str]:
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def append(conn: sqlcipher3.Connection, *, user: str | None, device: str, action: str,
           detail: dict[str, Any]) -> int:
    """Append one entry (inside the caller's transaction); returns its sequence number."""
    seq, prev = head(conn)
    got = conn.execute("SELECT v FROM meta WHERE k = ?", (HEAD_KEY,)).fetchone()
    if got and got[0] != f"{seq}:{prev}":
        # The newest entries were removed (or the log replaced) since the last append: say so in
        # this entry, so writing on does not hide it (``verify`` reports the entry).
        detail = {**detail, MISMATCH: got[0]}
    seq += 1
    at = now_text()
    text = canonical(detail)
    digest = body_digest(seq, at, user, device, action, text)
    new = link(prev, digest)
    conn.execute("INSERT INTO audit_log(seq, at, user, device, action, detail, prev, hash) VALUES (?,?,?,?,?,?,?,?)",
                 (seq, at, user, device, action, text, prev, new))
    # The head, also in meta: removing the newest entries alone then shows (the server's copy of
    # the head is what a thorough editor cannot reach).
    conn.execute("INSERT OR REPLACE INTO meta(k, v) VALUES (?, ?)", (HEAD_KEY, f"{seq}:{new}"))
    return seq


def change_detail(conn: sqlcipher3.Connection, origin: str, first: int, last: int) -> tuple[str, dict[str, Any]]:
    """What one transaction's own changes (``origin``, seq ``first``..``last``) did: action and detail.

    Counts per record type and kind, the first ``DETAIL_IDS`` record ids, and the change range
    (the change log names every record of a bulk). Never a field value.
    """
    counts: dict[str, dict[str, int]] = {}
    kinds: set[str] = set()
    for rtype, kind, n in conn.execute(
            "SELECT rtype, CASE WHEN kind = 'delete' THEN 'delete' WHEN base IS NULL THEN 'create' "
            "ELSE 'update' END AS k, count(*) FROM changes WHERE origin = ? AND seq BETWEEN ? AND ? "
            "GROUP BY rtype, k", (origin, first, last)):
        counts.setdefault(rtype, {})[kind] = n
        kinds.add(kind)
    ids = [[r, i] for r, i in conn.execute(
        "SELECT rtype, rid FROM changes WHERE origin = ? AND seq BETWEEN ? AND ? ORDER BY seq LIMIT ?",
        (origin, first, last, DETAIL_IDS))]
    total = sum(n for by_kind in counts.values() for n in by_kind.values())
    detail: dict[str, Any] = {"records": counts, "ids": ids, "changes": [origin, first, last]}
    if total > len(ids):
        detail["more"] = total - len(ids)
    action = kinds.pop() if len(kinds) == 1 else "write"
    return action, detail


def merge_detail(into: dict[str, Any], detail: dict[str, Any]) -> None:
    """Fold one transaction's detail into an action's (a bulk import or a sync over many transactions)."""
    for rtype, by_kind in detail.get("records", {}).items():
        mine = into.setdefault("records", {}).setdefault(rtype, {})
        for kind, n in by_kind.items():
            mine[kind] = mine.get(kind, 0) + n
    ids = into.setdefault("ids", [])
    room = DETAIL_IDS - len(ids)
    ids.extend(detail.get("ids", [])[:max(room, 0)])
    extra = len(detail.get("ids", [])) - max(room, 0) + int(detail.get("more", 0))
    if extra > 0:
        into["more"] = int(into.get("more", 0)) + extra
    if "changes" in detail:
        into.setdefault("change_ranges", []).append(detail["changes"])


# ---------------------------------------------------------------- the head the server keeps

ROWS_SQL = "SELECT seq, at, user, device, action, detail, prev, hash FROM audit_log ORDER BY seq"
ROWS_AFTER_SQL = "SELECT seq, at, user, device, action, detail, prev, hash FROM audit_log WHERE seq > ? ORDER BY seq"


def server_seq(known: str | None) -> int:
    """The entry number in meta ``SERVER_HEAD_KEY`` ("seq:hash"), 0 if none."""
    seq_text = (known or "").partition(":")[0]
    return int(seq_text) if seq_text.isdigit() else 0


def head_report(since: int, since_hash: str | None, rows_after: Sequence[Sequence[Any]]) -> dict[str, Any]:
    """What the sync tells the server: the head, and the body digests since the head it accepted.

    ``since`` is the entry the server last accepted and ``since_hash`` its hash here (None: that
    entry is gone, so the report starts at the chain's beginning and ``rows_after`` must be all
    rows); ``rows_after`` are ``ROWS_AFTER_SQL``'s rows after it.
    """
    if since_hash is None:
        since, since_hash = 0, GENESIS
    links = [body_digest(r[0], r[1], r[2], r[3], r[4], r[5]).hex() for r in rows_after]
    head_seq, head_hash = (rows_after[-1][0], rows_after[-1][7]) if rows_after else (since, since_hash)
    return {"since": since, "since_hash": since_hash, "links": links, "seq": head_seq, "hash": head_hash}


def check_report(known: tuple[int, str] | None, since: int, since_hash: str, links: list[str],
                 seq: int, hash_: str) -> tuple[str, str]:
    """The server's check of a reported head against the one it holds: ``(status, reason)``.

    "ok" — the reported chain runs through the known head and on to the reported one; "new" —
    nothing known yet; "gap" — the laptop reports from beyond the known head (the server's own
    data was restored): adopted, flagged; "cut" / "rewritten" — the chain does not extend the
    known head: refused (the known head is kept) and flagged.
    """
    if since + len(links) != seq:
        return "rewritten", "the reported links do not reach the reported head"
    h = since_hash
    chain: dict[int, str] = {since: h}
    try:
        for i, digest in enumerate(links, start=since + 1):
            h = link(h, bytes.fromhex(digest))
            chain[i] = h
    except ValueError:
        return "rewritten", "a link is not a digest"
    if h != hash_:
        return "rewritten", "the links do not hash to the reported head"
    if known is None or known[0] == 0:
        return "new", ""
    known_seq, known_hash = known
    if seq < known_seq:
        return "cut", f"the chain ends at entry {seq}; entry {known_seq} was seen before"
    if since > known_seq:
        return "gap", f"entries {known_seq + 1}–{since} were never shown to this server"
    if chain.get(known_seq) != known_hash:
        return "rewritten", f"entry {known_seq} differs from the one seen before"
    return "ok", ""
