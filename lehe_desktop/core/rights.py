"""A person's rights over their data (PIPL Art. 45, 47): a copy for them, and anonymisation.

``person_copy`` gathers what this laptop holds about one member — their record, their phones,
disabilities, categories and consents, the rows that name them (attendance, visits they were at)
— as plain data with labels, for a coordinator to hand over after review; ``write_person_copy``
writes it to a file (audited), for the command line and the window alike. ``anonymise`` writes a
purge record: every replica then scrubs the person (``store/purge.py``), this one at once.
``refusals`` says which of the two this laptop's role may not do, and why (the window disables
them with that reason).
"""

from __future__ import annotations

import contextlib
import json
from datetime import date
from pathlib import Path
from typing import Any

from . import roles
from .errors import NotFoundError, StateError, StorageError
from .records.schema import Kind, all_types
from .store.atomic import write_bytes_atomic
from .store.purge import PLACEHOLDER
from .store.store import Store

# What a person may ask for, and the role each needs (core/roles.py): the copy is named data
# leaving the laptop (coordinators and admins), anonymising is for admins.
COPY = roles.Capability.EXPORT_NAMED
ANONYMISE = roles.Capability.ANONYMISE


def refusals(store: Store) -> dict[roles.Capability, roles.RoleError | None]:
    """For the copy and anonymising: None if this laptop's role may, else the error it would get."""
    role = roles.role_from_meta(store.meta())
    out: dict[roles.Capability, roles.RoleError | None] = {}
    for capability in (COPY, ANONYMISE):
        try:
            roles.require(role, capability)
            out[capability] = None
        except roles.RoleError as refused:
            out[capability] = refused
    return out


def person_copy(store: Store, member_id: str) -> dict[str, Any]:
    """Everything held about one member, by record type (deleted rows left out). Named data: only
    for roles that may export it (``role.forbidden`` otherwise)."""
    roles.require(roles.role_from_meta(store.meta()), COPY)
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


def write_person_copy(store: Store, member_id: str, out: Path) -> Path:
    """``person_copy`` as a JSON file at ``out`` (never overwritten: ``rights.exists``), with an audit
    entry (``person_copy``, the member's id). Nothing is written for a refused role or an unknown
    member; a file that cannot be written (``rights.write_failed``) is not audited, and a file
    whose audit entry could not be made is removed again: no copy leaves unaudited."""
    out = Path(out)
    if out.exists():
        raise StateError("rights.exists", f"文件已存在，不会覆盖：{out}",
                         f"The file already exists and will not be overwritten: {out}")
    data = person_copy(store, member_id)
    try:
        write_bytes_atomic(out, json.dumps(data, ensure_ascii=False, indent=2).encode())
    except OSError as exc:
        with contextlib.suppress(OSError):
            out.with_name(out.name + ".part").unlink(missing_ok=True)
        raise StorageError("rights.write_failed", f"无法写入文件：{out}", f"Cannot write the file: {out}") from exc
    try:
        store.audit("person_copy", {"member": member_id})
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out


def anonymise(store: Store, member_id: str, *, basis: str, requested_on: date) -> str:
    """Anonymise a member everywhere; returns the purge record's id. Refused for one already done,
    and for a role that may not anonymise (``role.forbidden``)."""
    roles.require(roles.role_from_meta(store.meta()), ANONYMISE)
    member = store.get("member", member_id)
    if member is None:
        raise NotFoundError("rights.not_found", "找不到该成员", "No such member")
    if member.get("name") == PLACEHOLDER:
        raise StateError("rights.already_anonymised", "该成员已匿名化", "This member is already anonymised")
    return store.create("purge", {"household_id": member["household_id"], "member_id": member_id,
                                  "basis": basis, "requested_on": requested_on.isoformat()}).id
