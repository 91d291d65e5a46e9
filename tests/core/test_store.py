"""The store: round-trips, validation before the database, one change per write, history, areas, search."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from lehe_desktop.core.errors import StorageError, ValidationError
from lehe_desktop.core.ids import area_id, normalise_area_path
from lehe_desktop.core.records.schema import all_types
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.migrations import SCHEMA_VERSION
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.validation.idnumber import check_digit

TODAY = date(2026, 3, 1)
VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"


def id_number(birth: str, seq: str) -> str:
    body = "500238" + birth.replace("-", "") + seq
    return body + check_digit(body)


def last_seq(store: Store) -> int:
    """The sequence number of this laptop's latest change (0 before the first)."""
    return int(store.query_value("SELECT coalesce(max(seq), 0) FROM changes WHERE origin = ?", (store.origin,)))


def snapshot(store: Store) -> dict[str, Any]:
    """Row counts of every record table (tombstones included), the change log and the search index."""
    out: dict[str, Any] = {rt.table: store.query_value(f"SELECT count(*) FROM {rt.table}") for rt in all_types()}
    out["changes"] = store.query_value("SELECT count(*) FROM changes")
    out["search"] = store.query_value("SELECT count(*) FROM search")
    out["max_hlc"] = store.query_value("SELECT max(updated_hlc) FROM members")
    return out


def changes_for(store: Store, rid: str) -> list[tuple[str, str, str | None]]:
    return store.query("SELECT kind, fields, base FROM changes WHERE rid = ? ORDER BY seq", (rid,))


@pytest.fixture
def family(store: Store) -> dict[str, str]:
    """A village, one household and its head (with everything a member can have)."""
    store.today = TODAY
    village = store.ensure_area(VILLAGE)
    hh = store.create("household", {"area_id": village, "group_name": "3组", "head_name": "龚秀英",
                                    "address": "3组大院12号"}).id
    head = store.create("member", {"household_id": hh, "name": "龚秀英", "sex": "2",
                                   "birth_date": "1950-03-07", "relation": "02"}).id
    return {"village": village, "household": hh, "head": head}


# ---------------------------------------------------------------- round-trips

def test_every_core_record_type_round_trips_through_a_reopened_database(store: Store, paths: Any) -> None:
    store.today = TODAY
    village = store.ensure_area(VILLAGE)
    group = store.create("area", {"path": VILLAGE + "/3组", "name": "3组", "parent_id": village,
                                  "level": "group", "depth": 5, "code": "500238100"}).id
    hh_values = {"area_id": village, "group_name": "3组", "head_name": "龚秀英", "address": "3组大院12号",
                 "status": "on_register", "housing_type": "refused", "housing_safety": "fair",
                 "income_band": "not_collected", "gov_contact": "刘干部", "notes": "两层砖房\n屋顶漏雨"}
    hh = store.create("household", hh_values).id
    number = id_number("1950-03-07", "122")
    member_values = {"household_id": hh, "name": "龚秀英", "sex": "2", "birth_date": "1950-03-07",
                     "id_type": "resident_id", "id_number": number, "relation": "02",
                     "residence_status": "at_home", "work_location": "本村", "health_status": "unknown",
                     "guardian_name": "龚建国", "notes": "听力不好"}
    head = store.create("member", member_values).id
    others = {
        "household_category": {"household_id": hh, "category": "dibao"},
        "member_category": {"member_id": head, "category": "living_alone"},
        "member_disability": {"member_id": head, "disability_type": "2", "grade": "3", "certificate_no": "C123"},
        "member_phone": {"member_id": head, "number": "13812345678", "owner": "self", "note": "晚上打"},
    }
    ids = {rtype: store.create(rtype, values).id for rtype, values in others.items()}
    store.create("member_phone", {"member_id": head, "number": "15923456789", "owner": "child_away"})
    store.close()

    reopened = vault.unlock(paths, "correct horse 42")
    try:
        assert reopened.require("area", group)["path"] == VILLAGE + "/3组"
        assert reopened.require("area", village)["name"] == "乐和村"
        stored_hh = reopened.require("household", hh)
        assert {k: stored_hh[k] for k in hh_values} == hh_values
        stored = reopened.require("member", head)
        assert {k: stored[k] for k in member_values} == member_values
        for rtype, values in others.items():
            rec = reopened.require(rtype, ids[rtype])
            expected = dict(values)
            if rtype == "member_phone":
                expected["number"] = stored_phone = rec["number"]
                assert stored_phone.endswith("13812345678")  # normalised (E.164), same number
            assert {k: rec[k] for k in values} == expected
        # Several values are child rows, not JSON lists.
        phones = reopened.children("member_phone", head)
        assert len(phones) == 2 and {p["owner"] for p in phones} == {"self", "child_away"}
        assert reopened.stats()["households"] == 1 and reopened.stats()["residents"] == 1
    finally:
        reopened.close()


def test_id_number_fills_missing_birth_date_and_sex(store: Store, family: dict[str, str]) -> None:
    number = id_number("1988-11-02", "131")   # 17th digit odd: male
    rid = store.create("member", {"household_id": family["household"], "name": "龚建国",
                                  "id_number": number, "relation": "20", "sex": "1"}).id
    rec = store.require("member", rid)
    assert rec["birth_date"] == "1988-11-02" and rec["sex"] == "1"


# ---------------------------------------------------------------- invalid data changes nothing

GOOD_ID = id_number("1950-03-07", "122")
BAD_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")


@pytest.mark.parametrize(("values", "code"), [
    ({"name": "龚二", "sex": "2", "relation": "20", "id_number": BAD_ID}, "id_number.checksum"),
    ({"name": "龚二", "sex": "7", "relation": "20"}, "vocab.unknown"),
    ({"sex": "2", "relation": "20"}, "field.required"),
    ({"name": "龚二", "sex": "2", "relation": "20", "birth_date": "2030-01-01"}, "date.future"),
    ({"name": "龚二", "sex": "2", "relation": "20", "nickname": "二妹"}, "field.unknown"),
])
def test_invalid_member_is_rejected_with_its_code_and_nothing_changes(
        store: Store, family: dict[str, str], values: dict[str, Any], code: str) -> None:
    before = snapshot(store)
    seq_before = last_seq(store)
    with pytest.raises(ValidationError) as info:
        store.create("member", {"household_id": family["household"], **values})
    assert info.value.code == code
    assert any(p.code == code and p.is_error for p in info.value.problems)
    assert info.value.exit_code == 4
    assert info.value.zh and info.value.en
    assert snapshot(store) == before
    assert last_seq(store) == seq_before
    # The refused save used no sequence number: the next change follows on without a gap.
    store.update("member", family["head"], {"notes": "拒绝之后"})
    assert last_seq(store) == seq_before + 1


def test_invalid_update_and_dangling_reference_change_nothing(store: Store, family: dict[str, str]) -> None:
    before = snapshot(store)
    row_before = store.require("member", family["head"])
    with pytest.raises(ValidationError) as info:
        store.update("member", family["head"], {"name": "龚秀英", "phone": "138"})
    assert info.value.code == "field.unknown"
    with pytest.raises(ValidationError) as info:
        store.update("member", family["head"], {"birth_date": "1850-01-01"})
    assert info.value.code in ("member.too_old", "date.too_early")
    with pytest.raises(ValidationError) as info:
        store.create("member_phone", {"member_id": "no-such-member", "number": "13812345678"})
    assert info.value.code == "ref.missing"
    with pytest.raises(ValidationError) as info:
        store.create("member_phone", {"member_id": family["head"], "number": "12345"})
    assert info.value.code == "phone.format"
    assert snapshot(store) == before
    assert store.require("member", family["head"]) == row_before


def test_a_failed_transaction_rolls_back_every_write_in_it(store: Store, family: dict[str, str]) -> None:
    before = snapshot(store)
    with pytest.raises(ValidationError), store.transaction():
        store.create("member", {"household_id": family["household"], "name": "龚三", "sex": "1",
                                "relation": "20"})
        store.create("member", {"household_id": family["household"], "name": "", "sex": "1", "relation": "20"})
    assert snapshot(store) == before
    # The sequence counter was rewound too: the next change continues without a gap.
    store.create("member", {"household_id": family["household"], "name": "龚三", "sex": "1", "relation": "20"})
    seqs = [r[0] for r in store.query("SELECT seq FROM changes ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))


def test_sqlcipher_exceptions_become_storage_errors_with_a_code(store: Store) -> None:
    with pytest.raises(StorageError) as info, store.transaction():
        store.execute("INSERT INTO meta(k, v) VALUES ('device_id', 'dup')")
    assert info.value.code == "db.integrity"
    with pytest.raises(StorageError) as info:
        store.query("SELECT * FROM no_such_table")
    assert info.value.code == "db.operational"
    assert "no_such_table" not in info.value.zh + info.value.en


# ---------------------------------------------------------------- one change per write

def test_every_create_update_delete_leaves_exactly_one_change(store: Store, family: dict[str, str]) -> None:
    n = snapshot(store)["changes"]
    rid = store.create("member", {"household_id": family["household"], "name": "龚小明", "sex": "1",
                                  "birth_date": "2015-09-01", "relation": "40"}).id
    assert snapshot(store)["changes"] == n + 1
    assert store.update("member", rid, {"residence_status": "at_home", "notes": "上小学"}).changed
    assert snapshot(store)["changes"] == n + 2
    # Saving the same values again is not a change.
    assert not store.update("member", rid, {"residence_status": "at_home"}).changed
    assert snapshot(store)["changes"] == n + 2
    store.delete("member", rid)
    assert snapshot(store)["changes"] == n + 3
    kinds = [k for k, _f, _b in changes_for(store, rid)]
    assert kinds == ["upsert", "upsert", "delete"]
    fields = [json.loads(f) for _k, f, _b in changes_for(store, rid)]
    assert fields[0]["name"] == "龚小明" and fields[1] == {"residence_status": "at_home", "notes": "上小学"}
    assert fields[2] == {"deleted": 1}


def test_change_rows_carry_origin_seq_hlc_schema_and_user(store: Store, family: dict[str, str]) -> None:
    rows = store.query("SELECT origin, seq, hlc, schema, rtype, user, app, server_seq, status "
                              "FROM changes ORDER BY seq")
    assert [r[1] for r in rows] == list(range(1, len(rows) + 1))
    hlcs = [r[2] for r in rows]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
    for origin, _seq, _hlc, schema, rtype, user, app, server_seq, status in rows:
        assert origin == f"{store.device_id}:{store.epoch}"
        assert schema == SCHEMA_VERSION and rtype in ("area", "household", "member")
        assert user == "测试社工" and app and server_seq is None and status == "applied"


def test_delete_is_a_tombstone(store: Store, family: dict[str, str]) -> None:
    phone = store.create("member_phone", {"member_id": family["head"], "number": "13812345678"}).id
    before = snapshot(store)
    store.delete("member", family["head"])
    assert store.get("member", family["head"]) is None
    row = store.get("member", family["head"], include_deleted=True)
    assert row is not None and row["deleted"] == 1 and row["name"] == "龚秀英"
    after = snapshot(store)
    assert after["members"] == before["members"]          # the row stays for sync
    assert after["changes"] == before["changes"] + 1
    assert store.count("member") == 0 and store.stats()["residents"] == 0
    assert all(h["id"] != family["head"] for h in store.search("秀英"))
    assert store.get("member_phone", phone) is not None   # children are separate records
    with pytest.raises(Exception) as info:
        store.update("member", family["head"], {"notes": "x"})
    assert getattr(info.value, "code", "") == "record.not_found"


def test_history_shows_who_which_field_when_and_the_base(store: Store, family: dict[str, str]) -> None:
    rid = family["head"]
    first_version = store.versions_of("member", rid)["name"]
    store.update("member", rid, {"notes": "独居"})
    store.update("member", rid, {"notes": "独居，女儿在外", "residence_status": "at_home"})
    hist = store.history("member", rid)
    assert [h["kind"] for h in hist] == ["upsert", "upsert", "upsert"]
    assert hist[0]["fields"]["name"] == "龚秀英" and hist[0]["base"] is None
    assert hist[1]["fields"] == {"notes": "独居"}
    assert hist[2]["fields"] == {"notes": "独居，女儿在外", "residence_status": "at_home"}
    for h in hist:
        assert h["user"] == "测试社工" and h["device_id"] == store.device_id
        assert h["at"].startswith(str(date.today().year)) and h["at"].endswith("Z")
    # The base is the version each changed field had before the edit.
    assert hist[1]["base"] == {"notes": first_version}
    assert hist[2]["base"] == {"notes": [hist[1]["hlc"], store.origin], "residence_status": first_version}
    # A form may pass the versions it was loaded with; only changed fields are kept.
    loaded = store.versions_of("member", rid)
    store.update("member", rid, {"notes": "新备注", "name": "龚秀英"}, base=loaded)
    assert store.history("member", rid)[-1]["base"] == {"notes": loaded["notes"]}


# ---------------------------------------------------------------- areas

def test_area_ids_come_from_the_normalised_path(store: Store) -> None:
    a = store.ensure_area(VILLAGE)
    n = snapshot(store)["changes"]
    assert store.ensure_area(VILLAGE) == a
    assert store.ensure_area(" 重庆市 / 巫溪县／白鹿镇／乐和村/ ") == a
    assert store.ensure_area("重庆市\\巫溪县\\白鹿镇\\乐和村") == a
    assert snapshot(store)["changes"] == n          # nothing new was made
    assert area_id("重庆市／巫溪县/白鹿镇/乐和村") == a == area_id(VILLAGE)
    assert normalise_area_path("重庆市 /巫溪县／ 白鹿镇/乐和村") == VILLAGE
    other = store.ensure_area("重庆市/巫溪县/白鹿镇/大坪村")
    assert other != a
    township = store.require("area", a)["parent_id"]
    assert township == area_id("重庆市/巫溪县/白鹿镇") == store.require("area", other)["parent_id"]
    chain = []
    node: str | None = a
    while node:
        rec = store.require("area", node)
        chain.append((rec["name"], rec["level"], rec["depth"]))
        node = rec["parent_id"]
    assert chain == [("乐和村", "village", 4), ("白鹿镇", "township", 3), ("巫溪县", "county", 2),
                     ("重庆市", "province", 1)]


def test_same_village_made_in_two_databases_has_one_id(tmp_path: Any) -> None:
    from lehe_desktop.core.paths import DataPaths

    ids = []
    for name, path in (("a", VILLAGE), ("b", "重庆市／巫溪县／白鹿镇／乐和村")):
        p = DataPaths(root=tmp_path / name, logs=tmp_path / name / "logs")
        st, _ = vault.setup(p, "correct horse 42")
        try:
            ids.append(st.ensure_area(path))
        finally:
            st.close()
    assert ids[0] == ids[1]


# ---------------------------------------------------------------- bulk path and search

def test_bulk_create_writes_one_change_per_record_and_is_idempotent_for_natural_keys(
        store: Store, family: dict[str, str]) -> None:
    before = snapshot(store)
    rows = [{"household_id": family["household"], "name": f"龚{c}", "sex": "1", "relation": "20"} for c in "甲乙丙"]
    assert store.bulk_create("member", rows) == 3
    cats = [{"member_id": family["head"], "category": "very_old"}]
    assert store.bulk_create("member_category", cats) == 1
    assert store.bulk_create("member_category", cats) == 0
    after = snapshot(store)
    assert after["members"] == before["members"] + 3 and after["member_categories"] == before["member_categories"] + 1
    assert after["changes"] == before["changes"] + 4
    with pytest.raises(ValidationError):
        store.bulk_create("member", [{"household_id": family["household"], "name": "龚丁", "sex": "1",
                                      "relation": "20"}, {"household_id": family["household"], "sex": "x"}])
    assert snapshot(store) == after


def test_search_finds_one_and_two_character_chinese_queries(store: Store, family: dict[str, str]) -> None:
    store.create("household", {"area_id": family["village"], "group_name": "5组", "head_name": "王德福"})
    hits = store.search("龚")
    assert {(h["type"], h["id"]) for h in hits} >= {("household", family["household"]), ("member", family["head"])}
    assert all(set(h) == {"type", "id", "title"} for h in hits)
    assert [h["title"] for h in store.search("德福")] == ["王德福户 · 5组"]
    assert store.search("秀英") and not store.search("秀福")
    assert len(store.search("乐和")) >= 2                  # by village name
    assert [h["id"] for h in store.search("王德福")] == [h["id"] for h in store.search("德福")]
    store.update("household", family["household"], {"head_name": "龚建国"})
    assert all(h["id"] != family["household"] for h in store.search("秀英"))
    assert any(h["id"] == family["household"] for h in store.search("建国"))
    assert store.search("  ") == [] and store.search("，。") == []


def test_lookups_remembered_during_a_bulk_do_not_outlive_it(store: Store, family: dict[str, str]) -> None:
    rows = [{"household_id": family["household"], "name": f"龚{c}", "sex": "1", "relation": "20"} for c in "甲乙"]
    assert store.bulk_create("member", rows) == 2
    store.delete("household", family["household"])
    # The household was looked up during the last bulk; a new bulk must see that it is gone.
    with pytest.raises(ValidationError) as info:
        store.bulk_create("member", rows)
    assert info.value.code == "ref.missing"
    assert store.get("household", family["household"]) is None
