"""Who spoke each segment of an interview, pre-filled from the sound for a person to confirm.

When a recording is transcribed, its segments' voices are told apart (speakers.py: acoustic
statistics of each segment, clustered; nothing is downloaded). The voice heard longest is
the speaker chosen at upload (the narrator, usually); the others become "Speaker 2",
"Speaker 3", in the order they first speak, and a person renames them ("Speaker 2" is the
daughter) on the speakers page. A segment a person has already reviewed keeps its speaker.

The sound is read again a piece at a time, so a two-hour recording is never in memory whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import audio
from .models import OTHER, TranscriptSegment
from .pipeline import speaker_labels


def prefill(
    segments: Sequence[TranscriptSegment],
    path: Path,
    main_speaker: str,
    count: int | None = None,
    piece_seconds: float = audio.CHUNK_SECONDS,
) -> int:
    """Give each segment not yet reviewed its speaker from the sound; returns how many
    speakers were told apart."""
    if not segments:
        return 0
    spans = [(s.start_seconds, max(s.end_seconds, s.start_seconds)) for s in segments]
    labels = speaker_labels(path, spans, count, piece_seconds)
    heard: dict[int, float] = {}
    for label, (start, end) in zip(labels, spans, strict=True):
        heard[label] = heard.get(label, 0.0) + end - start
    if len(heard) < 2:
        return len(heard)
    longest = max(heard, key=lambda label: heard[label])
    names: dict[int, str] = {}
    for label in labels:  # in order of first appearance
        if label != longest and label not in names:
            names[label] = f"Speaker {len(names) + 2}"
    for segment, label in zip(segments, labels, strict=True):
        if segment.reviewed_at is not None:
            continue
        if label == longest:
            segment.speaker, segment.speaker_name = main_speaker, None
        else:
            segment.speaker, segment.speaker_name = OTHER, names[label]
    return len(heard)
