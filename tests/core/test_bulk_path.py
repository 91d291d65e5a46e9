"""The bulk path (roster import, demo): the same bookkeeping as ``create``, built more cheaply.

Change rows are made by SQLite from the rows just written, search entries are written sorted
by key, and validation uses per-field fast cleaners; these tests hold each of them to the
slow, obvious way.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.records.schema import Context, Kind, all_types, record_type
from lehe_desktop.core.records.validate import _SLOW, _fast_cleaner, clean_field
from lehe_desktop.core.store import search as fts
from lehe_desktop.core.store.store import Store, _dumps

TODAY = date(2026, 3, 1)


def _rows(store: Store, table: str) -> list[dict[str, Any]]:
    return store.query_dicts(f"SELECT * FROM {table} ORDER BY rowid")


def test_every_bulk_record_has_one_change_with_every_field_as_create_would_write(store: Store) -> None:
    store.today = TODAY
    counts = make_demo(store, 12, seed=4, today=TODAY)
    assert counts["visits"] and counts["activities"] and counts["meetings"]
    seen_types = 0
    for rt in all_types():
        records = _rows(store, rt.table)
        if not records:
            continue
        seen_types += 1
        changes = {rid: (seq, h, kind, fields) for rid, seq, h, kind, fields in store.query(
            "SELECT rid, seq, hlc, kind, fields FROM changes WHERE rtype = ? AND origin = ?", (rt.name, store.origin))}
        for rec in records:
            _seq, h, kind, text = changes[rec["id"]]
            expected = {f: rec[f] for f in rt.field_names}           # every field, NULLs included
            assert kind == "upsert" and h == rec["updated_hlc"]
            assert list(json.loads(text)) == list(rt.field_names)
            assert json.loads(text) == expected
            assert text == _dumps(expected)                          # the very text create() writes
            assert json.loads(rec["versions"]) == {"*": [h, store.origin_index(store.origin)]}
    assert seen_types >= 10
    seqs = [s for (s,) in store.query("SELECT seq FROM changes WHERE origin = ? ORDER BY seq", (store.origin,))]
    assert seqs == list(range(1, len(seqs) + 1))                     # no gaps, no repeats
    hlcs = [h for (h,) in store.query("SELECT hlc FROM changes WHERE origin = ? ORDER BY seq", (store.origin,))]
    assert hlcs == sorted(set(hlcs))


def test_bulk_search_entries_match_the_ones_a_single_save_writes(store: Store) -> None:
    store.today = TODAY
    make_demo(store, 8, seed=2, today=TODAY)
    for rtype in ("household", "member", "visit"):
        rt = record_type(rtype)
        for rec in _rows(store, rt.table)[:20]:
            key = fts.row_key(rec["id"])
            row = store.query_one("SELECT rtype, rid, title FROM search WHERE rowid = ?", (key,))
            assert row == (rtype, rec["id"], store.title(rt, rec))
            tokens = store.search_tokens(rt, rec).split()
            if tokens:   # every token finds the record
                query = " AND ".join(f'"{t}"' for t in tokens[:6])
                found = store.query("SELECT rid FROM search WHERE search MATCH ?", (query,))
                assert (rec["id"],) in found


def test_a_failed_bulk_leaves_no_record_change_or_search_entry(store: Store) -> None:
    store.today = TODAY
    make_demo(store, 3, seed=1, today=TODAY)
    hid = store.query_value("SELECT id FROM households LIMIT 1")
    counts = [store.query_value(f"SELECT count(*) FROM {t}") for t in ("visits", "changes", "search")]
    good = {"household_id": hid, "visit_date": "2026-02-01", "visit_type": "routine", "target_seen": 1,
            "situation": "一切正常", "risk_level": "low", "follow_up_needed": 0}
    with pytest.raises(Exception) as info:
        store.bulk_create("visit", [good] * 2500 + [{**good, "risk_level": "nonsense"}], batch=1000)
    assert getattr(info.value, "code", None) == "vocab.unknown"
    assert [store.query_value(f"SELECT count(*) FROM {t}")
            for t in ("visits", "changes", "search")] == counts
    assert store.bulk_create("visit", [good] * 2500, batch=1000) == 2500
    assert store.search("一切正常", limit=5000, rtypes=["visit"]).__len__() >= 2500


_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200), st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["", "  ", "unknown", "refused", "routine", "low", "1", "0", "是", "2026-02-30", "2025-12-01",
                     "2030-01-01", " 2025-12-01 ", "a\nb", "王秀英", "x" * 60, "x" * 250]),
    st.text(max_size=8))


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fast_cleaners_agree_with_the_full_rules(data: st.DataObject) -> None:
    specs = [f for rt in all_types() for f in rt.fields if f.kind is not Kind.REF]
    f = data.draw(st.sampled_from(specs))
    value = data.draw(_VALUES)

    class Lookup:
        def vocab_has(self, vocab: str, code: str) -> bool:
            return code in {"routine", "low", "1", "unknown"}

        def record_exists(self, rtype: str, rid: str) -> bool:
            return False

        def get(self, rtype: str, rid: str) -> dict[str, Any] | None:
            return None

        def children(self, rtype: str, parent_id: str) -> list[dict[str, Any]]:
            return []

    ctx = Context(today=TODAY, lookup=Lookup())
    fast = _fast_cleaner(f)(value, ctx)
    if fast is not _SLOW:
        slow, problems = clean_field(f, value, ctx)
        assert problems == [] and fast == slow and type(fast) is type(slow)


def test_a_batch_refused_by_sqlite_undoes_the_whole_bulk_and_changes_no_process_setting(store: Store) -> None:
    import gc
    import sys

    from lehe_desktop.core.errors import StorageError
    from lehe_desktop.core.ids import uuid7

    store.today = TODAY
    aid = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    counts = [store.query_value(f"SELECT count(*) FROM {t}") for t in ("households", "changes", "search")]
    switch_before, gc_before = sys.getswitchinterval(), gc.isenabled()
    cache_before = store.query_value("PRAGMA cache_size")
    # Pre-validated rows skip the checks, so the foreign key on the third batch fails inside SQLite.
    rows = [{"id": uuid7(), "area_id": aid if i < 2500 else "no-such-area", "group_name": "1组", "head_name": "王大山"}
            for i in range(3000)]
    with pytest.raises(StorageError):
        store.bulk_create("household", rows, validated=True, batch=1000)
    assert [store.query_value(f"SELECT count(*) FROM {t}")
            for t in ("households", "changes", "search")] == counts
    # No process-wide interpreter setting is touched, and the bulk's page cache is given back, also
    # after a failure.
    assert (sys.getswitchinterval(), gc.isenabled()) == (switch_before, gc_before)
    assert store.query_value("PRAGMA cache_size") == cache_before
    assert store.bulk_create("household", rows[:2500], validated=True, batch=1000) == 2500
    assert store.unsent_count() >= 2500


def test_a_bulk_nested_in_the_rows_of_another_gives_every_record_one_numbered_change(store: Store) -> None:
    from collections.abc import Iterator

    from lehe_desktop.core.ids import uuid7

    store.today = TODAY
    aid = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")

    def households(n: int) -> list[dict[str, Any]]:
        return [{"id": uuid7(), "area_id": aid, "group_name": "1组", "head_name": "王大山"} for _ in range(n)]

    first = households(60)
    store.bulk_create("household", first, validated=True)

    def members() -> Iterator[dict[str, Any]]:
        for k, hh in enumerate(first):
            if k % 20 == 5:
                # Rows made on the way may need parents of their own: a bulk inside the bulk's rows,
                # while the outer one has a batch half built.
                store.bulk_create("household", households(9), validated=True, batch=4)
            yield {"id": uuid7(), "household_id": hh["id"], "name": "王小山", "sex": "1", "relation": "02"}

    with store.transaction():
        assert store.bulk_create("member", members(), validated=True, batch=7) == 60
    assert store.count("household") == 60 + 3 * 9 and store.count("member") == 60
    seqs = [s for (s,) in store.query("SELECT seq FROM changes WHERE origin = ? ORDER BY seq",
                                             (store.origin,))]
    assert seqs == list(range(1, len(seqs) + 1))
    for table, rtype in (("households", "household"), ("members", "member")):
        missing = store.query_value(
            f"SELECT count(*) FROM {table} t WHERE (SELECT count(*) FROM changes c WHERE c.rtype = ? "
            "AND c.rid = t.id) != 1", (rtype,))
        assert missing == 0, rtype


def test_a_bulk_started_on_another_thread_waits_and_leaves_no_lookups_behind(store: Store) -> None:
    import threading
    import time
    from collections.abc import Iterator

    from lehe_desktop.core.ids import uuid7

    store.today = TODAY
    aid = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    hids = [uuid7() for _ in range(3)]
    store.bulk_create("household", [{"id": h, "area_id": aid, "group_name": "1组", "head_name": "王大山"}
                                    for h in hids], validated=True)
    other = threading.Thread(target=store.bulk_create, args=(
        "household_category", [{"household_id": h, "category": "dibao"} for h in hids]), kwargs={"validated": True})

    def members() -> Iterator[dict[str, Any]]:
        other.start()       # a second thread's bulk (a GUI worker beside a script …) starts meanwhile
        time.sleep(0.5)
        for h in hids:
            yield {"household_id": h, "name": "王小山", "sex": "1", "relation": "02", "birth_date": "1980-01-01"}

    assert store.bulk_create("member", members()) == 3
    other.join()
    assert store.count("household_category") == 3
    # Lookups a bulk remembered (the households its members named) end with it, whichever finished first.
    store.update("household", hids[0], {"head_name": "李新"})
    assert store.get("household", hids[0])["head_name"] == "李新"


def test_a_failed_batch_keeps_its_own_error_code_between_lookups(store: Store) -> None:
    from lehe_desktop.core.errors import StorageError
    from lehe_desktop.core.ids import uuid7

    store.today = TODAY
    aid = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    # Rows with their own ids: each id is looked up (re-import check) between batch writes; the
    # second batch names an area that does not exist.
    codes = set()
    for _ in range(60):
        rows = [{"id": uuid7(), "area_id": aid if i < 40 else "no-such-area", "group_name": "1组",
                 "head_name": "王大山"} for i in range(120)]
        with pytest.raises(StorageError) as err:
            store.bulk_create("household", rows, validated=True, batch=40)
        codes.add(err.value.code)
    assert codes == {"db.integrity"}       # never the connection's next error, or a count mismatch
    assert store.count("household") == 0


def test_rows_may_name_a_row_of_the_same_bulk_that_is_still_waiting_in_its_batch(store: Store) -> None:
    from lehe_desktop.core.ids import area_id

    store.today = TODAY
    # A chain of areas, each the parent of the next, in batches of 2: a row's parent is waiting in
    # this batch or was written with the one before. Validation must find it every time.
    made = 0
    for round_ in range(20):
        root = f"测试省{round_}"
        paths = [root] + [root + "/" + "/".join(f"{i}级" for i in range(1, n + 1)) for n in range(1, 7)]
        rows = [{"id": area_id(p), "path": p, "name": p.rsplit("/", 1)[-1], "depth": p.count("/") + 1,
                 "parent_id": area_id(p.rsplit("/", 1)[0]) if "/" in p else None} for p in paths]
        assert store.bulk_create("area", rows, batch=2) == len(rows)
        made += len(rows)
        assert store.count("area") == made


def test_parents_read_ahead_as_typed_are_still_found_once_cleaned_and_missing_ones_refuse_the_bulk(
        store: Store) -> None:
    # The bulk reads the parents its rows name ahead, as typed. An id padded with spaces is not
    # found that way; the cleaned id must still be found, as create finds it, and a missing parent
    # still refuses the bulk with create's code, writing nothing.
    store.today = TODAY
    make_demo(store, 4, seed=2, today=TODAY)
    hids = [r[0] for r in store.query("SELECT id FROM households ORDER BY id")]
    visit = {"visit_date": "2026-02-01", "visit_type": "routine", "target_seen": 1, "situation": "门前有积水",
             "risk_level": "low", "follow_up_needed": 0}
    rows = [{**visit, "household_id": hids[i % 2]} for i in range(30)]
    rows += [{**visit, "household_id": f"  {hids[2]} "}] + [{**visit, "household_id": hids[3]}] * 5
    before = store.query_value("SELECT count(*) FROM changes")
    padded = "SELECT count(*) FROM visits WHERE household_id = ?"
    padded_before = store.query_value(padded, (hids[2],))
    assert store.bulk_create("visit", rows, batch=4) == len(rows)
    assert store.query_value(padded, (hids[2],)) == padded_before + 1
    assert store.query_value("SELECT count(*) FROM changes") == before + len(rows)
    counts = [store.query_value(f"SELECT count(*) FROM {t}") for t in ("visits", "changes", "search")]
    bad = [*rows[:9], {**visit, "household_id": "no-such-household"}, *rows[9:]]
    with pytest.raises(Exception) as info:
        store.bulk_create("visit", bad, batch=4)
    assert getattr(info.value, "code", None) == "ref.missing"
    assert [store.query_value(f"SELECT count(*) FROM {t}") for t in ("visits", "changes", "search")] == counts


def test_rules_that_read_records_not_named_by_the_row_still_apply_in_a_bulk(store: Store) -> None:
    # A matter raised at a meeting may not be dated before the meeting: the rule reads the meeting
    # through the agenda item. The item is read ahead (the row names it), the meeting is not: the
    # bulk must still refuse exactly what create refuses.
    store.today = TODAY
    make_demo(store, 4, seed=2, today=TODAY)
    matter = store.query_dicts("SELECT * FROM matters WHERE source_agenda_item_id IS NOT NULL LIMIT 1")[0]
    met = store.query_value("SELECT m.meeting_date FROM meetings m JOIN agenda_items a ON a.meeting_id = m.id "
                            "WHERE a.id = ?", (matter["source_agenda_item_id"],))
    ok = {k: v for k, v in matter.items() if k not in ("id", "deleted", "extra", "versions", "updated_hlc")}
    early = {**ok, "raised_on": "2000-01-01"}
    assert early["raised_on"] < met
    with pytest.raises(Exception) as single:
        store.create("matter", early)
    assert getattr(single.value, "code", None) == "matter.raised_before_source"
    counts = [store.query_value(f"SELECT count(*) FROM {t}") for t in ("matters", "changes")]
    with pytest.raises(Exception) as bulk:
        store.bulk_create("matter", [ok] * 5 + [early] + [ok] * 3, batch=2)
    assert getattr(bulk.value, "code", None) == "matter.raised_before_source"
    assert [store.query_value(f"SELECT count(*) FROM {t}") for t in ("matters", "changes")] == counts
    assert store.bulk_create("matter", [ok] * 7, batch=2) == 7
