"""Consent withdrawn while the real worker is transcribing the narrative's recording.

The worker reads the audio from a file it already has open, so deleting the file does not
stop it: it must notice, at its next save, that the recording is no longer wanted, and
keep nothing of what it heard after (or before) the withdrawal.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from datetime import date
from pathlib import Path

from tests.audio import speak
from tests.service import Browser, free_port, start_service, wait_for
from tests.transcription.test_worker import STORY


def _one(database: Path, query: str):
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute(query).fetchone()


def test_withdrawal_mid_transcription_stops_the_job_and_keeps_nothing(service_env, tmp_path):
    from narrative_service import create_app
    from narrative_service.extensions import db
    from tests.factories import make_narrative

    instance = Path(service_env["INSTANCE_DIR"])
    database = instance / "narrative_service.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "TESTING": True})
    with app.app_context():
        from narrative_service.auth.models import User

        narrative_id = make_narrative(db.session.query(User).one(), status="complete").id
        db.engine.dispose()
    audio = speak(STORY, tmp_path / "interview.wav").read_bytes()

    log_path = tmp_path / "service.log"
    port = free_port()
    service = start_service(service_env, port, log_path)
    try:
        browser = Browser(port)
        browser.sign_in("adv@example.nhs.uk")
        upload = f"/narratives/{narrative_id}/recordings/new"
        status, _, _ = browser.upload(
            upload,
            {"csrf_token": browser.token(upload), "speaker": "narrator"},
            "interview.wav",
            audio,
        )
        assert status == 302
        wait_for(
            lambda: _one(database, "SELECT COUNT(*) FROM transcript_segments")[0] >= 1,
            120,
            "the worker saved its first segments",
            log_path,
        )
        assert _one(database, "SELECT status FROM recordings")[0] == "transcribing"

        withdraw = f"/narratives/{narrative_id}/withdraw"
        form = {"withdrawn_on": date.today().isoformat(), "how": "in_person", "is_understood": "y"}
        assert browser.post(withdraw, form)[0] == 302

        wait_for(
            lambda: "no longer this worker's to transcribe: stopped" in log_path.read_text(),
            120,
            "the worker stopped",
            log_path,
        )
        # Whatever the worker had in hand when it noticed is gone with it.
        assert _one(database, "SELECT status, stored_path FROM recordings") == ("erased", "")
        assert _one(database, "SELECT COUNT(*) FROM transcript_segments")[0] == 0
        assert not any((instance / "media" / "recordings").glob("*"))
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(timeout=60)
    assert _one(database, "SELECT status FROM recordings")[0] == "erased"
    assert _one(database, "SELECT COUNT(*) FROM transcript_segments")[0] == 0
