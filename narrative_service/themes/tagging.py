"""Theme tags on records: suggestions to accept or reject, and tags made by hand.

Every tag keeps the exact words it rests on (its span and quote), who decided and when.
A suggestion run never suggests again what a person rejected for that span, never
duplicates a tag already decided, and replaces only the suggestions still undecided.

The same rules serve every record that is tagged (SUBJECTS: a narrative, a reflection
session's reflective record, a learning point), each registered by the feature it belongs to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from ..audit.rules import record
from ..auth.models import User
from ..database import rows
from ..errors import DomainError
from ..extensions import db
from ..timeutil import utcnow
from .models import Theme, ThemeGroup, ThemeTag
from .suggest import NotEnglish, suggest_many, suggester

# Texts longer than this are sent to the background worker.
INLINE_WORDS = 20_000
MAX_QUOTE = 1_000
SECTION_BREAK = "\n\n"

# The kinds of record tagged, as stored in theme_tags.subject_type; each is registered by
# its own feature (register_subject).
NARRATIVE = "narrative"
REFLECTION_RECORD = "reflection_record"  # subject_id: the reflection session's id
LEARNING_POINT = "learning_point"


@dataclass(frozen=True)
class SubjectKind:
    """One kind of record that themes are suggested for, registered by the feature that
    owns it (register_subject, when the app is created): this module knows none of them.

    load(record_id, lock=False) returns the record, or None when it is gone or its
    content erased; lock=True reads it again and holds it until the commit.
    on_accept(record, theme), when given, runs when a tag on the record is accepted.
    """

    load: Callable[..., Any]
    text: Callable[[Any], str]
    on_accept: Callable[[Any, Theme], None] | None = None


SUBJECTS: dict[str, SubjectKind] = {}


def register_subject(name: str, kind: SubjectKind) -> None:
    SUBJECTS[name] = kind


def load_options(lock: bool) -> dict:
    """Options for db.session.get that a subject's load passes on for lock=True: read the
    row again, held against change until the commit."""
    return {"with_for_update": {"read": True}, "populate_existing": True} if lock else {}


def joined(parts: list[str]) -> str:
    """A record's text made of several parts, as it is tagged (offsets are in this text)."""
    return SECTION_BREAK.join(part for part in parts if part)


def subject_text(subject_type: str, subject_id: int) -> str | None:
    """The current text of a record that is tagged, or None when there is none to tag."""
    kind = SUBJECTS[subject_type]
    subject = kind.load(subject_id)
    return None if subject is None else kind.text(subject)


def tags_for(subject_type: str, subject_id: int) -> list[ThemeTag]:
    return rows(
        select(ThemeTag)
        .where(ThemeTag.subject_type == subject_type, ThemeTag.subject_id == subject_id)
        .order_by(ThemeTag.start_char, ThemeTag.id)
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
    if outcome.added and not _still_there(subject_type, subject_id):
        return RunResult(message="The record is gone or its content erased: nothing was kept.")
    record(
        "themes.suggest",
        user_id=by.id if by is not None else None,
        subject_type=subject_type,
        subject_id=subject_id,
        added=outcome.added,
    )
    return outcome


def _still_there(subject_type: str, subject_id: int) -> bool:
    """Whether the record may still be tagged, read again once the new tags are written.

    Suggesting for a long text takes a while; consent may be withdrawn meanwhile. The new
    tags are written first (on SQLite that takes the database's write lock; on PostgreSQL
    the record is then read with a lock), so a withdrawal either came before, and nothing
    is kept, or waits for this commit and then erases these tags with the rest.
    """
    db.session.flush()
    if SUBJECTS[subject_type].load(subject_id, lock=True) is not None:
        return True
    db.session.execute(
        delete(ThemeTag)
        .where(ThemeTag.subject_type == subject_type, ThemeTag.subject_id == subject_id)
        .execution_options(synchronize_session="fetch")
    )
    return False


def decide(tag: ThemeTag, status: str, *, by: User) -> None:
    if status not in ("accepted", "rejected"):
        raise DomainError("A suggestion is accepted or rejected.")
    tag.status = status
    tag.decided_by_id = by.id
    tag.decided_at = utcnow()
    if status == "accepted":
        _follow_acceptance(tag.subject_type, tag.subject_id, tag.theme)
    record(
        f"themes.{'accept' if status == 'accepted' else 'reject'}",
        user_id=by.id,
        subject_type=tag.subject_type,
        subject_id=tag.subject_id,
        theme=tag.theme.code,
    )


def decide_all(subjects: list[tuple[str, int]], theme_id: int, status: str, *, by: User) -> int:
    """Accept or reject together every suggestion of one theme on these records (a record
    and, on a session's page, its learning points); returns how many were decided."""
    if status not in ("accepted", "rejected"):
        raise DomainError("A theme's suggestions are accepted or rejected.")
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise DomainError("That theme is not in the codebook.")
    waiting = [
        tag
        for subject in subjects
        for tag in tags_for(*subject)
        if tag.theme_id == theme.id and tag.status == "suggested"
    ]
    if not waiting:
        raise DomainError(f"No suggestions of {theme.name} are waiting.")
    now = utcnow()
    for tag in waiting:
        tag.status, tag.decided_by_id, tag.decided_at = status, by.id, now
    if status == "accepted":
        for subject_type, subject_id in {(t.subject_type, t.subject_id) for t in waiting}:
            _follow_acceptance(subject_type, subject_id, theme)
    record(
        "themes.decide_all",
        user_id=by.id,
        subject_type=waiting[0].subject_type,
        subject_id=waiting[0].subject_id,
        theme=theme.code,
        status=status,
        count=len(waiting),
    )
    return len(waiting)


def remove_accepted(tag: ThemeTag, *, by: User) -> None:
    """Take an accepted theme off the words it was on: the tag is kept as rejected (by this
    person, now), so the same suggestion is not made again for those words."""
    if tag.status != "accepted":
        raise DomainError("Only an accepted tag can be removed; a suggestion is rejected.")
    _check_tags_alone(tag)
    tag.status, tag.decided_by_id, tag.decided_at = "rejected", by.id, utcnow()
    record(
        "themes.remove",
        user_id=by.id,
        subject_type=tag.subject_type,
        subject_id=tag.subject_id,
        theme=tag.theme.code,
    )


def _check_tags_alone(tag: ThemeTag) -> None:
    """A record whose own feature follows its accepted themes (a learning point keeps them
    as its themes) has them changed there, so the two never disagree."""
    if SUBJECTS[tag.subject_type].on_accept is not None:
        raise DomainError(
            "This record keeps its themes itself: change them where it is edited.", "theme_id"
        )


def recode(tag: ThemeTag, theme_id: int | None, *, by: User) -> ThemeTag:
    """Put an accepted tag's words under another theme (who and when are this person, now).
    Where the words already have that theme, the two become one."""
    if tag.status != "accepted":
        raise DomainError("Only an accepted tag can be given another theme.", "theme_id")
    _check_tags_alone(tag)
    theme = db.session.get(Theme, theme_id or 0)
    if theme is None:
        raise DomainError("Choose a theme from the codebook.", "theme_id")
    if theme.id == tag.theme_id:
        raise DomainError(f"These words already have the theme {theme.name}.", "theme_id")
    was = tag.theme.code
    now = utcnow()
    same_words = [
        other
        for other in tags_for(tag.subject_type, tag.subject_id)
        if other.id != tag.id
        and other.theme_id == theme.id
        and (other.start_char, other.end_char) == (tag.start_char, tag.end_char)
    ]
    kept = tag
    if same_words:
        kept = same_words[0]
        kept.status = "accepted"
        tag.status = "rejected"
        tag.decided_by_id, tag.decided_at = by.id, now
    else:
        tag.theme_id, tag.theme = theme.id, theme
    kept.decided_by_id, kept.decided_at = by.id, now
    _follow_acceptance(tag.subject_type, tag.subject_id, theme)
    record(
        "themes.recode",
        user_id=by.id,
        subject_type=tag.subject_type,
        subject_id=tag.subject_id,
        theme=theme.code,
        was=was,
    )
    return kept


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
            _follow_acceptance(subject_type, subject_id, theme)
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
    _follow_acceptance(subject_type, subject_id, theme)
    record(
        "themes.tag",
        user_id=by.id,
        subject_type=subject_type,
        subject_id=subject_id,
        theme=theme.code,
    )
    return tag


def _follow_acceptance(subject_type: str, subject_id: int, theme: Theme) -> None:
    """Let the record's own feature follow an accepted theme (a learning point adds it to
    its themes, which the milestone checklist and the analysis read)."""
    kind = SUBJECTS[subject_type]
    if kind.on_accept is None:
        return
    subject = kind.load(subject_id)
    if subject is not None:
        kind.on_accept(subject, theme)


def reject_accepted_except(subject_type: str, subject_id: int, kept: set[int], *, by: User) -> int:
    """Themes taken off a record by hand (a learning point's): its accepted tags of any other
    theme become rejected (by that person), so the tags and the record's own themes agree and
    a re-run does not suggest them again for those words. Returns how many tags changed."""
    changed = 0
    for tag in tags_for(subject_type, subject_id):
        if tag.status == "accepted" and tag.theme_id not in kept:
            decide(tag, "rejected", by=by)
            changed += 1
    return changed


def forget(subject_type: str, subject_id: int) -> int:
    """Delete every tag of a record that is itself deleted: the quotes are its words."""
    tags = tags_for(subject_type, subject_id)
    for tag in tags:
        db.session.delete(tag)
    return len(tags)


def by_theme(tags: list[ThemeTag]) -> list[list[ThemeTag]]:
    """Suggestions grouped by theme, the theme with most places first; in each group the
    strongest (highest score) first."""
    groups: dict[int, list[ThemeTag]] = {}
    for tag in tags:
        groups.setdefault(tag.theme_id, []).append(tag)
    for group in groups.values():
        group.sort(key=lambda tag: (-(tag.score or 0.0), tag.start_char or 0))
    return sorted(groups.values(), key=lambda group: (-len(group), group[0].theme.name))


def kept_by_record() -> tuple[str, ...]:
    """Kinds of record that keep their accepted themes themselves (a learning point): their
    tags are changed where the record is edited, not removed or recoded here."""
    return tuple(name for name, kind in SUBJECTS.items() if kind.on_accept is not None)


def theme_choices() -> list[tuple[str, str]]:
    """The codebook as choices for a "tag by hand" form, themes under their group's name."""
    groups = db.session.scalars(
        select(ThemeGroup).options(selectinload(ThemeGroup.themes)).order_by(ThemeGroup.id)
    )
    choices = [("", "Choose a theme")]
    for group in groups:
        choices += [(str(theme.id), f"{theme.name} ({group.name})") for theme in group.themes]
    return choices


@dataclass
class Piece:
    text: str
    tag_ids: tuple[int, ...] = ()
    statuses: tuple[str, ...] = ()


def highlighted(text: str, tags: list[ThemeTag]) -> list[Piece]:
    """The text cut into pieces, each with the suggested or accepted tags covering it."""
    return [piece for _start, _end, piece in _cut(text, tags)]


def highlighted_sections(
    sections: list[tuple[str, str]], tags: list[ThemeTag]
) -> list[tuple[str, list[Piece]]]:
    """Like highlighted(), for a text made of headed sections joined by SECTION_BREAK (the
    offsets of the tags are in the joined text): each heading with its own pieces."""
    bounds, start = [], 0
    for _heading, body in sections:
        bounds.append((start, start + len(body)))
        start += len(body) + len(SECTION_BREAK)
    text = SECTION_BREAK.join(body for _heading, body in sections)
    cuts = _cut(text, tags, extra_cuts=[offset for bound in bounds for offset in bound])
    return [
        (heading, [piece for start, end, piece in cuts if low <= start and end <= high])
        for (heading, _body), (low, high) in zip(sections, bounds, strict=True)
    ]


def _cut(
    text: str, tags: list[ThemeTag], extra_cuts: list[int] = ()
) -> list[tuple[int, int, Piece]]:
    shown = [
        t
        for t in tags
        if t.status in ("suggested", "accepted")
        and t.start_char is not None
        and 0 <= t.start_char < t.end_char <= len(text)
        and text[t.start_char : t.end_char] == t.quote
    ]
    shown_order = {t.id: n for n, t in enumerate(shown)}
    cuts = sorted(
        {
            0,
            len(text),
            *extra_cuts,
            *(t.start_char for t in shown),
            *(t.end_char for t in shown),
        }
    )
    # One sweep along the text: a tag starts covering at its first character and stops at
    # its end (every tag's ends are cuts), so each piece's tags are those open at its start.
    starting: dict[int, list[ThemeTag]] = {}
    ending: dict[int, list[ThemeTag]] = {}
    for t in shown:
        starting.setdefault(t.start_char, []).append(t)
        ending.setdefault(t.end_char, []).append(t)
    open_tags: dict[int, ThemeTag] = {}
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        for t in ending.get(start, ()):
            open_tags.pop(t.id, None)
        for t in starting.get(start, ()):
            open_tags[t.id] = t
        covering = sorted(open_tags.values(), key=lambda t: shown_order[t.id])
        piece = Piece(
            text[start:end],
            tuple(t.id for t in covering),
            tuple(sorted({t.status for t in covering})),
        )
        pieces.append((start, end, piece))
    return pieces
