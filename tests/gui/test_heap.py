"""gui/heap.py: start-up's objects frozen out of full collections, and nothing kept for good."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.gui import heap
from lehe_desktop.gui.app import Session
from lehe_desktop.gui.vocab import load_vocab


class Node:
    def __init__(self) -> None:
        self.me = self          # a reference cycle: only the cyclic collector frees it


@pytest.fixture
def released() -> Iterator[None]:
    heap.release()
    yield
    heap.release()


def test_settle_freezes_what_exists_and_a_second_settle_frees_the_old_cycles(released: None) -> None:
    old = Node()
    gone = weakref.ref(old)
    heap.settle()                                   # the first window: ``old`` is frozen with the rest
    assert gc.get_freeze_count() > 0
    del old
    gc.collect()
    assert gone() is not None                       # frozen objects are not collected …
    heap.settle()                                   # … until the window is opened again
    assert gone() is None and gc.get_freeze_count() > 0
    heap.release()
    assert gc.get_freeze_count() == 0


def test_a_session_freezes_at_open_and_releases_at_shutdown(qtbot: object, gui: object, paths: DataPaths,
                                                            passphrase: str, released: None) -> None:
    store, _recovery = vault.setup(paths, passphrase, worker_name="张晓梅")
    load_vocab(store)
    session = Session(paths, "zh")
    try:
        session.open(store)
        assert gc.get_freeze_count() > 1000         # modules, classes, the window's wrappers
    finally:
        session.shutdown()
    assert gc.get_freeze_count() == 0
