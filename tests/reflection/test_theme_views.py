"""A reflection session's themes page: its record and learning points tagged like a narrative."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from narrative_service.extensions import db
from narrative_service.reflection import rules, tagged
from narrative_service.themes import tagging
from narrative_service.themes.codebook import load_default_if_empty
from narrative_service.themes.models import Theme, ThemeTag
from tests.factories import make_narrative, make_recording, make_session, make_user

NOTES = "We agreed that nobody told her what was happening, and that we never listened to her."
POINT = "Staff felt the training on capacity was too short."


@pytest.fixture
def session(app, users):
    """A session facilitated by the facilitator, heard, with notes and one learning point."""
    load_default_if_empty()
    narrative = make_narrative(users["advocate"], status="complete")
    session = make_session(users["facilitator"], [narrative], by=users["lead"])
    attendee = rules.add_attendee(session, by=users["facilitator"], name="Sam Okoro")
    rules.mark_heard(session, {attendee.id: "read_aloud"}, by=users["facilitator"])
    rules.save_record(session, NOTES, {}, based_on_version=0, by=users["facilitator"])
    rules.add_learning_point(session, text=POINT, by=users["facilitator"])
    db.session.commit()
    return session


def tags_of(subject_type: str, subject_id: int) -> dict[str, ThemeTag]:
    return {tag.theme.code: tag for tag in tagging.tags_for(subject_type, subject_id)}


def theme(code: str) -> Theme:
    return db.session.scalars(select(Theme).where(Theme.code == code)).one()


def url(session, rest: str = "") -> str:
    return f"/reflection-sessions/{session.id}/themes{rest}"


def test_themes_are_suggested_for_the_record_and_each_learning_point_with_their_words(
    session, client_as
):
    facilitator = client_as("facilitator")
    assert facilitator.post(url(session, "/suggest")).status_code == 302
    record = tags_of(tagging.REFLECTION_RECORD, session.id)
    assert {"experience.information", "experience.listened_to"} <= set(record)
    for tag in record.values():
        assert NOTES[tag.start_char : tag.end_char] == tag.quote and tag.score
    (point,) = session.learning_points
    on_point = tags_of(tagging.LEARNING_POINT, point.id)
    for tag in on_point.values():
        assert POINT[tag.start_char : tag.end_char] == tag.quote
    assert "training" in on_point["practice.training"].quote

    page = facilitator.get(url(session)).get_data(as_text=True)
    for tag in (record["experience.listened_to"], on_point["practice.training"]):
        assert f'<mark class="app-mark app-mark--suggested">{tag.quote}</mark>' in page
    assert "in learning point 1" in page and "in the reflective record" in page


def test_a_rejected_suggestion_on_the_record_is_never_suggested_again(session, users, client_as):
    facilitator = client_as("facilitator")
    facilitator.post(url(session, "/suggest"))
    record = tags_of(tagging.REFLECTION_RECORD, session.id)
    listened, information = record["experience.listened_to"], record["experience.information"]
    assert facilitator.post(url(session, f"/tags/{listened.id}/reject")).status_code == 302
    assert facilitator.post(url(session, f"/tags/{information.id}/accept")).status_code == 302
    db.session.refresh(listened)
    db.session.refresh(information)
    assert (listened.status, information.status) == ("rejected", "accepted")
    assert information.decided_by_id == users["facilitator"].id and information.decided_at

    facilitator.post(url(session, "/suggest"))  # run again
    again = [
        (t.theme.code, t.status)
        for t in tagging.tags_for(tagging.REFLECTION_RECORD, session.id)
        if (t.start_char, t.end_char) == (listened.start_char, listened.end_char)
    ]
    assert again == [("experience.listened_to", "rejected")]
    page = facilitator.get(url(session)).get_data(as_text=True)
    assert "Rejected (1): never suggested again for the same words" in page


def test_words_of_the_record_or_a_learning_point_are_tagged_by_hand(session, client_as):
    facilitator = client_as("facilitator")
    (point,) = session.learning_points
    trust = theme("experience.trust")
    missing = facilitator.post(
        url(session, "/tags"),
        data={"quote": "words not there", "theme_id": str(trust.id), "subject": "record"},
    )
    assert missing.status_code == 400
    assert "Those words are not in the text as written" in missing.get_data(as_text=True)
    assert (
        facilitator.post(
            url(session, "/tags"),
            data={"quote": "nobody told her", "theme_id": str(trust.id), "subject": "record"},
        ).status_code
        == 302
    )
    (by_hand,) = tagging.tags_for(tagging.REFLECTION_RECORD, session.id)
    assert (by_hand.origin, by_hand.status, by_hand.quote) == (
        "manual",
        "accepted",
        "nobody told her",
    )
    assert NOTES[by_hand.start_char : by_hand.end_char] == "nobody told her"

    on_point = {"quote": "too short", "theme_id": str(trust.id)}
    facilitator.post(
        url(session, "/tags"), data={**on_point, "subject": f"learning-point-{point.id}"}
    )
    db.session.refresh(point)
    assert tags_of(tagging.LEARNING_POINT, point.id)["experience.trust"].quote == "too short"
    assert trust in point.themes, "a theme tagged by hand on a learning point is one of its themes"


def test_accepting_a_theme_on_a_learning_point_adds_it_to_the_points_themes(
    session, users, client_as
):
    facilitator = client_as("facilitator")
    facilitator.post(url(session, "/suggest"))
    (point,) = session.learning_points
    suggested = tags_of(tagging.LEARNING_POINT, point.id)
    training, capacity = suggested["practice.training"], suggested["experience.capacity_consent"]
    facilitator.post(url(session, f"/tags/{training.id}/accept"))
    facilitator.post(url(session, f"/tags/{capacity.id}/reject"))
    db.session.refresh(point)
    assert [t.code for t in point.themes] == ["practice.training"]
    shown = client_as("lead").get(f"/reflection-sessions/{session.id}").get_data(as_text=True)
    assert '<strong class="nhsuk-tag nhsuk-tag--blue">Training</strong>' in shown

    # Taken off the point by hand: its accepted tag follows, and is not suggested again.
    rules.update_learning_point(
        point, text=POINT, owner="", theme_ids=[], is_best_practice=False, by=users["lead"]
    )
    db.session.commit()
    db.session.refresh(training)
    assert (training.status, training.decided_by_id) == ("rejected", users["lead"].id)
    facilitator.post(url(session, "/suggest"))
    db.session.refresh(point)
    assert point.themes == []


def test_removing_a_learning_point_removes_its_tags(session, users, client_as):
    client_as("facilitator").post(url(session, "/suggest"))
    (point,) = session.learning_points
    assert tagging.tags_for(tagging.LEARNING_POINT, point.id)
    rules.remove_learning_point(session, point.id, by=users["facilitator"])
    db.session.commit()
    assert tagging.tags_for(tagging.LEARNING_POINT, point.id) == []


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 200),
        ("lead", 200),
        ("other_facilitator", 404),  # may not see the session: as if it did not exist
        ("advocate", 403),  # may read the session on their narrative, not change it
        ("admin", 403),  # sees every session, changes none
        ("board", 403),
    ],
)
def test_only_those_who_may_change_the_session_see_and_tag_its_themes(
    session, users, client_as, who, status
):
    person = make_user("facilitator") if who == "other_facilitator" else users[who]
    client = client_as(person)
    assert client.get(url(session)).status_code == status
    suggested = client.post(url(session, "/suggest"))
    assert suggested.status_code == (302 if status == 200 else status)
    if status != 200:
        assert tagging.tags_for(tagging.REFLECTION_RECORD, session.id) == []


def test_a_tag_of_another_record_cannot_be_decided_through_the_session(session, users, client_as):
    other = make_session(
        users["facilitator"],
        [make_narrative(users["advocate"], status="complete")],
        by=users["lead"],
    )
    tagging.run_suggestions(tagging.REFLECTION_RECORD, session.id, NOTES)
    db.session.commit()
    tag = next(iter(tags_of(tagging.REFLECTION_RECORD, session.id).values()))
    response = client_as("facilitator").post(
        f"/reflection-sessions/{other.id}/themes/tags/{tag.id}/accept"
    )
    assert response.status_code == 404
    db.session.refresh(tag)
    assert tag.status == "suggested"


def test_the_session_page_links_to_its_themes_for_those_who_may_change_it(session, client_as):
    link = f'href="/reflection-sessions/{session.id}/themes"'
    assert link in client_as("facilitator").get(f"/reflection-sessions/{session.id}").get_data(
        as_text=True
    )
    assert link not in client_as("admin").get(f"/reflection-sessions/{session.id}").get_data(
        as_text=True
    )


def test_a_long_record_is_suggested_in_the_background(session, client_as, monkeypatch):
    monkeypatch.setattr(tagging, "INLINE_WORDS", 5)
    response = client_as("facilitator").post(url(session, "/suggest"), follow_redirects=True)
    assert "its themes are being suggested in the background" in response.get_data(as_text=True)
    # The queue runs jobs at once in tests: the worker's job has done its work.
    assert "experience.listened_to" in tags_of(tagging.REFLECTION_RECORD, session.id)


def test_accepting_a_session_recordings_transcript_suggests_themes_for_the_record(
    session, users, client_as
):
    recording = make_recording(
        make_narrative(users["advocate"]),
        users["facilitator"],
        segments=("We never asked her what she wanted.",),
    )
    recording.narrative_id, recording.reflection_session_id = None, session.id
    db.session.commit()
    response = client_as("facilitator").post(f"/recordings/{recording.id}/accept")
    assert response.status_code == 302
    db.session.refresh(session)
    text = tagged.record_text(session)
    transcript_starts = text.index("We never asked her")
    suggested = {
        t.theme.code: t
        for t in tagging.tags_for(tagging.REFLECTION_RECORD, session.id)
        if t.start_char >= transcript_starts
    }
    assert suggested, "themes are suggested for the transcript's words"
    for tag in suggested.values():
        assert (tag.status, text[tag.start_char : tag.end_char]) == ("suggested", tag.quote)


def test_a_transcript_not_saved_suggests_nothing(session, users):
    from types import SimpleNamespace

    segment = SimpleNamespace(text="We never asked her what she wanted.", speaker="facilitator")
    rules.add_transcript_to_record(session, [segment], by=users["facilitator"])
    db.session.rollback()
    db.session.commit()  # a later commit does not queue what was rolled back
    assert tagging.tags_for(tagging.REFLECTION_RECORD, session.id) == []
