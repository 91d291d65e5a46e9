"""Build the one-folder desktop app and its archive (``make build``).

clean → PyInstaller (build_scripts/lehe-desktop.spec) → check the bundle → frozen --self-test →
archive → print the unpacked size. Run on the target OS: Linux makes the tarball, Windows the
folder + zip (then Inno Setup, see build_scripts/windows/), macOS the .app + zip.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lehe_desktop import __version__  # noqa: E402

APP = "lehe-desktop"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
SPEC = ROOT / "build_scripts" / "lehe-desktop.spec"
MAC_APP = DIST / "Lehe Desktop.app"
SIZE_BUDGET_MB = 150  # unpacked, Linux (issue 6)


def platform_tag() -> str:
    machine = platform.machine().lower()
    machine = {"amd64": "x86_64", "aarch64": "arm64"}.get(machine, machine)
    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    return f"{system}-{machine}"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def executable(folder: Path) -> Path:
    """The executable that prints to a terminal (on Windows the console twin)."""
    return folder / (f"{APP}-cli.exe" if sys.platform == "win32" else APP)


def run_pyinstaller() -> None:
    for old in (DIST / APP, MAC_APP, WORK):
        if old.exists():
            shutil.rmtree(old)
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT)


def check_bundle(folder: Path) -> list[str]:
    """Things the spec must have put in (or kept out of) the folder."""
    problems = []
    if not executable(folder).is_file():
        problems.append(f"missing executable {executable(folder).name}")
    internal = folder / "_internal"
    res = ROOT / "resources"
    for src in sorted(res.rglob("*")) if res.is_dir() else []:
        shipped = src.is_file() and src.suffix not in (".ts", ".md", ".py") and not src.name.startswith(".")
        if shipped and not (internal / src.relative_to(ROOT)).is_file():
            problems.append(f"resource not bundled: {src.relative_to(ROOT)}")
    for unwanted in ("starlette", "uvicorn", "PySide6/Qt/qml", "PySide6/Qt/lib/libQt6Quick.so.6",
                     "PySide6/Qt/lib/libQt6Qml.so.6", "PySide6/Qt/plugins/sqldrivers"):
        if (internal / unwanted).exists():
            problems.append(f"should not be bundled: {unwanted}")
    return problems


def self_test(folder: Path) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEHE_")}
    with tempfile.TemporaryDirectory(prefix="lehe-selftest-home-") as home:
        env["LEHE_DATA_DIR"] = str(Path(home) / "never-used")  # the self-test makes its own temp vault
        started = time.perf_counter()
        proc = subprocess.run([str(executable(folder)), "--self-test"], env=env, timeout=300,
                              stdin=subprocess.DEVNULL)
        print(f"frozen --self-test: exit {proc.returncode} in {time.perf_counter() - started:.1f} s", flush=True)
        return proc.returncode


def make_archive(folder: Path) -> Path:
    stem = f"{APP}-{__version__}-{platform_tag()}"
    if sys.platform == "darwin" and MAC_APP.exists():
        out = DIST / f"{stem}.zip"
        # ditto keeps the bundle's symlinks and code signatures intact
        subprocess.run(["ditto", "-c", "-k", "--keepParent", str(MAC_APP), str(out)], check=True)
    elif sys.platform == "win32":
        out = DIST / f"{stem}.zip"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in sorted(folder.rglob("*")):
                zf.write(p, Path(APP) / p.relative_to(folder))
    else:
        out = DIST / f"{stem}.tar.gz"
        with tarfile.open(out, "w:gz", compresslevel=6) as tf:
            tf.add(folder, arcname=APP)
    return out


def find_iscc() -> Path | None:
    """Inno Setup's compiler: on PATH or in its default install folders."""
    found = shutil.which("iscc")
    if found:
        return Path(found)
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        candidate = Path(base or "") / "Inno Setup 6" / "ISCC.exe"
        if base and candidate.is_file():
            return candidate
    return None


def make_installer() -> Path | None:
    """Windows only: the per-machine setup.exe from build_scripts/windows/lehe-desktop.iss."""
    iscc = find_iscc()
    if iscc is None:
        print("Inno Setup 6 not found: no installer made (install it, or run iscc yourself)")
        return None
    iss = ROOT / "build_scripts" / "windows" / "lehe-desktop.iss"
    subprocess.run([str(iscc), f"/DAppVersion={__version__}", f"/DSourceDir={DIST / APP}",
                    f"/DOutputDir={DIST}", str(iss)], check=True)
    return DIST / f"{APP}-{__version__}-windows-x86_64-setup.exe"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-self-test", action="store_true", help="do not run the frozen --self-test")
    ap.add_argument("--no-archive", action="store_true", help="leave only the folder")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    run_pyinstaller()
    built = time.perf_counter() - started
    folder = DIST / APP
    problems = check_bundle(folder)
    for p in problems:
        print(f"bundle check FAILED: {p}", file=sys.stderr)
    if problems:
        return 1
    if not args.skip_self_test and self_test(folder) != 0:
        print("frozen --self-test FAILED", file=sys.stderr)
        return 1
    archive = None if args.no_archive else make_archive(folder)
    size_mb = folder_size(folder) / 1e6
    print(f"built {folder} in {built:.0f} s (PyInstaller)")
    if archive:
        print(f"archive {archive} ({archive.stat().st_size / 1e6:.1f} MB)")
    installer = make_installer() if sys.platform == "win32" and not args.no_archive else None
    if installer:
        print(f"installer {installer}")
    print(f"unpacked size: {size_mb:.1f} MB ({size_mb * 1e6 / 2**20:.1f} MiB; budget {SIZE_BUDGET_MB} MB on Linux)")
    if sys.platform.startswith("linux") and size_mb > SIZE_BUDGET_MB:
        print(f"size budget exceeded: {size_mb:.1f} MB > {SIZE_BUDGET_MB} MB", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
