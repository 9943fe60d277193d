"""Reflection session pages as facilitators, leads, advocates and attendees use them."""

from __future__ import annotations

from sqlalchemy import select

from narrative_service.extensions import db
from narrative_service.narratives import turns
from narrative_service.reflection import rules
from narrative_service.reflection.models import ReflectionSession
from tests.factories import make_narrative, make_recording, make_session, make_theme


def heard_session(users, narrative=None):
    narrative = narrative or make_narrative(users["advocate"], status="complete")
    session = make_session(users["facilitator"], [narrative], by=users["lead"])
    attendee = rules.add_attendee(session, by=users["facilitator"], name="Sam Okoro")
    rules.mark_heard(session, {attendee.id: "read_aloud"}, by=users["facilitator"])
    db.session.commit()
    return session


def test_a_lead_sets_up_a_session_on_an_eligible_narrative(app, users, client_as):
    eligible = make_narrative(users["advocate"], status="complete", title="Keeping my home")
    make_narrative(users["advocate"], title="Still a draft")
    lead = client_as("lead")
    page = lead.get("/reflection-sessions/new").get_data(as_text=True)
    assert "Keeping my home" in page and "Still a draft" not in page
    response = lead.post(
        "/reflection-sessions/new",
        data={
            "held_on": "2025-07-10",
            "is_group": "group",
            "is_online": "online",
            "facilitator_id": str(users["facilitator"].id),
            "narrative_ids": [str(eligible.id)],
        },
    )
    assert response.status_code == 302
    session = db.session.scalars(select(ReflectionSession)).one()
    assert session.is_online and session.narratives == [eligible]
    assert session.facilitator_id == users["facilitator"].id


def test_the_form_names_what_is_wrong_and_keeps_what_was_typed(app, users, client_as):
    eligible = make_narrative(users["advocate"], status="complete")
    lead = client_as("lead")
    no_narrative = lead.post(
        "/reflection-sessions/new",
        data={"held_on": "2025-07-10", "is_group": "group", "is_online": "in_person",
              "facilitator_id": str(users["facilitator"].id)},
    )  # fmt: skip
    assert no_narrative.status_code == 400
    assert "Choose at least one narrative to reflect on" in no_narrative.get_data(as_text=True)
    early = lead.post(
        "/reflection-sessions/new",
        data={"held_on": "2025-01-02", "is_group": "group", "is_online": "in_person",
              "facilitator_id": str(users["facilitator"].id), "narrative_ids": [str(eligible.id)]},
    )  # fmt: skip
    page = early.get_data(as_text=True)
    assert early.status_code == 400
    assert "The session date is before" in page and "say why" in page
    assert 'value="2025-01-02"' in page


def test_the_listening_view_presents_the_persons_words_first(app, users, client_as):
    narrative = make_narrative(users["advocate"], status="complete", body="I felt invisible.")
    turns.add_turn(narrative, "narrator", "They never asked me.", by=users["advocate"])
    recording = make_recording(narrative, users["advocate"])
    session = make_session(users["facilitator"], [narrative], by=users["lead"])
    rules.add_attendee(session, by=users["facilitator"], name="Sam Okoro")
    db.session.commit()
    page = client_as("facilitator").get(f"/reflection-sessions/{session.id}/listen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    main = html[html.index("<main") :]
    assert main.index("I felt invisible.") < main.index("Who heard it directly")
    assert "They never asked me." in main and "app-listen__words" in main
    assert f'src="/reflection-sessions/{session.id}/recordings/{recording.id}/audio"' in main
    assert "I did not know who to ask." in main  # its synchronised transcript
    assert 'name="heard-' in main


def test_marking_who_heard_it_and_how(app, users, client_as):
    narrative = make_narrative(users["advocate"], status="complete")
    session = make_session(users["facilitator"], [narrative], by=users["lead"])
    sam = rules.add_attendee(session, by=users["facilitator"], name="Sam Okoro")
    kim = rules.add_attendee(session, by=users["facilitator"], name="Kim Lee")
    db.session.commit()
    response = client_as("facilitator").post(
        f"/reflection-sessions/{session.id}/heard",
        data={f"heard-{sam.id}": "played", f"heard-{kim.id}": ""},
    )
    assert response.status_code == 302
    db.session.refresh(sam)
    db.session.refresh(kim)
    assert (sam.heard_how, kim.heard_how) == ("played", "")
    assert kim.heard_directly_at is None


def test_the_record_keeps_both_when_two_facilitators_save_at_once(app, users, client_as):
    session = heard_session(users)
    facilitator, lead = client_as("facilitator"), client_as("lead")
    url = f"/reflection-sessions/{session.id}/record"
    assert 'name="based_on_version" type="hidden" value="0"' in facilitator.get(url).get_data(
        as_text=True
    )
    first = facilitator.post(url, data={"notes": "She felt unheard.", "based_on_version": "0"})
    assert first.status_code == 302
    second = lead.post(
        url, data={"notes": "The lead's notes.", "prompt_risk": "Risk was not shared.",
                   "based_on_version": "0"},
    )  # fmt: skip
    page = second.get_data(as_text=True)
    assert second.status_code == 400
    assert "Someone else saved this record" in page
    assert "She felt unheard." in page and "The lead&#39;s notes." in page
    db.session.refresh(session)
    assert session.notes == "She felt unheard."
    assert [v.notes for v in session.record_versions] == ["She felt unheard.", "The lead's notes."]


def test_learning_points_and_differences_from_the_session_page(app, users, client_as):
    session = heard_session(users)
    theme = make_theme()
    facilitator = client_as("facilitator")
    base = f"/reflection-sessions/{session.id}"
    facilitator.post(
        f"{base}/learning-points",
        data={"learning-text": "Explain each step before it happens.",
              "learning-owner": "Team lead", "learning-theme_ids": [str(theme.id)]},
    )  # fmt: skip
    empty = facilitator.post(
        f"{base}/learning-points", data={"learning-text": ""}, follow_redirects=True
    )
    assert "Enter the learning point" in empty.get_data(as_text=True)
    facilitator.post(
        f"{base}/differences",
        data={"difference-person_view": "I was frightened of being moved.",
              "difference-practitioner_view": "We thought the move was agreed.",
              "difference-agency": "Housing",
              "difference-learning": "Check agreement with the person, not the family."},
    )  # fmt: skip
    page = facilitator.get(base).get_data(as_text=True)
    assert "Explain each step before it happens." in page and "Being listened to" in page
    assert "I was frightened of being moved." in page and "(Housing)" in page
    db.session.refresh(session)
    assert len(session.learning_points) == 1 and len(session.differences) == 1


def test_the_summary_prints_and_attendees_confirm_it(app, users, client_as):
    session = heard_session(users)
    rules.add_attendee(session, by=users["facilitator"], user_id=users["advocate"].id)
    rules.add_learning_point(session, text="Ask first.", by=users["facilitator"])
    db.session.commit()
    advocate = client_as("advocate")
    page = advocate.get(f"/reflection-sessions/{session.id}/summary").get_data(as_text=True)
    assert "Nobody told me what was happening." in page  # the narrative's own words
    assert "Ask first." in page and "1 of 2 heard the narrative directly" in page
    assert "I confirm this is a fair record" in page
    assert advocate.post(f"/reflection-sessions/{session.id}/summary/confirm").status_code == 302
    after = advocate.get(f"/reflection-sessions/{session.id}/summary").get_data(as_text=True)
    assert "I confirm this is a fair record" not in after and "confirmed on" in after
    css = app.test_client().get("/static/css/app.css").get_data(as_text=True)
    assert "@media print" in css


def test_board_members_see_no_session(app, users, client_as):
    session = heard_session(users)
    board = client_as("board")
    assert board.get(f"/reflection-sessions/{session.id}").status_code == 403
    assert board.get("/reflection-sessions").status_code == 403


def test_a_recording_of_the_session_is_transcribed_and_added_to_the_record(
    app, users, client_as, tmp_path
):
    import io

    from tests.audio import speak

    session = heard_session(users)
    facilitator = client_as("facilitator")
    spoken = speak("We never asked her what she wanted.", tmp_path / "session.wav").read_bytes()
    response = facilitator.post(
        f"/reflection-sessions/{session.id}/recordings/new",
        data={"recording": (io.BytesIO(spoken), "session.wav"), "speaker": "facilitator"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    recording_url = response.headers["Location"]
    page = facilitator.get(recording_url).get_data(as_text=True)
    assert "Reflection session, 10 July 2025" in page
    assert "Add the transcript to the reflective record" in page
    accepted = facilitator.post(f"{recording_url}/accept")
    assert accepted.headers["Location"].endswith(f"/reflection-sessions/{session.id}#record")
    db.session.refresh(session)
    assert "Facilitator: We never asked her what she wanted." in session.notes
    assert session.version_number == 1 and len(session.record_versions) == 1
    listed = facilitator.get(f"/reflection-sessions/{session.id}").get_data(as_text=True)
    assert "Recordings of the session" in listed
    # The advocate whose narrative it is may read the session, not change its recordings.
    advocate = client_as("advocate")
    assert advocate.get(recording_url).status_code == 200
    assert advocate.post(f"{recording_url}/retry").status_code == 403
