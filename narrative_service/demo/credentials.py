"""Where the demo sign-in details are kept, so `serve` can print them at every start."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

CREDENTIALS_FILE = "demo-sign-in.txt"


def credentials_path(app: Flask) -> Path:
    return Path(app.config["INSTANCE_DIR"]) / CREDENTIALS_FILE


def sign_in_details(app: Flask) -> str:
    path = credentials_path(app)
    return path.read_text() if path.exists() else ""


def save_sign_in_details(app: Flask, text: str) -> None:
    """Readable by the owner only: it holds the demo accounts' password."""
    path = credentials_path(app)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
