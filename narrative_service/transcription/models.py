"""Recordings and the transcript segments Whisper makes of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow

# The speakers every recording knows; anyone else in a segment is "other", with a name.
SPEAKERS = {"narrator": "Narrator", "facilitator": "Facilitator"}
OTHER = "other"
MAX_SPEAKER_NAME = 80


class Recording(db.Model):
    __tablename__ = "recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    narrative_id: Mapped[int | None] = mapped_column(ForeignKey("narratives.id"), index=True)
    reflection_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("reflection_sessions.id"), index=True
    )
    # Path relative to MEDIA_DIR; media is never under a public static path.
    stored_path: Mapped[str] = mapped_column(String(400))
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    # What the recording is for: one spoken chat turn, or a whole interview to review.
    purpose: Mapped[str] = mapped_column(String(20), default="interview")
    speaker: Mapped[str] = mapped_column(String(20), default="narrator")
    # queued -> transcribing -> transcribed -> accepted; or failed (retryable); or erased.
    status: Mapped[str] = mapped_column(String(20), default="queued", index=True)
    # Seconds of the recording transcribed so far: the progress bar, and where a run
    # interrupted by a crash resumes.
    progress_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    processing_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    # Which worker is transcribing it, and until when its claim holds without news.
    claimed_by: Mapped[str] = mapped_column(String(200), default="")
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failure_reason: Mapped[str] = mapped_column(Text, default="")
    engine: Mapped[str] = mapped_column(String(40), default="")
    model_name: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    segments = relationship(
        "TranscriptSegment", back_populates="recording", order_by="TranscriptSegment.position"
    )
    reflection_session = relationship("ReflectionSession")


class TranscriptSegment(db.Model):
    __tablename__ = "transcript_segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    recording_id: Mapped[int] = mapped_column(ForeignKey("recordings.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start_seconds: Mapped[float] = mapped_column(Float)
    end_seconds: Mapped[float] = mapped_column(Float)
    machine_text: Mapped[str] = mapped_column(Text, default="")
    edited_text: Mapped[str | None] = mapped_column(Text)
    # narrator | facilitator | other; an "other" speaker's name ("Interpreter", "Daughter").
    speaker: Mapped[str] = mapped_column(String(20), default="narrator")
    speaker_name: Mapped[str | None] = mapped_column(String(MAX_SPEAKER_NAME))
    avg_logprob: Mapped[float | None] = mapped_column(Float)
    no_speech_prob: Mapped[float | None] = mapped_column(Float)
    words: Mapped[list] = mapped_column(JSON, default=list)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A person corrected or confirmed it: the machine's doubts about it are no longer shown.
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    recording = relationship("Recording", back_populates="segments")

    @property
    def text(self) -> str:
        return self.edited_text if self.edited_text is not None else self.machine_text

    @property
    def speaker_label(self) -> str:
        """Who is speaking, as pages and downloads name them."""
        return speaker_label(self.speaker, self.speaker_name)

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


def speaker_label(speaker: str, name: str | None) -> str:
    """ "Narrator", "Facilitator", or the other speaker's own name."""
    if speaker == OTHER and name:
        return name
    return SPEAKERS.get(speaker, speaker.title())
