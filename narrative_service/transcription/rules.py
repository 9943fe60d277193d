"""Recordings and their transcripts: the rules the pages, the CLI and the worker all follow.

A recording is stored whole (fsynced and checksummed) before it is queued. A worker claims
it, transcribes it a piece at a time and saves each segment with how far it has reached,
so a worker killed mid-way is followed by one that resumes where it stopped, and the job
completes exactly once. Failures are kept with a reason in plain words and can be retried.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from ..audit.rules import add_and_record, record
from ..auth.models import User
from ..database import rows
from ..errors import DomainError
from ..extensions import db
from ..timeutil import as_utc, utcnow
from ..units import size_label
from . import audio, queue, separation, storage, vocabulary
from .engines import Engine, EngineSettings, TranscribedSegment, TranscriptionFailed, engine_for
from .models import SPEAKERS, Recording, TranscriptSegment, speaker_label
from .owners import owner_of
from .pipeline import transcribe_pieces

log = logging.getLogger(__name__)

STATUS_LABELS = {
    "queued": "Waiting to be transcribed",
    "transcribing": "Transcribing",
    "transcribed": "Ready to review",
    "accepted": "Accepted",
    "failed": "Could not be transcribed",
    "cancelled": "Stopped",
    "erased": "Erased (consent withdrawn)",
}
FINISHED = ("transcribed", "accepted", "erased")
# Segments or words Whisper was unsure of are marked for the reviewer.
LOW_CONFIDENCE_LOGPROB = -1.0
LOW_CONFIDENCE_WORD = 0.5
MAX_FILENAME = 255


def media_path(recording: Recording) -> Path:
    return Path(current_app.config["MEDIA_DIR"]) / recording.stored_path


def served_media_type(recording: Recording) -> str | None:
    """The type the recording's file is served with: one this service gave it when it was
    probed, or (for a recording kept before types were probed) what probing says now."""
    if recording.content_type in audio.MEDIA_TYPES:
        return recording.content_type
    try:
        return audio.probe(media_path(recording)).media_type
    except audio.UnreadableAudio:
        return None


# ------------------------------------------------------------------ storing


def add_recording(
    narrative,
    upload_stream,
    filename: str,
    *,
    by: User,
    purpose: str = "interview",
    speaker: str = "narrator",
    reflection_session=None,
) -> Recording:
    """Keep an uploaded recording of a narrative (or of a reflection session, with
    narrative None); the caller commits, then queues it.

    Raises DomainError (field "recording") when the file cannot be used: nothing is kept.
    """
    if narrative is not None and narrative.is_withdrawn:
        raise DomainError(
            "Consent for this narrative was withdrawn: no recordings can be added.", "recording"
        )
    if narrative is None and reflection_session is None:
        raise ValueError("a recording belongs to a narrative or a reflection session")
    if speaker not in SPEAKERS:
        raise DomainError("Choose who is speaking in the recording.", "speaker")
    if upload_stream is None or not filename:
        raise DomainError("Choose a recording to upload.", "recording")
    suffix = Path(filename).suffix.lower()[:10]
    stored = storage.keep(
        upload_stream, current_app.config["MEDIA_DIR"], suffix, subfolder="recordings"
    )
    path = Path(current_app.config["MEDIA_DIR"]) / stored.relative_path
    limit_mb = current_app.config.get("MAX_UPLOAD_MB", 2048)
    if stored.size_bytes > limit_mb * 1024 * 1024:
        path.unlink(missing_ok=True)
        raise DomainError(
            f"The recording is larger than the limit of {size_label(limit_mb)}. "
            "Split it into parts and upload each.",
            "recording",
        )
    try:
        info = audio.probe(path)
    except audio.UnreadableAudio as unreadable:
        path.unlink(missing_ok=True)
        raise DomainError(unreadable.message, "recording") from None
    recording = Recording(
        narrative_id=narrative.id if narrative is not None else None,
        reflection_session_id=reflection_session.id if reflection_session is not None else None,
        stored_path=stored.relative_path,
        original_filename=Path(filename).name[-MAX_FILENAME:],
        # What the file is, as probed: the uploader's claimed type is never kept.
        content_type=info.media_type or "application/octet-stream",
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
        duration_seconds=info.duration_seconds,
        purpose=purpose,
        speaker=speaker,
        status="queued",
        created_by_id=by.id,
    )
    return add_and_record(
        recording,
        "recording.upload",
        by=by,
        narrative=narrative.id if narrative is not None else None,
        reflection_session=reflection_session.id if reflection_session is not None else None,
        bytes=stored.size_bytes,
        purpose=purpose,
    )


def retry(recording: Recording, *, by: User) -> None:
    if recording.status != "failed":
        raise DomainError("Only a recording that could not be transcribed can be tried again.")
    recording.status = "queued"
    recording.failure_reason = ""
    recording.claimed_by = ""
    recording.lease_expires_at = None
    record("recording.retry", user_id=by.id, subject=recording)


# ------------------------------------------------------------------ the worker's side


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claimer_is_gone(claimed_by: str) -> bool:
    """True when the claim belongs to a process on this machine that no longer runs."""
    host, _, pid = claimed_by.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False  # this process: a thread of ours still holds it
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def is_claimable(recording: Recording, now: datetime | None = None) -> bool:
    now = now or utcnow()
    if recording.status == "queued":
        return True
    if recording.status != "transcribing":
        return False
    lease = recording.lease_expires_at
    return lease is None or as_utc(lease) < now or _claimer_is_gone(recording.claimed_by)


def claim(recording: Recording, worker: str, lease_seconds: float) -> bool:
    """Take the recording for this worker, or return False if another holds it.

    A compare-and-set on status and claimant: of two workers that try at once, one wins.
    """
    if not is_claimable(recording):
        return False
    now = utcnow()
    taken = db.session.execute(
        update(Recording)
        .where(
            Recording.id == recording.id,
            Recording.status == recording.status,
            Recording.claimed_by == recording.claimed_by,
        )
        .values(
            status="transcribing",
            claimed_by=worker,
            lease_expires_at=now + timedelta(seconds=lease_seconds),
            started_at=func.coalesce(Recording.started_at, now),
            attempts=Recording.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if taken.rowcount != 1:
        return False
    db.session.refresh(recording)
    return True


class NoLongerWanted(Exception):
    """The recording was erased (consent withdrawn) or taken by another worker mid-way."""


def transcribe(
    recording_id: int,
    *,
    worker: str | None = None,
    engine: Engine | None = None,
) -> str:
    """Transcribe one recording to the end, resuming where an earlier attempt stopped.

    Returns what happened, in a word: done, failed, stopped (erased or taken over while
    this worker had it), skipped (finished already or held by another worker), or missing.
    """
    config = current_app.config
    lease_seconds = float(config.get("TRANSCRIPTION_LEASE_SECONDS", 120))
    piece_seconds = float(config.get("TRANSCRIPTION_PIECE_SECONDS", audio.CHUNK_SECONDS))
    worker = worker or worker_identity()
    recording = db.session.get(Recording, recording_id)
    if recording is None:
        return "missing"
    if not claim(recording, worker, lease_seconds):
        return "skipped"
    log.info("Transcribing recording %s from %.1f s", recording.id, recording.progress_seconds)
    try:
        path = media_path(recording)
        if not path.is_file():
            raise TranscriptionFailed("The recording's file is missing from the media folder.")
        if storage.sha256_of(path) != recording.sha256:
            raise TranscriptionFailed(
                "The stored file no longer matches the checksum taken when it was uploaded: "
                "it has been changed or damaged on disk. Upload the recording again."
            )
        settings = vocabulary.settings_with_word_list(EngineSettings.from_config(config))
        engine = engine or engine_for(settings)
        work = _Work(recording, worker, lease_seconds)
        work.engine_name, work.model_name = engine.name, engine.model_name[:200]
        _transcribe_from_where_it_stopped(work, path, engine, piece_seconds)
        if work.purpose == "interview" and config.get("SEPARATE_SPEAKERS", True):
            _prefill_speakers(recording_id, path, work.speaker, piece_seconds)
        work.finish(transcript_text)
    except NoLongerWanted:
        db.session.rollback()
        log.info("Recording %s is no longer this worker's to transcribe: stopped", recording_id)
        return "stopped"
    except (audio.DamagedAudio, audio.UnreadableAudio, TranscriptionFailed) as failed:
        db.session.rollback()
        return _fail(recording_id, worker, failed.message)
    except Exception as error:
        log.exception("Transcribing recording %s failed", recording_id)
        db.session.rollback()
        return _fail(
            recording_id,
            worker,
            f"Something went wrong while transcribing ({type(error).__name__}). Try again; "
            "if it happens again, tell your administrator.",
        )
    log.info("Recording %s transcribed", recording_id)
    return "done"


class _Work:
    """One worker's hold on one recording. Every save is made only while the recording is
    still this worker's to transcribe: the segment rows and a conditional update of the
    recording go in one transaction, and if consent was withdrawn (the recording erased) or
    another worker took it over, nothing of it is kept (NoLongerWanted)."""

    def __init__(self, recording: Recording, worker: str, lease_seconds: float):
        self.recording_id = recording.id
        self.speaker = recording.speaker
        self.purpose = recording.purpose
        self.duration = recording.duration_seconds
        self.worker = worker
        self.lease_seconds = lease_seconds
        self.progress = recording.progress_seconds
        self.already = recording.processing_seconds
        self.started = time.perf_counter()
        self.engine_name = recording.engine
        self.model_name = recording.model_name

    def _still_mine(self, **values) -> None:
        # The update takes the recording's row (PostgreSQL) or the database (SQLite) before
        # the commit, so a withdrawal either happened before it (nothing matches) or waits
        # until it commits (and then erases what it saved).
        mine = db.session.execute(
            update(Recording)
            .where(
                Recording.id == self.recording_id,
                Recording.status == "transcribing",
                Recording.claimed_by == self.worker,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if mine.rowcount != 1:
            db.session.rollback()
            raise NoLongerWanted()

    def save(self, reached: float) -> None:
        """Commit what is pending (segments) with how far the work has reached."""
        self.progress = max(self.progress, reached)
        self._still_mine(
            progress_seconds=self.progress,
            processing_seconds=self.already + time.perf_counter() - self.started,
            lease_expires_at=utcnow() + timedelta(seconds=self.lease_seconds),
            engine=self.engine_name,
            model_name=self.model_name,
        )
        db.session.commit()

    def finish(self, text_of) -> None:
        values = {
            "status": "transcribed",
            "claimed_by": "",
            "lease_expires_at": None,
            "finished_at": utcnow(),
        }
        if self.duration is None or self.duration < 1:
            values["duration_seconds"] = self.progress
        if self.purpose == "turn":
            # A spoken chat turn: its words go straight into the turn, which can be edited.
            values.update(status="accepted", accepted_at=utcnow())
        self._still_mine(**values)
        recording = db.session.get(Recording, self.recording_id, populate_existing=True)
        if self.purpose == "turn":
            owner, _ = owner_of(recording)
            if owner.fill_spoken_turn is not None:
                owner.fill_spoken_turn(recording, text_of(recording))
        db.session.commit()


def _transcribe_from_where_it_stopped(
    work: _Work, path: Path, engine: Engine, piece_seconds: float
) -> None:
    position = db.session.scalar(
        select(func.count())
        .select_from(TranscriptSegment)
        .where(TranscriptSegment.recording_id == work.recording_id)
    )

    def on_segment(segment: TranscribedSegment) -> None:
        nonlocal position
        # Saved together with how far the work has reached: after a crash the next attempt
        # starts at the end of the last saved segment, so no segment is saved twice.
        db.session.add(_segment_row(work, position, segment))
        position += 1
        work.save(segment.end)

    engine.load()
    transcribe_pieces(
        path,
        engine,
        start_seconds=work.progress,
        on_segment=on_segment,
        on_piece_done=work.save,
        chunk_seconds=piece_seconds,
    )


def _prefill_speakers(recording_id: int, path: Path, main: str, piece_seconds: float) -> None:
    """Who spoke each segment, from the voices, for a person to confirm; saved with the
    finished transcript (or not at all). A failure here costs the guess, not the transcript."""
    segments = rows(
        select(TranscriptSegment)
        .where(TranscriptSegment.recording_id == recording_id)
        .order_by(TranscriptSegment.position)
    )
    try:
        told = separation.prefill(segments, path, main, piece_seconds=piece_seconds)
    except (audio.DamagedAudio, ValueError) as failed:
        log.warning("Speakers of recording %s not told apart: %s", recording_id, failed)
        return
    log.info("Recording %s: %d speaker(s) told apart by their voices", recording_id, told)


def _segment_row(work: _Work, position: int, segment: TranscribedSegment):
    return TranscriptSegment(
        recording_id=work.recording_id,
        position=position,
        start_seconds=segment.start,
        end_seconds=segment.end,
        machine_text=segment.text,
        speaker=work.speaker,
        avg_logprob=segment.avg_logprob,
        no_speech_prob=segment.no_speech_prob,
        words=[
            {"word": w.word, "start": w.start, "end": w.end, "probability": w.probability}
            for w in segment.words
        ],
    )


def _fail(recording_id: int, worker: str, reason: str) -> str:
    """Keep the reason with the recording, unless it is no longer this worker's."""
    log.info("Recording %s could not be transcribed: %s", recording_id, reason)
    failed = db.session.execute(
        update(Recording)
        .where(
            Recording.id == recording_id,
            Recording.status == "transcribing",
            Recording.claimed_by == worker,
        )
        .values(
            status="failed",
            failure_reason=reason,
            claimed_by="",
            lease_expires_at=None,
            finished_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return "failed" if failed.rowcount == 1 else "stopped"


def unfinished_recording_ids(*, include_queued: bool = True) -> list[int]:
    """Recordings a worker should (re)start: claimed by a worker that is gone, and queued."""
    statuses = ("queued", "transcribing") if include_queued else ("transcribing",)
    candidates = db.session.scalars(select(Recording).where(Recording.status.in_(statuses)))
    return [recording.id for recording in candidates if is_claimable(recording)]


# ------------------------------------------------------------------ progress and review


def progress(recording: Recording) -> dict[str, Any]:
    """What the progress bar shows: share of the audio processed and time remaining."""
    duration = recording.duration_seconds or 0.0
    done = min(recording.progress_seconds, duration) if duration else recording.progress_seconds
    if recording.status in FINISHED:
        done = duration or done
    share = (done / duration) if duration else (1.0 if recording.status in FINISHED else 0.0)
    remaining = None
    if recording.status == "transcribing" and done > 0 and recording.processing_seconds > 0:
        remaining = max(0.0, (duration - done) * recording.processing_seconds / done)
    return {
        "id": recording.id,
        "status": recording.status,
        "status_label": STATUS_LABELS.get(recording.status, recording.status),
        "processed_seconds": round(done, 1),
        "duration_seconds": round(duration, 1),
        "percent": round(100 * min(1.0, share), 1),
        "seconds_remaining": None if remaining is None else round(remaining),
        "failure_reason": recording.failure_reason,
        "finished": recording.status in (*FINISHED, "failed", "cancelled"),
        **queue.place_in_queue(recording),
        "stopped_note": queue.stopped_note(recording),
    }


def interview_recordings(narrative) -> list[Recording]:
    """Whole recordings uploaded for a narrative (spoken turns show in the conversation)."""
    return rows(
        select(Recording)
        .where(Recording.narrative_id == narrative.id, Recording.purpose == "interview")
        .order_by(Recording.created_at)
    )


def segments_of(recording: Recording) -> list[TranscriptSegment]:
    return rows(
        select(TranscriptSegment)
        .where(TranscriptSegment.recording_id == recording.id)
        .order_by(TranscriptSegment.position)
    )


@dataclass
class Passage:
    """What one speaker said between two changes of speaker: the words of consecutive
    segments by the same speaker (the same named other, for "other")."""

    speaker: str  # narrator | facilitator | other
    speaker_name: str | None
    parts: list[str]

    @property
    def label(self) -> str:
        return speaker_label(self.speaker, self.speaker_name)

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def by_speaker(segments) -> list[Passage]:
    """The transcript speaker by speaker, in order: a new passage at each change of speaker,
    leaving out segments with no words."""
    passages: list[Passage] = []
    for segment in segments:
        words = segment.text.strip()
        if not words:
            continue
        name = segment.speaker_name if segment.speaker == "other" else None
        if passages and (passages[-1].speaker, passages[-1].speaker_name) == (
            segment.speaker,
            name,
        ):
            passages[-1].parts.append(words)
        else:
            passages.append(Passage(segment.speaker, name, [words]))
    return passages


def is_low_confidence(segment: TranscriptSegment) -> bool:
    return segment.avg_logprob is not None and segment.avg_logprob < LOW_CONFIDENCE_LOGPROB


def unsure_words(segment: TranscriptSegment) -> list[str]:
    return [
        w["word"] for w in (segment.words or []) if w.get("probability", 1) < LOW_CONFIDENCE_WORD
    ]


def doubts(segment: TranscriptSegment) -> tuple[bool, list[str]]:
    """What the reviewer is asked to check: whether the machine was unsure of the segment,
    and of which words. Nothing once a person has corrected or confirmed it (what the
    machine was sure of is still stored with the words)."""
    if segment.is_reviewed:
        return False, []
    return is_low_confidence(segment), unsure_words(segment)


def transcript_text(recording: Recording) -> str:
    return " ".join(s.text for s in segments_of(recording) if s.text.strip())


def can_review(recording: Recording) -> bool:
    return recording.status == "transcribed" or (
        recording.status == "failed" and bool(segments_of(recording))
    )


def accept(recording: Recording, *, by: User) -> int:
    """Place the reviewed transcript in its narrative as turns, or in its reflection
    session's record; returns how many turns or passages were added."""
    if recording.status == "accepted":
        raise DomainError("This transcript is already accepted.")
    if not can_review(recording):
        raise DomainError("There is no transcript to accept yet.")
    owner, _ = owner_of(recording)
    added = owner.take_transcript(recording, segments_of(recording), by)
    recording.status = "accepted"
    recording.accepted_at = utcnow()
    record("recording.accept", user_id=by.id, subject=recording, turns=added)
    return added


def session_recordings(session) -> list[Recording]:
    return rows(
        select(Recording)
        .where(Recording.reflection_session_id == session.id)
        .order_by(Recording.created_at)
    )
