"""Who may see and who may change a reflection session.

Whether a person hears a narrative in a session (its words in the listening view, the
summary and the audio) is narratives.access's decision, given this person's part in the
session (`in_session`). What is decided here: which sessions a person sees, who may change
one, and which narratives and facilitators a new session may be set up with.
"""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from ..auth.models import User
from ..database import rows
from ..errors import for_this_person
from ..extensions import db
from ..narratives import access as narrative_access
from ..narratives.models import Narrative
from .models import ReflectionAttendee, ReflectionSession, reflection_session_narratives

ORGANISING_ROLES = ("facilitator", "lead")
ALL_SEEING_ROLES = ("lead", "admin")


def attendee_for(session: ReflectionSession, user: User) -> ReflectionAttendee | None:
    """This person's place in the session's attendance, if they have an account there."""
    return next((a for a in session.attendees if a.user_id == user.id), None)


def visible_sessions(user: User) -> Select:
    query = select(ReflectionSession)
    if not user.is_active_account or user.role == "board":
        return query.where(false())  # board members see no session
    if user.role in ALL_SEEING_ROLES:
        return query
    # Attendees with an account see the sessions they attended, to confirm the summary.
    attended = ReflectionSession.id.in_(
        select(ReflectionAttendee.session_id).where(ReflectionAttendee.user_id == user.id)
    )
    # So does the case team of a narrative it reflects on (who recorded it, sharees).
    on_their_cases = ReflectionSession.id.in_(
        select(reflection_session_narratives.c.reflection_session_id).where(
            reflection_session_narratives.c.narrative_id.in_(narrative_access.case_team_ids(user))
        )
    )
    conditions = [attended, on_their_cases]
    if user.role == "facilitator":
        conditions += [
            ReflectionSession.facilitator_id == user.id,
            ReflectionSession.created_by_id == user.id,
        ]
    return query.where(or_(*conditions))


def can_view(user: User, session: ReflectionSession) -> bool:
    """Leads and admins (oversight), and the session's own team (is_in_session_team)."""
    if user.is_active_account and user.role in ALL_SEEING_ROLES:
        return True
    return is_in_session_team(user, session)


def can_change(user: User, session: ReflectionSession) -> bool:
    if not user.is_active_account:
        return False
    if user.role == "lead":
        return True
    return user.role == "facilitator" and user.id in (session.facilitator_id, session.created_by_id)


def in_session(user: User, session: ReflectionSession) -> narrative_access.InSession:
    """This person's part in the session, for narratives.access to decide what they hear."""
    return narrative_access.InSession(
        facilitates=session.facilitator_id == user.id,
        attends=attendee_for(session, user) is not None,
    )


def heard_narratives(user: User, session: ReflectionSession) -> list[tuple[Narrative, str]]:
    """Each narrative of the session with "" if this person hears it here, or why not."""
    part = in_session(user, session)
    return [
        (narrative, narrative_access.hearing(user, narrative, part)[1])
        for narrative in session.narratives
    ]


def facilitated_narrative_ids(user: User) -> Select:
    """Narratives linked to the reflection sessions this person facilitates."""
    return (
        select(reflection_session_narratives.c.narrative_id)
        .join(
            ReflectionSession,
            ReflectionSession.id == reflection_session_narratives.c.reflection_session_id,
        )
        .where(ReflectionSession.facilitator_id == user.id)
    )


def is_in_session_team(user: User, session: ReflectionSession) -> bool:
    """Whether this person took part in the session (its facilitator, who set it up, an
    attendee, the case team of a narrative it reflects on): those who may see it, less the
    oversight of leads and admins. Quotes from it reach anyone else redacted."""
    if not user.is_active_account or user.role == "board":
        return False
    if user.id in (session.facilitator_id, session.created_by_id):
        return True
    if attendee_for(session, user) is not None:
        return True
    return any(
        narrative_access.is_in_case_team(user, narrative, facilitates_a_session=False)
        for narrative in session.narratives
    )


def load_for(user: User, session_id: int, *, to_change: bool = False) -> ReflectionSession:
    """The session if this person may see (or change) it: one they may not see is not
    found, like one that does not exist."""
    return for_this_person(
        db.session.get(ReflectionSession, session_id),
        lambda session: can_view(user, session),
        (lambda session: can_change(user, session)) if to_change else None,
    )


def eligible_narratives(user: User) -> list[Narrative]:
    """Narratives this person may link: complete, consent covering reflection, readable."""
    query = (
        narrative_access.readable(user)
        .where(
            Narrative.status == "complete",
            Narrative.has_reflection_consent.is_(True),
        )
        .order_by(Narrative.captured_from.desc(), Narrative.id.desc())
    )
    return rows(query)


def facilitators() -> list[User]:
    return rows(
        select(User)
        .where(User.role.in_(ORGANISING_ROLES), User.is_active_account.is_(True))
        .order_by(User.name)
    )
