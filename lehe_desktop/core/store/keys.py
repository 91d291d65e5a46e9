"""The database key and how it is wrapped.

The SQLCipher key is 32 random bytes. It is never stored in the clear: keys.json holds it
wrapped (AES-256-GCM) twice — once under a key derived from the worker's passphrase with
Argon2id, once under the recovery key shown at set-up. Changing the passphrase re-wraps the
same key, so no data is re-encrypted.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import LockedError, StateError, StorageError, ValidationError
from ..problems import Problem, error
from .atomic import write_json_atomic
from .strength import MIN_SCORE, estimate

KEYFILE_FORMAT = 1
WRAP_AAD = b"lehe-desktop/db-key/v1"
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, written on paper
RECOVERY_GROUPS = 8  # 8 groups of 4 = 32 symbols * 5 bits = 160 bits


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters (RFC 9106 'second recommended' memory-constrained profile).

    64 MiB and 3 passes take ~0.1-0.3 s on a field laptop: cheap for the worker, costly for a
    thief trying passphrases. Stored with the wrapped key so they can be raised later.
    """

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4
    salt_b64: str = ""
    algorithm: str = "argon2id"  # named in keys.json so a later app can tell which KDF made it

    @staticmethod
    def fresh() -> KdfParams:
        return KdfParams(salt_b64=_b64(os.urandom(16)))

    @staticmethod
    def from_file(obj: Any) -> KdfParams:
        """The parameters as read from keys.json or a backup's header, checked: whole numbers
        within what a field laptop can compute (a crafted backup on a stick must not make it
        allocate gigabytes or compute for hours before the passphrase is even tried). ValueError
        when they are not."""
        if not isinstance(obj, dict):
            raise ValueError("kdf is not an object")
        p = KdfParams(**obj)     # TypeError for unknown names
        if not (all(type(v) is int for v in (p.memory_kib, p.iterations, p.lanes)) and isinstance(p.salt_b64, str)
                and 1 <= p.lanes <= MAX_KDF.lanes and 8 * p.lanes <= p.memory_kib <= MAX_KDF.memory_kib
                and 1 <= p.iterations <= MAX_KDF.iterations):
            raise ValueError("kdf parameters out of range")
        base64.b64decode(p.salt_b64.encode("ascii"), validate=True)   # binascii.Error is a ValueError
        return p

    def derive(self, passphrase: str) -> bytes:
        if self.algorithm != "argon2id":
            raise StorageError("keys.format", "密钥文件格式不受支持", "Unsupported key file format")
        kdf = Argon2id(salt=_unb64(self.salt_b64), length=32, iterations=self.iterations,
                       lanes=self.lanes, memory_cost=self.memory_kib)
        return kdf.derive(passphrase.encode("utf-8"))


MIN_KDF = KdfParams(memory_kib=64 * 1024, iterations=3, lanes=1)
# The most a key file or backup header may ask for: 16× today's memory, 5× its passes (~2-5 s).
MAX_KDF = KdfParams(memory_kib=1024 * 1024, iterations=16, lanes=16)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _wrap(wrapping_key: bytes, db_key: bytes) -> dict[str, str]:
    nonce = os.urandom(12)
    return {"nonce": _b64(nonce), "ct": _b64(AESGCM(wrapping_key).encrypt(nonce, db_key, WRAP_AAD))}


def _unwrap(wrapping_key: bytes, blob: Any) -> bytes | None:
    try:
        return AESGCM(wrapping_key).decrypt(_unb64(blob["nonce"]), _unb64(blob["ct"]), WRAP_AAD)
    except (InvalidTag, KeyError, ValueError, TypeError, AttributeError):   # also a blob of the wrong shape
        return None


def unwrap_blob(wrapping_key: bytes, blob: dict[str, str]) -> bytes | None:
    """The database key inside ``blob`` (a backup's header), or None when this key does not open it."""
    return _unwrap(wrapping_key, blob)


def unwrap_recovery(recovery_key: str, blob: dict[str, str]) -> bytes | None:
    """The database key inside a recovery wrap ({salt, nonce, ct}), or None."""
    try:
        salt = _unb64(blob["salt"])
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
    return _unwrap(_recovery_wrapping_key(recovery_key, salt), blob)


def recovery_wrap(recovery_key: str, db_key: bytes) -> dict[str, str]:
    salt = os.urandom(16)
    return {"salt": _b64(salt), **_wrap(_recovery_wrapping_key(recovery_key, salt), db_key)}


def new_recovery_key() -> str:
    symbols = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * 4))
    return "-".join(symbols[i:i + 4] for i in range(0, len(symbols), 4))


def normalise_recovery_key(text: str) -> str:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return cleaned  # dashes, spaces and case do not matter when typing it back


def _recovery_wrapping_key(recovery_key: str, salt: bytes) -> bytes:
    # 160 random bits need no slow KDF; HKDF just binds the key to this keyfile's salt.
    material = normalise_recovery_key(recovery_key).encode("ascii")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"lehe-recovery").derive(material)


# ---------------------------------------------------------------- passphrase strength

# The most used passwords in published leak studies (incl. the Chinese favourites: 5201314 "I love
# you for life", woaini, 147258369 keypad runs …); matched case-insensitively and with a trailing
# run of digits or punctuation removed, so "Password123!" counts as "password".
COMMON = frozenset("""
12345678 123456789 1234567890 0123456789 87654321 987654321 11111111 111111111 00000000 88888888
66666666 99999999 12341234 11223344 1qaz2wsx 1q2w3e4r 1q2w3e4r5t qwertyui qwertyuiop qazwsxedc
asdfghjk asdfghjkl zxcvbnm zxcvbnm123 password passw0rd password1 iloveyou abcd1234 a1234567
a12345678 abc12345 abc123456 aa123456 qq123456 woaini woaini1314 woaini520 5201314 52013141314
1314520 147258369 147258 123123123 123qwe qwe123 admin admin123 administrator root letmein welcome
monkey dragon sunshine princess football baseball superman batman trustno1 starwars computer
internet shanghai beijing zhongguo china chongqing lehe lehe1234 shegong shegong123 socialwork
""".split())  # noqa: SIM905 (a word list reads better than a list literal)

MIN_PASSPHRASE_LEN = 8


def is_common(passphrase: str) -> bool:
    folded = passphrase.strip().lower()
    return folded in COMMON or folded.rstrip("0123456789!@#$%^&*.?_-") in COMMON


def passphrase_score(passphrase: str) -> int:
    """0 (very weak) … 4 (strong): zxcvbn's estimate with pinyin words (strength.py); the GUI's bar."""
    if len(passphrase) < MIN_PASSPHRASE_LEN or is_common(passphrase):
        return 0
    return estimate(passphrase).score


# zxcvbn's warnings (the usual ones), for the Chinese message.
_WARNINGS_ZH = {
    "This is a top-10 common password.": "这是最常见的十个密码之一。",
    "This is a top-100 common password.": "这是最常见的一百个密码之一。",
    "This is a very common password.": "这是非常常见的密码。",
    "This is similar to a commonly used password.": "这和一个常用密码很像。",
    "A word by itself is easy to guess.": "单个词语很容易被猜到。",
    "Names and surnames by themselves are easy to guess.": "单独的姓名很容易被猜到。",
    "Common names and surnames are easy to guess.": "常见的姓名很容易被猜到。",
    "Straight rows of keys are easy to guess.": "键盘上连成一行的键很容易被猜到。",
    "Short keyboard patterns are easy to guess.": "简短的键盘图案很容易被猜到。",
    'Repeats like "aaa" are easy to guess.': "“aaa”这样的重复很容易被猜到。",
    'Sequences like "abc" or "6543" are easy to guess.': "“abc”、“6543”这样的顺序很容易被猜到。",
    "Reversed words aren't much harder to guess.": "倒着写的词语并不更难猜。",
    "Recent years are easy to guess.": "最近的年份很容易被猜到。",
    "Dates are often easy to guess.": "日期往往很容易被猜到。",
}


def check_passphrase(passphrase: str) -> list[Problem]:
    """Refuse a passphrase that is too short or too guessable (zxcvbn score below ``MIN_SCORE``)."""
    if len(passphrase) < MIN_PASSPHRASE_LEN:
        return [error("passphrase.too_short", "passphrase",
                      f"密码至少需要 {MIN_PASSPHRASE_LEN} 个字符",
                      f"The passphrase needs at least {MIN_PASSPHRASE_LEN} characters")]
    if is_common(passphrase):
        return [error("passphrase.weak", "passphrase", "这个密码太常见，容易被猜到：请换一个更长、不常见的密码",
                      "This passphrase is too common and easy to guess: choose a longer, unusual one")]
    strength = estimate(passphrase)
    if strength.score < MIN_SCORE:
        why_en = strength.warning or "It would be guessed too soon."
        why_zh = _WARNINGS_ZH.get(strength.warning, "它很快就会被猜到。")
        return [error("passphrase.weak", "passphrase",
                      f"密码太容易被猜到（强度 {strength.score}/4，至少需要 {MIN_SCORE}）：{why_zh}"
                      "请用几个互不相关的词，再加上数字或符号",
                      f"The passphrase is too easy to guess (strength {strength.score}/4, at least {MIN_SCORE} "
                      f"needed): {why_en} Use several unrelated words with digits or symbols")]
    return []


# ---------------------------------------------------------------- back-off after failures

def backoff_seconds(failures: int) -> float:
    """No delay for the first three mistakes, then 2, 4, 8 … up to 5 minutes."""
    if failures < 3:
        return 0.0
    return float(min(300, 2 ** (min(failures, 20) - 2)))   # 2 ** (10**12 - 2) would never finish


@dataclass
class UnlockState:
    failures: int = 0
    last_failure: float = 0.0
    # Failed attempts not yet in the audit log (a locked database cannot be written): entered at
    # the next unlock (vault.signed_in), then cleared. Not reset by a success, unlike ``failures``.
    unaudited: int = 0

    @staticmethod
    def load(path: Path) -> UnlockState:
        try:
            data = json.loads(path.read_text("utf-8"))
            return UnlockState(int(data.get("failures", 0)), float(data.get("last_failure", 0.0)),
                               int(data.get("unaudited", 0)))
        except (OSError, ValueError, TypeError, AttributeError, OverflowError):   # damaged: [], 1e999 …
            return UnlockState()

    def save(self, path: Path) -> None:
        write_json_atomic(path, asdict(self))

    def wait_left(self, now: float | None = None) -> float:
        now = time.time() if now is None else now
        delay = backoff_seconds(self.failures)
        # Never more than the delay itself: a failure "in the future" (the clock was set ahead then,
        # or the file is damaged) would otherwise lock the worker out for years.
        return max(0.0, min(delay, self.last_failure + delay - now))


# ---------------------------------------------------------------- the key file

class KeyFile:
    """keys.json: KDF parameters plus the two wrapped copies of the database key."""

    def __init__(self, path: Path, state_path: Path) -> None:
        self.path = path
        self.state_path = state_path

    def exists(self) -> bool:
        return self.path.exists()

    def _load(self) -> dict:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError as exc:
            raise StateError("setup.missing", "尚未设置：请先创建密码", "Not set up yet: create a passphrase first") from exc
        except (OSError, ValueError) as exc:
            raise StorageError("keys.unreadable", f"密钥文件无法读取：{self.path}",
                               f"The key file cannot be read: {self.path}") from exc
        if not isinstance(data, dict):   # valid JSON but not the key file's object ("[]", "null")
            raise StorageError("keys.unreadable", f"密钥文件无法读取：{self.path}",
                               f"The key file cannot be read: {self.path}")
        if data.get("format") != KEYFILE_FORMAT:
            raise StorageError("keys.format", "密钥文件格式不受支持", "Unsupported key file format")
        return data

    def kdf_params(self) -> KdfParams:
        try:
            return KdfParams.from_file(self._load().get("kdf"))
        except (TypeError, ValueError) as exc:
            raise StorageError("keys.format", "密钥文件格式不受支持", "Unsupported key file format") from exc

    def create(self, passphrase: str, *, db_key: bytes | None = None) -> tuple[bytes, str]:
        """Make (or adopt) a database key; return it and the recovery key to show once."""
        if self.exists():
            raise StateError("setup.exists", "已经设置过密码", "A passphrase is already set up")
        problems = [p for p in check_passphrase(passphrase) if p.is_error]
        if problems:
            raise ValidationError(problems)
        db_key = db_key or os.urandom(32)
        recovery = new_recovery_key()
        self._write(db_key, passphrase, recovery_key=recovery)
        return db_key, recovery

    def _write(self, db_key: bytes, passphrase: str, *, recovery_key: str | None = None,
               keep_recovery: dict | None = None) -> None:
        kdf = KdfParams.fresh()
        data: dict = {"format": KEYFILE_FORMAT, "kdf": asdict(kdf),
                      "passphrase": _wrap(kdf.derive(passphrase), db_key)}
        if recovery_key is not None:
            data["recovery"] = recovery_wrap(recovery_key, db_key)
        elif keep_recovery is not None:
            data["recovery"] = keep_recovery
        old = self._load() if self.exists() else {}
        if old.get("org_recovery"):
            data["org_recovery"] = old["org_recovery"]   # the organisation's escrowed key still opens it
        write_json_atomic(self.path, data)

    def entries(self) -> dict:
        """keys.json as it is (wrapped keys only, never a key in the clear): a backup carries them."""
        return self._load()

    def adopt(self, db_key: bytes, passphrase: str, wraps: dict) -> None:
        """A new laptop restoring a backup: its database key under a new passphrase, keeping the
        backup's recovery wraps (``wraps``: 'recovery', 'org_recovery'), so the same keys open it."""
        if self.exists():
            raise StateError("setup.exists", "已经设置过密码", "A passphrase is already set up")
        problems = [p for p in check_passphrase(passphrase) if p.is_error]
        if problems:
            raise ValidationError(problems)
        kdf = KdfParams.fresh()
        data: dict = {"format": KEYFILE_FORMAT, "kdf": asdict(kdf),
                      "passphrase": _wrap(kdf.derive(passphrase), db_key)}
        data.update({k: wraps[k] for k in ("recovery", "org_recovery") if k in wraps})
        write_json_atomic(self.path, data)

    def set_org_recovery(self, db_key: bytes) -> str:
        """A new organisation recovery key (escrowed to the server): wrap the key under it; return it."""
        data = self._load()
        org = new_recovery_key()
        data["org_recovery"] = recovery_wrap(org, db_key)
        write_json_atomic(self.path, data)
        return org

    def _check_backoff(self) -> UnlockState:
        state = UnlockState.load(self.state_path)
        left = state.wait_left()
        if left > 0:
            raise LockedError("unlock.backoff", f"尝试次数过多，请 {int(left) + 1} 秒后再试",
                              f"Too many attempts; try again in {int(left) + 1} s", retry_after_s=left)
        return state

    def _fail(self, state: UnlockState, code: str, zh: str, en: str) -> LockedError:
        state.failures += 1
        state.unaudited += 1
        state.last_failure = time.time()
        state.save(self.state_path)
        wait = backoff_seconds(state.failures)
        if wait:
            zh += f"（请 {int(wait)} 秒后再试）"
            en += f" (try again in {int(wait)} s)"
        return LockedError(code, zh, en, retry_after_s=wait)

    def _succeed(self, state: UnlockState) -> None:
        if state.failures:
            UnlockState(unaudited=state.unaudited).save(self.state_path)

    def unaudited(self) -> int:
        """Failed attempts not yet entered into the audit log."""
        return UnlockState.load(self.state_path).unaudited

    def clear_unaudited(self, count: int) -> None:
        """``count`` failed attempts are now in the audit log."""
        state = UnlockState.load(self.state_path)
        if state.unaudited:
            state.unaudited = max(0, state.unaudited - count)
            state.save(self.state_path)

    def unlock(self, passphrase: str) -> bytes:
        data = self._load()
        state = self._check_backoff()
        key = _unwrap(self.kdf_params().derive(passphrase), data.get("passphrase"))
        if key is None:
            raise self._fail(state, "unlock.wrong_passphrase", "密码不正确", "Wrong passphrase")
        self._succeed(state)
        return key

    def unlock_with_recovery(self, recovery_key: str) -> bytes:
        data = self._load()
        state = self._check_backoff()
        key = None
        for entry in ("recovery", "org_recovery"):   # the worker's, then the organisation's (escrowed)
            if isinstance(data.get(entry), dict):
                key = unwrap_recovery(recovery_key, data[entry])
                if key is not None:
                    break
        if key is None:
            raise self._fail(state, "unlock.wrong_recovery_key", "恢复密钥不正确", "Wrong recovery key")
        self._succeed(state)
        if entry == "org_recovery":
            # An admin handed it over, so it is known: it works once; a new one is escrowed at the next sync.
            del data["org_recovery"]
            write_json_atomic(self.path, data)
        return key

    def change_passphrase(self, db_key: bytes, new_passphrase: str) -> None:
        problems = [p for p in check_passphrase(new_passphrase) if p.is_error]
        if problems:
            raise ValidationError(problems)
        self._write(db_key, new_passphrase, keep_recovery=self._load().get("recovery"))

    def new_recovery(self, db_key: bytes, passphrase: str) -> str:
        """Replace the recovery key (e.g. after it was used or exposed)."""
        recovery = new_recovery_key()
        self._write(db_key, passphrase, recovery_key=recovery)
        return recovery
