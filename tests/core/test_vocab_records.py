"""Vocabulary items as synced records, and the roles that may write them (issue 13).

Real stores in tmp dirs. A vocabulary change is a ``vocab_item`` record with one change in the
log; the ``vocab`` table (forms, labels, validation) follows it; codes are deactivated, never
deleted; an enrolled worker's laptop is refused before anything is written.
"""

from __future__ import annotations

import pytest

from lehe_desktop.core import roles, vocabs
from lehe_desktop.core.errors import EXIT_FORBIDDEN, NotFoundError, StateError, ValidationError
from lehe_desktop.core.ids import natural_id
from lehe_desktop.core.roles import Capability, RoleError
from lehe_desktop.core.store import bin as recycle
from lehe_desktop.core.store.store import Store

VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"


def changes(store: Store) -> list[tuple[str, str, str]]:
    return store.query("SELECT rtype, kind, fields FROM changes WHERE rtype = 'vocab_item' ORDER BY seq")


def item(store: Store, name: str, code: str) -> dict[str, object] | None:
    return next((v for v in vocabs.list_items(store, name) if v["code"] == code), None)


def enrol_as(store: Store, role: str) -> None:
    """What the sync client stores at enrolment (core/sync/client.py), as far as roles read it."""
    store.set_meta("sync_device_key", "test-key")
    store.set_meta("enrolled_role", role)


def visit(store: Store, visit_type: str) -> str:
    aid = store.ensure_area(VILLAGE)
    hid = store.create("household", {"area_id": aid, "group_name": "一组", "head_name": "王大山"}).id
    return store.create("visit", {"household_id": hid, "visit_date": "2026-03-01", "visit_type": visit_type,
                                  "target_seen": True, "situation": "情况稳定", "risk_level": "low",
                                  "follow_up_needed": False}).id


def test_roles_answer_who_may_do_what() -> None:
    assert roles.role_from_meta({}) == roles.SINGLE_USER
    assert roles.role_from_meta({"sync_device_key": "k", "enrolled_role": "coordinator"}) == "coordinator"
    assert roles.role_from_meta({"sync_device_key": "k", "enrolled_role": "chief"}) == "worker"   # unknown: least
    assert roles.role_from_meta({"enrolled_role": "worker"}) == roles.SINGLE_USER   # not enrolled (left a server)
    everything = set(Capability)
    assert roles.capabilities(roles.SINGLE_USER) == everything
    assert roles.capabilities("admin") == everything
    assert roles.may("coordinator", Capability.EDIT_VOCAB) and not roles.may("worker", Capability.EDIT_VOCAB)
    assert roles.may("worker", Capability.EDIT_RECORDS)
    for cap in (Capability.VIEW_AUDIT, Capability.EXPORT_NAMED, Capability.ANONYMISE):
        assert not roles.may("worker", cap)
    # A worker reveals (audited) the numbers of their households and signs out of their own laptop.
    assert roles.may("worker", Capability.REVEAL) and roles.may("worker", Capability.HAND_OVER)
    assert not roles.may("coordinator", Capability.ANONYMISE) and roles.may("coordinator", Capability.HAND_OVER)
    assert roles.may_write("worker", "household") and not roles.may_write("worker", "vocab_item")
    assert roles.may_write("coordinator", "vocab_item")
    with pytest.raises(RoleError) as refused:
        roles.require("worker", Capability.EDIT_VOCAB)
    assert refused.value.code == "role.forbidden" and refused.value.exit_code == EXIT_FORBIDDEN == 10


def test_add_rename_deactivate_are_records_with_one_change_each(store: Store) -> None:
    vocabs.add(store, "visit_type", "phone_fu", "电话回访", "Phone follow-up")
    rid = natural_id("vocab_item", "visit_type", "phone_fu")
    assert store.get("vocab_item", rid) is not None
    assert item(store, "visit_type", "phone_fu") == {"code": "phone_fu", "zh": "电话回访", "en": "Phone follow-up",
                                                      "active": True}
    assert [v["code"] for v in store.vocab("visit_type")][-1] == "phone_fu"     # last in the order
    vocabs.rename(store, "visit_type", "phone_fu", "电话跟进")                  # English kept
    vocabs.deactivate(store, "visit_type", "phone_fu")
    assert item(store, "visit_type", "phone_fu") == {"code": "phone_fu", "zh": "电话跟进", "en": "Phone follow-up",
                                                      "active": False}
    assert "phone_fu" not in [v["code"] for v in store.vocab("visit_type")]     # no longer offered
    log = changes(store)
    assert [kind for _, kind, _ in log] == ["upsert"] * 3
    assert '"zh":"电话跟进"' in log[1][2] and '"active":0' in log[2][2]
    # Added again: active once more, with the labels given.
    vocabs.add(store, "visit_type", "phone_fu", "电话回访")
    assert item(store, "visit_type", "phone_fu")["active"] is True  # type: ignore[index]


def test_a_seeded_code_in_use_is_deactivated_never_deleted_and_keeps_its_label(store: Store) -> None:
    vid = visit(store, "festival_greeting")
    vocabs.rename(store, "visit_type", "festival_greeting", "节日走访")
    vocabs.deactivate(store, "visit_type", "festival_greeting")
    rec = store.get("vocab_item", natural_id("vocab_item", "visit_type", "festival_greeting"))
    assert rec is not None and rec["en"] == "Festival greeting visit" and not rec["active"]
    assert store.get("visit", vid)["visit_type"] == "festival_greeting"  # type: ignore[index]
    assert store.vocab_label("visit_type", "festival_greeting") == "节日走访"
    assert store.vocab_label("visit_type", "festival_greeting", "en") == "Festival greeting visit"
    assert "festival_greeting" not in [v["code"] for v in store.vocab("visit_type")]
    # Even a tombstone (the bin) only deactivates; restoring brings the code back.
    rid = natural_id("vocab_item", "visit_type", "festival_greeting")
    vocabs.set_active(store, "visit_type", "festival_greeting", True)
    store.delete("vocab_item", rid)
    assert item(store, "visit_type", "festival_greeting")["active"] is False  # type: ignore[index]
    recycle.undelete(store, "vocab_item", rid)
    assert item(store, "visit_type", "festival_greeting")["active"] is True  # type: ignore[index]


def test_a_new_code_is_a_valid_answer_at_once_and_forgotten_when_its_transaction_rolls_back(store: Store) -> None:
    vocabs.add(store, "visit_type", "phone_fu", "电话回访")
    vid = visit(store, "phone_fu")
    assert store.get("visit", vid)["visit_type"] == "phone_fu"  # type: ignore[index]
    with pytest.raises(RuntimeError), store.transaction():
        vocabs.add(store, "visit_type", "video_call", "视频回访")
        assert store.vocab_has("visit_type", "video_call")
        raise RuntimeError("crash")
    assert not store.vocab_has("visit_type", "video_call")
    assert item(store, "visit_type", "video_call") is None
    with pytest.raises(ValidationError):
        visit(store, "video_call")


def test_wrong_names_codes_and_labels_are_refused_and_change_nothing(store: Store) -> None:
    before = store.query_value("SELECT count(*) FROM changes")
    with pytest.raises(NotFoundError) as e1:
        vocabs.add(store, "no_such_vocab", "x", "某")
    assert e1.value.code == "vocab.unknown"
    with pytest.raises(NotFoundError) as e2:
        vocabs.rename(store, "visit_type", "no_such_code", "某")
    assert e2.value.code == "vocab.no_code"
    with pytest.raises(StateError) as e3:
        vocabs.add(store, "visit_type", "routine", "常规")
    assert e3.value.code == "vocab.code_exists"
    with pytest.raises(ValidationError) as e4:
        vocabs.add(store, "visit_type", "Phone FU", "电话")
    assert e4.value.code == "vocab_item.code_format"
    with pytest.raises(ValidationError) as e5:
        vocabs.add(store, "visit_type", "refused", "拒绝")
    assert e5.value.code == "vocab_item.code_reserved"
    with pytest.raises(ValidationError):
        vocabs.add(store, "visit_type", "long_label", "长" * 61)
    assert store.query_value("SELECT count(*) FROM changes") == before


def test_an_enrolled_workers_laptop_may_not_change_vocabularies_a_coordinators_may(store: Store) -> None:
    assert vocabs.laptop_role(store) == roles.SINGLE_USER
    enrol_as(store, "worker")
    before = store.query_value("SELECT count(*) FROM changes")
    for attempt in (lambda: vocabs.add(store, "visit_type", "phone_fu", "电话回访"),
                    lambda: vocabs.rename(store, "visit_type", "routine", "日常"),
                    lambda: vocabs.deactivate(store, "visit_type", "routine")):
        with pytest.raises(RoleError) as refused:
            attempt()
        assert refused.value.code == "role.forbidden"
    assert store.query_value("SELECT count(*) FROM changes") == before
    assert vocabs.list_items(store, "visit_type")[1]["zh"] == "常规探访"     # listing is for everyone
    enrol_as(store, "coordinator")
    vocabs.add(store, "visit_type", "phone_fu", "电话回访")
    assert item(store, "visit_type", "phone_fu") is not None


def test_named_exports_need_a_role_that_may_export_names(store: Store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from lehe_desktop.core import exports

    visit(store, "routine")
    enrol_as(store, "worker")
    with pytest.raises(RoleError) as refused:
        exports.export(store, tmp_path / "w", level="named", password="export password 9")
    assert refused.value.code == "role.forbidden"
    assert not (tmp_path / "w").exists() or not any((tmp_path / "w").iterdir())
    assert exports.export(store, tmp_path / "d", level="deidentified").counts      # de-identified: allowed
    enrol_as(store, "coordinator")
    assert exports.export(store, tmp_path / "c", level="named", password="export password 9").counts
