"""Offline distribution benchmark (issue 13): how long the offline bundle takes to install with no network,
and how fast the PyInstaller one-folder app paints its first screen compared with a minimal Textual app
measured in the same run (the same tmux method as bench_startup.py).

Run: python benchmarks/bench_offline.py [--bundle ZIP] [--app DIST_DIR] [--runs 7] [--full-bundle] [--quick]
Without --bundle/--app both are built first in a temporary folder (network needed: PyPI for the wheels,
uv and pyinstaller), for the current platform and Python; --full-bundle builds all six wheel sets
(Windows x64 + Linux x86_64, Python 3.11-3.13) and reports that build's time and size.
Targets: offline install <= 60 s; first paint of the one-folder app <= 1.5x the minimal app.
It prints figures; exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bench_startup import MARKER, MINAPP, prepare_home, time_until, tmux

REPO = Path(__file__).resolve().parent.parent


def run(cmd: list[str], **kw: object) -> None:
    subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL, **kw)  # type: ignore[call-overload]


def build(work: Path, full: bool) -> tuple[Path, Path, dict[str, float]]:
    """Bundle (current target, or all six) and one-folder app, built like .ci/offline_smoke.sh does."""
    figures: dict[str, float] = {}
    venv = work / "build-venv"
    run([sys.executable, "-m", "venv", str(venv)])
    py = str(venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
    run([py, "-m", "pip", "install", "-q", "uv", "pyinstaller"], stdout=subprocess.DEVNULL)
    scope = [] if full else ["--platforms", "current", "--pythons", "current"]
    t0 = time.perf_counter()
    run([py, str(REPO / "packaging" / "offline_bundle.py"), "--out", str(work / "out"), *scope])
    figures["bundle build s"] = time.perf_counter() - t0
    bundle = next((work / "out").glob("selfcheck-*-offline.zip"))
    unpacked = work / "wheels-src"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(unpacked)
    root = next(unpacked.iterdir())
    run(
        [py, "-m", "pip", "install", "-q", "--no-index", "--find-links", str(root / "wheels"), "selfcheck"],
        stdout=subprocess.DEVNULL,
    )
    t0 = time.perf_counter()
    run(
        [py, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN", "--distpath",
         str(work / "dist"), "--workpath", str(work / "pyi"), str(REPO / "packaging" / "selfcheck.spec")],
        cwd=work,
    )  # fmt: skip
    figures["one-folder build s"] = time.perf_counter() - t0
    return bundle, work / "dist" / "selfcheck", figures


def install_time(bundle: Path, work: Path) -> float:
    dest = work / f"install-{time.monotonic_ns()}"
    with zipfile.ZipFile(bundle) as zf:
        zf.extractall(dest)
    root = next(dest.iterdir())
    offline = ["unshare", "-n"] if shutil.which("unshare") and _unshare_ok() else []
    t0 = time.perf_counter()
    run([*offline, sys.executable, str(root / "install.py")], stdout=subprocess.DEVNULL)
    took = time.perf_counter() - t0
    shutil.rmtree(dest, ignore_errors=True)
    return took


def _unshare_ok() -> bool:
    return subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False).returncode == 0


def folder_mb(path: Path) -> float:
    # PyInstaller links shared libraries under several names: count each file once
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", type=Path, help="an offline bundle ZIP (default: build one)")
    ap.add_argument("--app", type=Path, help="a dist/selfcheck folder (default: build one)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--install-runs", type=int, default=2)
    ap.add_argument("--full-bundle", action="store_true", help="build all six wheel sets")
    ap.add_argument("--quick", action="store_true", help="3 paint runs, 1 install")
    args = ap.parse_args()
    if args.quick:
        args.runs, args.install_runs = 3, 1
    if shutil.which("tmux") is None:
        sys.stderr.write("tmux is required\n")
        return 2
    work = Path(tempfile.mkdtemp(prefix="selfcheck-bench-offline-"))
    out = sys.stdout.write
    try:
        figures: dict[str, float] = {}
        bundle, app = args.bundle, args.app
        if bundle is None or app is None:
            built_bundle, built_app, figures = build(work, args.full_bundle)
            bundle, app = bundle or built_bundle, app or built_app
        exe = app / ("selfcheck.exe" if os.name == "nt" else "selfcheck")
        installs = [install_time(bundle, work) for _ in range(args.install_runs)]

        home = prepare_home(work)
        minapp = work / "minapp.py"
        minapp.write_text(MINAPP, encoding="utf-8")
        app_cmd = f"env SELFCHECK_HOME={home} {exe}"
        min_cmd = f"{sys.executable} {minapp}"
        tmux("new-session", "-d", "-s", "keep", "-x", "120", "-y", "40")
        time_until(app_cmd, (MARKER,), "warm-app")  # OS file cache
        time_until(min_cmd, (MARKER,), "warm-min")
        app_paint, min_paint = [], []
        for i in range(args.runs):  # interleaved, so machine noise hits both alike
            app_paint.append(time_until(app_cmd, (MARKER,), f"app{i}")[0])
            min_paint.append(time_until(min_cmd, (MARKER,), f"min{i}")[0])
        bundle_mb, app_mb = bundle.stat().st_size / 1e6, folder_mb(app)  # before the work folder goes
    finally:
        tmux("kill-server")
        shutil.rmtree(work, ignore_errors=True)

    med_app, med_min = statistics.median(app_paint), statistics.median(min_paint)
    ratio = med_app / med_min
    for name, value in figures.items():
        out(f"{name:<28} {value:6.1f}\n")
    out(f"bundle size                  {bundle_mb:6.1f} MB ({bundle.name})\n")
    out(
        f"offline install (no network) {statistics.median(installs):6.1f} s  ({' '.join(f'{x:.1f}' for x in installs)})\n"
    )
    out(f"one-folder app size          {app_mb:6.1f} MB\n")
    out(
        f"minimal app first paint      {med_min * 1000:6.0f} ms  ({' '.join(f'{x * 1000:.0f}' for x in min_paint)})\n"
    )
    out(
        f"one-folder first paint       {med_app * 1000:6.0f} ms  ({' '.join(f'{x * 1000:.0f}' for x in app_paint)})\n"
    )
    out(f"ratio one-folder / minimal   {ratio:6.2f}\n")
    ok = statistics.median(installs) <= 60 and ratio <= 1.5
    out(f"targets (install <= 60 s, first paint <= 1.5x): {'PASS' if ok else 'FAIL'}\n")
    return 0 if ok else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    sys.exit(main())
