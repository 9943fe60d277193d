"""Time helpers: one notion of 'now' and of the financial-year quarter."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A time read back from the database, as UTC: SQLite returns it without its zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def today() -> date:
    return utcnow().date()


def financial_year_start(year_label: str) -> int:
    """'2025/26' -> 2025. Raises ValueError for anything else."""
    first, _, second = year_label.partition("/")
    if not (len(first) == 4 and first.isdigit() and len(second) == 2 and second.isdigit()):
        raise ValueError(f"{year_label!r} is not a financial year such as 2025/26")
    start = int(first)
    if int(second) != (start + 1) % 100:
        raise ValueError(f"{year_label!r} is not a financial year such as 2025/26")
    return start


def quarter_of(day: date) -> tuple[str, str]:
    """The NHS financial year and quarter a date falls in: (\"2025/26\", \"Q1\").

    The financial year runs from 1 April; Q1 is April to June.
    """
    start = day.year if day.month >= 4 else day.year - 1
    quarter = ((day.month - 4) % 12) // 3 + 1
    return f"{start}/{(start + 1) % 100:02d}", f"Q{quarter}"


def quarter_bounds(year_label: str, quarter: str) -> tuple[date, date]:
    """First and last day of a quarter of a financial year."""
    start = financial_year_start(year_label)
    number = int(quarter.removeprefix("Q"))
    if number not in (1, 2, 3, 4):
        raise ValueError(f"{quarter!r} is not a quarter (Q1 to Q4)")
    first_month = 4 + (number - 1) * 3
    year = start if first_month <= 12 else start + 1
    first_month = (first_month - 1) % 12 + 1
    first = date(year, first_month, 1)
    end_month = first_month + 2
    next_first = date(year + (end_month // 12), end_month % 12 + 1, 1)
    last = date.fromordinal(next_first.toordinal() - 1)
    return first, last
