"""Narrative pages as advocates, facilitators and leads use them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from narrative_service.audit.models import AuditEvent
from narrative_service.extensions import db
from narrative_service.narratives import rules, turns
from narrative_service.narratives.models import Narrative
from narrative_service.timeutil import today
from tests.factories import make_narrative, make_user


def form_data(**overrides) -> dict:
    data = {
        "case_reference": "SG-2025-0143",
        "is_new_case": "new",
        "title": "Being heard about the money",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Independent advocate",
        "is_facilitator_independent": "yes",
        "facilitator_relationship": "",
        "captured_from": "2025-05-14",
        "captured_to": "",
        "capture_method": "written",
        "has_consent": "yes",
        "consent_date": "2025-05-14",
        "consent_recorded_by": "Independent advocate",
        "consent_scope": ["reflection", "dissemination"],
        "were_outcomes_asked": "yes",
        "desired_outcomes": "I wanted it to stop.",
        "outcomes_achieved": "not_yet_known",
        "think_family_notes": "",
        "age_band": "",
        "gender": "",
        "ethnicity": "",
        "disability": "",
        "body": "Nobody told me anything.\n\nThen someone sat with me and listened.",
    }
    data.update(overrides)
    return data


def test_an_advocate_records_a_narrative_as_a_draft(client_as, users):
    response = client_as("advocate").post("/narratives/new", data=form_data())
    assert response.status_code == 302
    narrative = db.session.scalar(select(Narrative))
    assert narrative.status == "draft"
    assert narrative.has_reflection_consent and not narrative.has_board_quotes_consent
    assert narrative.created_by_id == users["advocate"].id


def test_every_invalid_field_is_named_and_nothing_typed_is_lost(client_as):
    response = client_as("advocate").post(
        "/narratives/new",
        data=form_data(
            narrator_type="carer",
            captured_from=(date.today() + timedelta(days=2)).isoformat(),
            consent_date="",
            body="Words I must not lose",
        ),
    )
    assert response.status_code == 200
    page = response.text
    assert "There is a problem" in page
    assert "Explain why the person could not tell their story directly" in page
    assert "Date captured must be today or in the past" in page
    assert "Enter the date consent was given" in page
    assert "Words I must not lose" in page
    assert 'href="#reason_not_direct"' in page
    assert db.session.scalar(select(func.count(Narrative.id))) == 0


def test_a_date_that_is_not_a_real_date_is_named(client_as):
    response = client_as("advocate").post(
        "/narratives/new", data=form_data(captured_from="2025-02-31")
    )
    assert "Date captured must be a real date" in response.text


def test_html_in_any_field_is_shown_as_text_and_never_run(client_as):
    client = client_as("advocate")
    script = "<script>alert('x')</script>"
    client.post(
        "/narratives/new", data=form_data(title=script, body=script, desired_outcomes=script)
    )
    narrative = db.session.scalar(select(Narrative))
    page = client.get(f"/narratives/{narrative.id}").text
    assert script not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_a_fifty_thousand_word_narrative_saves_and_displays(client_as):
    body = " ".join(f"word{n % 97}" for n in range(50_000))
    client = client_as("advocate")
    assert client.post("/narratives/new", data=form_data(body=body)).status_code == 302
    narrative = db.session.scalar(select(Narrative))
    assert narrative.word_count == 50_000
    page = client.get(f"/narratives/{narrative.id}").text
    assert "50,000 words" in page
    assert "word96 word0" in page


def test_text_over_the_limit_is_refused_with_the_limit_stated(client_as):
    body = "x" * (rules.MAX_BODY_CHARACTERS + 1)
    response = client_as("advocate").post("/narratives/new", data=form_data(body=body))
    assert "must be 1,000,000 characters or fewer" in response.text


def test_a_duplicate_case_reference_for_a_new_case_is_refused(client_as, users):
    make_narrative(users["advocate"], case_reference="SG-2025-0143")
    response = client_as("advocate").post("/narratives/new", data=form_data())
    assert "A case with reference SG-2025-0143 already exists" in response.text


def test_editing_saves_a_version_and_history_shows_who_and_what(client_as, users):
    narrative = make_narrative(users["advocate"])
    client = client_as("lead")
    edit_page = client.get(f"/narratives/{narrative.id}/edit")
    assert 'name="based_on_version" type="hidden" value="1"' in edit_page.text
    data = form_data(
        case_reference=narrative.case.reference, is_new_case="existing", title="Retitled"
    )
    data["based_on_version"] = "1"
    assert client.post(f"/narratives/{narrative.id}/edit", data=data).status_code == 302
    history = client.get(f"/narratives/{narrative.id}/history").text
    assert "Version 2: Edited" in history
    assert users["lead"].name in history
    assert "Retitled" in history


def test_a_second_editor_sees_the_conflict_and_keeps_their_text(client_as, users):
    narrative = make_narrative(users["advocate"])
    first = form_data(
        case_reference=narrative.case.reference, is_new_case="existing", title="First"
    )
    second = form_data(
        case_reference=narrative.case.reference,
        is_new_case="existing",
        title="Second",
        body="My edit",
    )
    first["based_on_version"] = second["based_on_version"] = "1"
    client_as("lead").post(f"/narratives/{narrative.id}/edit", data=first)
    response = client_as("advocate").post(f"/narratives/{narrative.id}/edit", data=second)
    assert response.status_code == 200
    assert "Someone else saved this narrative" in response.text
    assert "My edit" in response.text  # the second editor's words are still in the form
    assert "First" in response.text  # and the saved version is shown beside them
    assert db.session.get(Narrative, narrative.id).title == "First"
    assert 'name="based_on_version" type="hidden" value="2"' in response.text


def test_marking_complete_without_consent_explains_what_is_missing(client_as, users):
    narrative = make_narrative(users["advocate"], consent=False)
    client = client_as("advocate")
    response = client.post(f"/narratives/{narrative.id}/complete", follow_redirects=True)
    assert "record the person&#39;s consent" in response.text
    assert db.session.get(Narrative, narrative.id).status == "draft"


def _withdraw_form(**overrides) -> dict:
    form = {"withdrawn_on": today().isoformat(), "how": "phone", "is_understood": "y"}
    form.update(overrides)
    return form


def test_withdrawing_consent_erases_the_content_on_the_page(client_as, users):
    narrative = make_narrative(users["advocate"], status="complete")
    client = client_as("advocate")
    response = client.post(
        f"/narratives/{narrative.id}/withdraw", data=_withdraw_form(), follow_redirects=True
    )
    assert "Consent withdrawn" in response.text
    assert "Nobody told me" not in response.text
    assert narrative.case.reference in response.text
    assert "by telephone" in response.text
    history = client.get(f"/narratives/{narrative.id}/history").text
    assert "Nobody told me" not in history
    assert "Erased when consent was withdrawn" in history


def test_the_withdrawal_page_lists_what_will_be_erased(client_as, users):
    narrative = make_narrative(users["advocate"], status="complete")
    turns.add_turn(narrative, "narrator", "They never asked me.", by=users["advocate"])
    db.session.commit()
    page = client_as("advocate").get(f"/narratives/{narrative.id}/withdraw").text
    assert "This cannot be undone" in page
    listed = page[page.index('id="to-erase"') : page.index("</ul>", page.index('id="to-erase"'))]
    assert "1 conversation turns" in listed
    assert "words of the written narrative" in listed
    assert "They never asked me" not in page


def test_withdrawal_needs_the_date_how_it_was_communicated_and_confirmation(client_as, users):
    narrative = make_narrative(users["advocate"], status="complete")
    client = client_as("advocate")
    response = client.post(f"/narratives/{narrative.id}/withdraw", data={})
    assert response.status_code == 400
    for message in (
        "Enter the date consent was withdrawn",
        "Select how the person let you know",
        "Confirm that you understand",
    ):
        assert message in response.text
    db.session.expire_all()
    assert db.session.get(Narrative, narrative.id).status == "complete"
    assert "Nobody told me" in db.session.get(Narrative, narrative.id).body


@pytest.mark.parametrize(
    ("withdrawn_on", "message"),
    [
        (date(2099, 1, 1), "must be today or in the past"),
        (date(2025, 5, 1), "on or after the date it was given (14 May 2025)"),
    ],
)
def test_withdrawal_dates_are_checked(client_as, users, withdrawn_on, message):
    narrative = make_narrative(users["advocate"], status="complete")
    response = client_as("advocate").post(
        f"/narratives/{narrative.id}/withdraw",
        data=_withdraw_form(withdrawn_on=withdrawn_on.isoformat()),
    )
    assert response.status_code == 400
    assert message in response.text


def test_after_withdrawal_the_page_shows_what_was_erased_as_counts(client_as, users):
    narrative = make_narrative(users["advocate"], status="complete")
    turns.add_turn(narrative, "narrator", "They never asked me.", by=users["advocate"])
    db.session.commit()
    page = (
        client_as("advocate")
        .post(f"/narratives/{narrative.id}/withdraw", data=_withdraw_form(), follow_redirects=True)
        .text
    )
    erased = page[page.index('id="erased-counts"') :]
    assert "1 conversation turns" in erased
    assert "They never asked me" not in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "narrative.withdraw"))
    assert event.detail["how"] == "phone"
    assert event.detail["erased"]["conversation turns"] == 1
    assert "never asked" not in str(event.detail)


def test_a_withdrawn_narrative_cannot_be_opened_for_editing(client_as, users):
    narrative = make_narrative(users["advocate"], status="withdrawn")
    response = client_as("advocate").get(f"/narratives/{narrative.id}/edit", follow_redirects=True)
    assert "can no longer be changed" in response.text


def test_list_filters_by_status_narrator_case_and_quarter(client_as, users):
    advocate = users["advocate"]
    make_narrative(advocate, case_reference="SG-2025-0001", title="Alpha draft")
    make_narrative(
        advocate, case_reference="SG-2025-0002", title="Bravo complete", status="complete"
    )
    make_narrative(
        advocate,
        case_reference="SG-2024-0003",
        title="Charlie carer",
        narrator_type="carer",
        reason_not_direct="Dementia",
        captured_from=date(2025, 1, 10),
        consent_date=date(2025, 1, 10),
    )
    client = client_as("lead")

    def titles(query):
        page = client.get(f"/narratives?{query}").text
        return {t for t in ("Alpha draft", "Bravo complete", "Charlie carer") if t in page}

    assert titles("status=complete") == {"Bravo complete"}
    assert titles("narrator_type=carer") == {"Charlie carer"}
    assert titles("case=sg-2025") == {"Alpha draft", "Bravo complete"}
    assert titles("quarter=2024/25+Q4") == {"Charlie carer"}
    assert titles("") == {"Alpha draft", "Bravo complete", "Charlie carer"}


def test_list_is_paginated(client_as, users, app):
    app.config["PAGE_SIZE"] = 2
    for number in range(5):
        make_narrative(users["advocate"], title=f"Narrative number {number}")
    client = client_as("advocate")
    first = client.get("/narratives").text
    assert "5 narratives, page 1 of 3" in first
    assert "Next" in first
    last = client.get("/narratives?page=3").text
    assert "page 3 of 3" in last
    assert last.count("Narrative number") == 1


def test_a_facilitator_reads_a_shared_narrative_but_cannot_edit(client_as, users):
    narrative = make_narrative(users["advocate"])
    client_as("advocate").post(
        f"/narratives/{narrative.id}/shares", data={"user": users["facilitator"].id}
    )
    facilitator = client_as("facilitator")
    assert facilitator.get(f"/narratives/{narrative.id}").status_code == 200
    assert facilitator.get(f"/narratives/{narrative.id}/edit").status_code == 403


def test_viewing_a_narrative_is_audited(client_as, users):
    narrative = make_narrative(users["advocate"])
    client_as("lead").get(f"/narratives/{narrative.id}")
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "narrative.view"))
    assert event.user_id == users["lead"].id
    assert event.object_id == narrative.id
    assert "Nobody" not in str(event.detail)


def test_another_advocates_narrative_is_not_found_and_the_attempt_logged(client_as, users):
    narrative = make_narrative(make_user("advocate"))
    response = client_as("advocate").get(f"/narratives/{narrative.id}")
    assert response.status_code == 404
    unknown = client_as("advocate").get("/narratives/424242")
    token = re.compile(r'value="[^"]+"')  # the sign-out form's CSRF token differs
    assert token.sub("", response.text) == token.sub("", unknown.text)
    denied = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "access_denied"))
    assert denied.user_id == users["advocate"].id


def test_an_unknown_narrative_is_a_404_page(client_as):
    response = client_as("lead").get("/narratives/424242")
    assert response.status_code == 404
    assert "Page not found" in response.text
