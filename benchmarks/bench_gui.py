"""GUI benchmark on a 100,000-visit database: start-up, visit-list filtering, GUI-thread stalls.

    .venv/bin/python benchmarks/bench_gui.py [--data-dir DIR] [--visits 100000] [--runs 3]

The database is built once with ``lehe-desktop init`` + ``demo`` (about 2.4 visits per
household) and reused from DIR on later runs. Prints readable figures, then one final JSON line:

  "start_s"   process start → main window shown with its first view (home) populated, median
              of --runs fresh processes (target ≤ 1.5); includes Python start-up and unlock, from
              compiled bytecode as an installed app (written first if the shell forbids it)
  "filter_ms" visits list: median time from a filter change to the first page shown (≤ 100)
  "activities_filter_ms"
              the same for the activities list over --activities (100,000) activities in their own
              database (built once beside DIR): category, village, dates, series, text (≤ 100);
              ``--only-activities`` measures just this
  "stall_ms"  longest gap of a 5 ms QTimer heartbeat on the GUI thread, minus 5 ms, while filtering
              and scrolling the visits list to the end repeatedly (≤ 100)
  "stall_during_pull_ms"
              the same heartbeat gap while 文件 → 立即同步 pulls --pull-changes (100,000) changes from
              the real server (a `lehe-server serve` process on 127.0.0.1) into a fresh laptop on the
              database lane, and the user meanwhile types searches, saves a household form and opens
              another one, all queued behind the pull (≤ 100). Also reported: "pull_s" and
              "save_wait_ms" (Save clicked → dialog closed; the save waits for the pull to finish).
  "matters_filter_ms"
              事项 matters list on a database of --matters (100,000) matters: median time from a filter
              change (class, status, overdue, village, text, responsible person) to the first page
              shown (≤ 100); "matters_filter_max_ms" the slowest; "matters_filter_process_cpu_ms" the
              CPU time both threads spent per filter (the wall time less any wait for a busy CPU) and
              "matters_filter_cpu_ms" the core's share alone. `--only-matters` runs just this.

The window runs as in the app: the store refuses calls from the GUI thread (``refuse_thread``),
so everything measured here goes through the lane.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PASSPHRASE = "bench passphrase 42"
ROOT = Path(__file__).resolve().parent.parent


def cli(data_dir: Path, *args: str) -> str:
    env = {**os.environ, "LEHE_PASSPHRASE": PASSPHRASE}
    done = subprocess.run([sys.executable, "-m", "lehe_desktop", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode:
        raise SystemExit(f"lehe-desktop {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def ensure_database(data_dir: Path, visits: int) -> int:
    if not (data_dir / "lehe.db").exists():
        print(f"building the database in {data_dir} (once; a few minutes)…", flush=True)
        cli(data_dir, "init", "--name", "基准测试")
        cli(data_dir, "demo", "--households", str(math.ceil(visits / 2.4)))
    stats = json.loads(cli(data_dir, "stats", "--json"))
    return int(stats.get("visits", 0))


# ---------------------------------------------------------------- child: one start-up

def child_start(data_dir: str, view: str) -> None:
    t0 = float(os.environ["LEHE_BENCH_T0"])
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from lehe_desktop.core.paths import DataPaths
    from lehe_desktop.core.store import vault
    from lehe_desktop.gui import heap, i18n
    from lehe_desktop.gui.app import make_app
    from lehe_desktop.gui.main_window import MainWindow
    from lehe_desktop.gui.vocab import load_vocab
    from lehe_desktop.gui.worker import DbLane

    app = make_app()
    i18n.install("zh")
    root = Path(data_dir)
    t_unlock = time.time()
    store = vault.unlock(DataPaths(root, root / "logs"), PASSPHRASE)
    unlock_s = time.time() - t_unlock
    load_vocab(store)                              # as the unlock job does on the lane
    store.refuse_thread(threading.get_ident())     # as Session.open does
    lane = DbLane()
    window = MainWindow(store, lane)
    window.show_view(view)
    window.show()
    heap.settle()                                  # as Session.open does once the window shows

    def check() -> None:
        if lane.pending == 0 and window.isVisible():
            elapsed = time.time() - t0
            print(json.dumps({"start_s": elapsed, "unlock_s": unlock_s}), flush=True)
            QApplication.quit()

    timer = QTimer()
    timer.timeout.connect(check)
    timer.start(2)
    app.exec()
    lane.stop()
    store.close()


def start_env() -> dict[str, str]:
    """The start-up child's environment. An installed app (pip, or the PyInstaller build) starts
    from compiled bytecode; a shell with PYTHONDONTWRITEBYTECODE set would make every start compile
    all of the app's modules again (~0.3 s), so the bytecode is written once here and used."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "lehe_desktop")], env=env,
                   stdout=subprocess.DEVNULL, check=False)
    return env


def measure_start(data_dir: Path, view: str, env: dict[str, str] | None = None) -> dict[str, float]:
    env = {**(env or os.environ), "LEHE_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen",
           "LEHE_BENCH_T0": repr(time.time())}
    done = subprocess.run([sys.executable, __file__, "--child-start", str(data_dir), view],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if done.returncode or not lines:
        raise SystemExit(f"start-up child failed: {done.stderr}")
    return json.loads(lines[-1])


# ---------------------------------------------------------------- in-process: filter and stalls

def measure_filtering(data_dir: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from lehe_desktop.core import browse
    from lehe_desktop.core.paths import DataPaths
    from lehe_desktop.core.store import vault
    from lehe_desktop.gui.visits import VisitsPage

    store = vault.unlock(DataPaths(data_dir, data_dir / "logs"), PASSPHRASE)
    village = browse.villages(store)[0]["id"]      # before the guard: the bench's own set-up
    _app, lane, window = open_window(store)
    page: VisitsPage = window.pages["visits"]  # type: ignore[assignment]

    def wait_populated(action: object) -> float:
        loop = QEventLoop()
        page.model.populated.connect(loop.quit)
        clock = QElapsedTimer()
        clock.start()
        action()  # type: ignore[operator]
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        page.model.populated.disconnect(loop.quit)
        return float(clock.nsecsElapsed()) / 1e6

    load_ms = wait_populated(lambda: window.show_view("visits"))
    print(f"visits view first load (index read): {load_ms:.0f} ms, {page.model.total} visits", flush=True)

    heart = Heartbeat()
    heart.start()

    filters = [
        ("risk high", lambda: (page.risk.set_code("high"), page.apply_filter())),
        ("type routine", lambda: (page.risk.set_code(None), page.vtype.set_code("routine"), page.apply_filter())),
        ("village", lambda: (page.vtype.set_code(None), page.village.set_code(village), page.apply_filter())),
        ("date range", lambda: (page.village.set_code(None), page.date_from.setText("2026-09-01"),
                                page.date_to.setText("2026-10-31"), page.apply_filter())),
        ("follow-up due", lambda: (page.date_from.setText(""), page.date_to.setText(""), page.due.setChecked(True))),
        ("text 王", lambda: (page.due.blockSignals(True), page.due.setChecked(False), page.due.blockSignals(False),
                            page.text.setText("王"), page.apply_filter())),
        ("text 王德", lambda: (page.text.setText("王德"), page.apply_filter())),
        ("clear", lambda: (page.text.setText(""), page.apply_filter())),
    ]
    latencies: dict[str, float] = {}
    for rnd in range(3):
        for name, action in filters:
            ms = wait_populated(action)
            latencies[name] = min(ms, latencies.get(name, ms)) if rnd else ms
            latencies[name] = ms if rnd == 0 else statistics.median([latencies[name], ms])
    for name, ms in latencies.items():
        print(f"  filter {name:<14} {ms:6.1f} ms", flush=True)

    # Scroll to the end of the unfiltered list repeatedly: each step asks the lane for 200 more
    # rows (inserted when they arrive), until 60 pages are shown.
    table = page.table
    loop = QEventLoop()
    scrolls = 0
    wanted = min(page.model.total, 60 * page.model.PAGE)
    scroll_deadline = time.monotonic() + 60

    def scroll() -> None:
        nonlocal scrolls
        table.scrollToBottom()
        scrolls += 1
        if page.model.rowCount() >= wanted or time.monotonic() > scroll_deadline:
            loop.quit()

    stepper = QTimer()
    stepper.timeout.connect(scroll)
    stepper.start(15)
    loop.exec()
    stepper.stop()
    heart.stop()
    print(f"scrolled: {page.model.rowCount()} rows fetched in {scrolls} steps", flush=True)
    stall = heart.stall_ms()
    lane.stop()
    store.close()
    values = list(latencies.values())
    return {"filter_ms": statistics.median(values), "filter_max_ms": max(values), "stall_ms": max(0.0, stall),
            "visits_first_load_ms": load_ms}


# ---------------------------------------------------------------- in-process: the activities list

ACTIVITY_TITLES = [("classics", "国学课堂：《弟子规》诵读", "乐和讲堂"), ("solar_term", "节气活动：冬至包饺子", None),
                   ("festival", "重阳敬老宴", None), ("wellness_exercise", "乐和操晨练", "乐和操"),
                   ("health_talk", "健康讲座与义诊", None), ("song_dance", "坝坝舞与乐和歌谣", "坝坝舞"),
                   ("habitat_cleanup", "河道垃圾清理", None), ("children_program", "四点半课堂", "四点半课堂")]


def ensure_activities(data_dir: Path, n: int) -> int:
    """A database of ``n`` activities in 30 villages over four years (built once, then reused)."""
    from datetime import date, timedelta

    from lehe_desktop.core.ids import uuid7
    from lehe_desktop.core.paths import DataPaths
    from lehe_desktop.core.store import vault

    paths = DataPaths(data_dir, data_dir / "logs")
    if not (data_dir / "lehe.db").exists():
        print(f"building {n} activities in {data_dir} (once)…", flush=True)
        made = time.perf_counter()
        store, _ = vault.setup(paths, PASSPHRASE, worker_name="基准测试")
        areas = [store.ensure_area(f"重庆市/巫溪县/白鹿镇/村{i:02d}") for i in range(30)]
        start = date(2023, 1, 1)

        def rows() -> Any:
            for i in range(n):
                category, title, series = ACTIVITY_TITLES[i % len(ACTIVITY_TITLES)]
                men, women = i % 17, i % 13
                yield {"id": uuid7(), "title": title, "category": category, "series": series,
                       "session_no": i // len(ACTIVITY_TITLES) % 50 + 1 if series else None,
                       "activity_date": (start + timedelta(days=i * 1461 // n)).isoformat(),
                       "area_id": areas[i % len(areas)], "venue": "乐和大院", "actual_count": men + women,
                       "male": men, "female": women}

        store.bulk_create("activity", rows(), validated=True)
        store.close()
        print(f"  built in {time.perf_counter() - made:.0f} s", flush=True)
    store = vault.unlock(paths, PASSPHRASE)
    try:
        return store.count("activity")
    finally:
        store.close()


def measure_activities(data_dir: Path) -> dict[str, float]:
    """The activities list of 100,000 records: each filter change → first page shown (≤ 100 ms)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from lehe_desktop.core import community
    from lehe_desktop.core.paths import DataPaths
    from lehe_desktop.core.store import vault
    from lehe_desktop.gui.activities import ActivitiesPage

    store = vault.unlock(DataPaths(data_dir, data_dir / "logs"), PASSPHRASE)
    village = community.activity_areas(store)[3]["id"]       # before the guard: the bench's own set-up
    _app, lane, window = open_window(store)
    page: ActivitiesPage = window.pages["activities"]  # type: ignore[assignment]

    def wait_populated(action: Any) -> float:
        loop = QEventLoop()
        page.model.populated.connect(loop.quit)
        clock = QElapsedTimer()
        clock.start()
        action()
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        page.model.populated.disconnect(loop.quit)
        return float(clock.nsecsElapsed()) / 1e6

    load_ms = wait_populated(lambda: window.show_view("activities"))
    print(f"activities view first load: {load_ms:.0f} ms, {page.model.total} activities", flush=True)
    heart = Heartbeat()
    heart.start()
    filters = [
        ("category", lambda: (page.category.set_code("festival"), page.apply_filter())),
        ("village", lambda: (page.category.set_code(None), page.village.set_code(village), page.apply_filter())),
        ("date range", lambda: (page.village.set_code(None), page.date_from.setText("2025-03-01"),
                                page.date_to.setText("2025-04-30"), page.apply_filter())),
        ("series", lambda: (page.date_from.setText(""), page.date_to.setText(""), page.series.set_code("乐和讲堂"),
                            page.apply_filter())),
        ("village+category", lambda: (page.series.set_code(None), page.village.set_code(village),
                                      page.category.set_code("classics"), page.apply_filter())),
        ("text 敬老", lambda: (page.village.set_code(None), page.category.set_code(None), page.text.setText("敬老"),
                             page.apply_filter())),
        ("clear", lambda: (page.text.setText(""), page.apply_filter())),
    ]
    runs: dict[str, list[float]] = {name: [] for name, _ in filters}
    for _ in range(3):
        for name, action in filters:
            runs[name].append(wait_populated(action))
    heart.stop()
    latencies = {name: statistics.median(ms) for name, ms in runs.items()}
    for name, ms in latencies.items():
        print(f"  activities filter {name:<17} {ms:6.1f} ms", flush=True)
    stall = heart.stall_ms()
    window.detach()
    window.close()
    lane.stop()
    store.refuse_thread(None)
    store.close()
    values = list(latencies.values())
    return {"activities_filter_ms": statistics.median(values), "activities_filter_max_ms": max(values),
            "activities_stall_ms": max(0.0, stall), "activities_first_load_ms": load_ms}


# ---------------------------------------------------------------- in-process: the matters list

MATTER_TEXTS = ("通组公路塌方，需要修复", "饮水管道破裂，全组停水", "村口路灯损坏", "低保申请材料不齐，需要帮助",
                "邻里因排水沟问题有矛盾", "孩子作业无人辅导", "危房需要鉴定", "垃圾清运不及时")


def ensure_matters_database(data_dir: Path, n: int) -> int:
    """A database with ``n`` matters (written with the store's bulk path), built once."""
    if not (data_dir / "lehe.db").exists():
        import random
        from datetime import date, timedelta

        from lehe_desktop.core.paths import DataPaths
        from lehe_desktop.core.store import vault

        print(f"building the matters database in {data_dir} (once)…", flush=True)
        cli(data_dir, "init", "--name", "基准测试")
        cli(data_dir, "demo", "--households", "300")
        store = vault.unlock(DataPaths(data_dir, data_dir / "logs"), PASSPHRASE)
        try:
            rng = random.Random(5)
            areas = [r[0] for r in store.query("SELECT DISTINCT area_id FROM households WHERE deleted = 0")]
            bodies = {"major": ["government"], "minor": ["village_committees", "mutual_aid", "villager_group"],
                      "private": ["person", "family", "market"]}
            today = date(2026, 12, 1)

            def rows() -> Any:
                for _ in range(n):
                    raised = today - timedelta(days=rng.randint(0, 720))
                    sanshi = rng.choice(("major", "minor", "minor", "private"))
                    status = rng.choice(("registered", "routed", "in_progress", "in_progress", "resolved",
                                         "resolved", "resolved", "withdrawn"))
                    closed = status in ("resolved", "withdrawn")
                    yield {"raised_on": raised.isoformat(), "channel": rng.choice(("walk_in", "phone", "home_visit")),
                           "topic_category": "infrastructure", "description": rng.choice(MATTER_TEXTS),
                           "sanshi_class": sanshi, "area_id": rng.choice(areas), "status": status,
                           "responsible_body": rng.choice(bodies[sanshi]),
                           "responsible_person": rng.choice("王李张刘陈杨赵黄") + rng.choice("强伟芳娜敏静"),
                           "due_date": (raised + timedelta(days=rng.choice((7, 15, 30, 60)))).isoformat(),
                           "closed_on": (raised + timedelta(days=5)).isoformat() if closed else None,
                           "outcome": "已办结" if status == "resolved" else None}

            store.bulk_create("matter", rows())
        finally:
            store.close()
    return int(json.loads(cli(data_dir, "stats", "--json")).get("matters", 0))


def measure_matters(data_dir: Path) -> dict[str, float]:
    """Filter the 事项 list of the main window (through the lane, as in the app)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from lehe_desktop.core import tracking
    from lehe_desktop.core.paths import DataPaths
    from lehe_desktop.core.store import vault
    from lehe_desktop.gui.matters import MattersPage

    store = vault.unlock(DataPaths(data_dir, data_dir / "logs"), PASSPHRASE)
    village = tracking.matter_areas(store)[0]["id"]
    # The core's share, before the window: CPU time of the filter and the first page on this
    # thread (what a filter costs whatever else the machine is doing).
    index = tracking.MatterIndex.load(store)
    cpu: list[float] = []
    for flt in (tracking.MatterFilter(open_only=True, sanshi_class="major"), tracking.MatterFilter(status="routed"),
                tracking.MatterFilter(), tracking.MatterFilter(overdue_only=True), tracking.MatterFilter(area_id=village),
                tracking.MatterFilter(text="公路"), tracking.MatterFilter(text="王强")):
        t0 = time.thread_time()
        tracking.matter_rows(store, index.ids(store, flt)[:200])
        cpu.append((time.thread_time() - t0) * 1000)
    print("matters filter CPU time (core, no GUI): " + ", ".join(f"{v:.0f}" for v in cpu) + " ms", flush=True)
    _app, lane, window = open_window(store)
    page: MattersPage = window.pages["matters"]  # type: ignore[assignment]
    process_cpu: list[float] = []

    def wait_populated(action: Any) -> float:
        loop = QEventLoop()
        page.model.populated.connect(loop.quit)
        clock = QElapsedTimer()
        clock.start()
        p0 = time.process_time()
        action()
        QTimer.singleShot(30_000, loop.quit)
        loop.exec()
        page.model.populated.disconnect(loop.quit)
        process_cpu.append((time.process_time() - p0) * 1000)   # both threads: what it costs when not waiting
        return float(clock.nsecsElapsed()) / 1e6

    load_ms = wait_populated(lambda: window.show_view("matters"))
    print(f"matters view first load (index read): {load_ms:.0f} ms, {page.model.total} open matters", flush=True)
    filters = [
        ("class major", lambda: (page.sanshi.set_code("major"), page.apply_filter())),
        ("status", lambda: (page.sanshi.set_code(None), page.status.set_code("in_progress"), page.apply_filter())),
        ("all statuses", lambda: (page.status.set_code(None), page.open_only.setChecked(False))),
        ("overdue", lambda: page.overdue.setChecked(True)),
        ("village", lambda: (page.overdue.setChecked(False), page.village.set_code(village), page.apply_filter())),
        ("text 公路", lambda: (page.village.set_code(None), page.text.setText("公路"), page.apply_filter())),
        ("person 王强", lambda: (page.text.setText("王强"), page.apply_filter())),
        ("clear", lambda: (page.text.setText(""), page.open_only.setChecked(True))),
    ]
    latencies: dict[str, list[float]] = {}
    for _rnd in range(3):
        for name, action in filters:
            latencies.setdefault(name, []).append(wait_populated(action))
    medians = {name: statistics.median(v) for name, v in latencies.items()}
    for name, ms in medians.items():
        print(f"  matters filter {name:<14} {ms:6.1f} ms", flush=True)
    lane.stop()
    store.close()
    return {"matters_filter_ms": statistics.median(medians.values()), "matters_filter_max_ms": max(medians.values()),
            "matters_filter_cpu_ms": statistics.median(cpu),
            "matters_filter_process_cpu_ms": statistics.median(process_cpu[1:]), "matters_first_load_ms": load_ms}


# ---------------------------------------------------------------- in-process: a big pull on the lane

def open_window(store: Any) -> tuple[Any, Any, Any]:
    """The main window as the app opens it (Chinese, vocabularies read, the GUI-thread guard on):
    (the application, the database lane, the window)."""
    from lehe_desktop.gui import heap, i18n
    from lehe_desktop.gui.app import make_app
    from lehe_desktop.gui.main_window import MainWindow
    from lehe_desktop.gui.vocab import load_vocab
    from lehe_desktop.gui.worker import DbLane

    app = make_app()
    i18n.install("zh")
    load_vocab(store)
    store.refuse_thread(threading.get_ident())
    lane = DbLane()
    window = MainWindow(store, lane)
    window.resize(1366, 768)
    window.show()
    heap.settle()                        # as Session.open does once the window shows
    return app, lane, window


class Heartbeat:
    """A 5 ms QTimer on the GUI thread: the longest gap between its ticks, less 5 ms, is the
    longest time the GUI thread was busy (a stall the user would feel)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer, QTimer

        self.gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        self.gaps.append(float(self._clock.nsecsElapsed()) / 1e6)
        self._clock.restart()

    def start(self) -> None:
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def stall_ms(self) -> float:
        return max(self.gaps[1:]) - 5.0 if len(self.gaps) > 1 else 0.0


def _wait(cond: Any, timeout_s: float = 120.0) -> None:
    """Run the event loop (sleeping when idle, as app.exec() does) until ``cond()`` holds."""
    from PySide6.QtCore import QEventLoop, QTimer

    if cond():
        return
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s

    def check() -> None:
        if cond() or time.monotonic() > deadline:
            loop.quit()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()
    if not cond():
        raise SystemExit("bench: timed out waiting for the window")


def measure_pull_stall(n: int) -> dict[str, float]:
    """A fresh laptop's window pulls ``n`` changes from the real server; the GUI thread's longest stall."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from loopback_server import served
    from PySide6.QtCore import QEventLoop, QTimer

    from lehe_desktop.core.ids import uuid7
    from lehe_desktop.core.paths import DataPaths
    from lehe_desktop.core.store import vault
    from lehe_desktop.core.sync import client
    from lehe_desktop.gui.dialogs import HouseholdDialog
    from lehe_desktop.gui.forms import ChoiceBox
    from lehe_desktop.gui.households import HouseholdsPage
    from lehe_desktop.gui.worker import DbLane

    village = "重庆市/巫溪县/白鹿镇/乐和村"
    with served("lehe-bench-gui-pull-", village, quiet=True) as srv:
        root, url = srv.root, srv.url
        code_a, code_b = srv.codes
        lane: DbLane | None = None
        try:
            # Another laptop sends n changes to the server (the bench's set-up, not measured).
            made = time.perf_counter()
            a, _ = vault.setup(DataPaths(root / "a", root / "a" / "logs"), "bench pass 123", worker_name="甲")
            client.enroll(a, url, code_a)
            aid = a.ensure_area(village)
            rows = ({"id": uuid7(), "area_id": aid, "group_name": f"{i % 9 + 1}组", "head_name": "王大山",
                     "address": f"{i}号"} for i in range(n - a.unsent_count()))
            a.bulk_create("household", rows, validated=True)
            client.sync_once(a)
            a.close()
            print(f"pull set-up: {n} changes on the server in {time.perf_counter() - made:.1f} s", flush=True)

            # This laptop: enrolled, one village, nothing pulled yet; the window as the app shows it.
            b, _ = vault.setup(DataPaths(root / "b", root / "b" / "logs"), "bench pass 123", worker_name="乙")
            client.enroll(b, url, code_b)
            b.ensure_area(village)
            app, lane, window = open_window(b)
            window.show_view("households")
            page: HouseholdsPage = window.pages["households"]  # type: ignore[assignment]
            _wait(lambda: lane.pending == 0 and window.enrolled)

            def open_form() -> HouseholdDialog:
                before = getattr(page, "open_dialog", None)
                page.new_household()
                _wait(lambda: getattr(page, "open_dialog", None) not in (before, None))
                return page.open_dialog  # type: ignore[attr-defined,no-any-return]

            dlg = open_form()                           # filled in before the sync starts …
            box = dlg.form.rows["area_id"].editor
            assert isinstance(box, ChoiceBox)
            box.set_code(box.choices[0][0])
            dlg.form.rows["group_name"].editor.setText("1组")
            dlg.form.rows["head_name"].editor.setText("李秀英")

            heart = Heartbeat()
            marks: dict[str, float] = {}
            dlg.accepted.connect(lambda: marks.setdefault("saved", time.perf_counter()))
            words = ["王", "王大", "王大山", "李", "李秀", "1组"]
            steps = [0]

            def user() -> None:                          # … and used while the pull runs on the lane
                i = steps[0]
                steps[0] += 1
                if i < len(words):
                    window.search.setText(words[i])
                    window.run_search()
                if i == 2:
                    marks["save_clicked"] = time.perf_counter()
                    dlg.save()
                if i == 4:
                    page.new_household()                 # its starting data queues behind the pull too

            actor = QTimer()
            actor.setInterval(150)
            actor.timeout.connect(user)
            heart.start()
            started = time.perf_counter()
            window.sync_now()
            actor.start()
            _wait(lambda: window.sync_job is None, timeout_s=600)
            pull_s = time.perf_counter() - started
            _wait(lambda: lane.pending == 0 and "saved" in marks and steps[0] > 5, timeout_s=120)
            actor.stop()
            heart.stop()
            result = window.sync_result
            if result is None or result.pulled < n:
                raise SystemExit(f"bench: the pull did not complete: {result}")
            stall = heart.stall_ms()
            save_wait = (marks["saved"] - marks["save_clicked"]) * 1000
            print(f"pull of {result.pulled} changes in the window: {pull_s:.1f} s; save waited {save_wait:.0f} ms; "
                  f"longest GUI-thread stall {stall:.1f} ms over {len(heart.gaps)} heartbeats", flush=True)
            window.detach()
            window.close()
            for w in app.topLevelWidgets():
                w.close()
            lane.stop()
            lane = None
            QEventLoop().processEvents()
            b.refuse_thread(None)
            b.close()
            return {"stall_during_pull_ms": max(0.0, stall), "pull_s": pull_s, "save_wait_ms": save_wait,
                    "pulled": float(result.pulled)}
        finally:
            if lane is not None:
                lane.stop()


def main() -> int:
    if len(sys.argv) >= 2 and sys.argv[1] == "--child-start":
        child_start(sys.argv[2], sys.argv[3])
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "lehe-bench-gui-100k")
    ap.add_argument("--visits", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pull-changes", type=int, default=100_000)
    ap.add_argument("--only-pull", action="store_true", help="measure only stall_during_pull_ms")
    ap.add_argument("--activities", type=int, default=100_000)
    ap.add_argument("--only-activities", action="store_true", help="measure only the activities list")
    ap.add_argument("--matters", type=int, default=100_000)
    ap.add_argument("--matters-dir", type=Path, default=Path(tempfile.gettempdir()) / "lehe-bench-gui-matters")
    ap.add_argument("--only-matters", action="store_true", help="measure only the matters list")
    args = ap.parse_args()
    if args.only_matters:
        n = ensure_matters_database(args.matters_dir, args.matters)
        print(f"database: {args.matters_dir} ({n} matters)", flush=True)
        m = measure_matters(args.matters_dir)
        print(json.dumps({k: round(v, 1) for k, v in m.items()} | {"matters": n}), flush=True)
        os._exit(0)
    activities_dir = args.data_dir.with_name(args.data_dir.name + f"-activities-{args.activities}")
    if args.only_activities:
        n = ensure_activities(activities_dir, args.activities)
        acts = measure_activities(activities_dir)
        print(json.dumps({k: round(v, 1) for k, v in acts.items()} | {"activities": n}), flush=True)
        os._exit(0)
    if args.only_pull:
        pull = measure_pull_stall(args.pull_changes)
        print(json.dumps({"stall_during_pull_ms": round(pull["stall_during_pull_ms"], 1),
                          "pull_s": round(pull["pull_s"], 2), "save_wait_ms": round(pull["save_wait_ms"])}),
              flush=True)
        os._exit(0)
    visits = ensure_database(args.data_dir, args.visits)
    print(f"database: {args.data_dir} ({visits} visits)", flush=True)
    child_env = start_env()
    starts = [measure_start(args.data_dir, "home", child_env) for _ in range(args.runs)]
    start_visits = [measure_start(args.data_dir, "visits", child_env) for _ in range(args.runs)]
    for label, runs in (("home", starts), ("visits", start_visits)):
        print(f"start-up to {label} populated: " + ", ".join(f"{r['start_s']:.2f} s" for r in runs)
              + f" (of which unlock: {statistics.median(r['unlock_s'] for r in runs):.2f} s)", flush=True)
    filtering = measure_filtering(args.data_dir)
    n_activities = ensure_activities(activities_dir, args.activities)
    acts = measure_activities(activities_dir)
    pull = measure_pull_stall(args.pull_changes)
    n_matters = ensure_matters_database(args.matters_dir, args.matters)
    matters = measure_matters(args.matters_dir)
    result = {
        "start_s": round(statistics.median(r["start_s"] for r in starts), 3),
        "start_visits_s": round(statistics.median(r["start_s"] for r in start_visits), 3),
        "unlock_s": round(statistics.median(r["unlock_s"] for r in starts), 3),
        "filter_ms": round(filtering["filter_ms"], 1),
        "filter_max_ms": round(filtering["filter_max_ms"], 1),
        "stall_ms": round(filtering["stall_ms"], 1),
        "activities_filter_ms": round(acts["activities_filter_ms"], 1),
        "activities_filter_max_ms": round(acts["activities_filter_max_ms"], 1),
        "activities": n_activities,
        "stall_during_pull_ms": round(pull["stall_during_pull_ms"], 1),
        "pull_s": round(pull["pull_s"], 2),
        "save_wait_ms": round(pull["save_wait_ms"]),
        "matters_filter_ms": round(matters["matters_filter_ms"], 1),
        "matters_filter_max_ms": round(matters["matters_filter_max_ms"], 1),
        "visits": visits,
        "matters": n_matters,
    }
    print(json.dumps(result), flush=True)
    # Skip interpreter teardown: PySide6 can crash while garbage-collecting Qt objects at exit,
    # after the figures are out (a shiboken finalisation issue, not the app's).
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
