"""The throughput paths of sync give the same data as the plain ones (real server over HTTP)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from sync_harness import VILLAGE, LiveServer, make_laptop

from lehe_desktop.core.ids import uuid7
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync import protocol as P


def enrolled(tmp: Path, srv: LiveServer, name: str, user: str) -> Store:
    store = make_laptop(tmp / name)
    client.enroll(store, srv.url, srv.code_for(user))
    return store


def fields_of(store: Store, hid: str) -> dict[str, object]:
    rec = store.get("household", hid, include_deleted=True)
    assert rec is not None
    return {k: v for k, v in rec.items() if k not in ("versions", "updated_hlc")}   # local origin numbers


def found(store: Store, queries: list[str]) -> dict[str, list[tuple[str, str, str]]]:
    return {q: sorted((r["type"], r["id"], r["title"]) for r in store.search(q, limit=500)) for q in queries}


def test_pages_built_ahead_give_the_same_rows_and_search_entries(tmp_path: Path, live_server: LiveServer) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    b = enrolled(tmp_path, live_server, "b", "bob")
    aid = a.ensure_area(VILLAGE)
    heads = ["王大山", "李秀英", "张 Wei", "赵小红", "陈 ABC 二"]
    hids = [a.create("household", {"area_id": aid, "group_name": f"{i % 3 + 1}组", "head_name": heads[i % 5],
                                   "address": f"老屋基 {i} 号"}).id for i in range(23)]
    for i, hid in enumerate(hids[:9]):
        a.create("member", {"household_id": hid, "name": f"王{i}花", "sex": "2", "relation": "10"})
    a.delete("household", hids[-1])
    assert client.sync_once(a).rejected == 0
    # Small pages: from the second page on, rows and search entries are built on the download thread.
    rb = client.sync_once(b, pull_batch=6)
    assert rb.pulled > 30 and rb.held == 0
    assert gc.isenabled()
    for hid in hids:
        assert fields_of(b, hid) == fields_of(a, hid)
    # Search finds the same records with the same titles as on the laptop that typed them.
    queries = [*heads, "乐和村", "老屋基", "老屋基 7", "2组", "wei", "abc", *(f"王{i}花" for i in range(9))]
    want = found(a, queries)
    assert all(want[q] for q in queries)
    assert found(b, queries) == want
    assert all(r["id"] != hids[-1] for r in b.search("老屋基", limit=500))
    a.close()
    b.close()


def test_push_falls_back_to_an_older_servers_batch_limit(tmp_path: Path, live_server: LiveServer,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    a = enrolled(tmp_path, live_server, "a", "alice")
    aid = a.ensure_area(VILLAGE)
    a.bulk_create("household", ({"id": uuid7(), "area_id": aid, "group_name": "1组", "head_name": "王大山",
                                 "address": f"{i}号"} for i in range(2300)), validated=True)
    unsent = a.unsent_count()
    # The server in this process refuses more than 1000 changes a request, as servers before 5000 did.
    monkeypatch.setattr(P, "MAX_BATCH", P.LEGACY_BATCH)
    res = client.sync_once(a)
    assert res.pushed == unsent and res.rejected == 0 and a.unsent_count() == 0
    st = live_server.storage.store
    assert st.query_value("SELECT count(*) FROM households") == 2300
    assert st.query_value("SELECT count(*) FROM changes WHERE origin = ?", (a.origin,)) == unsent
    a.close()
