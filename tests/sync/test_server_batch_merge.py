"""The server's batched merge: an edit of a row that arrived earlier in the same push is merged
into that row while it still waits for its insert (no write and read back in between), and that
gives exactly the rows, conflicts and change log of merging each change into the stored row."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sync_harness import VILLAGE

from lehe_desktop.core import hlc as hlc_mod
from lehe_desktop.core.messages import Change
from lehe_desktop.server.scope import ScopeResolver
from lehe_desktop.server.storage import ServerStorage

NAMES = ["王大山", "李秀英", "张 Wei", "赵小红"]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerStorage, ServerStorage, str]]:
    root = tmp_path_factory.mktemp("batch")
    out = []
    for name in ("batched", "single"):
        st_ = ServerStorage(root / name / "server.db")
        st_.init()
        st_.open()
        out.append(st_)
    aid = out[0].add_area(VILLAGE)
    assert out[1].add_area(VILLAGE) == aid
    try:
        yield out[0], out[1], aid
    finally:
        for s in out:
            s.close()


# One step: (kind, which household, which name, origin, based on what its origin last saw)
steps = st.lists(st.tuples(st.sampled_from(["create", "edit", "edit", "delete", "extra", "member"]),
                           st.integers(0, 3), st.integers(0, len(NAMES) - 1), st.integers(0, 1), st.booleans()),
                 min_size=1, max_size=30)
_run = itertools.count()


def build(plan: list[tuple[str, int, int, int, bool]], aid: str) -> list[Change]:
    run = next(_run)
    origins = [f"dev{o}-{run}:{uuid.uuid4()}" for o in (0, 1)]
    hids = [str(uuid.uuid4()) for _ in range(4)]
    seqs = [0, 0]
    base = hlc_mod.pack(hlc_mod.now_ms() - 60_000)
    seen: dict[tuple[str, str], list[Any]] = {}       # the version each field was last written at
    out: list[Change] = []
    for i, (kind, h, n, o, based) in enumerate(plan):
        seqs[o] += 1
        rtype, rid = "household", hids[h]
        if kind == "create":
            fields: dict[str, Any] = {"area_id": aid, "group_name": f"{h + 1}组", "head_name": NAMES[n],
                                      "address": f"老屋基 {h} 号", "status": None, "notes": None}
        elif kind == "edit":
            fields = {"head_name": NAMES[n], "notes": f"第{i}次"}
        elif kind == "delete":
            fields = {"deleted": 1}
        elif kind == "extra":
            fields = {"future_field": f"新字段{n}", "notes": NAMES[n]}     # a field of a newer app: kept in extra
        else:
            rtype, rid = "member", f"{hids[h][:30]}-m{n}"
            fields = {"household_id": hids[h], "name": NAMES[n], "sex": "2", "relation": "10"}
        stamp = base + i
        change_base = {f: seen[(rid, f)] for f in fields if (rid, f) in seen} if based else None
        for f in fields:
            seen[(rid, f)] = [stamp, origins[o]]
        out.append(Change(origin=origins[o], seq=seqs[o], hlc=stamp, schema=5, rtype=rtype, rid=rid,
                          kind="delete" if kind == "delete" else "upsert", fields=fields, base=change_base,
                          user="测试", wall_ms=1, app="t"))
    return out


def apply(storage: ServerStorage, changes: list[Change]) -> None:
    with storage.transaction():
        resolver = ScopeResolver(storage.store)
        merger = storage.merger(resolver)
        with merger.batch(changes):
            for ch in changes:
                merger.apply_one(ch)
        storage.seal(merger.made)
        resolver.flush()


def snapshot(storage: ServerStorage, changes: list[Change]) -> dict[str, Any]:
    store = storage.store
    rids = sorted({c.rid for c in changes})
    marks = ", ".join("?" * len(rids))
    rows = {}
    for table in ("households", "members"):
        for rec in store.query_dicts(f"SELECT * FROM {table} WHERE id IN ({marks}) ORDER BY id", rids):
            versions = {f: [v[0], store.origin_name(v[1])] for f, v in json.loads(rec.pop("versions")).items()}
            rows[(table, rec["id"])] = {**rec, "versions": versions}
    conflicts = store.query(f"SELECT rtype, rid, field, kind, winner_value, winner_version, other_value, "
                            f"other_version, status FROM conflicts WHERE rid IN ({marks}) ORDER BY id", rids)
    origins = sorted({c.origin for c in changes})
    log = store.query(f"SELECT origin, seq, rtype, rid, fields, base, status FROM changes WHERE origin IN "
                      f"({', '.join('?' * len(origins))}) ORDER BY origin, seq", origins)
    return {"rows": rows, "conflicts": conflicts, "log": log}


@settings(max_examples=40, deadline=None)
@given(plan=steps)
def test_edits_merged_before_the_insert_give_what_the_stored_row_gives(
        pair: tuple[ServerStorage, ServerStorage, str], plan: list[tuple[str, int, int, int, bool]]) -> None:
    batched, single, aid = pair
    changes = build(plan, aid)
    apply(batched, changes)                 # one push: edits meet rows still queued for insert
    for ch in changes:
        apply(single, [ch])                 # one change a transaction: every edit reads the stored row
    assert snapshot(batched, changes) == snapshot(single, changes)


def test_an_edit_in_the_same_push_is_merged_before_the_insert(pair: tuple[ServerStorage, ServerStorage, str]) -> None:
    """Without this the property above could pass by never merging in memory: a create and its edit
    arrive in one push; the row waits for its one insert already holding the edited values. A
    concurrent edit after them still makes its conflict record."""
    batched, _, aid = pair
    changes = build([("create", 0, 0, 0, False), ("edit", 0, 1, 0, True), ("edit", 0, 2, 1, False)], aid)
    with batched.transaction():
        resolver = ScopeResolver(batched.store)
        merger = batched.merger(resolver)
        with merger.batch(changes):
            for ch in changes[:2]:
                merger.apply_one(ch)
            runs = merger._runs                                     # noqa: SLF001  (the queued inserts)
            households = [rows for _t, sql, rows in runs if "INTO households" in sql]
            assert len(households) == 1 and len(households[0]) == 1
            assert households[0][0][3] == NAMES[1]              # head_name: the edit's, before any write
            merger.apply_one(changes[2])
        resolver.flush()
    row = batched.store.query_one("SELECT head_name, notes FROM households WHERE id = ?", (changes[0].rid,))
    assert row == (NAMES[2], "第2次")
    assert batched.store.query_value("SELECT count(*) FROM conflicts WHERE rid = ?", (changes[0].rid,)) == 2
