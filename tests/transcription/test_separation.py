"""Who spoke each segment, pre-filled from the voices when an interview is transcribed."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from narrative_service.extensions import db
from narrative_service.timeutil import utcnow
from narrative_service.transcription import separation
from narrative_service.transcription.models import Recording
from narrative_service.transcription.rules import media_path
from tests.audio import samples_of, speak, speak_flite, write_wav
from tests.factories import make_narrative
from tests.transcription.test_recording_pages import upload

NARRATOR = [
    "Nobody told me what was happening to my mother, and I was frightened.",
    "Then a worker came and sat with us at the kitchen table for an hour.",
    "She wrote down what Mum said, in Mum's own words, and read it back.",
]
DAUGHTER = [
    "I rang the office four times that week and nobody rang me back.",
    "When they did, they asked what Mum wanted, and that changed everything.",
]


@pytest.fixture(scope="module")
def interview(tmp_path_factory) -> bytes:
    """The narrator (espeak-ng) and her daughter (flite) taking turns, with pauses."""
    folder = tmp_path_factory.mktemp("interview")
    pause = np.zeros(16_000, np.float32)
    turns = [
        samples_of(speak(NARRATOR[0], folder / "n0.wav")),
        samples_of(speak_flite(DAUGHTER[0], folder / "d0.wav")),
        samples_of(speak(NARRATOR[1], folder / "n1.wav")),
        samples_of(speak_flite(DAUGHTER[1], folder / "d1.wav")),
        samples_of(speak(NARRATOR[2], folder / "n2.wav")),
    ]
    sound = np.concatenate([part for turn in turns for part in (turn, pause)])
    return write_wav(sound, folder / "interview.wav").read_bytes()


def segments_by_speaker(recording: Recording) -> dict[str, str]:
    heard: dict[str, str] = {}
    for segment in recording.segments:
        heard[segment.speaker_label] = heard.get(segment.speaker_label, "") + " " + segment.text
    return {label: text.lower() for label, text in heard.items()}


def test_a_transcribed_interview_has_its_voices_told_apart(app, users, client_as, interview):
    narrative = make_narrative(users["advocate"])

    assert upload(client_as("advocate"), narrative, interview, "interview.wav").status_code == 302

    recording = db.session.scalars(select(Recording)).one()
    assert recording.status == "transcribed"
    heard = segments_by_speaker(recording)
    assert set(heard) == {"Narrator", "Speaker 2"}, heard
    assert "kitchen table" in heard["Narrator"] and "own words" in heard["Narrator"]
    assert (
        "the office four times" in heard["Speaker 2"] and "changed everything" in heard["Speaker 2"]
    )
    page = client_as("advocate").get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert "Speaker 2:" in page


def test_segments_a_person_has_reviewed_keep_their_speaker(app, users, client_as, interview):
    narrative = make_narrative(users["advocate"])
    upload(client_as("advocate"), narrative, interview, "interview.wav")
    recording = db.session.scalars(select(Recording)).one()
    reviewed = recording.segments[0]
    reviewed.speaker, reviewed.speaker_name, reviewed.reviewed_at = "other", "Mum", utcnow()
    others = recording.segments[1:]
    for segment in others:
        segment.speaker, segment.speaker_name = "narrator", None

    told = separation.prefill(recording.segments, media_path(recording), "narrator")

    assert told == 2
    assert (reviewed.speaker, reviewed.speaker_name) == ("other", "Mum")
    assert {s.speaker_label for s in others} == {"Narrator", "Speaker 2"}


def test_separation_can_be_switched_off(app, users, client_as, interview):
    app.config["SEPARATE_SPEAKERS"] = False
    narrative = make_narrative(users["advocate"])

    upload(client_as("advocate"), narrative, interview, "interview.wav", speaker="facilitator")

    recording = db.session.scalars(select(Recording)).one()
    assert {s.speaker_label for s in recording.segments} == {"Facilitator"}
