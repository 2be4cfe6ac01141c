"""Tables on the terminal with Japanese text aligned: rich measures every character's width on screen
(full-width kanji are two cells), which padding with `str.ljust` cannot do.

rich costs ~40 ms to import, so this module is imported inside the command handlers that print a table,
never at the top of a command module (`selfcheck --help` stays fast). No box-drawing characters: they
are "ambiguous width" and take two cells in some Japanese consoles, which would break the alignment;
columns are separated by spaces and the header is bold on a terminal.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text


def print_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, right: Sequence[int] = ()
) -> None:
    """Print rows under headers; columns in `right` (numbers) are right-aligned. Cell text is never read
    as rich markup (a title may contain brackets)."""
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, padding=(0, 2, 0, 0))
    for n, head in enumerate(headers):
        table.add_column(head, justify="right" if n in right else "left", overflow="fold")
    for row in rows:
        table.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    if sys.stdout.isatty():
        Console(highlight=False, markup=False, emoji=False).print(table)
        return
    # to a file or a pipe: as wide as the table needs (no wrapping inside cells), plain text without
    # the padding rich leaves after the last column
    buffer = io.StringIO()
    Console(file=buffer, width=1000, highlight=False, markup=False, emoji=False, color_system=None).print(
        table
    )
    sys.stdout.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))
