"""The server's signing and encryption keys, kept in a file outside the database (docs/server.md
"The signing key").

The file (``server.keys`` beside ``server.db`` unless ``--key-file`` says otherwise) is JSON:
``{"v": 1, "keys": [{"public", "private", "created_ms", "endorsement", "enc_public", "enc_private",
"enc_by", "enc_endorsement"}, …], "enc_retired": [private, …]}``, oldest first; the last one signs.
``endorsement`` is the previous key's signature announcing this one (``core.sync.keyroll``). Each
entry has its X25519 encryption key (bundles are sealed to the current one), announced by
``enc_by``: the entry's own signing key for the first, the previous one after a rotation.
``enc_retired``: encryption keys that belong to no entry (moved out of an older database's meta
table). Old keys stay in the file: they proved the server's earlier batches, and every encryption
key ever announced still opens the bundles sealed to it. The file must be readable by the server's user only
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
from dataclasses import dataclass, replace
from pathlib import Path

import platformdirs
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from ..core.errors import StateError
from ..core.sync import directory as D
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
    enc_public: str | None = None        # the X25519 key that goes with this signing key (bundles)
    enc_private: str | None = None
    enc_by: str | None = None            # the signing key that announced it (this one, or the one before)
    enc_endorsement: str | None = None   # its signature: keyroll.enc_key_message(enc_by, public, enc_public)


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


def _opt(k: dict[str, object], name: str) -> str | None:
    got = k.get(name)
    return None if got is None else str(got)


def _read(path: Path) -> tuple[list[KeyEntry], list[str], os.stat_result]:
    info = check_permissions(path)
    if info.st_size > MAX_KEY_FILE:
        raise _invalid(path, "too large")
    try:
        data = json.loads(path.read_bytes())
        raw = data["keys"] if isinstance(data, dict) and data.get("v") == KEY_FILE_VERSION else None
        if not isinstance(raw, list) or not raw:
            raise _invalid(path, "no keys")
        entries = [KeyEntry(str(k["public"]), str(k["private"]), int(k["created_ms"]), _opt(k, "endorsement"),
                            _opt(k, "enc_public"), _opt(k, "enc_private"), _opt(k, "enc_by"),
                            _opt(k, "enc_endorsement")) for k in raw]
        retired = [str(r) for r in data.get("enc_retired") or []]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
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
        if e.enc_private is not None or e.enc_public is not None:
            try:
                ok = D.x25519_b64(D.load_x25519(e.enc_private or "")) == e.enc_public
            except ValueError:
                ok = False
            if not ok:
                raise _invalid(path, "an encryption key does not match its public key")
            if e.enc_by not in (e.public, previous) or not keyroll.enc_announced(
                    e.public, e.enc_public or "", e.enc_by or "", e.enc_endorsement or "", e.endorsement):
                raise _invalid(path, "an encryption key is not announced by a signing key")
        previous = e.public
    for r in retired:
        try:
            D.load_x25519(r)
        except ValueError:
            raise _invalid(path, "a retired encryption key is damaged") from None
    return entries, retired, info


def _write(path: Path, entries: list[KeyEntry], retired: list[str] | None = None, *,
           owner_of: Path | None = None) -> None:
    """Write the file whole, mode 0600, replacing the old one in one rename. Run as root (an
    administrator's sudo), the new file keeps the owner of the file it replaces (or of
    ``owner_of``, the database) so the server's user can still read it."""
    keys: list[dict[str, object]] = []
    for e in entries:
        item: dict[str, object] = {"public": e.public, "private": e.private, "created_ms": e.created_ms,
                                   "endorsement": e.endorsement}
        if e.enc_private is not None:
            item.update(enc_public=e.enc_public, enc_private=e.enc_private, enc_by=e.enc_by,
                        enc_endorsement=e.enc_endorsement)
        keys.append(item)
    data: dict[str, object] = {"v": KEY_FILE_VERSION, "keys": keys}
    if retired:
        data["enc_retired"] = list(retired)
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


def _with_enc(entry: KeyEntry, previous: KeyEntry | None, enc: X25519PrivateKey | None = None) -> KeyEntry:
    """``entry`` with an encryption key (a new one, or ``enc``) announced by ``previous`` (after a
    rotation) or by the entry's own signing key."""
    key = enc or X25519PrivateKey.generate()
    enc_public = D.x25519_b64(key)
    by = previous or entry
    return replace(entry, enc_public=enc_public, enc_private=D.x25519_private_b64(key), enc_by=by.public,
                   enc_endorsement=keyroll.endorse_enc(P.load_private(by.private), entry.public, enc_public))


def _new_entry(previous: KeyEntry | None, private: Ed25519PrivateKey | None = None,
               enc: X25519PrivateKey | None = None) -> KeyEntry:
    key = private or P.new_private_key()
    public = P.public_b64(key)
    endorsement = keyroll.endorse(P.load_private(previous.private), public) if previous else None
    entry = KeyEntry(public, P.b64e(P.private_bytes(key)), int(time.time() * 1000), endorsement)
    return _with_enc(entry, previous, enc)


class ServerKeys:
    """The key file of one server, read when first needed and again whenever it changes on disk
    (``rotate-key`` while the server runs: the next request is signed with the new key)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._entries: list[KeyEntry] | None = None
        self._retired: list[str] = []
        self._stamp: tuple[int, int, int] | None = None
        self._signer: Ed25519PrivateKey | None = None
        self._header = ""

    # ------------------------------------------------------------------ reading

    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> ServerKeys:
        """Read (and check) the file now; raises the coded errors above."""
        entries, retired, info = _read(self.path)
        with self._lock:
            self._use(entries, retired, info)
        return self

    def _use(self, entries: list[KeyEntry], retired: list[str], info: os.stat_result) -> None:
        self._entries = entries
        self._retired = retired
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
                    entries, retired, info = _read(self.path)
                except StateError as exc:
                    log.error("key file %s changed but cannot be used (%s); keeping the keys read before",
                              self.path, exc.code)
                    self._stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
                else:
                    with self._lock:
                        self._use(entries, retired, info)
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
        """Every private key, newest first."""
        return [P.load_private(e.private) for e in reversed(self._fresh())]

    def enc_current(self) -> X25519PrivateKey | None:
        """The encryption key bundles are sealed to now (the current entry's), None if it has none."""
        last = self._fresh()[-1]
        return D.load_x25519(last.enc_private) if last.enc_private else None

    def enc_privates(self) -> list[X25519PrivateKey]:
        """Every encryption key the server has had, newest first (bundles sealed to an older one open)."""
        entries = self._fresh()
        return ([D.load_x25519(e.enc_private) for e in reversed(entries) if e.enc_private]
                + [D.load_x25519(r) for r in self._retired])

    def enc_announcement(self) -> dict[str, str | None]:
        """The current encryption key with its announcement, as the device directory lists it:
        ``enc_key``, ``enc_key_by`` (the signing key that announced it), ``enc_key_sig`` and
        ``enc_key_step`` (when announced by the key before: that key's hand-over to the current one)."""
        last = self._fresh()[-1]
        step = last.endorsement if last.enc_by != last.public else None
        return {"enc_key": last.enc_public, "enc_key_by": last.enc_by, "enc_key_sig": last.enc_endorsement,
                "enc_key_step": step}

    def announcement(self) -> str:
        """The ``keyroll.H_SERVER_KEYS`` header value ('' before the first rotation)."""
        self._fresh()
        return self._header

    def entries(self) -> list[KeyEntry]:
        return list(self._fresh())

    # ------------------------------------------------------------------ writing

    def create(self, private_b64: str | None = None, *, owner_of: Path | None = None) -> None:
        """A new key file with one key and its encryption key (new ones, or ``private_b64`` moved out
        of a database)."""
        if self.path.exists():
            raise StateError("server.key_exists", f"服务器签名密钥文件已存在：{self.path}",
                             f"The server's signing key file already exists: {self.path}")
        private = P.load_private(private_b64) if private_b64 else None
        _write(self.path, [_new_entry(None, private)], owner_of=owner_of)
        self.load()

    def rotate(self) -> KeyEntry:
        """Add a new signing key and a new encryption key, both announced by the current signing
        key; they sign and receive from now on (the old ones stay)."""
        entries, retired, _info = _read(self.path)
        entry = _new_entry(entries[-1])
        _write(self.path, [*entries, entry], retired)
        self.load()
        return entry

    def adopt_enc(self, current: str | None, old: list[str]) -> None:
        """Take in encryption keys kept elsewhere before (an older database's meta): ``current``
        becomes the current entry's key when that has none (announced by its own signing key),
        else — like every one of ``old`` the file does not hold — a retired key that still opens
        bundles. Without ``current``, a current entry without a key gets a new one."""
        entries, retired, _info = _read(self.path)
        have = {e.enc_private for e in entries if e.enc_private} | set(retired)
        changed = False
        if entries[-1].enc_private is None:
            enc = D.load_x25519(current) if current else None
            entries[-1] = _with_enc(entries[-1], None, enc)
            have.add(str(entries[-1].enc_private))
            changed = True
        for k in [*([current] if current else []), *old]:
            if k not in have:
                D.load_x25519(k)
                retired.append(k)
                have.add(k)
                changed = True
        if changed:
            _write(self.path, entries, retired)
        self.load()
