"""Programmes made from the commissioning templates (seeds 002 and 000)."""

from __future__ import annotations

from datetime import date

import pytest

from narrative_service.errors import DomainError
from narrative_service.milestones.models import Milestone
from narrative_service.milestones.rules import check_reporting_date, create_programme


def test_reflecting_on_practice_has_four_quarters_reported_a_month_after_each(app):
    programme = create_programme("reflecting_on_practice", "2025/26", by=None)
    quarters = {
        m.quarter: (m.period_start, m.period_end, m.reporting_date) for m in programme.milestones
    }
    assert quarters == {
        "Q1": (date(2025, 4, 1), date(2025, 6, 30), date(2025, 7, 31)),
        "Q2": (date(2025, 7, 1), date(2025, 9, 30), date(2025, 10, 31)),
        "Q3": (date(2025, 10, 1), date(2025, 12, 31), date(2026, 1, 31)),
        "Q4": (date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 30)),
    }


def test_collaborative_risk_assessment_weights_q2_and_q4_with_targets(app):
    programme = create_programme("collaborative_risk_assessment", "2015/16", by=None)
    figures = {
        m.quarter: (m.weighting_percent, m.target_percent, m.reporting_date)
        for m in programme.milestones
    }
    assert figures == {
        "Q2": (25.0, 50.0, date(2015, 9, 30)),
        "Q4": (75.0, 100.0, date(2016, 3, 31)),
    }


def test_a_reporting_date_before_its_period_is_refused(app):
    milestone = Milestone(
        quarter="Q2",
        period_start=date(2025, 7, 1),
        period_end=date(2025, 9, 30),
        reporting_date=date(2025, 6, 30),
    )
    with pytest.raises(DomainError, match="must be on or after the start of its period"):
        check_reporting_date(milestone)


@pytest.mark.parametrize(
    ("template", "year", "words"),
    [
        ("no_such_template", "2025/26", "Choose a template"),
        ("reflecting_on_practice", "2025", "not a financial year"),
    ],
)
def test_bad_programme_input_is_named(app, template, year, words):
    with pytest.raises(DomainError, match=words):
        create_programme(template, year, by=None)
