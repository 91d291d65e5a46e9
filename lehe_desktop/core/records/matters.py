"""The 三事分流 matters register and supervised tasks (督办), domain.md §1.5, §7.4, §7.6."""

from __future__ import annotations

from typing import Any

from ..problems import Problem, error, warning
from . import meetings, people, visits  # noqa: F401  (register the types referenced here first)
from .schema import Context, FieldSpec, Kind, Privacy, RecordType, link_type, register
from .vocab_seed import SANSHI_DEFAULT_BODIES
from .work import MATTER_CLOSED, date_before, fetch, label, words

P = Privacy
F = FieldSpec

SOURCE_TYPES = ("visit", "meeting", "direct")
# Labels for forms (a fixed list, not a vocabulary: the rules depend on these three values).
SOURCE_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "visit": ("入户走访", "Visit"), "meeting": ("会议议题", "Meeting agenda item"), "direct": ("直接登记", "Direct")}
MATTER_CLASSES = ("major", "minor", "private")


def source_type_of(r: dict[str, Any]) -> str:
    """The stated source, or the one implied by the links (a matter with no link is direct)."""
    if r.get("source_type"):
        return str(r["source_type"])
    if r.get("source_visit_id"):
        return "visit"
    if r.get("source_agenda_item_id"):
        return "meeting"
    return "direct"


def _body_mismatch(sanshi: Any, body: Any, field: str, code: str) -> list[Problem]:
    expected = SANSHI_DEFAULT_BODIES.get(str(sanshi))
    if not expected or not body or body in expected:
        return []
    names = "、".join(label("responsible_body", b) for b in expected)
    return [warning(code, field,
                    f"{label('sanshi_class', sanshi)}通常由{names}负责，"
                    f"此处为“{label('responsible_body', body)}”，请核对",
                    f"A {sanshi} matter is usually handled by {'/'.join(expected)}, not {body}")]


def _source_date(ctx: Context, r: dict[str, Any]) -> str | None:
    visit = fetch(ctx, "visit", r.get("source_visit_id"))
    if visit:
        return visit.get("visit_date")
    item = fetch(ctx, "agenda_item", r.get("source_agenda_item_id"))
    meeting = fetch(ctx, "meeting", item.get("meeting_id")) if item else None
    return meeting.get("meeting_date") if meeting else None


def _matter_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    if r.get("sanshi_class") not in MATTER_CLASSES:
        problems.append(error("matter.sanshi_class", "sanshi_class", "事项须划分为大事、小事或私事",
                              "A matter must be classed as major, minor or private"))
    stype = source_type_of(r)
    if stype not in SOURCE_TYPES:
        problems.append(error("matter.source_type", "source_type", "来源类型应为走访、会议或直接登记",
                              "The source type must be visit, meeting or direct"))
    else:
        wanted = {"visit": "source_visit_id", "meeting": "source_agenda_item_id"}.get(stype)
        links = [n for n in ("source_visit_id", "source_agenda_item_id") if r.get(n)]
        if wanted and wanted not in links:
            problems.append(error("matter.source_missing", wanted, "请选择事项来源的走访记录或会议议题",
                                  "Choose the visit or agenda item the matter came from"))
        elif any(n != wanted for n in links):
            problems.append(error("matter.source_mismatch", "source_type", "事项来源类型与关联的记录不一致",
                                  "The source type does not match the linked record"))
    source_date = _source_date(ctx, r)
    if source_date and r.get("raised_on") and str(r["raised_on"]) < str(source_date):
        problems.append(error("matter.raised_before_source", "raised_on",
                              f"登记日期不能早于来源走访或会议的日期（{source_date}）",
                              f"The matter cannot be raised before its source visit or meeting ({source_date})"))
    if date_before(r, "due_date", "raised_on"):
        problems.append(error("matter.due_order", "due_date", "办理时限不能早于登记日期",
                              "The due date cannot be before the date raised"))
    closed = r.get("status") in MATTER_CLOSED
    if closed and not r.get("closed_on"):
        problems.append(error("matter.closed_on_required", "closed_on", "事项已办结/终止，请填写办结日期",
                              "A closed matter needs the date it was closed"))
    if date_before(r, "closed_on", "raised_on"):
        problems.append(error("matter.closed_order", "closed_on", "办结日期不能早于登记日期",
                              "The closing date cannot be before the date raised"))
    if date_before(r, "published_on", "raised_on"):
        problems.append(error("matter.published_order", "published_on", "公示日期不能早于登记日期",
                              "The publication date cannot be before the date raised"))
    if r.get("closed_on") and not closed:
        problems.append(warning("matter.closed_on_open", "status", "已填写办结日期，但状态尚未办结",
                                "A closing date is set but the status is still open"))
    problems += _body_mismatch(r.get("sanshi_class"), r.get("responsible_body"), "responsible_body",
                               "matter.body_mismatch")
    return problems


def _matter_title(r: dict[str, Any]) -> str:
    text = " ".join(str(r.get("description") or "").split())
    short = text[:24] + ("…" if len(text) > 24 else "")
    return f"{r.get('raised_on') or ''} [{label('sanshi_class', r.get('sanshi_class'))}] {short}".strip()


def _derive_matter(r: dict[str, Any]) -> dict[str, Any]:
    return {} if r.get("source_type") else {"source_type": source_type_of(r)}


MATTER = register(RecordType(
    name="matter", table="matters", zh="三事分流事项", en="Matter (three-way sorting)",
    fields=(
        F("raised_on", Kind.DATE, "登记日期", "Raised on", required=True, privacy=P.PUBLIC),
        F("channel", Kind.VOCAB, "来源渠道", "Channel", required=True, vocab="matter_channel", privacy=P.PUBLIC),
        F("source_type", Kind.TEXT, "来源类型", "Source type", max_len=10, privacy=P.PUBLIC),
        F("source_visit_id", Kind.REF, "来源走访", "Source visit", ref="visit", privacy=P.PUBLIC),
        F("source_agenda_item_id", Kind.REF, "来源议题", "Source agenda item", ref="agenda_item",
          privacy=P.PUBLIC),
        F("raised_by", Kind.TEXT, "反映人", "Raised by", max_len=50, privacy=P.IDENTIFYING),
        F("area_id", Kind.REF, "所属村", "Village", ref="area", privacy=P.PUBLIC),
        F("topic_category", Kind.VOCAB, "事项类别", "Topic", required=True, vocab="matter_topic",
          privacy=P.PUBLIC),
        F("description", Kind.LONGTEXT, "事项描述", "Description", required=True, privacy=P.IDENTIFYING,
          searchable=True),
        F("sanshi_class", Kind.VOCAB, "三事分类", "Three-way class", required=True, vocab="sanshi_class",
          privacy=P.PUBLIC),
        F("classification_basis", Kind.TEXT, "分类依据", "Basis of classification", max_len=200),
        F("responsible_body", Kind.VOCAB, "责任主体", "Responsible body", vocab="responsible_body",
          privacy=P.PUBLIC),
        F("responsible_name", Kind.TEXT, "责任单位", "Responsible unit", max_len=100, privacy=P.PUBLIC),
        F("responsible_person", Kind.TEXT, "责任人", "Responsible person", max_len=50, privacy=P.IDENTIFYING),
        F("supervisor", Kind.TEXT, "监督人", "Supervisor", max_len=50, privacy=P.IDENTIFYING),
        F("due_date", Kind.DATE, "办理时限", "Due by", allow_future=True, privacy=P.PUBLIC),
        F("status", Kind.VOCAB, "状态", "Status", required=True, vocab="matter_status", privacy=P.PUBLIC),
        F("closed_on", Kind.DATE, "办结日期", "Closed on", privacy=P.PUBLIC),
        F("outcome", Kind.LONGTEXT, "办理结果", "Outcome", privacy=P.IDENTIFYING, searchable=True),
        F("satisfaction", Kind.VOCAB, "回访满意度", "Check-back satisfaction", vocab="matter_satisfaction",
          privacy=P.PUBLIC),
        F("published_on", Kind.DATE, "公示日期", "Published on", privacy=P.PUBLIC),
    ),
    checks=(_matter_checks,),
    title=_matter_title,
    indexes=(("status", "due_date"), ("raised_on",), ("source_visit_id",), ("source_agenda_item_id",)),
    derive=_derive_matter,
))

MATTER_HOUSEHOLD = link_type(
    "matter_household", "matter_households", "事项关联户", "Matter household",
    F("matter_id", Kind.REF, "事项", "Matter", required=True, ref="matter", privacy=P.PUBLIC),
    F("household_id", Kind.REF, "户", "Household", required=True, ref="household", privacy=P.PUBLIC))


def _task_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    if r.get("status") == "done" and not r.get("completed_on"):
        problems.append(error("task.completed_on_required", "completed_on", "任务已完成，请填写完成日期",
                              "A done task needs its completion date"))
    if r.get("completed_on") and r.get("status") not in ("done", None):
        problems.append(warning("task.completed_on_open", "status", "已填写完成日期，但状态不是“已完成”",
                                "A completion date is set but the status is not done"))
    if date_before(r, "due_date", "assigned_on"):
        problems.append(error("task.due_order", "due_date", "截止日期不能早于交办日期",
                              "The due date cannot be before the date assigned"))
    if date_before(r, "completed_on", "assigned_on"):
        problems.append(error("task.completed_order", "completed_on", "完成日期不能早于交办日期",
                              "The completion date cannot be before the date assigned"))
    if date_before(r, "result_published_on", "completed_on"):
        problems.append(error("task.published_order", "result_published_on", "结果公开日期不能早于完成日期",
                              "The result cannot be published before the task was done"))
    sanshi = None
    item = fetch(ctx, "agenda_item", r.get("agenda_item_id"))
    if item:
        sanshi = item.get("sanshi_class")
        meeting = fetch(ctx, "meeting", item.get("meeting_id"))
        if meeting and date_before({"a": r.get("due_date"), "b": meeting.get("meeting_date")}, "a", "b"):
            # domain.md §7.6 lists this among the warnings, not blocks.
            problems.append(warning("task.due_before_meeting", "due_date",
                                    f"截止日期早于交办会议的日期（{meeting.get('meeting_date')}）",
                                    f"The due date is before the meeting that set the task "
                                    f"({meeting.get('meeting_date')})"))
    matter = fetch(ctx, "matter", r.get("matter_id"))
    if matter:
        sanshi = sanshi or matter.get("sanshi_class")
        if date_before({"a": r.get("due_date"), "b": matter.get("raised_on")}, "a", "b"):
            problems.append(warning("task.due_before_matter", "due_date",
                                    f"截止日期早于事项登记日期（{matter.get('raised_on')}）",
                                    f"The due date is before the matter was raised ({matter.get('raised_on')})"))
    problems += _body_mismatch(sanshi, r.get("owner_body"), "owner_body", "task.body_mismatch")
    return problems


def _task_title(r: dict[str, Any]) -> str:
    due = r.get("due_date")
    return f"{r.get('title') or ''}" + (words(f"（{due} 前）", f" (by {due})") if due else "")


TASK = register(RecordType(
    name="task", table="tasks", zh="督办任务", en="Task",
    fields=(
        F("title", Kind.TEXT, "任务", "Task", required=True, max_len=200, privacy=P.ORDINARY, searchable=True),
        F("description", Kind.LONGTEXT, "任务说明", "Description", privacy=P.IDENTIFYING, searchable=True),
        F("owner", Kind.TEXT, "责任人", "Owner", required=True, max_len=50, privacy=P.IDENTIFYING),
        F("owner_org", Kind.TEXT, "责任单位", "Owner organisation", max_len=100, privacy=P.PUBLIC),
        F("owner_body", Kind.VOCAB, "责任主体", "Responsible body", vocab="responsible_body", privacy=P.PUBLIC),
        F("supervisor", Kind.TEXT, "督办人", "Supervisor", max_len=50, privacy=P.IDENTIFYING),
        F("assigned_on", Kind.DATE, "交办日期", "Assigned on", privacy=P.PUBLIC),
        F("due_date", Kind.DATE, "截止日期", "Due by", required=True, allow_future=True, privacy=P.PUBLIC),
        F("status", Kind.VOCAB, "状态", "Status", required=True, vocab="task_status", privacy=P.PUBLIC),
        F("matter_id", Kind.REF, "关联事项", "Matter", ref="matter", privacy=P.PUBLIC),
        F("agenda_item_id", Kind.REF, "关联议题", "Agenda item", ref="agenda_item", privacy=P.PUBLIC),
        F("completed_on", Kind.DATE, "完成日期", "Completed on", privacy=P.PUBLIC),
        F("result", Kind.LONGTEXT, "完成情况", "Result", privacy=P.IDENTIFYING),
        F("result_published_on", Kind.DATE, "结果公开日期", "Result published on", privacy=P.PUBLIC),
    ),
    checks=(_task_checks,),
    title=_task_title,
    indexes=(("due_date", "status"), ("matter_id",), ("agenda_item_id",)),
))

TASK_HOUSEHOLD = link_type(
    "task_household", "task_households", "任务关联户", "Task household",
    F("task_id", Kind.REF, "任务", "Task", required=True, ref="task", privacy=P.PUBLIC),
    F("household_id", Kind.REF, "户", "Household", required=True, ref="household", privacy=P.PUBLIC))

TASK_PROGRESS = register(RecordType(
    name="task_progress", table="task_progress", zh="进展记录", en="Progress note",
    fields=(
        F("task_id", Kind.REF, "任务", "Task", required=True, ref="task", privacy=P.PUBLIC),
        F("note_date", Kind.DATE, "日期", "Date", required=True, privacy=P.PUBLIC),
        F("note", Kind.LONGTEXT, "进展", "Progress", required=True, privacy=P.IDENTIFYING),
        F("noted_by", Kind.TEXT, "记录人", "By", max_len=50, privacy=P.IDENTIFYING),
    ),
    parent_field="task_id",
    indexes=(("task_id",),),
))
