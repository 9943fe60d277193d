"""Programmes and their quarterly milestones."""

from __future__ import annotations

from datetime import date

from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..timeutil import financial_year_start, quarter_bounds
from .models import Milestone, Programme
from .templates import TEMPLATES


def _last_day_of_month_after(day: date, months: int) -> date:
    month_index = day.month - 1 + months + 1
    first_of_next = date(day.year + month_index // 12, month_index % 12 + 1, 1)
    return date.fromordinal(first_of_next.toordinal() - 1)


def check_reporting_date(milestone: Milestone) -> None:
    if milestone.reporting_date < milestone.period_start:
        raise DomainError(
            f"The reporting date for {milestone.quarter} must be on or after the start of its "
            f"period ({milestone.period_start:%-d %B %Y})",
            "reporting_date",
        )


def create_programme(template: str, financial_year: str, *, by: User | None) -> Programme:
    """A programme for a financial year with its milestones, from a template."""
    if template not in TEMPLATES:
        raise DomainError(f"Choose a template: {', '.join(TEMPLATES)}", "template")
    try:
        financial_year_start(financial_year)
    except ValueError as wrong:
        raise DomainError(str(wrong), "financial_year") from None
    spec = TEMPLATES[template]
    programme = Programme(
        template=template,
        name=f"{spec['name']} {financial_year}",
        financial_year=financial_year,
        created_by_id=by.id if by else None,
    )
    for quarter, months_after, weighting in spec["milestones"]:
        first, last = quarter_bounds(financial_year, quarter)
        milestone = Milestone(
            quarter=quarter,
            period_start=first,
            period_end=last,
            reporting_date=_last_day_of_month_after(last, months_after),
            weighting_percent=weighting,
            requirements=list(spec["requirements"]),
            target_percent=spec.get("targets", {}).get(quarter),
        )
        check_reporting_date(milestone)
        programme.milestones.append(milestone)
    db.session.add(programme)
    return programme
