"""An HTTP error with a stable code and a bilingual message (the JSON body the client shows)."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, code: str, zh: str, en: str) -> None:
        super().__init__(f"{status} {code}: {en}")
        self.status = status
        self.code = code
        self.zh = zh
        self.en = en

    def body(self) -> dict[str, str]:
        return {"error": self.code, "zh": self.zh, "en": self.en}
