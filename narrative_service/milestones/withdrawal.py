"""Consent withdrawn: what the milestones hold of the person.

Feedback to the person or family (participant_feedback) names the narrative: what they
were told, what they said back and why feedback was not possible describe the person and
are erased; that feedback was given, when, how and by whom stays, as the record of the
process. The action plan, its progress and the board's learning summaries are the
organisation's, written to be shared (the board's only after anonymisation), and stay.
"""

from __future__ import annotations

from sqlalchemy import select

from .. import erasure
from ..database import rows
from .models import ParticipantFeedback

ACTION_PLAN = "the organisation's action plan, in staff's words"
ERASED_FEEDBACK = ("told_outcome", "improvements", "response", "not_possible_reason")

HOLDING = erasure.Holding(
    feature="milestones",
    erased={"participant_feedback": ERASED_FEEDBACK},
    kept={
        "participant_feedback": {
            "method": "how feedback was given, from a fixed list",
            "given_by": "the member of staff who gave it",
        },
        "actions": {
            "recommendation": ACTION_PLAN,
            "lead": ACTION_PLAN,
            "action_completed": ACTION_PLAN,
            "further_action": ACTION_PLAN,
            "method_of_measurement": ACTION_PLAN,
            "outcome_indicator": ACTION_PLAN,
            "reported_to": ACTION_PLAN,
            "status": "the action's status, from a fixed list",
        },
        "action_updates": {"text": ACTION_PLAN},
        "board_summaries": {
            "title": "a learning summary a lead anonymised and approved for the board",
            "text": "a learning summary a lead anonymised and approved for the board",
        },
    },
)


def erase_feedback(narrative, *, dry_run: bool = False) -> erasure.Counts:
    feedback = rows(
        select(ParticipantFeedback).where(ParticipantFeedback.narrative_id == narrative.id)
    )
    touched = [f for f in feedback if any(getattr(f, field) for field in ERASED_FEEDBACK)]
    if not dry_run:
        for item in touched:
            for field in ERASED_FEEDBACK:
                setattr(item, field, "")
    return {"records of what the person or family were told": len(touched)}


def init_app() -> None:
    erasure.register(HOLDING, erase_feedback)
