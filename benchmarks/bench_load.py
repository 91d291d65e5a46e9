"""Load: many simulated laptops syncing at once against one server, on SQLite and on PostgreSQL.

Protocol-level clients (no laptop database): each has its own enrolled Ed25519 key, signs its
requests like the app, pushes ``--changes`` realistic changes (households, their members, edits
of them) with a batch proof, and pulls what the others of its village pushed. Starts are spread
over ``--spread`` seconds. Afterwards every client pulls once more (catch-up), then:

- lost: a change a client pushed that the server does not hold, or that a village peer never
  pulled;
- duplicated: a change the server holds twice, or a client pulled twice;
- errors: sessions that failed (any exception or refusal).

The server is `lehe-server serve` in its own process; for PostgreSQL a throw-away cluster is
started the way the tests start theirs (tests/pg_cluster.py). The last line is JSON:
``{"sqlite": {"devices", "errors", "lost", "duplicated", "p95_session_s", "changes_per_s"},
"postgresql": {…}}`` (``changes_per_s``: changes pushed and pulled per second of the timed phase).

    .venv/bin/python benchmarks/bench_load.py [--devices 200] [--changes 200] [--spread 30]
        [--per-village 10] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from pg_cluster import pg_cluster  # noqa: E402

from lehe_desktop import __version__  # noqa: E402
from lehe_desktop.core import hlc as hlc_mod  # noqa: E402
from lehe_desktop.core.ids import area_id, uuid7  # noqa: E402
from lehe_desktop.core.messages import (  # noqa: E402
    Change,
    Enroll,
    EnrollReply,
    Hello,
    HelloReply,
    Pull,
    PullReply,
    Push,
    PushReply,
)
from lehe_desktop.core.records import catalog  # noqa: E402, F401  (registers every record type)
from lehe_desktop.core.records.schema import record_type  # noqa: E402
from lehe_desktop.core.store.migrations import SCHEMA_VERSION  # noqa: E402
from lehe_desktop.core.sync import client as sync_client  # noqa: E402
from lehe_desktop.core.sync import proof  # noqa: E402
from lehe_desktop.core.sync import protocol as P  # noqa: E402
from lehe_desktop.server.storage import ServerStorage, resolve_db_path  # noqa: E402

BASE = "重庆市/巫溪县/白鹿镇"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serve(db: str) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "lehe_desktop.server.cli", "--db", db, "serve", "--host",
                             "127.0.0.1", "--port", str(port)], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"{url}/sync/v1/health", timeout=1)
                break
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=60)


class Device:
    """One simulated laptop: its key, its origin and the changes it made."""

    def __init__(self, n: int, village: str, changes: int) -> None:
        self.device_id = f"load-{n:04d}-{uuid.uuid4().hex[:8]}"
        self.epoch = str(uuid.uuid4())
        self.origin = f"{self.device_id}:{self.epoch}"
        self.village = village
        self.key = P.new_private_key()
        self.server_key = ""
        self.made = self._changes(changes)
        self.pulled: collections.Counter[tuple[str, int]] = collections.Counter()
        self.cursor = 0
        self.session_s: float | None = None

    def _changes(self, n: int) -> list[Change]:
        """Realistic work: households, members of them and edits of both (4 : 4 : 2)."""
        clock = hlc_mod.HybridClock(0)
        hh, mem = record_type("household"), record_type("member")
        aid = area_id(self.village)
        out: list[Change] = []
        households: list[str] = []
        members: list[str] = []
        stamp: dict[str, int] = {}        # each record's creation stamp: the version its edits saw
        for i in range(n):
            seq, h = i + 1, clock.tick()
            kind = i % 5
            if kind in (0, 1) or not households:
                rid = uuid7()
                fields: dict[str, Any] = dict.fromkeys(hh.field_names)
                fields.update(area_id=aid, group_name=f"{i % 7 + 1}组", head_name=f"王{i}",
                              address=f"乐和村{i}号")
                households.append(rid)
                rt, base = "household", None
            elif kind in (2, 3):
                rid = uuid7()
                fields = dict.fromkeys(mem.field_names)
                fields.update(household_id=households[-1], name=f"李{i}", sex="1" if i % 2 else "2",
                              relation="10")
                members.append(rid)
                rt, base = "member", None
            elif i % 2 and members:
                rid, rt, fields = members[i % len(members)], "member", {"notes": f"第{i}次走访后更新"}
                base = {"notes": [stamp[rid], self.origin]}     # an edit of what this laptop saw
            else:
                rid, rt, fields = households[i % len(households)], "household", {"notes": f"备注{i}"}
                base = {"notes": [stamp[rid], self.origin]}
            stamp[rid] = h
            out.append(Change(origin=self.origin, seq=seq, hlc=h, schema=SCHEMA_VERSION, rtype=rt, rid=rid,
                              kind="upsert", fields=fields, base=base, user=None, wall_ms=hlc_mod.now_ms(),
                              app=__version__))
        return out

    def api(self, url: str) -> Any:
        return sync_client._Api(url, transport=None, timeout=120, key=self.key,  # noqa: SLF001
                                device_id=self.device_id, server_key=self.server_key)

    def enroll(self, url: str, code: str) -> None:
        api = sync_client._Api(url, transport=None, timeout=60)  # noqa: SLF001
        try:
            reply = api.post(P.ENROLL, Enroll(code=code, device_id=self.device_id, public_key=P.public_b64(self.key),
                                              app=__version__, schema=SCHEMA_VERSION, protocol=P.PROTOCOL),
                             EnrollReply, signed=False)
        finally:
            api.close()
        self.server_key = reply.server_public_key

    def session(self, url: str, push: bool) -> None:
        api = self.api(url)
        try:
            hello = api.post(P.HELLO, Hello(origin=self.origin, epoch=self.epoch, app=__version__,
                                            schema=SCHEMA_VERSION, wall_ms=hlc_mod.now_ms(),
                                            unsent=len(self.made) if push else 0), HelloReply)
            api.learn_server_clock(hello.server_wall_ms or hlc_mod.now_ms())
            high = hello.high_water
            if push:
                digests = [proof.change_digest(ch) for ch in self.made]
                batch = proof.sign_batch(self.key, self.device_id, digests)
                reply = api.post(P.PUSH, Push(changes=self.made, batches=[batch], proofs=[(len(self.made), 0)]),
                                 PushReply)
                bad = [r for r in reply.results if r[0] in ("rejected", "held", "quarantined")]
                if bad or reply.rejected:
                    raise RuntimeError(f"push refused: {bad[:3]} {reply.rejected[:3]}")
                high = max(high, reply.high_water or 0)
            while self.cursor < high:
                page = api.post(P.PULL, Pull(after=self.cursor, until=high, limit=P.MAX_PAGE, origin=self.origin),
                                PullReply)
                for ch in page.changes:
                    self.pulled[(ch.origin, ch.seq)] += 1
                if page.next <= self.cursor:
                    break
                self.cursor = page.next
                if not page.more:
                    break
        finally:
            api.close()


def run(backend: str, db: str, devices: int, changes: int, spread: float, per_village: int) -> dict[str, Any]:
    villages = [f"{BASE}/乐和{v}村" for v in range(max(1, (devices + per_village - 1) // per_village))]
    st = ServerStorage(resolve_db_path(None, db))
    st.init()
    st.open()
    codes: list[str] = []
    devs: list[Device] = []
    for i in range(devices):
        village = villages[i // per_village]
        user = f"worker{i}"
        st.add_user(user, "worker", [village])
        codes.append(st.enroll_code(user, 2)[0])
        devs.append(Device(i, village, changes))
    st.close()
    errors: list[str] = []
    with serve(db) as url:
        for dev, code in zip(devs, codes, strict=True):
            dev.enroll(url, code)
        rng = random.Random(15)
        starts = [rng.uniform(0, spread) for _ in devs]
        t0 = time.monotonic()

        def one(dev: Device, at: float) -> None:
            time.sleep(max(0.0, t0 + at - time.monotonic()))
            began = time.monotonic()
            try:
                dev.session(url, push=True)
                dev.session_s = time.monotonic() - began
            except Exception as exc:   # counted, never hidden
                errors.append(f"{dev.device_id}: {type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=one, args=(d, s)) for d, s in zip(devs, starts, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        timed = time.monotonic() - t0
        moved = sum(len(d.made) + sum(d.pulled.values()) for d in devs)
        for dev in devs:                 # catch-up: everyone pulls what was pushed after its session
            try:
                dev.session(url, push=False)
            except Exception as exc:
                errors.append(f"{dev.device_id} catch-up: {type(exc).__name__}: {exc}")
    st = ServerStorage(resolve_db_path(None, db)).open()
    try:
        held = collections.Counter(
            (o, s) for o, s in st.store.query("SELECT origin, seq FROM changes WHERE origin LIKE 'load-%'"))
        if backend == "postgresql":
            size = int(st.store.query_value("SELECT pg_database_size(current_database())"))
        else:
            size = sum(p.stat().st_size for p in st.path.parent.glob(st.path.name + "*"))
        print(f"  {backend}: database {size / 1e6:.1f} MB for {sum(held.values())} changes "
              f"({size / max(1, sum(held.values())):.0f} bytes a change, records and indexes included)",
              file=sys.stderr)
    finally:
        st.close()
    lost = duplicated = 0
    by_village: dict[str, list[Device]] = collections.defaultdict(list)
    for d in devs:
        by_village[d.village].append(d)
    for d in devs:
        for ch in d.made:
            key = (ch.origin, ch.seq)
            lost += held[key] == 0
            duplicated += held[key] > 1
            for peer in by_village[d.village]:
                if peer is not d:
                    lost += peer.pulled[key] == 0
                    duplicated += peer.pulled[key] > 1
    sessions = sorted(d.session_s for d in devs if d.session_s is not None)
    p95 = sessions[min(len(sessions) - 1, int(0.95 * len(sessions)))] if sessions else None
    for e in errors[:5]:
        print(f"  {backend} error: {e}", file=sys.stderr)
    return {"devices": devices, "errors": len(errors), "lost": lost, "duplicated": duplicated,
            "p95_session_s": round(p95, 3) if p95 is not None else None,
            "changes_per_s": round(moved / timed, 1)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--devices", type=int, default=200)
    ap.add_argument("--changes", type=int, default=200)
    ap.add_argument("--spread", type=float, default=30.0)
    ap.add_argument("--per-village", type=int, default=10)
    ap.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = ap.parse_args()
    out: dict[str, Any] = {}
    if args.backend in ("sqlite", "both"):
        root = Path(tempfile.mkdtemp(prefix="lehe-bench-load-"))
        try:
            out["sqlite"] = run("sqlite", f"sqlite:///{root / 'server.db'}", args.devices, args.changes, args.spread,
                                args.per_village)
            print("sqlite:", out["sqlite"], file=sys.stderr)
        finally:
            shutil.rmtree(root, ignore_errors=True)
    if args.backend in ("postgresql", "both"):
        with pg_cluster() as cluster:
            if cluster is None:
                print("PostgreSQL is not installed: the postgresql run is skipped", file=sys.stderr)
                out["postgresql"] = None
            else:
                out["postgresql"] = run("postgresql", cluster.new_database("load"), args.devices, args.changes,
                                        args.spread, args.per_village)
                print("postgresql:", out["postgresql"], file=sys.stderr)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
