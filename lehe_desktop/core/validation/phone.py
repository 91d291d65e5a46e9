"""Mainland China phone numbers: validate, normalise to E.164, format and mask for display."""

from __future__ import annotations

import re

from lehe_desktop.core.problems import Problem, error
from lehe_desktop.core.validation.text import to_halfwidth

# Loose on purpose: carrier-prefix lists go stale, so any 1[3-9] + 9 digits is a mobile.
_RE_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_RE_EXT_MARKER = re.compile(r"(?:分机号|分机|转|ext\.?|x|#)\s*[:：]?\s*([0-9]{1,6})\s*$", re.IGNORECASE)
# Separators people type between groups (incl. no-break space and dashes pasted from Word).
_SEPARATORS = " \t\u00a0-\u2010\u2011\u2013\u2014()"
_RE_ALLOWED = re.compile(f"[0-9{re.escape(_SEPARATORS)}]*")
_RE_SPLIT = re.compile(f"[{re.escape(_SEPARATORS)}]+")
_RE_E164 = re.compile(r"\+86([0-9]+)(?:;ext=([0-9]{1,6}))?")


def _split_landline(national: str) -> tuple[str, str] | None:
    """Split "0" + area + subscriber into (area, subscriber) without the leading 0.

    China's numbering plan fixes the area-code length: 10 and 2x are two digits, all others
    three. Using the plan (not the user's grouping) keeps E.164 → local display reversible.
    """
    if len(national) < 2 or national[0] != "0" or national[1] == "0":
        return None
    area_len = 2 if national[1] in "12" else 3
    area, sub = national[1:1 + area_len], national[1 + area_len:]
    if len(area) != area_len or not 7 <= len(sub) <= 8:
        return None
    return area, sub


def _format_problem(field: str, label_zh: str, label_en: str) -> Problem:
    return error(
        "phone.format", field,
        f"{label_zh}格式不正确：手机号应为11位（如 138 0013 8000），"
        "座机应为区号加7–8位号码（如 023-12345678，分机可写“转123”）",
        f"The {label_en} is not valid: a mobile has 11 digits (e.g. 138 0013 8000), a landline "
        "is an area code plus 7–8 digits (e.g. 023-12345678, extension as 'ext 123')")


def _landline_from_groups(groups: list[str]) -> tuple[str, str, str] | None:
    """(area, subscriber, extension) from digit groups that start with the trunk "0"."""
    national = "".join(groups)
    # "023-1234567-8": a full area group and a 7–8 digit group, so the third is an extension.
    if len(groups) == 3 and 1 <= len(groups[2]) <= 6:
        parts = _split_landline(groups[0] + groups[1])
        if parts and groups[0] == "0" + parts[0]:
            return parts[0], parts[1], groups[2]
    parts = _split_landline(national)
    if parts:
        return parts[0], parts[1], ""
    # "0731-8888-6666-12": whatever follows the last separator may still be an extension.
    if len(groups) >= 2 and 1 <= len(groups[-1]) <= 6:
        parts = _split_landline("".join(groups[:-1]))
        if parts:
            return parts[0], parts[1], groups[-1]
    return None


def check_phone(
    raw: str, *, field: str = "phone", label_zh: str = "电话号码", label_en: str = "phone number"
) -> tuple[str | None, list[Problem]]:
    """Validate a mobile or landline number; returns (E.164 form or None, problems).

    Landline extensions are kept as ``;ext=123`` after the E.164 number (RFC 3966 style).
    """
    text = to_halfwidth(raw).strip()
    extension = ""
    marker = _RE_EXT_MARKER.search(text)
    if marker:
        extension = marker.group(1)
        text = text[:marker.start()].rstrip(_SEPARATORS)
    if ";" in text:
        # Our own stored form, "+86...;ext=123", must validate to itself.
        text, _, stored_ext = text.partition(";ext=")
        if extension or not re.fullmatch(r"[0-9]{1,6}", stored_ext):
            return None, [_format_problem(field, label_zh, label_en)]
        extension = stored_ext

    international = False
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text, international = text[len(prefix):], True
            break
    if not text or not _RE_ALLOWED.fullmatch(text):
        return None, [_format_problem(field, label_zh, label_en)]
    groups = [g for g in _RE_SPLIT.split(text) if g]
    digits = "".join(groups)

    if not international and len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if _RE_MOBILE.fullmatch(digits):
        if extension:
            return None, [_format_problem(field, label_zh, label_en)]
        return "+86" + digits, []

    if not digits.startswith("0"):
        if not international:
            return None, [_format_problem(field, label_zh, label_en)]
        # After +86 the trunk "0" is dropped; put it back so one parser handles both.
        groups = ["0" + groups[0], *groups[1:]]
    landline = _landline_from_groups(groups)
    if landline is None:
        return None, [_format_problem(field, label_zh, label_en)]
    area, sub, line_ext = landline
    if extension and line_ext:
        return None, [_format_problem(field, label_zh, label_en)]
    extension = extension or line_ext
    return "+86" + area + sub + (f";ext={extension}" if extension else ""), []


def _parse_e164(e164: str) -> tuple[str, str, str] | None:
    """("mobile" | area code, number, extension) for our stored form, else None."""
    m = _RE_E164.fullmatch(e164)
    if not m:
        return None
    national, ext = m.group(1), m.group(2) or ""
    if _RE_MOBILE.fullmatch(national) and not ext:
        return "mobile", national, ""
    parts = _split_landline("0" + national)
    if parts is None:
        return None
    return parts[0], parts[1], ext


def format_phone_local(e164: str) -> str:
    """Domestic display form: ``138 0013 8000`` or ``023-12345678 转123``.

    Anything that is not a valid stored number is returned unchanged, so old data still shows.
    """
    parsed = _parse_e164(e164)
    if parsed is None:
        return e164
    kind, number, ext = parsed
    if kind == "mobile":
        return f"{number[:3]} {number[3:7]} {number[7:]}"
    return f"0{kind}-{number}" + (f" 转{ext}" if ext else "")


def mask_phone(e164: str) -> str:
    """Masked display: ``138****8000`` for mobiles, ``023-******78`` for landlines."""
    parsed = _parse_e164(e164)
    if parsed is None:
        # Unknown shape: reveal nothing rather than guess which part is safe to show.
        return "*" * len(e164)
    kind, number, _ext = parsed
    if kind == "mobile":
        return number[:3] + "****" + number[7:]
    return f"0{kind}-" + "*" * (len(number) - 2) + number[-2:]
