"""Saving a record together with its linked child rows, as one operation.

A form edits a record and, beside it, lists of child rows: categories ticked, risk factors,
members present, visitors, needs, phones … ``save_with_links`` writes the record and makes
each child list in the database equal to the form's, in one transaction: rows missing are
created, rows no longer wanted are deleted (tombstones), rows kept with new values updated.

Only the store's public methods are used (``transaction``, ``get``, ``children``, ``create``,
``update``, ``delete``), so every write is validated, logged and synced like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import LeheError, ValidationError
from ..records.schema import record_type
from .store import SaveResult, Store


class LinkRowError(LeheError):
    """A child row failed validation: which list, which row (0-based), and the store's verdict."""

    def __init__(self, rtype: str, index: int, error: ValidationError) -> None:
        rt = record_type(rtype)
        n = index + 1
        super().__init__(error.code, f"{rt.zh} 第 {n} 行：{error.zh}", f"{rt.en} row {n}: {error.en}",
                         exit_code=error.exit_code, problems=error.problems)
        self.rtype = rtype
        self.index = index
        self.error = error


@dataclass
class LinkedSave(SaveResult):
    """The parent's SaveResult plus what happened to each child list."""

    created: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    deleted: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)   # as saved, form order

    @property
    def links_changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())


def _same(row: Mapping[str, Any], existing: Mapping[str, Any]) -> bool:
    return all(existing.get(k) == v for k, v in row.items())


def save_with_links(store: Store, rtype: str, rid: str | None, values: dict[str, Any],
                    links: Mapping[str, Sequence[Mapping[str, Any]]] | None = None, *,
                    base: dict[str, Any] | None = None) -> LinkedSave:
    """Create (``rid`` None) or update the ``rtype`` record, then sync each child list in ``links``.

    ``links`` maps a child record type (whose parent field points at ``rtype``) to the wanted
    rows. A row with an ``"id"`` is that existing child (updated if its values changed); a row
    without one is matched to an existing child with the same values (kept as it is), else
    created. Existing children matched by no row are deleted. The parent field is filled in.
    Everything happens in one transaction: on any error nothing is saved. A bad child row
    raises ``LinkRowError`` naming its list and position.
    """
    links = links or {}
    for child in links:
        crt = record_type(child)
        if not crt.parent_field or crt.field(crt.parent_field).ref != rtype:
            raise ValueError(f"{child} is not a child record type of {rtype}")
    with store.transaction():
        saved = store.create(rtype, values) if rid is None else store.update(rtype, rid, values, base=base)
        out = LinkedSave(saved.id, list(saved.warnings), saved.changed)
        for child, rows in links.items():
            _sync_children(store, child, saved.id, rows, out)
    return out


def _sync_children(store: Store, child: str, parent_id: str, rows: Sequence[Mapping[str, Any]],
                   out: LinkedSave) -> None:
    crt = record_type(child)
    pfield = crt.parent_field or ""
    existing = store.children(child, parent_id)
    by_id = {e["id"]: e for e in existing}
    # Which existing child each wanted row stands for (by id, else by equal values).
    wanted: list[tuple[int, dict[str, Any], str | None]] = []
    claimed: set[str] = set()
    for i, row in enumerate(rows):
        clean = {k: v for k, v in row.items() if k in crt.field_names and k != pfield}
        rid = row.get("id")
        if rid is not None and rid in by_id:
            claimed.add(rid)
        elif rid is None:
            match = next((e["id"] for e in existing if e["id"] not in claimed and _same(clean, e)), None)
            if match is not None:
                claimed.add(match)
                rid = match
                clean = {}   # the very same values: nothing to write
        else:
            rid = None       # gone meanwhile (deleted elsewhere): the form's row is written again
        wanted.append((i, clean, rid))
    created: list[str] = []
    updated: list[str] = []
    deleted: list[str] = []
    for e in existing:
        if e["id"] not in claimed:
            store.delete(child, e["id"])
            deleted.append(e["id"])
    saved_rows: list[dict[str, Any]] = []
    for i, clean, rid in wanted:
        try:
            if rid is None:
                new_id = store.create(child, {**clean, pfield: parent_id}).id
                created.append(new_id)
                rid = new_id
            elif clean and not _same(clean, by_id[rid]) and store.update(child, rid, clean).changed:
                updated.append(rid)
        except ValidationError as exc:
            raise LinkRowError(child, i, exc) from exc
        saved_rows.append({**by_id.get(rid, {}), **clean, pfield: parent_id, "id": rid})
    out.created[child] = created
    out.updated[child] = updated
    out.deleted[child] = deleted
    out.children[child] = saved_rows


HEAD_RELATION = "02"      # relation_to_head: 户主 Head
UNKNOWN_SEX = "0"         # sex: 未知 Unknown (GB/T 2261.1), when the form did not say


def save_household(store: Store, rid: str | None, values: dict[str, Any],
                   links: Mapping[str, Sequence[Mapping[str, Any]]] | None = None, *,
                   head_sex: str | None = None, base: dict[str, Any] | None = None) -> LinkedSave:
    """Save a household as ``save_with_links`` does, and keep its head among its members.

    The head named on the household is a person of the household: if it has no member whose
    relation is 户主, one is added with that name (``head_sex``, else 未知), in the same
    transaction. When the head's name is edited and the household's one head member still
    carries the old name, that member is renamed with it. A head member who is already there
    under another name is left alone (the user chose that name on purpose).
    """
    with store.transaction():
        old = store.get("household", rid) if rid else None
        out = save_with_links(store, "household", rid, values, links, base=base)
        name = store.require("household", out.id)["head_name"]
        members = store.children("member", out.id)
        heads = [m for m in members if m["relation"] == HEAD_RELATION]
        try:
            if not heads:
                made = store.create("member", {"household_id": out.id, "name": name, "relation": HEAD_RELATION,
                                               "sex": head_sex or UNKNOWN_SEX})
                out.created["member"] = [made.id]
            elif old is not None and old["head_name"] != name and len(heads) == 1 \
                    and heads[0]["name"] == old["head_name"]:
                store.update("member", heads[0]["id"], {"name": name})
                out.updated["member"] = [heads[0]["id"]]
        except ValidationError as exc:
            raise LinkRowError("member", 0, exc) from exc
    return out
