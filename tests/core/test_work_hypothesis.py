"""Property tests for the Lehe work rules: activity breakdowns, votes, quorum, times of day.

Examples go through a real store (one per test; each example counts rows before and after),
so "rejected" always also means "nothing written".
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

from lehe_desktop.core.errors import ValidationError
from lehe_desktop.core.records.activities import AGE_FIELDS, SEX_FIELDS
from lehe_desktop.core.records.meetings import quorum_met
from lehe_desktop.core.records.work import time_checks
from lehe_desktop.core.store.store import Store

TODAY = date(2026, 11, 20)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

counts = st_.one_of(st_.none(), st_.integers(min_value=0, max_value=40))


@pytest.fixture
def area(store: Store) -> str:
    store.today = TODAY
    return store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")


def table_state(store: Store, table: str) -> tuple[int, int]:
    return (store.query_value(f"SELECT count(*) FROM {table}"),
            store.query_value("SELECT count(*) FROM changes"))


@SETTINGS
@given(actual=st_.integers(min_value=0, max_value=80), sexes=st_.tuples(counts, counts),
       ages=st_.tuples(counts, counts, counts, counts))
def test_activity_breakdowns_must_add_up(store: Store, area: str, actual: int, sexes: tuple[int | None, ...],
                                         ages: tuple[int | None, ...]) -> None:
    values: dict[str, Any] = {"title": "坝坝舞", "category": "song_dance", "activity_date": "2026-11-01",
                              "area_id": area, "actual_count": actual,
                              **dict(zip(SEX_FIELDS, sexes, strict=True)), **dict(zip(AGE_FIELDS, ages, strict=True))}
    sex_ok = all(v is None for v in sexes) or sum(v or 0 for v in sexes) == actual
    age_ok = all(v is None for v in ages) or sum(v or 0 for v in ages) == actual
    before = table_state(store, "activities")
    if sex_ok and age_ok:
        rid = store.create("activity", values).id
        rec = store.require("activity", rid)
        assert [rec[f] for f in (*SEX_FIELDS, *AGE_FIELDS)] == [*sexes, *ages]
        assert table_state(store, "activities") == (before[0] + 1, before[1] + 1)
    else:
        with pytest.raises(ValidationError) as info:
            store.create("activity", values)
        codes = {p.code for p in info.value.problems}
        assert ("activity.sex_sum" in codes) is not sex_ok
        assert ("activity.age_sum" in codes) is not age_ok
        assert table_state(store, "activities") == before


@SETTINGS
@given(attended=st_.integers(min_value=0, max_value=60), extra=st_.integers(min_value=0, max_value=20),
       votes=st_.tuples(counts, counts, counts))
def test_votes_never_exceed_attendance(store: Store, area: str, attended: int, extra: int,
                                       votes: tuple[int | None, ...]) -> None:
    mid = store.create("meeting", {"meeting_type": "group_meeting", "area_id": area, "meeting_date": "2026-11-10",
                                   "expected_count": attended + extra, "attended_count": attended}).id
    values = {"meeting_id": mid, "seq": 1, "topic": "修缮水渠", "sanshi_class": "minor",
              **dict(zip(("votes_for", "votes_against", "votes_abstain"), votes, strict=True))}
    total = sum(v or 0 for v in votes)
    before = table_state(store, "agenda_items")
    if total <= attended:
        item = store.create("agenda_item", values).id
        assert store.require("agenda_item", item)["votes_for"] == votes[0]
        # Lowering the attendance below the votes is refused, and the meeting is unchanged.
        if total > 0:
            with pytest.raises(ValidationError) as info:
                store.update("meeting", mid, {"attended_count": total - 1})
            assert info.value.code == "meeting.attended_below_votes"
            assert store.require("meeting", mid)["attended_count"] == attended
    else:
        with pytest.raises(ValidationError) as info:
            store.create("agenda_item", values)
        assert "agenda.votes_exceed_attended" in {p.code for p in info.value.problems}
        assert table_state(store, "agenda_items") == before


@given(mtype=st_.sampled_from(["rep_meeting", "assembly", "party_members", "lehe_joint", "courtyard"]),
       expected=st_.integers(min_value=1, max_value=500), data=st_.data())
def test_quorum_matches_the_statutory_fractions(mtype: str, expected: int, data: st_.DataObject) -> None:
    attended = data.draw(st_.integers(min_value=0, max_value=expected))
    ratio = Fraction(attended, expected)
    want = {"rep_meeting": ratio >= Fraction(2, 3), "assembly": ratio > Fraction(1, 2),
            "party_members": ratio >= Fraction(2, 3)}.get(mtype)
    assert quorum_met(mtype, expected, attended) is want


@given(h=st_.integers(min_value=0, max_value=30), m=st_.integers(min_value=0, max_value=70),
       sep=st_.sampled_from([":", "：", "."]))
def test_times_of_day(h: int, m: int, sep: str) -> None:
    text = f"{h:02d}{sep}{m:02d}"
    valid = h < 24 and m < 60 and sep == ":"
    assert (time_checks({"start_time": text}) == []) is valid
