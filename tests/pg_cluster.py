"""A throw-away PostgreSQL cluster for tests and benchmarks, on 127.0.0.1.

The binaries come from ``pg_config --bindir`` (Debian keeps them off PATH), else the newest
/usr/lib/postgresql/*/bin. ``initdb`` and ``postgres`` refuse to run as root, so as root the
cluster runs as ``nobody`` through ``runuser``. Its data and socket live in a temporary folder
that is removed when the cluster stops. Without PostgreSQL, ``find_bindir`` returns None and the
fixtures skip with a message that says so.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

SKIP_REASON = ("PostgreSQL is not installed (no pg_config / initdb; apt-get install postgresql, "
               "as .ci/run does)")


def find_bindir() -> Path | None:
    candidates: list[Path] = []
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, timeout=10).stdout.strip()
        if out:
            candidates.append(Path(out))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for c in candidates:
        if (c / "initdb").exists() and (c / "postgres").exists():
            return c
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    """``start()`` a cluster; ``new_database()`` gives a fresh empty database's URL; ``stop()``."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="lehe-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user = "lehe"
        self.proc: subprocess.Popen[bytes] | None = None
        self._names = itertools.count(1)
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "nobody", "--"]
            os.chown(self.root, 65534, 65534)

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, timeout=120, cwd=self.root)

    def start(self) -> PgCluster:
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.user, "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        return self.resume()

    def halt(self) -> None:
        """Stop PostgreSQL (a fast shutdown: open connections are cut) and keep its data for ``resume``."""
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGINT)
            self.proc.wait(timeout=30)
        self.proc = None

    def resume(self) -> PgCluster:
        """Start PostgreSQL on the cluster's data and port (after ``halt``: a database restart)."""
        log = open(self.root / "postgres.log", "ab")   # noqa: SIM115 (kept open while it runs)
        self.proc = subprocess.Popen(
            [*self._as, str(self.bindir / "postgres"), "-D", str(self.data), "-k", str(self.root),
             "-h", "127.0.0.1", "-p", str(self.port), "-c", "fsync=off", "-c", "synchronous_commit=off",
             "-c", "full_page_writes=off", "-c", "max_connections=300", "-c", "shared_buffers=128MB"],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.root, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                break
            if self.proc.poll() is not None or time.monotonic() > deadline:
                text = (self.root / "postgres.log").read_text(errors="replace")
                self.stop()
                raise RuntimeError(f"PostgreSQL did not start:\n{text}")
            time.sleep(0.05)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(self.url("postgres"), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def new_database(self, prefix: str = "t") -> str:
        import psycopg

        name = f"{prefix}{next(self._names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def clone(self, template_url: str, prefix: str = "c") -> str:
        """A new database copied from another (which must have no open connections)."""
        import psycopg

        name = f"{prefix}{next(self._names)}"
        template = template_url.rsplit("/", 1)[1]
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url(name)

    @staticmethod
    def snapshot(url: str) -> None:
        """Keep a copy of every table of a database (schema ``snap``) for ``restore``."""
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS snap CASCADE")
            conn.execute("CREATE SCHEMA snap")
            for (t,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall():
                conn.execute(f"CREATE TABLE snap.{t} AS SELECT * FROM public.{t}")

    @staticmethod
    def restore(url: str) -> None:
        """Put every table back as ``snapshot`` kept it (much faster than a new database from a template)."""
        import psycopg

        with psycopg.connect(url) as conn:
            tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'snap'")]
            conn.execute(f"TRUNCATE {', '.join(f'public.{t}' for t in tables)}")
            for t in tables:
                conn.execute(f"INSERT INTO public.{t} SELECT * FROM snap.{t}")
            for t, col in conn.execute("SELECT table_name, column_name FROM information_schema.columns "
                                       "WHERE table_schema = 'public' AND is_identity = 'YES'").fetchall():
                conn.execute(f"SELECT setval(pg_get_serial_sequence('public.{t}', '{col}'), "
                             f"coalesce(max({col}), 0) + 1, false) FROM public.{t}")

    def drop(self, url: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            # SIGINT: PostgreSQL's fast shutdown (the whole session: runuser and the postmaster).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.proc = None
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def pg_cluster() -> Iterator[PgCluster | None]:
    """A running cluster, or None when PostgreSQL (or psycopg) is not installed."""
    bindir = find_bindir()
    try:
        import psycopg  # noqa: F401
    except ImportError:
        bindir = None
    if bindir is None:
        yield None
        return
    cluster = PgCluster(bindir).start()
    try:
        yield cluster
    finally:
        cluster.stop()


# ---------------------------------------------------------------------- pytest fixtures

import pytest  # noqa: E402  (the module is also used by benchmarks without pytest's fixtures)

# A test (or a module, as ``pytestmark``) that matters on both backends: its ``backend`` fixture
# (through live_server) is "sqlite" and "postgresql" (tests/conftest.py's pytest_generate_tests);
# unmarked tests run on SQLite only.
both_backends = pytest.mark.both_backends
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture
def backend() -> str:
    """The server backend of tests not marked ``both_backends``: SQLite, or every one on PostgreSQL
    with LEHE_TEST_BACKEND=postgresql (a whole-suite run against PostgreSQL, on demand)."""
    return os.environ.get("LEHE_TEST_BACKEND", "sqlite")


@pytest.fixture(scope="session")
def pg_session() -> Iterator[PgCluster | None]:
    """One cluster for the whole test session (started on first use, removed at the end)."""
    with pg_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_database(pg_session: PgCluster | None) -> Iterator[str]:
    """A fresh, empty database's URL, dropped afterwards; skips (saying why) without PostgreSQL."""
    if pg_session is None:
        pytest.skip(SKIP_REASON)
    url = pg_session.new_database()
    yield url
    pg_session.drop(url)
