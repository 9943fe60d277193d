"""A quarter's checklist: each rule flips its item; the status follows a fixed clock."""

from __future__ import annotations

from datetime import date

import pytest

from narrative_service.errors import DomainError
from narrative_service.extensions import db
from narrative_service.milestones import checklist, rules
from narrative_service.reflection import rules as reflection
from tests.factories import make_narrative, make_session, make_theme

Q1_DAY = date(2025, 5, 20)


@pytest.fixture
def q1(app, users):
    programme = rules.create_programme("reflecting_on_practice", "2025/26", by=users["lead"])
    db.session.commit()
    with app.test_request_context():
        yield next(m for m in programme.milestones if m.quarter == "Q1")


def met(milestone, on=Q1_DAY) -> dict[str, bool]:
    return {item.key: item.is_met for item in checklist.build(milestone, on).items}


def test_every_item_flips_when_its_evidence_is_recorded(q1, users):
    lead = users["lead"]
    assert not any(met(q1).values())

    narrative = make_narrative(users["advocate"], status="complete")  # captured 14 May 2025
    assert met(q1)["narrative"] and not met(q1)["reflection"]

    session = make_session(users["facilitator"], [narrative], by=lead, held_on=date(2025, 6, 2))
    attendee = reflection.add_attendee(session, by=lead, name="Sam Okoro")
    assert not met(q1)["reflection"]
    reflection.mark_heard(session, {attendee.id: "read_aloud"}, by=lead)
    reflection.add_learning_point(session, text="Explain each step.", by=lead)
    assert not met(q1)["reflection"], "learning points need themes"
    reflection.add_learning_point(session, text="Ask first.", theme_ids=[make_theme().id], by=lead)
    assert met(q1)["reflection"]

    base = {"audience": "Ward 7 team", "channel": "team_meeting", "reach": 12}
    rules.add_dissemination(
        q1, {**base, "held_on": date(2025, 6, 10), "audience_level": "frontline"}, by=lead
    )
    assert met(q1)["dissemination_frontline"] and not met(q1)["dissemination_board"]
    rules.add_dissemination(
        q1,
        {**base, "held_on": date(2025, 6, 20), "audience_level": "board", "channel": "board_paper"},
        by=lead,
    )
    assert met(q1)["dissemination_board"]

    rules.add_action(q1, {"recommendation": "Plain-English letters", "due_on": None}, by=lead)
    assert met(q1)["embedding_actions"]
    rules.set_strategic_objective(q1, "SO3", "Hear people's voices in every enquiry", by=lead)
    assert met(q1)["strategic_plan"]
    rules.add_feedback(
        q1,
        {"was_possible": True, "given_on": date(2025, 6, 25), "told_outcome": "Letters changed."},
        by=lead,
    )
    assert all(met(q1).values())
    assert checklist.build(q1, Q1_DAY).status == "complete"


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 3, 1), "not_started"),
        (date(2025, 5, 20), "in_progress"),
        (date(2025, 7, 20), "at_risk"),  # reporting date 31 July: 11 days away
        (date(2025, 7, 31), "at_risk"),
        (date(2025, 8, 1), "overdue"),
    ],
)
def test_status_is_computed_from_the_reporting_date(q1, on, expected):
    assert q1.reporting_date == date(2025, 7, 31)
    assert checklist.build(q1, on).status == expected


@pytest.mark.parametrize(
    ("held_on", "words"),
    [
        (date(2025, 7, 2), "That date is in 2025/26 Q2, outside this milestone .* It falls in Q2"),
        (date(2026, 4, 2), "2026/27 Q1, outside .* No milestone of this programme covers"),
    ],
)
def test_a_dissemination_outside_the_quarter_says_which_milestone_it_falls_in(
    q1, users, held_on, words
):
    with pytest.raises(DomainError, match=words):
        rules.add_dissemination(
            q1,
            {"held_on": held_on, "audience_level": "frontline", "audience": "Team",
             "channel": "bulletin"},
            by=users["lead"],
        )  # fmt: skip


def test_an_action_due_before_it_was_raised_is_refused(q1, users):
    with pytest.raises(DomainError, match="The due date is before the action was raised"):
        rules.add_action(
            q1, {"recommendation": "Do it", "due_on": date(2000, 1, 1)}, by=users["lead"]
        )


def test_feedback_not_possible_needs_a_reason(q1, users):
    with pytest.raises(DomainError, match="Enter why feedback was not possible"):
        rules.add_feedback(q1, {"was_possible": False}, by=users["lead"])
    rules.add_feedback(
        q1, {"was_possible": False, "not_possible_reason": "The person has died."}, by=users["lead"]
    )
    assert met(q1)["participant_feedback"]


def test_the_milestone_page_shows_the_checklist_with_links_that_fix_it(app, users, client_as):
    programme = rules.create_programme("reflecting_on_practice", "2025/26", by=users["lead"])
    db.session.commit()
    milestone = programme.milestones[0]
    lead = client_as("lead")
    page = lead.get(f"/milestones/{milestone.id}").get_data(as_text=True)
    assert "Not yet met" in page and "Record a narrative" in page
    wrong = lead.post(
        f"/milestones/{milestone.id}/dissemination",
        data={"dissemination-held_on": "2025-08-01", "dissemination-audience_level": "frontline",
              "dissemination-audience": "Ward 7", "dissemination-channel": "team_meeting"},
    )  # fmt: skip
    assert wrong.status_code == 400
    assert "That date is in 2025/26 Q2" in wrong.get_data(as_text=True)
    ok = lead.post(
        f"/milestones/{milestone.id}/dissemination",
        data={"dissemination-held_on": "2025-06-01", "dissemination-audience_level": "frontline",
              "dissemination-audience": "Ward 7", "dissemination-channel": "team_meeting",
              "dissemination-reach": "14"},
    )  # fmt: skip
    assert ok.status_code == 302
    dashboard = lead.get("/programmes").get_data(as_text=True)
    assert "Reflecting on practice" in dashboard and "1 of 7 met" in dashboard


def test_leads_see_what_falls_due_in_the_next_14_days_when_they_sign_in(app, users, client_as):
    from datetime import timedelta

    from narrative_service.timeutil import today

    programme = rules.create_programme("reflecting_on_practice", "2025/26", by=users["lead"])
    milestone = programme.milestones[0]
    milestone.reporting_date = today() + timedelta(days=5)
    far = programme.milestones[1]
    far.reporting_date = today() + timedelta(days=60)
    db.session.commit()
    with app.test_request_context():
        rules.add_action(
            milestone,
            {"recommendation": "Rewrite the outcome letter", "due_on": today() + timedelta(days=3)},
            by=users["lead"],
        )
    db.session.commit()
    page = client_as("lead").get("/start").get_data(as_text=True)
    assert "Due in the next 14 days" in page
    assert f"{programme.name}, Q1" in page and f"{programme.name}, Q2" not in page
    assert "Rewrite the outcome letter" in page
    assert "Due in the next 14 days" not in client_as("advocate").get("/start").get_data(
        as_text=True
    )


def test_training_needs_are_recorded_with_their_theme(app, users, client_as):
    programme = rules.create_programme("reflecting_on_practice", "2025/26", by=users["lead"])
    db.session.commit()
    milestone = programme.milestones[0]
    theme = make_theme("practice.training", "Training")
    lead = client_as("lead")
    url = f"/milestones/{milestone.id}/training-needs"
    empty = lead.post(url, data={"training-theme_id": str(theme.id)})
    assert empty.status_code == 400
    assert "Enter the staff group" in empty.get_data(as_text=True)
    saved = lead.post(
        url,
        data={"training-theme_id": str(theme.id), "training-staff_group": "Ward nurses",
              "training-need": "Explaining a safeguarding enquiry in plain words",
              "training-planned_response": "Half-day workshop in Q2"},
    )  # fmt: skip
    assert saved.status_code == 302
    page = lead.get(f"/milestones/{milestone.id}").get_data(as_text=True)
    assert "Ward nurses" in page and "Half-day workshop in Q2" in page
    with app.test_request_context():
        rules.set_strategic_objective(milestone, "SO3", "Hear people", by=users["lead"])
        detail = {i.key: i.detail for i in checklist.build(milestone).items}["strategic_plan"]
    assert detail == "Objective SO3; 1 training need"
