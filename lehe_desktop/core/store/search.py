"""Full-text search that works for Chinese, including one- and two-character queries.

SQLite's tokenizers either split CJK text into whole runs (unicode61) or need three
characters (trigram). We index every CJK character and every adjacent pair as tokens, so
'王' and '王德' are exact token lookups and longer queries are an AND of their pairs.
"""

from __future__ import annotations

import hashlib
import operator
import re
import unicodedata
from functools import lru_cache

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(rf"[{_CJK}]+|[^\W_]+", re.UNICODE)
_IS_CJK = re.compile(rf"[{_CJK}]")


def _runs(text: str) -> list[str]:
    return _RUN.findall(unicodedata.normalize("NFKC", text).lower())


def index_tokens(*texts: str | None) -> str:
    # Field by field: the same tokens as for the texts joined by newlines (a token never spans
    # two fields), and repeated values (villages, purposes, categories) are tokenised once.
    return " ".join([t for t in map(_text_tokens, filter(None, texts)) if t])


@lru_cache(maxsize=4096)
def _text_tokens(text: str) -> str:
    out: list[str] = []
    for run in _runs(text):
        if _IS_CJK.match(run):
            out.append(" ".join(run))
            if len(run) > 1:
                out.append(" ".join(map(operator.add, run, run[1:])))
        else:
            out.append(run)
    return " ".join(out)


def match_query(text: str) -> str | None:
    """An FTS5 MATCH expression for what a user typed, or None if nothing searchable."""
    terms: list[str] = []
    for run in _runs(text):
        if _IS_CJK.match(run):
            if len(run) == 1:
                terms.append(f'"{run}"')
            else:
                terms.extend(f'"{run[i:i + 2]}"' for i in range(len(run) - 1))
        else:
            terms.append(f'"{run}"*')
    return " AND ".join(dict.fromkeys(terms)) if terms else None


def row_key(rid: str) -> int:
    """A stable 63-bit FTS rowid for a record id, so updates replace the old entry directly."""
    return int.from_bytes(hashlib.blake2b(rid.encode(), digest_size=8).digest(), "big") >> 1
