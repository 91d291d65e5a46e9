"""Field-level merge of changes: the one implementation laptops and the server both run.

Rules (docs/sync.md):
- A change is applied at most once per replica: ``(origin, seq)`` is unique in ``changes``.
- Each field is a last-writer-wins register ordered by ``(hlc, origin)`` — a total order, so
  every replica picks the same value whatever order changes arrive in.
- Fields this app does not know go into the row's ``extra`` JSON (never dropped); changes of
  unknown record types are stored (``status='stored'``) and forwarded.
- ``deleted`` is an ordinary LWW field: a delete is a tombstone, an undelete sets it back.
- Only the server classifies conflicts (it sees changes in causal order); laptops only merge
  and receive the conflict records like any other data.
- Laptops hold (``status='held'``) a change whose parent row has not arrived yet and retry it
  after each batch; the server holds changes stamped too far in the future (clock guard).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ... import __version__
from .. import hlc as hlc_mod
from ..ids import natural_id
from ..messages import CHANGE_COLUMNS, Change, change_from_row, dumps_text, loads_text
from ..records.schema import REGISTRY, FieldSpec, Kind, RecordType
from ..store import search as fts
from ..store.migrations import SCHEMA_VERSION
from ..store.store import Store
from ..validation.pinyin import sort_key
from .proof import row_digest

log = logging.getLogger(__name__)

# The server holds changes stamped more than this beyond its own wall clock.
CLOCK_HOLD_MS = 5 * 60 * 1000
# Never taken from a change's fields: these are each replica's own bookkeeping.
_NOT_FIELDS = frozenset({"id", "extra", "versions", "updated_hlc"})

CONFLICT = RecordType(
    name="conflict", table="conflicts", zh="同步冲突", en="Sync conflict",
    fields=tuple(FieldSpec(n, Kind.TEXT, n, n) for n in (
        "rtype", "rid", "field", "kind", "status", "winner_value", "winner_version", "other_value",
        "other_version", "detected_at", "resolution", "resolved_by", "resolved_at")),
)


# What the server says about a held change it retries: ("apply", scope), ("hold", scope) or
# ("refuse", None) (the callback has recorded why). Called once more with the scope QUARANTINE
# when applying the change failed, so the callback can record that too.
Admit = Callable[[Change, str | None], tuple[str, str | None]]
QUARANTINE = "\x00quarantine"

# Stored JSON text: the wire's codec (compact, non-ASCII kept).
_dumps = dumps_text
_loads = loads_text

__all__ = ["CHANGE_COLUMNS", "CONFLICT", "QUARANTINE", "Admit", "ApplyResult", "Merger", "apply_changes", "change_from_row",
           "type_of", "undelete"]




def type_of(name: str) -> RecordType | None:
    """The record type for a change, or None for a type this app version does not know."""
    if name == CONFLICT.name:
        return CONFLICT
    if not _LOADED:
        from ..records import catalog  # noqa: F401  (registers every type)

        _LOADED.append(True)
    return REGISTRY.get(name)


_LOADED: list[bool] = []
_NAMES: dict[str, str] = {}


def _name_json(name: str) -> str:
    got = _NAMES.get(name)
    if got is None:
        got = _dumps(name)
        if len(_NAMES) < 10_000:     # field names are few; never let odd input grow this
            _NAMES[name] = got
    return got


@dataclass
class _Table:
    columns: frozenset[str]
    select: str
    names: tuple[str, ...]
    fks: dict[str, str]              # column -> referenced table (enforced foreign keys)


@dataclass(frozen=True)
class _Plan:
    cols: tuple[str, ...]            # fields stored in their own columns, in the change's order
    extra: tuple[str, ...]           # fields this app does not know: kept in extra
    deleted: bool                    # the change carries "deleted"
    sql: str
    pieces: tuple[str, ...]          # the versions JSON around each field's stamp
    searchable: bool
    sorted_names: tuple[str, ...] = ()   # fields whose pinyin sort key is written with the row


@dataclass(frozen=True, slots=True)
class _Prepared:
    table: str
    info: _Table
    sql: str                                # the plan's insert statement
    params: list[Any]                       # the new row's insert parameters
    search: tuple[Any, ...] | None          # its search entry (None: not searchable or deleted)
    fields: str                             # the change's fields and base as JSON text
    base: str | None


@dataclass
class ApplyResult:
    applied: int = 0
    duplicates: int = 0
    held: int = 0
    conflicts: list[str] = field(default_factory=list)   # ids of conflict records made (server)


class Merger:
    """Applies incoming changes to one store. Not thread-safe; use one per sync session/request.

    ``server=True``: detect conflicts, hold far-future changes, number applied changes with
    ``next_server_seq``. Otherwise (laptop): keep the ``server_seq`` the server gave, hold
    children whose parent has not arrived, adopt remote clocks relative to ``trusted_wall_ms``.
    """

    def __init__(self, store: Store, *, server: bool = False,
                 now_ms: Callable[[], int] = hlc_mod.now_ms,
                 next_server_seq: Callable[[], int] | None = None,
                 scope_of: Callable[[Change], str | None] | None = None,
                 trusted_wall_ms: Callable[[], int] | None = None,
                 admit: Admit | None = None) -> None:
        self.store = store
        self.server = server
        self.now_ms = now_ms
        self.next_server_seq = next_server_seq
        self.scope_of = scope_of
        self.trusted_wall_ms = trusted_wall_ms or now_ms
        self.admit = admit
        self._tables: dict[str, _Table | None] = {}
        self._known_ids: set[tuple[str, str]] = set()
        self.result = ApplyResult()
        # Batch mode (see ``batch``): what is known to exist, and writes queued for executemany.
        self._batch_keys: set[tuple[str, int]] = set()
        self._changes_known: dict[tuple[str, int], tuple[str, int | None]] = {}
        self._absent_rows: set[tuple[str, str]] = set()
        self._runs: list[tuple[str, str, list[list[Any]]]] = []
        # New rows queued in ``_runs`` that a later change of the same batch may edit in place (the
        # server: no search entry, no sort keys to keep in step): (table, id) → (plan, its params).
        self._queued: dict[tuple[str, str], tuple[_Plan, list[Any]]] = {}
        self._run_of: dict[str, list[list[Any]]] = {}     # the server's queued rows by statement
        self._pending_changes: list[tuple[Any, ...]] = []
        self._pending_search: list[tuple[Any, ...]] = []
        self.index = not server      # the server has no search screen: skip its full-text index
        self._types: dict[str, RecordType | None] = {}
        self._plans: dict[tuple[str, tuple[str, ...]], _Plan] = {}
        self._area_ref_names: dict[str, tuple[str, ...]] = {}
        self._prepared: dict[tuple[str, int], _Prepared] = {}
        self._wall: int | None = None     # the trusted wall time, fixed for one batch
        # Stored with a new change row, by (origin, seq): its batch proof (``batches.id``), its digest
        # and (server) the user of the originating device's enrolment, which replaces the change's own.
        self.proofs: dict[tuple[str, int], tuple[int | None, bytes | None, str | None]] = {}
        self.made: list[Change] = []      # changes this replica made while merging (conflict records)

    # ------------------------------------------------------------------ public

    def apply(self, incoming: Iterable[tuple[Change, int | None]]) -> ApplyResult:
        """Apply ``(change, server_seq)`` pairs in order, in one transaction; then retry held ones."""
        pairs = list(incoming)
        with self.store.transaction():
            with self.batch([c for c, _ in pairs]):
                for ch, sseq in pairs:
                    self.apply_one(ch, sseq)
            if not self.server:
                self.retry_held()
        return self.result

    def prepare(self, changes: list[Change]) -> dict[tuple[str, int], _Prepared]:
        """What a page's new rows will be written as, worked out ahead of ``batch``.

        Made to run on the page download thread while this merger writes the previous page (SQLite
        lets go of the interpreter while it writes), so it touches no database: it only covers
        record types, tables, origins and area names this merger and the store already have
        cached, and types whose title needs no lookup. The values are exactly those
        ``_queue_insert`` and ``_record`` would build; they are used only if the change does turn
        out to be a new row, everything else goes the usual way.
        """
        out: dict[tuple[str, int], _Prepared] = {}
        if self.server or self.scope_of is not None:
            return out               # laptops only: the server numbers, scopes and checks each change
        store = self.store
        for ch in changes:
            rt = self._types.get(ch.rtype)
            info = self._tables.get(rt.table) if rt is not None else None
            oi = store.known_origin_index(ch.origin)
            if rt is None or info is None or oi is None or rt.title_lookup:
                continue
            fields = ch.fields
            plan = self._plans.get((rt.table, tuple(fields)))
            if plan is None:
                continue
            params, deleted = self._row_params(plan, ch, oi)
            search = None
            if self.index and not deleted and plan.searchable:
                if any(fields.get(f) and not store.knows_area_path(fields[f]) for f in self._area_refs(rt)):
                    continue
                rec = {f: fields[f] for f in plan.cols}
                rec["id"] = ch.rid
                search = (fts.row_key(ch.rid), store.search_tokens(rt, rec), rt.name, ch.rid, store.stored_title(rt, rec))
            out[(ch.origin, ch.seq)] = _Prepared(rt.table, info, plan.sql, params, search, _dumps(fields),
                                                 _dumps(ch.base) if ch.base else None)
        return out

    def _area_refs(self, rt: RecordType) -> tuple[str, ...]:
        refs = self._area_ref_names.get(rt.name)
        if refs is None:
            refs = self._area_ref_names[rt.name] = tuple(
                f.name for f in rt.fields if f.kind is Kind.REF and f.ref == "area")
        return refs

    @contextlib.contextmanager
    def batch(self, changes: list[Change],
              prepared: dict[tuple[str, int], _Prepared] | None = None) -> Iterator[None]:
        """Apply many changes cheaply: look up what exists in a few queries, insert new rows with
        executemany. Use inside the caller's transaction; everything is written on exit.
        ``prepared``: new rows built ahead by ``prepare``."""
        self._prefetch(changes)
        self._prepared = prepared or {}
        self._wall = max(hlc_mod.now_ms(), self.trusted_wall_ms())
        try:
            yield
            self.flush()
        finally:
            self._wall = None
            self._prepared = {}
            self._batch_keys.clear()
            self._changes_known.clear()
            self._absent_rows.clear()
            self._runs.clear()
            self._queued.clear()
            self._run_of.clear()
            self._pending_changes.clear()
            self._pending_search.clear()

    def _prefetch(self, changes: list[Change]) -> None:
        by_origin: dict[str, list[int]] = {}
        by_type: dict[str, set[str]] = {}
        keys = self._batch_keys
        for ch in changes:
            origin, seq = ch.origin, ch.seq
            seqs = by_origin.get(origin)
            if seqs is None:
                seqs = by_origin[origin] = []
            seqs.append(seq)
            rids = by_type.get(ch.rtype)
            if rids is None:
                rids = by_type[ch.rtype] = set()
            rids.add(ch.rid)
            keys.add((origin, seq))
        by_table: dict[str, set[str]] = {}
        for name, rids in by_type.items():
            rt = self._type(name)
            info = self._table(rt) if rt is not None else None
            if rt is not None and info is not None:
                by_table.setdefault(rt.table, set()).update(rids)
        for origin, seqs in by_origin.items():
            lo, hi = min(seqs), max(seqs)
            if hi - lo < 4 * len(seqs):      # contiguous enough: one range scan
                rows = self.store.query("SELECT seq, status, server_seq FROM changes WHERE origin = ? "
                                         "AND seq BETWEEN ? AND ?", (origin, lo, hi))
            else:                             # sparse (relayed history): look the keys up exactly
                rows = []
                for i in range(0, len(seqs), 500):
                    chunk = seqs[i:i + 500]
                    rows += self.store.query(
                        f"SELECT seq, status, server_seq FROM changes WHERE origin = ? "
                        f"AND seq IN ({', '.join('?' * len(chunk))})", [origin, *chunk])
            for seq, status, sseq in rows:
                self._changes_known[(origin, seq)] = (status, sseq)
        for table, ids in by_table.items():
            wanted = sorted(ids)
            # New records mostly have time-ordered ids beyond everything stored: one bounded range
            # scan of the primary key over [first, last] then finds few or no rows. Only if that
            # range holds many other rows, look the ids up one chunk at a time.
            limit = 2 * len(wanted) + 16
            rows = self.store.query(f"SELECT id FROM {table} WHERE id BETWEEN ? AND ? LIMIT ?",
                                     (wanted[0], wanted[-1], limit))
            if len(rows) < limit:
                present = {r[0] for r in rows}
            else:
                present = set()
                for i in range(0, len(wanted), 500):
                    id_chunk = wanted[i:i + 500]
                    present.update(r[0] for r in self.store.query(
                        f"SELECT id FROM {table} WHERE id IN ({', '.join('?' * len(id_chunk))})", id_chunk))
            self._absent_rows.update((table, rid) for rid in ids if rid not in present)

    def flush(self) -> None:
        """Write queued inserts (in arrival order per table run, so parents precede children)."""
        for _table, sql, rows in self._runs:
            self.store.executemany(sql, rows)
        self._runs.clear()
        self._queued.clear()
        self._run_of.clear()
        if self._pending_changes:
            self.store.executemany(_INSERT_CHANGE, self._pending_changes)
            self._pending_changes.clear()
        if self._pending_search:
            # In rowid order: FTS5 writes its pending terms out as a new segment whenever a rowid is
            # lower than the one before, which with hashed rowids was every other row.
            self._pending_search.sort()
            self.store.executemany(_INSERT_SEARCH, self._pending_search)
            self._pending_search.clear()

    def apply_page(self, pairs: list[tuple[Change, int | None]]) -> int:
        """``apply_one`` for each ``(change, server_seq)`` of a laptop's pull page, inside ``batch``;
        returns how many open conflict records were applied. The clock observes the stamps of the
        rows built ahead by ``prepare`` once, after the page (see ``_observe``)."""
        conflicts = 0
        stamps: list[int] = []       # of the changes taken by ``_take_prepared``
        take = self._take_prepared
        for ch, server_seq in pairs:
            if take(ch, server_seq):
                stamps.append(ch.hlc)
                status = "applied"
            else:
                status, _ = self._apply_new(ch, server_seq, None)
            if status == "applied" and ch.rtype == "conflict" and ch.fields.get("status") == "open":
                conflicts += 1
        if stamps:
            self.result.applied += len(stamps)
            self._observe(stamps)
        return conflicts

    def apply_one(self, ch: Change, server_seq: int | None = None, *,
                  scope: str | None = None) -> tuple[str, int | None]:
        """Apply one change inside the caller's transaction → (status, server_seq).

        status is ``applied`` (also for kept-but-unknown types), ``duplicate`` or ``held``.
        """
        if self._take_prepared(ch, server_seq):
            self.result.applied += 1
            self._observe([ch.hlc])
            return "applied", server_seq
        return self._apply_new(ch, server_seq, scope)

    def _take_prepared(self, ch: Change, server_seq: int | None) -> bool:
        """The common case of a pull, a record this laptop has never seen whose row ``prepare`` built
        ahead: queue exactly what ``_apply`` (its new-row branch), ``_queue_insert`` and ``_record``
        would, from the values built ahead. False (nothing done) for anything else. The caller
        counts it applied and lets the clock observe its stamp."""
        if not self._prepared:
            return False
        key = (ch.origin, ch.seq)
        pre = self._prepared.get(key)
        if pre is None or key not in self._batch_keys or key in self._changes_known:
            return False
        new_row = (pre.table, ch.rid)
        if new_row not in self._absent_rows or (pre.info.fks and self._missing_parent(pre.info, ch)):
            return False
        self._absent_rows.discard(new_row)
        runs = self._runs
        if runs and runs[-1][1] is pre.sql:
            runs[-1][2].append(pre.params)
        else:
            runs.append((pre.table, pre.sql, [pre.params]))
        if pre.search is not None:
            self._pending_search.append(pre.search)
        self._known_ids.add(new_row)
        self._changes_known[key] = ("applied", server_seq)
        proof = self.proofs.get(key) or _NO_PROOF
        self._pending_changes.append((ch.origin, ch.seq, ch.hlc, ch.schema, ch.rtype, ch.rid, ch.kind,
                                      pre.fields, pre.base, ch.user if proof[2] is None else proof[2], ch.wall_ms, ch.app, server_seq,
                                      "applied", None, proof[0], proof[1]))
        return True

    def _observe(self, stamps: list[int]) -> None:
        """Let the clock observe applied stamps: the highest once, or each one if that one is too far
        ahead to adopt (the clock ignores it; a lower one may still be adopted)."""
        clock = self.store.clock
        wall = self._wall if self._wall is not None else max(hlc_mod.now_ms(), self.trusted_wall_ms())
        if not clock.observe(max(stamps), wall) and len(stamps) > 1:
            for h in stamps:
                clock.observe(h, wall)

    def stored_digest(self, ch: Change) -> bytes | None:
        """The digest of the change this replica stores under ``ch``'s ``(origin, seq)`` (worked out
        from the stored row for rows from before digests were kept), or None if it stores none."""
        key = (ch.origin, ch.seq)
        if key in self._batch_keys and key not in self._changes_known:
            return None              # looked up for the batch: not stored
        row = self.store.query_one(f"SELECT digest, {CHANGE_COLUMNS} FROM changes WHERE origin = ? AND seq = ?",
                                   key)
        if row is None:
            return None
        return bytes(row[0]) if row[0] is not None else row_digest(row[1:])

    def _apply_new(self, ch: Change, server_seq: int | None, scope: str | None) -> tuple[str, int | None]:
        """Apply a change unless this replica has it already (held ones are tried again)."""
        key = (ch.origin, ch.seq)
        if key in self._batch_keys:
            row: Any = self._changes_known.get(key)
        else:
            row = self.store.query_one("SELECT status, server_seq FROM changes WHERE origin = ? AND seq = ?",
                                       key)
        if row is not None and row[0] != "held":
            self.result.duplicates += 1
            return "duplicate", row[1]
        return self._apply(ch, server_seq, row is not None, scope)

    def hold(self, ch: Change, scope: str | None) -> tuple[str, int | None]:
        """Keep a change aside, unapplied and unrelayed (the server: its area is not resolved yet);
        ``retry_held`` asks ``admit`` about it again. A change already stored stays as it is."""
        key = (ch.origin, ch.seq)
        if key in self._batch_keys:
            row: Any = self._changes_known.get(key)
        else:
            row = self.store.query_one("SELECT status, server_seq FROM changes WHERE origin = ? AND seq = ?", key)
        if row is not None and row[0] != "held":
            self.result.duplicates += 1
            return "duplicate", row[1]
        if row is None:
            self._record(ch, None, "held", scope, False)
            self.result.held += 1
        return "held", 0

    def _quarantine(self, ch: Change) -> None:
        """A held change that cannot be applied: set aside for good, so it never blocks the others."""
        self._runs.clear()          # the failed statement's queued rows: never written
        self._queued.clear()
        self._run_of.clear()
        self._pending_changes.clear()
        self._pending_search.clear()
        self.store.execute("UPDATE changes SET status = 'quarantined' WHERE origin = ? AND seq = ?",
                           (ch.origin, ch.seq))

    def _retry_one(self, ch: Change, server_seq: int | None, scope: str | None) -> str:
        """One held change on the server: asked to ``admit`` first; quarantined if it is refused
        now or if applying it fails (a value the database cannot take) — never an error for the
        device whose request happened to retry it."""
        if self.admit is not None:
            verdict, scope = self.admit(ch, scope)
            if verdict == "hold":
                return "held"
            if verdict == "refuse":
                self._quarantine(ch)
                return "quarantined"
        try:
            status, _ = self._apply(ch, server_seq, True, scope)
        except Exception:
            log.exception("held change %s %s cannot be applied: quarantined", ch.origin, ch.seq)
            self._quarantine(ch)
            if self.admit is not None:
                self.admit(ch, QUARANTINE)
            return "quarantined"
        return status

    def retry_held(self) -> int:
        """Apply held changes whose reason has gone; returns how many were released."""
        released = 0
        self.flush()
        while True:
            if self.server:
                limit = hlc_mod.pack(self.now_ms() + CLOCK_HOLD_MS + 1)
                rows = self.store.query(
                    "SELECT origin, seq, hlc, schema, rtype, rid, kind, fields, base, user, wall_ms, app, "
                    "server_seq, scope FROM changes WHERE status <> 'applied' AND status = 'held' AND hlc < ? "
                    "ORDER BY hlc, origin",
                    (limit,))
            else:
                rows = self.store.query(
                    "SELECT origin, seq, hlc, schema, rtype, rid, kind, fields, base, user, wall_ms, app, "
                    "server_seq, scope FROM changes WHERE status <> 'applied' AND status = 'held' "
                    "ORDER BY hlc, origin")
            progress = 0
            for r in rows:
                ch = change_from_row(r)
                if self.server:
                    status = self._retry_one(ch, r[12], r[13])
                    if status == "quarantined":
                        self.result.held -= 1
                else:
                    status, _ = self._apply(ch, r[12], True, r[13])
                if status == "applied":
                    progress += 1
                    self.result.held -= 1
            released += progress
            if not progress or self.server:
                return released

    # ------------------------------------------------------------------ internals

    def _type(self, name: str) -> RecordType | None:
        if name not in self._types:
            self._types[name] = type_of(name)
        return self._types[name]

    def _table(self, rt: RecordType) -> _Table | None:
        if rt.table not in self._tables:
            info = self.store.query(f"PRAGMA table_info({rt.table})")
            if not info:
                self._tables[rt.table] = None
            else:
                names = tuple(r[1] for r in info)
                fks = {r[3]: r[2] for r in self.store.query(f"PRAGMA foreign_key_list({rt.table})")}
                cols = frozenset(n for n in names if n not in ("id", "deleted", "extra", "versions",
                                                                "updated_hlc"))
                self._tables[rt.table] = _Table(cols, ", ".join(names), names, fks)
        return self._tables[rt.table]

    def _record(self, ch: Change, server_seq: int | None, status: str, scope: str | None, exists: bool) -> None:
        key = (ch.origin, ch.seq)
        proof = self.proofs.get(key) or _NO_PROOF
        if key in self._batch_keys:
            self._changes_known[key] = (status, server_seq)
            if not exists:
                pre = self._prepared.get(key)
                fields, base = (pre.fields, pre.base) if pre is not None else \
                    (_dumps(ch.fields), _dumps(ch.base) if ch.base else None)
                self._pending_changes.append((ch.origin, ch.seq, ch.hlc, ch.schema, ch.rtype, ch.rid, ch.kind,
                                              fields, base, ch.user if proof[2] is None else proof[2], ch.wall_ms, ch.app, server_seq,
                                              status, scope,
                                              proof[0], proof[1]))
                return
            self.flush()
        if exists:
            self.store.execute("UPDATE changes SET status = ?, server_seq = ?, scope = ? WHERE origin = ? AND seq = ?",
                              (status, server_seq, scope, ch.origin, ch.seq))
        else:
            self.store.execute(
                _INSERT_CHANGE,
                (ch.origin, ch.seq, ch.hlc, ch.schema, ch.rtype, ch.rid, ch.kind, _dumps(ch.fields),
                 _dumps(ch.base) if ch.base else None, ch.user if proof[2] is None else proof[2], ch.wall_ms, ch.app, server_seq, status,
                 scope,
                 proof[0], proof[1]))

    def _apply(self, ch: Change, server_seq: int | None, exists: bool,
               scope: str | None) -> tuple[str, int | None]:
        if scope is None and self.scope_of is not None:
            scope = self.scope_of(ch)
        own = ch.origin == self.store.origin
        if self.server and not own and hlc_mod.physical_ms(ch.hlc) > self.now_ms() + CLOCK_HOLD_MS:
            # Clock guard: a far-future stamp would win every later edit; keep it aside, unapplied.
            if not exists:
                self._record(ch, None, "held", scope, False)
                self.result.held += 1
            return "held", 0
        rt = self._type(ch.rtype)
        info = self._table(rt) if rt is not None else None
        if info is not None and not self.server and self._missing_parent(info, ch):
            if not exists:
                self._record(ch, server_seq, "held", scope, False)
                self.result.held += 1
            return "held", server_seq
        if self.server:
            server_seq = self.next_server_seq() if self.next_server_seq else None
        conflicts: list[dict[str, Any]] = []
        if rt is None or info is None:
            status = "stored"        # a newer app's record type: keep it and pass it on
        elif (rt.table, ch.rid) in self._absent_rows:
            status = "applied"       # a new record: queued for one executemany with its neighbours
            self._absent_rows.discard((rt.table, ch.rid))
            self._queue_insert(rt, info, ch)
            self._known_ids.add((rt.table, ch.rid))
        else:
            status = "applied"
            queued = self._queued.get((rt.table, ch.rid))
            if queued is None or not self._fits(info, queued[0], ch):
                self.flush()         # the row (or its parent) may be among the queued inserts
                queued = None
            conflicts = self._merge_row(rt, info, ch, queued)
            self._known_ids.add((rt.table, ch.rid))
        self._record(ch, server_seq, status, scope, exists)
        self._observe([ch.hlc])
        self.result.applied += 1
        for c in conflicts:
            self._emit_conflict(c, scope)
        return "applied", server_seq

    def _missing_parent(self, info: _Table, ch: Change) -> bool:
        for col, table in info.fks.items():
            value = ch.fields.get(col)
            if value is None or (table, value) in self._known_ids:
                continue
            if self.store.query_one(f"SELECT 1 FROM {table} WHERE id = ?", (value,)) is None:
                return True
            self._known_ids.add((table, value))
        return False

    @staticmethod
    def _fits(info: _Table, plan: _Plan, ch: Change) -> bool:
        """Whether an edit of a row still queued for insert can be merged into it in memory: every
        column it sets is one the insert writes (a column the insert leaves to its default would
        need the stored row)."""
        cols = plan.cols
        return all(f in cols or f not in info.columns for f in ch.fields)

    def _merge_row(self, rt: RecordType, info: _Table, ch: Change,
                   queued: tuple[_Plan, list[Any]] | None = None) -> list[dict[str, Any]]:
        """Merge ``ch`` into the stored row, or into ``queued`` (a row of this batch not yet written:
        its insert's values are changed in place, exactly as the UPDATE would change the row)."""
        store = self.store
        oi = store.origin_index(ch.origin)
        stamp = [ch.hlc, oi]
        if queued is not None:
            rec = dict(zip(("id", *queued[0].cols, "deleted", "extra", "versions", "updated_hlc"), queued[1],
                           strict=False))
        else:
            row = self.store.query_one(f"SELECT {info.select} FROM {rt.table} WHERE id = ?", (ch.rid,))
            if row is None:
                self._queue_insert(rt, info, ch)
                self.flush()
                return []
            rec = dict(zip(info.names, row, strict=True))
        versions = _loads(rec["versions"])
        extra = _loads(rec["extra"]) if rec["extra"] else {}
        was_deleted = bool(rec["deleted"])
        new_key = (ch.hlc, ch.origin)
        changed: dict[str, Any] = {}
        extra_changed = False
        conflicts: list[dict[str, Any]] = []
        detect = self.server and rt is not CONFLICT
        base = ch.base or {}
        for f, v in ch.fields.items():
            if f in _NOT_FIELDS:
                continue
            in_col = f in info.columns or f == "deleted"
            if f == "deleted":
                v = 1 if v else 0
            cur = versions.get(f) or versions.get("*")
            cur_key = (cur[0], store.origin_name(cur[1])) if cur else None
            wins = cur_key is None or new_key > cur_key
            if detect and cur_key is not None:
                cur_val = rec.get(f) if in_col else extra.get(f)
                b = base.get(f)
                seen = isinstance(b, list | tuple) and len(b) == 2 and (b[0], b[1]) == cur_key
                if not seen and cur_val != v:
                    # Neither edit was based on the other: LWW picks the winner, the loser is kept.
                    w_val, w_key, o_val, o_key = (v, new_key, cur_val, cur_key) if wins else \
                        (cur_val, cur_key, v, new_key)
                    conflicts.append({"rtype": rt.name, "rid": ch.rid, "field": f, "kind": "field",
                                      "winner_value": _dumps(w_val), "winner_version": _dumps(list(w_key)),
                                      "other_value": _dumps(o_val), "other_version": _dumps(list(o_key))})
            if wins:
                versions[f] = stamp
                if in_col:
                    changed[f] = v
                else:
                    extra[f] = v
                    extra_changed = True
        if detect and was_deleted and "deleted" not in ch.fields and ch.fields:
            # An edit reached a deleted record: it is merged (nothing lost) but a person should look.
            dv = versions.get("deleted") or versions.get("*")
            conflicts.append({"rtype": rt.name, "rid": ch.rid, "field": "deleted", "kind": "edit_after_delete",
                              "winner_value": "1",
                              "winner_version": _dumps([dv[0], store.origin_name(dv[1])]) if dv else None,
                              "other_value": _dumps(ch.fields), "other_version": _dumps([ch.hlc, ch.origin])})
        if not changed and not extra_changed:
            return conflicts
        if queued is not None:
            row_params = queued[1]
            at = {c: i for i, c in enumerate(("id", *queued[0].cols, "deleted", "extra", "versions", "updated_hlc"))}
            for c, v in changed.items():
                row_params[at[c]] = v
            if extra_changed:
                row_params[at["extra"]] = _dumps(extra) if extra else None
            row_params[at["versions"]] = _dumps(versions)
            row_params[at["updated_hlc"]] = max(row_params[at["updated_hlc"]], ch.hlc)
            return conflicts
        sets = [f"{c} = ?" for c in changed]
        params: list[Any] = list(changed.values())
        if extra_changed:
            sets.append("extra = ?")
            params.append(_dumps(extra) if extra else None)
        sets += ["versions = ?", "updated_hlc = max(updated_hlc, ?)"]
        params += [_dumps(versions), ch.hlc, ch.rid]
        self.store.execute(f"UPDATE {rt.table} SET {', '.join(sets)} WHERE id = ?", params)
        if changed and self.index:
            store.reindex(rt, {**rec, **changed})
        return conflicts

    def _plan(self, rt: RecordType, info: _Table, keys: tuple[str, ...]) -> _Plan:
        """How a new row is built from a change with these field names (the same for a whole page)."""
        cols: list[str] = []
        extra: list[str] = []
        names: list[str] = []
        deleted = False
        for f in keys:
            if f in _NOT_FIELDS:
                continue
            if f == "deleted":
                deleted = True
            elif f in info.columns:
                cols.append(f)
            else:
                extra.append(f)
            names.append(_name_json(f))
        # A laptop's name sort keys go in with the row (else its transaction fills them afterwards,
        # one UPDATE per row); the server keeps none.
        sorts = [(src, col) for src, col in rt.sort_keys if src in cols] if self.store.fills_sort_keys else []
        all_cols = ("id", *cols, "deleted", "extra", "versions", "updated_hlc", *(col for _, col in sorts))
        sql = f"INSERT INTO {rt.table} ({', '.join(all_cols)}) VALUES ({', '.join('?' * len(all_cols))})"
        # versions = stamp.join(pieces) is the JSON {"f1":[hlc,oi],"f2":[hlc,oi],…}
        pieces = ["{" + names[0] + ":", *(f",{n}:" for n in names[1:]), "}"] if names else ["{}"]
        searchable = any(f.searchable for f in rt.fields)
        plan = _Plan(tuple(cols), tuple(extra), deleted, sql, tuple(pieces), searchable,
                     tuple(src for src, _ in sorts))
        if len(self._plans) < 1000:
            self._plans[(rt.table, keys)] = plan
        return plan

    @staticmethod
    def _row_params(plan: _Plan, ch: Change, oi: int) -> tuple[list[Any], int]:
        fields = ch.fields
        deleted = (1 if fields["deleted"] else 0) if plan.deleted else 0
        extra = _dumps({f: fields[f] for f in plan.extra}) if plan.extra else None
        # versions = {"f1":[hlc,oi],"f2":[hlc,oi],…} for every field the change carries
        versions = f"[{ch.hlc},{oi}]".join(plan.pieces)
        row = [ch.rid, *[fields[f] for f in plan.cols], deleted, extra, versions, ch.hlc]
        if plan.sorted_names:
            # Sync's values were checked by the server; a name that is not text gets no key.
            row += [sort_key(v) if isinstance(v := fields[f], str) else None for f in plan.sorted_names]
        return row, deleted

    def _queue_insert(self, rt: RecordType, info: _Table, ch: Change) -> None:
        """A row the replica has never seen: every field the change carries, at its version."""
        fields = ch.fields
        keys = tuple(fields)
        plan = self._plans.get((rt.table, keys)) or self._plan(rt, info, keys)
        pre = self._prepared.get((ch.origin, ch.seq))
        if pre is not None:
            params, search = pre.params, pre.search
            deleted = 0 if search is not None else params[len(plan.cols) + 1]
        else:
            params, deleted = self._row_params(plan, ch, self.store.origin_index(ch.origin))
            search = None
        if self._runs and self._runs[-1][1] is plan.sql:
            self._runs[-1][2].append(params)
        elif self.server and (run := self._run_of.get(plan.sql)) is not None:
            run.append(params)       # the server enforces no foreign keys: one run per statement
        else:
            self._runs.append((rt.table, plan.sql, [params]))
            if self.server:
                self._run_of[plan.sql] = self._runs[-1][2]
        if not self.index and not plan.sorted_names:
            self._queued[(rt.table, ch.rid)] = (plan, params)
        if self.index and not deleted and plan.searchable:
            if search is None:
                rec = dict(zip(plan.cols, params[1:1 + len(plan.cols)], strict=True))
                rec["id"] = ch.rid
                search = (fts.row_key(ch.rid), self.store.search_tokens(rt, rec), rt.name, ch.rid,
                          self.store.stored_title(rt, rec))
            self._pending_search.append(search)

    def _emit_conflict(self, c: dict[str, Any], scope: str | None) -> None:
        other = _loads(c["other_version"])
        cid = natural_id("conflict", c["rtype"], c["rid"], c["field"], str(other[1]), str(other[0]))
        if self.store.query_one("SELECT 1 FROM conflicts WHERE id = ?", (cid,)):
            return
        seq, h = self.store.next_stamp()
        now = self.now_ms()
        fields = {**c, "status": "open",
                  "detected_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now / 1000)),
                  "resolution": None, "resolved_by": None, "resolved_at": None}
        ch = Change(origin=self.store.origin, seq=seq, hlc=h, schema=SCHEMA_VERSION, rtype=CONFLICT.name,
                    rid=cid, kind="upsert", fields=fields, base=None, user=None, wall_ms=now, app=__version__)
        self._apply(ch, None, False, scope)
        self.made.append(ch)
        self.result.conflicts.append(cid)


_INSERT_CHANGE = ("INSERT INTO changes(origin, seq, hlc, schema, rtype, rid, kind, fields, base, user, wall_ms, "
                  "app, server_seq, status, scope, batch, digest) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
_NO_PROOF: tuple[None, None, None] = (None, None, None)
_INSERT_SEARCH = "INSERT INTO search(rowid, tokens, rtype, rid, title) VALUES (?,?,?,?,?)"
def apply_changes(store: Store, changes: Iterable[Change]) -> ApplyResult:
    """Apply changes on a laptop (bundles, tests): idempotent, order-independent."""
    return Merger(store).apply((c, None) for c in changes)


def undelete(store: Store, rtype: str, rid: str) -> bool:
    """An explicit undelete: the only way a tombstoned record comes back (a change like any other)."""
    rt = type_of(rtype)
    if rt is None:
        return False
    with store.transaction():
        rec = store.get(rtype, rid, include_deleted=True) if rt is not CONFLICT else None
        if rec is None or not rec["deleted"]:
            return False
        store.write_fields(rt, rec, {"deleted": 0}, None, [], kind="undelete")
    return True
