"""Numbered schema migrations, stepped by PRAGMA user_version.

Each migration's DDL is frozen in its own module (never generated from today's record
definitions), so an old database replays exactly the steps a fresh one took. Synced tables
only ever grow: new nullable columns and new tables (sync_engines.md §5.8).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlcipher3

from . import (
    m0001_core,
    m0002_work,
    m0003_sync,
    m0004_search,
    m0005_reject_ack,
    m0006_lean_indexes,
    m0007_batch_proofs,
    m0008_name_sort,
    m0009_number_search,
    m0010_consent,
    m0011_purge,
    m0012_vocab_items,
    m0013_drafts,
    m0014_audit,
    m0015_unused_name_indexes,
    m0016_laptop_change_index,
    m0017_sparse_follow_up_index,
)

Migration = Callable[[sqlcipher3.Connection], None]

MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "core: areas, households, members, change log, search", m0001_core.apply),
    (2, "work: visits, activities, meetings, matters, tasks", m0002_work.apply),
    (3, "sync: conflicts, rejected changes, change scope", m0003_sync.apply),
    (4, "search: contentless full-text index (tokens are not stored twice)", m0004_search.apply),
    (5, "sync: refused changes can be dismissed (who and when; the row is kept)", m0005_reject_ack.apply),
    (6, "change log: the server-number index no longer written for every new change", m0006_lean_indexes.apply),
    (7, "sync: batch proofs of who made each change, change digests", m0007_batch_proofs.apply),
    (8, "names: pinyin sort keys beside household heads' and members' names (local, not synced)",
     m0008_name_sort.apply),
    (9, "search: members found by an ID or phone number typed whole (keyed tokens, never the digits)",
     m0009_number_search.apply),
    (10, "privacy: consent records (who agreed to what, how, under which notice, until when)", m0010_consent.apply),
    (11, "privacy: anonymising a person (synced purge records; local scrub bookkeeping)", m0011_purge.apply),
    (12, "vocabularies: items coordinators add, rename or deactivate are synced records (vocab_items)",
     m0012_vocab_items.apply),
    (13, "drafts: unsaved record forms kept through a crash or a lock (local, never synced)", m0013_drafts.apply),
    (14, "audit: append-only, hash-chained log of user actions (ids, never personal values)", m0014_audit.apply),
    (15, "names: two indexes nothing reads (lists sort by the pinyin keys, search by the index)",
     m0015_unused_name_indexes.apply),
    (16, "change log: laptops no longer index changes by server number (only the server reads by it)",
     m0016_laptop_change_index.apply),
    (17, "visits: the next-visit index keeps only visits that have a next-visit date", m0017_sparse_follow_up_index.apply),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def seed_vocab(conn: sqlcipher3.Connection) -> None:
    """The built-in vocabularies, after every migration (laptop and server alike)."""
    from ...records.vocab_seed import VOCABS

    rows = [(vocab, code, zh, en, 1, i) for vocab, items in VOCABS.items() for i, (code, zh, en) in enumerate(items)]
    # INSERT OR IGNORE: a coordinator may have retired or relabelled an item; seeds never overwrite.
    conn.executemany("INSERT OR IGNORE INTO vocab(vocab, code, zh, en, active, sort) VALUES (?,?,?,?,?,?)", rows)
