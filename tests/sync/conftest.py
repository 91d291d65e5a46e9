from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sync_harness import LiveServer


@pytest.fixture
def live_server(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """The real server on 127.0.0.1, on SQLite; on PostgreSQL in tests marked ``@both_backends``."""
    db = request.getfixturevalue("pg_database") if backend == "postgresql" else None
    srv = LiveServer(tmp_path / "server", db=db).start()
    try:
        yield srv
    finally:
        srv.stop()
