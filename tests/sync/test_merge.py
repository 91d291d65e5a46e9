"""The merge function on its own (real encrypted stores, no server): order independence,
idempotency, children held until their parent arrives, unknown fields kept."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sync_harness import VILLAGE, make_laptop

from lehe_desktop.core.ids import area_id, uuid7
from lehe_desktop.core.messages import Change
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync.merge import apply_changes


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store]]:
    root = tmp_path_factory.mktemp("merge")
    a, b = make_laptop(root / "a"), make_laptop(root / "b")
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _row(store: Store, table: str, rid: str) -> dict[str, object] | None:
    rows = store.query_dicts(f"SELECT * FROM {table} WHERE id = ?", (rid,))
    if not rows:
        return None
    rec = rows[0]
    rec.pop("versions")
    rec.pop("updated_hlc")
    rec["extra"] = json.loads(rec["extra"]) if rec["extra"] else {}
    return rec


_counter = itertools.count()

writes = st.lists(st.tuples(st.integers(0, 2),                       # origin
                            st.integers(1, 40),                      # hlc (ties broken by origin)
                            st.sampled_from(["name", "code", "level", "deleted", "future"]),
                            st.integers(0, 3)),                      # value
                  min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(writes=writes, order=st.randoms(use_true_random=False))
def test_any_order_and_any_repetition_gives_the_same_record(pair: tuple[Store, Store], writes: list,
                                                            order: object) -> None:
    a, b = pair
    rid = f"rec-{next(_counter)}"
    changes = []
    seqs: dict[int, int] = {}
    stamps = set()
    for o, h, field, v in writes:
        if (o, h) in stamps:
            continue          # a clock never stamps twice with the same value on one origin
        stamps.add((o, h))
        seqs[o] = seqs.get(o, 0) + 1
        value: object = (v % 2) if field == "deleted" else (f"v{v}" if field != "level" else "village")
        changes.append(Change(origin=f"dev{o}:e", seq=seqs[o] + 1000 * next(_counter), hlc=h, schema=1,
                              rtype="area", rid=rid, kind="upsert", fields={field: value}))
    shuffled = list(changes)
    order.shuffle(shuffled)                                            # type: ignore[attr-defined]
    apply_changes(a, changes)
    apply_changes(b, shuffled + shuffled[: len(shuffled) // 2])        # and some twice
    apply_changes(b, changes)
    assert _row(a, "areas", rid) == _row(b, "areas", rid)
    # The oracle: the last write by (hlc, origin) per field.
    last: dict[str, tuple[tuple[int, str], object]] = {}
    for c in changes:
        for f, v in c.fields.items():
            if f not in last or (c.hlc, c.origin) > last[f][0]:
                last[f] = ((c.hlc, c.origin), v)
    rec = _row(a, "areas", rid)
    assert rec is not None
    for f, (_, v) in last.items():
        got = rec["extra"].get(f) if f == "future" else rec[f]
        assert got == v, f
    n = a.query_value("SELECT count(*) FROM changes WHERE rid = ?", (rid,))
    assert n == len(changes) == b.query_value("SELECT count(*) FROM changes WHERE rid = ?", (rid,))


def test_child_before_parent_is_held_then_applied(tmp_path: Path) -> None:
    src = make_laptop(tmp_path / "src")
    dst = make_laptop(tmp_path / "dst")
    aid = src.ensure_area(VILLAGE)
    hid = src.create("household", {"area_id": aid, "group_name": "一组", "head_name": "王大山"}).id
    mid = src.create("member", {"household_id": hid, "name": "王小花", "sex": "2", "relation": "10"}).id
    rows = src.query("SELECT origin, seq, hlc, schema, rtype, rid, kind, fields, base FROM changes "
                            "ORDER BY seq")
    changes = [Change(origin=o, seq=s, hlc=h, schema=sc, rtype=t, rid=r, kind=k, fields=json.loads(f),
                      base=json.loads(b) if b else None) for o, s, h, sc, t, r, k, f, b in rows]
    member = [c for c in changes if c.rtype == "member"]
    others = [c for c in changes if c.rtype != "member"]
    res = apply_changes(dst, member)                     # the parent has not arrived
    assert res.held == 1 and dst.get("member", mid) is None
    assert dst.query_value("SELECT status FROM changes WHERE rid = ?", (mid,)) == "held"
    apply_changes(dst, others)                           # … now it has: the held child follows
    assert dst.get("member", mid)["name"] == "王小花"
    assert dst.query_value("SELECT status FROM changes WHERE rid = ?", (mid,)) == "applied"
    assert dst.search("王小花")[0]["id"] == mid          # the search index follows merges
    assert apply_changes(dst, changes).duplicates == len(changes)
    src.close()
    dst.close()


def test_unknown_record_type_is_stored_not_lost(tmp_path: Path) -> None:
    store = make_laptop(tmp_path / "a")
    ch = Change(origin="newer:e", seq=1, hlc=5, schema=99, rtype="photo", rid=uuid7(), kind="upsert",
                fields={"area_id": area_id(VILLAGE), "sha256": "ab"})
    assert apply_changes(store, [ch]).applied == 1
    row = store.query_one("SELECT status, fields FROM changes WHERE origin = 'newer:e'")
    assert row[0] == "stored" and json.loads(row[1])["sha256"] == "ab"
    store.close()
