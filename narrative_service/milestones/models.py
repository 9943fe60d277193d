"""Programmes, quarterly milestones and the evidence that each was met.

Actions follow the action-plan columns of seed 003: recommendation, lead,
action completed, further action, due date, method of measurement, outcome
indicator, reported to, status.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class Programme(db.Model):
    """A commissioning scheme (CQUIN) for one financial year, made from a template."""

    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    template: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(200))
    financial_year: Mapped[str] = mapped_column(String(7))  # "2025/26"
    commissioner: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    milestones = relationship("Milestone", back_populates="programme", order_by="Milestone.quarter")


class Milestone(db.Model):
    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("programme_id", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    quarter: Mapped[str] = mapped_column(String(2))  # Q1..Q4
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    reporting_date: Mapped[date] = mapped_column(Date)
    weighting_percent: Mapped[float | None] = mapped_column(Float)
    requirements: Mapped[list] = mapped_column(JSON, default=list)
    # Collaborative risk assessment (seed 000): audit figures against a target.
    target_percent: Mapped[float | None] = mapped_column(Float)
    audited_percent: Mapped[float | None] = mapped_column(Float)
    shortfall_rationale: Mapped[str] = mapped_column(Text, default="")
    shortfall_remedial_plan: Mapped[str] = mapped_column(Text, default="")
    strategic_objective_ref: Mapped[str] = mapped_column(String(60), default="")
    strategic_objective_text: Mapped[str] = mapped_column(Text, default="")
    # Marked as submitted to the commissioner; with items missing only with a rationale
    # and a remedial action (seed 000).
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submission_rationale: Mapped[str] = mapped_column(Text, default="")
    submission_remedial_action: Mapped[str] = mapped_column(Text, default="")
    missing_when_submitted: Mapped[list] = mapped_column(JSON, default=list)

    programme = relationship("Programme", back_populates="milestones")


class _ForMilestone:
    """Kept for a milestone: the record's id, then the milestone's, first in its table as the
    migrations made them. A model whose records may have no milestone declares its own,
    optional milestone_id."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    milestone_id: Mapped[int] = mapped_column(
        ForeignKey("milestones.id"), index=True, sort_order=-1
    )


class DisseminationActivity(_ForMilestone, db.Model):
    __tablename__ = "dissemination_activities"

    held_on: Mapped[date] = mapped_column(Date)
    audience_level: Mapped[str] = mapped_column(String(20))  # frontline | corporate | board
    audience: Mapped[str] = mapped_column(String(300), default="")
    channel: Mapped[str] = mapped_column(String(30))
    reach: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    learning_point_ids: Mapped[list] = mapped_column(JSON, default=list)
    link_url: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EvidenceFile(_ForMilestone, db.Model):
    """Minutes, slides or a bulletin kept as evidence; stored under MEDIA_DIR."""

    __tablename__ = "evidence_files"

    dissemination_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("dissemination_activities.id")
    )
    stored_path: Mapped[str] = mapped_column(String(400))
    original_filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    description: Mapped[str] = mapped_column(String(300), default="")


class Action(_ForMilestone, db.Model):
    """A change in practice, in the columns of an action plan."""

    __tablename__ = "actions"

    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"), index=True)
    learning_point_id: Mapped[int | None] = mapped_column(ForeignKey("learning_points.id"))
    recommendation: Mapped[str] = mapped_column(Text)
    lead: Mapped[str] = mapped_column(String(200), default="")
    action_completed: Mapped[str] = mapped_column(Text, default="")
    further_action: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    method_of_measurement: Mapped[str] = mapped_column(Text, default="")
    outcome_indicator: Mapped[str] = mapped_column(Text, default="")
    reported_to: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    updates = relationship("ActionUpdate", order_by="ActionUpdate.on")


class ActionUpdate(db.Model):
    __tablename__ = "action_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class TrainingNeed(_ForMilestone, db.Model):
    __tablename__ = "training_needs"

    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id"))
    staff_group: Mapped[str] = mapped_column(String(200))
    need: Mapped[str] = mapped_column(Text)
    planned_response: Mapped[str] = mapped_column(Text, default="")


class ParticipantFeedback(_ForMilestone, db.Model):
    """What the person and family were told came of the reflection ("you said, we did")."""

    __tablename__ = "participant_feedback"

    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"), index=True)
    narrative_id: Mapped[int | None] = mapped_column(ForeignKey("narratives.id"), index=True)
    given_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(60), default="")
    given_by: Mapped[str] = mapped_column(String(200), default="")
    told_outcome: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[str] = mapped_column(Text, default="")
    was_possible: Mapped[bool] = mapped_column(Boolean, default=True)
    not_possible_reason: Mapped[str] = mapped_column(Text, default="")


class RiskAudit(_ForMilestone, db.Model):
    """An audit of how many service users collaborated in their own risk assessment and
    safety plan (collaborative risk assessment, seed 000): a baseline, then re-audits."""

    __tablename__ = "risk_audits"

    kind: Mapped[str] = mapped_column(String(20))  # baseline | re_audit
    audited_on: Mapped[date] = mapped_column(Date)
    service_users: Mapped[int] = mapped_column(Integer)
    collaborated: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def percent(self) -> float:
        return 100.0 * self.collaborated / self.service_users if self.service_users else 0.0


class Deliverable(_ForMilestone, db.Model):
    """Something the provider develops for a milestone: the education and training
    programme, or its evaluation (with staff and service-user satisfaction)."""

    __tablename__ = "milestone_deliverables"

    kind: Mapped[str] = mapped_column(String(30))  # training_programme | evaluation
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    completed_on: Mapped[date | None] = mapped_column(Date)
    staff_satisfaction_percent: Mapped[float | None] = mapped_column(Float)
    service_user_satisfaction_percent: Mapped[float | None] = mapped_column(Float)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BoardSummary(_ForMilestone, db.Model):
    """An anonymised learning summary a lead approved for the board. Drafted from a
    reflection session by redaction, checked again on approval; the session is unchanged."""

    __tablename__ = "board_summaries"

    session_id: Mapped[int | None] = mapped_column(ForeignKey("reflection_sessions.id"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    approved_by = relationship("User", foreign_keys=[approved_by_id])
