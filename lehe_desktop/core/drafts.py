"""Drafts: record forms not yet saved, kept in the encrypted database through a crash or a lock.

The window writes a form's state here every few seconds while it changes and when the app
locks (``save_draft``); saving the record removes the draft in the same transaction
(``saved_with_draft_gone``), so a crash can never leave both the record and its draft. At the
next start the drafts left behind are offered back (``list_drafts``).

Drafts are local bookkeeping, not records: they are written with plain SQL inside
``Store.transaction`` and never enter the change log, so they never sync and never count as
unsent. They hold what the user typed, so they live only in the encrypted database, never in
settings files, and are never exported.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .errors import StorageError
from .store.store import Store

T = TypeVar("T")

# A form's state is small (a visit with its rows is a few KiB); refuse anything absurd.
MAX_DRAFT_BYTES = 1_000_000


@dataclass(frozen=True)
class Draft:
    key: str
    rtype: str
    record_id: str | None
    context: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    created_ms: int = 0
    saved_ms: int = 0


def new_key() -> str:
    """A key for one open form (its draft row keeps it until saved or discarded)."""
    return uuid.uuid4().hex


def _now_ms() -> int:
    return int(time.time() * 1000)


def save_draft(store: Store, key: str, rtype: str, record_id: str | None, data: dict[str, Any],
               context: dict[str, Any] | None = None) -> None:
    """Write (or overwrite) the draft ``key``: one small transaction, no change-log row."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
    if len(text.encode()) > MAX_DRAFT_BYTES:
        raise StorageError("draft.too_big", "草稿太大，未保存", "The draft is too big to keep")
    ctx = json.dumps(context or {}, ensure_ascii=False, sort_keys=True, default=str)
    now = _now_ms()
    with store.transaction():
        store.execute(
            "INSERT INTO drafts(key, rtype, record_id, context, data, created_ms, saved_ms) VALUES (?,?,?,?,?,?,?) "
            "ON CONFLICT(key) DO UPDATE SET rtype = excluded.rtype, record_id = excluded.record_id, "
            "context = excluded.context, data = excluded.data, saved_ms = excluded.saved_ms",
            (key, rtype, record_id, ctx, text, now, now))


def discard_draft(store: Store, key: str) -> bool:
    """Remove the draft ``key``; True if there was one."""
    with store.transaction():
        return store.execute("DELETE FROM drafts WHERE key = ?", (key,)) > 0


def _draft(row: tuple[Any, ...]) -> Draft:
    key, rtype, record_id, context, data, created_ms, saved_ms = row
    return Draft(key, rtype, record_id, json.loads(context), json.loads(data), int(created_ms), int(saved_ms))


def load_draft(store: Store, key: str) -> Draft | None:
    row = store.query_one("SELECT key, rtype, record_id, context, data, created_ms, saved_ms FROM drafts "
                          "WHERE key = ?", (key,))
    return _draft(row) if row is not None else None


def list_drafts(store: Store) -> list[Draft]:
    """Every draft left, oldest first."""
    return [_draft(r) for r in store.query(
        "SELECT key, rtype, record_id, context, data, created_ms, saved_ms FROM drafts ORDER BY saved_ms, key")]


def draft_count(store: Store) -> int:
    return int(store.query_value("SELECT count(*) FROM drafts", default=0))


def saved_with_draft_gone(store: Store, key: str | None, write: Callable[[], T]) -> T:
    """Run ``write`` (a record's save or delete) and remove the draft ``key`` in the same transaction."""
    with store.transaction():
        result = write()
        if key is not None:
            store.execute("DELETE FROM drafts WHERE key = ?", (key,))
        return result
