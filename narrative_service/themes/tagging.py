"""Theme tags on records: suggestions to accept or reject, and tags made by hand.

Every tag keeps the exact words it rests on (its span and quote), who decided and when.
A suggestion run never suggests again what a person rejected for that span, never
duplicates a tag already decided, and replaces only the suggestions still undecided.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ..audit.rules import record
from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..timeutil import utcnow
from .models import Theme, ThemeTag
from .suggest import NotEnglish, suggest_many, suggester

# Texts longer than this are sent to the background worker.
INLINE_WORDS = 20_000
MAX_QUOTE = 1_000


def narrative_text(narrative) -> str:
    """What is tagged for a narrative: its written text, then its conversation."""
    from ..narratives.turns import conversation_text

    return "\n\n".join(
        part for part in (narrative.body.strip(), conversation_text(narrative)) if part
    )


def tags_for(subject_type: str, subject_id: int) -> list[ThemeTag]:
    return list(
        db.session.scalars(
            select(ThemeTag)
            .where(ThemeTag.subject_type == subject_type, ThemeTag.subject_id == subject_id)
            .order_by(ThemeTag.start_char, ThemeTag.id)
        )
    )


@dataclass
class RunResult:
    added: int = 0
    kept: int = 0
    message: str = ""


def run_suggestions(
    subject_type: str, subject_id: int, text: str, *, by: User | None = None
) -> RunResult:
    """Suggest themes for one record's text (asked for by `by`, or by the worker); the
    caller commits."""
    themes = {theme.code: theme for theme in db.session.scalars(select(Theme))}
    result = suggest_many(suggester(current_app.config.get("SPACY_MODEL", "")), [text])[0]
    existing = tags_for(subject_type, subject_id)
    decided = {(t.theme_id, t.start_char, t.end_char) for t in existing if t.status != "suggested"}
    undecided = {
        (t.theme_id, t.start_char, t.end_char): t for t in existing if t.status == "suggested"
    }
    if isinstance(result, NotEnglish):
        return RunResult(message=result.message)
    outcome = RunResult()
    fresh: set[tuple] = set()
    for suggestion in result:
        theme = themes.get(suggestion.code)
        if theme is None:
            continue
        for evidence in suggestion.evidence:
            key = (theme.id, evidence.start, evidence.end)
            if key in decided or key in fresh:
                continue  # accepted, rejected or tagged by hand: never suggested again
            fresh.add(key)
            if key in undecided:
                undecided[key].score = suggestion.score
                outcome.kept += 1
                continue
            db.session.add(
                ThemeTag(
                    theme_id=theme.id,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    start_char=evidence.start,
                    end_char=evidence.end,
                    quote=evidence.text,
                    origin="suggested",
                    status="suggested",
                    score=suggestion.score,
                )
            )
            outcome.added += 1
    for key, tag in undecided.items():
        if key not in fresh:
            db.session.delete(tag)  # the text changed: that suggestion no longer holds
    record(
        "themes.suggest",
        user_id=by.id if by is not None else None,
        subject_type=subject_type,
        subject_id=subject_id,
        added=outcome.added,
    )
    return outcome


def decide(tag: ThemeTag, status: str, *, by: User) -> None:
    if status not in ("accepted", "rejected"):
        raise DomainError("A suggestion is accepted or rejected.")
    tag.status = status
    tag.decided_by_id = by.id
    tag.decided_at = utcnow()
    record(
        f"themes.{'accept' if status == 'accepted' else 'reject'}",
        user_id=by.id,
        subject_type=tag.subject_type,
        subject_id=tag.subject_id,
        theme=tag.theme.code,
    )


def tag_by_hand(
    subject_type: str, subject_id: int, text: str, theme_id: int | None, quote: str, *, by: User
) -> ThemeTag:
    """Tag the first place `quote` appears in the text with a theme (accepted at once)."""
    theme = db.session.get(Theme, theme_id or 0)
    if theme is None:
        raise DomainError("Choose a theme from the codebook.", "theme_id")
    quote = (quote or "").strip()
    if not quote:
        raise DomainError("Copy the words the theme rests on into the box.", "quote")
    if len(quote) > MAX_QUOTE:
        raise DomainError(f"Choose up to {MAX_QUOTE:,} characters of the text.", "quote")
    start = text.find(quote)
    if start < 0:
        folded = text.casefold().find(quote.casefold())
        if folded < 0:
            raise DomainError(
                "Those words are not in the text as written: copy them exactly.", "quote"
            )
        start = folded
    end = start + len(quote)
    for tag in tags_for(subject_type, subject_id):
        if (tag.theme_id, tag.start_char, tag.end_char) == (theme.id, start, end):
            tag.status, tag.origin = "accepted", "manual"
            tag.decided_by_id, tag.decided_at = by.id, utcnow()
            return tag
    tag = ThemeTag(
        theme_id=theme.id,
        subject_type=subject_type,
        subject_id=subject_id,
        start_char=start,
        end_char=end,
        quote=text[start:end],
        origin="manual",
        status="accepted",
        decided_by_id=by.id,
        decided_at=utcnow(),
    )
    db.session.add(tag)
    record(
        "themes.tag",
        user_id=by.id,
        subject_type=subject_type,
        subject_id=subject_id,
        theme=theme.code,
    )
    return tag


@dataclass
class Piece:
    text: str
    tag_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()


def highlighted(text: str, tags: list[ThemeTag]) -> list[Piece]:
    """The text cut into pieces, each with the suggested or accepted tags covering it."""
    shown = [
        t
        for t in tags
        if t.status in ("suggested", "accepted")
        and t.start_char is not None
        and 0 <= t.start_char < t.end_char <= len(text)
        and text[t.start_char : t.end_char] == t.quote
    ]
    cuts = sorted({0, len(text), *(t.start_char for t in shown), *(t.end_char for t in shown)})
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = [t for t in shown if t.start_char <= start and end <= t.end_char]
        pieces.append(
            Piece(
                text[start:end],
                tuple(t.id for t in covering),
                tuple(sorted({t.status for t in covering})),
            )
        )
    return pieces
