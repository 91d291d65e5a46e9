"""The checks every incoming change passes before a replica stores, holds or relays it.

One path for synced values and typed ones: a known field's value goes through the same cleaners
as a form or an import (``core/records/validate.py``) and must come out unchanged — a laptop only
ever sends clean values, so anything the cleaner would refuse or rewrite (a number where text
belongs, an over-long text, a control character in a name, a vocabulary code the schema does not
have) did not come from an honest laptop. On top of that the wire's own bounds: identifiers and
field names, the depth and size of values a newer app may carry in fields this one does not know,
stamps no further ahead than a year. Record types (docs/sync.md, "What the server accepts"):

- a type this schema knows is checked field by field;
- a type unknown to this app but the change comes from a newer schema (``change.schema`` above
  ``SCHEMA_VERSION``) is carried opaque: only the wire bounds are checked, and the server stores
  and relays it only when its area resolves (server/scope.py);
- a type unknown to a schema that is not newer than this one is refused (``change.unknown_type``).

Decoding (core/messages.py) already refused wrong key types, integers beyond 64 bits, lone
surrogates and malformed UTF-8.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import hlc as hlc_mod
from ..messages import MAX_DEPTH as MESSAGE_DEPTH
from ..messages import Change, encode
from ..problems import Problem
from ..records.schema import Context, RecordType
from ..records.validate import SLOW, clean_field, fast_cleaners
from ..store.migrations import SCHEMA_VERSION
from .merge import CONFLICT, type_of

MAX_FIELDS = 256                 # fields per change (the widest record type has under 40)
MAX_NAME = 64                    # a field name
MAX_ID = 128                     # a record id (uuid7 / natural uuid5: 36)
MAX_ORIGIN = 200                 # device_id (≤ 64) ':' epoch
MAX_SHORT = 200                  # user, app
MAX_OPAQUE_BYTES = 64 * 1024     # one value of a field this app does not know, as JSON
MAX_CONFLICT_TEXT = 1024 * 1024  # a conflict record's values (JSON of the edited fields)
MAX_DEPTH = MESSAGE_DEPTH        # lists and objects inside such a value (the decoder's bound too)
MAX_AHEAD_MS = 366 * 86400 * 1000   # a stamp further ahead than this is no clock error
FAR_FUTURE = date(9999, 12, 31)  # laptops' clocks and zones differ: "today" does not bind here


@dataclass(frozen=True)
class Refusal:
    """Why a change was refused: a stable code and words for the person who made it."""

    code: str
    zh: str
    en: str


class _WireLookup:
    """What the cleaners may ask: vocabularies from the store; references always "exist" (whether
    the parent is there is the merge's and the scope's business, not a value's)."""

    def __init__(self, vocab_has: Callable[[str, str], bool]) -> None:
        self.vocab_has = vocab_has

    def record_exists(self, rtype: str, rid: str) -> bool:
        return True

    def get(self, rtype: str, rid: str) -> dict[str, Any] | None:
        return None

    def children(self, rtype: str, parent_id: str) -> list[dict[str, Any]]:
        return []


def _any_code(vocab: str, code: str) -> bool:
    return True


def _bad(code: str, zh: str, en: str) -> Refusal:
    return Refusal(code, zh, en)


def _printable(text: str, limit: int) -> bool:
    return 0 < len(text) <= limit and text.isprintable()


def _field_name_ok(name: str) -> bool:
    return 0 < len(name) <= MAX_NAME and name.isascii() and name.isidentifier()


def _opaque_ok(value: Any) -> bool:
    """A value of a field this app does not know: nested at most MAX_DEPTH deep, small as JSON."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        t = type(v)
        if t is list or t is dict:
            if depth >= MAX_DEPTH:
                return False
            stack.extend((x, depth + 1) for x in (v if t is list else v.values()))
            if t is dict and not all(len(k) <= MAX_NAME * 4 for k in v):
                return False
    return type(value) not in (list, dict, str) or len(encode(value)) <= MAX_OPAQUE_BYTES


class ChangeChecker:
    """Checks changes for one replica. ``vocab_has`` answers vocabulary questions (the store's);
    ``now_ms`` is the replica's clock. Cheap to make; keeps a per-type table of cleaners."""

    def __init__(self, vocab_has: Callable[[str, str], bool], now_ms: Callable[[], int] = hlc_mod.now_ms) -> None:
        self.now_ms = now_ms
        self._ctx = Context(today=FAR_FUTURE, lookup=_WireLookup(vocab_has))
        self._newer_ctx = Context(today=FAR_FUTURE, lookup=_WireLookup(_any_code))

    def check(self, ch: Change) -> Refusal | None:
        """None if the change may be stored; else why not."""
        if not _printable(ch.origin, MAX_ORIGIN) or not _printable(ch.rid, MAX_ID) or \
                not _printable(ch.rtype, MAX_NAME):
            return _bad("change.id", "这条修改的来源、记录类型或编号格式不正确",
                        "The change's origin, record type or record id is malformed")
        for text in (ch.user, ch.app):
            if text is not None and (len(text) > MAX_SHORT or "\x00" in text):
                return _bad("change.id", "这条修改的用户名或程序版本过长或含有空字符",
                            "The change's user or app version is too long or holds a NUL character")
        if hlc_mod.physical_ms(ch.hlc) > self.now_ms() + MAX_AHEAD_MS:
            return _bad("change.stamp", "这条修改的时间戳远在未来（超过一年），请检查电脑时间",
                        "The change is stamped more than a year ahead; check the computer's clock")
        fields = ch.fields
        if len(fields) > MAX_FIELDS or (ch.base is not None and len(ch.base) > MAX_FIELDS):
            return _bad("change.too_large", "这条修改的字段过多", "The change has too many fields")
        # U+0000 in text: never typed by a person, and a PostgreSQL server cannot store it. Refused on
        # every server alike (values nested in unknown fields travel as JSON, where it is escaped).
        if any(type(v) is str and "\x00" in v for v in fields.values()):
            return _bad("change.value", "这条修改的文字含有空字符（U+0000）", "The change's text holds a NUL character (U+0000)")
        if ch.base and not all(_base_ok(k, v) for k, v in ch.base.items()):
            return _bad("change.base", "这条修改的版本信息格式不正确", "The change's version information is malformed")
        rt = type_of(ch.rtype)
        if rt is None:
            if ch.schema <= SCHEMA_VERSION:
                return _bad("change.unknown_type", f"未知的记录类型：{ch.rtype[:40]}",
                            f"Unknown record type: {ch.rtype[:40]}")
            return _opaque_fields(fields)
        if rt is CONFLICT:
            return _conflict_fields(fields)
        return self._fields(rt, fields, self._ctx if ch.schema <= SCHEMA_VERSION else self._newer_ctx)

    def _fields(self, rt: RecordType, fields: dict[str, Any], ctx: Context) -> Refusal | None:
        cleaners = fast_cleaners(rt)
        specs = rt.fields_by_name
        required = rt.required_names
        for name, value in fields.items():
            if value is None:
                if name in required:
                    f = specs[name]
                    return _bad("change.value", f"{rt.zh}：{f.zh}不能为空", f"{rt.en}: {f.en} cannot be empty")
                if name in specs or _field_name_ok(name):
                    continue
                return _bad("change.field_name", f"{rt.zh}的字段名不正确", f"{rt.en}: malformed field name")
            cleaner = cleaners.get(name)
            if cleaner is None:
                if name == "deleted":
                    if type(value) is bool or (type(value) is int and value in (0, 1)):
                        continue
                    return _bad("change.value", "删除标记必须是 0 或 1", "The deleted flag must be 0 or 1")
                if not _field_name_ok(name):
                    return _bad("change.field_name", f"{rt.zh}的字段名不正确", f"{rt.en}: malformed field name")
                if not _opaque_ok(value):
                    return _bad("change.too_large", f"{rt.zh}的未知字段 {name} 过大或嵌套过深",
                                f"{rt.en}: unknown field {name} is too large or nested too deep")
                continue
            clean = cleaner(value, ctx)
            if clean is SLOW:
                clean, problems = clean_field(specs[name], value, ctx)
                wrong = next((p for p in problems if p.is_error), None)
                if wrong is not None:
                    return _field_refusal(rt, name, wrong)
            if clean != value or (type(value) is str) is not (type(clean) is str):
                f = specs[name]
                return _bad("change.value", f"{rt.zh}：{f.zh}的值不符合格式（类型或写法不对）",
                            f"{rt.en}: the value of {f.en} is not in its clean form (wrong type or spelling)")
        return None


def _field_refusal(rt: RecordType, name: str, problem: Problem) -> Refusal:
    f = rt.fields_by_name[name]
    return _bad("change.value", f"{rt.zh}：{f.zh}：{problem.zh}（{problem.code}）",
                f"{rt.en}: {f.en}: {problem.en} ({problem.code})")


def _base_ok(name: str, version: Any) -> bool:
    return len(name) <= MAX_NAME * 4 and (version is None or (
        type(version) is list and len(version) == 2 and type(version[0]) is int
        and type(version[1]) is str and len(version[1]) <= MAX_ORIGIN))


def _opaque_fields(fields: dict[str, Any]) -> Refusal | None:
    for name, value in fields.items():
        if not _field_name_ok(name):
            return _bad("change.field_name", "字段名不正确", "Malformed field name")
        if not _opaque_ok(value):
            return _bad("change.too_large", f"字段 {name} 过大或嵌套过深",
                        f"Field {name} is too large or nested too deep")
    return None


def _conflict_fields(fields: dict[str, Any]) -> Refusal | None:
    """Conflict records hold the JSON of the values they compare: text of any length up to a bound."""
    for name, value in fields.items():
        if name not in CONFLICT.fields_by_name:
            return _bad("change.field_name", "冲突记录的字段不正确", "A conflict record's field is unknown")
        if value is not None and (type(value) is not str or len(value) > MAX_CONFLICT_TEXT):
            return _bad("change.value", "冲突记录的值格式不正确", "A conflict record's value is malformed")
    return None
