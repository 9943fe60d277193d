"""The theme codebook and the tags that apply its themes to text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import SUBJECT_INFO, db
from ..timeutil import utcnow


class ThemeGroup(db.Model):
    __tablename__ = "theme_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))

    themes = relationship("Theme", back_populates="group", order_by="Theme.code")


class Theme(db.Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("theme_groups.id"), index=True)
    code: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    patterns: Mapped[list] = mapped_column(JSON, default=list)

    group = relationship("ThemeGroup", back_populates="themes")


class ThemeTag(db.Model):
    """A theme applied to a span of text in one record (narrative, turn, learning point...)."""

    __tablename__ = "theme_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(40), index=True)
    # Any record (SUBJECT_INFO: the erasure test follows it like a foreign key).
    subject_id: Mapped[int] = mapped_column(Integer, index=True, info=SUBJECT_INFO)
    start_char: Mapped[int | None] = mapped_column(Integer)
    end_char: Mapped[int | None] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(20), default="manual")  # suggested | manual
    status: Mapped[str] = mapped_column(
        String(20), default="accepted"
    )  # suggested|accepted|rejected
    score: Mapped[float | None] = mapped_column(Float)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    theme = relationship("Theme")
    decided_by = relationship("User")
