"""Which area a record belongs to, for the server's read and write checks.

A record's scope is an area path: an area's own path; for a record with an area reference
(households, activities, meetings …) that area's path; otherwise its parent's scope through
``parent_field`` (members → household, phones → member …) or its first other reference.
Generic over the record registry, so new record types need nothing here. ``None`` means a
record belongs to no area (visible to every device); ``UNKNOWN`` means its area chain points
at something the server has never seen (only admins may read or write it).
"""

from __future__ import annotations

from typing import Any

from ..core.ids import normalise_area_path
from ..core.messages import Change
from ..core.records.schema import FieldSpec, Kind, RecordType
from ..core.store.store import Store
from ..core.sync.merge import CONFLICT, type_of

UNKNOWN = "\x00unknown"
_MISSING: Any = object()


class ScopeResolver:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[tuple[str, str], str | None] = {}
        self._paths: dict[str, str] = {}
        self._pending: list[tuple[str, str, str | None]] = []
        self._absent: set[tuple[str, str]] = set()     # known not to be stored (prefetch)
        self._ref_cache: dict[str, tuple[list[FieldSpec], list[FieldSpec]]] = {}

    def prefetch(self, changes: list[Change]) -> None:
        """Look up the stored scope of every record in a push batch in a few queries."""
        by_type: dict[str, set[str]] = {}
        for ch in changes:
            if (ch.rtype, ch.rid) not in self._cache:
                by_type.setdefault(ch.rtype, set()).add(ch.rid)
        for rtype, ids in by_type.items():
            wanted = sorted(ids)
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                found = dict(self.store.query(
                    f"SELECT rid, scope FROM record_scope WHERE rtype = ? AND rid IN ({', '.join('?' * len(chunk))})",
                    [rtype, *chunk]))
                for rid in chunk:
                    if rid in found:
                        self._cache[(rtype, rid)] = found[rid]
                    else:
                        self._absent.add((rtype, rid))

    def stored(self, rtype: str, rid: str) -> Any:
        key = (rtype, rid)
        if key in self._cache:
            return self._cache[key]
        if key in self._absent:
            return _MISSING
        row = self.store.query_one("SELECT scope FROM record_scope WHERE rtype = ? AND rid = ?", key)
        if row is None:
            return _MISSING
        self._cache[key] = row[0]
        return row[0]

    def _area_path(self, aid: Any) -> str:
        if not isinstance(aid, str):
            return UNKNOWN
        if aid in self._paths:
            return self._paths[aid]
        got = self.stored("area", aid)
        if got is _MISSING or got is None:
            row = self.store.query_one("SELECT path FROM areas WHERE id = ?", (aid,))
            if row is None or not row[0]:
                return UNKNOWN
            got = str(row[0])
        self._paths[aid] = got
        return str(got)

    def _parent(self, rtype: str, rid: Any) -> str | None:
        if not isinstance(rid, str):
            return UNKNOWN
        got = self.stored(rtype, rid)
        return UNKNOWN if got is _MISSING else got

    def _compute(self, ch: Change) -> Any:
        fields = ch.fields
        if ch.rtype == "area":
            path = fields.get("path")
            return normalise_area_path(path) if isinstance(path, str) and path else _MISSING
        rt = type_of(ch.rtype)
        if rt is CONFLICT:
            if "rtype" in fields and "rid" in fields:
                return self._parent(str(fields["rtype"]), fields["rid"])
            return _MISSING
        if rt is None:   # a newer app's type: use the usual reference names if present
            if fields.get("area_id"):
                return self._area_path(fields["area_id"])
            if fields.get("household_id"):
                return self._parent("household", fields["household_id"])
            return _MISSING
        area_refs, ordered = self._refs(rt)
        for f in area_refs:
            if fields.get(f.name):
                return self._area_path(fields[f.name])
        for f in ordered:
            if fields.get(f.name):
                got = self._parent(str(f.ref), fields[f.name])
                if got != UNKNOWN or f.name == rt.parent_field:
                    return got
        return _MISSING

    def _refs(self, rt: RecordType) -> tuple[list[FieldSpec], list[FieldSpec]]:
        """(references to an area, other references with the parent first), per type."""
        got = self._ref_cache.get(rt.name)
        if got is None:
            refs = [f for f in rt.fields if f.kind is Kind.REF and f.ref]
            got = ([f for f in refs if f.ref == "area"],
                   sorted((f for f in refs if f.ref != "area"), key=lambda f: f.name != rt.parent_field))
            self._ref_cache[rt.name] = got
        return got

    def has_area_chain(self, rtype: str) -> bool:
        rt = type_of(rtype)
        return rt is not None and rt is not CONFLICT and any(
            f.kind is Kind.REF and (f.ref == "area" or f.name == rt.parent_field) for f in rt.fields)

    def resolve(self, ch: Change) -> tuple[str | None, str | None]:
        """(scope after this change, scope before it — differs when a record moves)."""
        before = self.stored(ch.rtype, ch.rid)
        computed = self._compute(ch)
        if computed is not _MISSING:
            scope = computed
        elif before is not _MISSING:
            scope = before
        else:
            scope = UNKNOWN if self.has_area_chain(ch.rtype) or ch.rtype == "area" else None
        return scope, (None if before is _MISSING else before)

    def remember(self, ch: Change, scope: str | None) -> None:
        key = (ch.rtype, ch.rid)
        if key in self._cache and self._cache[key] == scope:
            return
        self._pending.append((ch.rtype, ch.rid, scope))     # written by flush(); the cache answers till then
        self._cache[key] = scope

    def flush(self) -> None:
        if self._pending:
            self.store.executemany("INSERT INTO record_scope(rtype, rid, scope) VALUES (?,?,?) "
                                  "ON CONFLICT(rtype, rid) DO UPDATE SET scope = excluded.scope", self._pending)
            self._pending.clear()

    def resolve_and_remember(self, ch: Change) -> str | None:
        scope, _ = self.resolve(ch)
        self.remember(ch, scope)
        return scope


def inside(scope: str, areas: list[str]) -> bool:
    """Is ``scope`` one of ``areas`` or below one of them?"""
    return any(scope == a or scope.startswith(a + "/") for a in areas)


def ancestor_edit_refused(store: Store, ch: Change, scope: str | None, areas: list[str], admin: bool) -> bool:
    """Levels above a worker's own areas (the township, the county) are shared and read-only for
    workers and coordinators: a change to one is accepted only when it changes nothing the server
    holds (a laptop creating the levels above its village makes exactly those records again)."""
    if admin or ch.rtype != "area" or scope is None or scope == UNKNOWN or inside(scope, areas):
        return False
    stored = store.get("area", ch.rid)
    if stored is None or ch.kind != "upsert":
        return True
    return any(stored.get(k) != v for k, v in ch.fields.items())


def allowed(scope: str | None, rtype: str, areas: list[str], admin: bool) -> bool:
    """May a device with these areas write (or read) a record with this scope?"""
    if admin or scope is None:
        return True
    if scope == UNKNOWN:
        return False
    for a in areas:
        if scope == a or scope.startswith(a + "/"):
            return True
        if rtype == "area" and a.startswith(scope + "/"):
            return True   # the levels above a village: shared, natural ids
    return False
