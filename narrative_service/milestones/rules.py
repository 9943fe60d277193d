"""Programmes and their quarterly milestones."""

from __future__ import annotations

from datetime import date

from ..audit.rules import record
from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..timeutil import financial_year_start, quarter_bounds, today
from .models import (
    Action,
    DisseminationActivity,
    Milestone,
    ParticipantFeedback,
    Programme,
    TrainingNeed,
)
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


# ------------------------------------------------------------------ evidence for a milestone

AUDIENCE_LEVELS = {"frontline": "Frontline staff", "corporate": "Corporate", "board": "Board"}
CHANNELS = {
    "team_meeting": "Team meeting",
    "bulletin": "Safeguarding bulletin",
    "training": "Training session",
    "board_paper": "Board paper",
    "committee": "Committee",
    "intranet": "Intranet",
    "other": "Other",
}
ACTION_STATUSES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
}
FEEDBACK_METHODS = ("In person", "By phone", "By letter", "Through the advocate", "Other")


def _text(value: str | None, limit: int, field: str, label: str, required=False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {label}", field)
    if len(value) > limit:
        raise DomainError(f"{label[0].upper()}{label[1:]} can be up to {limit:,} characters", field)
    return value


def _quarter_named(day: date) -> str:
    from ..timeutil import quarter_of

    year, quarter = quarter_of(day)
    return f"{year} {quarter}"


def add_dissemination(milestone: Milestone, values: dict, *, by: User) -> DisseminationActivity:
    held_on = values.get("held_on")
    if held_on is None:
        raise DomainError("Enter the date the learning was shared", "held_on")
    if not (milestone.period_start <= held_on <= milestone.period_end):
        raise DomainError(
            f"That date is in {_quarter_named(held_on)}, outside this milestone "
            f"({milestone.quarter}, {milestone.period_start:%-d %B} to "
            f"{milestone.period_end:%-d %B %Y}). Record it on the milestone it counts for.",
            "held_on",
        )
    if values.get("audience_level") not in AUDIENCE_LEVELS:
        raise DomainError(
            "Choose who it was shared with: frontline, corporate or board", "audience_level"
        )
    if values.get("channel") not in CHANNELS:
        raise DomainError("Choose how it was shared", "channel")
    reach = values.get("reach")
    if reach is not None and reach < 0:
        raise DomainError("The number of people reached cannot be negative", "reach")
    activity = DisseminationActivity(
        milestone_id=milestone.id,
        held_on=held_on,
        audience_level=values["audience_level"],
        audience=_text(values.get("audience"), 300, "audience", "the audience", required=True),
        channel=values["channel"],
        reach=reach,
        notes=_text(values.get("notes"), 5000, "notes", "the notes"),
        learning_point_ids=list(values.get("learning_point_ids") or []),
        link_url=_text(values.get("link_url"), 500, "link_url", "the link"),
        created_by_id=by.id,
    )
    if activity.link_url and not activity.link_url.startswith(("https://", "http://")):
        raise DomainError("A link starts with https:// (or http://)", "link_url")
    db.session.add(activity)
    db.session.flush()
    record("milestone.dissemination", user_id=by.id, subject=milestone, activity=activity.id)
    return activity


def add_action(milestone: Milestone, values: dict, *, by: User) -> Action:
    due_on = values.get("due_on")
    raised_on = today()
    if due_on is not None and due_on < raised_on:
        raise DomainError(
            f"The due date is before the action was raised ({raised_on:%-d %B %Y})", "due_on"
        )
    if values.get("status", "not_started") not in ACTION_STATUSES:
        raise DomainError("Choose the action's status", "status")
    action = Action(
        milestone_id=milestone.id,
        recommendation=_text(
            values.get("recommendation"), 5000, "recommendation", "the recommendation", True
        ),
        lead=_text(values.get("lead"), 200, "lead", "the lead"),
        action_completed=_text(values.get("action_completed"), 5000, "action_completed", "it"),
        further_action=_text(values.get("further_action"), 5000, "further_action", "it"),
        due_on=due_on,
        method_of_measurement=_text(
            values.get("method_of_measurement"), 5000, "method_of_measurement", "it"
        ),
        outcome_indicator=_text(values.get("outcome_indicator"), 5000, "outcome_indicator", "it"),
        reported_to=_text(values.get("reported_to"), 200, "reported_to", "it"),
        status=values.get("status") or "not_started",
    )
    db.session.add(action)
    db.session.flush()
    record("milestone.action", user_id=by.id, subject=milestone, action_id=action.id)
    return action


def is_overdue(action: Action, on: date | None = None) -> bool:
    return (
        action.status != "complete"
        and action.due_on is not None
        and action.due_on < (on or today())
    )


def set_strategic_objective(milestone: Milestone, reference: str, text: str, *, by: User) -> None:
    milestone.strategic_objective_ref = _text(
        reference, 60, "reference", "the objective's reference", True
    )
    milestone.strategic_objective_text = _text(text, 5000, "text", "the objective", True)
    record("milestone.strategic_plan", user_id=by.id, subject=milestone)


def add_feedback(milestone: Milestone, values: dict, *, by: User) -> ParticipantFeedback:
    was_possible = values.get("was_possible", True)
    if was_possible:
        if values.get("given_on") is None:
            raise DomainError("Enter the date feedback was given", "given_on")
        if values["given_on"] > today():
            raise DomainError("The date feedback was given cannot be in the future", "given_on")
        told = _text(values.get("told_outcome"), 5000, "told_outcome", "what they were told", True)
        reason = ""
    else:
        told = ""
        reason = _text(
            values.get("not_possible_reason"),
            5000,
            "not_possible_reason",
            "why feedback was not possible",
            True,
        )
    feedback = ParticipantFeedback(
        milestone_id=milestone.id,
        narrative_id=values.get("narrative_id"),
        given_on=values.get("given_on") if was_possible else None,
        method=_text(values.get("method"), 60, "method", "the method"),
        given_by=_text(values.get("given_by"), 200, "given_by", "who gave it"),
        told_outcome=told,
        improvements=_text(values.get("improvements"), 5000, "improvements", "the improvements"),
        response=_text(values.get("response"), 5000, "response", "their response"),
        was_possible=was_possible,
        not_possible_reason=reason,
    )
    db.session.add(feedback)
    db.session.flush()
    record("milestone.feedback", user_id=by.id, subject=milestone, feedback=feedback.id)
    return feedback


def add_training_need(milestone: Milestone, values: dict, *, by: User) -> TrainingNeed:
    """An entry in the training needs analysis: theme, staff group, need, planned response."""
    from ..themes.models import Theme

    theme_id = values.get("theme_id")
    if theme_id is not None and db.session.get(Theme, theme_id) is None:
        raise DomainError("Choose a theme from the codebook", "theme_id")
    need = TrainingNeed(
        milestone_id=milestone.id,
        theme_id=theme_id,
        staff_group=_text(values.get("staff_group"), 200, "staff_group", "the staff group", True),
        need=_text(values.get("need"), 5000, "need", "the training need", True),
        planned_response=_text(
            values.get("planned_response"), 5000, "planned_response", "the planned response"
        ),
    )
    db.session.add(need)
    db.session.flush()
    record("milestone.training_need", user_id=by.id, subject=milestone, training_need=need.id)
    return need
