"""The audit log (issue 16): one hash-chained entry per user action, ids never values, and any
edit, removal or cut of entries found by `audit verify`, which names the first bad entry."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlcipher3

from lehe_desktop.core import audit
from lehe_desktop.core.errors import LeheError, LockedError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.connection import connect
from lehe_desktop.core.store.keys import UnlockState
from lehe_desktop.core.store.store import Store
from tests.conftest import PASSPHRASE, CliRunner

NAME = "王秀英"
ID_NUMBER = "110101195003070021"
ADDRESS = "石桥村三组12号"
ROSTER = Path(__file__).resolve().parents[1] / "fixtures" / "roster" / "sample_roster.csv"


def _household(store: Store) -> tuple[str, str]:
    area = store.ensure_area("测试县/测试镇/石桥村")
    hid = store.create("household", {"area_id": area, "group_name": "三组", "head_name": NAME,
                                     "address": ADDRESS}).id
    mid = store.create("member", {"household_id": hid, "name": NAME, "relation": "02", "sex": "2",
                                  "birth_date": "1950-03-07", "id_number": ID_NUMBER}).id
    return hid, mid


def _entries(store: Store) -> list[dict[str, object]]:
    return [{**e, "detail": json.loads(str(e["detail"]))} for e in reversed(audit.entries(store))]


@contextlib.contextmanager
def _raw(paths: DataPaths, key: bytes) -> Iterator[sqlcipher3.Connection]:
    """The database file opened directly, as someone with the key and a SQLite shell would."""
    conn = connect(paths.database, key)
    try:
        conn.execute("DROP TRIGGER audit_log_no_update")
        conn.execute("DROP TRIGGER audit_log_no_delete")
        yield conn
        conn.commit()
    finally:
        conn.close()


def test_one_entry_per_action_with_ids_never_values(store: Store) -> None:
    hid, mid = _household(store)
    store.update("household", hid, {"address": "石桥村四组1号"})
    with store.audit_action("import", {"source": "roster"}):
        store.bulk_create("member", [{"household_id": hid, "name": f"成员{i}", "relation": "97", "sex": "1"}
                                     for i in range(120)])
        store.create("member", {"household_id": hid, "name": "另一个", "relation": "97", "sex": "1"})
    store.delete("member", mid)
    got = _entries(store)
    assert [e["action"] for e in got] == ["create", "create", "create", "update", "import", "delete"]
    first_household = got[1]["detail"]
    assert ["household", hid] in first_household["ids"]  # type: ignore[operator,index]
    imported = got[4]["detail"]
    assert imported["records"] == {"member": {"create": 121}}  # type: ignore[index]
    assert imported["more"] == 121 - 50 and imported["source"] == "roster"  # type: ignore[index]
    assert got[5]["detail"]["ids"] == [["member", mid]]  # type: ignore[index]
    assert all(e["user"] == "测试社工" and e["device"] == store.device_id for e in got)
    text = json.dumps(got, ensure_ascii=False)
    for value in (NAME, ID_NUMBER, ADDRESS, "石桥村四组1号", "成员1"):
        assert value not in text
    assert audit.verify(store).ok


def test_the_app_cannot_change_or_remove_entries(store: Store) -> None:
    _household(store)
    for sql in ("UPDATE audit_log SET action = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1"):
        with pytest.raises(LeheError), store.transaction():
            store.execute(sql)
    assert audit.verify(store).ok


@pytest.mark.parametrize("damage, bad", [
    ("UPDATE audit_log SET detail = '{}' WHERE seq = 2", 2),                  # an entry edited
    ("DELETE FROM audit_log WHERE seq = 2", 2),                               # one removed
    ("DELETE FROM audit_log WHERE seq >= 3", 3),                              # the newest cut off
])
def test_verify_names_the_first_bad_entry(store: Store, paths: DataPaths, damage: str, bad: int) -> None:
    _household(store)
    store.audit("export", {"level": "aggregate"})
    assert audit.verify(store).ok and audit.verify(store).entries == 4
    store.close()
    key = vault.keyfile(paths).unlock(PASSPHRASE)
    with _raw(paths, key) as conn:
        conn.execute(damage)
    reopened = vault.open_with_key(paths, key)
    try:
        verdict = audit.verify(reopened)
        assert not verdict.ok and verdict.bad_seq == bad, verdict
        # Writing on does not hide a cut: the next entry says what it found.
        reopened.audit("export", {"level": "aggregate"})
        assert not audit.verify(reopened).ok
    finally:
        reopened.close()


def test_a_rewritten_chain_is_caught_by_the_head_in_meta(store: Store, paths: DataPaths) -> None:
    """Cutting the newest entry and the meta head the same way leaves only the server to tell."""
    _household(store)
    store.close()
    key = vault.keyfile(paths).unlock(PASSPHRASE)
    with _raw(paths, key) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq = 3")
        row = conn.execute("SELECT seq, hash FROM audit_log WHERE seq = 2").fetchone()
        conn.execute("UPDATE meta SET v = ? WHERE k = 'audit_head'", (f"{row[0]}:{row[1]}",))
    reopened = vault.open_with_key(paths, key)
    try:
        assert audit.verify(reopened).ok      # locally undetectable: see test_audit_sync.py
    finally:
        reopened.close()


def test_failed_sign_ins_are_counted_then_audited_at_the_next_unlock(store: Store, paths: DataPaths) -> None:
    store.close()
    for _ in range(2):
        with pytest.raises(LockedError):
            vault.unlock(paths, "not the passphrase at all")
    assert UnlockState.load(paths.unlock_state).unaudited == 2
    st = vault.unlock(paths, PASSPHRASE)
    try:
        got = _entries(st)
        assert [e["action"] for e in got[-2:]] == ["sign_in_failed", "sign_in"]
        assert got[-2]["detail"] == {"count": 2}
        assert UnlockState.load(paths.unlock_state).unaudited == 0
        assert audit.verify(st).ok
    finally:
        st.close()


def test_backup_and_restore_are_audited(store: Store, paths: DataPaths) -> None:
    _household(store)
    key = vault.keyfile(paths).unlock(PASSPHRASE)
    out = vault.backup(store, key, paths.root / "b.lehe-backup")
    store.close()
    restored = vault.restore(paths, key, out)
    try:
        actions = [e["action"] for e in _entries(restored)]
        assert actions[-2:] == ["backup", "restore"]
        assert audit.verify(restored).ok
    finally:
        restored.close()


def test_cli_audit_verify_exit_codes(store: Store, paths: DataPaths, cli: CliRunner) -> None:
    _household(store)
    store.close()
    r = cli("audit", "verify", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["ok"] is True and json.loads(r.stdout)["entries"] == 3
    with _raw(paths, vault.keyfile(paths).unlock(PASSPHRASE)) as conn:
        conn.execute("UPDATE audit_log SET action = 'update' WHERE seq = 2")
    r = cli("--lang", "en", "audit", "verify")
    assert r.returncode == 1
    assert "error [audit.broken]" in r.stderr and "entry 2" in r.stderr


def test_a_roster_import_and_an_export_are_one_entry_each(store: Store, tmp_path: Path) -> None:
    from lehe_desktop.core import exports
    from lehe_desktop.core.roster import import_roster

    before = audit.verify(store).entries
    result = import_roster(store, ROSTER)
    assert result.imported > 5
    exports.export(store, tmp_path / "out", level="aggregate")
    got = _entries(store)[before:]
    assert [e["action"] for e in got] == ["import", "export"]
    imported = got[0]["detail"]
    assert imported["records"]["member"]["create"] == result.imported  # type: ignore[index]
    assert got[1]["detail"]["level"] == "aggregate"  # type: ignore[index]
    assert audit.verify(store).ok
