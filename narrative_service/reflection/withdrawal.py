"""Consent withdrawn: what the reflection sessions on a narrative hold of the person.

A session's record, learning points, attendees and the practitioners' side of each
difference of perspective are the staff's own reflection, which the milestone evidence
needs; they are kept. What the person said or felt, as recorded in a difference of
perspective, is theirs: it is erased in every session that reflected on the narrative.
"""

from __future__ import annotations

from sqlalchemy import select

from .. import erasure
from ..database import rows
from .models import DifferenceOfPerspective, reflection_session_narratives

STAFF_REFLECTION = "the staff's own reflection, in their words, which the milestone evidence needs"

HOLDING = erasure.Holding(
    feature="reflection",
    erased={"differences_of_perspective": ("person_view",)},
    kept={
        "reflection_sessions": {
            "notes": STAFF_REFLECTION,
            "prompts": STAFF_REFLECTION,
            "early_date_reason": "why the session was dated before the capture: staff's words",
        },
        "reflection_record_versions": {"notes": STAFF_REFLECTION, "prompts": STAFF_REFLECTION},
        "reflection_attendees": {
            "name": "the staff who attended, as the milestone evidence needs",
            "role": "the staff who attended",
            "team": "the staff who attended",
            "agency": "the staff who attended",
            "heard_how": "how they heard it, from a fixed list",
        },
        "learning_points": {
            "text": "the organisation's learning, disseminated and acted on",
            "owner": "who owns the learning point: staff",
        },
        "differences_of_perspective": {
            "practitioner_view": STAFF_REFLECTION,
            "agency": "the practitioner's agency",
            "learning": STAFF_REFLECTION,
        },
    },
)


def erase_person_views(narrative, *, dry_run: bool = False) -> erasure.Counts:
    sessions = select(reflection_session_narratives.c.reflection_session_id).where(
        reflection_session_narratives.c.narrative_id == narrative.id
    )
    differences = rows(
        select(DifferenceOfPerspective).where(
            DifferenceOfPerspective.session_id.in_(sessions),
            DifferenceOfPerspective.person_view != "",
        )
    )
    if not dry_run:
        for difference in differences:
            difference.person_view = ""
    return {"what the person said or felt, in differences of perspective": len(differences)}


def init_app() -> None:
    erasure.register(HOLDING, erase_person_views)
