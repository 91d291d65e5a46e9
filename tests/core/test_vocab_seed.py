"""Checks on the controlled-vocabulary seed (lehe_desktop.core.records.vocab_seed)."""

from __future__ import annotations

import re

import pytest

from lehe_desktop.core.records.vocab_seed import (
    ACTIVITY_CATEGORY_LEHE_DOMAINS,
    DQ_CODES,
    NEED_DOMAIN_DIMENSIONS,
    SANSHI_DEFAULT_BODIES,
    VOCAB_TITLES,
    VOCABS,
)

CODE_RE = re.compile(r"^[a-z0-9_]+$")
CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")

# Names other modules rely on (the brief's contract).
REQUIRED_VOCABS = {
    "dq", "area_level",
    "sex", "relation_to_head", "id_type", "marital_status", "education",
    "residence_status", "occupation", "health_status", "self_care",
    "vulnerable_category", "disability_type", "disability_grade", "phone_owner",
    "household_status", "housing_type", "housing_safety", "income_source",
    "income_band", "benefit", "poverty_cause", "lehe_participation",
    "visit_type", "lehe_dimension", "need_domain", "need_source", "urgency",
    "need_status", "risk_level", "risk_factor", "referral_target",
    "referral_status", "not_seen_reason", "visitor_role", "policy_info",
    "confirm_method",
    "activity_category", "lehe_domain", "solar_term", "festival", "target_group",
    "attendance_role", "age_band", "sign_method", "venue_type", "satisfaction_level",
    "meeting_type", "participant_role", "attendance_status", "meeting_format",
    "meeting_status", "agenda_origin", "sanshi_class", "vote_method",
    "resolution_type", "disclosure_channel",
    "matter_channel", "matter_topic", "responsible_body", "matter_status",
    "matter_satisfaction", "task_status",
}

NAMES = sorted(VOCABS)


def codes(name: str) -> list[str]:
    return [code for code, _zh, _en in VOCABS[name]]


def item(name: str, code: str) -> tuple[str, str, str]:
    for entry in VOCABS[name]:
        if entry[0] == code:
            return entry
    raise KeyError(f"{name}:{code}")


def test_required_vocabs_present() -> None:
    assert REQUIRED_VOCABS - set(VOCABS) == set()


def test_every_vocab_has_a_title_and_every_title_a_vocab() -> None:
    assert set(VOCAB_TITLES) == set(VOCABS)
    for name, (zh, en) in VOCAB_TITLES.items():
        assert zh.strip() and en.strip(), name


@pytest.mark.parametrize("name", NAMES)
def test_vocab_non_empty_and_well_formed(name: str) -> None:
    items = VOCABS[name]
    assert items, name
    assert CODE_RE.match(name), name
    for entry in items:
        assert len(entry) == 3, entry
        code, zh, en = entry
        assert CODE_RE.match(code), (name, code)
        assert len(code) <= 32, (name, code)
        assert zh.strip() == zh and zh, (name, code)
        assert en.strip() == en and en, (name, code)
        assert not CJK_RE.search(en), (name, code, en)


@pytest.mark.parametrize("name", NAMES)
def test_codes_and_labels_unique_within_vocab(name: str) -> None:
    items = VOCABS[name]
    assert len({c for c, _, _ in items}) == len(items), name
    assert len({zh for _, zh, _ in items}) == len(items), name
    assert len({en for _, _, en in items}) == len(items), name


def test_dq_vocab_matches_dq_codes() -> None:
    assert tuple(codes("dq")) == DQ_CODES
    assert item("dq", "unknown")[1] == "不知道"
    assert item("dq", "refused")[1] == "拒绝回答"
    assert item("dq", "not_collected")[1] == "未采集"


@pytest.mark.parametrize("name", [n for n in NAMES if n != "dq"])
def test_dq_codes_never_collide(name: str) -> None:
    assert set(codes(name)) & set(DQ_CODES) == set(), name


def test_gb_coded_vocabs() -> None:
    assert codes("sex") == ["1", "2", "0", "9"]
    assert item("sex", "1")[1:] == ("男", "Male")
    assert item("sex", "2")[1:] == ("女", "Female")
    assert codes("relation_to_head") == [
        "02", "10", "20", "30", "40", "50", "60", "70", "97", "99"]
    assert item("relation_to_head", "02")[1] == "户主"
    assert item("relation_to_head", "10")[1] == "配偶"
    assert codes("marital_status") == ["10", "20", "30", "40", "90"]
    assert item("marital_status", "30")[1] == "丧偶"
    assert codes("disability_grade") == ["1", "2", "3", "4"]
    assert item("disability_grade", "1")[1] == "一级"
    assert len(codes("disability_type")) == 7


def test_spot_checks_from_domain_md() -> None:
    assert item("vulnerable_category", "left_behind_child")[1] == "农村留守儿童"
    assert codes("vulnerable_category")[0] == "dibao"
    assert codes("vulnerable_category")[-1] == "other"
    assert len(codes("vulnerable_category")) == 25
    assert item("meeting_type", "lehe_joint")[1:] == (
        "乐和联席会", "Lehe joint (multi-stakeholder) meeting")
    assert codes("meeting_type")[-1] == "other"
    assert item("activity_category", "classics")[1].startswith("国学经典诵读")
    assert item("activity_category", "rite_kaibi")[1] == "开笔礼"
    assert len(codes("activity_category")) == 19
    assert len(codes("solar_term")) == 24
    assert item("solar_term", "lichun")[1] == "立春"
    assert item("solar_term", "dahan")[1] == "大寒"
    assert len(codes("festival")) == 12
    assert codes("lehe_dimension") == ["body", "mind", "environment"]
    assert [zh for _, zh, _ in VOCABS["lehe_dimension"]] == ["身", "心", "境"]
    assert codes("lehe_domain") == [
        "governance", "livelihood", "habitat", "etiquette", "wellness", "ecology"]
    assert codes("risk_level") == ["high", "medium", "low", "none"]
    assert codes("age_band") == ["under14", "14_17", "18_59", "60plus"]
    assert codes("satisfaction_level") == [
        "very_satisfied", "satisfied", "neutral", "dissatisfied"]
    assert codes("area_level") == [
        "province", "prefecture", "county", "township", "village", "group"]
    assert codes("sanshi_class") == [
        "major", "minor", "private", "unclassified", "not_applicable"]
    assert [zh for _, zh, _ in VOCABS["matter_satisfaction"]] == ["满意", "基本满意", "不满意"]
    assert len(codes("participant_role")) == 18
    assert len(codes("referral_target")) == 14
    assert len(codes("need_domain")) == 15
    assert len(codes("benefit")) == 12
    assert len(codes("poverty_cause")) == 9
    assert len(codes("risk_factor")) == 12
    assert len(codes("visit_type")) == 9
    assert item("phone_owner", "neighbour")[1:] == ("邻居代接", "Neighbour takes calls")


def test_sanshi_default_bodies() -> None:
    assert set(SANSHI_DEFAULT_BODIES) == {"major", "minor", "private"}
    assert SANSHI_DEFAULT_BODIES["major"] == ("government",)
    assert "mutual_aid" in SANSHI_DEFAULT_BODIES["minor"]
    assert set(SANSHI_DEFAULT_BODIES["private"]) == {"person", "family", "market"}
    bodies = set(codes("responsible_body"))
    seen: list[str] = []
    for cls, allowed in SANSHI_DEFAULT_BODIES.items():
        assert cls in codes("sanshi_class")
        assert allowed and set(allowed) <= bodies, cls
        seen.extend(allowed)
    # each body belongs to exactly one class, and every body is covered
    assert sorted(seen) == sorted(bodies)


def test_default_mappings_use_known_codes() -> None:
    assert set(NEED_DOMAIN_DIMENSIONS) == set(codes("need_domain"))
    dims = set(codes("lehe_dimension"))
    for dom, ds in NEED_DOMAIN_DIMENSIONS.items():
        assert set(ds) <= dims, dom
    assert set(ACTIVITY_CATEGORY_LEHE_DOMAINS) == set(codes("activity_category"))
    domains = set(codes("lehe_domain"))
    for cat, ds in ACTIVITY_CATEGORY_LEHE_DOMAINS.items():
        assert set(ds) <= domains, cat
