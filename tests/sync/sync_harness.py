"""Real parts for sync tests: a server database served by uvicorn on 127.0.0.1, real laptops.

Nothing is mocked: ``LiveServer`` is the production ASGI app on a real socket, laptops are
encrypted SQLCipher stores made by ``vault.setup``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import uvicorn

from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.store.store import Store
from lehe_desktop.server.app import create_app
from lehe_desktop.server.storage import ServerStorage

PASSPHRASE = "correct horse 42"
VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"
OTHER_VILLAGE = "重庆市/巫溪县/白鹿镇/大坪村"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``db``: a PostgreSQL URL to serve instead of ROOT/server.db (tests/pg_cluster.py makes them)."""

    def __init__(self, root: Path, *, existing: bool = False, db: str | None = None) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.db: Path | str = db if db is not None else root / "server.db"
        self.backend = "postgresql" if db is not None else "sqlite"
        # PostgreSQL: the key file in a temporary folder of the tests, never the user's config folder.
        self.key_file = pg_test_key_file(db) if db is not None else None
        if not existing:               # existing: serve the database already there (a restored one)
            ServerStorage(self.db, key_file=self.key_file).init()
        self.storage = ServerStorage(self.db, key_file=self.key_file).open()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> LiveServer:
        config = uvicorn.Config(create_app(self.storage), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off", access_log=False, proxy_headers=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            assert self._thread is not None
            self._thread.join(timeout=20)
        self.storage.close()

    def restart(self) -> LiveServer:
        """Stop, open the same database afresh and serve it on the same port (a server restart)."""
        self.stop()
        self._server = None
        self.storage = ServerStorage(self.db, key_file=self.key_file).open()
        return self.start()

    @property
    def cli_target(self) -> Path | str:
        """What ``server_cli`` takes for this server: its PostgreSQL URL, or its data folder."""
        return self.db if self.backend == "postgresql" else self.root

    def cli_args(self) -> list[str]:
        """The ``lehe-server`` options naming this server's database (for ``server.cli.main``)."""
        return _where(self.cli_target)

    def code_for(self, user: str, role: str = "worker", areas: tuple[str, ...] = (VILLAGE,),
                 hours: float = 1.0) -> str:
        if self.storage.user(user) is None:
            self.storage.add_user(user, role, list(areas))
        code, _ = self.storage.enroll_code(user, hours)
        return code


def make_laptop(root: Path, name: str = "测试社工") -> Store:
    paths = DataPaths(root=root, logs=root / "logs")
    store, _ = vault.setup(paths, PASSPHRASE, worker_name=name)
    return store


def household(store: Store, village: str = VILLAGE, head: str = "王大山", **more: object) -> str:
    aid = store.ensure_area(village)
    return store.create("household", {"area_id": aid, "group_name": "一组", "head_name": head, **more}).id


REPO = Path(__file__).resolve().parents[2]


def run(module: str, *args: str, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m MODULE ARGS…`` in a new process (the real command line), never raising on exit codes."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    full["PYTHONIOENCODING"] = "utf-8"
    full["LEHE_PASSPHRASE"] = PASSPHRASE
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, encoding="utf-8",
                          env=full, timeout=timeout, stdin=subprocess.DEVNULL, cwd=REPO)


def desktop(data_dir: Path, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return run("lehe_desktop", "--data-dir", str(data_dir), *args, **kw)  # type: ignore[arg-type]


def pg_test_key_file(url: str) -> Path:
    """The signing key file of a test's PostgreSQL server database: one per database, in the
    temporary folder (every process serving that database reads the same file)."""
    folder = Path(tempfile.gettempdir()) / "lehe-test-pg-keys"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder / (hashlib.sha256(url.encode()).hexdigest()[:16] + ".keys")


def _where(target: Path | str) -> list[str]:
    """The CLI's database option: a PostgreSQL URL (``--db``, with its key file) or a data folder."""
    if isinstance(target, str) and target.startswith("postgresql://"):
        return ["--db", target, "--key-file", str(pg_test_key_file(target))]
    return ["--data-dir", str(target)]


def server_cli(data_dir: Path | str, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    """``lehe-server`` on a data folder, or on a PostgreSQL URL."""
    return run("lehe_desktop.server.cli", *_where(data_dir), *args, **kw)  # type: ignore[arg-type]


@contextlib.contextmanager
def serve_process(data_dir: Path | str, *extra: str) -> Iterator[str]:
    """`lehe-server serve` as its own process on 127.0.0.1; yields its URL once it answers, stops it after."""
    with serve_process_handle(data_dir, *extra) as (url, _proc):
        yield url


@contextlib.contextmanager
def serve_process_handle(data_dir: Path | str, *extra: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``serve_process``, yielding the process too (its pid: memory, signals)."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lehe_desktop.server.cli", *_where(data_dir), "serve",
                             "--host", "127.0.0.1", "--port", str(port), *extra], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/sync/v1/health", timeout=1).json()["ok"]:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
            time.sleep(0.1)
        yield url, proc
    finally:
        proc.terminate()
        proc.communicate(timeout=20)   # waits, and closes the stderr pipe


class FaultyTransport(httpx.HTTPTransport):
    """The real HTTP transport, losing the response of chosen requests (the server did the work).

    ``lose`` holds 1-based request numbers whose response never reaches the client, as when
    the Wi-Fi drops after the server committed.
    """

    def __init__(self, lose: set[int]) -> None:
        super().__init__()
        self.lose = lose
        self.count = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        response = super().handle_request(request)
        if self.count in self.lose:
            response.read()
            response.close()
            raise httpx.ReadError("connection lost", request=request)
        return response
