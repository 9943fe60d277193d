"""Reflection sessions: staff hear the narrative and record what they learned."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

reflection_session_narratives = Table(
    "reflection_session_narratives",
    db.Model.metadata,
    Column("reflection_session_id", ForeignKey("reflection_sessions.id"), primary_key=True),
    Column("narrative_id", ForeignKey("narratives.id"), primary_key=True),
)


learning_point_themes = Table(
    "learning_point_themes",
    db.Model.metadata,
    Column("learning_point_id", ForeignKey("learning_points.id"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True),
)


class _OfSession:
    """Part of a reflection session's record: its id, then the session's, first in its table
    as the migrations made them."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("reflection_sessions.id"), index=True, sort_order=-1
    )


def _kept_in_session(model: str):
    """The session's list of one kind of record, in the order they were added; removing a
    record from the list deletes it (delete-orphan)."""
    return relationship(
        model, back_populates="session", order_by=f"{model}.id", cascade="all, delete-orphan"
    )


class ReflectionSession(db.Model):
    __tablename__ = "reflection_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    is_group: Mapped[bool] = mapped_column(Boolean, default=True)
    is_online: Mapped[bool] = mapped_column(Boolean, default=False)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Structured prompts from seed 002: choice, capacity, self-determination, risk, ...
    prompts: Mapped[dict] = mapped_column(JSON, default=dict)
    early_date_reason: Mapped[str] = mapped_column(Text, default="")
    version_number: Mapped[int] = mapped_column(Integer, default=0)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    narratives = relationship(
        "Narrative", secondary=reflection_session_narratives, order_by="Narrative.id"
    )
    facilitator = relationship("User", foreign_keys=[facilitator_id])
    attendees = _kept_in_session("ReflectionAttendee")
    learning_points = _kept_in_session("LearningPoint")
    differences = _kept_in_session("DifferenceOfPerspective")
    record_versions = relationship(
        "ReflectionRecordVersion", back_populates="session", order_by="ReflectionRecordVersion.id"
    )


class ReflectionAttendee(_OfSession, db.Model):
    __tablename__ = "reflection_attendees"

    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(120), default="")
    team: Mapped[str] = mapped_column(String(120), default="")
    agency: Mapped[str] = mapped_column(String(120), default="")
    was_involved_in_case: Mapped[bool] = mapped_column(Boolean, default=True)
    heard_directly_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heard_how: Mapped[str] = mapped_column(String(20), default="")  # read | read_aloud | played
    confirmed_summary_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    session = relationship("ReflectionSession", back_populates="attendees")


class LearningPoint(_OfSession, db.Model):
    __tablename__ = "learning_points"

    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    is_best_practice: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    session = relationship("ReflectionSession", back_populates="learning_points")
    themes = relationship("Theme", secondary=learning_point_themes, order_by="Theme.code")


class DifferenceOfPerspective(_OfSession, db.Model):
    __tablename__ = "differences_of_perspective"

    person_view: Mapped[str] = mapped_column(Text)
    practitioner_view: Mapped[str] = mapped_column(Text)
    agency: Mapped[str] = mapped_column(String(120), default="")
    learning: Mapped[str] = mapped_column(Text, default="")

    session = relationship("ReflectionSession", back_populates="differences")

    @property
    def person_view_or_erased(self) -> str:
        """What the person said or felt, or that it was erased when consent was withdrawn
        (reflection.withdrawal): a difference is never saved without it."""
        return self.person_view or "Erased: consent for the narrative was withdrawn."


class ReflectionRecordVersion(_OfSession, db.Model):
    """Every save of a session's reflective record, and every save refused as a conflict.

    When two people edit the record at once, the second save is not applied: it is kept
    here (is_conflict) beside the saved record, so nothing either of them wrote is lost.
    """

    __tablename__ = "reflection_record_versions"

    number: Mapped[int] = mapped_column(Integer)  # the record version it saved or was based on
    is_conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    prompts: Mapped[dict] = mapped_column(JSON, default=dict)
    saved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    session = relationship("ReflectionSession", back_populates="record_versions")
    saved_by = relationship("User")
