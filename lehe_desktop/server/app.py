"""The sync service and its ASGI app (Starlette; served by uvicorn).

``SyncService.handle`` does all the work on plain bytes (so tests can also call it in-process
through an httpx transport); ``create_app`` wraps it for HTTP.
"""

from __future__ import annotations

import ipaddress
import logging
import time
import zlib
from collections.abc import Mapping
from typing import Any, TypeVar

from msgspec import UNSET
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .. import __version__
from ..core.ids import is_safe_device_id
from ..core.messages import (
    AuditAck,
    AuditHead,
    BadMessage,
    Batch,
    Change,
    Enroll,
    EnrollReply,
    HealthReply,
    Hello,
    HelloReply,
    ProofRuns,
    Pull,
    PullReply,
    Push,
    PushRaw,
    PushReply,
    Rejected,
    Words,
    decode,
    decode_any,
    encode,
    stored_pulled,
)
from ..core.roles import WRITE_CAPABILITY, may_write
from ..core.store import audit_chain
from ..core.store.migrations import SCHEMA_VERSION
from ..core.sync import keyroll, proof
from ..core.sync import protocol as P
from ..core.sync.checks import ChangeChecker, Refusal
from ..core.sync.directory import enc_key_message
from ..core.sync.merge import QUARANTINE, Merger
from ..core.throughput import gc_paused
from . import directory, escrow
from .errors import ApiError, too_large
from .openapi import OPENAPI_PATH, document
from .ops import HEALTH_PATH, health_endpoint
from .pg import unavailable
from .scope import PARENT_REFUSED, REFUSED, UNKNOWN, ScopeResolver, allowed, ancestor_edit_refused
from .storage import Device, ServerStorage

log = logging.getLogger(__name__)

KINDS = ("upsert", "delete", "undelete")
M = TypeVar("M")


def _version_tuple(text: str | None) -> tuple[int, ...]:
    out = []
    for part in (text or "0").split("."):
        digits = "".join(ch for ch in part if ch.isdigit())
        out.append(int(digits or 0))
    return tuple(out)


def _old_protocol() -> ApiError:
    """A laptop from before signed nonces and replies (protocol 1): nothing it sends is taken."""
    return ApiError(426, "sync.upgrade", "服务器已更新，本机的乐和社工程序太旧，不能再同步：请安装新版本。"
                    "本机还没上传的修改都保留在本机，升级后会自动上传，不会丢失",
                    "The server has been updated and this laptop's Lehe Desktop is too old to sync: please "
                    "install the new version. Changes not yet sent stay on this laptop and go up after the "
                    "update; nothing is lost")


def _upgrade() -> ApiError:
    return ApiError(426, "sync.upgrade", "服务器需要更新版本的乐和社工程序才能下载数据，请升级本机程序"
                    "（已修改的记录仍可上传，不会丢失）",
                    "The server needs a newer Lehe Desktop to download data: please upgrade this laptop "
                    "(your changes can still be uploaded and are not lost)")


# Requests that must be signed by an enrolled device; any other (enrol, health) is small.
SIGNED_PATHS = frozenset({P.HELLO, P.PUSH, P.PULL})
SMALL_BODY = 64 * 1024                 # enrol, health: as sent and once unzipped
AUTH_FAILURES = 20                     # failed enrolments / signatures per client address …
AUTH_FAILURE_WINDOW_MS = 10 * 60 * 1000   # … within this window, then HTTP 429 auth.rate_limited
COUNTED_ENROL = frozenset({"enroll.code_invalid", "enroll.code_used", "enroll.code_expired",
                           "enroll.code_other_device", "enroll.device_known"})


def database_unavailable() -> ApiError:
    """HTTP 503: PostgreSQL cannot be reached (restarting, stopped). Nothing of the request was
    stored; the server reconnects by itself, so the laptop simply syncs again later."""
    return ApiError(503, "server.database_unavailable",
                    "服务器的数据库暂时无法访问（可能正在重启或维护），这次同步没有保存任何内容，请稍后再同步",
                    "The server's database cannot be reached right now (restarting or maintenance); nothing of "
                    "this sync was stored. Sync again in a few minutes", headers={"retry-after": "30"})


def _rate_limited(wait_ms: int) -> ApiError:
    minutes = max(1, -(-wait_ms // 60000))
    return ApiError(429, "auth.rate_limited",
                    f"从这个网络地址失败的注册或签名太多，请 {minutes} 分钟后再试",
                    f"Too many failed enrolments or signatures from this network address; try again in "
                    f"{minutes} minute(s)", headers={"retry-after": str(max(1, -(-wait_ms // 1000)))})


def _utc(ms: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(ms / 1000))


class SyncService:
    def __init__(self, storage: ServerStorage, *, max_body: int = P.MAX_BODY) -> None:
        self.storage = storage
        self.max_body = max_body       # bytes per request body, as sent and once unzipped
        self.keys = storage.keys       # the signing key file (re-read when rotate-key changes it)
        self.keys.signer()             # refused now (missing, readable by others) rather than at a request

    # ------------------------------------------------------------------ entry point

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes, addr: str = "",
               ) -> tuple[int, bytes, dict[str, str]]:
        """The status, JSON body and headers (the reply's signature) of the answer to one request
        (``headers`` with lower-case names; ``addr`` the client's network address)."""
        if path in (P.PUSH, P.PULL):
            with gc_paused():      # thousands of changes per request: see core.throughput.gc_paused
                status, data, extra = self._handle(method, path, headers, body, addr)
        else:
            status, data, extra = self._handle(method, path, headers, body, addr)
        return status, data, {**extra, **self.sign_reply(method, path, headers, status, data)}

    def sign_reply(self, method: str, path: str, headers: Mapping[str, str], status: int,
                   data: bytes) -> dict[str, str]:
        """The server's signature of a reply, bound to the request's nonce (docs/sync.md)."""
        nonce = headers.get(P.H_NONCE, "")
        message = P.reply_message(method, path, nonce if P.is_nonce(nonce) else "", status, data)
        out = {P.H_REPLY_SIG: P.b64e(self.keys.signer().sign(message))}
        announced = self.keys.announcement()
        if announced:
            # After a rotation: the new key, announced by the old ones (core/sync/keyroll.py).
            out[keyroll.H_SERVER_KEYS] = announced
        return out

    def _handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes, addr: str,
                ) -> tuple[int, bytes, dict[str, str]]:
        try:
            status, data = self._answer(method, path, headers, body, addr)
        except ApiError as exc:
            return exc.status, encode(exc.body()), exc.headers
        except Exception as exc:
            if unavailable(exc):
                log.warning("sync request %s %s: the database is unavailable", method, path)
                err = database_unavailable()
                return err.status, encode(err.body()), err.headers
            log.exception("sync request failed: %s %s", method, path)
            return 500, encode({"error": "server.internal", "zh": "服务器内部错误", "en": "Internal server error"}), {}
        return status, data, {}

    def _answer(self, method: str, path: str, headers: Mapping[str, str], body: bytes, addr: str,
                ) -> tuple[int, bytes]:
        signed = path in SIGNED_PATHS
        if len(body) > (self.max_body if signed else SMALL_BODY):
            raise too_large(self.max_body if signed else SMALL_BODY)
        if headers.get("content-encoding", "").lower() == "gzip":
            # Enrol and health are small (and open to anyone): at most 64 KiB once unzipped.
            body = _gunzip(body, self.max_body if signed else SMALL_BODY)
        if path == P.HEALTH:
            return 200, encode(HealthReply(ok=True, app=__version__, schema=SCHEMA_VERSION, protocol=P.PROTOCOL))
        if method != "POST":
            raise ApiError(405, "http.method", "请求方法不支持", "Method not allowed")
        if path == P.ENROLL:
            self._check_rate(addr)
            enrol, _ = _decode_request(body, Enroll)
            if enrol is not None and (enrol.protocol is None or enrol.protocol < P.PROTOCOL):
                raise _old_protocol()       # before the one-time code is used up
            try:
                return 200, encode(self.enroll(enrol))
            except ApiError as exc:
                if exc.code in COUNTED_ENROL:
                    raise self._auth_failed(addr, exc, "enrolment") from None
                raise
        if not signed:
            _decode_request(body, dict)
            self.authenticate(method, path, headers, body, addr)
            raise ApiError(404, "http.not_found", "没有这个接口", "No such endpoint")
        if path == P.HELLO:
            hello, bad = _decode_request(body, Hello)
            device = self.authenticate(method, path, headers, body, addr)
            if hello is None:
                raise _malformed("hello.request", "同步请求格式错误", "Malformed hello request", bad)
            return 200, encode(self.hello(device, hello))
        if path == P.PUSH:
            push, bad = _decode_request(body, Push)
            device = self.authenticate(method, path, headers, body, addr)
            if push is not None:
                return 200, encode(self.push(device, push))
            items, batches, proofs = _push_items(body, bad)
            return 200, encode(self.push(device, items, batches, proofs))
        pull, bad = _decode_request(body, Pull)
        device = self.authenticate(method, path, headers, body, addr)
        if pull is None:
            raise _malformed("pull.request", "下载请求格式错误", "Malformed pull request", bad)
        return 200, self.pull(device, pull)

    # ------------------------------------------------------------------ auth

    def _check_rate(self, addr: str) -> None:
        """HTTP 429 while ``addr`` has had too many failed enrolments or signatures lately."""
        wait = self.storage.auth_retry_after(addr, AUTH_FAILURES, AUTH_FAILURE_WINDOW_MS)
        if wait is not None:
            raise _rate_limited(wait)

    def _auth_failed(self, addr: str, exc: ApiError, what: str) -> ApiError:
        """Log and count a failed enrolment or signature; the error to answer with (429 once the
        address is over its limit)."""
        wait = self.storage.auth_retry_after(addr, AUTH_FAILURES, AUTH_FAILURE_WINDOW_MS)
        if wait is not None:
            log.warning("failed %s from %s (%s): rate limited", what, addr or "?", exc.code)
            return _rate_limited(wait)
        self.storage.auth_failure(addr, exc.code, AUTH_FAILURE_WINDOW_MS)
        log.warning("failed %s from %s: %s", what, addr or "?", exc.code)
        return exc

    def precheck(self, headers: Mapping[str, str], addr: str = "") -> tuple[Device, str, int, str]:
        """What can be checked from the headers alone: an enrolled device that is not revoked, and
        a request made the way this protocol signs (apps from before it: HTTP 426)."""
        device_id = headers.get(P.H_DEVICE, "")
        sig = headers.get(P.H_SIG, "")
        try:
            ts = int(headers.get(P.H_TIME, ""))
        except ValueError:
            ts = -1
        device = self.storage.device(device_id) if device_id and len(device_id) <= 200 else None
        if device is None or not sig:
            raise self._auth_failed(addr, ApiError(401, "auth.unknown_device", "本机未在服务器注册，请重新注册",
                                                   "This device is not enrolled on the server; enrol again"),
                                    "signature")
        if device.revoked:
            raise ApiError(403, "auth.revoked", "本机已被管理员停用，不能再同步",
                           "This device has been revoked by the administrator and can no longer sync")
        if ts < 0:
            # An enrolled device's request without a readable time is a broken or forged request,
            # not a device the server does not know ("enrol again" would send the user astray).
            raise self._auth_failed(addr, ApiError(401, "auth.bad_time", "请求时间无效，服务器没有处理",
                                                   "The request's time is not valid; the server did not "
                                                   "process it"), "signature")
        nonce = headers.get(P.H_NONCE)
        if nonce is None:
            raise _old_protocol()
        if not P.is_nonce(nonce):
            raise self._auth_failed(addr, ApiError(401, "auth.bad_signature", "请求签名无效",
                                                   "The request signature is not valid"), "signature")
        return device, sig, ts, nonce

    def authenticate(self, method: str, path: str, headers: Mapping[str, str], body: bytes, addr: str = "",
                     ) -> Device:
        device, sig, ts, nonce = self.precheck(headers, addr)
        if not P.verify(device.public_key, sig, P.request_message(method, path, ts, nonce, body)):
            raise self._auth_failed(addr, ApiError(401, "auth.bad_signature", "请求签名无效",
                                                   "The request signature is not valid"), "signature")
        now = self.storage.now_ms()
        if device.expires_ms <= now:
            raise ApiError(403, "auth.cert_expired", "本机证书已过期，请重新注册",
                           "This device's certificate has expired; enrol again")
        # The first request of a session (hello) carries the laptop's own clock: a day either way is
        # fine. Later ones carry the server's clock as learned at hello: minutes.
        window = P.AUTH_WINDOW_MS if path == P.HELLO else P.SESSION_WINDOW_MS
        if abs(now - ts) > window:
            raise _clock_error(path, now, ts)
        if not self.storage.use_nonce(nonce, device.device_id, ts + window):
            raise self._auth_failed(addr, ApiError(401, "auth.replay", "这个请求已经收到过（重复的请求），服务器没有再处理",
                                                   "This request was received before (a replay); the server "
                                                   "did not process it again"), "signature")
        return device

    # ------------------------------------------------------------------ endpoints

    def enroll(self, data: Enroll | None) -> EnrollReply:
        if data is None:
            raise ApiError(400, "enroll.request", "注册请求不完整", "Incomplete enrolment request")
        if not is_safe_device_id(data.device_id):
            raise ApiError(400, "enroll.device_id", "设备号只能含字母、数字和 . _ -（最多 64 个字符）",
                           "A device id may hold only letters, digits and . _ - (at most 64 characters)")
        code, device_id, public_key = data.code, data.device_id, data.public_key
        if device_id == self.storage.store.device_id:
            # The server's own id: a device under it could pass its changes off as the server's.
            raise ApiError(409, "enroll.device_known", "这个设备号已被占用", "This device id is taken")
        try:
            if len(P.b64d(public_key)) != 32:
                raise ValueError
        except ValueError:
            raise ApiError(400, "enroll.key", "设备公钥无效", "The device public key is not valid") from None
        st = self.storage
        server_key = self.keys.signer()
        with st.transaction():
            user = st.redeem_code(code, device_id)
            got = st.user(user)
            role, areas = got if got else ("worker", [])
            now = st.now_ms()
            cert = {"v": 1, "device_id": device_id, "public_key": public_key, "user": user, "role": role,
                    "areas": areas, "server_epoch": st.epoch, "issued_ms": now,
                    "expires_ms": now + P.CERT_DAYS * 86400 * 1000}
            sig = P.b64e(server_key.sign(P.canonical(cert)))
            st.save_device(device_id, user, public_key, cert, sig)
        log.info("device %s enrolled for user %s", device_id, user)
        escrow_public, escrow_sig = escrow.escrow_key(st)   # organisation recovery (server/escrow.py)
        reply = EnrollReply(certificate=cert, signature=sig, server_public_key=P.public_b64(server_key),
                            server_epoch=st.epoch, user=user, role=role, areas=areas,
                            escrow_public_key=escrow_public, escrow_signature=escrow_sig)
        if isinstance(data.enc_key, str) and directory.valid_key(data.enc_key):
            # Bundles: the new device's encryption key (sent with the code), and the directory.
            directory.set_enc_key(st, device_id, data.enc_key)
        enrolled = st.device(device_id)
        if enrolled is not None:
            reply.directory, reply.directory_sig = directory.directory_for(st, enrolled)
        return reply

    def hello(self, device: Device, data: Hello) -> HelloReply:
        st = self.storage
        epoch = data.epoch
        schema = data.schema
        now = st.now_ms()
        with st.transaction():
            # A new epoch for a known device = a restored (or cloned) database: pull from the start
            # so the laptop gets back what it lost.
            reset = bool(device.epoch) and device.epoch != epoch
            st.seen(device.device_id, epoch=epoch, app=data.app, schema=schema, unacked=data.unsent)
            resolver = ScopeResolver(st.store)
            released = self._merger(resolver, self._checker()).retry_held()
            resolver.flush()
            audit = self._audit_head(device, epoch, data.audit) if data.audit is not None else None
        wall = data.wall_ms if data.wall_ms is not None else now
        skew = wall - now
        out = HelloReply(server_epoch=st.epoch, server_wall_ms=now, high_water=st.high_water(), reset_cursor=reset,
                         skew_ms=skew, released=released, schema=SCHEMA_VERSION, action="ok",
                         max_body=self.max_body)
        if abs(skew) > 5 * 60 * 1000:
            out.clock_warning = Words(zh=f"本机时间与服务器相差约 {abs(skew) // 60000} 分钟，请校正电脑时间",
                                      en=f"This computer's clock is about {abs(skew) // 60000} minutes off the "
                                         "server's; please fix it")
        if audit is not None:
            out.audit = audit
        out.escrow_public_key, out.escrow_signature = escrow.escrow_key(st)
        if data.escrow:
            out.escrow_error = escrow.receive(st, device.device_id, data.escrow)
            out.escrow_stored = not out.escrow_error
        if self._too_old(schema, data.app):
            out.action = "upgrade"
            out.message = _upgrade().reply()
        # Bundles: a laptop's encryption key (signed with its device key), and the signed directory.
        if isinstance(data.enc_key, str) and isinstance(data.enc_key_sig, str) and directory.valid_key(data.enc_key) \
                and P.verify(device.public_key, data.enc_key_sig, enc_key_message(device.device_id, data.enc_key)):
            directory.set_enc_key(st, device.device_id, data.enc_key)
        out.directory, out.directory_sig = directory.directory_for(st, device)
        return out

    def _audit_head(self, device: Device, epoch: str, head: AuditHead) -> AuditAck:
        """Check the laptop's audit chain head against the one kept for its origin (issue 16)."""
        origin = f"{device.device_id}:{epoch}"
        st = self.storage
        status, reason = audit_chain.check_report(st.audit_head(origin), head.since, head.since_hash,
                                                  list(head.links), head.seq, head.hash)
        st.audit_report(device.device_id, origin, status, reason, head.seq, head.hash)
        if status not in ("ok", "new"):
            log.warning("audit chain of device %s: %s (%s)", device.device_id, status, reason)
        return AuditAck(status=status, reason=reason)

    def _too_old(self, schema: Any, app: Any) -> bool:
        got = self.storage.metas("min_client_schema", "min_app")     # one read for both
        min_schema = int(got.get("min_client_schema") or 1)
        min_app = got.get("min_app") or ""
        if isinstance(schema, int) and schema < min_schema:
            return True
        return bool(min_app) and _version_tuple(str(app or "0")) < _version_tuple(min_app)

    def push(self, device: Device, data: Push | list[Change | dict[str, Any]],
             batches: list[Batch] | None = None, proofs: ProofRuns | None = None) -> PushReply:
        """Apply a batch in one transaction. ``data`` is the decoded push, or — when some of its
        changes did not decode — each item as a Change or, refused, the keys it had (with the push's
        ``batches`` and ``proofs``)."""
        if isinstance(data, Push):
            items: list[Change | dict[str, Any]] = list(data.changes)
            batches, proofs = data.batches, data.proofs
        else:
            items = data
        batches = batches or []
        refs = proof.expand(proofs or [], len(items), len(batches))
        if len(items) > P.MAX_BATCH:
            raise ApiError(413, "push.too_large", f"一次最多上传 {P.MAX_BATCH} 条", f"At most {P.MAX_BATCH} changes per request")
        st = self.storage
        admin = device.role == "admin"
        results: list[tuple[str, int | None]] = []
        rejected: list[Rejected] = []
        with st.transaction():
            resolver = ScopeResolver(st.store)
            checker = self._checker()
            merger = self._merger(resolver, checker)
            merger.retry_held()
            good = [ch for ch in items if isinstance(ch, Change) and ch.kind in KINDS]
            resolver.prefetch(good)
            origins = _Origins(st, device, batches)
            with merger.batch(good):
                self._push_batch(items, refs, origins, resolver, merger, checker, device, admin, results, rejected)
            st.seal(merger.made)
            resolver.flush()
        return PushReply(results=results, rejected=rejected, high_water=st.high_water())

    def _checker(self) -> ChangeChecker:
        return ChangeChecker(self.storage.store.vocab_has, self.storage.now_ms)

    def _merger(self, resolver: ScopeResolver, checker: ChangeChecker) -> Merger:
        """The request's merger; a held change it retries is checked again by ``_admit``."""
        st = self.storage

        def admit(ch: Change, scope: str | None) -> tuple[str, str | None]:
            return self._admit(resolver, checker, ch, scope)

        return st.merger(resolver, admit=admit)

    def _admit(self, resolver: ScopeResolver, checker: ChangeChecker, ch: Change,
               scope: str | None) -> tuple[str, str | None]:
        """A held change, once more: checked as on arrival (a change held by an older server was
        not), its area resolved if it was not; refused (and quarantined by the merger) with a
        recorded reason, held on, or applied."""
        refusal: Refusal | None = UNAPPLIABLE if scope == QUARANTINE else checker.check(ch)
        if refusal is None and (scope is None or scope == UNKNOWN):
            scope, before = resolver.resolve(ch)
            if scope == UNKNOWN:
                return "hold", UNKNOWN
            device = self.storage.device(ch.origin.rsplit(":", 1)[0])
            if device is None or device.revoked:
                refusal = _refusal(SCOPE_OUTSIDE)
            else:
                refusal = self._scope_refusal(ch, scope, before, device.areas, device.role == "admin")
            if refusal is None:
                resolver.remember(ch, scope)
        if refusal is not None:
            log.warning("held change %s %s quarantined: %s", ch.origin, ch.seq, refusal.code)
            self.storage.record_reject(ch, ch.origin, ch.seq, refusal.code, refusal.zh, refusal.en)
            resolver.mark_refused(ch)
            return "refuse", None
        return "apply", scope

    def _scope_refusal(self, ch: Change, scope: str, before: str | None, areas: list[str],
                       admin: bool) -> Refusal | None:
        if scope == PARENT_REFUSED:
            return _refusal(SCOPE_PARENT_REFUSED)
        if scope == REFUSED or not allowed(scope, ch.rtype, areas, admin) or (
                before != scope and before is not None and not allowed(before, ch.rtype, areas, admin)):
            return _refusal(SCOPE_OUTSIDE)
        if ancestor_edit_refused(self.storage.store, ch, scope, areas, admin):
            return _refusal(SCOPE_ANCESTOR)
        return None

    def _role_refusal(self, ch: Change, device: Device) -> Refusal | None:
        """Vocabulary items (and other role-gated types, core/roles.py) only from a coordinator's or an
        admin's device: the role of the device that made the change, as the server enrolled it."""
        maker = device if ch.origin.rsplit(":", 1)[0] == device.device_id else \
            self.storage.device(ch.origin.rsplit(":", 1)[0])
        if maker is not None and not maker.revoked and may_write(maker.role, ch.rtype):
            return None
        return _refusal(ROLE_PURGE if ch.rtype == "purge" else ROLE_VOCAB)

    def _push_batch(self, items: list[Change | dict[str, Any]], refs: list[int], origins: _Origins,
                    resolver: ScopeResolver, merger: Merger, checker: ChangeChecker, device: Device, admin: bool,
                    results: list[tuple[str, int | None]], rejected: list[Rejected]) -> None:
        st = self.storage
        check = checker.check
        accepted: dict[tuple[str, int], bytes] = {}     # digests of this batch's changes so far
        proofs = merger.proofs
        for ch, ref in zip(items, refs, strict=True):
            if not isinstance(ch, Change) or ch.kind not in KINDS:
                origin, seq = (ch.origin, ch.seq) if isinstance(ch, Change) else _keys_of(ch)
                code, zh, en = BAD_CHANGE
                st.record_reject(None, origin, seq, code, zh, en)
                rejected.append(Rejected(origin=origin, seq=seq, code=code, zh=zh, en=en))
                results.append(("rejected", None))
                continue
            # Every change is checked before it is stored, held or relayed (core/sync/checks.py).
            refusal = check(ch)
            key = (ch.origin, ch.seq)
            digest = b""
            batch_id: Any = None
            user: str | None = None
            if refusal is None:
                # Who made it: the signer of this request, or a device whose batch proof covers it.
                digest = proof.change_digest(ch)
                forged, batch_id, user = origins.check(ch, digest, ref)
                known = accepted.get(key) or merger.stored_digest(ch)
                if known is not None and known != digest:
                    forged = forged or SEQ_REUSED
                elif known is not None and forged is not None and key not in accepted:
                    # This very change is stored already (a re-send after a server restore of a change
                    # relayed before proofs existed): a duplicate, whoever sends it; nothing changes.
                    results.append(merger.apply_one(ch))
                    continue
                if forged is not None:
                    refusal = _refusal(forged)
            if refusal is None and ch.rtype in WRITE_CAPABILITY:
                refusal = self._role_refusal(ch, device)
            if refusal is None:
                scope, before = resolver.resolve(ch)
                if scope == UNKNOWN and device.areas and not admin and resolver.unanchored(ch):
                    scope = device.areas[0]     # a record with no area reference: its maker's area
                if scope == UNKNOWN:
                    # Its area cannot be resolved (yet): held, neither stored for others nor delivered.
                    accepted[key] = digest
                    proofs[key] = (batch_id, digest, user or "")
                    results.append(merger.hold(ch, UNKNOWN))
                    continue
                refusal = self._scope_refusal(ch, scope, before, device.areas, admin)
            if refusal is not None:
                st.record_reject(ch, ch.origin, ch.seq, refusal.code, refusal.zh, refusal.en)
                rejected.append(Rejected(origin=ch.origin, seq=ch.seq, code=refusal.code, zh=refusal.zh,
                                         en=refusal.en, rtype=ch.rtype, rid=ch.rid))
                results.append(("rejected", None))
                if refusal.code != "change.id":
                    resolver.mark_refused(ch)   # its children are refused too (scope.parent_refused)
                continue
            resolver.remember(ch, scope)
            accepted[key] = digest
            # Who: the enrolment record of the originating device, never what the laptop sent.
            proofs[key] = (batch_id, digest, user or "")
            status, sseq = merger.apply_one(ch, scope=scope)
            results.append((status, sseq or 0))

    def pull(self, device: Device, data: Pull) -> bytes:
        st = self.storage
        schema = data.schema if isinstance(data.schema, int) else device.schema
        app = device.app_version if data.app is UNSET else data.app
        if self._too_old(schema, app):
            raise _upgrade()
        high_water = st.high_water()
        until = high_water if data.until is None else min(data.until, high_water)
        limit = max(1, min(P.MAX_PAGE if data.limit is None else data.limit, P.MAX_PAGE))
        areas = None if device.role == "admin" else device.areas
        rows = st.pull(after=data.after, until=until, limit=limit, origin=data.origin, areas=areas)
        more = len(rows) == limit
        nxt = rows[-1][0] if more else until
        # The batch proofs of the page go along once each, named by the changes' runs.
        ids = sorted({r[13] for r in rows if r[13] is not None})
        stored = st.batches(ids) if ids else {}
        index = {bid: i for i, bid in enumerate(b for b in ids if b in stored)}
        # The stored JSON of fields and base goes out as it is: no parse and encode again per change.
        return encode(PullReply(changes=[stored_pulled(r) for r in rows], next=nxt, more=more and nxt < until,
                                high_water=until, batches=[stored[b] for b in ids if b in stored],
                                proofs=proof.runs(index.get(r[13], -1) for r in rows)))


def _clock_error(path: str, now: int, ts: int) -> ApiError:
    if path == P.HELLO:
        off = abs(now - ts)
        days = off / 86400000
        ahead = "快" if ts > now else "慢"
        # A clock years off (or an absurd header) is said in years, not a 20-digit number of days.
        zh_off, en_off = (f"约 {days:.1f} 天", f"about {days:.1f} days") if days < 3650 else ("十年以上", "over ten years")
        return ApiError(401, "auth.clock",
                        f"本机时间比服务器{ahead}了{zh_off}，无法同步：请把电脑的日期和时间改正"
                        f"（服务器现在是 {_utc(now)}），然后再同步",
                        f"This computer's clock is {en_off} {'ahead of' if ts > now else 'behind'} "
                        f"the server's, so it cannot sync: set the computer's date and time right (the "
                        f"server's time is {_utc(now)}) and sync again")
    return ApiError(401, "auth.stale", "请求在路上太久或已过期（或电脑时间在同步中被改过），请重新同步",
                    "The request took too long to arrive or has expired (or the clock was changed during "
                    "the sync); sync again")


SCOPE_OUTSIDE = ("scope.outside", "这条记录不在本设备负责的地区内，服务器没有接收",
                 "This record is outside the areas this device may change; the server refused it")
SCOPE_ANCESTOR = ("scope.ancestor_readonly", "上级地区（乡镇、县）由管理员维护，不能在这里修改",
                  "Areas above your own (township, county) are kept by the administrator and cannot be changed here")
SCOPE_PARENT_REFUSED = ("scope.parent_refused", "这条记录所属的上级记录（户、走访、活动等）已被服务器拒收，所以它也没有被接收",
                        "The record this one belongs to (household, visit, activity …) was refused by the server, "
                        "so this one was refused too")
ORIGIN_FORGED = ("change.origin_forged", "这条修改标着另一台设备（或服务器）的来源，又没有那台设备的签名，服务器没有接收",
                 "The change names another device (or the server) as its origin without that device's "
                 "signature; the server refused it")
PROOF_INVALID = ("change.proof_invalid", "这条转发的修改所附的签名无效或不包含它，服务器没有接收",
                 "The signature passed on with this relayed change is not valid or does not cover it; "
                 "the server refused it")
SEQ_REUSED = ("change.seq_reused", "这条修改的编号已被本设备的另一条修改用过（可能是从旧备份恢复的），"
              "本机会换用新的编号重新上传",
              "This change's sequence number was already used by another change of this device (restored "
              "from an old backup?); the laptop sends it again under a new number")
ROLE_VOCAB = ("role.vocab_forbidden", "只有协调员和管理员可以修改词表（类别）；这条修改来自社工的设备，服务器没有接收",
              "Only coordinators and administrators may change vocabularies (categories); this change came from "
              "a worker's device and the server refused it")
ROLE_PURGE = ("role.purge_forbidden", "只有管理员可以匿名化个人信息；这条修改来自其他角色的设备，服务器没有接收",
              "Only administrators may anonymise personal data; this change came from another role's device and "
              "the server refused it")
BAD_CHANGE = ("change.invalid", "这条修改的格式不正确，服务器没有接收", "The change is malformed; the server refused it")
UNAPPLIABLE = Refusal("change.unappliable", "服务器暂存的这条修改无法写入，已隔离（不影响其他设备同步）",
                      "The server could not apply this held change; it was quarantined (other devices keep syncing)")


def _refusal(words: tuple[str, str, str]) -> Refusal:
    return Refusal(*words)


class _Origins:
    """Who may stand behind the changes of one push: the signer of the request for its own device's
    changes (any epoch), otherwise a valid batch proof by the device named in the origin. Each
    batch's signature is checked once per push, or not at all when the server already stores it."""

    def __init__(self, storage: ServerStorage, signer: Device, batches: list[Batch]) -> None:
        self.storage = storage
        self.signer = signer
        self.batches = batches
        self.server_device = storage.store.device_id
        self._checked: dict[int, tuple[int, str, frozenset[bytes]] | None] = {}
        self._devices: dict[str, str] = {}     # origin -> its device
        self._users: dict[str, str | None] = {signer.device_id: signer.user, self.server_device: storage.store.user}

    def check(self, ch: Change, digest: bytes, ref: int) -> tuple[tuple[str, str, str] | None, int | None, str | None]:
        """(refusal or None, the id of the stored batch that proves it or None, the change's user)."""
        device = self._devices.get(ch.origin)
        if device is None:
            device = self._devices[ch.origin] = proof.device_of(ch.origin)
        got = (self._checked[ref] if ref in self._checked else self._batch(ref)) if ref >= 0 else None
        batch_id = got[0] if got is not None and got[1] == device and digest in got[2] else None
        if batch_id is None and (device != self.signer.device_id or device == self.server_device):
            return (ORIGIN_FORGED if ref < 0 else PROOF_INVALID), None, None
        return None, batch_id, self._users.get(device)

    def _batch(self, ref: int) -> tuple[int, str, frozenset[bytes]] | None:
        if ref in self._checked:
            return self._checked[ref]
        got = None
        batch = self.batches[ref]
        blob = proof.batch_blob(batch)
        if blob is not None:
            st = self.storage
            key = proof.batch_key(batch.device, blob, batch.sig)
            bid = st.batch_id(key)
            if bid is None:
                publics: list[str] = []
                if batch.device == self.server_device:
                    publics = st.keys.publics()     # the server's batches from before a key rotation too
                else:
                    # The request's own signer was looked up for this request already.
                    dev = self.signer if batch.device == self.signer.device_id else st.device(batch.device)
                    if dev is not None and not dev.revoked:
                        publics = [dev.public_key]
                        self._users[dev.device_id] = dev.user
                if any(proof.verify_batch(public, batch, blob) for public in publics):
                    bid = st.save_batch(key, batch.device, blob, batch.sig)
            if bid is not None:
                if batch.device not in self._users:
                    dev = st.device(batch.device)
                    self._users[batch.device] = dev.user if dev is not None else None
                got = (bid, batch.device, proof.digest_set(blob))
        self._checked[ref] = got
        return got


def _decode_request(body: bytes, kind: type[M]) -> tuple[M | None, BadMessage | None]:
    """The request as ``kind``, or (None, why) when it is a JSON object that does not match. A body
    that is not a JSON object at all is refused here (HTTP 400 ``request.json``)."""
    try:
        return decode(body or b"{}", kind), None
    except BadMessage as exc:
        try:
            data = decode_any(body or b"{}")
        except BadMessage:
            raise ApiError(400, "request.json", "请求格式错误", "The request is not valid JSON") from None
        if not isinstance(data, dict):
            raise ApiError(400, "request.json", "请求格式错误", "The request is not a JSON object") from None
        return None, exc


def _malformed(code: str, zh: str, en: str, why: BadMessage | None) -> ApiError:
    log.info("%s: %s", code, why.detail if why else "")
    return ApiError(400, code, zh, en)


def _push_items(body: bytes, why: BadMessage | None) -> tuple[list[Change | dict[str, Any]], list[Batch], ProofRuns]:
    """A push whose batch did not decode as a whole: each change decoded on its own, so only the
    malformed ones are refused (``change.invalid``); a body without a list of changes is HTTP 400."""
    try:
        push = decode(body, PushRaw)
        raw = push.changes
    except BadMessage:
        raise _malformed("push.request", "上传请求格式错误", "Malformed push request", why) from None
    items: list[Change | dict[str, Any]] = []
    for item in raw:
        try:
            items.append(decode(item, Change))
        except BadMessage:
            try:
                keys = decode_any(item)
            except BadMessage:          # not even JSON on its own (a lone surrogate, too deep)
                keys = {}
            items.append(keys if isinstance(keys, dict) else {})
    return items, push.batches, push.proofs


def _keys_of(item: dict[str, Any]) -> tuple[str, int]:
    """The origin and sequence number a refused change named, as far as they can be read."""
    origin = item.get("origin", "")
    seq = item.get("seq", 0)
    return (origin[:200] if isinstance(origin, str) else "",
            seq if type(seq) is int and -(2 ** 63) <= seq < 2 ** 63 else 0)


def _gunzip(body: bytes, limit: int) -> bytes:
    """Unzip at most ``limit`` bytes: a small gzip body must not expand into gigabytes in memory."""
    inflate = zlib.decompressobj(wbits=31)
    try:
        out = inflate.decompress(body, limit + 1)
    except zlib.error:
        raise ApiError(400, "request.gzip", "请求的压缩数据损坏", "The request's gzip data is corrupt") from None
    if len(out) > limit:
        raise too_large(limit)
    if not inflate.eof:
        raise ApiError(400, "request.gzip", "请求的压缩数据不完整", "The request's gzip data is incomplete")
    return out


def _check_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            size = int(declared)
        except ValueError:
            raise ApiError(400, "request.length", "请求长度无效", "Invalid Content-Length") from None
        if size > limit:
            raise too_large(limit)


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused before it is read when Content-Length is over the limit, and as soon as a
    chunked body (no length given) passes it; at most ``limit`` bytes are ever held."""
    _check_length(request, limit)
    chunks: list[bytes] = []
    got = 0
    async for chunk in request.stream():
        got += len(chunk)
        if got > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def client_address(request: Request, trusted_proxies: frozenset[str]) -> str:
    """The client's network address: the peer, or — when the peer is a trusted reverse proxy —
    the last address that proxy added to X-Forwarded-For."""
    peer = request.client.host if request.client else ""
    if peer and peer in trusted_proxies:
        forwarded = ",".join(request.headers.getlist("x-forwarded-for")).split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return peer


def create_app(storage: ServerStorage, *, max_body: int = P.MAX_BODY,
               trusted_proxies: frozenset[str] = frozenset()) -> Starlette:
    """The ASGI app; ``max_body`` caps every request body in bytes (HTTP 413 ``request.too_large``);
    ``trusted_proxies`` are peers whose X-Forwarded-For names the client (rate limits, logs). Serve
    it without the server's own proxy-header handling (uvicorn: ``proxy_headers=False``)."""
    service = SyncService(storage, max_body=max_body)

    async def endpoint(request: Request) -> Response:
        path = request.url.path
        headers = {k.lower(): v for k, v in request.headers.items()}
        addr = client_address(request, trusted_proxies)
        try:
            if path in SIGNED_PATHS:
                # Before any of the body is read: the headers must name an enrolled, active device,
                # so a stranger cannot make the server hold up to max_body bytes per request.
                _check_length(request, service.max_body)
                try:
                    await run_in_threadpool(service.precheck, headers, addr)
                except Exception as exc:
                    if isinstance(exc, ApiError) or not unavailable(exc):
                        raise
                    raise database_unavailable() from exc
                body = await _read_body(request, service.max_body)
            else:
                body = await _read_body(request, min(service.max_body, SMALL_BODY))
        except ApiError as exc:
            # The rest of the body stays unread: the connection cannot carry another request.
            data = encode(exc.body())
            signature = service.sign_reply(request.method, path, headers, exc.status, data)
            return Response(data, status_code=exc.status, media_type="application/json",
                            headers={"connection": "close", **exc.headers, **signature})
        status, data, extra = await run_in_threadpool(service.handle, request.method, path, headers, body, addr)
        return Response(data, status_code=status, media_type="application/json", headers=extra)

    described = document(service.max_body)

    async def openapi(request: Request) -> Response:
        return Response(described, media_type="application/json")

    async def refused(request: Request, exc: Exception) -> Response:
        """Starlette's own refusals (no such path, a method no route takes) as coded JSON too."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        err = (ApiError(405, "http.method", "请求方法不支持", "Method not allowed") if status == 405 else
               ApiError(status, "http.not_found", "没有这个接口", "No such endpoint"))
        headers = getattr(exc, "headers", None)
        return Response(encode(err.body()), status_code=status, media_type="application/json", headers=headers)

    routes = [Route(p, endpoint, methods=["GET", "POST"]) for p in (P.HEALTH, P.ENROLL, P.HELLO, P.PUSH, P.PULL)]
    routes.append(Route(OPENAPI_PATH, openapi, methods=["GET"]))
    routes.append(Route(HEALTH_PATH, health_endpoint(storage), methods=["GET", "HEAD"]))  # load balancers
    app = Starlette(routes=routes, middleware=[Middleware(GZipMiddleware, minimum_size=2048, compresslevel=1)],
                    exception_handlers={HTTPException: refused})
    app.state.service = service
    return app
