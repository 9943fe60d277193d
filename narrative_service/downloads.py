"""How every file leaves the service: recordings, transcripts, evidence, packs and exports.

A file is never a page. Each response carries ``Content-Security-Policy: default-src
'none'; sandbox`` (opened on its own, nothing in it can run or load anything) and
``nosniff`` (the browser takes the type given, never guesses one). Only sound and video play
in the browser, with a type worked out from what the file is, never the one an uploader's
browser claimed; everything else is an attachment with a file name made safe.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from flask import Response, send_file, stream_with_context

DOWNLOAD_POLICY = "default-src 'none'; sandbox"
PLAYABLE_PREFIXES = ("audio/", "video/")
_UNSAFE = re.compile(r"[^\w .()+-]+")


def safe_filename(name: str, fallback: str = "download") -> str:
    """The last part of a name, without control characters, quotes, slashes or a leading
    dot, so it is a plain file name on any system; the fallback when nothing is left."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" ._")
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem[: 110 - len(suffix)]}.{suffix}" if dot and len(suffix) <= 10 else name[:120]
    return name or fallback


def _guard(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def attachment(body: bytes | str | Path, mimetype: str, filename: str) -> Response:
    """A file to save, never to open in the browser: bytes, text or a path on disk."""
    if isinstance(body, Path):
        source = body
    else:
        source = io.BytesIO(body.encode("utf-8") if isinstance(body, str) else body)
    response = send_file(
        source,
        mimetype=mimetype,
        as_attachment=True,
        download_name=safe_filename(filename),
        conditional=isinstance(body, Path),
        max_age=0,
    )
    return _guard(response)


def streamed_attachment(chunks: Iterable[str], mimetype: str, filename: str) -> Response:
    """An attachment written as it is sent (a long export), with the request's database
    session kept open until the last chunk."""
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=safe_filename(filename))
    return _guard(response)


def media(path: Path, mimetype: str | None, filename: str) -> Response:
    """A recording for the player: inline only when its type is sound or video; range
    requests are honoured, so the player can start from any segment."""
    if not mimetype or not mimetype.startswith(PLAYABLE_PREFIXES):
        return attachment(path, "application/octet-stream", filename)
    response = send_file(path, mimetype=mimetype, conditional=True, max_age=0)
    return _guard(response)
