"""An HTTP error with a stable code and a bilingual message (the JSON body the client shows)."""

from __future__ import annotations

from ..core.messages import ErrorReply


class ApiError(Exception):
    def __init__(self, status: int, code: str, zh: str, en: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code}: {en}")
        self.status = status
        self.code = code
        self.zh = zh
        self.en = en
        self.headers = headers or {}      # e.g. Retry-After of HTTP 429

    def body(self) -> dict[str, str]:
        return {"error": self.code, "zh": self.zh, "en": self.en}

    def reply(self) -> ErrorReply:
        return ErrorReply(error=self.code, zh=self.zh, en=self.en)


def too_large(limit: int) -> ApiError:
    """HTTP 413: the body (as sent, or once unzipped) is over the server's ``--max-body-mb``."""
    mb = f"{limit / (1024 * 1024):.3g}"
    return ApiError(413, "request.too_large",
                    f"请求内容太大（服务器最多接收 {mb} MB），服务器没有接收，请联系管理员",
                    f"The request is larger than the server accepts ({mb} MB); nothing was stored. "
                    "Contact the administrator")
