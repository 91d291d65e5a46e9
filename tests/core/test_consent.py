"""Consent records and the rule for children under 14 (PIPL Art. 31)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lehe_desktop.core import consent
from lehe_desktop.core.errors import ValidationError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store

TODAY = date(2026, 12, 6)
VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    st, _ = vault.setup(DataPaths(root=tmp_path, logs=tmp_path / "logs"), "correct horse 42")
    st.today = TODAY
    yield st
    st.close()


def family(store: Store) -> tuple[str, str, str]:
    hh = store.create("household", {"area_id": store.ensure_area(VILLAGE), "group_name": "一组",
                                    "head_name": "王大山"}).id
    child = store.create("member", {"household_id": hh, "name": "王小花", "sex": "2", "relation": "40",
                                    "birth_date": "2016-05-01"}).id
    adult = store.create("member", {"household_id": hh, "name": "王大山", "sex": "1", "relation": "02",
                                    "birth_date": "1960-01-01"}).id
    return hh, child, adult


def guardian(store: Store, hh: str, member: str, **more: object) -> str:
    return store.create("consent", {"household_id": hh, "member_id": member, "grantor": "guardian",
                                    "grantor_name": "李秀英", "grantor_relation": "祖母", "item_basic": 1,
                                    "item_sensitive": 1, "method": "thumbprint", "notice_version": "2026-1",
                                    "consent_date": "2026-03-01", **more}).id


def test_a_childs_sensitive_information_needs_a_guardians_consent(store: Store) -> None:
    hh, child, adult = family(store)
    category = {"member_id": child, "category": "left_behind_child"}
    problem = consent.child_without_guardian_consent(store, "member_category", category, today=TODAY)
    assert problem is not None and problem.code == "consent.child_guardian" and problem.severity == "warning"
    # The same for the member form itself when it carries a sensitive value; not without one.
    child_rec = store.get("member", child)
    assert child_rec is not None
    assert consent.child_without_guardian_consent(store, "member", {**child_rec, "health_status": "chronic"},
                                                  record_id=child, today=TODAY) is not None
    assert consent.child_without_guardian_consent(store, "member", child_rec, record_id=child, today=TODAY) is None
    # An adult: no rule. A record type about nobody's sensitive data: no rule.
    assert consent.child_without_guardian_consent(
        store, "member_category", {"member_id": adult, "category": "dibao"}, today=TODAY) is None
    # With the guardian's consent to sensitive information: fine …
    cid = guardian(store, hh, child)
    assert consent.child_without_guardian_consent(store, "member_category", category, today=TODAY) is None
    # … until it is withdrawn (from that day on).
    store.update("consent", cid, {"withdrawn_on": "2026-12-01"})
    assert consent.child_without_guardian_consent(store, "member_category", category, today=TODAY) is not None
    assert consent.child_without_guardian_consent(store, "member_category", category,
                                                  today=date(2026, 11, 30)) is None


def test_a_consent_only_to_ordinary_information_or_by_someone_else_is_not_enough(store: Store) -> None:
    hh, child, _adult = family(store)
    guardian(store, hh, child, item_sensitive=0)
    store.create("consent", {"household_id": hh, "member_id": child, "grantor": "self", "item_sensitive": 1,
                             "method": "oral_witnessed", "witness_name": "张老师", "notice_version": "2026-1",
                             "consent_date": "2026-03-01"})
    category = {"member_id": child, "category": "left_behind_child"}
    assert consent.child_without_guardian_consent(store, "member_category", category, today=TODAY) is not None
    assert len(consent.consents_of(store, hh)) == 2


@pytest.mark.parametrize(("change", "code"), [
    ({"consent_date": "2027-01-01"}, "date.future"),
    ({"withdrawn_on": "2026-01-01"}, "consent.withdrawn_before"),
    ({"grantor_name": None}, "consent.grantor_name"),
    ({"item_basic": 0, "item_sensitive": 0}, "consent.no_item"),
    ({"method": "telepathy"}, "vocab.unknown"),
])
def test_a_consent_record_is_checked_and_a_bad_one_changes_nothing(store: Store, change: dict[str, object],
                                                                   code: str) -> None:
    hh, child, _adult = family(store)
    before = store.count("consent")
    with pytest.raises(ValidationError) as bad:
        guardian(store, hh, child, **change)
    assert code in {p.code for p in bad.value.problems}
    assert store.count("consent") == before
