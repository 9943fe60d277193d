"""Recordings on disk and their transcripts."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from .models import Recording

log = logging.getLogger(__name__)


def media_path(recording: Recording) -> Path:
    return Path(current_app.config["MEDIA_DIR"]) / recording.stored_path


def erase_for_narrative(narrative) -> None:
    """Consent withdrawn: delete the audio files and the words transcribed from them."""
    recordings = db.session.scalars(select(Recording).where(Recording.narrative_id == narrative.id))
    for recording in recordings:
        path = media_path(recording)
        if path.exists():
            path.unlink()
        log.info("Erased recording %s after consent was withdrawn", recording.id)
        recording.status = "erased"
        recording.original_filename = ""
        for segment in recording.segments:
            segment.machine_text = ""
            segment.edited_text = None
            segment.words = []
