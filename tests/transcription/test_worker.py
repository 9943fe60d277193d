"""The real worker: `narrative-service serve` with its background worker, and kill -9.

A recording is uploaded over HTTP to the real server; the whole service (web processes and
worker) is killed with SIGKILL part-way through transcribing it; on restart the worker takes
the job up again by itself, resumes where the last saved segment ended, and finishes once.
The Redis-backed queue is tested against the Redis server named by TEST_REDIS_URL or
REDIS_URL (./scripts/test sets TEST_REDIS_URL when one answers on 127.0.0.1:6379).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.audio import speak
from tests.service import COMMAND, Browser, free_port, start_service, wait_for

# About a minute and a half of speech: long enough to be killed part-way.
STORY = (
    "Nobody told me what was happening. I felt like a parcel being passed about. "
    "Then someone sat with me and asked what I wanted, and waited for the answer. "
    "I wanted to stay in my own home with my cat. I wanted my daughter to be told. "
    "The first meeting was in a room full of people I did not know. "
    "They used words I did not understand and nobody explained them. "
    "When the advocate came it was different. She wrote down what I said in my words. "
) * 3


def recording_row(database: Path) -> dict:
    with sqlite3.connect(database, timeout=30) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute("SELECT * FROM recordings").fetchone()
        return dict(row) if row else {}


def segments(database: Path) -> list[tuple[float, float, str]]:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute(
            "SELECT start_seconds, end_seconds, machine_text FROM transcript_segments "
            "ORDER BY position"
        ).fetchall()


def test_kill_9_mid_transcription_then_restart_finishes_exactly_once(service_env, tmp_path):
    from narrative_service import create_app
    from narrative_service.extensions import db
    from tests.factories import make_narrative

    instance = Path(service_env["INSTANCE_DIR"])
    database = instance / "narrative_service.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "TESTING": True})
    with app.app_context():
        from narrative_service.auth.models import User

        advocate = db.session.query(User).one()
        narrative_id = make_narrative(advocate).id
        db.engine.dispose()

    audio = speak(STORY, tmp_path / "interview.wav").read_bytes()
    log_path = tmp_path / "service.log"
    port = free_port()
    service = start_service(service_env, port, log_path)
    try:
        browser = Browser(port)
        browser.sign_in("adv@example.nhs.uk")
        upload_path = f"/narratives/{narrative_id}/recordings/new"
        status, _, headers = browser.upload(
            upload_path,
            {"csrf_token": browser.token(upload_path), "speaker": "narrator"},
            "interview.wav",
            audio,
        )
        assert status == 302, "the upload was refused"
        recording_id = int(headers["Location"].rstrip("/").rsplit("/", 1)[1])

        # Kill everything once some, but not all, of the recording is transcribed.
        wait_for(
            lambda: (
                recording_row(database).get("status") == "transcribing"
                and len(segments(database)) >= 1
            ),
            120,
            "the first segments were saved",
            log_path,
        )
        os.killpg(service.pid, signal.SIGKILL)
        service.wait(timeout=30)
    finally:
        if service.poll() is None:
            os.killpg(service.pid, signal.SIGKILL)
    interrupted = recording_row(database)
    saved_before = segments(database)
    assert interrupted["status"] == "transcribing", "the kill came after the job had finished"
    assert 0 < interrupted["progress_seconds"] < interrupted["duration_seconds"]
    time.sleep(0.5)  # let the kernel reap the old process group

    service = start_service(service_env, free_port(), log_path)
    try:
        finished = wait_for(
            lambda: (
                recording_row(database).get("status") in ("transcribed", "failed")
                and recording_row(database)
            ),
            180,
            "the restarted worker finished the recording",
            log_path,
        )
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(timeout=60)

    assert finished["status"] == "transcribed", finished["failure_reason"]
    assert finished["id"] == recording_id
    assert finished["attempts"] == 2, "resumed once, by itself"
    saved = segments(database)
    assert saved[: len(saved_before)] == saved_before, "nothing saved before the kill changed"
    assert len(saved) > len(saved_before), "the second attempt carried on"
    starts = [start for start, _end, _text in saved]
    assert starts == sorted(starts) and len(set(starts)) == len(starts), "no segment twice"
    for (_s, end, _t), (next_start, _e, _x) in zip(saved, saved[1:], strict=False):
        assert next_start >= end - 0.5, "segments do not overlap"
    text = " ".join(t for _s, _e, t in saved).lower()
    assert "parcel" in text and "advocate" in text
    stored = instance / "media" / finished["stored_path"]
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == hashlib.sha256(audio).hexdigest()
    assert finished["sha256"] == hashlib.sha256(audio).hexdigest()
    assert "Resuming 1 unfinished transcription(s)." in log_path.read_text()


def redis_url() -> str | None:
    return os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or None


def test_workers_on_a_redis_queue_transcribe_what_the_web_queued(service_env, tmp_path):
    url = redis_url()
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Redis: set TEST_REDIS_URL or REDIS_URL")
        pytest.skip("No Redis server: set TEST_REDIS_URL to run this test")
    import redis

    queue_name = f"ns_test_{uuid.uuid4().hex[:10]}"
    env = {**service_env, "REDIS_URL": url, "QUEUE_NAME": queue_name}
    instance = Path(env["INSTANCE_DIR"])
    database = instance / "narrative_service.db"
    log_path = tmp_path / "workers.log"
    # Two independent workers, as on two machines sharing the database and media folder.
    workers = [
        subprocess.Popen(
            [str(COMMAND), "worker"],
            env=env,
            stdout=open(log_path, "a"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for _ in range(2)
    ]
    try:
        from narrative_service import create_app
        from narrative_service.extensions import db
        from narrative_service.transcription import rules
        from narrative_service.transcription.tasks import queue_transcription
        from tests.factories import make_narrative

        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
                "REDIS_URL": url,
                "QUEUE_NAME": queue_name,
                "MEDIA_DIR": str(instance / "media"),
            }
        )
        ids = []
        with app.app_context(), app.test_request_context():
            from narrative_service.auth.models import User

            advocate = db.session.query(User).one()
            narrative = make_narrative(advocate)
            for number in range(3):
                clip = speak(f"This is recording number {number + 1}.", tmp_path / f"{number}.wav")
                with open(clip, "rb") as stream:
                    recording = rules.add_recording(narrative, stream, clip.name, by=advocate)
                db.session.commit()
                queue_transcription(recording.id)
                ids.append(recording.id)
            db.engine.dispose()

        def all_done():
            with sqlite3.connect(database, timeout=30) as connection:
                rows = connection.execute("SELECT status, attempts FROM recordings").fetchall()
            return len(rows) == 3 and all(status == "transcribed" for status, _ in rows) and rows

        rows = wait_for(all_done, 120, "both workers emptied the Redis queue", log_path)
        assert all(attempts == 1 for _status, attempts in rows), "each transcribed exactly once"
        with sqlite3.connect(database) as connection:
            texts = [
                row[0].lower()
                for row in connection.execute(
                    "SELECT machine_text FROM transcript_segments ORDER BY recording_id"
                )
            ]
        assert any("number 1" in t or "number one" in t for t in texts)
        assert "queue: Redis" in log_path.read_text()
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(f"*{queue_name}*"):
            client.delete(key)
