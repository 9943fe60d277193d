"""Consent withdrawn while the real worker is transcribing the narrative's recording.

The worker reads the audio from a file it already has open, so deleting the file does not
stop it: it must notice, at its next save, that the recording is no longer wanted, and
keep nothing of what it heard after (or before) the withdrawal.
"""

from __future__ import annotations

import os
import signal
from datetime import date
from pathlib import Path

from tests.audio import speak
from tests.service import (
    Browser,
    free_port,
    narrative_of_the_service_user,
    one_row,
    start_service,
    wait_for,
)
from tests.transcription.test_worker import STORY


def test_withdrawal_mid_transcription_stops_the_job_and_keeps_nothing(service_env, tmp_path):
    instance = Path(service_env["INSTANCE_DIR"])
    database, narrative_id = narrative_of_the_service_user(service_env)
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
            lambda: one_row(database, "SELECT COUNT(*) FROM transcript_segments")[0] >= 1,
            120,
            "the worker saved its first segments",
            log_path,
        )
        assert one_row(database, "SELECT status FROM recordings")[0] == "transcribing"

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
        assert one_row(database, "SELECT status, stored_path FROM recordings") == ("erased", "")
        assert one_row(database, "SELECT COUNT(*) FROM transcript_segments")[0] == 0
        assert not any((instance / "media" / "recordings").glob("*"))
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(timeout=60)
    assert one_row(database, "SELECT status FROM recordings")[0] == "erased"
    assert one_row(database, "SELECT COUNT(*) FROM transcript_segments")[0] == 0
