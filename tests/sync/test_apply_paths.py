"""The pull's fast path (rows built ahead by ``Merger.prepare``, taken by ``apply_page``) gives exactly
the rows, change log and search entries of the plain path (``Merger.apply``, one change at a time)."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sync_harness import VILLAGE, make_laptop

from lehe_desktop.core import hlc as hlc_mod
from lehe_desktop.core.messages import Change
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync.merge import Merger

NAMES = ["王大山", "李秀英", "张 Wei", "赵小红", "陈 ABC 二", "欧阳·娜娜"]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store, str]]:
    root = tmp_path_factory.mktemp("paths")
    fast, plain = make_laptop(root / "fast"), make_laptop(root / "plain")
    aid = fast.ensure_area(VILLAGE)
    assert plain.ensure_area(VILLAGE) == aid
    try:
        yield fast, plain, aid
    finally:
        fast.close()
        plain.close()


# One step: (kind of change, which household, which name, origin)
steps = st.lists(st.tuples(st.sampled_from(["create", "create", "edit", "member", "delete", "again"]),
                           st.integers(0, 5), st.integers(0, len(NAMES) - 1), st.integers(0, 1)),
                 min_size=1, max_size=40)
_run = itertools.count()


def build(plan: list[tuple[str, int, int, int]], aid: str) -> list[tuple[Change, int | None]]:
    """Changes as a server would send them: numbered, some children before their parent, repeats."""
    run = next(_run)
    origins = [f"dev{o}-{run}:{uuid.uuid4()}" for o in (0, 1)]
    hids = [str(uuid.uuid4()) for _ in range(6)]
    seqs = [0, 0]
    base = hlc_mod.pack(hlc_mod.now_ms() - 60_000)
    out: list[tuple[Change, int | None]] = []
    for i, (kind, h, n, o) in enumerate(plan):
        if kind == "again" and out:
            out.append(out[(h * 7 + n) % len(out)])          # a repeat: a duplicate, applied once
            continue
        seqs[o] += 1
        if kind in ("create", "again"):
            rtype, rid = "household", hids[h]
            fields: dict[str, Any] = {"area_id": aid, "group_name": f"{h % 3 + 1}组", "head_name": NAMES[n],
                                      "address": f"老屋基 {h} 号", "status": None, "notes": None}
        elif kind == "edit":
            rtype, rid, fields = "household", hids[h], {"head_name": NAMES[n], "notes": f"第{i}次"}
        elif kind == "delete":
            rtype, rid, fields = "household", hids[h], {"deleted": 1}
        else:
            rtype, rid = "member", f"{hids[h][:30]}-m{n}"
            fields = {"household_id": hids[h], "name": NAMES[n], "sex": "2", "relation": "10"}
        ch = Change(origin=origins[o], seq=seqs[o], hlc=base + i, schema=5, rtype=rtype, rid=rid,
                    kind="delete" if kind == "delete" else "upsert", fields=fields, user="测试", wall_ms=1, app="t")
        out.append((ch, 1000 * run + len(out) + 1))
    return out


def pages(pairs: list[tuple[Change, int | None]], size: int) -> list[list[tuple[Change, int | None]]]:
    return [pairs[i:i + size] for i in range(0, len(pairs), size)]


def snapshot(store: Store, changes: list[Change]) -> dict[str, Any]:
    """Rows (versions with origin names, not local numbers), change-log entries and search entries."""
    origins = sorted({c.origin for c in changes})
    rids = sorted({c.rid for c in changes})
    marks = ", ".join("?" * len(rids))
    rows = {}
    for table in ("households", "members"):
        for rec in store.query_dicts(f"SELECT * FROM {table} WHERE id IN ({marks}) ORDER BY id", rids):
            versions = {f: [v[0], store.origin_name(v[1])] for f, v in
                        json.loads(rec.pop("versions")).items()}
            rows[(table, rec["id"])] = {**rec, "versions": versions}
    log = store.query("SELECT origin, seq, hlc, schema, rtype, rid, kind, fields, base, user, wall_ms, app, "
                      f"server_seq, status FROM changes WHERE origin IN ({', '.join('?' * len(origins))}) "
                      "ORDER BY origin, seq", origins)
    search = store.query(f"SELECT rowid, tokens, rtype, rid, title FROM search WHERE rid IN ({marks}) ORDER BY rowid",
                         rids)
    return {"rows": rows, "log": log, "search": search}


@settings(max_examples=40, deadline=None)
@given(plan=steps, size=st.integers(1, 12))
def test_rows_built_ahead_give_what_the_plain_path_gives(pair: tuple[Store, Store, str],
                                                         plan: list[tuple[str, int, int, int]], size: int) -> None:
    fast, plain, aid = pair
    pairs = build(plan, aid)
    merger = Merger(fast)
    for page in pages(pairs, size):
        changes = [c for c, _ in page]
        prepared = merger.prepare(changes)         # from the second page on: this merger's caches are warm
        with fast.transaction():
            with merger.batch(changes, prepared):
                merger.apply_page(page)
            merger.retry_held()
    slow = Merger(plain)
    for page in pages(pairs, size):
        slow.apply(page)
    changes = [c for c, _ in pairs]
    assert snapshot(fast, changes) == snapshot(plain, changes)
    assert (merger.result.applied, merger.result.duplicates, merger.result.held) == \
        (slow.result.applied, slow.result.duplicates, slow.result.held)


def test_the_fast_path_is_taken(pair: tuple[Store, Store, str]) -> None:
    """Without this the property above could pass by never building anything ahead."""
    fast, _, aid = pair
    pairs = build([("create", h, h, 0) for h in range(6)], aid)
    merger = Merger(fast)
    first, second = pages(pairs, 3)
    with fast.transaction(), merger.batch([c for c, _ in first]):
        merger.apply_page(first)
    prepared = merger.prepare([c for c, _ in second])
    assert len(prepared) == 3
    with fast.transaction(), merger.batch([c for c, _ in second], prepared):
        merger.apply_page(second)
    assert merger.result.applied == 6
