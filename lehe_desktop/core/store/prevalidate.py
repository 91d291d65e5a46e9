"""A bulk's rows validated on a helper thread while the calling thread writes the rows before them.

Validation is pure Python and holds the GIL; SQLite's writes release it (one statement per
batch of rows), so the two overlap. The helper thread never touches the connection: it answers
the rules' lookups from the bulk's memo, which the calling thread fills by reading each chunk's
parents ahead — found ids as ("x"/"g", type, id), ids asked for and not found as ("n", type, id).
A lookup the memo cannot answer (a child-row rule, an id the cleaners rewrote) sends that row
back to the calling thread, which validates it the ordinary way; errors keep their row order.
So every row gets exactly the rules and answers ``create`` would give it (tests/core/test_write_paths.py).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ..errors import ValidationError
from ..records.schema import Context, RecordType

Memo = dict[tuple[str, str, str], Any]
Prepare = Callable[[RecordType, dict[str, Any], None, Context], tuple[dict[str, Any], list[Any]]]
# One row's outcome on the helper thread: (given id, values without it, clean values | None | the error).
Outcome = tuple[Any, dict[str, Any], "dict[str, Any] | ValidationError | None"]


class _MemoMiss(Exception):
    """The memo cannot answer: the row is validated again on the calling thread."""


class MemoLookup:
    """The validation rules' view of the store from the helper thread: the bulk's memo only."""

    def __init__(self, memo: Memo, vocab_has: Callable[[str, str], bool]) -> None:
        self._memo = memo
        self.vocab_has = vocab_has   # an in-memory set, read-only during the bulk

    def record_exists(self, rtype: str, rid: str) -> bool:
        memo = self._memo
        if ("x", rtype, rid) in memo:
            return True
        if ("n", rtype, rid) in memo:
            return False
        raise _MemoMiss

    def get(self, rtype: str, rid: str) -> dict[str, Any] | None:
        hit: dict[str, Any] | None = self._memo.get(("g", rtype, rid))
        if hit is not None:
            return hit
        if ("n", rtype, rid) in self._memo:
            return None
        raise _MemoMiss

    def children(self, rtype: str, parent_id: str) -> list[dict[str, Any]]:
        raise _MemoMiss   # child rows are not read ahead


def _validate_part(rt: RecordType, part: list[dict[str, Any]], prepare: Prepare, ctx: Context) -> list[Outcome]:
    out: list[Outcome] = []
    for values in part:
        given = {k: v for k, v in values.items() if k != "id"} if "id" in values else values
        clean: dict[str, Any] | ValidationError | None
        try:
            clean = prepare(rt, given, None, ctx)[0]
        except _MemoMiss:
            clean = None
        except ValidationError as exc:
            clean = exc
        out.append((values.get("id"), given, clean))
    return out


def cleaned_rows(rt: RecordType, rows: Iterable[dict[str, Any]], *, chunk: int, prepare: Prepare,
                 read_ahead: Callable[[list[dict[str, Any]]], None], helper_ctx: Context,
                 own_ctx: Context) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Yield ``(given id, clean values)`` for ``rows`` in order, chunk k+1 validated while k is written."""
    it = iter(rows)
    with ThreadPoolExecutor(1, thread_name_prefix="lehe-prevalidate") as pool:
        pending: Future[list[Outcome]] | None = None
        while True:
            # The chunk is taken (and its parents read) on this thread: making rows may write.
            part = list(itertools.islice(it, chunk))
            upcoming = None
            if part:
                read_ahead(part)
                upcoming = pool.submit(_validate_part, rt, part, prepare, helper_ctx)
            if pending is not None:
                for given_id, given, clean in pending.result():
                    if isinstance(clean, ValidationError):
                        raise clean
                    yield given_id, clean if clean is not None else prepare(rt, given, None, own_ctx)[0]
            if upcoming is None:
                return
            pending = upcoming
