"""Consent withdrawn: the recordings of a narrative, their audio and their transcripts.

The audio files are deleted once the erasure commits; the transcript segments are deleted;
each recording stays as a row marked erased, with nothing that came from the upload, so
the conversation's record of a spoken turn, and the audit log, still point somewhere. A
worker transcribing one when it is erased stops at its next save and keeps nothing
(rules._Work). Recordings of reflection sessions are the staff's and are not touched.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select

from .. import erasure
from ..database import rows
from ..extensions import db
from .models import Recording, TranscriptSegment
from .rules import media_path

HOLDING = erasure.Holding(
    feature="transcription",
    erased={
        "recordings": (
            "stored_path",
            "original_filename",
            "content_type",
            "sha256",
            "failure_reason",
            "claimed_by",
        ),
        "transcript_segments": (
            "machine_text",
            "edited_text",
            "speaker",
            "speaker_name",
            "words",
        ),
    },
    kept={
        "recordings": {
            "purpose": "whether it was a spoken turn or an interview, from a fixed list",
            "speaker": "narrator or facilitator, from a fixed list",
            "status": "that it was erased",
            "engine": "which local speech-to-text engine was used",
            "model_name": "which model the engine ran",
        },
    },
    files="MEDIA_DIR/recordings: the narrative's audio files",
)


def erase_recordings(narrative, *, dry_run: bool = False) -> erasure.Counts:
    recordings = rows(
        select(Recording).where(
            Recording.narrative_id == narrative.id, Recording.status != "erased"
        )
    )
    ids = [recording.id for recording in recordings]
    segments = (
        db.session.scalar(
            select(func.count())
            .select_from(TranscriptSegment)
            .where(TranscriptSegment.recording_id.in_(ids))
        )
        if ids
        else 0
    )
    counts = {
        "recordings, with their audio files": len(recordings),
        "transcript segments": segments,
    }
    if dry_run or not ids:
        return counts
    erasure.delete_files_after_commit(
        [media_path(recording) for recording in recordings if recording.stored_path]
    )
    for recording in recordings:
        # The recording's row is changed first: a worker saving a segment waits for this
        # transaction, or its save finds the recording erased (rules._Work).
        recording.status = "erased"
        recording.stored_path = ""
        recording.original_filename = ""
        recording.content_type = ""
        recording.sha256 = ""
        recording.failure_reason = ""
        recording.claimed_by = ""
        recording.lease_expires_at = None
    db.session.flush()
    db.session.execute(
        delete(TranscriptSegment)
        .where(TranscriptSegment.recording_id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    for recording in recordings:
        db.session.expire(recording, ["segments"])
    return counts


def init_app() -> None:
    erasure.register(HOLDING, erase_recordings)
