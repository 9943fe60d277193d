"""The real worker: `narrative-service serve` with its background worker, and kill -9.

A recording is uploaded over HTTP to the real server; the whole service (web processes and
worker) is killed with SIGKILL part-way through transcribing it; on restart the worker takes
the job up again by itself, resumes where the last saved segment ended, and finishes once.
The Redis-backed queue is tested against the Redis server named by TEST_REDIS_URL or
REDIS_URL (./scripts/test sets TEST_REDIS_URL when one answers on 127.0.0.1:6379).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

from tests.audio import speak
from tests.factories import TEST_PASSWORD

COMMAND = Path(sys.executable).with_name("narrative-service")
# About a minute and a half of speech: long enough to be killed part-way.
STORY = (
    "Nobody told me what was happening. I felt like a parcel being passed about. "
    "Then someone sat with me and asked what I wanted, and waited for the answer. "
    "I wanted to stay in my own home with my cat. I wanted my daughter to be told. "
    "The first meeting was in a room full of people I did not know. "
    "They used words I did not understand and nobody explained them. "
    "When the advocate came it was different. She wrote down what I said in my words. "
) * 3


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Just enough of a browser: a cookie, CSRF tokens from forms, multipart uploads."""

    def __init__(self, port: int):
        self.port = port
        self.cookie = ""

    def request(self, method, path, body=b"", content_type=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if content_type:
            headers["Content-Type"] = content_type
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("narrative_session="):
                self.cookie = value.split(";", 1)[0]
        connection.close()
        return response.status, text, dict(response.getheaders())

    def token(self, path) -> str:
        _status, page, _ = self.request("GET", path)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def sign_in(self, email):
        body = urllib.parse.urlencode(
            {"email": email, "password": TEST_PASSWORD, "csrf_token": self.token("/sign-in")}
        )
        status, _, _ = self.request(
            "POST", "/sign-in", body.encode(), "application/x-www-form-urlencoded"
        )
        assert status == 302, "sign-in failed"

    def upload(self, path, fields, filename, content: bytes):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="recording"; '
            f'filename="{filename}"\r\nContent-Type: audio/wav\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )


@pytest.fixture
def service_env(tmp_path):
    env = dict(os.environ)
    for name in ("DATABASE_URL", "MEDIA_DIR", "QUEUE_PATH", "REDIS_URL", "SECRET_KEY"):
        env.pop(name, None)
    env.update(
        INSTANCE_DIR=str(tmp_path / "instance"),
        LOG_LEVEL="INFO",
        WEB_SERVER="gunicorn",
        WEB_PROCESSES="1",
        # Small pieces, so the work is saved (and can resume) several times a minute.
        TRANSCRIPTION_PIECE_SECONDS="10",
        TRANSCRIPTION_LEASE_SECONDS="600",
    )
    subprocess.run([str(COMMAND), "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [str(COMMAND), "create-user", "--email", "adv@example.nhs.uk", "--role", "advocate",
         "--name", "Priya Nair", "--password-stdin"],
        env=env, input=TEST_PASSWORD + "\n", text=True, check=True, capture_output=True,
    )  # fmt: skip
    return env


def start_service(env, port, log_path):
    log = open(log_path, "a")  # noqa: SIM115 (closed when the process is reaped)
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: kill -9 takes every process
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, Path(log_path).read_text()
        try:
            if Browser(port).request("GET", "/health")[0] == 200:
                return process
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the service did not start:\n" + Path(log_path).read_text())


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


def wait_for(check, seconds: float, what: str, log_path: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting until {what}\n" + log_path.read_text()[-4000:])


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
                    recording = rules.add_recording(
                        narrative, stream, clip.name, "audio/wav", by=advocate
                    )
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
