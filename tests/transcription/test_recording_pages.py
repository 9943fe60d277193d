"""Recordings as advocates use them: upload, transcribe (for real), review, accept, download.

The queue runs jobs at once in these tests (QUEUE_IMMEDIATE), so a request that queues a
recording returns after the real Whisper model has transcribed it. The worker process,
the SQLite and Redis queues and kill -9 are tested in test_worker.py.
"""

from __future__ import annotations

import hashlib
import io
import wave
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.http import parse_options_header

from narrative_service.extensions import db
from narrative_service.narratives.models import NarrativeTurn
from narrative_service.timeutil import today
from narrative_service.transcription.models import Recording, TranscriptSegment
from tests.audio import speak
from tests.factories import make_narrative, make_recording

WORDS = "Nobody told me what was happening. Then someone sat with me and listened."


@pytest.fixture
def narrative(users):
    return make_narrative(users["advocate"])


@pytest.fixture
def advocate(client_as):
    return client_as("advocate")


def upload(client, narrative, data: bytes, filename: str, speaker: str = "narrator"):
    return client.post(
        f"/narratives/{narrative.id}/recordings/new",
        data={"recording": (io.BytesIO(data), filename), "speaker": speaker},
        content_type="multipart/form-data",
    )


def silence(seconds: float) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16000)
        writer.writeframes(b"\x00\x00" * int(16000 * seconds))
    return out.getvalue()


def only_recording() -> Recording:
    return db.session.scalars(select(Recording)).one()


def test_an_uploaded_recording_is_stored_whole_transcribed_and_reviewable(
    app, advocate, narrative, tmp_path
):
    spoken = speak(WORDS, tmp_path / "interview.wav").read_bytes()
    response = upload(advocate, narrative, spoken, "interview.wav")
    assert response.status_code == 302
    recording = only_recording()
    assert response.headers["Location"].endswith(f"/recordings/{recording.id}")

    # Stored whole, outside any public folder, with the checksum of what was sent.
    stored = Path(app.config["MEDIA_DIR"]) / recording.stored_path
    assert stored.read_bytes() == spoken
    assert recording.sha256 == hashlib.sha256(spoken).hexdigest()
    assert recording.size_bytes == len(spoken)
    assert list((Path(app.config["MEDIA_DIR"]) / ".incoming").iterdir()) == []

    assert recording.status == "transcribed"
    assert (recording.engine, recording.attempts) == ("faster-whisper", 1)
    text = " ".join(s.text for s in recording.segments).lower()
    assert "nobody told me" in text and "listened" in text

    progress = advocate.get(f"/recordings/{recording.id}/progress").get_json()
    assert progress["percent"] == 100 and progress["finished"] is True
    assert progress["status_label"] == "Ready to review"

    page = advocate.get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert recording.segments[0].text in page, page[page.find("<main") :]
    assert f'src="/recordings/{recording.id}/audio"' in page
    assert "Accept the transcript into the narrative" in page

    audio = advocate.get(f"/recordings/{recording.id}/audio", headers={"Range": "bytes=0-3"})
    assert audio.status_code == 206 and audio.data == b"RIFF"


def test_accepting_a_transcript_puts_it_in_the_conversation_once(app, advocate, narrative):
    recording = make_recording(narrative, narrative.created_by)
    response = advocate.post(f"/recordings/{recording.id}/accept")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/narratives/{narrative.id}/conversation")
    turns = db.session.scalars(select(NarrativeTurn)).all()
    assert [(t.speaker, t.text) for t in turns] == [
        ("narrator", "I did not know who to ask. Then someone listened.")
    ]
    assert db.session.get(Recording, recording.id).status == "accepted"

    again = advocate.post(f"/recordings/{recording.id}/accept", follow_redirects=True)
    assert "This transcript is already accepted." in again.get_data(as_text=True)
    assert db.session.scalars(select(NarrativeTurn)).all() == turns

    conversation = advocate.get(f"/narratives/{narrative.id}/conversation")
    assert "I did not know who to ask." in conversation.get_data(as_text=True)


def test_a_corrected_segment_keeps_what_the_machine_heard(app, advocate, narrative):
    recording = make_recording(narrative, narrative.created_by)
    segment = recording.segments[0]
    url = f"/recordings/{recording.id}/segments/{segment.id}/edit"
    assert "I did not know who to ask." in advocate.get(url).get_data(as_text=True)

    empty = advocate.post(url, data={"text": "   "})
    assert empty.status_code == 400
    assert "Write what was said" in empty.get_data(as_text=True)

    assert advocate.post(url, data={"text": "I did not know whom to ask."}).status_code == 302
    db.session.refresh(segment)
    assert segment.text == "I did not know whom to ask."
    assert segment.machine_text == "I did not know who to ask."
    page = advocate.get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert "The machine heard: “I did not know who to ask.”" in page


def test_unsure_segments_are_marked_for_the_reviewer(app, advocate, narrative):
    recording = make_recording(narrative, narrative.created_by)  # the first is unsure
    page = advocate.get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert page.count("app-transcript__segment--unsure") == 1
    assert ">Unsure</strong>" in page


def test_transcripts_download_as_text_webvtt_and_srt(app, advocate, narrative):
    recording = make_recording(narrative, narrative.created_by)
    text = advocate.get(f"/recordings/{recording.id}/transcript.txt")
    disposition, options = parse_options_header(text.headers["Content-Disposition"])
    assert (disposition, options["filename"]) == ("attachment", f"transcript-{recording.id}.txt")
    assert text.get_data(as_text=True) == (
        "[0:00] Narrator: I did not know who to ask.\n[0:04] Narrator: Then someone listened.\n"
    )
    vtt = advocate.get(f"/recordings/{recording.id}/transcript.vtt").get_data(as_text=True)
    assert vtt.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:03.500\n<v Narrator>I did not know")
    srt = advocate.get(f"/recordings/{recording.id}/transcript.srt").get_data(as_text=True)
    assert "2\n00:00:04,000 --> 00:00:07,500\nNarrator: Then someone listened.\n" in srt
    assert advocate.get(f"/recordings/{recording.id}/transcript.pdf").status_code == 404


def test_a_spoken_chat_turn_becomes_its_transcript(app, advocate, narrative, tmp_path):
    spoken = speak(WORDS, tmp_path / "turn.wav").read_bytes()
    response = advocate.post(
        f"/narratives/{narrative.id}/conversation",
        data={
            "speaker": "narrator",
            "text": "",
            "client_token": "spoken-turn-0001",
            "recording": (io.BytesIO(spoken), "turn.webm"),
        },
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    turn = db.session.scalars(select(NarrativeTurn)).one()
    assert turn.recording.purpose == "turn" and turn.recording.status == "accepted"
    assert "nobody told me" in turn.text.lower()
    page = advocate.get(f"/narratives/{narrative.id}/conversation").get_data(as_text=True)
    assert "Spoken: listen and review" in page


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "empty.wav", "The file is empty (0 bytes)"),
        (
            b"Minutes of the meeting, not a recording.\n" * 20,
            "minutes.wav",
            "cannot be read as a recording",
        ),
        (b"\x7fELF\x02\x01\x01" + bytes(4000), "program.mp3", "cannot be read as a recording"),
        (bytes(range(256)) * 40, "damaged.flac", "audio cannot be decoded"),
    ],
)
def test_a_file_that_is_not_a_recording_is_refused_at_upload(
    app, advocate, narrative, content, filename, message
):
    response = upload(advocate, narrative, content, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(Recording)).all() == []
    media = Path(app.config["MEDIA_DIR"])
    assert [p for p in media.rglob("*") if p.is_file()] == [], "nothing is left on disk"


def test_a_video_without_sound_is_refused_by_name(app, advocate, narrative, tmp_path):
    import av
    import numpy as np

    path = tmp_path / "silent.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=5)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for _ in range(5):
            frame = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    response = upload(advocate, narrative, path.read_bytes(), "visit.mp4")
    assert response.status_code == 400
    assert "This video has no audio track" in response.get_data(as_text=True)


def test_no_file_chosen_is_named(app, advocate, narrative):
    response = advocate.post(
        f"/narratives/{narrative.id}/recordings/new",
        data={"speaker": "narrator"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Choose a recording to upload." in response.get_data(as_text=True)


def test_silence_is_transcribed_as_no_speech(app, advocate, narrative):
    assert upload(advocate, narrative, silence(3), "quiet.wav").status_code == 302
    recording = only_recording()
    assert recording.status == "transcribed" and recording.segments == []
    page = advocate.get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert "No speech was found in this recording." in page


def test_a_file_over_the_limit_is_refused_stating_the_limit(tmp_path, migrated_sqlite):
    import shutil

    from narrative_service import create_app
    from tests.conftest import RequestInItsOwnContextClient, base_config, sign_in
    from tests.factories import make_user

    database = tmp_path / "limit.db"
    shutil.copy(migrated_sqlite, database)
    app = create_app({**base_config(tmp_path, f"sqlite:///{database}"), "MAX_UPLOAD_MB": 1})
    app.test_client_class = RequestInItsOwnContextClient
    with app.app_context():
        advocate = make_user("advocate")
        narrative = make_narrative(advocate)
        client = app.test_client()
        sign_in(client, advocate)
        # Just over the limit: the form says so, naming the limit.
        response = upload(client, narrative, silence(34.5), "long.wav")  # 1.05 MiB
        assert response.status_code == 400
        assert "larger than the limit of 1 MB" in response.get_data(as_text=True)
        # Far over: refused before it is read, with the limit stated.
        response = upload(client, narrative, silence(60), "longer.wav")  # 1.8 MiB
        assert response.status_code == 413
        page = response.get_data(as_text=True)
        assert "up to 1 MB" in page and "Nothing was saved" in page
        assert db.session.scalars(select(Recording)).all() == []


def test_an_upload_cut_off_midway_is_never_taken_for_the_whole(app, advocate, narrative):
    spoken = silence(2)
    boundary = "cutoff"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="speaker"\r\n\r\nnarrator\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="recording"; '
        f'filename="half.wav"\r\nContent-Type: audio/wav\r\n\r\n'
    ).encode() + spoken
    half = body[: len(body) // 2]
    response = advocate.post(
        f"/narratives/{narrative.id}/recordings/new",
        input_stream=io.BytesIO(half),
        content_type=f"multipart/form-data; boundary={boundary}",
        content_length=len(body) + 100,
    )
    assert response.status_code == 400
    assert "The upload did not finish" in response.get_data(as_text=True)
    assert db.session.scalars(select(Recording)).all() == []
    media = Path(app.config["MEDIA_DIR"])
    assert [p for p in media.rglob("*") if p.is_file()] == []


def test_a_failed_recording_says_why_and_can_be_tried_again(app, advocate, narrative, tmp_path):
    spoken = speak(WORDS, tmp_path / "interview.wav").read_bytes()
    recording = make_recording(narrative, narrative.created_by, status="failed", segments=())
    stored = Path(app.config["MEDIA_DIR"]) / recording.stored_path
    stored.write_bytes(spoken)
    recording.sha256 = hashlib.sha256(spoken).hexdigest()
    recording.failure_reason = "The worker stopped."
    db.session.commit()
    page = advocate.get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert "The worker stopped." in page and "Try again" in page

    assert advocate.post(f"/recordings/{recording.id}/retry").status_code == 302
    db.session.refresh(recording)
    assert recording.status == "transcribed" and recording.failure_reason == ""
    assert "listened" in " ".join(s.text for s in recording.segments).lower()


def test_a_file_changed_on_disk_after_upload_is_not_transcribed(app, advocate, narrative):
    recording = make_recording(narrative, narrative.created_by, status="queued", segments=())
    (Path(app.config["MEDIA_DIR"]) / recording.stored_path).write_bytes(b"something else")
    from narrative_service.transcription import rules

    assert rules.transcribe(recording.id) == "failed"
    db.session.refresh(recording)
    assert "no longer matches the checksum" in recording.failure_reason


def test_a_facilitator_not_shared_with_cannot_hear_the_recording(app, client_as, narrative):
    recording = make_recording(narrative, narrative.created_by)
    facilitator = client_as("facilitator")
    # Not theirs to know of: answered as if there were no such recording.
    assert facilitator.get(f"/recordings/{recording.id}/audio").status_code == 404
    assert facilitator.get(f"/recordings/{recording.id}/progress").status_code == 404


def test_withdrawing_consent_erases_the_audio_and_its_transcript(app, advocate, narrative):
    recording = make_recording(narrative, narrative.created_by)
    stored = Path(app.config["MEDIA_DIR"]) / recording.stored_path
    form = {"withdrawn_on": today().isoformat(), "how": "in_writing", "is_understood": "y"}
    assert advocate.post(f"/narratives/{narrative.id}/withdraw", data=form).status_code == 302
    assert not stored.exists()
    assert db.session.scalars(select(TranscriptSegment)).all() == []
    assert advocate.get(f"/recordings/{recording.id}/audio").status_code == 404


def damaged_mp3(tmp_path) -> bytes:
    """Speech encoded as mp3, with the second half of the file overwritten by noise."""
    import random

    import av

    spoken = speak(" ".join([WORDS] * 4), tmp_path / "long.wav")
    encoded = tmp_path / "long.mp3"
    with av.open(str(spoken)) as source, av.open(str(encoded), "w") as out:
        stream = out.add_stream("libmp3lame", rate=22050)
        for frame in source.decode(audio=0):
            frame.pts = None
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    data = bytearray(encoded.read_bytes())
    noise = random.Random(20251125)
    for index in range(len(data) // 2, len(data) // 2 + len(data) // 5):
        data[index] = noise.randrange(256)
    return bytes(data)


def test_a_recording_damaged_part_way_keeps_what_was_transcribed_and_says_where(
    app, advocate, narrative, tmp_path
):
    assert upload(advocate, narrative, damaged_mp3(tmp_path), "interview.mp3").status_code == 302
    recording = only_recording()
    assert recording.status == "failed"
    assert recording.failure_reason.startswith("The recording is damaged after 0:")
    assert "seconds were transcribed." in recording.failure_reason
    assert "nobody told me" in " ".join(s.text for s in recording.segments).lower()
    page = advocate.get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert "The recording is damaged after" in page
    assert "Accept the transcript into the narrative" in page, "what was heard can be kept"


@pytest.mark.parametrize(
    ("seconds", "message"),
    [
        (751, "The recording is damaged after 12:31: the first 12 minutes were transcribed."),
        (75, "The recording is damaged after 1:15: the first minute was transcribed."),
        (13.4, "The recording is damaged after 0:13: the first 13 seconds were transcribed."),
        (0.2, "The recording is damaged after 0:00: nothing before it could be transcribed."),
    ],
)
def test_damage_is_described_in_plain_words(seconds, message):
    from narrative_service.transcription.audio import DamagedAudio

    assert DamagedAudio(seconds).message == message
