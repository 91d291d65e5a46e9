"""Cultural activities (文化活动, domain.md §6) with organisers, target groups and sign-in rows."""

from __future__ import annotations

from typing import Any

from ..problems import Problem, error
from . import people  # noqa: F401  (register the types referenced here first)
from .schema import Context, FieldSpec, Kind, Privacy, RecordType, link_type, register
from .work import count, given, time_checks

P = Privacy
F = FieldSpec

SEX_FIELDS = ("male", "female")
AGE_FIELDS = ("under14", "age14_17", "age18_59", "age60plus")


def _activity_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    problems = time_checks(r)
    actual = count(r.get("actual_count"))
    # A breakdown is optional, but once any part is given the parts must add up (domain.md §6.1).
    if given(r, SEX_FIELDS):
        total = sum(count(r.get(n)) for n in SEX_FIELDS)
        if total != actual:
            problems.append(error("activity.sex_sum", "male",
                                  f"男女人数之和（{total}）与实际人数（{actual}）不一致",
                                  f"Men plus women ({total}) does not equal the actual count ({actual})"))
    if given(r, AGE_FIELDS):
        total = sum(count(r.get(n)) for n in AGE_FIELDS)
        if total != actual:
            problems.append(error("activity.age_sum", "under14",
                                  f"各年龄段人数之和（{total}）与实际人数（{actual}）不一致",
                                  f"The age bands add up to {total}, not the actual count ({actual})"))
    vulnerable = r.get("vulnerable_count")
    if vulnerable is not None and count(vulnerable) > actual:
        problems.append(error("activity.vulnerable_exceeds", "vulnerable_count",
                              "特殊群体人数不能多于实际人数",
                              "The vulnerable-group count cannot exceed the actual count"))
    return problems


def _activity_title(r: dict[str, Any]) -> str:
    return f"{r.get('activity_date') or ''} {r.get('title') or ''}".strip()


def _n(name: str, zh: str, en: str) -> FieldSpec:
    return F(name, Kind.INT, zh, en, privacy=P.PUBLIC, minimum=0, maximum=100000)


ACTIVITY = register(RecordType(
    name="activity", table="activities", zh="文化活动", en="Cultural activity",
    fields=(
        F("title", Kind.TEXT, "活动名称", "Title", required=True, max_len=100, privacy=P.PUBLIC,
          searchable=True),
        F("category", Kind.VOCAB, "活动类别", "Category", required=True, vocab="activity_category",
          privacy=P.PUBLIC),
        F("series", Kind.TEXT, "系列", "Series", max_len=100, privacy=P.PUBLIC, searchable=True),
        F("session_no", Kind.INT, "期次", "Session no.", privacy=P.PUBLIC, minimum=1, maximum=10000),
        F("activity_date", Kind.DATE, "活动日期", "Date", required=True, privacy=P.PUBLIC),
        F("start_time", Kind.TEXT, "开始时间", "Start time", max_len=5, privacy=P.PUBLIC),
        F("end_time", Kind.TEXT, "结束时间", "End time", max_len=5, privacy=P.PUBLIC),
        F("solar_term", Kind.VOCAB, "节气", "Solar term", vocab="solar_term", privacy=P.PUBLIC),
        F("festival", Kind.VOCAB, "节日", "Festival", vocab="festival", privacy=P.PUBLIC),
        F("area_id", Kind.REF, "所在村", "Village", required=True, ref="area", privacy=P.PUBLIC),
        F("venue_type", Kind.VOCAB, "地点类型", "Venue type", vocab="venue_type", privacy=P.PUBLIC),
        F("venue", Kind.TEXT, "地点", "Venue", max_len=100, privacy=P.PUBLIC, searchable=True),
        F("lehe_domain", Kind.VOCAB, "乐和领域", "Lehe domain", vocab="lehe_domain", privacy=P.PUBLIC),
        F("objectives", Kind.LONGTEXT, "活动目标", "Objectives"),
        _n("planned_count", "预计人数", "Planned count"),
        F("actual_count", Kind.INT, "实际人数", "Actual count", required=True, privacy=P.PUBLIC,
          minimum=0, maximum=100000),
        _n("male", "男", "Men"),
        _n("female", "女", "Women"),
        _n("under14", "14岁以下", "Under 14"),
        _n("age14_17", "14–17岁", "14–17"),
        _n("age18_59", "18–59岁", "18–59"),
        _n("age60plus", "60岁及以上", "60 and over"),
        _n("vulnerable_count", "特殊群体人数", "Vulnerable-group count"),
        _n("volunteer_count", "志愿者人数", "Volunteers"),
        F("volunteer_hours", Kind.REAL, "志愿服务时长（小时）", "Volunteer hours", privacy=P.PUBLIC,
          minimum=0, maximum=1000000),
        F("description", Kind.LONGTEXT, "内容与过程", "Description", privacy=P.IDENTIFYING, searchable=True),
        F("outcomes", Kind.LONGTEXT, "成效", "Outcomes", privacy=P.IDENTIFYING),
        F("reflection", Kind.LONGTEXT, "反思与改进", "Reflection", privacy=P.IDENTIFYING),
        F("author", Kind.TEXT, "记录人", "Recorded by", max_len=50, privacy=P.IDENTIFYING),
    ),
    checks=(_activity_checks,),
    title=_activity_title,
    indexes=(("activity_date",), ("area_id", "activity_date"), ("category",)),
))


def _organiser_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    if not r.get("name") and not r.get("org"):
        return [error("activity_organiser.empty", "name", "请填写组织者姓名或单位",
                      "Give the organiser's name or organisation")]
    return []


ACTIVITY_ORGANISER = register(RecordType(
    name="activity_organiser", table="activity_organisers", zh="组织者", en="Organiser",
    fields=(
        F("activity_id", Kind.REF, "活动", "Activity", required=True, ref="activity", privacy=P.PUBLIC),
        F("name", Kind.TEXT, "姓名", "Name", max_len=50, privacy=P.IDENTIFYING),
        F("org", Kind.TEXT, "单位", "Organisation", max_len=100, privacy=P.PUBLIC),
        F("role", Kind.TEXT, "角色", "Role", max_len=30, privacy=P.PUBLIC),  # 主办/协办/带领人 …: open list
    ),
    parent_field="activity_id",
    checks=(_organiser_checks,),
    indexes=(("activity_id",),),
))

ACTIVITY_TARGET_GROUP = link_type(
    "activity_target_group", "activity_target_groups", "目标人群", "Target group",
    F("activity_id", Kind.REF, "活动", "Activity", required=True, ref="activity", privacy=P.PUBLIC),
    F("target_group", Kind.VOCAB, "目标人群", "Target group", required=True, vocab="target_group",
      privacy=P.PUBLIC),
    index_item=False)


def _attendance_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    if not r.get("member_id") and not r.get("name_text"):
        return [error("attendance.person_required", "member_id", "请选择居民或填写姓名",
                      "Choose a resident or write a name")]
    return []


ACTIVITY_ATTENDANCE = register(RecordType(
    name="activity_attendance", table="activity_attendance", zh="签到", en="Attendance",
    fields=(
        F("activity_id", Kind.REF, "活动", "Activity", required=True, ref="activity", privacy=P.PUBLIC),
        F("member_id", Kind.REF, "居民", "Resident", ref="member", privacy=P.PUBLIC),
        F("name_text", Kind.NAME, "姓名（非登记居民）", "Name (walk-in)", privacy=P.IDENTIFYING),
        F("group_name", Kind.TEXT, "村民小组", "Villager group", max_len=50, privacy=P.PUBLIC),
        F("role", Kind.VOCAB, "身份", "Role", required=True, vocab="attendance_role", privacy=P.PUBLIC),
        F("age_band", Kind.VOCAB, "年龄段", "Age band", vocab="age_band", privacy=P.PUBLIC),
        F("sign_method", Kind.VOCAB, "签到方式", "Sign-in method", vocab="sign_method", privacy=P.PUBLIC),
    ),
    parent_field="activity_id",
    checks=(_attendance_checks,),
    indexes=(("activity_id",), ("member_id",)),
))
