"""The Lehe work records: visits, activities, meetings, matters and tasks, with their rules.

Real encrypted stores in tmp folders. Every rule that blocks a save is checked to reject
with its stable code and to change nothing (rows and change log counted before and after);
every warning is checked to let the save through.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from lehe_desktop.core.errors import ValidationError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.records.schema import Privacy, all_types, record_type
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store

TODAY = date(2026, 11, 20)
WORK_TYPES = ("visit", "visit_visitor", "visit_member_present", "visit_need", "visit_risk_factor", "visit_service",
              "visit_referral", "activity", "activity_organiser", "activity_target_group", "activity_attendance",
              "meeting", "meeting_participant", "agenda_item", "matter", "matter_household", "task",
              "task_household", "task_progress")


def d(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


@pytest.fixture
def st(store: Store) -> Store:
    store.today = TODAY
    return store


@pytest.fixture
def base(st: Store) -> dict[str, str]:
    """One village, two households with members (ids by role)."""
    area = st.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    h1 = st.create("household", {"area_id": area, "group_name": "3组", "head_name": "王德明"}).id
    h2 = st.create("household", {"area_id": area, "group_name": "5组", "head_name": "李秀英"}).id
    m1 = st.create("member", {"household_id": h1, "name": "王德明", "sex": "1", "relation": "02",
                              "birth_date": "1950-03-02"}).id
    m2 = st.create("member", {"household_id": h1, "name": "张桂兰", "sex": "2", "relation": "10",
                              "birth_date": "1952-07-09"}).id
    m3 = st.create("member", {"household_id": h2, "name": "李秀英", "sex": "2", "relation": "02",
                              "birth_date": "1948-01-20"}).id
    return {"area": area, "h1": h1, "h2": h2, "m1": m1, "m2": m2, "m3": m3}


def visit_values(base: dict[str, str], **over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "household_id": base["h1"], "visit_date": d(5), "visit_type": "routine", "target_seen": True,
        "situation": "户主在家，血压偏高，按时服药。", "risk_level": "low", "follow_up_needed": True,
        "next_visit_date": d(-25)}
    values.update(over)
    return values


def meeting_values(base: dict[str, str], **over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"meeting_type": "lehe_joint", "area_id": base["area"], "meeting_date": d(10),
                              "expected_count": 20, "attended_count": 15, "title": "乐和联席会"}
    values.update(over)
    return values


def activity_values(base: dict[str, str], **over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"title": "国学课堂", "category": "classics", "activity_date": d(3),
                              "area_id": base["area"], "actual_count": 10}
    values.update(over)
    return values


def matter_values(**over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"raised_on": d(8), "channel": "walk_in", "topic_category": "infrastructure",
                              "description": "3组路灯损坏", "sanshi_class": "minor", "status": "registered"}
    values.update(over)
    return values


def task_values(**over: Any) -> dict[str, Any]:
    values: dict[str, Any] = {"title": "修复路灯", "owner": "陈国强", "due_date": d(-10), "status": "not_started"}
    values.update(over)
    return values


def snapshot(st: Store, rtype: str) -> tuple[int, int]:
    table = record_type(rtype).table
    return (st.query_value(f"SELECT count(*) FROM {table}"),
            st.query_value("SELECT count(*) FROM changes"))


def rejects(st: Store, rtype: str, values: dict[str, Any], code: str, *, rid: str | None = None) -> None:
    """Creating (or, with ``rid``, updating) fails with ``code`` and writes nothing."""
    before = snapshot(st, rtype)
    stored = st.get(rtype, rid) if rid else None
    with pytest.raises(ValidationError) as info:
        if rid:
            st.update(rtype, rid, values)
        else:
            st.create(rtype, values)
    codes = [p.code for p in info.value.problems if p.is_error]
    assert code in codes, codes
    assert snapshot(st, rtype) == before
    if rid:
        assert st.get(rtype, rid) == stored


def warns(st: Store, rtype: str, values: dict[str, Any], code: str) -> str:
    """Creating succeeds and reports ``code`` as a warning."""
    before = snapshot(st, rtype)
    result = st.create(rtype, values)
    assert code in [w.code for w in result.warnings]
    assert snapshot(st, rtype) == (before[0] + 1, before[1] + 1)
    return result.id


def no_warning(result: Any, code: str) -> None:
    assert code not in [w.code for w in result.warnings]


# ---------------------------------------------------------------------------- schema


def test_migration_columns_match_record_types(st: Store) -> None:
    """Migration 2's frozen DDL has exactly the registered fields, in order, plus bookkeeping."""
    for name in WORK_TYPES:
        rt = record_type(name)
        cols = [r[1] for r in st.query(f"PRAGMA table_info({rt.table})")]
        assert cols == ["id", *rt.field_names, "deleted", "extra", "versions", "updated_hlc"], name
        indexes = {r[1] for r in st.query(f"PRAGMA index_list({rt.table})")}
        for idx in rt.indexes:
            assert f"{rt.table}_{'_'.join(idx)}" in indexes


def test_work_types_registered_after_what_they_reference() -> None:
    order = [t.name for t in all_types()]
    for rt in all_types():
        for f in rt.fields:
            if f.ref and f.ref != rt.name:
                assert order.index(f.ref) < order.index(rt.name), (rt.name, f.name)


def test_privacy_classes_of_sensitive_and_identifying_fields() -> None:
    sensitive = [("visit", "situation"), ("visit", "risk_level"), ("visit", "risk_rationale"),
                 ("visit_need", "description"), ("visit_need", "need_domain"), ("visit_risk_factor", "risk_factor")]
    for rtype, fname in sensitive:
        assert record_type(rtype).field(fname).privacy is Privacy.SENSITIVE, (rtype, fname)
    identifying = [("visit_visitor", "name"), ("visit", "author"), ("activity_attendance", "name_text"),
                   ("meeting_participant", "name"), ("meeting", "chair"), ("matter", "raised_by"),
                   ("matter", "responsible_person"), ("task", "owner"), ("task_progress", "noted_by")]
    for rtype, fname in identifying:
        assert record_type(rtype).field(fname).privacy is Privacy.IDENTIFYING, (rtype, fname)


def test_v1_database_upgrades_and_takes_work_records(tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "schema_v1"
    expected = json.loads((fixture / "expected.json").read_text("utf-8"))
    root = tmp_path / "v1"
    shutil.copytree(fixture, root, ignore=shutil.ignore_patterns("expected.json"))
    st = vault.unlock(DataPaths(root=root, logs=root / "logs"), expected["passphrase"])
    try:
        assert st.query_value("PRAGMA user_version") >= 2
        stats = st.stats()
        assert {k: stats[k] for k in ("visits", "activities", "meetings", "matters", "tasks")} == dict.fromkeys(
            ("visits", "activities", "meetings", "matters", "tasks"), 0)
        hid = st.query_value("SELECT id FROM households WHERE deleted = 0 LIMIT 1")
        vid = st.create("visit", {"household_id": hid, "visit_date": date.today().isoformat(),
                                  "visit_type": "routine", "target_seen": True, "situation": "升级后第一次走访",
                                  "risk_level": "none", "follow_up_needed": False}).id
        assert st.get("visit", vid)["household_id"] == hid
    finally:
        st.close()


# ---------------------------------------------------------------------------- round trips


def test_visit_round_trip_with_children(st: Store, base: dict[str, str]) -> None:
    values = visit_values(base, start_time="09:30", end_time="10:45", purpose="了解近况",
                          strengths="邻里常来看望", risk_level="medium", immediate_safety_concern=False,
                          risk_rationale="独居", actions_taken="讲解医保政策", follow_up_plan="两周后回访",
                          follow_up_owner="刘社工", respondent_confirmed=True, confirm_method="oral", author="刘社工")
    vid = st.create("visit", values).id
    rec = st.require("visit", vid)
    assert rec["target_seen"] == 1 and rec["follow_up_needed"] == 1 and rec["immediate_safety_concern"] == 0
    for k in ("visit_date", "next_visit_date", "situation", "start_time", "risk_level", "author", "confirm_method"):
        assert rec[k] == values[k]
    st.create("visit_visitor", {"visit_id": vid, "name": "刘社工", "role": "social_worker"})
    st.create("visit_visitor", {"visit_id": vid, "name": "陈主任", "role": "village_official"})
    st.create("visit_member_present", {"visit_id": vid, "member_id": base["m1"]})
    st.create("visit_need", {"visit_id": vid, "member_id": base["m1"], "lehe_dimension": "body",
                             "need_domain": "health", "description": "需要村医上门测血压", "urgency": "routine",
                             "status": "open", "sanshi_class": "private"})
    st.create("visit_risk_factor", {"visit_id": vid, "risk_factor": "alone_no_carer"})
    st.create("visit_service", {"visit_id": vid, "policy_info": "medical_insurance"})
    st.create("visit_referral", {"visit_id": vid, "to_org_type": "health", "to_org_name": "白鹿镇卫生院",
                                 "reason": "慢病随访", "consent_to_share": True, "referred_on": d(5),
                                 "status": "accepted", "feedback_on": d(1), "outcome": "已受理"})
    assert [r["name"] for r in st.children("visit_visitor", vid)] == ["刘社工", "陈主任"]
    assert st.children("visit_need", vid)[0]["need_domain"] == "health"
    assert st.children("visit_referral", vid)[0]["consent_to_share"] == 1
    assert len(st.children("visit_member_present", vid)) == 1
    # Title names the household's head; the situation text is searchable.
    assert st.title(record_type("visit"), rec) == f"{values['visit_date']} 常规探访 · 王德明户"
    assert {"type": "visit", "id": vid, "title": f"{values['visit_date']} 常规探访 · 王德明户"} in st.search("血压")
    assert any(r["type"] == "visit_need" for r in st.search("村医"))


def test_visit_update_and_history(st: Store, base: dict[str, str]) -> None:
    vid = st.create("visit", visit_values(base)).id
    st.update("visit", vid, {"risk_level": "medium"})
    assert st.require("visit", vid)["risk_level"] == "medium"
    kinds = [(h["kind"], sorted(h["fields"])) for h in st.history("visit", vid)]
    assert kinds[-1] == ("upsert", ["risk_level"])


def test_link_rows_have_natural_keys(st: Store, base: dict[str, str]) -> None:
    vid = st.create("visit", visit_values(base)).id
    a = st.create("visit_risk_factor", {"visit_id": vid, "risk_factor": "no_food"}).id
    b = st.create("visit_risk_factor", {"visit_id": vid, "risk_factor": "no_food"}).id
    assert a == b and len(st.children("visit_risk_factor", vid)) == 1
    mid = st.create("matter", matter_values()).id
    assert st.create("matter_household", {"matter_id": mid, "household_id": base["h1"]}).id == st.create(
        "matter_household", {"matter_id": mid, "household_id": base["h1"]}).id
    tid = st.create("task", task_values()).id
    assert st.create("task_household", {"task_id": tid, "household_id": base["h2"]}).id == st.create(
        "task_household", {"task_id": tid, "household_id": base["h2"]}).id
    aid = st.create("activity", activity_values(base)).id
    st.create("activity_target_group", {"activity_id": aid, "target_group": "elders"})
    st.create("activity_target_group", {"activity_id": aid, "target_group": "elders"})
    assert len(st.children("activity_target_group", aid)) == 1


def test_activity_round_trip(st: Store, base: dict[str, str]) -> None:
    values = activity_values(base, series="乐和讲堂", session_no=3, start_time="14:30", end_time="16:00",
                             venue_type="lehe_courtyard", venue="乐和大院", lehe_domain="etiquette", planned_count=12,
                             male=4, female=6, under14=5, age14_17=0, age18_59=2, age60plus=3, vulnerable_count=2,
                             volunteer_count=2, volunteer_hours="3.5", description="诵读《弟子规》",
                             outcomes="孩子们能背诵前两章", reflection="下次增加家长环节", solar_term="dongzhi")
    aid = st.create("activity", values).id
    rec = st.require("activity", aid)
    assert rec["volunteer_hours"] == 3.5 and rec["male"] == 4 and rec["age60plus"] == 3
    st.create("activity_organiser", {"activity_id": aid, "org": "乐和社工站", "role": "主办"})
    st.create("activity_attendance", {"activity_id": aid, "member_id": base["m1"], "role": "participant",
                                      "age_band": "60plus", "sign_method": "thumbprint"})
    st.create("activity_attendance", {"activity_id": aid, "name_text": "赵小红", "group_name": "2组",
                                      "role": "volunteer", "age_band": "18_59"})
    assert len(st.children("activity_attendance", aid)) == 2
    assert st.search("弟子规")[0]["title"] == f"{values['activity_date']} 国学课堂"


def test_meeting_agenda_matter_task_round_trip(st: Store, base: dict[str, str]) -> None:
    mid = st.create("meeting", meeting_values(base, start_time="19:00", end_time="21:00", venue="村委会",
                                              convener="村委会", chair="陈国强", recorder="刘社工",
                                              format="in_person", minutes="讨论通组公路硬化", status="finalised",
                                              disclosure_channel="public_board", disclosed_on=d(8))).id
    st.create("meeting_participant", {"meeting_id": mid, "member_id": base["m1"], "role": "villager_rep",
                                      "attendance": "present", "signed": True})
    st.create("meeting_participant", {"meeting_id": mid, "name": "陈国强", "post": "村委会主任",
                                      "role": "village_committee", "attendance": "present"})
    item = st.create("agenda_item", {"meeting_id": mid, "seq": 1, "topic": "通组公路硬化", "origin": "member_suggestion",
                                     "sanshi_class": "minor", "vote_method": "show_of_hands", "votes_for": 12,
                                     "votes_against": 2, "votes_abstain": 1, "passed": True,
                                     "resolution": "同意硬化，村民投工投劳", "resolution_type": "decision"}).id
    matter = st.create("matter", matter_values(raised_on=d(10), channel="joint_meeting",
                                               source_agenda_item_id=item, responsible_body="village_committees",
                                               due_date=d(-20))).id
    assert st.require("matter", matter)["source_type"] == "meeting"   # derived from the link
    task = st.create("task", task_values(agenda_item_id=item, matter_id=matter, assigned_on=d(10),
                                         owner_body="village_committees")).id
    st.create("task_progress", {"task_id": task, "note_date": d(2), "note": "已采购水泥", "noted_by": "陈国强"})
    st.update("task", task, {"status": "done", "completed_on": d(1), "result": "已完工", "result_published_on": d(0)})
    assert st.require("task", task)["status"] == "done"
    assert st.children("agenda_item", mid)[0]["votes_for"] == 12
    assert st.title(record_type("agenda_item"), st.require("agenda_item", item)) == f"{d(10)} 乐和联席会 · 议题1：通组公路硬化"
    stats = st.stats()
    assert (stats["meetings"], stats["matters"], stats["tasks"]) == (1, 1, 1)


# ---------------------------------------------------------------------------- visit rules


@pytest.mark.parametrize(("over", "code"), [
    ({"target_seen": False}, "visit.not_seen_reason_required"),
    ({"next_visit_date": None}, "visit.next_visit_required"),
    ({"next_visit_date": d(6)}, "visit.next_visit_order"),
    ({"visit_date": d(-1)}, "date.future"),
    ({"situation": "  "}, "field.required"),
    ({"risk_level": None}, "field.required"),
    ({"follow_up_needed": None}, "field.required"),
    ({"risk_level": "severe"}, "vocab.unknown"),
    ({"household_id": "no-such-household"}, "ref.missing"),
    ({"start_time": "9点"}, "time.format"),
    ({"start_time": "10:00", "end_time": "09:00"}, "time.order"),
])
def test_visit_rules_reject(st: Store, base: dict[str, str], over: dict[str, Any], code: str) -> None:
    rejects(st, "visit", visit_values(base, **over), code)


def test_visit_rules_on_update(st: Store, base: dict[str, str]) -> None:
    vid = st.create("visit", visit_values(base)).id
    rejects(st, "visit", {"target_seen": False}, "visit.not_seen_reason_required", rid=vid)
    rejects(st, "visit", {"next_visit_date": d(30)}, "visit.next_visit_order", rid=vid)
    st.update("visit", vid, {"target_seen": False, "not_seen_reason": "working_away"})


def test_visit_follow_up_not_needed_needs_no_date(st: Store, base: dict[str, str]) -> None:
    result = st.create("visit", visit_values(base, follow_up_needed=False, next_visit_date=None))
    assert st.require("visit", result.id)["next_visit_date"] is None


def test_visit_warnings_do_not_block(st: Store, base: dict[str, str]) -> None:
    warns(st, "visit", visit_values(base, risk_level="high", follow_up_needed=False, next_visit_date=None),
          "visit.high_risk_no_follow_up")
    warns(st, "visit", visit_values(base, risk_level="low", immediate_safety_concern=True), "visit.safety_vs_risk")


def test_visit_child_rules(st: Store, base: dict[str, str]) -> None:
    vid = st.create("visit", visit_values(base)).id
    rejects(st, "visit_member_present", {"visit_id": vid, "member_id": base["m3"]}, "visit.member_not_in_household")
    need = {"visit_id": vid, "lehe_dimension": "body", "need_domain": "health", "description": "复查",
            "urgency": "routine", "status": "open"}
    rejects(st, "visit_need", {**need, "member_id": base["m3"]}, "visit.member_not_in_household")
    rejects(st, "visit_need", {**need, "lehe_dimension": "heart"}, "vocab.unknown")
    warns(st, "visit_need", {**need, "lehe_dimension": "environment"}, "need.dimension_mismatch")
    rejects(st, "visit_service", {"visit_id": vid}, "visit_service.empty")
    rejects(st, "visit_visitor", {"visit_id": vid, "name": "刘社工"}, "field.required")
    referral = {"visit_id": vid, "to_org_type": "health", "reason": "随访", "consent_to_share": True,
                "referred_on": d(4), "status": "referred"}
    rejects(st, "visit_referral", {**referral, "feedback_on": d(5)}, "referral.feedback_order")
    rejects(st, "visit_referral", {**referral, "referred_on": d(6)}, "referral.before_visit")
    rejects(st, "visit_referral", {**referral, "consent_to_share": None}, "field.required")
    warns(st, "visit_referral", {**referral, "consent_to_share": False}, "referral.no_consent")


# ---------------------------------------------------------------------------- activity rules


@pytest.mark.parametrize(("over", "code"), [
    ({"male": 4, "female": 5}, "activity.sex_sum"),
    ({"male": 11}, "activity.sex_sum"),
    ({"under14": 2, "age14_17": 2, "age18_59": 2, "age60plus": 2}, "activity.age_sum"),
    ({"age60plus": 0}, "activity.age_sum"),
    ({"vulnerable_count": 11}, "activity.vulnerable_exceeds"),
    ({"actual_count": None}, "field.required"),
    ({"actual_count": -1}, "field.out_of_range"),
    ({"activity_date": d(-3)}, "date.future"),
    ({"category": "mahjong"}, "vocab.unknown"),
    ({"start_time": "25:00"}, "time.format"),
])
def test_activity_rules_reject(st: Store, base: dict[str, str], over: dict[str, Any], code: str) -> None:
    rejects(st, "activity", activity_values(base, **over), code)


def test_activity_breakdowns_that_add_up(st: Store, base: dict[str, str]) -> None:
    aid = st.create("activity", activity_values(base, male=10, female=0, under14=0, age14_17=0, age18_59=0,
                                                age60plus=10)).id
    # Changing the total alone breaks both sums: rejected, nothing written.
    rejects(st, "activity", {"actual_count": 11}, "activity.sex_sum", rid=aid)
    st.update("activity", aid, {"actual_count": 11, "male": 11, "age60plus": 11})


def test_activity_child_rules(st: Store, base: dict[str, str]) -> None:
    aid = st.create("activity", activity_values(base)).id
    rejects(st, "activity_organiser", {"activity_id": aid, "role": "主办"}, "activity_organiser.empty")
    rejects(st, "activity_attendance", {"activity_id": aid, "role": "participant"}, "attendance.person_required")
    rejects(st, "activity_attendance", {"activity_id": aid, "name_text": "王芳"}, "field.required")


# ---------------------------------------------------------------------------- meeting rules


def test_meeting_attended_cannot_exceed_expected(st: Store, base: dict[str, str]) -> None:
    rejects(st, "meeting", meeting_values(base, attended_count=21), "meeting.attended_exceeds")
    rejects(st, "meeting", meeting_values(base, disclosed_on=d(11)), "meeting.disclosed_order")
    rejects(st, "meeting", meeting_values(base, expected_count=None), "field.required")


@pytest.mark.parametrize(("mtype", "expected", "attended", "warned"), [
    ("rep_meeting", 30, 19, True), ("rep_meeting", 30, 20, False), ("rep_meeting", 31, 20, True),
    ("assembly", 100, 50, True), ("assembly", 100, 51, False),
    ("party_members", 9, 5, True), ("party_members", 9, 6, False),
    ("lehe_joint", 30, 3, False), ("courtyard", 50, 1, False),
])
def test_quorum_is_a_warning(st: Store, base: dict[str, str], mtype: str, expected: int, attended: int,
                             warned: bool) -> None:
    before = snapshot(st, "meeting")
    result = st.create("meeting", meeting_values(base, meeting_type=mtype, expected_count=expected,
                                                 attended_count=attended))
    assert ("meeting.quorum" in [w.code for w in result.warnings]) is warned
    assert snapshot(st, "meeting")[0] == before[0] + 1


def test_agenda_votes_and_resolution(st: Store, base: dict[str, str]) -> None:
    mid = st.create("meeting", meeting_values(base, attended_count=15)).id
    item = {"meeting_id": mid, "seq": 1, "topic": "垃圾清运", "sanshi_class": "minor", "vote_method": "show_of_hands"}
    rejects(st, "agenda_item", {**item, "votes_for": 10, "votes_against": 5, "votes_abstain": 1},
            "agenda.votes_exceed_attended")
    rejects(st, "agenda_item", {**item, "passed": True}, "agenda.resolution_required")
    rejects(st, "agenda_item", {**item, "sanshi_class": None}, "field.required")
    rejects(st, "agenda_item", {**item, "votes_for": -1}, "field.out_of_range")
    warns(st, "agenda_item", {**item, "votes_for": 7, "votes_against": 8, "passed": True, "resolution": "通过"},
          "agenda.passed_mismatch")
    ok = st.create("agenda_item", {**item, "seq": 2, "votes_for": 10, "votes_against": 4, "votes_abstain": 1,
                                   "passed": True, "resolution": "分片包干"})
    no_warning(ok, "agenda.passed_mismatch")
    # The meeting's attendance cannot drop below the votes already recorded.
    rejects(st, "meeting", {"attended_count": 14}, "meeting.attended_below_votes", rid=mid)
    st.update("meeting", mid, {"attended_count": 15, "expected_count": 15})


def test_participant_needs_a_person(st: Store, base: dict[str, str]) -> None:
    mid = st.create("meeting", meeting_values(base)).id
    rejects(st, "meeting_participant", {"meeting_id": mid, "role": "villager", "attendance": "present"},
            "participant.person_required")
    rejects(st, "meeting_participant", {"meeting_id": mid, "name": "王芳", "role": "villager"}, "field.required")


# ---------------------------------------------------------------------------- matter rules


def test_matter_rules(st: Store, base: dict[str, str]) -> None:
    vid = st.create("visit", visit_values(base)).id
    rejects(st, "matter", matter_values(sanshi_class="unclassified"), "matter.sanshi_class")
    rejects(st, "matter", matter_values(sanshi_class=None), "field.required")
    rejects(st, "matter", matter_values(description=""), "field.required")
    rejects(st, "matter", matter_values(source_type="visit"), "matter.source_missing")
    rejects(st, "matter", matter_values(source_type="rumour"), "matter.source_type")
    rejects(st, "matter", matter_values(source_type="direct", source_visit_id=vid), "matter.source_mismatch")
    rejects(st, "matter", matter_values(source_visit_id=vid, raised_on=d(6)), "matter.raised_before_source")
    rejects(st, "matter", matter_values(due_date=d(9)), "matter.due_order")
    rejects(st, "matter", matter_values(status="resolved"), "matter.closed_on_required")
    rejects(st, "matter", matter_values(status="resolved", closed_on=d(9)), "matter.closed_order")
    rejects(st, "matter", matter_values(published_on=d(9)), "matter.published_order")
    rejects(st, "matter", matter_values(closed_on=d(-1)), "date.future")
    mid = st.create("matter", matter_values(source_visit_id=vid, raised_on=d(5), due_date=d(-30))).id
    assert st.require("matter", mid)["source_type"] == "visit"
    rejects(st, "matter", {"status": "withdrawn"}, "matter.closed_on_required", rid=mid)
    st.update("matter", mid, {"status": "resolved", "closed_on": d(1), "satisfaction": "satisfied"})


def test_matter_warnings(st: Store) -> None:
    warns(st, "matter", matter_values(sanshi_class="major", responsible_body="mutual_aid"), "matter.body_mismatch")
    warns(st, "matter", matter_values(sanshi_class="private", responsible_body="government"), "matter.body_mismatch")
    warns(st, "matter", matter_values(closed_on=d(1)), "matter.closed_on_open")
    ok = st.create("matter", matter_values(sanshi_class="major", responsible_body="government"))
    no_warning(ok, "matter.body_mismatch")


# ---------------------------------------------------------------------------- task rules


def test_task_rules(st: Store, base: dict[str, str]) -> None:
    rejects(st, "task", task_values(owner=None), "field.required")
    rejects(st, "task", task_values(due_date=None), "field.required")
    rejects(st, "task", task_values(status="done"), "task.completed_on_required")
    rejects(st, "task", task_values(assigned_on=d(5), due_date=d(6)), "task.due_order")
    rejects(st, "task", task_values(assigned_on=d(5), status="done", completed_on=d(6)), "task.completed_order")
    rejects(st, "task", task_values(status="done", completed_on=d(2), result_published_on=d(3)),
            "task.published_order")
    rejects(st, "task", task_values(status="done", completed_on=d(-2)), "date.future")
    tid = st.create("task", task_values()).id
    rejects(st, "task", {"status": "done"}, "task.completed_on_required", rid=tid)


def test_task_warnings(st: Store, base: dict[str, str]) -> None:
    mid = st.create("meeting", meeting_values(base)).id
    item = st.create("agenda_item", {"meeting_id": mid, "seq": 1, "topic": "危房改造评议", "sanshi_class": "major"}).id
    warns(st, "task", task_values(agenda_item_id=item, due_date=d(11)), "task.due_before_meeting")
    warns(st, "task", task_values(agenda_item_id=item, owner_body="mutual_aid"), "task.body_mismatch")
    matter = st.create("matter", matter_values(raised_on=d(8))).id
    warns(st, "task", task_values(matter_id=matter, due_date=d(9)), "task.due_before_matter")
    warns(st, "task", task_values(completed_on=d(1)), "task.completed_on_open")
    ok = st.create("task", task_values(agenda_item_id=item, owner_body="government", due_date=d(10)))
    assert ok.warnings == []
