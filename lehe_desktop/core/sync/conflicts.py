"""Listing and resolving sync conflicts and rejected changes (laptop side).

A resolution is itself a change: the chosen value is written as a normal update whose base
names the current (winning) version, and the conflict record is marked resolved — both sync
like any other edit, so the conflict closes on every copy.

A refused change (``rejects``) is acknowledged on this laptop only: ``dismiss_rejected``
stamps who and when and the row stays (an audit trail); the default list hides it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from ..errors import NotFoundError, StateError, UsageError
from ..store.store import Store
from .merge import CONFLICT, type_of, undelete


def _row(store: Store, cid: str) -> dict[str, Any] | None:
    rows = store.query_dicts("SELECT * FROM conflicts WHERE id = ?", (cid,))
    return rows[0] if rows else None


def _public(rec: dict[str, Any]) -> dict[str, Any]:
    def load(text: str | None) -> Any:
        return json.loads(text) if text else None

    return {"id": rec["id"], "type": rec["rtype"], "record_id": rec["rid"], "field": rec["field"],
            "kind": rec["kind"], "status": rec["status"], "winner_value": load(rec["winner_value"]),
            "winner_version": load(rec["winner_version"]), "other_value": load(rec["other_value"]),
            "other_version": load(rec["other_version"]), "detected_at": rec["detected_at"],
            "resolution": rec["resolution"], "resolved_by": rec["resolved_by"], "resolved_at": rec["resolved_at"]}


def list_conflicts(store: Store, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    sql = "SELECT * FROM conflicts WHERE deleted = 0"
    if not include_resolved:
        sql += " AND status = 'open'"
    return [_public(rec) for rec in store.query_dicts(sql + " ORDER BY detected_at, id")]


def _iso(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))


def list_rejected(store: Store, *, include_dismissed: bool = False) -> list[dict[str, Any]]:
    """Changes the server refused; dismissed ones only with ``include_dismissed`` (``dismissed_at`` set)."""
    sql = ("SELECT r.origin, r.seq, r.rtype, r.rid, r.code, r.zh, r.en, r.at, c.fields, r.dismissed_at, "
           "r.dismissed_by FROM rejects r LEFT JOIN changes c ON c.origin = r.origin AND c.seq = r.seq")
    if not include_dismissed:
        sql += " WHERE r.dismissed_at IS NULL"
    rows = store.query(sql + " ORDER BY r.at, r.origin, r.seq")
    return [{"origin": o, "seq": s, "type": t, "id": i, "code": code, "zh": zh, "en": en, "at": _iso(at),
             "fields": json.loads(f) if f else None, "dismissed_at": _iso(d_at) if d_at is not None else None,
             "dismissed_by": d_by} for o, s, t, i, code, zh, en, at, f, d_at, d_by in rows]


def count_rejected(store: Store) -> int:
    """Refused changes not yet acknowledged (what the default ``list_rejected`` lists), counted only."""
    return int(store.query_value("SELECT count(*) FROM rejects WHERE dismissed_at IS NULL", default=0))


def parse_reject_key(key: str) -> tuple[str, int]:
    """``ORIGIN:SEQ`` (the origin is ``device:epoch`` itself, so the sequence is after the last colon)."""
    if key.strip().lower() == "all":   # only ever here next to other keys
        raise UsageError("reject.bad_key", "all 须单独使用，不能与 ORIGIN:SEQ 同时给出",
                         "Give all on its own, not together with ORIGIN:SEQ keys")
    origin, _, seq = key.strip().rpartition(":")
    if not origin or not seq.isdigit() or int(seq) <= 0:
        raise UsageError("reject.bad_key", f"被拒绝修改的编号应为 ORIGIN:SEQ 或 all：{key}",
                         f"A refused change is named ORIGIN:SEQ or all: {key}")
    return origin, int(seq)


def dismiss_rejected(store: Store, keys: str | Sequence[str]) -> list[dict[str, Any]]:
    """Acknowledge refused changes: ``"all"`` (every one not yet dismissed), or ``ORIGIN:SEQ`` keys.

    All or nothing: a malformed key (``reject.bad_key``), an unknown one (``reject.not_found``)
    or one already dismissed (``reject.dismissed``) changes nothing. Returns what was dismissed.
    """
    names = [keys] if isinstance(keys, str) else list(keys)
    if not names:
        raise UsageError("reject.bad_key", "请给出 ORIGIN:SEQ 或 all", "Give ORIGIN:SEQ or all")
    now = int(time.time() * 1000)
    with store.transaction():
        if names == ["all"]:
            wanted = store.query("SELECT origin, seq FROM rejects WHERE dismissed_at IS NULL")
        else:
            wanted = [parse_reject_key(k) for k in names]
            for (origin, seq), key in zip(wanted, names, strict=True):
                row = store.query_one("SELECT dismissed_at FROM rejects WHERE origin = ? AND seq = ?",
                                      (origin, seq))
                if row is None:
                    raise NotFoundError("reject.not_found", f"没有这条被拒绝的修改：{key}",
                                        f"No refused change {key}")
                if row[0] is not None:
                    raise StateError("reject.dismissed", f"这条被拒绝的修改已经确认过了：{key}",
                                     f"This refused change has already been dismissed: {key}")
        store.executemany("UPDATE rejects SET dismissed_at = ?, dismissed_by = ? WHERE origin = ? AND seq = ?",
                          [(now, store.user, o, s) for o, s in dict.fromkeys(map(tuple, wanted))])
    done = {(o, s) for o, s in wanted}
    return [r for r in list_rejected(store, include_dismissed=True) if (r["origin"], r["seq"]) in done]


def resolve_conflict(store: Store, cid: str, keep: str) -> dict[str, Any]:
    """Keep the LWW ``winner`` or the ``other`` value; returns the resolved conflict."""
    if keep not in ("winner", "other"):
        raise UsageError("conflict.keep", "--keep 只能是 winner 或 other", "--keep must be winner or other")
    with store.transaction():
        rec = _row(store, cid)
        if rec is None:
            raise NotFoundError("conflict.not_found", f"找不到冲突：{cid}", f"Conflict not found: {cid}")
        if rec["status"] != "open":
            raise StateError("conflict.resolved", "这个冲突已经处理过了", "This conflict has already been resolved")
        rt = type_of(rec["rtype"])
        if keep == "other" and rt is not None:
            if rec["kind"] == "edit_after_delete":
                undelete(store, rt.name, rec["rid"])
            else:
                target = store.get(rt.name, rec["rid"], include_deleted=True)
                if target is not None:
                    value = json.loads(rec["other_value"]) if rec["other_value"] else None
                    versions = json.loads(target["versions"])
                    cur = store.field_version(versions, rec["field"])
                    base = {rec["field"]: [cur[0], cur[1]]} if cur else None
                    if rt.has_field(rec["field"]) and target.get(rec["field"]) != value:
                        if target["deleted"]:
                            store.write_fields(rt, target, {rec["field"]: value}, base, [])
                        else:
                            store.update(rt.name, rec["rid"], {rec["field"]: value}, base=base)
        store.write_fields(CONFLICT, rec, {"status": "resolved", "resolution": keep, "resolved_by": store.user,
                                          "resolved_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                          None, [])
        out = _row(store, cid)
    assert out is not None
    return _public(out)
