"""The transcription queue as people see it: place in the queue, stopping, carrying on, and
short jobs that never wait behind a long transcription."""

from __future__ import annotations

import os
import signal
import sqlite3
import threading

import pytest

from narrative_service.extensions import db
from narrative_service.jobs import LONG_JOB, SHORT_JOB
from narrative_service.transcription import queue, rules, tasks
from narrative_service.transcription.models import Recording, TranscriptSegment
from tests.audio import speak
from tests.factories import make_narrative
from tests.service import (
    Browser,
    free_port,
    narrative_of_the_service_user,
    one_row,
    start_service,
    wait_for,
)
from tests.transcription.test_worker import STORY


def recording_for(narrative, by, status="queued", **values) -> Recording:
    recording = Recording(
        narrative_id=narrative.id,
        stored_path="recordings/x.wav",
        sha256="0" * 64,
        duration_seconds=600.0,
        status=status,
        created_by_id=by.id,
        **values,
    )
    db.session.add(recording)
    db.session.commit()
    return recording


def add_segments(recording: Recording, count: int) -> None:
    for n in range(count):
        db.session.add(
            TranscriptSegment(
                recording_id=recording.id,
                position=n,
                start_seconds=n * 5.0,
                end_seconds=n * 5.0 + 4.0,
                machine_text=f"Part {n} of what was said.",
            )
        )
    db.session.commit()


def test_a_waiting_recording_says_how_many_are_ahead_of_it(app, users, client_as):
    advocate = users["advocate"]
    narrative = make_narrative(advocate)
    recording_for(narrative, advocate, status="transcribing", claimed_by="elsewhere:1")
    first = recording_for(narrative, advocate)
    second = recording_for(narrative, advocate)
    third = recording_for(narrative, advocate)

    assert queue.place_in_queue(first) == {"ahead": 0, "transcribing": 1}
    assert queue.place_in_queue(third) == {"ahead": 2, "transcribing": 1}
    state = client_as("advocate").get(f"/recordings/{third.id}/progress").get_json()
    assert (state["ahead"], state["transcribing"]) == (2, 1)
    page = client_as("advocate").get(f"/recordings/{third.id}").get_data(as_text=True)
    assert "Waiting: 2 recordings are ahead of this one, and 1 being transcribed." in page
    page = client_as("advocate").get(f"/recordings/{first.id}").get_data(as_text=True)
    assert "Next in the queue" in page
    assert queue.place_in_queue(second)["ahead"] == 1


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The recordings handed to the queue (the files here are not real recordings)."""
    from narrative_service.transcription import views

    handed: list[int] = []
    monkeypatch.setattr(views, "queue_transcription", handed.append)
    return handed


def test_a_waiting_recording_can_be_taken_out_of_the_queue_and_put_back(
    app, users, client_as, queued
):
    advocate = users["advocate"]
    recording = recording_for(make_narrative(advocate), advocate)
    browser = client_as("advocate")

    done = browser.post(f"/recordings/{recording.id}/stop", data={"keep": "no"})

    assert done.status_code == 302
    db.session.refresh(recording)
    assert recording.status == "cancelled"
    page = browser.get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert "Taken out of the queue: it will not be transcribed." in page
    assert "Transcribe it" in page
    # The job that was queued for it finds nothing to do.
    assert rules.transcribe(recording.id) == "skipped"

    browser.post(f"/recordings/{recording.id}/carry-on")
    db.session.refresh(recording)
    assert recording.status == "queued" and queued == [recording.id]


def test_stopping_keeps_what_was_done_or_discards_it(app, users, client_as, queued):
    advocate = users["advocate"]
    narrative = make_narrative(advocate)
    keep = recording_for(narrative, advocate, status="transcribing", progress_seconds=120.0)
    discard = recording_for(narrative, advocate, status="transcribing", progress_seconds=120.0)
    add_segments(keep, 3)
    add_segments(discard, 3)
    browser = client_as("advocate")

    browser.post(f"/recordings/{keep.id}/stop", data={"keep": "yes"})
    browser.post(f"/recordings/{discard.id}/stop", data={"keep": "no"})

    db.session.refresh(keep)
    db.session.refresh(discard)
    assert (keep.status, keep.progress_seconds, len(keep.segments)) == ("transcribed", 120.0, 3)
    assert (discard.status, discard.progress_seconds, discard.segments) == ("cancelled", 0.0, [])
    page = browser.get(f"/recordings/{keep.id}").get_data(as_text=True)
    assert "Transcription was stopped at 2:00 of 10:00" in page
    assert "Transcribe the rest" in page
    assert rules.can_review(keep)

    browser.post(f"/recordings/{keep.id}/carry-on")
    db.session.refresh(keep)
    assert (keep.status, keep.progress_seconds, len(keep.segments)) == ("queued", 120.0, 3)
    assert queued == [keep.id]


@pytest.mark.parametrize("status", ["transcribed", "accepted", "failed", "erased"])
def test_only_a_waiting_or_running_transcription_can_be_stopped(app, users, client_as, status):
    advocate = users["advocate"]
    recording = recording_for(make_narrative(advocate), advocate, status=status)

    response = client_as("advocate").post(
        f"/recordings/{recording.id}/stop", data={"keep": "yes"}, follow_redirects=True
    )

    assert "Only a recording that is waiting or being transcribed can be stopped" in (
        response.get_data(as_text=True)
    )
    db.session.refresh(recording)
    assert recording.status == status


def test_only_those_who_may_change_the_recording_can_stop_it(app, users, client_as):
    advocate = users["advocate"]
    recording = recording_for(make_narrative(advocate), advocate)
    for role in ("board", "facilitator"):
        response = client_as(role).post(f"/recordings/{recording.id}/stop", data={"keep": "no"})
        assert response.status_code in (403, 404)
    db.session.refresh(recording)
    assert recording.status == "queued"


def test_short_jobs_are_taken_before_waiting_transcriptions():
    """Priorities, as the queue's storage orders them."""
    from narrative_service import erasure
    from narrative_service.milestones import tasks as milestone_tasks
    from narrative_service.themes import tasks as theme_tasks

    assert tasks.transcribe_recording.settings["default_priority"] == LONG_JOB
    for short in (
        theme_tasks.suggest_for_subject,
        theme_tasks.suggest_for_narrative,
        erasure.vacuum_tables,
        milestone_tasks.send_daily_digest,
    ):
        assert short.settings["default_priority"] == SHORT_JOB, short.name
    assert SHORT_JOB > LONG_JOB


def test_a_second_transcription_in_one_worker_waits_and_leaves_its_thread_free(app, monkeypatch):
    """While one thread transcribes, another given a transcription puts it back for later
    instead of starting a second model run (memory) or blocking (short jobs would wait)."""
    started, release = threading.Event(), threading.Event()
    done: list[str] = []

    def slow(recording_id):
        started.set()
        release.wait(10)
        return "done"

    monkeypatch.setattr(rules, "transcribe", slow)
    monkeypatch.setattr(tasks, "_slots", None)
    scheduled: list[tuple] = []
    monkeypatch.setattr(
        tasks.transcribe_recording, "schedule", lambda args, delay: scheduled.append((args, delay))
    )
    call = tasks.transcribe_recording.call_local
    first = threading.Thread(target=lambda: done.append(call(1)))
    first.start()
    assert started.wait(10)

    assert call(2) == "waiting"
    assert scheduled == [((2,), tasks.WAIT_SECONDS)]
    release.set()
    first.join(10)
    assert done == ["done"]


def test_the_real_worker_stops_keeps_what_it_saved_and_carries_on_from_there(service_env, tmp_path):
    database, narrative_id = narrative_of_the_service_user(service_env)
    audio = speak(STORY * 2, tmp_path / "interview.wav").read_bytes()

    log_path = tmp_path / "service.log"
    port = free_port()
    service = start_service(service_env, port, log_path)
    try:
        browser = Browser(port)
        browser.sign_in("adv@example.nhs.uk")
        upload = f"/narratives/{narrative_id}/recordings/new"
        fields = {"csrf_token": browser.token(upload), "speaker": "narrator"}
        assert browser.upload(upload, fields, "interview.wav", audio)[0] == 302
        wait_for(
            lambda: one_row(database, "SELECT COUNT(*) FROM transcript_segments")[0] >= 1,
            120,
            "the worker saved its first segments",
            log_path,
        )
        page = "/recordings/1"
        assert browser.post("/recordings/1/stop", {"keep": "yes"}, token_from=page)[0] == 302
        wait_for(
            lambda: "no longer this worker's to transcribe: stopped" in log_path.read_text(),
            120,
            "the worker stopped",
            log_path,
        )
        status, reached, duration = one_row(
            database, "SELECT status, progress_seconds, duration_seconds FROM recordings"
        )
        kept = one_row(database, "SELECT COUNT(*) FROM transcript_segments")[0]
        assert status == "transcribed" and kept >= 1 and 0 < reached < duration

        assert browser.post("/recordings/1/carry-on", {}, token_from=page)[0] == 302
        wait_for(
            lambda: one_row(database, "SELECT status FROM recordings")[0] == "transcribed",
            180,
            "the rest was transcribed",
            log_path,
        )
        (reached_now,) = one_row(database, "SELECT progress_seconds FROM recordings")
        assert reached_now >= duration - 1
        with sqlite3.connect(database) as connection:
            rows = connection.execute(
                "SELECT position, start_seconds, machine_text FROM transcript_segments "
                "ORDER BY position"
            ).fetchall()
        assert [row[0] for row in rows] == list(range(len(rows)))
        starts = [row[1] for row in rows]
        assert starts == sorted(starts), "carried on after what it kept, not over it"
        assert len(rows) > kept
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(timeout=60)


def test_the_queue_orders_by_priority_in_its_storage(tmp_path):
    """The SQLite queue the embedded default uses takes a short job before a waiting
    transcription queued earlier."""
    from huey import SqliteHuey

    store = SqliteHuey("order", filename=str(tmp_path / "queue.db"))
    ran: list[str] = []

    @store.task(priority=LONG_JOB)
    def long_job():
        ran.append("transcription")

    @store.task(priority=SHORT_JOB)
    def short_job():
        ran.append("suggestions")

    long_job()
    short_job()
    while (task := store.dequeue()) is not None:
        store.execute(task)
    assert ran == ["suggestions", "transcription"]
