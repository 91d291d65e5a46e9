"""The packaged app: unpacked size, and start time to a rendered main window (frozen vs source).

    .venv/bin/python benchmarks/bench_frozen.py [--runs 3] [--households 200]

Needs `make build` first. "Start to a shown main window" is a whole process run of
``--screenshot`` on an initialised data folder: start, unlock (Argon2id), load the view with
its data, render, write the PNG, exit. The same run times ``python -m lehe_desktop
--screenshot`` as the baseline, and ``--version`` for both (start without Qt or the
database). After one warm-up run each, the median of ``--runs``. Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lehe_desktop import __version__  # noqa: E402

FROZEN_DIR = ROOT / "dist" / "lehe-desktop"
FROZEN = FROZEN_DIR / ("lehe-desktop-cli.exe" if sys.platform == "win32" else "lehe-desktop")
SOURCE = [sys.executable, "-m", "lehe_desktop"]
PASSPHRASE = "bench passphrase 42"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    env.update(LEHE_PASSPHRASE=PASSPHRASE, QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8")
    return env


def timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=_env(), capture_output=True, text=True, cwd=ROOT, timeout=300)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr}")
    return elapsed


def median_of(cmd: list[str], runs: int) -> float:
    timed(cmd)  # warm-up: page cache, fontconfig cache
    return statistics.median(timed(cmd) for _ in range(runs))


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--households", type=int, default=200)
    args = ap.parse_args()
    if not FROZEN.is_file():
        print(f"no packaged build at {FROZEN}: run `make build` first", file=sys.stderr)
        return 2
    size = folder_mb(FROZEN_DIR)
    archives = sorted(FROZEN_DIR.parent.glob(f"lehe-desktop-{__version__}-*.*"))
    archive_mb = archives[-1].stat().st_size / 1e6 if archives else None
    with tempfile.TemporaryDirectory(prefix="lehe-bench-frozen-") as tmp:
        data = str(Path(tmp) / "data")
        timed([str(FROZEN), "--data-dir", data, "init", "--name", "基准"])
        timed([str(FROZEN), "--data-dir", data, "demo", "--households", str(args.households)])
        shot = str(Path(tmp) / "shot.png")
        window = ["--data-dir", data, "--screenshot", shot, "--view", "households"]
        frozen_window = median_of([str(FROZEN), *window], args.runs)
        source_window = median_of([*SOURCE, *window], args.runs)
        frozen_version = median_of([str(FROZEN), "--version"], args.runs)
        source_version = median_of([*SOURCE, "--version"], args.runs)
    ratio = frozen_window / source_window
    print(f"unpacked size: {size:.1f} MB ({size * 1e6 / 2**20:.1f} MiB)"
          + (f", archive {archive_mb:.1f} MB" if archive_mb else ""))
    print(f"start to rendered main window ({args.households} households, median of {args.runs}): "
          f"frozen {frozen_window:.2f} s, source {source_window:.2f} s (frozen/source {ratio:.2f})")
    print(f"--version (process start only): frozen {frozen_version:.2f} s, source {source_version:.2f} s")
    print(json.dumps({
        "bench": "frozen", "version": __version__, "platform": sys.platform,
        "unpacked_mb": round(size, 1), "archive_mb": round(archive_mb, 1) if archive_mb else None,
        "households": args.households, "runs": args.runs,
        "frozen_window_s": round(frozen_window, 3), "source_window_s": round(source_window, 3),
        "frozen_over_source": round(ratio, 2),
        "frozen_version_s": round(frozen_version, 3), "source_version_s": round(source_version, 3),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
