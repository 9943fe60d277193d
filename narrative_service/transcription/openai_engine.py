"""openai-whisper, the reference Whisper implementation, as a second speech-to-text engine.

It is an optional extra (WHISPER_ENGINE=openai-whisper): `pip install torch==2.13.0`, then
`pip install '.[openai-whisper]'`. Like the default engine it runs on this machine only and
never downloads a model. With WHISPER_MODEL empty it uses the bundled tiny.en, converted
once from faster-whisper's format into the cache folder (see convert.py).

Differences from faster-whisper: the sound is decoded in float32 with PyTorch on the CPU,
there is no voice-activity filter (the WHISPER_VAD setting is not used), and each piece of
the recording is transcribed whole before its segments are handed on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..config import default_instance_dir
from . import convert
from .engines import (
    BUNDLED_MODEL_NAME,
    EngineSettings,
    TranscribedSegment,
    TranscribedWord,
    TranscriptionFailed,
    register_engine,
)

INSTALL_HINT = "pip install torch==2.13.0, then pip install '.[openai-whisper]'"


def default_cache_dir() -> Path:
    """Where converted models are kept: the instance folder's models/."""
    return default_instance_dir() / "models"


def download_root() -> Path:
    """The folder openai-whisper keeps its models in (it is never downloaded into here)."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "whisper"


def _whisper():
    try:
        import torch  # noqa: F401
        import whisper
    except ImportError as error:
        raise TranscriptionFailed(
            "The openai-whisper engine is not installed on this machine (Python cannot import "
            f"{error.name}). Install it with: {INSTALL_HINT}. Or set WHISPER_ENGINE to "
            "faster-whisper."
        ) from error
    return whisper


@lru_cache(maxsize=4)
def _checkpoint_for(model: str, cache_dir: str) -> tuple[str, bytes | None]:
    """The .pt file to load for a WHISPER_MODEL setting, and its word-timing heads if known.

    Cached, so the bundled model's fingerprint is taken once per process, not per piece.
    """
    whisper = _whisper()
    if model == "":
        return str(convert.bundled_openai_checkpoint(Path(cache_dir))), None
    if model in whisper._MODELS:
        # openai-whisper's load_model would download a known name; only a copy that is
        # already on this machine is used, loaded by its path.
        named = download_root() / os.path.basename(whisper._MODELS[model])
        if named.is_file():
            return str(named), whisper._ALIGNMENT_HEADS[model]
        raise TranscriptionFailed(
            f"The Whisper model {model!r} is not on this machine, and models are never "
            f"downloaded. Put {named.name} in {download_root()}, set WHISPER_MODEL to the path "
            "of an openai-whisper .pt checkpoint, or leave it empty for the bundled tiny.en."
        )
    path = Path(model).expanduser()
    if path.is_file():
        return str(path), None
    if (path / "model.bin").is_file():
        # A faster-whisper (CTranslate2) model folder: converted once, like the bundled one.
        return str(convert.cached_openai_checkpoint(path, Path(cache_dir), path.name)), None
    raise TranscriptionFailed(
        f"The Whisper model {model!r} is not on this machine, and models are never "
        "downloaded. Set WHISPER_MODEL to the path of an openai-whisper .pt checkpoint or of a "
        "faster-whisper model folder, to an openai-whisper model name whose .pt file is in "
        f"{download_root()}, or leave it empty for the bundled tiny.en."
    )


@lru_cache(maxsize=2)
def _openai_whisper_model(checkpoint: str, known_alignment_heads: bytes | None, threads: int):
    import torch
    from whisper.model import ModelDimensions, Whisper

    if threads > 0:
        torch.set_num_threads(threads)
    # What whisper.load_model does for a path, plus the word-timing heads a converted
    # checkpoint carries (load_model leaves those at its default).
    stored = torch.load(checkpoint, map_location="cpu", weights_only=True)
    model = Whisper(ModelDimensions(**stored["dims"]))
    model.load_state_dict(stored["model_state_dict"])
    heads = stored.get("alignment_heads") or known_alignment_heads
    if heads:
        model.set_alignment_heads(heads)
    return model.eval()


class OpenAIWhisperEngine:
    """Transcribes with openai-whisper; the same interface as engines.FasterWhisperEngine."""

    name = "openai-whisper"

    def __init__(self, settings: EngineSettings, cache_dir: Path | None = None):
        self.settings = settings
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        # What people are told: the bundled model by name, never a path on this machine.
        self.model_name = settings.model or BUNDLED_MODEL_NAME

    def load(self) -> Any:
        """Load the model now (once per process), or raise TranscriptionFailed saying why."""
        _whisper()  # say plainly when the extra is not installed, before anything else
        try:
            checkpoint, heads = _checkpoint_for(self.settings.model, str(self.cache_dir))
        except OSError as error:
            raise TranscriptionFailed(
                f"The Whisper model {self.model_name!r} could not be made ready for openai-whisper "
                f"in the folder {self.cache_dir} ({error.strerror or type(error).__name__})."
            ) from error
        try:
            return _openai_whisper_model(checkpoint, heads, self.settings.threads)
        except Exception as error:  # torch.load and load_state_dict raise many kinds
            raise TranscriptionFailed(
                f"The Whisper model {self.model_name!r} could not be loaded by openai-whisper "
                f"({type(error).__name__}). Set WHISPER_MODEL to an openai-whisper .pt "
                "checkpoint, or leave it empty for the bundled tiny.en."
            ) from error

    def segments(self, samples: np.ndarray, offset: float = 0.0) -> Iterator[TranscribedSegment]:
        """Transcribe one piece of sound; timestamps are offset to the whole recording's."""
        model = self.load()
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        if samples.size == 0:
            return
        result = model.transcribe(
            samples,
            language=self.settings.language or None,
            beam_size=self.settings.beam_size,
            word_timestamps=self.settings.word_timestamps,
            # The word list, read before every window (openai-whisper has no hotwords).
            initial_prompt=self.settings.hotwords or None,
            carry_initial_prompt=bool(self.settings.hotwords),
            fp16=False,  # float16 is for GPUs; on the CPU it only brings a warning
            verbose=None,  # print nothing
        )
        for raw in result["segments"]:
            text = raw["text"].strip()
            if not text:
                continue
            yield TranscribedSegment(
                start=offset + float(raw["start"]),
                end=offset + float(raw["end"]),
                text=text,
                avg_logprob=float(raw["avg_logprob"]),
                no_speech_prob=float(raw["no_speech_prob"]),
                words=[
                    TranscribedWord(
                        w["word"].strip(),
                        offset + float(w["start"]),
                        offset + float(w["end"]),
                        float(w["probability"]),
                    )
                    for w in raw.get("words") or []
                ],
            )


register_engine(
    "openai-whisper",
    lambda settings: OpenAIWhisperEngine(
        settings, Path(settings.cache_dir) if settings.cache_dir else None
    ),
)
