"""What a quarter's milestone needs, what is met, and its status: computed, never typed.

For "Reflecting on practice – Safeguarding" (seed 002) each quarter needs:
  a. a complete, consented narrative presenting one service user's perspective;
  b. a reflection session on it with key learning points and themes, whose attendees
     heard the narrative directly;
  c. dissemination to frontline staff, and d. to corporate or board level;
  e. actions that support applying and embedding the learning;
  f. the link to the strategic plan (and training needs);
  g. feedback to the person and/or family, or why it was not possible.
Evidence counts for a quarter when it is linked to that milestone, or (for narratives and
sessions not linked to any) when it falls within the quarter's dates.

Status: complete when every item is met; overdue when the reporting date has passed with
items missing; at risk when it is 14 days away or less with items missing; otherwise in
progress (not started before the quarter begins).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import or_, select

from ..extensions import db
from ..narratives.models import Narrative
from ..reflection.models import ReflectionSession
from ..timeutil import today
from .models import Action, DisseminationActivity, Milestone, ParticipantFeedback, TrainingNeed

AT_RISK_DAYS = 14
STATUS_LABELS = {
    "complete": "Complete",
    "in_progress": "In progress",
    "at_risk": "At risk",
    "overdue": "Overdue",
    "not_started": "Not started",
}


@dataclass
class Item:
    key: str
    label: str
    is_met: bool
    detail: str
    fix_label: str = ""
    fix_url: str = ""


@dataclass
class Checklist:
    milestone: Milestone
    items: list[Item] = field(default_factory=list)
    status: str = "in_progress"
    days_to_report: int = 0

    @property
    def missing(self) -> list[Item]:
        return [item for item in self.items if not item.is_met]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _in_period(column, milestone: Milestone):
    return column.between(milestone.period_start, milestone.period_end)


def narratives_for(milestone: Milestone) -> list[Narrative]:
    query = select(Narrative).where(
        or_(
            Narrative.milestone_id == milestone.id,
            Narrative.milestone_id.is_(None) & _in_period(Narrative.captured_from, milestone),
        )
    )
    return list(db.session.scalars(query.order_by(Narrative.captured_from, Narrative.id)))


def sessions_for(milestone: Milestone) -> list[ReflectionSession]:
    query = select(ReflectionSession).where(
        or_(
            ReflectionSession.milestone_id == milestone.id,
            ReflectionSession.milestone_id.is_(None)
            & _in_period(ReflectionSession.held_on, milestone),
        )
    )
    return list(db.session.scalars(query.order_by(ReflectionSession.held_on)))


def _qualifying_narratives(milestone: Milestone) -> list[Narrative]:
    return [
        n
        for n in narratives_for(milestone)
        if n.status == "complete" and n.has_consent and n.has_reflection_consent
    ]


def _qualifying_sessions(milestone: Milestone, narratives: list[Narrative]) -> list:
    ids = {n.id for n in narratives}
    qualifying = []
    for session in sessions_for(milestone):
        on_narrative = any(n.id in ids for n in session.narratives)
        heard = session.attendees and all(a.heard_directly_at for a in session.attendees)
        themed = any(point.themes for point in session.learning_points)
        if on_narrative and heard and session.learning_points and themed:
            qualifying.append(session)
    return qualifying


def build(milestone: Milestone, on: date | None = None) -> Checklist:
    """The milestone's checklist and status on a day (today by default)."""
    on = on or today()
    narratives = _qualifying_narratives(milestone)
    sessions = _qualifying_sessions(milestone, narratives)
    activities = list(
        db.session.scalars(
            select(DisseminationActivity).where(DisseminationActivity.milestone_id == milestone.id)
        )
    )
    frontline = [a for a in activities if a.audience_level == "frontline"]
    corporate = [a for a in activities if a.audience_level in ("corporate", "board")]
    actions = list(db.session.scalars(select(Action).where(Action.milestone_id == milestone.id)))
    needs = list(
        db.session.scalars(select(TrainingNeed).where(TrainingNeed.milestone_id == milestone.id))
    )
    feedback = list(
        db.session.scalars(
            select(ParticipantFeedback).where(ParticipantFeedback.milestone_id == milestone.id)
        )
    )
    given = [
        f
        for f in feedback
        if (f.was_possible and f.given_on and f.told_outcome)
        or (not f.was_possible and f.not_possible_reason)
    ]
    milestone_url = url_for("milestones.milestone", milestone_id=milestone.id)
    items = [
        Item(
            "narrative",
            "A complete, consented narrative of one service user's perspective",
            bool(narratives),
            _count(narratives, "narrative")
            if narratives
            else "No complete narrative with consent for staff reflection in this quarter.",
            "Record a narrative",
            url_for("narratives.new"),
        ),
        Item(
            "reflection",
            "Staff reflection on it: everyone heard it directly; learning points with themes",
            bool(sessions),
            _count(sessions, "reflection session")
            if sessions
            else _reflection_gap(milestone, narratives),
            "Set up a reflection session",
            url_for("reflection.new"),
        ),
        Item(
            "dissemination_frontline",
            "Learning shared with frontline staff",
            bool(frontline),
            _count(frontline, "activity", "activities") if frontline else "None recorded yet.",
            "Record dissemination",
            milestone_url + "#dissemination",
        ),
        Item(
            "dissemination_board",
            "Learning shared at corporate or board level",
            bool(corporate),
            _count(corporate, "activity", "activities") if corporate else "None recorded yet.",
            "Record dissemination",
            milestone_url + "#dissemination",
        ),
        Item(
            "embedding_actions",
            "Actions that support applying and embedding the learning",
            bool(actions),
            _count(actions, "action") if actions else "No actions in the action plan yet.",
            "Add an action",
            milestone_url + "#actions",
        ),
        Item(
            "strategic_plan",
            "Related to the strategic plan (and training needs)",
            bool(milestone.strategic_objective_ref and milestone.strategic_objective_text),
            (
                f"Objective {milestone.strategic_objective_ref}"
                + (f"; {_count(needs, 'training need')}" if needs else "")
            )
            if milestone.strategic_objective_ref
            else "No strategic objective recorded.",
            "Record the strategic objective",
            milestone_url + "#strategic-plan",
        ),
        Item(
            "participant_feedback",
            "Feedback to the person and/or family (or why it was not possible)",
            bool(given),
            _count(given, "feedback record") if given else "None recorded yet.",
            "Record feedback",
            milestone_url + "#feedback",
        ),
    ]
    checklist = Checklist(milestone, items, days_to_report=(milestone.reporting_date - on).days)
    checklist.status = status(milestone, items, on)
    return checklist


def status(milestone: Milestone, items: list[Item], on: date) -> str:
    if all(item.is_met for item in items):
        return "complete"
    if on > milestone.reporting_date:
        return "overdue"
    if (milestone.reporting_date - on).days <= AT_RISK_DAYS:
        return "at_risk"
    if on < milestone.period_start and not any(item.is_met for item in items):
        return "not_started"
    return "in_progress"


def _count(things: list, singular: str, plural: str | None = None) -> str:
    return f"{len(things)} {singular if len(things) == 1 else (plural or singular + 's')}"


def _reflection_gap(milestone: Milestone, narratives: list[Narrative]) -> str:
    sessions = sessions_for(milestone)
    if not sessions:
        return "No reflection session in this quarter."
    session = sessions[0]
    if not any(n in narratives for n in session.narratives):
        return "The quarter's session is not on a qualifying narrative."
    if not session.attendees or not all(a.heard_directly_at for a in session.attendees):
        return "Not every attendee is recorded as having heard the narrative directly."
    if not session.learning_points:
        return "The session has no key learning points yet."
    return "The learning points have no themes yet."


def due_soon(on: date | None = None, days: int = AT_RISK_DAYS) -> list[Checklist]:
    """Milestones not complete whose reporting date is within `days` (or already passed)."""
    on = on or today()
    upcoming = db.session.scalars(
        select(Milestone)
        .where(Milestone.reporting_date <= on + timedelta(days=days))
        .where(Milestone.reporting_date >= on - timedelta(days=90))
        .order_by(Milestone.reporting_date)
    )
    return [c for c in (build(m, on) for m in upcoming) if c.status != "complete"]


def actions_due(on: date | None = None, days: int = AT_RISK_DAYS) -> list[Action]:
    on = on or today()
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.status != "complete", Action.due_on <= on + timedelta(days=days))
            .order_by(Action.due_on)
        )
    )
