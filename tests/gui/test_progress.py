"""Slow work on the database lane: progress bar, 取消 Cancel, a responsive GUI, 立即同步 Sync now."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer

from lehe_desktop.core.ids import uuid7
from lehe_desktop.core.store.store import Store
from lehe_desktop.core.sync import client
from lehe_desktop.gui.main_window import MainWindow
from lehe_desktop.gui.worker import DbLane, Job

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))

from sync_harness import VILLAGE, LiveServer, household, make_laptop


def _window(qtbot, store: Store, lane: DbLane) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow(store, lane)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_long_job_shows_progress_and_cancel_stops_it(qtbot, gui, store: Store, lane: DbLane, on_lane) -> None:
    on_lane(lambda: household(store))
    w = _window(qtbot, store, lane)
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=5000)
    assert w.progress.isHidden() and w.cancel_button.isHidden()
    steps: list[int] = []
    total = 3000
    shown = threading.Event()   # the window has taken the job on: its reports reach the bar
    hold = threading.Event()    # the job stops at step 10 until the test has watched the window

    def slow(job: Job) -> int:
        shown.wait(timeout=30)
        for i in range(total):
            if job.cancelled:
                break
            store.unsent_count()            # real store work on the lane thread
            steps.append(i)
            job.report(i, total)
            if i == 10:
                hold.wait(timeout=30)
        return len(steps)

    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(20)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start()
    ended: list[bool] = []
    finished: list[object] = []
    job = lane.submit("slow", slow, finished.append, cancellable=True)
    job.ended.connect(lambda: ended.append(True))
    qtbot.waitUntil(lambda: w.progress.isVisible() and w.cancel_button.isVisible(), timeout=5000)
    shown.set()
    qtbot.waitUntil(lambda: w.progress.maximum() == total and w.progress.value() > 0, timeout=5000)
    assert w.cancel_button.text() == "取消"
    # The GUI thread keeps running while the lane works: the heartbeat goes on ticking.
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) - before >= 5, timeout=5000)
    assert not ended
    qtbot.mouseClick(w.cancel_button, Qt.MouseButton.LeftButton)
    assert job.cancelled and not w.cancel_button.isEnabled()
    hold.set()
    qtbot.waitUntil(lambda: bool(ended), timeout=5000)
    qtbot.waitUntil(lambda: w.progress.isHidden() and w.cancel_button.isHidden(), timeout=5000)
    heartbeat.stop()
    assert len(steps) < total          # stopped early, not run to the end
    assert finished == []              # a cancelled job's result is dropped
    assert lane.pending == 0 and lane.current is None
    assert w.busy.text() == ""


def test_job_without_total_is_busy_and_plain_jobs_have_no_cancel(qtbot, gui, store: Store, lane: DbLane, on_lane) -> None:
    w = _window(qtbot, store, lane)
    qtbot.waitUntil(lambda: lane.pending == 0, timeout=5000)
    done: list[object] = []
    release = threading.Event()
    lane.submit("wait", lambda job: release.wait(timeout=30) and "ok", done.append)
    qtbot.waitUntil(w.progress.isVisible, timeout=5000)
    assert w.progress.minimum() == 0 and w.progress.maximum() == 0   # indeterminate: no total known
    assert w.cancel_button.isHidden()     # this job does not check for cancel; it must not lose its result
    release.set()
    qtbot.waitUntil(lambda: done == ["ok"], timeout=5000)
    qtbot.waitUntil(w.progress.isHidden, timeout=5000)


def test_sync_now_sends_changes_to_the_real_server(qtbot, gui, store: Store, lane: DbLane, tmp_path: Path, on_lane) -> None:
    srv = LiveServer(tmp_path / "server").start()
    try:
        for head in ("王大山", "李秀英", "张德福"):
            on_lane(lambda head=head: household(store, VILLAGE, head))
        unsent = on_lane(store.unsent_count)
        assert unsent > 0
        w = _window(qtbot, store, lane)
        assert not w.sync_action.isEnabled()           # not enrolled yet
        assert w.sync_action.text() == "立即同步"
        on_lane(lambda: client.enroll(store, srv.url, srv.code_for("张晓梅")))
        with qtbot.waitSignal(w.status_refreshed, timeout=5000):
            w.refresh_status()
        assert w.sync_action.isEnabled()
        qtbot.waitUntil(lambda: lane.pending == 0, timeout=5000)
        w.sync_action.trigger()
        job = w.sync_job
        assert job is not None and not w.sync_action.isEnabled()
        results: list[client.SyncResult] = []
        job.finished.connect(results.append)
        qtbot.waitUntil(lambda: w.sync_job is None, timeout=30_000)
        assert len(results) == 1 and results[0].pushed == unsent and results[0].rejected == 0
        assert on_lane(store.unsent_count) == 0
        qtbot.waitUntil(lambda: "0 条修改尚未上传" in w.unsent.text(), timeout=5000)
        assert w.statusBar().currentMessage().startswith(f"同步完成：上传 {unsent} 条")
        # The bar hides when the lane is idle, which may be a moment after the sync job's end.
        qtbot.waitUntil(lambda: w.sync_action.isEnabled() and w.progress.isHidden(), timeout=5000)
    finally:
        srv.stop()


def test_sync_error_is_shown_in_words(qtbot, gui, store: Store, lane: DbLane, tmp_path: Path, on_lane) -> None:
    srv = LiveServer(tmp_path / "server").start()
    on_lane(lambda: client.enroll(store, srv.url, srv.code_for("张晓梅")))
    srv.stop()                                           # the server is gone: a network error, no traceback
    on_lane(lambda: household(store, VILLAGE))
    w = _window(qtbot, store, lane)
    qtbot.waitUntil(lambda: lane.pending == 0 and w.sync_action.isEnabled(), timeout=5000)
    w.sync_action.trigger()
    qtbot.waitUntil(lambda: w.sync_job is None, timeout=30_000)
    assert w.sync_box is not None and "无法连接服务器" in w.sync_box.text()
    assert w.statusBar().currentMessage().startswith("同步失败：无法连接服务器")
    assert on_lane(store.unsent_count) > 0 and w.sync_action.isEnabled()
    w.sync_box.close()


def test_a_search_during_a_long_pull_waits_for_one_page_not_the_whole_sync(
        qtbot, gui, store: Store, lane: DbLane, tmp_path: Path, on_lane) -> None:  # type: ignore[no-untyped-def]
    srv = LiveServer(tmp_path / "server").start()
    try:
        other = make_laptop(tmp_path / "other")
        client.enroll(other, srv.url, srv.code_for("李秀英"))
        aid = other.ensure_area(VILLAGE)
        other.bulk_create("household", ({"id": uuid7(), "area_id": aid, "group_name": "1组", "head_name": "王大山",
                                          "address": f"{i}号"} for i in range(7000)), validated=True)
        client.sync_once(other)
        other.close()
        on_lane(lambda: client.enroll(store, srv.url, srv.code_for("张晓梅")))
        w = _window(qtbot, store, lane)
        with qtbot.waitSignal(w.status_refreshed, timeout=5000):
            w.refresh_status()
        qtbot.waitUntil(lambda: lane.pending == 0, timeout=5000)
        w.sync_action.trigger()
        assert w.sync_job is not None
        seen: list[tuple[int, bool]] = []
        lane.query(lambda: store.count("household"),
                   lambda n: seen.append((n, w.sync_job is not None)), owner=w, name="search")
        qtbot.waitUntil(lambda: w.sync_job is None, timeout=60_000)
        assert len(seen) == 1
        households, sync_still_running = seen[0]
        # It ran between two pages: part of the pull was in, and the sync had not ended.
        assert sync_still_running and 0 < households < 7000
        assert on_lane(lambda: store.count("household")) == 7000
    finally:
        srv.stop()
