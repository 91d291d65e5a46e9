"""Every Qt model of the window, checked by Qt's own model tester (pytest-qt's qtmodeltester) over real data.

The tester stays attached while the models load on the lane, page by page; any warning it
prints fails the test (``qt_log_level_fail``).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt

from lehe_desktop.core import browse
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.core.validation.pinyin import sort_key
from lehe_desktop.gui.models import HouseholdModel, PagedModel, VisitModel
from lehe_desktop.gui.sync_problems import CONFLICT_COLUMNS, REFUSED_COLUMNS, RowsModel, problem_rows
from lehe_desktop.gui.vocab import load_vocab
from lehe_desktop.gui.worker import DbLane

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import OTHER_VILLAGE, LiveServer, household, make_laptop

# Any complaint of the model tester (a Qt warning) fails the test; the offscreen platform's own notes do not.
pytestmark = [pytest.mark.qt_log_level_fail("WARNING"), pytest.mark.qt_log_ignore("propagateSizeHints")]


def _fetch_all(qtbot: Any, model: PagedModel) -> None:
    """Scroll to the end: each fetchMore asks the lane for a page; no second request while one is in flight.

    (Qt's model tester itself calls fetchMore after a reset, so a page may already be on its way.)
    """
    while model.rowCount() < model.total:
        if not model.fetching:
            assert model.canFetchMore(QModelIndex())
            model.fetchMore(QModelIndex())
        assert model.fetching and not model.canFetchMore(QModelIndex())
        rows = model.rowCount()
        with qtbot.waitSignal(model.page_loaded, timeout=10_000):
            model.fetchMore(QModelIndex())          # ignored: the page asked for is still on its way
        assert model.rowCount() == min(rows + model.PAGE, model.total)
    qtbot.waitUntil(lambda: not model.fetching, timeout=10_000)
    assert not model.canFetchMore(QModelIndex())


def test_household_model_pages_sorts_and_filters(qtbot, gui, demo_store: Store, lane: DbLane, on_lane,
                                                 qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = HouseholdModel(demo_store, lane)
    model.PAGE = 25                      # several pages from 60 households
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.refresh()
    assert model.total == 60
    assert model.rowCount() in (25, 50)          # the first page came with the ids; more as asked for
    _fetch_all(qtbot, model)
    assert model.rowCount() == 60
    heads = [model.data(model.index(r, 2)) for r in range(60)]
    assert heads == sorted(heads, key=sort_key)       # pinyin order (蔡 cài before 丁 dīng), not code points
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.sort(3, Qt.SortOrder.DescendingOrder)   # members
    _fetch_all(qtbot, model)
    counts = [int(model.data(model.index(r, 3))) for r in range(model.rowCount())]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 2
    surname = heads[0][0]
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.set_filter(text=surname)
    assert 0 < model.total < 60
    _fetch_all(qtbot, model)
    for r in range(model.rowCount()):
        hid = model.data(model.index(r, 0), Qt.ItemDataRole.UserRole)
        names = on_lane(lambda hid=hid: [demo_store.get("household", hid)["head_name"]]
                        + [m["name"] for m in demo_store.children("member", hid)])
        assert any(surname in n for n in names)
    assert model.headerData(2, Qt.Orientation.Horizontal) == "户主"
    assert model.headerData(99, Qt.Orientation.Horizontal) is None


def test_a_page_of_an_old_query_is_dropped_when_the_filter_changes(
        qtbot, gui, demo_store: Store, lane: DbLane, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = HouseholdModel(demo_store, lane)
    model.PAGE = 10
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.refresh()
    model.fetchMore(QModelIndex())                      # a page of the unfiltered list is on its way …
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.set_filter(text="zzz-nobody")             # … and the list is re-queried before it lands
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)
    assert model.total == 0 and model.rowCount() == 0 and not model.fetching


def test_visit_model_filters_on_the_lane(qtbot, gui, demo_store: Store, lane: DbLane, on_lane,
                                         qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    total = on_lane(lambda: demo_store.count("visit") if browse.has_visits(demo_store) else 0)
    assert total > 0
    model = VisitModel(demo_store, lane)
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.refresh()
    assert model.total == total
    _fetch_all(qtbot, model)
    dates = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.set_filter(browse.VisitFilter(risk_level="high"))
    assert model.total < total
    assert all(model.data(model.index(r, 4)) == "高" for r in range(model.rowCount()))
    with qtbot.waitSignal(model.populated, timeout=10_000):
        model.set_filter(browse.VisitFilter(follow_up_due=True))
    for r in range(model.rowCount()):
        vid = model.row_id(r)
        row = on_lane(lambda vid=vid: demo_store.get("visit", vid))
        assert row["follow_up_needed"] == 1 and row["next_visit_date"] <= "2025-06-08"


def test_sync_problem_lists_pass_the_model_tester(qtbot, gui, tmp_path: Path, server: LiveServer, lane: DbLane,
                                                  on_lane, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    alice = make_laptop(tmp_path / "a", "甲")
    try:
        client.enroll(alice, server.url, server.code_for("alice"))
        household(alice, OTHER_VILLAGE, head="钱越界")        # refused by the server: a real refused change
        assert client.sync_once(alice).rejected >= 1
        load_vocab(alice)
        alice.refuse_thread(threading.get_ident())
        conflicts, refused = RowsModel(CONFLICT_COLUMNS), RowsModel(REFUSED_COLUMNS)
        qtmodeltester.check(conflicts)
        qtmodeltester.check(refused)
        rows = on_lane(lambda: problem_rows(alice, "zh"))
        conflicts.set_rows(rows[0])
        refused.set_rows(rows[1])
        assert conflicts.rowCount() == 0 and refused.rowCount() >= 1
        assert any("钱越界" in refused.index(r, 0).data() for r in range(refused.rowCount()))
        assert refused.headerData(9, Qt.Orientation.Horizontal) is None
        refused.set_rows([])
        assert refused.rowCount() == 0
    finally:
        qtbot.waitUntil(lambda: lane.pending == 0, timeout=10_000)
        alice.close()


def test_lane_reports_errors_and_skips_cancelled_jobs(qtbot, gui) -> None:  # type: ignore[no-untyped-def]
    lane = DbLane()
    seen: list[object] = []
    with qtbot.waitSignal(lane.busy_changed, timeout=5000, check_params_cb=lambda b: b is False):
        job = lane.submit("boom", lambda j: 1 / 0, seen.append, seen.append)
    assert isinstance(seen[0], ZeroDivisionError) and job.done
    gate = threading.Event()
    blocker = lane.submit("slow", lambda j: gate.wait(5))
    cancelled = lane.submit("never", lambda j: seen.append("ran"), seen.append)
    cancelled.cancel()
    gate.set()
    qtbot.waitUntil(lambda: blocker.done and cancelled.done, timeout=5000)
    assert "ran" not in seen and len(seen) == 1
    lane.stop()


def test_query_callbacks_are_dropped_when_the_widget_that_asked_is_gone(qtbot, gui, lane: DbLane) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QWidget

    owner = QWidget()
    got: list[object] = []
    gate = threading.Event()
    job = lane.query(lambda: gate.wait(5) and "late", got.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not __import__("shiboken6").isValid(owner), timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: job.done, timeout=5000)
    assert got == []
    kept: list[object] = []
    with qtbot.waitSignal(lane.busy_changed, timeout=5000, check_params_cb=lambda b: b is False):
        lane.query(lambda: threading.get_ident(), kept.append)
    assert kept and kept[0] != threading.get_ident()      # it ran on the lane's own thread
