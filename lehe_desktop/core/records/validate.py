"""Turn raw input into clean field values, or say exactly what is wrong.

Used for every write path (forms, CLI, roster import, demo data), so invalid data never
reaches the database. Errors block the save; warnings are returned to be shown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any

from ..problems import Problem, error
from ..validation.dates import check_event_date, parse_timestamp
from ..validation.idnumber import check_id_number
from ..validation.phone import check_phone
from ..validation.text import check_name
from .schema import Context, FieldSpec, Kind, RecordType
from .vocab_seed import DQ_CODES


def _label(f: FieldSpec) -> tuple[str, str]:
    return f.zh, f.en


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@lru_cache(maxsize=8192)
def _clean_date(value: str, name: str, today: date, allow_future: bool) -> tuple[str | None, list[Problem]]:
    # Bulk imports repeat the same few hundred dates; Problems are immutable, so sharing is safe.
    parsed, problems = check_event_date(value, field=name, today=today, allow_future=allow_future)
    return (parsed.isoformat() if parsed else None), problems


def clean_field(f: FieldSpec, value: Any, ctx: Context) -> tuple[Any, list[Problem]]:
    """Normalise one value for storage with the full rules; returns (value, problems).

    ``validate`` tries a per-field fast cleaner first and comes here only when it declines.
    """
    if _empty(value):
        return None, []
    if f.allow_dq and isinstance(value, str) and value in DQ_CODES:
        return value, []
    zh, en = _label(f)
    k = f.kind
    if k in (Kind.TEXT, Kind.LONGTEXT):
        text = str(value).strip()
        limit = f.max_len or (200 if k is Kind.TEXT else 20000)
        if len(text) > limit:
            return None, [error("field.too_long", f.name, f"{zh}太长（最多 {limit} 字）",
                                f"{en} is too long (at most {limit} characters)")]
        if k is Kind.TEXT and ("\n" in text or "\r" in text):
            text = " ".join(text.split())
        return text, []
    if k is Kind.NAME:
        return check_name(str(value), field=f.name, label_zh=f.zh, label_en=f.en)
    if k is Kind.DATE:
        if not isinstance(value, date):
            value = str(value)   # a number, a flag …: read as text, so refused with a problem, not a crash
        if isinstance(value, str):
            return _clean_date(value, f.name, ctx.today, f.allow_future)
        parsed, problems = check_event_date(value, field=f.name, today=ctx.today, allow_future=f.allow_future)
        return (parsed.isoformat() if parsed else None), problems
    if k is Kind.TIMESTAMP:
        ts, problems = parse_timestamp(str(value), field=f.name)
        return (ts.isoformat().replace("+00:00", "Z") if ts else None), problems
    if k in (Kind.INT, Kind.REAL):
        try:
            num: float = int(value) if k is Kind.INT else float(value)
            if k is Kind.INT and isinstance(value, float) and value != int(value):
                raise ValueError
            if isinstance(value, bool):
                raise ValueError
        except (TypeError, ValueError):
            kind_zh = "整数" if k is Kind.INT else "数字"
            return None, [error("field.not_number", f.name, f"{zh}必须是{kind_zh}",
                                f"{en} must be a {'whole number' if k is Kind.INT else 'number'}")]
        if (f.minimum is not None and num < f.minimum) or (f.maximum is not None and num > f.maximum):
            lo = "" if f.minimum is None else f"{f.minimum:g}"
            hi = "" if f.maximum is None else f"{f.maximum:g}"
            return None, [error("field.out_of_range", f.name, f"{zh}超出范围（{lo}–{hi}）",
                                f"{en} is out of range ({lo}–{hi})")]
        return num, []
    if k is Kind.BOOL:
        if isinstance(value, bool):
            return int(value), []
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "y", "是", "有"}:
            return 1, []
        if text in {"0", "false", "no", "n", "否", "无"}:
            return 0, []
        return None, [error("field.not_bool", f.name, f"{zh}应为“是”或“否”", f"{en} must be yes or no")]
    if k is Kind.VOCAB:
        code = str(value).strip()
        if f.vocab and not ctx.lookup.vocab_has(f.vocab, code):
            return None, [error("vocab.unknown", f.name, f"{zh}的取值“{code}”不在词表中",
                                f"{en}: '{code}' is not in the vocabulary")]
        return code, []
    if k is Kind.REF:
        rid = str(value).strip()
        if f.ref and not ctx.lookup.record_exists(f.ref, rid):
            return None, [error("ref.missing", f.name, f"{zh}指向的记录不存在",
                                f"{en} points to a record that does not exist")]
        return rid, []
    if k is Kind.ID_NUMBER:
        info, problems = check_id_number(str(value), field=f.name, today=ctx.today)
        return (info.number if info else None), problems
    if k is Kind.PHONE:
        return check_phone(str(value), field=f.name, label_zh=f.zh, label_en=f.en)
    raise AssertionError(f"unhandled kind {k}")


# A fast cleaner returns the clean value, or _SLOW to hand the value to the full rules.
_SLOW: Any = object()
FastCleaner = Callable[[Any, Context], Any]


def _fast_cleaner(f: FieldSpec) -> FastCleaner:
    """The common, already-clean values of one field, decided without the general rules.

    Only answers when ``clean_field`` would give the same value with no problems, and
    never with an empty value (``validate`` relies on that for required fields).
    """
    k, name, vocab, ref = f.kind, f.name, f.vocab, f.ref
    lo, hi = f.minimum, f.maximum
    dq = DQ_CODES if f.allow_dq else ()

    if k is Kind.VOCAB:
        def vocab_code(value: Any, ctx: Context) -> Any:
            if type(value) is str:
                code = value.strip()
                if code and (vocab is None or ctx.lookup.vocab_has(vocab, code)):
                    return code
            return _SLOW
        return vocab_code
    if k is Kind.TEXT or k is Kind.LONGTEXT:
        limit = f.max_len or (200 if k is Kind.TEXT else 20000)
        one_line = k is Kind.TEXT

        def text(value: Any, ctx: Context) -> Any:
            if type(value) is str:
                t = value.strip()
                if t and len(t) <= limit and not (one_line and ("\n" in t or "\r" in t)):
                    return t
            return _SLOW
        return text
    if k is Kind.BOOL:
        def boolean(value: Any, ctx: Context) -> Any:
            return value if type(value) is int and (value == 0 or value == 1) else _SLOW
        return boolean
    if k is Kind.DATE:
        future = f.allow_future

        def day(value: Any, ctx: Context) -> Any:
            if type(value) is str and value not in dq:
                iso, problems = _clean_date(value, name, ctx.today, future)
                if iso is not None and not problems:
                    return iso
            return _SLOW
        return day
    if k is Kind.REF:
        def reference(value: Any, ctx: Context) -> Any:
            if type(value) is str:
                rid = value.strip()
                if rid and (ref is None or ctx.lookup.record_exists(ref, rid)):
                    return rid
            return _SLOW
        return reference
    if k is Kind.INT or k is Kind.REAL:
        real = k is Kind.REAL

        def number(value: Any, ctx: Context) -> Any:
            t = type(value)
            if t is int or (real and t is float):
                num = float(value) if real else value
                if (lo is None or num >= lo) and (hi is None or num <= hi):
                    return num
            return _SLOW
        return number

    def general(value: Any, ctx: Context) -> Any:
        return _SLOW
    return general


def _full_rules_only(value: Any, ctx: Context) -> Any:
    return _SLOW


_CLEANERS: dict[tuple[str, bool], tuple[RecordType, dict[str, FastCleaner]]] = {}


def _cleaners(rt: RecordType, fast: bool = True) -> dict[str, FastCleaner]:
    """Per record type, built once (bulk imports validate every row)."""
    found = _CLEANERS.get((rt.name, fast))
    if found is None or found[0] is not rt:
        found = _CLEANERS[rt.name, fast] = (rt, {f.name: _fast_cleaner(f) if fast else _full_rules_only
                                                 for f in rt.fields})
    return found[1]


# For the sync checks (core/sync/checks.py), which hold synced values to the same cleaners.
SLOW = _SLOW


def fast_cleaners(rt: RecordType) -> dict[str, FastCleaner]:
    """Each field's fast cleaner (answers ``SLOW`` when ``clean_field`` must decide)."""
    return _cleaners(rt)


def validate(rt: RecordType, values: dict[str, Any], ctx: Context, *,
             partial: bool = False, fast: bool = True) -> tuple[dict[str, Any], list[Problem]]:
    """Clean ``values`` for record type ``rt``.

    ``partial`` is for updates: only the given fields are checked for presence, but the
    cross-field checks see the whole record (stored values merged with the new ones).
    ``fast=False`` skips the fast cleaners and sends every value through ``clean_field``: the
    same answers, slower (tests/core/test_write_paths.py holds them to that; bench_store
    prints what the fast cleaners save).
    """
    problems: list[Problem] = []
    clean: dict[str, Any] = {}
    cleaners = _cleaners(rt, fast)
    slow: set[str] | tuple[()] = ()
    for key, raw in values.items():
        cleaner = cleaners.get(key)
        if cleaner is None:
            problems.append(error("field.unknown", key, f"未知字段：{key}", f"Unknown field: {key}"))
            continue
        value = cleaner(raw, ctx)
        if value is _SLOW:
            slow = slow or set()
            slow.add(key)
            value, found = clean_field(rt.fields_by_name[key], raw, ctx)
            if found:
                problems.extend(found)
        clean[key] = value
    merged = {**ctx.existing, **clean} if ctx.existing else clean
    for name in rt.required_names:
        if name in clean and name not in slow:
            continue  # a fast cleaner never answers with an empty value
        if partial and name not in values:
            continue
        v = merged.get(name)
        if (v is None or (isinstance(v, str) and not v.strip())) and not any(p.field == name for p in problems):
            f = rt.fields_by_name[name]
            problems.append(error("field.required", name, f"请填写{f.zh}", f"{f.en} is required"))
    if not problems or not any(p.is_error for p in problems):
        for check in rt.checks:
            problems.extend(check(merged, ctx))
    return clean, problems
