"""Start-up benchmark: time from launching `selfcheck` until its home screen is usable (the menu and the
body's inspections are shown), against a minimal Textual app's first paint (Header + Static + Footer)
measured in the same run, as in STACK-NOTES §2.

Method: a tmux server is kept running; each run starts `tmux new-session -d -x 120 -y 40 CMD` and polls
`tmux capture-pane -p` every 5 ms until a marker appears. Both apps show the title "selfcheck" in their
Header on the first paint. For selfcheck, "home usable" is when the menu (「自己点検を続ける」) and the
inspection list (「これまでの点検」 with its 「回答 0/」 row) are on screen. The data directory is a temp
SELFCHECK_HOME with a body, a name and one inspection, so no setup screen appears.

Run: python benchmarks/bench_startup.py [--runs 7]
Targets: median home usable <= 1.5x the minimal app's first paint, and none of the policy import's
document readers (pypdfium2, python-docx, lxml) loaded by starting the TUI: the import wizard loads them
only when a file is read. Exit code 1 when a target is missed.
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
from pathlib import Path

MINAPP = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class MinApp(App):
    TITLE = "selfcheck"
    def compose(self):
        yield Header()
        yield Static("READY")
        yield Footer()

MinApp().run()
"""
SOCKET = "selfcheck-bench"
MARKER = "selfcheck"
LOADED = ("自己点検を続ける", "これまでの点検", "回答 0/")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, *args], capture_output=True, text=True, check=False).stdout


def time_until(
    cmd: str, markers: tuple[str | tuple[str, ...], ...], name: str, timeout: float = 15.0
) -> list[float]:
    """Seconds from session start until each marker is on screen (in order of `markers`); a marker that
    is a tuple counts when all of its parts are on screen together."""
    found: dict[object, float] = {}
    t0 = time.perf_counter()
    tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", cmd)
    try:
        while len(found) < len(markers):
            screen = tmux("capture-pane", "-p", "-t", name)
            now = time.perf_counter() - t0
            for m in markers:
                parts = m if isinstance(m, tuple) else (m,)
                if m not in found and all(p in screen for p in parts):
                    found[m] = now
            if now > timeout:
                raise RuntimeError(f"{name}: marker not seen within {timeout}s; screen was:\n{screen}")
            time.sleep(0.005)
    finally:
        tmux("kill-session", "-t", name)
    return [found[m] for m in markers]


def prepare_home(root: Path) -> Path:
    from selfcheck import inspection, orgs, settings
    from selfcheck.workspace import open_workspace

    home = root / "home"
    ws = open_workspace(home, actor="ベンチ 太郎")
    orgs.choose_org(ws, "shunan-eisei")
    settings.set_(ws, "actor", "ベンチ 太郎")
    inspection.start(ws, org_id="shunan-eisei", fiscal_year=2026)
    settings.set_(ws, "ui.screen", "home")  # start on the home screen, not inside the inspection
    ws.close()
    return home


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        sys.stderr.write("tmux is required\n")
        return 2
    root = Path(tempfile.mkdtemp(prefix="selfcheck-bench-"))
    try:
        home = prepare_home(root)
        minapp = root / "minapp.py"
        minapp.write_text(MINAPP, encoding="utf-8")
        py = sys.executable
        env = f"env SELFCHECK_HOME={home} PYTHONDONTWRITEBYTECODE=0"
        app_cmd = f"{env} {py} -m selfcheck"
        min_cmd = f"{py} {minapp}"
        tmux("new-session", "-d", "-s", "keep", "-x", "120", "-y", "40")  # the server stays up between runs
        time_until(app_cmd, (MARKER,), "warm-app")  # warm the OS file cache and .pyc files
        time_until(min_cmd, (MARKER,), "warm-min")
        app_paint, app_loaded, min_paint = [], [], []
        for i in range(args.runs):  # interleaved, so machine noise hits both alike
            paint, loaded = time_until(app_cmd, (MARKER, LOADED), f"app{i}")
            app_paint.append(paint)
            app_loaded.append(loaded)
            min_paint.append(time_until(min_cmd, (MARKER,), f"min{i}")[0])
    finally:
        tmux("kill-server")
        shutil.rmtree(root, ignore_errors=True)

    med_app, med_min, med_loaded = (statistics.median(x) for x in (app_paint, min_paint, app_loaded))
    ratio = med_loaded / med_min
    out = sys.stdout.write
    out(f"runs: {args.runs} each, tmux 120x40, poll 5 ms\n")
    out(f"minimal app first paint   median {med_min * 1000:6.0f} ms  ({_ms(min_paint)})\n")
    out(f"selfcheck first paint     median {med_app * 1000:6.0f} ms  ({_ms(app_paint)})\n")
    out(f"selfcheck home usable     median {med_loaded * 1000:6.0f} ms  ({_ms(app_loaded)})\n")
    out(f"ratio home usable / minimal first paint: {ratio:.2f}\n")
    readers = readers_loaded()
    out(f"document readers loaded by start-up: {readers or 'none'}\n")
    ok = ratio <= 1.5 and not readers
    out(f"targets (<= 1.5x, no readers): {'PASS' if ok else 'FAIL'}\n")
    return 0 if ok else 1


def readers_loaded() -> str:
    """Modules of the PDF/Word/HTML readers that `selfcheck`'s start-up imports (should be none)."""
    code = (
        "import sys, selfcheck.cli, selfcheck.tui.app, selfcheck.tui.screens.policy_import\n"
        "print(','.join(m for m in ('pypdfium2', 'docx', 'lxml') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return proc.stdout.strip()


def _ms(values: list[float]) -> str:
    return " ".join(f"{v * 1000:.0f}" for v in values)


if __name__ == "__main__":
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    sys.exit(main())
