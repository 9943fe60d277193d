from datetime import date

import pytest

from narrative_service.timeutil import financial_year_start, quarter_bounds, quarter_of


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 4, 1), ("2025/26", "Q1")),
        (date(2025, 6, 30), ("2025/26", "Q1")),
        (date(2025, 7, 1), ("2025/26", "Q2")),
        (date(2025, 12, 31), ("2025/26", "Q3")),
        (date(2026, 1, 1), ("2025/26", "Q4")),
        (date(2026, 3, 31), ("2025/26", "Q4")),
    ],
)
def test_quarter_of_follows_the_nhs_financial_year(day, expected):
    assert quarter_of(day) == expected


def test_quarter_bounds_of_q4_fall_in_the_next_calendar_year():
    assert quarter_bounds("2025/26", "Q4") == (date(2026, 1, 1), date(2026, 3, 31))


@pytest.mark.parametrize("label", ["2025", "2025/27", "25/26", "2025-26"])
def test_a_malformed_financial_year_is_refused(label):
    with pytest.raises(ValueError, match="is not a financial year"):
        financial_year_start(label)
