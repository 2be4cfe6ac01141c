"""Build the offline bundle: one ZIP that installs selfcheck on a PC with Python but no network.

    python packaging/offline_bundle.py --out DIR [--platforms all|current|win_amd64,manylinux_x86_64]
                                                 [--pythons all|current|3.11,3.12,3.13] [--keep-work]

writes `DIR/selfcheck-<version>-offline.zip` holding, under `selfcheck-<version>-offline/`:
wheels/ (selfcheck and every runtime dependency, for each platform x Python), constraints/<platform>-cpXY.txt
(the exact versions resolved for that target), install.bat / install.sh (find Python, run install.py),
install.py (checks SHA256SUMS, makes venv/ next to itself, `pip install --no-index`), selfcheck.bat /
selfcheck.sh (launchers), 導入手順.txt (Japanese, UTF-8 with BOM and CRLF for Notepad), bundle.json and
SHA256SUMS.

Why uv resolves and pip downloads: `pip download --platform` evaluates environment markers against the
machine it runs on, not the target (pypa/pip#10050, closed as not-a-bug), so a bundle built on Linux would
miss `pywin32-ctypes; sys_platform == "win32"` (keyring's Windows backend) and `tzdata`. `uv pip compile
--python-platform` resolves for the target properly; pip then downloads exactly those pins with
`--no-deps --only-binary=:all:`. All targets share one wheels/ folder, so a pure-Python wheel is stored once.

The builder needs the network (PyPI), pip and uv (`python -m pip install uv`); the target needs neither.
Every failure is one line on stderr and a non-zero exit (2: bad arguments or environment, 1: a tool
failed; the tools' full output is in DIR/offline_bundle.log).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from string import Template

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "offline"
PYTHONS = ("3.11", "3.12", "3.13")
# Files and folders of the source tree that make the selfcheck wheel (copied so the build never writes
# build/ or *.egg-info into the working tree).
SOURCE_PARTS = ("pyproject.toml", "README.md", "selfcheck", "models", "tui", "checklists", "data")
# Data files the wheel must contain; a wheel built without them installs but cannot start.
WHEEL_MUST_HAVE = (
    "selfcheck/checklists/schema.json",
    "selfcheck/checklists/bodies/abira-cho.yaml",
    "selfcheck/data/fonts/ipaexg.ttf",
    "selfcheck/data/playbooks/ransomware.yaml",
    "selfcheck/models/migrations/script.py.mako",
    "selfcheck/models/migrations/versions/0001_baseline.py",
    "selfcheck/tui/styles/base.tcss",
)


@dataclass(frozen=True)
class Platform:
    name: str
    label: str
    uv: str  # uv's --python-platform
    pip: tuple[str, ...]  # pip's --platform values, most preferred first


PLATFORMS = {
    "win_amd64": Platform("win_amd64", "Windows x64", "x86_64-pc-windows-msvc", ("win_amd64",)),
    # glibc 2.28 floor (RHEL 8, Debian 10, Ubuntu 20.04): pillow and others no longer ship 2.17 wheels.
    # pip takes --platform literally, so every compatible manylinux tag is listed, as pip does for its host.
    "manylinux_x86_64": Platform(
        "manylinux_x86_64",
        "Linux x86_64 (glibc 2.28+)",
        "x86_64-manylinux_2_28",
        (
            *(f"manylinux_2_{m}_x86_64" for m in range(28, 4, -1)),
            "manylinux2014_x86_64",
            "manylinux2010_x86_64",
            "manylinux1_x86_64",
        ),
    ),
}


class BundleError(Exception):
    def __init__(self, ja: str, en: str, code: int = 2) -> None:
        super().__init__(en)
        self.ja, self.en, self.code = ja, en, code


@dataclass(frozen=True)
class Target:
    platform: Platform
    python: str  # "3.12"

    @property
    def abi(self) -> str:
        return "cp" + self.python.replace(".", "")

    @property
    def name(self) -> str:
        return f"{self.platform.name}-{self.abi}"


class Log:
    """Tool output goes to DIR/offline_bundle.log; the console gets one line per step."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file = path.open("w", encoding="utf-8")

    def run(self, cmd: list[str], what_ja: str, what_en: str, **kw: object) -> None:
        self.file.write(f"\n$ {' '.join(cmd)}\n")
        self.file.flush()
        try:
            res = subprocess.run(
                cmd, stdout=self.file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, check=False, **kw
            )  # type: ignore[call-overload]
        except OSError as exc:
            raise BundleError(
                f"{what_ja}: 実行できません（{exc.strerror}）", f"{what_en}: cannot run ({exc.strerror})", 1
            ) from exc
        if res.returncode != 0:
            self.file.flush()
            raise BundleError(
                f"{what_ja}に失敗しました: {self.last_error()}（全文: {self.path}）",
                f"{what_en} failed (exit {res.returncode}); see {self.path}",
                1,
            )

    def last_error(self) -> str:
        lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        errs = [ln.strip() for ln in lines if ln.lstrip().lower().startswith(("error", "×", "  ×"))]
        return (errs or [ln.strip() for ln in lines if ln.strip()][-1:] or [""])[-1][:300]

    def close(self) -> None:
        self.file.close()


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="offline_bundle.py",
        description="selfcheck のオフライン導入用 ZIP を作る / build the offline install bundle",
    )
    ap.add_argument("--out", required=True, metavar="DIR", help="出力先フォルダ / output folder")
    ap.add_argument(
        "--platforms",
        default="all",
        help="all (既定/default), current, or a comma list of: " + ", ".join(PLATFORMS),
    )
    ap.add_argument("--pythons", default="all", help="all (既定/default: 3.11,3.12,3.13), current, or a list")
    ap.add_argument("--keep-work", action="store_true", help="作業フォルダを残す / keep the build folder")
    return ap.parse_args(argv)


def host_platform() -> str:
    machine = platform.machine().lower()
    if sys.platform == "win32" and machine in ("amd64", "x86_64"):
        return "win_amd64"
    if sys.platform.startswith("linux") and machine in ("x86_64", "amd64"):
        return "manylinux_x86_64"
    raise BundleError(
        f"--platforms current: この環境（{sys.platform} {platform.machine()}）は対象外です",
        f"--platforms current: this system ({sys.platform} {platform.machine()}) is not a bundle target",
    )


def _pick(value: str, known: Collection[str], current: Callable[[], str], option: str) -> list[str]:
    """One --platforms/--pythons value: "all", "current" (asked only then: a Mac may build "all") or a
    comma list of known names."""
    if value == "all":
        picked = list(known)
    elif value == "current":
        picked = [current()]
    else:
        picked = [p.strip() for p in value.split(",") if p.strip()]
    bad = [p for p in picked if p not in known]
    if bad or not picked:
        raise BundleError(
            f"{option} の値が違います: {','.join(bad) or value}（使えるもの: {', '.join(known)}）",
            f"unknown {option} value: {','.join(bad) or value} (choose from {', '.join(known)})",
        )
    return picked


def choose_targets(platforms: str, pythons: str) -> list[Target]:
    plats = _pick(platforms, PLATFORMS, host_platform, "--platforms")
    pys = _pick(pythons, PYTHONS, lambda: f"{sys.version_info[0]}.{sys.version_info[1]}", "--pythons")
    return [Target(PLATFORMS[p], v) for p in plats for v in pys]


def read_project() -> tuple[str, list[str]]:
    try:
        import tomllib
    except ImportError:
        raise BundleError(
            "Python 3.11 以上で実行してください", "run this with Python 3.11 or newer"
        ) from None

    path = REPO / "pyproject.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return str(data["project"]["version"]), list(data["project"]["dependencies"])
    except (OSError, ValueError, KeyError) as exc:
        raise BundleError(
            f"pyproject.toml を読めません（{exc}）", f"cannot read pyproject.toml ({exc})"
        ) from exc


def find_uv() -> str:
    exe = shutil.which("uv")
    if exe:
        return exe
    try:
        from uv import find_uv_bin  # the PyPI package "uv" ships the binary and this helper

        return str(find_uv_bin())
    except (ImportError, FileNotFoundError):
        raise BundleError(
            "uv が見つかりません。先に python -m pip install uv を実行してください",
            "uv not found; run `python -m pip install uv` first (it resolves dependencies per target)",
        ) from None


def prepare_out(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise BundleError(
            f"出力先フォルダに書き込めません（{exc.strerror or exc}）",
            f"cannot write to the output folder ({exc.strerror or exc})",
        ) from exc
    return out.resolve()


def copy_source(dst: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build", "dist")
    dst.mkdir(parents=True)
    for part in SOURCE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dst / part, symlinks=True, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, dst / part)
        else:
            raise BundleError(f"ソースに {part} がありません", f"{part} is missing from the source tree")


def build_selfcheck_wheel(log: Log, work: Path, wheels: Path, version: str) -> Path:
    src = work / "src"
    copy_source(src)
    log.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(wheels), str(src)],
        "selfcheck の wheel 作成",
        "building the selfcheck wheel",
    )
    found = sorted(wheels.glob(f"selfcheck-{version}-py3-none-any.whl"))
    if not found:
        raise BundleError("selfcheck の wheel ができていません", "the selfcheck wheel was not produced", 1)
    with zipfile.ZipFile(found[0]) as zf:
        names = set(zf.namelist())
    missing = [m for m in WHEEL_MUST_HAVE if m not in names]
    if missing:
        raise BundleError(
            f"selfcheck の wheel にデータファイルが入っていません: {missing[0]}",
            f"the selfcheck wheel lacks data file {missing[0]} (check [tool.setuptools.package-data])",
            1,
        )
    return found[0]


def resolve(log: Log, uv: str, target: Target, out: Path) -> list[str]:
    log.run(
        [
            uv,
            "pip",
            "compile",
            str(REPO / "pyproject.toml"),
            "--python-platform",
            target.platform.uv,
            "--python-version",
            target.python,
            "--only-binary",
            ":all:",
            "--no-header",
            "--no-annotate",
            "--no-config",
            "--quiet",
            "--output-file",
            str(out),
        ],
        f"依存関係の解決（{target.name}）",
        f"resolving dependencies for {target.name}",
    )
    pins = [ln.strip() for ln in out.read_text(encoding="utf-8").splitlines()]
    return [p for p in pins if p and not p.startswith("#")]


def download(log: Log, target: Target, requirements: Path, wheels: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--implementation",
        "cp",
        "--python-version",
        target.python,
        "--abi",
        target.abi,
        "--progress-bar",
        "off",
        "--disable-pip-version-check",
        "--dest",
        str(wheels),
        "-r",
        str(requirements),
    ]
    for tag in target.platform.pip:
        cmd += ["--platform", tag]
    log.run(cmd, f"wheel のダウンロード（{target.name}）", f"downloading wheels for {target.name}")


def verify_offline(log: Log, uv: str, target: Target, wheels: Path, version: str, work: Path) -> None:
    """Resolve `selfcheck==version` for the target from wheels/ alone (no index, no cache): proves the
    bundle is complete for a platform this machine cannot install on (Windows from Linux), with the
    target's own environment markers."""
    req = work / f"check-{target.name}.in"
    req.write_text(f"selfcheck=={version}\n", encoding="utf-8")
    log.run(
        [
            uv,
            "pip",
            "compile",
            str(req),
            "--no-index",
            "--find-links",
            str(wheels),
            "--python-platform",
            target.platform.uv,
            "--python-version",
            target.python,
            "--only-binary",
            ":all:",
            "--no-config",
            "--no-cache",
            "--quiet",
            "--output-file",
            str(work / f"check-{target.name}.txt"),
        ],
        f"バンドルだけでの解決の確認（{target.name}）",
        f"checking that {target.name} resolves from the bundle alone",
    )


def longest_installed_path(wheels: Path) -> int:
    """Longest file path any wheel installs, relative to site-packages (for the Windows MAX_PATH check)."""
    longest = 0
    for whl in wheels.glob("*.whl"):
        with zipfile.ZipFile(whl) as zf:
            longest = max([longest, *(len(n) for n in zf.namelist())])
    return longest


def render_templates(root: Path, version: str, targets: list[Target]) -> None:
    plats = sorted({t.platform.label for t in targets})
    pys = sorted({t.python for t in targets})
    for name in ("install.py", "install.sh", "selfcheck.sh"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        (root / name).write_bytes(text.replace("\r\n", "\n").encode("utf-8"))
    for name in ("install.bat", "selfcheck.bat"):
        # cmd.exe reads a batch file in the console's code page: cp932 on Japanese Windows
        text = (TEMPLATES / name).read_text(encoding="utf-8").replace("\r\n", "\n")
        (root / name).write_bytes(text.replace("\n", "\r\n").encode("cp932"))
    guide = Template((TEMPLATES / "導入手順.txt").read_text(encoding="utf-8")).substitute(
        version=version, targets="、".join(plats), pythons="・".join(pys)
    )
    # Notepad: UTF-8 with BOM and CRLF shows correctly on every Windows version
    (root / "導入手順.txt").write_bytes(guide.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8-sig"))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_checksums(root: Path) -> int:
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    lines = [f"{sha256(p)}  {p.relative_to(root).as_posix()}" for p in files]
    (root / "SHA256SUMS").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    return len(files)


def make_zip(root: Path, dest: Path) -> None:
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for p in sorted(root.rglob("*")):
                if not p.is_file():
                    continue
                arc = f"{root.name}/{p.relative_to(root).as_posix()}"
                info = zipfile.ZipInfo.from_file(p, arc)
                info.external_attr = (0o100755 if p.suffix == ".sh" else 0o100644) << 16
                # wheels are zip files already: storing them saves time and costs almost no space
                info.compress_type = zipfile.ZIP_STORED if p.suffix == ".whl" else zipfile.ZIP_DEFLATED
                with p.open("rb") as src, zf.open(info, "w") as out:
                    shutil.copyfileobj(src, out, 1 << 20)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def build(args: argparse.Namespace) -> Path:
    t0 = time.monotonic()
    targets = choose_targets(args.platforms, args.pythons)
    version, _deps = read_project()
    uv = find_uv()
    out = prepare_out(Path(args.out).expanduser())
    work = out / f".build-selfcheck-{version}-{os.getpid()}"
    root = work / f"selfcheck-{version}-offline"
    wheels = root / "wheels"
    constraints = root / "constraints"
    for d in (wheels, constraints):
        d.mkdir(parents=True)
    log = Log(out / "offline_bundle.log")
    try:
        say(f"selfcheck {version}: {len(targets)} targets ({', '.join(t.name for t in targets)})")
        build_selfcheck_wheel(log, work, wheels, version)
        say(f"  selfcheck wheel built ({time.monotonic() - t0:.0f} s)")
        for target in targets:
            t1 = time.monotonic()
            req = constraints / f"{target.name}.txt"
            pins = resolve(log, uv, target, req)
            download(log, target, req, wheels)
            say(f"  {target.name}: {len(pins)} packages ({time.monotonic() - t1:.0f} s)")
        for target in targets:
            verify_offline(log, uv, target, wheels, version, work)
        say(f"  every target resolves from the bundle alone (no index): {', '.join(t.name for t in targets)}")
        render_templates(root, version, targets)
        manifest = {
            "name": "selfcheck",
            "version": version,
            "targets": [t.name for t in targets],
            "platforms": sorted({t.platform.name for t in targets}),
            "pythons": sorted({t.python for t in targets}),
            "longest_installed_path": longest_installed_path(wheels),
            "built_with": f"Python {platform.python_version()} on {sys.platform}",
        }
        (root / "bundle.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        count = write_checksums(root)
        dest = out / f"selfcheck-{version}-offline.zip"
        make_zip(root, dest)
        size = dest.stat().st_size
        n_wheels = len(list(wheels.glob("*.whl")))
        say(
            f"bundle: {dest}  {size / 1e6:.1f} MB, {n_wheels} wheels, {count} files, "
            f"built in {time.monotonic() - t0:.0f} s"
        )
        return dest
    finally:
        log.close()
        if not args.keep_work:
            shutil.rmtree(work, ignore_errors=True)
        else:
            say(f"  work folder kept: {root}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        build(args)
        return 0
    except BundleError as exc:
        sys.stderr.write(f"エラー: {exc.ja} / error: {exc.en}\n")
        return exc.code
    except KeyboardInterrupt:
        sys.stderr.write("中断しました / interrupted\n")
        return 130
    except OSError as exc:  # disk full, permission denied half-way: say what and where
        where = f" ({exc.filename})" if exc.filename else ""
        sys.stderr.write(f"エラー: ファイル操作に失敗しました{where}: {exc.strerror or exc} / error: {exc}\n")
        return 1
    except Exception as exc:  # never a traceback
        sys.stderr.write(f"予期しないエラー / unexpected error: {type(exc).__name__}: {exc}\n")
        return 1


if __name__ == "__main__":
    # a cp932 or C-locale console must not turn a Japanese message into a UnicodeEncodeError
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    sys.exit(main())
