"""From a recording on disk to transcript segments: the one path the worker and the CLI share.

The sound is read a piece at a time (see audio.pieces) and each piece is given to the
engine; every segment is handed on as soon as the engine makes it, with how far through
the recording it reaches, so progress is real and an interrupted run can resume there.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import audio, speakers
from .engines import Engine, EngineSettings, TranscribedSegment, engine_for

SegmentCallback = Callable[[TranscribedSegment], None]
PieceCallback = Callable[[float], None]  # seconds of the recording now transcribed


def transcribe_pieces(
    path: Path,
    engine: Engine,
    start_seconds: float = 0.0,
    on_segment: SegmentCallback | None = None,
    on_piece_done: PieceCallback | None = None,
    chunk_seconds: float = audio.CHUNK_SECONDS,
) -> None:
    """Transcribe `path` from start_seconds to its end.

    Raises audio.UnreadableAudio, audio.DamagedAudio (after handing on everything before
    the damage) or engines.TranscriptionFailed.
    """
    engine.load()
    for offset, samples in audio.pieces(path, start_seconds, chunk_seconds):
        for segment in engine.segments(samples, offset):
            if on_segment is not None:
                on_segment(segment)
        if on_piece_done is not None:
            on_piece_done(offset + samples.size / audio.SAMPLE_RATE)


def speaker_labels(
    path: Path,
    spans: Sequence[tuple[float, float]],
    count: int | None = None,
    piece_seconds: float = audio.CHUNK_SECONDS,
) -> list[int]:
    """A speaker number (0 first) for each (start, end) of a recording on disk."""
    voices: list = [None] * len(spans)
    order = sorted(range(len(spans)), key=lambda n: spans[n][0])
    next_span = 0
    for offset, samples in audio.pieces(path, chunk_seconds=piece_seconds):
        end_of_piece = offset + samples.size / audio.SAMPLE_RATE
        while next_span < len(order):
            n = order[next_span]
            start, end = spans[n]
            if (start + end) / 2 >= end_of_piece:
                break  # in a later piece
            voices[n] = speakers.voice_of(
                samples, max(0.0, start - offset), min(end, end_of_piece) - offset
            )
            next_span += 1
    return speakers.speakers_of(voices, spans, count)


@dataclass
class FileTranscript:
    path: str
    engine: str
    model: str
    duration: float = 0.0
    processing_seconds: float = 0.0  # transcribing only; loading the model is apart
    speaker_seconds: float = 0.0  # telling the voices apart, after transcribing
    model_load_seconds: float = 0.0
    segments: list[TranscribedSegment] = field(default_factory=list)
    damaged_after: float | None = None
    speakers: list[int] = field(default_factory=list)  # each segment's, 0 first; [] if not told

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments)

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "text": self.text,
            "segments": [
                {
                    "start": round(s.start, 3),
                    "end": round(s.end, 3),
                    "text": s.text,
                    "avg_logprob": round(s.avg_logprob, 4),
                    **({"speaker": f"Speaker {self.speakers[n] + 1}"} if self.speakers else {}),
                }
                for n, s in enumerate(self.segments)
            ],
            "speakers": len(set(self.speakers)) if self.speakers else None,
            "duration": round(self.duration, 3),
            "engine": self.engine,
            "model": self.model,
            "processing_seconds": round(self.processing_seconds, 3),
            "model_load_seconds": round(self.model_load_seconds, 3),
            "speaker_seconds": round(self.speaker_seconds, 3),
            "damaged_after": self.damaged_after,
        }


def transcribe_file(
    path: Path,
    settings: EngineSettings,
    on_segment: SegmentCallback | None = None,
    *,
    separate_speakers: bool = False,
    speaker_count: int | None = None,
) -> FileTranscript:
    """Transcribe a whole file outside the database (the `transcribe` command, benchmarks);
    with `separate_speakers`, tell the voices apart too (`speaker_count` fixes how many)."""
    path = Path(path)
    audio.probe(path)
    engine = engine_for(settings)
    result = FileTranscript(path=str(path), engine=engine.name, model=engine.model_name)

    def keep(segment: TranscribedSegment) -> None:
        result.segments.append(segment)
        if on_segment is not None:
            on_segment(segment)

    def reached(seconds: float) -> None:
        result.duration = seconds

    loading = time.perf_counter()
    engine.load()
    result.model_load_seconds = time.perf_counter() - loading
    started = time.perf_counter()
    try:
        transcribe_pieces(path, engine, on_segment=keep, on_piece_done=reached)
    except audio.DamagedAudio as damaged:
        result.damaged_after = damaged.readable_seconds
        result.duration = damaged.readable_seconds
    result.processing_seconds = time.perf_counter() - started
    if separate_speakers and result.segments:
        separating = time.perf_counter()
        spans = [(s.start, s.end) for s in result.segments]
        result.speakers = speaker_labels(path, spans, speaker_count)
        result.speaker_seconds = time.perf_counter() - separating
    return result
