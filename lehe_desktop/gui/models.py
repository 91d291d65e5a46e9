"""Table models over the core's list queries: ids first, rows fetched 200 at a time.

The ordered id list comes from one query on the database lane (so filtering 100,000 rows
never blocks painting); ``fetchMore`` then asks the lane for the next page of display
columns as the view scrolls and inserts the rows when they arrive (no second request while
one is in flight), the way Qt's incremental fetching is meant to be used.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar, cast

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ..core import browse
from ..core.store.store import Store
from . import i18n
from .vocab import vocab_of
from .worker import DbLane, Job

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, str, str]   # key, zh header, en header

RISK_COLOURS = {"high": QColor("#b3261e"), "medium": QColor("#8a5a00")}


class Labels:
    """Vocabulary labels cached once per model (data() is called very often), from the lane's snapshot."""

    def __init__(self, store: Store, vocabs: Sequence[str]) -> None:
        self._map: dict[tuple[str, str], tuple[str, str]] = {}
        snap = vocab_of(store)
        for name in (*vocabs, "dq"):
            for v in snap.items(name, include_inactive=True):
                self._map[(name, v["code"])] = (v["zh"], v["en"])

    def get(self, vocab: str, code: str | None) -> str:
        if not code:
            return ""
        pair = self._map.get((vocab, code)) or self._map.get(("dq", code))
        if pair is None:
            return code
        return i18n.pick(*pair)


class PagedModel(QAbstractTableModel):
    PAGE = 200
    COLUMNS: Sequence[Column] = ()
    SORTS: ClassVar[dict[str, str]] = {}     # column key → the core's sort key; other columns do not sort
    populated = Signal()
    page_loaded = Signal()

    def __init__(self, store: Store, lane: DbLane) -> None:
        super().__init__()
        self.store = store
        self.lane = lane
        self._ids: list[str] = []
        self._rows: list[dict[str, Any]] = []
        self._generation = 0
        self._job: Job | None = None
        self._page_job: Job | None = None   # the page fetchMore asked for, until it arrives
        self._inserting = False
        self.sort_key = self.default_sort()
        self.sort_desc = False

    # ---------------------------------------------------------------- subclass hooks
    def default_sort(self) -> str:
        return ""

    def query_ids(self) -> list[str]:
        raise NotImplementedError

    def query_rows(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def display(self, row: dict[str, Any], key: str) -> str:
        value = row.get(key)
        return "" if value is None else str(value)

    # ---------------------------------------------------------------- loading
    def refresh(self, on_done: Callable[[], None] | None = None) -> None:
        """Re-run the query on the lane and show the first page when it arrives."""
        self._generation += 1
        generation = self._generation

        def work(job: object) -> tuple[list[str], list[dict[str, Any]]]:
            ids = self.query_ids()
            return ids, self.query_rows(ids[:self.PAGE])

        def done(result: tuple[list[str], list[dict[str, Any]]]) -> None:
            ids, first = result
            self._apply(generation, ids, first)
            if on_done:
                on_done()

        if self._job is not None and not self._job.done:
            self._job.cancel()   # superseded by this query: skipped if it has not started yet
        self._job = self.lane.submit("list", work, done)

    def _apply(self, generation: int, ids: list[str], first: list[dict[str, Any]]) -> None:
        if generation != self._generation:
            return  # a newer filter was typed meanwhile
        # The view had asked for more (scrolled to the end): ask again for the new list, since the
        # view will not (its scroll position may not change across the reset).
        wanted_more = self._page_job is not None
        self.beginResetModel()
        self._ids = ids
        self._rows = self._complete(ids[:self.PAGE], first)   # the first page comes with the reset
        self._page_job = None    # a page of the old list no longer fits
        self.endResetModel()
        if wanted_more:
            self.fetchMore(QModelIndex())
        self.populated.emit()

    def _append(self, rows: list[dict[str, Any]], wanted: int) -> None:
        start = len(self._rows)
        full = self._complete(self._ids[start:start + wanted], rows)
        if not full:
            return
        self._inserting = True   # views (and Qt's model tester) may ask for more while rows go in
        try:
            self.beginInsertRows(QModelIndex(), start, start + len(full) - 1)
            self._rows.extend(full)
            self.endInsertRows()
        finally:
            self._inserting = False

    @staticmethod
    def _complete(ids: Sequence[str], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        by_id = {r["id"]: r for r in rows}
        # A row deleted since the id query still occupies its slot (shown empty).
        return [by_id.get(i, {"id": i}) for i in ids]

    @property
    def total(self) -> int:
        return len(self._ids)

    def row_id(self, row: int) -> str | None:
        return self._rows[row]["id"] if 0 <= row < len(self._rows) else None

    # ---------------------------------------------------------------- Qt model API
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._page_job is None and not self._inserting \
            and len(self._rows) < len(self._ids)

    def fetchMore(self, parent: Index) -> None:
        """Ask the lane for the next page; the rows are inserted when it arrives."""
        if parent.isValid() or self._page_job is not None or self._inserting:
            return
        start = len(self._rows)
        ids = self._ids[start:start + self.PAGE]
        if not ids:
            return
        generation = self._generation

        def arrived(rows: list[dict[str, Any]]) -> None:
            if generation != self._generation or job is not self._page_job:
                return   # the list was re-queried meanwhile
            self._page_job = None
            if len(self._rows) == start:
                self._append(rows, len(ids))
            self.page_loaded.emit()

        def failed(error: Exception) -> None:
            if job is self._page_job:
                self._page_job = None
            log.error("loading a page failed", exc_info=error)

        job = self._page_job = self.lane.query(lambda: self.query_rows(ids), arrived, failed, owner=self, name="page")

    @property
    def fetching(self) -> bool:
        """A page asked for by ``fetchMore`` has not arrived yet."""
        return self._page_job is not None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.COLUMNS):
            _key, zh, en = self.COLUMNS[section]
            return i18n.pick(zh, en)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        key = self.COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.display(row, key)
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        if role == Qt.ItemDataRole.ForegroundRole and key == "risk_level":
            colour = RISK_COLOURS.get(row.get("risk_level") or "")
            return QBrush(colour) if colour else None
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        key = self.sort_key_for(self.COLUMNS[column][0])
        if key is None:
            return
        self.sort_key = key
        self.sort_desc = order == Qt.SortOrder.DescendingOrder
        if self._generation:
            self.refresh()   # not before the page first loads (a view sets its sort column when built)

    def sort_key_for(self, column_key: str) -> str | None:
        return self.SORTS.get(column_key)

    def relabel(self) -> None:
        """The language changed: headers and vocab labels re-read."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.COLUMNS) - 1))
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.COLUMNS) - 1))


F = TypeVar("F")


class FilteredModel(PagedModel, Generic[F]):
    """A list over one of the core's frozen filter dataclasses, which carry the sort (``sort``, ``desc``)."""

    def __init__(self, store: Store, lane: DbLane, flt: F) -> None:
        super().__init__(store, lane)
        self.filter = flt

    def set_filter(self, flt: F) -> None:
        self.filter = flt
        self.refresh()

    def refresh(self, on_done: Callable[[], None] | None = None) -> None:
        # Any: the filters are dataclasses, which a type variable cannot promise mypy.
        self.filter = dataclasses.replace(cast(Any, self.filter), sort=self.sort_key, desc=self.sort_desc)
        super().refresh(on_done)

    def row(self, r: int) -> dict[str, Any] | None:
        return self._rows[r] if 0 <= r < len(self._rows) else None

    def invalidate(self) -> None:
        """Records were added, changed or synced: a model that keeps an index of its records in
        memory (visits, activities, matters, tasks) reads it again on the next refresh."""


class HouseholdModel(PagedModel):
    COLUMNS = (
        ("village", "村", "Village"),
        ("group_name", "村民小组", "Group"),
        ("head_name", "户主", "Head"),
        ("members", "人数", "Members"),
        ("categories", "类别", "Categories"),
        ("last_visit", "最近走访", "Last visit"),
        ("risk_level", "风险", "Risk"),
    )
    SORTS: ClassVar[dict[str, str]] = {"village": "area", "group_name": "group", "head_name": "head", "members": "members",
              "categories": "categories", "last_visit": "last_visit", "risk_level": "risk"}

    def __init__(self, store: Store, lane: DbLane) -> None:
        super().__init__(store, lane)
        self.filter = browse.HouseholdFilter()
        self.labels = Labels(store, ["vulnerable_category", "risk_level"])

    def default_sort(self) -> str:
        return "head"

    def set_filter(self, text: str | None = None, area_id: str | bool | None = False) -> None:
        area = self.filter.area_id if area_id is False else area_id if isinstance(area_id, str) else None
        self.filter = browse.HouseholdFilter(text=self.filter.text if text is None else text,
                                             area_id=area or None, sort=self.sort_key, desc=self.sort_desc)
        self.refresh()

    def refresh(self, on_done: Callable[[], None] | None = None) -> None:
        self.filter = browse.HouseholdFilter(text=self.filter.text, area_id=self.filter.area_id,
                                             sort=self.sort_key, desc=self.sort_desc)
        super().refresh(on_done)

    def query_ids(self) -> list[str]:
        return browse.household_ids(self.store, self.filter)

    def query_rows(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return browse.household_rows(self.store, ids)


    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "categories":
            codes = [c for c in (row.get("categories") or "").split(",") if c]
            codes += [c for c in (row.get("member_categories") or "").split(",") if c and c not in codes]
            return i18n.join_list(self.labels.get("vulnerable_category", c) for c in codes)
        if key == "risk_level":
            return self.labels.get("risk_level", row.get("risk"))
        return super().display(row, key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.row() < len(self._rows) \
                and self.COLUMNS[index.column()][0] == "risk_level":
            colour = RISK_COLOURS.get(self._rows[index.row()].get("risk") or "")
            return QBrush(colour) if colour else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid() \
                and self.COLUMNS[index.column()][0] == "members":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)


class VisitModel(FilteredModel[browse.VisitFilter]):
    COLUMNS = (
        ("visit_date", "走访日期", "Date"),
        ("household", "户", "Household"),
        ("village", "村", "Village"),
        ("visit_type", "走访类型", "Type"),
        ("risk_level", "风险", "Risk"),
        ("next_visit_date", "下次走访", "Next visit"),
        ("author", "记录人", "Recorded by"),
        ("purpose", "走访目的", "Purpose"),
    )
    SORTS: ClassVar[dict[str, str]] = {"visit_date": "date", "household": "household", "visit_type": "type",
                                       "risk_level": "risk", "next_visit_date": "next", "author": "author"}

    def __init__(self, store: Store, lane: DbLane) -> None:
        super().__init__(store, lane, browse.VisitFilter())
        self.visit_index: browse.VisitIndex | None = None
        self.sort_desc = True
        self.labels = Labels(store, ["visit_type", "risk_level"])

    def default_sort(self) -> str:
        return "date"

    def invalidate(self) -> None:
        """Visits were added or changed: the in-memory index is re-read on the next refresh."""
        self.visit_index = None

    def query_ids(self) -> list[str]:
        vindex = self.visit_index
        if vindex is None:
            vindex = self.visit_index = browse.VisitIndex.load(self.store)
        return vindex.ids(self.store, self.filter, today=self.store.today)

    def query_rows(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        return browse.visit_rows(self.store, ids)

    def display(self, row: dict[str, Any], key: str) -> str:
        if key == "household":
            head = row.get("head_name")
            if not head:
                return ""
            return i18n.pick(f"{head}户", head) + (f" · {row['group_name']}" if row.get("group_name") else "")
        if key in ("visit_type", "risk_level"):
            return self.labels.get(key, row.get(key))
        if key == "next_visit_date":
            return (row.get("next_visit_date") or "") if row.get("follow_up_needed") else ""
        return super().display(row, key)
