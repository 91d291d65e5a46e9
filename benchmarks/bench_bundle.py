"""Sync bundles: a laptop exports ~100,000 changes of demo data to a `.lehe` file, the server imports
it (`lehe-server import-bundle`, in this process: the same code); then the server exports them for a
second laptop, which imports them. Enrolment goes over loopback HTTP to a real `lehe-server serve`.

The last line of output is JSON: export_s and import_s (laptop → server), bytes_per_change (of that
bundle), server_export_s and laptop_import_s (server → laptop), and the same-run plain SQLite insert
floor (floor_insert_per_s, as in bench_sync). Targets: export + import ≤ 10 s, ≤ 120 bytes per change.

    .venv/bin/python benchmarks/bench_bundle.py [--changes 100000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from bench_sync import floor_insert, laptop
from loopback_server import served

from lehe_desktop.core.bundles import laptop as bundles_laptop
from lehe_desktop.core.demo import make_demo
from lehe_desktop.core.sync import client
from lehe_desktop.server import bundles as server_bundles
from lehe_desktop.server.storage import ServerStorage

VILLAGE = "重庆市/巫溪县/白鹿镇/乐和村"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--changes", type=int, default=100_000)
    args = ap.parse_args()
    with served("lehe-bench-bundle-", VILLAGE, quiet=True) as srv:
        root = srv.root
        a = laptop(root / "a", "甲")
        b = laptop(root / "b", "乙")
        client.enroll(a, srv.url, srv.codes[0])
        client.enroll(b, srv.url, srv.codes[1])
        made = time.perf_counter()
        # Demo data: ~23 changes per household (members, visits and their parts, matters, tasks …).
        make_demo(a, max(1, args.changes // 23), areas=[VILLAGE])
        n = a.to_send_count()
        print(f"made {n} changes of demo data in {time.perf_counter() - made:.1f} s", file=sys.stderr)

        out = root / "a.lehe"
        started, cpu0 = time.perf_counter(), time.process_time()
        sent = bundles_laptop.export_bundle(a, out)
        export_s, cpu1 = time.perf_counter() - started, time.process_time()
        st = ServerStorage(root / "server" / "server.db").open()
        started = time.perf_counter()
        got = server_bundles.import_bundle(st, out, receipt=root / "a.receipt.lehe")
        import_s, cpu2 = time.perf_counter() - started, time.process_time()
        assert got.refused == 0 and got.applied + got.duplicates == n, got

        started = time.perf_counter()
        back = server_bundles.export_bundle(st, root / "b.lehe", device_id=b.device_id)
        server_export_s = time.perf_counter() - started
        started = time.perf_counter()
        taken = bundles_laptop.import_bundle(b, root / "b.lehe", receipt=root / "b.receipt.lehe")
        laptop_import_s = time.perf_counter() - started
        assert b.count("household") == a.count("household"), (b.count("household"), a.count("household"))
        st.close()
        floor = floor_insert(root, n)
        out_json = {"changes": n, "export_s": round(export_s, 2), "import_s": round(import_s, 2),
                    "bytes": sent["bytes"], "bytes_per_change": round(sent["bytes"] / n, 1),
                    "server_export_s": round(server_export_s, 2), "laptop_import_s": round(laptop_import_s, 2),
                    "pulled": taken.applied, "back_bytes_per_change": round(back["bytes"] / max(1, back["changes"]), 1),
                    "floor_insert_per_s": round(floor),
                    # CPU microseconds per change (the VM is shared: wall time moves with its load)
                    "export_cpu_us": round((cpu1 - cpu0) / n * 1e6, 1), "import_cpu_us": round((cpu2 - cpu1) / n * 1e6, 1)}
        a.close()
        b.close()
    print(json.dumps(out_json))
    return 0


if __name__ == "__main__":
    sys.exit(main())
