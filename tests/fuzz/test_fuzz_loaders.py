"""Fuzz the file loaders users can feed: checklist bank and profile YAML, playbook YAML, the contacts CSV
importer. Random text, random bytes, random YAML structures and mutations of the real files: the only
acceptable failure is a SelfcheckError (a clear message), never another exception."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from fuzz_common import hostile_text, report
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcheck import paths
from selfcheck.checklist_format import load_bank_file, load_profile_file
from selfcheck.errors import SelfcheckError
from selfcheck.incident.playbook import load_playbook_file

FAST = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)

BANK = sorted((paths.builtin_checklists() / "bank").glob("*.yaml"))
BODIES = sorted((paths.builtin_checklists() / "bodies").glob("*.yaml"))
PLAYBOOKS = sorted((paths.builtin_data() / "playbooks").glob("*.yaml"))

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), hostile_text, st.dates().map(str)
)
yaml_data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.text(max_size=15), st.integers()), inner, max_size=6),
    ),
    max_leaves=25,
)


def _mutate(text: str, ops: list[tuple[int, int, str]]) -> str:
    """Apply (kind, position, insert) edits: delete a line, duplicate a line, insert text, cut the file."""
    lines = text.splitlines(keepends=True)
    for kind, pos, ins in ops:
        if not lines:
            break
        i = pos % len(lines)
        if kind == 0:
            del lines[i]
        elif kind == 1:
            lines.insert(i, lines[i])
        elif kind == 2:
            lines[i] = lines[i][: len(lines[i]) // 2] + ins + lines[i][len(lines[i]) // 2 :]
        else:
            lines = lines[:i]
    return "".join(lines)


mutation = st.lists(
    st.tuples(
        st.integers(0, 3),
        st.integers(0, 10_000),
        st.sampled_from(
            [
                ":",
                "- ",
                "  ",
                "\t",
                "{",
                "]",
                "'",
                '"',
                "&a",
                "*a",
                "!!python/object:os.system",
                "null",
                "7(8)③",
                "\x00",
            ]
        ),
    ),
    min_size=1,
    max_size=4,
)


def _run(loader: Callable[[Path], Any], data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "fuzz.yaml"
        p.write_bytes(data)
        with contextlib.suppress(SelfcheckError):
            loader(p)


def _encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogatepass")  # unpaired surrogates become invalid UTF-8


LOADERS: dict[str, tuple[Callable[[Path], Any], list[Path]]] = {
    "bank": (load_bank_file, BANK),
    "profile": (load_profile_file, BODIES),
    "playbook": (load_playbook_file, PLAYBOOKS),
}


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_loader_survives_random_input(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    loader, real_files = LOADERS[name]
    assert real_files, "no real files to mutate"
    n = 0

    @FAST
    @given(
        st.one_of(
            hostile_text.map(_encode),
            st.binary(max_size=400),
            yaml_data.map(lambda d: yaml.safe_dump(d, allow_unicode=True).encode("utf-8", "surrogatepass")),
        )
    )
    def random_input(data: bytes) -> None:
        nonlocal n
        n += 1
        _run(loader, data)

    @FAST
    @given(st.sampled_from(real_files), mutation)
    def mutated_real_file(src: Path, ops: list[tuple[int, int, str]]) -> None:
        nonlocal n
        n += 1
        _run(loader, _encode(_mutate(src.read_text(encoding="utf-8"), ops)))

    random_input()
    mutated_real_file()
    report(capsys, f"{name} loader", n)


def test_contacts_csv_importer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from selfcheck.incident import contacts
    from selfcheck.workspace import open_workspace

    ws = open_workspace(tmp_path / "home", actor="fuzz")
    org = "shunan-eisei"
    n = 0
    cell = st.one_of(
        hostile_text, st.sampled_from(["ciso", "cio", "担当", "=1+1", "03-1234-5678", "a@b.jp", ""])
    )
    rows = st.lists(st.lists(cell, max_size=8), max_size=6)
    header = st.one_of(
        st.just(["role", "name", "organization", "phone", "email", "note"]),
        st.lists(st.sampled_from(["role", "name", "役割", "氏名", "電話", "x", ""]), max_size=7),
    )

    def as_csv(h: list[str], body: list[list[str]]) -> bytes:
        import csv
        import io

        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(h)
        w.writerows(body)
        return _encode(buf.getvalue())

    @FAST
    @given(
        st.one_of(st.binary(max_size=500), hostile_text.map(_encode), st.builds(as_csv, header, rows)),
        st.sampled_from(["utf-8", "utf-8-sig-prefix"]),
    )
    def importer(data: bytes, enc: str) -> None:
        nonlocal n
        n += 1
        src = tmp_path / "contacts.csv"
        src.write_bytes((b"\xef\xbb\xbf" if enc.endswith("prefix") else b"") + data)
        with contextlib.suppress(SelfcheckError):
            contacts.import_csv(ws, org, src)

    importer()
    ws.close()
    report(capsys, "contacts CSV importer", n)
