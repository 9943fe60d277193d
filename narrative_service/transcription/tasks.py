"""Background jobs for transcription (Huey). The work itself is in rules.transcribe."""

from __future__ import annotations

import logging
import threading

from flask import current_app
from huey import crontab

from ..jobs import LONG_JOB, app_context, huey
from . import rules

log = logging.getLogger(__name__)

# How long a transcription that finds this process's slots taken waits before it asks again.
WAIT_SECONDS = 15

_slots: threading.BoundedSemaphore | None = None
_slots_lock = threading.Lock()


def _transcription_slots() -> threading.BoundedSemaphore:
    """This process's transcriptions at once (TRANSCRIPTIONS_PER_WORKER, default 1): each
    holds a model's working memory, and two on two cores are no faster than one."""
    global _slots
    with _slots_lock:
        if _slots is None:
            at_once = max(1, int(current_app.config.get("TRANSCRIPTIONS_PER_WORKER") or 1))
            _slots = threading.BoundedSemaphore(at_once)
        return _slots


@huey.task(priority=LONG_JOB)
def transcribe_recording(recording_id: int) -> str:
    with app_context():
        slots = _transcription_slots()
        if not slots.acquire(blocking=False):
            # Another thread of this worker is transcribing: leave this thread to short jobs
            # and come back to the recording once the one before it may be done.
            transcribe_recording.schedule((recording_id,), delay=WAIT_SECONDS)
            return "waiting"
        try:
            return rules.transcribe(recording_id)
        finally:
            slots.release()


def queue_transcription(recording_id: int) -> None:
    """Queue a recording that has been stored and committed."""
    transcribe_recording(recording_id)


def queue_unfinished(*, include_queued: bool) -> int:
    """Queue recordings whose worker stopped before finishing (and, at start, queued ones).

    Queuing one twice is harmless: only one worker can claim it, the other skips it.
    """

    with app_context():
        ids = rules.unfinished_recording_ids(include_queued=include_queued)
    for recording_id in ids:
        transcribe_recording(recording_id)
    if ids:
        log.info("Queued %d unfinished recording(s) again: %s", len(ids), ids)
    return len(ids)


@huey.periodic_task(crontab(minute="*"))
def resume_abandoned_transcriptions() -> int:
    # Another machine's worker may have died mid-way: its claim lapses, and this picks it up.
    return queue_unfinished(include_queued=False)
