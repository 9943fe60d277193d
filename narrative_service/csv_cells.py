"""Every CSV the service writes goes through here, so no cell can run as a formula.

A spreadsheet opening a CSV treats a cell beginning with = + - or @ as a formula (and tab
or carriage return can hide one): ``=HYPERLINK(...)`` in a name would become a link that
sends data away when clicked. Such a cell gets a leading apostrophe, as OWASP advises,
so it shows as the text that was typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with an apostrophe in front if it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """Each row as one CSV line with its cells made safe: for a response that streams."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """The whole CSV as text, every cell made safe."""
    return "".join(csv_lines(rows))
