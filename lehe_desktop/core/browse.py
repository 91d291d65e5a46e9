"""Read-only list queries for the desktop's big tables (households, visits).

The GUI never runs SQL; its table models call these. A list is fetched in two steps so that
100,000+ rows stay fast: ``*_ids`` returns the ordered ids that match the filters (one
indexed query, run off the GUI thread), then ``*_rows`` loads the display columns for one
page of ids at a time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import roles
from .records.masking import mask_address, mask_record
from .records.schema import record_type
from .store.store import Store


def _has_table(store: Store, table: str) -> bool:
    return store.table_exists(table)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _rows(store: Store, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    return store.query_dicts(sql, list(params))


def villages(store: Store) -> list[dict[str, Any]]:
    """Areas that hold households (id, name, path), for filter boxes."""
    return _rows(store, "SELECT id, name, path FROM areas WHERE deleted = 0 AND id IN "
                        "(SELECT DISTINCT area_id FROM households WHERE deleted = 0) ORDER BY path", [])


def areas(store: Store) -> list[dict[str, Any]]:
    """Every area that can hold households (deepest levels first in each branch), by path."""
    return _rows(store, "SELECT id, name, path FROM areas a WHERE deleted = 0 AND NOT EXISTS "
                        "(SELECT 1 FROM areas c WHERE c.parent_id = a.id AND c.deleted = 0) ORDER BY path", [])


# ---------------------------------------------------------------- households

@dataclass(frozen=True)
class HouseholdFilter:
    text: str = ""
    area_id: str | None = None
    sort: str = "head"        # one of HOUSEHOLD_SORTS
    desc: bool = False


def _last_visit_sql(store: Store) -> tuple[str, str]:
    if _has_table(store, "visits"):
        return ("(SELECT max(v.visit_date) FROM visits v WHERE v.household_id = h.id AND v.deleted = 0)",
                "(SELECT v.risk_level FROM visits v WHERE v.household_id = h.id AND v.deleted = 0 "
                "ORDER BY v.visit_date DESC LIMIT 1)")
    return "NULL", "NULL"


def _household_sorts(store: Store) -> dict[str, str]:
    last, risk = _last_visit_sql(store)
    # Names in pinyin order: by the sort key the store keeps beside each name (schema 8).
    return {
        "area": "(SELECT a.path FROM areas a WHERE a.id = h.area_id), h.group_name, h.head_name_sort",
        "group": "h.group_name, h.head_name_sort",
        "head": "h.head_name_sort",
        "members": "(SELECT count(*) FROM members m WHERE m.household_id = h.id AND m.deleted = 0)",
        "categories": "(SELECT min(c.category) FROM household_categories c WHERE c.household_id = h.id "
                      "AND c.deleted = 0)",
        "last_visit": last,
        "risk": risk,
    }


HOUSEHOLD_SORTS = ("area", "group", "head", "members", "categories", "last_visit", "risk")


def household_ids(store: Store, flt: HouseholdFilter) -> list[str]:
    where = ["h.deleted = 0"]
    params: list[Any] = []
    if flt.area_id:
        where.append("h.area_id = ?")
        params.append(flt.area_id)
    text = flt.text.strip()
    if text:
        # A member's ID or phone number typed whole finds the household (keyed search tokens).
        hits = [h for h in store.search(text, limit=1000, rtypes=["member", "member_phone"]) if "match" in h]
        members = [h["id"] for h in hits if h["type"] == "member"]
        phones = [h["id"] for h in hits if h["type"] == "member_phone"]
        where.append("(h.head_name LIKE ? ESCAPE '\\' OR h.group_name LIKE ? ESCAPE '\\' "
                     "OR h.address LIKE ? ESCAPE '\\' OR h.id IN (SELECT m.household_id FROM members m "
                     "WHERE m.deleted = 0 AND (m.name LIKE ? ESCAPE '\\' OR m.id IN (SELECT value FROM json_each(?)) "
                     "OR m.id IN (SELECT p.member_id FROM member_phones p WHERE p.deleted = 0 "
                     "AND p.id IN (SELECT value FROM json_each(?))))))")
        params += [_like(text)] * 4
        params += [json.dumps(members), json.dumps(phones)]
    order = _household_sorts(store).get(flt.sort, "h.head_name_sort")
    direction = " DESC" if flt.desc else ""
    order = ", ".join(part.strip() + direction for part in _split_order(order))
    sql = f"SELECT h.id FROM households h WHERE {' AND '.join(where)} ORDER BY {order}, h.rowid"
    return [r[0] for r in store.query(sql, params)]


def _split_order(order: str) -> list[str]:
    """Split an ORDER BY list on top-level commas (subqueries contain commas too)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(order):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(order[start:i])
            start = i + 1
    parts.append(order[start:])
    return parts


def household_rows(store: Store, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Display columns for these households, in the order given."""
    if not ids:
        return []
    last, risk = _last_visit_sql(store)
    marks = ", ".join("?" * len(ids))
    sql = (f"SELECT h.id, h.area_id, a.name AS village, h.group_name, h.head_name, h.address, h.status, "
           f"(SELECT count(*) FROM members m WHERE m.household_id = h.id AND m.deleted = 0) AS members, "
           f"(SELECT group_concat(c.category, ',') FROM household_categories c WHERE c.household_id = h.id "
           f"AND c.deleted = 0) AS categories, "
           f"(SELECT group_concat(DISTINCT mc.category) FROM member_categories mc JOIN members m2 "
           f"ON m2.id = mc.member_id WHERE m2.household_id = h.id AND m2.deleted = 0 AND mc.deleted = 0) "
           f"AS member_categories, {last} AS last_visit, {risk} AS risk "
           f"FROM households h LEFT JOIN areas a ON a.id = h.area_id WHERE h.id IN ({marks})")
    by_id = {r["id"]: r for r in _rows(store, sql, ids)}
    for r in by_id.values():
        r["address"] = mask_address(r["address"])     # lists never hold an exact address
    return [by_id[i] for i in ids if i in by_id]


def household_profile(store: Store, hid: str, *, reveal: bool = False) -> dict[str, Any]:
    """Everything a household's profile shows, read in one go (the GUI runs it on the lane).

    ID numbers, phones and the address come masked (records/masking.py) unless ``reveal``:
    then they come as stored, and the reveal is entered into the audit log (which records, never
    the values). ``revealed`` says which it is.
    """
    with store.reading():
        h = store.require("household", hid)
        members = store.children("member", hid)
        area = store.get("area", h["area_id"]) if h.get("area_id") else None
        phones = {m["id"]: store.children("member_phone", m["id"]) for m in members}
        data = {
            "household": h, "members": members, "area_path": (area or {}).get("path", ""),
            "categories": [c["category"] for c in store.children("household_category", hid)],
            "phones": phones,
            "member_categories": {m["id"]: [c["category"] for c in store.children("member_category", m["id"])]
                                  for m in members},
            "timeline": household_timeline(store, hid),
            "revealed": reveal,
        }
    if reveal:
        roles.require(roles.role_from_meta(store.meta()), roles.Capability.REVEAL)
        store.audit("reveal", {"ids": [["household", hid], *(["member", m["id"]] for m in members)],
                               "fields": ["address", "id_number", "phone"]})
        return data
    data["household"] = mask_record(record_type("household"), h)
    data["members"] = [mask_record(record_type("member"), m) for m in members]
    phone_rt = record_type("member_phone")
    data["phones"] = {mid: [mask_record(phone_rt, p) for p in ps] for mid, ps in phones.items()}
    return data


# ---------------------------------------------------------------- visits

@dataclass(frozen=True)
class VisitFilter:
    text: str = ""
    area_id: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    visit_type: str | None = None
    risk_level: str | None = None
    follow_up_due: bool = False       # follow-up needed and the next visit date is within 7 days or past
    household_id: str | None = None
    sort: str = "date"
    desc: bool = True


def has_visits(store: Store) -> bool:
    return _has_table(store, "visits")


class VisitIndex:
    """The visit list's filter columns for every visit, held in memory.

    Loading reads the visits table once (about a second for 100,000 visits, off the GUI
    thread); after that each filter is a pass over small tuples (tens of milliseconds), which
    SQL cannot match here without covering indexes on every filter combination.
    """

    # id, visit_date, household_id, visit_type, risk_level, follow_up_needed, next_visit_date, author
    COLS = ("id", "visit_date", "household_id", "visit_type", "risk_level", "follow_up_needed",
            "next_visit_date", "author")

    def __init__(self, rows: list[tuple[Any, ...]], households: dict[str, tuple[str, str, str, str]]) -> None:
        self.rows = rows                 # newest first
        self.households = households     # id -> (area_id, head_name, group_name, head_name_sort)

    @classmethod
    def load(cls, store: Store) -> VisitIndex:
        if not has_visits(store):
            return cls([], {})
        # A long read-only pass: not under the store's lock, so the GUI thread's small page
        # reads are not held up behind it (SQLite serialises the two on the connection).
        rows = store.query(
            f"SELECT {', '.join(cls.COLS)} FROM visits WHERE deleted = 0 "
            "ORDER BY visit_date DESC, rowid DESC")
        households = {r[0]: (r[1], r[2] or "", r[3] or "", r[4] or "") for r in store.query(
            "SELECT id, area_id, head_name, group_name, head_name_sort FROM households WHERE deleted = 0")}
        return cls(rows, households)

    def ids(self, store: Store, flt: VisitFilter, *, today: date | None = None) -> list[str]:
        rows: Sequence[tuple[Any, ...]] = self.rows
        if flt.household_id:
            rows = [r for r in rows if r[2] == flt.household_id]
        if flt.area_id:
            hids = {h for h, v in self.households.items() if v[0] == flt.area_id}
            rows = [r for r in rows if r[2] in hids]
        if flt.date_from:
            rows = [r for r in rows if (r[1] or "") >= flt.date_from]
        if flt.date_to:
            rows = [r for r in rows if (r[1] or "") <= flt.date_to]
        if flt.visit_type:
            rows = [r for r in rows if r[3] == flt.visit_type]
        if flt.risk_level:
            rows = [r for r in rows if r[4] == flt.risk_level]
        if flt.follow_up_due:
            soon = ((today or date.today()) + timedelta(days=7)).isoformat()
            rows = [r for r in rows if r[5] == 1 and r[6] and r[6] <= soon]
        text = flt.text.strip()
        if text:
            # Households by name or group, visits by their own text (the CJK full-text index).
            hids = {h for h, v in self.households.items() if text in v[1] or text in v[2]}
            vids = {hit["id"] for hit in store.search(text, limit=1_000_000, rtypes=["visit"])}
            rows = [r for r in rows if r[2] in hids or r[0] in vids]
        col = {"date": 1, "household": 2, "type": 3, "risk": 4, "next": 6, "author": 7}.get(flt.sort, 1)
        if col == 1:
            ordered = list(rows) if flt.desc else list(reversed(rows))
        elif col == 2:      # by the household's head, in pinyin order (not by its id)
            names = self.households
            ordered = sorted(rows, key=lambda r: names[r[2]][3] if r[2] in names else "", reverse=flt.desc)
        else:
            ordered = sorted(rows, key=lambda r: r[col] or "", reverse=flt.desc)
        return [r[0] for r in ordered]


def visit_rows(store: Store, ids: Sequence[str]) -> list[dict[str, Any]]:
    if not ids or not has_visits(store):
        return []
    marks = ", ".join("?" * len(ids))
    sql = ("SELECT v.id, v.household_id, v.visit_date, v.visit_type, v.risk_level, v.follow_up_needed, "
           "v.next_visit_date, v.author, v.purpose, h.head_name, h.group_name, a.name AS village "
           "FROM visits v LEFT JOIN households h ON h.id = v.household_id "
           f"LEFT JOIN areas a ON a.id = h.area_id WHERE v.id IN ({marks})")
    by_id = {r["id"]: r for r in _rows(store, sql, ids)}
    return [by_id[i] for i in ids if i in by_id]


def household_timeline(store: Store, household_id: str) -> list[dict[str, Any]]:
    """Every dated record about a household, newest first.

    Each: {"type", "id", "date", "title"} plus the visit's own columns for visits. Matters and
    tasks come through their household links, activities through members' attendance.
    """
    from .records.schema import record_type

    out: list[dict[str, Any]] = []
    with store.reading():
        if has_visits(store):
            out += _rows(store, "SELECT 'visit' AS type, id, visit_date AS date, visit_type, risk_level, "
                                "purpose, author FROM visits WHERE household_id = ? AND deleted = 0", [household_id])
        linked = (("matter", "matters", "raised_on", "SELECT matter_id FROM matter_households "
                   "WHERE household_id = ? AND deleted = 0"),
                  ("task", "tasks", "assigned_on", "SELECT task_id FROM task_households "
                   "WHERE household_id = ? AND deleted = 0"),
                  ("activity", "activities", "activity_date", "SELECT a.activity_id FROM activity_attendance a "
                   "JOIN members m ON m.id = a.member_id WHERE m.household_id = ? AND a.deleted = 0"))
        for rtype, table, date_col, ids_sql in linked:
            if not _has_table(store, table):
                continue
            rt = record_type(rtype)
            for rec in _rows(store, f"SELECT * FROM {table} WHERE id IN ({ids_sql}) AND deleted = 0",
                             [household_id]):
                out.append({"type": rtype, "id": rec["id"], "date": rec.get(date_col) or rec.get("due_date"),
                            "title": store.title(rt, rec)})
    out.sort(key=lambda r: r.get("date") or "", reverse=True)
    return out
