"""Household visits (入户走访, domain.md §4.3–4.6) and their child rows."""

from __future__ import annotations

from typing import Any

from ..problems import Problem, error, warning
from . import people  # noqa: F401  (register the types referenced here first)
from .schema import Context, FieldSpec, Kind, Lookup, Privacy, RecordType, register
from .vocab_seed import NEED_DOMAIN_DIMENSIONS
from .work import date_before, fetch, label, member_household_check, time_checks, words

P = Privacy
F = FieldSpec


def _visit_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    problems = time_checks(r)
    if r.get("target_seen") == 0 and not r.get("not_seen_reason"):
        problems.append(error("visit.not_seen_reason_required", "not_seen_reason",
                              "未见到服务对象时请填写未见原因",
                              "Give the reason when the person was not seen"))
    if r.get("follow_up_needed") == 1 and not r.get("next_visit_date"):
        problems.append(error("visit.next_visit_required", "next_visit_date",
                              "需要跟进时请填写下次走访日期",
                              "A next visit date is required when follow-up is needed"))
    if date_before(r, "next_visit_date", "visit_date"):
        problems.append(error("visit.next_visit_order", "next_visit_date",
                              "下次走访日期不能早于本次走访日期",
                              "The next visit date cannot be before this visit's date"))
    if r.get("risk_level") == "high" and r.get("follow_up_needed") == 0:
        problems.append(warning("visit.high_risk_no_follow_up", "follow_up_needed",
                                "风险等级为“高”，但未安排跟进（高风险应在 24–72 小时内处置或转介）",
                                "Risk is high but no follow-up is planned (act or refer within 24–72 h)"))
    if r.get("immediate_safety_concern") == 1 and r.get("risk_level") in ("low", "none"):
        problems.append(warning("visit.safety_vs_risk", "risk_level",
                                "存在即时安全隐患，但风险等级为低或无，请核对",
                                "An immediate safety concern is recorded but the risk level is low or none"))
    return problems


def _visit_title(r: dict[str, Any], lookup: Lookup | None = None) -> str:
    title = f"{r.get('visit_date') or ''} {label('visit_type', r.get('visit_type')) or words('走访', 'Visit')}".strip()
    hid = r.get("household_id")
    getter = getattr(lookup, "get", None)
    household = getter("household", hid) if getter and hid else None
    if household and household.get("head_name"):
        head = household["head_name"]
        title += words(f" · {head}户", f" · {head} household")
    return title


VISIT = register(RecordType(
    name="visit", table="visits", zh="走访记录", en="Household visit",
    fields=(
        F("household_id", Kind.REF, "户", "Household", required=True, ref="household", privacy=P.PUBLIC),
        F("visit_date", Kind.DATE, "走访日期", "Visit date", required=True),
        F("start_time", Kind.TEXT, "开始时间", "Start time", max_len=5, privacy=P.PUBLIC),
        F("end_time", Kind.TEXT, "结束时间", "End time", max_len=5, privacy=P.PUBLIC),
        F("visit_type", Kind.VOCAB, "走访类型", "Visit type", required=True, vocab="visit_type",
          privacy=P.PUBLIC),
        F("purpose", Kind.TEXT, "走访目的", "Purpose", max_len=200, searchable=True),
        F("target_seen", Kind.BOOL, "是否见到服务对象", "Person seen", required=True),
        F("not_seen_reason", Kind.VOCAB, "未见原因", "Reason not seen", vocab="not_seen_reason"),
        F("situation", Kind.LONGTEXT, "基本情况及变化", "Situation and changes", required=True,
          privacy=P.SENSITIVE, searchable=True),
        F("living_conditions", Kind.LONGTEXT, "居住环境观察", "Living conditions", privacy=P.SENSITIVE),
        F("strengths", Kind.LONGTEXT, "优势与资源", "Strengths and resources", privacy=P.SENSITIVE),
        F("risk_level", Kind.VOCAB, "风险等级", "Risk level", required=True, vocab="risk_level",
          privacy=P.SENSITIVE),
        F("immediate_safety_concern", Kind.BOOL, "即时安全隐患", "Immediate safety concern",
          privacy=P.SENSITIVE),
        F("risk_rationale", Kind.LONGTEXT, "风险评估说明", "Risk rationale", privacy=P.SENSITIVE),
        F("actions_taken", Kind.LONGTEXT, "本次处理", "Actions taken", privacy=P.SENSITIVE, searchable=True),
        F("follow_up_needed", Kind.BOOL, "是否需要跟进", "Follow-up needed", required=True),
        F("next_visit_date", Kind.DATE, "下次走访日期", "Next visit by", allow_future=True),
        F("follow_up_plan", Kind.LONGTEXT, "跟进计划", "Follow-up plan", privacy=P.SENSITIVE),
        F("follow_up_owner", Kind.TEXT, "跟进负责人", "Follow-up owner", max_len=50, privacy=P.IDENTIFYING),
        F("respondent_confirmed", Kind.BOOL, "受访人已确认", "Respondent confirmed"),
        F("confirm_method", Kind.VOCAB, "确认方式", "Confirmation method", vocab="confirm_method"),
        F("author", Kind.TEXT, "记录人", "Recorded by", max_len=50, privacy=P.IDENTIFYING),
    ),
    checks=(_visit_checks,),
    title=_visit_title,
    indexes=(("household_id", "visit_date"), ("visit_date",), ("next_visit_date",)),
    title_lookup=True,
))

VISIT_VISITOR = register(RecordType(
    name="visit_visitor", table="visit_visitors", zh="走访人员", en="Visitor",
    fields=(
        F("visit_id", Kind.REF, "走访记录", "Visit", required=True, ref="visit", privacy=P.PUBLIC),
        F("name", Kind.NAME, "姓名", "Name", required=True, privacy=P.IDENTIFYING),
        F("role", Kind.VOCAB, "身份", "Role", required=True, vocab="visitor_role", privacy=P.PUBLIC),
    ),
    parent_field="visit_id",
    natural_key=("visit_id", "name"),
    title=lambda r: r.get("name") or "",
    indexes=(("visit_id",),),
))


def _present_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    return member_household_check(r, ctx, "visit", "visit_id")


VISIT_MEMBER_PRESENT = register(RecordType(
    name="visit_member_present", table="visit_members_present", zh="在场成员", en="Member present",
    fields=(
        F("visit_id", Kind.REF, "走访记录", "Visit", required=True, ref="visit", privacy=P.PUBLIC),
        F("member_id", Kind.REF, "成员", "Member", required=True, ref="member", privacy=P.PUBLIC),
    ),
    parent_field="visit_id",
    natural_key=("visit_id", "member_id"),
    checks=(_present_checks,),
    indexes=(("visit_id",), ("member_id",)),
))


def _need_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    problems = member_household_check(r, ctx, "visit", "visit_id")
    usual = NEED_DOMAIN_DIMENSIONS.get(str(r.get("need_domain")), ())
    if usual and r.get("lehe_dimension") not in usual:
        names = "/".join(label("lehe_dimension", d) for d in usual)
        problems.append(warning("need.dimension_mismatch", "lehe_dimension",
                                f"该需求领域通常属于“{names}”维度，请核对",
                                f"This need domain usually belongs to the {'/'.join(usual)} dimension"))
    return problems


VISIT_NEED = register(RecordType(
    name="visit_need", table="visit_needs", zh="需求", en="Need",
    fields=(
        F("visit_id", Kind.REF, "走访记录", "Visit", required=True, ref="visit", privacy=P.PUBLIC),
        F("member_id", Kind.REF, "成员（空为全户）", "Member (empty: whole household)", ref="member",
          privacy=P.PUBLIC),
        F("lehe_dimension", Kind.VOCAB, "乐和维度", "Lehe dimension", required=True, vocab="lehe_dimension",
          privacy=P.PUBLIC),
        F("need_domain", Kind.VOCAB, "需求领域", "Need domain", required=True, vocab="need_domain",
          privacy=P.SENSITIVE),
        F("description", Kind.LONGTEXT, "具体描述", "Description", required=True, privacy=P.SENSITIVE,
          searchable=True),
        F("expressed_by", Kind.VOCAB, "来源", "Expressed by", vocab="need_source"),
        F("urgency", Kind.VOCAB, "紧迫程度", "Urgency", required=True, vocab="urgency", privacy=P.SENSITIVE),
        F("status", Kind.VOCAB, "状态", "Status", required=True, vocab="need_status", privacy=P.PUBLIC),
        F("sanshi_class", Kind.VOCAB, "三事分流", "Three-way class", vocab="sanshi_class", privacy=P.PUBLIC),
    ),
    parent_field="visit_id",
    checks=(_need_checks,),
    title=lambda r: words("需求：", "Need: ") + label("need_domain", r.get("need_domain")),
    indexes=(("visit_id",), ("member_id",), ("status",)),
))

VISIT_RISK_FACTOR = register(RecordType(
    name="visit_risk_factor", table="visit_risk_factors", zh="风险因素", en="Risk factor",
    fields=(
        F("visit_id", Kind.REF, "走访记录", "Visit", required=True, ref="visit", privacy=P.PUBLIC),
        F("risk_factor", Kind.VOCAB, "风险因素", "Risk factor", required=True, vocab="risk_factor",
          privacy=P.SENSITIVE),
        F("note", Kind.TEXT, "说明", "Note", max_len=200, privacy=P.SENSITIVE),
    ),
    parent_field="visit_id",
    natural_key=("visit_id", "risk_factor"),
    indexes=(("visit_id",), ("risk_factor",)),
))


def _service_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    if not r.get("policy_info") and not r.get("service_text"):
        return [error("visit_service.empty", "service_text", "请选择宣传的政策或填写提供的服务",
                      "Choose the policy explained or describe the service given")]
    return []


VISIT_SERVICE = register(RecordType(
    name="visit_service", table="visit_services", zh="服务与政策宣传", en="Service given",
    fields=(
        F("visit_id", Kind.REF, "走访记录", "Visit", required=True, ref="visit", privacy=P.PUBLIC),
        F("policy_info", Kind.VOCAB, "政策宣传", "Policy information", vocab="policy_info", privacy=P.PUBLIC),
        F("service_text", Kind.TEXT, "提供的服务", "Service given", max_len=200),
    ),
    parent_field="visit_id",
    checks=(_service_checks,),
    indexes=(("visit_id",),),
))


def _referral_checks(r: dict[str, Any], ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    if date_before(r, "feedback_on", "referred_on"):
        problems.append(error("referral.feedback_order", "feedback_on", "反馈日期不能早于转介日期",
                              "The feedback date cannot be before the referral date"))
    visit = fetch(ctx, "visit", r.get("visit_id"))
    if visit and date_before({"a": r.get("referred_on"), "b": visit.get("visit_date")}, "a", "b"):
        problems.append(error("referral.before_visit", "referred_on", "转介日期不能早于走访日期",
                              "The referral date cannot be before the visit date"))
    if r.get("consent_to_share") == 0:
        problems.append(warning("referral.no_consent", "consent_to_share",
                                "服务对象未同意共享信息：转介时只能提供必要的最少信息",
                                "No consent to share: pass on only the minimum necessary"))
    return problems


VISIT_REFERRAL = register(RecordType(
    name="visit_referral", table="visit_referrals", zh="转介", en="Referral",
    fields=(
        F("visit_id", Kind.REF, "走访记录", "Visit", required=True, ref="visit", privacy=P.PUBLIC),
        F("to_org_type", Kind.VOCAB, "转介去向", "Referred to", required=True, vocab="referral_target",
          privacy=P.PUBLIC),
        F("to_org_name", Kind.TEXT, "机构名称", "Organisation", max_len=100),
        F("contact", Kind.TEXT, "联系人/电话", "Contact", max_len=100, privacy=P.IDENTIFYING),
        F("reason", Kind.LONGTEXT, "转介原因", "Reason", required=True, privacy=P.SENSITIVE),
        F("sanshi_class", Kind.VOCAB, "三事分流", "Three-way class", vocab="sanshi_class", privacy=P.PUBLIC),
        F("consent_to_share", Kind.BOOL, "同意共享信息", "Consent to share", required=True),
        F("referred_on", Kind.DATE, "转介日期", "Referred on", required=True),
        F("status", Kind.VOCAB, "状态", "Status", required=True, vocab="referral_status", privacy=P.PUBLIC),
        F("feedback_on", Kind.DATE, "反馈日期", "Feedback on"),
        F("outcome", Kind.LONGTEXT, "结果", "Outcome", privacy=P.SENSITIVE),
    ),
    parent_field="visit_id",
    checks=(_referral_checks,),
    title=lambda r: words("转介：", "Referral: ") + label("referral_target", r.get("to_org_type")),
    indexes=(("visit_id",), ("status",)),
))
