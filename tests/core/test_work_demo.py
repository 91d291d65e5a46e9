"""Demo data for the Lehe work is consistent with the households and with every rule."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from lehe_desktop.core import queries
from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.records.schema import Context, Kind, record_type
from lehe_desktop.core.records.validate import validate
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store

TODAY = date(2026, 11, 20)
WORK = ("visit", "visit_visitor", "visit_member_present", "visit_need", "visit_risk_factor", "visit_service",
        "visit_referral", "activity", "activity_organiser", "activity_target_group", "activity_attendance",
        "meeting", "meeting_participant", "agenda_item", "matter", "matter_household", "task", "task_household",
        "task_progress")
STAT_KEYS = ("visits", "activities", "meetings", "matters", "tasks")


def rows(store: Store, rtype: str) -> list[dict]:
    return store.query_dicts(f"SELECT * FROM {record_type(rtype).table} WHERE deleted = 0")


@pytest.fixture
def demo(store: Store) -> tuple[Store, dict[str, int]]:
    store.today = TODAY
    counts = make_demo(store, 60, seed=7, today=TODAY)
    return store, counts


def test_demo_counts_and_stats(demo: tuple[Store, dict[str, int]]) -> None:
    store, counts = demo
    stats = store.stats()
    for key in STAT_KEYS:
        assert counts[key] > 0 and stats[key] == counts[key], key
    # One change per record, as for any other write.
    total = sum(store.count(t.name) for t in map(record_type, [
        "area", "household", "household_category", "member", "member_category", "member_disability",
        "member_phone", "consent", *WORK]))
    assert stats["changes"] == total


def test_demo_passes_every_rule(demo: tuple[Store, dict[str, int]]) -> None:
    """Demo rows bypass validation for speed, so re-validate every one of them here."""
    store, _ = demo
    errors: Counter[tuple[str, str]] = Counter()
    warnings: Counter[tuple[str, str]] = Counter()
    for name in WORK:
        rt = record_type(name)
        for rec in rows(store, name):
            values = {f: rec[f] for f in rt.field_names if rec[f] is not None}
            _, problems = validate(rt, values, Context(today=TODAY, lookup=store))
            for p in problems:
                (errors if p.is_error else warnings)[(name, p.code)] += 1
    assert errors == Counter()
    assert warnings == Counter()


def test_demo_references_are_consistent(demo: tuple[Store, dict[str, int]]) -> None:
    store, _ = demo
    for name in WORK:
        rt = record_type(name)
        for f in rt.fields:
            if f.kind is Kind.REF:
                for rec in rows(store, name):
                    if rec[f.name] is not None:
                        assert store.record_exists(str(f.ref), rec[f.name]), (name, f.name)
    households = {h["id"]: h for h in rows(store, "household")}
    members = {m["id"]: m for m in rows(store, "member")}
    visits = rows(store, "visit")
    assert all(v["household_id"] in households for v in visits)
    assert len({v["household_id"] for v in visits}) == len(households)      # every household visited
    assert len(visits) > len(households)                                    # several visits per household
    # Members present and needs name people of the visited household.
    by_id = {v["id"]: v for v in visits}
    for link in rows(store, "visit_member_present") + [n for n in rows(store, "visit_need") if n["member_id"]]:
        assert members[link["member_id"]]["household_id"] == by_id[link["visit_id"]]["household_id"]
    assert rows(store, "visit_need") and rows(store, "visit_risk_factor") and rows(store, "visit_referral")
    # Attendance: residents of the activity's village; breakdowns add up.
    activities = {a["id"]: a for a in rows(store, "activity")}
    for att in rows(store, "activity_attendance"):
        if att["member_id"]:
            home = households[members[att["member_id"]]["household_id"]]
            assert home["area_id"] == activities[att["activity_id"]]["area_id"]
    for a in activities.values():
        assert a["male"] + a["female"] == a["actual_count"]
        assert a["under14"] + a["age14_17"] + a["age18_59"] + a["age60plus"] == a["actual_count"]
        assert len(store.children("activity_attendance", a["id"])) <= a["actual_count"]
    # Tasks come from agenda items or matters that exist; matters from visits, meetings or directly.
    items = {i["id"] for i in rows(store, "agenda_item")}
    matters = {m["id"]: m for m in rows(store, "matter")}
    tasks = rows(store, "task")
    assert all(t["agenda_item_id"] in items or t["matter_id"] in matters for t in tasks)
    assert any(t["agenda_item_id"] for t in tasks) and any(t["matter_id"] for t in tasks)
    assert {m["source_type"] for m in matters.values()} == {"visit", "meeting", "direct"}
    for m in matters.values():
        assert (m["source_type"] == "visit") is (m["source_visit_id"] is not None)
        assert (m["source_type"] == "meeting") is (m["source_agenda_item_id"] is not None)
    # Meetings have participants and at least one agenda item each.
    for mt in rows(store, "meeting"):
        assert store.children("agenda_item", mt["id"]) and store.children("meeting_participant", mt["id"])


def test_demo_has_overdue_and_upcoming_work(demo: tuple[Store, dict[str, int]]) -> None:
    store, _ = demo
    follow = queries.follow_ups_due(store, today=TODAY)
    tasks = queries.tasks_due(store, today=TODAY)
    assert any(r["overdue"] for r in follow) and any(not r["overdue"] for r in follow)
    assert any(r["overdue"] for r in tasks) and any(not r["overdue"] for r in tasks)
    assert queries.open_matters(store)


@pytest.mark.parametrize("households", [2, 3])
def test_tiny_demo_still_shows_overdue_and_upcoming(store: Store, households: int) -> None:
    store.today = TODAY
    make_demo(store, households, seed=11, today=TODAY)
    follow = queries.follow_ups_due(store, today=TODAY)
    tasks = queries.tasks_due(store, today=TODAY)
    assert {r["overdue"] for r in follow} == {True, False}
    assert {r["overdue"] for r in tasks} == {True, False}


def test_demo_is_deterministic_for_a_seed(tmp_path: Path) -> None:
    """The same seed gives the same people and counts (the CLI version is slow-marked in test_cli_core)."""
    def made(name: str, seed: int) -> tuple[dict[str, int], list[tuple[str, str]]]:
        folder = tmp_path / name
        st, _recovery = vault.setup(DataPaths(root=folder, logs=folder / "logs"), "correct horse 42")
        try:
            counts = make_demo(st, 20, seed=seed, today=TODAY)
            return counts, sorted((m["name"], m["birth_date"]) for m in rows(st, "member"))
        finally:
            st.close()

    first, again, other = made("a", 7), made("b", 7), made("c", 8)
    assert first == again
    assert first[1] != other[1]


def test_empty_demo_makes_no_work(store: Store) -> None:
    counts = make_demo(store, 0, today=TODAY)
    assert [counts[k] for k in STAT_KEYS] == [0, 0, 0, 0, 0]


def test_thousand_household_demo_is_fast(store: Store) -> None:
    started = time.perf_counter()
    counts = make_demo(store, 1000, seed=2)
    elapsed = time.perf_counter() - started
    print(f"demo 1000 households: {elapsed:.2f} s, {counts}")
    assert counts["visits"] >= 2000
    # A few seconds on a laptop; generous for a shared CI machine, still catches a quadratic slip.
    assert elapsed < 15


def test_cli_demo_and_stats(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("init", "--name", "测试社工").returncode == 0
    r = cli("demo", "--households", "40")
    assert r.returncode == 0, r.stderr
    stats = json.loads(cli("stats", "--json").stdout)
    for key in STAT_KEYS:
        assert stats[key] > 0, key
    found = json.loads(cli("search", "低保", "--json").stdout)
    assert found
