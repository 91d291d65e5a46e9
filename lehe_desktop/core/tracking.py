"""The 三事分流 matters register and supervised tasks (督办): lists, state changes, progress.

Qt-free services over the store. The desktop's 事项 and 督办 pages call these on the database
lane; every write is one Store transaction (so it is logged for sync like any edit).

- A matter moves through its states only along ``MATTER_FLOW`` (domain.md §1.5, §7.4):
  registered → routed → in progress → resolved (or cannot be done, explained; or withdrawn),
  with overdue as a state a late matter may be put in, and closed matters reopened. Any other
  step is refused (``matter.transition``, exit 7) and nothing changes.
- The satisfaction check-back (回访满意度) is recorded only on a resolved matter.
- A task is marked done with its completion date; a progress note on a task not yet started
  starts it.
- Lists filter 100,000 rows in memory (``MatterIndex``, ``TaskIndex``): the filter columns are
  read once on the lane; each filter is then a pass over small tuples.

Problem and error codes: matter.transition, matter.not_found, matter.outcome_required,
matter.body_required, matter.not_resolved, task.closed, task.not_found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .errors import NotFoundError, StateError, ValidationError
from .problems import error
from .records.schema import record_type
from .records.work import MATTER_CLOSED, TASK_CLOSED
from .store.store import SaveResult, Store

# Where a matter may go from each state (domain.md §7.4 statuses).
MATTER_FLOW: dict[str, tuple[str, ...]] = {
    "registered": ("routed", "in_progress", "cannot_do", "withdrawn"),
    "routed": ("in_progress", "resolved", "cannot_do", "withdrawn"),
    "in_progress": ("resolved", "overdue", "cannot_do", "withdrawn"),
    "overdue": ("in_progress", "resolved", "cannot_do", "withdrawn"),
    "resolved": ("in_progress",),      # reopened: the check-back found it was not done
    "cannot_do": ("in_progress",),
    "withdrawn": ("registered",),
}
# States that need a responsible body (routing a matter means naming who handles it).
_NEEDS_BODY = ("routed", "in_progress", "overdue", "resolved")
# Closing states that need a written outcome: what was done, or why it cannot be done.
_NEEDS_OUTCOME = ("resolved", "cannot_do")


def _today(store: Store, today: date | None = None) -> date:
    return today or store.today or date.today()


def next_states(status: str | None) -> tuple[str, ...]:
    """The states a matter in ``status`` may move to (none for an unknown status)."""
    return MATTER_FLOW.get(status or "", ())


def _matter(store: Store, mid: str) -> dict[str, Any]:
    rec = store.get("matter", mid)
    if rec is None:
        raise NotFoundError("matter.not_found", f"找不到事项：{mid}", f"No such matter: {mid}")
    return rec


def _task(store: Store, tid: str) -> dict[str, Any]:
    rec = store.get("task", tid)
    if rec is None:
        raise NotFoundError("task.not_found", f"找不到督办任务：{tid}", f"No such task: {tid}")
    return rec


def advance_matter(store: Store, mid: str, to: str, *, on: str | None = None, outcome: str | None = None,
                   responsible_body: str | None = None, responsible_person: str | None = None) -> SaveResult:
    """Move a matter to state ``to`` (one transaction); refused with a coded error otherwise.

    Closing (resolved, cannot be done, withdrawn) sets ``closed_on`` (``on``, default today);
    resolving or explaining needs an outcome; reopening clears the closing date and the
    satisfaction check. ``responsible_body``/``responsible_person`` may be given with the step.
    """
    with store.transaction():
        rec = _matter(store, mid)
        current = rec.get("status")
        if to not in next_states(current):
            raise StateError("matter.transition",
                             f"事项不能从“{store.vocab_label('matter_status', current)}”"
                             f"转为“{store.vocab_label('matter_status', to)}”",
                             f"A matter cannot go from {current} to {to}")
        changes: dict[str, Any] = {"status": to}
        if responsible_body:
            changes["responsible_body"] = responsible_body
        if responsible_person:
            changes["responsible_person"] = responsible_person
        text = (outcome or "").strip()
        if text:
            changes["outcome"] = text
        problems = []
        if to in _NEEDS_BODY and not (responsible_body or rec.get("responsible_body")):
            problems.append(error("matter.body_required", "responsible_body", "请先确定责任主体（分流给谁办理）",
                                  "Name the responsible body first (who handles the matter)"))
        if to in _NEEDS_OUTCOME and not (text or rec.get("outcome")):
            zh = "请说明无法办理的原因（须向群众解释）" if to == "cannot_do" else "请填写办理结果"
            en = "Explain why it cannot be done" if to == "cannot_do" else "Write down the outcome"
            problems.append(error("matter.outcome_required", "outcome", zh, en))
        if problems:
            raise ValidationError(problems)
        if to in MATTER_CLOSED:
            changes["closed_on"] = on or _today(store).isoformat()
        elif current in MATTER_CLOSED:
            changes["closed_on"] = None
            changes["satisfaction"] = None
        return store.update("matter", mid, changes)


def record_satisfaction(store: Store, mid: str, satisfaction: str) -> SaveResult:
    """The check-back (回访, by phone or a return visit) on a resolved matter."""
    with store.transaction():
        rec = _matter(store, mid)
        if rec.get("status") != "resolved":
            raise StateError("matter.not_resolved", "只有已办结的事项才能回访满意度",
                             "Only a resolved matter can have its satisfaction checked")
        return store.update("matter", mid, {"satisfaction": satisfaction})


def complete_task(store: Store, tid: str, *, on: str | None = None, result: str | None = None) -> SaveResult:
    """Mark a task done (completion date ``on``, default today)."""
    with store.transaction():
        rec = _task(store, tid)
        if rec.get("status") in TASK_CLOSED:
            raise StateError("task.closed", "该任务已完成或已取消", "The task is already done or cancelled")
        changes: dict[str, Any] = {"status": "done", "completed_on": on or _today(store).isoformat()}
        if result and result.strip():
            changes["result"] = result.strip()
        return store.update("task", tid, changes)


def add_progress(store: Store, tid: str, note: str, *, on: str | None = None, by: str | None = None) -> SaveResult:
    """A progress note on a task; a task not yet started is then in progress (one transaction)."""
    with store.transaction():
        rec = _task(store, tid)
        result = store.create("task_progress", {"task_id": tid, "note": note,
                                                "note_date": on or _today(store).isoformat(),
                                                "noted_by": by or store.user})
        if rec.get("status") == "not_started":
            store.update("task", tid, {"status": "in_progress"})
        return result


def is_overdue(status: str | None, due: str | None, today: str) -> bool:
    """Late: marked overdue, or still open past its time limit."""
    if status == "overdue":
        return True
    return bool(due) and str(due) < today and status not in (*MATTER_CLOSED, *TASK_CLOSED)


def _area_ids(store: Store, area_id: str | None) -> set[str] | None:
    """The area and every area under it (a village filter also finds its groups' matters)."""
    if not area_id:
        return None
    path = store.area_path(area_id)
    if not path:
        return {area_id}
    rows = store.query("SELECT id FROM areas WHERE deleted = 0 AND (path = ? OR path LIKE ? ESCAPE '\\')",
                       [path, path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"])
    return {r[0] for r in rows} | {area_id}


# ---------------------------------------------------------------- matters list

@dataclass(frozen=True)
class MatterFilter:
    text: str = ""
    area_id: str | None = None
    sanshi_class: str | None = None
    status: str | None = None
    open_only: bool = False
    overdue_only: bool = False
    sort: str = "due"          # one of MATTER_SORTS
    desc: bool = False


MATTER_SORTS = ("raised", "due", "class", "status", "body", "person")


class MatterIndex:
    """The matters list's filter columns for every matter, held in memory (see the module doc).

    Rows are kept in the default order (nearest time limit first, none last), so the usual
    list needs no sort; text is matched in memory against the description and the people named.
    """

    COLS = ("id", "raised_on", "due_date", "status", "sanshi_class", "area_id", "responsible_body",
            "responsible_person", "responsible_name", "topic_category", "description", "supervisor", "raised_by")

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows          # by due date (none last), raised_on, rowid

    @classmethod
    def load(cls, store: Store) -> MatterIndex:
        return cls(store.query(f"SELECT {', '.join(cls.COLS)} FROM matters WHERE deleted = 0 "
                               "ORDER BY due_date IS NULL, due_date, raised_on, rowid"))

    def ids(self, store: Store, flt: MatterFilter, *, today: date | None = None) -> list[str]:
        day = _today(store, today).isoformat()
        rows: Sequence[tuple[Any, ...]] = self.rows
        areas = _area_ids(store, flt.area_id)
        if areas is not None:
            rows = [r for r in rows if r[5] in areas]
        if flt.sanshi_class:
            rows = [r for r in rows if r[4] == flt.sanshi_class]
        if flt.status:
            rows = [r for r in rows if r[3] == flt.status]
        closed = frozenset(MATTER_CLOSED)
        if flt.open_only:
            rows = [r for r in rows if r[3] not in closed]
        if flt.overdue_only:
            # is_overdue, inlined: this runs over 100,000 rows.
            rows = [r for r in rows if r[3] == "overdue" or (r[2] and r[2] < day and r[3] not in closed)]
        text = flt.text.strip()
        if text:
            rows = [r for r in rows if text in (r[10] or "") or text in (r[7] or "") or text in (r[8] or "")
                    or text in (r[11] or "") or text in (r[12] or "")]
        if flt.sort == "due" or flt.sort not in MATTER_SORTS:
            return [r[0] for r in (reversed(rows) if flt.desc else rows)]
        col = {"raised": 1, "status": 3, "class": 4, "body": 6, "person": 7}[flt.sort]
        # Empty values last either way.
        ordered = sorted(rows, key=lambda r: r[col] or "", reverse=flt.desc)
        if not flt.desc:
            ordered.sort(key=lambda r: not r[col])
        return [r[0] for r in ordered]


def matter_rows(store: Store, ids: Sequence[str], *, today: date | None = None) -> list[dict[str, Any]]:
    """Display columns for these matters, in the order given (``overdue`` computed)."""
    if not ids:
        return []
    day = _today(store, today).isoformat()
    marks = ", ".join("?" * len(ids))
    rows = store.query_dicts(
        "SELECT m.id, m.raised_on, m.channel, m.topic_category, m.description, m.sanshi_class, m.responsible_body, "
        "m.responsible_name, m.responsible_person, m.supervisor, m.due_date, m.status, m.closed_on, "
        "m.satisfaction, m.area_id, a.name AS village "
        f"FROM matters m LEFT JOIN areas a ON a.id = m.area_id WHERE m.id IN ({marks})", list(ids))
    by_id = {r["id"]: r for r in rows}
    out = []
    for i in ids:
        if i in by_id:
            r = by_id[i]
            r["overdue"] = is_overdue(r["status"], r["due_date"], day)
            out.append(r)
    return out


def matter_areas(store: Store) -> list[dict[str, Any]]:
    """Areas that hold matters (id, name, path), for the village filter and the board."""
    return store.query_dicts("SELECT id, name, path FROM areas WHERE deleted = 0 AND id IN "
                             "(SELECT DISTINCT area_id FROM matters WHERE deleted = 0) ORDER BY path")


# ---------------------------------------------------------------- tasks list

@dataclass(frozen=True)
class TaskFilter:
    text: str = ""
    status: str | None = None
    open_only: bool = False
    overdue_only: bool = False
    sort: str = "due"          # one of TASK_SORTS
    desc: bool = False


TASK_SORTS = ("due", "title", "owner", "status", "assigned")


class TaskIndex:
    """The task list's filter columns for every task, held in memory."""

    COLS = ("id", "title", "owner", "owner_org", "due_date", "status", "assigned_on")

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    @classmethod
    def load(cls, store: Store) -> TaskIndex:
        return cls(store.query(f"SELECT {', '.join(cls.COLS)} FROM tasks WHERE deleted = 0 ORDER BY due_date, rowid"))

    def ids(self, store: Store, flt: TaskFilter, *, today: date | None = None) -> list[str]:
        day = _today(store, today).isoformat()
        rows: Sequence[tuple[Any, ...]] = self.rows
        if flt.status:
            rows = [r for r in rows if r[5] == flt.status]
        if flt.open_only:
            rows = [r for r in rows if r[5] not in TASK_CLOSED]
        if flt.overdue_only:
            rows = [r for r in rows if is_overdue(r[5], r[4], day)]
        text = flt.text.strip()
        if text:
            hits = {h["id"] for h in store.search(text, limit=1_000_000, rtypes=["task"])}
            rows = [r for r in rows if r[0] in hits or any(text in (r[k] or "") for k in (1, 2, 3))]
        col = {"due": 4, "title": 1, "owner": 2, "status": 5, "assigned": 6}.get(flt.sort, 4)
        if col == 4 and not flt.desc:
            return [r[0] for r in rows]
        return [r[0] for r in sorted(rows, key=lambda r: r[col] or "", reverse=flt.desc)]


def task_rows(store: Store, ids: Sequence[str], *, today: date | None = None) -> list[dict[str, Any]]:
    """Display columns for these tasks, with the latest progress note and the count of notes."""
    if not ids:
        return []
    day = _today(store, today).isoformat()
    marks = ", ".join("?" * len(ids))
    rows = store.query_dicts(
        "SELECT t.id, t.title, t.owner, t.owner_org, t.supervisor, t.assigned_on, t.due_date, t.status, "
        "t.completed_on, t.matter_id, t.agenda_item_id, "
        "(SELECT p.note FROM task_progress p WHERE p.task_id = t.id AND p.deleted = 0 "
        " ORDER BY p.note_date DESC, p.rowid DESC LIMIT 1) AS last_note, "
        "(SELECT count(*) FROM task_progress p WHERE p.task_id = t.id AND p.deleted = 0) AS notes "
        f"FROM tasks t WHERE t.id IN ({marks})", list(ids))
    by_id = {r["id"]: r for r in rows}
    out = []
    for i in ids:
        if i in by_id:
            r = by_id[i]
            r["overdue"] = is_overdue(r["status"], r["due_date"], day)
            out.append(r)
    return out


def task_progress(store: Store, tid: str) -> list[dict[str, Any]]:
    """A task's progress notes, newest first."""
    rows = store.children("task_progress", tid)
    return sorted(rows, key=lambda r: (r.get("note_date") or "", r.get("id") or ""), reverse=True)


def record_title(store: Store, rtype: str, rid: str | None) -> str:
    """A linked record's title (a task's matter or agenda item), or ''."""
    rec = store.get(rtype, rid) if rid else None
    return store.title(record_type(rtype), rec) if rec else ""
