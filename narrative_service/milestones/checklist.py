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
from functools import cached_property

from flask import url_for
from sqlalchemy import or_, select

from ..database import rows
from ..extensions import db
from ..narratives.models import Narrative
from ..reflection.models import ReflectionSession
from ..timeutil import today
from .models import (
    Action,
    Deliverable,
    DisseminationActivity,
    Milestone,
    ParticipantFeedback,
    RiskAudit,
    TrainingNeed,
)

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
    return rows(query.order_by(Narrative.captured_from, Narrative.id))


def sessions_for(milestone: Milestone) -> list[ReflectionSession]:
    query = select(ReflectionSession).where(
        or_(
            ReflectionSession.milestone_id == milestone.id,
            ReflectionSession.milestone_id.is_(None)
            & _in_period(ReflectionSession.held_on, milestone),
        )
    )
    return rows(query.order_by(ReflectionSession.held_on))


def qualifying_narratives(milestone: Milestone) -> list[Narrative]:
    return [
        n
        for n in narratives_for(milestone)
        if n.status == "complete" and n.has_consent and n.has_reflection_consent
    ]


def qualifying_sessions(milestone: Milestone, narratives: list[Narrative]) -> list:
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
    evidence = _Evidence(milestone)
    items = [ITEMS[key](evidence) for key in milestone.requirements if key in ITEMS]
    checklist = Checklist(milestone, items, days_to_report=(milestone.reporting_date - on).days)
    checklist.status = status(milestone, items, on)
    return checklist


def records_of(model, milestone: Milestone, *order) -> list:
    """A milestone's records of one model (dissemination, actions, audits...), in `order`."""
    return rows(select(model).where(model.milestone_id == milestone.id).order_by(*order))


def _linked_rows(model) -> cached_property:
    """The milestone's records of one model, read when an item first asks for them."""
    return cached_property(lambda evidence: records_of(model, evidence.milestone))


class _Evidence:
    """What has been recorded for a milestone, read once for all its items."""

    def __init__(self, milestone: Milestone):
        self.milestone = milestone
        self.url = url_for("milestones.milestone", milestone_id=milestone.id)

    @cached_property
    def narratives(self) -> list[Narrative]:
        return qualifying_narratives(self.milestone)

    @cached_property
    def sessions(self) -> list[ReflectionSession]:
        return qualifying_sessions(self.milestone, self.narratives)

    activities = _linked_rows(DisseminationActivity)
    actions = _linked_rows(Action)
    audits = _linked_rows(RiskAudit)
    deliverables = _linked_rows(Deliverable)


def _narrative(e: _Evidence) -> Item:
    return Item(
        "narrative",
        "A complete, consented narrative of one service user's perspective",
        bool(e.narratives),
        _count(e.narratives, "narrative")
        if e.narratives
        else "No complete narrative with consent for staff reflection in this quarter.",
        "Record a narrative",
        url_for("narratives.new"),
    )


def _reflection(e: _Evidence) -> Item:
    return Item(
        "reflection",
        "Staff reflection on it: everyone heard it directly; learning points with themes",
        bool(e.sessions),
        _count(e.sessions, "reflection session")
        if e.sessions
        else _reflection_gap(e.milestone, e.narratives),
        "Set up a reflection session",
        url_for("reflection.new"),
    )


def _dissemination(levels: tuple[str, ...], key: str, label: str):
    def item(e: _Evidence) -> Item:
        found = [a for a in e.activities if a.audience_level in levels]
        return Item(
            key,
            label,
            bool(found),
            _count(found, "activity", "activities") if found else "None recorded yet.",
            "Record dissemination",
            e.url + "#dissemination",
        )

    return item


def _actions(key: str, label: str):
    """Actions in the plan: embedding the learning (seed 002), or developing the programme
    (seed 000)."""

    def item(e: _Evidence) -> Item:
        return Item(
            key,
            label,
            bool(e.actions),
            _count(e.actions, "action") if e.actions else "No actions in the action plan yet.",
            "Add an action",
            e.url + "#actions",
        )

    return item


def _strategic_plan(e: _Evidence) -> Item:
    m = e.milestone
    needs = records_of(TrainingNeed, e.milestone)
    return Item(
        "strategic_plan",
        "Related to the strategic plan (and training needs)",
        bool(m.strategic_objective_ref and m.strategic_objective_text),
        (
            f"Objective {m.strategic_objective_ref}"
            + (f"; {_count(needs, 'training need')}" if needs else "")
        )
        if m.strategic_objective_ref
        else "No strategic objective recorded.",
        "Record the strategic objective",
        e.url + "#strategic-plan",
    )


def _feedback(e: _Evidence) -> Item:
    given = [
        f
        for f in records_of(ParticipantFeedback, e.milestone)
        if (f.was_possible and f.given_on and f.told_outcome)
        or (not f.was_possible and f.not_possible_reason)
    ]
    return Item(
        "participant_feedback",
        "Feedback to the person and/or family (or why it was not possible)",
        bool(given),
        _count(given, "feedback record") if given else "None recorded yet.",
        "Record feedback",
        e.url + "#feedback",
    )


def _audit(kind: str, key: str, label: str):
    def item(e: _Evidence) -> Item:
        found = [a for a in e.audits if a.kind == kind]
        latest = max(found, key=lambda a: (a.audited_on, a.id)) if found else None
        return Item(
            key,
            label,
            latest is not None,
            f"{latest.collaborated} of {latest.service_users} service users collaborated "
            f"({latest.percent:.0f} %), {latest.audited_on:%-d %B %Y}"
            if latest
            else "No audit recorded yet.",
            "Record an audit",
            e.url + "#audits",
        )

    return item


def _audit_target(e: _Evidence) -> Item:
    m = e.milestone
    target = m.target_percent
    audited = m.audited_percent
    label = (
        f"At least {target:g} % of service users collaborated in their own risk assessment "
        "and safety plan, or a rationale and remedial action plan"
        if target is not None
        else "The audit target is met, or a rationale and remedial action plan"
    )
    if audited is None:
        return Item(
            "audit_target", label, False, "No re-audit yet.", "Record a re-audit", e.url + "#audits"
        )
    if target is None or audited >= target:
        return Item("audit_target", label, True, f"{audited:g} % at the latest re-audit.")
    explained = bool(m.shortfall_rationale and m.shortfall_remedial_plan)
    return Item(
        "audit_target",
        label,
        explained,
        f"{audited:g} % at the latest re-audit, below the {target:g} % target"
        + ("; rationale and remedial action plan recorded." if explained else "."),
        "Give the rationale and remedial action plan",
        e.url + "#audits",
    )


def _deliverable(kind: str, key: str, label: str):
    def item(e: _Evidence) -> Item:
        found = [d for d in e.deliverables if d.kind == kind]
        return Item(
            key,
            label,
            bool(found),
            "; ".join(d.title for d in found) if found else "None recorded yet.",
            "Record it",
            e.url + "#programme-work",
        )

    return item


def _progress(e: _Evidence) -> Item:
    updates = [u for a in e.actions for u in a.updates]
    return Item(
        "progress_evidence",
        "Evidence of progress against the action plan",
        bool(updates),
        _count(updates, "progress update") if updates else "No progress recorded on any action.",
        "Record progress on an action",
        e.url + "#actions",
    )


ITEMS = {
    "narrative": _narrative,
    "reflection": _reflection,
    "dissemination_frontline": _dissemination(
        ("frontline",), "dissemination_frontline", "Learning shared with frontline staff"
    ),
    "dissemination_board": _dissemination(
        ("corporate", "board"),
        "dissemination_board",
        "Learning shared at corporate or board level",
    ),
    "embedding_actions": _actions(
        "embedding_actions", "Actions that support applying and embedding the learning"
    ),
    "strategic_plan": _strategic_plan,
    "participant_feedback": _feedback,
    "baseline_audit": _audit(
        "baseline",
        "baseline_audit",
        "A baseline audit of service users' involvement in their risk assessment",
    ),
    "re_audit": _audit(
        "re_audit", "re_audit", "A re-audit of service users' involvement at the quarter's end"
    ),
    "audit_target": _audit_target,
    "training_programme": _deliverable(
        "training_programme",
        "training_programme",
        "An education and training programme for staff and service users",
    ),
    "evaluation": _deliverable(
        "evaluation",
        "evaluation",
        "An evaluation of the programme, with staff and service-user satisfaction",
    ),
    "action_plan": _actions(
        "action_plan", "An action plan for developing and delivering the programme"
    ),
    "progress_evidence": _progress,
}


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
    return rows(
        select(Action)
        .where(Action.status != "complete", Action.due_on <= on + timedelta(days=days))
        .order_by(Action.due_on)
    )
