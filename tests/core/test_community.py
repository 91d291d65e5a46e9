"""core.community: attendance sums, quorum lines, the in-memory activity list against SQL, and
matters/tasks raised from an agenda item."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from lehe_desktop.core import community
from lehe_desktop.core.community import ActivityFilter, ActivityIndex
from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.errors import ValidationError
from lehe_desktop.core.store.bin import delete_with_dependents
from lehe_desktop.core.store.links import save_with_links
from lehe_desktop.core.store.store import Store

RESIDENTS = [{"member_id": "m1", "sex": "1", "birth_date": "1950-01-01"},
             {"member_id": "m2", "sex": "2", "birth_date": "2016-05-01"},
             {"member_id": "m3", "sex": "2", "birth_date": None},
             {"name_text": "路人甲", "age_band": "18_59"}]


def test_attendance_summary_adds_residents_and_unregistered() -> None:
    others = {"male": 2, "female": 1, "age18_59": 2, "age60plus": 1}
    s = community.attendance_summary(RESIDENTS, others, "2026-10-01", "6")
    # Residents: 1 man, 2 women; bands 60+ and under 14 (m3's age unknown) — a warning says so.
    assert (s.residents, s.walk_ins, s.total_by_sex, s.total_by_age) == (3, 1, 6, 5)
    assert s.values == {"male": 3, "female": 3, "under14": 1, "age14_17": 0, "age18_59": 2, "age60plus": 2}
    codes = [p.code for p in s.problems]
    assert codes == ["attendance.unknown_age", "activity.age_sum"] and not s.ok
    fixed = community.attendance_summary(RESIDENTS, {**others, "age18_59": 3}, "2026-10-01", 6)
    assert fixed.ok and fixed.total_by_age == 6
    assert community.attendance_summary([], {}, "2026-10-01", 40).values == dict.fromkeys(
        community.BREAKDOWN_FIELDS)   # head count only: no breakdown at all
    assert [p.code for p in community.attendance_summary(RESIDENTS[:1], {}, "2026-10-01", None).problems] == \
        ["attendance.headcount_missing"]


def test_quorum_text_warns_only_where_the_law_sets_a_quorum() -> None:
    assert community.quorum_text("rep_meeting", 21, 13)[1] is False     # 13/21 < 2/3
    assert community.quorum_text("rep_meeting", 21, 14)[1] is True
    assert community.quorum_text("assembly", 100, 50)[1] is False       # needs more than half
    text, met = community.quorum_text("courtyard", 20, 5)
    assert met is None and "没有法定到会比例" in text
    assert community.participant_counts([{"attendance": "present"}, {"attendance": "absent"},
                                         {"attendance": "observer"}]) == (2, 1)


def test_activity_index_matches_the_sql_list(store: Store) -> None:
    store.today = date(2025, 6, 1)
    make_demo(store, 80, seed=3, today=store.today)
    index = ActivityIndex.load(store)
    area = community.activity_areas(store)[0]["id"]
    filters = [ActivityFilter(), ActivityFilter(area_id=area), ActivityFilter(category="classics"),
               ActivityFilter(series="乐和讲堂"), ActivityFilter(date_from="2025-02-01", date_to="2025-04-30"),
               ActivityFilter(text="敬老"), ActivityFilter(area_id=area, date_from="2025-01-01", category="festival")]
    for flt, (sort, desc) in itertools.product(filters, [("date", True), ("date", False), ("count", True),
                                                          ("title", False)]):
        f = ActivityFilter(**{**flt.__dict__, "sort": sort, "desc": desc})
        got, want = index.ids(f), community.activity_ids(store, f)
        assert set(got) == set(want), f
        if sort == "date":
            assert got == want, f
    ids = index.ids(ActivityFilter())[:50]
    columns = ("id", "activity_date", "title", "category", "series", "session_no", "venue", "actual_count",
               "area_id", "village", "signed_in")
    assert [{k: r[k] for k in columns} for r in index.page(ids)] == \
        [{k: r[k] for k in columns} for r in community.activity_rows(store, ids)]
    assert any(r["signed_in"] for r in index.page(ids))


def test_raise_matter_and_task_from_an_agenda_item(store: Store) -> None:
    area = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    saved = save_with_links(store, "meeting", None, {
        "meeting_type": "lehe_joint", "area_id": area, "meeting_date": "2025-05-20", "expected_count": 20,
        "attended_count": 16, "chair": "王大山"}, {"agenda_item": [
            {"seq": 1, "topic": "饮水管道维修经费筹集", "sanshi_class": "minor", "votes_for": 12, "passed": 1,
             "vote_method": "show_of_hands", "resolution": "每户出资50元，村委会统一维修"}]})
    item = saved.children["agenda_item"][0]["id"]
    defaults = community.matter_defaults(store, item)
    assert (defaults["raised_on"], defaults["channel"], defaults["responsible_body"]) == \
        ("2025-05-20", "joint_meeting", "village_committees")
    with pytest.raises(ValidationError):        # the topic category is the user's to choose
        community.raise_matter(store, item, defaults)
    mid = community.raise_matter(store, item, {**defaults, "topic_category": "infrastructure"}).id
    tid = community.raise_task(store, item, {**community.task_defaults(store, item), "owner": "张建国"}).id
    matter, task = store.get("matter", mid), store.get("task", tid)
    assert matter is not None and task is not None
    assert (matter["source_type"], matter["source_agenda_item_id"]) == ("meeting", item)
    assert (task["agenda_item_id"], task["due_date"], task["supervisor"]) == (item, "2025-06-19", "王大山")
    assert community.raised_counts(store, [item]) == {item: {"matters": 1, "open_matters": 1, "tasks": 1}}
    # Deleting the meeting takes its items with it (the bin restores them together); the matter and
    # the task raised from an item live on.
    gone = delete_with_dependents(store, "meeting", saved.id)
    assert gone[0] == ("meeting", saved.id) and ("agenda_item", item) in gone
    assert {t for t, _ in gone} <= {"meeting", "agenda_item", "meeting_participant"}
    assert store.get("matter", mid) is not None and store.get("task", tid) is not None
