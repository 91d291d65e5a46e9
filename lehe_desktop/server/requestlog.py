"""The request log of `lehe-server serve`: one line per request with the method, the path, the
device, the status, the duration and the body sizes — never a body, a query string, a header
value other than a checked device id, or a client address (docs/server.md "The request log").

    2026-12-06T07:41:02.118Z POST /sync/v1/push device=lap-3f2a status=200 ms=41.7 in=18211 out=733
"""

from __future__ import annotations

import logging
import sys
import time
from logging.handlers import WatchedFileHandler
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..core.errors import StateError
from ..core.ids import is_safe_device_id
from ..core.sync import protocol as P

LOGGER = "lehe_desktop.server.requests"
KNOWN_PATHS = frozenset({P.HEALTH, P.ENROLL, P.HELLO, P.PUSH, P.PULL, "/openapi.json", "/health"})
_DEVICE = P.H_DEVICE.encode()


class _UtcFormatter(logging.Formatter):
    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


def request_logger(target: str) -> logging.Logger:
    """The logger lines go to: ``-`` standard output (systemd's journal), else a file, appended
    to and reopened when logrotate moves it away."""
    logger = logging.getLogger(LOGGER)
    for old in list(logger.handlers):
        logger.removeHandler(old)
        old.close()
    if target == "-":
        handler: logging.Handler = logging.StreamHandler(sys.stdout)
    else:
        try:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            handler = WatchedFileHandler(target, encoding="utf-8")
        except OSError as exc:
            raise StateError("serve.request_log", f"无法写入请求日志 {target}：{exc.strerror}",
                             f"Cannot write the request log {target}: {exc.strerror}") from None
    handler.setFormatter(_UtcFormatter("%(asctime)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def _device(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == _DEVICE:
            text = value.decode("latin-1")
            # What a client names itself is logged only if it is a well-formed device id.
            return text if is_safe_device_id(text) else "?"
    return "-"


class RequestLog:
    """ASGI middleware writing one line per HTTP request when its reply has been sent (or the
    client went away: status 0). A successful ``GET /health`` (a load balancer's poll every few
    seconds) is not logged."""

    def __init__(self, app: ASGIApp, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        got = {"status": 0, "in": 0, "out": 0}

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                got["in"] += len(message.get("body", b""))
            return message

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                got["status"] = int(message["status"])
            elif message["type"] == "http.response.body":
                got["out"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, counting_send)
        finally:
            self._write(scope, got, time.perf_counter() - start)

    def _write(self, scope: Scope, got: dict[str, Any], seconds: float) -> None:
        path = scope.get("path", "")
        method = scope.get("method", "")
        if path == "/health" and got["status"] == 200:
            return
        shown_path = path if path in KNOWN_PATHS else "(other)"
        shown_method = method if method.isalpha() and len(method) <= 10 else "?"
        self.logger.info("%s %s device=%s status=%d ms=%.1f in=%d out=%d", shown_method, shown_path,
                         _device(scope), got["status"], seconds * 1000, got["in"], got["out"])
