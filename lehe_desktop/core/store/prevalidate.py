"""A bulk's rows prepared on a helper thread while the calling thread writes the rows before them.

Validation and the search entry's text and title are pure Python and hold the GIL; SQLite's
writes release it (one statement per batch of rows), so the two overlap. The helper thread never
touches the connection: it answers the rules' and titles' lookups from the bulk's memo, which
the calling thread fills by reading each chunk's parents ahead — found ids as ("x"/"g", type, id),
ids asked for and not found as ("n", type, id). A lookup the memo cannot answer (a child-row
rule, an id the cleaners rewrote, an area path not read yet) sends that row back to the calling
thread, which prepares it the ordinary way; errors keep their row order. So every row gets
exactly the rules, answers and search entry ``create`` would give it
(tests/core/test_write_paths.py, tests/core/test_bulk_path.py).
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
Describe = Callable[[dict[str, Any]], tuple[str, str]]
# One row on the helper thread: (given id, values without it, clean values | None (redo) | the
# error, the search entry's (tokens, title) | None (redo)).
Outcome = tuple[Any, dict[str, Any], "dict[str, Any] | ValidationError | None", "tuple[str, str] | None"]


class MemoMiss(Exception):
    """The memo cannot answer: the row is prepared again on the calling thread."""


class MemoLookup:
    """The rules' and titles' view of the store from the helper thread: the bulk's memo only."""

    def __init__(self, memo: Memo, vocab_has: Callable[[str, str], bool]) -> None:
        self._memo = memo
        self.vocab_has = vocab_has   # an in-memory set, read-only during the bulk

    def record_exists(self, rtype: str, rid: str) -> bool:
        memo = self._memo
        if ("x", rtype, rid) in memo:
            return True
        if ("n", rtype, rid) in memo:
            return False
        raise MemoMiss

    def get(self, rtype: str, rid: str) -> dict[str, Any] | None:
        hit: dict[str, Any] | None = self._memo.get(("g", rtype, rid))
        if hit is not None:
            return hit
        if ("n", rtype, rid) in self._memo:
            return None
        raise MemoMiss

    def children(self, rtype: str, parent_id: str) -> list[dict[str, Any]]:
        raise MemoMiss   # child rows are not read ahead


def _prepare_part(rt: RecordType, part: list[dict[str, Any]], prepare: Prepare | None, ctx: Context,
                  describe: Describe | None) -> list[Outcome]:
    out: list[Outcome] = []
    for values in part:
        if prepare is None:       # already validated: kept as given
            given = values
            clean: dict[str, Any] | ValidationError | None = values
        else:
            given = {k: v for k, v in values.items() if k != "id"} if "id" in values else values
            try:
                clean = prepare(rt, given, None, ctx)[0]
            except MemoMiss:
                clean = None
            except ValidationError as exc:
                clean = exc
        parts = None
        if describe is not None and isinstance(clean, dict):
            try:
                parts = describe(clean)
            except MemoMiss:
                parts = None
        out.append((values.get("id"), given, clean, parts))
    return out


def cleaned_rows(rt: RecordType, rows: Iterable[dict[str, Any]], *, chunk: int, prepare: Prepare | None,
                 describe: Describe | None, read_ahead: Callable[[list[dict[str, Any]]], None],
                 helper_ctx: Context, own_ctx: Context,
                 ) -> Iterator[tuple[Any, dict[str, Any], tuple[str, str] | None]]:
    """Yield ``(given id, clean values, search parts or None)`` for ``rows`` in order; chunk k+1 is
    prepared on the helper thread while the caller writes chunk k. ``prepare=None``: rows are
    already valid and kept as given."""
    it = iter(rows)
    with ThreadPoolExecutor(1, thread_name_prefix="lehe-prevalidate") as pool:
        pending: Future[list[Outcome]] | None = None
        while True:
            # The chunk is taken (and its parents read) on this thread: making rows may write.
            part = list(itertools.islice(it, chunk))
            upcoming = None
            if part:
                read_ahead(part)
                upcoming = pool.submit(_prepare_part, rt, part, prepare, helper_ctx, describe)
            if pending is not None:
                for given_id, given, clean, parts in pending.result():
                    if isinstance(clean, ValidationError):
                        raise clean
                    if clean is None:
                        assert prepare is not None
                        yield given_id, prepare(rt, given, None, own_ctx)[0], None
                    else:
                        yield given_id, clean, parts
            if upcoming is None:
                return
            pending = upcoming
