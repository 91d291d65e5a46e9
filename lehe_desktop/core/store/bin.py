"""The bin: deleting a record with what depends on it, listing what was deleted, restoring it.

Deletes are tombstones (``deleted = 1``, synced like any edit), so nothing here removes a row.
A record's dependents are the rows that cannot exist without it: rows of every type with a
*required* reference to it (a household's members and visits, a visit's needs, a member's
phones …), recursively. Deleting writes the record's tombstone first, then its dependents', in
one transaction, so every dependent's ``deleted`` version is later than its owner's.

That order is what the bin reads back, on this laptop or any other that synced the deletes:
a deleted record whose owner was deleted at the same time or before it went *with* the owner,
and is restored with it; one deleted before its owner was deleted on its own, and is listed on
its own. No local bookkeeping is needed, so the bin shows deletes made on other laptops too.
"""

from __future__ import annotations

import json
import time
from collections import Counter, deque
from dataclasses import dataclass
from functools import cache
from typing import Any

from .. import hlc as hlc_mod
from ..errors import NotFoundError, StateError
from ..records.schema import Kind, RecordType, all_types, record_type
from .store import Store

# Areas are shared structure, not something a worker deletes: never dependents.
_NOT_DEPENDENT_ON = frozenset({"area"})


@dataclass(frozen=True)
class _Link:
    rtype: str       # the dependent type
    field: str       # its field that names the owner


@cache
def _dependent_links(owner: str) -> tuple[_Link, ...]:
    if owner in _NOT_DEPENDENT_ON:
        return ()
    return tuple(_Link(rt.name, f.name) for rt in all_types() if rt.synced
                 for f in rt.fields if f.kind is Kind.REF and f.ref == owner and f.required)


@cache
def _owner_links(rtype: str) -> tuple[tuple[str, str], ...]:
    """(field, owner type) of the required references that make ``rtype`` a dependent."""
    rt = record_type(rtype)
    return tuple((f.name, f.ref) for f in rt.fields
                 if f.kind is Kind.REF and f.required and f.ref and f.ref not in _NOT_DEPENDENT_ON)


def _deleted_hlc(rec: dict[str, Any]) -> int:
    versions = json.loads(rec["versions"])
    v = versions.get("deleted") or versions.get("*")
    return int(v[0]) if v else 0


def delete_with_dependents(store: Store, rtype: str, rid: str) -> list[tuple[str, str]]:
    """Delete a record and, after it, every live row that depends on it. Returns what was deleted."""
    done: list[tuple[str, str]] = []
    with store.transaction():
        store.require(rtype, rid)
        todo = deque([(rtype, rid)])
        seen = {(rtype, rid)}
        while todo:   # breadth first: owners before their dependents
            t, i = todo.popleft()
            store.delete(t, i)
            done.append((t, i))
            for link in _dependent_links(t):
                table = record_type(link.rtype).table
                for (child,) in store.query(f"SELECT id FROM {table} WHERE {link.field} = ? AND deleted = 0 "
                                            "ORDER BY rowid", (i,)):
                    if (link.rtype, child) not in seen:
                        seen.add((link.rtype, child))
                        todo.append((link.rtype, child))
    return done


def _went_with_owner(store: Store, rtype: str, rec: dict[str, Any], deleted_at: int) -> bool:
    for field, owner_type in _owner_links(rtype):
        owner_id = rec.get(field)
        if not owner_id:
            continue
        owner = store.get(owner_type, owner_id, include_deleted=True)
        if owner is not None and owner["deleted"] and _deleted_hlc(owner) <= deleted_at:
            return True
    return False


def binned(store: Store, *, limit: int = 1000) -> list[dict[str, Any]]:
    """Deleted records that were deleted on their own (not with an owner), newest first.

    Each: ``{"type", "id", "title", "deleted_at"}`` (ISO 8601 UTC) plus ``"with"``, how many
    dependent rows went with it, and ``"with_types"``, those counted by type (``{"member": 2, …}``).
    """
    found: list[tuple[int, RecordType, dict[str, Any]]] = []
    for rt in all_types():
        if not rt.synced or rt.name in _NOT_DEPENDENT_ON:
            continue
        for rec in store.query_dicts(f"SELECT * FROM {rt.table} WHERE deleted = 1"):
            found.append((_deleted_hlc(rec), rt, rec))
    found.sort(key=lambda item: -item[0])
    out: list[dict[str, Any]] = []
    for at, rt, rec in found:
        if _went_with_owner(store, rt.name, rec, at):
            continue
        went = _went_with(store, rt.name, rec["id"], at)[1:]
        out.append({"type": rt.name, "id": rec["id"], "title": store.title(rt, rec),
                    "deleted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(hlc_mod.physical_ms(at) / 1000)),
                    "with": len(went), "with_types": dict(Counter(t for t, _i in went))})
        if len(out) >= limit:
            break
    return out


def _went_with(store: Store, rtype: str, rid: str, at: int) -> list[tuple[str, str]]:
    """The record and every deleted dependent whose tombstone is not older than its owner's."""
    out = [(rtype, rid)]
    seen = {(rtype, rid)}
    todo = deque([(rtype, rid, at)])
    while todo:
        t, i, owner_at = todo.popleft()
        for link in _dependent_links(t):
            table = record_type(link.rtype).table
            for rec in store.query_dicts(f"SELECT * FROM {table} WHERE {link.field} = ? AND deleted = 1 "
                                         "ORDER BY rowid", (i,)):
                child_at, key = _deleted_hlc(rec), (link.rtype, rec["id"])
                if child_at >= owner_at and key not in seen:
                    seen.add(key)
                    out.append(key)
                    todo.append((link.rtype, rec["id"], child_at))
    return out


def undelete(store: Store, rtype: str, rid: str) -> list[tuple[str, str]]:
    """Restore a deleted record and what was deleted with it; each restore syncs like an edit."""
    rt = record_type(rtype)
    with store.transaction():
        rec = store.get(rtype, rid, include_deleted=True)
        if rec is None:
            raise NotFoundError("bin.not_found", f"找不到{rt.zh}：{rid}", f"{rt.en} not found: {rid}")
        if not rec["deleted"]:
            raise StateError("bin.not_deleted", f"该{rt.zh}没有被删除", f"This {rt.en.lower()} is not deleted")
        for field, owner_type in _owner_links(rtype):
            owner = store.get(owner_type, rec[field], include_deleted=True) if rec.get(field) else None
            if owner is not None and owner["deleted"]:
                ort = record_type(owner_type)
                raise StateError("bin.owner_deleted",
                                 f"它所属的{ort.zh}已被删除：请先从回收站恢复{ort.zh}",
                                 f"Its {ort.en.lower()} is deleted: restore the {ort.en.lower()} from the bin first")
        restored = _went_with(store, rtype, rid, _deleted_hlc(rec))
        for t, i in restored:
            existing = store.get(t, i, include_deleted=True)
            assert existing is not None
            store.write_fields(record_type(t), existing, {"deleted": 0}, None, [], kind="upsert")
    return restored
