"""Every file that leaves the service: a type from what it is, sandboxed, never sniffed, and
an attachment unless it is sound or video."""

from __future__ import annotations

import io

import pytest

from narrative_service.downloads import DOWNLOAD_POLICY, safe_filename
from narrative_service.extensions import db
from narrative_service.milestones import evidence as milestone_evidence
from narrative_service.milestones.rules import create_programme
from narrative_service.transcription.models import Recording
from tests.factories import make_narrative, make_recording, make_theme
from tests.polyglots import wav_that_is_html, wav_that_is_javascript
from tests.test_request_checks import a_wav


def assert_guarded(response) -> None:
    assert response.headers["Content-Security-Policy"] == DOWNLOAD_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def assert_attachment(response, name: str | None = None) -> None:
    assert_guarded(response)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    if name is not None:
        assert f'filename="{name}"' in disposition or f"filename={name}" in disposition


def test_a_wav_that_is_also_a_script_is_served_as_audio_whatever_the_uploader_said(
    app, users, client_as
):
    narrative = make_narrative(users["advocate"])
    advocate = client_as("advocate")
    response = advocate.post(
        f"/narratives/{narrative.id}/recordings/new",
        data={
            "speaker": "narrator",
            "recording": (
                io.BytesIO(wav_that_is_javascript("window.ran=1")),
                "a.wav",
                "text/javascript",
            ),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    recording = db.session.query(Recording).one()
    assert recording.content_type == "audio/wav"
    served = advocate.get(f"/recordings/{recording.id}/audio")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "audio/wav"
    # Plays in the page's player.
    assert served.headers.get("Content-Disposition", "inline").startswith("inline")
    assert_guarded(served)


def test_a_recording_kept_with_the_uploaders_type_is_served_with_the_probed_type(
    app, users, client_as
):
    narrative = make_narrative(users["advocate"])
    recording = make_recording(narrative, users["advocate"], content=wav_that_is_html("<b>x</b>"))
    recording.content_type = "text/html"  # as recordings uploaded before this change were
    db.session.commit()
    served = client_as("lead").get(f"/recordings/{recording.id}/audio")
    assert served.headers["Content-Type"] == "audio/wav"
    assert_guarded(served)


def test_a_recording_whose_file_is_not_sound_is_only_ever_downloaded(app, users, client_as):
    narrative = make_narrative(users["advocate"])
    recording = make_recording(narrative, users["advocate"], content=b"<script>alert(1)</script>")
    recording.content_type = "text/html"
    db.session.commit()
    served = client_as("lead").get(f"/recordings/{recording.id}/audio")
    assert served.headers["Content-Type"] == "application/octet-stream"
    assert_attachment(served, "interview.wav")


def test_the_player_can_still_start_from_any_point(app, users, client_as):
    narrative = make_narrative(users["advocate"])
    recording = make_recording(narrative, users["advocate"], content=a_wav(1))
    served = client_as("lead").get(
        f"/recordings/{recording.id}/audio", headers={"Range": "bytes=100-199"}
    )
    assert served.status_code == 206 and len(served.data) == 100
    assert_guarded(served)


@pytest.mark.parametrize(
    ("kind", "mimetype"),
    [("txt", "text/plain"), ("vtt", "text/vtt"), ("srt", "application/x-subrip")],
)
def test_a_transcript_download_is_a_sandboxed_attachment(app, users, client_as, kind, mimetype):
    narrative = make_narrative(users["advocate"])
    recording = make_recording(narrative, users["advocate"])
    response = client_as("advocate").get(f"/recordings/{recording.id}/transcript.{kind}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert_attachment(response, f"transcript-{recording.id}.{kind}")


@pytest.fixture
def milestone(app, users):
    found = create_programme("reflecting_on_practice", "2025/26", by=users["lead"]).milestones[0]
    db.session.commit()
    return found


def test_an_evidence_file_is_a_sandboxed_attachment_with_a_safe_name(
    app, users, client_as, milestone
):
    kept = milestone_evidence.add_evidence_file(
        milestone, "minutes.txt", io.BytesIO(b"<script>alert(1)</script>"), by=users["lead"]
    )
    kept.original_filename = '..\\"<img src=x>\r\nminutes.txt'
    db.session.commit()
    response = client_as("lead").get(f"/milestones/evidence-files/{kept.id}")
    assert response.status_code == 200
    assert_attachment(response)
    disposition = response.headers["Content-Disposition"]
    assert "<" not in disposition and "\\" not in disposition and "\r" not in disposition
    assert disposition.endswith('minutes.txt"') or disposition.endswith("minutes.txt")


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_the_evidence_pack_is_a_sandboxed_attachment(app, users, client_as, milestone, file_format):
    response = client_as("lead").get(f"/milestones/{milestone.id}/evidence-pack.{file_format}")
    assert response.status_code == 200
    assert_attachment(response)


def test_the_codebook_export_is_a_sandboxed_attachment(app, users, client_as):
    make_theme()
    response = client_as("lead").get("/themes/codebook.yaml")
    assert_attachment(response, "codebook.yaml")


def test_the_theme_counts_csv_is_a_sandboxed_attachment(app, users, client_as):
    response = client_as("lead").get("/themes/analysis.csv")
    assert_attachment(response, "theme-counts.csv")


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("minutes.txt", "minutes.txt"),
        ("../../etc/passwd", "passwd"),
        ('C:\\Users\\x\\"bad".pdf', "bad_.pdf"),
        ("\x00\r\n", "download"),
        (".hidden", "hidden"),
        ("Café notes.docx", "Café notes.docx"),
    ],
)
def test_a_file_name_is_made_safe_for_a_download(given, safe):
    assert safe_filename(given) == safe
