"""Names sort in pinyin order (a sort key beside each name, SQL sorts by it); a household is found
by a member's whole phone or ID number (keyed search tokens). Schemas 8 and 9."""

from __future__ import annotations

import shutil
from pathlib import Path

from schema_rollback import roll_back

from lehe_desktop.core import browse
from lehe_desktop.core.messages import CHANGE_COLUMNS
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync.merge import apply_changes, change_from_row
from lehe_desktop.core.validation.pinyin import sort_key, syllable

VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"
# In the order a Chinese reader expects (pinyin, then tone; 曾 read zēng as a surname).
IN_ORDER = ["阿依古丽·买买提", "白春花", "陈静", "李娜", "李秀英", "林一", "刘洋", "吕布", "欧阳修", "王芳",
            "曾小华", "张伟", "赵四"]
FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "schema_v1"


def test_keys_put_names_in_pinyin_order() -> None:
    assert sorted(reversed(IN_ORDER), key=sort_key) == IN_ORDER
    assert sorted(IN_ORDER) != IN_ORDER              # code point order is not pinyin order
    assert syllable("zhōng") == "zhong1" and syllable("lǜ") == "lv4" and syllable("ma") == "ma5"
    assert sort_key("李明") == "li3李ming2明"
    assert sort_key("曾") == "zeng1曾" and sort_key("不曾")[:4] != "zeng"   # a surname only at the start
    assert sort_key(None) is None and sort_key("") is None
    # Homophones stay grouped by character: every 李 before any 理.
    assert sorted(["理想", "李四", "理查", "李一"], key=sort_key) == ["李四", "李一", "理查", "理想"]


def _households(store: Store, names: list[str]) -> None:
    aid = store.ensure_area(VILLAGE)
    half = len(names) // 2
    for n in names[:half]:                           # one by one …
        store.create("household", {"area_id": aid, "group_name": "1组", "head_name": n})
    store.bulk_create("household", ({"area_id": aid, "group_name": "1组", "head_name": n}   # … and in bulk
                                    for n in names[half:]))


def _heads(store: Store, flt: browse.HouseholdFilter | None = None) -> list[str]:
    ids = browse.household_ids(store, flt or browse.HouseholdFilter())
    return [r["head_name"] for r in browse.household_rows(store, ids)]


def test_the_household_list_sorts_in_pinyin_order_in_sql(store: Store) -> None:
    _households(store, list(reversed(IN_ORDER)))
    assert _heads(store) == IN_ORDER
    assert _heads(store, browse.HouseholdFilter(desc=True)) == list(reversed(IN_ORDER))
    assert _heads(store, browse.HouseholdFilter(sort="group")) == IN_ORDER
    # The key is stored, indexed, and follows an edit of the name (not as a field: not in the change).
    plan = " ".join(str(r) for r in store.query(
        "EXPLAIN QUERY PLAN SELECT id FROM households WHERE deleted = 0 ORDER BY head_name_sort"))
    assert "households_head_name_sort" in plan
    hid = store.query_value("SELECT id FROM households WHERE head_name = '赵四'")
    store.update("household", hid, {"head_name": "安然"})
    assert store.query_value("SELECT head_name_sort FROM households WHERE id = ?", (hid,)) == sort_key("安然")
    assert _heads(store)[:3] == ["阿依古丽·买买提", "安然", "白春花"]
    fields = store.query_value("SELECT fields FROM changes WHERE rid = ? ORDER BY seq DESC LIMIT 1", (hid,))
    assert "sort" not in fields
    mid = store.create("member", {"household_id": hid, "name": "曾小华", "sex": "1", "relation": "02"}).id
    assert store.query_value("SELECT name_sort FROM members WHERE id = ?", (mid,)) == sort_key("曾小华")


def test_names_that_arrive_by_sync_get_their_keys_as_the_transaction_ends(tmp_path: Path, store: Store) -> None:
    other, _ = vault.setup(DataPaths(root=tmp_path / "other", logs=tmp_path / "other" / "logs"), "correct horse 42")
    try:
        _households(other, ["张伟", "陈静", "王芳"])
        hid = other.query_value("SELECT id FROM households WHERE head_name = '王芳'")
        changes = [change_from_row(r) for r in other.query(f"SELECT {CHANGE_COLUMNS} FROM changes ORDER BY id")]
        apply_changes(store, changes)
        # The merge writes a change's fields only; the store fills the keys as its transaction ends,
        # so the replicas hold the same rows.
        assert store.query_value("SELECT count(*) FROM households WHERE head_name_sort IS NULL") == 0
        assert _heads(store) == ["陈静", "王芳", "张伟"]
        assert store.query("SELECT id, head_name_sort FROM households ORDER BY id") == \
            other.query("SELECT id, head_name_sort FROM households ORDER BY id")
        # A name changed by sync: the trigger drops its old key, the transaction's end fills the new one.
        other.update("household", hid, {"head_name": "艾青"})
        last = other.query(f"SELECT {CHANGE_COLUMNS} FROM changes ORDER BY id DESC LIMIT 1")
        with store.transaction():
            apply_changes(store, [change_from_row(last[0])])
            assert store.query_value("SELECT head_name_sort FROM households WHERE id = ?", (hid,)) is None
        assert store.query_value("SELECT head_name_sort FROM households WHERE id = ?", (hid,)) == sort_key("艾青")
        assert _heads(store) == ["艾青", "陈静", "张伟"]
        assert store.fill_sort_keys() == 0            # nothing left to fill: one index lookup each
        # A new row from sync carries its key as it is written (no second pass over the pulled rows).
        _households(other, ["欧阳修"])
        new = other.query(f"SELECT {CHANGE_COLUMNS} FROM changes WHERE rtype = 'household' ORDER BY id DESC LIMIT 1")
        with store.transaction():
            apply_changes(store, [change_from_row(new[0])])
            assert store.query_value("SELECT head_name_sort FROM households WHERE head_name = '欧阳修'") == \
                sort_key("欧阳修")
    finally:
        other.close()


def test_schema_6_fills_the_keys_of_existing_names(tmp_path: Path) -> None:
    import json

    expected = json.loads((FIXTURE / "expected.json").read_text("utf-8"))
    root = tmp_path / "v1"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("expected.json"))
    old = vault.unlock(DataPaths(root=root, logs=root / "logs"), expected["passphrase"])
    try:
        rows = old.query("SELECT head_name, head_name_sort FROM households")
        members = old.query("SELECT name, name_sort FROM members")
        assert rows and members
        assert all(key == sort_key(name) for name, key in rows + members)
        assert old.fill_sort_keys() == 0
        # Schema 7: the phones written before it are found typed whole, shown masked; name search still works.
        for number in expected["phones"]:
            hits = old.search(number[3:])
            assert [(h["type"], h["match"]) for h in hits] == [("member_phone", number[3:6] + "****" + number[-4:])]
            assert hits[0]["title"].startswith("龚秀英 · ")
        assert any(h["id"] == expected["head_id"] for h in old.search("秀英"))
        # An ID number written after the upgrade is found too.
        old.update("member", expected["head_id"], {"id_number": "110101195003070021"})
        assert [h["id"] for h in old.search("110101195003070021")] == [expected["head_id"]]
    finally:
        old.close()


def test_the_household_filter_finds_a_household_by_a_whole_phone_or_id_number(store: Store) -> None:
    aid = store.ensure_area(VILLAGE)
    hid = store.create("household", {"area_id": aid, "group_name": "1组", "head_name": "王德福"}).id
    store.create("household", {"area_id": aid, "group_name": "1组", "head_name": "李秀英"})
    mid = store.create("member", {"household_id": hid, "name": "王小军", "sex": "1", "relation": "20",
                                  "id_number": "110101199003070011"}).id
    store.create("member_phone", {"member_id": mid, "number": "13800138000"})
    for typed in ("110101199003070011", "138 0013 8000", "+86 138-0013-8000"):
        assert browse.household_ids(store, browse.HouseholdFilter(text=typed)) == [hid], typed
    assert browse.household_ids(store, browse.HouseholdFilter(text="1101011990")) == []


def test_a_schema_5_database_gains_sort_keys_and_number_search(tmp_path: Path) -> None:
    """Taken back to schema 7 exactly (the columns, index, triggers and key gone, phones unindexed),
    a database steps up to today's: every name gets its key, every number its token."""
    from lehe_desktop.core.store.connection import connect
    from lehe_desktop.core.store.search import row_key

    root = tmp_path / "old"
    paths = DataPaths(root=root, logs=root / "logs")
    st, _ = vault.setup(paths, "correct horse 42")
    _households(st, ["张伟", "陈静", "王芳", "曾小华"])
    hid = st.query_value("SELECT id FROM households WHERE head_name = '王芳'")
    mid = st.create("member", {"household_id": hid, "name": "王芳", "sex": "2", "relation": "02",
                               "id_number": "110101199003070038"}).id
    pid = st.create("member_phone", {"member_id": mid, "number": "13912345678"}).id
    st.close()
    key = vault.keyfile(paths).unlock("correct horse 42")
    conn = connect(paths.database, key)

    conn.execute("DELETE FROM search WHERE rowid = ?", (row_key(pid),))   # schema 7 indexed no phones
    roll_back(conn, to=7)
    conn.commit()
    conn.close()
    st = vault.unlock(paths, "correct horse 42")
    try:
        assert _heads(st) == ["陈静", "王芳", "曾小华", "张伟"]
        assert st.query_value("SELECT count(*) FROM households WHERE head_name_sort IS NULL") == 0
        assert st.query_value("SELECT name_sort FROM members WHERE id = ?", (mid,)) == sort_key("王芳")
        assert [h["id"] for h in st.search("139 1234 5678")] == [pid]
        assert [h["id"] for h in st.search("110101199003070038")] == [mid]
        assert any(h["id"] == mid for h in st.search("王芳"))      # the member's name is still indexed
    finally:
        st.close()
    assert len(list(paths.backups.glob("auto-*-pre-migrate-v7.lehe-backup"))) == 1
