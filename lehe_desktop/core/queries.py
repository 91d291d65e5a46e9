""""Today's work" for the desktop's home page: follow-ups, matters and tasks due, recent records.

Read-only, Qt-free; every function returns plain dicts (JSON-ready) so the GUI and the CLI
can show them without SQL. "Today" is the store's pinned day (tests, imports) or the local date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from .records.schema import record_type
from .records.work import MATTER_CLOSED, TASK_CLOSED
from .store.store import Store

# Record types shown in "recent records" unless the caller names others.
RECENT_TYPES = ("household", "member", "visit", "activity", "meeting", "matter", "task")


def _today(store: Store, today: date | None) -> date:
    return today or store.today or date.today()


def _rows(store: Store, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    return store.query_dicts(sql, list(params))


def _with_due(rows: list[dict[str, Any]], key: str, today: date) -> list[dict[str, Any]]:
    for row in rows:
        days = (date.fromisoformat(row[key]) - today).days
        row["days_left"] = days      # negative: overdue by that many days
        row["overdue"] = days < 0
    return rows


def _placeholders(values: Iterable[Any]) -> str:
    return ", ".join("?" for _ in values)


def follow_ups_due(store: Store, *, today: date | None = None, within_days: int = 7,
                   limit: int = 500) -> list[dict[str, Any]]:
    """Visits whose follow-up is due by today + ``within_days`` and not yet made.

    A follow-up counts as made once the household has a later visit, so only each household's
    latest visit can be due. Overdue ones first (oldest date first).
    """
    day = _today(store, today)
    horizon = (day + timedelta(days=within_days)).isoformat()
    rows = _rows(store, """
        SELECT v.id, v.household_id, v.visit_date, v.visit_type, v.next_visit_date, v.risk_level,
               v.follow_up_owner, v.follow_up_plan, h.head_name, h.group_name, h.area_id, a.name AS area_name
        FROM visits v
        JOIN households h ON h.id = v.household_id AND h.deleted = 0
        LEFT JOIN areas a ON a.id = h.area_id
        WHERE v.deleted = 0 AND v.follow_up_needed = 1 AND v.next_visit_date IS NOT NULL
          AND v.next_visit_date <= ?
          AND NOT EXISTS (SELECT 1 FROM visits w WHERE w.household_id = v.household_id AND w.deleted = 0
                          AND (w.visit_date > v.visit_date OR (w.visit_date = v.visit_date AND w.id > v.id)))
        ORDER BY v.next_visit_date, v.id
        LIMIT ?""", [horizon, limit])
    return _with_due(rows, "next_visit_date", day)


def matters_due(store: Store, *, today: date | None = None, within_days: int = 7,
                limit: int = 500) -> list[dict[str, Any]]:
    """Open matters (not resolved, explained or withdrawn) due by today + ``within_days``."""
    day = _today(store, today)
    horizon = (day + timedelta(days=within_days)).isoformat()
    rows = _rows(store, f"""
        SELECT id, raised_on, sanshi_class, topic_category, description, responsible_body, responsible_name,
               responsible_person, supervisor, due_date, status, area_id
        FROM matters
        WHERE deleted = 0 AND due_date IS NOT NULL AND due_date <= ?
          AND status NOT IN ({_placeholders(MATTER_CLOSED)})
        ORDER BY due_date, id
        LIMIT ?""", [horizon, *MATTER_CLOSED, limit])
    rt = record_type("matter")
    for row in rows:
        row["title"] = store.title(rt, row)
    return _with_due(rows, "due_date", day)


def open_matters(store: Store, *, limit: int = 500) -> list[dict[str, Any]]:
    """Every open matter, those with the nearest time limit first (no time limit last)."""
    rows = _rows(store, f"""
        SELECT id, raised_on, sanshi_class, topic_category, description, responsible_body, responsible_person,
               due_date, status
        FROM matters
        WHERE deleted = 0 AND status NOT IN ({_placeholders(MATTER_CLOSED)})
        ORDER BY due_date IS NULL, due_date, raised_on, id
        LIMIT ?""", [*MATTER_CLOSED, limit])
    rt = record_type("matter")
    for row in rows:
        row["title"] = store.title(rt, row)
    return rows


def tasks_due(store: Store, *, today: date | None = None, within_days: int = 7,
              limit: int = 500) -> list[dict[str, Any]]:
    """Tasks not done or cancelled whose due date is by today + ``within_days``."""
    day = _today(store, today)
    horizon = (day + timedelta(days=within_days)).isoformat()
    rows = _rows(store, f"""
        SELECT id, title, owner, owner_org, supervisor, due_date, status, matter_id, agenda_item_id
        FROM tasks
        WHERE deleted = 0 AND due_date <= ? AND status NOT IN ({_placeholders(TASK_CLOSED)})
        ORDER BY due_date, id
        LIMIT ?""", [horizon, *TASK_CLOSED, limit])
    return _with_due(rows, "due_date", day)


def recent_records(store: Store, *, limit: int = 20, rtypes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The most recently changed records (here or arriving by sync), newest first.

    Each: {"type", "id", "title", "updated_hlc"}. Uses each table's updated_hlc index.
    """
    wanted = list(rtypes or RECENT_TYPES)
    candidates: list[tuple[int, str, str]] = []
    for name in wanted:
        rt = record_type(name)
        for rid, h in store.query(
                f"SELECT id, updated_hlc FROM {rt.table} WHERE deleted = 0 ORDER BY updated_hlc DESC LIMIT ?",
                (limit,)):
            candidates.append((int(h), name, rid))
    candidates.sort(reverse=True)
    out = []
    for h, name, rid in candidates[:limit]:
        rec = store.get(name, rid)
        if rec is None:
            continue
        out.append({"type": name, "id": rid, "title": store.title(record_type(name), rec), "updated_hlc": h})
    return out


def visits_of_household(store: Store, household_id: str) -> list[dict[str, Any]]:
    """A household's visits, newest first, with the columns a visit list shows."""
    return _rows(store, """
        SELECT id, visit_date, visit_type, target_seen, risk_level, follow_up_needed, next_visit_date, author
        FROM visits WHERE household_id = ? AND deleted = 0
        ORDER BY visit_date DESC, id DESC""", [household_id])


def today_summary(store: Store, *, today: date | None = None, within_days: int = 7) -> dict[str, int]:
    """Counts for the home page's tiles."""
    day = _today(store, today)
    follow = follow_ups_due(store, today=day, within_days=within_days, limit=1_000_000)
    matters = matters_due(store, today=day, within_days=within_days, limit=1_000_000)
    tasks = tasks_due(store, today=day, within_days=within_days, limit=1_000_000)
    high = store.query_value("""
        SELECT count(*) FROM visits v
        WHERE v.deleted = 0 AND v.risk_level = 'high'
          AND NOT EXISTS (SELECT 1 FROM visits w WHERE w.household_id = v.household_id AND w.deleted = 0
                          AND (w.visit_date > v.visit_date OR (w.visit_date = v.visit_date AND w.id > v.id)))
        """, default=0)
    return {
        "follow_ups_overdue": sum(r["overdue"] for r in follow),
        "follow_ups_due_soon": sum(not r["overdue"] for r in follow),
        "matters_overdue": sum(r["overdue"] for r in matters),
        "matters_due_soon": sum(not r["overdue"] for r in matters),
        "tasks_overdue": sum(r["overdue"] for r in tasks),
        "tasks_due_soon": sum(not r["overdue"] for r in tasks),
        "high_risk_households": int(high),
    }
