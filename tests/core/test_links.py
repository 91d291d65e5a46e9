"""save_with_links: a record and its child lists saved as one transaction (real encrypted store)."""

from __future__ import annotations

import pytest

from lehe_desktop.core.errors import ValidationError
from lehe_desktop.core.store.links import LinkRowError, save_with_links
from lehe_desktop.core.store.store import Store

VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"


def _changes(store: Store) -> int:
    return int(store.query_value("SELECT count(*) FROM changes"))


def _household(store: Store, **links: list[dict[str, str]]) -> str:
    area = store.ensure_area(VILLAGE)
    return save_with_links(store, "household", None, {"area_id": area, "group_name": "3组", "head_name": "王德福"},
                           links).id


def test_create_with_links_writes_parent_and_children(store: Store) -> None:
    hid = _household(store, household_category=[{"category": "dibao"}, {"category": "tekun"}])
    assert store.get("household", hid)["head_name"] == "王德福"
    assert sorted(c["category"] for c in store.children("household_category", hid)) == ["dibao", "tekun"]


def test_update_diffs_the_links_create_missing_delete_removed_keep_same(store: Store) -> None:
    hid = _household(store, household_category=[{"category": "dibao"}, {"category": "tekun"}])
    kept = next(c["id"] for c in store.children("household_category", hid) if c["category"] == "dibao")
    before = _changes(store)
    result = save_with_links(store, "household", hid, {"head_name": "王德福"},
                             {"household_category": [{"category": "dibao"}, {"category": "orphan"}]})
    cats = {c["category"]: c["id"] for c in store.children("household_category", hid)}
    assert set(cats) == {"dibao", "orphan"}
    assert cats["dibao"] == kept                        # unchanged row kept, not re-created
    assert result.deleted["household_category"] and len(result.created["household_category"]) == 1
    assert _changes(store) - before == 2                # one delete, one create; the parent did not change
    assert not result.changed


def test_rows_with_ids_are_updated_and_missing_ids_deleted(store: Store) -> None:
    hid = _household(store)
    mid = save_with_links(store, "member", None,
                          {"household_id": hid, "name": "王德福", "sex": "1", "relation": "02"},
                          {"member_phone": [{"number": "13800138000", "owner": "self"},
                                            {"number": "13900139000", "owner": "self"}]}).id
    phones = store.children("member_phone", mid)
    assert [p["number"] for p in phones] == ["+8613800138000", "+8613900139000"]
    result = save_with_links(store, "member", mid, {"name": "王德福"},
                             {"member_phone": [{"id": phones[0]["id"], "number": "13700137000", "owner": "self"}]})
    after = store.children("member_phone", mid)
    assert [(p["id"], p["number"]) for p in after] == [(phones[0]["id"], "+8613700137000")]
    assert result.updated["member_phone"] == [phones[0]["id"]]
    assert result.deleted["member_phone"] == [phones[1]["id"]]
    assert result.children["member_phone"][0]["id"] == phones[0]["id"]


def test_a_bad_child_row_saves_nothing_and_names_the_row(store: Store) -> None:
    hid = _household(store)
    before = _changes(store)
    with pytest.raises(LinkRowError) as info:
        save_with_links(store, "member", None, {"household_id": hid, "name": "李四", "sex": "1", "relation": "02"},
                        {"member_phone": [{"number": "13800138000"}, {"number": "12"}]})
    assert info.value.rtype == "member_phone" and info.value.index == 1
    assert "row 2" in info.value.en and "第 2 行" in info.value.zh
    assert store.count("member") == 0 and _changes(store) == before   # the parent rolled back too


def test_a_bad_parent_raises_validation_error_and_writes_no_child(store: Store) -> None:
    store.ensure_area(VILLAGE)
    before = _changes(store)
    with pytest.raises(ValidationError):
        save_with_links(store, "household", None, {"group_name": "3组"},
                        {"household_category": [{"category": "dibao"}]})
    assert _changes(store) == before and store.count("household_category") == 0


def test_empty_list_deletes_every_child_and_other_lists_are_untouched(store: Store) -> None:
    hid = _household(store, household_category=[{"category": "dibao"}])
    mid = save_with_links(store, "member", None, {"household_id": hid, "name": "王德福", "sex": "1", "relation": "02"},
                          {"member_category": [{"category": "orphan"}]}).id
    save_with_links(store, "household", hid, {}, {"household_category": []})
    assert store.children("household_category", hid) == []
    assert [c["category"] for c in store.children("member_category", mid)] == ["orphan"]


def test_not_a_child_type_is_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        save_with_links(store, "household", None, {}, {"visit_visitor": []})
