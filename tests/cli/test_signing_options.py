"""Every command that signs takes the same signing options, added by one helper (issue 11: `incident report
--sign` had no --passphrase-file, and its error told the user to use it). Every signing failure says why,
in words and as a reason code a screen can act on."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from selfcheck import inspection
from selfcheck.cli import build_parser, main
from selfcheck.cli.signing import PASSPHRASE_FILE_HELP, SIGNING_OPTIONS
from selfcheck.errors import SigningError
from selfcheck.incident import cases
from selfcheck.signing import keystore
from selfcheck.workspace import Workspace

ORG = "shunan-eisei"


def _walk(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found += _walk(sub, (*path, name))
    return found


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {o: a for a in parser._actions for o in a.option_strings}


SIGNING_COMMANDS = [(p, sub) for p, sub in _walk(build_parser()) if "--sign" in _options(sub)]


def test_the_walk_finds_both_signing_commands() -> None:
    assert {" ".join(p) for p, _ in SIGNING_COMMANDS} == {"report make", "incident report"}


@pytest.mark.parametrize(
    ("path", "parser"), SIGNING_COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_signing_command_takes_the_same_options(
    path: tuple[str, ...], parser: argparse.ArgumentParser
) -> None:
    opts = _options(parser)
    assert set(SIGNING_OPTIONS) <= set(opts), path
    assert opts["--passphrase-file"].help == PASSPHRASE_FILE_HELP
    assert opts["--passphrase-file"].metavar == "FILE"
    assert opts["--sign"].const is True  # a flag


def _no_key(home: Path) -> tuple[Path, Path]:
    pfile = home.parent / "pp.txt"
    pfile.write_text("correct horse battery staple 馬\n", encoding="utf-8")
    return pfile, home.parent / "out.pdf"


def test_signing_without_a_key_says_run_keys_init(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    pfile, pdf = _no_key(ws.home)
    h = ["--data-dir", str(ws.home)]
    assert (
        main(["report", "make", str(iid), "-o", str(pdf), "--sign", "--passphrase-file", str(pfile), *h]) == 2
    )
    assert "keys init" in capsys.readouterr().err and not pdf.exists()
    with pytest.raises(SigningError) as exc:
        keystore.unlock(ws, keystore.Passphrase(given="x"))
    assert exc.value.reason == "no_key"
    assert keystore.readiness(ws).state == "no_key"


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_incident_report_signs_with_a_passphrase_file_where_there_is_no_credential_store(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    """No mem_keyring: the conftest forces keyring's fail backend, as on a PC without a store."""
    iid = cases.open_incident(ws, org_id=ORG, playbook_id="lost-stolen", detected_at="2026-11-21T09:30")
    pfile, pdf = _no_key(ws.home)
    h = ["--data-dir", str(ws.home)]
    assert main(["keys", "init", "--org", ORG, "--name", "佐藤", "--passphrase-file", str(pfile), *h]) == 0
    r = keystore.readiness(ws)
    assert (r.state, r.store) == ("ask", False)
    capsys.readouterr()
    # no file, no terminal: the reason, and an option this very command has
    assert main(["incident", "report", str(iid), "-o", str(pdf), "--sign", *h]) == 2
    err = capsys.readouterr().err
    assert "--passphrase-file" in err and not pdf.exists()
    assert (
        main(["incident", "report", str(iid), "-o", str(pdf), "--sign", "--passphrase-file", str(pfile), *h])
        == 0
    )
    assert "電子署名済み" in capsys.readouterr().out
    assert main(["verify", str(pdf), *h]) == 0
    shown = capsys.readouterr().out
    # signing time in JST and 和暦, the signer's name in words (not +00:00, not "Common Name:")
    assert "日本時間" in shown and "令和" in shown and "+00:00" not in shown
    assert "氏名 佐藤" in shown and "Common Name" not in shown and "ENTIRE_FILE" not in shown
    # a wrong passphrase says so
    wrong = ws.home.parent / "wrong.txt"
    wrong.write_text("nope\n", encoding="utf-8")
    other = ws.home.parent / "other.pdf"
    assert (
        main(
            ["incident", "report", str(iid), "-o", str(other), "--sign", "--passphrase-file", str(wrong), *h]
        )
        == 2
    )
    assert "パスフレーズが違う" in capsys.readouterr().err and not other.exists()
    with pytest.raises(SigningError) as exc:
        keystore.unlock(ws, keystore.Passphrase(given="nope"))
    assert exc.value.reason == "wrong_passphrase"
    with pytest.raises(SigningError) as exc:
        keystore.unlock(ws, keystore.Passphrase())
    assert exc.value.reason == "no_store"


def test_a_passphrase_file_without_sign_is_a_mistake(
    ws: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    pfile, pdf = _no_key(ws.home)
    assert (
        main(
            [
                "report",
                "make",
                str(iid),
                "-o",
                str(pdf),
                "--passphrase-file",
                str(pfile),
                "--data-dir",
                str(ws.home),
            ]
        )
        == 2
    )
    assert "--sign" in capsys.readouterr().err and not pdf.exists()


def test_an_unreadable_passphrase_file_is_named(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    iid = inspection.start(ws, org_id=ORG, fiscal_year=2026)
    missing = ws.home.parent / "none.txt"
    pdf = ws.home.parent / "x.pdf"
    argv = ["report", "make", str(iid), "-o", str(pdf), "--sign", "--passphrase-file", str(missing)]
    assert main([*argv, "--data-dir", str(ws.home)]) == 2
    err = capsys.readouterr().err
    assert "none.txt" in err and "パスフレーズファイル" in err
