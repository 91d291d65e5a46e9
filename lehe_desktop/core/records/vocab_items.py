"""Vocabulary items as a synced record type (issue 13): coordinators' categories travel by sync.

The built-in vocabularies are seeded into the ``vocab`` table (``vocab_seed.py``). An item a
coordinator or an admin adds, renames or deactivates is a ``vocab_item`` record: its id comes
from (vocabulary, code), so the same code made on two laptops is one record, and its fields
merge by the same rules as every other record's. A trigger (schema 10) copies every written
item into the ``vocab`` table, which forms, labels and validation read; nothing else writes it.

A code is never deleted, only deactivated: records that hold it keep showing its label, and
forms no longer offer it. Only coordinators and admins may write these records (core/roles.py;
the server refuses a worker's change with ``role.vocab_forbidden``).

Problem codes: vocab_item.unknown_vocab E, vocab_item.code_format E, vocab_item.code_reserved E.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ..problems import Problem, error
from .schema import REGISTRY, Context, FieldSpec, Kind, Privacy, RecordType, register
from .vocab_seed import DQ_CODES, VOCAB_TITLES, VOCABS

CODE_RE = re.compile(r"[a-z0-9][a-z0-9_]{0,39}")
P = Privacy


@cache
def _fields_vocabs() -> frozenset[str]:
    return frozenset(f.vocab for rt in REGISTRY.values() for f in rt.fields if f.vocab)


def vocab_names() -> list[str]:
    """Every vocabulary name a record field, the seed or the titles know (sorted)."""
    return sorted(set(VOCABS) | set(VOCAB_TITLES) | _fields_vocabs())


def _check(r: dict[str, Any], ctx: Context) -> list[Problem]:
    name, code = r.get("vocab"), r.get("code")
    problems: list[Problem] = []
    if name is not None and name not in VOCABS and name not in VOCAB_TITLES and name not in _fields_vocabs():
        problems.append(error("vocab_item.unknown_vocab", "vocab", f"没有名为“{name}”的词表",
                              f"There is no vocabulary named '{name}'"))
    if code is not None:
        if not CODE_RE.fullmatch(str(code)):
            problems.append(error("vocab_item.code_format", "code",
                                  "代码只能用小写英文字母、数字和下划线（最多 40 个），以字母或数字开头",
                                  "A code is lower-case letters, digits and underscores (at most 40), "
                                  "starting with a letter or digit"))
        elif name != "dq" and code in DQ_CODES:
            problems.append(error("vocab_item.code_reserved", "code",
                                  f"代码“{code}”保留给“不知道/拒绝回答/未采集”，不能用于词表条目",
                                  f"The code '{code}' is reserved for the data-quality answers"))
    return problems


VOCAB_ITEM = register(RecordType(
    name="vocab_item", table="vocab_items", zh="词表条目", en="Vocabulary item",
    fields=(
        FieldSpec("vocab", Kind.TEXT, "词表", "Vocabulary", required=True, max_len=40, privacy=P.PUBLIC),
        FieldSpec("code", Kind.TEXT, "代码", "Code", required=True, max_len=40, privacy=P.PUBLIC),
        FieldSpec("zh", Kind.TEXT, "中文名称", "Chinese label", required=True, max_len=60, privacy=P.PUBLIC),
        FieldSpec("en", Kind.TEXT, "英文名称", "English label", max_len=100, privacy=P.PUBLIC),
        FieldSpec("active", Kind.BOOL, "启用", "Active", privacy=P.PUBLIC),
    ),
    natural_key=("vocab", "code"),
    checks=(_check,),
    title=lambda r: f"{r.get('vocab') or ''}: {r.get('zh') or r.get('code') or ''}",
    indexes=(("vocab", "code"),),
))
