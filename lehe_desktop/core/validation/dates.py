"""Dates, timestamps and sanity checks on the laptop clock."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from lehe_desktop.core.problems import Problem, error, warning
from lehe_desktop.core.validation.text import to_halfwidth

# ASCII digit classes: \d would also accept other scripts' digits, which int() then accepts.
_RE_NUMERIC_DATE = re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})")
_RE_CHINESE_DATE = re.compile(r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?")
_RE_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?"
    r"(?P<offset>Z|[+-][0-9]{2}:?[0-9]{2})?"
)

CLOCK_BEHIND_TOLERANCE = timedelta(minutes=5)
CLOCK_FUTURE_LIMIT = timedelta(days=366)
# UTC+14 is the earliest time zone: before midnight there, the build date has begun nowhere.
_EARLIEST_ZONE = timedelta(hours=14)


def parse_date(
    value: str | date, *, field: str, label_zh: str = "日期", label_en: str = "date"
) -> tuple[date | None, list[Problem]]:
    """Parse ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY.MM.DD`` or ``YYYY年M月D日``."""
    if isinstance(value, datetime):
        return value.date(), []
    if isinstance(value, date):
        return value, []
    text = to_halfwidth(value).strip()
    parts: tuple[str, str, str] | None = None
    if m := _RE_NUMERIC_DATE.fullmatch(text):
        parts = (m.group(1), m.group(3), m.group(4))
    elif m := _RE_CHINESE_DATE.fullmatch(text):
        parts = (m.group(1), m.group(2), m.group(3))
    if parts is None:
        return None, [error(
            "date.format", field,
            f"{label_zh}格式不正确，请按“2026-11-29”或“2026年11月29日”填写",
            f"The {label_en} is not in a recognised format; use e.g. 2026-11-29")]
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2])), []
    except ValueError:
        return None, [error(
            "date.invalid", field,
            f"{label_zh}“{text}”不存在（请检查月份和日期）",
            f"The {label_en} '{text}' does not exist (check the month and day)")]


def check_event_date(
    value: str | date,
    *,
    field: str,
    today: date,
    allow_future: bool = False,
    earliest: date = date(1900, 1, 1),
    label_zh: str = "日期",
    label_en: str = "date",
) -> tuple[date | None, list[Problem]]:
    """Parse the date something happened: not after ``today`` (unless allowed) nor before ``earliest``."""
    parsed, problems = parse_date(value, field=field, label_zh=label_zh, label_en=label_en)
    if parsed is None:
        return None, problems
    if not allow_future and parsed > today:
        return None, [error(
            "date.future", field,
            f"{label_zh}（{parsed.isoformat()}）不能晚于今天（{today.isoformat()}）",
            f"The {label_en} ({parsed.isoformat()}) cannot be after today ({today.isoformat()})")]
    if parsed < earliest:
        return None, [error(
            "date.too_early", field,
            f"{label_zh}（{parsed.isoformat()}）不能早于{earliest.isoformat()}",
            f"The {label_en} ({parsed.isoformat()}) cannot be before {earliest.isoformat()}")]
    return parsed, []


def check_not_before(
    later: date, earlier: date, *, field: str, other_label_zh: str, other_label_en: str
) -> list[Problem]:
    """Error ``date.order`` when ``later`` (e.g. a follow-up date) precedes ``earlier``."""
    if later >= earlier:
        return []
    return [error(
        "date.order", field,
        f"该日期（{later.isoformat()}）不能早于{other_label_zh}（{earlier.isoformat()}）",
        f"This date ({later.isoformat()}) cannot be before the {other_label_en} "
        f"({earlier.isoformat()})")]


def parse_timestamp(
    value: str, *, field: str, label_zh: str = "时间", label_en: str = "timestamp"
) -> tuple[datetime | None, list[Problem]]:
    """Parse ISO 8601 with an explicit offset (``+08:00`` or ``Z``); returns an aware UTC datetime.

    A bare local time is refused: records move between laptops, and without the offset
    the same string means different instants.
    """
    text = value.strip()
    m = _RE_TIMESTAMP.fullmatch(text)
    problem_format = error(
        "timestamp.format", field,
        f"{label_zh}格式不正确，应为如“2026-11-29T10:00:00+08:00”的形式",
        f"The {label_en} is not valid; expected e.g. 2026-11-29T10:00:00+08:00")
    if not m:
        return None, [problem_format]
    if m.group("offset") is None:
        return None, [error(
            "timestamp.no_offset", field,
            f"{label_zh}缺少时区（如“+08:00”或“Z”），无法确定具体时刻",
            f"The {label_en} has no UTC offset (e.g. +08:00 or Z), so the moment is ambiguous")]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None, [problem_format]
    return parsed.astimezone(UTC), []


def _as_utc(moment: datetime) -> datetime:
    # A naive value here can only have come from our own UTC bookkeeping.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def check_clock(
    now_utc: datetime, *, latest_seen_utc: datetime | None, build_date: date
) -> list[Problem]:
    """Warnings (never errors) when the computer clock looks wrong; a bad clock must not block work."""
    now = _as_utc(now_utc)
    problems: list[Problem] = []
    build_start = datetime.combine(build_date, time.min, tzinfo=UTC) - _EARLIEST_ZONE
    if now < build_start:
        problems.append(warning(
            "clock.before_build", "clock",
            f"电脑日期（{now.date().isoformat()}）早于本软件的发布日期（{build_date.isoformat()}），"
            "请检查电脑的日期和时间设置",
            f"The computer's date ({now.date().isoformat()}) is before this app was built "
            f"({build_date.isoformat()}); please check the date and time settings"))
    if latest_seen_utc is not None and now < _as_utc(latest_seen_utc) - CLOCK_BEHIND_TOLERANCE:
        problems.append(warning(
            "clock.behind", "clock",
            "电脑时间早于已保存记录中的最新时间，电脑时钟可能被调慢了，请检查日期和时间设置",
            "The computer's clock is behind the newest time already saved; it may have been set "
            "back, please check the date and time settings"))
    if now.date() - build_date > CLOCK_FUTURE_LIMIT:
        problems.append(warning(
            "clock.far_future", "clock",
            f"电脑日期（{now.date().isoformat()}）比软件发布日期晚一年以上；如果日期无误，请更新软件",
            f"The computer's date ({now.date().isoformat()}) is more than a year after this app "
            "was built; if the date is right, please update the app"))
    return problems


def age_on(birth: date, on: date) -> int:
    """Completed years (周岁) on ``on``; negative if ``on`` is before ``birth``.

    Someone born on 29 February turns a year older on 1 March in common years.
    """
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - before_birthday
