"""Dates, timestamps, clock sanity and ages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lehe_desktop.core.validation.dates import (
    age_on,
    check_clock,
    check_event_date,
    check_not_before,
    parse_date,
    parse_timestamp,
)

TODAY = date(2026, 11, 29)
BUILD = date(2026, 11, 1)


@pytest.mark.parametrize("text", [
    "2026-11-29", "2026/11/29", "2026.11.29", "2026年11月29日", "2026年11月29", " 2026-11-29 ",
    "２０２６－１１－２９", "2026 年 11 月 29 日",
])
def test_parse_date_forms(text: str) -> None:
    assert parse_date(text, field="visit_date") == (date(2026, 11, 29), [])


def test_parse_date_single_digit_parts() -> None:
    assert parse_date("2026年3月4日", field="d") == (date(2026, 3, 4), [])
    assert parse_date("2026/3/4", field="d") == (date(2026, 3, 4), [])


def test_parse_date_passes_dates_through() -> None:
    assert parse_date(date(2020, 1, 2), field="d") == (date(2020, 1, 2), [])
    assert parse_date(datetime(2020, 1, 2, 3, 4), field="d") == (date(2020, 1, 2), [])


@pytest.mark.parametrize("text", ["", "x", "2026-11", "2026-11/29", "26-11-29", "11/29/2026", "45678",
                                  "2026-11-29T10:00", "2026-011-29", "２０２６-11-٢٩"])
def test_parse_date_format_errors(text: str) -> None:
    parsed, problems = parse_date(text, field="visit_date")
    assert parsed is None and [(p.code, p.field) for p in problems] == [("date.format", "visit_date")]


@pytest.mark.parametrize("text", ["2026-02-29", "2026-13-01", "2026-00-10", "2026年4月31日", "0000-01-01"])
def test_parse_date_invalid(text: str) -> None:
    parsed, problems = parse_date(text, field="d")
    assert parsed is None and [p.code for p in problems] == ["date.invalid"]


def test_event_date() -> None:
    assert check_event_date("2026-11-29", field="d", today=TODAY) == (TODAY, [])
    parsed, problems = check_event_date("2026-11-30", field="d", today=TODAY)
    assert parsed is None and [p.code for p in problems] == ["date.future"]
    assert check_event_date("2026-11-30", field="d", today=TODAY, allow_future=True)[0] == date(2026, 11, 30)
    parsed, problems = check_event_date("1899-12-31", field="d", today=TODAY)
    assert parsed is None and [p.code for p in problems] == ["date.too_early"]
    _, problems = check_event_date("2020-01-01", field="d", today=TODAY, earliest=date(2024, 1, 1))
    assert [p.code for p in problems] == ["date.too_early"]
    _, problems = check_event_date("2026-02-30", field="d", today=TODAY)
    assert [p.code for p in problems] == ["date.invalid"]


def test_event_date_label_in_message() -> None:
    _, problems = check_event_date("2027-01-01", field="visit_date", today=TODAY,
                                   label_zh="走访日期", label_en="visit date")
    assert "走访日期" in problems[0].zh and "visit date" in problems[0].en
    assert problems[0].field == "visit_date"


def test_not_before() -> None:
    assert check_not_before(TODAY, TODAY, field="f", other_label_zh="走访日期",
                            other_label_en="visit date") == []
    problems = check_not_before(date(2026, 11, 28), TODAY, field="follow_up_date",
                                other_label_zh="走访日期", other_label_en="visit date")
    assert [(p.code, p.severity, p.field) for p in problems] == [("date.order", "error", "follow_up_date")]
    assert "走访日期" in problems[0].zh and "visit date" in problems[0].en


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-29T10:00:00+08:00", datetime(2026, 11, 29, 2, 0, tzinfo=UTC)),
    ("2026-11-29T10:00:00Z", datetime(2026, 11, 29, 10, 0, tzinfo=UTC)),
    ("2026-11-29T10:00Z", datetime(2026, 11, 29, 10, 0, tzinfo=UTC)),
    ("2026-11-29 10:00:00.5-05:00", datetime(2026, 11, 29, 15, 0, 0, 500000, tzinfo=UTC)),
    ("2026-11-29T00:30:00+08:00", datetime(2026, 11, 28, 16, 30, tzinfo=UTC)),
])
def test_parse_timestamp(text: str, expected: datetime) -> None:
    parsed, problems = parse_timestamp(text, field="updated_at")
    assert problems == [] and parsed == expected and parsed.tzinfo is UTC


@pytest.mark.parametrize(("text", "code"), [
    ("2026-11-29T10:00:00", "timestamp.no_offset"),
    ("2026-11-29 10:00", "timestamp.no_offset"),
    ("2026-11-29", "timestamp.format"),
    ("", "timestamp.format"),
    ("yesterday", "timestamp.format"),
    ("2026-13-29T10:00:00Z", "timestamp.format"),
    ("2026-11-29T25:00:00Z", "timestamp.format"),
    ("2026-11-29T10:00:00+25:00", "timestamp.format"),
    ("2026-11-29T10:00:00z", "timestamp.format"),
])
def test_parse_timestamp_errors(text: str, code: str) -> None:
    parsed, problems = parse_timestamp(text, field="updated_at")
    assert parsed is None and [(p.code, p.field) for p in problems] == [(code, "updated_at")]


def clock_codes(now: datetime, latest: datetime | None = None) -> list[str]:
    problems = check_clock(now, latest_seen_utc=latest, build_date=BUILD)
    assert all(p.severity == "warning" for p in problems)
    return [p.code for p in problems]


def test_clock() -> None:
    now = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
    assert clock_codes(now) == []
    assert clock_codes(now, now + timedelta(minutes=5)) == []
    assert clock_codes(now, now + timedelta(minutes=6)) == ["clock.behind"]
    assert clock_codes(datetime(2025, 1, 1, tzinfo=UTC)) == ["clock.before_build"]
    # Build day already started somewhere in the world: no false alarm.
    assert clock_codes(datetime(2026, 10, 31, 16, 0, tzinfo=UTC)) == []
    assert clock_codes(datetime(2027, 11, 2, tzinfo=UTC)) == []
    assert clock_codes(datetime(2027, 11, 3, tzinfo=UTC)) == ["clock.far_future"]
    # Any offset is accepted; it is the instant that counts.
    assert clock_codes(datetime(2026, 11, 29, 10, 0, tzinfo=timezone(timedelta(hours=8))),
                       now + timedelta(minutes=6)) == ["clock.behind"]


@pytest.mark.parametrize(("birth", "on", "age"), [
    (date(1950, 6, 15), date(2026, 6, 14), 75),
    (date(1950, 6, 15), date(2026, 6, 15), 76),
    (date(2000, 2, 29), date(2026, 2, 28), 25),
    (date(2000, 2, 29), date(2026, 3, 1), 26),
    (date(2000, 2, 29), date(2028, 2, 29), 28),
    (date(2026, 1, 1), date(2026, 1, 1), 0),
])
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


@given(st.dates(), st.dates())
def test_age_is_monotonic_and_zero_at_birth(a: date, b: date) -> None:
    birth, on = min(a, b), max(a, b)
    assert age_on(birth, birth) == 0
    assert age_on(birth, on) >= 0
    assert age_on(birth, on) <= on.year - birth.year


@given(st.dates())
def test_iso_round_trip(d: date) -> None:
    assert parse_date(d.isoformat(), field="d") == (d, [])


@given(st.text())
def test_random_text_never_raises(text: str) -> None:
    for parsed, problems in (parse_date(text, field="d"),
                             check_event_date(text, field="d", today=TODAY),
                             parse_timestamp(text, field="t")):
        assert (parsed is None) == bool(problems)
        for p in problems:
            assert p.zh.strip() and p.en.strip() and p.is_error


@given(st.datetimes(timezones=st.just(UTC)), st.none() | st.datetimes(timezones=st.just(UTC)),
       st.dates())
def test_clock_only_warns(now: datetime, latest: datetime | None, build: date) -> None:
    for p in check_clock(now, latest_seen_utc=latest, build_date=build):
        assert p.severity == "warning" and p.zh.strip() and p.en.strip()


def test_a_date_field_given_a_number_is_refused_with_a_problem_not_a_crash() -> None:
    from lehe_desktop.core.records.schema import Context, record_type
    from lehe_desktop.core.records.validate import clean_field

    class NoLookup:
        def vocab_has(self, vocab: str, code: str) -> bool:
            return False

        def record_exists(self, rtype: str, rid: str) -> bool:
            return False

        def get(self, rtype: str, rid: str) -> None:
            return None

        def children(self, rtype: str, parent_id: str) -> list[dict[str, object]]:
            return []

    f = record_type("visit").field("visit_date")
    for value in (-1, 20260201, True, 3.5):
        clean, problems = clean_field(f, value, Context(today=date(2026, 3, 1), lookup=NoLookup()))
        assert clean is None and [p.field for p in problems] == ["visit_date"] and problems[0].is_error
