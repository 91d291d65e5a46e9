"""The vocabularies the window shows, read once on the database lane and kept in memory.

Choice boxes and labels are built on the GUI thread, which must not touch the store: the
session reads every vocabulary on the lane right after unlocking (``load_vocab``) and again
after a sync brought changes; widgets then read this snapshot (``vocab_of``).
"""

from __future__ import annotations

import weakref
from typing import Any

from ..core.records.schema import all_types
from ..core.records.vocab_seed import VOCAB_TITLES
from ..core.store.store import Store


class VocabSnapshot:
    """Every item (inactive ones too, for labels of old records) of every vocabulary, by name."""

    def __init__(self, items: dict[str, list[dict[str, Any]]]) -> None:
        self._items = items

    def items(self, name: str, *, include_inactive: bool = False) -> list[dict[str, Any]]:
        rows = self._items.get(name, [])
        return list(rows) if include_inactive else [v for v in rows if v["active"]]


_SNAPSHOTS: weakref.WeakKeyDictionary[Store, VocabSnapshot] = weakref.WeakKeyDictionary()


def vocab_names() -> list[str]:
    names = set(VOCAB_TITLES) | {"dq"}
    for rt in all_types():
        names.update(f.vocab for f in rt.fields if f.vocab)
    return sorted(names)


def load_vocab(store: Store) -> VocabSnapshot:
    """Read every vocabulary (runs on the lane) and keep the snapshot for ``vocab_of``."""
    snap = VocabSnapshot({name: store.vocab(name, include_inactive=True) for name in vocab_names()})
    _SNAPSHOTS[store] = snap
    return snap


def vocab_of(store: Store) -> VocabSnapshot:
    """The snapshot read by ``load_vocab`` (read now if there is none: only where the store allows it)."""
    snap = _SNAPSHOTS.get(store)
    return snap if snap is not None else load_vocab(store)
