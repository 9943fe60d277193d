"""Recordings on disk: written, flushed to the disk and checksummed before anything is queued.

An upload is streamed by the request parser straight into `MEDIA_DIR/.incoming/` (never
held in memory, never in a system temporary folder that may be small or elsewhere). Only
once the whole file has arrived, been fsynced and hashed is it linked to its final name;
an upload cut off midway leaves nothing behind but a temporary file that is removed.
Only a request that request_checks has let through (signed in, allowed, CSRF token valid,
on an upload route) streams to disk; any other file part stays in memory, under the small
body limit every other request has.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import Request, current_app, has_app_context
from werkzeug.exceptions import ClientDisconnected
from werkzeug.formparser import FormDataParser

from ..config import PRIVATE_FILE, PRIVATE_FOLDER
from ..request_checks import may_stream_to_disk

INCOMING = ".incoming"
READ_BLOCK = 1024 * 1024


class StrictFormDataParser(FormDataParser):
    """Form data that stops short is an error, never a smaller form (werkzeug is silent)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, silent=False, **kwargs)


class MediaRequest(Request):
    """Writes uploaded files into the media folder's incoming area, on the same disk.

    A multipart body that ends early (the connection dropped mid-upload) raises
    ClientDisconnected, which the app shows as "The upload did not finish": werkzeug's
    default would quietly parse the part that arrived as if it were the whole form.
    """

    form_data_parser_class = StrictFormDataParser

    def _load_form_data(self) -> None:
        try:
            super()._load_form_data()
        except ValueError as incomplete:
            raise ClientDisconnected() from incomplete

    def _get_file_stream(
        self, total_content_length, content_type, filename=None, content_length=None
    ):
        if not has_app_context():
            return super()._get_file_stream(
                total_content_length, content_type, filename, content_length
            )
        if not may_stream_to_disk(self.environ):
            # Held in memory: the body limit for such requests keeps it small.
            return io.BytesIO()
        folder = incoming_folder(current_app.config["MEDIA_DIR"])
        # Deleted when closed: what is kept is hard-linked to its final name first.
        return tempfile.NamedTemporaryFile(dir=folder, prefix="upload-", suffix=".part")


def incoming_folder(media_dir: str | Path) -> Path:
    folder = Path(media_dir) / INCOMING
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class StoredFile:
    relative_path: str  # from MEDIA_DIR
    size_bytes: int
    sha256: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while block := stream.read(READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def keep(upload_stream, media_dir: str | Path, suffix: str, subfolder: str) -> StoredFile:
    """Make an uploaded file permanent: fsync, checksum, link under its final name."""
    media_dir = Path(media_dir)
    folder = media_dir / subfolder
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    final = folder / f"{uuid.uuid4().hex}{suffix}"
    upload_stream.flush()
    source = getattr(upload_stream, "name", None)
    if isinstance(source, str) and Path(source).is_file():
        os.fsync(upload_stream.fileno())
        try:
            os.link(source, final)
        except OSError:  # a file system without hard links: copy instead
            _copy(upload_stream, final)
    else:  # a small upload held in memory (tests, or outside a request)
        _copy(upload_stream, final)
    _fsync_folder(folder)
    return StoredFile(
        relative_path=final.relative_to(media_dir).as_posix(),
        size_bytes=final.stat().st_size,
        sha256=sha256_of(final),
    )


def _copy(stream, destination: Path) -> None:
    stream.seek(0)
    descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as out:
        while block := stream.read(READ_BLOCK):
            out.write(block)
        out.flush()
        os.fsync(out.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_stale_incoming(media_dir: str | Path, older_than_seconds: float = 24 * 3600) -> int:
    """Delete partial uploads left by a process that was killed while receiving them."""
    folder = Path(media_dir) / INCOMING
    if not folder.is_dir():
        return 0
    removed = 0
    cutoff = time.time() - older_than_seconds
    for path in folder.glob("upload-*.part"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
