"""The server's signing keys, kept in a file outside the database (docs/server.md "The signing key").

The file (``server.keys`` beside ``server.db`` unless ``--key-file`` says otherwise) is JSON:
``{"v": 1, "keys": [{"public", "private", "created_ms", "endorsement"}, …]}``, oldest first; the
last one signs. ``endorsement`` is the previous key's signature announcing this one
(``core.sync.keyroll``). Old keys stay in the file: they proved the server's earlier batches and
may be needed to open bundles made for them. The file must be readable by the server's user only
(mode 0600): a file others can read is refused (``server.key_permissions``) rather than used.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import stat
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ..core.errors import StateError
from ..core.sync import keyroll
from ..core.sync import protocol as P

log = logging.getLogger(__name__)

KEY_FILE_VERSION = 1
MAX_KEY_FILE = 1024 * 1024


def default_key_path(db_path: Path) -> Path:
    """``DIR/server.db`` → ``DIR/server.keys``."""
    return db_path.with_name(f"{db_path.stem}.keys")


def pg_key_path() -> Path:
    """A PostgreSQL server's key file when --key-file is not given: in the server user's config
    folder (every server process on the host reads the same one; other hosts need a copy)."""
    return Path(platformdirs.user_config_dir("lehe-server")) / "server.keys"


@dataclass(frozen=True)
class KeyEntry:
    public: str
    private: str
    created_ms: int
    endorsement: str | None      # the previous key's announcement of this one (None for the first)


def _missing(path: Path) -> StateError:
    return StateError("server.key_missing",
                      f"找不到服务器签名密钥文件：{path}。请从备份中恢复它（密钥不在数据库备份里），"
                      "或用 --key-file 指明它的位置",
                      f"The server's signing key file is missing: {path}. Restore it from your backup (the "
                      "key is not in the database backups), or give its place with --key-file")


def _invalid(path: Path, why: str) -> StateError:
    return StateError("server.key_invalid", f"服务器签名密钥文件损坏：{path}（{why}）",
                      f"The server's signing key file is damaged: {path} ({why})")


def check_permissions(path: Path) -> os.stat_result:
    """The file's status; refused when group or others may read or write it (POSIX)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _missing(path) from None
    if os.name == "posix" and info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise StateError("server.key_permissions",
                         f"服务器签名密钥文件 {path} 的权限是 {mode:04o}，其他用户也能读取，服务器拒绝使用它："
                         f"请运行 chmod 600 {path}（只让服务器的用户读取），再启动",
                         f"The server's signing key file {path} has mode {mode:04o}: other users can read "
                         f"it, so the server refuses to use it. Run chmod 600 {path} (readable by the "
                         "server's user only) and start again")
    return info


def _read(path: Path) -> tuple[list[KeyEntry], os.stat_result]:
    info = check_permissions(path)
    if info.st_size > MAX_KEY_FILE:
        raise _invalid(path, "too large")
    try:
        data = json.loads(path.read_bytes())
        raw = data["keys"] if isinstance(data, dict) and data.get("v") == KEY_FILE_VERSION else None
        if not isinstance(raw, list) or not raw:
            raise _invalid(path, "no keys")
        entries = [KeyEntry(str(k["public"]), str(k["private"]), int(k["created_ms"]),
                            None if k.get("endorsement") is None else str(k["endorsement"])) for k in raw]
    except (ValueError, KeyError, TypeError) as exc:
        raise _invalid(path, type(exc).__name__) from None
    previous: str | None = None
    for e in entries:
        try:
            ok = P.public_b64(P.load_private(e.private)) == e.public
        except ValueError:
            ok = False
        if not ok:
            raise _invalid(path, "a private key does not match its public key")
        if previous is not None and not (
                e.endorsement and P.verify(previous, e.endorsement, keyroll.rotation_message(previous, e.public))):
            raise _invalid(path, "a key is not announced by the one before it")
        previous = e.public
    return entries, info


def _write(path: Path, entries: list[KeyEntry], *, owner_of: Path | None = None) -> None:
    """Write the file whole, mode 0600, replacing the old one in one rename. Run as root (an
    administrator's sudo), the new file keeps the owner of the file it replaces (or of
    ``owner_of``, the database) so the server's user can still read it."""
    data = {"v": KEY_FILE_VERSION, "keys": [
        {"public": e.public, "private": e.private, "created_ms": e.created_ms, "endorsement": e.endorsement}
        for e in entries]}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=1)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        like = path if path.exists() else owner_of
        if os.name == "posix" and like is not None and like.exists() and os.geteuid() == 0:
            ref = like.stat()
            os.chown(tmp, ref.st_uid, ref.st_gid)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if os.name == "posix":
        dfd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _new_entry(previous: KeyEntry | None, private: Ed25519PrivateKey | None = None) -> KeyEntry:
    key = private or P.new_private_key()
    public = P.public_b64(key)
    endorsement = keyroll.endorse(P.load_private(previous.private), public) if previous else None
    return KeyEntry(public, P.b64e(P.private_bytes(key)), int(time.time() * 1000), endorsement)


class ServerKeys:
    """The key file of one server, read when first needed and again whenever it changes on disk
    (``rotate-key`` while the server runs: the next request is signed with the new key)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._entries: list[KeyEntry] | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._signer: Ed25519PrivateKey | None = None
        self._header = ""

    # ------------------------------------------------------------------ reading

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> ServerKeys:
        """Read (and check) the file now; raises the coded errors above."""
        entries, info = _read(self.path)
        with self._lock:
            self._use(entries, info)
        return self

    def _use(self, entries: list[KeyEntry], info: os.stat_result) -> None:
        self._entries = entries
        self._stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        self._signer = P.load_private(entries[-1].private)
        self._header = keyroll.chain_header([(a.public, b.public, b.endorsement or "")
                                             for a, b in itertools.pairwise(entries)])

    def _fresh(self) -> list[KeyEntry]:
        if self._entries is None:
            self.load()
        else:
            try:
                info = self.path.stat()
                changed = (info.st_mtime_ns, info.st_size, info.st_ino) != self._stamp
            except OSError:
                changed = False       # gone or unreadable now: keep signing with what was read
            if changed:
                try:
                    entries, info = _read(self.path)
                except StateError as exc:
                    log.error("key file %s changed but cannot be used (%s); keeping the keys read before",
                              self.path, exc.code)
                    self._stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
                else:
                    with self._lock:
                        self._use(entries, info)
                    log.warning("server signing key file reloaded: %d key(s), current %s…",
                                len(entries), entries[-1].public[:12])
        assert self._entries is not None
        return self._entries

    def signer(self) -> Ed25519PrivateKey:
        """The key that signs replies, certificates and the server's own batches."""
        self._fresh()
        assert self._signer is not None
        return self._signer

    def public(self) -> str:
        return self._fresh()[-1].public

    def publics(self) -> list[str]:
        """Every public key the server has had, newest first (batches signed before a rotation)."""
        return [e.public for e in reversed(self._fresh())]

    def private_keys(self) -> list[Ed25519PrivateKey]:
        """Every private key, newest first (to open bundles made for an older key)."""
        return [P.load_private(e.private) for e in reversed(self._fresh())]

    def announcement(self) -> str:
        """The ``keyroll.H_SERVER_KEYS`` header value ('' before the first rotation)."""
        self._fresh()
        return self._header

    def entries(self) -> list[KeyEntry]:
        return list(self._fresh())

    # ------------------------------------------------------------------ writing

    def create(self, private_b64: str | None = None, *, owner_of: Path | None = None) -> None:
        """A new key file with one key (a new one, or ``private_b64`` moved out of a database)."""
        if self.path.exists():
            raise StateError("server.key_exists", f"服务器签名密钥文件已存在：{self.path}",
                             f"The server's signing key file already exists: {self.path}")
        private = P.load_private(private_b64) if private_b64 else None
        _write(self.path, [_new_entry(None, private)], owner_of=owner_of)
        self.load()

    def rotate(self) -> KeyEntry:
        """Add a new key announced by the current one; it signs from now on."""
        entries, _info = _read(self.path)
        entry = _new_entry(entries[-1])
        _write(self.path, [*entries, entry])
        self.load()
        return entry
