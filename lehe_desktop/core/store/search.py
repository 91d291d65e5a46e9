"""Full-text search that works for Chinese, including one- and two-character queries.

SQLite's tokenizers either split CJK text into whole runs (unicode61) or need three
characters (trigram). We index every CJK character and every adjacent pair as tokens, so
'王' and '王德' are exact token lookups and longer queries are an AND of their pairs.

ID numbers and phone numbers are findable only typed whole, and never enter the index as they
are. A member's ID number and each phone number are indexed as one token: a keyed hash (HMAC-
SHA-256, 96 bits) of the normalised whole value, under a random key made for this database
(meta ``search_key``, schema 9). A search that is a whole valid ID number or phone number
looks up the same token. Why not the digits themselves: the full-text index keeps its terms in
segments that are merged lazily, so a raw number would linger there (and in free pages) after
the member's record changed, a second copy of identifying data outside the record; prefix
tokens would also let a partial number find people. Why keyed: an unkeyed hash of an ID number
is reversed by trying the few hundred million plausible numbers of a county. The key never
leaves the (encrypted) database; the server, which has no search screen, indexes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import operator
import re
import unicodedata
from functools import lru_cache

from ..validation.idnumber import check_id_number, mask_id_number
from ..validation.phone import check_phone, mask_phone

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


_NOT_A_NUMBER = ("unknown", "refused", "not_collected")
_DIGITS = re.compile(r"[0-9０-９]")


def number_token(key: bytes, kind: str, value: str) -> str:
    """The index token for a whole ID number (``kind`` "id") or phone number ("phone")."""
    return "n" + hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()[:24]


def indexed_number(kind: str, value: str | None) -> str | None:
    """A stored ID number or phone as its token is made of (None: nothing to index)."""
    if not value or value in _NOT_A_NUMBER:
        return None
    return value.split(";", 1)[0] if kind == "phone" else value      # a phone without its extension


def whole_number(text: str) -> tuple[str, str, str] | None:
    """``(kind, normalised value, masked)`` when ``text`` is a whole valid ID number or phone number."""
    t = text.strip()
    if not 7 <= len(t) <= 40 or len(_DIGITS.findall(t)) < 7:
        return None
    info, _problems = check_id_number(t)
    if info is not None:
        return "id", info.number, mask_id_number(info.number)
    e164, problems = check_phone(t)
    if e164 is not None and not any(p.is_error for p in problems):
        number = e164.split(";", 1)[0]
        return "phone", number, mask_phone(number)
    return None
