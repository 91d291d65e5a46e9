"""Core I record types: areas, households and their members (with child rows)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..problems import Problem, error, warning
from ..validation.dates import age_on
from ..validation.idnumber import check_id_number
from ..validation.phone import mask_phone
from .schema import Context, FieldSpec, Kind, Privacy, RecordType, link_type, register
from .work import words

P = Privacy
F = FieldSpec

AREA = register(RecordType(
    name="area", table="areas", zh="地区", en="Area",
    fields=(
        F("path", Kind.TEXT, "地区路径", "Area path", required=True, privacy=P.PUBLIC, searchable=True,
          max_len=300),
        F("name", Kind.TEXT, "名称", "Name", required=True, privacy=P.PUBLIC, searchable=True, max_len=100),
        F("parent_id", Kind.REF, "上级地区", "Parent area", ref="area", privacy=P.PUBLIC),
        F("level", Kind.VOCAB, "层级", "Level", vocab="area_level", privacy=P.PUBLIC),
        F("depth", Kind.INT, "深度", "Depth", privacy=P.PUBLIC, minimum=1, maximum=8),
        F("code", Kind.TEXT, "区划代码", "Division code", privacy=P.PUBLIC, max_len=12),
    ),
    natural_key=("path",),
    title=lambda r: r.get("path") or r.get("name") or "",
    indexes=(("parent_id",), ("path",)),
))


def _household_title(r: dict[str, Any]) -> str:
    head = r.get("head_name") or "?"
    group = r.get("group_name") or ""
    return words(f"{head}户", f"{head} household") + (f" · {group}" if group else "")


HOUSEHOLD = register(RecordType(
    name="household", table="households", zh="户", en="Household",
    fields=(
        F("area_id", Kind.REF, "所属村", "Village", required=True, ref="area", privacy=P.PUBLIC),
        F("group_name", Kind.TEXT, "村民小组", "Villager group", required=True, privacy=P.PUBLIC,
          searchable=True, max_len=50),
        F("head_name", Kind.NAME, "户主姓名", "Head of household", required=True,
          privacy=P.IDENTIFYING, searchable=True),
        F("address", Kind.TEXT, "详细地址", "Address", privacy=P.IDENTIFYING, searchable=True, max_len=200),
        F("status", Kind.VOCAB, "状态", "Status", vocab="household_status", privacy=P.PUBLIC),
        F("housing_type", Kind.VOCAB, "住房情况", "Housing", vocab="housing_type", allow_dq=True),
        F("housing_safety", Kind.VOCAB, "住房安全", "Housing safety", vocab="housing_safety", allow_dq=True),
        F("income_band", Kind.VOCAB, "家庭年收入区间", "Annual income band", vocab="income_band",
          privacy=P.SENSITIVE, allow_dq=True),
        F("gov_contact", Kind.TEXT, "帮扶责任人", "Government contact", max_len=100),
        F("notes", Kind.LONGTEXT, "备注", "Notes", searchable=True, privacy=P.IDENTIFYING),
    ),
    title=_household_title,
    indexes=(("area_id", "group_name"),),
    sort_keys=(("head_name", "head_name_sort"),),
))

HOUSEHOLD_CATEGORY = link_type(
    "household_category", "household_categories", "户类别", "Household category",
    F("household_id", Kind.REF, "户", "Household", required=True, ref="household", privacy=P.PUBLIC),
    F("category", Kind.VOCAB, "类别", "Category", required=True, vocab="vulnerable_category",
      privacy=P.SENSITIVE))


def _member_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    number = r.get("id_number")
    birth = r.get("birth_date")
    birth_d = date.fromisoformat(birth) if birth and len(birth) == 10 and birth[4] == "-" else None
    sex = r.get("sex")
    if number and len(number) == 18:
        _, found = check_id_number(number, field="id_number", birth_date=birth_d,
                                   sex=sex if sex in ("1", "2") else None, today=ctx.today)
        problems.extend(p for p in found if p.code in ("id_number.birth_mismatch", "id_number.sex_mismatch"))
    if birth_d is None and not number and birth is None:
        problems.append(warning("member.birth_unknown", "birth_date", "未填写出生日期或身份证号",
                                "Neither a birth date nor an ID number was given"))
    if birth_d is not None:
        age = age_on(birth_d, ctx.today)
        if age > 120:
            problems.append(error("member.too_old", "birth_date", "出生日期不合理（超过 120 岁）",
                                  "The birth date is implausible (older than 120)"))
        rel = r.get("relation")
        if rel in ("20", "30", "40") and age > 100:
            problems.append(warning("member.age_relation", "birth_date", "年龄与“与户主关系”不太一致",
                                    "Age looks inconsistent with the relation to the head"))
        if rel in ("50", "60") and age < 18:
            problems.append(warning("member.age_relation", "birth_date", "年龄与“与户主关系”不太一致",
                                    "Age looks inconsistent with the relation to the head"))
    return problems


def derive_member(r: dict[str, Any]) -> dict[str, Any]:
    """Fill birth date and sex from a valid ID number when they were left empty."""
    number = r.get("id_number")
    if not number or len(number) != 18 or not number[:17].isdigit():
        return {}
    out: dict[str, Any] = {}
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return {}
    if not r.get("birth_date"):
        out["birth_date"] = birth.isoformat()
    if not r.get("sex"):
        out["sex"] = "1" if int(number[16]) % 2 else "2"
    return out


MEMBER = register(RecordType(
    name="member", table="members", zh="家庭成员", en="Household member",
    fields=(
        F("household_id", Kind.REF, "所属户", "Household", required=True, ref="household", privacy=P.PUBLIC),
        F("name", Kind.NAME, "姓名", "Name", required=True, privacy=P.IDENTIFYING, searchable=True),
        F("sex", Kind.VOCAB, "性别", "Sex", required=True, vocab="sex"),
        F("birth_date", Kind.DATE, "出生日期", "Birth date", allow_dq=True),
        F("id_type", Kind.VOCAB, "证件类型", "ID document type", vocab="id_type", allow_dq=True),
        # searchable: found when typed whole, through a keyed hash (store/search.py), never as text.
        F("id_number", Kind.ID_NUMBER, "身份证号", "ID number", privacy=P.IDENTIFYING, allow_dq=True,
          searchable=True),
        F("relation", Kind.VOCAB, "与户主关系", "Relation to head", required=True, vocab="relation_to_head"),
        F("residence_status", Kind.VOCAB, "居住状态", "Residence", vocab="residence_status", allow_dq=True),
        F("work_location", Kind.TEXT, "务工地", "Works in", max_len=100),
        F("health_status", Kind.VOCAB, "健康状况", "Health", vocab="health_status", privacy=P.SENSITIVE,
          allow_dq=True),
        F("self_care", Kind.VOCAB, "自理能力", "Self-care", vocab="self_care", privacy=P.SENSITIVE,
          allow_dq=True),
        F("guardian_name", Kind.TEXT, "监护人", "Guardian", privacy=P.IDENTIFYING, max_len=50),
        F("notes", Kind.LONGTEXT, "备注", "Notes", privacy=P.IDENTIFYING, searchable=True),
    ),
    parent_field="household_id",
    checks=(_member_checks,),
    title=lambda r: r.get("name") or "",
    indexes=(("household_id",),),
    derive=derive_member,
    sort_keys=(("name", "name_sort"),),
))

MEMBER_CATEGORY = link_type(
    "member_category", "member_categories", "特殊群体类别", "Vulnerable category",
    F("member_id", Kind.REF, "成员", "Member", required=True, ref="member", privacy=P.PUBLIC),
    F("category", Kind.VOCAB, "类别", "Category", required=True, vocab="vulnerable_category",
      privacy=P.SENSITIVE))


def _disability_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    grade = r.get("grade")
    if grade and grade not in ("1", "2", "3", "4", "unknown", "refused", "not_collected"):
        return [error("disability.grade", "grade", "残疾等级应为一至四级", "Disability grade must be 1–4")]
    return []


MEMBER_DISABILITY = register(RecordType(
    name="member_disability", table="member_disabilities", zh="残疾情况", en="Disability",
    fields=(
        F("member_id", Kind.REF, "成员", "Member", required=True, ref="member", privacy=P.PUBLIC),
        F("disability_type", Kind.VOCAB, "残疾类别", "Disability type", required=True,
          vocab="disability_type", privacy=P.SENSITIVE),
        F("grade", Kind.VOCAB, "残疾等级", "Grade", vocab="disability_grade", privacy=P.SENSITIVE,
          allow_dq=True),
        F("certificate_no", Kind.TEXT, "残疾证号", "Certificate number", privacy=P.IDENTIFYING, max_len=30),
    ),
    parent_field="member_id",
    natural_key=("member_id", "disability_type"),
    checks=(_disability_checks,),
    indexes=(("member_id",),),
))

def phone_title(member_name: str | None, number: str | None) -> str:
    """A phone's title: whose it is and the number masked (the search index stores this)."""
    masked = mask_phone(number) if number else ""
    return f"{member_name} · {masked}" if member_name else masked


def _phone_title(r: dict[str, Any], lookup: Any) -> str:
    member = lookup.get("member", r["member_id"]) if r.get("member_id") else None
    return phone_title(member.get("name") if member else None, r.get("number"))


MEMBER_PHONE = register(RecordType(
    name="member_phone", table="member_phones", zh="联系电话", en="Phone",
    fields=(
        F("member_id", Kind.REF, "成员", "Member", required=True, ref="member", privacy=P.PUBLIC),
        # searchable: found when typed whole, through a keyed hash (store/search.py), never as text.
        F("number", Kind.PHONE, "电话号码", "Phone number", required=True, privacy=P.IDENTIFYING,
          searchable=True),
        F("owner", Kind.VOCAB, "号码归属", "Whose phone", vocab="phone_owner"),
        F("note", Kind.TEXT, "说明", "Note", max_len=100, privacy=P.IDENTIFYING),
    ),
    parent_field="member_id",
    natural_key=("member_id", "number"),
    indexes=(("member_id",),),
    title=_phone_title,
    title_lookup=True,
))
