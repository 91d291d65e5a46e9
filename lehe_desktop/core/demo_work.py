"""Demo data for the Lehe work: visits, activities, meetings, matters and tasks.

One of demo.py's ``DEMO_STEPS``, so it runs after households and members exist and
everything refers to them: visits go to demo households, attendance and participants are
demo residents, matters come from visits and agenda items, tasks from agenda items and
matters. Dates are relative to the demo's "today", so there are always overdue and
upcoming follow-ups and tasks. Rows are built already clean and written with
``bulk_create(validated=True)`` for speed; tests re-validate every row against the rules.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from .demo_base import DemoContext, person_name
from .ids import uuid7
from .records.vocab_seed import NEED_DOMAIN_DIMENSIONS, SANSHI_DEFAULT_BODIES

Row = dict[str, Any]

# ----------------------------------------------------------------- text templates

NEEDS: list[tuple[str, str, str]] = [  # (need_domain, description, sanshi_class)
    ("health", "老人高血压，需定期测量血压、按时服药", "private"),
    ("health", "腿脚不便，希望村医上门复查", "minor"),
    ("daily_care", "独自在家，做饭洗衣有困难，需要邻里帮忙照看", "minor"),
    ("basic_living", "家庭收入低，咨询低保申请条件", "major"),
    ("benefits", "高龄津贴尚未到账，需要帮助查询", "major"),
    ("housing", "房屋漏雨，墙体有裂缝，需申请危房鉴定", "major"),
    ("education", "孩子作业无人辅导，希望参加四点半课堂", "minor"),
    ("emotional", "子女长期外出，老人情绪低落，需要陪伴聊天", "private"),
    ("family", "婆媳关系紧张，希望社工协助沟通", "private"),
    ("livelihood", "想学养殖技术，增加家庭收入", "minor"),
    ("social_support", "与邻居因排水沟问题有矛盾，希望互助会调解", "minor"),
    ("cultural_spiritual", "愿意参加坝坝舞和节气活动", "not_applicable"),
]
SITUATIONS = [
    "户主{head}在家，身体状况尚可，能自理。家中{n}人，{away}人外出务工。本次主要了解近期生活情况。",
    "见到户主{head}，精神状态一般，自述近来睡眠不好。家中{n}人，子女在外，平时电话联系较少。",
    "户主{head}正在地里干活，交谈约二十分钟。家中{n}人，收入主要靠种植和务工，今年收成一般。",
    "走访时户主{head}与家人在家。家中{n}人，{away}人外出。房屋为自建房，院坝整洁，用电用水正常。",
    "户主{head}反映近期看病花费较多。家中{n}人，慢性病需长期服药，医保报销后仍有压力。",
]
ACTIONS = ["讲解了医保报销政策", "协助联系村医上门", "登记需求，拟提交联席会讨论", "告知互助会志愿者定期探望",
           "留下社工站联系电话"]
PURPOSES = ["了解近期生活情况", "跟进上次反映的问题", "节前慰问", "核查政策享受情况", "评估照护需求"]
NOT_SEEN = ["working_away", "in_hospital", "visiting_relatives", "no_one_home"]
RISK_FACTORS = {"high": ["alone_no_carer", "illness_untreated", "unsafe_housing", "no_food"],
                "medium": ["alone_no_carer", "sudden_expense", "dispute_escalating", "dependent_no_carer"]}
REFERRALS = [("health", "卫生院", "需要上门诊疗和慢病随访"), ("township_gov", "白鹿镇民政办", "申请临时救助"),
             ("mutual_aid", "乐和互助会", "安排邻里互助照看"), ("disabled_federation", "县残联", "办理残疾人补贴")]

ACTIVITIES: list[tuple[str, str, str, str]] = [  # (category, title, venue_type, venue)
    ("classics", "国学课堂：《弟子规》诵读", "lehe_courtyard", "乐和大院"),
    ("solar_term", "节气活动：欢聚冬至包饺子", "lehe_courtyard", "乐和大院"),
    ("festival", "重阳敬老宴", "village_office", "村委会院坝"),
    ("wellness_exercise", "乐和操晨练", "courtyard", "院坝"),
    ("health_talk", "健康讲座与义诊", "village_office", "村委会"),
    ("song_dance", "坝坝舞与乐和歌谣", "courtyard", "院坝"),
    ("habitat_cleanup", "环境整治：河道垃圾清理", "fields", "河边"),
    ("children_program", "四点半课堂", "school", "村小学"),
    ("livelihood_training", "手工刺绣培训", "lehe_courtyard", "乐和大院"),
    ("elder_birthday", "高龄老人集体生日会", "lehe_courtyard", "乐和大院"),
]
TARGETS = {"children_program": ["children"], "festival": ["elders"], "elder_birthday": ["elders"],
           "livelihood_training": ["women"], "classics": ["children", "all_villagers"]}

MEETING_TYPES = [("lehe_joint", "乐和联席会"), ("mutual_aid", "互助会例会"), ("courtyard", "院坝会"),
                 ("rep_meeting", "村民代表会议"), ("two_committees", "村两委会议")]
AGENDA: list[tuple[str, str, str, str]] = [  # (topic, sanshi_class, matter_topic, origin)
    ("3组通组公路硬化及投工投劳安排", "minor", "infrastructure", "member_suggestion"),
    ("村内垃圾分类与清运责任分片", "minor", "sanitation", "association"),
    ("危房改造户申报名单评议", "major", "relief_application", "higher_assignment"),
    ("高龄独居老人互助探访排班", "minor", "public_services", "visit_finding"),
    ("饮水管道维修经费筹集", "minor", "infrastructure", "request_register"),
    ("低保评议及公示", "major", "relief_application", "higher_assignment"),
    ("重阳节敬老活动筹备", "minor", "public_services", "association"),
    ("两户宅基地边界纠纷调解", "private", "neighbour_dispute", "request_register"),
]
DIRECT_MATTERS: list[tuple[str, str, str]] = [  # (description, sanshi_class, topic)
    ("路灯损坏多日，夜间出行不便", "minor", "infrastructure"),
    ("申请办理残疾人两项补贴", "major", "relief_application"),
    ("邻里因鸡鸭进菜园发生争执", "private", "neighbour_dispute"),
    ("村小学门口路段需设置减速带", "major", "public_safety"),
]
OFFICIAL_ROLES = [("村党支部书记", "village_party"), ("村委会主任", "village_committee"),
                  ("乐和互助会会长", "mutual_aid"), ("驻村第一书记", "first_secretary")]


def _iso(d: date) -> str:
    return d.isoformat()


def _age_band(birth: str, on: date) -> str:
    b = date.fromisoformat(birth)
    age = on.year - b.year - ((on.month, on.day) < (b.month, b.day))
    return "under14" if age < 14 else "14_17" if age < 18 else "18_59" if age < 60 else "60plus"


def _body(rng: random.Random, sanshi: str) -> str | None:
    bodies = SANSHI_DEFAULT_BODIES.get(sanshi)
    return rng.choice(bodies) if bodies else None


class _Builder:
    """Collects rows per record type, then writes them in dependency order."""

    ORDER = ("visit", "visit_visitor", "visit_member_present", "visit_need", "visit_risk_factor", "visit_service",
             "visit_referral", "activity", "activity_organiser", "activity_target_group", "activity_attendance",
             "meeting", "meeting_participant", "agenda_item", "matter", "matter_household", "task",
             "task_household", "task_progress")

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today
        self.rows: dict[str, list[Row]] = defaultdict(list)
        self.workers = [person_name(self.rng, self.rng.choice("12")) for _ in range(3)]
        self.members_by_hh: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in ctx.members:
            self.members_by_hh[m["household_id"]].append(m)
        self.hh_by_area: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for h in ctx.households:
            self.hh_by_area[h["area_id"]].append(h)

    def add(self, rtype: str, row: Row) -> Row:
        self.rows[rtype].append(row)
        return row

    def days_ago(self, lo: int, hi: int) -> date:
        return self.today - timedelta(days=self.rng.randint(lo, hi))

    # ------------------------------------------------------------- visits

    def visits(self) -> None:
        rng = self.rng
        for i, hh in enumerate(self.ctx.households):
            n_visits = rng.choice([1, 2, 2, 3, 3, 4])
            # Latest visit within the last two months, earlier ones spread over the year before it.
            latest_visit = self.days_ago(1, 60)
            dates = sorted({latest_visit - timedelta(days=self.rng.randint(20, 300)) for _ in range(n_visits - 1)})
            dates.append(latest_visit)
            if i < 2:
                # The first two households' latest visits make one certainly overdue follow-up and one
                # due within the week, whatever the seed and size.
                latest = self.today - timedelta(days=40 if i == 0 else 25)
                dates = [d for d in dates if d < latest] + [latest]
            for k, vdate in enumerate(dates):
                last = k == len(dates) - 1
                nxt = dates[k + 1] if not last else None
                self.visit(hh, vdate, k, nxt, force=("overdue" if i == 0 else "soon" if i == 1 else None)
                           if last else None)

    def visit(self, hh: dict[str, Any], vdate: date, k: int, next_actual: date | None, force: str | None) -> None:
        rng = self.rng
        members = self.members_by_hh.get(hh["id"], [])
        worker = rng.choice(self.workers)
        seen = rng.random() < 0.9
        risk = rng.choices(["none", "low", "medium", "high"], [30, 45, 18, 7])[0]
        if force:
            risk = "medium"
        vid = uuid7()
        follow = risk in ("medium", "high") or (risk == "low" and rng.random() < 0.5) or rng.random() < 0.2
        next_date: date | None = None
        if next_actual is not None:
            follow, next_date = True, next_actual
        elif force == "overdue":
            follow, next_date = True, vdate + timedelta(days=14)
        elif force == "soon":
            follow, next_date = True, self.today + timedelta(days=3)
        elif follow:
            gap = {"high": 5, "medium": 14, "low": 45, "none": 90}[risk]
            next_date = vdate + timedelta(days=gap + rng.randint(0, gap // 2))
        away = rng.randint(0, max(0, len(members) - 1))
        self.add("visit", {
            "id": vid, "household_id": hh["id"], "visit_date": _iso(vdate),
            "start_time": f"{rng.randint(8, 16):02d}:{rng.choice(['00', '15', '30', '45'])}", "end_time": None,
            "visit_type": "intake" if k == 0 else rng.choice(["routine", "routine", "follow_up", "needs_assessment",
                                                               "festival_greeting", "policy"]),
            "purpose": rng.choice(PURPOSES), "target_seen": int(seen),
            "not_seen_reason": None if seen else rng.choice(NOT_SEEN),
            "situation": rng.choice(SITUATIONS).format(head=hh["head_name"], n=max(1, len(members)), away=away),
            "strengths": rng.choice(["邻里关系好，互助会成员常来看望", "子女每周打电话", "本人乐观，愿意参加活动", None]),
            "risk_level": risk, "immediate_safety_concern": int(risk == "high" and rng.random() < 0.5),
            "risk_rationale": "独居且患慢性病，近期无人照料" if risk == "high" else None,
            "actions_taken": rng.choice(ACTIONS), "follow_up_needed": int(follow),
            "next_visit_date": _iso(next_date) if next_date else None,
            "follow_up_plan": "按期回访，了解需求落实情况" if follow else None,
            "follow_up_owner": worker if follow else None,
            "respondent_confirmed": int(seen), "confirm_method": "oral" if seen else None, "author": worker,
        })
        end = self.rows["visit"][-1]
        end["end_time"] = f"{int(end['start_time'][:2]) + 1:02d}:{end['start_time'][3:]}"
        self.add("visit_visitor", {"visit_id": vid, "name": worker, "role": "social_worker"})
        if rng.random() < 0.5:
            self.add("visit_visitor", {"visit_id": vid, "name": person_name(rng, rng.choice("12")),
                                       "role": rng.choice(["village_official", "association_member", "volunteer"])})
        if seen and members:
            for m in rng.sample(members, min(len(members), rng.randint(1, 2))):
                self.add("visit_member_present", {"visit_id": vid, "member_id": m["id"]})
        needs = rng.sample(NEEDS, rng.choice([0, 1, 1, 2, 3]))
        for domain, text, sanshi in needs:
            member = rng.choice(members) if members and rng.random() < 0.6 else None
            dims = NEED_DOMAIN_DIMENSIONS[domain] or ("environment",)
            self.add("visit_need", {
                "visit_id": vid, "member_id": member["id"] if member else None, "lehe_dimension": dims[0],
                "need_domain": domain, "description": text, "expressed_by": rng.choice(["self", "family",
                                                                                         "worker_observed"]),
                "urgency": "urgent" if risk == "high" else rng.choice(["fairly_urgent", "routine"]),
                "status": rng.choice(["open", "in_progress", "met", "referred"]), "sanshi_class": sanshi})
            if sanshi in ("major", "minor") and rng.random() < 0.12:
                self.matter_from_visit(hh, vid, vdate, text, sanshi, domain)
        if risk in RISK_FACTORS:
            for factor in rng.sample(RISK_FACTORS[risk], rng.randint(1, 2)):
                self.add("visit_risk_factor", {"visit_id": vid, "risk_factor": factor, "note": None})
        if rng.random() < 0.4:
            self.add("visit_service", {"visit_id": vid, "policy_info": rng.choice(
                ["dibao", "medical_insurance", "old_age_allowance", "temporary_relief"]), "service_text": None})
        if risk in ("medium", "high") and rng.random() < 0.4:
            org_type, org, reason = rng.choice(REFERRALS)
            status = rng.choice(["referred", "accepted", "resolved"])
            feedback = min(self.today, vdate + timedelta(days=rng.randint(3, 20))) if status != "referred" else None
            self.add("visit_referral", {
                "visit_id": vid, "to_org_type": org_type, "to_org_name": org, "contact": None, "reason": reason,
                "sanshi_class": "major" if org_type == "township_gov" else "minor", "consent_to_share": 1,
                "referred_on": _iso(vdate), "status": status, "feedback_on": _iso(feedback) if feedback else None,
                "outcome": "已受理，正在办理" if status == "accepted" else "已解决" if status == "resolved" else None})

    # ------------------------------------------------------------- matters and tasks

    def _matter_status(self, raised: date) -> tuple[Row, date]:
        """Status, due date and closing fields for a matter raised on ``raised``."""
        rng = self.rng
        due = raised + timedelta(days=rng.choice([7, 15, 30, 60]))
        if (due < self.today and rng.random() < 0.8) or rng.random() < 0.1:
            closed = min(self.today, raised + timedelta(days=rng.randint(3, 40)))
            return {"status": "resolved", "closed_on": _iso(closed), "outcome": "已办结并回访",
                    "satisfaction": rng.choice(["satisfied", "satisfied", "fairly_satisfied", "dissatisfied"]),
                    "published_on": _iso(closed)}, due
        return {"status": rng.choice(["routed", "in_progress", "in_progress", "registered"]), "closed_on": None,
                "outcome": None, "satisfaction": None, "published_on": None}, due

    def matter(self, *, raised: date, channel: str, source: str, visit_id: str | None, item_id: str | None,
               description: str, sanshi: str, topic: str, area_id: str | None,
               households: list[str]) -> Row:
        rng = self.rng
        state, due = self._matter_status(raised)
        body = _body(rng, sanshi)
        row = self.add("matter", {
            "id": uuid7(), "raised_on": _iso(raised), "channel": channel, "source_type": source,
            "source_visit_id": visit_id, "source_agenda_item_id": item_id,
            "raised_by": person_name(rng, rng.choice("12")) if source != "meeting" else None, "area_id": area_id,
            "topic_category": topic, "description": description, "sanshi_class": sanshi,
            "classification_basis": {"major": "属政府管理事项及公共服务", "minor": "属村内公共事务",
                                     "private": "属居民个人事项"}[sanshi],
            "responsible_body": body,
            "responsible_name": {"government": "白鹿镇政府", "village_committees": "村两委", "mutual_aid": "乐和互助会",
                                 "villager_group": "村民小组"}.get(body or ""),
            "responsible_person": person_name(rng, rng.choice("12")),
            "supervisor": person_name(rng, rng.choice("12")), "due_date": _iso(due), **state})
        for hid in households:
            self.add("matter_household", {"matter_id": row["id"], "household_id": hid})
        if state["status"] in ("routed", "in_progress") and rng.random() < 0.6:
            self.task(title=f"办理：{description[:20]}", owner=row["responsible_person"], body=body,
                      assigned=raised, due=due, matter_id=row["id"], item_id=None, households=households)
        return row

    def matter_from_visit(self, hh: dict[str, Any], vid: str, vdate: date, text: str, sanshi: str,
                          domain: str) -> None:
        topic = {"health": "health", "basic_living": "relief_application", "benefits": "relief_application",
                 "housing": "relief_application", "education": "education", "livelihood": "livelihood",
                 "social_support": "neighbour_dispute", "daily_care": "public_services"}.get(domain, "other")
        self.matter(raised=vdate, channel="home_visit", source="visit", visit_id=vid, item_id=None,
                    description=f"{hh['head_name']}户：{text}", sanshi=sanshi, topic=topic,
                    area_id=hh["area_id"], households=[hh["id"]])

    def task(self, *, title: str, owner: str, body: str | None, assigned: date, due: date, matter_id: str | None,
             item_id: str | None, households: list[str]) -> Row:
        rng = self.rng
        done = (due < self.today and rng.random() < 0.6) or (due >= self.today and rng.random() < 0.15)
        if done:
            completed = min(self.today, assigned + timedelta(days=rng.randint(1, max(1, (due - assigned).days))))
            state: Row = {"status": "done", "completed_on": _iso(completed), "result": "已按期完成",
                          "result_published_on": _iso(completed) if rng.random() < 0.5 else None}
        else:
            started = assigned < self.today - timedelta(days=3)
            status = ("overdue" if due < self.today and rng.random() < 0.5 else
                      "in_progress" if started else "not_started")
            state = {"status": status, "completed_on": None, "result": None, "result_published_on": None}
        row = self.add("task", {
            "id": uuid7(), "title": title, "description": None, "owner": owner,
            "owner_org": {"government": "白鹿镇政府", "mutual_aid": "乐和互助会"}.get(body or "", "村两委"),
            "owner_body": body, "supervisor": rng.choice(self.workers), "assigned_on": _iso(assigned),
            "due_date": _iso(due), "matter_id": matter_id, "agenda_item_id": item_id, **state})
        for hid in households:
            self.add("task_household", {"task_id": row["id"], "household_id": hid})
        span = (min(self.today, due) - assigned).days
        for _ in range(rng.randint(0, 2) if span > 0 else 0):
            self.add("task_progress", {"task_id": row["id"],
                                       "note_date": _iso(assigned + timedelta(days=rng.randint(1, span))),
                                       "note": rng.choice(["已联系相关单位", "正在筹集材料", "已现场查看", "等待上级批复"]),
                                       "noted_by": row["owner"]})
        return row

    def direct_matters(self) -> None:
        rng = self.rng
        for area in self.ctx.area_ids:
            homes = self.hh_by_area.get(area, [])
            for description, sanshi, topic in rng.sample(DIRECT_MATTERS, 2):
                hh = [rng.choice(homes)["id"]] if homes and sanshi == "private" else []
                self.matter(raised=self.days_ago(0, 120), channel=rng.choice(["walk_in", "phone", "wechat_group"]),
                            source="direct", visit_id=None, item_id=None, description=description, sanshi=sanshi,
                            topic=topic, area_id=area, households=hh)

    # ------------------------------------------------------------- meetings

    def meetings(self) -> None:
        for area in self.ctx.area_ids:
            homes = self.hh_by_area.get(area, [])
            residents = [m for h in homes for m in self.members_by_hh.get(h["id"], [])
                         if _age_band(m["birth_date"], self.today) in ("18_59", "60plus")]
            for _ in range(3 + len(homes) // 40):
                self.meeting(area, residents, homes)

    def meeting(self, area: str, residents: list[dict[str, Any]], homes: list[dict[str, Any]]) -> None:
        rng = self.rng
        mtype, mname = rng.choice(MEETING_TYPES)
        mdate = self.days_ago(2, 170)
        mid = uuid7()
        reps = rng.sample(residents, min(len(residents), rng.randint(3, 9)))
        present = [r for r in reps if rng.random() < 0.85]
        officials = rng.sample(OFFICIAL_ROLES, 2)
        # Quorum met (the statutory types need ≥ 2/3): expected is at most 1.4 × those present.
        attended = len(present) + len(officials) + 1 + rng.randint(0, 10)
        expected = attended + rng.randint(0, attended // 3)
        chair = person_name(rng, "1")
        worker = rng.choice(self.workers)
        self.add("meeting", {
            "id": mid, "meeting_type": mtype, "title": f"{mname}（{mdate.month}月）", "area_id": area,
            "group_name": rng.choice(homes)["group_name"] if homes and mtype == "courtyard" else None,
            "meeting_date": _iso(mdate), "start_time": "19:00", "end_time": "21:00",
            "venue": rng.choice(["村委会会议室", "乐和大院", "院坝"]), "convener": "村委会", "chair": chair,
            "recorder": worker, "expected_count": expected, "attended_count": attended,
            "format": "courtyard" if mtype == "courtyard" else "in_person",
            "minutes": "会议由村委会召集，社工协助主持议事流程，与会人员逐项讨论并表决。", "status": "finalised",
            "disclosure_channel": "public_board", "disclosed_on": _iso(min(self.today, mdate + timedelta(days=2))),
            "oversight_opinion": None})
        for m in reps:
            self.add("meeting_participant", {
                "meeting_id": mid, "member_id": m["id"], "name": None, "org": None, "post": None,
                "role": rng.choice(["villager_rep", "lehe_rep", "mutual_aid", "villager"]),
                "represents": None, "attendance": "present" if m in present else rng.choice(["excused", "absent"]),
                "signed": int(m in present)})
        for post, role in officials:
            self.add("meeting_participant", {
                "meeting_id": mid, "member_id": None, "name": person_name(rng, rng.choice("12")), "org": None,
                "post": post, "role": role, "represents": None, "attendance": "present", "signed": 1})
        self.add("meeting_participant", {
            "meeting_id": mid, "member_id": None, "name": worker, "org": "乐和社工站", "post": "社工",
            "role": "social_worker", "represents": None, "attendance": "present", "signed": 1})
        for seq, (topic, sanshi, mtopic, origin) in enumerate(rng.sample(AGENDA, rng.randint(1, 3)), start=1):
            self.agenda_item(mid, mdate, area, attended, seq, topic, sanshi, mtopic, origin, homes)

    def agenda_item(self, mid: str, mdate: date, area: str, attended: int, seq: int, topic: str, sanshi: str,
                    mtopic: str, origin: str, homes: list[dict[str, Any]]) -> None:
        rng = self.rng
        method = rng.choice(["show_of_hands", "show_of_hands", "consensus", "secret_ballot"])
        votes: dict[str, int | None] = {"votes_for": None, "votes_against": None, "votes_abstain": None}
        passed = rng.random() < 0.8
        if method in ("show_of_hands", "secret_ballot"):
            voters = rng.randint(max(1, attended * 3 // 4), attended)
            yes = rng.randint(attended // 2 + 1, voters) if passed and voters > attended // 2 else rng.randint(
                0, attended // 2)
            passed = yes * 2 > attended
            against = rng.randint(0, voters - yes)
            votes = {"votes_for": yes, "votes_against": against, "votes_abstain": voters - yes - against}
        item_id = uuid7()
        self.add("agenda_item", {
            "id": item_id, "meeting_id": mid, "seq": seq, "topic": topic, "origin": origin, "sanshi_class": sanshi,
            "lehe_domain": "governance", "discussion": "与会人员充分讨论，记录了不同意见。", "vote_method": method,
            **votes, "passed": int(passed),
            "resolution": f"同意{topic}，由责任人按期落实并公示结果。" if passed else None,
            "resolution_type": "decision" if passed else rng.choice(["deferred", "rejected"])})
        linked = [rng.choice(homes)["id"]] if homes and rng.random() < 0.5 else []
        if passed:
            body = _body(rng, sanshi)
            self.task(title=f"落实：{topic}", owner=person_name(rng, rng.choice("12")), body=body, assigned=mdate,
                      due=mdate + timedelta(days=rng.choice([14, 30, 45, 60, 90])), matter_id=None, item_id=item_id,
                      households=linked)
        if sanshi in ("major", "minor") and rng.random() < 0.5:
            self.matter(raised=mdate, channel="joint_meeting" if sanshi == "major" else "courtyard_meeting",
                        source="meeting", visit_id=None, item_id=item_id, description=topic, sanshi=sanshi,
                        topic=mtopic, area_id=area, households=linked)

    # ------------------------------------------------------------- activities

    def activities(self) -> None:
        for area in self.ctx.area_ids:
            homes = self.hh_by_area.get(area, [])
            residents = [m for h in homes for m in self.members_by_hh.get(h["id"], [])]
            for _ in range(4 + len(homes) // 25):
                self.activity(area, homes, residents)

    def activity(self, area: str, homes: list[dict[str, Any]], residents: list[dict[str, Any]]) -> None:
        rng = self.rng
        category, title, venue_type, venue = rng.choice(ACTIVITIES)
        adate = self.days_ago(1, 200)
        aid = uuid7()
        named = rng.sample(residents, min(len(residents), rng.randint(0, 15)))
        walk_ins = rng.randint(0, 3)
        unnamed = rng.randint(0, 30)
        actual = len(named) + walk_ins + unnamed
        sex = {"1": 0, "2": 0}
        ages = {"under14": 0, "14_17": 0, "18_59": 0, "60plus": 0}
        group_of = {h["id"]: h["group_name"] for h in homes}
        for m in named:
            band = _age_band(m["birth_date"], adate)
            sex[m["sex"]] += 1
            ages[band] += 1
            self.add("activity_attendance", {
                "activity_id": aid, "member_id": m["id"], "name_text": None,
                "group_name": group_of.get(m["household_id"]), "role": "participant", "age_band": band,
                "sign_method": rng.choice(["own_signature", "signed_for", "thumbprint"])})
        for _ in range(walk_ins):
            s = rng.choice("12")
            band = rng.choice(["18_59", "60plus"])
            sex[s] += 1
            ages[band] += 1
            self.add("activity_attendance", {
                "activity_id": aid, "member_id": None, "name_text": person_name(rng, s),
                "group_name": f"{rng.randint(1, 8)}组", "role": rng.choice(["participant", "volunteer", "guest"]),
                "age_band": band, "sign_method": "own_signature"})
        for _ in range(unnamed):
            sex[rng.choice("12")] += 1
            ages[rng.choice(["under14", "18_59", "60plus", "60plus"])] += 1
        volunteers = rng.randint(0, 6)
        self.add("activity", {
            "id": aid, "title": title, "category": category,
            "series": "乐和讲堂" if category == "classics" else None,
            "session_no": rng.randint(1, 30) if category == "classics" else None,
            "activity_date": _iso(adate), "start_time": "14:30", "end_time": "16:30", "solar_term": None,
            "festival": "chongyang" if category == "festival" else None, "area_id": area,
            "venue_type": venue_type, "venue": venue, "lehe_domain": None,
            "objectives": "丰富村民文化生活，增进邻里交往", "planned_count": actual + rng.randint(-5, 10) if actual > 5 else None,
            "actual_count": actual, "male": sex["1"], "female": sex["2"], "under14": ages["under14"],
            "age14_17": ages["14_17"], "age18_59": ages["18_59"], "age60plus": ages["60plus"],
            "vulnerable_count": None, "volunteer_count": volunteers,
            "volunteer_hours": float(volunteers * 2) if volunteers else None,
            "description": f"{title}在{venue}举行，社工和志愿者带领村民参与。",
            "outcomes": "村民参与积极，气氛热烈", "reflection": rng.choice(["下次提前在微信群通知", "可增加儿童环节", None]),
            "author": rng.choice(self.workers)})
        self.add("activity_organiser", {"activity_id": aid, "name": rng.choice(self.workers), "org": "乐和社工站",
                                        "role": "主办"})
        if rng.random() < 0.6:
            self.add("activity_organiser", {"activity_id": aid, "name": None, "org": "乐和互助会", "role": "协办"})
        for group in TARGETS.get(category, ["all_villagers"]):
            self.add("activity_target_group", {"activity_id": aid, "target_group": group})

    # ------------------------------------------------------------- guarantees and writing

    def ensure_due_tasks(self) -> None:
        """Tiny demos must still show an overdue and an upcoming task (relative to today)."""
        tasks = self.rows["task"]
        open_rows = [t for t in tasks if t["status"] not in ("done", "cancelled")]
        if not any(t["due_date"] < _iso(self.today) for t in open_rows) and open_rows:
            t = open_rows[0]
            t["due_date"] = _iso(max(date.fromisoformat(t["assigned_on"]) + timedelta(days=1),
                                     self.today - timedelta(days=3)))
            if t["due_date"] >= _iso(self.today):
                t["assigned_on"] = _iso(self.today - timedelta(days=10))
                t["due_date"] = _iso(self.today - timedelta(days=3))
            t["status"] = "overdue"
        horizon = _iso(self.today + timedelta(days=7))
        if not any(_iso(self.today) <= t["due_date"] <= horizon for t in open_rows) and len(open_rows) > 1:
            t = open_rows[-1]
            t["due_date"] = _iso(self.today + timedelta(days=5))
            t["status"] = "in_progress"

    def write(self) -> dict[str, int]:
        store = self.ctx.store
        for rtype in self.ORDER:
            rows = self.rows.get(rtype)
            if rows:
                store.bulk_create(rtype, rows, validated=True)
        return {key: len(self.rows.get(rtype, [])) for key, rtype in
                (("visits", "visit"), ("activities", "activity"), ("meetings", "meeting"), ("matters", "matter"),
                 ("tasks", "task"))}


def make_work(ctx: DemoContext) -> dict[str, int]:
    """The DEMO_STEPS step: every kind of Lehe work record, consistent with the demo households."""
    b = _Builder(ctx)
    if not ctx.households:
        return {"visits": 0, "activities": 0, "meetings": 0, "matters": 0, "tasks": 0}
    b.visits()
    b.meetings()
    b.direct_matters()
    b.activities()
    b.ensure_due_tasks()
    return b.write()
