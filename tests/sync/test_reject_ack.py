"""Refused changes can be acknowledged: dismissed rows stay (who and when) but leave the default
list. Real server over HTTP on 127.0.0.1, real encrypted laptops, the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sync_harness import OTHER_VILLAGE, PASSPHRASE, VILLAGE, LiveServer, desktop, household, make_laptop

from lehe_desktop.core.errors import NotFoundError, StateError, UsageError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.connection import connect
from lehe_desktop.core.store.migrations import SCHEMA_VERSION
from lehe_desktop.core.sync import client
from lehe_desktop.core.sync.conflicts import dismiss_rejected, list_rejected, parse_reject_key

OLD_KEYS = {"origin", "seq", "type", "id", "code", "zh", "en", "at", "fields"}


def paths_of(root: Path) -> DataPaths:
    return DataPaths(root=root, logs=root / "logs")


def refused_laptop(tmp: Path, srv: LiveServer) -> tuple[Path, list[str]]:
    """A laptop of the village whose edits in another village the server refused; returns the keys."""
    root = tmp / "a"
    store = make_laptop(root)
    try:
        client.enroll(store, srv.url, srv.code_for("alice", areas=(VILLAGE,)))
        household(store, OTHER_VILLAGE, head="钱越界")
        household(store, OTHER_VILLAGE, head="李越界")
        household(store, VILLAGE, head="孙本村")
        assert client.sync_once(store).rejected >= 3       # the other village's area record and 2 households
        keys = [f"{r['origin']}:{r['seq']}" for r in list_rejected(store)]
    finally:
        store.close()
    return root, keys


def stamps(root: Path) -> list[tuple[object, ...]]:
    store = vault.unlock(paths_of(root), PASSPHRASE)
    try:
        return store.query("SELECT origin, seq, dismissed_at, dismissed_by FROM rejects "
                                  "ORDER BY origin, seq")
    finally:
        store.close()


def cli_json(root: Path, *args: str) -> dict[str, list[dict[str, object]]]:
    out = desktop(root, *args, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_dismiss_one_then_all_through_the_cli(tmp_path: Path, live_server: LiveServer) -> None:
    root, keys = refused_laptop(tmp_path, live_server)
    listed = cli_json(root, "conflicts")
    assert set(listed) == {"conflicts", "rejected"}            # the contract's keys are unchanged
    assert [f"{r['origin']}:{r['seq']}" for r in listed["rejected"]] == keys
    assert all(set(r) >= OLD_KEYS and r["dismissed_at"] is None for r in listed["rejected"])

    # Bad keys: a coded error, exit code as documented, nothing changed.
    before = stamps(root)
    for bad, code, exit_code in (("nonsense", "reject.bad_key", 2), (f"{keys[0].rpartition(':')[0]}:x", "reject.bad_key", 2),
                                 ("nobody:epoch:7", "reject.not_found", 5), (f"{keys[0]}00", "reject.not_found", 5)):
        out = desktop(root, "conflicts", "--dismiss-rejected", bad, "--json")
        assert out.returncode == exit_code and f"error [{code}]" in out.stderr, (bad, out.stderr)
        assert out.stdout == "" and "Traceback" not in out.stderr
    # One good and one unknown key together: all or nothing.
    out = desktop(root, "conflicts", "--dismiss-rejected", keys[0], "--dismiss-rejected", "nobody:epoch:7")
    assert out.returncode == 5 and "reject.not_found" in out.stderr
    combined = desktop(root, "conflicts", "--dismiss-rejected", keys[0], "resolve", "cid", "--keep", "winner")
    assert combined.returncode == 2 and "reject.with_resolve" in combined.stderr
    assert stamps(root) == before

    done = cli_json(root, "conflicts", "--dismiss-rejected", keys[0])["dismissed"]
    assert [f"{r['origin']}:{r['seq']}" for r in done] == [keys[0]]
    assert done[0]["dismissed_by"] == "测试社工" and str(done[0]["dismissed_at"]).endswith("Z")
    origin0, _, seq0 = keys[0].rpartition(":")
    first_at = {(o, s): at for o, s, at, _by in stamps(root)}[(origin0, int(seq0))]
    assert first_at is not None
    # Hidden from the default list, still kept and shown (marked) with --all.
    assert [f"{r['origin']}:{r['seq']}" for r in cli_json(root, "conflicts")["rejected"]] == keys[1:]
    full = cli_json(root, "conflicts", "--all")["rejected"]
    assert [f"{r['origin']}:{r['seq']}" for r in full] == keys
    assert [r["dismissed_at"] is not None for r in full] == [True] + [False] * (len(keys) - 1)
    text = desktop(root, "--lang", "en", "conflicts", "--all")
    assert text.returncode == 0 and text.stdout.count("dismissed") == 1 and keys[0] in text.stdout

    again = desktop(root, "conflicts", "--dismiss-rejected", keys[0])
    assert again.returncode == 7 and "error [reject.dismissed]" in again.stderr
    rest = cli_json(root, "conflicts", "--dismiss-rejected", "all")["dismissed"]
    assert sorted(f"{r['origin']}:{r['seq']}" for r in rest) == sorted(keys[1:])
    assert cli_json(root, "conflicts")["rejected"] == []
    assert cli_json(root, "conflicts", "--dismiss-rejected", "all")["dismissed"] == []   # nothing left: a no-op
    after = stamps(root)
    assert len(after) == len(keys) and all(at is not None and by == "测试社工" for _o, _s, at, by in after)
    # The first dismissal keeps its own time: "all" only touched the others.
    assert {(o, s): at for o, s, at, _by in after}[(origin0, int(seq0))] == first_at


def test_a_dismissal_stands_when_the_change_is_refused_again(tmp_path: Path, live_server: LiveServer) -> None:
    root, keys = refused_laptop(tmp_path, live_server)
    store = vault.unlock(paths_of(root), PASSPHRASE)
    try:
        assert len(dismiss_rejected(store, "all")) == len(keys)
        first = store.query("SELECT origin, seq, dismissed_at FROM rejects ORDER BY origin, seq")
        # As after a server restore: the laptop re-sends everything and the server refuses the same again.
        store.set_meta("sync_server_epoch", "an-older-server-epoch")
        assert client.sync_once(store).rejected == len(keys)
        assert list_rejected(store) == []
        assert store.query("SELECT origin, seq, dismissed_at FROM rejects ORDER BY origin, seq") == first
    finally:
        store.close()


def test_core_function_refuses_bad_input_and_changes_nothing(tmp_path: Path, live_server: LiveServer) -> None:
    root, keys = refused_laptop(tmp_path, live_server)
    store = vault.unlock(paths_of(root), PASSPHRASE)
    try:
        for bad, err in (([], UsageError), (["all", keys[0]], UsageError), ([keys[0], ":3"], UsageError),
                         ([keys[0], f"{keys[0]}:0"], UsageError), ([keys[1], "x:y:1"], NotFoundError)):
            with pytest.raises(err):
                dismiss_rejected(store, bad)
            assert len(list_rejected(store)) == len(keys)
        assert [r["seq"] for r in dismiss_rejected(store, [keys[1], keys[1]])] == [int(keys[1].rpartition(":")[2])]
        with pytest.raises(StateError) as info:
            dismiss_rejected(store, keys[1])
        assert info.value.code == "reject.dismissed" and info.value.exit_code == 7
        assert len(list_rejected(store)) == len(keys) - 1
        assert len(list_rejected(store, include_dismissed=True)) == len(keys)
    finally:
        store.close()


def test_a_schema_4_database_gains_the_columns_and_keeps_its_rejects(tmp_path: Path) -> None:
    assert SCHEMA_VERSION >= 5
    root = tmp_path / "old"
    store = make_laptop(root)
    with store.transaction():
        store.execute("INSERT INTO rejects(origin, seq, rtype, rid, code, zh, en, at) "
                      "VALUES ('dev:e', 3, 'household', 'h1', 'scope.outside', '越界', 'outside', 1700000000000)")
    store.close()
    # Take the database back to schema 4 exactly: the two new columns (and schemas 6 to 9's changes).
    key = vault.keyfile(paths_of(root)).unlock(PASSPHRASE)
    conn = connect(paths_of(root).database, key)
    conn.execute("DROP TABLE batches")                      # schema 7 (batch proofs)
    conn.execute("ALTER TABLE changes DROP COLUMN batch")
    conn.execute("ALTER TABLE changes DROP COLUMN digest")
    conn.execute("DROP INDEX changes_server_seq")           # schema 6 (lean change-log indexes)
    conn.execute("CREATE INDEX changes_server_seq ON changes(server_seq)")
    conn.execute("ALTER TABLE rejects DROP COLUMN dismissed_by")
    conn.execute("ALTER TABLE rejects DROP COLUMN dismissed_at")
    # … and what schemas 8 and 9 added (names' sort keys, the search index's number key).
    for table, col in (("households", "head_name_sort"), ("members", "name_sort")):
        conn.execute(f"DROP TRIGGER {table}_{col}_stale")
        conn.execute(f"DROP INDEX {table}_{col}")
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {col}")
    conn.execute("DELETE FROM meta WHERE k = 'search_key'")
    conn.execute("DROP TABLE vocab_items")                  # schema 10 (synced vocabulary items)
    conn.execute("PRAGMA user_version = 4")
    conn.close()
    store = vault.unlock(paths_of(root), PASSPHRASE)
    try:
        assert store.query_value("PRAGMA user_version") == SCHEMA_VERSION
        [row] = list_rejected(store)
        assert (row["origin"], row["seq"], row["code"], row["dismissed_at"], row["dismissed_by"]) == \
            ("dev:e", 3, "scope.outside", None, None)
        assert [r["seq"] for r in dismiss_rejected(store, "dev:e:3")] == [3]
    finally:
        store.close()
    assert len(list(paths_of(root).backups.glob("auto-*-pre-migrate-v4.lehe-backup"))) == 1


def test_all_next_to_a_key_is_refused_with_a_message_that_says_so(tmp_path: Path) -> None:
    # Keys are checked before the database is opened: an empty data folder is enough.
    for lang, words in (("en", "on its own"), ("zh", "单独使用")):
        out = desktop(tmp_path / "none", "--lang", lang, "conflicts", "--dismiss-rejected", "all",
                      "--dismiss-rejected", "dev:epoch:3")
        assert out.returncode == 2 and "error [reject.bad_key]" in out.stderr and words in out.stderr, out.stderr
    with pytest.raises(UsageError) as info:
        parse_reject_key("ALL")
    assert "all" in info.value.en and "ORIGIN:SEQ or all" not in info.value.en
