"""The offline bundle's pieces that can be checked without the network: the files written for Windows
(cp932 + CRLF batch files, a BOM + CRLF 導入手順 for Notepad), the ZIP layout, SHA256SUMS, and the
installer's and builder's answers to a hostile or odd environment (one line, non-zero exit, never a
traceback). The real build, offline install and smoke test run in .ci/offline_smoke.sh."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILDER = REPO / "packaging" / "offline_bundle.py"
INSTALLER = REPO / "packaging" / "offline" / "install.py"


def load(path: Path, name: str) -> ModuleType:
    # packaging/ is deliberately not a Python package: `import packaging` must stay PyPA's library
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load(BUILDER, "selfcheck_offline_bundle")


def one_line_failure(res: subprocess.CompletedProcess[str]) -> str:
    text = (res.stdout + res.stderr).strip()
    assert res.returncode != 0, text
    assert "Traceback" not in text, text
    assert len(text.splitlines()) == 1, text
    return text


def test_files_for_windows_have_the_right_encoding_and_line_ends(builder: ModuleType, tmp_path: Path) -> None:
    targets = builder.choose_targets("all", "all")
    builder.render_templates(tmp_path, "9.9.9", targets)
    for bat in ("install.bat", "selfcheck.bat"):
        data = (tmp_path / bat).read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n") > 3, bat  # CRLF only
        text = data.decode("cp932")  # what cmd.exe on Japanese Windows reads
        assert text.startswith("@echo off")
    assert "Python 3.11～3.13 が見つかりません" in (tmp_path / "install.bat").read_bytes().decode("cp932")
    guide = (tmp_path / "導入手順.txt").read_bytes()
    assert guide.startswith(b"\xef\xbb\xbf")  # Notepad: UTF-8 with BOM
    assert guide.count(b"\n") == guide.count(b"\r\n")
    text = guide.decode("utf-8-sig")
    assert "selfcheck 9.9.9 オフライン導入手順" in text and "install.bat" in text and "${" not in text
    assert "Windows x64" in text and "3.11・3.12・3.13" in text
    for sh in ("install.sh", "selfcheck.sh"):
        data = (tmp_path / sh).read_bytes()
        assert b"\r" not in data and data.startswith(b"#!/bin/sh\n")


def test_zip_layout_checksums_and_modes(builder: ModuleType, tmp_path: Path) -> None:
    root = tmp_path / "selfcheck-9.9.9-offline"
    (root / "wheels").mkdir(parents=True)
    (root / "wheels" / "demo-1.0-py3-none-any.whl").write_bytes(b"PK fake wheel")
    builder.render_templates(root, "9.9.9", builder.choose_targets("current", "current"))
    count = builder.write_checksums(root)
    dest = tmp_path / "out.zip"
    builder.make_zip(root, dest)
    with zipfile.ZipFile(dest) as zf:
        infos = {i.filename: i for i in zf.infolist()}
    prefix = "selfcheck-9.9.9-offline/"
    assert all(n.startswith(prefix) for n in infos)
    assert len(infos) == count + 1  # every file plus SHA256SUMS itself
    assert (infos[prefix + "install.sh"].external_attr >> 16) & 0o111  # executable after `unzip`
    assert infos[prefix + "導入手順.txt"].flag_bits & 0x800  # UTF-8 name flag: Explorer shows it right
    assert infos[prefix + "wheels/demo-1.0-py3-none-any.whl"].compress_type == zipfile.ZIP_STORED
    lines = (root / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((root / name).read_bytes()).hexdigest() == digest
    if shutil.which("sha256sum"):  # the same file works with the coreutils tool the guide mentions
        res = subprocess.run(
            ["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=root, capture_output=True, check=False
        )
        assert res.returncode == 0, res.stderr


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["--platforms", "solaris"], "--platforms"),
        (["--pythons", "3.9"], "--pythons"),
        (["--platforms", ""], "--platforms"),
    ],
)
def test_builder_refuses_bad_arguments_in_one_line(tmp_path: Path, args: list[str], expect: str) -> None:
    res = subprocess.run(
        [sys.executable, str(BUILDER), "--out", str(tmp_path / "out"), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert expect in one_line_failure(res)
    assert res.returncode == 2


def test_builder_in_a_hostile_environment_answers_in_one_line(tmp_path: Path) -> None:
    """An output path that is a file, on a C-locale console without UTF-8 mode, with no uv in PATH."""
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    env = {"PATH": "/nonexistent", "LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    res = subprocess.run(
        [sys.executable, "-S", str(BUILDER), "--out", str(blocker / "sub"), "--platforms", "current"],
        capture_output=True,
        text=True,
        encoding="ascii",
        errors="strict",  # the message must already be encodable in ASCII
        env=env,
        timeout=60,
        check=False,
    )
    one_line_failure(res)
    assert res.returncode == 2


def fake_bundle(root: Path) -> None:
    """A bundle directory as offline_bundle.py lays it out, with stand-in wheels."""
    tag = "win_amd64" if os.name == "nt" else "manylinux_x86_64"
    abi = f"cp{sys.version_info[0]}{sys.version_info[1]}"
    (root / "wheels").mkdir(parents=True)
    (root / "constraints").mkdir()
    (root / "wheels" / "demo-1.0-py3-none-any.whl").write_bytes(b"wheel bytes")
    (root / "constraints" / f"{tag}-{abi}.txt").write_text("demo==1.0\n", encoding="utf-8")
    (root / "bundle.json").write_text(json.dumps({"version": "9.9.9"}), encoding="utf-8")
    shutil.copy2(INSTALLER, root / "install.py")
    lines = [
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(root).as_posix()}"
        for p in sorted(root.rglob("*"))
        if p.is_file()
    ]
    (root / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_installer(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(root / "install.py")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )


def test_installer_run_from_inside_the_zip_says_extract_first(tmp_path: Path) -> None:
    shutil.copy2(
        INSTALLER, tmp_path / "install.py"
    )  # what Explorer does when install.bat is opened in the ZIP
    text = one_line_failure(run_installer(tmp_path))
    assert "すべて展開" in text


def test_installer_refuses_a_damaged_file(tmp_path: Path) -> None:
    fake_bundle(tmp_path)
    (tmp_path / "wheels" / "demo-1.0-py3-none-any.whl").write_bytes(b"wheel bytes, one bit flipped")
    res = run_installer(tmp_path)
    text = res.stdout.strip().splitlines()[-1]
    assert res.returncode == 2 and "Traceback" not in res.stdout + res.stderr
    assert "壊れているか書き換えられています: wheels/demo-1.0-py3-none-any.whl" in text
    assert not (tmp_path / "venv").exists()  # refused before anything was created


def test_installer_refuses_a_wheel_that_is_not_listed(tmp_path: Path) -> None:
    fake_bundle(tmp_path)
    (tmp_path / "wheels" / "evil-6.6-py3-none-any.whl").write_bytes(b"not from the build")
    res = run_installer(tmp_path)
    assert res.returncode == 2
    assert "SHA256SUMS にないファイル" in res.stdout.strip().splitlines()[-1]


def test_installer_names_what_the_bundle_has_when_this_python_is_missing(tmp_path: Path) -> None:
    fake_bundle(tmp_path)
    for p in (tmp_path / "constraints").glob("*.txt"):
        p.rename(p.with_name("win_amd64-cp399.txt"))
    text = one_line_failure(run_installer(tmp_path))
    assert "win_amd64-cp399" in text


def test_every_package_in_the_tree_is_in_the_wheel() -> None:
    """pyproject lists the packages by hand (the card's folders are mapped into selfcheck.*): a package
    missing from the list installs fine with -e and in the test run (which imports the source tree) but
    is absent from the wheel, the offline bundle and the one-folder app."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = set()
    for folder, dirs, names in os.walk(REPO / "selfcheck", followlinks=True):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        if "__init__.py" in names:
            found.add(".".join(Path(folder).relative_to(REPO).parts))
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
