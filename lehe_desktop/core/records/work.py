"""Shared helpers for the Lehe work records (visits, activities, meetings, matters, tasks).

The record types themselves live in visits.py, activities.py, meetings.py and matters.py;
this module holds the small rules they share (times of day, date order, parent lookups,
vocabulary labels for titles) so each rule has one stable code.

Problem codes (E = error, blocks the save; W = warning, shown but saved):

- time.format E, time.order E — start/end times of visits, activities, meetings
- visit.not_seen_reason_required E, visit.next_visit_required E, visit.next_visit_order E,
  visit.high_risk_no_follow_up W, visit.safety_vs_risk W, visit.member_not_in_household E
  (members present, needs), need.dimension_mismatch W, visit_service.empty E,
  referral.feedback_order E, referral.before_visit E, referral.no_consent W
- activity.sex_sum E, activity.age_sum E, activity.vulnerable_exceeds E,
  activity_organiser.empty E, attendance.person_required E
- meeting.attended_exceeds E, meeting.quorum W (domain.md §7.6), meeting.attended_below_votes E,
  meeting.disclosed_order E, participant.person_required E, agenda.votes_exceed_attended E,
  agenda.resolution_required E, agenda.passed_mismatch W
- matter.sanshi_class E, matter.source_type E, matter.source_missing E, matter.source_mismatch E,
  matter.raised_before_source E, matter.due_order E, matter.closed_on_required E,
  matter.closed_order E, matter.published_order E, matter.closed_on_open W, matter.body_mismatch W
- task.completed_on_required E, task.completed_on_open W, task.due_order E, task.completed_order E,
  task.published_order E, task.due_before_meeting W, task.due_before_matter W, task.body_mismatch W
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from ..problems import Problem, error
from .schema import Context
from .vocab_seed import VOCABS

_HHMM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")

# Statuses that end a matter's or a task's life (closed_on / completed_on then required).
MATTER_CLOSED = ("resolved", "cannot_do", "withdrawn")
TASK_CLOSED = ("done", "cancelled")

_LABELS: dict[tuple[str, str], str] = {
    (vocab, code): zh for vocab, items in VOCABS.items() for code, zh, _en in items}
_LABELS_EN: dict[tuple[str, str], str] = {
    (vocab, code): en for vocab, items in VOCABS.items() for code, _zh, en in items}

# The language titles are made in. Chinese unless a display asks otherwise (titles_in): what is
# stored (the search index's titles) is always made in Chinese.
_TITLE_LANG: ContextVar[str] = ContextVar("lehe_title_lang", default="zh")


@contextlib.contextmanager
def titles_in(lang: str) -> Iterator[None]:
    """Titles made inside — their vocabulary labels and the few words they add — in ``lang``
    ("zh" or "en"), for a window showing English. Only around reads for display, never writes."""
    token = _TITLE_LANG.set("en" if lang == "en" else "zh")
    try:
        yield
    finally:
        _TITLE_LANG.reset(token)


def words(zh: str, en: str) -> str:
    """A title's own words in the language titles are being made in."""
    return en if _TITLE_LANG.get() == "en" else zh


def label(vocab: str, code: str | None) -> str:
    """The seeded label of a code, in the titles' language (titles only; the live table may be relabelled)."""
    if not code:
        return ""
    return (_LABELS_EN if _TITLE_LANG.get() == "en" else _LABELS).get((vocab, code), code)


def time_checks(r: dict[str, Any], start: str = "start_time", end: str = "end_time") -> list[Problem]:
    """Times of day are 'HH:MM' text (24-hour); the end may not be before the start."""
    problems: list[Problem] = []
    for name in (start, end):
        value = r.get(name)
        if value and not _HHMM.fullmatch(str(value)):
            problems.append(error("time.format", name, f"时间“{value}”格式不正确，请按“14:30”填写",
                                  f"The time '{value}' is not valid; use 24-hour HH:MM such as 14:30"))
    if not problems and r.get(start) and r.get(end) and str(r[end]) < str(r[start]):
        problems.append(error("time.order", end, "结束时间不能早于开始时间",
                              "The end time cannot be before the start time"))
    return problems


def date_before(r: dict[str, Any], later: str, earlier: str) -> bool:
    """True when both ISO dates are present and ``later`` is before ``earlier``."""
    a, b = r.get(later), r.get(earlier)
    return bool(a and b and str(a) < str(b))


def fetch(ctx: Context, rtype: str, rid: Any) -> dict[str, Any] | None:
    """A stored record for cross-record rules, or None (no id, or not found)."""
    getter = getattr(ctx.lookup, "get", None)  # a bare Lookup (e.g. a form preview) may lack it
    if not rid or getter is None:
        return None
    rec: dict[str, Any] | None = getter(rtype, str(rid))
    return rec


def kids(ctx: Context, rtype: str, parent_id: Any) -> list[dict[str, Any]]:
    """Stored child rows of a record for cross-record rules ([] when unknown)."""
    getter = getattr(ctx.lookup, "children", None)
    if not parent_id or getter is None:
        return []
    rows: list[dict[str, Any]] = getter(rtype, str(parent_id))
    return rows


def count(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def given(r: dict[str, Any], names: tuple[str, ...]) -> bool:
    return any(r.get(n) is not None for n in names)


def member_household_check(r: dict[str, Any], ctx: Context, parent_type: str, parent_field: str) -> list[Problem]:
    """A member linked to a visit row must belong to the visited household."""
    member = fetch(ctx, "member", r.get("member_id"))
    owner = fetch(ctx, parent_type, r.get(parent_field))
    if member is None or owner is None:
        return []
    if member.get("household_id") != owner.get("household_id"):
        return [error("visit.member_not_in_household", "member_id", "该成员不属于本次走访的户",
                      "This member does not belong to the visited household")]
    return []
