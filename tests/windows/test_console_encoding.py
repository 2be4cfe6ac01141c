"""Every CLI command on a console that cannot show every character: Windows' cp932 (what a redirected
`selfcheck ... > file.txt` or an old console uses) and a POSIX C locale with Python's UTF-8 mode and
locale coercion switched off (ASCII only). No command may end in a UnicodeEncodeError, a traceback or
the unexpected-error exit 70; characters the console cannot show are replaced, and Japanese stays
readable where the console can show it (cp932).

The commands are found by walking the argparse tree: every leaf runs with `--help`, and with a real
sample invocation from SAMPLES (a new command without a sample fails `test_every_command_has_a_sample`).
They run in a subprocess per environment (tests/windows/cli_walk_driver.py) against a demo data folder.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from selfcheck.cli import build_parser
from selfcheck.cli import main as cli_main

REPO = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().parent / "cli_walk_driver.py"
ORG = "shunan-eisei"

ENVIRONMENTS = {
    # Windows: a redirected console or an old code page; Japanese is representable, "—" and "〜" are not
    "cp932": {"PYTHONIOENCODING": "cp932"},
    # POSIX C locale: without the two overrides Python would switch to UTF-8 and hide the problem
    "c-locale": {
        "LANG": "C",
        "LC_ALL": "C",
        "PYTHONUTF8": "0",
        "PYTHONCOERCECLOCALE": "0",
        "PYTHONIOENCODING": "",
    },
}


def leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every runnable command path of the parser tree, e.g. ("incident", "playbooks", "validate")."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        return [path]
    found: list[tuple[str, ...]] = []
    if path and parser.get_default("func") is not None:
        found.append(path)  # a group that also runs by itself (`incident playbooks` lists them)
    for action in subs:
        for name, sub in action.choices.items():
            found += leaves(sub, (*path, name))
    return found


@dataclass
class Ids:
    """Ids in the demo data that the sample commands refer to (looked up, never guessed)."""

    open_inspection: int
    final_inspection: int
    item: str
    other_item: str
    evidence: int
    incident: int
    step: str
    triage_key: str
    report: str
    contact: int


@dataclass
class Case:
    argv: list[str]
    codes: tuple[int, ...] = (0,)
    expect_ja: list[str] = field(default_factory=list)  # must be readable in cp932 output


def _json_of(argv: list[str]) -> object:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert cli_main(argv) == 0, argv
    return json.loads(buf.getvalue())


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Ids]:
    home = tmp_path_factory.mktemp("walk") / "demo-home"
    with contextlib.redirect_stdout(io.StringIO()):
        assert cli_main(["demo", "--data-dir", str(home)]) == 0
    insps = _json_of(["inspection", "list", "--json", "--data-dir", str(home)])
    assert isinstance(insps, list)
    open_id = next(i["id"] for i in insps if i["status"] == "open")
    final_id = next(i["id"] for i in insps if i["status"] == "final")
    exported = _json_of(["inspection", "export", str(open_id), "--json", "--data-dir", str(home)])
    items = exported["items"]  # type: ignore[index]
    with_evidence = next(i for i in items if i["evidence"])
    incidents = _json_of(["incident", "list", "--json", "--data-dir", str(home)])
    incident = incidents[0]["id"]  # type: ignore[index]
    shown = _json_of(["incident", "show", str(incident), "--json", "--data-dir", str(home)])
    contacts = _json_of(["contacts", "list", "--json", "--data-dir", str(home)])
    ids = Ids(
        open_inspection=open_id,
        final_inspection=final_id,
        item=items[0]["item_id"],
        other_item=items[1]["item_id"],
        evidence=with_evidence["evidence"][0]["id"],
        incident=incident,
        step=shown["steps"][0]["id"],  # type: ignore[index]
        triage_key=shown["triage_questions"][0]["key"],  # type: ignore[index]
        report=shown["deadlines"][0]["id"],  # type: ignore[index]
        contact=contacts[-1]["id"],  # type: ignore[index]
    )
    return home, ids


def samples(work: Path, home: Path, ids: Ids, japanese_names: bool) -> dict[tuple[str, ...], list[Case]]:
    """Real invocations of every command, in an order that works on one data folder. File names are
    Japanese with spaces where the console encoding can carry them (cp932); the C-locale run uses ASCII
    names, since a Japanese argv there is undecodable bytes before selfcheck sees it."""

    def name(ja: str, en: str) -> Path:
        return work / (ja if japanese_names else en)

    pp = name("鍵 パスフレーズ.txt", "pass phrase.txt")
    pp.write_text("walk-passphrase-123\n", encoding="utf-8")
    doc = name("研修 記録①.txt", "training record.txt")
    doc.write_text("研修記録\n", encoding="utf-8")
    pdf, ipdf = name("報告 書.pdf", "report one.pdf"), name("事案 報告.pdf", "incident report.pdf")
    zipf, csvf = name("控え.zip", "backup.zip"), name("連絡先.csv", "contacts.csv")
    i, f, n = str(ids.open_inspection), str(ids.final_inspection), str(ids.incident)
    return {
        # a group without its action prints its usage (exit 2)
        **{
            (group,): [Case([group], (0, 2))]
            for group in ("checklist", "inspection", "keys", "policy", "audit", "export", "db")
        },
        ("orgs",): [Case(["orgs"], expect_ja=["周南地区衛生施設組合"]), Case(["orgs", "--json"])],
        ("paths",): [Case(["paths"]), Case(["paths", "--json"])],
        ("db", "status"): [Case(["db", "status"]), Case(["db", "status", "--json"])],
        ("db", "use"): [
            Case(["db", "use", "sqlite"]),
            Case(["db", "use", "mysql://u:pw@h/db"], (2,), ["URL"]),
        ],
        # no server on port 1: refused in one line (the source is checked first, then the target)
        ("db", "migrate"): [
            Case(["db", "migrate", "--to", "postgresql://u@127.0.0.1:1/x?connect_timeout=2"], (2,))
        ],
        ("checklist", "show"): [
            Case(["checklist", "show", "abira-cho"], expect_ja=["安平町"]),
            Case(["checklist", "show", ORG, "--json"]),
            Case(["checklist", "show", "no-such-body"], (2,)),
        ],
        ("checklist", "validate"): [
            Case(["checklist", "validate", str(REPO / "checklists")]),
            Case(["checklist", "validate", str(REPO / "tests/data/checklists/bad_syntax.yaml")], (2,)),
        ],
        ("checklist", "schema"): [Case(["checklist", "schema", "-o", str(work / "schema.json")])],
        ("inspection", "list"): [Case(["inspection", "list"])],
        ("inspection", "start"): [Case(["inspection", "start", "ogi-kansa-iin", "--year", "2026"])],
        ("inspection", "answer"): [
            Case(["inspection", "answer", i, ids.item, "implemented", "--comment", "確認済み — 課長〜係長"]),
            Case(["inspection", "answer", "999", ids.item, "implemented"], (2,)),
        ],
        ("inspection", "improve"): [
            Case(
                [
                    "inspection",
                    "improve",
                    i,
                    ids.other_item,
                    "手順書を改訂 — 全職員へ周知",
                    "--due",
                    "2027-03-31",
                ]
            )
        ],
        ("inspection", "attach"): [
            Case(["inspection", "attach", i, ids.item, str(doc)]),
            Case(["inspection", "attach", i, ids.item, "--paper", "総務課 書庫①"]),
        ],
        ("inspection", "detach"): [Case(["inspection", "detach", str(ids.evidence)])],
        ("inspection", "summary"): [Case(["inspection", "summary", i])],
        ("inspection", "export"): [Case(["inspection", "export", i, "--json"])],
        # the demo writes evidence files with Japanese names: impossible with ASCII-only file names, where
        # it must say so in one line (exit 2) instead of crashing
        ("demo",): [Case(["demo", "--data-dir", str(work / "demo2")], (0,) if japanese_names else (2,))],
        ("keys", "init"): [Case(["keys", "init", "--name", "試験 太郎", "--passphrase-file", str(pp)])],
        ("keys", "show"): [Case(["keys", "show"], expect_ja=["試験 太郎"]), Case(["keys", "show", "--json"])],
        ("keys", "import"): [Case(["keys", "import", str(work / "none.p12"), "--force"], (2,))],
        ("report",): [
            Case(
                ["report", i, "-o", str(pdf), "--sign", "--passphrase-file", str(pp)],
                expect_ja=["電子署名済み"],
            ),
            Case(["report", "roles", "show", ORG]),
            Case(["report", "revise", i]),
            Case(["report", "abc"], (2,)),
        ],
        ("report", "make"): [Case(["report", "make", i, "-o", str(work / "draft.pdf")])],
        ("report", "revise"): [Case(["report", "revise", "999"], (2,))],
        ("report", "roles"): [Case(["report", "roles", "show", ORG])],
        ("report", "roles", "show"): [Case(["report", "roles", "show", ORG])],
        ("report", "roles", "set"): [Case(["report", "roles", "set", ORG, "担当", "係長", "課長"])],
        ("verify",): [
            Case(["verify", str(pdf)], expect_ja=["有効"]),
            Case(["verify", "--evidence", f]),
            Case(["verify", str(work / "missing.pdf")], (2,)),
        ],
        ("incident", "playbooks"): [
            Case(["incident", "playbooks"]),
            Case(["incident", "playbooks", "--json"]),
        ],
        ("incident", "playbooks", "validate"): [
            Case(["incident", "playbooks", "validate", str(REPO / "data" / "playbooks")])
        ],
        ("incident", "list"): [Case(["incident", "list"])],
        ("incident", "show"): [Case(["incident", "show", n]), Case(["incident", "show", n, "--json"])],
        ("incident", "open"): [
            Case(
                [
                    "incident",
                    "open",
                    "--org",
                    ORG,
                    "--playbook",
                    "misdelivery",
                    "--detected-at",
                    "2026-11-21T16:40",
                ]
            )
        ],
        ("incident", "step"): [Case(["incident", "step", n, ids.step, "done"])],
        ("incident", "note"): [Case(["incident", "note", n, "課長へ電話 — 〜15時"])],
        ("incident", "triage"): [Case(["incident", "triage", n, f"{ids.triage_key}=yes"])],
        ("incident", "reported"): [Case(["incident", "reported", n, ids.report])],
        ("incident", "ppc"): [Case(["incident", "ppc", n, "overview", "USB メモリ①の紛失"])],
        ("incident", "set"): [Case(["incident", "set", n, "title", "名簿の紛失（訂正）"])],
        ("incident", "evidence"): [Case(["incident", "evidence", n, "--paper", "総務課 キャビネット"])],
        ("incident", "close"): [
            Case(["incident", "close", n, "--note", "終結 — 再発防止策"], (2,), ["終結できません"])
        ],
        ("incident", "reopen"): [Case(["incident", "reopen", n, "--reason", "追加の報告"], (2,), ["対応中"])],
        ("incident", "report"): [Case(["incident", "report", n, "-o", str(ipdf)])],
        ("incident", "timeline"): [
            Case(["incident", "timeline", n]),
            Case(["incident", "timeline", n, "--csv", "-o", str(work / "timeline.csv")]),
        ],
        ("incident", "closed-days"): [
            Case(["incident", "closed-days", "add", "06-23", "--note", "慰霊の日（条例第1条）— 閉庁"]),
            Case(["incident", "closed-days"], expect_ja=["慰霊の日"]),
            Case(["incident", "closed-days", "remove", "06-23"]),
        ],
        ("contacts", "list"): [Case(["contacts", "list"])],
        ("contacts", "roles"): [Case(["contacts", "roles"])],
        ("contacts", "add"): [Case(["contacts", "add", "--role", "vendor", "--name", "保守 太郎①"])],
        ("contacts", "remove"): [Case(["contacts", "remove", str(ids.contact)])],
        ("contacts", "set-title"): [Case(["contacts", "set-title", "pr", "広報担当 — 総務課"])],
        ("contacts", "export"): [Case(["contacts", "export", "-o", str(csvf)])],
        ("contacts", "import"): [Case(["contacts", "import", str(csvf)])],
        ("policy", "import"): [
            Case(["policy", "import", str(REPO / "tests/data/policies/article-style.txt"), "--dry-run"])
        ],
        ("policy", "clause"): [Case(["policy", "clause", ORG, "7(4)"], (0, 2))],
        ("audit", "verify"): [Case(["audit", "verify"])],
        ("audit", "log"): [Case(["audit", "log", "--limit", "5"])],
        ("backup",): [Case(["backup", "-o", str(zipf)])],
        # into a new folder: the walk's own process still holds the demo folder open (restore refuses that)
        ("restore",): [
            Case(
                ["restore", str(zipf), "--data-dir", str(work / "restored"), "--skip-certificate"],
                expect_ja=["復元しました"],
            ),
            # and the refusal that names the certificate to trust, in Japanese
            Case(["restore", str(zipf), "--data-dir", str(work / "restored2")], (2,), ["証明書"]),
        ],
        ("export", "inspection"): [
            Case(["export", "inspection", f, "-o", str(work / "result.xlsx")]),
            Case(["export", "inspection", f, "-o", str(work / "plan.csv"), "--plan"]),
        ],
        ("export", "incident"): [Case(["export", "incident", n, "-o", str(work / "incident.csv")])],
    }


def test_every_command_has_a_sample(tmp_path: Path) -> None:
    known = samples(tmp_path, tmp_path, Ids(1, 1, "x", "y", 1, 1, "s", "k", "r", 1), True)
    missing = [" ".join(p) for p in leaves(build_parser()) if p not in known]
    stale = [" ".join(p) for p in known if p not in leaves(build_parser())]
    assert not missing, f"add a sample invocation to SAMPLES for: {missing}"
    assert not stale, f"samples for commands that no longer exist: {stale}"


def run_walk(env_name: str, work: Path, home: Path, ids: Ids) -> list[tuple[list[str], int, str, Case]]:
    japanese_names = env_name == "cp932"
    plan: list[tuple[list[str], Case]] = [
        (["--help"], Case(["--help"], expect_ja=["自己点検"])),
        (["--version"], Case(["--version"])),
        (["no-such-command"], Case(["no-such-command"], (2,))),
    ]
    for path in leaves(build_parser()):
        plan.append(([*path, "--help"], Case([*path, "--help"])))
    for cases in samples(work, home, ids, japanese_names).values():
        for case in cases:
            argv = list(case.argv)
            if "--data-dir" not in argv:
                argv += ["--data-dir", str(home)]
            plan.append((argv, case))
    cases_file = work / "cases.json"
    cases_file.write_text(json.dumps([argv for argv, _ in plan], ensure_ascii=False), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIOENCODING", "PYTHONUTF8"))}
    env.update(ENVIRONMENTS[env_name])
    env = {k: v for k, v in env.items() if v != ""}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never a real credential store
    res = subprocess.run(
        [sys.executable, str(DRIVER), str(cases_file)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=work,
        timeout=600,
        check=False,
    )
    encoding = "cp932" if env_name == "cp932" else "ascii"
    # strict: output the console cannot show must already have been replaced by selfcheck
    text = res.stdout.decode(encoding)
    assert res.returncode == 0, text[-3000:]
    pieces = re.split(r"\n?@@@ END (\d+) (-?\d+) @@@\n", text)
    results = []
    for k, (argv, case) in enumerate(plan):
        out, index, code = pieces[3 * k], pieces[3 * k + 1], pieces[3 * k + 2]
        assert int(index) == k
        results.append((argv, int(code), out, case))
    return results


@pytest.mark.parametrize("env_name", list(ENVIRONMENTS))
def test_every_command_survives_a_limited_console(
    env_name: str, demo_home: tuple[Path, Ids], tmp_path: Path
) -> None:
    src, ids = demo_home
    home = tmp_path / "home"
    shutil.copytree(src, home)
    results = run_walk(env_name, tmp_path, home, ids)
    problems = []
    for argv, code, out, case in results:
        shown = " ".join(argv)
        if "Traceback" in out or "UnicodeEncodeError" in out or code == 70:
            problems.append(f"{shown}: exit {code}: {out.strip()[-400:]}")
        elif code not in case.codes:
            problems.append(f"{shown}: exit {code}, expected {case.codes}: {out.strip()[-400:]}")
        elif env_name == "cp932":
            problems += [
                f"{shown}: {ja!r} not readable in {out[:200]!r}" for ja in case.expect_ja if ja not in out
            ]
        elif case.expect_ja and "?" not in out:
            problems.append(f"{shown}: expected '?' for the Japanese the console cannot show")
    crash_logs = sorted(p.name for p in home.rglob("crash-*.log"))
    assert not crash_logs, f"unexpected-error logs were written: {crash_logs}"
    assert not problems, "\n".join(problems)
    assert len(results) > 100  # the walk really ran (help for every leaf plus the samples)


@pytest.mark.parametrize("env_name", list(ENVIRONMENTS))
def test_console_script_entry_point_in_a_subprocess(env_name: str, tmp_path: Path) -> None:
    """The real entry (`python -m selfcheck`, same as the console script): the two cases from the issue."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIOENCODING", "PYTHONUTF8"))}
    env.update(ENVIRONMENTS[env_name])
    env = {k: v for k, v in env.items() if v != ""}
    env["SELFCHECK_HOME"] = str(tmp_path / "home")
    encoding = "cp932" if env_name == "cp932" else "ascii"
    for argv, must in ((["--help"], "selfcheck"), (["checklist", "show", "abira-cho"], "abira")):
        res = subprocess.run(
            [sys.executable, "-m", "selfcheck", *argv],
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        out, err = res.stdout.decode(encoding), res.stderr.decode(encoding)
        assert res.returncode == 0, err
        assert "Traceback" not in err and not err.strip(), err
        if env_name == "cp932" and argv[0] == "checklist":
            assert "安平町" in out and "?" in out  # Japanese readable, "—" replaced
        assert must in out or argv[0] == "checklist"
