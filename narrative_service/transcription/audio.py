"""Reading recordings: what a file holds, and its sound in pieces Whisper can take.

Any container FFmpeg reads (through PyAV, which bundles it): wav, mp3, m4a/aac, ogg/opus,
webm, flac, and the audio track of a video. Sound is decoded a piece at a time (five minutes
by default), so a two-hour interview never sits in memory whole, and a transcription that
was interrupted can start again where it stopped.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from ..errors import DomainError
from ..units import clock

SAMPLE_RATE = 16_000  # what Whisper listens at
CHUNK_SECONDS = 300.0  # five minutes: bounds the memory features and VAD take
# A piece ends at the quietest moment of its last few seconds, not in the middle of a word.
QUIET_SEARCH_SECONDS = 20.0
QUIET_WINDOW_SECONDS = 0.5

ACCEPTED_FORMATS = "wav, mp3, m4a or aac, ogg or opus, webm, flac, or a video with sound"
NOT_A_RECORDING = (
    "This file cannot be read as a recording: it may be another kind of file, or damaged or "
    f"cut short. Accepted: {ACCEPTED_FORMATS}."
)


class UnreadableAudio(DomainError):
    """The file cannot be used as a recording; the message says why in plain words."""


class DamagedAudio(DomainError):
    """The sound stops being readable part-way through."""

    def __init__(self, readable_seconds: float):
        self.readable_seconds = readable_seconds
        minutes, seconds = int(readable_seconds // 60), int(readable_seconds)
        if minutes > 1:
            part = f"the first {minutes} minutes were transcribed"
        elif minutes == 1:
            part = "the first minute was transcribed"
        elif seconds >= 1:
            part = (
                f"the first {seconds} seconds were transcribed"
                if seconds > 1
                else "the first second was transcribed"
            )
        else:
            part = "nothing before it could be transcribed"
        super().__init__(f"The recording is damaged after {clock(readable_seconds)}: {part}.")


# FFmpeg's name for a container: (type of its sound alone, type when it also has video).
# A recording is served with this type, never with the one the uploader's browser sent: a
# file that is both a WAV and a script must reach the browser as audio, and only as audio.
CONTAINER_MEDIA_TYPES = {
    "wav": ("audio/wav", "audio/wav"),
    "ogg": ("audio/ogg", "video/ogg"),
    "mp3": ("audio/mpeg", "audio/mpeg"),
    "flac": ("audio/flac", "audio/flac"),
    "aac": ("audio/aac", "audio/aac"),
    "aiff": ("audio/aiff", "audio/aiff"),
    "mov,mp4,m4a,3gp,3g2,mj2": ("audio/mp4", "video/mp4"),
    "matroska,webm": ("audio/webm", "video/webm"),
    "avi": ("video/x-msvideo", "video/x-msvideo"),
}
MEDIA_TYPES = frozenset(kind for pair in CONTAINER_MEDIA_TYPES.values() for kind in pair)


@dataclass(frozen=True)
class AudioInfo:
    container: str
    codec: str
    duration_seconds: float | None
    has_video: bool

    @property
    def media_type(self) -> str | None:
        """The type to serve the file with, from what it is; None for a container with no
        type of its own (it is then only ever downloaded)."""
        pair = CONTAINER_MEDIA_TYPES.get(self.container)
        if pair is None:
            return None
        return pair[1] if self.has_video else pair[0]


def probe(path: Path) -> AudioInfo:
    """What the file holds, or UnreadableAudio saying why it cannot be used."""
    path = Path(path)
    if not path.is_file():
        raise UnreadableAudio("The recording's file is missing from the media folder.")
    if path.stat().st_size == 0:
        raise UnreadableAudio("The file is empty (0 bytes). Choose the recording again.")
    try:
        container = av.open(str(path), mode="r", metadata_errors="ignore")
    except (av.error.InvalidDataError, av.error.FFmpegError, UnicodeDecodeError) as error:
        raise UnreadableAudio(NOT_A_RECORDING) from error
    with container:
        has_video = bool(container.streams.video)
        if not container.streams.audio:
            if has_video:
                raise UnreadableAudio("This video has no audio track, so there is nothing to hear.")
            raise UnreadableAudio(f"This file has no audio track. Accepted: {ACCEPTED_FORMATS}.")
        stream = container.streams.audio[0]
        duration = None
        if stream.duration is not None and stream.time_base is not None:
            duration = float(stream.duration * stream.time_base)
        elif container.duration is not None:
            duration = container.duration / av.time_base
        if not _first_frame_decodes(container, stream):
            raise UnreadableAudio(
                "This file's audio cannot be decoded: it may be damaged, or cut short before "
                "any sound."
            )
        return AudioInfo(
            container=container.format.name,
            codec=stream.codec_context.name,
            duration_seconds=duration,
            has_video=has_video,
        )


def _first_frame_decodes(container, stream) -> bool:
    try:
        for _frame in container.decode(stream):
            return True
    except (av.error.FFmpegError, ValueError):
        return False
    return False


def pieces(
    path: Path, start_seconds: float = 0.0, chunk_seconds: float = CHUNK_SECONDS
) -> Iterator[tuple[float, np.ndarray]]:
    """Yield (offset in seconds, mono float32 samples at 16 kHz) from start_seconds on.

    Raises DamagedAudio when the sound stops being readable part-way, after yielding
    everything before the damage.
    """
    buffer = _Samples(start_seconds)
    chunk = int(chunk_seconds * SAMPLE_RATE)
    for block in _decode(Path(path), start_seconds, buffer):
        buffer.append(block)
        while len(buffer) >= chunk + int(QUIET_SEARCH_SECONDS * SAMPLE_RATE):
            yield buffer.take(_quiet_cut(buffer.peek(chunk)))
    if len(buffer):
        yield buffer.take(len(buffer))
    if buffer.damaged:
        raise DamagedAudio(buffer.offset_seconds)


def _decode(path: Path, start_seconds: float, buffer: _Samples) -> Iterator[np.ndarray]:
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            stream = container.streams.audio[0]
            if start_seconds > 0:
                # Seek lands on or before the asked-for time; earlier samples are dropped below.
                container.seek(int(start_seconds * av.time_base), any_frame=False)
            skip_until = None
            try:
                for packet in container.demux(stream):
                    for frame in packet.decode():
                        if skip_until is None:
                            begins = (
                                float(frame.pts * frame.time_base)
                                if frame.pts is not None
                                else start_seconds
                            )
                            skip_until = max(0, int((start_seconds - begins) * SAMPLE_RATE))
                        for resampled in resampler.resample(frame):
                            samples = resampled.to_ndarray().reshape(-1)
                            if skip_until:
                                dropped = min(skip_until, samples.size)
                                samples = samples[dropped:]
                                skip_until -= dropped
                            if samples.size:
                                yield samples.astype(np.float32) / 32768.0
                for resampled in resampler.resample(None):
                    yield resampled.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
            except (av.error.FFmpegError, ValueError) as error:
                readable = buffer.end_seconds
                if readable <= start_seconds + 0.5 and start_seconds == 0:
                    raise UnreadableAudio(
                        "This file's audio cannot be decoded: it may be damaged."
                    ) from error
                buffer.damaged = True
                return
    except (av.error.InvalidDataError, av.error.FFmpegError) as error:
        raise UnreadableAudio(NOT_A_RECORDING) from error
    finally:
        del resampler
        gc.collect()  # PyAV's resampler holds memory until collected


class _Samples:
    """Decoded samples not yet handed on, and where they start."""

    def __init__(self, start_seconds: float):
        self.blocks: list[np.ndarray] = []
        self.size = 0
        self.offset_seconds = start_seconds
        self.damaged = False

    def __len__(self) -> int:
        return self.size

    @property
    def end_seconds(self) -> float:
        return self.offset_seconds + self.size / SAMPLE_RATE

    def append(self, block: np.ndarray) -> None:
        self.blocks.append(block)
        self.size += block.size

    def peek(self, count: int) -> np.ndarray:
        joined = np.concatenate(self.blocks) if len(self.blocks) > 1 else self.blocks[0]
        self.blocks = [joined]
        return joined[: count + int(QUIET_SEARCH_SECONDS * SAMPLE_RATE)]

    def take(self, count: int) -> tuple[float, np.ndarray]:
        joined = np.concatenate(self.blocks) if len(self.blocks) > 1 else self.blocks[0]
        taken, rest = joined[:count], joined[count:]
        self.blocks = [rest] if rest.size else []
        self.size = rest.size
        offset = self.offset_seconds
        self.offset_seconds += count / SAMPLE_RATE
        return offset, taken


def _quiet_cut(samples: np.ndarray) -> int:
    """The sample index, in the last QUIET_SEARCH_SECONDS, of the quietest half second."""
    window = int(QUIET_WINDOW_SECONDS * SAMPLE_RATE)
    search_from = max(0, samples.size - int(QUIET_SEARCH_SECONDS * SAMPLE_RATE) * 2)
    tail = samples[search_from:]
    usable = tail.size // window * window
    if usable == 0:
        return samples.size
    energy = np.square(tail[:usable]).reshape(-1, window).mean(axis=1)
    quietest = int(np.argmin(energy))
    return search_from + quietest * window + window // 2
