"""Consent records (知情同意): who agreed to what, how, under which notice, and when it ended.

PIPL asks for separate consent for sensitive information, and a parent's or guardian's consent
for a child under 14 (domain.md §8, P7–P8). A consent belongs to a household (its scope and its
owner for sync and the bin) and, when it is one person's, names the member too. Each item is
its own yes/no, as the notice lists them; a withdrawal ends the consent from that date on
without erasing that it was given (it is evidence).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..problems import Problem, error
from .schema import Context, FieldSpec, Kind, Privacy, RecordType, register

P = Privacy
F = FieldSpec

# The separate consent items, in the order the notice lists them.
ITEMS: tuple[tuple[str, str, str], ...] = (
    ("item_basic", "收集一般信息", "Collect ordinary information"),
    ("item_sensitive", "收集敏感信息（健康、残疾、困难身份等）", "Collect sensitive information (health, disability, welfare status…)"),
    ("item_photo", "拍照", "Take photos"),
    ("item_publicity", "照片用于宣传", "Use photos for publicity"),
    ("item_share", "与政府或转介机构共享", "Share with government or referral services"),
    ("item_contact", "回访联系", "Contact for follow-up"),
)


def _iso(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def _consent_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    given, withdrawn = _iso(r.get("consent_date")), _iso(r.get("withdrawn_on"))
    if given is not None and withdrawn is not None and withdrawn < given:
        problems.append(error("consent.withdrawn_before", "withdrawn_on", "撤回日期早于同意日期",
                              "The withdrawal date is before the consent date"))
    if r.get("grantor") in ("guardian", "household_head") and not r.get("grantor_name"):
        problems.append(error("consent.grantor_name", "grantor_name", "由监护人或户主代为同意时，请填写其姓名",
                              "When a guardian or the head consents on someone's behalf, give their name"))
    if not any(r.get(name) for name, _zh, _en in ITEMS) and withdrawn is None:
        problems.append(error("consent.no_item", "item_basic", "请至少勾选一项同意内容",
                              "Tick at least one item consented to"))
    return problems


CONSENT = register(RecordType(
    name="consent", table="consents", zh="知情同意", en="Consent",
    fields=(
        F("household_id", Kind.REF, "所属户", "Household", required=True, ref="household", privacy=P.PUBLIC),
        F("member_id", Kind.REF, "本人（成员）", "Person (member)", ref="member", privacy=P.PUBLIC),
        F("grantor", Kind.VOCAB, "同意人", "Consent given by", required=True, vocab="consent_grantor",
          privacy=P.PUBLIC),
        F("grantor_name", Kind.NAME, "同意人姓名", "Name of who consented", privacy=P.IDENTIFYING),
        F("grantor_relation", Kind.TEXT, "与本人关系", "Relation to the person", max_len=30),
        *(F(name, Kind.BOOL, zh, en, privacy=P.PUBLIC) for name, zh, en in ITEMS),
        F("method", Kind.VOCAB, "同意方式", "How consent was given", required=True, vocab="consent_method",
          privacy=P.PUBLIC),
        F("witness_name", Kind.NAME, "见证人", "Witness", privacy=P.IDENTIFYING),
        F("notice_version", Kind.TEXT, "告知书版本", "Notice version", required=True, privacy=P.PUBLIC,
          max_len=20),
        F("consent_date", Kind.DATE, "同意日期", "Date of consent", required=True, privacy=P.PUBLIC),
        F("withdrawn_on", Kind.DATE, "撤回日期", "Withdrawn on", privacy=P.PUBLIC),
        F("notes", Kind.LONGTEXT, "备注", "Notes", privacy=P.IDENTIFYING),
    ),
    parent_field="household_id",
    checks=(_consent_checks,),
    title=lambda r: f"{r.get('consent_date') or ''} {r.get('notice_version') or ''}".strip(),
    indexes=(("household_id",), ("member_id",)),
))
