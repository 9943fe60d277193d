"""Learning summaries for the board: anonymised, reviewed, approved by a lead.

A draft is made from a reflection session's learning points, themes and differences of
perspective, redacted with the deny lists of the narratives it heard and the names of
everyone who attended. The lead may reword it; on approval the wording is checked
again, and refused while anything still looks like an identifier. The session itself is
never changed, and every approval and withdrawal is logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..audit.rules import add_and_record, record
from ..auth.models import User
from ..database import rows
from ..errors import DomainError
from ..extensions import db
from ..narratives.anonymising import deny_list_for_narrative
from ..redaction.engine import DenyList, redact, redact_many
from ..reflection.models import ReflectionSession
from ..timeutil import utcnow
from .checklist import sessions_for
from .models import BoardSummary, Milestone

MAX_TEXT = 20000


def deny_list_for_session(session: ReflectionSession) -> DenyList:
    deny = DenyList()
    for narrative in session.narratives:
        for kind, term in deny_list_for_narrative(narrative).entries:
            deny.add(term, kind)
    for attendee in session.attendees:
        deny.add(attendee.name or "")
    if session.facilitator is not None:
        deny.add(session.facilitator.name or "")
    return deny


def source_text(session: ReflectionSession) -> str:
    """The session's learning in plain paragraphs, before redaction."""
    lines = ["Key learning points"]
    for point in session.learning_points:
        themes = ", ".join(theme.name for theme in point.themes)
        lines.append(f"- {point.text.strip()}" + (f" (themes: {themes})" if themes else ""))
    if session.differences:
        lines.append("")
        lines.append("Where perspectives differed")
        for difference in session.differences:
            lines.append(f"- The person's view: {difference.person_view_or_erased.strip()}")
            lines.append(f"  The practitioners' view: {difference.practitioner_view.strip()}")
            if difference.learning.strip():
                lines.append(f"  Learning: {difference.learning.strip()}")
    return "\n".join(lines)


def draft(session: ReflectionSession) -> str:
    if not session.learning_points:
        raise DomainError("The session has no learning points to summarise yet")
    return redact(source_text(session), deny_list=deny_list_for_session(session)).text


def approve(
    milestone: Milestone,
    session: ReflectionSession | None,
    title: str,
    text: str,
    *,
    by: User,
) -> BoardSummary:
    title = " ".join((title or "").split())
    text = (text or "").strip()
    if not title:
        raise DomainError("Enter a title for the summary", "title")
    if len(title) > 200:
        raise DomainError("The title can be up to 200 characters", "title")
    if not text:
        raise DomainError("Enter the summary", "text")
    if len(text) > MAX_TEXT:
        raise DomainError(f"The summary can be up to {MAX_TEXT:,} characters", "text")
    deny = deny_list_for_session(session) if session is not None else DenyList()
    for name, value in (("title", title), ("text", text)):
        found = redact(value, deny_list=deny).entities
        if found:
            listed = "; ".join(f"“{entity.text}” ({entity.type.lower()})" for entity in found[:5])
            raise DomainError(
                f"This still looks identifying: {listed}. Replace it with a placeholder "
                "before approving.",
                name,
            )
    summary = BoardSummary(
        milestone_id=milestone.id,
        session_id=session.id if session is not None else None,
        title=title,
        text=text,
        approved_by_id=by.id,
    )
    return add_and_record(
        summary, "milestone.board_summary", by=by, subject=milestone, id_as="summary"
    )


def withdraw(summary: BoardSummary, *, by: User) -> None:
    if summary.withdrawn_at is not None:
        raise DomainError("That summary was already withdrawn")
    summary.withdrawn_at = utcnow()
    summary.withdrawn_by_id = by.id
    record(
        "milestone.board_summary_withdrawn",
        user_id=by.id,
        subject=db.session.get(Milestone, summary.milestone_id),
        summary=summary.id,
    )


def published(milestone_ids: list[int] | None = None) -> list[BoardSummary]:
    query = select(BoardSummary).where(BoardSummary.withdrawn_at.is_(None))
    if milestone_ids is not None:
        query = query.where(BoardSummary.milestone_id.in_(milestone_ids))
    return rows(query.order_by(BoardSummary.approved_at.desc()))


# ------------------------------------------------------------------ the action plan, for the board


@dataclass
class _Update:
    on: date
    text: str


@dataclass
class BoardAction:
    """An action as the board reads it: its free text redacted like everything else the board
    sees (a recommendation may name the person it came from)."""

    id: int
    recommendation: str
    lead: str
    due_on: date | None
    status: str
    updates: list[_Update] = field(default_factory=list)


def _deny_list_for_programme(milestones: list[Milestone]) -> DenyList:
    deny = DenyList()
    for milestone in milestones:
        for session in sessions_for(milestone):
            for kind, term in deny_list_for_session(session).entries:
                deny.add(term, kind)
    for user in db.session.scalars(select(User)):
        deny.add(user.name or "")
    return deny


def actions_for_board(milestones: list[Milestone], actions: list) -> list[BoardAction]:
    if not actions:
        return []
    texts: list[str] = []
    for action in actions:
        latest = action.updates[-1].text if action.updates else ""
        texts += [action.recommendation, action.lead, latest]
    redacted = iter(
        r.text for r in redact_many(texts, deny_list=_deny_list_for_programme(milestones))
    )
    shown = []
    for action in actions:
        recommendation, lead, latest = next(redacted), next(redacted), next(redacted)
        updates = [_Update(action.updates[-1].on, latest)] if action.updates else []
        shown.append(
            BoardAction(action.id, recommendation, lead, action.due_on, action.status, updates)
        )
    return shown
