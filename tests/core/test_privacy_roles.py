"""Roles decide who may view the audit log, reveal, anonymise and hand over (issue 16)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from lehe_desktop.core import audit, browse, handover, rights
from lehe_desktop.core.errors import EXIT_FORBIDDEN, StateError, StorageError
from lehe_desktop.core.roles import RoleError
from lehe_desktop.core.store.store import Store


def _as(store: Store, role: str) -> None:
    """This laptop as enrolment leaves it: a device key and the role of its user."""
    store.set_meta("sync_device_key", "enrolled")
    store.set_meta("enrolled_role", role)


def _family(store: Store) -> tuple[str, str]:
    hid = store.create("household", {"area_id": store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村"),
                                     "group_name": "一组", "head_name": "王大山", "address": "白鹿村3号"}).id
    mid = store.create("member", {"household_id": hid, "name": "王小花", "sex": "2", "relation": "40"}).id
    return hid, mid


def _refused(fn: object) -> RoleError:
    with pytest.raises(RoleError) as err:
        fn()   # type: ignore[operator]
    assert err.value.code == "role.forbidden" and err.value.exit_code == EXIT_FORBIDDEN
    return err.value


def test_a_worker_reveals_and_hands_over_but_neither_reads_the_audit_log_nor_anonymises(store: Store) -> None:
    hid, mid = _family(store)
    _as(store, "worker")
    assert browse.household_profile(store, hid, reveal=True)["household"]["address"] == "白鹿村3号"
    _refused(lambda: audit.entries(store))
    _refused(lambda: rights.anonymise(store, mid, basis="subject_request", requested_on=date(2026, 12, 6)))
    assert store.get("member", mid)["name"] == "王小花"          # nothing was changed
    with pytest.raises(Exception) as unsent:                     # allowed, but not with unsent work
        handover.require_ready(store)
    assert getattr(unsent.value, "code", "") == "handover.unsent"


def test_a_coordinator_reads_the_audit_log_and_only_an_admin_anonymises(store: Store) -> None:
    _hid, mid = _family(store)
    _as(store, "coordinator")
    assert [e["action"] for e in audit.entries(store)]            # the creates are there
    _refused(lambda: rights.anonymise(store, mid, basis="subject_request", requested_on=date(2026, 12, 6)))
    _as(store, "admin")
    rights.anonymise(store, mid, basis="subject_request", requested_on=date(2026, 12, 6))
    assert store.get("member", mid)["name"] != "王小花"


def test_a_single_user_install_may_do_everything(store: Store) -> None:
    hid, mid = _family(store)
    assert audit.entries(store)
    assert browse.household_profile(store, hid, reveal=True)["revealed"]
    rights.anonymise(store, mid, basis="subject_request", requested_on=date(2026, 12, 6))


def _copies(store: Store) -> list[dict[str, object]]:
    """The audit log's person-copy entries (read directly: a worker may not list the log)."""
    rows = store.query_dicts("SELECT action, detail FROM audit_log WHERE action = 'person_copy' ORDER BY seq")
    return [json.loads(str(r["detail"])) for r in rows]


def test_a_persons_copy_is_named_data_for_coordinators_and_admins_audited_once_written(
        store: Store, tmp_path: Path) -> None:
    _hid, mid = _family(store)
    out = tmp_path / "copy.json"
    _as(store, "worker")
    refusals = rights.refusals(store)
    assert refusals[rights.COPY] is not None and refusals[rights.ANONYMISE] is not None
    assert refusals[rights.COPY].zh == _refused(lambda: rights.person_copy(store, mid)).zh   # the core's own words
    _refused(lambda: rights.write_person_copy(store, mid, out))
    assert not out.exists() and _copies(store) == []
    _as(store, "coordinator")
    refusals = rights.refusals(store)
    assert refusals[rights.COPY] is None and refusals[rights.ANONYMISE] is not None
    assert "协调员" in refusals[rights.ANONYMISE].zh
    # A folder that cannot be written: a coded refusal, no file, no audit entry.
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    with pytest.raises(StorageError) as failed:
        rights.write_person_copy(store, mid, blocked / "copy.json")
    assert failed.value.code == "rights.write_failed" and _copies(store) == []
    assert rights.write_person_copy(store, mid, out) == out
    assert json.loads(out.read_text(encoding="utf-8"))["member"]["姓名"] == "王小花"
    assert _copies(store) == [{"member": mid}]
    with pytest.raises(StateError) as exists:                  # never overwritten
        rights.write_person_copy(store, mid, out)
    assert exists.value.code == "rights.exists" and _copies(store) == [{"member": mid}]
