"""selfcheck offline installer, shipped inside the offline bundle and started by install.bat / install.sh.

What it does, with no network at all:
1. checks that this Python and this OS are ones the bundle has wheels for;
2. checks every file against SHA256SUMS (a damaged copy from a USB stick is caught before pip sees it,
   and a wheel that is not in the list is refused: `--find-links` would otherwise install it);
3. creates a virtual environment `venv/` next to this file;
4. installs selfcheck from `wheels/` with `pip --isolated --no-index`, pinned by the bundle's
   constraints file, so a company pip.ini (index-url, proxy) or PIP_* variables cannot interfere;
5. runs `selfcheck --version` from the new environment.

Every failure is one line (Japanese / English) and a non-zero exit: 2 for a problem the user can fix
(wrong Python, damaged or unextracted bundle, read-only folder), 1 when pip itself failed.
Standard library only, Python 3.11+: it runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SUPPORTED = ((3, 11), (3, 12), (3, 13))
WINDOWS_MAX_PATH = 260
# Variables that would make the new environment's Python or pip read something other than the bundle.
HOSTILE_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE", "PYTHONNOUSERSITE")


class InstallError(Exception):
    def __init__(self, ja: str, en: str, code: int = 2) -> None:
        super().__init__(en)
        self.ja, self.en, self.code = ja, en, code


def say(text: str) -> None:
    """Print without ever failing on a console that cannot show Japanese (cp437, C locale)."""
    stream = sys.stdout
    enc = getattr(stream, "encoding", None) or "ascii"
    stream.write(text.encode(enc, errors="replace").decode(enc) + "\n")
    stream.flush()


def target_name() -> str:
    """The bundle's name for this OS/CPU: win_amd64 or manylinux_x86_64."""
    machine = platform.machine().lower()
    is64 = sys.maxsize > 2**32
    if sys.platform == "win32" and machine in ("amd64", "x86_64") and is64:
        return "win_amd64"
    if sys.platform.startswith("linux") and machine in ("x86_64", "amd64") and is64:
        libc, version = platform.libc_ver()
        if libc != "glibc":
            raise InstallError(
                "この Linux（glibc 以外、例: Alpine）用の部品は含まれていません",
                "this Linux is not glibc-based (e.g. Alpine); the bundle has manylinux wheels only",
            )
        if tuple(int(x) for x in version.split(".")[:2]) < (2, 28):
            raise InstallError(
                f"glibc {version} は古すぎます（2.28 以上が必要: RHEL 8 / Debian 10 / Ubuntu 20.04 以降）",
                f"glibc {version} is too old (2.28 or newer is needed)",
            )
        return "manylinux_x86_64"
    raise InstallError(
        f"この環境（{sys.platform} {platform.machine()}、{'64' if is64 else '32'}bit）用の部品は含まれていません。"
        "64bit の Windows または Linux x86_64 で実行してください",
        f"no wheels for this system ({sys.platform} {platform.machine()}); use 64-bit Windows or Linux x86_64",
    )


def check_python() -> str:
    ver = sys.version_info[:2]
    if ver not in SUPPORTED or sys.implementation.name != "cpython":
        have = f"{sys.implementation.name} {ver[0]}.{ver[1]}"
        raise InstallError(
            f"Python 3.11〜3.13（python.org 版）が必要です（この Python: {have}）",
            f"Python 3.11 to 3.13 (CPython) is required (this is {have})",
        )
    return f"cp{ver[0]}{ver[1]}"


def load_manifest() -> dict[str, object]:
    path = HERE / "bundle.json"
    if not path.is_file() or not (HERE / "wheels").is_dir():
        raise InstallError(
            "ZIP の中から直接実行しています。ZIP を右クリックして「すべて展開」してから、展開したフォルダで実行してください",
            "run this from the extracted folder, not from inside the ZIP (bundle.json or wheels/ is missing)",
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InstallError(f"bundle.json を読めません（{exc}）", f"cannot read bundle.json ({exc})") from exc
    if not isinstance(data, dict):
        raise InstallError("bundle.json の形式が違います", "bundle.json is not an object")
    return data


def verify_checksums() -> int:
    """Compare every file with SHA256SUMS; refuse wheels that are not listed. Returns the file count."""
    sums = HERE / "SHA256SUMS"
    try:
        lines = sums.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InstallError(
            "SHA256SUMS がありません。ZIP を展開し直してください",
            f"SHA256SUMS is missing ({exc.strerror})",
        ) from exc
    listed: set[str] = set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        digest, _, name = line.partition("  ")
        name = name.lstrip("*")
        if len(digest) != 64 or not name or ".." in Path(name).parts or Path(name).is_absolute():
            raise InstallError(f"SHA256SUMS の {n} 行目の形式が違います", f"SHA256SUMS line {n} is malformed")
        path = HERE / name
        if not path.is_file():
            raise InstallError(
                f"ファイルが足りません: {name}。ZIP を展開し直してください",
                f"missing file: {name}; extract the ZIP again",
            )
        h = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda f=f: f.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest() != digest.lower():
            raise InstallError(
                f"ファイルが壊れているか書き換えられています: {name}。元の ZIP からコピーし直してください",
                f"checksum mismatch: {name}; copy the bundle again from the original ZIP",
            )
        listed.add(name)
    extra = sorted(p.relative_to(HERE).as_posix() for p in (HERE / "wheels").glob("*.whl") if p.is_file())
    unlisted = [p for p in extra if p not in listed]
    if unlisted:
        raise InstallError(
            f"SHA256SUMS にないファイルがあります: {unlisted[0]}。元の ZIP から展開し直してください",
            f"file not listed in SHA256SUMS: {unlisted[0]}; extract the original ZIP again",
        )
    return len(listed)


def check_path_length(venv: Path, manifest: dict[str, object]) -> None:
    """Windows without long-path support fails deep inside pip when a path passes 260 characters."""
    if os.name != "nt" or _long_paths_enabled():
        return
    longest = int(manifest.get("longest_installed_path", 0) or 0)  # relative to site-packages
    total = len(str(venv / "Lib" / "site-packages")) + 1 + longest
    if total >= WINDOWS_MAX_PATH:
        raise InstallError(
            f"フォルダの場所が深すぎます（パスが {total} 文字になり Windows の上限 260 文字を超えます）。"
            "C:\\selfcheck など短い場所に展開してください",
            f"the folder is too deep (paths reach {total} characters, Windows allows 260); "
            "extract to a short path such as C:\\selfcheck",
        )


def _long_paths_enabled() -> bool:
    try:
        import winreg  # Windows only

        with winreg.OpenKey(  # type: ignore[attr-defined]
            winreg.HKEY_LOCAL_MACHINE,  # type: ignore[attr-defined]
            r"SYSTEM\CurrentControlSet\Control\FileSystem",
        ) as key:
            return bool(winreg.QueryValueEx(key, "LongPathsEnabled")[0])  # type: ignore[attr-defined]
    except (ImportError, OSError):
        return False


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_selfcheck(venv: Path) -> Path:
    return venv / ("Scripts/selfcheck.exe" if os.name == "nt" else "bin/selfcheck")


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in HOSTILE_ENV and not k.startswith("PIP_")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"  # we decode pip's output ourselves
    return env


def make_venv(venv: Path) -> None:
    import importlib.util

    try:
        probe = HERE / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InstallError(
            "このフォルダに書き込めません。デスクトップや C:\\selfcheck など書き込めるフォルダに展開してから実行してください",
            f"cannot write to {HERE} ({exc.strerror}); extract the bundle to a writable folder",
        ) from exc
    if venv_python(venv).exists() and _same_python(venv):
        return  # re-running the installer (e.g. a newer bundle in the same place) upgrades in place
    if importlib.util.find_spec("ensurepip") is None:
        raise InstallError(
            "この Python には venv/ensurepip がありません（Debian/Ubuntu: sudo apt install python3-venv）",
            "this Python has no ensurepip (Debian/Ubuntu: apt install python3-venv)",
        )
    import venv as venv_mod

    try:
        venv_mod.EnvBuilder(with_pip=True, clear=True, symlinks=os.name != "nt").create(venv)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise InstallError(
            f"仮想環境を作成できません（{exc}）", f"cannot create the virtual environment ({exc})"
        ) from exc


def _same_python(venv: Path) -> bool:
    try:
        res = subprocess.run(
            [str(venv_python(venv)), "-c", "import sys; print(sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=60,
            env=clean_env(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return res.returncode == 0 and res.stdout.strip() == str(sys.version_info[:2])


def pip_install(venv: Path, version: str, constraints: Path) -> None:
    cmd = [
        str(venv_python(venv)),
        "-m",
        "pip",
        "install",
        "--isolated",  # ignore pip.ini / pip.conf and PIP_* (index URLs, proxies, require-hashes)
        "--no-index",
        "--find-links",
        str(HERE / "wheels"),
        "--only-binary=:all:",
        "--constraint",
        str(constraints),
        "--upgrade",
        "--no-warn-script-location",
        "--disable-pip-version-check",
        "--progress-bar",
        "off",
        f"selfcheck=={version}",
    ]
    log = HERE / "install.log"
    try:
        with log.open("w", encoding="utf-8") as f:
            res = subprocess.run(
                cmd, stdout=f, stderr=subprocess.STDOUT, env=clean_env(), timeout=1800, check=False
            )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InstallError(f"pip を実行できません（{exc}）", f"cannot run pip ({exc})", code=1) from exc
    if res.returncode != 0:
        text = log.read_text(encoding="utf-8", errors="replace").splitlines()
        errors = [ln for ln in text if ln.startswith("ERROR")] or text[-1:]
        raise InstallError(
            f"インストールに失敗しました（詳細: {log}）: {errors[0] if errors else ''}",
            f"pip failed (exit {res.returncode}); see {log}",
            code=1,
        )


def installed_version(venv: Path) -> str:
    try:
        res = subprocess.run(
            [str(venv_selfcheck(venv)), "--version"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=120,
            env=clean_env(),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise InstallError(
            f"導入した selfcheck を起動できません（{exc}）",
            f"the installed selfcheck does not start ({exc})",
            1,
        ) from exc
    if res.returncode != 0:
        raise InstallError(
            f"導入した selfcheck を起動できません: {res.stderr.strip()[-200:]}",
            "the installed selfcheck does not start",
            1,
        )
    return res.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if any(a in ("-h", "--help") for a in args):
        say(
            "使い方 / usage: install.bat | sh install.sh   （このフォルダに venv を作り selfcheck を導入します）"
        )
        return 0
    t0 = time.monotonic()
    try:
        abi = check_python()
        target = target_name()
        manifest = load_manifest()
        version = str(manifest.get("version", ""))
        constraints = HERE / "constraints" / f"{target}-{abi}.txt"
        if not constraints.is_file():
            have = ", ".join(sorted(p.stem for p in (HERE / "constraints").glob("*.txt"))) or "なし / none"
            raise InstallError(
                f"この ZIP には {target}・{abi} 用の部品がありません（含まれるもの: {have}）",
                f"this bundle has no wheels for {target}/{abi} (it has: {have})",
            )
        say(f"selfcheck {version} を導入します / installing selfcheck {version} ({target}, {abi})")
        count = verify_checksums()
        say(f"  ファイルの検査 OK / checksums OK ({count} files)")
        venv = HERE / "venv"
        check_path_length(venv, manifest)
        make_venv(venv)
        say(f"  仮想環境 / virtual environment: {venv}")
        pip_install(venv, version, constraints)
        say(f"  導入完了 / installed: {installed_version(venv)}  ({time.monotonic() - t0:.0f} 秒 / s)")
        launcher = "selfcheck.bat" if os.name == "nt" else "./selfcheck.sh"
        say(f"起動するには / to start: {launcher}   （{venv_selfcheck(venv)}）")
        return 0
    except InstallError as exc:
        say(f"エラー: {exc.ja} / error: {exc.en}")
        return exc.code
    except KeyboardInterrupt:
        say("中断しました / interrupted")
        return 130
    except Exception as exc:  # never a traceback on a clerk's screen
        say(f"予期しないエラー / unexpected error: {type(exc).__name__}: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
