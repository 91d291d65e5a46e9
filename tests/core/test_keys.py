"""Keys: KDF parameters, passphrase change, recovery, wrong passphrases and the back-off."""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from lehe_desktop.core.errors import LockedError, ValidationError
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.keys import KeyFile, backoff_seconds, normalise_recovery_key
from lehe_desktop.core.store.store import Store

CliRunner = Callable[..., subprocess.CompletedProcess[str]]
PASSPHRASE = "correct horse 42"   # the conftest ``store``/``cli`` passphrase
NEW = "a new passphrase 77"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill(store: Store) -> str:
    village = store.ensure_area("重庆市/巫溪县/白鹿镇/乐和村")
    hh = store.create("household", {"area_id": village, "group_name": "1组", "head_name": "龚秀英"}).id
    return store.create("member", {"household_id": hh, "name": "龚秀英", "sex": "2", "relation": "02",
                                   "birth_date": "1950-03-07"}).id


def test_keyfile_records_strong_argon2id_parameters(store: Store, paths: DataPaths) -> None:
    data = json.loads(paths.keyfile.read_text("utf-8"))
    kdf = data["kdf"]
    assert kdf["algorithm"] == "argon2id"
    assert kdf["memory_kib"] >= 64 * 1024
    assert kdf["iterations"] >= 3
    assert kdf["lanes"] >= 1
    assert len(base64.b64decode(kdf["salt_b64"])) == 16
    # The database key is only stored wrapped (twice), never in the clear.
    assert set(data) >= {"format", "kdf", "passphrase", "recovery"}
    assert len(base64.b64decode(data["passphrase"]["ct"])) == 32 + 16   # key + GCM tag
    assert PASSPHRASE not in paths.keyfile.read_text("utf-8")


def test_each_setup_gets_its_own_salt_and_key(tmp_path: Path) -> None:
    salts, keys = set(), set()
    for name in "ab":
        kf = KeyFile(tmp_path / name / "keys.json", tmp_path / name / "state.json")
        db_key, recovery = kf.create(PASSPHRASE)
        assert len(db_key) == 32 and len(normalise_recovery_key(recovery)) == 32
        salts.add(kf.kdf_params().salt_b64)
        keys.add(db_key)
    assert len(salts) == 2 and len(keys) == 2


@pytest.mark.parametrize("weak", ["short", "12345678", "password", "zhangwei1988", "xiaoming123456", "woaini5201314"])
def test_weak_passphrases_are_refused_at_setup(paths: DataPaths, weak: str) -> None:
    with pytest.raises(ValidationError) as info:
        vault.setup(paths, weak)
    assert info.value.code in ("passphrase.too_short", "passphrase.weak")
    assert not paths.database.exists()


def test_passphrase_change_rewraps_without_touching_data(store: Store, paths: DataPaths) -> None:
    rid = fill(store)
    stats, record = store.stats(), store.require("member", rid)
    store.close()
    db_hash = sha(paths.database)
    key_before = paths.keyfile.read_text("utf-8")
    vault.change_passphrase(paths, PASSPHRASE, NEW)
    assert sha(paths.database) == db_hash                     # no data re-encrypted
    assert paths.keyfile.read_text("utf-8") != key_before
    with pytest.raises(LockedError) as info:
        vault.unlock(paths, PASSPHRASE)
    assert info.value.code == "unlock.wrong_passphrase"
    reopened = vault.unlock(paths, NEW)
    try:
        assert reopened.stats() == stats
        assert reopened.require("member", rid) == record
    finally:
        reopened.close()


def test_passphrase_change_needs_the_old_passphrase_and_a_strong_new_one(store: Store, paths: DataPaths) -> None:
    store.close()
    before = paths.keyfile.read_bytes()
    with pytest.raises(LockedError):
        vault.change_passphrase(paths, "not the passphrase", NEW)
    with pytest.raises(ValidationError):
        vault.change_passphrase(paths, PASSPHRASE, "1234")
    assert paths.keyfile.read_bytes() == before


def test_recovery_key_sets_a_new_passphrase_and_keeps_every_record(paths: DataPaths) -> None:
    store, recovery = vault.setup(paths, PASSPHRASE)
    rid = fill(store)
    stats, record = store.stats(), store.require("member", rid)
    store.close()
    with pytest.raises(LockedError) as info:
        vault.unlock_with_recovery(paths, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH", NEW)
    assert info.value.code == "unlock.wrong_recovery_key"
    # Typed back without dashes and in lower case still works.
    typed = recovery.replace("-", " ").lower()
    reopened = vault.unlock_with_recovery(paths, typed, NEW)
    try:
        assert reopened.stats() == stats and reopened.require("member", rid) == record
    finally:
        reopened.close()
    with pytest.raises(LockedError):
        vault.unlock(paths, PASSPHRASE)
    again = vault.unlock(paths, NEW)
    again.close()
    # The recovery key keeps working after the reset.
    vault.unlock_with_recovery(paths, recovery, "yet another pass 9").close()


def test_backoff_grows_with_each_failure() -> None:
    waits = [backoff_seconds(n) for n in range(0, 12)]
    assert waits[:3] == [0, 0, 0]
    assert all(b > a for a, b in itertools.pairwise(waits[2:11]))
    assert waits[-1] <= 300


def _age_state(paths: DataPaths, seconds: float) -> None:
    """Pretend the last failure happened ``seconds`` earlier (instead of sleeping)."""
    state = json.loads(paths.unlock_state.read_text("utf-8"))
    state["last_failure"] -= seconds
    paths.unlock_state.write_text(json.dumps(state), "utf-8")


def test_wrong_passphrases_back_off_and_the_delay_survives_a_restart(store: Store, paths: DataPaths) -> None:
    store.close()
    for _ in range(2):
        with pytest.raises(LockedError) as info:
            vault.unlock(paths, "wrong passphrase!")
        assert info.value.code == "unlock.wrong_passphrase" and info.value.retry_after_s == 0
    with pytest.raises(LockedError) as info:
        vault.unlock(paths, "wrong passphrase!")
    first_wait = info.value.retry_after_s
    assert first_wait > 0 and "秒" in info.value.zh
    # Even the right passphrase waits now: the delay is checked before any key derivation.
    with pytest.raises(LockedError) as info:
        vault.unlock(paths, PASSPHRASE)
    assert info.value.code == "unlock.backoff" and 0 < info.value.retry_after_s <= first_wait
    # A new KeyFile object (as after a restart) reads the same state from disk.
    with pytest.raises(LockedError) as info:
        KeyFile(paths.keyfile, paths.unlock_state).unlock(PASSPHRASE)
    assert info.value.code == "unlock.backoff"
    _age_state(paths, first_wait)
    with pytest.raises(LockedError) as info:
        vault.unlock(paths, "wrong passphrase!")
    assert info.value.code == "unlock.wrong_passphrase" and info.value.retry_after_s > first_wait
    _age_state(paths, info.value.retry_after_s)
    vault.unlock(paths, PASSPHRASE).close()
    assert json.loads(paths.unlock_state.read_text("utf-8"))["failures"] == 0


def test_cli_wrong_passphrase_exit_code_and_backoff_across_processes(store: Store, paths: DataPaths,
                                                                     cli: CliRunner) -> None:
    store.close()
    results = [cli("stats", "--json", passphrase="wrong passphrase!") for _ in range(3)]
    for r in results:
        assert r.returncode == 3 and r.stdout == ""
        assert "error [unlock.wrong_passphrase]" in r.stderr and "Traceback" not in r.stderr
    assert "秒" in results[-1].stderr
    state = json.loads(paths.unlock_state.read_text("utf-8"))
    assert state["failures"] == 3       # counted across the three processes
    # Three failures wait only 2 s, less than a slow process start: pretend a few more happened.
    state.update(failures=7, last_failure=time.time())
    paths.unlock_state.write_text(json.dumps(state), "utf-8")
    # A fresh process with the right passphrase is still held back.
    r = cli("stats", "--json")
    assert r.returncode == 3 and "error [unlock.backoff]" in r.stderr
    r = cli("--lang", "en", "stats", "--json")
    assert r.returncode == 3 and "Too many attempts" in r.stderr
    _age_state(paths, 3600)
    r = cli("stats", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["households"] == 0


def test_cli_passphrase_change_and_recovery_unlock(paths: DataPaths, cli: CliRunner) -> None:
    r = cli("init", "--json")
    assert r.returncode == 0, r.stderr
    recovery = json.loads(r.stdout)["recovery_key"]
    assert cli("demo", "--households", "5", "--seed", "2").returncode == 0
    stats = json.loads(cli("stats", "--json").stdout)
    r = cli("passphrase", "change", env={"LEHE_NEW_PASSPHRASE": NEW})
    assert r.returncode == 0, r.stderr
    assert cli("stats", "--json").returncode == 3
    assert json.loads(cli("stats", "--json", passphrase=NEW).stdout) == stats
    r = cli("passphrase", "change", passphrase=NEW, env={"LEHE_NEW_PASSPHRASE": "123"})
    assert r.returncode == 4 and "passphrase.too_short" in r.stderr
    # Long enough but guessable (a pinyin name and a year: zxcvbn with pinyin words scores it < 3).
    r = cli("--lang", "en", "passphrase", "change", passphrase=NEW, env={"LEHE_NEW_PASSPHRASE": "zhangwei1988"})
    assert r.returncode == 4 and "error [passphrase.weak]" in r.stderr and "strength" in r.stderr
    r = cli("unlock", "--recovery-key", passphrase=None, env={"LEHE_RECOVERY_KEY": recovery,
                                                              "LEHE_NEW_PASSPHRASE": "third passphrase 3"})
    assert r.returncode == 0, r.stderr
    assert json.loads(cli("stats", "--json", passphrase="third passphrase 3").stdout) == stats
    r = cli("unlock", "--recovery-key", "WRNG-WRNG-WRNG-WRNG-WRNG-WRNG-WRNG-WRNG", passphrase=None,
            env={"LEHE_NEW_PASSPHRASE": "fourth passphrase 4"})
    assert r.returncode == 3 and "unlock.wrong_recovery_key" in r.stderr
    # Without a passphrase and without a terminal: a clear message, not a hang.
    r = cli("stats", passphrase=None)
    assert r.returncode == 3 and "unlock.no_passphrase" in r.stderr
