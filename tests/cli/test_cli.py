"""The `narrative-service` command as a user types it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

COMMAND = Path(sys.executable).with_name("narrative-service")


@pytest.fixture
def env(tmp_path):
    environment = dict(os.environ)
    environment.update(
        INSTANCE_DIR=str(tmp_path / "instance"),
        LOG_LEVEL="WARNING",
    )
    for name in ("DATABASE_URL", "SECRET_KEY", "MEDIA_DIR", "QUEUE_PATH", "REDIS_URL"):
        environment.pop(name, None)
    return environment


# The umask of a typical login shell: files come out readable by everyone unless the
# service itself says otherwise.
OPERATOR_UMASK = 0o022


def run(env, *arguments, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(COMMAND), *arguments],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        umask=OPERATOR_UMASK,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def upgraded(env):
    result = run(env, "db", "upgrade")
    assert result.returncode == 0, result.stderr
    return env


def test_db_upgrade_creates_the_database_and_a_private_secret_key(upgraded, tmp_path):
    instance = tmp_path / "instance"
    assert (instance / "narrative_service.db").exists()
    assert (instance / "secret_key").stat().st_mode & 0o077 == 0


def test_db_downgrade_then_upgrade(upgraded):
    assert run(upgraded, "db", "downgrade").returncode == 0
    assert run(upgraded, "db", "upgrade").returncode == 0


def test_create_user_reads_the_password_from_stdin(upgraded):
    result = run(
        upgraded,
        "create-user",
        "--email",
        "lead@example.nhs.uk",
        "--role",
        "lead",
        "--name",
        "Sam Lead",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert result.returncode == 0, result.stderr
    assert "Created Safeguarding lead lead@example.nhs.uk" in result.stdout


def test_create_user_refuses_a_short_password_with_the_rule(upgraded):
    result = run(
        upgraded,
        "create-user",
        "--email",
        "x@example.nhs.uk",
        "--role",
        "lead",
        "--password-stdin",
        stdin="short\n",
    )
    assert result.returncode != 0
    assert "at least 12 characters" in result.stderr


def test_create_user_refuses_an_unknown_role(upgraded):
    result = run(
        upgraded, "create-user", "--email", "x@example.nhs.uk", "--role", "king", "--password-stdin"
    )
    assert result.returncode != 0
    assert "'king' is not one of" in result.stderr


def test_demo_loads_once_and_prints_sign_in_details(upgraded, tmp_path):
    first = run(upgraded, "demo", "--if-empty")
    assert first.returncode == 0, first.stderr
    assert "Loaded 14 demo narratives" in first.stdout
    assert "lead@demo.invalid" in first.stdout
    credentials = tmp_path / "instance" / "demo-sign-in.txt"
    assert credentials.stat().st_mode & 0o077 == 0
    for account in ("lead@demo.invalid", "admin@demo.invalid"):  # their roles need two-step
        assert f"Two-step verification for {account}:" in first.stdout
    again = run(upgraded, "demo", "--if-empty")
    assert "already has narratives" in again.stdout


def test_check_reports_everything_in_place(upgraded):
    result = run(upgraded, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("database", "media folder", "job queue", "file permissions", "Whisper", "spaCy"):
        assert f"[ok  ] {name}" in result.stdout


def test_the_database_queue_and_media_folder_are_readable_by_the_service_user_only(
    upgraded, tmp_path
):
    assert run(upgraded, "demo").returncode == 0  # writes rows: the database and its -wal
    assert run(upgraded, "check").returncode == 0  # opens the queue
    instance = tmp_path / "instance"
    for folder in (instance, instance / "media"):
        assert mode(folder) == 0o700, folder
    files = [p for p in instance.iterdir() if p.is_file()]
    names = {p.name for p in files}
    assert {"narrative_service.db", "queue.db", "secret_key", "mfa_key"} <= names
    assert {"narrative_service.db-wal", "queue.db-wal"} & names, names
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}


def test_check_names_a_folder_or_file_other_users_can_read_and_the_command_to_fix_it(
    upgraded, tmp_path
):
    instance = tmp_path / "instance"
    instance.chmod(0o755)
    (instance / "narrative_service.db").chmod(0o644)
    result = run(upgraded, "check")
    assert result.returncode == 1
    assert "[FAIL] file permissions: other users may read or change" in result.stdout
    assert f"{instance} (755)" in result.stdout
    assert f"{instance / 'narrative_service.db'} (644)" in result.stdout
    assert f"chmod 700 {instance}" in result.stdout
    assert f"chmod 600 {instance / 'narrative_service.db'}" in result.stdout
    instance.chmod(0o700)
    (instance / "narrative_service.db").chmod(0o600)
    assert run(upgraded, "check").returncode == 0


def test_check_names_what_is_missing_and_how_to_fix_it(env):
    result = run(env, "check")  # no `db upgrade` yet
    assert result.returncode == 1
    assert "[FAIL] database" in result.stdout
    assert "fix: Run: narrative-service db upgrade" in result.stdout


def test_serve_refuses_to_start_on_an_old_schema(env):
    result = run(env, "serve", "--no-worker", "--port", "0")
    assert result.returncode != 0
    assert "narrative-service db upgrade" in result.stderr


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(port: int, process: subprocess.Popen) -> None:
    import time
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as reply:
                assert reply.status == 200
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the service did not answer /health within 60 s")


def _children(pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(line) for line in result.stdout.split()]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").exists() and " Z " not in Path(f"/proc/{pid}/stat").read_text()


def _wait_until_gone(pid: int, seconds: float = 30) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return False


def _background_workers(pid: int) -> list[int]:
    return [
        child
        for child in _children(pid)
        if b"worker\x00--parent-pid" in Path(f"/proc/{child}/cmdline").read_bytes()
    ]


@pytest.mark.parametrize("web_server", ["gunicorn", "waitress"])
@pytest.mark.parametrize("stop_signal", ["SIGTERM", "SIGKILL"])
def test_serve_runs_a_worker_that_stops_with_it(upgraded, web_server, stop_signal):
    import signal

    port = _free_port()
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--port", str(port)],
        env={**upgraded, "WEB_SERVER": web_server},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_health(port, process)
        workers = _background_workers(process.pid)
        assert len(workers) == 1, "serve starts exactly one background worker"
        process.send_signal(getattr(signal, stop_signal))
        process.wait(timeout=60)
        assert _wait_until_gone(workers[0]), "the worker outlived the service"
    finally:
        if process.poll() is None:
            process.kill()
        output = process.stdout.read()
    assert f"running at http://127.0.0.1:{port}" in output


def test_transcribe_prints_the_words_and_with_json_the_whole_result(env, tmp_path):
    import json

    from tests.audio import speak

    clip = speak("Then someone sat with me and asked what I wanted.", tmp_path / "clip.wav")
    plain = run(env, "transcribe", str(clip))
    assert plain.returncode == 0, plain.stderr
    assert "asked what I wanted" in plain.stdout

    result = run(env, "transcribe", str(clip), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"text", "segments", "duration", "engine", "model", "processing_seconds"}
    assert "asked what i wanted" in data["text"].lower()
    assert data["engine"] == "faster-whisper" and data["model"].startswith("tiny.en")
    assert set(data["segments"][0]) == {"start", "end", "text", "avg_logprob", "speaker"}
    assert data["segments"][0]["speaker"] == "Speaker 1" and data["speakers"] == 1
    assert 2 < data["duration"] < 6 and data["processing_seconds"] > 0


def test_transcribe_tells_two_voices_apart_and_takes_the_number_given(env, tmp_path):
    import json

    import numpy as np

    from tests.audio import samples_of, speak, speak_flite, write_wav

    turns = [
        speak("Nobody told me what was happening to my mother.", tmp_path / "a.wav"),
        speak_flite("Can you tell me what happened next?", tmp_path / "b.wav"),
        speak("Then a worker came and sat with us for an hour.", tmp_path / "c.wav"),
        speak_flite("And how did that feel for you?", tmp_path / "d.wav"),
    ]
    pause = np.zeros(16_000, np.float32)
    sound = np.concatenate([part for turn in turns for part in (samples_of(turn), pause)])
    clip = write_wav(sound, tmp_path / "two.wav")

    told = json.loads(run(env, "transcribe", str(clip), "--json").stdout)
    heard = [(s["speaker"], s["text"].lower()) for s in told["segments"]]
    assert told["speakers"] == 2, heard
    first = {speaker for speaker, text in heard if "mother" in text or "worker" in text}
    second = {speaker for speaker, text in heard if "happened next" in text or "feel" in text}
    assert first == {"Speaker 1"} and second == {"Speaker 2"}, heard
    assert told["speaker_seconds"] >= 0

    one = json.loads(run(env, "transcribe", str(clip), "--json", "--speakers", "1").stdout)
    assert {s["speaker"] for s in one["segments"]} == {"Speaker 1"}
    plain = run(env, "transcribe", str(clip), "--speakers", "2")
    assert plain.returncode == 0, plain.stderr
    assert "Speaker 2: " in plain.stdout and "Speaker 1: " in plain.stdout
    wrong = run(env, "transcribe", str(clip), "--speakers", "9")
    assert wrong.returncode == 2 and "9 is not in the range 1<=x<=6" in wrong.stderr


def test_transcribe_names_a_file_that_is_not_a_recording(env, tmp_path):
    notes = tmp_path / "notes.wav"
    notes.write_text("meeting notes")
    result = run(env, "transcribe", str(notes))
    assert result.returncode == 1
    assert "notes.wav: This file cannot be read as a recording" in result.stderr
