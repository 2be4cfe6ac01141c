"""Playbook data: the incident types, their phases, tracks and threat keys, containment first, the per-body
threat clause (群馬 has four threats), and schema errors reported as `file:line: field: message`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from selfcheck import paths
from selfcheck.cli import main
from selfcheck.errors import ChecklistFormatError
from selfcheck.incident.playbook import PHASES, builtin_playbooks, load_playbook_file, validate_path
from selfcheck.incident.threats import THREAT_KEYS, clause_for, threat_map
from tests.conftest import BODY_IDS, policy_file

DATA = Path(__file__).parent / "data"

REQUIRED_TYPES = {
    "ransomware": "intentional",
    "malware": "intentional",
    "unauthorized-access": "intentional",
    "payment-fraud": "intentional",  # business-email compromise / invoice fraud: 重要情報の詐取
    "sns-takeover": "intentional",
    "dos-defacement": "intentional",
    "insider": "intentional",
    "theft": "intentional",  # 盗難 is an intentional threat (部外者の侵入), not an accident
    "lost-stolen": "unintentional",  # 紛失・置き忘れ (id kept for existing records)
    "misdelivery": "unintentional",
    "system-failure": "unintentional",
    "contractor": "unintentional",
    "disaster": "disaster",
    "pandemic": "pandemic",
    "outage": "infrastructure",
}


def test_all_types_with_their_threat() -> None:
    books = builtin_playbooks()
    assert {k: books[k].threat for k in REQUIRED_TYPES} == REQUIRED_TYPES
    assert {b.threat for b in books.values()} == set(THREAT_KEYS)


def test_shapes_and_phase_titles() -> None:
    for b in builtin_playbooks().values():
        expected_shape = "bcp" if b.threat in ("disaster", "pandemic", "infrastructure") else "incident"
        assert b.shape == expected_shape, b.id
        assert [b.phase_title(p.id) for p in b.phases] == [t for _i, t in PHASES[b.shape]]


def test_every_playbook_reports_to_the_ciso_and_never_lets_it_be_skipped() -> None:
    for b in builtin_playbooks().values():
        ciso = [s for _p, s in b.steps() if "ciso" in s.contacts and not s.skippable]
        assert ciso and all(s.required for s in ciso), b.id
        first = b.phases[0].steps[0]
        assert first.within_hours is not None, b.id  # the first thing to do always has a target time


def test_guidance_is_short_imperative_sentences() -> None:
    for b in builtin_playbooks().values():
        for _p, s in b.steps():
            sentences = [x for x in re.split(r"[。］]", s.guidance) if x.strip()]
            assert all(len(x) <= 80 for x in sentences), (b.id, s.id)


def test_crime_flags_on_attack_and_theft_playbooks() -> None:
    books = builtin_playbooks()
    for pid in ("ransomware", "malware", "unauthorized-access", "dos-defacement", "insider", "theft"):
        assert "crime" in books[pid].flags
    for pid in ("payment-fraud", "sns-takeover"):
        assert "crime" in books[pid].flags
    assert "crime" not in books["misdelivery"].flags
    assert "crime" not in books["lost-stolen"].flags  # 紛失 is not a crime; a theft is the theft playbook


def _policy_threats(body: str) -> list[str]:
    """The (n) items of section 3 「対象とする脅威」 in the body's published policy."""
    text = (policy_file(body)).read_text(encoding="utf-8")
    start = [m.end() for m in re.finditer(r"^3\.? ?対象とする脅威\s*$", text, re.M)][-1]
    end = re.search(r"^4\.? ?適用範囲", text[start:], re.M)
    section = text[start : start + (end.start() if end else 2000)]
    return re.findall(r"^- ?\((\d)\)", section, re.M)


@pytest.mark.parametrize("body", BODY_IDS)
def test_threat_map_matches_each_policy(body: str) -> None:
    items = _policy_threats(body)
    mapping = threat_map()["bodies"][body]
    assert set(mapping) == set(THREAT_KEYS)
    clauses = {f"3({n})" for n in items}
    assert set(mapping.values()) == clauses  # every threat of the policy is answered, none invented
    if body == "gunma-sogo-jimu":
        assert len(items) == 4
        assert mapping["pandemic"] == mapping["infrastructure"] == "3(4)"
    else:
        assert len(items) == 5


def test_clause_for_unknown_body_uses_threat_count() -> None:
    assert clause_for("imported-x", "infrastructure", 4).clause == "3(4)"
    assert clause_for("imported-x", "infrastructure", 5).clause == "3(5)"
    assert clause_for("imported-x", "infrastructure", 7).clause == "3"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "bad_phase_order.yaml",
            r"bad_phase_order\.yaml:\d+: \(root\): .*phases for shape 'incident' must be",
        ),
        (
            "bad_unknown_role.yaml",
            r"bad_unknown_role\.yaml:12: phases\[0\]\.steps\[0\]\.role: unknown role 'janitor'",
        ),
        ("bad_unknown_role.yaml", r"phases\[4\]\.steps\[0\]\.contacts\[0\]: unknown role 'nobody'"),
        ("bad_threat.yaml", r"bad_threat\.yaml:4: threat: Input should be 'intentional'"),
        ("bad_threat.yaml", r"bad_threat\.yaml:5: phases: List should have at least 1 item"),
        (
            "bad_step_fields.yaml",
            r"bad_step_fields\.yaml:13: phases\[0\]\.steps\[0\]\.within_hours: Input should be greater than 0",
        ),
        (
            "bad_step_fields.yaml",
            r"bad_step_fields\.yaml:14: phases\[0\]\.steps\[0\]\.colour: Extra inputs are not permitted",
        ),
    ],
)
def test_bad_fixtures_name_file_line_field(fixture: str, expected: str) -> None:
    with pytest.raises(ChecklistFormatError) as e:
        load_playbook_file(DATA / fixture)
    assert any(re.search(expected, p) for p in e.value.problems), e.value.problems


def test_duplicate_step_id_and_id_file_mismatch(tmp_path: Path) -> None:
    src = (DATA / "bad_step_fields.yaml").read_text(encoding="utf-8")
    fixed = src.replace("        within_hours: -1\n        colour: red\n", "")
    p = tmp_path / "other-name.yaml"
    p.write_text(fixed, encoding="utf-8")
    with pytest.raises(ChecklistFormatError) as e:
        load_playbook_file(p)
    assert "step id 'a' is used twice" in e.value.problems[0]
    p.write_text(fixed.replace("- {id: a, title: 切替", "- {id: b, title: 切替"), encoding="utf-8")
    with pytest.raises(ChecklistFormatError) as e:
        load_playbook_file(p)
    assert any(
        re.search(r"other-name\.yaml:1: id: id 'bad-step-fields' must match the file name", p)
        for p in e.value.problems
    )


def test_validate_command_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["incident", "playbooks", "validate", str(paths.builtin_data() / "playbooks")]) == 0
    assert f"{len(builtin_playbooks())} 件" in capsys.readouterr().out
    assert main(["incident", "playbooks", "validate", str(DATA)]) == 2
    err = capsys.readouterr().err
    assert "bad_unknown_role.yaml:12: phases[0].steps[0].role: unknown role 'janitor'" in err
    assert main(["incident", "playbooks", "validate", str(DATA / "missing.yaml")]) == 2


def test_validate_path_collects_all_files() -> None:
    good, problems = validate_path(DATA)
    assert good == []
    assert {Path(p.split(":")[0]).name for p in problems} == {f.name for f in DATA.glob("*.yaml")}


def test_bad_track_order_placeholder_and_only_for_are_reported() -> None:
    with pytest.raises(ChecklistFormatError) as e:
        load_playbook_file(DATA / "bad_track_order.yaml")
    problems = "\n".join(e.value.problems)
    assert re.search(
        r"bad_track_order\.yaml:10: phases\[0\]\.steps\[2\]\.within_hours: isolate \(1h\) waits behind "
        r"report-ciso \(4h\) in track 'report'",
        problems,
    )
    assert "timed (24h) waits behind later (no target) in track 'act'" in problems
    assert "{server_room} is used but not required by only_for.facts" in problems
    assert "only_for.facts: unknown fact 'no_such_fact'" in problems
    assert "only_for.clauses: unknown topic 'no_such_topic'" in problems
