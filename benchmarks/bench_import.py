"""Parsing + deriving a policy: median time over N runs for each real policy and a synthetic 20 KB one.

Target (issue 5): ≤ 50 ms median for a 20 KB policy. Run: `python benchmarks/bench_import.py [N]`.
The parse cache is cleared before every run, so each figure is a cold parse of the text.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from selfcheck.catalog import builtin_catalog
from selfcheck.policy_import import parse as parse_module
from selfcheck.policy_import.build import draft_from_text

POLICIES = Path(__file__).resolve().parent.parent.parent / "shared" / "policies"


def synthetic(size: int = 20_000) -> str:
    """A 20 KB policy: the 周南 text with its definitions and measures' paragraphs repeated."""
    base = (POLICIES / "shunan-eisei.txt").read_text(encoding="utf-8")
    head, rest = base.split("3. 対象とする脅威", 1)
    filler = "この定義は、情報資産の機密性、完全性及び可用性を維持するために用いる用語の意味を明らかにするものである。\n\n"
    text = head
    while len((text + rest).encode("utf-8")) < size:
        text += filler
    return text + "3. 対象とする脅威" + rest


def bench(text: str, n: int) -> float:
    bank = builtin_catalog().bank
    times = []
    for _ in range(n):
        parse_module._parse_cached.cache_clear()
        t0 = time.perf_counter()
        draft = draft_from_text(text)
        draft.items(bank)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    builtin_catalog()  # loading the bank is start-up cost, not import cost
    cases = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(POLICIES.glob("*.txt"))]
    cases.append(("synthetic-20KB", synthetic()))
    worst = 0.0
    for name, text in cases:
        ms = bench(text, n)
        worst = max(worst, ms)
        print(f"{name:28s} {len(text.encode('utf-8')):>7,d} B  median {ms:6.2f} ms  (N={n})")
    print(f"worst median {worst:.2f} ms; target ≤ 50 ms: {'OK' if worst <= 50 else 'MISSED'}")
    return 0 if worst <= 50 else 1


if __name__ == "__main__":
    sys.exit(main())
