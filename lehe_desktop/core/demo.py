"""Realistic, reproducible Chinese demo data (synthetic people; no real person's data).

``make_demo`` builds households with members first, then runs each of ``DEMO_STEPS`` (the
later record types: demo_work.py) so the data stays consistent (visits to existing
households, tasks from meetings …). The shared context and name helpers are in demo_base.py,
which both import, so demo_work.py never imports demo.py.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from .demo_base import SURNAMES, DemoContext, DemoStep, id_number, person_name, phone
from .demo_work import make_work
from .ids import uuid7
from .store.store import Store

DEFAULT_AREAS = [
    "重庆市/巫溪县/白鹿镇/乐和村",
    "重庆市/巫溪县/白鹿镇/大坪村",
    "重庆市/巫溪县/白鹿镇/双河村",
]
ROADS = ["大院", "坝", "湾", "岭", "沟", "坪", "垭口", "河边"]

# The later record types, run in this order after households and members exist.
DEMO_STEPS: list[DemoStep] = [make_work]

__all__ = ["DEFAULT_AREAS", "DEMO_STEPS", "DemoContext", "id_number", "make_demo", "person_name"]


def _birth(rng: random.Random, today: date, lo: int, hi: int) -> date:
    return today - timedelta(days=rng.randrange(lo * 365, hi * 365))


def make_demo(store: Store, households: int, *, seed: int = 1, areas: list[str] | None = None,
              today: date | None = None) -> dict[str, int]:
    rng = random.Random(seed)
    today = today or date.today()
    area_paths = areas or DEFAULT_AREAS
    area_ids = [store.ensure_area(p) for p in area_paths]
    ctx = DemoContext(store, rng, today, area_ids)
    hh_rows: list[dict[str, Any]] = []
    mem_rows: list[dict[str, Any]] = []
    cat_rows: list[dict[str, Any]] = []
    hcat_rows: list[dict[str, Any]] = []
    dis_rows: list[dict[str, Any]] = []
    phone_rows: list[dict[str, Any]] = []
    consent_rows: list[dict[str, Any]] = []
    for _i in range(households):
        area = rng.choice(area_ids)
        group = f"{rng.randrange(1, 9)}组"
        surname = rng.choice(SURNAMES)
        head_sex = "1" if rng.random() < 0.8 else "2"
        head = person_name(rng, head_sex, surname)
        hid = uuid7()
        hh_rows.append({"id": hid, "area_id": area, "group_name": group, "head_name": head,
                        "address": f"{group}{rng.choice(ROADS)}{rng.randrange(1, 60)}号", "status": "on_register",
                        "housing_safety": rng.choice(["safe", "fair", "not_assessed"])})
        ctx.households.append({"id": hid, "area_id": area, "group_name": group, "head_name": head})
        head_birth = _birth(rng, today, 30, 85)
        head_age = (today - head_birth).days // 365
        # Children are 18–45 years younger than the head, grandchildren at least 36.
        child_min = max(1, head_age - 45)
        child_max = max(child_min + 1, head_age - 18)
        grandchild_max = max(2, min(14, head_age - 36))
        people = [(head, head_sex, head_birth, "02")]
        if rng.random() < 0.75:
            sp_sex = "2" if head_sex == "1" else "1"
            people.append((person_name(rng, sp_sex), sp_sex, head_birth + timedelta(days=rng.randrange(-1500, 1500)),
                           "10"))
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            s = rng.choice("12")
            people.append((person_name(rng, s, surname), s, _birth(rng, today, child_min, child_max), "20" if s == "1" else "30"))
        if rng.random() < 0.2 and head_age >= 40:
            s = rng.choice("12")
            people.append((person_name(rng, s, surname), s, _birth(rng, today, 1, grandchild_max), "40"))
        # Residence first, so categories follow the family's situation: a child is left behind
        # when every working-age adult of the household works away; an elder lives alone when
        # everyone else is away.
        fixed = [(n, sx, b if b < today else today - timedelta(days=400), r) for n, sx, b, r in people]
        ages = [(today - b).days // 365 for _, _, b, _ in fixed]
        away = [18 <= a < 60 and rng.random() < 0.35 for a in ages]
        adults = [i for i, a in enumerate(ages) if 18 <= a < 60]
        adults_all_away = bool(adults) and all(away[i] for i in adults)
        for i, (name, sex, birth, rel) in enumerate(fixed):
            mid = uuid7()
            row: dict[str, Any] = {"id": mid, "household_id": hid, "name": name, "sex": sex,
                                   "birth_date": birth.isoformat(), "relation": rel,
                                   "residence_status": "working_away" if away[i] else "at_home"}
            if rng.random() < 0.5:
                row["id_type"] = "resident_id"
                row["id_number"] = id_number(rng, birth, sex)
            mem_rows.append(row)
            ctx.members.append({"id": mid, "household_id": hid, "name": name, "birth_date": birth.isoformat(),
                                "sex": sex})
            age = ages[i]
            if age >= 80:
                cat_rows.append({"member_id": mid, "category": "very_old"})
            if age < 16 and adults_all_away:
                cat_rows.append({"member_id": mid, "category": "left_behind_child"})
            others_away = all(away[j] for j in range(len(fixed)) if j != i)
            if age >= 60 and others_away:
                cat_rows.append({"member_id": mid, "category": "living_alone"})
            if rng.random() < 0.06:
                cat_rows.append({"member_id": mid, "category": "disabled"})
                dis_rows.append({"member_id": mid, "disability_type": rng.choice("1234567"),
                                 "grade": rng.choice("1234")})
            if rel == "02" or (age >= 14 and rng.random() < 0.3):
                phone_rows.append({"member_id": mid, "number": phone(rng),
                                   "owner": "self" if rel == "02" else rng.choice(["self", "child_away"])})
        # The head's consent to the household's record (read to them from the notice at the first
        # visit): deterministic, so the random stream — and every other demo value — stays as it was.
        consent_rows.append({"household_id": hid, "member_id": mem_rows[-len(fixed)]["id"], "grantor": "self",
                             "item_basic": 1, "item_sensitive": 1, "item_contact": 1, "method": "written",
                             "notice_version": "2025-1", "consent_date": (today - timedelta(days=90)).isoformat()})
        if rng.random() < 0.12:
            hcat_rows.append({"household_id": hid, "category": rng.choice(["dibao", "tuopin", "fpjc_edge"])})
    counts: dict[str, int] = {}
    with store.transaction():
        counts["households"] = store.bulk_create("household", hh_rows)
        counts["residents"] = store.bulk_create("member", mem_rows)
        store.bulk_create("member_category", cat_rows)
        store.bulk_create("household_category", hcat_rows)
        store.bulk_create("member_disability", dis_rows)
        store.bulk_create("member_phone", phone_rows)
        store.bulk_create("consent", consent_rows)
        for step in DEMO_STEPS:
            counts.update(step(ctx))
    return counts
