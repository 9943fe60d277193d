"""Speech for tests, made on the fly with espeak-ng: no recordings are committed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def require_espeak() -> str:
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        message = "espeak-ng is not installed (apt-get install -y espeak-ng)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: audio tests must run in CI")
        pytest.skip(message)
    return espeak


def speak(text: str, path: Path, words_per_minute: int = 150) -> Path:
    """Write `text` spoken by espeak-ng to a WAV file at `path`."""
    espeak = require_espeak()
    subprocess.run([espeak, "-s", str(words_per_minute), "-w", str(path), text], check=True)
    return path
