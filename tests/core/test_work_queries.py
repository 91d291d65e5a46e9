"""Today's-work queries: follow-ups, matters and tasks due or overdue, recent records."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from lehe_desktop.core import queries
from lehe_desktop.core.store.store import Store

TODAY = date(2026, 11, 20)


def d(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


@pytest.fixture
def st(store: Store) -> Store:
    store.today = TODAY
    return store


def household(st: Store, area: str, head: str) -> str:
    return st.create("household", {"area_id": area, "group_name": "1组", "head_name": head}).id


def visit(st: Store, hid: str, on: int, next_on: int | None, **over: Any) -> str:
    values: dict[str, Any] = {"household_id": hid, "visit_date": d(on), "visit_type": "routine", "target_seen": True,
                              "situation": "情况稳定", "risk_level": "low", "follow_up_needed": next_on is not None,
                              "next_visit_date": d(next_on) if next_on is not None else None}
    values.update(over)
    return st.create("visit", values).id


def test_follow_ups_due(st: Store) -> None:
    area = st.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    overdue = household(st, area, "王德明")
    soon = household(st, area, "李秀英")
    done = household(st, area, "张国华")
    later = household(st, area, "刘玉兰")
    none = household(st, area, "陈志强")
    v_over = visit(st, overdue, 30, 2, risk_level="high")
    v_soon = visit(st, soon, 20, -5)
    visit(st, done, 40, 10)
    visit(st, done, 5, None)                       # the follow-up was made: nothing due
    v_later = visit(st, later, 10, -30)
    visit(st, none, 3, None)
    due = queries.follow_ups_due(st)
    assert [(r["id"], r["days_left"], r["overdue"]) for r in due] == [(v_over, -2, True), (v_soon, 5, False)]
    assert due[0]["head_name"] == "王德明" and due[0]["area_name"] == "乐和村" and due[0]["risk_level"] == "high"
    assert [r["id"] for r in queries.follow_ups_due(st, within_days=30)] == [v_over, v_soon, v_later]
    assert [r["id"] for r in queries.follow_ups_due(st, within_days=0)] == [v_over]
    assert [r["days_left"] for r in queries.follow_ups_due(st, today=TODAY - timedelta(days=2))] == [0, 7]
    # Deleting the visit that made the follow-up makes the earlier one due again.
    latest = queries.visits_of_household(st, done)
    assert [v["visit_date"] for v in latest] == [d(5), d(40)]
    st.delete("visit", latest[0]["id"])
    assert done in {r["household_id"] for r in queries.follow_ups_due(st)}
    # A deleted household drops out.
    st.delete("household", overdue)
    assert v_over not in {r["id"] for r in queries.follow_ups_due(st)}


def test_matters_and_tasks_due(st: Store) -> None:
    base = {"channel": "walk_in", "topic_category": "infrastructure", "sanshi_class": "minor"}
    m_over = st.create("matter", {**base, "raised_on": d(20), "description": "路灯坏了", "status": "in_progress",
                                  "due_date": d(1)}).id
    m_soon = st.create("matter", {**base, "raised_on": d(2), "description": "水管漏水", "status": "routed",
                                  "due_date": d(-7)}).id
    st.create("matter", {**base, "raised_on": d(20), "description": "已修好", "status": "resolved",
                         "closed_on": d(3), "due_date": d(5)})
    st.create("matter", {**base, "raised_on": d(20), "description": "远期", "status": "registered",
                         "due_date": d(-30)})
    m_none = st.create("matter", {**base, "raised_on": d(1), "description": "无时限", "status": "registered"}).id
    due = queries.matters_due(st)
    assert [(r["id"], r["overdue"], r["days_left"]) for r in due] == [(m_over, True, -1), (m_soon, False, 7)]
    assert due[0]["title"] == f"{d(20)} [小事] 路灯坏了"
    open_ids = [r["id"] for r in queries.open_matters(st)]
    assert open_ids[:2] == [m_over, m_soon] and open_ids[-1] == m_none and len(open_ids) == 4

    t_over = st.create("task", {"title": "修路灯", "owner": "陈国强", "due_date": d(4), "status": "in_progress"}).id
    t_soon = st.create("task", {"title": "修水管", "owner": "陈国强", "due_date": d(-6), "status": "not_started"}).id
    st.create("task", {"title": "已完成", "owner": "陈国强", "due_date": d(4), "status": "done", "completed_on": d(5)})
    st.create("task", {"title": "已取消", "owner": "陈国强", "due_date": d(4), "status": "cancelled"})
    st.create("task", {"title": "下月", "owner": "陈国强", "due_date": d(-40), "status": "not_started"})
    assert [(r["id"], r["overdue"]) for r in queries.tasks_due(st)] == [(t_over, True), (t_soon, False)]
    summary = queries.today_summary(st)
    assert summary["matters_overdue"] == 1 and summary["matters_due_soon"] == 1
    assert summary["tasks_overdue"] == 1 and summary["tasks_due_soon"] == 1
    assert summary["follow_ups_overdue"] == 0 and summary["high_risk_households"] == 0


def test_recent_records(st: Store) -> None:
    area = st.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    hid = household(st, area, "王德明")
    vid = visit(st, hid, 3, None)
    tid = st.create("task", {"title": "送药", "owner": "刘社工", "due_date": d(-3), "status": "not_started"}).id
    recent = queries.recent_records(st, limit=3)
    assert [(r["type"], r["id"]) for r in recent] == [("task", tid), ("visit", vid), ("household", hid)]
    assert recent[1]["title"] == f"{d(3)} 常规探访 · 王德明户"
    st.update("household", hid, {"address": "1组大院3号"})
    assert queries.recent_records(st, limit=1)[0]["id"] == hid
    assert [r["type"] for r in queries.recent_records(st, rtypes=["visit"])] == ["visit"]
    st.delete("task", tid)
    assert tid not in {r["id"] for r in queries.recent_records(st)}


def test_summary_counts_high_risk_by_latest_visit(st: Store) -> None:
    area = st.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    a, b = household(st, area, "王德明"), household(st, area, "李秀英")
    visit(st, a, 30, 25, risk_level="high")
    visit(st, a, 10, None, risk_level="low")        # no longer high risk
    visit(st, b, 5, -1, risk_level="high")
    summary = queries.today_summary(st)
    assert summary["high_risk_households"] == 1
    assert (summary["follow_ups_overdue"], summary["follow_ups_due_soon"]) == (0, 1)


def test_follow_ups_due_reads_the_sparse_next_visit_index(st: Store) -> None:
    # Schema 17: the index holds only visits with a next date, and the due list still reads by it
    # (its `next_visit_date <= ?` implies the index's condition) instead of scanning every visit.
    sql = st.query_value("SELECT sql FROM sqlite_master WHERE name = 'visits_next_visit_date'")
    assert sql is not None and sql.endswith("WHERE next_visit_date IS NOT NULL")
    area = st.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    for i in range(30):
        visit(st, household(st, area, f"王{i}"), on=10, next_on=None if i % 5 else -3)
    st.query("ANALYZE")
    plan = " ".join(str(r[-1]) for r in st.query(
        "EXPLAIN QUERY PLAN SELECT v.id FROM visits v WHERE v.deleted = 0 AND v.follow_up_needed = 1 "
        "AND v.next_visit_date IS NOT NULL AND v.next_visit_date <= ? ORDER BY v.next_visit_date, v.id", [d(-7)]))
    assert "visits_next_visit_date" in plan, plan
    assert len(queries.follow_ups_due(st)) == 6


def test_titles_for_an_english_window_and_the_index_stays_chinese(st: Store) -> None:
    # The window shows titles in its language (the lane makes them inside titles_in); what the
    # search index keeps is Chinese on every replica, even for a record saved from an English window.
    from lehe_desktop.core.records.work import titles_in

    area = st.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    hid = household(st, area, "王德明")
    with titles_in("en"):
        mid = st.create("matter", {"channel": "walk_in", "topic_category": "infrastructure", "sanshi_class": "minor",
                                   "raised_on": d(2), "description": "路灯坏了", "status": "registered",
                                   "due_date": d(-3)}).id
        visit(st, hid, on=1, next_on=None, visit_type="routine")
        shown = {r["type"]: r["title"] for r in queries.recent_records(st)}
        assert shown["matter"] == f"{d(2)} [Minor matter] 路灯坏了"
        assert shown["household"] == "王德明 household · 1组"
        assert shown["visit"].startswith(f"{d(1)} Routine") and shown["visit"].endswith("· 王德明 household")
    assert {r["title"] for r in st.search("路灯")} == {f"{d(2)} [小事] 路灯坏了"}
    assert {r["title"] for r in st.search("王德明") if r["type"] == "household"} == {"王德明户 · 1组"}
    assert queries.matters_due(st)[0]["title"] == f"{d(2)} [小事] 路灯坏了" and mid
