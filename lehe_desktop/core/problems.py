"""Validation problems: stable codes with Chinese and English messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or worth a second look (warning) with a field's value.

    ``code`` is stable and documented; tests, the CLI's JSON and the GUI key on it.
    """

    code: str
    field: str
    severity: Severity
    zh: str
    en: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def as_dict(self, lang: str = "zh") -> dict[str, str]:
        return {"code": self.code, "field": self.field, "severity": self.severity,
                "message": self.message(lang)}


def error(code: str, field: str, zh: str, en: str) -> Problem:
    return Problem(code, field, "error", zh, en)


def warning(code: str, field: str, zh: str, en: str) -> Problem:
    return Problem(code, field, "warning", zh, en)
