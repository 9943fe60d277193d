"""Cases, narratives in the narrator's own words, their versions and chat turns."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import SUBJECT_INFO, db
from ..timeutil import quarter_of, utcnow


class Case(db.Model):
    """A safeguarding case, known here only by a pseudonymous reference."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    narratives = relationship("Narrative", back_populates="case")


class Narrative(db.Model):
    __tablename__ = "narratives"
    __table_args__ = (
        # The list's filters, each with its sort order and the author, so that a page's ids
        # and the count come from an index alone (see rules.NarrativeList).
        Index("ix_narratives_status_captured_from", "status", "captured_from", "created_by_id"),
        Index("ix_narratives_created_by_id_captured_from", "created_by_id", "captured_from"),
        Index(
            "ix_narratives_narrator_type_captured_from",
            "narrator_type",
            "captured_from",
            "created_by_id",
        ),
        Index("ix_narratives_case_id_captured_from", "case_id", "captured_from", "created_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="draft")

    narrator_type: Mapped[str] = mapped_column(String(30))
    reason_not_direct: Mapped[str] = mapped_column(Text, default="")

    facilitator_name: Mapped[str] = mapped_column(String(200), default="")
    is_facilitator_independent: Mapped[bool | None] = mapped_column(Boolean)
    facilitator_relationship: Mapped[str] = mapped_column(Text, default="")

    captured_from: Mapped[date | None] = mapped_column(Date, index=True)
    captured_to: Mapped[date | None] = mapped_column(Date)
    capture_method: Mapped[str] = mapped_column(String(20), default="written")

    has_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_date: Mapped[date | None] = mapped_column(Date)
    consent_recorded_by: Mapped[str] = mapped_column(String(200), default="")
    has_reflection_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    has_dissemination_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    has_board_quotes_consent: Mapped[bool] = mapped_column(Boolean, default=False)

    were_outcomes_asked: Mapped[str] = mapped_column(String(20), default="")
    desired_outcomes: Mapped[str] = mapped_column(Text, default="")
    outcomes_achieved: Mapped[str] = mapped_column(String(20), default="not_yet_known")

    are_children_affected: Mapped[bool] = mapped_column(Boolean, default=False)
    are_family_affected: Mapped[bool] = mapped_column(Boolean, default=False)
    think_family_notes: Mapped[str] = mapped_column(Text, default="")

    # Optional equality monitoring; "" means not recorded.
    age_band: Mapped[str] = mapped_column(String(30), default="")
    gender: Mapped[str] = mapped_column(String(30), default="")
    ethnicity: Mapped[str] = mapped_column(String(40), default="")
    disability: Mapped[str] = mapped_column(String(30), default="")

    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # When the person withdrew consent and how they let the service know (withdrawal.py),
    # and what was erased, as counts only.
    consent_withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_method: Mapped[str] = mapped_column(String(30), default="")
    erased_counts: Mapped[dict] = mapped_column(JSON, default=dict)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"), index=True)

    version_number: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    # Last on purpose: SQLite stores a long text in overflow pages, and every
    # column after it would cost a walk through them when filtering the list.
    body: Mapped[str] = mapped_column(Text, default="")

    case = relationship("Case", back_populates="narratives")
    created_by = relationship("User", foreign_keys=[created_by_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])
    versions = relationship(
        "NarrativeVersion",
        back_populates="narrative",
        order_by="NarrativeVersion.number",
        cascade="all, delete-orphan",
    )
    shares = relationship(
        "NarrativeShare", back_populates="narrative", cascade="all, delete-orphan"
    )
    turns = relationship(
        "NarrativeTurn", back_populates="narrative", order_by="NarrativeTurn.position"
    )

    @property
    def is_withdrawn(self) -> bool:
        return self.status == "withdrawn"

    def add_version(self, by_id: int, summary: str, changes: dict, snapshot: dict) -> None:
        """The next entry of the narrative's history: who saved what, and how it then read."""
        self.version_number += 1
        db.session.add(
            NarrativeVersion(
                narrative=self,
                number=self.version_number,
                created_by_id=by_id,
                summary=summary,
                changes=changes,
                snapshot=snapshot,
            )
        )

    @property
    def quarter(self) -> str:
        if self.captured_from is None:
            return ""
        year, quarter = quarter_of(self.captured_from)
        return f"{year} {quarter}"

    @property
    def word_count(self) -> int:
        return len(self.body.split())


class _OfNarrative:
    """Kept with one narrative: the record's id, then the narrative's, first in its table as
    the migrations made them."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    narrative_id: Mapped[int] = mapped_column(
        ForeignKey("narratives.id"), index=True, sort_order=-1
    )


class NarrativeVersion(_OfNarrative, db.Model):
    """One saved state of a narrative: who saved it, when, and what changed."""

    __tablename__ = "narrative_versions"
    __table_args__ = (UniqueConstraint("narrative_id", "number"),)

    number: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    summary: Mapped[str] = mapped_column(String(200), default="")
    # {field: [old, new]}. Values are erased (field names kept) on withdrawal.
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    is_erased: Mapped[bool] = mapped_column(Boolean, default=False)

    narrative = relationship("Narrative", back_populates="versions")
    created_by = relationship("User")


class NarrativeShare(_OfNarrative, db.Model):
    """A narrative shared with a named advocate or facilitator."""

    __tablename__ = "narrative_shares"
    __table_args__ = (UniqueConstraint("narrative_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    shared_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    shared_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    narrative = relationship("Narrative", back_populates="shares")
    user = relationship("User", foreign_keys=[user_id])


class NarrativeTurn(_OfNarrative, db.Model):
    """One turn of a chat-style capture: the narrator's or the facilitator's words."""

    __tablename__ = "narrative_turns"
    __table_args__ = (UniqueConstraint("narrative_id", "client_token"),)

    position: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str] = mapped_column(String(20))  # narrator | facilitator | other
    # Who "other" is, for a turn from a transcript: "Interpreter", "Daughter".
    speaker_name: Mapped[str | None] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text, default="")
    sitting_on: Mapped[date | None] = mapped_column(Date)
    # Set by the browser so a turn re-sent after a dropped connection is saved once.
    client_token: Mapped[str | None] = mapped_column(String(64))
    recording_id: Mapped[int | None] = mapped_column(ForeignKey("recordings.id"))
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    removed_reason: Mapped[str] = mapped_column(Text, default="")
    history: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    narrative = relationship("Narrative", back_populates="turns")
    recording = relationship("Recording")


class ConversationPrompt(db.Model):
    """An open, non-directive prompt a facilitator may offer; leads keep the list."""

    __tablename__ = "conversation_prompts"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AnonymisedVersion(db.Model):
    """A redacted copy of a record, reviewed and approved by a person before it is shared
    beyond the case team. The original is never changed."""

    __tablename__ = "anonymised_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(40), index=True)
    subject_id: Mapped[int] = mapped_column(Integer, index=True, info=SUBJECT_INFO)
    text: Mapped[str] = mapped_column(Text)
    # What was replaced (type, start, end, placeholder: never the original words), what the
    # reviewer undid and added, and a fingerprint of the original it was made from.
    replacements: Mapped[list] = mapped_column(JSON, default=list)
    undone: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    source_sha256: Mapped[str] = mapped_column(String(64))
    approved_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    approved_by = relationship("User")
