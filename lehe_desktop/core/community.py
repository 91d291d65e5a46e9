"""The community records' rules a form shows as you type: attendance sums, quorum, follow-through.

Qt-free and run on the desktop's database lane (or anywhere):

- ``attendance_summary``: an activity's sign-in list (registered residents, counted by their sex
  and age on the day) plus the unregistered attendees counted by sex and by age band, added up
  into the activity's breakdown fields and checked against the headcount (the same sums the
  core's ``activity.sex_sum`` / ``activity.age_sum`` rules refuse on save);
- ``quorum_text``: the meeting's attendance ratio and, for the types with a statutory quorum
  (domain.md §2.2, §7.6), whether it is met — a warning, never a block;
- ``raise_matter`` / ``raise_task``: a 三事分流 matter or a 督办 task created from a meeting's
  agenda item in one write, linked to it, with the item's and the meeting's facts filled in;
- ``raised_counts``: how many matters and tasks each agenda item has led to.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .problems import Problem, error, warning
from .records.meetings import QUORUM, quorum_met
from .records.vocab_seed import SANSHI_DEFAULT_BODIES
from .records.work import MATTER_CLOSED, label
from .store.store import SaveResult, Store
from .validation.dates import age_on

# The age_band vocabulary's codes and the activity's breakdown fields, in the same order.
AGE_BANDS = ("under14", "14_17", "18_59", "60plus")
BAND_FIELDS = {"under14": "under14", "14_17": "age14_17", "18_59": "age18_59", "60plus": "age60plus"}
SEXES = {"1": "male", "2": "female"}
BREAKDOWN_FIELDS = ("male", "female", *BAND_FIELDS.values())


def age_band(birth_date: Any, on: Any) -> str | None:
    """The age band of someone born ``birth_date`` on the day ``on`` (ISO texts); None if unknown."""
    try:
        born, day = date.fromisoformat(str(birth_date)), date.fromisoformat(str(on))
    except ValueError:
        return None
    age = age_on(born, day)
    if age < 0:
        return None
    return "under14" if age < 14 else "14_17" if age < 18 else "18_59" if age < 60 else "60plus"


@dataclass
class AttendanceSummary:
    """What the activity form shows under its sign-in list, and the values it saves."""

    residents: int = 0                  # registered residents signed in
    walk_ins: int = 0                   # named attendees who are not registered residents
    resident_sex: dict[str, int] = field(default_factory=lambda: {"male": 0, "female": 0})
    resident_bands: dict[str, int] = field(default_factory=lambda: dict.fromkeys(AGE_BANDS, 0))
    unknown_sex: int = 0                # residents whose sex is not recorded
    unknown_age: int = 0                # residents whose birth date is not recorded
    others_by_sex: int = 0              # unregistered attendees, counted by sex
    others_by_age: int = 0              # … and by age band (the two counts should agree)
    total_by_sex: int = 0
    total_by_age: int = 0
    headcount: int | None = None        # the activity's actual_count
    values: dict[str, int | None] = field(default_factory=dict)   # the breakdown fields to save
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


def resident_tally(attendees: Iterable[Mapping[str, Any]], on: Any) -> AttendanceSummary:
    """Count the named attendees: residents by the sex and birth date of their member record.

    Each attendee is a sign-in row as the form holds it; a resident's row carries ``member_id``
    and, beside it, the member's ``sex`` and ``birth_date``; a walk-in has only ``name_text``.
    """
    s = AttendanceSummary()
    for a in attendees:
        if not a.get("member_id"):
            s.walk_ins += 1
            continue
        s.residents += 1
        sex = SEXES.get(str(a.get("sex") or ""))
        if sex:
            s.resident_sex[sex] += 1
        else:
            s.unknown_sex += 1
        band = age_band(a.get("birth_date"), on) or a.get("age_band")
        if band in s.resident_bands:
            s.resident_bands[str(band)] += 1
        else:
            s.unknown_age += 1
    return s


def others_from_stored(activity: Mapping[str, Any], tally: AttendanceSummary) -> dict[str, int]:
    """The unregistered attendees of a saved activity: its stored breakdown less the residents."""
    out = {"male": max(0, int(activity.get("male") or 0) - tally.resident_sex["male"]),
           "female": max(0, int(activity.get("female") or 0) - tally.resident_sex["female"])}
    for band, name in BAND_FIELDS.items():
        out[name] = max(0, int(activity.get(name) or 0) - tally.resident_bands[band])
    return out


def attendance_summary(attendees: Sequence[Mapping[str, Any]], others: Mapping[str, Any], on: Any,
                       headcount: Any) -> AttendanceSummary:
    """Residents signed in + unregistered attendees (``others``: counts keyed by the breakdown fields).

    The breakdown to save is None throughout for a head-count-only activity (nobody named, no
    counts); otherwise each field is residents + others, and both sums must equal the headcount.
    """
    s = resident_tally(attendees, on)
    other = {n: max(0, int(others.get(n) or 0)) for n in BREAKDOWN_FIELDS}
    s.others_by_sex = other["male"] + other["female"]
    s.others_by_age = sum(other[n] for n in BAND_FIELDS.values())
    s.total_by_sex = s.residents - s.unknown_sex + s.others_by_sex
    s.total_by_age = s.residents - s.unknown_age + s.others_by_age
    s.headcount = int(headcount) if isinstance(headcount, int) or (isinstance(headcount, str)
                                                                   and headcount.isdigit()) else None
    if not s.residents and not s.others_by_sex and not s.others_by_age:
        s.values = dict.fromkeys(BREAKDOWN_FIELDS)
        return s   # head-count only: nothing to add up
    s.values = {"male": s.resident_sex["male"] + other["male"],
                "female": s.resident_sex["female"] + other["female"]}
    for band, name in BAND_FIELDS.items():
        s.values[name] = s.resident_bands[band] + other[name]
    if s.unknown_sex:
        s.problems.append(warning("attendance.unknown_sex", "male",
                                  f"{s.unknown_sex} 位签到居民的性别未登记，请把他们计入未登记人员的男女人数",
                                  f"{s.unknown_sex} resident(s) signed in have no sex recorded: count them "
                                  "with the unregistered attendees by sex"))
    if s.unknown_age:
        s.problems.append(warning("attendance.unknown_age", "under14",
                                  f"{s.unknown_age} 位签到居民的出生日期未登记，请把他们计入未登记人员的年龄段人数",
                                  f"{s.unknown_age} resident(s) signed in have no birth date: count them "
                                  "with the unregistered attendees by age band"))
    if s.walk_ins > s.others_by_sex:
        s.problems.append(warning("attendance.walk_ins_uncounted", "male",
                                  f"签到表上有 {s.walk_ins} 位非登记人员，但未登记人员只计了 {s.others_by_sex} 人",
                                  f"{s.walk_ins} walk-in(s) signed in, but only {s.others_by_sex} unregistered "
                                  "attendee(s) are counted"))
    if s.headcount is None:
        s.problems.append(error("attendance.headcount_missing", "actual_count",
                                f"签到和未登记人员合计 {s.total_by_sex} 人：请填写实际人数",
                                f"Signed in and unregistered add up to {s.total_by_sex}: fill in the actual count"))
        return s
    if s.total_by_sex != s.headcount:
        s.problems.append(error("activity.sex_sum", "male",
                                f"签到居民与未登记人员按性别合计 {s.total_by_sex} 人，与实际人数 {s.headcount} 人不一致",
                                f"Residents signed in plus unregistered attendees by sex add up to "
                                f"{s.total_by_sex}, not the actual count ({s.headcount})"))
    if s.total_by_age != s.headcount:
        s.problems.append(error("activity.age_sum", "under14",
                                f"签到居民与未登记人员按年龄段合计 {s.total_by_age} 人，与实际人数 {s.headcount} 人不一致",
                                f"Residents signed in plus unregistered attendees by age band add up to "
                                f"{s.total_by_age}, not the actual count ({s.headcount})"))
    return s


def attendee_rows(store: Store, activity_id: str) -> list[dict[str, Any]]:
    """An activity's sign-in rows, each resident's with the member's name, sex, birth date and household."""
    out = []
    for row in store.children("activity_attendance", activity_id):
        out.append(with_member(store, row))
    return out


def with_member(store: Store, row: Mapping[str, Any]) -> dict[str, Any]:
    """A sign-in (or participant) row plus what the form shows of its resident."""
    out = dict(row)
    member = store.get("member", str(row["member_id"])) if row.get("member_id") else None
    if member is not None:
        household = store.get("household", member["household_id"])
        out.update({"member_name": member["name"], "sex": member.get("sex"), "birth_date": member.get("birth_date"),
                    "household_id": member["household_id"],
                    "group_name": row.get("group_name") or (household or {}).get("group_name")})
    return out


def household_attendees(store: Store, household_id: str, role: str = "participant") -> list[dict[str, Any]]:
    """Every member of a household as sign-in rows (the "add the whole household" button)."""
    household = store.require("household", household_id)
    return [with_member(store, {"member_id": m["id"], "role": role, "group_name": household.get("group_name")})
            for m in store.children("member", household_id)]


def resident_hits(store: Store, text: str, limit: int = 30) -> list[dict[str, Any]]:
    """Residents whose name (or household) matches ``text``, as sign-in rows ready to add."""
    hits = store.search(text, limit=limit, rtypes=["member"])
    out = []
    for hit in hits:
        row = with_member(store, {"member_id": hit["id"], "role": "participant"})
        if row.get("member_name"):
            out.append(row)
    return out


# ---------------------------------------------------------------- meetings

def quorum_text(meeting_type: str | None, expected: Any, attended: Any, lang: str = "zh") -> tuple[str, bool | None]:
    """The line under a meeting's counts: the ratio and, where the law sets one, the quorum verdict."""
    try:
        exp, att = int(expected), int(attended)
    except (TypeError, ValueError):
        return "", None
    if exp <= 0:
        return "", None
    pct = round(att * 100 / exp)
    met = quorum_met(meeting_type, exp, att)
    ratio = f"实到 {att} / 应到 {exp}（{pct}%）" if lang == "zh" else f"{att} of {exp} attended ({pct}%)"
    if att > exp:
        return ratio, False
    if met is None:
        extra = "；此类会议没有法定到会比例" if lang == "zh" else "; this meeting type has no statutory quorum"
        return ratio + extra, None
    num, den, strict = QUORUM[str(meeting_type)]
    need_zh = f"{'超过' if strict else '不少于'}应到人数的 {num}/{den}"
    need_en = f"{'more than' if strict else 'at least'} {num}/{den} of those expected"
    if lang == "zh":
        verdict = "，达到法定人数" if met else "，未达到法定人数（会议可照常记录，决议效力需核实）"
        return f"{ratio}；{label('meeting_type', meeting_type)}须{need_zh}出席{verdict}", met
    verdict = ": quorum met" if met else ": below quorum (the meeting is still recorded; check its decisions)"
    return f"{ratio}; this type needs {need_en}{verdict}", met


def participant_counts(participants: Iterable[Mapping[str, Any]]) -> tuple[int, int]:
    """(expected, attended) as the participant list has them: observers are neither."""
    expected = attended = 0
    for p in participants:
        status = p.get("attendance")
        if status == "observer":
            continue
        expected += 1
        attended += status == "present"
    return expected, attended


_CHANNELS = {"lehe_joint": "joint_meeting", "courtyard": "courtyard_meeting", "mutual_aid": "association"}


def _item_and_meeting(store: Store, item_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    item = store.require("agenda_item", item_id)
    return item, store.require("meeting", item["meeting_id"])


def matter_defaults(store: Store, item_id: str) -> dict[str, Any]:
    """A matter's starting values from an agenda item and its meeting (the form may change them)."""
    item, meeting = _item_and_meeting(store, item_id)
    sanshi = item.get("sanshi_class") if item.get("sanshi_class") in ("major", "minor", "private") else None
    text = str(item.get("topic") or "")
    if item.get("resolution"):
        text += f"\n决议：{item['resolution']}"
    return {"raised_on": meeting["meeting_date"], "channel": _CHANNELS.get(meeting["meeting_type"], "joint_meeting"),
            "area_id": meeting.get("area_id"), "description": text, "sanshi_class": sanshi,
            "responsible_body": SANSHI_DEFAULT_BODIES.get(sanshi or "", (None,))[0],
            "status": "registered"}


def task_defaults(store: Store, item_id: str) -> dict[str, Any]:
    """A task's starting values from an agenda item: its resolution to carry out, due in 30 days."""
    item, meeting = _item_and_meeting(store, item_id)
    held = date.fromisoformat(meeting["meeting_date"])
    return {"title": f"落实：{item.get('topic') or ''}"[:200], "description": item.get("resolution"),
            "owner_body": SANSHI_DEFAULT_BODIES.get(str(item.get("sanshi_class")), (None,))[0],
            "supervisor": meeting.get("chair"), "assigned_on": meeting["meeting_date"],
            "due_date": (held + timedelta(days=30)).isoformat(), "status": "not_started"}


def raise_matter(store: Store, item_id: str, values: Mapping[str, Any]) -> SaveResult:
    """Create a 三事分流 matter that came from this agenda item (one write, linked to it)."""
    with store.transaction():
        store.require("agenda_item", item_id)
        clean = {k: v for k, v in values.items() if k not in ("id", "source_visit_id")}
        return store.create("matter", {**clean, "source_type": "meeting", "source_agenda_item_id": item_id})


def raise_task(store: Store, item_id: str, values: Mapping[str, Any]) -> SaveResult:
    """Create a 督办 task that carries out this agenda item's decision (one write, linked to it)."""
    with store.transaction():
        store.require("agenda_item", item_id)
        clean = {k: v for k, v in values.items() if k != "id"}
        return store.create("task", {**clean, "agenda_item_id": item_id})


def raised_counts(store: Store, item_ids: Sequence[str]) -> dict[str, dict[str, int]]:
    """{item id: {"matters": n, "open_matters": n, "tasks": n}} for the items given."""
    out: dict[str, dict[str, int]] = {i: {"matters": 0, "open_matters": 0, "tasks": 0} for i in item_ids}
    if not item_ids:
        return out
    marks = ", ".join("?" * len(item_ids))
    closed = ", ".join("?" * len(MATTER_CLOSED))
    for iid, n, open_n in store.query(
            f"SELECT source_agenda_item_id, count(*), sum(status NOT IN ({closed})) FROM matters "
            f"WHERE deleted = 0 AND source_agenda_item_id IN ({marks}) GROUP BY source_agenda_item_id",
            [*MATTER_CLOSED, *item_ids]):
        out[iid]["matters"], out[iid]["open_matters"] = int(n), int(open_n or 0)
    for iid, n in store.query(f"SELECT agenda_item_id, count(*) FROM tasks WHERE deleted = 0 "
                              f"AND agenda_item_id IN ({marks}) GROUP BY agenda_item_id", list(item_ids)):
        out[iid]["tasks"] = int(n)
    return out


# ---------------------------------------------------------------- the lists (ids, then pages of rows)

def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class ActivityFilter:
    text: str = ""                  # in the title, series or venue
    area_id: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    category: str | None = None
    series: str | None = None
    sort: str = "date"              # one of ACTIVITY_SORTS
    desc: bool = True


ACTIVITY_SORTS = {
    "date": "a.activity_date{d}, a.rowid{d}",
    "title": "a.title{d}, a.activity_date DESC",
    "category": "a.category{d}, a.activity_date DESC",
    "series": "a.series IS NULL, a.series{d}, a.session_no{d}, a.activity_date DESC",
    "village": "(SELECT path FROM areas WHERE id = a.area_id){d}, a.activity_date DESC",
    "count": "a.actual_count{d}, a.activity_date DESC",
}


def activity_ids(store: Store, flt: ActivityFilter) -> list[str]:
    """The ids of the activities that match, in the list's order (indexed by date, village, category)."""
    where = ["a.deleted = 0"]
    params: list[Any] = []
    for sql, value in (("a.area_id = ?", flt.area_id), ("a.activity_date >= ?", flt.date_from),
                       ("a.activity_date <= ?", flt.date_to), ("a.category = ?", flt.category),
                       ("a.series = ?", flt.series)):
        if value:
            where.append(sql)
            params.append(value)
    text = flt.text.strip()
    if text:
        where.append("(a.title LIKE ? ESCAPE '\\' OR a.series LIKE ? ESCAPE '\\' OR a.venue LIKE ? ESCAPE '\\')")
        params += [_like(text)] * 3
    order = ACTIVITY_SORTS.get(flt.sort, ACTIVITY_SORTS["date"]).format(d=" DESC" if flt.desc else "")
    return [r[0] for r in store.query(f"SELECT a.id FROM activities a WHERE {' AND '.join(where)} "
                                      f"ORDER BY {order}", params)]


Row = tuple[Any, ...]


def _equals(col: int, value: Any) -> Callable[[Row], bool]:
    return lambda r: bool(r[col] == value)


def _date_from(day: str) -> Callable[[Row], bool]:
    return lambda r: (r[1] or "") >= day


def _date_to(day: str) -> Callable[[Row], bool]:
    return lambda r: (r[1] or "") <= day


class ActivityIndex:
    """The activity list's filter columns for every activity, held in memory (like browse.VisitIndex).

    Read once off the GUI thread (about a second for 100,000 activities); each filter is then a
    pass over small tuples, well inside the list's 100 ms, where SQL would need a covering index
    for every combination of village, dates, category, series and text.
    """

    COLS = ("id", "activity_date", "area_id", "category", "series", "session_no", "title", "venue",
            "actual_count")

    def __init__(self, rows: list[tuple[Any, ...]], paths: dict[str, str], names: dict[str, str] | None = None,
                 signed_in: dict[str, int] | None = None) -> None:
        self.rows = rows        # newest first
        self.paths = paths      # area id -> path, for sorting by village
        self.names = names or {}            # area id -> name, for the Village column
        self.signed_in = signed_in or {}    # activity id -> sign-in rows
        self.by_id = {r[0]: r for r in rows}
        self.all_ids = [r[0] for r in rows]
        # The rows of each village, category and series (newest first): an equality filter is a lookup.
        self.by: dict[int, dict[Any, list[tuple[Any, ...]]]] = {2: {}, 3: {}, 4: {}}
        for r in rows:
            for col, groups in self.by.items():
                groups.setdefault(r[col], []).append(r)
        self.dates_asc = [r[1] or "" for r in reversed(rows)]

    @classmethod
    def load(cls, store: Store) -> ActivityIndex:
        with store.reading():
            rows = store.query(f"SELECT {', '.join(cls.COLS)} FROM activities WHERE deleted = 0 "
                               "ORDER BY activity_date DESC, rowid DESC")
            areas = store.query("SELECT id, path, name FROM areas")
            signed = dict(store.query("SELECT activity_id, count(*) FROM activity_attendance WHERE deleted = 0 "
                                      "GROUP BY activity_id"))
        return cls(rows, {a[0]: a[1] for a in areas}, {a[0]: a[2] for a in areas}, signed)

    def page(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        """The list's columns for these ids, from memory (the same keys as ``activity_rows``)."""
        out = []
        for i in ids:
            r = self.by_id.get(i)
            if r is not None:
                row = dict(zip(self.COLS, r, strict=True))
                row["village"] = self.names.get(r[2])
                row["signed_in"] = self.signed_in.get(i, 0)
                out.append(row)
        return out

    def _date_slice(self, date_from: str | None, date_to: str | None) -> list[tuple[Any, ...]]:
        """The rows between two dates (newest first), found by bisection on the date order."""
        n = len(self.rows)
        lo = bisect_left(self.dates_asc, date_from) if date_from else 0
        hi = bisect_right(self.dates_asc, date_to) if date_to else n
        return self.rows[n - hi:n - lo] if hi > lo else []

    def ids(self, flt: ActivityFilter) -> list[str]:
        by_date = flt.sort == "date" or flt.sort not in ACTIVITY_SORTS
        equal = [(col, value) for col, value in ((2, flt.area_id), (3, flt.category), (4, flt.series)) if value]
        text = flt.text.strip()
        if not equal and not text and not flt.date_from and not flt.date_to and by_date:
            return self.all_ids if flt.desc else self.all_ids[::-1]   # shared: callers only read it
        # Start from the smallest candidate set, then test the rest of the filter on it.
        candidates: list[Sequence[tuple[Any, ...]]] = [self.by[col].get(value, []) for col, value in equal]
        if flt.date_from or flt.date_to:
            candidates.append(self._date_slice(flt.date_from, flt.date_to))
        rows: Sequence[tuple[Any, ...]] = min(candidates, key=len) if candidates else self.rows
        tests = [_equals(col, value) for col, value in equal if self.by[col].get(value) is not rows]
        if flt.date_from:
            tests.append(_date_from(flt.date_from))
        if flt.date_to:
            tests.append(_date_to(flt.date_to))
        if text:
            tests.append(lambda r: text in (r[6] or "") or text in (r[4] or "") or text in (r[7] or ""))
        if len(tests) == 1:
            test = tests[0]
            rows = [r for r in rows if test(r)]
        elif tests:
            rows = [r for r in rows if all(t(r) for t in tests)]
        if by_date:
            ids = [r[0] for r in rows]
            return ids if flt.desc else ids[::-1]
        paths = self.paths
        key = {"title": lambda r: r[6] or "", "category": lambda r: r[3] or "",
               "series": lambda r: (r[4] or "\uffff", r[5] or 0),
               "village": lambda r: paths.get(r[2], ""), "count": lambda r: r[8] or 0}[flt.sort]
        # A stable sort (reversed too): within equal keys the newest stay first.
        return [r[0] for r in sorted(rows, key=key, reverse=flt.desc)]


def activity_rows(store: Store, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The list's columns for one page of activities, in the order given."""
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = store.query_dicts(
        "SELECT a.id, a.activity_date, a.title, a.category, a.series, a.session_no, a.venue, a.actual_count, "
        "a.area_id, ar.name AS village, "
        "(SELECT count(*) FROM activity_attendance t WHERE t.activity_id = a.id AND t.deleted = 0) AS signed_in "
        f"FROM activities a LEFT JOIN areas ar ON ar.id = a.area_id WHERE a.id IN ({marks})", list(ids))
    by_id = {r["id"]: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]


def activity_series(store: Store) -> list[str]:
    """The series names in use (国学课堂, 乐和讲堂 …), for the filter box."""
    return [r[0] for r in store.query("SELECT DISTINCT series FROM activities WHERE deleted = 0 "
                                      "AND series IS NOT NULL AND series != '' ORDER BY series")]


def activity_areas(store: Store) -> list[dict[str, Any]]:
    """Villages that hold activities or households (id, name, path), for the filter box."""
    return store.query_dicts(
        "SELECT id, name, path FROM areas WHERE deleted = 0 AND (id IN (SELECT DISTINCT area_id FROM activities "
        "WHERE deleted = 0) OR id IN (SELECT DISTINCT area_id FROM households WHERE deleted = 0)) ORDER BY path", [])


@dataclass(frozen=True)
class MeetingFilter:
    text: str = ""                  # in the title, venue or chair
    area_id: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    meeting_type: str | None = None
    sort: str = "date"
    desc: bool = True


MEETING_SORTS = {
    "date": "m.meeting_date{d}, m.rowid{d}",
    "type": "m.meeting_type{d}, m.meeting_date DESC",
    "title": "m.title{d}, m.meeting_date DESC",
    "village": "(SELECT path FROM areas WHERE id = m.area_id){d}, m.meeting_date DESC",
    "attended": "m.attended_count{d}, m.meeting_date DESC",
    "status": "m.status{d}, m.meeting_date DESC",
}


def meeting_ids(store: Store, flt: MeetingFilter) -> list[str]:
    where = ["m.deleted = 0"]
    params: list[Any] = []
    for sql, value in (("m.area_id = ?", flt.area_id), ("m.meeting_date >= ?", flt.date_from),
                       ("m.meeting_date <= ?", flt.date_to), ("m.meeting_type = ?", flt.meeting_type)):
        if value:
            where.append(sql)
            params.append(value)
    text = flt.text.strip()
    if text:
        where.append("(m.title LIKE ? ESCAPE '\\' OR m.venue LIKE ? ESCAPE '\\' OR m.chair LIKE ? ESCAPE '\\' "
                     "OR m.id IN (SELECT meeting_id FROM agenda_items WHERE deleted = 0 AND topic LIKE ? ESCAPE '\\'))")
        params += [_like(text)] * 4
    order = MEETING_SORTS.get(flt.sort, MEETING_SORTS["date"]).format(d=" DESC" if flt.desc else "")
    return [r[0] for r in store.query(f"SELECT m.id FROM meetings m WHERE {' AND '.join(where)} ORDER BY {order}",
                                      params)]


def meeting_rows(store: Store, ids: Sequence[str]) -> list[dict[str, Any]]:
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = store.query_dicts(
        "SELECT m.id, m.meeting_date, m.meeting_type, m.title, m.venue, m.chair, m.expected_count, "
        "m.attended_count, m.status, m.area_id, ar.name AS village, "
        "(SELECT count(*) FROM agenda_items i WHERE i.meeting_id = m.id AND i.deleted = 0) AS items, "
        "(SELECT group_concat(i.topic, '；') FROM agenda_items i WHERE i.meeting_id = m.id AND i.deleted = 0) "
        "AS topics "
        f"FROM meetings m LEFT JOIN areas ar ON ar.id = m.area_id WHERE m.id IN ({marks})", list(ids))
    by_id = {r["id"]: r for r in rows}
    return [by_id[i] for i in ids if i in by_id]
