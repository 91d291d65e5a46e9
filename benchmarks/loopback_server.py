"""A real `lehe-server` on 127.0.0.1 for the benchmarks that sync (bench_sync, bench_gui)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from lehe_desktop.server.storage import ServerStorage

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Served:
    url: str
    codes: list[str]               # one-time enrolment codes for the user ``bench``
    proc: subprocess.Popen[bytes]  # the server process (for its CPU time)
    root: Path                     # a temporary folder, removed afterwards


@contextlib.contextmanager
def served(prefix: str, village: str, *, codes: int = 2, quiet: bool = False) -> Iterator[Served]:
    """A new server database with user ``bench`` in ``village``, served until the block ends."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    srv_dir = root / "server"
    st = ServerStorage(srv_dir / "server.db")
    st.init()
    st.open()
    st.add_user("bench", "worker", [village])
    made = [st.enroll_code("bench", 1)[0] for _ in range(codes)]
    st.close()
    port = 20000 + (os.getpid() + len(prefix)) % 20000
    out = subprocess.DEVNULL if quiet else None
    proc = subprocess.Popen([sys.executable, "-m", "lehe_desktop.server.cli", "--data-dir", str(srv_dir), "serve",
                             "--host", "127.0.0.1", "--port", str(port),
                             # a file, as in production: its cost is measured, the output stays readable
                             "--request-log", str(root / "requests.log")], cwd=REPO, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/sync/v1/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield Served(url, made, proc, root)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
