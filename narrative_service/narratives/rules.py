"""The rules of a narrative: consent gates, status, versioning, sharing and listing.

Who may see and change a narrative is decided in access.py; what withdrawal erases in
withdrawal.py.

Views, the CLI, the demo loader and the worker all call these functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, load_only

from ..audit.rules import record
from ..auth.models import User
from ..database import rows
from ..errors import DomainError, EditConflict, NotAllowed, ValidationFailed
from ..extensions import db
from ..timeutil import quarter_bounds, quarter_of, today
from . import access, choices
from .models import Case, Narrative, NarrativeShare
from .turns import conversation_text

# A 50,000-word narrative is about 300,000 characters: leave generous room.
MAX_BODY_CHARACTERS = 1_000_000
MAX_SHORT_TEXT = 200
MAX_LONG_TEXT = 20_000
CASE_REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9/-]{2,39}$")

# Every field a person edits; a version stores these and nothing else.
CONTENT_FIELDS = (
    "case_reference",
    "title",
    "narrator_type",
    "reason_not_direct",
    "facilitator_name",
    "is_facilitator_independent",
    "facilitator_relationship",
    "captured_from",
    "captured_to",
    "capture_method",
    "has_consent",
    "consent_date",
    "consent_recorded_by",
    "has_reflection_consent",
    "has_dissemination_consent",
    "has_board_quotes_consent",
    "were_outcomes_asked",
    "desired_outcomes",
    "outcomes_achieved",
    "are_children_affected",
    "are_family_affected",
    "think_family_notes",
    "age_band",
    "gender",
    "ethnicity",
    "disability",
    "body",
)

FIELD_LABELS = {
    "case_reference": "Case reference",
    "title": "Title",
    "narrator_type": "Who is telling the story",
    "reason_not_direct": "Why the person could not speak directly",
    "facilitator_name": "Facilitator",
    "is_facilitator_independent": "Facilitator independent of the case",
    "facilitator_relationship": "Facilitator's relationship to the case",
    "captured_from": "Date captured",
    "captured_to": "Last sitting",
    "capture_method": "Method of capture",
    "has_consent": "Consent given",
    "consent_date": "Date of consent",
    "consent_recorded_by": "Consent recorded by",
    "has_reflection_consent": "Consent to staff reflection",
    "has_dissemination_consent": "Consent to anonymised dissemination",
    "has_board_quotes_consent": "Consent to anonymised quotes at board level",
    "were_outcomes_asked": "Asked what outcomes they wanted",
    "desired_outcomes": "Desired outcomes in their own words",
    "outcomes_achieved": "Outcomes achieved",
    "are_children_affected": "Children affected",
    "are_family_affected": "Other family members affected",
    "think_family_notes": "Think Family notes",
    "age_band": "Age band",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "disability": "Disability",
    "body": "The narrative",
}

EDITING_ROLES = access.EDITORS


# ---------------------------------------------------------------- listing


@dataclass
class Filters:
    status: str = ""
    quarter: str = ""  # "2025/26 Q1"
    case: str = ""
    narrator_type: str = ""


def filtered(user: User, filters: Filters) -> Select:
    """The ids of the narratives this user may see that match the filters, newest first."""
    query = access.readable(user).with_only_columns(Narrative.id)
    if filters.status in choices.STATUSES:
        query = query.where(Narrative.status == filters.status)
    if filters.narrator_type in choices.NARRATOR_TYPES:
        query = query.where(Narrative.narrator_type == filters.narrator_type)
    if filters.quarter:
        year, _, quarter = filters.quarter.partition(" ")
        try:
            first, last = quarter_bounds(year, quarter)
        except ValueError:
            pass
        else:
            query = query.where(Narrative.captured_from.between(first, last))
    if filters.case:
        # A range, not LIKE: SQLite's LIKE ignores case and so cannot use the unique index.
        prefix = filters.case.strip().upper()
        matching_cases = select(Case.id).where(
            Case.reference >= prefix, Case.reference < prefix + "\U0010ffff"
        )
        query = query.where(Narrative.case_id.in_(matching_cases))
    return query.order_by(*NEWEST_FIRST)


NEWEST_FIRST = (Narrative.captured_from.desc(), Narrative.id.desc())


class NarrativeList(Pagination):
    """One page of a filtered list.

    The page's ids are found first, from the indexes alone, and only those 25 rows are
    read: the filters never make the database step through rows holding long narratives.
    """

    def _query_items(self) -> list[Narrative]:
        ids = self._query_args["ids"].limit(self.per_page).offset(self._query_offset)
        query = (
            select(Narrative)
            .options(
                joinedload(Narrative.case).load_only(Case.reference),
                load_only(*LIST_COLUMNS),
            )
            .where(Narrative.id.in_(ids))
            .order_by(*NEWEST_FIRST)
        )
        return rows(query)

    def _query_count(self) -> int:
        ids = self._query_args["ids"].order_by(None).subquery()
        return db.session.execute(select(func.count()).select_from(ids)).scalar_one()


LIST_COLUMNS = (
    Narrative.id,
    Narrative.title,
    Narrative.status,
    Narrative.narrator_type,
    Narrative.captured_from,
    Narrative.updated_at,
    Narrative.case_id,
)


def list_page(user: User, filters: Filters, page: int | None, per_page: int) -> NarrativeList:
    """The page of narratives the list shows (page numbers out of range give an empty page)."""
    return NarrativeList(ids=filtered(user, filters), page=page, per_page=per_page, error_out=False)


def quarters_available(user: User) -> list[str]:
    """Every quarter from the earliest to the latest capture date the user can see."""
    bounds = access.readable(user).with_only_columns(
        func.min(Narrative.captured_from), func.max(Narrative.captured_from)
    )
    first, last = db.session.execute(bounds).one()
    if first is None:
        return []
    labels = []
    year, quarter = quarter_of(first)
    end = quarter_of(last)
    while True:
        labels.append(f"{year} {quarter}")
        if (year, quarter) == end:
            break
        if quarter == "Q4":
            start = int(year[:4]) + 1
            year, quarter = f"{start}/{(start + 1) % 100:02d}", "Q1"
        else:
            quarter = f"Q{int(quarter[1]) + 1}"
    return list(reversed(labels))


# ---------------------------------------------------------------- validation


def clean(data: dict[str, Any], *, on: date | None = None) -> dict[str, Any]:
    """Check a narrative's fields together; return them tidied or raise ValidationFailed."""
    on = on or today()
    values = {field: data.get(field) for field in CONTENT_FIELDS}
    for field in CONTENT_FIELDS:
        if isinstance(values[field], str):
            values[field] = values[field].strip() if field != "body" else values[field]
    errors: dict[str, str] = {}

    reference = (values["case_reference"] or "").strip().upper()
    values["case_reference"] = reference
    if not reference:
        errors["case_reference"] = "Enter the case reference"
    elif not CASE_REFERENCE.match(reference) or not any(ch.isdigit() for ch in reference):
        errors["case_reference"] = (
            "Case reference must be 3 to 40 letters, numbers, hyphens or slashes and include "
            "a number, like SG-2025-0143. Never use the person's name."
        )
    if not values["title"]:
        errors["title"] = "Enter a title for the narrative"
    elif len(values["title"]) > MAX_SHORT_TEXT:
        errors["title"] = f"Title must be {MAX_SHORT_TEXT} characters or fewer"

    if values["narrator_type"] not in choices.NARRATOR_TYPES:
        errors["narrator_type"] = "Select who is telling the story"
    elif values["narrator_type"] != "service_user" and not values["reason_not_direct"]:
        errors["reason_not_direct"] = "Explain why the person could not tell their story directly"
    if values["narrator_type"] == "service_user":
        values["reason_not_direct"] = ""

    if values["is_facilitator_independent"] is False and not values["facilitator_relationship"]:
        errors["facilitator_relationship"] = (
            "Describe the facilitator's relationship to the case, as they are not independent"
        )
    if values["is_facilitator_independent"] is True:
        values["facilitator_relationship"] = ""
    if len(values["facilitator_name"] or "") > MAX_SHORT_TEXT:
        errors["facilitator_name"] = f"Facilitator must be {MAX_SHORT_TEXT} characters or fewer"

    if values["captured_from"] is None:
        errors["captured_from"] = "Enter the date the narrative was captured"
    elif values["captured_from"] > on:
        errors["captured_from"] = "Date captured must be today or in the past"
    if values["captured_to"] is not None:
        if values["captured_to"] > on:
            errors["captured_to"] = "Last sitting must be today or in the past"
        elif values["captured_from"] and values["captured_to"] < values["captured_from"]:
            errors["captured_to"] = "Last sitting must be on or after the date captured"
    if values["capture_method"] not in choices.CAPTURE_METHODS:
        errors["capture_method"] = "Select how the narrative was captured"

    if values["has_consent"]:
        if values["consent_date"] is None:
            errors["consent_date"] = "Enter the date consent was given"
        elif values["consent_date"] > on:
            errors["consent_date"] = "Date of consent must be today or in the past"
        if not values["consent_recorded_by"]:
            errors["consent_recorded_by"] = "Enter who recorded the consent"
    else:
        # Without consent nothing may be used beyond the case team.
        for scope in (
            "has_reflection_consent",
            "has_dissemination_consent",
            "has_board_quotes_consent",
        ):
            values[scope] = False

    if values["were_outcomes_asked"] not in ("", *choices.OUTCOMES_ASKED):
        errors["were_outcomes_asked"] = (
            "Select whether the person was asked what outcomes they wanted"
        )
    values["outcomes_achieved"] = values["outcomes_achieved"] or "not_yet_known"
    if values["outcomes_achieved"] not in choices.OUTCOMES_ACHIEVED:
        errors["outcomes_achieved"] = "Select whether the outcomes were achieved"

    for field, allowed in (
        ("age_band", choices.AGE_BANDS),
        ("gender", choices.GENDERS),
        ("ethnicity", choices.ETHNICITIES),
        ("disability", choices.DISABILITY),
    ):
        values[field] = values[field] or ""
        if values[field] not in ("", *allowed):
            errors[field] = f"Choose {FIELD_LABELS[field].lower()} from the list"  # noqa: S608

    for field in (
        "desired_outcomes",
        "think_family_notes",
        "reason_not_direct",
        "facilitator_relationship",
    ):
        values[field] = values[field] or ""
        if len(values[field]) > MAX_LONG_TEXT:
            errors[field] = f"{FIELD_LABELS[field]} must be {MAX_LONG_TEXT:,} characters or fewer"
    values["body"] = (values["body"] or "").replace("\r\n", "\n")
    if len(values["body"]) > MAX_BODY_CHARACTERS:
        errors["body"] = (
            f"The narrative must be {MAX_BODY_CHARACTERS:,} characters or fewer "
            f"(about 160,000 words); this one has {len(values['body']):,}"
        )
    for flag in (
        "has_consent",
        "has_reflection_consent",
        "has_dissemination_consent",
        "has_board_quotes_consent",
        "are_children_affected",
        "are_family_affected",
    ):
        values[flag] = bool(values[flag])
    if errors:
        raise ValidationFailed(errors)
    return values


# ---------------------------------------------------------------- saving and versions


def snapshot(narrative: Narrative) -> dict[str, Any]:
    values = {
        field: getattr(narrative, field) for field in CONTENT_FIELDS if field != "case_reference"
    }
    values["case_reference"] = narrative.case.reference if narrative.case else ""
    return {field: _jsonable(values[field]) for field in CONTENT_FIELDS}


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _case_for(reference: str, is_new_case: bool) -> Case:
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    if is_new_case and case is not None:
        raise ValidationFailed(
            {
                "case_reference": f"A case with reference {reference} already exists. "
                "Choose 'An existing case' to add this narrative to it."
            }
        )
    if not is_new_case and case is None:
        raise ValidationFailed(
            {
                "case_reference": f"There is no case with reference {reference}. "
                "Choose 'A new case' to start one."
            }
        )
    if case is None:
        case = Case(reference=reference)
        db.session.add(case)
    return case


def create(data: dict[str, Any], *, by: User, is_new_case: bool = True) -> Narrative:
    """Record a new narrative as a draft, with its first version."""
    if by.role not in EDITING_ROLES:
        raise NotAllowed()
    values = clean(data)
    case = _case_for(values.pop("case_reference"), is_new_case)
    narrative = Narrative(
        case=case, created_by_id=by.id, status="draft", version_number=0, **values
    )
    db.session.add(narrative)
    db.session.flush()
    narrative.add_version(by.id, "Created", {}, snapshot(narrative))
    record("narrative.create", user_id=by.id, subject=narrative)
    return narrative


def update(
    narrative: Narrative,
    data: dict[str, Any],
    *,
    by: User,
    based_on_version: int,
    is_new_case: bool = False,
) -> bool:
    """Save changes as a new version. Returns False when nothing changed.

    If someone else saved since ``based_on_version`` was loaded, nothing is
    written and EditConflict says so; the caller keeps the user's text.
    """
    if narrative.is_withdrawn:
        raise DomainError("Consent for this narrative was withdrawn; it can no longer be changed.")
    if narrative.version_number != based_on_version:
        raise EditConflict(
            "Someone else saved this narrative after you opened it. Your changes have not been "
            "saved yet: compare them with the latest version below, then save again."
        )
    before = snapshot(narrative)
    values = clean(data)
    reference = values.pop("case_reference")
    if reference != narrative.case.reference:
        narrative.case = _case_for(reference, is_new_case)
    for field, value in values.items():
        setattr(narrative, field, value)
    after = snapshot(narrative)
    changes = {f: [before[f], after[f]] for f in CONTENT_FIELDS if before[f] != after[f]}
    if not changes:
        return False
    narrative.add_version(by.id, "Edited", changes, after)
    record("narrative.update", user_id=by.id, subject=narrative, fields=sorted(changes))
    return True


def missing_for_completion(narrative: Narrative) -> list[str]:
    """What must be recorded before a narrative can be marked complete."""
    missing = []
    if not narrative.body.strip() and not conversation_text(narrative):
        missing.append(
            "the narrative itself, in the narrator's own words (written, or as a conversation)"
        )
    if not narrative.has_consent:
        missing.append("the person's consent (given, with its date and who recorded it)")
    if narrative.captured_from is None:
        missing.append("the date the narrative was captured")
    return missing


def mark_complete(narrative: Narrative, *, by: User) -> None:
    if narrative.status != "draft":
        raise DomainError(
            f"Only a draft can be marked complete; this narrative is {narrative.status}."
        )
    missing = missing_for_completion(narrative)
    if missing:
        raise DomainError(
            "Before this narrative can be marked complete, record " + "; ".join(missing) + "."
        )
    narrative.status = "complete"
    narrative.add_version(
        by.id, "Marked complete", {"status": ["draft", "complete"]}, snapshot(narrative)
    )
    record("narrative.complete", user_id=by.id, subject=narrative)


def return_to_draft(narrative: Narrative, *, by: User) -> None:
    if narrative.status != "complete":
        raise DomainError("Only a complete narrative can be returned to draft.")
    narrative.status = "draft"
    narrative.add_version(
        by.id, "Returned to draft", {"status": ["complete", "draft"]}, snapshot(narrative)
    )
    record("narrative.update", user_id=by.id, subject=narrative, fields=["status"])


def check_can_join_reflection(narrative: Narrative) -> None:
    """Seed 002 stage 2: only a complete narrative whose consent covers staff reflection."""
    if narrative.is_withdrawn:
        raise DomainError(
            "Consent for this narrative was withdrawn, so it cannot be linked to a reflection "
            "session."
        )
    if not narrative.has_reflection_consent:
        raise DomainError(
            "This narrative has no consent for staff reflection, so it cannot be linked to a "
            "session."
        )
    if narrative.status != "complete":
        raise DomainError(
            "This narrative is still a draft; mark it complete before staff reflect on it."
        )


# ---------------------------------------------------------------- sharing


def share(narrative: Narrative, person: User, *, by: User) -> None:
    if not access.may_change(by, narrative):
        raise NotAllowed()
    if person.role not in ("advocate", "facilitator"):
        raise DomainError("Narratives can be shared with advocates and facilitators only.", "user")
    if not person.is_active_account:
        raise DomainError(f"{person.name}'s account is deactivated.", "user")
    if any(existing.user_id == person.id for existing in narrative.shares):
        raise DomainError(f"This narrative is already shared with {person.name}.", "user")
    narrative.shares.append(NarrativeShare(user_id=person.id, shared_by_id=by.id))
    record("narrative.share", user_id=by.id, subject=narrative, with_user=person.id)


def share_candidates(narrative: Narrative) -> list[User]:
    """Active advocates and facilitators this narrative is not yet shared with."""
    already = {share.user_id for share in narrative.shares} | {narrative.created_by_id}
    people = db.session.scalars(
        select(User)
        .where(User.role.in_(("advocate", "facilitator")), User.is_active_account.is_(True))
        .order_by(User.name)
    )
    return [person for person in people if person.id not in already]


def unshare(narrative: Narrative, person_id: int, *, by: User) -> None:
    if not access.may_change(by, narrative):
        raise NotAllowed()
    for existing in list(narrative.shares):
        if existing.user_id == person_id:
            narrative.shares.remove(existing)
            record("narrative.unshare", user_id=by.id, subject=narrative, with_user=person_id)
            return
    raise DomainError("This narrative was not shared with that person.")
