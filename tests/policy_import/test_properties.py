"""Property-based: random and mutated policy texts never raise anything but ImportRejected, and always give
either a usable result or a one-line reason."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfcheck.catalog import builtin_catalog
from selfcheck.errors import ImportRejected
from selfcheck.policy_import.build import draft_from_bytes, draft_from_text
from selfcheck.policy_import.draft import Draft
from tests.conftest import BODY_IDS, policy_text

BANK = builtin_catalog().bank
GARBAGE = st.sampled_from(
    [
        "",
        "\x00\x01",
        "①②③",
        "(1)",
        "（１）",
        "1. 目的",
        "第3条（定義）",
        "附 則",
        "目次",
        "情報セキュリティ対策基準",
        "- (9) **評価・見直し**：",
        "ア",
        "1―2 脅威",
        "令和8年13月40日策定",
        "�",
        "\u200b",
        "\t1",
        "⑳",
        "(99) x",
    ]
)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcome(make: object) -> None:
    """Run `make()`; it must return a Draft whose JSON and checklist build, or raise ImportRejected."""
    try:
        draft = make()  # type: ignore[operator]
    except ImportRejected as exc:
        for msg in (exc.message_ja, exc.message_en, exc.one_line()):
            assert msg.strip() and "\n" not in exc.one_line()
        return
    assert isinstance(draft, Draft)
    doc = draft.as_json(BANK)
    assert doc["sections"] and doc["measures"]
    assert 1 <= int(doc["threat_count"]) <= 20  # type: ignore[call-overload]


@SETTINGS
@given(st.text(max_size=3000))
def test_random_text(text: str) -> None:
    _outcome(lambda: draft_from_text(text))


@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes(data: bytes) -> None:
    _outcome(lambda: draft_from_bytes(data))


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    lines = policy_text(draw(st.sampled_from(BODY_IDS))).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "garbage", "truncate", "split"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "garbage":
            lines.insert(i, draw(GARBAGE) + draw(st.text(max_size=20)))
        elif op == "truncate":
            lines = lines[:i]
        else:
            cut = draw(st.integers(0, len(lines[i])))
            lines[i : i + 1] = [lines[i][:cut], "", lines[i][cut:]]
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp932"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_policies(data: bytes) -> None:
    _outcome(lambda: draft_from_bytes(data))
