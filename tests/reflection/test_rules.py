"""Reflection sessions: the consent gate, the heard-directly rule, conflicts kept, access."""

from __future__ import annotations

from datetime import date

import pytest

from narrative_service.errors import DomainError, EditConflict, NotAllowed, ValidationFailed
from narrative_service.extensions import db
from narrative_service.narratives import access
from narrative_service.reflection import access as reflection_access
from narrative_service.reflection import rules
from tests.factories import make_narrative, make_session, make_theme, make_user


@pytest.fixture
def complete(users):
    return make_narrative(users["advocate"], status="complete")


def details(facilitator, narrative_ids, **overrides):
    values = dict(
        held_on=date(2025, 7, 10),
        is_group=True,
        is_online=False,
        facilitator_id=facilitator.id,
        narrative_ids=narrative_ids,
    )
    values.update(overrides)
    return rules.SessionDetails(**values)


def test_a_session_needs_a_narrative(users):
    with pytest.raises(ValidationFailed) as refused:
        rules.create_session(details(users["lead"], []), by=users["lead"])
    assert refused.value.errors["narrative_ids"] == "Choose at least one narrative to reflect on"


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("draft", "still a draft"),
        ("no_consent", "no consent for staff reflection"),
        ("withdrawn", "Consent for this narrative was withdrawn"),
    ],
)
def test_only_complete_narratives_with_reflection_consent_can_be_linked(users, kind, message):
    if kind == "draft":
        narrative = make_narrative(users["advocate"])
    elif kind == "no_consent":
        narrative = make_narrative(
            users["advocate"], status="complete", has_reflection_consent=False
        )
    else:
        narrative = make_narrative(users["advocate"], status="withdrawn")
    with pytest.raises(ValidationFailed) as refused:
        rules.create_session(details(users["lead"], [narrative.id]), by=users["lead"])
    assert message in refused.value.errors["narrative_ids"]
    assert narrative.case.reference in refused.value.errors["narrative_ids"]


def test_a_session_dated_before_capture_needs_a_reason(users, complete):
    early = details(users["lead"], [complete.id], held_on=date(2025, 5, 1))
    with pytest.raises(ValidationFailed) as refused:
        rules.create_session(early, by=users["lead"])
    assert "before" in refused.value.errors["early_date_reason"]
    assert "14 May 2025" in refused.value.errors["early_date_reason"]
    early.early_date_reason = "The capture date was entered wrongly; corrected later."
    session = rules.create_session(early, by=users["lead"])
    assert session.early_date_reason.startswith("The capture date")


def test_reflecting_needs_someone_to_have_heard_the_narrative_directly(users, complete):
    session = make_session(users["facilitator"], [complete], by=users["lead"])
    facilitator = users["facilitator"]
    with pytest.raises(DomainError, match="record who heard the narrative directly"):
        rules.add_learning_point(session, text="Ask what matters.", by=facilitator)
    with pytest.raises(DomainError, match="record who heard"):
        rules.save_record(session, "Notes", {}, based_on_version=0, by=facilitator)
    attendee = rules.add_attendee(session, by=facilitator, name="Sam Okoro", role="Social worker")
    rules.mark_heard(session, {attendee.id: "played"}, by=facilitator)
    point = rules.add_learning_point(session, text="Ask what matters.", by=facilitator)
    assert point.text == "Ask what matters." and attendee.heard_how == "played"
    assert attendee.heard_directly_at is not None


def test_heard_must_say_how(users, complete):
    session = make_session(users["facilitator"], [complete], by=users["lead"])
    attendee = rules.add_attendee(session, by=users["facilitator"], name="Sam Okoro")
    with pytest.raises(DomainError, match="read, read aloud or played"):
        rules.mark_heard(session, {attendee.id: "skimmed"}, by=users["facilitator"])


def test_attendees_are_not_added_twice(users, complete):
    session = make_session(users["facilitator"], [complete], by=users["lead"])
    f = users["facilitator"]
    rules.add_attendee(session, by=f, user_id=users["advocate"].id)
    with pytest.raises(DomainError, match="already an attendee"):
        rules.add_attendee(session, by=f, user_id=users["advocate"].id)
    rules.add_attendee(session, by=f, name="PC Jones", agency="Police")
    with pytest.raises(DomainError, match="PC Jones is already an attendee"):
        rules.add_attendee(session, by=f, name="pc  jones", agency="police")
    rules.add_attendee(session, by=f, name="PC Jones", agency="Housing")  # a different person
    assert len(session.attendees) == 3
    with pytest.raises(DomainError, match="Enter the attendee's name"):
        rules.add_attendee(session, by=f, name="  ")


def test_a_learning_point_needs_text_and_takes_codebook_themes(users, complete):
    session = make_session(users["facilitator"], [complete], by=users["lead"])
    f = users["facilitator"]
    attendee = rules.add_attendee(session, by=f, name="Sam")
    rules.mark_heard(session, {attendee.id: "read"}, by=f)
    with pytest.raises(DomainError, match="Enter the learning point"):
        rules.add_learning_point(session, text="   ", by=f)
    theme = make_theme()
    point = rules.add_learning_point(
        session, text="Explain the process.", owner="Team lead", theme_ids=[theme.id], by=f
    )
    assert [t.code for t in point.themes] == ["experience.listened_to"]
    with pytest.raises(DomainError, match="Choose themes from the codebook"):
        rules.add_learning_point(session, text="Another.", theme_ids=[99999], by=f)


def test_two_people_saving_the_record_at_once_keep_both_versions(users, complete):
    session = make_session(users["facilitator"], [complete], by=users["lead"])
    f, lead = users["facilitator"], users["lead"]
    attendee = rules.add_attendee(session, by=f, name="Sam")
    rules.mark_heard(session, {attendee.id: "read_aloud"}, by=f)
    db.session.commit()
    # Both opened the record at version 0.
    assert rules.save_record(
        session, "We did not ask her.", {"choice": "Few"}, based_on_version=0, by=f
    )
    with pytest.raises(EditConflict, match="both are kept"):
        rules.save_record(session, "The lead's view.", {}, based_on_version=0, by=lead)
    db.session.commit()
    assert session.notes == "We did not ask her." and session.version_number == 1
    kept = rules.latest_conflict(session, lead)
    assert kept.is_conflict and kept.notes == "The lead's view." and kept.number == 0
    assert [v.is_conflict for v in session.record_versions] == [False, True]
    # Having seen both, the lead saves on top of version 1.
    assert rules.save_record(session, "Both views.", {}, based_on_version=1, by=lead)
    assert session.version_number == 2


def test_facilitators_hear_the_narratives_of_their_sessions_only_in_the_session(users, complete):
    other = make_user("facilitator")
    f = users["facilitator"]
    session = make_session(f, [complete], by=users["lead"])
    assert access.may_hear(f, complete, reflection_access.in_session(f, session))
    assert not access.may_read(f, complete) and not access.may_change(f, complete)
    assert complete not in db.session.scalars(access.readable(f)).all()
    assert not access.may_hear(other, complete, reflection_access.in_session(other, session))


def test_who_sees_a_session(users, complete):
    session = make_session(users["facilitator"], [complete], by=users["lead"])
    assert reflection_access.can_view(users["advocate"], session)  # their narrative
    assert not reflection_access.can_change(users["advocate"], session)
    assert not reflection_access.can_view(users["board"], session)
    stranger = make_user("facilitator")
    assert not reflection_access.can_view(stranger, session)
    rules.add_attendee(session, by=users["facilitator"], user_id=stranger.id)
    assert reflection_access.can_view(stranger, session) and not reflection_access.can_change(
        stranger, session
    )
    with pytest.raises(NotAllowed):
        rules.add_attendee(session, by=stranger, name="Someone")


def test_attendees_confirm_the_summary_once(users, complete):
    session = make_session(users["facilitator"], [complete], by=users["lead"])
    rules.add_attendee(session, by=users["facilitator"], user_id=users["advocate"].id)
    first = rules.confirm_summary(session, by=users["advocate"]).confirmed_summary_at
    assert first is not None
    assert rules.confirm_summary(session, by=users["advocate"]).confirmed_summary_at == first
    with pytest.raises(DomainError, match="Only the session's attendees"):
        rules.confirm_summary(session, by=users["lead"])
