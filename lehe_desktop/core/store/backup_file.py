"""A backup file that opens on any laptop — with the passphrase or the recovery key, never alone.

Format 2 (``.lehe-backup``)::

    MAGIC (16 bytes) | header length (4 bytes, big-endian) | header (UTF-8 JSON) | SQLCipher database

The header holds what keys.json held when the backup was made: the Argon2id parameters and the
database key wrapped (AES-256-GCM) by the passphrase, by the worker's recovery key and, once the
laptop escrowed it, by the organisation's recovery key (docs/security.md). None of these open
without the secret, so the file alone opens nothing. The header carries an HMAC under a key derived
from the database key: after unwrapping, any change to it is noticed. The database after it is the
same SQLCipher file as before (every page authenticated).

Format 1 — a bare SQLCipher database, as written before — has no header: it still restores on the
laptop that made it, with that laptop's keys.json.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import LockedError, NotFoundError, StateError, StorageError
from .keys import KdfParams, unwrap_blob, unwrap_recovery

MAGIC = b"LEHE-BACKUP-v2\n\x00"
HEADER_FORMAT = 2
MAX_HEADER = 64 * 1024
KEY_ENTRIES = ("kdf", "passphrase", "recovery", "org_recovery")


def _not_a_backup() -> StorageError:
    return StorageError("restore.not_a_backup", "这个文件不是乐和社工的备份，或已损坏",
                        "This file is not a Lehe Desktop backup, or is damaged")


def _mac_key(db_key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"lehe-backup-header/v2").derive(db_key)


def _mac(db_key: bytes, fields: Mapping[str, Any]) -> str:
    body = json.dumps({k: v for k, v in fields.items() if k != "mac"}, sort_keys=True,
                      separators=(",", ":"), ensure_ascii=True).encode("ascii")
    return hmac.new(_mac_key(db_key), body, hashlib.sha256).hexdigest()


def make_header(keys: Mapping[str, Any], db_key: bytes) -> bytes:
    """The header for a backup of the database ``db_key`` opens, from keys.json's entries."""
    fields: dict[str, Any] = {"format": HEADER_FORMAT}
    fields.update({k: keys[k] for k in KEY_ENTRIES if keys.get(k)})
    fields["mac"] = _mac(db_key, fields)
    body = json.dumps(fields, sort_keys=True, ensure_ascii=True).encode("ascii")
    return MAGIC + len(body).to_bytes(4, "big") + body


def read_header(source: Path) -> tuple[dict[str, Any] | None, int]:
    """(header, where the database starts): (None, 0) for a format-1 backup (a bare database)."""
    source = Path(source)
    if not source.is_file():
        raise NotFoundError("restore.missing", f"找不到备份文件：{source}", f"Backup file not found: {source}")
    try:
        with open(source, "rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                return None, 0
            size = int.from_bytes(fh.read(4), "big")
            if not 0 < size <= MAX_HEADER:
                raise _not_a_backup()
            raw = fh.read(size)
    except OSError as exc:
        raise StorageError("restore.unreadable", f"备份文件无法读取：{source}",
                           f"The backup file cannot be read: {source}") from exc
    try:
        header = json.loads(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _not_a_backup() from exc
    if (len(raw) != size or not isinstance(header, dict) or header.get("format") != HEADER_FORMAT
            or not isinstance(header.get("kdf"), dict) or not isinstance(header.get("passphrase"), dict)):
        raise _not_a_backup()
    return header, len(MAGIC) + 4 + size


def _wrong(recovery: bool) -> LockedError:
    if recovery:
        return LockedError("unlock.wrong_recovery_key", "恢复密钥不能打开这个备份",
                           "The recovery key does not open this backup")
    return LockedError("unlock.wrong_passphrase", "密码不能打开这个备份（需要备份时使用的密码）",
                       "The passphrase does not open this backup (it needs the passphrase it was made under)")


def open_key(header: Mapping[str, Any], *, passphrase: str | None = None,
             recovery_key: str | None = None) -> bytes:
    """The database key, unwrapped by the passphrase or the (worker's or organisation's) recovery
    key; LockedError when it does not open, StorageError when the header was altered."""
    key: bytes | None = None
    if recovery_key is not None:
        for entry in ("recovery", "org_recovery"):
            blob = header.get(entry)
            if isinstance(blob, dict):
                key = unwrap_recovery(recovery_key, blob)
                if key is not None:
                    break
    elif passphrase is not None:
        try:
            kdf = KdfParams.from_file(header["kdf"])
            key = unwrap_blob(kdf.derive(passphrase), header["passphrase"])
        except (TypeError, ValueError) as exc:   # altered: wrong types, absurd costs, a salt that is not base64
            raise _not_a_backup() from exc
    if key is None:
        raise _wrong(recovery_key is not None)
    if not hmac.compare_digest(str(header.get("mac", "")), _mac(key, header)):
        raise StorageError("restore.header_altered", "备份文件的头部被改动过，不予恢复",
                           "The backup file's header was altered; not restored")
    return key


def key_entries(header: Mapping[str, Any]) -> dict[str, Any]:
    """The recovery wraps a restored laptop keeps in its new keys.json (the same keys still open it)."""
    return {k: header[k] for k in ("recovery", "org_recovery") if isinstance(header.get(k), dict)}


def write_with_header(database: Path, header: bytes, out: Path) -> None:
    """Write ``header`` followed by the bytes of ``database`` to ``out`` (not yet durable)."""
    with open(out, "wb") as dst, open(database, "rb") as src:
        dst.write(header)
        shutil.copyfileobj(src, dst, 1024 * 1024)


def copy_database(source: Path, offset: int, dest: Path) -> None:
    """The SQLCipher database inside ``source`` (starting at ``offset``) as the file ``dest``."""
    with open(source, "rb") as src, open(dest, "wb") as dst:
        src.seek(offset)
        shutil.copyfileobj(src, dst, 1024 * 1024)


@contextlib.contextmanager
def database_of(source: Path, scratch: Path | None = None) -> Iterator[Path]:
    """A path SQLCipher can open for the backup at ``source``: the file itself (format 1) or a
    temporary copy of the database inside it (format 2), removed afterwards."""
    _header, offset = read_header(source)
    if offset == 0:
        yield Path(source)
        return
    with contextlib.ExitStack() as stack:
        if scratch is None:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="lehe-backup-"))
            scratch = Path(folder) / "backup.db"
        try:
            copy_database(source, offset, scratch)
        except OSError as exc:
            scratch.unlink(missing_ok=True)
            raise StorageError("restore.unreadable", f"备份文件无法读取：{source}",
                               f"The backup file cannot be read: {source}") from exc
        try:
            yield scratch
        finally:
            scratch.unlink(missing_ok=True)


def _plainly_not_ours(source: Path) -> bool:
    """An empty file, or an unencrypted SQLite database (a server's server.db, another program's):
    never a backup of ours, old format or new, whatever laptop it is restored on."""
    try:
        with open(source, "rb") as fh:
            start = fh.read(16)
    except OSError:
        return False
    return not start or start == b"SQLite format 3\x00"


def require_header(source: Path) -> dict[str, Any]:
    header, _offset = read_header(source)
    if header is None and _plainly_not_ours(source):
        raise _not_a_backup()
    if header is None:
        raise StateError("restore.needs_own_laptop",
                         "这个备份是旧格式，只能在制作它的电脑上（用那台电脑的密钥文件）恢复",
                         "This backup has the old format: it restores only on the laptop that made it "
                         "(with that laptop's key file)")
    return header
