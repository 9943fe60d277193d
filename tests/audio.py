"""Speech for tests, made on the fly with espeak-ng and flite (two synthesisers, so nothing
is tuned to one voice): no recordings are committed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def _require(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        message = f"{program} is not installed (apt-get install -y {program})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: audio tests must run in CI")
        pytest.skip(message)
    return found


def require_espeak() -> str:
    return _require("espeak-ng")


def speak(text: str, path: Path, words_per_minute: int = 150) -> Path:
    """Write `text` spoken by espeak-ng to a WAV file at `path`."""
    espeak = require_espeak()
    subprocess.run([espeak, "-s", str(words_per_minute), "-w", str(path), text], check=True)
    return path


def speak_flite(text: str, path: Path, voice: str = "slt") -> Path:
    """Write `text` spoken by flite (voices slt, rms, awb) to a WAV file at `path`."""
    flite = _require("flite")
    subprocess.run([flite, "-voice", voice, "-t", text, "-o", str(path)], check=True)
    return path


def samples_of(path: Path):
    """The sound of a WAV file as Whisper hears it: 16 kHz mono float32."""
    from faster_whisper.audio import decode_audio

    return decode_audio(str(path), sampling_rate=16_000)


def write_wav(samples, path: Path) -> Path:
    """16 kHz mono float32 samples to a 16-bit WAV file."""
    import wave

    import numpy as np

    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16_000)
        writer.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path
