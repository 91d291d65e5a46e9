"""Matters move only along their flow; tasks are done and noted; the lists filter; documents print."""

from __future__ import annotations

from datetime import date

import pytest

from lehe_desktop.core import prints, tracking
from lehe_desktop.core.errors import NotFoundError, StateError, ValidationError
from lehe_desktop.core.store.bin import delete_with_dependents
from lehe_desktop.core.store.store import Store

VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"


def _matter(store: Store, **over: object) -> str:
    area = store.ensure_area(VILLAGE)
    values = {"raised_on": "2025-05-01", "channel": "walk_in", "topic_category": "infrastructure",
              "description": "三组通组公路塌方，需要修复", "sanshi_class": "minor", "status": "registered",
              "area_id": area, "due_date": "2025-05-20", **over}
    return store.create("matter", values).id


def test_matter_advances_to_resolved_then_satisfaction(store: Store) -> None:
    store.today = date(2025, 6, 1)
    mid = _matter(store)
    with pytest.raises(StateError) as exc:
        tracking.advance_matter(store, mid, "resolved")      # not from registered
    assert exc.value.code == "matter.transition" and exc.value.exit_code == 7
    with pytest.raises(ValidationError) as bad:
        tracking.advance_matter(store, mid, "routed")        # no responsible body yet
    assert bad.value.problems[0].code == "matter.body_required"
    assert store.get("matter", mid)["status"] == "registered"
    tracking.advance_matter(store, mid, "routed", responsible_body="village_committees", responsible_person="李强")
    tracking.advance_matter(store, mid, "in_progress")
    with pytest.raises(StateError):
        tracking.record_satisfaction(store, mid, "satisfied")   # not resolved yet
    with pytest.raises(ValidationError) as no_outcome:
        tracking.advance_matter(store, mid, "resolved")
    assert no_outcome.value.problems[0].code == "matter.outcome_required"
    tracking.advance_matter(store, mid, "resolved", outcome="已组织投工投劳修复")
    tracking.record_satisfaction(store, mid, "satisfied")
    rec = store.get("matter", mid)
    assert (rec["status"], rec["closed_on"], rec["satisfaction"]) == ("resolved", "2025-06-01", "satisfied")
    tracking.advance_matter(store, mid, "in_progress")       # reopened: the check-back is cleared
    rec = store.get("matter", mid)
    assert (rec["closed_on"], rec["satisfaction"]) == (None, None)


def test_task_done_and_progress(store: Store) -> None:
    store.today = date(2025, 6, 1)
    tid = store.create("task", {"title": "修复公路", "owner": "李强", "due_date": "2025-06-10",
                                "status": "not_started", "assigned_on": "2025-05-01"}).id
    tracking.add_progress(store, tid, "已现场查看")
    assert store.get("task", tid)["status"] == "in_progress"
    assert [p["note"] for p in tracking.task_progress(store, tid)] == ["已现场查看"]
    tracking.complete_task(store, tid, result="已完成修复")
    rec = store.get("task", tid)
    assert (rec["status"], rec["completed_on"], rec["result"]) == ("done", "2025-06-01", "已完成修复")
    with pytest.raises(StateError):
        tracking.complete_task(store, tid)
    delete_with_dependents(store, "task", tid)
    assert store.get("task", tid) is None and store.children("task_progress", tid) == []


def test_matter_list_filters_and_overdue(store: Store) -> None:
    store.today = date(2025, 6, 1)
    late = _matter(store, due_date="2025-05-20")
    soon = _matter(store, due_date="2025-06-20", sanshi_class="major", description="申请修建村级卫生室")
    index = tracking.MatterIndex.load(store)
    assert index.ids(store, tracking.MatterFilter()) == [late, soon]
    assert index.ids(store, tracking.MatterFilter(overdue_only=True)) == [late]
    assert index.ids(store, tracking.MatterFilter(sanshi_class="major")) == [soon]
    assert index.ids(store, tracking.MatterFilter(text="卫生室")) == [soon]
    village = tracking.matter_areas(store)[0]["id"]
    assert set(index.ids(store, tracking.MatterFilter(area_id=village))) == {late, soon}
    rows = tracking.matter_rows(store, [late, soon])
    assert [r["overdue"] for r in rows] == [True, False]


def test_board_lists_open_public_matters_only(store: Store) -> None:
    store.today = date(2025, 6, 1)
    _matter(store, description="通组公路塌方")
    _matter(store, description="王家私人借款纠纷", sanshi_class="private")
    doc = prints.board_document(store, VILLAGE)
    text = doc.plain_text()
    assert "三事分流事项公示栏" in text and "通组公路塌方" in text and "（逾期）" in text
    assert "借款纠纷" not in text
    with pytest.raises(NotFoundError) as exc:
        prints.board_document(store, "重庆市/巫溪县/没有这个村")
    assert exc.value.code == "print.area_not_found" and exc.value.exit_code == 5


def test_minutes_and_visit_documents_from_demo(store: Store) -> None:
    from lehe_desktop.core.demo import make_demo

    store.today = date(2025, 6, 1)
    make_demo(store, 20, seed=3, today=store.today)
    mid = store.query_value("SELECT meeting_id FROM agenda_items WHERE deleted = 0 LIMIT 1")
    doc = prints.document(store, "minutes", mid)
    text = doc.plain_text()
    assert doc.title == "会议纪要" and "主持人签字" in text and "议题一" in text and "实到人数" in text
    en = prints.document(store, "minutes", mid, lang="en")
    assert en.title == "Meeting minutes" and "Chair" in en.plain_text()
    vid = store.query_value("SELECT id FROM visits WHERE deleted = 0 LIMIT 1")
    visit = prints.document(store, "visit", vid)
    assert visit.title == "入户走访记录" and "受访人签字或按手印" in visit.plain_text()
    with pytest.raises(NotFoundError):
        prints.document(store, "visit", "nope")


def test_unknown_records_and_kinds_are_coded_errors(store: Store) -> None:
    from lehe_desktop.core.errors import UsageError

    for kind, code in (("minutes", "print.meeting_not_found"), ("visit", "print.visit_not_found")):
        with pytest.raises(NotFoundError) as exc:
            prints.document(store, kind, "no-such-id")
        assert exc.value.code == code and exc.value.exit_code == 5
    with pytest.raises(UsageError):
        prints.document(store, "poster", "x")
