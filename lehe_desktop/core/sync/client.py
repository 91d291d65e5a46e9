"""The laptop's side of network sync: enrol once, then ``sync_once`` (hello → push → pull).

GUI code calls ``sync_once(store, progress=…, cancel=…)`` from a worker thread; it never
touches Qt. Every failure is a LeheError with a stable code and exit code (docs/sync.md).
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from msgspec import UnsetType

from ... import __version__
from .. import hlc as hlc_mod
from ..errors import EXIT_LOCKED, LeheError, NetworkError, StateError, StorageError, VersionError
from ..messages import (
    CHANGE_COLUMNS,
    AuditHead,
    BadMessage,
    Batch,
    Change,
    Enroll,
    EnrollReply,
    ErrorReply,
    Hello,
    HelloReply,
    Pull,
    PullReply,
    Push,
    PushReply,
    decode,
    encode,
    stored_change,
)
from ..store import audit_chain
from ..store.migrations import SCHEMA_VERSION
from ..store.store import Store
from . import directory, escrow, keyroll, proof
from . import protocol as P
from .conflicts import resend_moved
from .merge import Merger

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int | None], None]
GZIP_OVER = 16 * 1024
# Refusals of a request body as too large: our server's code, or a reverse proxy's bare HTTP 413.
TOO_LARGE = frozenset({"request.too_large", "http.413"})
# The server holds another change under this (origin, seq): answered with a new epoch, not a refusal.
SEQ_REUSED = "change.seq_reused"
R = TypeVar("R")


class AuthError(LeheError):
    """The server refused this device (revoked, unknown, expired certificate, bad code)."""

    exit_code = EXIT_LOCKED


@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0          # conflict records received in this sync that are still open
    rejected: int = 0           # own or relayed changes the server refused in this sync
    held: int = 0               # pulled changes this laptop keeps waiting for their parent (now, after the sync)
    server_held: int = 0        # changes sent in this sync that the server keeps waiting (counted in pushed)
    open_conflicts: int = 0
    cancelled: bool = False
    clock_warning: str | None = None
    high_water: int = 0
    audit_problem: str | None = None   # the server found this laptop's audit log cut or rewritten

    def as_json(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("high_water")
        if out["audit_problem"] is None:
            out.pop("audit_problem")
        return out


def _not_enrolled() -> StateError:
    return StateError("sync.not_enrolled", "本机尚未在服务器注册：请先运行 enroll --server URL --code CODE",
                      "This laptop is not enrolled: run enroll --server URL --code CODE first")


def _bad_reply_signature() -> NetworkError:
    return NetworkError("sync.bad_reply_signature",
                        "服务器的回复没有有效的签名（可能连到了别的服务器，或网络上有人篡改数据），本机什么都没有改动："
                        "请检查服务器地址和网络，或联系管理员",
                        "The server's reply does not carry a valid signature (another server, or someone "
                        "altering data on the network); nothing was changed on this laptop. Check the "
                        "server address and the network, or contact the administrator")


class _Api:
    def __init__(self, server: str, *, transport: httpx.BaseTransport | None, timeout: float,
                 key: Any = None, device_id: str = "", server_key: str = "") -> None:
        # Imported when a sync or an enrolment starts, not with this module: ~0.1 s the window
        # need not spend on start-up.
        import httpx

        self.client = httpx.Client(base_url=server.rstrip("/"), transport=transport, timeout=timeout)
        self.key = key
        self.device_id = device_id
        self.server_key = server_key     # replies are checked against it (learned at enrolment)
        self.new_server_key = ""         # a rotated key announced by the pinned one (keyroll), to remember
        # The time requests are signed with: the laptop's clock until hello, then the server's
        # clock as learned at hello (a laptop's wrong clock does not matter after that).
        self.clock: Callable[[], int] = hlc_mod.now_ms
        # On this machine (tests, benchmarks, a server on the same PC) gzip only costs CPU both ways.
        self.compress = not P.is_loopback(server)

    def learn_server_clock(self, server_wall_ms: int) -> Callable[[], int]:
        """Sign later requests with the server's clock (as of hello) plus the time since."""
        mono0 = time.monotonic()

        def server_clock() -> int:
            return server_wall_ms + int((time.monotonic() - mono0) * 1000)

        self.clock = server_clock
        return server_clock

    def close(self) -> None:
        self.client.close()

    def post(self, path: str, message: Any, reply: type[R], *, signed: bool = True) -> R:
        """Send ``message`` (a message struct, or a body already encoded) and decode the reply as
        ``reply``; a reply that does not match is ``sync.bad_reply``, a refusal its coded error."""
        body = message if isinstance(message, bytes) else encode(message)
        headers = {"content-type": "application/json"}
        nonce = P.new_nonce()
        if signed:
            headers.update(P.request_headers(self.key, self.device_id, "POST", path, body, self.clock(), nonce))
        else:
            headers[P.H_NONCE] = nonce
        wire = body
        if not self.compress:
            headers["accept-encoding"] = "identity"
        elif len(body) > GZIP_OVER:
            wire = gzip.compress(body, compresslevel=1)
            headers["content-encoding"] = "gzip"
        import httpx

        try:
            resp = self.client.post(path, content=wire, headers=headers)
        except httpx.HTTPError as exc:
            log.info("sync request %s failed: %s", path, type(exc).__name__)
            zh, en = _network_words(exc)
            raise NetworkError("sync.network", zh, en) from exc
        # Before enrolment has given the server's key, refusals are read as they come (enrol).
        verified = self._verified(path, nonce, resp) if self.server_key else True
        if resp.status_code == 200:
            try:
                return decode(resp.content, reply)
            except BadMessage as exc:
                log.warning("malformed reply to %s: %s", path, exc.detail)
                raise NetworkError("sync.bad_reply", "服务器回复的数据格式错误",
                                   "The server's reply is malformed") from exc
        raise _refusal(resp, trusted=verified)

    def _verified(self, path: str, nonce: str, resp: httpx.Response) -> bool:
        """Whether the reply carries the server's signature. A reply that could change anything
        (HTTP 200) must; a refusal without one (a proxy's bare 413, 502 …) is shown by its status
        only, and one with a wrong signature is refused (``sync.bad_reply_signature``)."""
        sig = resp.headers.get(P.H_REPLY_SIG)
        if sig is None and resp.status_code != 200:
            return False
        message = P.reply_message("POST", path, nonce, resp.status_code, resp.content)
        if sig is not None and not P.verify(self.server_key, sig, message):
            # The server's key may have been rotated: the new one, if announced by the pinned one.
            newer = keyroll.follow(self.server_key, resp.headers.get(keyroll.H_SERVER_KEYS))
            if newer is not None and P.verify(newer, sig, message):
                log.warning("the server's signing key was rotated; trusting the key its old key announced")
                self.server_key = self.new_server_key = newer
        if sig is None or not P.verify(self.server_key, sig, message):
            log.warning("reply to %s (HTTP %s) without a valid server signature", path, resp.status_code)
            raise _bad_reply_signature()
        return True


def _refusal(resp: httpx.Response, *, trusted: bool = True) -> LeheError:
    """The coded error of a refused request (our server's JSON body, or a proxy's bare status;
    a body without the server's signature is not believed, only its status)."""
    refusal: ErrorReply | None = None
    if trusted:
        with contextlib.suppress(BadMessage):
            refusal = decode(resp.content, ErrorReply)
    code = refusal.error if refusal is not None and refusal.error else f"http.{resp.status_code}"
    zh = (refusal.zh if refusal else "") or f"服务器拒绝了请求（{resp.status_code}）"
    en = (refusal.en if refusal else "") or f"The server refused the request ({resp.status_code})"
    if resp.status_code == 404:   # "no such endpoint" says nothing to a coordinator: the address is wrong
        zh, en = ("这个地址上没有乐和同步服务（404）：请检查服务器地址，例如是否多了或少了一段路径",
                  "There is no Lehe sync service at this address (404): check the server address, e.g. a "
                  "path too many or too few")
    if resp.status_code == 426:
        return VersionError(code, zh, en)
    if resp.status_code in (401, 403):
        return AuthError(code, zh, en)
    return NetworkError(code, zh, en)


def _network_words(exc: httpx.HTTPError) -> tuple[str, str]:
    """What a person can do about a failed request, without the library's class names (those go
    to the log)."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return ("服务器长时间没有回应，可能是网络太慢或中断了，请稍后重试",
                "The server did not answer in time (slow or broken network); try again later")
    if isinstance(exc, httpx.ConnectError):
        return ("无法连接服务器：请检查网络，或确认服务器地址是否正确",
                "Cannot reach the server: check the network, or that the server address is right")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return ("服务器地址无效，请检查（应以 https:// 开头）",
                "The server address is not valid; check it (it should start with https://)")
    return ("与服务器的连接中断了，请检查网络后重试",
            "The connection to the server broke off; check the network and retry")


def is_enrolled(store: Store) -> bool:
    return bool(store.meta().get("sync_device_key"))


def enroll(store: Store, server: str, code: str, *, transport: httpx.BaseTransport | None = None,
           timeout: float = 30.0, insecure: bool = False) -> dict[str, Any]:
    """Register this laptop with the server using a one-time code; store the certificate. The
    server must be ``https://`` (or on this machine); ``insecure`` allows plain ``http://`` and
    is remembered with the address."""
    server = P.check_server_url(server, insecure=insecure)
    key = P.new_private_key()
    api = _Api(server, transport=transport, timeout=timeout)
    try:
        resp = api.post(P.ENROLL, Enroll(code=code, device_id=store.device_id, public_key=P.public_b64(key),
                                         app=__version__, schema=SCHEMA_VERSION, protocol=P.PROTOCOL,
                                         enc_key=directory.x25519_b64(directory.enc_key(store))),
                        EnrollReply, signed=False)
    except NetworkError as exc:
        if exc.code != "sync.bad_reply":
            raise
        raise AuthError("enroll.bad_certificate", "服务器返回的设备证书无效",
                        "The server returned an invalid certificate") from exc
    finally:
        api.close()
    cert, sig, server_key = resp.certificate, resp.signature, resp.server_public_key
    if not (P.verify(server_key, sig, P.canonical(cert)) and cert.get("device_id") == store.device_id
            and cert.get("public_key") == P.public_b64(key)):
        raise AuthError("enroll.bad_certificate", "服务器返回的设备证书无效", "The server returned an invalid certificate")
    meta = store.meta()
    with store.transaction():
        if meta.get("sync_server") != server.rstrip("/") or meta.get("sync_server_key") != server_key:
            # Another server: its numbering means nothing here; start from the beginning.
            store.set_meta("sync_pull_cursor", "0")
            store.set_meta("sync_server_epoch", resp.server_epoch)
            store.mark_unsent(store.origin)
        store.set_meta("sync_server", server.rstrip("/"))
        store.set_meta("sync_insecure", "1" if insecure and not server.startswith("https:") else "")
        store.set_meta("sync_device_key", P.b64e(P.private_bytes(key)))
        store.set_meta("sync_cert", json.dumps(cert, ensure_ascii=False))
        store.set_meta("sync_cert_sig", sig)
        store.set_meta("sync_server_key", server_key)
        store.set_meta("enrolled_user", str(cert.get("user") or ""))
        store.set_meta("enrolled_role", str(cert.get("role") or ""))
        store.set_meta("enrolled_areas", json.dumps(cert.get("areas") or [], ensure_ascii=False))
        # The escrow key for organisation recovery, vouched for by the signing key just pinned.
        escrow.learned(store, server_key, resp.escrow_public_key, resp.escrow_signature)
    if resp.directory and resp.directory_sig:
        directory.keep_directory(store, resp.directory, resp.directory_sig)
    return {"device_id": store.device_id, "server": server.rstrip("/"), "user": cert.get("user"),
            "role": cert.get("role"), "areas": cert.get("areas") or [], "expires_ms": cert.get("expires_ms")}


def sync_once(store: Store, progress: Progress | None = None, cancel: threading.Event | None = None, *,
              transport: httpx.BaseTransport | None = None, timeout: float = 60.0,
              batch: int = P.PUSH_BATCH, pull_batch: int = P.MAX_PAGE, insecure: bool = False,
              prepare_escrow: Callable[[], bool] | None = None) -> SyncResult:
    """One session: hello, push every unsent change, pull up to the high-water mark taken at hello.

    Safe to interrupt anywhere: each push batch and each pull page commits on its own, and
    repeating anything is a no-op (changes are keyed by origin and sequence number). A plain
    ``http://`` server that is not on this machine needs ``insecure`` (remembered) or an
    enrolment made with it.
    """
    meta = store.meta()
    if meta.get("sync_server"):
        P.check_server_url(meta["sync_server"], insecure=insecure or meta.get("sync_insecure") == "1")
        if insecure and meta.get("sync_insecure") != "1" and not meta["sync_server"].startswith("https:"):
            with store.transaction():
                store.set_meta("sync_insecure", "1")
    # One audit entry for the whole sync (counts; saves made meanwhile keep their own entries).
    with _fewer_checkpoints(store), store.audit_action("sync", fold=False) as entry:
        result = _session(store, progress, cancel, transport=transport, timeout=timeout, batch=batch,
                          pull_batch=pull_batch, prepare_escrow=prepare_escrow)
        entry.update({"pushed": result.pushed, "pulled": result.pulled, "rejected": result.rejected})
    result.held = held_here(store)
    return result


def held_here(store: Store) -> int:
    """Pulled changes this laptop keeps waiting for their parent record (a state, never negative:
    a change held in one sync and released in a later one is simply no longer counted)."""
    return int(store.query_value("SELECT count(*) FROM changes WHERE status = 'held'", default=0))


@contextlib.contextmanager
def _fewer_checkpoints(store: Store) -> Iterator[None]:
    """Let the write-ahead log grow to ~40 MB during a sync instead of copying it into the database
    at every commit past 4 MB (each pull page was one such copy); afterwards one checkpoint copies
    each page once, and the connection's own setting is back."""
    before = store.pragma("wal_autocheckpoint")
    store.pragma("wal_autocheckpoint", 10000)
    try:
        yield
    finally:
        if before is not None:
            store.pragma("wal_autocheckpoint", int(before))
            with contextlib.suppress(StorageError):
                store.checkpoint()


def _session(store: Store, progress: Progress | None, cancel: threading.Event | None, *,
             transport: httpx.BaseTransport | None, timeout: float, batch: int, pull_batch: int,
             prepare_escrow: Callable[[], bool] | None = None) -> SyncResult:
    meta = store.meta()
    if not meta.get("sync_device_key") or not meta.get("sync_server"):
        raise _not_enrolled()
    report = progress or (lambda stage, done, total: None)
    stop = cancel or threading.Event()
    api = _Api(meta["sync_server"], transport=transport, timeout=timeout,
               key=P.load_private(meta["sync_device_key"]), device_id=store.device_id,
               server_key=meta.get("sync_server_key") or "")
    if not api.server_key:
        api.close()
        raise _not_enrolled()
    result = SyncResult()

    def say_hello() -> HelloReply:
        blob = escrow.pending(store)
        head = _audit_head(store)
        reply = api.post(P.HELLO, Hello(origin=store.origin, epoch=store.epoch, app=__version__,
                                        schema=SCHEMA_VERSION, wall_ms=hlc_mod.now_ms(),
                                        unsent=store.unsent_count(),
                                        restored_from_epoch=store.meta().get("restored_from_epoch"),
                                        escrow=blob, audit=head, **_enc_key_fields(store)),
                         HelloReply)
        escrow.answered(store, api.server_key, reply, blob)
        _remember_server_key(store, api)
        _audit_checked(store, head, reply, result)
        if reply.directory and reply.directory_sig:
            directory.keep_directory(store, reply.directory, reply.directory_sig)
        return reply

    def prepare() -> bool:
        """Escrow never stops a sync: a failure is logged and tried again next time."""
        try:
            return prepare_escrow is not None and prepare_escrow()
        except (LeheError, OSError) as exc:
            log.warning("organisation recovery key not made: %s", getattr(exc, "code", type(exc).__name__))
            return False

    try:
        prepare()     # a new organisation recovery key goes with this hello
        for _round in range(2):
            report("hello", 0, None)
            hello = say_hello()
            if _round == 0 and not escrow.pending(store) and prepare():
                hello = say_hello()   # the escrow key was learned just now (enrolled before escrow)
            # Later requests are signed with the server's clock; it is also trusted for adopting stamps.
            trusted_wall = api.learn_server_clock(hello.server_wall_ms or hlc_mod.now_ms())
            if hello.clock_warning:
                result.clock_warning = hello.clock_warning.zh
            _check_epochs(store, hello)
            if stop.is_set():
                result.cancelled = True
                return result
            # A record refused for its area and since moved into ours (in its form) goes up whole.
            resend_moved(store)
            # Push bodies stay under the server's request limit (hello reports it; older servers had none).
            limit = hello.max_body
            budget = min(P.PUSH_BYTES, limit - 1024) if limit is not None and limit > 0 else P.PUSH_BYTES
            reused: list[tuple[str, int]] = []
            _push(store, api, result, report, stop, batch, budget, reused)
            if result.cancelled:
                return result
            if not reused:
                break
            # The server holds other changes under some of our (origin, seq): a copy of this database
            # was restored without a new epoch. Start one, move those changes to it and send them
            # again (the next hello tells the server; the pull then brings back what it holds).
            log.warning("%d sequence numbers already used on the server; starting a new epoch", len(reused))
            store.start_new_epoch(reused)
        if hello.action == "upgrade":
            # Uploads went through; downloading needs a newer app (also when nothing is waiting).
            msg = hello.message or ErrorReply(error="sync.upgrade")
            raise VersionError("sync.upgrade", msg.zh or "请升级本机程序", msg.en or "Please upgrade this laptop's app")

        # Bounded session: up to the high-water mark as of our last push (includes conflicts it caused).
        high_water = max(hello.high_water, result.high_water)
        _pull(store, api, result, report, stop, high_water, trusted_wall, pull_batch)
        if result.cancelled:
            return result
        store.set_meta("last_sync", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        result.open_conflicts = store.open_conflicts()
        report("done", result.pushed + result.pulled, None)
        return result
    finally:
        with contextlib.suppress(LeheError):
            _remember_server_key(store, api)
        api.close()


def _remember_server_key(store: Store, api: _Api) -> None:
    """Trust from now on the rotated key the pinned one announced (a reply signed with it checked out)."""
    if api.new_server_key and api.new_server_key != store.meta().get("sync_server_key"):
        with store.transaction():
            store.set_meta("sync_server_key", api.new_server_key)


def _audit_head(store: Store) -> AuditHead | None:
    """The audit chain head to report at hello (issue 16; docs/security.md)."""
    if not store.audits:
        return None
    since = audit_chain.server_seq(store.meta().get(audit_chain.SERVER_HEAD_KEY))
    since_hash = store.query_value("SELECT hash FROM audit_log WHERE seq = ?", (since,)) if since else None
    if since_hash is None:
        since = 0          # nothing accepted yet, or that entry is gone: report the whole chain
    rows = store.query(audit_chain.ROWS_AFTER_SQL, (since,))
    return AuditHead(**audit_chain.head_report(since, since_hash, rows))


def _audit_checked(store: Store, head: AuditHead | None, hello: HelloReply, result: SyncResult) -> None:
    """Remember the head the server adopted; say so when it found the log cut or rewritten."""
    if head is None or isinstance(hello.audit, UnsetType):
        return
    if hello.audit.status in ("ok", "new", "gap"):
        store.set_meta(audit_chain.SERVER_HEAD_KEY, f"{head.seq}:{head.hash}")
    else:
        log.warning("the server found this laptop's audit log %s", hello.audit.status)
        result.audit_problem = hello.audit.status


def _enc_key_fields(store: Store) -> dict[str, str]:
    """Hello's encryption-key fields: this laptop's key signed with its device key (every hello,
    so a laptop enrolled before bundles existed announces it at its next sync)."""
    public, sig = directory.signed_enc_key(store)
    return {"enc_key": public, "enc_key_sig": sig}


def _check_epochs(store: Store, hello: HelloReply) -> None:
    meta = store.meta()
    server_epoch = hello.server_epoch
    with store.transaction():
        known = meta.get("sync_server_epoch")
        if known and server_epoch and known != server_epoch:
            # The server was restored from a backup: re-send everything it may have lost.
            log.warning("server epoch changed; re-sending all changes and pulling from the start")
            store.mark_unsent()
            store.set_meta("sync_pull_cursor", "0")
        if hello.reset_cursor:
            # This laptop was restored (new epoch): get back what the backup did not have.
            store.set_meta("sync_pull_cursor", "0")
        store.set_meta("sync_server_epoch", server_epoch)


def _push(store: Store, api: _Api, result: SyncResult, report: Progress, stop: threading.Event,
          batch: int, budget: int = P.PUSH_BYTES, reused: list[tuple[str, int]] | None = None) -> None:
    """Send unsent changes in HLC order, at most ``batch`` changes and ``budget`` bytes a request.
    The next batch goes out as soon as the server has answered the previous one (it applies
    batches in the order they arrive, one after the other), and the laptop records the answer
    while the server works on that next batch."""
    total = store.to_send_count()
    # A range on the partial index changes_unsent_hlc (migration 3). Left to itself SQLite takes
    # changes_server_seq and sorts every unsent change again for each batch (quadratic).
    select = (f"SELECT {CHANGE_COLUMNS}, batch FROM changes INDEXED BY changes_unsent_hlc WHERE server_seq IS NULL "
              "AND (hlc, origin) > (?, ?) ORDER BY hlc, origin LIMIT ?")
    prover = _Prover(store, api.key)
    _push_body = prover.body
    reused = reused if reused is not None else []

    _cut = prover.cut

    limits = {"batch": batch, "budget": budget}

    def send_shrinking(rows: list[tuple[Any, ...]], exc: NetworkError) -> tuple[list[tuple[Any, ...]], PushReply]:
        """Send the start of ``rows`` again after ``exc``, smaller each time the request is refused
        as too large: a reverse proxy may allow less than the server said (nginx: 1 MB)."""
        while True:
            if exc.code == "push.too_large" and limits["batch"] > P.LEGACY_BATCH:
                # A server from before larger batches (it took 1000 at most): send its size.
                limits["batch"] = P.LEGACY_BATCH
            elif exc.code in TOO_LARGE and len(rows) > 1:
                # Halving until the body passes, or until a single change is refused (then say so).
                limits["budget"] = min(limits["budget"], len(_push_body(rows))) // 2
            else:
                raise exc
            rows, body = _cut(rows[:limits["batch"]], limits["budget"])
            try:
                return rows, api.post(P.PUSH, body, PushReply)
            except NetworkError as again:
                exc = again

    def after(rows: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], bytes | None]:
        last = rows[-1]
        return _cut(store.query(select, (last[2], last[0], limits["batch"])), limits["budget"])

    rows, body = _cut(store.query(select, (-1, "", batch)), budget)
    if body is None:
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending: Future[PushReply] | None = pool.submit(api.post, P.PUSH, body, PushReply)
        while pending is not None:
            nxt, body = after(rows)          # built while the request is on its way
            try:
                answer = pending.result()
            except NetworkError as exc:
                rows, answer = send_shrinking(rows, exc)
                nxt, body = after(rows)
            # Only after the answer: the server must apply batches in order (causal delivery).
            pending = pool.submit(api.post, P.PUSH, body, PushReply) if body is not None and not stop.is_set() \
                else None
            _ack(store, rows, answer, result, reused)
            report("push", result.pushed + result.rejected, total)
            if pending is None:
                if nxt and stop.is_set():
                    result.cancelled = True
                return
            rows = nxt


def _ack(store: Store, rows: list[tuple[Any, ...]], resp: PushReply, result: SyncResult,
         reused: list[tuple[str, int]]) -> None:
    results = resp.results
    if len(results) != len(rows):
        raise NetworkError("sync.bad_reply", "服务器回复不完整", "The server's reply is incomplete")
    if resp.high_water is not None:
        result.high_water = max(result.high_water, resp.high_water)
    reasons = {(r.origin, r.seq): r for r in resp.rejected}
    now = hlc_mod.now_ms()
    with store.transaction():
        acks = []
        for r, (status, server_seq) in zip(rows, results, strict=True):
            origin, seq = r[0], r[1]
            if status == "rejected":
                why = reasons.get((origin, seq))
                if why is not None and why.code == SEQ_REUSED and proof.device_of(origin) == store.device_id:
                    reused.append((origin, seq))     # stays unsent: moved to a new epoch and sent again
                    continue
                # Refused again (e.g. re-sent after a server restore): a dismissal stands.
                store.execute(
                    "INSERT INTO rejects(origin, seq, rtype, rid, code, zh, en, at) VALUES (?,?,?,?,?,?,?,?) "
                    "ON CONFLICT(origin, seq) DO UPDATE SET rtype = excluded.rtype, rid = excluded.rid, "
                    "code = excluded.code, zh = excluded.zh, en = excluded.en, at = excluded.at",
                    (origin, seq, r[4], r[5], (why.code if why else "") or "rejected",
                     (why.zh if why else "") or "服务器拒绝", (why.en if why else "") or "Refused by the server", now))
                acks.append((-1, origin, seq))
                result.rejected += 1
            else:
                # 0 = the server holds it (clock guard, or a parent it does not know yet) — stored
                # there, not to be sent again.
                acks.append((server_seq or 0, origin, seq))
                result.pushed += 1
                if status == "held":
                    result.server_held += 1
        store.set_server_seqs(acks)


def _cut_rows(rows: list[tuple[Any, ...]], budget: int, _push_body: Callable[[list[tuple[Any, ...]]], bytes],
              ) -> tuple[list[tuple[Any, ...]], bytes | None]:
    """The first of ``rows`` whose push body fits in ``budget`` bytes (at least one), and that body."""
    if not rows:
        return rows, None
    body = _push_body(rows)
    if len(body) <= budget:
        return rows, body
    # Large records: add whole changes while they fit (a single larger one still goes alone).
    wrapper = len(_push_body([]))
    size, keep = wrapper - 1, 0
    for r in rows:
        size += len(_push_body([r])) - wrapper + 1      # the change and its comma
        if size > budget and keep:
            break
        keep += 1
    rows = rows[:keep]
    return rows, _push_body(rows)


class _Prover:
    """Push bodies with their proofs of who made each change (docs/sync.md "Who made a change"):
    this device's own changes (any epoch) in one batch it signs now, other devices' changes with
    the batch proofs this laptop stored when it pulled them."""

    def __init__(self, store: Store, key: Any) -> None:
        self.store = store
        self.key = key
        self.device = store.device_id
        self._stored: dict[int, Batch | None] = {}

    def _batch(self, bid: int) -> Batch | None:
        if bid not in self._stored:
            row = self.store.query_one("SELECT device, digests, sig FROM batches WHERE id = ?", (bid,))
            self._stored[bid] = Batch(device=row[0], digests=P.b64e(bytes(row[1])), sig=row[2]) if row else None
        return self._stored[bid]

    def body(self, rows: list[tuple[Any, ...]]) -> bytes:
        """The push request for ``SELECT {CHANGE_COLUMNS}, batch`` rows (their stored JSON goes out as is)."""
        own: list[bytes] = []
        refs: list[int] = []
        relayed: dict[int, int] = {}       # stored batch id -> its index among the relayed batches
        batches: list[Batch] = []
        device = self.device
        for r in rows:
            if r[0].partition(":")[0] == device:
                own.append(proof.row_digest(r))
                refs.append(-2)
                continue
            bid: int = r[12] if len(r) > 12 and r[12] is not None else -1
            got = self._batch(bid) if bid >= 0 else None
            if got is None:
                refs.append(-1)
                continue
            idx = relayed.get(bid)
            if idx is None:
                idx = relayed[bid] = len(batches)
                batches.append(got)
            refs.append(idx)
        if own and self.key is not None:
            batches.insert(0, proof.sign_batch(self.key, device, own))
            refs = [0 if i == -2 else (i + 1 if i >= 0 else -1) for i in refs]
        else:
            refs = [-1 if i == -2 else i for i in refs]
        return encode(Push(changes=[stored_change(r) for r in rows], batches=batches, proofs=proof.runs(refs)))

    def cut(self, rows: list[tuple[Any, ...]], budget: int) -> tuple[list[tuple[Any, ...]], bytes | None]:
        """``_cut_rows`` for bodies with proofs: a relayed batch's digests count once, however many
        of its changes go along (measured one by one, each would carry the whole list)."""
        if not rows:
            return rows, None
        body = self.body(rows)
        if len(body) <= budget:
            return rows, body
        size, keep = len(self.body([])) + 256, 0       # the wrapper and the own batch's signature
        seen: set[int] = set()
        for r in rows:
            add = len(encode(stored_change(r))) + 1 + 48   # the change, a comma, a digest or a run
            bid = r[12] if len(r) > 12 else None
            if bid is not None and bid not in seen and r[0].partition(":")[0] != self.device:
                seen.add(bid)
                got = self._batch(bid)
                add += len(got.digests) + len(got.sig) + len(got.device) + 48 if got is not None else 0
            if size + add > budget and keep:
                break
            size += add
            keep += 1
        rows = rows[:keep]
        body = self.body(rows)
        while len(body) > budget and len(rows) > 1:     # the estimate fell short: fewer, until it fits
            rows = rows[:max(1, len(rows) * budget // len(body) - 1)]
            body = self.body(rows)
        return rows, body


def _pull(store: Store, api: _Api, result: SyncResult, report: Progress, stop: threading.Event,
          high_water: int, trusted_wall: Callable[[], int], batch: int) -> None:
    """Fetch pages up to the high-water mark; the next page downloads while this one is applied."""
    cursor = int(store.meta().get("sync_pull_cursor") or 0)
    if cursor >= high_water:
        return
    merger = Merger(store, trusted_wall_ms=trusted_wall)

    def fetch(after: int, limit: int = batch) -> tuple[list[tuple[Change, int | None]], int, Any, Any]:
        # Runs beside the apply of the previous page (SQLite lets go of the GIL while it writes),
        # so decoding the changes costs the apply thread nothing.
        page = api.post(P.PULL, Pull(after=after, until=high_water, limit=limit, origin=store.origin,
                                     schema=SCHEMA_VERSION, app=__version__), PullReply)
        if page.next <= after:
            raise NetworkError("sync.bad_reply", "服务器回复不完整", "The server's reply is incomplete")
        changes: list[Change] = list(page.changes)
        pairs: list[tuple[Change, int | None]] = [(c, c.server_seq) for c in page.changes]
        # The batch proofs that came with the page, kept so this laptop can pass the changes on.
        refs = proof.expand(page.proofs, len(changes), len(page.batches))
        proven = {(c.origin, c.seq): i for c, i in zip(changes, refs, strict=True) if i >= 0}
        return pairs, page.next, merger.prepare(changes), (page.batches, proven)

    with ThreadPoolExecutor(max_workers=1) as pool:
        # A small first page starts the apply early; later pages are large (fewer commits, fewer
        # search-index segments) and download while the one before is applied.
        size = min(batch, P.FIRST_PAGE)
        pending = pool.submit(fetch, cursor, size)
        while True:
            pairs, nxt, prepared, (batches, proven) = pending.result()
            if nxt < high_water and not stop.is_set():
                # Pages grow while the pipeline fills: fetching a page takes about a third of the
                # time applying one does, so the next may be ~3x larger and still be ready in time.
                size = min(batch, size * P.PAGE_GROWTH)
                pending = pool.submit(fetch, nxt, size)
            applied_before = merger.result.applied
            # The page and the cursor commit together: a crash here loses nothing and repeats nothing.
            with store.transaction():
                local = _store_batches(store, batches)
                merger.proofs = {key: (local[i], None, None) for key, i in proven.items()}
                with merger.batch([c for c, _ in pairs], prepared):
                    result.conflicts += merger.apply_page(pairs)
                merger.retry_held()
                store.set_meta("sync_pull_cursor", str(nxt))
            result.pulled += merger.result.applied - applied_before
            cursor = nxt
            report("pull", cursor, high_water)
            if cursor >= high_water:
                return
            if stop.is_set():
                result.cancelled = True
                return


def _store_batches(store: Store, batches: list[Batch]) -> list[int]:
    """Keep a pull page's batch proofs (once each); their ids here, in the page's order."""
    out = []
    for b in batches:
        blob = proof.batch_blob(b)
        if blob is None:
            raise NetworkError("sync.bad_reply", "服务器回复的数据格式错误", "The server's reply is malformed")
        key = proof.batch_key(b.device, blob, b.sig)
        store.execute("INSERT OR IGNORE INTO batches(key, device, digests, sig) VALUES (?,?,?,?)",
                      (key, b.device, blob, b.sig))
        out.append(int(store.query_value("SELECT id FROM batches WHERE key = ?", (key,))))
    return out


def _push_body(rows: list[tuple[Any, ...]]) -> bytes:
    """A push request for ``SELECT {CHANGE_COLUMNS}`` rows without proofs (the request's signature
    alone proves the sender's own changes)."""
    return encode(Push(changes=[stored_change(r) for r in rows]))


def _cut(rows: list[tuple[Any, ...]], budget: int) -> tuple[list[tuple[Any, ...]], bytes | None]:
    """``_cut_rows`` with bodies without proofs."""
    return _cut_rows(rows, budget, _push_body)
