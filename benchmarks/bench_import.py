"""Parsing + deriving a policy: median time over N runs for each real policy, a synthetic 20 KB one, and a
30-page PDF policy read from its bytes (PDF text layer -> lines -> profile -> checklist).

Targets: ≤ 50 ms median for a text policy (issue 5), ≤ 1 s for the 30-page PDF (issue 12); importing the
module that reads PDF/Word/HTML adds nothing to start-up (`selfcheck.cli` and the TUI do not load
pypdfium2, python-docx or lxml: checked here and by bench_startup.py). Run:
`python benchmarks/bench_import.py [N]`. The parse cache is cleared before every run, so each figure is
a cold parse.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from selfcheck.catalog import builtin_catalog
from selfcheck.policy_import import parse as parse_module
from selfcheck.policy_import.build import draft_from_bytes, draft_from_text

POLICIES = Path(__file__).resolve().parent.parent.parent / "shared" / "policies"
REPO = Path(__file__).resolve().parent.parent


def synthetic(size: int = 20_000) -> str:
    """A 20 KB policy: the 周南 text with its definitions and measures' paragraphs repeated."""
    base = (POLICIES / "shunan-eisei.txt").read_text(encoding="utf-8")
    head, rest = base.split("3. 対象とする脅威", 1)
    filler = "この定義は、情報資産の機密性、完全性及び可用性を維持するために用いる用語の意味を明らかにするものである。\n\n"
    text = head
    while len((text + rest).encode("utf-8")) < size:
        text += filler
    return text + "3. 対象とする脅威" + rest


def thirty_page_pdf() -> bytes:
    """The 安平町 policy with its definitions and explanations repeated until the PDF has 30 pages (a policy
    with its commentary, as bodies publish it), wrapped paragraphs, a running header and page numbers."""
    sys.path.insert(0, str(REPO))
    from tests.policy_import.formats import to_pdf

    base = (POLICIES / "abira-cho.txt").read_text(encoding="utf-8")
    head, rest = base.split("3. 対象とする脅威", 1)
    note = (
        "（解説）この定義は、情報資産の機密性、完全性及び可用性を維持するため、職員等が共通の理解を持つよう"
        "用語の意味を明らかにしたものであり、対策基準及び実施手順においても同じ意味で用いる。\n\n"
    )
    reps = 60
    while True:
        data = to_pdf(
            head + note * reps + "3. 対象とする脅威" + rest, header="安平町情報セキュリティ基本方針"
        )
        import pypdfium2 as pdfium  # the reader the product uses, to count the pages

        pages = len(pdfium.PdfDocument(data))
        if pages >= 30:
            return data
        reps = reps * 30 // max(pages, 1) + 5


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


def bench_pdf(data: bytes, n: int) -> float:
    bank = builtin_catalog().bank
    draft_from_bytes(data, ext=".pdf")  # the first call loads pypdfium2 (counted by bench_startup, not here)
    times = []
    for _ in range(n):
        parse_module._parse_cached.cache_clear()
        t0 = time.perf_counter()
        draft_from_bytes(data, ext=".pdf").items(bank)
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def readers_at_start_up() -> str:
    code = (
        "import sys, selfcheck.cli, selfcheck.tui.app\n"
        "print(','.join(m for m in ('pypdfium2', 'docx', 'lxml') if m in sys.modules))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


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
    print(f"worst text median {worst:.2f} ms; target ≤ 50 ms: {'OK' if worst <= 50 else 'MISSED'}")
    pdf = thirty_page_pdf()
    import pypdfium2 as pdfium

    pages = len(pdfium.PdfDocument(pdf))
    pdf_ms = bench_pdf(pdf, max(3, n // 10))
    print(
        f"{pages}-page PDF {len(pdf):>12,d} B  median {pdf_ms:7.1f} ms; target ≤ 1000 ms: "
        f"{'OK' if pdf_ms <= 1000 else 'MISSED'}"
    )
    loaded = readers_at_start_up()
    print(f"PDF/Word/HTML readers loaded at start-up: {loaded or 'none'} (target: none)")
    ok = worst <= 50 and pdf_ms <= 1000 and not loaded
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
