"""A person's rights over their data (PIPL Art. 45, 47): a copy for them, and anonymisation.

``person_copy`` gathers what this laptop holds about one member — their record, their phones,
disabilities, categories and consents, the rows that name them (attendance, visits they were at)
— as plain data with labels, for the worker to hand over after review. ``anonymise`` writes a
purge record: every replica then scrubs the person (``store/purge.py``), this one at once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from . import roles
from .errors import NotFoundError, StateError
from .records.schema import Kind, all_types
from .store.purge import PLACEHOLDER
from .store.store import Store


def person_copy(store: Store, member_id: str) -> dict[str, Any]:
    """Everything held about one member, by record type (deleted rows left out)."""
    member = store.get("member", member_id)
    if member is None:
        raise NotFoundError("rights.not_found", "找不到该成员", "No such member")
    out: dict[str, Any] = {"member": _labelled(store, "member", member)}
    household = store.get("household", member["household_id"]) if member.get("household_id") else None
    if household is not None:
        out["household"] = {"head_name": household.get("head_name"), "address": household.get("address"),
                            "group_name": household.get("group_name"),
                            "village": store.area_path(household.get("area_id"))}
    for rt in all_types():
        fields = [f.name for f in rt.fields if f.kind is Kind.REF and f.ref == "member"]
        if not fields or not rt.synced:
            continue
        rows: list[dict[str, Any]] = []
        for name in fields:
            rows += [_labelled(store, rt.name, r) for r in store.query_dicts(
                f"SELECT * FROM {rt.table} WHERE {name} = ? AND deleted = 0", (member_id,))]
        if rows:
            out[rt.name] = rows
    return out


def _labelled(store: Store, rtype: str, rec: dict[str, Any]) -> dict[str, Any]:
    rt = next(t for t in all_types() if t.name == rtype)
    out: dict[str, Any] = {}
    for f in rt.fields:
        value = rec.get(f.name)
        if value is None or f.kind is Kind.REF:
            continue
        label = store.vocab_label(f.vocab, value) if f.kind is Kind.VOCAB and f.vocab else None
        out[f.zh] = f"{label}（{value}）" if label else value
    return out


def anonymise(store: Store, member_id: str, *, basis: str, requested_on: date) -> str:
    """Anonymise a member everywhere; returns the purge record's id. Refused for one already done,
    and for a role that may not anonymise (``role.forbidden``)."""
    roles.require(roles.role_from_meta(store.meta()), roles.Capability.ANONYMISE)
    member = store.get("member", member_id)
    if member is None:
        raise NotFoundError("rights.not_found", "找不到该成员", "No such member")
    if member.get("name") == PLACEHOLDER:
        raise StateError("rights.already_anonymised", "该成员已匿名化", "This member is already anonymised")
    return store.create("purge", {"household_id": member["household_id"], "member_id": member_id,
                                  "basis": basis, "requested_on": requested_on.isoformat()}).id
