"""The transcription queue as people see it: where a recording stands, and stopping one.

Recordings are transcribed in the order they were uploaded, one at a time per worker
(TRANSCRIPTIONS_PER_WORKER), while the worker's other threads keep running the short jobs
(theme suggestions, erasure, the digest) ahead of any transcription waiting: see tasks.py.

A person may stop a recording that is waiting or being transcribed. Stopping one that is
being transcribed either keeps what is done (the transcript so far can be reviewed and
accepted, and the rest transcribed later, from where it stopped) or discards it. The worker
notices at its next save (every piece of TRANSCRIPTION_PIECE_SECONDS of sound) and keeps
nothing more: every save it makes is conditional on the recording still being its own.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from ..audit.rules import record
from ..auth.models import User
from ..errors import DomainError
from ..extensions import db
from ..timeutil import utcnow
from ..units import clock
from .models import Recording, TranscriptSegment

WAITING = ("queued", "transcribing")
# A recording whose transcript reaches less than this short of its end was stopped early.
END_TOLERANCE_SECONDS = 1.0


def place_in_queue(recording: Recording) -> dict:
    """How many recordings are ahead of a waiting one, and how many are being transcribed."""
    if recording.status != "queued":
        return {"ahead": 0, "transcribing": 0}
    ahead = db.session.scalar(
        select(func.count())
        .select_from(Recording)
        .where(Recording.status == "queued", Recording.id < recording.id)
    )
    transcribing = db.session.scalar(
        select(func.count()).select_from(Recording).where(Recording.status == "transcribing")
    )
    return {"ahead": int(ahead or 0), "transcribing": int(transcribing or 0)}


def stopped_early(recording: Recording) -> bool:
    """A transcript a person stopped part-way: ready to review, with sound left after it."""
    duration = recording.duration_seconds or 0.0
    return (
        recording.status in ("transcribed", "cancelled")
        and duration > 0
        and recording.progress_seconds < duration - END_TOLERANCE_SECONDS
        and recording.purpose == "interview"
    )


def stopped_note(recording: Recording) -> str:
    if recording.status == "cancelled":
        return "Transcription was stopped and nothing was kept. Transcribe it to start again."
    if not stopped_early(recording):
        return ""
    reached, duration = clock(recording.progress_seconds), clock(recording.duration_seconds)
    return (
        f"Transcription was stopped at {reached} of {duration}: the transcript below ends "
        "there. Transcribe the rest to carry on from that point."
    )


def stop(recording: Recording, *, keep: bool, by: User) -> str:
    """Stop a recording waiting or being transcribed; returns what the person is told."""
    if recording.status not in WAITING:
        raise DomainError(
            "Only a recording that is waiting or being transcribed can be stopped; this one "
            f"is {recording.status}."
        )
    was = recording.status
    segments = db.session.scalar(
        select(func.count())
        .select_from(TranscriptSegment)
        .where(TranscriptSegment.recording_id == recording.id)
    )
    kept = keep and was == "transcribing" and bool(segments)
    values = {
        "status": "transcribed" if kept else "cancelled",
        "claimed_by": "",
        "lease_expires_at": None,
        "finished_at": utcnow() if kept else None,
    }
    if not kept:
        values.update(progress_seconds=0.0, processing_seconds=0.0)
    # Only if it is still as it was read: a worker finishing at this moment wins.
    changed = db.session.execute(
        update(Recording)
        .where(Recording.id == recording.id, Recording.status == was)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        raise DomainError("The transcription finished or changed just now: nothing was stopped.")
    if not kept:
        db.session.execute(
            delete(TranscriptSegment).where(TranscriptSegment.recording_id == recording.id)
        )
    db.session.refresh(recording)
    record("recording.stop", user_id=by.id, subject=recording, kept=kept, was=was)
    if kept:
        return (
            f"Transcription stopped at {clock(recording.progress_seconds)}: what was "
            "transcribed is kept for review."
        )
    if was == "queued":
        return "Taken out of the queue: it will not be transcribed."
    return "Transcription stopped, and what had been transcribed is discarded."


def carry_on(recording: Recording, *, by: User) -> None:
    """Queue a stopped recording again: from where it stopped, or from the start."""
    if not (recording.status == "cancelled" or stopped_early(recording)):
        raise DomainError("Only a recording whose transcription was stopped can carry on.")
    recording.status = "queued"
    recording.claimed_by = ""
    recording.lease_expires_at = None
    recording.failure_reason = ""
    record("recording.resume", user_id=by.id, subject=recording, at=recording.progress_seconds)
