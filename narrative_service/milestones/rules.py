"""Programmes and their quarterly milestones."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..audit.rules import add_and_record, record
from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..themes.models import Theme
from ..timeutil import financial_year_start, quarter_bounds, quarter_of, today, utcnow
from .checklist import sessions_for
from .models import (
    Action,
    ActionUpdate,
    Deliverable,
    DisseminationActivity,
    Milestone,
    ParticipantFeedback,
    Programme,
    RiskAudit,
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
    if programme_exists(template, financial_year):
        raise DomainError(
            f"There is already a “{spec['name']}” programme for {financial_year}",
            "financial_year",
        )
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
            requirements=list(spec["requirements"].get(quarter, spec["requirements"]["*"])),
            target_percent=spec.get("targets", {}).get(quarter),
        )
        programme.milestones.append(milestone)
    check_no_overlap(programme)
    return add_and_record(programme, "programme.created", by=by)


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
    year, quarter = quarter_of(day)
    return f"{year} {quarter}"


def learning_points_for(milestone: Milestone) -> list:
    """The learning points of the quarter's reflection sessions, to link to what was shared."""

    return [point for session in sessions_for(milestone) for point in session.learning_points]


def _learning_points_of(milestone: Milestone, ids) -> list[int]:
    ids = sorted({int(i) for i in ids or []})
    known = {point.id for point in learning_points_for(milestone)}
    if set(ids) - known:
        raise DomainError(
            "Choose learning points from this quarter's reflection sessions", "learning_point_ids"
        )
    return ids


def add_dissemination(milestone: Milestone, values: dict, *, by: User) -> DisseminationActivity:
    held_on = values.get("held_on")
    if held_on is None:
        raise DomainError("Enter the date the learning was shared", "held_on")
    if not (milestone.period_start <= held_on <= milestone.period_end):
        other = next(
            (
                m
                for m in milestone.programme.milestones
                if m.period_start <= held_on <= m.period_end
            ),
            None,
        )
        where = (
            f"It falls in {other.quarter} of this programme: record it on {other.quarter}'s "
            "milestone if that is the one it counts for."
            if other is not None
            else "No milestone of this programme covers that date: check the date, or record "
            "it on the milestone it counts for."
        )
        raise DomainError(
            f"That date is in {_quarter_named(held_on)}, outside this milestone "
            f"({milestone.quarter}, {milestone.period_start:%-d %B} to "
            f"{milestone.period_end:%-d %B %Y}). {where}",
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
        learning_point_ids=_learning_points_of(milestone, values.get("learning_point_ids")),
        link_url=_text(values.get("link_url"), 500, "link_url", "the link"),
        created_by_id=by.id,
    )
    if activity.link_url and not activity.link_url.startswith(("https://", "http://")):
        raise DomainError("A link starts with https:// (or http://)", "link_url")
    return add_and_record(
        activity, "milestone.dissemination", by=by, subject=milestone, id_as="activity"
    )


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
    return add_and_record(action, "milestone.action", by=by, subject=milestone, id_as="action_id")


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
    return add_and_record(
        feedback, "milestone.feedback", by=by, subject=milestone, id_as="feedback"
    )


def add_training_need(milestone: Milestone, values: dict, *, by: User) -> TrainingNeed:
    """An entry in the training needs analysis: theme, staff group, need, planned response."""

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
    return add_and_record(
        need, "milestone.training_need", by=by, subject=milestone, id_as="training_need"
    )


# ------------------------------------------------------------------ programme dates


def check_no_overlap(programme: Programme) -> None:
    """Each quarter's period must end before the next begins, and the reporting date follow."""
    ordered = sorted(programme.milestones, key=lambda m: m.period_start)
    for milestone in ordered:
        if milestone.period_end < milestone.period_start:
            raise DomainError(
                f"{milestone.quarter} ends ({milestone.period_end:%-d %B %Y}) before it starts "
                f"({milestone.period_start:%-d %B %Y})",
                "period_end",
            )
        check_reporting_date(milestone)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.period_start <= earlier.period_end:
            raise DomainError(
                f"{earlier.quarter} ({earlier.period_start:%-d %B} to "
                f"{earlier.period_end:%-d %B %Y}) and {later.quarter} ({later.period_start:%-d %B}"
                f" to {later.period_end:%-d %B %Y}) overlap: a day can count for one quarter only",
                "period_start",
            )
    total = sum(m.weighting_percent or 0 for m in programme.milestones)
    if total > 100.0001:
        raise DomainError(
            f"The quarters' weightings add up to {total:g} %: they can add up to 100 % at most",
            "weighting_percent",
        )


def update_milestone(milestone: Milestone, values: dict, *, by: User) -> None:
    """Change a quarter's dates and weighting; refused whole if quarters would overlap."""
    for field, label in (
        ("period_start", "the start of the period"),
        ("period_end", "the end of the period"),
        ("reporting_date", "the reporting date"),
    ):
        if values.get(field) is None:
            raise DomainError(f"Enter {label}", field)
    weighting = values.get("weighting_percent")
    if weighting is not None and not 0 <= weighting <= 100:
        raise DomainError("The weighting is a percentage from 0 to 100", "weighting_percent")
    target = values.get("target_percent", milestone.target_percent)
    if target is not None and not 0 <= target <= 100:
        raise DomainError("The target is a percentage from 0 to 100", "target_percent")
    milestone.period_start = values["period_start"]
    milestone.period_end = values["period_end"]
    milestone.reporting_date = values["reporting_date"]
    milestone.weighting_percent = weighting
    milestone.target_percent = target
    check_no_overlap(milestone.programme)
    record("milestone.dates", user_id=by.id, subject=milestone)


def programme_exists(template: str, financial_year: str) -> bool:
    return (
        db.session.scalar(
            select(Programme.id).where(
                Programme.template == template, Programme.financial_year == financial_year
            )
        )
        is not None
    )


# ------------------------------------------------------------------ action progress


def add_action_update(action: Action, values: dict, *, by: User) -> ActionUpdate:
    """A dated note of progress on an action, optionally moving its status on."""
    on = values.get("on")
    if on is None:
        raise DomainError("Enter the date of this progress", "on")
    if on > today():
        raise DomainError("The date of progress cannot be in the future", "on")
    raised_on = action.created_at.date() if action.created_at else None
    if raised_on and on < raised_on:
        raise DomainError(f"The date is before the action was raised ({raised_on:%-d %B %Y})", "on")
    status = values.get("status") or action.status
    if status not in ACTION_STATUSES:
        raise DomainError("Choose the action's status", "status")
    update = ActionUpdate(
        action_id=action.id,
        on=on,
        text=_text(values.get("text"), 5000, "text", "what progress was made", True),
        created_by_id=by.id,
    )
    action.status = status
    if values.get("action_completed"):
        action.action_completed = _text(
            values["action_completed"], 5000, "action_completed", "what was done"
        )
    return add_and_record(
        update,
        "milestone.action_update",
        by=by,
        subject=db.session.get(Milestone, action.milestone_id),
        action_id=action.id,
        status=status,
    )


# ------------------------------------------------------------------ marking as submitted


def submit(milestone: Milestone, missing: list[str], values: dict, *, by: User) -> None:
    """Mark the quarter as submitted to the commissioner. With items missing, only with a
    rationale and a remedial action (seed 000's rule for a missed target)."""
    rationale = _text(values.get("rationale"), 5000, "rationale", "the rationale")
    remedial = _text(values.get("remedial_action"), 5000, "remedial_action", "the action")
    if missing:
        listed = "; ".join(item.lower() for item in missing)
        if not rationale:
            raise DomainError(
                f"Items are missing ({listed}). Give the rationale for submitting without them",
                "rationale",
            )
        if not remedial:
            raise DomainError(
                "Items are missing: describe the remedial action that will put this right",
                "remedial_action",
            )
    milestone.submitted_at = utcnow()
    milestone.submitted_by_id = by.id
    milestone.submission_rationale = rationale
    milestone.submission_remedial_action = remedial
    milestone.missing_when_submitted = list(missing)
    record("milestone.submitted", user_id=by.id, subject=milestone, missing=len(missing))


# ------------------------------------------------------------------ collaborative risk assessment

AUDIT_KINDS = {"baseline": "Baseline audit", "re_audit": "Re-audit"}
DELIVERABLE_KINDS = {
    "training_programme": "Education and training programme",
    "evaluation": "Evaluation of the programme",
}


def add_risk_audit(milestone: Milestone, values: dict, *, by: User) -> RiskAudit:
    kind = values.get("kind")
    if kind not in AUDIT_KINDS:
        raise DomainError("Choose whether this is the baseline audit or a re-audit", "kind")
    if values.get("audited_on") is None:
        raise DomainError("Enter the date of the audit", "audited_on")
    if values["audited_on"] > today():
        raise DomainError("The date of the audit cannot be in the future", "audited_on")
    service_users = values.get("service_users")
    collaborated = values.get("collaborated")
    if not service_users or service_users < 1:
        raise DomainError("Enter how many service users were audited (at least 1)", "service_users")
    if collaborated is None or collaborated < 0:
        raise DomainError(
            "Enter how many collaborated in their risk assessment and safety plan", "collaborated"
        )
    if collaborated > service_users:
        raise DomainError(
            f"{collaborated} collaborated, but only {service_users} were audited", "collaborated"
        )
    audit = RiskAudit(
        milestone_id=milestone.id,
        kind=kind,
        audited_on=values["audited_on"],
        service_users=service_users,
        collaborated=collaborated,
        notes=_text(values.get("notes"), 5000, "notes", "the notes"),
        created_by_id=by.id,
    )
    if kind == "re_audit":
        milestone.audited_percent = round(audit.percent, 1)
    return add_and_record(audit, "milestone.risk_audit", by=by, subject=milestone, kind=kind)


def set_shortfall(milestone: Milestone, rationale: str, plan: str, *, by: User) -> None:
    milestone.shortfall_rationale = _text(
        rationale, 5000, "rationale", "the rationale for missing the target", True
    )
    milestone.shortfall_remedial_plan = _text(
        plan, 5000, "remedial_plan", "the remedial action plan", True
    )
    record("milestone.shortfall", user_id=by.id, subject=milestone)


def add_deliverable(milestone: Milestone, values: dict, *, by: User) -> Deliverable:
    kind = values.get("kind")
    if kind not in DELIVERABLE_KINDS:
        raise DomainError("Choose the training programme or its evaluation", "kind")
    satisfaction = {}
    for field, label in (
        ("staff_satisfaction_percent", "staff satisfaction"),
        ("service_user_satisfaction_percent", "service-user satisfaction"),
    ):
        value = values.get(field)
        if value is not None and not 0 <= value <= 100:
            raise DomainError(f"Give {label} as a percentage from 0 to 100", field)
        satisfaction[field] = value
    if kind == "evaluation" and None in satisfaction.values():
        missing = [k for k, v in satisfaction.items() if v is None][0]
        raise DomainError(
            "An evaluation includes staff and service-user satisfaction: enter both", missing
        )
    completed_on = values.get("completed_on")
    if completed_on and completed_on > today():
        raise DomainError("The date completed cannot be in the future", "completed_on")
    deliverable = Deliverable(
        milestone_id=milestone.id,
        kind=kind,
        title=_text(values.get("title"), 300, "title", "a title", True),
        summary=_text(values.get("summary"), 10000, "summary", "the summary"),
        completed_on=completed_on,
        created_by_id=by.id,
        **satisfaction,
    )
    return add_and_record(deliverable, "milestone.deliverable", by=by, subject=milestone, kind=kind)
