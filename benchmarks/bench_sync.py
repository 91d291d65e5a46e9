"""Sync throughput: N changes pushed by one laptop and pulled by another over loopback HTTP.

The server runs as a separate `lehe-server serve` process (real uvicorn, real sockets). The
last line of output is JSON: push_per_s, pull_per_s and, measured in the same run on the same
disk, the plain SQLite insert floor (floor_insert_per_s: the same rows into a bare table in
1,000-row transactions, no change log, no merge) for comparison.

    .venv/bin/python benchmarks/bench_sync.py [--changes 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
import uuid
from pathlib import Path

from loopback_server import served

from lehe_desktop.core.ids import uuid7
from lehe_desktop.core.paths import DataPaths
from lehe_desktop.core.store import vault
from lehe_desktop.core.sync import client

VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"
REPO = Path(__file__).resolve().parent.parent


def floor_insert(root: Path, n: int) -> float:
    db = sqlite3.connect(root / "floor.db", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("CREATE TABLE households (id TEXT PRIMARY KEY, area_id TEXT, group_name TEXT, head_name TEXT, "
               "address TEXT, status TEXT, housing_type TEXT, housing_safety TEXT, income_band TEXT, "
               "gov_contact TEXT, notes TEXT, deleted INTEGER, extra TEXT, versions TEXT, updated_hlc INTEGER)")
    rows = [(str(uuid.uuid4()), "a", f"{i % 9}组", "王大山", f"{i}号", None, None, None, None, None, None, 0, None,
             '{"*":[1,1]}', i) for i in range(n)]
    started = time.perf_counter()
    for i in range(0, n, 1000):
        db.execute("BEGIN")
        db.executemany("INSERT INTO households VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows[i:i + 1000])
        db.execute("COMMIT")
    elapsed = time.perf_counter() - started
    db.close()
    return n / elapsed


def cpu_s(pid: int | None = None) -> float:
    """CPU seconds (user + system) of this process or of ``pid`` (Linux /proc; 0 elsewhere). The
    development VM is shared, so throughput moves with other people's load; CPU per change does not."""
    if pid is None:
        return time.process_time()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def laptop(root: Path, name: str) -> vault.Store:
    store, _ = vault.setup(DataPaths(root=root, logs=root / "logs"), "bench pass 123", worker_name=name)
    return store


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=100_000)
    args = ap.parse_args()
    n = args.changes
    with served("lehe-bench-sync-", VILLAGE) as srv:
        root, url, proc = srv.root, srv.url, srv.proc
        code_a, code_b = srv.codes
        a = laptop(root / "a", "甲")
        b = laptop(root / "b", "乙")
        client.enroll(a, url, code_a)
        client.enroll(b, url, code_b)
        aid = a.ensure_area(VILLAGE)
        made = time.perf_counter()
        rows = ({"id": uuid7(), "area_id": aid, "group_name": f"{i % 9 + 1}组", "head_name": "王大山",
                 "address": f"{i}号"} for i in range(n - a.unsent_count()))
        a.bulk_create("household", rows, validated=True)
        print(f"made {a.unsent_count()} changes in {time.perf_counter() - made:.1f} s", file=sys.stderr)
        unsent = a.unsent_count()

        marks: dict[str, float] = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            marks.setdefault(stage + "_first", time.perf_counter())
            marks[stage + "_last"] = time.perf_counter()

        started, cpu0, srv0 = time.perf_counter(), cpu_s(), cpu_s(proc.pid)
        ra = client.sync_once(a, progress=progress)
        push_s = time.perf_counter() - started
        cpu1, srv1 = cpu_s(), cpu_s(proc.pid)
        assert ra.pushed == unsent and ra.rejected == 0, ra
        started = time.perf_counter()
        rb = client.sync_once(b)
        pull_s = time.perf_counter() - started
        cpu2, srv2 = cpu_s(), cpu_s(proc.pid)
        assert b.count("household") == a.count("household"), (b.count("household"), a.count("household"))
        floor = floor_insert(root, n)
        out = {"changes": n, "pushed": ra.pushed, "pulled": rb.pulled, "push_s": round(push_s, 2),
               "pull_s": round(pull_s, 2), "push_per_s": round(ra.pushed / push_s),
               "pull_per_s": round(rb.pulled / pull_s), "floor_insert_per_s": round(floor),
               # CPU microseconds per change (laptop process / server process), load-independent
               "push_cpu_us": [round((cpu1 - cpu0) / ra.pushed * 1e6, 1), round((srv1 - srv0) / ra.pushed * 1e6, 1)],
               "pull_cpu_us": [round((cpu2 - cpu1) / rb.pulled * 1e6, 1), round((srv2 - srv1) / rb.pulled * 1e6, 1)]}
        a.close()
        b.close()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
