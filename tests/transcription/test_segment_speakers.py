"""Who is speaking in each transcript segment: set one by one or a run at once, renamed across
the transcript, carried into the conversation's turns, the session's record and the downloads.

Segments are made in the database (tests.factories.make_recording): no Whisper runs here.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from narrative_service.audit.models import AuditEvent
from narrative_service.auth.models import User
from narrative_service.errors import DomainError
from narrative_service.extensions import db
from narrative_service.narratives import turns
from narrative_service.narratives.models import NarrativeTurn
from narrative_service.reflection import rules as reflection
from narrative_service.transcription import editing, rules, transcript_files
from narrative_service.transcription.models import Recording, TranscriptSegment
from tests.factories import make_narrative, make_recording, make_session

INTERVIEW = (
    "How did the first meeting go?",
    "Nobody asked me what I wanted.",
    "She says nobody asked her.",
    "They talked about me, not to me.",
    "Thank you for telling us.",
)


@pytest.fixture
def narrative(users):
    return make_narrative(users["advocate"])


@pytest.fixture
def recording(narrative):
    return make_recording(narrative, narrative.created_by, segments=INTERVIEW)


@pytest.fixture
def advocate(client_as):
    return client_as("advocate")


def recording_author(recording: Recording) -> User:
    return db.session.get(User, recording.created_by_id)


def speakers_of(recording: Recording) -> list[tuple[str, str | None]]:
    db.session.expire_all()
    return [(s.speaker, s.speaker_name) for s in rules.segments_of(recording)]


def ids(recording: Recording, *numbers: int) -> list[int]:
    """The ids of the segments numbered (from 1) as the page numbers them."""
    segments = rules.segments_of(recording)
    return [segments[number - 1].id for number in numbers]


def speakers_url(recording: Recording) -> str:
    return f"/recordings/{recording.id}/speakers"


# ---------------------------------------------------------------- through the pages


def test_ticked_segments_are_given_a_named_speaker(app, advocate, recording):
    page = advocate.get(speakers_url(recording))
    assert page.status_code == 200
    assert "Nobody asked me what I wanted." in page.get_data(as_text=True)

    response = advocate.post(
        speakers_url(recording),
        data={
            "segment_ids": ids(recording, 3),
            "speaker": "other",
            "speaker_name": "  Interpreter ",
        },
    )
    assert response.status_code == 302
    assert speakers_of(recording)[2] == ("other", "Interpreter")
    assert speakers_of(recording)[1] == ("narrator", None)
    shown = advocate.get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert '<strong class="app-transcript__speaker">Interpreter:</strong>' in shown


def test_a_run_of_segments_by_number_changes_speaker_at_once(app, advocate, recording):
    response = advocate.post(
        speakers_url(recording),
        data={"first": "1", "last": "1", "speaker": "facilitator"},
    )
    assert response.status_code == 302
    both = advocate.post(
        speakers_url(recording),
        data={
            "first": "4",
            "last": "5",
            "segment_ids": ids(recording, 2),
            "speaker": "other",
            "speaker_name": "Daughter",
        },
        follow_redirects=True,
    )
    assert "Speaker saved for 3 segments." in both.get_data(as_text=True)
    assert speakers_of(recording) == [
        ("facilitator", None),
        ("other", "Daughter"),
        ("narrator", None),
        ("other", "Daughter"),
        ("other", "Daughter"),
    ]


def test_the_recording_page_links_each_segment_to_its_speaker(app, advocate, recording):
    first = rules.segments_of(recording)[0]
    page = advocate.get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert f"/recordings/{recording.id}/speakers?segment={first.id}" in page
    ticked = advocate.get(f"{speakers_url(recording)}?segment={first.id}").get_data(as_text=True)
    assert f'value="{first.id}" checked' in ticked


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"speaker": "narrator"}, "Choose at least one segment."),
        ({"first": "1", "last": "1"}, "Choose who is speaking"),
        ({"first": "1", "last": "1", "speaker": "other"}, "Write who is speaking"),
        (
            {"first": "1", "last": "1", "speaker": "other", "speaker_name": "x" * 81},
            "Keep the speaker&#39;s name to 80 characters or fewer (this one has 81).",
        ),
        (
            {"first": "1", "last": "1", "speaker": "narrator", "speaker_name": "Interpreter"},
            "You chose Narrator and also wrote a name.",
        ),
        ({"first": "1", "last": "9", "speaker": "narrator"}, "There is no segment 9"),
        ({"first": "4", "last": "2", "speaker": "narrator"}, "comes before the first"),
        ({"first": "one", "last": "2", "speaker": "narrator"}, "as a whole number"),
    ],
)
def test_a_speaker_that_cannot_be_saved_is_named_on_its_field(
    app, advocate, recording, data, message
):
    response = advocate.post(speakers_url(recording), data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "There is a problem" in page
    assert speakers_of(recording) == [("narrator", None)] * 5


def test_no_segment_and_no_speaker_are_both_named(app, advocate, recording):
    response = advocate.post(speakers_url(recording), data={"speaker": "other"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose at least one segment." in page and "Write who is speaking" in page


def test_a_named_speaker_is_renamed_across_the_whole_transcript(app, advocate, recording):
    editing.set_speaker(
        recording, ids(recording, 2, 4), "other", "Speaker 2", by=recording_author(recording)
    )
    editing.set_speaker(
        recording, ids(recording, 3), "other", "Interpreter", by=recording_author(recording)
    )
    db.session.commit()
    page = advocate.get(speakers_url(recording)).get_data(as_text=True)
    assert "Rename a speaker" in page and '<option value="Speaker 2"' in page

    response = advocate.post(
        f"/recordings/{recording.id}/speakers/rename",
        data={
            "rename-old_name": "Speaker 2",
            "rename-speaker": "other",
            "rename-speaker_name": "Daughter",
        },
        follow_redirects=True,
    )
    assert "Speaker renamed in 2 segments." in response.get_data(as_text=True)
    assert speakers_of(recording) == [
        ("narrator", None),
        ("other", "Daughter"),
        ("other", "Interpreter"),
        ("other", "Daughter"),
        ("narrator", None),
    ]


def test_renaming_a_speaker_to_the_narrator_makes_them_the_narrator(app, advocate, recording):
    editing.set_speaker(
        recording, ids(recording, 2), "other", "Speaker 1", by=recording_author(recording)
    )
    db.session.commit()
    response = advocate.post(
        f"/recordings/{recording.id}/speakers/rename",
        data={"rename-old_name": "Speaker 1", "rename-speaker": "narrator"},
    )
    assert response.status_code == 302
    assert speakers_of(recording)[1] == ("narrator", None)


def test_renaming_a_speaker_nobody_is_says_so(app, advocate, recording):
    response = advocate.post(
        f"/recordings/{recording.id}/speakers/rename",
        data={
            "rename-old_name": "Speaker 7",
            "rename-speaker": "other",
            "rename-speaker_name": "Son",
        },
    )
    assert response.status_code == 400
    assert "No segment of this transcript is spoken by “Speaker 7”." in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("advocate", 302), ("lead", 302), ("facilitator", 404), ("admin", 403), ("board", 403)],
)
def test_only_those_who_may_change_the_narrative_set_speakers(
    app, client_as, recording, role, status
):
    response = client_as(role).post(
        speakers_url(recording),
        data={"first": "2", "last": "2", "speaker": "other", "speaker_name": "Interpreter"},
    )
    assert response.status_code == status
    expected = ("other", "Interpreter") if status == 302 else ("narrator", None)
    assert speakers_of(recording)[1] == expected


def test_speakers_cannot_change_once_the_transcript_is_accepted(app, advocate, recording):
    assert advocate.post(f"/recordings/{recording.id}/accept").status_code == 302
    opened = advocate.get(speakers_url(recording), follow_redirects=True)
    assert "This transcript is already accepted" in opened.get_data(as_text=True)
    sent = advocate.post(
        speakers_url(recording), data={"first": "1", "last": "1", "speaker": "facilitator"}
    )
    assert sent.status_code == 400
    assert "This transcript is already accepted" in sent.get_data(as_text=True)
    assert speakers_of(recording)[0] == ("narrator", None)


def test_a_speaker_change_is_in_the_audit_log_without_the_name(app, advocate, recording):
    advocate.post(
        speakers_url(recording),
        data={"first": "2", "last": "3", "speaker": "other", "speaker_name": "Interpreter"},
    )
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "recording.edit_segment")
    ).one()
    assert event.object_id == recording.id
    assert event.detail == {
        "change": "speaker",
        "speaker": "other",
        "segments": ids(recording, 2, 3),
    }
    assert "Interpreter" not in str(event.detail)


# ---------------------------------------------------------------- accepting, speaker by speaker


def test_accepting_makes_a_turn_at_each_change_of_speaker(app, advocate, recording, narrative):
    author = recording_author(recording)
    editing.set_speaker(recording, ids(recording, 1, 5), "facilitator", by=author)
    editing.set_speaker(recording, ids(recording, 3), "other", "Interpreter", by=author)
    db.session.commit()
    assert advocate.post(f"/recordings/{recording.id}/accept").status_code == 302

    made = db.session.scalars(select(NarrativeTurn).order_by(NarrativeTurn.position)).all()
    assert [(t.speaker, t.speaker_name, t.text) for t in made] == [
        ("facilitator", None, "How did the first meeting go?"),
        ("narrator", None, "Nobody asked me what I wanted."),
        ("other", "Interpreter", "She says nobody asked her."),
        ("narrator", None, "They talked about me, not to me."),
        ("facilitator", None, "Thank you for telling us."),
    ]
    page = advocate.get(f"/narratives/{narrative.id}/conversation").get_data(as_text=True)
    assert '<p class="app-chat__speaker">Interpreter' in page
    assert turns.conversation_text(narrative).split("\n\n")[2] == (
        "Interpreter: She says nobody asked her."
    )


def test_consecutive_segments_by_one_speaker_join_into_one_turn(app, recording, narrative):
    author = recording_author(recording)
    editing.set_speaker(recording, ids(recording, 2, 3), "other", "Daughter", by=author)
    turns.add_transcript_turns(recording, rules.segments_of(recording), by=author)
    made = db.session.scalars(select(NarrativeTurn).order_by(NarrativeTurn.position)).all()
    assert [(t.speaker_name, t.text) for t in made] == [
        (None, "How did the first meeting go?"),
        ("Daughter", "Nobody asked me what I wanted. She says nobody asked her."),
        (None, "They talked about me, not to me. Thank you for telling us."),
    ]


def test_two_different_named_speakers_side_by_side_are_two_turns(app, recording):
    author = recording_author(recording)
    editing.set_speaker(recording, ids(recording, 2), "other", "Daughter", by=author)
    editing.set_speaker(recording, ids(recording, 3), "other", "Son", by=author)
    passages = rules.by_speaker(rules.segments_of(recording))
    assert [p.label for p in passages] == ["Narrator", "Daughter", "Son", "Narrator"]


def test_a_session_record_names_each_speaker(app, users):
    narrative = make_narrative(users["advocate"], status="complete")
    session = make_session(users["facilitator"], [narrative], by=users["lead"])
    recording = make_recording(narrative, users["facilitator"], segments=INTERVIEW[:3])
    recording.narrative_id, recording.reflection_session_id = None, session.id
    db.session.commit()
    facilitator = users["facilitator"]
    editing.set_speaker(recording, ids(recording, 1), "facilitator", by=facilitator)
    editing.set_speaker(recording, ids(recording, 3), "other", "Social worker", by=facilitator)
    added = reflection.add_transcript_to_record(
        session, rules.segments_of(recording), by=facilitator
    )
    assert added == 3
    assert session.notes.endswith(
        "Facilitator: How did the first meeting go?\n\n"
        "Narrator: Nobody asked me what I wanted.\n\n"
        "Social worker: She says nobody asked her."
    )


def test_the_facilitator_of_a_session_sets_speakers_on_its_recording(app, users, client_as):
    narrative = make_narrative(users["advocate"], status="complete")
    session = make_session(users["facilitator"], [narrative], by=users["lead"])
    recording = make_recording(narrative, users["facilitator"], segments=INTERVIEW[:2])
    recording.narrative_id, recording.reflection_session_id = None, session.id
    db.session.commit()
    response = client_as("facilitator").post(
        speakers_url(recording),
        data={"first": "1", "last": "2", "speaker": "other", "speaker_name": "Team manager"},
    )
    assert response.status_code == 302
    assert speakers_of(recording) == [("other", "Team manager")] * 2


# ---------------------------------------------------------------- downloads


def test_downloads_carry_each_speaker(app, advocate, recording):
    author = recording_author(recording)
    editing.set_speaker(recording, ids(recording, 1), "facilitator", by=author)
    editing.set_speaker(recording, ids(recording, 3), "other", "Social worker", by=author)
    db.session.commit()
    text = advocate.get(f"/recordings/{recording.id}/transcript.txt").get_data(as_text=True)
    assert text.splitlines()[:3] == [
        "[0:00] Facilitator: How did the first meeting go?",
        "[0:04] Narrator: Nobody asked me what I wanted.",
        "[0:08] Social worker: She says nobody asked her.",
    ]
    vtt = advocate.get(f"/recordings/{recording.id}/transcript.vtt").get_data(as_text=True)
    assert "00:00:08.000 --> 00:00:11.500\n<v Social worker>She says nobody asked her.\n" in vtt
    assert "\n<v Facilitator>How did the first meeting go?\n" in vtt
    srt = advocate.get(f"/recordings/{recording.id}/transcript.srt").get_data(as_text=True)
    assert "3\n00:00:08,000 --> 00:00:11,500\nSocial worker: She says nobody asked her.\n" in srt


def test_webvtt_escapes_markup_in_names_and_words(app, recording):
    segment = rules.segments_of(recording)[0]
    segment.speaker, segment.speaker_name = "other", "Mum & <Dad>"
    segment.edited_text = "I said <b>no</b> & --> that was it"
    vtt = transcript_files.as_webvtt([segment])
    assert vtt == (
        "WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.500\n"
        "<v Mum &amp; &lt;Dad&gt;>I said &lt;b&gt;no&lt;/b&gt; &amp; --&gt; that was it\n"
    )
    assert transcript_files.as_srt([segment]).endswith(
        "Mum & <Dad>: I said <b>no</b> & -> that was it\n"
    )


# ---------------------------------------------------------------- the rules


def test_a_name_is_trimmed_and_takes_the_spelling_already_used(app):
    assert editing.speaker_of("other", "  social   Worker ") == editing.Speaker(
        "other", "social Worker"
    )
    assert editing.speaker_of("other", "daughter", known=["Daughter"]) == editing.Speaker(
        "other", "Daughter"
    )
    assert editing.speaker_of("other", "narrator") == editing.Speaker("narrator")
    assert editing.speaker_of("facilitator", "") == editing.Speaker("facilitator")
    assert editing.speaker_of("other", "x" * 80).name == "x" * 80


@pytest.mark.parametrize(
    ("choice", "name", "field"),
    [("", "", "speaker"), ("judge", "", "speaker"), ("other", "   ", "speaker_name")],
)
def test_a_speaker_without_a_choice_or_a_name_is_refused(app, choice, name, field):
    with pytest.raises(DomainError) as refused:
        editing.speaker_of(choice, name)
    assert refused.value.field == field


def test_a_segment_of_another_recording_cannot_be_chosen(app, recording, narrative):
    other = make_recording(narrative, narrative.created_by)
    stranger = rules.segments_of(other)[0]
    with pytest.raises(DomainError, match="not in this transcript"):
        editing.set_speaker(recording, [stranger.id], "facilitator", by=recording_author(recording))
    assert db.session.get(TranscriptSegment, stranger.id).speaker == "narrator"


def test_renaming_to_the_same_name_changes_nothing(app, recording):
    author = recording_author(recording)
    editing.set_speaker(recording, ids(recording, 2), "other", "Daughter", by=author)
    with pytest.raises(DomainError, match="already has that name"):
        editing.rename_speaker(recording, "Daughter", "other", "Daughter", by=author)
