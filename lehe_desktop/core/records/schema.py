"""How a record type is described: fields with kinds, labels, privacy class and rules.

The store builds tables, validation, search and exports from these descriptions, so adding
a field is one line here plus an additive migration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import Any, Protocol

from ..problems import Problem


class Kind(StrEnum):
    TEXT = "text"            # one line
    LONGTEXT = "longtext"    # paragraphs
    NAME = "name"            # a person's name (1–30 chars, · allowed)
    DATE = "date"            # calendar date, ISO text
    TIMESTAMP = "timestamp"  # UTC instant with offset, ISO text
    INT = "int"
    REAL = "real"
    BOOL = "bool"
    VOCAB = "vocab"          # a code from a controlled vocabulary
    REF = "ref"              # id of another record
    ID_NUMBER = "id_number"  # resident ID number (GB 11643)
    PHONE = "phone"          # stored as E.164


class Privacy(StrEnum):
    """PIPL classes (domain.md §8.2 P1). Exports and masking key on these."""

    PUBLIC = "public"            # counts, vocab codes, dates of public events
    ORDINARY = "ordinary"        # ordinary personal information
    IDENTIFYING = "identifying"  # names, ID numbers, phones, addresses: removed when de-identifying
    SENSITIVE = "sensitive"      # health, disability, specific identity: minimum necessary


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind
    zh: str
    en: str
    required: bool = False
    vocab: str | None = None
    ref: str | None = None
    privacy: Privacy = Privacy.ORDINARY
    searchable: bool = False
    allow_dq: bool = False          # "refused / doesn't know / not collected" are valid answers
    max_len: int | None = None
    allow_future: bool = False      # for DATE: plans (next visit, due dates) may be in the future
    minimum: float | None = None
    maximum: float | None = None

    @property
    def sql_type(self) -> str:
        return {Kind.INT: "INTEGER", Kind.BOOL: "INTEGER", Kind.REAL: "REAL"}.get(self.kind, "TEXT")


class Lookup(Protocol):
    """What validation may ask the store (read-only)."""

    def vocab_has(self, vocab: str, code: str) -> bool: ...

    def record_exists(self, rtype: str, rid: str) -> bool: ...

    def get(self, rtype: str, rid: str) -> dict[str, Any] | None: ...

    def children(self, rtype: str, parent_id: str) -> list[dict[str, Any]]: ...


@dataclass
class Context:
    today: date
    lookup: Lookup
    existing: dict[str, Any] | None = None   # the stored record, for updates
    lang: str = "zh"


CrossCheck = Callable[[dict[str, Any], Context], list[Problem]]


@dataclass(frozen=True)
class RecordType:
    name: str                      # 'household' — used in changes, JSON and the CLI
    table: str                     # 'households'
    zh: str
    en: str
    fields: tuple[FieldSpec, ...]
    parent_field: str | None = None            # child rows: the field pointing at the owner
    natural_key: tuple[str, ...] | None = None  # fields whose values derive the id
    checks: tuple[CrossCheck, ...] = ()
    # title(record) -> str, or title(record, store) -> str when ``title_lookup`` is set.
    title: Callable[..., str] | None = None
    synced: bool = True
    indexes: tuple[tuple[str, ...], ...] = ()
    # Fills fields that follow from others (a member's birth date from the ID number); its result
    # is merged into the clean values of every create and update, bulk included.
    derive: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # The title names a related record (a visit shows its household's head): ``title`` is then
    # called as ``title(record, lookup)``, with the store as the lookup.
    title_lookup: bool = False
    # (name field, key column): a pinyin sort key the store keeps beside the name in a column of
    # its own (validation.pinyin; schema 8). Local and derived: not a field, never in a change.
    sort_keys: tuple[tuple[str, str], ...] = ()

    def field(self, name: str) -> FieldSpec:
        return self.fields_by_name[name]

    # Cached: validation and the bulk path ask for these once per row.
    @cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @cached_property
    def fields_by_name(self) -> dict[str, FieldSpec]:
        return {f.name: f for f in self.fields}

    @cached_property
    def required_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    def has_field(self, name: str) -> bool:
        return name in self.fields_by_name


REGISTRY: dict[str, RecordType] = {}


def register(rt: RecordType) -> RecordType:
    if rt.name in REGISTRY:
        raise ValueError(f"record type {rt.name} registered twice")
    REGISTRY[rt.name] = rt
    return rt


def link_type(name: str, table: str, zh: str, en: str, parent: FieldSpec, item: FieldSpec, *,
              more_fields: tuple[FieldSpec, ...] = (), index_item: bool = True,
              checks: tuple[CrossCheck, ...] = ()) -> RecordType:
    """A child row that links an owner to one thing (a category, a household, a member …).

    Its id comes from the pair, so adding the same link twice — on two laptops too — is one
    record, and removing it is a tombstone, never an edit of a list.
    """
    indexes = ((parent.name,), (item.name,)) if index_item else ((parent.name,),)
    return register(RecordType(name=name, table=table, zh=zh, en=en, fields=(parent, item, *more_fields),
                               parent_field=parent.name, natural_key=(parent.name, item.name),
                               checks=checks, indexes=indexes))


def record_type(name: str) -> RecordType:
    try:
        return REGISTRY[name]
    except KeyError:
        from ..errors import UsageError

        raise UsageError("record.unknown_type", f"未知的记录类型：{name}", f"Unknown record type: {name}") from None


def all_types() -> list[RecordType]:
    return list(REGISTRY.values())
