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

    narratives = relationship("Narrative", secondary=reflection_session_narratives)
    attendees = relationship("ReflectionAttendee", back_populates="session")
    learning_points = relationship("LearningPoint", back_populates="session")
    differences = relationship("DifferenceOfPerspective", back_populates="session")


class ReflectionAttendee(db.Model):
    __tablename__ = "reflection_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("reflection_sessions.id"), index=True)
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


class LearningPoint(db.Model):
    __tablename__ = "learning_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("reflection_sessions.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    is_best_practice: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    session = relationship("ReflectionSession", back_populates="learning_points")


class DifferenceOfPerspective(db.Model):
    __tablename__ = "differences_of_perspective"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("reflection_sessions.id"), index=True)
    person_view: Mapped[str] = mapped_column(Text)
    practitioner_view: Mapped[str] = mapped_column(Text)
    agency: Mapped[str] = mapped_column(String(120), default="")
    learning: Mapped[str] = mapped_column(Text, default="")

    session = relationship("ReflectionSession", back_populates="differences")
