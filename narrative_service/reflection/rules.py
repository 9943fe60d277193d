"""Reflection sessions (seed 002, "Listen and reflect"): the rules pages and CLI share.

Staff who were involved hear the narrative directly, in the person's own words, before
they reflect. The session records who heard it and how, the reflective record (free notes
and the seed's structured prompts), differences of perspective, and key learning points
with their themes. Two people saving the record at once never overwrite each other: the
second save is kept beside the first and the conflict is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from ..audit.rules import add_and_record, record
from ..auth.models import User
from ..database import rows
from ..errors import DomainError, EditConflict, NotAllowed, NotFound, ValidationFailed
from ..extensions import db
from ..narratives import access
from ..narratives import rules as narrative_rules
from ..narratives.models import Narrative
from ..narratives.turns import conversation_text
from ..themes import tagging
from ..themes.models import Theme
from ..themes.tasks import suggest_when_committed
from ..timeutil import today, utcnow
from ..transcription.rules import by_speaker
from .access import ORGANISING_ROLES, can_change
from .models import (
    DifferenceOfPerspective,
    LearningPoint,
    ReflectionAttendee,
    ReflectionRecordVersion,
    ReflectionSession,
)

HEARD_HOW = {
    "read": "Read it themselves",
    "read_aloud": "Heard it read aloud",
    "played": "Heard the recording played",
}
# Seed 002: what the reflection should consider. Each optional, each always visible.
PROMPTS = {
    "choice": "Choice: what choices did the person have, and were they offered them?",
    "capacity": "Capacity: how was the person's capacity considered, and were they "
    "supported to decide for themselves?",
    "self_determination": "Self-determination: did the person direct what happened to them?",
    "risk": "Risk: how was risk understood, shared with the person and balanced with what "
    "they wanted?",
    "making_safeguarding_personal": "Were staff genuinely making safeguarding personal and "
    "upholding the person's rights?",
    "challenge": "Constructive challenge and self-challenge: what would we do differently?",
    "think_family": "Think Family: who else was affected, and was the voice of any child heard?",
}
AGENCIES = (
    "NHS trust",
    "GP practice",
    "Local authority adult social care",
    "Police",
    "Housing",
    "Ambulance service",
    "Voluntary sector",
    "Other",
)
MAX_TEXT = 20_000
MAX_NOTES = 400_000  # room for the transcripts of long sessions
MAX_SHORT = 200


# ------------------------------------------------------------------ the session itself


@dataclass
class SessionDetails:
    held_on: date | None
    is_group: bool
    is_online: bool
    facilitator_id: int | None
    narrative_ids: list[int]
    early_date_reason: str = ""


def _check_details(
    details: SessionDetails, by: User, session: ReflectionSession | None = None
) -> list[Narrative]:
    errors: dict[str, str] = {}
    if details.held_on is None:
        errors["held_on"] = "Enter the date of the session"
    elif details.held_on > today() + timedelta(days=366):
        errors["held_on"] = "The session date must be within the next year"
    facilitator = db.session.get(User, details.facilitator_id or 0)
    if facilitator is None or facilitator.role not in ORGANISING_ROLES:
        errors["facilitator_id"] = "Choose the facilitator (a facilitator or a safeguarding lead)"
    narratives: list[Narrative] = []
    if not details.narrative_ids:
        errors["narrative_ids"] = "Choose at least one narrative to reflect on"
    for narrative_id in dict.fromkeys(details.narrative_ids):
        narrative = db.session.get(Narrative, narrative_id)
        already_linked = session is not None and narrative in session.narratives
        if narrative is None or not (already_linked or access.may_read(by, narrative)):
            errors["narrative_ids"] = "Choose narratives from the list"
            continue
        try:
            narrative_rules.check_can_join_reflection(narrative)
        except DomainError as refused:
            errors["narrative_ids"] = f"{narrative.case.reference}: {refused.message}"
            continue
        narratives.append(narrative)
    reason = " ".join((details.early_date_reason or "").split())
    if details.held_on and narratives and not errors:
        before = [n for n in narratives if n.captured_from and details.held_on < n.captured_from]
        if before and not reason:
            first = before[0]
            errors["early_date_reason"] = (
                f"The session date is before {first.case.reference} was captured "
                f"({first.captured_from:%-d %B %Y}). If that is right, say why"
            )
    if len(reason) > MAX_SHORT * 5:
        errors["early_date_reason"] = f"Keep the reason under {MAX_SHORT * 5} characters"
    if errors:
        raise ValidationFailed(errors)
    return narratives


def create_session(details: SessionDetails, *, by: User) -> ReflectionSession:
    if by.role not in ORGANISING_ROLES:
        raise NotAllowed()
    narratives = _check_details(details, by)
    session = ReflectionSession(
        held_on=details.held_on,
        is_group=details.is_group,
        is_online=details.is_online,
        facilitator_id=details.facilitator_id,
        early_date_reason=" ".join(details.early_date_reason.split()),
        created_by_id=by.id,
        prompts={},
        notes="",
        version_number=0,
    )
    session.narratives = narratives
    return add_and_record(
        session, "reflection.create", by=by, narratives=[n.id for n in narratives]
    )


def update_session(session: ReflectionSession, details: SessionDetails, *, by: User) -> None:
    if not can_change(by, session):
        raise NotAllowed()
    # A narrative already linked stays linkable for this session's editors.
    narratives = _check_details(details, by, session)
    session.held_on = details.held_on
    session.is_group = details.is_group
    session.is_online = details.is_online
    session.facilitator_id = details.facilitator_id
    session.early_date_reason = " ".join(details.early_date_reason.split())
    session.narratives = narratives
    record("reflection.update", user_id=by.id, subject=session)


# ------------------------------------------------------------------ attendees


def _clean(text: str, limit: int, field: str, label: str, required: bool = False) -> str:
    text = " ".join((text or "").split())
    if required and not text:
        raise DomainError(f"Enter {label}", field)
    if len(text) > limit:
        raise DomainError(
            f"{label[0].upper()}{label[1:]} must be {limit} characters or fewer", field
        )
    return text


def add_attendee(
    session: ReflectionSession,
    *,
    by: User,
    user_id: int | None = None,
    name: str = "",
    role: str = "",
    team: str = "",
    agency: str = "",
    was_involved_in_case: bool = True,
) -> ReflectionAttendee:
    if not can_change(by, session):
        raise NotAllowed()
    person = db.session.get(User, user_id) if user_id else None
    if user_id and person is None:
        raise DomainError("Choose a person from the list, or type a name.", "user_id")
    name = person.name if person else _clean(name, MAX_SHORT, "name", "the attendee's name", True)
    role = _clean(role or (person.role_name if person else ""), MAX_SHORT, "role", "a role")
    team = _clean(team, MAX_SHORT, "team", "a team")
    agency = _clean(agency, MAX_SHORT, "agency", "an agency")
    for existing in session.attendees:
        same_user = person is not None and existing.user_id == person.id
        same_name = (
            person is None
            and existing.user_id is None
            and existing.name.casefold() == name.casefold()
            and existing.agency.casefold() == agency.casefold()
        )
        if same_user or same_name:
            raise DomainError(f"{existing.name} is already an attendee of this session.", "name")
    attendee = ReflectionAttendee(
        session_id=session.id,
        user_id=person.id if person else None,
        name=name,
        role=role,
        team=team,
        agency=agency,
        was_involved_in_case=was_involved_in_case,
    )
    session.attendees.append(attendee)
    return add_and_record(
        attendee, "reflection.attendee_add", by=by, subject=session, id_as="attendee"
    )


def remove_attendee(session: ReflectionSession, attendee_id: int, *, by: User) -> None:
    if not can_change(by, session):
        raise NotAllowed()
    attendee = _attendee(session, attendee_id)
    session.attendees.remove(attendee)
    record("reflection.attendee_remove", user_id=by.id, subject=session, attendee=attendee_id)


def _attendee(session: ReflectionSession, attendee_id: int) -> ReflectionAttendee:
    for attendee in session.attendees:
        if attendee.id == attendee_id:
            return attendee
    raise NotFound()


def mark_heard(session: ReflectionSession, heard: dict[int, str], *, by: User) -> int:
    """Record that these attendees heard the narrative directly, and how. Returns how many."""
    if not can_change(by, session):
        raise NotAllowed()
    if not heard:
        raise DomainError("Choose who heard the narrative, and how.", "heard")
    for attendee_id, how in heard.items():
        if how not in HEARD_HOW:
            raise DomainError("Say how each person heard it: read, read aloud or played.", "heard")
        attendee = _attendee(session, attendee_id)
        attendee.heard_how = how
        attendee.heard_directly_at = attendee.heard_directly_at or utcnow()
    record("reflection.heard", user_id=by.id, subject=session, attendees=sorted(heard))
    return len(heard)


def check_can_reflect(session: ReflectionSession) -> None:
    """Seed 002: staff hear the narrative directly before reflecting on it."""
    if not any(attendee.heard_directly_at for attendee in session.attendees):
        raise DomainError(
            "Before recording reflections, open the listening view and record who heard the "
            "narrative directly (read, read aloud or played)."
        )


def not_yet_heard(session: ReflectionSession) -> list[ReflectionAttendee]:
    return [a for a in session.attendees if a.heard_directly_at is None]


# ------------------------------------------------------------------ the reflective record


def save_record(
    session: ReflectionSession,
    notes: str,
    prompts: dict[str, str],
    *,
    based_on_version: int,
    by: User,
) -> bool:
    """Save notes and prompt answers. Returns False when nothing changed.

    If someone else saved since this form was opened, nothing is overwritten: this save is
    kept as a conflicting version beside theirs, and EditConflict says so.
    """
    if not can_change(by, session):
        raise NotAllowed()
    notes = (notes or "").replace("\r\n", "\n").strip()
    if len(notes) > MAX_NOTES:
        raise DomainError(
            f"Notes can be up to {MAX_NOTES:,} characters (these have {len(notes):,}).", "notes"
        )
    answers = {}
    for key, value in (prompts or {}).items():
        if key not in PROMPTS:
            continue
        value = (value or "").replace("\r\n", "\n").strip()
        if len(value) > MAX_TEXT:
            raise DomainError(f"Each answer can be up to {MAX_TEXT:,} characters.", key)
        if value:
            answers[key] = value
    if notes or answers:
        check_can_reflect(session)
    if based_on_version != session.version_number:
        session.record_versions.append(
            ReflectionRecordVersion(
                number=based_on_version,
                is_conflict=True,
                notes=notes,
                prompts=answers,
                saved_by_id=by.id,
            )
        )
        record("reflection.record_conflict", user_id=by.id, subject=session)
        raise EditConflict(
            "Someone else saved this record after you opened it. Your text has not replaced "
            "theirs: both are kept. Their version is shown below with yours; combine them and "
            "save again."
        )
    if notes == session.notes and answers == (session.prompts or {}):
        return False
    session.notes = notes
    session.prompts = answers
    session.version_number += 1
    session.record_versions.append(
        ReflectionRecordVersion(
            number=session.version_number, notes=notes, prompts=answers, saved_by_id=by.id
        )
    )
    record("reflection.record", user_id=by.id, subject=session, version=session.version_number)
    return True


def add_transcript_to_record(session: ReflectionSession, segments, *, by: User) -> int:
    """An accepted recording of the session: its words join the notes, speaker by speaker,
    as a new version of the record (earlier versions are kept)."""
    passages = by_speaker(segments)
    if not passages:
        return 0
    transcript = "\n\n".join(f"{passage.label}: {passage.text}" for passage in passages)
    heading = f"From the recording ({today():%-d %B %Y}):"
    notes = "\n\n".join(part for part in (session.notes, heading, transcript) if part)
    if len(notes) > MAX_NOTES:
        raise DomainError(
            f"With this transcript the notes would pass {MAX_NOTES:,} characters; "
            "move earlier notes elsewhere first."
        )
    session.notes = notes
    session.version_number += 1
    session.record_versions.append(
        ReflectionRecordVersion(
            number=session.version_number,
            notes=notes,
            prompts=dict(session.prompts or {}),
            saved_by_id=by.id,
        )
    )
    record("reflection.record", user_id=by.id, subject=session, version=session.version_number)
    suggest_when_committed(tagging.REFLECTION_RECORD, session.id)  # themes for the new words
    return len(passages)


def latest_conflict(session: ReflectionSession, user: User) -> ReflectionRecordVersion | None:
    for version in reversed(session.record_versions):
        if version.is_conflict and version.saved_by_id == user.id:
            return version
    return None


# ------------------------------------------------------------------ differences, learning


def add_difference(
    session: ReflectionSession,
    *,
    person_view: str,
    practitioner_view: str,
    agency: str = "",
    learning: str = "",
    by: User,
) -> DifferenceOfPerspective:
    if not can_change(by, session):
        raise NotAllowed()
    check_can_reflect(session)
    difference = DifferenceOfPerspective(
        session_id=session.id,
        person_view=_long(person_view, "person_view", "what the person said or felt", True),
        practitioner_view=_long(
            practitioner_view, "practitioner_view", "what practitioners saw or did", True
        ),
        agency=_clean(agency, MAX_SHORT, "agency", "an agency"),
        learning=_long(learning, "learning", "what was learned"),
    )
    session.differences.append(difference)
    return add_and_record(
        difference, "reflection.difference_add", by=by, subject=session, id_as="difference"
    )


def remove_difference(session: ReflectionSession, difference_id: int, *, by: User) -> None:
    if not can_change(by, session):
        raise NotAllowed()
    for difference in session.differences:
        if difference.id == difference_id:
            session.differences.remove(difference)
            record(
                "reflection.difference_remove",
                user_id=by.id,
                subject=session,
                difference=difference_id,
            )
            return
    raise NotFound()


def _long(text: str, field: str, label: str, required: bool = False) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise DomainError(f"Enter {label}", field)
    if len(text) > MAX_TEXT:
        raise DomainError(f"This can be up to {MAX_TEXT:,} characters", field)
    return text


def _themes(theme_ids: list[int]) -> list[Theme]:
    if not theme_ids:
        return []
    themes = rows(select(Theme).where(Theme.id.in_(theme_ids)))
    if len(themes) != len(set(theme_ids)):
        raise DomainError("Choose themes from the codebook.", "theme_ids")
    return themes


def add_learning_point(
    session: ReflectionSession,
    *,
    text: str,
    owner: str = "",
    theme_ids: list[int] | None = None,
    is_best_practice: bool = False,
    by: User,
) -> LearningPoint:
    if not can_change(by, session):
        raise NotAllowed()
    check_can_reflect(session)
    point = LearningPoint(
        session_id=session.id,
        text=_long(text, "text", "the learning point", True),
        owner=_clean(owner, MAX_SHORT, "owner", "an owner"),
        is_best_practice=is_best_practice,
        created_by_id=by.id,
    )
    point.themes = _themes(theme_ids or [])
    session.learning_points.append(point)
    return add_and_record(
        point, "reflection.learning_add", by=by, subject=session, id_as="learning_point"
    )


def update_learning_point(
    point: LearningPoint,
    *,
    text: str,
    owner: str,
    theme_ids: list[int],
    is_best_practice: bool,
    by: User,
) -> None:
    if not can_change(by, point.session):
        raise NotAllowed()
    point.text = _long(text, "text", "the learning point", True)
    point.owner = _clean(owner, MAX_SHORT, "owner", "an owner")
    point.themes = _themes(theme_ids)
    point.is_best_practice = is_best_practice
    tagging.reject_accepted_except(
        tagging.LEARNING_POINT, point.id, {theme.id for theme in point.themes}, by=by
    )
    record(
        "reflection.learning_update", user_id=by.id, subject=point.session, learning_point=point.id
    )


def remove_learning_point(session: ReflectionSession, point_id: int, *, by: User) -> None:
    if not can_change(by, session):
        raise NotAllowed()
    for point in session.learning_points:
        if point.id == point_id:
            session.learning_points.remove(point)
            tagging.forget(tagging.LEARNING_POINT, point_id)
            record(
                "reflection.learning_remove",
                user_id=by.id,
                subject=session,
                learning_point=point_id,
            )
            return
    raise NotFound()


# ------------------------------------------------------------------ the summary


def confirm_summary(session: ReflectionSession, *, by: User) -> ReflectionAttendee:
    """An attendee with an account confirms the summary is a fair record."""
    for attendee in session.attendees:
        if attendee.user_id == by.id:
            if attendee.confirmed_summary_at is None:
                attendee.confirmed_summary_at = utcnow()
                record("reflection.confirm", user_id=by.id, subject=session)
            return attendee
    raise DomainError("Only the session's attendees can confirm its summary.")


def summary(session: ReflectionSession) -> dict[str, Any]:
    by_role: dict[str, int] = {}
    for attendee in session.attendees:
        label = attendee.role or "Role not recorded"
        by_role[label] = by_role.get(label, 0) + 1
    return {
        "by_role": sorted(by_role.items()),
        "heard": [a for a in session.attendees if a.heard_directly_at],
        "not_heard": not_yet_heard(session),
        "prompts": [(key, PROMPTS[key], session.prompts.get(key)) for key in PROMPTS],
    }


def excerpt(narrative: Narrative, words: int = 120) -> str:
    """The opening words of the narrative, in the narrator's own words."""

    text = narrative.body.strip() or conversation_text(narrative)
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
