"""Domain rules of a narrative: validation, consent gates, status, versions, erasure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from narrative_service.errors import DomainError, EditConflict, ValidationFailed
from narrative_service.extensions import db
from narrative_service.narratives import rules
from narrative_service.narratives.models import Narrative, NarrativeTurn
from narrative_service.timeutil import today
from tests.factories import make_narrative, narrative_data, withdraw


def errors_for(**overrides) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as failure:
        rules.clean(narrative_data(**overrides))
    return failure.value.errors


def test_a_valid_narrative_is_saved_as_a_draft_with_version_one(users):
    narrative = rules.create(narrative_data(), by=users["advocate"])
    db.session.commit()
    assert narrative.status == "draft"
    assert [v.number for v in narrative.versions] == [1]
    assert narrative.versions[0].snapshot["body"].startswith("Nobody told me")


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"case_reference": ""}, "case_reference", "Enter the case reference"),
        ({"case_reference": "Margaret Jones"}, "case_reference", "Never use the person's name"),
        ({"case_reference": "ABCDEF"}, "case_reference", "include a number"),
        ({"title": ""}, "title", "Enter a title"),
        ({"title": "x" * 201}, "title", "200 characters or fewer"),
        ({"narrator_type": ""}, "narrator_type", "Select who is telling the story"),
        ({"narrator_type": "carer", "reason_not_direct": ""}, "reason_not_direct", "Explain why"),
        (
            {"is_facilitator_independent": False, "facilitator_relationship": ""},
            "facilitator_relationship",
            "relationship to the case",
        ),
        ({"captured_from": None}, "captured_from", "Enter the date"),
        (
            {"captured_from": date.today() + timedelta(days=1)},
            "captured_from",
            "today or in the past",
        ),
        ({"captured_to": date(2025, 5, 1)}, "captured_to", "on or after the date captured"),
        ({"consent_date": None}, "consent_date", "Enter the date consent was given"),
        (
            {"consent_date": date.today() + timedelta(days=3)},
            "consent_date",
            "today or in the past",
        ),
        ({"consent_recorded_by": ""}, "consent_recorded_by", "who recorded the consent"),
        ({"ethnicity": "martian"}, "ethnicity", "from the list"),
        ({"body": "x" * (rules.MAX_BODY_CHARACTERS + 1)}, "body", "1,000,000 characters or fewer"),
    ],
)
def test_bad_input_names_the_field_and_what_is_wrong(app, overrides, field, words):
    errors = errors_for(**overrides)
    assert field in errors
    assert words in errors[field]


def test_a_fifty_thousand_word_narrative_is_within_the_limit(app):
    body = " ".join(["word"] * 50_000)
    assert rules.clean(narrative_data(body=body))["body"] == body


def test_without_consent_no_scope_of_consent_is_kept(app):
    values = rules.clean(narrative_data(has_consent=False, has_reflection_consent=True))
    assert values["has_reflection_consent"] is False


def test_case_reference_is_stored_in_capitals(users):
    narrative = rules.create(narrative_data(case_reference="sg-2025-0777"), by=users["advocate"])
    assert narrative.case.reference == "SG-2025-0777"


def test_a_new_case_with_an_existing_reference_is_refused(users):
    make_narrative(users["advocate"], case_reference="SG-2025-0100")
    with pytest.raises(ValidationFailed) as failure:
        rules.create(narrative_data(case_reference="SG-2025-0100"), by=users["advocate"])
    assert "already exists" in failure.value.errors["case_reference"]


def test_a_second_narrative_can_join_an_existing_case(users):
    first = make_narrative(users["advocate"], case_reference="SG-2025-0101")
    second = rules.create(
        narrative_data(case_reference="SG-2025-0101", narrator_type="carer", reason_not_direct="x"),
        by=users["advocate"],
        is_new_case=False,
    )
    assert second.case_id == first.case_id


def test_an_existing_case_that_does_not_exist_is_refused(users):
    with pytest.raises(ValidationFailed) as failure:
        rules.create(
            narrative_data(case_reference="SG-2025-0999"), by=users["advocate"], is_new_case=False
        )
    assert "There is no case" in failure.value.errors["case_reference"]


def test_editing_makes_a_new_version_recording_what_changed(users):
    narrative = make_narrative(users["advocate"])
    changed = rules.update(
        narrative,
        narrative_data(case_reference=narrative.case.reference, title="A new title"),
        by=users["lead"],
        based_on_version=1,
    )
    db.session.commit()
    assert changed
    latest = narrative.versions[-1]
    assert latest.number == 2
    assert latest.created_by_id == users["lead"].id
    assert latest.changes["title"] == ["Being listened to about the money", "A new title"]


def test_saving_without_changes_makes_no_new_version(users):
    narrative = make_narrative(users["advocate"])
    data = rules.snapshot(narrative)
    data.update(captured_from=narrative.captured_from, consent_date=narrative.consent_date)
    assert rules.update(narrative, data, by=users["advocate"], based_on_version=1) is False
    assert len(narrative.versions) == 1


def test_a_save_based_on_an_old_version_is_a_conflict_and_writes_nothing(users):
    narrative = make_narrative(users["advocate"])
    rules.update(
        narrative,
        narrative_data(case_reference=narrative.case.reference, title="First editor"),
        by=users["lead"],
        based_on_version=1,
    )
    db.session.commit()
    with pytest.raises(EditConflict):
        rules.update(
            narrative,
            narrative_data(case_reference=narrative.case.reference, title="Second editor"),
            by=users["advocate"],
            based_on_version=1,
        )
    db.session.rollback()
    assert db.session.get(Narrative, narrative.id).title == "First editor"


def test_a_draft_with_consent_and_words_can_be_marked_complete(users):
    narrative = make_narrative(users["advocate"])
    rules.mark_complete(narrative, by=users["advocate"])
    assert narrative.status == "complete"
    assert narrative.versions[-1].summary == "Marked complete"


def test_a_draft_without_consent_cannot_be_marked_complete(users):
    narrative = make_narrative(users["advocate"], consent=False)
    with pytest.raises(DomainError, match="consent"):
        rules.mark_complete(narrative, by=users["advocate"])


def test_a_draft_without_words_cannot_be_marked_complete(users):
    narrative = make_narrative(users["advocate"], body="   ")
    with pytest.raises(DomainError, match="own words"):
        rules.mark_complete(narrative, by=users["advocate"])


def test_withdrawal_erases_content_and_keeps_the_fact_and_date(users):
    narrative = make_narrative(users["advocate"], status="complete")
    narrative_id, reference = narrative.id, narrative.case.reference
    db.session.add(
        NarrativeTurn(
            narrative_id=narrative_id,
            position=1,
            speaker="narrator",
            text="My words",
            created_by_id=users["advocate"].id,
        )
    )
    db.session.commit()
    withdraw(narrative, by=users["lead"])
    db.session.commit()
    db.session.expire_all()
    narrative = db.session.get(Narrative, narrative_id)
    assert narrative.status == "withdrawn"
    assert narrative.withdrawn_at is not None
    assert narrative.withdrawn_at.date() == today()
    assert narrative.case.reference == reference
    assert narrative.body == ""
    assert narrative.desired_outcomes == ""
    assert narrative.think_family_notes == ""
    assert narrative.ethnicity == ""
    assert narrative.title == "Withdrawn narrative"
    assert narrative.turns == []  # the conversation's turns are deleted, not blanked


def test_withdrawal_erases_the_words_in_every_earlier_version(users):
    narrative = make_narrative(users["advocate"], status="complete")
    withdraw(narrative, by=users["lead"])
    db.session.commit()
    for version in narrative.versions:
        assert "Nobody told me" not in str(version.snapshot)
        assert "Nobody told me" not in str(version.changes)
    assert narrative.versions[0].is_erased
    assert "body" in narrative.versions[0].changes or narrative.versions[0].changes == {}


def test_a_withdrawn_narrative_cannot_be_edited(users):
    narrative = make_narrative(users["advocate"], status="withdrawn")
    with pytest.raises(DomainError, match="withdrawn"):
        rules.update(
            narrative,
            narrative_data(),
            by=users["advocate"],
            based_on_version=narrative.version_number,
        )


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"status": "withdrawn"}, "withdrawn"),
        (
            {"status": "complete", "has_reflection_consent": False},
            "no consent for staff reflection",
        ),
        ({"status": "draft"}, "still a draft"),
    ],
)
def test_consent_gate_for_reflection_sessions(users, kwargs, words):
    narrative = make_narrative(users["advocate"], **kwargs)
    with pytest.raises(DomainError, match=words):
        rules.check_can_join_reflection(narrative)


def test_a_complete_narrative_with_reflection_consent_may_join_a_session(users):
    narrative = make_narrative(users["advocate"], status="complete")
    rules.check_can_join_reflection(narrative)


def test_narratives_can_be_shared_only_with_advocates_and_facilitators(users):
    narrative = make_narrative(users["advocate"])
    with pytest.raises(DomainError, match="advocates and facilitators"):
        rules.share(narrative, users["board"], by=users["advocate"])


def test_sharing_twice_is_refused(users):
    narrative = make_narrative(users["advocate"])
    rules.share(narrative, users["facilitator"], by=users["advocate"])
    with pytest.raises(DomainError, match="already shared"):
        rules.share(narrative, users["facilitator"], by=users["advocate"])


def test_quarter_filter_selects_by_financial_quarter(users):
    q1 = make_narrative(
        users["advocate"], captured_from=date(2025, 6, 30), consent_date=date(2025, 6, 30)
    )
    make_narrative(users["advocate"], captured_from=date(2025, 7, 1), consent_date=date(2025, 7, 1))
    found = rules.list_page(users["lead"], rules.Filters(quarter="2025/26 Q1"), 1, 25)
    assert (found.items, found.total) == ([q1], 1)


def test_quarters_available_span_the_capture_dates(users):
    make_narrative(users["advocate"], captured_from=date(2025, 3, 1), consent_date=date(2025, 3, 1))
    make_narrative(
        users["advocate"], captured_from=date(2025, 10, 1), consent_date=date(2025, 10, 1)
    )
    assert rules.quarters_available(users["lead"]) == [
        "2025/26 Q3",
        "2025/26 Q2",
        "2025/26 Q1",
        "2024/25 Q4",
    ]
