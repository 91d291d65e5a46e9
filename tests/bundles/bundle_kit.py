"""Shared by the bundle tests: enrolled laptops on a live server, and the server's state to compare."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sync_harness import VILLAGE, LiveServer, make_laptop

from lehe_desktop.core.ids import uuid7
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client

TOWNSHIP = "重庆市/巫溪县/白鹿镇"


def enrolled(tmp: Path, srv: LiveServer, name: str, user: str, role: str = "worker",
             areas: tuple[str, ...] = (VILLAGE,)) -> Store:
    store = make_laptop(tmp / name)
    client.enroll(store, srv.url, srv.code_for(user, role, areas))
    return store


def households(store: Store, n: int, village: str = VILLAGE, head: str = "王大山") -> list[str]:
    aid = store.ensure_area(village)
    ids = [uuid7() for _ in range(n)]
    store.bulk_create("household", ({"id": rid, "area_id": aid, "group_name": f"{i % 9 + 1}组", "head_name": head,
                                     "address": f"{i}号"} for i, rid in enumerate(ids)), validated=True)
    return ids


def server_state(srv: LiveServer) -> dict[str, Any]:
    """What a refused bundle must leave as it was: record counts and the change log."""
    st = srv.storage
    with st.lock:
        changes = st.store.query_value("SELECT count(*) FROM changes")
        rejects = st.store.query_value("SELECT count(*) FROM rejects")
    return {"stats": st.stats(), "changes": changes, "rejects": rejects}


def laptop_state(store: Store) -> dict[str, Any]:
    return {"stats": store.stats(), "changes": store.query_value("SELECT count(*) FROM changes"),
            "unsent": store.to_send_count(), "cursor": store.meta().get("sync_pull_cursor")}
