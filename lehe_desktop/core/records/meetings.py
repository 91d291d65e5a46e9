"""Co-governance meetings (共治会议, domain.md §7.1–7.3, §7.6): participants and agenda items."""

from __future__ import annotations

from typing import Any

from ..problems import Problem, error, warning
from . import people  # noqa: F401  (register the types referenced here first)
from .schema import Context, FieldSpec, Kind, Lookup, Privacy, RecordType, register
from .work import count, fetch, kids, label, time_checks, words

P = Privacy
F = FieldSpec

VOTE_FIELDS = ("votes_for", "votes_against", "votes_abstain")

# §7.6 (村民委员会组织法, 四议两公开): (numerator, denominator, strict) of the expected count.
QUORUM: dict[str, tuple[int, int, bool]] = {
    "rep_meeting": (2, 3, False),     # ≥ 2/3 of representatives
    "assembly": (1, 2, True),         # > 1/2 of adult villagers
    "party_members": (2, 3, False),   # ≥ 2/3 of Party members
}


def vote_total(r: dict[str, Any]) -> int:
    return sum(count(r.get(n)) for n in VOTE_FIELDS)


def quorum_met(meeting_type: str | None, expected: int, attended: int) -> bool | None:
    """None when the meeting type has no statutory quorum (joint meetings, 院坝会 …)."""
    rule = QUORUM.get(meeting_type or "")
    if rule is None or expected <= 0:
        return None
    num, den, strict = rule
    # Integer arithmetic: attended/expected compared with num/den without rounding.
    return attended * den > num * expected if strict else attended * den >= num * expected


def default_passed(votes_for: int | None, attended: int | None) -> bool | None:
    """The usual rule (domain.md §7.3): passed when more than half of those present vote for."""
    if votes_for is None or not attended:
        return None
    return votes_for * 2 > attended


def _meeting_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    problems = time_checks(r)
    expected, attended = count(r.get("expected_count")), count(r.get("attended_count"))
    if r.get("expected_count") is not None and attended > expected:
        problems.append(error("meeting.attended_exceeds", "attended_count",
                              f"实到人数（{attended}）不能多于应到人数（{expected}）",
                              f"Attended ({attended}) cannot exceed expected ({expected})"))
    elif quorum_met(r.get("meeting_type"), expected, attended) is False:
        num, den, strict = QUORUM[str(r["meeting_type"])]
        rule_zh = f"{'超过' if strict else '不少于'}应到人数的 {num}/{den}"
        rule_en = f"{'more than' if strict else 'at least'} {num}/{den} of those expected"
        problems.append(warning("meeting.quorum", "attended_count",
                                f"{label('meeting_type', r.get('meeting_type'))}须{rule_zh}出席方为有效"
                                f"（实到 {attended}/应到 {expected}）",
                                f"Below quorum: this meeting type needs {rule_en} "
                                f"({attended} of {expected} attended)"))
    if r.get("id") and r.get("attended_count") is not None:
        # Lowering the attendance must not leave an agenda item with more votes than voters.
        most = max((vote_total(a) for a in kids(ctx, "agenda_item", r["id"])), default=0)
        if most > attended:
            problems.append(error("meeting.attended_below_votes", "attended_count",
                                  f"已有议题的表决票数（{most}）多于实到人数（{attended}）",
                                  f"An agenda item already has {most} votes, more than {attended} attended"))
    if r.get("disclosed_on") and r.get("meeting_date") and str(r["disclosed_on"]) < str(r["meeting_date"]):
        problems.append(error("meeting.disclosed_order", "disclosed_on", "公开日期不能早于会议日期",
                              "The disclosure date cannot be before the meeting date"))
    return problems


def _meeting_title(r: dict[str, Any]) -> str:
    name = r.get("title") or label("meeting_type", r.get("meeting_type")) or words("会议", "Meeting")
    return f"{r.get('meeting_date') or ''} {name}".strip()


MEETING = register(RecordType(
    name="meeting", table="meetings", zh="共治会议", en="Co-governance meeting",
    fields=(
        F("meeting_type", Kind.VOCAB, "会议类型", "Meeting type", required=True, vocab="meeting_type",
          privacy=P.PUBLIC),
        F("title", Kind.TEXT, "会议名称", "Title", max_len=100, privacy=P.PUBLIC, searchable=True),
        F("area_id", Kind.REF, "村/组", "Village", required=True, ref="area", privacy=P.PUBLIC),
        F("group_name", Kind.TEXT, "村民小组", "Villager group", max_len=50, privacy=P.PUBLIC),
        F("meeting_date", Kind.DATE, "会议日期", "Date", required=True, privacy=P.PUBLIC),
        F("start_time", Kind.TEXT, "开始时间", "Start time", max_len=5, privacy=P.PUBLIC),
        F("end_time", Kind.TEXT, "结束时间", "End time", max_len=5, privacy=P.PUBLIC),
        F("venue", Kind.TEXT, "地点", "Venue", max_len=100, privacy=P.PUBLIC, searchable=True),
        F("convener", Kind.TEXT, "召集人", "Convener", max_len=100, privacy=P.IDENTIFYING),
        F("chair", Kind.TEXT, "主持人", "Chair", max_len=50, privacy=P.IDENTIFYING),
        F("recorder", Kind.TEXT, "记录人", "Recorder", max_len=50, privacy=P.IDENTIFYING),
        F("expected_count", Kind.INT, "应到人数", "Expected", required=True, privacy=P.PUBLIC,
          minimum=0, maximum=100000),
        F("attended_count", Kind.INT, "实到人数", "Attended", required=True, privacy=P.PUBLIC,
          minimum=0, maximum=100000),
        F("format", Kind.VOCAB, "会议形式", "Format", vocab="meeting_format", privacy=P.PUBLIC),
        F("minutes", Kind.LONGTEXT, "会议纪要", "Minutes", privacy=P.IDENTIFYING, searchable=True),
        F("status", Kind.VOCAB, "状态", "Status", vocab="meeting_status", privacy=P.PUBLIC),
        F("disclosure_channel", Kind.VOCAB, "公开渠道", "Disclosed via", vocab="disclosure_channel",
          privacy=P.PUBLIC),
        F("disclosed_on", Kind.DATE, "公开日期", "Disclosed on", privacy=P.PUBLIC),
        F("oversight_opinion", Kind.LONGTEXT, "监督意见", "Oversight opinion", privacy=P.IDENTIFYING),
    ),
    checks=(_meeting_checks,),
    title=_meeting_title,
    indexes=(("meeting_date",), ("area_id", "meeting_date")),
))


def _participant_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    if not r.get("member_id") and not r.get("name"):
        return [error("participant.person_required", "member_id", "请选择居民或填写姓名",
                      "Choose a resident or write a name")]
    return []


MEETING_PARTICIPANT = register(RecordType(
    name="meeting_participant", table="meeting_participants", zh="参会人", en="Participant",
    fields=(
        F("meeting_id", Kind.REF, "会议", "Meeting", required=True, ref="meeting", privacy=P.PUBLIC),
        F("member_id", Kind.REF, "居民", "Resident", ref="member", privacy=P.PUBLIC),
        F("name", Kind.NAME, "姓名", "Name", privacy=P.IDENTIFYING),
        F("org", Kind.TEXT, "所属组织", "Organisation", max_len=100, privacy=P.PUBLIC),
        F("post", Kind.TEXT, "职务", "Post", max_len=50, privacy=P.PUBLIC),
        F("role", Kind.VOCAB, "身份类别", "Role", required=True, vocab="participant_role", privacy=P.PUBLIC),
        F("represents", Kind.TEXT, "代表户数/小组", "Represents", max_len=100, privacy=P.PUBLIC),
        F("attendance", Kind.VOCAB, "出席情况", "Attendance", required=True, vocab="attendance_status",
          privacy=P.PUBLIC),
        F("signed", Kind.BOOL, "已签字", "Signed", privacy=P.PUBLIC),
    ),
    parent_field="meeting_id",
    checks=(_participant_checks,),
    indexes=(("meeting_id",), ("member_id",)),
))


def _agenda_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    votes = vote_total(r)
    meeting = fetch(ctx, "meeting", r.get("meeting_id"))
    attended = count(meeting.get("attended_count")) if meeting else None
    if attended is not None and votes > attended:
        problems.append(error("agenda.votes_exceed_attended", "votes_for",
                              f"同意、反对、弃权票数之和（{votes}）多于实到人数（{attended}）",
                              f"For + against + abstain ({votes}) exceeds the number who attended ({attended})"))
    if r.get("passed") == 1 and not r.get("resolution"):
        problems.append(error("agenda.resolution_required", "resolution", "议题已通过，请填写决议内容",
                              "The item passed: write down the resolution"))
    voted = r.get("votes_for") is not None and r.get("vote_method") not in ("consensus", "no_vote")
    if (voted and attended and r.get("passed") is not None and not problems
            and bool(r["passed"]) != default_passed(count(r.get("votes_for")), attended)):
        problems.append(warning("agenda.passed_mismatch", "passed",
                                "“是否通过”与票数不符（通常须超过实到人数的一半同意）",
                                "'Passed' does not match the votes (usually more than half of those "
                                "present must vote for)"))
    return problems


def _agenda_title(r: dict[str, Any], lookup: Lookup | None = None) -> str:
    text = words(f"议题{r.get('seq') or ''}：", f"Item {r.get('seq') or ''}: ") + str(r.get("topic") or "")
    getter = getattr(lookup, "get", None)
    mid = r.get("meeting_id")
    meeting = getter("meeting", mid) if getter and mid else None
    return f"{_meeting_title(meeting)} · {text}" if meeting else text


AGENDA_ITEM = register(RecordType(
    name="agenda_item", table="agenda_items", zh="议题", en="Agenda item",
    fields=(
        F("meeting_id", Kind.REF, "会议", "Meeting", required=True, ref="meeting", privacy=P.PUBLIC),
        F("seq", Kind.INT, "序号", "No.", required=True, privacy=P.PUBLIC, minimum=1, maximum=1000),
        # Topics and resolutions are published, but often name households ("同意王某户…"): not PUBLIC.
        F("topic", Kind.TEXT, "议题", "Topic", required=True, max_len=200, searchable=True),
        F("origin", Kind.VOCAB, "议题来源", "Origin", vocab="agenda_origin", privacy=P.PUBLIC),
        F("sanshi_class", Kind.VOCAB, "三事分流", "Three-way class", required=True, vocab="sanshi_class",
          privacy=P.PUBLIC),
        F("lehe_domain", Kind.VOCAB, "乐和领域", "Lehe domain", vocab="lehe_domain", privacy=P.PUBLIC),
        F("discussion", Kind.LONGTEXT, "讨论要点", "Discussion", privacy=P.IDENTIFYING, searchable=True),
        F("vote_method", Kind.VOCAB, "表决方式", "Voting method", vocab="vote_method", privacy=P.PUBLIC),
        F("votes_for", Kind.INT, "同意", "For", privacy=P.PUBLIC, minimum=0, maximum=100000),
        F("votes_against", Kind.INT, "反对", "Against", privacy=P.PUBLIC, minimum=0, maximum=100000),
        F("votes_abstain", Kind.INT, "弃权", "Abstain", privacy=P.PUBLIC, minimum=0, maximum=100000),
        F("passed", Kind.BOOL, "是否通过", "Passed", privacy=P.PUBLIC),
        F("resolution", Kind.LONGTEXT, "决议内容", "Resolution", searchable=True),
        F("resolution_type", Kind.VOCAB, "决议类型", "Resolution type", vocab="resolution_type",
          privacy=P.PUBLIC),
    ),
    parent_field="meeting_id",
    checks=(_agenda_checks,),
    title=_agenda_title,
    indexes=(("meeting_id", "seq"),),
    title_lookup=True,
))
