"""Listing and resolving sync conflicts and rejected changes (laptop side).

A resolution is itself a change: the chosen value is written as a normal update whose base
names the current (winning) version, and the conflict record is marked resolved — both sync
like any other edit, so the conflict closes on every copy.

A refused change (``rejects``) is acknowledged on this laptop only: ``dismiss_rejected``
stamps who and when and the row stays (an audit trail); the default list hides it. A change
refused because its record lies outside this device's areas can instead be fixed:
``move_and_resend`` moves the record into one of the device's areas and queues the whole record
and everything that belongs to it as fresh changes, and marks those refusals dealt with.
``describe_rejected`` words refusals for people (the Sync problems dialog, the coordinator's export).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from ..errors import NotFoundError, StateError, UsageError
from ..ids import normalise_area_path
from ..records.schema import Kind, RecordType, all_types
from ..store.store import Store
from .merge import CONFLICT, type_of, undelete

# Refusals "move to one of my villages and send again" can fix: the record's area is the reason.
SCOPE_CODES = frozenset({"scope.outside", "scope.parent_refused"})


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
    """Refused changes not yet dealt with (what the default ``list_rejected`` lists), counted only."""
    return int(store.query_value("SELECT count(*) FROM rejects WHERE dismissed_at IS NULL", default=0))


# ---------------------------------------------------------------------- refusals in words


def _pick(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def record_label(store: Store, rtype: str, rid: str, lang: str = "zh") -> str:
    """A record as a person names it: its type and its title, e.g. "户 · 王大山户". A row without a
    title of its own (a category, a phone) is named by the record it belongs to ("户类别 · 王大山户"),
    never by its type twice."""
    rt = type_of(rtype)
    if rt is None:
        return f"{rtype} {rid[:8]}"
    name = _pick(lang, rt.zh, rt.en)
    rec = store.get(rt.name, rid, include_deleted=True) if rid else None
    if rec is None:
        return f"{name} {rid[:8]}".strip()
    title = store.title(rt, rec) if rt.title is not None else ""
    if not title and rt.parent_field and rec.get(rt.parent_field):
        parent = type_of(rt.field(rt.parent_field).ref or "")
        prec = store.get(parent.name, rec[rt.parent_field], include_deleted=True) if parent is not None else None
        if parent is not None and prec is not None:
            title = store.title(parent, prec) if parent.title is not None else ""
    return f"{name} · {title}" if title and title != name else name


def field_label(rtype: str, fname: str | None, lang: str = "zh") -> str:
    """A field's label in ``lang`` (the name itself for a field this version does not know)."""
    if not fname:
        return ""
    if fname == "deleted":
        return _pick(lang, "删除/恢复", "Deleted / restored")
    rt = type_of(rtype)
    if rt is None or not rt.has_field(fname):
        return fname
    f = rt.field(fname)
    return _pick(lang, f.zh, f.en)


def describe_rejected(store: Store, lang: str = "zh", *, include_dismissed: bool = False) -> list[dict[str, Any]]:
    """``list_rejected`` worded for people: ``record`` (type and title), ``field`` (the labels of the
    fields the change carried, or 整条记录 / whole record for a new record), ``reason`` in ``lang``,
    ``movable`` (a scope refusal whose record can be moved into one of this device's areas)."""
    out = []
    owners: dict[tuple[str, str], bool] = {}
    for r in list_rejected(store, include_dismissed=include_dismissed):
        rtype, rid = r["type"] or "", r["id"] or ""
        names = [f for f in (r["fields"] or {}) if f not in ("id", "extra", "versions", "updated_hlc")]
        rt = type_of(rtype)
        whole = rt is not None and len(names) >= len(rt.field_names)
        key = (rtype, rid)
        if key not in owners:
            owners[key] = r["code"] in SCOPE_CODES and area_owner(store, rtype, rid) is not None
        if whole or not names:
            field = _pick(lang, "整条记录", "Whole record")
        else:
            field = _pick(lang, "、", ", ").join(field_label(rtype, f, lang) for f in names)
        out.append({**r, "key": f"{r['origin']}:{r['seq']}", "record": record_label(store, rtype, rid, lang),
                    "field": field, "reason": _pick(lang, r["zh"], r["en"]), "movable": owners[key]})
    return out


# ---------------------------------------------------------------------- move and send again


def _refs(rt: RecordType) -> tuple[list[str], list[tuple[str, str]]]:
    """(fields referring to an area, other references as (field, type) with the parent first)."""
    refs = [f for f in rt.fields if f.kind is Kind.REF and f.ref]
    others = sorted((f for f in refs if f.ref != "area"), key=lambda f: f.name != rt.parent_field)
    return [f.name for f in refs if f.ref == "area"], [(f.name, str(f.ref)) for f in others]


def area_owner(store: Store, rtype: str, rid: str) -> tuple[RecordType, dict[str, Any]] | None:
    """The record whose area decides where ``(rtype, rid)`` belongs, as the server decides it: the
    record itself when it names an area (a household, an activity), otherwise the owner of its parent
    (``parent_field``) or of its first other reference that is set. None for areas themselves, for
    records that name no area anywhere, and for records not on this laptop."""
    seen: set[tuple[str, str]] = set()
    while (rtype, rid) not in seen and len(seen) < 32:
        seen.add((rtype, rid))
        rt = type_of(rtype)
        if rt is None or rt is CONFLICT or rt.name == "area" or not rid:
            return None
        rec = store.get(rt.name, rid, include_deleted=True)
        if rec is None:
            return None
        area_fields, others = _refs(rt)
        if area_fields and (any(rec.get(f) for f in area_fields) or not others):
            return rt, rec
        nxt = next(((ref, rec[f]) for f, ref in others if rec.get(f)), None)
        if nxt is None:
            return (rt, rec) if area_fields else None
        rtype, rid = nxt
    return None


def my_areas(store: Store) -> list[dict[str, str]]:
    """The areas this device is enrolled for, and the areas on this laptop below them, as
    ``{"id", "path", "name"}`` sorted by path: where a refused record may be moved."""
    try:
        enrolled = [normalise_area_path(str(p)) for p in json.loads(store.meta().get("enrolled_areas") or "[]")]
    except (ValueError, TypeError):
        enrolled = []
    enrolled = [p for p in enrolled if p]
    out: dict[str, dict[str, str]] = {}
    for path, aid, name in store.query("SELECT path, id, name FROM areas WHERE deleted = 0 AND path IS NOT NULL"):
        if any(path == p or path.startswith(p + "/") for p in enrolled):
            out[path] = {"id": aid, "path": path, "name": name or path.rsplit("/", 1)[-1]}
    for p in enrolled:
        if p not in out:     # not made on this laptop yet: ensure_area makes it when chosen
            out[p] = {"id": "", "path": p, "name": p.rsplit("/", 1)[-1]}
    return [out[p] for p in sorted(out)]


def _tree(store: Store, root: tuple[RecordType, dict[str, Any]]) -> list[tuple[RecordType, dict[str, Any]]]:
    """The root and every record that belongs to it (whose ``area_owner`` is in the tree, or that
    names no area at all and is linked to the tree: a task linked to the household), parents first."""
    types = [rt for rt in all_types() if rt.synced and rt.name != "area" and store.table_exists(rt.table)]
    found: dict[tuple[str, str], tuple[RecordType, dict[str, Any]]] = {(root[0].name, root[1]["id"]): root}
    by_type: dict[str, set[str]] = {root[0].name: {root[1]["id"]}}
    owner_of: dict[tuple[str, str], tuple[str, str] | None] = {}

    def owner(rtype: str, rid: str) -> tuple[str, str] | None:
        key = (rtype, rid)
        if key not in owner_of:
            got = area_owner(store, rtype, rid)
            owner_of[key] = (got[0].name, got[1]["id"]) if got is not None else None
        return owner_of[key]

    def belongs(rtype: str, rid: str) -> bool:
        o = owner(rtype, rid)
        return o is None or o in found

    frontier = [root]
    while frontier:
        nxt: list[tuple[RecordType, dict[str, Any]]] = []
        new_ids: dict[str, set[str]] = {}
        for rt, rec in frontier:
            new_ids.setdefault(rt.name, set()).add(rec["id"])
            _area, others = _refs(rt)
            for f, ref in others:    # upwards: a record this one names that names no area itself (a task)
                target = rec.get(f)
                ref_rt = type_of(ref)
                if target and ref_rt is not None and ref_rt.name != "area" and (ref, target) not in found                         and owner(ref, target) is None:
                    got = store.get(ref, target, include_deleted=True)
                    if got is not None:
                        found[(ref, target)] = (ref_rt, got)
                        by_type.setdefault(ref, set()).add(target)
                        nxt.append((ref_rt, got))
        for rt in types:            # downwards: records that name one of the new ones
            _area, others = _refs(rt)
            for f, ref in others:
                ids = sorted(new_ids.get(ref, ()))
                for i in range(0, len(ids), 500):
                    chunk = ids[i:i + 500]
                    for rec in store.query_dicts(
                            f"SELECT * FROM {rt.table} WHERE {f} IN ({', '.join('?' * len(chunk))})", chunk):
                        key = (rt.name, rec["id"])
                        if key not in found and belongs(rt.name, rec["id"]):
                            found[key] = (rt, rec)
                            by_type.setdefault(rt.name, set()).add(rec["id"])
                            nxt.append((rt, rec))
        frontier = nxt
        if len(found) > 100_000:
            raise StateError("reject.tree_too_large", "这条记录下的内容太多，无法一次重新发送",
                             "Too many records belong to this one to send them again at once")
    # Parents before children: the server must know a record's owner before the record.
    ordered: list[tuple[RecordType, dict[str, Any]]] = []
    placed: set[tuple[str, str]] = set()

    def place(key: tuple[str, str], depth: int = 0) -> None:
        if key in placed or depth > 64:
            return
        placed.add(key)
        rt, rec = found[key]
        for f, ref in _refs(rt)[1]:
            target = (ref, rec.get(f) or "")
            if target in found:
                place(target, depth + 1)
        ordered.append(found[key])

    for key in found:
        place(key)
    return ordered


def move_and_resend(store: Store, rtype: str, rid: str, area: str) -> dict[str, Any]:
    """"Move to one of my villages and send again" (移到我的村并重新发送), in one transaction:

    - the record that decides where ``(rtype, rid)`` belongs (``area_owner``: the household of a
      member or a visit) gets ``area`` (a path or an area id, one of ``my_areas``);
    - that record and every record belonging to it (members, visits with their needs, risk factors
      and referrals, phones, categories, linked tasks …) are queued again as fresh changes carrying
      every field, so the server — which refused them before — receives whole records, not only the
      field that changed; their older changes not yet sent are superseded (not sent);
    - the refusals of all those records are marked dealt with (``dismissed_at`` / ``dismissed_by``),
      and so is the refusal of the area the record came from once nothing here uses it any more.

    Returns ``{"type", "id", "area", "resent", "dealt_with"}``.
    """
    owner = area_owner(store, rtype, rid)
    if owner is None:
        raise StateError("reject.cannot_move", "这条记录不属于某个村，不能移动",
                         "This record does not belong to a village and cannot be moved")
    allowed = my_areas(store)
    wanted = normalise_area_path(area)
    target = next((a for a in allowed if (a["id"] and area == a["id"]) or (wanted and a["path"] == wanted)), None)
    if target is None:
        raise UsageError("reject.area_outside", "只能移到本设备负责的地区", "Records can only be moved to this device's areas")
    with store.transaction():
        aid = target["id"] or store.ensure_area(target["path"])
        resent, dealt = _requeue(store, owner, aid)
    rt, rec = owner
    return {"type": rt.name, "id": rec["id"], "area": target["path"], "resent": resent, "dealt_with": dealt}


def resend_moved(store: Store) -> int:
    """Before a push: a record refused for its area that has since been moved into one of this
    device's areas some other way (its form) is sent again whole, as ``move_and_resend`` does — the
    server never had it, so the moved field alone would make an empty record there. Returns how many
    records were queued again (0 almost always: one small query)."""
    rows = store.query("SELECT DISTINCT rtype, rid FROM rejects WHERE dismissed_at IS NULL AND code IN "
                       f"({', '.join('?' * len(SCOPE_CODES))})", sorted(SCOPE_CODES))
    if not rows:
        return 0
    enrolled = {a["path"] for a in my_areas(store)}
    owners: dict[tuple[str, str], tuple[RecordType, dict[str, Any]]] = {}
    for rtype, rid in rows:
        owner = area_owner(store, rtype or "", rid or "")
        if owner is None:
            continue
        area_fields, _others = _refs(owner[0])
        path = store.area_path(owner[1].get(area_fields[0]))
        if path and any(path == p or path.startswith(p + "/") for p in enrolled):
            owners[(owner[0].name, owner[1]["id"])] = owner
    if not owners:
        return 0
    total = 0
    with store.transaction():
        for rt, rec in owners.values():
            fresh = store.get(rt.name, rec["id"], include_deleted=True) or rec
            total += _requeue(store, (rt, fresh), fresh.get(_refs(rt)[0][0]))[0]
    return total


def _requeue(store: Store, owner: tuple[RecordType, dict[str, Any]], aid: Any) -> tuple[int, int]:
    """Inside the caller's transaction: give the owner area ``aid`` and queue it and its tree again as
    fresh every-field changes; their unsent changes are superseded and their refusals dealt with,
    as is the refusal of any area nothing here uses any more. Returns (records queued, refusals)."""
    now = int(time.time() * 1000)
    rt, rec = owner
    area_field = _refs(rt)[0][0]
    rec = {**rec, area_field: aid}
    tree = _tree(store, (rt, rec))
    keys = {(t.name, r["id"]) for t, r in tree}
    # Older changes of these records not yet sent would only be refused again: the fresh ones
    # below carry every field's current value.
    by_type: dict[str, list[str]] = {}
    for t, r in tree:
        by_type.setdefault(t.name, []).append(r["id"])
    for name, ids in by_type.items():
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            store.execute(f"UPDATE changes SET server_seq = -1 WHERE server_seq IS NULL AND origin = ? "
                          f"AND rtype = ? AND rid IN ({', '.join('?' * len(chunk))})",
                          [store.origin, name, *chunk])
    for t, r in tree:
        current = store.get(t.name, r["id"], include_deleted=True) or r
        values = {f: current.get(f) for f in t.field_names}
        if (t.name, r["id"]) == (rt.name, rec["id"]):
            values[area_field] = aid
        values["deleted"] = current.get("deleted") or 0
        store.write_fields(t, current, values, None, [])
    open_rejects = store.query("SELECT origin, seq, rtype, rid, code FROM rejects WHERE dismissed_at IS NULL")
    done = [(o, s) for o, s, t, i, _c in open_rejects if (t, i) in keys]
    done += [(o, s) for o, s, t, i, c in open_rejects
             if t == "area" and c in SCOPE_CODES and i != aid and not _area_in_use(store, i)]
    store.executemany("UPDATE rejects SET dismissed_at = ?, dismissed_by = ? WHERE origin = ? AND seq = ?",
                      [(now, store.user, o, s) for o, s in dict.fromkeys(done)])
    return len(tree), len(dict.fromkeys(done))


def _area_in_use(store: Store, aid: str) -> bool:
    """Whether any live record on this laptop names the area (or a sub-area of it)."""
    if store.query_value("SELECT 1 FROM areas WHERE parent_id = ? AND deleted = 0", (aid,)):
        return True
    for rt in all_types():
        if rt.name == "area" or not store.table_exists(rt.table):
            continue
        for f in _refs(rt)[0]:
            if store.query_value(f"SELECT 1 FROM {rt.table} WHERE {f} = ? AND deleted = 0 LIMIT 1", (aid,)):
                return True
    return False


def parse_reject_key(key: str) -> tuple[str, int]:
    """``ORIGIN:SEQ`` (the origin is ``device:epoch`` itself, so the sequence is after the last colon)."""
    if key.strip().lower() == "all":   # only ever here next to other keys
        raise UsageError("reject.bad_key", "all 须单独使用，不能与 ORIGIN:SEQ 同时给出",
                         "Give all on its own, not together with ORIGIN:SEQ keys")
    origin, _, seq = key.strip().rpartition(":")
    # ASCII digits only ("²".isdigit() is true, int("²") fails) and within SQLite's integers.
    if not origin or not (seq.isascii() and seq.isdigit()) or not 0 < int(seq) < 2**63:
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
