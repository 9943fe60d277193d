"""Consent withdrawn: erase everything the person said or that describes them.

The fact of withdrawal, the date consent was withdrawn, how it was communicated, the case
reference and who captured the narrative are kept, so the record of the process stays
honest; so are what was erased, as counts, never content. Every feature's copies are
erased through erasure.erase(), where each feature has registered what it holds.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select

from .. import erasure
from ..audit.rules import record
from ..auth.models import User
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..timeutil import today, utcnow
from .models import AnonymisedVersion, Narrative, NarrativeTurn, NarrativeVersion

# How the person (or their representative) let the service know.
HOW_COMMUNICATED = {
    "in_person": "In person",
    "phone": "By telephone",
    "in_writing": "In writing (letter or e-mail)",
    "representative": "Through their advocate or representative",
    "other": "Another way",
}

# The narrative's own fields erased on withdrawal: free text and equality answers. The
# narrator type, capture dates and method, consent date and the Making Safeguarding
# Personal answers stay, so the record of the process remains honest.
ERASED_FIELDS = (
    "body",
    "title",
    "reason_not_direct",
    "facilitator_name",
    "facilitator_relationship",
    "consent_recorded_by",
    "desired_outcomes",
    "think_family_notes",
    "age_band",
    "gender",
    "ethnicity",
    "disability",
)
WITHDRAWN_TITLE = "Withdrawn narrative"

HOLDING = erasure.Holding(
    feature="narratives",
    erased={
        "narratives": ERASED_FIELDS,
        "narrative_versions": ("changes", "snapshot"),
        "narrative_turns": (
            "speaker",
            "speaker_name",
            "text",
            "client_token",
            "removed_reason",
            "history",
        ),
        "anonymised_versions": ("subject_type", "text", "replacements", "source_sha256"),
    },
    kept={
        "narratives": {
            "status": "where the narrative stands (withdrawn), from a fixed list",
            "narrator_type": "who told it, from a fixed list: the record of the process",
            "capture_method": "how it was captured, from a fixed list",
            "were_outcomes_asked": "a Making Safeguarding Personal tick box, counted nationally",
            "outcomes_achieved": "a Making Safeguarding Personal tick box, counted nationally",
            "withdrawal_method": "how the withdrawal was communicated, from a fixed list",
            "erased_counts": "what was erased, as counts only",
        },
        "narrative_versions": {"summary": "what kind of save it was, in the service's words"},
    },
)


def erase_own_copies(narrative: Narrative, *, dry_run: bool = False) -> erasure.Counts:
    """The narratives feature's part: the text and fields, earlier versions' values, and the
    conversation's turns and the anonymised versions (deleted)."""
    words = len(narrative.body.split())
    turns = db.session.scalar(
        select(func.count())
        .select_from(NarrativeTurn)
        .where(NarrativeTurn.narrative_id == narrative.id)
    )
    versions = db.session.scalar(
        select(func.count())
        .select_from(NarrativeVersion)
        .where(NarrativeVersion.narrative_id == narrative.id, NarrativeVersion.is_erased.is_(False))
    )
    anonymised = db.session.scalar(
        select(func.count()).select_from(AnonymisedVersion).where(*_anonymised_of(narrative))
    )
    counts = {
        "words of the written narrative": words,
        "conversation turns": turns,
        "earlier versions (their values; that each was saved stays)": versions,
        "anonymised versions, draft and approved": anonymised,
    }
    if dry_run:
        return counts
    for field in ERASED_FIELDS:
        setattr(narrative, field, "")
    narrative.title = WITHDRAWN_TITLE
    for version in narrative.versions:
        version.changes = {field: None for field in version.changes}
        version.snapshot = {}
        version.is_erased = True
    db.session.execute(
        delete(NarrativeTurn)
        .where(NarrativeTurn.narrative_id == narrative.id)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(narrative, ["turns"])
    db.session.execute(
        delete(AnonymisedVersion)
        .where(*_anonymised_of(narrative))
        .execution_options(synchronize_session=False)
    )
    return counts


def _anonymised_of(narrative: Narrative) -> tuple:
    return (
        AnonymisedVersion.subject_type == "narrative",
        AnonymisedVersion.subject_id == narrative.id,
    )


def init_app() -> None:
    erasure.register(HOLDING, erase_own_copies)


def what_will_be_erased(narrative: Narrative) -> list[tuple[str, int]]:
    """Every feature's counts of what withdrawal would erase, for the confirmation page."""
    return [(what, number) for what, number in erasure.preview(narrative).items() if number]


def problems(
    withdrawn_on: date | None, how: str, narrative: Narrative, *, is_understood: bool = True
) -> dict[str, str]:
    """Everything wrong with a withdrawal as asked for, at once: {field: message}."""
    errors: dict[str, str] = {}
    if withdrawn_on is None:
        errors["withdrawn_on"] = "Enter the date consent was withdrawn"
    elif withdrawn_on > today():
        errors["withdrawn_on"] = "The date consent was withdrawn must be today or in the past"
    elif narrative.consent_date and withdrawn_on < narrative.consent_date:
        errors["withdrawn_on"] = (
            "The date consent was withdrawn must be on or after the date it was given "
            f"({narrative.consent_date:%-d %B %Y})"
        )
    if how not in HOW_COMMUNICATED:
        errors["how"] = "Select how the person let you know they were withdrawing consent"
    if not is_understood:
        errors["is_understood"] = "Confirm that you understand this cannot be undone"
    return errors


def withdraw(
    narrative: Narrative, *, by: User, withdrawn_on: date | None, how: str
) -> erasure.Counts:
    """Record the withdrawal and erase every copy; returns what was erased, as counts.

    The caller commits; the erasure then leaves the database's files (erasure.py).
    """
    if narrative.is_withdrawn:
        raise DomainError("Consent for this narrative has already been recorded as withdrawn.")
    errors = problems(withdrawn_on, how, narrative)
    if errors:
        raise ValidationFailed(errors)
    counts = erasure.erase(narrative)
    narrative.has_reflection_consent = False
    narrative.has_dissemination_consent = False
    narrative.has_board_quotes_consent = False
    narrative.status = "withdrawn"
    narrative.withdrawn_at = utcnow()
    narrative.withdrawn_by_id = by.id
    narrative.consent_withdrawn_on = withdrawn_on
    narrative.withdrawal_method = how
    narrative.erased_counts = counts
    narrative.add_version(
        by.id, "Consent withdrawn: content erased", {"status": [None, "withdrawn"]}, {}
    )
    record("narrative.withdraw", user_id=by.id, subject=narrative, how=how, erased=counts)
    return counts
