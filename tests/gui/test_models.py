"""The list models, checked by Qt's own QAbstractItemModelTester, over real demo data."""

from __future__ import annotations

import threading

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from lehe_desktop.core import browse
from lehe_desktop.core.store.store import Store
from lehe_desktop.gui.models import HouseholdModel, VisitModel
from lehe_desktop.gui.worker import DbLane

FATAL = QAbstractItemModelTester.FailureReportingMode.Fatal


def _fetch_all(model) -> None:  # type: ignore[no-untyped-def]
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())


def test_household_model_pages_sorts_and_filters(qtbot, gui, demo_store: Store) -> None:
    model = HouseholdModel(demo_store)
    model.PAGE = 25                      # several pages from 60 households
    QAbstractItemModelTester(model, FATAL)
    model.refresh()
    assert model.total == 60
    assert model.rowCount() == 25 and model.canFetchMore(QModelIndex())
    _fetch_all(model)
    assert model.rowCount() == 60 and not model.canFetchMore(QModelIndex())
    heads = [model.data(model.index(r, 2)) for r in range(60)]
    assert heads == sorted(heads)
    model.sort(3, Qt.SortOrder.DescendingOrder)   # members
    _fetch_all(model)
    counts = [int(model.data(model.index(r, 3))) for r in range(model.rowCount())]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    surname = heads[0][0]
    model.set_filter(text=surname)
    assert 0 < model.total < 60
    _fetch_all(model)
    for r in range(model.rowCount()):
        hid = model.data(model.index(r, 0), Qt.ItemDataRole.UserRole)
        names = [demo_store.get("household", hid)["head_name"]] + \
            [m["name"] for m in demo_store.children("member", hid)]
        assert any(surname in n for n in names)
    assert model.headerData(2, Qt.Orientation.Horizontal) == "户主"


def test_visit_model_filters_on_the_lane(qtbot, gui, demo_store: Store) -> None:
    if not browse.has_visits(demo_store) or demo_store.count("visit") == 0:
        return
    lane = DbLane()
    model = VisitModel(demo_store, lane)
    QAbstractItemModelTester(model, FATAL)
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.refresh()
    total = demo_store.count("visit")
    assert model.total == total
    dates = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.set_filter(browse.VisitFilter(risk_level="high"))
    assert model.total < total
    assert all(model.data(model.index(r, 4)) == "高" for r in range(model.rowCount()))
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.set_filter(browse.VisitFilter(follow_up_due=True))
    for r in range(model.rowCount()):
        row = demo_store.get("visit", model.row_id(r))
        assert row["follow_up_needed"] == 1 and row["next_visit_date"] <= "2025-06-08"
    lane.stop()


def test_lane_reports_errors_and_skips_cancelled_jobs(qtbot, gui) -> None:
    lane = DbLane()
    seen: list[object] = []
    with qtbot.waitSignal(lane.busy_changed, timeout=5000, check_params_cb=lambda b: b is False):
        job = lane.submit("boom", lambda j: 1 / 0, seen.append, seen.append)
    assert isinstance(seen[0], ZeroDivisionError) and job.done
    release = threading.Event()
    blocker = lane.submit("slow", lambda j: release.wait(timeout=30))   # keeps the lane busy
    cancelled = lane.submit("never", lambda j: seen.append("ran"), seen.append)
    cancelled.cancel()
    release.set()
    qtbot.waitUntil(lambda: blocker.done and cancelled.done, timeout=5000)
    assert "ran" not in seen and len(seen) == 1
    lane.stop()
