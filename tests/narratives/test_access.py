"""narratives.access: the one rule for who reads and who changes a narrative.

Each case of the table in its docstring (and in the README) is a test here; the routes are
checked against the same decisions in tests/test_permissions.py.
"""

from __future__ import annotations

import pytest

from narrative_service.errors import NotAllowed, NotFound
from narrative_service.extensions import db
from narrative_service.narratives import access
from narrative_service.narratives import rules as narratives
from narrative_service.narratives.models import Narrative
from narrative_service.reflection import access as reflection_access
from narrative_service.reflection import rules as reflection
from tests.factories import make_narrative, make_session, make_user


def readable(user) -> set[Narrative]:
    return set(db.session.scalars(access.readable(user)))


def test_advocates_read_and_change_their_own_and_those_shared_with_them(users):
    other = make_user("advocate")
    mine = make_narrative(users["advocate"])
    theirs = make_narrative(other)
    shared = make_narrative(other)
    narratives.share(shared, users["advocate"], by=other)
    db.session.commit()
    assert readable(users["advocate"]) == {mine, shared}
    assert access.may_change(users["advocate"], mine)
    assert access.may_change(users["advocate"], shared)
    assert not access.may_read(users["advocate"], theirs)


def test_facilitators_read_only_what_is_shared_with_them_and_never_change_it(users):
    narrative = make_narrative(users["advocate"])
    assert readable(users["facilitator"]) == set()
    narratives.share(narrative, users["facilitator"], by=users["advocate"])
    db.session.commit()
    assert readable(users["facilitator"]) == {narrative}
    assert access.may_read(users["facilitator"], narrative)
    assert not access.may_change(users["facilitator"], narrative)


def test_reading_through_a_share_ends_with_the_share(users):
    narrative = make_narrative(users["advocate"])
    narratives.share(narrative, users["facilitator"], by=users["advocate"])
    db.session.commit()
    narratives.unshare(narrative, users["facilitator"].id, by=users["advocate"])
    db.session.commit()
    assert not access.may_read(users["facilitator"], narrative)
    assert readable(users["facilitator"]) == set()


def test_leads_and_admins_read_every_narrative_and_only_leads_change_them(users):
    narrative = make_narrative(make_user("advocate"))
    for role in ("lead", "admin"):
        assert narrative in readable(users[role])
        assert access.grounds(users[role], narrative) == {access.BY_OVERSIGHT}
    assert access.may_change(users["lead"], narrative)
    assert not access.may_change(users["admin"], narrative)


def test_board_members_never_read_a_narrative(users):
    narrative = make_narrative(users["advocate"], status="complete")
    assert readable(users["board"]) == set()
    assert not access.may_read(users["board"], narrative)
    assert not access.may_hear(
        users["board"], narrative, access.InSession(facilitates=True, attends=True)
    )


def test_a_deactivated_account_reads_nothing(users):
    narrative = make_narrative(users["advocate"])
    users["advocate"].is_active_account = False
    db.session.commit()
    assert not access.may_read(users["advocate"], narrative)
    assert readable(users["advocate"]) == set()


def test_an_author_whose_role_changes_keeps_no_authors_access(users):
    narrative = make_narrative(users["advocate"])
    users["advocate"].role = "board"
    db.session.commit()
    assert not access.may_read(users["advocate"], narrative)


def test_load_says_not_found_for_missing_and_unreadable_alike(users):
    narrative = make_narrative(users["advocate"])
    with pytest.raises(NotFound):
        access.load(users["lead"], 99999)
    with pytest.raises(NotFound):
        access.load(users["facilitator"], narrative.id)
    with pytest.raises(NotAllowed):
        access.load(users["admin"], narrative.id, to_change=True)
    assert access.load(users["advocate"], narrative.id, to_change=True) is narrative


def _session_on_a_narrative(users):
    narrative = make_narrative(users["advocate"], status="complete")
    session = make_session(users["facilitator"], [narrative], by=users["lead"])
    return narrative, session


def test_the_sessions_facilitator_hears_it_in_the_session_but_cannot_open_its_pages(users):
    narrative, session = _session_on_a_narrative(users)
    part = reflection_access.in_session(users["facilitator"], session)
    assert part.facilitates
    assert access.may_hear(users["facilitator"], narrative, part)
    assert not access.may_read(users["facilitator"], narrative)


def test_an_attendee_hears_it_only_while_consent_covers_staff_reflection(users):
    narrative, session = _session_on_a_narrative(users)
    attendee = make_user("advocate")
    reflection.add_attendee(session, by=users["facilitator"], user_id=attendee.id)
    db.session.commit()
    part = reflection_access.in_session(attendee, session)
    assert part.attends and access.may_hear(attendee, narrative, part)
    assert not access.may_read(attendee, narrative)
    narrative.has_reflection_consent = False
    db.session.commit()
    heard, why_not = access.hearing(attendee, narrative, part)
    assert not heard and "staff reflection" in why_not


def test_who_set_a_session_up_while_it_was_shared_hears_nothing_once_the_share_ends(users):
    organiser = make_user("facilitator")
    narrative = make_narrative(users["advocate"], status="complete")
    narratives.share(narrative, organiser, by=users["advocate"])
    db.session.commit()
    session = make_session(users["facilitator"], [narrative], by=organiser)
    part = reflection_access.in_session(organiser, session)
    assert access.may_hear(organiser, narrative, part)
    narratives.unshare(narrative, organiser.id, by=users["advocate"])
    db.session.commit()
    assert reflection_access.can_view(organiser, session)  # they still manage the session
    assert not access.may_hear(organiser, narrative, part)


def test_nobody_hears_a_withdrawn_narrative(users):
    narrative, session = _session_on_a_narrative(users)
    from tests.factories import withdraw

    withdraw(narrative, by=users["advocate"])
    db.session.commit()
    for role in ("lead", "facilitator", "advocate"):
        part = reflection_access.in_session(users[role], session)
        assert not access.may_hear(users[role], narrative, part)


def test_oversight_is_not_membership_of_the_case_team(users):
    narrative, _session = _session_on_a_narrative(users)
    lead = users["lead"]
    assert not access.is_in_case_team(lead, narrative, facilitates_a_session=False)
    assert access.is_in_case_team(lead, narrative, facilitates_a_session=True)
    assert access.is_in_case_team(users["advocate"], narrative, facilitates_a_session=False)
    assert not access.is_in_case_team(users["board"], narrative, facilitates_a_session=True)


def test_only_a_consented_narrative_leaves_the_case_team(users):
    narrative = make_narrative(users["advocate"], has_dissemination_consent=False)
    assert not access.may_leave_the_case_team(narrative)
    narrative.has_dissemination_consent = True
    assert access.may_leave_the_case_team(narrative)
