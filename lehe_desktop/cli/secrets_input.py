"""Reading passphrases: LEHE_PASSPHRASE for scripts and tests, a hidden prompt on a terminal."""

from __future__ import annotations

import getpass
import os
import sys

from ..core.cli_support import utf8_secret
from ..core.errors import LockedError, ValidationError
from ..core.store.keys import check_passphrase


def _tty() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def read_passphrase(prompt: str = "密码 Passphrase: ") -> str:
    value = os.environ.get("LEHE_PASSPHRASE")
    if value:
        return utf8_secret(value, "LEHE_PASSPHRASE")
    if _tty():
        return getpass.getpass(prompt)
    raise LockedError("unlock.no_passphrase", "需要密码：请设置 LEHE_PASSPHRASE 或在终端中运行",
                      "A passphrase is needed: set LEHE_PASSPHRASE or run in a terminal")


def read_new_passphrase() -> str:
    value = utf8_secret(os.environ.get("LEHE_NEW_PASSPHRASE") or "", "LEHE_NEW_PASSPHRASE")
    if not value:
        if not _tty():
            raise LockedError("unlock.no_new_passphrase", "需要新密码：请设置 LEHE_NEW_PASSPHRASE",
                              "A new passphrase is needed: set LEHE_NEW_PASSPHRASE")
        value = getpass.getpass("新密码 New passphrase: ")
        again = getpass.getpass("再输入一次 Repeat: ")
        if value != again:
            raise LockedError("passphrase.mismatch", "两次输入的密码不一致", "The two passphrases differ")
    errors = [p for p in check_passphrase(value) if p.is_error]
    if errors:
        raise ValidationError(errors)
    return value


def read_recovery_key(given: str | None) -> str:
    if given:
        return given
    value = os.environ.get("LEHE_RECOVERY_KEY")
    if value:
        return utf8_secret(value, "LEHE_RECOVERY_KEY")
    if _tty():
        return input("恢复密钥 Recovery key: ")
    raise LockedError("unlock.no_recovery_key", "需要恢复密钥：请设置 LEHE_RECOVERY_KEY",
                      "A recovery key is needed: set LEHE_RECOVERY_KEY")
