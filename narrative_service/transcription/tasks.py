"""Background jobs for transcription (Huey). The work itself is in rules.transcribe."""

from __future__ import annotations

import logging

from huey import crontab

from ..jobs import app_context, huey
from . import rules

log = logging.getLogger(__name__)


@huey.task()
def transcribe_recording(recording_id: int) -> str:
    with app_context():
        return rules.transcribe(recording_id)


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
