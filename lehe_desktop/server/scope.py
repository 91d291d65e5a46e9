"""Which area a record belongs to, for the server's read and write checks. Fails closed.

A record's scope is an area path, found by its type's rule (``scope_rule``; every record type
has one): an area's own path; else the first of its references that the change carries, in
this order: a reference to an area (households, activities, meetings, matters …) → that area's
path; its ``parent_field`` parent (members → household, phones → member …) → the parent's
scope; its other references (a visit → its household, a task → its matter or agenda item). A
change without any of them keeps the scope its record already has. Conflict records take the
scope of the record they are about; a newer app's record type is resolved through ``area_id``
or ``household_id``. Generic over the record registry, so new record types need nothing here.

What a resolution can be besides a path:

- ``UNKNOWN``: the area chain cannot be resolved (an unknown parent, a type without a rule that
  applies, a conflict row without a record). A new record that carries none of its rule's
  references at all (a task of no matter) takes the first area of the device making it instead. The server holds such a change (not stored for
  others, never delivered) and tries again at every push and hello.
- ``REFUSED`` (stored in ``record_scope`` for a record whose change the server refused and does
  not hold): a later edit of that record is refused too (``scope.outside``).
- ``PARENT_REFUSED``: its parent or area was refused: refused as well (``scope.parent_refused``).
"""

from __future__ import annotations

from typing import Any

from ..core.ids import normalise_area_path
from ..core.messages import Change
from ..core.records.schema import Kind
from ..core.store.store import Store
from ..core.sync.merge import CONFLICT, type_of

# Markers begin with a control character no area path can hold (U+0001: PostgreSQL text cannot
# hold U+0000, which schema 3 used; server migration 4 rewrote those).
UNKNOWN = "\x01unknown"
REFUSED = "\x01refused"
PARENT_REFUSED = "\x01parent_refused"
MARKERS = frozenset({UNKNOWN, REFUSED, PARENT_REFUSED})
# Record types that belong to no area and go to every device (vocabulary items, issue 13): their
# scope is GLOBAL. Who may write them is the role's business (core/roles.py, checked in app.py).
GLOBAL = "*"
GLOBAL_TYPES = frozenset({"vocab_item"})
# What may carry the GLOBAL scope: those types and the conflict records about them.
GLOBAL_SCOPED = frozenset({*GLOBAL_TYPES, CONFLICT.name})
_MISSING: Any = object()
# A newer app's record types: the usual reference names, if present.
_OPAQUE_RULE: tuple[tuple[str, str], ...] = (("area_id", "area"), ("household_id", "household"))


class ScopeResolver:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._cache: dict[tuple[str, str], str | None] = {}
        self._paths: dict[str, str] = {}
        self._pending: list[tuple[str, str, str | None]] = []
        self._absent: set[tuple[str, str]] = set()     # known not to be stored (prefetch)

    def prefetch(self, changes: list[Change]) -> None:
        """Look up the stored scope of every record in a push batch in a few queries."""
        by_type: dict[str, set[str]] = {}
        for ch in changes:
            if (ch.rtype, ch.rid) not in self._cache:
                by_type.setdefault(ch.rtype, set()).add(ch.rid)
            # … and the record that decides its scope (a visit's household): read with the batch,
            # not one query each when the change is resolved.
            fields = ch.fields
            for name, target in scope_rule(ch.rtype):
                value = fields.get(name)
                if value:
                    if isinstance(value, str) and (target, value) not in self._cache:
                        by_type.setdefault(target, set()).add(value)
                    break
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
        if got == REFUSED:
            return PARENT_REFUSED
        if got is _MISSING or got is None or got in MARKERS:
            row = self.store.query_one("SELECT path FROM areas WHERE id = ?", (aid,))
            if row is None or not row[0]:
                return UNKNOWN
            got = str(row[0])
        self._paths[aid] = got
        return str(got)

    def _parent(self, rtype: Any, rid: Any) -> str:
        if not isinstance(rid, str) or not isinstance(rtype, str):
            return UNKNOWN
        got = self.stored(rtype, rid)
        if got == REFUSED:
            return PARENT_REFUSED
        return UNKNOWN if got is _MISSING or got is None else str(got)

    def _compute(self, ch: Change) -> Any:
        fields = ch.fields
        if ch.rtype == "area":
            path = fields.get("path")
            return normalise_area_path(path) if isinstance(path, str) and path else _MISSING
        if ch.rtype in GLOBAL_TYPES:
            return GLOBAL
        if type_of(ch.rtype) is CONFLICT:
            if "rtype" in fields or "rid" in fields:
                return self._parent(fields.get("rtype"), fields.get("rid"))
            # A resolution carries only its status: the record it is about, from the stored conflict.
            row = self.store.query_one("SELECT rtype, rid FROM conflicts WHERE id = ?", (ch.rid,))
            return self._parent(row[0], row[1]) if row is not None else _MISSING
        for name, target in scope_rule(ch.rtype):
            value = fields.get(name)
            if value:
                return self._area_path(value) if target == "area" else self._parent(target, value)
        return _MISSING

    def resolve(self, ch: Change) -> tuple[str, str | None]:
        """(scope after this change, scope before it — differs when a record moves). The scope may
        be one of the markers (``UNKNOWN``, ``REFUSED``, ``PARENT_REFUSED``); ``before`` never is."""
        before = self.stored(ch.rtype, ch.rid)
        if before is _MISSING or before is None or before == UNKNOWN:
            before = None
        computed = self._compute(ch)
        if computed is not _MISSING:
            scope = computed
        elif before is not None:
            scope = before
        else:
            scope = UNKNOWN
        return scope, (None if before == REFUSED else before)

    def unanchored(self, ch: Change) -> bool:
        """A new record of a known type that carries none of the references its rule looks at (a
        task without a matter or agenda item, a matter without a village or source): its scope is
        then the area of the device that makes it (see ``SyncService._push_batch``)."""
        rt = type_of(ch.rtype)
        if ch.rtype == "area" or rt is None or rt is CONFLICT or ch.kind != "upsert":
            return False
        rule = scope_rule(ch.rtype)
        # Only types whose every area reference is optional, and only a whole create (every required
        # field given): an edit of a record the server has not seen yet is held, never claimed for
        # the sender's area (else a device could take over a record before its maker sends it).
        if any(rt.fields_by_name[name].required for name, _ in rule) or \
                not all(ch.fields.get(name) not in (None, "") for name in rt.required_names):
            return False
        if self.stored(ch.rtype, ch.rid) not in (_MISSING, None, UNKNOWN):
            return False
        return not any(ch.fields.get(name) for name, _ in rule)

    def mark_refused(self, ch: Change) -> None:
        """Remember that this record was refused (unless the server holds it), so its children are."""
        got = self.stored(ch.rtype, ch.rid)
        if got is _MISSING or got is None or got == UNKNOWN:
            self.remember(ch, REFUSED)

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
        if scope not in MARKERS:
            self.remember(ch, scope)
        return scope


def scope_rule(rtype: str) -> tuple[tuple[str, str], ...]:
    """(reference field, the type it points at) in the order they decide a record's scope:
    references to an area, then the parent, then the other references. Empty for areas and
    conflict records, which have rules of their own (the path; the record they are about)."""
    got = _RULES.get(rtype)
    if got is None:
        rt = type_of(rtype)
        if rt is None:
            return _OPAQUE_RULE
        if rt is CONFLICT:
            return ()
        refs = [f for f in rt.fields if f.kind is Kind.REF and f.ref]
        ordered = ([f for f in refs if f.ref == "area"]
                   + sorted((f for f in refs if f.ref != "area"), key=lambda f: f.name != rt.parent_field))
        got = _RULES[rtype] = tuple((f.name, str(f.ref)) for f in ordered if rt.name != "area")
    return got


_RULES: dict[str, tuple[tuple[str, str], ...]] = {}


def inside(scope: str, areas: list[str]) -> bool:
    """Is ``scope`` one of ``areas`` or below one of them?"""
    return any(scope == a or scope.startswith(a + "/") for a in areas)


def ancestor_edit_refused(store: Store, ch: Change, scope: str | None, areas: list[str], admin: bool) -> bool:
    """Levels above a worker's own areas (the township, the county) are shared and read-only for
    workers and coordinators: a change to one is accepted only when it changes nothing the server
    holds (a laptop creating the levels above its village makes exactly those records again)."""
    if admin or ch.rtype != "area" or scope is None or scope in MARKERS or inside(scope, areas):
        return False
    stored = store.get("area", ch.rid)
    if stored is None or ch.kind != "upsert":
        return True
    return any(stored.get(k) != v for k, v in ch.fields.items())


def allowed(scope: str | None, rtype: str, areas: list[str], admin: bool) -> bool:
    """May a device with these areas write (or read) a record with this scope? Never one whose
    scope is a marker (unresolved, refused), not even an admin."""
    if scope in MARKERS:
        return False
    if scope == GLOBAL:
        return rtype in GLOBAL_SCOPED   # never an area (or any other record) that calls itself "*"
    if admin or scope is None:
        return True
    for a in areas:
        if scope == a or scope.startswith(a + "/"):
            return True
        if rtype == "area" and a.startswith(scope + "/"):
            return True   # the levels above a village: shared, natural ids
    return False
