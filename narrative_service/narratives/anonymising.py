"""Preparing an anonymised version of a narrative: a person reviews, then approves.

The machine's redaction (the redaction service) is a draft, with the narrative's own
identifiers as a deny list (deny_list_for_narrative). The reviewer sees every replacement,
may undo any of them, may add words to hide, and approves; only an approved version can
leave the case team. The original record is never changed, and every approval is logged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from ..audit.rules import add_and_record
from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..redaction.engine import DenyList, Entity, detect_many, occurrences, redact, render
from .models import AnonymisedVersion
from .turns import narrative_text

MAX_ADDED_TERMS = 50


def deny_list_for_narrative(
    narrative, *, extra_terms: Iterable[str | tuple[str, str]] = ()
) -> DenyList:
    """What the record itself says about who and where, to be redacted wherever it appears.

    Staff names (facilitator, who recorded consent, who wrote or was shared the record),
    the case reference, and the identifiers found in the record's shorter free-text
    fields (title, why the narrator was not the person, the facilitator's relationship,
    Think Family notes, desired outcomes), where a name is more often stated plainly.
    """
    deny = DenyList()
    case = getattr(narrative, "case", None)
    if case is not None and getattr(case, "reference", ""):
        deny.add(case.reference, "CASE_REFERENCE")
    for name in (
        getattr(narrative, "facilitator_name", ""),
        getattr(narrative, "consent_recorded_by", ""),
    ):
        deny.add(name or "")
    people = [getattr(narrative, "created_by", None), getattr(narrative, "withdrawn_by", None)]
    people += [getattr(share, "user", None) for share in getattr(narrative, "shares", None) or []]
    for person in people:
        if person is not None:
            deny.add(getattr(person, "name", "") or "")
    fields = [
        getattr(narrative, name, "") or ""
        for name in (
            "title",
            "reason_not_direct",
            "facilitator_relationship",
            "think_family_notes",
            "desired_outcomes",
        )
    ]
    for entities in detect_many(fields):
        for entity in entities:
            deny.add(entity.text, entity.type)
    deny.extend(extra_terms)
    return deny


@dataclass
class Draft:
    original: str
    detected: list[Entity]
    kept: list[Entity]
    added: list[Entity]
    text: str
    undone: set[str]

    @staticmethod
    def key(entity: Entity) -> str:
        return f"{entity.start}-{entity.end}"


def _terms(added_terms: str) -> list[str]:
    terms = [" ".join(line.split()) for line in (added_terms or "").splitlines()]
    terms = [term for term in terms if term]
    if len(terms) > MAX_ADDED_TERMS:
        raise DomainError(f"Add up to {MAX_ADDED_TERMS} words or phrases at a time.", "added")
    return terms


def draft(narrative, *, undone: set[str] = frozenset(), added_terms: str = "") -> Draft:
    """The redaction as the reviewer has shaped it so far."""
    if narrative.is_withdrawn:
        raise DomainError("Consent was withdrawn: there is nothing to share.")
    original = narrative_text(narrative)
    if not original.strip():
        raise DomainError("The narrative has no text yet.")
    detected = redact(original, deny_list=deny_list_for_narrative(narrative)).entities
    kept = [entity for entity in detected if Draft.key(entity) not in undone]
    added: list[Entity] = []
    for term in _terms(added_terms):
        found = occurrences(original, term, "PERSON")
        if not found:
            raise DomainError(f"“{term}” does not appear in the text.", "added")
        added.extend(found)
    spans = _without_overlaps(kept, added)
    return Draft(original, detected, kept, added, render(original, spans).text, set(undone))


def _without_overlaps(kept: list[Entity], added: list[Entity]) -> list[Entity]:
    """Words the reviewer adds win over an overlapping machine replacement."""
    chosen = list(added)
    for entity in kept:
        if not any(entity.start < a.end and a.start < entity.end for a in chosen):
            chosen.append(entity)
    result: list[Entity] = []
    for entity in sorted(chosen, key=lambda e: (e.start, -e.end)):
        if result and entity.start < result[-1].end:
            continue
        result.append(entity)
    return result


def approve(narrative, *, undone: set[str], added_terms: str, by: User) -> AnonymisedVersion:
    shaped = draft(narrative, undone=undone, added_terms=added_terms)
    version = AnonymisedVersion(
        subject_type="narrative",
        subject_id=narrative.id,
        text=shaped.text,
        # Where and what kind, never the words themselves.
        replacements=[
            {"type": e.type, "start": e.start, "end": e.end}
            for e in _without_overlaps(shaped.kept, shaped.added)
        ],
        undone=len([e for e in shaped.detected if Draft.key(e) in undone]),
        added=len(shaped.added),
        source_sha256=hashlib.sha256(shaped.original.encode()).hexdigest(),
        approved_by_id=by.id,
    )
    return add_and_record(
        version,
        "redaction.approve",
        by=by,
        subject=narrative,
        id_as="version",
        replaced=len(version.replacements),
        undone=version.undone,
        added=version.added,
    )


def latest(narrative) -> AnonymisedVersion | None:
    return db.session.scalars(
        select(AnonymisedVersion)
        .where(
            AnonymisedVersion.subject_type == "narrative",
            AnonymisedVersion.subject_id == narrative.id,
        )
        .order_by(AnonymisedVersion.id.desc())
        .limit(1)
    ).first()


def is_current(version: AnonymisedVersion, narrative) -> bool:
    """False when the narrative has changed since the version was approved."""
    digest = hashlib.sha256(narrative_text(narrative).encode()).hexdigest()
    return version.source_sha256 == digest
