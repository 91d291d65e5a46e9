"""GUI fixtures: the real QApplication (bundled font, Chinese translation), real stores."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.store.store import Store


@pytest.fixture(scope="session")
def qapp_cls():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    return QApplication


@pytest.fixture
def gui(qapp):  # type: ignore[no-untyped-def]
    """The app as users see it: bundled CJK font, Simplified Chinese; back to Chinese after each test."""
    from lehe_desktop.gui import i18n
    from lehe_desktop.gui.app import apply_font

    apply_font(qapp)
    lang = i18n.install("zh")
    yield qapp
    lang.set("zh")


@pytest.fixture
def demo_store(store: Store) -> Iterator[Store]:
    """The conftest store filled with 60 demo households (and whatever later types add)."""
    store.today = date(2025, 6, 1)
    make_demo(store, 60, seed=7, today=store.today)
    yield store


@pytest.fixture(autouse=True)
def gui_thread_guard(request: pytest.FixtureRequest) -> Iterator[None]:
    """As in the app after unlocking: the test's store refuses calls made on the GUI (test) thread.

    The store fixtures are set up first (demo data is written before the window exists), and
    the vocabulary snapshot is read as the session reads it right after unlocking. Test code
    reads and writes through the lane (``on_lane``), like the window.
    """
    from lehe_desktop.gui.vocab import load_vocab

    guarded: Store | None = None
    for name in ("demo_store", "store"):
        if name in request.fixturenames:
            guarded = request.getfixturevalue(name)
            break
    if guarded is not None:
        load_vocab(guarded)
        guarded.refuse_thread(threading.get_ident())
    yield
    if guarded is not None:
        guarded.refuse_thread(None)


@pytest.fixture
def on_lane(qtbot: Any, lane: Any) -> Callable[[Callable[[], Any]], Any]:
    """Run ``fn()`` on the database lane and wait for its answer (raised again here if it failed)."""

    def run(fn: Callable[[], Any]) -> Any:
        box: list[tuple[bool, Any]] = []
        lane.query(fn, lambda v: box.append((True, v)), lambda e: box.append((False, e)), name="test")
        qtbot.waitUntil(lambda: bool(box), timeout=30_000)
        ok, value = box[0]
        if not ok:
            raise value
        return value

    return run


@pytest.fixture
def lane() -> Iterator[Any]:
    """The app's database lane (one worker thread), stopped after the test."""
    from lehe_desktop.gui.worker import DbLane

    lane = DbLane()
    yield lane
    lane.stop()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Any]:
    """The real sync server on 127.0.0.1 (tests/sync/sync_harness.py), stopped after the test."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sync"))
    from sync_harness import LiveServer

    srv = LiveServer(tmp_path / "server").start()
    yield srv
    srv.stop()
