"""Who may read and who may change a narrative, and everything derived from it.

This module is the one place that decides. The narrative's page and history, its
conversation, recordings, audio and transcripts, its theme tags and suggestions, its
anonymised versions, the listening view and summary of a reflection session, the quotes
behind the analysis and the evidence pack all ask here; so do the CLI and the worker.
README ("Who may see a narrative") is this module in words, and tests/test_permissions.py
checks every route against it.

The decisions, made explicit:
- Leads and admins read every narrative (oversight); leads also change them. Oversight
  does not make anyone part of a case team.
- An advocate reads and changes the narratives they recorded and those shared with them.
- A facilitator reads, never changes, the narratives shared with them. Access through a
  share ends when the share is removed.
- The facilitator of a reflection session and its attendees with an account hear a
  narrative only through that session (its listening view, summary and audio), and only
  while the narrative's consent covers staff reflection. Setting a session up gives no
  access of its own: whoever set it up hears it only on one of the grounds above.
- Board members never read an identifiable narrative.
- A deactivated account reads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..auth.models import User
from ..errors import for_this_person
from ..extensions import db
from .models import Narrative, NarrativeShare

OVERSIGHT = ("lead", "admin")
EDITORS = ("lead", "advocate")
SHARED_WITH = ("advocate", "facilitator")

# The grounds on which a person reads a narrative.
BY_OVERSIGHT = "oversight"
AS_AUTHOR = "author"
BY_SHARE = "shared"


@dataclass(frozen=True)
class InSession:
    """A person's part in one reflection session (the reflection feature knows it)."""

    facilitates: bool = False
    attends: bool = False


def grounds(user: User, narrative: Narrative) -> frozenset[str]:
    """Why this person may read the narrative; empty when they may not."""
    if not user.is_active_account or user.role == "board":
        return frozenset()
    found = set()
    if user.role in OVERSIGHT:
        found.add(BY_OVERSIGHT)
    if user.role in EDITORS and narrative.created_by_id == user.id:
        found.add(AS_AUTHOR)
    if user.role in SHARED_WITH and any(share.user_id == user.id for share in narrative.shares):
        found.add(BY_SHARE)
    return frozenset(found)


def may_read(user: User, narrative: Narrative) -> bool:
    """Its pages: the narrative, history, conversation, recordings, transcripts, themes."""
    return bool(grounds(user, narrative))


def may_change(user: User, narrative: Narrative) -> bool:
    """Edit, complete, share, withdraw, add turns and recordings, tag themes, anonymise."""
    if user.role == "lead":
        return may_read(user, narrative)
    if user.role == "advocate":
        return bool(grounds(user, narrative) & {AS_AUTHOR, BY_SHARE})
    return False


def is_in_case_team(user: User, narrative: Narrative, *, facilitates_a_session: bool) -> bool:
    """Whether quotes from this narrative reach this person unredacted: who recorded it,
    whoever it is shared with, and the facilitators of sessions on it (the caller, which
    knows the sessions, says whether this person facilitates one)."""
    if not user.is_active_account or user.role == "board":
        return False
    return bool(grounds(user, narrative) - {BY_OVERSIGHT}) or facilitates_a_session


def hearing(user: User, narrative: Narrative, in_session: InSession) -> tuple[bool, str]:
    """Whether this person hears the narrative in a reflection session (its listening view,
    summary and audio), and if not, why, in words for the page."""
    if not user.is_active_account or user.role == "board":
        return False, "Board members never hear an identifiable narrative."
    if narrative.is_withdrawn:
        return False, "Consent for this narrative was withdrawn: its content is erased."
    if not narrative.has_reflection_consent:
        return False, "Its consent does not cover staff reflection, so it cannot be heard here."
    if in_session.facilitates or in_session.attends or may_read(user, narrative):
        return True, ""
    return False, (
        "Only the session's facilitator and attendees, and the people the narrative is "
        "shared with, hear it here."
    )


def may_hear(user: User, narrative: Narrative, in_session: InSession) -> bool:
    return hearing(user, narrative, in_session)[0]


def may_be_processed(narrative: Narrative | None) -> bool:
    """Whether the worker may still work on it (transcribe, suggest themes)."""
    return narrative is not None and not narrative.is_withdrawn


def may_leave_the_case_team(narrative: Narrative) -> bool:
    """Whether an approved anonymised version may be disseminated (the evidence pack)."""
    return not narrative.is_withdrawn and narrative.has_dissemination_consent


# ------------------------------------------------------------------ as queries


def _share_ids(user: User) -> Select:
    return select(NarrativeShare.narrative_id).where(NarrativeShare.user_id == user.id)


def readable(user: User) -> Select:
    """The narratives this person may read, as a query to filter further."""
    query = select(Narrative)
    if not user.is_active_account or user.role == "board":
        return query.where(false())
    if user.role in OVERSIGHT:
        return query
    # An uncorrelated IN lets the database use the shares index once, not once per row.
    shared = Narrative.id.in_(_share_ids(user))
    if user.role in EDITORS:
        return query.where(or_(Narrative.created_by_id == user.id, shared))
    if user.role in SHARED_WITH:
        return query.where(shared)
    return query.where(false())


def case_team_ids(user: User) -> Select:
    """Ids of the narratives this person reads other than by oversight (author or share)."""
    if not user.is_active_account or user.role == "board":
        return select(Narrative.id).where(false())
    conditions = []
    if user.role in EDITORS:
        conditions.append(Narrative.created_by_id == user.id)
    if user.role in SHARED_WITH:
        conditions.append(Narrative.id.in_(_share_ids(user)))
    if not conditions:
        return select(Narrative.id).where(false())
    return select(Narrative.id).where(or_(*conditions))


# ------------------------------------------------------------------ loading


def load(user: User, narrative_id: int, *, to_change: bool = False) -> Narrative:
    """The narrative if this person may read it (or change it).

    One they may not read is not found, exactly as one that does not exist; one they may
    read but not change is not allowed.
    """
    narrative = db.session.get(
        Narrative,
        narrative_id,
        options=[
            joinedload(Narrative.case),
            joinedload(Narrative.created_by),
            selectinload(Narrative.shares).joinedload(NarrativeShare.user),
        ],
    )
    return for_this_person(
        narrative,
        lambda found: may_read(user, found),
        (lambda found: may_change(user, found)) if to_change else None,
    )
