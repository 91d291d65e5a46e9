"""What goes on a printed page, as plain data: meeting minutes, a visit record, a public board.

Qt-free: each ``*_document`` function reads the store and returns a ``PrintDoc`` (title, blocks
of label/value pairs, tables, paragraphs and a signature block) in Chinese or English. The
desktop renders it (gui/printing.py) for print preview, the printer and PDF; the command line
``lehe-desktop --pdf OUT.pdf --print minutes|visit|board`` uses the same documents.

The public board (三事分流公示栏, domain.md §1.5) lists a village's open major and minor matters
with the basis of classification, the responsible body and person, the supervisor and the time
limit. Private matters (私事) are personal affairs and never posted.

Error codes: print.kind (exit 2), print.meeting_not_found, print.visit_not_found,
print.area_not_found (exit 5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .errors import NotFoundError, UsageError
from .ids import area_id, normalise_area_path
from .records.schema import FieldSpec, Kind, record_type
from .records.work import MATTER_CLOSED
from .store.store import Store
from .tracking import is_overdue

KINDS = ("minutes", "visit", "board")


@dataclass(frozen=True)
class Block:
    """One part of a page. ``kind``: heading, fields, text, table, signatures or note."""

    kind: str
    title: str = ""
    text: str = ""
    pairs: tuple[tuple[str, str], ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[int, ...] = ()        # relative column widths of a table (optional)


@dataclass(frozen=True)
class PrintDoc:
    title: str
    subtitle: str = ""
    blocks: tuple[Block, ...] = ()
    footer: str = ""
    landscape: bool = False
    lang: str = "zh"
    meta: dict[str, str] = field(default_factory=dict)

    def plain_text(self) -> str:
        """Every word on the page, for tests and a quick look."""
        out = [self.title, self.subtitle]
        for b in self.blocks:
            out += [b.title, b.text, *(f"{k} {v}" for k, v in b.pairs), " ".join(b.headers)]
            out += [" ".join(r) for r in b.rows]
        out.append(self.footer)
        return "\n".join(t for t in out if t)


def _t(lang: str, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def _value(store: Store, spec: FieldSpec, value: Any, lang: str) -> str:
    if value is None or value == "":
        return ""
    if spec.kind is Kind.VOCAB and spec.vocab:
        return store.vocab_label(spec.vocab, str(value), lang)
    if spec.kind is Kind.BOOL:
        return _t(lang, "是", "Yes") if value else _t(lang, "否", "No")
    if spec.kind is Kind.REF and spec.ref == "area":
        return store.area_path(str(value))
    if spec.kind is Kind.REF and spec.ref:
        rec = store.get(spec.ref, str(value))
        return store.title(record_type(spec.ref), rec) if rec else ""
    return str(value)


def _label(spec: FieldSpec, lang: str) -> str:
    return _t(lang, spec.zh, spec.en)


def _pairs(store: Store, rtype: str, rec: dict[str, Any], names: Iterable[str], lang: str,
           *, keep_empty: bool = False) -> tuple[tuple[str, str], ...]:
    rt = record_type(rtype)
    out = []
    for name in names:
        spec = rt.field(name)
        text = _value(store, spec, rec.get(name), lang)
        if text or keep_empty:
            out.append((_label(spec, lang), text))
    return tuple(out)


def _table(store: Store, rtype: str, rows: list[dict[str, Any]], names: Iterable[str], lang: str,
           title: str = "", extra: tuple[str, ...] = ()) -> Block:
    rt = record_type(rtype)
    cols = list(names)
    headers = tuple(_label(rt.field(n), lang) for n in cols) + extra
    body = tuple(tuple(_value(store, rt.field(n), r.get(n), lang) for n in cols) + ("",) * len(extra)
                 for r in rows)
    return Block("table", title=title or _t(lang, rt.zh, rt.en), headers=headers, rows=body)


def _printed_on(store: Store, lang: str) -> str:
    day = (store.today or date.today()).isoformat()
    return _t(lang, f"打印日期：{day}", f"Printed on {day}")


# ---------------------------------------------------------------- minutes

_MEETING_FIELDS = ("meeting_type", "area_id", "group_name", "meeting_date", "start_time", "end_time", "venue",
                   "format", "convener", "chair", "recorder", "expected_count", "attended_count", "status")
_AGENDA_FIELDS = ("origin", "sanshi_class", "lehe_domain", "discussion", "vote_method")
_AGENDA_AFTER = ("passed", "resolution", "resolution_type")
_CN_NUMBERS = "一二三四五六七八九十"


def _seq_name(n: int, lang: str) -> str:
    if lang == "en":
        return f"Item {n}"
    return f"议题{_CN_NUMBERS[n - 1]}" if 1 <= n <= 10 else f"议题{n}"


def minutes_document(store: Store, meeting_id: str, lang: str = "zh") -> PrintDoc:
    """会议纪要: the meeting, its participants, each agenda item with votes and resolution, the
    matters and tasks raised from it, the minutes text, and the signature block (domain.md §2.2)."""
    meeting = store.get("meeting", meeting_id)
    if meeting is None:
        raise NotFoundError("print.meeting_not_found", f"找不到会议：{meeting_id}", f"No such meeting: {meeting_id}")
    blocks: list[Block] = [Block("fields", pairs=_pairs(store, "meeting", meeting, _MEETING_FIELDS, lang))]
    expected, attended = meeting.get("expected_count") or 0, meeting.get("attended_count") or 0
    if expected:
        ratio = f"{attended * 100 / expected:.0f}%"
        blocks.append(Block("note", text=_t(lang, f"到会比例：{ratio}（应到 {expected} 人，实到 {attended} 人）",
                                            f"Attendance: {ratio} ({attended} of {expected})")))
    people = store.children("meeting_participant", meeting_id)
    for p in people:
        if not p.get("name") and p.get("member_id"):
            member = store.get("member", p["member_id"])
            p["name"] = member.get("name") if member else ""
    if people:
        blocks.append(_table(store, "meeting_participant", people, ("name", "role", "org", "post", "attendance"),
                             lang, title=_t(lang, "参会人员", "Participants"), extra=(_t(lang, "签字", "Signature"),)))
    items = sorted(store.children("agenda_item", meeting_id), key=lambda r: (r.get("seq") or 0, r["id"]))
    for n, item in enumerate(items, 1):
        blocks.append(Block("heading", title=f"{_seq_name(item.get('seq') or n, lang)}：{item.get('topic') or ''}"))
        pairs = _pairs(store, "agenda_item", item, _AGENDA_FIELDS, lang)
        if any(item.get(n) is not None for n in ("votes_for", "votes_against", "votes_abstain")):
            f, a, b = (item.get(n) or 0 for n in ("votes_for", "votes_against", "votes_abstain"))
            pairs += ((_t(lang, "表决结果", "Votes"),
                       _t(lang, f"同意 {f} 票，反对 {a} 票，弃权 {b} 票", f"for {f}, against {a}, abstain {b}")),)
        pairs += _pairs(store, "agenda_item", item, _AGENDA_AFTER, lang)
        blocks.append(Block("fields", pairs=pairs))
        raised = _raised_from(store, item["id"], lang)
        if raised:
            blocks.append(raised)
    if meeting.get("minutes"):
        blocks.append(Block("text", title=_t(lang, "会议记录", "Minutes"), text=str(meeting["minutes"])))
    after = _pairs(store, "meeting", meeting, ("disclosure_channel", "disclosed_on", "oversight_opinion"), lang)
    if after:
        blocks.append(Block("fields", title=_t(lang, "公开与监督", "Disclosure and oversight"), pairs=after))
    blocks.append(Block("signatures", title=_t(lang, "签字", "Signatures"), pairs=(
        (_t(lang, "主持人签字", "Chair"), str(meeting.get("chair") or "")),
        (_t(lang, "记录人签字", "Recorder"), str(meeting.get("recorder") or "")),
        (_t(lang, "参会人员签字", "Participants"), ""),
        (_t(lang, "乡镇参会人员签字（注明职务）", "Township attendees (with post)"), ""),
        (_t(lang, "日期", "Date"), ""),
    )))
    title = meeting.get("title") or store.vocab_label("meeting_type", meeting.get("meeting_type"), lang)
    return PrintDoc(title=_t(lang, "会议纪要", "Meeting minutes"),
                    subtitle=f"{title} · {meeting.get('meeting_date') or ''}", blocks=tuple(blocks),
                    footer=_printed_on(store, lang), lang=lang, meta={"kind": "minutes", "id": meeting_id})


def _raised_from(store: Store, item_id: str, lang: str) -> Block | None:
    """Matters and tasks raised from an agenda item (one table)."""
    rows: list[tuple[str, ...]] = []
    for m in store.query_dicts("SELECT description, sanshi_class, responsible_person, due_date FROM matters "
                               "WHERE source_agenda_item_id = ? AND deleted = 0 ORDER BY rowid", [item_id]):
        rows.append((_t(lang, "事项", "Matter"), str(m["description"] or ""),
                     str(m["responsible_person"] or ""), str(m["due_date"] or "")))
    for t in store.query_dicts("SELECT title, owner, due_date FROM tasks WHERE agenda_item_id = ? AND deleted = 0 "
                               "ORDER BY rowid", [item_id]):
        rows.append((_t(lang, "督办任务", "Task"), str(t["title"] or ""), str(t["owner"] or ""),
                     str(t["due_date"] or "")))
    if not rows:
        return None
    return Block("table", title=_t(lang, "落实", "Follow-through"),
                 headers=(_t(lang, "类别", "Kind"), _t(lang, "内容", "What"), _t(lang, "责任人", "Owner"),
                          _t(lang, "时限", "Due by")), rows=tuple(rows), widths=(1, 5, 2, 2))


# ---------------------------------------------------------------- visit record

_VISIT_FIELDS = ("visit_date", "start_time", "end_time", "visit_type", "purpose", "target_seen", "not_seen_reason",
                 "situation", "living_conditions", "strengths", "risk_level", "immediate_safety_concern",
                 "risk_rationale", "actions_taken", "follow_up_needed", "next_visit_date", "follow_up_plan",
                 "follow_up_owner", "respondent_confirmed", "confirm_method", "author")


def visit_document(store: Store, visit_id: str, lang: str = "zh") -> PrintDoc:
    """入户走访记录: the visit with its visitors, members present, needs, risk factors, services and
    referrals, and the signature lines of the visitor, the respondent and the village."""
    visit = store.get("visit", visit_id)
    if visit is None:
        raise NotFoundError("print.visit_not_found", f"找不到走访记录：{visit_id}", f"No such visit: {visit_id}")
    household = store.get("household", visit["household_id"]) or {}
    head = household.get("head_name") or ""
    where = " · ".join(t for t in (store.area_path(household.get("area_id")), household.get("group_name"),
                                   household.get("address")) if t)
    blocks: list[Block] = [Block("fields", pairs=(
        (_t(lang, "户主", "Head of household"), str(head)), (_t(lang, "住址", "Address"), where)))]
    blocks.append(Block("fields", pairs=_pairs(store, "visit", visit, _VISIT_FIELDS, lang)))
    present = [store.get("member", p["member_id"]) for p in store.children("visit_member_present", visit_id)]
    names = [str(m["name"]) for m in present if m]
    if names:
        blocks.append(Block("fields", pairs=((_t(lang, "在场成员", "Members present"), "、".join(names)),)))
    risks = [store.vocab_label("risk_factor", r["risk_factor"], lang)
             for r in store.children("visit_risk_factor", visit_id)]
    if risks:
        blocks.append(Block("fields", pairs=((_t(lang, "风险因素", "Risk factors"), "、".join(risks)),)))
    for rtype, cols in (("visit_visitor", ("name", "role")),
                        ("visit_need", ("lehe_dimension", "need_domain", "description", "urgency", "status")),
                        ("visit_service", ("policy_info", "service_text")),
                        ("visit_referral", ("to_org_type", "to_org_name", "reason", "referred_on", "status"))):
        rows = store.children(rtype, visit_id)
        if rows:
            blocks.append(_table(store, rtype, rows, cols, lang))
    blocks.append(Block("signatures", title=_t(lang, "签字", "Signatures"), pairs=(
        (_t(lang, "走访人签字", "Visitor"), ""),
        (_t(lang, "受访人签字或按手印", "Respondent (signature or thumbprint)"), ""),
        (_t(lang, "村（居）委会签字", "Village committee"), ""),
        (_t(lang, "日期", "Date"), ""),
    )))
    return PrintDoc(title=_t(lang, "入户走访记录", "Household visit record"),
                    subtitle=_t(lang, f"{head}户 · {visit.get('visit_date') or ''}",
                                f"{head} household · {visit.get('visit_date') or ''}"),
                    blocks=tuple(blocks), footer=_printed_on(store, lang), lang=lang,
                    meta={"kind": "visit", "id": visit_id})


# ---------------------------------------------------------------- public board

def find_area(store: Store, path: str) -> str:
    """The id of the area with this slash path; refused with print.area_not_found."""
    norm = normalise_area_path(path)
    aid = area_id(norm) if norm else ""
    if not aid or store.get("area", aid) is None:
        raise NotFoundError("print.area_not_found", f"找不到地区：{path}", f"No such area: {path}")
    return aid


def board_document(store: Store, area_path: str, lang: str = "zh", *, today: date | None = None) -> PrintDoc:
    """三事分流事项公示栏 of one village: its open major and minor matters, nearest time limit first."""
    aid = find_area(store, area_path)
    path = store.area_path(aid)
    day = (today or store.today or date.today()).isoformat()
    closed = ", ".join("?" * len(MATTER_CLOSED))
    like = path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%"
    rows = store.query_dicts(
        "SELECT m.raised_on, m.topic_category, m.description, m.sanshi_class, m.classification_basis, "
        "m.responsible_body, m.responsible_name, m.responsible_person, m.supervisor, m.due_date, m.status "
        "FROM matters m JOIN areas a ON a.id = m.area_id "
        f"WHERE m.deleted = 0 AND m.status NOT IN ({closed}) AND m.sanshi_class IN ('major', 'minor') "
        "AND (a.id = ? OR a.path LIKE ? ESCAPE '\\') "
        "ORDER BY m.due_date IS NULL, m.due_date, m.raised_on, m.rowid", [*MATTER_CLOSED, aid, like])
    spec = record_type("matter")
    body = []
    for n, r in enumerate(rows, 1):
        late = is_overdue(r["status"], r["due_date"], day)
        status = _value(store, spec.field("status"), r["status"], lang)
        if late and r["status"] != "overdue":
            status += _t(lang, "（逾期）", " (overdue)")
        body_label = _value(store, spec.field("responsible_body"), r["responsible_body"], lang)
        name = str(r["responsible_name"] or "")
        responsible = " ".join(t for t in (body_label, name if name != body_label else "") if t)
        body.append((str(n), str(r["raised_on"] or ""),
                     _value(store, spec.field("topic_category"), r["topic_category"], lang),
                     str(r["description"] or ""),
                     _value(store, spec.field("sanshi_class"), r["sanshi_class"], lang),
                     str(r["classification_basis"] or ""), responsible, str(r["responsible_person"] or ""),
                     str(r["supervisor"] or ""), str(r["due_date"] or ""), status))
    headers = (_t(lang, "序号", "No."), _label(spec.field("raised_on"), lang), _label(spec.field("topic_category"), lang),
               _t(lang, "事项", "Matter"), _t(lang, "分类", "Class"), _label(spec.field("classification_basis"), lang),
               _label(spec.field("responsible_body"), lang), _label(spec.field("responsible_person"), lang),
               _label(spec.field("supervisor"), lang), _label(spec.field("due_date"), lang),
               _label(spec.field("status"), lang))
    blocks = [Block("note", text=_t(lang, "大事政府办 · 小事村民办 · 私事自己办。本栏公示正在办理的大事、小事；"
                                          "私事属个人事项，不予公示。逾期未办结的事项标明“逾期”，并向群众说明原因。",
                                    "Major matters: the government; minor matters: the village; private matters: "
                                    "the family. Open major and minor matters are listed; private matters are not "
                                    "posted. Late matters are marked overdue and explained."))]
    if body:
        blocks.append(Block("table", headers=headers, rows=tuple(body), widths=(3, 8, 7, 22, 4, 10, 11, 6, 6, 8, 9)))
    else:
        blocks.append(Block("text", text=_t(lang, "目前没有正在办理的大事、小事。", "No open major or minor matters.")))
    blocks.append(Block("signatures", pairs=((_t(lang, "监督人", "Supervisor"), ""),
                                             (_t(lang, "监督电话", "Supervision phone"), ""))))
    return PrintDoc(title=_t(lang, "三事分流事项公示栏", "Three-way sorting: public board of matters"),
                    subtitle=_t(lang, f"{path} · 公示日期：{day}", f"{path} · posted {day}"),
                    blocks=tuple(blocks), footer=_t(lang, f"共 {len(body)} 项", f"{len(body)} matter(s)"),
                    landscape=True, lang=lang, meta={"kind": "board", "area": path})


def document(store: Store, kind: str, key: str, lang: str = "zh") -> PrintDoc:
    """One of the printable documents by kind: minutes (meeting id), visit (visit id), board (area path)."""
    if kind == "minutes":
        return minutes_document(store, key, lang)
    if kind == "visit":
        return visit_document(store, key, lang)
    if kind == "board":
        return board_document(store, key, lang)
    raise UsageError("print.kind", f"未知的打印类型：{kind}（可选 minutes、visit、board）",
                     f"Unknown print kind: {kind} (minutes, visit or board)")
