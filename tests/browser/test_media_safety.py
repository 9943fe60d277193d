"""Recordings in a real browser: a real one plays; a WAV that is also a script or a page never
runs, however its uploader labelled it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from narrative_service.extensions import db
from narrative_service.transcription.models import Recording
from tests.audio import speak
from tests.browser.test_narrative_journey import sign_in
from tests.factories import make_narrative
from tests.polyglots import wav_that_is_html, wav_that_is_javascript

# What the polyglot script would do if it ever ran: set a flag, fetch an address, say so.
PAYLOAD = "window.polyglotRan=1;fetch('/polyglot-ran');console.log('polyglot ran')"


def _upload(page, narrative_id: int, name: str, mime_type: str, content: bytes) -> int:
    page.goto(f"/narratives/{narrative_id}/recordings/new")
    page.locator("input[type=file][name=recording]").set_input_files(
        files=[{"name": name, "mimeType": mime_type, "buffer": content}]
    )
    page.get_by_role("button", name="Upload and transcribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recording and transcript")
    return int(re.search(r"/recordings/(\d+)", page.url).group(1))


def test_a_real_recording_plays_and_polyglots_never_run(page, live_app, advocate, tmp_path):
    with live_app.app_context():
        from narrative_service.auth.models import User

        user = db.session.query(User).filter_by(email=advocate["email"]).one()
        narrative_id = make_narrative(user).id
    ran, said = [], []
    page.on("request", lambda request: "polyglot-ran" in request.url and ran.append(request.url))
    page.on("console", lambda message: "polyglot" in message.text and said.append(message.text))
    sign_in(page, advocate["email"])

    spoken = speak("Nobody told me what was happening.", tmp_path / "spoken.wav").read_bytes()
    real = _upload(page, narrative_id, "interview.wav", "audio/wav", spoken)
    script = _upload(
        page, narrative_id, "a.wav", "text/javascript", wav_that_is_javascript(PAYLOAD)
    )
    html = f'<script src="/recordings/{script}/audio"></script><p id="shown">page</p>'
    document = _upload(page, narrative_id, "b.wav", "text/html", wav_that_is_html(html))

    # The real recording plays from its transcript's first segment.
    page.goto(f"/recordings/{real}")
    page.locator("[data-seek]").first.click()
    for _ in range(100):
        if page.evaluate("document.getElementById('player').currentTime") > 0.3:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("document.getElementById('player').currentTime") > 0.3
    assert page.evaluate("document.getElementById('player').error") is None

    # The WAV/HTML file opened on its own: sound, not a page; its script tag is never read.
    response = page.goto(f"/recordings/{document}/audio")
    assert response.headers["content-type"] == "audio/wav"
    page.wait_for_timeout(1000)
    assert page.locator("#shown").count() == 0

    # The WAV/JavaScript file named by a script tag on one of the service's own pages (as an
    # injected tag would): the browser refuses to run audio.
    page.goto("/start")
    page.evaluate(
        """(src) => new Promise((done) => {
            const tag = document.createElement("script");
            tag.src = src;
            tag.onload = tag.onerror = () => done();
            document.head.appendChild(tag);
        })""",
        f"/recordings/{script}/audio",
    )
    page.wait_for_timeout(500)
    assert page.evaluate("window.polyglotRan") is None
    assert ran == [] and said == []
    with live_app.app_context():
        types = {r.id: r.content_type for r in db.session.query(Recording)}
    assert types == {real: "audio/wav", script: "audio/wav", document: "audio/wav"}
