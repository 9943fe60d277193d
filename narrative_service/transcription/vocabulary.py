"""The organisation's own words, given to Whisper so that it hears them.

Leads keep a list of the terms their interviews use that a general speech model mishears:
"section 42", "IMCA", "DoLS", "MASH", local place and service names. Every transcription
passes the list to the decoder as hotwords (faster-whisper puts them in the prompt the model
reads before each window), which makes the model expect them; benchmarks/vocabulary.py
measures the error rate on sentences using such terms with and without the list.

Terms are names of things, never of people: the list is seen by everyone who transcribes,
and it is sent to no one.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column

from ..audit.rules import record
from ..auth.models import User
from ..database import rows
from ..errors import DomainError
from ..extensions import db
from ..lines import one_per_line
from ..timeutil import utcnow
from .engines import EngineSettings

MAX_TERMS = 100
MAX_TERM_CHARACTERS = 60
# Whisper reads at most 223 prompt tokens; a term is two or three tokens on average, and
# the prompt's limit cuts what does not fit. Keep the whole list well inside it.
MAX_CHARACTERS = 600
ALLOWED = re.compile(r"^[\w][\w '&/.,()+-]*$")
EXAMPLES = ("section 42", "IMCA", "DoLS", "MASH", "Making Safeguarding Personal")


class VocabularyTerm(db.Model):
    """One term of the organisation's word list for transcription."""

    __tablename__ = "vocabulary_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    term: Mapped[str] = mapped_column(String(MAX_TERM_CHARACTERS))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def terms() -> list[str]:
    """The word list, in the order the lead wrote it."""
    return [row.term for row in rows(select(VocabularyTerm).order_by(VocabularyTerm.position))]


def as_hotwords(words: list[str]) -> str:
    """The list as the decoder takes it: one line of terms, comma-separated."""
    return ", ".join(words)


def settings_with_word_list(settings: EngineSettings) -> EngineSettings:
    """The engine's settings with the organisation's word list for the decoder."""
    return replace(settings, hotwords=as_hotwords(terms()))


def set_terms(text: str, *, by: User) -> list[str]:
    """Replace the word list with one term per line of `text`; an empty text clears it."""
    lines = one_per_line(
        text, item="term", most=MAX_TERMS, longest=MAX_TERM_CHARACTERS, field="terms"
    )
    for number, line in enumerate(lines, start=1):
        if not ALLOWED.match(line):
            raise DomainError(
                f"Term {number} ({line}) has a character a term cannot use: use letters, "
                "numbers, spaces and ' & / . , ( ) + - only.",
                "terms",
            )
    if len(as_hotwords(lines)) > MAX_CHARACTERS:
        raise DomainError(
            f"The list is {len(as_hotwords(lines))} characters long, more than the "
            f"{MAX_CHARACTERS} Whisper can read before each window; keep the terms it mishears "
            "most.",
            "terms",
        )
    for existing in rows(select(VocabularyTerm)):
        db.session.delete(existing)
    for position, line in enumerate(lines):
        db.session.add(VocabularyTerm(position=position, term=line, updated_by_id=by.id))
    record("vocabulary.change", user_id=by.id, count=len(lines))
    return lines
