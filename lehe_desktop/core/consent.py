"""Consent in use: which consents hold today, and the rule for children under 14.

PIPL Art. 31 and the Minors Protection Law Art. 72: a child under 14's personal information
needs a parent's or guardian's consent, and sensitive information needs its own (separate)
consent (domain.md §8, P7–P8). Saving a sensitive field of such a child without a guardian's
consent to sensitive information is not blocked — a worker may meet a child at risk before the
guardian can be asked — but the app warns and asks for a reason, which goes into the audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .problems import Problem, warning
from .records.schema import Privacy, RecordType, record_type
from .store.store import Store
from .validation.dates import age_on

CHILD_AGE = 14
# Child rows whose every row is sensitive about the member they name (a disability, a category).
_ABOUT_MEMBER = {"member_disability": "member_id", "member_category": "member_id"}


def holds(rec: dict[str, Any], on: date) -> bool:
    """A consent record in force on ``on``: given by then and not withdrawn by then."""
    given, withdrawn = str(rec.get("consent_date") or ""), str(rec.get("withdrawn_on") or "")
    day = on.isoformat()
    return not rec.get("deleted") and bool(given) and given <= day and (not withdrawn or withdrawn > day)


def consents_of(store: Store, household_id: str) -> list[dict[str, Any]]:
    """A household's consent records (its own and its members'), newest first."""
    rows = store.query_dicts("SELECT * FROM consents WHERE household_id = ? AND deleted = 0 "
                             "ORDER BY consent_date DESC, id", (household_id,))
    return rows


def guardian_consent(store: Store, member_id: str, on: date) -> dict[str, Any] | None:
    """The guardian's consent to sensitive information for this member, in force on ``on``."""
    for rec in store.query_dicts("SELECT * FROM consents WHERE member_id = ? AND deleted = 0 "
                                 "AND grantor = 'guardian' AND item_sensitive = 1", (member_id,)):
        if holds(rec, on):
            return rec
    return None


def _birth(member: dict[str, Any]) -> date | None:
    value = member.get("birth_date")
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _sensitive_values(rt: RecordType, fields: dict[str, Any]) -> list[str]:
    return [f.name for f in rt.fields if f.privacy is Privacy.SENSITIVE and fields.get(f.name)
            and fields.get(f.name) not in ("unknown", "refused", "not_collected")]


def child_without_guardian_consent(store: Store, rtype: str, fields: dict[str, Any], *,
                                   record_id: str | None = None, today: date) -> Problem | None:
    """A warning (``consent.child_guardian``) when this save puts sensitive information about a
    child under 14 on record without a guardian's consent; None when it does not.

    ``fields``: the values being saved (for an update, the whole record as it will be).
    """
    rt = record_type(rtype)
    member: dict[str, Any] | None
    if rtype == "member":
        member, member_id = fields, record_id
    elif rtype in _ABOUT_MEMBER:
        member_id = fields.get(_ABOUT_MEMBER[rtype])
        member = store.get("member", member_id) if member_id else None
    else:
        return None
    if member is None or not _sensitive_values(rt, fields):
        return None
    birth = _birth(member)
    if birth is None or age_on(birth, today) >= CHILD_AGE:
        return None
    if member_id and guardian_consent(store, member_id, today) is not None:
        return None
    return warning("consent.child_guardian", _sensitive_values(rt, fields)[0],
                   "未满14周岁的儿童：记录其敏感信息需要监护人的同意，目前没有有效的监护人同意记录。请说明理由（将记入审计日志）",
                   "A child under 14: recording their sensitive information needs a guardian's consent, and "
                   "none is in force. Give a reason (it goes into the audit log)")


def member_form_problem(store: Store, member_id: str | None, values: dict[str, Any], categories: list[str], *,
                        today: date) -> Problem | None:
    """The rule for the member form as a whole: its own sensitive fields and the vulnerable
    categories ticked with it (each a sensitive record about the member)."""
    problem = child_without_guardian_consent(store, "member", values, record_id=member_id, today=today)
    if problem is not None or not categories:
        return problem
    birth = _birth(values)
    if birth is None or age_on(birth, today) >= CHILD_AGE:
        return None
    if member_id and guardian_consent(store, member_id, today) is not None:
        return None
    return warning("consent.child_guardian", "categories",
                   "未满14周岁的儿童：记录其敏感信息需要监护人的同意，目前没有有效的监护人同意记录。请说明理由（将记入审计日志）",
                   "A child under 14: recording their sensitive information needs a guardian's consent, and "
                   "none is in force. Give a reason (it goes into the audit log)")
